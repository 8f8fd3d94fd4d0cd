/*
 * icc.c - calib-icc: the six intraclass correlations of Shrout & Fleiss
 * (1979) / McGraw & Wong (1996) with F tests, degrees of freedom, p-values
 * and confidence bounds, for every criterion and the total score.
 */
#include "common_report.h"

static const struct report_program icc = {
	.name = "calib-icc",
	.usage = "usage: calib-icc [-d C] [-r RUBRIC] [-f FORMAT] [-o FILE] [--stat LIST] [--min X]\n"
		 "                 [--icc-convention psych|irr] [OPTION...] [FILE...]\n",
	.help = "Intraclass correlations of every criterion and of the total score: ICC(1),\n"
		"ICC(2), ICC(3) for a single rater and for the mean of k raters, with F, df,\n"
		"p and confidence bounds. Calls that a rater did not score are left out and\n"
		"counted in the notes.\n",
	.stat = "all",
	.families = CALIB_FAMILY_ICC,
	.detail = true,
};

int
main(int argc, char **argv)
{
	return report_main(argc, argv, &icc);
}
