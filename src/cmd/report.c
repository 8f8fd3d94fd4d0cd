/*
 * report.c - calib-report: the meeting pack. One self-contained HTML page
 * of a session: a summary in plain words, the agreement table, the
 * disputes agenda with a blank decision column, the managers' table and
 * an appendix to reproduce it, from the records of calib-agree,
 * calib-disputes and calib-raters (html.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "calib/checksum.h"
#include "calib/disputes.h"
#include "calib/drift.h"
#include "calib/html.h"
#include "calib/plot.h"
#include "calib/plots.h"
#include "calib/raters.h"
#include "calib/registry.h"
#include "calib/report.h"
#include "common.h"

static const char usage[] =
        "usage: calib-report [-d C] [-r RUBRIC] [-o FILE] [--key FILE|consensus] "
        "[--expert NAME]\n"
        "                    [--consensus C] [--stat NAME] [--min X] [--title T]\n"
        "                    [--history [--max-drop D] [-k K] [--session-from name|column]]\n"
        "                    [OPTION...] [FILE...]\n";

static const char help[] =
        "The meeting pack: one self-contained HTML page of a calibration session (no\n"
        "external CSS, script, font or image) with a summary in plain words, the\n"
        "agreement table (calib-agree's headlines, per section and TOTAL), the disputes\n"
        "agenda (calib-disputes') with a blank decision column, the managers' table\n"
        "(calib-raters': bias, within-tolerance share, calibration score against a key)\n"
        "and an appendix of inputs with their cksum, rubric, version and options.\n"
        "With --history the inputs are sessions over time, read as calib-drift reads\n"
        "them: the page adds their drift chart, the latest session's changes with\n"
        "their intervals and its alerts, and describes the latest session.\n";

enum {
	OPT_KEY = CALIB_OPT_FIRST_PROGRAM,
	OPT_EXPERT,
	OPT_CONSENSUS,
	OPT_STAT,
	OPT_MIN,
	OPT_TITLE,
	OPT_HISTORY,
	OPT_SESSION_FROM,
	OPT_ORDER,
	OPT_DATE_FORMAT,
	OPT_MAX_DROP,
	OPT_ALERT_ON
};

static const struct option longopts[] = {
        CALIB_CLI_READ_LONGOPTS,
        {"output", required_argument, NULL, 'o'},
        {"key", required_argument, NULL, OPT_KEY},
        {"expert", required_argument, NULL, OPT_EXPERT},
        {"consensus", required_argument, NULL, OPT_CONSENSUS},
        {"stat", required_argument, NULL, OPT_STAT},
        {"min", required_argument, NULL, OPT_MIN},
        {"title", required_argument, NULL, OPT_TITLE},
        {"history", no_argument, NULL, OPT_HISTORY},
        {"session-from", required_argument, NULL, OPT_SESSION_FROM},
        {"order", required_argument, NULL, OPT_ORDER},
        {"date-format", required_argument, NULL, OPT_DATE_FORMAT},
        {"window", required_argument, NULL, 'k'},
        {"max-drop", required_argument, NULL, OPT_MAX_DROP},
        {"alert-on", required_argument, NULL, OPT_ALERT_ON},
        {"top", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};

static const char options_help[] =
        "  -o, --output FILE       write the page to FILE (all or nothing), not standard\n"
        "                          output\n"
        "      --key FILE          managers against an answer key (a sheet in any input\n"
        "                          form), with their calibration scores; --key consensus:\n"
        "                          the raters' modal or median answer\n"
        "      --expert NAME       managers against this rater's scores instead\n"
        "      --consensus C       median or mean of the other raters (default: median\n"
        "                          for the managers, mean for the agenda, as calib-raters\n"
        "                          and calib-disputes)\n"
        "      --stat NAME         the headline statistic where it applies (default: each\n"
        "                          scale's, calib(7) \"Headline\")\n"
        "      --min X             say which criteria fall below X by their whole interval\n"
        "      --title T           the page's title (default \"Calibration session\")\n"
        "      --history           the inputs are sessions over time: add calib-drift's\n"
        "                          chart, the latest changes and alerts; the rest of the\n"
        "                          page is the latest session (the options below need it)\n"
        "      --session-from S    column: the session column (default; file names when\n"
        "                          no input has one); name: each file is a session\n"
        "      --order O           date (default when every session is a date), given\n"
        "                          or name\n"
        "      --date-format FMT   read session dates with FMT (%Y %m %d %b %G %V)\n"
        "  -k, --window K          sessions in the --max-drop mean (default 4)\n"
        "      --max-drop D        alert when the latest session is below the mean of\n"
        "                          the K sessions before by more than D; with --history,\n"
        "                          --min X alerts when it is below X; alerts are on the\n"
        "                          page and leave the exit status 0\n"
        "      --alert-on W        interval (default) or estimate: what decides an alert\n"
        "  -n, --top N             cells on the agenda, 0 for all (default 10)\n"
        "  -s, --seed S            bootstrap seed (default 1)\n"
        "  -j, --threads N         threads in all, 1 or 2 (default: up to 2)\n"
        "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and exit\n";

/* The command line as typed, arguments with spaces or quotes in single quotes. */
static char *
command_line(int argc, char **argv)
{
	size_t n = 1;
	for (int i = 0; i < argc; i++)
		n += 4 * strlen(argv[i]) + 3;
	char *s = malloc(n), *o = s;
	if (!s)
		return NULL;
	*o = '\0';
	for (int i = 0; i < argc; i++) {
		const char *a = i ? argv[i] : "calib-report";
		bool plain =
		        *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                        "0123456789-_./=,:%+@") == strlen(a);
		if (i)
			*o++ = ' ';
		if (!plain)
			*o++ = '\'';
		for (; *a; a++) {
			if (!plain && *a == '\'') {
				memcpy(o, "'\\''", 4);
				o += 4;
			} else
				*o++ = *a;
		}
		if (!plain)
			*o++ = '\'';
		*o = '\0';
	}
	return s;
}

/* The page's plots: agreement, spread of the most disputed, heatmap, Bland-Altman. */
enum { PLOT_AGREEMENT, PLOT_SPREAD, PLOT_HEATMAP, PLOT_BA, N_PLOTS };
/* and with --history, after them, calib-drift's chart of the "Over time" part */
enum { PLOT_DRIFT = N_PLOTS, N_DRAWN };

struct drawn {
	struct calib_html_plot plot[N_DRAWN];
	char *svg[N_DRAWN];
	char caption[N_DRAWN][200];
	char note[N_DRAWN][300];
};

/* Slurp the file at path into *out (its length in *len); 0, or an errno value. */
static int
read_whole(const char *path, char **out, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	int e = 0;
	if (!fp)
		return errno;
	do {
		if (n == cap) {
			char *g = realloc(buf, (cap = cap ? 2 * cap : 65536));
			if (!g) {
				e = ENOMEM;
				break;
			}
			buf = g;
		}
		n += got = fread(buf + n, 1, cap - n, fp);
	} while (got > 0);
	if (!e && ferror(fp))
		e = errno ? errno : EIO;
	fclose(fp);
	if (e) {
		free(buf);
		return e;
	}
	*out = buf;
	*len = n;
	return 0;
}

/*
 * Draw plot k of dw, whose script p holds, as an SVG through a file of
 * dir read back; on failure the reason goes to its note. Frees p.
 */
static void
render(struct drawn *dw, int k, struct calib_plot *p, enum calib_status st, const char *dir)
{
	struct calib_html_plot *pl = &dw->plot[k];
	struct calib_error err;
	char path[4200];
	int e;

	pl->caption = dw->caption[k];
	pl->note = dw->note[k];
	calib_error_clear(&err);
	snprintf(path, sizeof path, "%s/plot.svg", dir);
	if (st == CALIB_EARG)
		snprintf(dw->note[k], sizeof dw->note[k], "no call has two scores to compare");
	else if (st || !p)
		snprintf(dw->note[k], sizeof dw->note[k], "out of memory");
	else if (calib_plot_run(p, path, &err))
		calib_error_format(&err, dw->note[k], sizeof dw->note[k]);
	else if ((e = read_whole(path, &dw->svg[k], &pl->len)) != 0)
		snprintf(dw->note[k], sizeof dw->note[k], "%s", strerror(e));
	else {
		pl->svg = dw->svg[k];
		pl->note = NULL;
	}
	unlink(path);
	calib_plot_free(p);
}

/* A new SVG script with calib-plot's style, or NULL. */
static struct calib_plot *
svg_plot(void)
{
	struct calib_plot *p = calib_plot_alloc(CALIB_PLOT_SVG, 0, 0);
	if (p && calib_plot_style(p)) {
		calib_plot_free(p);
		return NULL;
	}
	return p;
}

/*
 * Draw the page's plots with calib-plot's builders (plots.h): o as
 * calib-plot's options would make them; with drift, calib-drift's chart
 * of it too, as co says. A plot that cannot be drawn says why on the
 * page; the first reason goes to stderr too.
 */
static void
draw_plots(const struct calib_cli *cli, struct drawn *dw, const struct calib_plots_opts *o,
           const struct calib_store *store, const struct calib_store *rstore,
           const struct calib_report *rep, const struct calib_disputes *d,
           const struct calib_drift *drift, const struct calib_plots_drift_opts *co)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	struct calib_plots_opts po = *o;
	struct calib_plot *p;
	enum calib_status st;

	snprintf(dw->caption[PLOT_AGREEMENT], sizeof dw->caption[0],
	         "Agreement per criterion, worst first, with its interval");
	snprintf(dw->caption[PLOT_SPREAD], sizeof dw->caption[0],
	         "Every manager's score on the most disputed criteria");
	snprintf(dw->caption[PLOT_HEATMAP], sizeof dw->caption[0],
	         "Each manager's mean deviation from the reference per criterion");
	snprintf(dw->caption[PLOT_BA], sizeof dw->caption[0], "Bland-Altman");
	snprintf(dw->caption[PLOT_DRIFT], sizeof dw->caption[0],
	         "Agreement per session with its interval (calib-drift's chart)");
	snprintf(dir, sizeof dir, "%s/calib-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		for (int k = 0; k < N_DRAWN; k++) {
			dw->plot[k].caption = dw->caption[k];
			dw->plot[k].note = dw->note[k];
			snprintf(dw->note[k], sizeof dw->note[k], "temporary folder: %s",
			         strerror(errno));
		}
		calib_cli_errorf(cli, "plots not drawn: temporary folder: %s", strerror(errno));
		return;
	}
	{
		struct calib_plots_entries en = {0};
		po.kind = CALIB_PLOTS_AGREEMENT;
		p = svg_plot();
		st = calib_plots_from_report(rep, &en) ? CALIB_ENOMEM : CALIB_OK;
		calib_plots_by_section(store, &en);
		if (!st && p)
			st = calib_plots_agreement(p, &en, &po);
		calib_plots_entries_free(&en);
		render(dw, PLOT_AGREEMENT, p, st, dir);
	}
	{
		/* the criteria of the agenda's first cells, at most four */
		uint32_t crit[4];
		size_t nc = 0;
		for (size_t i = 0; i < d->n_cells && nc < 4; i++) {
			size_t j = 0;
			while (j < nc && crit[j] != d->cell[i].crit)
				j++;
			if (j == nc)
				crit[nc++] = d->cell[i].crit;
		}
		po.kind = CALIB_PLOTS_SPREAD;
		p = nc ? svg_plot() : NULL;
		st = p ? calib_plots_spread(p, store, &po, crit, nc) : CALIB_OK;
		if (!nc) {
			dw->plot[PLOT_SPREAD].caption = dw->caption[PLOT_SPREAD];
			dw->plot[PLOT_SPREAD].note = dw->note[PLOT_SPREAD];
			snprintf(dw->note[PLOT_SPREAD], sizeof dw->note[0],
			         "no disputed criterion");
		} else
			render(dw, PLOT_SPREAD, p, st, dir);
	}
	po.kind = CALIB_PLOTS_HEATMAP;
	p = svg_plot();
	st = p ? calib_plots_heatmap(p, rstore, &po) : CALIB_ENOMEM;
	render(dw, PLOT_HEATMAP, p, st, dir);
	{
		/* the criterion scored in points whose headline is lowest */
		uint32_t ci = CALIB_NONE;
		double worst = INFINITY;
		size_t left_out = 0;
		for (size_t i = 0; i < rep->n_rows; i++) {
			const struct calib_report_row *r = &rep->rows[i];
			uint32_t k;
			if (r->total || r->headline == SIZE_MAX ||
			    !(r->scale == CALIB_SCALE_INTERVAL ||
			      r->scale == CALIB_SCALE_RATIO || r->scale == CALIB_SCALE_ORDINAL))
				continue;
			double est = rep->stats.v[r->first + r->headline].estimate;
			k = calib_store_find_criterion(rstore, r->criterion,
			                               strlen(r->criterion));
			if (k != CALIB_NONE && !isnan(est) && est < worst) {
				worst = est;
				ci = k;
			}
		}
		dw->plot[PLOT_BA].caption = dw->caption[PLOT_BA];
		dw->plot[PLOT_BA].note = dw->note[PLOT_BA];
		if (ci == CALIB_NONE)
			snprintf(dw->note[PLOT_BA], sizeof dw->note[0],
			         "no criterion is scored in points");
		else {
			snprintf(dw->caption[PLOT_BA], sizeof dw->caption[0],
			         "Bland-Altman of the weakest criterion scored in points: %s",
			         rstore->criteria[ci].name);
			po.kind = CALIB_PLOTS_BLAND_ALTMAN;
			p = svg_plot();
			st = p ? calib_plots_bland_altman(p, rstore, &po, ci, &left_out)
			       : CALIB_ENOMEM;
			render(dw, PLOT_BA, p, st, dir);
		}
	}
	if (drift)
		render(dw, PLOT_DRIFT, calib_plots_drift(drift, co), CALIB_OK, dir);
	rmdir(dir);
	for (int k = 0; k < (drift ? N_DRAWN : N_PLOTS); k++)
		if (!dw->plot[k].svg && dw->note[k][0] && strncmp(dw->note[k], "no ", 3) != 0) {
			calib_cli_errorf(cli, "plots not drawn: %s", dw->note[k]);
			break;
		}
}

/* --history: the options as calib-drift's, and what they load and compute. */
struct history {
	bool on;
	const char *needs; /* the first of its options given, which need --history */
	enum calib_session_from from;
	enum calib_session_order order;
	const char *date_format;
	size_t window; /* 0: calib-drift's default */
	double max_drop;
	bool on_estimate;
	const char *how;
	struct calib_store *all, *rall; /* every session, without and with the key */
	struct calib_drift *drift;
	struct calib_drift_alert *alerts;
	size_t n_alerts;
};

/*
 * --history: load every session as calib-drift does, run its series
 * (calib-drift's defaults, the seed and --stat of the page) and the
 * latest session's alerts into h, and make *store (and with a key
 * *rstore, the key's rater in *key_rater) the latest session's
 * subset, which the rest of the page describes. 0, or 1 (printed).
 */
static int
load_history(struct calib_cli *cli, struct history *h, char *const *files, size_t n,
             const char *key, const struct calib_report_opts *ro, double min,
             struct calib_store **store, struct calib_store **rstore, uint32_t *key_rater,
             size_t *n_tied)
{
	struct calib_drift_opts o;
	struct calib_error err;
	const char *latest, *how;
	uint32_t kr = CALIB_NONE, id;
	size_t last, k;

	calib_error_clear(&err);
	if (calib_cli_load_sessions(cli, h->from, h->order, h->date_format, files, n, NULL,
	                            NULL, &h->how, &h->all))
		return 1;
	calib_drift_opts_init(&o);
	o.store_order = true;
	o.seed = ro->seed;
	o.stat = ro->stat;
	if (h->window)
		o.window = h->window;
	if (calib_drift_run(h->all, &o, &h->drift, &err))
		return calib_cli_fail(cli, &err);
	if (h->drift->n_sessions < 2) {
		char *tmp = NULL;
		const char *shown =
		        h->drift->n_sessions ? calib_escaped(h->drift->session[0], &tmp) : "";
		calib_cli_errorf(cli,
		                 "--history: one session ('%s'), nothing to compare it with",
		                 shown ? shown : "?");
		free(tmp);
		return 1;
	}
	last = h->drift->n_sessions - 1;
	latest = h->drift->session[last];
	k = calib_drift_alerts(h->drift, last, min, h->max_drop, h->on_estimate, NULL, 0);
	if (k && !(h->alerts = malloc(k * sizeof *h->alerts)))
		return calib_cli_fail(cli, NULL);
	h->n_alerts = calib_drift_alerts(h->drift, last, min, h->max_drop, h->on_estimate,
	                                 h->alerts, k);
	if (calib_store_session_subset(h->all, h->drift->order[last], store))
		return calib_cli_fail(cli, NULL);
	if (!key)
		return 0;
	if (strcmp(key, "consensus") == 0) {
		/* the consensus of the latest session's raters, as calib-raters makes it */
		char name[32];
		if (calib_store_session_subset(h->all, h->drift->order[last], rstore))
			return calib_cli_fail(cli, NULL);
		calib_cli_key_name(*rstore, name, sizeof name);
		if (calib_raters_consensus_key(*rstore, name, key_rater, n_tied, &err))
			return calib_cli_fail(cli, NULL);
		return 0;
	}
	/*
	 * the key read into every session, as calib-drift --key reads it; sessions
	 * that were not all dates stay as given, and the note said so once
	 */
	if (calib_cli_load_sessions(cli, h->from,
	                            h->order == CALIB_SESSION_ORDER_AUTO &&
	                                            strcmp(h->how, "by date") != 0
	                                    ? CALIB_SESSION_ORDER_GIVEN
	                                    : h->order,
	                            h->date_format, files, n, key, &kr, &how, &h->rall))
		return 1;
	id = calib_names_find(h->rall->sessions, latest, strlen(latest));
	if (id == CALIB_NONE || calib_store_session_subset(h->rall, id, rstore))
		return calib_cli_fail(cli, NULL);
	{
		const char *kname = calib_names_get(h->rall->raters, kr);
		*key_rater = calib_names_find((*rstore)->raters, kname, strlen(kname));
	}
	if (*key_rater == CALIB_NONE) {
		char *t1 = NULL, *t2 = NULL;
		const char *k1 = calib_escaped(key, &t1), *k2 = calib_escaped(latest, &t2);
		calib_cli_errorf(cli, "--key %s: no key score in the latest session '%s'",
		                 k1 ? k1 : "?", k2 ? k2 : "?");
		free(t1);
		free(t2);
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct calib_cli cli;
	struct calib_report_opts ro;
	struct calib_raters_opts rao;
	struct calib_disputes_opts dopts;
	struct calib_store *store = NULL, *rstore = NULL;
	struct calib_report *rep = NULL;
	struct calib_raters *ra = NULL;
	struct calib_disputes *d = NULL;
	struct calib_table *agenda = NULL;
	struct calib_html_input *inputs = NULL;
	struct calib_cli_out out = {0};
	struct calib_error err;
	struct calib_html_page page = {0};
	static struct drawn dw;
	const char *output = NULL, *key = NULL, *expert = NULL, *title = NULL;
	char reference[300], *command = NULL;
	uint32_t key_rater = CALIB_NONE;
	size_t n_tied = 0, threads = 0, nfiles;
	double min = NAN;
	int c, status = 0;
	struct history h = {.max_drop = NAN};

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-report", usage);
	calib_report_opts_init(&ro);
	calib_raters_opts_init(&rao);
	calib_disputes_opts_init(&dopts);
	ro.seed = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "hj:k:n:o:s:V",
	                        longopts, NULL)) != -1) {
		switch (calib_cli_read_opt(&cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case OPT_KEY:
			if (!*optarg)
				return calib_cli_usage_error(&cli,
				                             "option --key: empty file name");
			key = optarg;
			break;
		case OPT_EXPERT:
			if (!*optarg)
				return calib_cli_usage_error(&cli,
				                             "option --expert: empty name");
			expert = optarg;
			break;
		case OPT_CONSENSUS:
			if (calib_cli_consensus(&cli, optarg, &rao.consensus))
				return 2;
			dopts.consensus = rao.consensus;
			break;
		case OPT_STAT:
			if (!calib_registry_known(optarg) || strcmp(optarg, "all") == 0 ||
			    strchr(optarg, ','))
				return calib_cli_usage_error(
				        &cli,
				        "option --stat: unknown statistic '%s' (one name)",
				        optarg);
			ro.stat = optarg;
			break;
		case OPT_MIN:
			if (calib_cli_double(&cli, "--min", optarg, -1, 1, &min))
				return 2;
			break;
		case OPT_TITLE:
			title = optarg;
			break;
		case OPT_HISTORY:
			h.on = true;
			break;
		case OPT_SESSION_FROM:
			if (calib_cli_session_from(&cli, optarg, &h.from))
				return 2;
			h.needs = h.needs ? h.needs : "--session-from";
			break;
		case OPT_ORDER:
			if (calib_cli_session_order(&cli, optarg, &h.order))
				return 2;
			h.needs = h.needs ? h.needs : "--order";
			break;
		case OPT_DATE_FORMAT:
			if (calib_cli_date_format(&cli, optarg))
				return 2;
			h.date_format = optarg;
			h.needs = h.needs ? h.needs : "--date-format";
			break;
		case 'k':
			if (calib_cli_size(&cli, "--window", optarg, 2, 1000, &h.window))
				return 2;
			h.needs = h.needs ? h.needs : "--window";
			break;
		case OPT_MAX_DROP:
			if (calib_cli_double(&cli, "--max-drop", optarg, 0, 2, &h.max_drop))
				return 2;
			h.needs = h.needs ? h.needs : "--max-drop";
			break;
		case OPT_ALERT_ON:
			if (calib_cli_alert_on(&cli, optarg, &h.on_estimate))
				return 2;
			h.needs = h.needs ? h.needs : "--alert-on";
			break;
		case 'n':
			if (calib_cli_size(&cli, "--top", optarg, 0, SIZE_MAX / 2, &dopts.top))
				return 2;
			break;
		case 's':
			if (calib_cli_seed(&cli, optarg, &ro.seed))
				return 2;
			break;
		case 'j':
			if (calib_cli_size(&cli, "--threads", optarg, 1, 2, &threads))
				return 2;
			ro.threads = rao.threads = (unsigned)threads;
			cli.read.threads = ro.threads;
			break;
		case 'h':
			printf("%s\n%sOptions:\n" CALIB_CLI_READ_HELP "%s", usage, help,
			       options_help);
			return calib_cli_close_stdout(&cli);
		case 'V':
			return calib_cli_version(&cli);
		default:
			return calib_cli_bad_option(&cli, c, argv);
		}
	}
	if (key && expert)
		return calib_cli_usage_error(&cli, "--key and --expert: give one reference");
	if (h.needs && !h.on)
		return calib_cli_usage_error(&cli, "%s: only with --history", h.needs);
	nfiles = (size_t)(argc - optind);
	if (h.on) {
		if (load_history(&cli, &h, argv + optind, nfiles, key, &ro, min, &store,
		                 &rstore, &key_rater, &n_tied)) {
			status = 1;
			goto done;
		}
	} else if (calib_cli_load(&cli, argv + optind, nfiles, &store))
		/* the session as calib-agree and calib-disputes read it: without the key */
		return 1;
	snprintf(reference, sizeof reference, "the %s of the other raters",
	         rao.consensus == CALIB_CONSENSUS_MEAN ? "mean" : "median");
	if (key) {
		/* the managers as calib-raters --key reads them: the key one more rater */
		if (!h.on && calib_cli_load_key(&cli, argv + optind, nfiles, key, &rstore,
		                                &key_rater, &n_tied)) {
			status = 1;
			goto done;
		}
		rao.expert = key_rater;
		rao.key = key;
		snprintf(reference, sizeof reference, "%s",
		         strcmp(key, "consensus") == 0 ? "the raters' consensus key"
		                                       : "the answer key");
	} else if (expert) {
		rao.expert = calib_names_find(store->raters, expert, strlen(expert));
		if (rao.expert == CALIB_NONE) {
			calib_cli_errorf(&cli, "--expert: no rater named '%s' in the input",
			                 expert);
			status = 1;
			goto done;
		}
		snprintf(reference, sizeof reference, "the expert");
	}
	calib_error_clear(&err);
	if (calib_report_run(store, &ro, &rep, &err) ||
	    calib_disputes_run(store, &dopts, &d, &err) ||
	    calib_raters_run(rstore ? rstore : store, &rao, &ra, &err)) {
		status = calib_cli_fail(&cli, &err);
		goto done;
	}
	if (!(agenda = calib_disputes_cells(d, store)) ||
	    !(inputs = calloc(nfiles + 2, sizeof *inputs)) ||
	    !(command = command_line(argc, argv))) {
		status = calib_cli_fail(&cli, NULL);
		goto done;
	}
	/* the appendix: every file read, with its cksum (no file: standard input) */
	if (nfiles == 0)
		inputs[page.n_inputs++].name = "-";
	for (size_t i = 0; i < nfiles + 2; i++) {
		const char *name = i < nfiles ? argv[optind + (int)i]
		                   : i == nfiles
		                           ? cli.rubric
		                           : (key && strcmp(key, "consensus") ? key : NULL);
		struct calib_html_input *in = &inputs[page.n_inputs];
		if (!name)
			continue;
		in->name = name;
		if (strcmp(name, "-") != 0) {
			if (calib_cksum_file(name, &in->cksum, &in->size, &err)) {
				status = calib_cli_fail(&cli, &err);
				goto done;
			}
			in->summed = true;
		}
		page.n_inputs++;
	}
	page.title = title;
	page.store = store;
	page.report = rep;
	page.disputes = d;
	page.agenda = agenda;
	page.raters = ra;
	page.rstore = rstore ? rstore : store;
	page.reference = reference;
	page.calibration = key || expert;
	page.min = min;
	page.inputs = inputs;
	page.version = CALIB_VERSION;
	page.command = command;
	page.seed = ro.seed;
	{
		struct calib_plots_opts po = {.title = title ? title : "Calibration session",
		                              .stat = ro.stat,
		                              .min = min,
		                              .width = NAN,
		                              .seed = ro.seed,
		                              .key = key,
		                              .expert = expert,
		                              .consensus = rao.consensus,
		                              .expert_id = rao.expert};
		/* calib-drift's chart as calib-drift --chart F.svg draws it */
		struct calib_plots_drift_opts co = {.name = "",
		                                    .term = CALIB_PLOT_SVG,
		                                    .min = min,
		                                    .max_drop = h.max_drop,
		                                    .on_estimate = h.on_estimate,
		                                    .threshold = NAN};
		char chart_name[256] = "";
		if (nfiles > 1)
			snprintf(chart_name, sizeof chart_name, "%zu files", nfiles);
		else if (nfiles == 1 && strcmp(argv[optind], "-") != 0)
			snprintf(chart_name, sizeof chart_name, "%s",
			         strrchr(argv[optind], '/') ? strrchr(argv[optind], '/') + 1
			                                    : argv[optind]);
		co.name = chart_name;
		draw_plots(&cli, &dw, &po, store, page.rstore, rep, d, h.drift, &co);
		page.plots = dw.plot;
		page.n_plots = N_PLOTS;
		if (h.drift)
			page.drift_plot = &dw.plot[PLOT_DRIFT];
	}
	page.drift = h.drift;
	page.alerts = h.alerts;
	page.n_alerts = h.n_alerts;
	page.max_drop = h.max_drop;
	if (calib_cli_out_open(&cli, &out, output)) {
		status = 1;
		goto done;
	}
	if (calib_html_report(out.fp, &page)) {
		calib_cli_out_abort(&out);
		status = calib_cli_fail(&cli, NULL);
		goto done;
	}
	if (calib_cli_out_commit(&cli, &out))
		status = 1;
done:
	for (int k = 0; k < N_DRAWN; k++)
		free(dw.svg[k]);
	free(command);
	free(inputs);
	calib_table_free(agenda);
	calib_disputes_free(d);
	calib_raters_free(ra);
	calib_report_free(rep);
	calib_store_free(rstore);
	calib_store_free(store);
	free(h.alerts);
	calib_drift_free(h.drift);
	calib_store_free(h.rall);
	calib_store_free(h.all);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status ? status : cs;
	}
}
