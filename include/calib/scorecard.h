/*
 * scorecard.h - the scores QA scorecards give a call: each rater's TOTAL
 * and section subtotals, from the points of the criteria, their weights,
 * N/A and critical (auto-fail) criteria.
 *
 * Ownership: calib_scorecard_compute() returns a struct the caller frees
 * with calib_scorecard_free() (NULL harmless); it does not point into the
 * store.
 */
#ifndef CALIB_SCORECARD_H
#define CALIB_SCORECARD_H

#include <stdbool.h>
#include <stddef.h>

#include "calib/error.h"
#include "calib/store.h"

#define CALIB_SCORE_ZEROED 1u /* a critical criterion set the score to 0 */
#define CALIB_SCORE_NA     2u /* NAN because every criterion of it was N/A */

/*
 * The scores of every evaluation: row 0 the TOTAL, row 1 + k the subtotal
 * of section k (an id of the store's sections), each n_evals long.
 */
struct calib_scorecard {
	size_t n_evals;
	size_t n_sections;
	double *score;        /* (1 + n_sections) x n_evals, 0..100 or NAN */
	unsigned char *flags; /* same shape: CALIB_SCORE_* bits */
	bool critical;        /* some criterion is critical (its row counts zeroed scores) */
};

/*
 * The scores of a finished store. A score is 100 x the points earned over
 * the points possible, among the criteria of the score (every criterion
 * for the TOTAL, the section's for a subtotal) that are scored and not
 * N/A: a criterion scored at level v earns weight x (v - lo) / (hi - lo)
 * of a possible weight (labelled levels: k of q is (k-1)/(q-1); numbers
 * over the declared min..max, or the levels' range), criteria whose
 * levels have no order (calib_store_ordered()) left out. A score is NAN
 * when one of its criteria is unscored or none applies. A critical
 * criterion scored at 0 points sets the TOTAL to 0 (critical yes) or its
 * section's subtotal to 0 (critical section), whatever else was scored;
 * a zeroed subtotal earns 0 of its possible points in the TOTAL.
 * The evaluations are scored over `threads` threads (parallel.h; 1: the
 * caller's alone), each evaluation by one, so the scores do not depend on
 * it. CALIB_OK or CALIB_ENOMEM (*out NULL).
 */
enum calib_status calib_scorecard_compute(const struct calib_store *s, unsigned threads,
                                          struct calib_scorecard **out);

void calib_scorecard_free(struct calib_scorecard *sc);

/* The scores of row `row` (0 the TOTAL, 1 + k section k). Cannot fail. */
const double *calib_scorecard_row(const struct calib_scorecard *sc, size_t row);

#endif
