/*
 * report.c - calib-report: the meeting pack. One self-contained HTML page
 * of a session: a summary in plain words, the agreement table, the
 * disputes agenda with a blank decision column, the managers' table and
 * an appendix to reproduce it, from the records of calib-agree,
 * calib-disputes and calib-raters (html.h), its plots calib-plot's
 * (pageplots.h). main() goes: options, load, compute, appendix, plots, page.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/checksum.h"
#include "calib/disputes.h"
#include "calib/drift.h"
#include "calib/html.h"
#include "calib/pageplots.h"
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

/* What the command line asks. */
struct options {
	struct calib_cli cli;
	struct calib_report_opts ro;
	struct calib_raters_opts rao;
	struct calib_disputes_opts dopts;
	const char *output, *key, *expert, *title;
	double min;
};

/* Note that option opt needs --history, unless one before it said so already. */
static void
needs_history(struct history *h, const char *opt)
{
	if (!h->needs)
		h->needs = opt;
}

/*
 * The options of the page into o and those of --history into h: -1 to
 * go on, else the exit status (--help, -V, a usage error).
 */
static int
parse_options(struct options *o, struct history *h, int argc, char **argv)
{
	struct calib_cli *cli = &o->cli;
	size_t threads;
	int c;

	calib_cli_init(cli, "calib-report", usage);
	calib_report_opts_init(&o->ro);
	calib_raters_opts_init(&o->rao);
	calib_disputes_opts_init(&o->dopts);
	o->ro.seed = 1;
	o->output = o->key = o->expert = o->title = NULL;
	o->min = NAN;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "hj:k:n:o:s:V",
	                        longopts, NULL)) != -1) {
		switch (calib_cli_read_opt(cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case OPT_KEY:
			if (!*optarg)
				return calib_cli_usage_error(cli, "option --key: empty file name");
			o->key = optarg;
			break;
		case OPT_EXPERT:
			if (!*optarg)
				return calib_cli_usage_error(cli, "option --expert: empty name");
			o->expert = optarg;
			break;
		case OPT_CONSENSUS:
			if (calib_cli_consensus(cli, optarg, &o->rao.consensus))
				return 2;
			o->dopts.consensus = o->rao.consensus;
			break;
		case OPT_STAT:
			if (!calib_registry_known(optarg) || strcmp(optarg, "all") == 0 ||
			    strchr(optarg, ','))
				return calib_cli_usage_error(
				        cli, "option --stat: unknown statistic '%s' (one name)",
				        optarg);
			o->ro.stat = optarg;
			break;
		case OPT_MIN:
			if (calib_cli_double(cli, "--min", optarg, -1, 1, &o->min))
				return 2;
			break;
		case OPT_TITLE:
			o->title = optarg;
			break;
		case OPT_HISTORY:
			h->on = true;
			break;
		case OPT_SESSION_FROM:
			if (calib_cli_session_from(cli, optarg, &h->from))
				return 2;
			needs_history(h, "--session-from");
			break;
		case OPT_ORDER:
			if (calib_cli_session_order(cli, optarg, &h->order))
				return 2;
			needs_history(h, "--order");
			break;
		case OPT_DATE_FORMAT:
			if (calib_cli_date_format(cli, optarg))
				return 2;
			h->date_format = optarg;
			needs_history(h, "--date-format");
			break;
		case 'k':
			if (calib_cli_size(cli, "--window", optarg, 2, 1000, &h->window))
				return 2;
			needs_history(h, "--window");
			break;
		case OPT_MAX_DROP:
			if (calib_cli_double(cli, "--max-drop", optarg, 0, 2, &h->max_drop))
				return 2;
			needs_history(h, "--max-drop");
			break;
		case OPT_ALERT_ON:
			if (calib_cli_alert_on(cli, optarg, &h->on_estimate))
				return 2;
			needs_history(h, "--alert-on");
			break;
		case 'n':
			if (calib_cli_size(cli, "--top", optarg, 0, SIZE_MAX / 2, &o->dopts.top))
				return 2;
			break;
		case 's':
			if (calib_cli_seed(cli, optarg, &o->ro.seed))
				return 2;
			break;
		case 'j':
			if (calib_cli_size(cli, "--threads", optarg, 1, 2, &threads))
				return 2;
			o->ro.threads = o->rao.threads = o->dopts.threads = (unsigned)threads;
			cli->read.threads = o->ro.threads;
			break;
		case 'h':
			printf("%s\n%sOptions:\n" CALIB_CLI_READ_HELP "%s", usage, help,
			       options_help);
			return calib_cli_close_stdout(cli);
		case 'V':
			return calib_cli_version(cli);
		default:
			return calib_cli_bad_option(cli, c, argv);
		}
	}
	if (o->key && o->expert)
		return calib_cli_usage_error(cli, "--key and --expert: give one reference");
	if (h->needs && !h->on)
		return calib_cli_usage_error(cli, "%s: only with --history", h->needs);
	return -1;
}

/* The session the page describes, and what it is made of. */
struct page_data {
	struct calib_store *store;  /* as calib-agree and calib-disputes read it: no key */
	struct calib_store *rstore; /* the managers with the key as one more rater, or NULL */
	char reference[300];        /* what the managers are compared with, in words */
	struct calib_report *rep;
	struct calib_raters *ra;
	struct calib_disputes *d;
	struct calib_table *agenda;
	struct calib_html_input *inputs; /* the appendix's */
	size_t n_inputs;
	char *command;
	struct calib_pageplots plots;
};

/*
 * Read files[0..n) into pd (with --history, every session into h, the
 * page the latest), the answer key or the expert into o->rao, and say
 * what the managers are compared with. 0, or 1 (printed).
 */
static int
load(struct options *o, struct history *h, char *const *files, size_t n,
     struct page_data *pd)
{
	uint32_t key_rater = CALIB_NONE;
	size_t n_tied = 0;

	if (h->on) {
		if (load_history(&o->cli, h, files, n, o->key, &o->ro, o->min, &pd->store,
		                 &pd->rstore, &key_rater, &n_tied))
			return 1;
	} else if (calib_cli_load(&o->cli, files, n, &pd->store))
		return 1;
	snprintf(pd->reference, sizeof pd->reference, "the %s of the other raters",
	         o->rao.consensus == CALIB_CONSENSUS_MEAN ? "mean" : "median");
	if (o->key) {
		/* the managers as calib-raters --key reads them: the key one more rater */
		if (!h->on && calib_cli_load_key(&o->cli, files, n, o->key, &pd->rstore,
		                                 &key_rater, &n_tied))
			return 1;
		o->rao.expert = key_rater;
		o->rao.key = o->key;
		snprintf(pd->reference, sizeof pd->reference, "%s",
		         strcmp(o->key, "consensus") == 0 ? "the raters' consensus key"
		                                          : "the answer key");
	} else if (o->expert) {
		o->rao.expert = calib_names_find(pd->store->raters, o->expert, strlen(o->expert));
		if (o->rao.expert == CALIB_NONE) {
			calib_cli_errorf(&o->cli, "--expert: no rater named '%s' in the input",
			                 o->expert);
			return 1;
		}
		snprintf(pd->reference, sizeof pd->reference, "the expert");
	}
	return 0;
}

/*
 * The appendix's inputs into pd: every file read with its cksum (none:
 * standard input, "-"), then the rubric and the key file. 0, or 1 (printed).
 */
static int
appendix(const struct options *o, char *const *files, size_t n, struct page_data *pd)
{
	struct calib_error err;

	calib_error_clear(&err);
	if (!(pd->inputs = calloc(n + 2, sizeof *pd->inputs)))
		return calib_cli_fail(&o->cli, NULL);
	if (n == 0)
		pd->inputs[pd->n_inputs++].name = "-";
	for (size_t i = 0; i < n + 2; i++) {
		const char *name = i < n    ? files[i]
		                   : i == n ? o->cli.rubric
		                            : (o->key && strcmp(o->key, "consensus") ? o->key : NULL);
		struct calib_html_input *in = &pd->inputs[pd->n_inputs];
		if (!name)
			continue;
		in->name = name;
		if (strcmp(name, "-") != 0) {
			if (calib_cksum_file(name, &in->cksum, &in->size, &err))
				return calib_cli_fail(&o->cli, &err);
			in->summed = true;
		}
		pd->n_inputs++;
	}
	return 0;
}

/*
 * The page's plots into pd->plots, as calib-plot would draw them with the
 * page's options, and calib-drift's chart of h as calib-drift --chart
 * F.svg draws it, its title naming the one file or "N files". The first
 * reason a plot was not drawn goes to stderr; the page is written anyway.
 */
static void
draw(const struct options *o, const struct history *h, char *const *files, size_t n,
     struct page_data *pd)
{
	struct calib_plots_opts po = {.title = o->title ? o->title : "Calibration session",
	                              .stat = o->ro.stat,
	                              .min = o->min,
	                              .width = NAN,
	                              .seed = o->ro.seed,
	                              .key = o->key,
	                              .expert = o->expert,
	                              .consensus = o->rao.consensus,
	                              .expert_id = o->rao.expert};
	struct calib_plots_drift_opts co = {.name = "",
	                                    .term = CALIB_PLOT_SVG,
	                                    .min = o->min,
	                                    .max_drop = h->max_drop,
	                                    .on_estimate = h->on_estimate,
	                                    .threshold = NAN};
	char chart_name[256] = "";
	const char *why;

	if (n > 1)
		snprintf(chart_name, sizeof chart_name, "%zu files", n);
	else if (n == 1 && strcmp(files[0], "-") != 0)
		snprintf(chart_name, sizeof chart_name, "%s",
		         strrchr(files[0], '/') ? strrchr(files[0], '/') + 1 : files[0]);
	co.name = chart_name;
	calib_pageplots_draw(&pd->plots, &po, pd->store, pd->rstore ? pd->rstore : pd->store,
	                     pd->rep, pd->d, h->drift, &co, getenv("TMPDIR"));
	if ((why = calib_pageplots_failure(&pd->plots, h->drift != NULL)))
		calib_cli_errorf(&o->cli, "plots not drawn: %s", why);
}

/* Write the page of pd and h to o->output, all or nothing. 0, or 1 (printed). */
static int
write_page(const struct options *o, const struct history *h, const struct page_data *pd)
{
	struct calib_cli_out out = {0};
	struct calib_html_page page = {
	        .title = o->title,
	        .store = pd->store,
	        .report = pd->rep,
	        .disputes = pd->d,
	        .agenda = pd->agenda,
	        .raters = pd->ra,
	        .rstore = pd->rstore ? pd->rstore : pd->store,
	        .reference = pd->reference,
	        .calibration = o->key || o->expert,
	        .min = o->min,
	        .inputs = pd->inputs,
	        .n_inputs = pd->n_inputs,
	        .version = CALIB_VERSION,
	        .command = pd->command,
	        .seed = o->ro.seed,
	        .plots = pd->plots.plot,
	        .n_plots = CALIB_PAGEPLOTS_MAIN,
	        .drift = h->drift,
	        .alerts = h->alerts,
	        .n_alerts = h->n_alerts,
	        .max_drop = h->max_drop,
	        .drift_plot = h->drift ? &pd->plots.plot[CALIB_PAGEPLOT_DRIFT] : NULL};

	if (calib_cli_out_open(&o->cli, &out, o->output))
		return 1;
	if (calib_html_report(out.fp, &page)) {
		calib_cli_out_abort(&out);
		return calib_cli_fail(&o->cli, NULL);
	}
	return calib_cli_out_commit(&o->cli, &out);
}

int
main(int argc, char **argv)
{
	struct options o;
	struct history h = {.max_drop = NAN};
	struct page_data pd = {0};
	struct calib_error err;
	char *const *files;
	size_t n;
	int status;

	gsl_set_error_handler_off();
	if ((status = parse_options(&o, &h, argc, argv)) >= 0)
		return status;
	files = argv + optind;
	n = (size_t)(argc - optind);
	calib_error_clear(&err);
	if ((status = load(&o, &h, files, n, &pd)) != 0)
		goto done;
	if (calib_report_run(pd.store, &o.ro, &pd.rep, &err) ||
	    calib_disputes_run(pd.store, &o.dopts, &pd.d, &err) ||
	    calib_raters_run(pd.rstore ? pd.rstore : pd.store, &o.rao, &pd.ra, &err)) {
		status = calib_cli_fail(&o.cli, &err);
		goto done;
	}
	if (!(pd.agenda = calib_disputes_cells(pd.d, pd.store)) ||
	    !(pd.command = calib_html_command_line("calib-report", argc, argv))) {
		status = calib_cli_fail(&o.cli, NULL);
		goto done;
	}
	if ((status = appendix(&o, files, n, &pd)) != 0)
		goto done;
	draw(&o, &h, files, n, &pd);
	status = write_page(&o, &h, &pd);
done:
	calib_pageplots_free(&pd.plots);
	free(pd.command);
	free(pd.inputs);
	calib_table_free(pd.agenda);
	calib_disputes_free(pd.d);
	calib_raters_free(pd.ra);
	calib_report_free(pd.rep);
	calib_store_free(pd.rstore);
	calib_store_free(pd.store);
	free(h.alerts);
	calib_drift_free(h.drift);
	calib_store_free(h.rall);
	calib_store_free(h.all);
	{
		int cs = calib_cli_close_stdout(&o.cli);
		return status ? status : cs;
	}
}
