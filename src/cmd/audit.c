/*
 * audit.c - calib-audit: which evaluators score harshly or leniently in
 * routine evaluations, where each call is scored by one evaluator; each
 * evaluator's effect adjusted for the agents they evaluated, beside the
 * raw deviation of their mean.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/audit.h"
#include "calib/audit_views.h"
#include "calib/plot.h"
#include "calib/plots.h"
#include "calib/totals.h"
#include "calib/table.h"
#include "common.h"

static const char usage[] =
        "usage: calib-audit [-d C] [-r RUBRIC] [--agent-col NAME] [-f FORMAT]\n"
        "                   [--conf L] [--view VIEW] [--top N] [--chart FILE]\n"
        "                   [--terminal T] [--size WxH] [--script] [--criterion NAME]\n"
        "                   [OPTION...] [FILE...]\n";

static const char help[] =
        "Evaluator severity from routine evaluations, where each call is scored by one\n"
        "evaluator (the rater column) and belongs to one agent (the agent column: agent,\n"
        "employee, advisor or rep). Per criterion and on the TOTAL, the model score =\n"
        "agent + evaluator + error is fitted by alternating projections (Gaure 2013);\n"
        "each evaluator's adjusted effect (> 0 lenient, < 0 harsh) is shown beside the\n"
        "raw deviation of their mean score, with a cluster-robust (by agent) standard\n"
        "error, interval and p-value. Other views: each evaluator's use of the scale\n"
        "against the others' (--view scale), the criteria an evaluator scores apart\n"
        "from their own overall severity (--view criteria), and per agent how much\n"
        "their scores depend on who evaluated them (--view agents). --chart draws the\n"
        "severity: per evaluator the adjusted effect with its interval and the raw\n"
        "deviation, on the TOTAL or --criterion.\n";

enum {
	OPT_AGENT_COL = CALIB_OPT_FIRST_PROGRAM,
	OPT_CONF,
	OPT_TOP,
	OPT_VIEW,
	OPT_CHART,
	OPT_TERMINAL,
	OPT_SIZE,
	OPT_SCRIPT,
	OPT_CRITERION
};

static const struct option longopts[] = {CALIB_CLI_READ_LONGOPTS,
                                         CALIB_CLI_OUTPUT_LONGOPTS,
                                         {"agent-col", required_argument, NULL, OPT_AGENT_COL},
                                         {"conf", required_argument, NULL, OPT_CONF},
                                         {"top", required_argument, NULL, OPT_TOP},
                                         {"view", required_argument, NULL, OPT_VIEW},
                                         {"chart", required_argument, NULL, OPT_CHART},
                                         {"terminal", required_argument, NULL, OPT_TERMINAL},
                                         {"size", required_argument, NULL, OPT_SIZE},
                                         {"script", no_argument, NULL, OPT_SCRIPT},
                                         {"criterion", required_argument, NULL, OPT_CRITERION},
                                         {"threads", required_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};

static const char options_help[] = CALIB_CLI_OUTPUT_HELP
        "      --agent-col NAME    column of the agent (default: agent or an alias)\n"
        "      --conf L            confidence level of the intervals (default 0.95)\n"
        "      --view VIEW         severity (default), scale, criteria or agents\n"
        "      --top N             the N largest rows (criteria view) or per criterion\n"
        "                          (agents view); default all\n"
        "      --chart FILE        draw the evaluators' effects to FILE (- : standard\n"
        "                          output), the table still to standard output or -o\n"
        "      --terminal T        png, svg, pdf or dumb (default: from FILE's extension;\n"
        "                          dumb on standard output)\n"
        "      --size WxH          chart size (pixels; characters for dumb; default: it\n"
        "                          grows with the evaluators)\n"
        "      --script            print the chart's gnuplot script instead of drawing\n"
        "      --criterion NAME    the criterion the chart shows (default: TOTAL, or the\n"
        "                          first criterion when there is no TOTAL)\n"
        "  -j, --threads N         threads in all, 1 or 2 (default: up to 2)\n"
        "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and exit\n";

/* What --chart, --terminal, --size, --script and --criterion asked. */
struct chart_args {
	const char *file, *criterion, *name;
	bool script, have_term, have_size;
	enum calib_plot_terminal term;
	unsigned w, h;
};

/*
 * The chart of one fit (--criterion, else the TOTAL, else the first
 * criterion fitted), drawn or its script printed. 0, or 1 with the
 * message printed and nothing written.
 */
static int
chart(struct calib_cli *cli, const struct calib_store *s, const struct chart_args *g,
      double conf)
{
	uint32_t c = CALIB_NONE;
	struct calib_audit_fit f = {0};
	struct calib_plots_audit_opts o = {.name = g->name, .criterion = "TOTAL", .conf = conf};
	struct calib_plot *p = NULL;
	const char **names = NULL;
	struct calib_error err;
	enum calib_status st = CALIB_ENOMEM;
	int status = 1;

	calib_error_clear(&err);
	if (g->criterion && strcmp(g->criterion, "TOTAL") != 0) {
		c = calib_store_find_criterion(s, g->criterion, strlen(g->criterion));
		if (c == CALIB_NONE || s->criteria[c].scale == CALIB_SCALE_NOMINAL) {
			calib_cli_errorf(cli, "--criterion: no criterion '%s' with ordered levels "
			                      "in the input",
			                 g->criterion);
			return 1;
		}
	} else if (!calib_report_total_applies(s)) {
		for (c = 0; c < s->n_criteria && s->criteria[c].scale == CALIB_SCALE_NOMINAL; c++)
			;
		if (g->criterion || c == s->n_criteria) {
			calib_cli_errorf(cli, "--criterion TOTAL: the input has no TOTAL (one "
			                      "criterion, or none with ordered levels)");
			return 1;
		}
	}
	if (c != CALIB_NONE)
		o.criterion = s->criteria[c].name;
	if ((st = calib_audit_fit_store(s, c, conf, &f)))
		goto out;
	st = CALIB_ENOMEM;
	if (!(names = malloc((f.n_evaluators + 1) * sizeof *names)))
		goto out;
	for (size_t j = 0; j < f.n_evaluators; j++)
		names[j] = calib_names_get(s->raters, (uint32_t)j);
	if (!(p = calib_plot_alloc(g->term, g->have_size ? g->w : 0, g->have_size ? g->h : 0)) ||
	    calib_plot_style(p))
		goto out;
	if ((st = calib_plots_audit(p, &f, names, &o)) == CALIB_EARG) {
		calib_cli_errorf(cli, "--chart: no evaluator has a score on %s", o.criterion);
		goto done;
	}
	if (st)
		goto out;
	if (g->script ? calib_plot_write_script(
	                        p, stdout, g->file && strcmp(g->file, "-") ? g->file : NULL, &err)
	              : calib_plot_run(p, g->file, &err)) {
		calib_cli_error(cli, &err);
		goto done;
	}
	status = 0;
	goto done;
out:
	calib_cli_fail(cli, NULL);
done:
	calib_plot_free(p);
	free(names);
	calib_audit_fit_free(&f);
	return status;
}

/* What the options ask for, beyond the common reading options. */
struct args {
	enum calib_format fmt;
	const char *output;
	double conf;
	enum calib_audit_view view;
	size_t top;
	struct chart_args g;
};

/* The options' values that depend on each other: 0, or 2 with a usage error printed. */
static int
check_args(const struct calib_cli *cli, struct args *a)
{
	struct chart_args *g = &a->g;

	if (a->top && a->view != CALIB_AUDIT_CRITERIA && a->view != CALIB_AUDIT_AGENTS)
		return calib_cli_usage_error(cli, "option --top: only with --view criteria or agents");
	if ((g->file || g->script) && a->view != CALIB_AUDIT_SEVERITY)
		return calib_cli_usage_error(cli, "--%s: only with --view severity",
		                             g->file ? "chart" : "script");
	if ((g->have_term || g->have_size || g->criterion) && !g->file && !g->script)
		return calib_cli_usage_error(cli, "--%s: only with --chart or --script",
		                             g->have_term   ? "terminal"
		                             : g->have_size ? "size"
		                                            : "criterion");
	return calib_cli_chart_file(cli, g->file, g->script, g->have_term, &g->term);
}

/*
 * The options into a and cli: 0 to go on, -1 when done (--help,
 * --version: exit 0), else the exit status, with the message printed.
 */
static int
parse_args(struct calib_cli *cli, struct args *a, int argc, char **argv)
{
	struct chart_args *g = &a->g;
	size_t threads = 0;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:hj:o:V", longopts,
	                        NULL)) != -1) {
		switch (calib_cli_read_opt(cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		switch (c) {
		case 'f':
			if (calib_cli_format(cli, optarg, &a->fmt))
				return 2;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_AGENT_COL:
			cli->read.agent_col = optarg;
			break;
		case OPT_CONF:
			if (calib_cli_double(cli, "--conf", optarg, 0.5, 0.999999, &a->conf))
				return 2;
			break;
		case 'j':
			if (calib_cli_size(cli, "--threads", optarg, 1, 2, &threads))
				return 2;
			cli->read.threads = (unsigned)threads;
			break;
		case OPT_TOP:
			if (calib_cli_size(cli, "--top", optarg, 1, 1000000000, &a->top))
				return 2;
			break;
		case OPT_VIEW:
			if (!calib_audit_view_parse(optarg, &a->view))
				return calib_cli_usage_error(
				        cli,
				        "option --view: '%s' is not severity, scale, criteria or agents",
				        optarg);
			break;
		case OPT_CHART:
			g->file = optarg;
			break;
		case OPT_TERMINAL:
			if (calib_cli_terminal(cli, optarg, &g->term))
				return 2;
			g->have_term = true;
			break;
		case OPT_SIZE:
			if (!calib_plot_size_parse(optarg, &g->w, &g->h))
				return calib_cli_usage_error(cli, "option --size: '%s' is not WxH",
				                             optarg);
			g->have_size = true;
			break;
		case OPT_SCRIPT:
			g->script = true;
			break;
		case OPT_CRITERION:
			g->criterion = optarg;
			break;
		case 'h':
			printf("%s\n%sOptions:\n" CALIB_CLI_READ_HELP "%s", usage, help,
			       options_help);
			return calib_cli_close_stdout(cli) ? 1 : -1;
		case 'V':
			return calib_cli_version(cli) ? 1 : -1;
		default:
			return calib_cli_bad_option(cli, c, argv);
		}
	}
	return check_args(cli, a);
}

/* The chart's title names the input: the one file's base name, or "N files". */
static void
input_name(char *buf, size_t size, char *const *files, int n)
{
	buf[0] = '\0';
	if (n > 1)
		snprintf(buf, size, "%d files", n);
	else if (n == 1 && strcmp(files[0], "-") != 0)
		snprintf(buf, size, "%s",
		         strrchr(files[0], '/') ? strrchr(files[0], '/') + 1 : files[0]);
}

/* The table of a's view of s (NULL with err filled, or out of memory). */
static struct calib_table *
view_table(const struct calib_store *s, const struct args *a, unsigned threads,
           struct calib_error *err)
{
	switch (a->view) {
	case CALIB_AUDIT_SCALE:
		return calib_audit_scale_table(s, err);
	case CALIB_AUDIT_CRITERIA:
		return calib_audit_criteria_table(s, a->top, err);
	case CALIB_AUDIT_AGENTS:
		return calib_audit_agents_table(s, a->top, err);
	default:
		return calib_audit_table(s, a->conf, threads, err);
	}
}

int
main(int argc, char **argv)
{
	struct calib_cli cli;
	struct calib_store *store = NULL;
	struct calib_table *t = NULL;
	struct calib_error err;
	struct args a = {.fmt = calib_cli_default_format(),
	                 .conf = 0.95,
	                 .view = CALIB_AUDIT_SEVERITY,
	                 .g = {.term = CALIB_PLOT_DUMB}};
	const struct chart_args *g = &a.g;
	char name[256];
	int status;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-audit", usage);
	cli.read.agent = true;
	if ((status = parse_args(&cli, &a, argc, argv)))
		return status < 0 ? 0 : status;
	if (calib_cli_load(&cli, argv + optind, (size_t)(argc - optind), &store))
		return 1;
	input_name(name, sizeof name, argv + optind, argc - optind);
	a.g.name = name;
	calib_error_clear(&err);
	if (!(t = view_table(store, &a, cli.read.threads, &err))) {
		status = calib_cli_fail(&cli, &err);
		goto done;
	}
	if (calib_cli_left_out(&cli, store, a.fmt == CALIB_FORMAT_TABLE ? t : NULL)) {
		status = calib_cli_fail(&cli, NULL);
		goto done;
	}
	/* the chart first: a failure leaves no table behind; stdout holds one thing */
	if ((g->file || g->script) && (status = chart(&cli, store, g, a.conf)))
		goto done;
	if ((a.output || (!g->script && !(g->file && strcmp(g->file, "-") == 0))) &&
	    calib_cli_write_table(&cli, a.output, t, a.fmt, false))
		status = 1;
done:
	calib_table_free(t);
	calib_store_free(store);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status ? status : cs;
	}
}
