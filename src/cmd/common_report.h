/*
 * common_report.h - the shared main() of the programs that print a report
 * of agreement statistics: calib-agree (the defaults of each scale, a
 * summary for people), calib-kappa, calib-icc and calib-alpha (one family
 * in full detail). A program describes itself in a struct report_program
 * and hands main's arguments over.
 */
#ifndef CALIB_CMD_COMMON_REPORT_H
#define CALIB_CMD_COMMON_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "calib/matrix.h"
#include "calib/report.h"
#include "calib/store.h"
#include "common.h"

struct report_program {
	const char *name;     /* "calib-agree" */
	const char *usage;    /* usage lines (also the man page's SYNOPSIS) */
	const char *help;     /* what the program does, before the options */
	const char *stat;     /* default --stat: NULL (scale defaults) or "all" */
	unsigned families;    /* with "all": CALIB_FAMILY_* */
	bool detail;          /* companion records and the detailed table */
	bool no_total;        /* the family does not apply to the TOTAL score */
	/*
	 * Called once the report is made, before it is written, to add records
	 * (calib-alpha's bootstrap summaries); may be NULL. boot is --boot's
	 * value (0 when not given). Returns 0 or 1 (error printed). A program
	 * with extend takes --boot without --ci bootstrap.
	 */
	int (*extend)(const struct calib_cli *cli, const struct calib_store *s,
		      const struct calib_report_opts *o, size_t boot, struct calib_report *r);
};

/* Options every report program takes, after the reading options. */
#define REPORT_HELP                                                                             \
	CALIB_CLI_OUTPUT_HELP                                                                   \
	"      --stat LIST         statistics to compute, comma-separated, or all\n"             \
	"      --min X             exit 3 when a coefficient of a criterion is below X\n"        \
	"      --ci METHOD         analytic (default) or bootstrap\n"                            \
	"      --boot N            bootstrap replicates (default 1000 with --ci bootstrap)\n"     \
	"  -s, --seed S            bootstrap seed (default 1)\n"                                  \
	"      --conf LEVEL        confidence level of the intervals (default 0.95)\n"           \
	"      --complete          use only calls scored by every rater\n"                       \
	"      --na-policy P       auto (default), category or drop: what N/A scores are\n"      \
	"      --icc-convention C  psych (default) or irr: ICC(2) df and ICC(2,k) bounds\n"      \
	"      --weights FILE      custom agreement weights (q x q CSV) for cohen_kappa_custom\n" \
	"      --no-total          leave out the TOTAL score per call\n"                          \
	"      --detail            add null-hypothesis z tests and per-category kappas\n"        \
	"  -j, --threads N         worker threads over criteria (default: up to 2)\n"            \
	"  -h, --help              print this help and exit\n"                                    \
	"  -V, --version           print the version and exit\n"

/* The whole program: parse argv, read, compute, print; returns the exit status. */
int report_main(int argc, char **argv, const struct report_program *p);

#endif
