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
#include "calib/table.h"
#include "common.h"

static const char usage[] =
        "usage: calib-audit [-d C] [-r RUBRIC] [--agent-col NAME] [-f FORMAT]\n"
        "                   [--conf L] [--view VIEW] [--top N] [OPTION...] [FILE...]\n";

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
        "their scores depend on who evaluated them (--view agents).\n";

enum { OPT_AGENT_COL = CALIB_OPT_FIRST_PROGRAM, OPT_CONF, OPT_TOP, OPT_VIEW };

static const struct option longopts[] = {CALIB_CLI_READ_LONGOPTS,
                                         CALIB_CLI_OUTPUT_LONGOPTS,
                                         {"agent-col", required_argument, NULL, OPT_AGENT_COL},
                                         {"conf", required_argument, NULL, OPT_CONF},
                                         {"top", required_argument, NULL, OPT_TOP},
                                         {"view", required_argument, NULL, OPT_VIEW},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};

static const char options_help[] = CALIB_CLI_OUTPUT_HELP
        "      --agent-col NAME    column of the agent (default: agent or an alias)\n"
        "      --conf L            confidence level of the intervals (default 0.95)\n"
        "      --view VIEW         severity (default), scale, criteria or agents\n"
        "      --top N             the N largest rows (criteria view) or per criterion\n"
        "                          (agents view); default all\n"
        "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and exit\n";

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
	size_t top = 0;
	int c, status = 0;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-audit", usage);
	cli.read.agent = true;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:ho:V", longopts,
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
	if (calib_cli_load(&cli, argv + optind, (size_t)(argc - optind), &store))
		return 1;
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
		t = calib_audit_table(store, conf, &err);
	}
	if (!t) {
		status = calib_cli_fail(&cli, &err);
		goto done;
	}
	if (calib_cli_left_out(&cli, store, fmt == CALIB_FORMAT_TABLE ? t : NULL)) {
		status = calib_cli_fail(&cli, NULL);
		goto done;
	}
	if (calib_cli_write_table(&cli, output, t, fmt, false))
		status = 1;
done:
	calib_table_free(t);
	calib_store_free(store);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status ? status : cs;
	}
}
