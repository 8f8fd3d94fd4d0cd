/*
 * totals.h - the TOTAL score per evaluation of a store, which the report,
 * calib-raters, calib-drift and calib-audit analyse as one more criterion
 * (the scores themselves come from scorecard.h). Split from report.h so
 * that those modules need not include the report's run.
 *
 * Ownership: calib_report_totals returns an array the caller frees.
 */
#ifndef CALIB_TOTALS_H
#define CALIB_TOTALS_H

#include <stdbool.h>

#include "calib/store.h"

/*
 * The TOTAL score of every evaluation of a finished store: row 0 of its
 * scorecard (calib_scorecard_compute(): points earned over points
 * possible among the applicable criteria, weighted, critical criteria),
 * computed over `threads` threads (parallel.h). Returns a malloc'd array
 * of s->n_evals doubles (caller frees), or NULL when out of memory.
 */
double *calib_report_totals(const struct calib_store *s, unsigned threads);

/*
 * Does a finished store have a TOTAL: more than one criterion, and at
 * least one whose levels have an order (it has points)? Cannot fail.
 */
bool calib_report_total_applies(const struct calib_store *s);

#endif
