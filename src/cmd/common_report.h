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
	 * Add calib-alpha's bootstrap summaries (calib_report_opts.alpha_boot,
	 * --boot replicates or 1000): such a program takes --boot without
	 * --ci bootstrap.
	 */
	bool alpha_boot;
};

/*
 * The options of a report program, after the reading options, are listed
 * by report_main's --help: the ones that change nothing for a program are
 * neither listed nor taken (--weights without a kappa or agreement family,
 * --icc-convention without ICCs, --detail and --no-total where the program
 * always details or has no TOTAL), so that --help, the man page and what
 * a program does agree.
 */

/* The whole program: parse argv, read, compute, print; returns the exit status. */
int report_main(int argc, char **argv, const struct report_program *p);

#endif
