/*
 * drift_table.c - calib-drift's records as tables (drift_table.h): the
 * series by criterion and by rater, the trend, the comparison of two
 * groups of sessions, and their footers.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "calib/drift_table.h"
#include "calib/table.h"

static const char *
flag_text(int flag)
{
	return flag > 0 ? "up" : flag < 0 ? "down" : "";
}

/* A row's change, change_lower, change_upper, flag and note from column col on. */
static int
change_cells(struct calib_table *t, size_t col, const struct calib_drift_point *p)
{
	return calib_table_num(t, col, p->change) ||
	       calib_table_num(t, col + 1, p->change_lower) ||
	       calib_table_num(t, col + 2, p->change_upper) ||
	       calib_table_text(t, col + 3, "%s", flag_text(p->flag)) ||
	       calib_table_text(t, col + 4, "%s", p->note);
}

struct calib_table *
calib_drift_table_series(const struct calib_drift *d)
{
	static const char *const cols[] = {
	        "session",      "criterion", "statistic", "estimate", "ci_lower",
	        "ci_upper",     "n_calls",   "n_raters",  "change",   "change_lower",
	        "change_upper", "flag",      "note"};
	static const int digits[] = {0, 0, 0, 3, 3, 3, -1, -1, 3, 3, 3, 0, 0};
	struct calib_table *t = calib_table_alloc(cols, 13, digits);

	if (!t)
		return NULL;
	for (size_t i = 0; i < d->n_sessions; i++)
		for (size_t c = 0; c < d->n_criteria; c++) {
			const struct calib_drift_point *p = calib_drift_at(d, c, i);
			if (calib_table_row(t) || calib_table_text(t, 0, "%s", d->session[i]) ||
			    calib_table_text(t, 1, "%s", d->trend[c].criterion) ||
			    calib_table_text(t, 2, "%s", d->trend[c].stat) ||
			    calib_table_num(t, 3, p->estimate) ||
			    calib_table_num(t, 4, p->lower) ||
			    calib_table_num(t, 5, p->upper) ||
			    calib_table_num(t, 6, (double)p->n_calls) ||
			    calib_table_num(t, 7, (double)p->n_raters) || change_cells(t, 8, p))
				goto fail;
		}
	return t;
fail:
	calib_table_free(t);
	return NULL;
}

struct calib_table *
calib_drift_table_raters(const struct calib_drift *d)
{
	static const char *const cols[] = {"session",    "rater",        "calibration_score",
	                                   "ci_lower",   "ci_upper",     "n_items",
	                                   "n_match",    "pass",         "bias",
	                                   "bias_lower", "bias_upper",   "n_calls",
	                                   "change",     "change_lower", "change_upper",
	                                   "flag",       "note"};
	static const int digits[] = {0, 0, 3, 3, 3, -1, -1, 0, 2, 2, 2, -1, 3, 3, 3, 0, 0};
	struct calib_table *t = calib_table_alloc(cols, 17, digits);

	if (!t)
		return NULL;
	for (size_t i = 0; i < d->n_sessions; i++)
		for (size_t c = 0; c < d->n_criteria; c++) {
			const struct calib_drift_point *p = calib_drift_at(d, c, i);
			const struct calib_drift_rater *x = &d->rater[c * d->n_sessions + i];
			if (calib_table_row(t) || calib_table_text(t, 0, "%s", d->session[i]) ||
			    calib_table_text(t, 1, "%s", d->trend[c].criterion) ||
			    calib_table_num(t, 2, p->estimate) ||
			    calib_table_num(t, 3, p->lower) ||
			    calib_table_num(t, 4, p->upper) ||
			    calib_table_num(t, 5, (double)x->n_items) ||
			    calib_table_num(t, 6, (double)x->n_match) ||
			    (x->pass < 0 ? calib_table_num(t, 7, NAN)
			                 : calib_table_text(t, 7, "%s",
			                                    x->pass ? "pass" : "fail")) ||
			    calib_table_num(t, 8, x->bias) ||
			    calib_table_num(t, 9, x->bias_lower) ||
			    calib_table_num(t, 10, x->bias_upper) ||
			    calib_table_num(t, 11, (double)x->n_calls) ||
			    change_cells(t, 12, p))
				goto fail;
		}
	return t;
fail:
	calib_table_free(t);
	return NULL;
}

/* The note of a trend row: its latest session's, and how the slope was fitted. */
static int
trend_note(struct calib_table *t, const struct calib_drift_trend *r,
           const struct calib_drift_point *p)
{
	const char *note = p ? p->note : "never scored";
	const char *how = isnan(r->slope) ? ""
	                  : r->weighted   ? "slope weighted by each session's 1/SE^2"
	                                : "slope descriptive: unweighted, a session has no SE";
	return calib_table_text(t, 11, "%s%s%s", note, note[0] && how[0] ? "; " : "", how) !=
	       CALIB_OK;
}

struct calib_table *
calib_drift_table_trend(const struct calib_drift *d)
{
	static const char *const cols[] = {
	        "criterion",    "statistic", "session", "estimate", "change",  "change_lower",
	        "change_upper", "flag",      "slope",   "slope_se", "n_slope", "note"};
	static const int digits[] = {0, 0, 0, 3, 3, 3, 3, 0, 4, 4, -1, 0};
	struct calib_table *t = calib_table_alloc(cols, 12, digits);

	if (!t)
		return NULL;
	for (size_t c = 0; c < d->n_criteria; c++) {
		const struct calib_drift_trend *r = &d->trend[c];
		const struct calib_drift_point *p =
		        r->latest == SIZE_MAX ? NULL : calib_drift_at(d, c, r->latest);
		if (calib_table_row(t) || calib_table_text(t, 0, "%s", r->criterion) ||
		    calib_table_text(t, 1, "%s", r->stat) ||
		    calib_table_text(t, 2, "%s", p ? d->session[r->latest] : "") ||
		    calib_table_num(t, 3, p ? p->estimate : NAN) ||
		    calib_table_num(t, 4, p ? p->change : NAN) ||
		    calib_table_num(t, 5, p ? p->change_lower : NAN) ||
		    calib_table_num(t, 6, p ? p->change_upper : NAN) ||
		    calib_table_text(t, 7, "%s", p ? flag_text(p->flag) : "") ||
		    calib_table_num(t, 8, r->slope) || calib_table_num(t, 9, r->slope_se) ||
		    calib_table_num(t, 10, (double)r->n_points) || trend_note(t, r, p))
			goto fail;
	}
	return t;
fail:
	calib_table_free(t);
	return NULL;
}

struct calib_table *
calib_drift_table_compare(const struct calib_drift_comparison *c)
{
	static const char *const cols[] = {
	        "criterion",  "statistic", "group_a",      "group_b",      "estimate_a",
	        "estimate_b", "change",    "change_lower", "change_upper", "n_calls_a",
	        "n_calls_b",  "n_shared",  "flag",         "note"};
	static const int digits[] = {0, 0, 0, 0, 3, 3, 3, 3, 3, -1, -1, -1, 0, 0};
	struct calib_table *t = calib_table_alloc(cols, 14, digits);

	if (!t)
		return NULL;
	for (size_t k = 0; k < c->n_rows; k++) {
		const struct calib_drift_diff *r = &c->row[k];
		if (calib_table_row(t) || calib_table_text(t, 0, "%s", c->criterion[k]) ||
		    calib_table_text(t, 1, "%s", r->stat) ||
		    calib_table_text(t, 2, "%s", c->group_a) ||
		    calib_table_text(t, 3, "%s", c->group_b) || calib_table_num(t, 4, r->a) ||
		    calib_table_num(t, 5, r->b) || calib_table_num(t, 6, r->diff) ||
		    calib_table_num(t, 7, r->lower) || calib_table_num(t, 8, r->upper) ||
		    calib_table_num(t, 9, (double)r->n_calls_a) ||
		    calib_table_num(t, 10, (double)r->n_calls_b) ||
		    calib_table_num(t, 11, (double)r->n_shared) ||
		    calib_table_text(t, 12, "%s",
		                     flag_text(r->lower > 0   ? 1
		                               : r->upper < 0 ? -1
		                                              : 0)) ||
		    calib_table_text(t, 13, "%s", r->note))
			goto fail;
	}
	if (c->boot && calib_table_footer(t,
	                                  "change: b - a, percentile bootstrap CI over "
	                                  "calls, %zu replicates, seed %lu",
	                                  c->boot, c->seed))
		goto fail;
	return t;
fail:
	calib_table_free(t);
	return NULL;
}

enum calib_status
calib_drift_table_footer(const struct calib_drift *d, const char *how, struct calib_table *t)
{
	enum calib_status st =
	        calib_table_footer(t, "sessions: %zu, ordered %s", d->n_sessions, how);

	if (st)
		return st;
	if (d->boot)
		return calib_table_footer(t,
		                          "change: difference from the previous session, "
		                          "percentile bootstrap CI over calls, %zu replicates, "
		                          "seed %lu; slope per session over the last %zu",
		                          d->boot, d->seed, d->window);
	return calib_table_footer(t,
	                          "change: no bootstrap (--boot 0); slope per session over "
	                          "the last %zu",
	                          d->window);
}

enum calib_status
calib_drift_table_rater_footer(const struct calib_drift *d, const struct calib_raters_opts *ro,
                               const char *how, struct calib_table *t)
{
	enum calib_status st = CALIB_OK;

	st |= calib_table_footer(t, "sessions: %zu, ordered %s", d->n_sessions, how);
	st |= calib_table_footer(t, "reference: the answer key (%s)", ro->key);
	st |= calib_table_footer(
	        t,
	        "calibration_score: share of the rater's items (call x criterion, scored or "
	        "N/A) with a key score that match it, as calib-raters --key; %g%% Wilson "
	        "interval, the items taken as independent",
	        100 * ro->conf);
	if (ro->tol_percent)
		st |= calib_table_footer(t,
		                         "match: the same category on binary and nominal "
		                         "criteria, within %g%% of the range on the others",
		                         ro->tolerance);
	else
		st |= calib_table_footer(t,
		                         "match: the same category on binary and nominal "
		                         "criteria, within %g points on the others",
		                         ro->tolerance);
	if (!isnan(ro->pass))
		st |= calib_table_footer(t, "pass: calibration_score >= %g", ro->pass);
	st |= calib_table_footer(
	        t,
	        "bias: the rater's TOTAL minus the key's (0-100 points), %g%% t "
	        "interval; change: from the rater's previous session, normal "
	        "interval from both sessions' SE",
	        100 * ro->conf);
	return st ? CALIB_ENOMEM : CALIB_OK;
}
