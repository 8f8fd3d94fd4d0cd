/*
 * agree.c - calib-agree: the main job of a calibration meeting. One row per
 * criterion (and the TOTAL score) with its scale, counts, percent agreement
 * and the coefficients that fit the scale, with CIs, bands and warnings.
 */
#include "common_report.h"

static const struct report_program agree = {
	.name = "calib-agree",
	.usage = "usage: calib-agree [-d C] [-r RUBRIC] [-f FORMAT] [-o FILE] [--stat LIST] [--min X]\n"
		 "                   [--ci analytic|bootstrap] [--boot N] [-s SEED] [OPTION...] [FILE...]\n",
	.help = "How far raters agree, per criterion of the rubric and on the total score:\n"
		"percent agreement and the chance-corrected coefficients that fit each\n"
		"criterion's scale (kappa and AC1 for yes/no and nominal, weighted kappa,\n"
		"ordinal alpha and AC2 for ordinal, ICC and interval alpha for points),\n"
		"with confidence intervals, interpretation bands and warnings.\n",
	.stat = NULL,
	.families = CALIB_FAMILY_ALL,
	.detail = false,
};

int
main(int argc, char **argv)
{
	return report_main(argc, argv, &agree);
}
