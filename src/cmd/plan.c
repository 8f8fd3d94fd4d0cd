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

/*
 * The scale a statistic is for, when --scale does not say: the one it
 * assumes (registry.h) from ordinal up, else binary or nominal by levels.
 */
static enum calib_scale
scale_of(const char *stat, size_t levels)
{
	const struct calib_stat_info *e = calib_registry_named(stat, strlen(stat));
	if (e && e->scale >= CALIB_SCALE_ORDINAL)
		return e->scale;
	return levels > 2 ? CALIB_SCALE_NOMINAL : CALIB_SCALE_BINARY;
}

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

int
main(int argc, char **argv)
{
	struct calib_cli cli;
	struct calib_plan_opts po;
	struct calib_plan_design d;
	struct calib_store *store = NULL;
	struct calib_plan_session *plan = NULL;
	struct calib_table *t = NULL;
	struct calib_error err;
	enum calib_format fmt = calib_cli_default_format();
	const char *output = NULL, *stat = NULL;
	double expected = NAN, conf = 0.95, share[CALIB_PLAN_MAX_LEVELS];
	size_t raters = 0, levels = 0, n_shares = 0;
	enum calib_scale scale = CALIB_SCALE_UNKNOWN;
	int c, status = 0;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-plan", usage);
	calib_plan_opts_init(&po);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:hj:o:s:V", longopts,
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
		case 's':
			if (calib_cli_seed(&cli, optarg, &po.seed))
				return 2;
			break;
		case 'j': {
			size_t threads;
			if (calib_cli_size(&cli, "--threads", optarg, 1, 2, &threads))
				return 2;
			po.threads = (unsigned)threads;
			cli.read.threads = po.threads;
			break;
		}
		case OPT_EXPECTED:
			if (calib_cli_double(&cli, "--expected", optarg, -1, 0.999999,
			                     &expected))
				return 2;
			break;
		case OPT_RATERS:
			if (calib_cli_size(&cli, "--raters", optarg, 2, 1000, &raters))
				return 2;
			break;
		case OPT_STAT:
			stat = optarg;
			break;
		case OPT_WIDTH:
			if (calib_cli_double(&cli, "--width", optarg, 0.001, 4, &po.width))
				return 2;
			break;
		case OPT_CALLS:
			if (calib_cli_size(&cli, "--calls", optarg, 2, 1000000, &po.calls))
				return 2;
			break;
		case OPT_CONF:
			if (calib_cli_double(&cli, "--conf", optarg, 0.5, 0.999999, &conf))
				return 2;
			break;
		case OPT_LEVELS:
			if (calib_cli_size(&cli, "--levels", optarg, 2, CALIB_PLAN_MAX_LEVELS,
			                   &levels))
				return 2;
			break;
		case OPT_PREVALENCE:
			if (parse_shares(&cli, optarg, share, &n_shares))
				return 2;
			break;
		case OPT_SCALE:
			scale = calib_scale_parse(optarg);
			if (scale == CALIB_SCALE_UNKNOWN)
				return calib_cli_usage_error(
				        &cli,
				        "option --scale: '%s' is not binary, "
				        "nominal, ordinal, interval or ratio",
				        optarg);
			break;
		case OPT_METHOD:
			if (strcmp(optarg, "auto") == 0)
				po.method = CALIB_PLAN_AUTO;
			else if (strcmp(optarg, "closed") == 0)
				po.method = CALIB_PLAN_CLOSED;
			else if (strcmp(optarg, "simulate") == 0)
				po.method = CALIB_PLAN_SIMULATE;
			else
				return calib_cli_usage_error(
				        &cli,
				        "option --method: '%s' is not auto, "
				        "closed or simulate",
				        optarg);
			break;
		case OPT_REPLICATES:
			if (calib_cli_size(&cli, "--replicates", optarg, 1, 100000,
			                   &po.replicates))
				return 2;
			break;
		case OPT_MAX_CALLS:
			if (calib_cli_size(&cli, "--max-calls", optarg, 3, 1000000,
			                   &po.max_calls))
				return 2;
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
	if (isnan(po.width) && po.calls == 0)
		return calib_cli_usage_error(&cli, "give --width (the calls needed) or --calls "
		                                   "(the width they give)");
	for (const char *p = stat; p && *p;) {
		size_t len = strcspn(p, ",");
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), p);
		if (len == 0 || len >= sizeof name || !calib_registry_known(name) ||
		    strcmp(name, "all") == 0)
			return calib_cli_usage_error(
			        &cli, "option --stat: unknown statistic '%.*s'", (int)len, p);
		p += len + (p[len] == ',');
	}
	calib_error_clear(&err);
	if (!isnan(expected)) {
		if (optind < argc)
			return calib_cli_usage_error(&cli, "--expected plans from options: no "
			                                   "input files with it");
		if (raters == 0)
			return calib_cli_usage_error(&cli, "--expected needs --raters");
		if (stat && strchr(stat, ','))
			return calib_cli_usage_error(&cli, "option --stat: one statistic with "
			                                   "--expected");
		calib_plan_design_init(&d);
		if (!stat)
			stat = calib_registry_headline(
			        scale == CALIB_SCALE_UNKNOWN ? CALIB_SCALE_BINARY : scale);
		if (n_shares == 1) {
			if (levels > 2)
				return calib_cli_usage_error(
				        &cli,
				        "option --prevalence: one share is "
				        "for two categories; give %zu",
				        levels);
			share[1] = share[0];
			share[0] = 1 - share[1];
			n_shares = 2;
		}
		if (!levels)
			levels = n_shares ? n_shares
			         : scale_of(stat, 2) == CALIB_SCALE_ORDINAL ||
			                         scale == CALIB_SCALE_ORDINAL
			                 ? 5
			                 : 2;
		if (n_shares && n_shares != levels)
			return calib_cli_usage_error(&cli,
			                             "option --prevalence: %zu shares for %zu "
			                             "categories",
			                             n_shares, levels);
		d.stat = stat;
		d.scale = scale == CALIB_SCALE_UNKNOWN ? scale_of(stat, levels) : scale;
		d.n_raters = raters;
		d.expected = expected;
		d.n_levels = levels;
		d.share = n_shares ? share : NULL;
		d.conf = conf;
		if (calib_plan_one(&d, &po, &plan, &err)) {
			status = calib_cli_fail(&cli, &err);
			goto done;
		}
	} else {
		if (levels || n_shares || scale != CALIB_SCALE_UNKNOWN)
			return calib_cli_usage_error(&cli,
			                             "--levels, --prevalence and --scale "
			                             "describe a session given by "
			                             "--expected; a past session has its own");
		if (calib_cli_load(&cli, argv + optind, (size_t)(argc - optind), &store))
			return 1;
		if (calib_plan_session_run(store, stat, raters, conf, &po, &plan, &err)) {
			status = calib_cli_fail(&cli, &err);
			goto done;
		}
	}
	t = calib_plan_table(plan, conf, &po);
	if (!t ||
	    (store && calib_cli_left_out(&cli, store, fmt == CALIB_FORMAT_TABLE ? t : NULL))) {
		status = calib_cli_fail(&cli, NULL);
		goto done;
	}
	if (calib_cli_write_table(&cli, output, t, fmt, false))
		status = 1;
done:
	calib_table_free(t);
	calib_plan_session_free(plan);
	calib_store_free(store);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status ? status : cs;
	}
}
