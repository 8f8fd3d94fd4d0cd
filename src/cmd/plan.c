/*
 * plan.c - calib-plan: how many calls the next calibration session should
 * score for an interval of a given width, or how wide the interval of a
 * given number of calls will be; from options (an expected coefficient)
 * or from a past session (each criterion's observed coefficient).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/plan.h"
#include "calib/registry.h"
#include "calib/table.h"
#include "common.h"

static const char usage[] =
        "usage: calib-plan --expected X --raters K [--stat S] (--width W | --calls N)\n"
        "                  [--conf L] [--levels Q] [--prevalence P] [OPTION...]\n"
        "       calib-plan [-d C] [-r RUBRIC] [--raters K] (--width W | --calls N)\n"
        "                  [OPTION...] [FILE...]\n";

static const char help[] =
        "How many calls a calibration session needs for a coefficient's confidence\n"
        "interval to be at most W wide, or how wide the interval of N calls will be.\n"
        "With --expected, the session is described by options; otherwise each\n"
        "criterion of a past session (the FILEs, as calib-agree reads them) is planned\n"
        "from its observed headline coefficient and category shares, and the table\n"
        "ends with the calls the whole session needs. Closed forms where they are\n"
        "published (Bonett 2002 for icc1 and icc3; Fleiss, Cohen & Everitt 1969 for\n"
        "cohen_kappa with two raters on a binary criterion), a seeded simulation with\n"
        "calib's own estimators and intervals for every other statistic.\n";

enum {
	OPT_EXPECTED = CALIB_OPT_FIRST_PROGRAM,
	OPT_RATERS,
	OPT_STAT,
	OPT_WIDTH,
	OPT_CALLS,
	OPT_CONF,
	OPT_LEVELS,
	OPT_PREVALENCE,
	OPT_SCALE,
	OPT_METHOD,
	OPT_REPLICATES,
	OPT_MAX_CALLS
};

static const struct option longopts[] = {
        CALIB_CLI_READ_LONGOPTS,
        CALIB_CLI_OUTPUT_LONGOPTS,
        {"expected", required_argument, NULL, OPT_EXPECTED},
        {"raters", required_argument, NULL, OPT_RATERS},
        {"stat", required_argument, NULL, OPT_STAT},
        {"width", required_argument, NULL, OPT_WIDTH},
        {"calls", required_argument, NULL, OPT_CALLS},
        {"conf", required_argument, NULL, OPT_CONF},
        {"levels", required_argument, NULL, OPT_LEVELS},
        {"prevalence", required_argument, NULL, OPT_PREVALENCE},
        {"scale", required_argument, NULL, OPT_SCALE},
        {"method", required_argument, NULL, OPT_METHOD},
        {"replicates", required_argument, NULL, OPT_REPLICATES},
        {"max-calls", required_argument, NULL, OPT_MAX_CALLS},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};

static const char options_help[] = CALIB_CLI_OUTPUT_HELP
        "      --width W           the target: the whole interval at most W wide\n"
        "                          (0.2 is +-0.10)\n"
        "      --calls N           the calls given: the width they give (and, with\n"
        "                          --width, the share of intervals within it)\n"
        "      --expected X        the coefficient expected (plans from options)\n"
        "      --raters K          managers scoring every call (default with FILEs:\n"
        "                          as many as scored the criterion)\n"
        "      --stat S            the coefficient (default: the scale's headline,\n"
        "                          gwet_ac1, gwet_ac2_ordinal or icc2); with FILEs a\n"
        "                          comma list as in calib-agree\n"
        "      --scale S           binary, nominal, ordinal, interval or ratio (default:\n"
        "                          from --stat, binary for categories)\n"
        "      --levels Q          categories of a labelled scale (default 2; 5 ordinal)\n"
        "      --prevalence P      the share of the last category (\"yes\") of a binary\n"
        "                          scale, or Q comma-separated shares (default equal)\n"
        "      --conf L            confidence level of the interval (default 0.95)\n"
        "      --method M          auto (default: closed form where published, else\n"
        "                          simulation), closed or simulate\n"
        "      --replicates N      simulated sessions per number of calls (default 200)\n"
        "  -s, --seed S            simulation seed (default 1)\n"
        "      --max-calls N       the most calls searched (default 2000)\n"
        "  -j, --threads N         threads in all, 1 or 2 (default: up to 2)\n"
        "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and exit\n";

/* --prevalence: one share (binary) or a comma list; into share[], *n of them. */
static int
parse_shares(const struct calib_cli *cli, const char *arg, double *share, size_t *n)
{
	char buf[64];
	size_t k = 0;

	for (const char *p = arg;;) {
		size_t len = strcspn(p, ",");
		if (k == CALIB_PLAN_MAX_LEVELS || len >= sizeof buf) {
			calib_cli_usage_error(cli, "option --prevalence: at most %d shares",
			                      CALIB_PLAN_MAX_LEVELS);
			return -1;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (calib_cli_double(cli, "--prevalence", buf, 0, 1, &share[k]))
			return -1;
		k++;
		if (!p[len])
			break;
		p += len + 1;
	}
	*n = k;
	return 0;
}

/* What the command line asks. */
struct options {
	struct calib_cli cli;
	struct calib_plan_opts po;
	struct calib_plan_given g; /* the session of --expected (expected NAN: from files) */
	enum calib_format fmt;
	const char *output;
};

/* --method: into *m; 0, or -1 with a usage error printed. */
static int
parse_method(const struct calib_cli *cli, const char *arg, enum calib_plan_method *m)
{
	if (strcmp(arg, "auto") == 0)
		*m = CALIB_PLAN_AUTO;
	else if (strcmp(arg, "closed") == 0)
		*m = CALIB_PLAN_CLOSED;
	else if (strcmp(arg, "simulate") == 0)
		*m = CALIB_PLAN_SIMULATE;
	else {
		calib_cli_usage_error(cli, "option --method: '%s' is not auto, closed or simulate",
		                      arg);
		return -1;
	}
	return 0;
}

/* The options into o: -1 to go on, else the exit status (--help, -V, a usage error). */
static int
parse_options(struct options *o, int argc, char **argv)
{
	struct calib_cli *cli = &o->cli;
	struct calib_plan_given *g = &o->g;
	size_t threads;
	int c;

	calib_cli_init(cli, "calib-plan", usage);
	calib_plan_opts_init(&o->po);
	memset(g, 0, sizeof *g);
	g->expected = NAN;
	g->conf = 0.95;
	g->scale = CALIB_SCALE_UNKNOWN;
	o->fmt = calib_cli_default_format();
	o->output = NULL;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:hj:o:s:V", longopts,
	                        NULL)) != -1) {
		switch (calib_cli_read_opt(cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		switch (c) {
		case 'f':
			if (calib_cli_format(cli, optarg, &o->fmt))
				return 2;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 's':
			if (calib_cli_seed(cli, optarg, &o->po.seed))
				return 2;
			break;
		case 'j':
			if (calib_cli_size(cli, "--threads", optarg, 1, 2, &threads))
				return 2;
			o->po.threads = (unsigned)threads;
			cli->read.threads = o->po.threads;
			break;
		case OPT_EXPECTED:
			if (calib_cli_double(cli, "--expected", optarg, -1, 0.999999, &g->expected))
				return 2;
			break;
		case OPT_RATERS:
			if (calib_cli_size(cli, "--raters", optarg, 2, 1000, &g->n_raters))
				return 2;
			break;
		case OPT_STAT:
			g->stat = optarg;
			break;
		case OPT_WIDTH:
			if (calib_cli_double(cli, "--width", optarg, 0.001, 4, &o->po.width))
				return 2;
			break;
		case OPT_CALLS:
			if (calib_cli_size(cli, "--calls", optarg, 2, 1000000, &o->po.calls))
				return 2;
			break;
		case OPT_CONF:
			if (calib_cli_double(cli, "--conf", optarg, 0.5, 0.999999, &g->conf))
				return 2;
			break;
		case OPT_LEVELS:
			if (calib_cli_size(cli, "--levels", optarg, 2, CALIB_PLAN_MAX_LEVELS,
			                   &g->n_levels))
				return 2;
			break;
		case OPT_PREVALENCE:
			if (parse_shares(cli, optarg, g->share, &g->n_shares))
				return 2;
			break;
		case OPT_SCALE:
			g->scale = calib_scale_parse(optarg);
			if (g->scale == CALIB_SCALE_UNKNOWN)
				return calib_cli_usage_error(cli,
				                             "option --scale: '%s' is not binary, "
				                             "nominal, ordinal, interval or ratio",
				                             optarg);
			break;
		case OPT_METHOD:
			if (parse_method(cli, optarg, &o->po.method))
				return 2;
			break;
		case OPT_REPLICATES:
			if (calib_cli_size(cli, "--replicates", optarg, 1, 100000, &o->po.replicates))
				return 2;
			break;
		case OPT_MAX_CALLS:
			if (calib_cli_size(cli, "--max-calls", optarg, 3, 1000000, &o->po.max_calls))
				return 2;
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
	return -1;
}

/*
 * What the options must agree on before anything is read, with n_files
 * input files: -1 to go on, or 2 with a usage error printed.
 */
static int
check_options(const struct options *o, size_t n_files)
{
	const struct calib_cli *cli = &o->cli;
	const struct calib_plan_given *g = &o->g;

	if (isnan(o->po.width) && o->po.calls == 0)
		return calib_cli_usage_error(cli, "give --width (the calls needed) or --calls "
		                                  "(the width they give)");
	for (const char *p = g->stat; p && *p;) {
		size_t len = strcspn(p, ",");
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), p);
		if (len == 0 || len >= sizeof name || !calib_registry_known(name) ||
		    strcmp(name, "all") == 0)
			return calib_cli_usage_error(cli, "option --stat: unknown statistic '%.*s'",
			                             (int)len, p);
		p += len + (p[len] == ',');
	}
	if (isnan(g->expected)) {
		if (g->n_levels || g->n_shares || g->scale != CALIB_SCALE_UNKNOWN)
			return calib_cli_usage_error(cli, "--levels, --prevalence and --scale "
			                                  "describe a session given by "
			                                  "--expected; a past session has its own");
		return -1;
	}
	if (n_files)
		return calib_cli_usage_error(cli, "--expected plans from options: no "
		                                  "input files with it");
	if (g->n_raters == 0)
		return calib_cli_usage_error(cli, "--expected needs --raters");
	if (g->stat && strchr(g->stat, ','))
		return calib_cli_usage_error(cli, "option --stat: one statistic with "
		                                  "--expected");
	return -1;
}

/*
 * The plan into *plan: of the session --expected describes, or of the
 * past session files[0..n) hold (read into *store). 0, or the exit
 * status with the message printed.
 */
static int
make_plan(struct options *o, char *const *files, size_t n, struct calib_store **store,
          struct calib_plan_session **plan)
{
	struct calib_plan_design d;
	struct calib_error err;

	calib_error_clear(&err);
	if (!isnan(o->g.expected)) {
		if (calib_plan_design_given(&d, &o->g, &err))
			return calib_cli_usage_error(&o->cli, "option --prevalence: %s", err.msg);
		if (calib_plan_one(&d, &o->po, plan, &err))
			return calib_cli_fail(&o->cli, &err);
		return 0;
	}
	if (calib_cli_load(&o->cli, files, n, store))
		return 1;
	if (calib_plan_session_run(*store, o->g.stat, o->g.n_raters, o->g.conf, &o->po, plan,
	                           &err))
		return calib_cli_fail(&o->cli, &err);
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct calib_store *store = NULL;
	struct calib_plan_session *plan = NULL;
	struct calib_table *t = NULL;
	int status;

	gsl_set_error_handler_off();
	if ((status = parse_options(&o, argc, argv)) >= 0 ||
	    (status = check_options(&o, (size_t)(argc - optind))) >= 0)
		return status;
	status = make_plan(&o, argv + optind, (size_t)(argc - optind), &store, &plan);
	if (status)
		goto done;
	t = calib_plan_table(plan, o.g.conf, &o.po);
	if (!t || (store && calib_cli_left_out(&o.cli, store,
	                                       o.fmt == CALIB_FORMAT_TABLE ? t : NULL))) {
		status = calib_cli_fail(&o.cli, NULL);
		goto done;
	}
	if (calib_cli_write_table(&o.cli, o.output, t, o.fmt, false))
		status = 1;
done:
	calib_table_free(t);
	calib_plan_session_free(plan);
	calib_store_free(store);
	{
		int cs = calib_cli_close_stdout(&o.cli);
		return status ? status : cs;
	}
}
