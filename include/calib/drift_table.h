/*
 * drift_table.h - calib-drift's records (drift.h) as tables (table.h): the
 * series per (session, criterion), the series per (session, rater) of
 * --by rater, the trend per criterion, the comparison of two groups of
 * sessions, and the footers of what each assumed. drift.c builds records
 * and never renders; these functions do.
 *
 * Ownership: each table function returns a new table, holding copies of
 * what it shows, that the caller frees with calib_table_free(); NULL when
 * out of memory. The records are only read.
 */
#ifndef CALIB_DRIFT_TABLE_H
#define CALIB_DRIFT_TABLE_H

#include "calib/drift.h"
#include "calib/error.h"
#include "calib/raters.h"

struct calib_table;

/*
 * The series of calib_drift_run: one row per (session, criterion),
 * sessions in d's order, criteria in d's: session, criterion, statistic,
 * estimate, ci_lower, ci_upper, n_calls, n_raters, change, change_lower,
 * change_upper, flag ("up", "down" or empty, from the point's flag), note.
 */
struct calib_table *calib_drift_table_series(const struct calib_drift *d);

/*
 * The series of calib_drift_raters: one row per (session, rater):
 * session, rater, calibration_score, ci_lower, ci_upper, n_items, n_match,
 * pass ("pass", "fail", or NA where the record's pass is -1), bias,
 * bias_lower, bias_upper, n_calls, then the change cells as the series.
 */
struct calib_table *calib_drift_table_raters(const struct calib_drift *d);

/*
 * One row per criterion of d: criterion, statistic, and at its latest
 * present session (empty or NA where it has none) session, estimate,
 * change, change_lower, change_upper, flag; then slope, slope_se, n_slope
 * and a note: the latest point's note ("never scored" without one) and
 * how the slope was fitted (weighted by 1/SE^2 or descriptive; nothing
 * when there is no slope), joined by "; ".
 */
struct calib_table *calib_drift_table_trend(const struct calib_drift *d);

/*
 * One row per row of c: criterion, statistic, group_a, group_b (the sides
 * as written), estimate_a, estimate_b, change, change_lower,
 * change_upper, n_calls_a, n_calls_b, n_shared, flag ("up" where the
 * interval lies above 0, "down" below, else empty), note; with c->boot a
 * footer names the bootstrap (replicates, seed).
 */
struct calib_table *calib_drift_table_compare(const struct calib_drift_comparison *c);

/*
 * Append to t the footer of the series and trend tables of d: the number
 * of sessions and how they were ordered (how, e.g. "by date"), what a
 * change is and its bootstrap (d->boot, d->seed), and the slope's window.
 * CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_drift_table_footer(const struct calib_drift *d, const char *how,
                                           struct calib_table *t);

/*
 * Append to t the footer of calib_drift_table_raters: sessions and how
 * they were ordered, the answer key (ro->key), the calibration score with
 * its interval (ro->conf), what a match is (ro->tolerance, in points or
 * percent of the range), the pass mark (ro->pass, where set) and the
 * bias. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_drift_table_rater_footer(const struct calib_drift *d,
                                                 const struct calib_raters_opts *ro,
                                                 const char *how, struct calib_table *t);

#endif
