/*
 * drift.c - calib-drift: agreement per session over time. Reads sheets
 * with a session column (or one file per session), prints the series of
 * one coefficient per (session, criterion) with the change from the
 * previous session and its bootstrap CI, or the trend per criterion, or a
 * comparison of two (groups of) sessions; draws the drift chart with
 * gnuplot; exits 3 on --min / --max-drop alerts, for cron. Files it writes
 * are written all or nothing, under an flock(2) on a lock file beside them.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "calib/drift.h"
#include "calib/drift_table.h"
#include "calib/plot.h"
#include "calib/plots.h"
#include "calib/table.h"
#include "common.h"

static const char usage[] =
        "usage: calib-drift [-d C] [-r RUBRIC] [-f FORMAT] [-o FILE] [--session-from "
        "name|column]\n"
        "                   [--order given|date|name] [--date-format FMT] [--stat NAME]\n"
        "                   [--trend | --compare A:B] [--by rater --key FILE|consensus]\n"
        "                   [--pass X] [--min X] [--max-drop D]\n"
        "                   [--chart FILE] [--terminal T] [--script] [--no-total]\n"
        "                   [OPTION...] [FILE...]\n";

static const char help[] =
        "Agreement per session over time: one coefficient per session and criterion\n"
        "(the criterion's scale decides, or --stat) with its CI, the change from the\n"
        "previous session with a bootstrap CI, the slope over the last K sessions,\n"
        "comparisons of two sessions or groups of sessions, a drift chart, and alerts\n"
        "for cron jobs (exit 3, one line per alert on standard error). With --by rater,\n"
        "each manager's calibration score against an answer key per session instead.\n"
        "\n"
        "Options:\n" CALIB_CLI_READ_HELP
        "      --session-from S    column: the session column (default; file names when\n"
        "                          no input has one); name: each file is a session,\n"
        "                          named by its base name without extension\n"
        "      --order O           date (default when every session is a date), given\n"
        "                          (first appearance; default otherwise) or name\n"
        "      --date-format FMT   read session dates with FMT (%Y %m %d %b %G %V),\n"
        "                          e.g. %d/%m/%Y; ISO dates and weeks are still read\n"
        "  -f, --format F          table, csv, tsv or json (default: table on a terminal,\n"
        "                          csv otherwise; page a table with -f table | less -S)\n"
        "  -o, --output FILE       write the table to FILE (all or nothing)\n"
        "      --wide              a table's rows on one line each, however wide (else a\n"
        "                          table fits $COLUMNS or the terminal)\n"
        "      --na-token TOKEN    not-available values in CSV and TSV (default NA)\n"
        "      --stat NAME         the coefficient for every criterion (default: the\n"
        "                          headline of its scale, gwet_ac1, gwet_ac2_ordinal, icc2;\n"
        "                          the TOTAL keeps icc2 unless NAME is an ICC or an alpha)\n"
        "      --no-total          leave out the TOTAL score per call (a row after the\n"
        "                          criteria, as in calib-agree)\n"
        "      --trend             one row per criterion: latest change, slope over K\n"
        "      --compare A:B       compare two sessions or groups; a group is a label,\n"
        "                          FIRST..LAST (in session order), or a comma list\n"
        "      --by B              criterion (default) or rater: one row per (session,\n"
        "                          rater) with the calibration score against --key and\n"
        "                          the TOTAL bias; --min and --max-drop alert on raters\n"
        "      --key FILE          --by rater: the answer key (any input form; without a\n"
        "                          session column it holds for every session), or\n"
        "                          consensus: the raters' modal or median answer\n"
        "      --pass X            --by rater: the pass mark (0 to 1): a pass column and\n"
        "                          the chart's threshold line\n"
        "      --tolerance X[%]    --by rater: a match on ordinal and interval criteria\n"
        "                          (default 10% of the range), as calib-raters\n"
        "  -k, --window K          sessions in the slope and the --max-drop mean (default 4)\n"
        "      --min X             alert when the latest session is below X\n"
        "      --max-drop D        alert when the latest session is below the mean of\n"
        "                          the K sessions before by more than D\n"
        "      --alert-on W        interval (default): --min fires when the whole CI is\n"
        "                          below X, --max-drop when the drop's CI excludes 0;\n"
        "                          estimate: the estimates alone decide\n"
        "      --boot N            bootstrap replicates for changes (default 1000; 0: none)\n"
        "  -s, --seed S            bootstrap seed (default 1)\n"
        "      --conf LEVEL        confidence level of the intervals (default 0.95)\n"
        "      --complete          use only calls scored by every rater of the session\n"
        "      --na-policy P       auto (default), category or drop: what N/A scores are\n"
        "      --icc-convention C  psych (default) or irr\n"
        "      --chart FILE        draw the drift chart to FILE (- : standard output)\n"
        "      --terminal T        png, svg, pdf or dumb (default: from FILE's extension;\n"
        "                          dumb on standard output)\n"
        "      --size WxH          chart size (pixels; characters for dumb)\n"
        "      --threshold X       the threshold line of the chart (default: --min)\n"
        "      --script            print the gnuplot script instead of drawing\n"
        "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and exit\n";

enum {
	OPT_SESSION_FROM = CALIB_OPT_FIRST_PROGRAM,
	OPT_STAT,
	OPT_TREND,
	OPT_COMPARE,
	OPT_MIN,
	OPT_MAX_DROP,
	OPT_BOOT,
	OPT_CONF,
	OPT_COMPLETE,
	OPT_NA_POLICY,
	OPT_ICC,
	OPT_CHART,
	OPT_TERMINAL,
	OPT_SIZE,
	OPT_THRESHOLD,
	OPT_SCRIPT,
	OPT_ORDER,
	OPT_DATE_FORMAT,
	OPT_ALERT_ON,
	OPT_NO_TOTAL,
	OPT_BY,
	OPT_KEY,
	OPT_PASS,
	OPT_TOLERANCE
};

static const struct option longopts[] = {
        CALIB_CLI_READ_LONGOPTS,
        {"session-from", required_argument, NULL, OPT_SESSION_FROM},
        {"order", required_argument, NULL, OPT_ORDER},
        {"date-format", required_argument, NULL, OPT_DATE_FORMAT},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"wide", no_argument, NULL, CALIB_OPT_WIDE},
        {"na-token", required_argument, NULL, CALIB_OPT_NA_TOKEN},
        {"stat", required_argument, NULL, OPT_STAT},
        {"trend", no_argument, NULL, OPT_TREND},
        {"compare", required_argument, NULL, OPT_COMPARE},
        {"window", required_argument, NULL, 'k'},
        {"min", required_argument, NULL, OPT_MIN},
        {"max-drop", required_argument, NULL, OPT_MAX_DROP},
        {"alert-on", required_argument, NULL, OPT_ALERT_ON},
        {"by", required_argument, NULL, OPT_BY},
        {"key", required_argument, NULL, OPT_KEY},
        {"pass", required_argument, NULL, OPT_PASS},
        {"tolerance", required_argument, NULL, OPT_TOLERANCE},
        {"boot", required_argument, NULL, OPT_BOOT},
        {"seed", required_argument, NULL, 's'},
        {"conf", required_argument, NULL, OPT_CONF},
        {"complete", no_argument, NULL, OPT_COMPLETE},
        {"na-policy", required_argument, NULL, OPT_NA_POLICY},
        {"icc-convention", required_argument, NULL, OPT_ICC},
        {"chart", required_argument, NULL, OPT_CHART},
        {"terminal", required_argument, NULL, OPT_TERMINAL},
        {"size", required_argument, NULL, OPT_SIZE},
        {"threshold", required_argument, NULL, OPT_THRESHOLD},
        {"script", no_argument, NULL, OPT_SCRIPT},
        {"no-total", no_argument, NULL, OPT_NO_TOTAL},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};

/* Everything main() decided from the command line. */
struct args {
	enum calib_session_from from;
	enum calib_session_order order;
	const char *date_format; /* checked, or NULL */
	enum calib_format fmt;
	const char *output, *compare, *chart;
	bool trend, script, have_term, have_size, on_estimate;
	enum calib_plot_terminal term;
	unsigned w, h;
	double min, max_drop, threshold;
	bool by_rater;               /* --by rater */
	const char *key;             /* --key FILE or "consensus" */
	struct calib_raters_opts ro; /* --by rater: --pass, --tolerance, --conf */
};

/*
 * Take an exclusive flock(2) on ".calib-drift.lock" in the folder of the
 * first of paths[0..n) that is a regular file (or none yet), symbolic
 * links followed (the folder its temporary file goes to), waiting for
 * another run to finish writing there. A device, FIFO or standard output
 * gets no lock file beside it. Returns the descriptor (kept open until
 * exit), -2 when no path needs a lock, or -1 with the message printed.
 */
static int
lock_beside(const struct calib_cli *cli, const char *const *paths, size_t n)
{
	struct calib_error err;
	enum calib_outfile_kind kind = CALIB_OUTFILE_STDOUT;
	char *target = NULL, *name;
	const char *slash;
	size_t dir;
	int fd;

	for (size_t i = 0; i < n && kind != CALIB_OUTFILE_ATOMIC; i++)
		if (calib_outfile_resolve(paths[i], &kind, &target, &err)) {
			calib_cli_error(cli, &err);
			return -1;
		}
	if (kind != CALIB_OUTFILE_ATOMIC)
		return -2;
	slash = strrchr(target, '/');
	dir = slash ? (size_t)(slash - target) + 1 : 0;
	if (!(name = malloc(dir + sizeof ".calib-drift.lock"))) {
		free(target);
		calib_cli_fail(cli, NULL);
		return -1;
	}
	memcpy(name, target, dir);
	memcpy(name + dir, ".calib-drift.lock", sizeof ".calib-drift.lock");
	free(target);
	fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0 || flock(fd, LOCK_EX) != 0) {
		calib_cli_errorf(cli, "%s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(name);
	return fd;
}

/* Progress on a terminal's standard error: criteria done of all. */
static void
progress(void *ctx, size_t done, size_t total)
{
	fprintf(stderr, "\r%s: %zu/%zu criteria", (const char *)ctx, done, total);
	if (done == total)
		fputs("\r\033[K", stderr);
}

static int
parse_args(struct calib_cli *cli, struct calib_drift_opts *o, struct args *g, int argc,
           char **argv)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:hk:o:s:V", longopts,
	                        NULL)) != -1) {
		switch (calib_cli_read_opt(cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		switch (c) {
		case OPT_SESSION_FROM:
			if (calib_cli_session_from(cli, optarg, &g->from))
				return 2;
			break;
		case OPT_ORDER:
			if (calib_cli_session_order(cli, optarg, &g->order))
				return 2;
			break;
		case OPT_DATE_FORMAT:
			if (calib_cli_date_format(cli, optarg))
				return 2;
			g->date_format = optarg;
			break;
		case 'f':
			if (calib_cli_format(cli, optarg, &g->fmt))
				return 2;
			break;
		case 'o':
			g->output = optarg;
			break;
		case OPT_STAT:
			if (strcmp(optarg, "all") == 0 || !calib_registry_known(optarg))
				return calib_cli_usage_error(
				        cli, "option --stat: unknown statistic '%s'", optarg);
			o->stat = optarg;
			break;
		case OPT_TREND:
			g->trend = true;
			break;
		case OPT_COMPARE:
			g->compare = optarg;
			break;
		case 'k':
			if (calib_cli_size(cli, "--window", optarg, 2, 1000, &o->window))
				return 2;
			break;
		case OPT_MIN:
			if (calib_cli_double(cli, "--min", optarg, -1, 1, &g->min))
				return 2;
			break;
		case OPT_MAX_DROP:
			if (calib_cli_double(cli, "--max-drop", optarg, 0, 2, &g->max_drop))
				return 2;
			break;
		case OPT_BY:
			if (strcmp(optarg, "rater") == 0)
				g->by_rater = true;
			else if (strcmp(optarg, "criterion") == 0)
				g->by_rater = false;
			else
				return calib_cli_usage_error(
				        cli, "option --by: '%s' is not criterion or rater",
				        optarg);
			break;
		case OPT_KEY:
			if (!*optarg)
				return calib_cli_usage_error(cli,
				                             "option --key: empty file name");
			g->key = optarg;
			break;
		case OPT_PASS:
			if (calib_cli_double(cli, "--pass", optarg, 0, 1, &g->ro.pass))
				return 2;
			break;
		case OPT_TOLERANCE:
			if (calib_cli_tolerance(cli, optarg, &g->ro))
				return 2;
			break;
		case OPT_ALERT_ON:
			if (calib_cli_alert_on(cli, optarg, &g->on_estimate))
				return 2;
			break;
		case OPT_BOOT:
			if (calib_cli_size(cli, "--boot", optarg, 0, 10000000, &o->boot))
				return 2;
			if (o->boot > 0 && o->boot < 10)
				return calib_cli_usage_error(cli,
				                             "option --boot: %s is outside 10 "
				                             "to 10000000 (or 0)",
				                             optarg);
			break;
		case 's':
			if (calib_cli_seed(cli, optarg, &o->seed))
				return 2;
			break;
		case OPT_CONF:
			if (calib_cli_double(cli, "--conf", optarg, 0.5, 0.999999,
			                     &o->coef.conf))
				return 2;
			break;
		case OPT_COMPLETE:
			o->complete = true;
			break;
		case OPT_NA_POLICY:
			if (calib_cli_na_policy(cli, optarg, &o->na))
				return 2;
			break;
		case OPT_ICC:
			if (calib_cli_icc_convention(cli, optarg, &o->coef.icc))
				return 2;
			break;
		case OPT_CHART:
			g->chart = optarg;
			break;
		case OPT_TERMINAL:
			if (calib_cli_terminal(cli, optarg, &g->term))
				return 2;
			g->have_term = true;
			break;
		case OPT_SIZE:
			if (!calib_plot_size_parse(optarg, &g->w, &g->h))
				return calib_cli_usage_error(
				        cli, "option --size: '%s' is not WxH", optarg);
			g->have_size = true;
			break;
		case OPT_THRESHOLD:
			if (calib_cli_double(cli, "--threshold", optarg, -1, 1, &g->threshold))
				return 2;
			break;
		case OPT_SCRIPT:
			g->script = true;
			break;
		case OPT_NO_TOTAL:
			o->total = false;
			break;
		case 'h':
			printf("%s\n%s", usage, help);
			return calib_cli_close_stdout(cli) ? 1 : -1;
		case 'V':
			return calib_cli_version(cli) ? 1 : -1;
		default:
			return calib_cli_bad_option(cli, c, argv);
		}
	}
	if (g->trend && g->compare)
		return calib_cli_usage_error(cli, "options --trend and --compare exclude each other");
	if (g->by_rater != (g->key != NULL))
		return calib_cli_usage_error(cli, g->by_rater ? "--by rater: needs --key"
		                                              : "--key: only with --by rater");
	if (!g->by_rater && (!isnan(g->ro.pass) || g->ro.tolerance != 10 || !g->ro.tol_percent))
		return calib_cli_usage_error(cli, "--%s: only with --by rater",
		                             !isnan(g->ro.pass) ? "pass" : "tolerance");
	if (g->by_rater && (g->trend || g->compare || o->stat))
		return calib_cli_usage_error(cli, "--by rater: not with --%s",
		                             g->trend     ? "trend"
		                             : g->compare ? "compare"
		                                          : "stat");
	if (g->compare && (!isnan(g->min) || !isnan(g->max_drop) || g->chart || g->script))
		return calib_cli_usage_error(cli,
		                             "--compare takes no alerts and draws no chart");
	return calib_cli_chart_file(cli, g->chart, g->script, g->have_term, &g->term);
}

/*
 * --by rater --key: the answer key the raters are held against, into
 * g->ro (its description in key_text, n bytes, which must outlive g).
 * consensus: made from the sessions as arranged (merged dates are one
 * session). 0, or 1 with the message printed.
 */
static int
key_setup(const struct calib_cli *cli, struct calib_store *store,
          const struct calib_drift_opts *o, struct args *g, uint32_t key_rater, char *key_text,
          size_t n)
{
	struct calib_error err;
	size_t ties = 0;
	char *tmp = NULL;

	calib_error_clear(&err);
	if (strcmp(g->key, "consensus") == 0) {
		char name[32];
		calib_cli_key_name(store, name, sizeof name);
		if (calib_raters_consensus_key(store, name, &key_rater, &ties, &err))
			return calib_cli_fail(cli, &err);
		snprintf(key_text, n,
		         "the raters' consensus: modal or median answer, %zu tie%s went to the "
		         "lower score",
		         ties, ties == 1 ? "" : "s");
	} else {
		const char *shown = calib_escaped(g->key, &tmp);
		snprintf(key_text, n, "%s", shown ? shown : "?");
		free(tmp);
	}
	g->ro.expert = key_rater;
	g->ro.key = key_text;
	g->ro.conf = o->coef.conf;
	if (isnan(g->threshold))
		g->threshold = g->ro.pass;
	return 0;
}

/* The chart's title names the input: the one file's base name, or "N files". */
static void
chart_title(char *buf, size_t n, char *const *files, size_t n_files)
{
	if (n_files > 1)
		snprintf(buf, n, "%zu files", n_files);
	else if (n_files == 1 && strcmp(files[0], "-") != 0)
		snprintf(buf, n, "%s", strrchr(files[0], '/') ? strrchr(files[0], '/') + 1 : files[0]);
}

/*
 * What the run computes, as a table into *t: the comparison of --compare,
 * or the series (by criterion, by rater) or the trend into *d with their
 * footers, and the chart into *p when one is asked for. 0, or the exit
 * status with the message printed.
 */
static int
build(const struct calib_cli *cli, const struct calib_store *store,
      const struct calib_drift_opts *o, const struct args *g, const char *how,
      const char *title, struct calib_drift **d, struct calib_table **t, struct calib_plot **p)
{
	struct calib_error err;

	calib_error_clear(&err);
	if (g->compare) {
		struct calib_drift_comparison *c;
		enum calib_status st = calib_drift_groups(store, g->compare, g->date_format, &c, &err);
		if (st == CALIB_EARG) {
			calib_cli_errorf(cli, "--compare: %s", err.msg);
			return 2;
		}
		if (st || calib_drift_compare(store, o, c, &err)) {
			calib_drift_comparison_free(c);
			return calib_cli_fail(cli, &err);
		}
		*t = calib_drift_table_compare(c);
		calib_drift_comparison_free(c);
		return *t ? 0 : calib_cli_fail(cli, NULL);
	}
	/* each rater against the key, or agreement per criterion */
	if (g->by_rater ? calib_drift_raters(store, &g->ro, o->window, d, &err)
	                : calib_drift_run(store, o, d, &err))
		return calib_cli_fail(cli, &err);
	*t = g->by_rater ? calib_drift_table_raters(*d)
	     : g->trend  ? calib_drift_table_trend(*d)
	                 : calib_drift_table_series(*d);
	if (!*t || (g->by_rater ? calib_drift_table_rater_footer(*d, &g->ro, how, *t)
	                        : calib_drift_table_footer(*d, how, *t)))
		return calib_cli_fail(cli, NULL);
	struct calib_plots_drift_opts co = {
	        .name = title, .term = g->term, .have_size = g->have_size,
	        .w = g->w, .h = g->h, .min = g->min, .max_drop = g->max_drop,
	        .on_estimate = g->on_estimate, .threshold = g->threshold,
	        .by_rater = g->by_rater};
	if ((g->chart || g->script) && !(*p = calib_plots_drift(*d, &co)))
		return calib_cli_fail(cli, NULL);
	return 0;
}

/*
 * --min, --max-drop: the alerts at the latest session of d, one line each
 * on standard error, names escaped as messages escape them. 0 when none
 * fired, 3 when some did, 1 when out of memory (message printed).
 */
static int
alerts(const struct calib_cli *cli, const struct calib_drift *d, const struct args *g,
       double conf)
{
	struct calib_drift_alert *al;
	size_t last, n;

	if (!d->n_sessions || (isnan(g->min) && isnan(g->max_drop)))
		return 0;
	last = d->n_sessions - 1;
	n = calib_drift_alerts(d, last, g->min, g->max_drop, g->on_estimate, NULL, 0);
	if (!n)
		return 0;
	if (!(al = malloc(n * sizeof *al)))
		return calib_cli_fail(cli, NULL);
	calib_drift_alerts(d, last, g->min, g->max_drop, g->on_estimate, al, n);
	for (size_t k = 0; k < n; k++) {
		const struct calib_drift_trend *tr = &d->trend[al[k].criterion];
		char *t1, *t2, ci[80];
		const char *crit = calib_escaped(tr->criterion, &t1);
		const char *ses = calib_escaped(d->session[last], &t2);
		crit = crit ? crit : "?";
		ses = ses ? ses : "?";
		calib_cli_interval_text(ci, sizeof ci, al[k].lower, al[k].upper, conf,
		                        g->on_estimate);
		if (al[k].drop)
			fprintf(stderr,
			        "calib-drift: %s: %s %.3f on %s is %.3f %s below the mean "
			        "%.3f of the %zu session%s before\n",
			        crit, tr->stat, al[k].estimate, ses, al[k].mean - al[k].estimate,
			        ci, al[k].mean, al[k].n_mean, al[k].n_mean == 1 ? "" : "s");
		else
			fprintf(stderr, "calib-drift: %s: %s %.3f %s on %s is below %g\n", crit,
			        tr->stat, al[k].estimate, ci, ses, g->min);
		free(t1);
		free(t2);
	}
	free(al);
	return 3;
}

int
main(int argc, char **argv)
{
	struct calib_cli cli;
	struct calib_drift_opts o;
	struct args g = {.from = CALIB_SESSION_FROM_AUTO,
	                 .fmt = calib_cli_default_format(),
	                 .term = CALIB_PLOT_DUMB,
	                 .min = NAN,
	                 .max_drop = NAN,
	                 .threshold = NAN};
	struct calib_store *store = NULL;
	struct calib_drift *d = NULL;
	struct calib_table *t = NULL;
	struct calib_plot *p = NULL;
	struct calib_error err;
	bool to_stdout, footer;
	const char *how;
	int status, lock = -1, r;
	uint32_t key_rater = CALIB_NONE;
	char key_text[200] = "";
	char title[256] = "";

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-drift", usage);
	calib_drift_opts_init(&o);
	calib_raters_opts_init(&g.ro);
	if ((r = parse_args(&cli, &o, &g, argc, argv)))
		return r < 0 ? 0 : r;
	if (isatty(STDERR_FILENO)) {
		o.progress = progress;
		o.progress_ctx = (void *)cli.prog;
	}
	/* standard output holds one thing: the chart or script when they go there */
	to_stdout = !g.script && !(g.chart && strcmp(g.chart, "-") == 0);
	footer = (g.output || to_stdout) && g.fmt == CALIB_FORMAT_TABLE && !g.compare;
	if (calib_cli_load_sessions(&cli, g.from, g.order, g.date_format, argv + optind,
	                            (size_t)(argc - optind), g.key, &key_rater, &how, &store))
		return 1;
	if (g.key && key_setup(&cli, store, &o, &g, key_rater, key_text, sizeof key_text)) {
		calib_store_free(store);
		return 1;
	}
	o.store_order = true;
	chart_title(title, sizeof title, argv + optind, (size_t)(argc - optind));
	if ((status = build(&cli, store, &o, &g, how, title, &d, &t, &p)))
		goto out;
	/* files: one run at a time writes beside them */
	{
		const char *paths[2] = {g.output, g.script ? NULL : g.chart};
		if ((lock = lock_beside(&cli, paths, 2)) == -1) {
			status = 1;
			goto out;
		}
	}
	if (p && (g.script ? calib_plot_write_script(
	                             p, stdout,
	                             g.chart && strcmp(g.chart, "-") != 0 ? g.chart : NULL, &err)
	                   : calib_plot_run(p, g.chart, &err))) {
		calib_cli_error(&cli, &err);
		status = 1;
		goto out;
	}
	if (calib_cli_left_out(&cli, store, footer ? t : NULL)) {
		status = calib_cli_fail(&cli, NULL);
		goto out;
	}
	if ((g.output || to_stdout) &&
	    calib_cli_write_table(&cli, g.output, t, g.fmt,
	                          g.fmt == CALIB_FORMAT_TABLE && !g.compare)) {
		status = 1;
		goto out;
	}
	if (!g.compare)
		status = alerts(&cli, d, &g, o.coef.conf);
out:
	if (lock >= 0)
		close(lock);
	calib_plot_free(p);
	calib_table_free(t);
	calib_drift_free(d);
	calib_store_free(store);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status == 1 ? 1 : cs ? cs : status;
	}
}
