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

int
main(int argc, char **argv)
{
	struct calib_cli cli;
	struct calib_store *store = NULL;
	struct calib_table *t = NULL;
	struct calib_error err;
	enum calib_format fmt = calib_cli_default_format();
	const char *output = NULL;
	double conf = 0.95;
	enum calib_audit_view view = CALIB_AUDIT_SEVERITY;
	size_t top = 0, threads = 0;
	struct chart_args g = {.term = CALIB_PLOT_DUMB};
	char name[256] = "";
	int c, status = 0;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-audit", usage);
	cli.read.agent = true;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:hj:o:V", longopts,
	                        NULL)) != -1) {
		switch (calib_cli_read_opt(&cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		switch (c) {
		case 'f':
			if (calib_cli_format(&cli, optarg, &fmt))
				return 2;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_AGENT_COL:
			cli.read.agent_col = optarg;
			break;
		case OPT_CONF:
			if (calib_cli_double(&cli, "--conf", optarg, 0.5, 0.999999, &conf))
				return 2;
			break;
		case 'j':
			if (calib_cli_size(&cli, "--threads", optarg, 1, 2, &threads))
				return 2;
			cli.read.threads = (unsigned)threads;
			break;
		case OPT_TOP:
			if (calib_cli_size(&cli, "--top", optarg, 1, 1000000000, &top))
				return 2;
			break;
		case OPT_VIEW:
			if (!calib_audit_view_parse(optarg, &view))
				return calib_cli_usage_error(
				        &cli,
				        "option --view: '%s' is not severity, scale, criteria or agents",
				        optarg);
			break;
		case OPT_CHART:
			g.file = optarg;
			break;
		case OPT_TERMINAL:
			if (!calib_plot_terminal_parse(optarg, &g.term))
				return calib_cli_usage_error(
				        &cli, "option --terminal: '%s' is not png, svg, pdf or dumb",
				        optarg);
			g.have_term = true;
			break;
		case OPT_SIZE:
			if (!calib_plot_size_parse(optarg, &g.w, &g.h))
				return calib_cli_usage_error(&cli, "option --size: '%s' is not WxH",
				                             optarg);
			g.have_size = true;
			break;
		case OPT_SCRIPT:
			g.script = true;
			break;
		case OPT_CRITERION:
			g.criterion = optarg;
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
	if (top && view != CALIB_AUDIT_CRITERIA && view != CALIB_AUDIT_AGENTS)
		return calib_cli_usage_error(&cli, "option --top: only with --view criteria or agents");
	if ((g.file || g.script) && view != CALIB_AUDIT_SEVERITY)
		return calib_cli_usage_error(&cli, "--%s: only with --view severity",
		                             g.file ? "chart" : "script");
	if ((g.have_term || g.have_size || g.criterion) && !g.file && !g.script)
		return calib_cli_usage_error(&cli, "--%s: only with --chart or --script",
		                             g.have_term   ? "terminal"
		                             : g.have_size ? "size"
		                                           : "criterion");
	if (g.file && !g.have_term && strcmp(g.file, "-") != 0 &&
	    !calib_plot_terminal_from_path(g.file, &g.term))
		return calib_cli_usage_error(&cli, "--chart %s: say --terminal png, svg, pdf or dumb",
		                             g.file);
	if (g.file && !g.script && calib_plot_terminal_binary(g.term) &&
	    calib_cli_is_terminal(g.file))
		return calib_cli_usage_error(&cli,
		                             "--chart: a %s chart is binary: not written to a "
		                             "terminal (name a file, or redirect standard output)",
		                             calib_plot_terminal_name(g.term));
	if (calib_cli_load(&cli, argv + optind, (size_t)(argc - optind), &store))
		return 1;
	/* the chart's title names the input: the one file, or "N files" */
	if (argc - optind > 1)
		snprintf(name, sizeof name, "%d files", argc - optind);
	else if (argc - optind == 1 && strcmp(argv[optind], "-") != 0)
		snprintf(name, sizeof name, "%s",
		         strrchr(argv[optind], '/') ? strrchr(argv[optind], '/') + 1 : argv[optind]);
	g.name = name;
	calib_error_clear(&err);
	switch (view) {
	case CALIB_AUDIT_SCALE:
		t = calib_audit_scale_table(store, &err);
		break;
	case CALIB_AUDIT_CRITERIA:
		t = calib_audit_criteria_table(store, top, &err);
		break;
	case CALIB_AUDIT_AGENTS:
		t = calib_audit_agents_table(store, top, &err);
		break;
	default:
		t = calib_audit_table(store, conf, cli.read.threads, &err);
	}
	if (!t) {
		status = calib_cli_fail(&cli, &err);
		goto done;
	}
	if (calib_cli_left_out(&cli, store, fmt == CALIB_FORMAT_TABLE ? t : NULL)) {
		status = calib_cli_fail(&cli, NULL);
		goto done;
	}
	/* the chart first: a failure leaves no table behind; stdout holds one thing */
	if ((g.file || g.script) && (status = chart(&cli, store, &g, conf)))
		goto done;
	if ((output || (!g.script && !(g.file && strcmp(g.file, "-") == 0))) &&
	    calib_cli_write_table(&cli, output, t, fmt, false))
		status = 1;
done:
	calib_table_free(t);
	calib_store_free(store);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status ? status : cs;
	}
}
