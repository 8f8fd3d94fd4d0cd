/*
 * kappa.c - calib-kappa: the kappa family in full detail: Cohen's kappa
 * (unweighted, weighted, custom) with its null-hypothesis z test, PABAK
 * with prevalence and bias indices, Fleiss' kappa overall and per
 * category, Conger's and Light's kappa, Gwet's AC1/AC2, Brennan-Prediger
 * and percent agreement, for every criterion.
 */
#include "common_report.h"

static const struct report_program kappa = {
	.name = "calib-kappa",
	.usage = "usage: calib-kappa [-d C] [-r RUBRIC] [-f FORMAT] [-o FILE] [--stat LIST] [--min X]\n"
		 "                   [--weights FILE] [--complete] [OPTION...] [FILE...]\n",
	.help = "Kappa-type agreement coefficients of every criterion in full detail:\n"
		"Cohen's kappa for two raters (unweighted, linear, quadratic, rank and custom\n"
		"weights) with standard errors and z tests, prevalence and bias indices and\n"
		"PABAK, Fleiss' kappa overall and per category, Conger's and Light's kappa,\n"
		"Gwet's AC1/AC2, Brennan-Prediger and percent agreement.\n",
	.stat = "all",
	.families = CALIB_FAMILY_KAPPA | CALIB_FAMILY_AGREEMENT,
	.detail = true,
	.no_total = true,
};

int
main(int argc, char **argv)
{
	return report_main(argc, argv, &kappa);
}
