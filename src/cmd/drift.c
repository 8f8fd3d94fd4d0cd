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

#include "calib/dates.h"
#include "calib/drift.h"
#include "calib/plot.h"
#include "calib/plots.h"
#include "calib/totals.h"
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

static const char *
flag_text(int flag)
{
	return flag > 0 ? "up" : flag < 0 ? "down" : "";
}

/* A row's change, change_lower, change_upper, flag and note from column col on. */
static int
change_cells(struct calib_table *t, size_t col, const struct calib_drift_point *p)
{
	return calib_table_num(t, col, p->change) ||
	       calib_table_num(t, col + 1, p->change_lower) ||
	       calib_table_num(t, col + 2, p->change_upper) ||
	       calib_table_text(t, col + 3, "%s", flag_text(p->flag)) ||
	       calib_table_text(t, col + 4, "%s", p->note);
}

/* The series: one row per (session, criterion), sessions in order. */
static struct calib_table *
series_table(const struct calib_drift *d)
{
	static const char *const cols[] = {
	        "session",      "criterion", "statistic", "estimate", "ci_lower",
	        "ci_upper",     "n_calls",   "n_raters",  "change",   "change_lower",
	        "change_upper", "flag",      "note"};
	static const int digits[] = {0, 0, 0, 3, 3, 3, -1, -1, 3, 3, 3, 0, 0};
	struct calib_table *t = calib_table_alloc(cols, 13, digits);

	if (!t)
		return NULL;
	for (size_t i = 0; i < d->n_sessions; i++)
		for (size_t c = 0; c < d->n_criteria; c++) {
			const struct calib_drift_point *p = calib_drift_at(d, c, i);
			if (calib_table_row(t) || calib_table_text(t, 0, "%s", d->session[i]) ||
			    calib_table_text(t, 1, "%s", d->trend[c].criterion) ||
			    calib_table_text(t, 2, "%s", d->trend[c].stat) ||
			    calib_table_num(t, 3, p->estimate) ||
			    calib_table_num(t, 4, p->lower) ||
			    calib_table_num(t, 5, p->upper) ||
			    calib_table_num(t, 6, (double)p->n_calls) ||
			    calib_table_num(t, 7, (double)p->n_raters) || change_cells(t, 8, p))
				goto fail;
		}
	return t;
fail:
	calib_table_free(t);
	return NULL;
}

/* --by rater: one row per (session, rater), sessions in order. */
static struct calib_table *
rater_table(const struct calib_drift *d)
{
	static const char *const cols[] = {"session",    "rater",        "calibration_score",
	                                   "ci_lower",   "ci_upper",     "n_items",
	                                   "n_match",    "pass",         "bias",
	                                   "bias_lower", "bias_upper",   "n_calls",
	                                   "change",     "change_lower", "change_upper",
	                                   "flag",       "note"};
	static const int digits[] = {0, 0, 3, 3, 3, -1, -1, 0, 2, 2, 2, -1, 3, 3, 3, 0, 0};
	struct calib_table *t = calib_table_alloc(cols, 17, digits);

	if (!t)
		return NULL;
	for (size_t i = 0; i < d->n_sessions; i++)
		for (size_t c = 0; c < d->n_criteria; c++) {
			const struct calib_drift_point *p = calib_drift_at(d, c, i);
			const struct calib_drift_rater *x = &d->rater[c * d->n_sessions + i];
			if (calib_table_row(t) || calib_table_text(t, 0, "%s", d->session[i]) ||
			    calib_table_text(t, 1, "%s", d->trend[c].criterion) ||
			    calib_table_num(t, 2, p->estimate) ||
			    calib_table_num(t, 3, p->lower) ||
			    calib_table_num(t, 4, p->upper) ||
			    calib_table_num(t, 5, (double)x->n_items) ||
			    calib_table_num(t, 6, (double)x->n_match) ||
			    (x->pass < 0 ? calib_table_num(t, 7, NAN)
			                 : calib_table_text(t, 7, "%s",
			                                    x->pass ? "pass" : "fail")) ||
			    calib_table_num(t, 8, x->bias) ||
			    calib_table_num(t, 9, x->bias_lower) ||
			    calib_table_num(t, 10, x->bias_upper) ||
			    calib_table_num(t, 11, (double)x->n_calls) ||
			    change_cells(t, 12, p))
				goto fail;
		}
	return t;
fail:
	calib_table_free(t);
	return NULL;
}

/* What the --by rater table says it assumed (aligned table only). */
static int
rater_footer(struct calib_table *t, const struct calib_drift *d, const struct args *g,
             const char *how, const char *key)
{
	const struct calib_raters_opts *o = &g->ro;
	enum calib_status st = CALIB_OK;

	st |= calib_table_footer(t, "sessions: %zu, ordered %s", d->n_sessions, how);
	st |= calib_table_footer(t, "reference: the answer key (%s)", key);
	st |= calib_table_footer(
	        t,
	        "calibration_score: share of the rater's items (call x criterion, scored or "
	        "N/A) with a key score that match it, as calib-raters --key; %g%% Wilson "
	        "interval, the items taken as independent",
	        100 * o->conf);
	if (o->tol_percent)
		st |= calib_table_footer(t,
		                         "match: the same category on binary and nominal "
		                         "criteria, within %g%% of the range on the others",
		                         o->tolerance);
	else
		st |= calib_table_footer(t,
		                         "match: the same category on binary and nominal "
		                         "criteria, within %g points on the others",
		                         o->tolerance);
	if (!isnan(o->pass))
		st |= calib_table_footer(t, "pass: calibration_score >= %g", o->pass);
	st |= calib_table_footer(
	        t,
	        "bias: the rater's TOTAL minus the key's (0-100 points), %g%% t "
	        "interval; change: from the rater's previous session, normal "
	        "interval from both sessions' SE",
	        100 * o->conf);
	return st != CALIB_OK;
}

/* The note of a trend row: its latest session's, and how the slope was fitted. */
static int
trend_note(struct calib_table *t, const struct calib_drift_trend *r,
           const struct calib_drift_point *p)
{
	const char *note = p ? p->note : "never scored";
	const char *how = isnan(r->slope) ? ""
	                  : r->weighted   ? "slope weighted by each session's 1/SE^2"
	                                  : "slope descriptive: unweighted, a session has no SE";
	return calib_table_text(t, 11, "%s%s%s", note, note[0] && how[0] ? "; " : "", how) !=
	       CALIB_OK;
}

/* One row per criterion: its latest session, the change there, the slope. */
static struct calib_table *
trend_table(const struct calib_drift *d)
{
	static const char *const cols[] = {
	        "criterion",    "statistic", "session", "estimate", "change",  "change_lower",
	        "change_upper", "flag",      "slope",  "slope_se", "n_slope", "note"};
	static const int digits[] = {0, 0, 0, 3, 3, 3, 3, 0, 4, 4, -1, 0};
	struct calib_table *t = calib_table_alloc(cols, 12, digits);

	if (!t)
		return NULL;
	for (size_t c = 0; c < d->n_criteria; c++) {
		const struct calib_drift_trend *r = &d->trend[c];
		const struct calib_drift_point *p =
		        r->latest == SIZE_MAX ? NULL : calib_drift_at(d, c, r->latest);
		if (calib_table_row(t) || calib_table_text(t, 0, "%s", r->criterion) ||
		    calib_table_text(t, 1, "%s", r->stat) ||
		    calib_table_text(t, 2, "%s", p ? d->session[r->latest] : "") ||
		    calib_table_num(t, 3, p ? p->estimate : NAN) ||
		    calib_table_num(t, 4, p ? p->change : NAN) ||
		    calib_table_num(t, 5, p ? p->change_lower : NAN) ||
		    calib_table_num(t, 6, p ? p->change_upper : NAN) ||
		    calib_table_text(t, 7, "%s", p ? flag_text(p->flag) : "") ||
		    calib_table_num(t, 8, r->slope) || calib_table_num(t, 9, r->slope_se) ||
		    calib_table_num(t, 10, (double)r->n_points) ||
		    trend_note(t, r, p))
			goto fail;
	}
	return t;
fail:
	calib_table_free(t);
	return NULL;
}

/* What every table of the series says it assumed (aligned table only). */
static int
footer(struct calib_table *t, const struct calib_drift *d, const struct calib_drift_opts *o,
       const char *how)
{
	if (calib_table_footer(t, "sessions: %zu, ordered %s", d->n_sessions, how))
		return 1;
	if (o->boot)
		return calib_table_footer(t,
		                          "change: difference from the previous session, "
		                          "percentile bootstrap CI over calls, %zu replicates, "
		                          "seed %lu; slope per session over the last %zu",
		                          o->boot, o->seed, o->window) != CALIB_OK;
	return calib_table_footer(t,
	                          "change: no bootstrap (--boot 0); slope per session over "
	                          "the last %zu",
	                          o->window) != CALIB_OK;
}

/* --date-format, for the dates --compare names */
static const char *compare_date_format;

/*
 * Index (in order) of session label, or SIZE_MAX. A date in another
 * spelling names the session of its canonical name.
 */
static size_t
find_session(const struct calib_drift *d, const char *label, size_t len)
{
	char text[128], name[CALIB_DATE_NAME];
	const char *p = text;
	struct calib_date date;
	size_t bad;

	for (size_t i = 0; i < d->n_sessions; i++)
		if (strlen(d->session[i]) == len && memcmp(d->session[i], label, len) == 0)
			return i;
	if (len >= sizeof text)
		return SIZE_MAX;
	memcpy(text, label, len);
	text[len] = '\0';
	if (calib_dates_read(&p, 1, compare_date_format, &date, &bad, NULL) || bad != SIZE_MAX)
		return SIZE_MAX;
	calib_dates_name(&date, name, sizeof name);
	for (size_t i = 0; i < d->n_sessions; i++)
		if (strcmp(d->session[i], name) == 0)
			return i;
	return SIZE_MAX;
}

/*
 * Parse one side of --compare into store session ids: labels and
 * FIRST..LAST ranges separated by commas. 0, or 2 with the message printed.
 */
static int
parse_group(const struct calib_cli *cli, const struct calib_drift *d, const char *s, size_t len,
            uint32_t *ids, size_t *n)
{
	const char *end = s + len;

	*n = 0;
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *stop = comma ? comma : end;
		const char *dots = NULL;
		size_t a, b;
		for (const char *q = s; q + 1 < stop; q++)
			if (q[0] == '.' && q[1] == '.') {
				dots = q;
				break;
			}
		a = find_session(d, s, (size_t)((dots ? dots : stop) - s));
		b = dots ? find_session(d, dots + 2, (size_t)(stop - dots - 2)) : a;
		if (a == SIZE_MAX || b == SIZE_MAX) {
			const char *bad = a == SIZE_MAX ? s : dots + 2;
			size_t blen = a == SIZE_MAX ? (size_t)((dots ? dots : stop) - s)
			                            : (size_t)(stop - dots - 2);
			calib_cli_errorf(cli, "--compare: no session '%.*s'", (int)blen, bad);
			return 2;
		}
		if (a > b) {
			calib_cli_errorf(cli,
			                 "--compare: '%.*s' runs backwards in session order",
			                 (int)(stop - s), s);
			return 2;
		}
		for (size_t i = a; i <= b; i++)
			ids[(*n)++] = d->order[i];
		s = comma ? comma + 1 : end;
	}
	if (*n == 0) {
		calib_cli_errorf(cli, "--compare: empty group");
		return 2;
	}
	return 0;
}

/* The comparison of two groups, one row per criterion. */
static int
compare(const struct calib_cli *cli, const struct calib_store *s, const struct calib_drift *d,
        const struct calib_drift_opts *o, const char *spec, struct calib_table **out)
{
	static const char *const cols[] = {"criterion",  "statistic",  "group_a",    "group_b",
	                                   "estimate_a", "estimate_b", "change",     "change_lower",
	                                   "change_upper",   "n_calls_a",  "n_calls_b",  "n_shared",
	                                   "flag",       "note"};
	static const int digits[] = {0, 0, 0, 0, 3, 3, 3, 3, 3, -1, -1, -1, 0, 0};
	const char *colon = strchr(spec, ':');
	uint32_t *a, *b;
	size_t na, nb, cap = 0;
	struct calib_table *t = NULL;
	struct calib_error err;
	int status = 1;

	*out = NULL;
	if (!colon || strchr(colon + 1, ':')) {
		calib_cli_errorf(cli, "--compare: expected GROUP:GROUP, not '%s'", spec);
		return 2;
	}
	/* a group lists at most every session once per comma */
	for (const char *q = spec; *q; q++)
		cap += *q == ',';
	cap = (cap + 2) * (d->n_sessions + 1);
	a = malloc(cap * sizeof *a);
	b = malloc(cap * sizeof *b);
	if (!a || !b) {
		calib_cli_fail(cli, NULL);
		goto out;
	}
	if ((status = parse_group(cli, d, spec, (size_t)(colon - spec), a, &na)) ||
	    (status = parse_group(cli, d, colon + 1, strlen(colon + 1), b, &nb)))
		goto out;
	status = 1;
	if (!(t = calib_table_alloc(cols, 14, digits)))
		goto nomem;
	/* the criteria, then the TOTAL as in the series */
	for (size_t c = 0; c < s->n_criteria + (o->total && calib_report_total_applies(s)); c++) {
		struct calib_drift_diff r;
		uint32_t crit = c < s->n_criteria ? (uint32_t)c : CALIB_NONE;
		calib_error_clear(&err);
		if (calib_drift_diff(s, crit, a, na, b, nb, o, &r, &err)) {
			calib_cli_fail(cli, &err);
			goto out;
		}
		if (calib_table_row(t) ||
		    calib_table_text(t, 0, "%s", crit == CALIB_NONE ? "TOTAL" : s->criteria[c].name) ||
		    calib_table_text(t, 1, "%s", r.stat) ||
		    calib_table_text(t, 2, "%.*s", (int)(colon - spec), spec) ||
		    calib_table_text(t, 3, "%s", colon + 1) || calib_table_num(t, 4, r.a) ||
		    calib_table_num(t, 5, r.b) || calib_table_num(t, 6, r.diff) ||
		    calib_table_num(t, 7, r.lower) || calib_table_num(t, 8, r.upper) ||
		    calib_table_num(t, 9, (double)r.n_calls_a) ||
		    calib_table_num(t, 10, (double)r.n_calls_b) ||
		    calib_table_num(t, 11, (double)r.n_shared) ||
		    calib_table_text(t, 12, "%s",
		                     flag_text(r.lower > 0   ? 1
		                               : r.upper < 0 ? -1
		                                             : 0)) ||
		    calib_table_text(t, 13, "%s", r.note))
			goto nomem;
	}
	if (o->boot && calib_table_footer(t,
	                                  "change: b - a, percentile bootstrap CI over "
	                                  "calls, %zu replicates, seed %lu",
	                                  o->boot, o->seed))
		goto nomem;
	*out = t;
	t = NULL;
	status = 0;
	goto out;
nomem:
	calib_cli_fail(cli, NULL);
out:
	calib_table_free(t);
	free(a);
	free(b);
	return status;
}

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
			if (!calib_plot_terminal_parse(optarg, &g->term))
				return calib_cli_usage_error(
				        cli,
				        "option --terminal: '%s' is not png, svg, pdf or dumb",
				        optarg);
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
	if (!g->have_term) {
		if (g->chart && strcmp(g->chart, "-") != 0 &&
		    !calib_plot_terminal_from_path(g->chart, &g->term))
			return calib_cli_usage_error(cli,
			                             "--chart %s: say --terminal png, svg, pdf "
			                             "or dumb",
			                             g->chart);
	}
	if (g->chart && !g->script && calib_plot_terminal_binary(g->term) &&
	    calib_cli_is_terminal(g->chart))
		return calib_cli_usage_error(cli,
		                             "--chart: a %s chart is binary: not written to a "
		                             "terminal (name a file, or redirect standard output)",
		                             calib_plot_terminal_name(g->term));
	return 0;
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
	struct calib_drift_alert *al = NULL;
	struct calib_error err;
	bool table_to_stdout;
	const char *how;
	int status = 0, lock = -1, r;
	uint32_t key_rater = CALIB_NONE;
	char key_text[200] = "";
	char chart_name[256] = "";

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
	table_to_stdout = !g.script && !(g.chart && strcmp(g.chart, "-") == 0);
	if (calib_cli_load_sessions(&cli, g.from, g.order, g.date_format, argv + optind,
	                            (size_t)(argc - optind), g.key, &key_rater, &how, &store))
		return 1;
	if (g.key) {
		/* the consensus of the sessions as arranged (merged dates are one session) */
		size_t ties = 0;
		char *tmp = NULL;
		if (strcmp(g.key, "consensus") == 0) {
			char name[32];
			calib_cli_key_name(store, name, sizeof name);
			if (calib_raters_consensus_key(store, name, &key_rater, &ties, &err)) {
				calib_cli_fail(&cli, NULL);
				calib_store_free(store);
				return 1;
			}
			snprintf(key_text, sizeof key_text,
			         "the raters' consensus: modal or median answer, %zu tie%s "
			         "went to "
			         "the lower score",
			         ties, ties == 1 ? "" : "s");
		} else {
			const char *shown = calib_escaped(g.key, &tmp);
			snprintf(key_text, sizeof key_text, "%s", shown ? shown : "?");
			free(tmp);
		}
		g.ro.expert = key_rater;
		g.ro.key = key_text;
		g.ro.conf = o.coef.conf;
		if (isnan(g.threshold))
			g.threshold = g.ro.pass;
	}
	o.store_order = true;
	compare_date_format = g.date_format;
	/* the chart's title names the input: the one file, or "N files" */
	if (argc - optind > 1)
		snprintf(chart_name, sizeof chart_name, "%d files", argc - optind);
	else if (argc - optind == 1 && strcmp(argv[optind], "-") != 0)
		snprintf(chart_name, sizeof chart_name, "%s",
		         strrchr(argv[optind], '/') ? strrchr(argv[optind], '/') + 1
		                                    : argv[optind]);
	calib_error_clear(&err);
	if (g.compare) {
		/* the order of the sessions only: no series, no bootstrap of changes */
		if (!(d = calloc(1, sizeof *d)) ||
		    calib_drift_order(store, &d->order, &d->dated) ||
		    !(d->session = malloc((calib_names_count(store->sessions) + 1) *
		                          sizeof *d->session))) {
			calib_cli_fail(&cli, NULL);
			status = 1;
			goto out;
		}
		d->n_sessions = calib_names_count(store->sessions);
		for (size_t i = 0; i < d->n_sessions; i++) {
			d->order[i] = (uint32_t)i; /* as arrange() left them */
			d->session[i] = calib_names_get(store->sessions, d->order[i]);
		}
		if ((status = compare(&cli, store, d, &o, g.compare, &t)))
			goto out;
	} else {
		/* each rater against the key, or agreement per criterion */
		if (g.by_rater ? calib_drift_raters(store, &g.ro, o.window, &d, &err)
		               : calib_drift_run(store, &o, &d, &err)) {
			status = calib_cli_fail(&cli, &err);
			goto out;
		}
		t = g.by_rater ? rater_table(d) : g.trend ? trend_table(d) : series_table(d);
		if (!t || (g.by_rater ? rater_footer(t, d, &g, how, key_text)
		                      : footer(t, d, &o, how))) {
			calib_cli_fail(&cli, NULL);
			status = 1;
			goto out;
		}
		struct calib_plots_drift_opts co = {
		        .name = chart_name, .term = g.term, .have_size = g.have_size,
		        .w = g.w, .h = g.h, .min = g.min, .max_drop = g.max_drop,
		        .on_estimate = g.on_estimate, .threshold = g.threshold,
		        .by_rater = g.by_rater};
		if ((g.chart || g.script) && !(p = calib_plots_drift(d, &co))) {
			calib_cli_fail(&cli, NULL);
			status = 1;
			goto out;
		}
	}
	/* files: one run at a time writes beside them */
	{
		const char *paths[2] = {g.output, g.script ? NULL : g.chart};
		if ((lock = lock_beside(&cli, paths, 2)) == -1) {
			status = 1;
			goto out;
		}
	}
	if (p && g.script) {
		if (calib_plot_write_script(
		            p, stdout, g.chart && strcmp(g.chart, "-") != 0 ? g.chart : NULL,
		            &err)) {
			calib_cli_error(&cli, &err);
			status = 1;
			goto out;
		}
	} else if (p) {
		if (calib_plot_run(p, g.chart, &err)) {
			calib_cli_error(&cli, &err);
			status = 1;
			goto out;
		}
	}
	{
		bool footer = (g.output || table_to_stdout) && g.fmt == CALIB_FORMAT_TABLE && !g.compare;
		if (calib_cli_left_out(&cli, store, footer ? t : NULL)) {
			calib_cli_fail(&cli, NULL);
			status = 1;
			goto out;
		}
	}
	if (g.output || table_to_stdout) {
		if (calib_cli_write_table(&cli, g.output, t, g.fmt,
		                          g.fmt == CALIB_FORMAT_TABLE && !g.compare)) {
			status = 1;
			goto out;
		}
	}
	if (!g.compare && d->n_sessions && (!isnan(g.min) || !isnan(g.max_drop))) {
		size_t last = d->n_sessions - 1;
		size_t n = calib_drift_alerts(d, last, g.min, g.max_drop, g.on_estimate, NULL, 0);
		if (n && !(al = malloc(n * sizeof *al))) {
			calib_cli_fail(&cli, NULL);
			status = 1;
			goto out;
		}
		calib_drift_alerts(d, last, g.min, g.max_drop, g.on_estimate, al, n);
		for (size_t k = 0; k < n; k++) {
			const struct calib_drift_trend *tr = &d->trend[al[k].criterion];
			/* names from the input, escaped as messages escape them */
			char *t1, *t2;
			const char *crit = calib_escaped(tr->criterion, &t1);
			const char *ses = calib_escaped(d->session[last], &t2);
			crit = crit ? crit : "?";
			ses = ses ? ses : "?";
			char ci[80];
			calib_cli_interval_text(ci, sizeof ci, al[k].lower, al[k].upper,
			                        o.coef.conf, g.on_estimate);
			if (al[k].drop)
				fprintf(stderr,
				        "calib-drift: %s: %s %.3f on %s is %.3f %s below the mean "
				        "%.3f of the %zu session%s before\n",
				        crit, tr->stat, al[k].estimate, ses,
				        al[k].mean - al[k].estimate, ci, al[k].mean, al[k].n_mean,
				        al[k].n_mean == 1 ? "" : "s");
			else
				fprintf(stderr, "calib-drift: %s: %s %.3f %s on %s is below %g\n",
				        crit, tr->stat, al[k].estimate, ci, ses, g.min);
			free(t1);
			free(t2);
		}
		if (n)
			status = 3;
	}
out:
	if (lock >= 0)
		close(lock);
	free(al);
	calib_plot_free(p);
	calib_table_free(t);
	calib_drift_free(d);
	calib_store_free(store);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status == 1 ? 1 : cs ? cs : status;
	}
}
