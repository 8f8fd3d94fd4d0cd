/*
 * disputes.c - calib-disputes: the meeting's agenda. The (call, criterion)
 * cells ranked by how much the raters disagree, with every rater's score
 * and the consensus, or the calls ranked by how contested they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "calib/disputes.h"
#include "calib/table.h"
#include "common.h"

static const char usage[] =
        "usage: calib-disputes [-d C] [-r RUBRIC] [-f FORMAT] [-o FILE] [-n N] "
        "[--per-criterion]\n"
        "                      [--calls] [--consensus mean|median] [OPTION...] [FILE...]\n";

static const char help[] =
        "What the calibration meeting should discuss first: the (call, criterion)\n"
        "cells ranked by disagreement, with every rater's score and the consensus; or,\n"
        "with --calls, the calls ranked by how contested they are overall.\n"
        "Disagreement is the share of the largest possible for the cell's answers on\n"
        "its scale (0..1): a 3-2 yes/no split and a 3-2 split between the ends of a\n"
        "numeric range are both 1; a split on N/A counts. Cells where all agree are\n"
        "not listed.\n";

enum { OPT_PER_CRITERION = CALIB_OPT_FIRST_PROGRAM, OPT_CALLS, OPT_CONSENSUS };

static const struct option longopts[] = {
        CALIB_CLI_READ_LONGOPTS,
        CALIB_CLI_OUTPUT_LONGOPTS,
        {"top", required_argument, NULL, 'n'},
        {"per-criterion", no_argument, NULL, OPT_PER_CRITERION},
        {"calls", no_argument, NULL, OPT_CALLS},
        {"consensus", required_argument, NULL, OPT_CONSENSUS},
        {"threads", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};

static const char options_help[] =
        CALIB_CLI_OUTPUT_HELP
        "  -n, --top N             cells (or calls) to list, 0 for all (default 10)\n"
        "      --per-criterion     the top N cells of each criterion\n"
        "      --calls             rank the calls instead of the cells\n"
        "      --consensus C       mean (default) or median of the numeric scores\n"
        "  -j, --threads N         threads in all, 1 or 2 (default: up to 2)\n"
        "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and exit\n";

int
main(int argc, char **argv)
{
	struct calib_cli cli;
	struct calib_disputes_opts o;
	struct calib_store *store = NULL;
	struct calib_disputes *d = NULL;
	struct calib_table *t = NULL;
	struct calib_error err;
	enum calib_format fmt = calib_cli_default_format();
	const char *output = NULL;
	bool calls = false;
	size_t threads = 0;
	int c, status = 0;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-disputes", usage);
	calib_disputes_opts_init(&o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:hj:n:o:V", longopts,
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
		case 'n':
			if (calib_cli_size(&cli, "--top", optarg, 0, SIZE_MAX / 2, &o.top))
				return 2;
			break;
		case OPT_PER_CRITERION:
			o.per_criterion = true;
			break;
		case OPT_CALLS:
			calls = true;
			break;
		case OPT_CONSENSUS:
			if (calib_cli_consensus(&cli, optarg, &o.consensus))
				return 2;
			break;
		case 'j':
			if (calib_cli_size(&cli, "--threads", optarg, 1, 2, &threads))
				return 2;
			o.threads = (unsigned)threads;
			cli.read.threads = o.threads;
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
	if (calls && o.per_criterion)
		return calib_cli_usage_error(&cli,
		                             "--calls and --per-criterion exclude each other");
	if (calib_cli_load(&cli, argv + optind, (size_t)(argc - optind), &store))
		return 1;
	calib_error_clear(&err);
	if (calib_disputes_run(store, &o, &d, &err)) {
		status = calib_cli_fail(&cli, &err);
		goto done;
	}
	t = calls ? calib_disputes_calls(d, store) : calib_disputes_cells(d, store);
	if (!t) {
		status = calib_cli_fail(&cli, NULL);
		goto done;
	}
	/* the table has no footer: the note goes to standard error */
	if (calib_cli_left_out(&cli, store, NULL)) {
		status = calib_cli_fail(&cli, NULL);
		goto done;
	}
	if (calib_cli_write_table(&cli, output, t, fmt, false))
		status = 1;
done:
	calib_table_free(t);
	calib_disputes_free(d);
	calib_store_free(store);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status ? status : cs;
	}
}
