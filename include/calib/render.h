/*
 * render.h - a report's records (report.h) as tables (table.h): what
 * calib-agree, calib-kappa, calib-icc and calib-alpha print. The report
 * builds records and never renders; these functions do.
 *
 * Ownership: each returns a new table, holding copies of what it shows,
 * that the caller frees with calib_table_free().
 */
#ifndef CALIB_RENDER_H
#define CALIB_RENDER_H

#include "calib/report.h"

struct calib_table;

/*
 * The tidy table of a report, one record per (criterion, statistic):
 * criterion, statistic, estimate, se, ci_lower, ci_upper, test, df1, df2,
 * p, n_calls, n_raters, band, note, scale (the criterion's); each
 * criterion opens with an n_calls record whose note says what was assumed
 * (scale, categories, unscored, N/A and dropped counts). NULL when out of
 * memory.
 */
struct calib_table *calib_report_tidy(const struct calib_report *r);

/*
 * The table for people: per criterion its scale and counts once, then one
 * line per statistic with estimate, CI, band and notes; a footer says what
 * was assumed. NULL when out of memory.
 */
struct calib_table *calib_report_summary(const struct calib_report *r);

/* Every field of every record, for the one-family programs. */
struct calib_table *calib_report_detail(const struct calib_report *r);

/* Append the footer lines of what r assumed to t. CALIB_OK or CALIB_ENOMEM. */
enum calib_status calib_report_footer(const struct calib_report *r, struct calib_table *t);

#endif
