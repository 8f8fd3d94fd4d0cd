/*
 * totals.c - the TOTAL score of a store's evaluations (totals.h), which the
 * report, calib-raters, calib-drift and calib-audit analyse as one more
 * criterion.
 */
#include <stdlib.h>

#include "calib/scorecard.h"
#include "calib/totals.h"

/*
 * The TOTAL of each evaluation (scorecard.h): row 0 of its scorecard,
 * taken from it rather than copied (the subtotals' rows after it let go).
 */
double *
calib_report_totals(const struct calib_store *s, unsigned threads)
{
	struct calib_scorecard *sc;
	double *x;

	if (calib_scorecard_compute(s, threads, &sc) != CALIB_OK)
		return NULL;
	x = sc->score;
	sc->score = NULL;
	if (sc->n_sections > 0 && s->n_evals > 0) {
		double *shorter = realloc(x, s->n_evals * sizeof *x);
		x = shorter ? shorter : x; /* a failed shrink keeps the larger block, as good */
	}
	calib_scorecard_free(sc);
	return x;
}

bool
calib_report_total_applies(const struct calib_store *s)
{
	size_t ordered = 0;

	/* a TOTAL needs points: criteria whose levels have an order */
	for (size_t i = 0; i < s->n_criteria; i++)
		ordered += calib_store_ordered(&s->criteria[i]);
	return s->n_criteria > 1 && ordered > 0;
}
