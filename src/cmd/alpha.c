/*
 * alpha.c - calib-alpha: Krippendorff's alpha of every criterion at every
 * level of measurement that fits it, with Gwet's standard error and a
 * bootstrap over calls: its percentile interval, mean and spread, and the
 * probability that alpha falls below Krippendorff's minimum for tentative
 * conclusions, 0.667.
 */
#include "common_report.h"

static const struct report_program alpha = {
	.name = "calib-alpha",
	.usage = "usage: calib-alpha [-d C] [-r RUBRIC] [-f FORMAT] [-o FILE] [--stat LIST] [--min X]\n"
		 "                   [--boot N] [-s SEED] [OPTION...] [FILE...]\n",
	.help = "Krippendorff's alpha of every criterion at each level of measurement that\n"
		"fits it (nominal, ordinal, interval, ratio), missing scores allowed, with\n"
		"Gwet's standard error and a bootstrap over calls (1000 replicates unless\n"
		"--boot says otherwise): percentile interval, mean, spread and the\n"
		"probability that alpha is below 0.667.\n",
	.stat = "all",
	.families = CALIB_FAMILY_ALPHA,
	.detail = true,
	.alpha_boot = true,
};

int
main(int argc, char **argv)
{
	return report_main(argc, argv, &alpha);
}
