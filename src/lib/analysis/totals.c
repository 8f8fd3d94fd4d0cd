/*
 * totals.c - the TOTAL score of a store's evaluations (totals.h), which the
 * report, calib-raters, calib-drift and calib-audit analyse as one more
 * criterion.
 */
#include <stdlib.h>
#include <string.h>

#include "calib/scorecard.h"
#include "calib/totals.h"

/* The TOTAL of each evaluation (scorecard.h): row 0 of its scorecard. */
double *
calib_report_totals(const struct calib_store *s)
{
	struct calib_scorecard *sc;
	double *x = malloc((s->n_evals ? s->n_evals : 1) * sizeof *x);

	if (!x || calib_scorecard_compute(s, &sc) != CALIB_OK) {
		free(x);
		return NULL;
	}
	memcpy(x, calib_scorecard_row(sc, 0), s->n_evals * sizeof *x);
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
