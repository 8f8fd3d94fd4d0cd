/*
 * render.c - a report's records as tables (render.h): the tidy records of
 * the machine formats, the summary for people, every field for the
 * one-family programs, and the footer of what the report assumed.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "calib/band.h"
#include "calib/registry.h"
#include "calib/render.h"
#include "calib/table.h"

static const char *
scale_text(const struct calib_report_row *row, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", calib_scale_name(row->scale), row->inferred ? "*" : "");
	return buf;
}

static void
assumed(const struct calib_report_row *row, char *buf, size_t n)
{
	char sc[32];
	if (n < 400)
		return;
	snprintf(buf, n, "scale %s%s; categories %s; %zu scores, %zu unscored, %zu N/A; %zu call%s dropped",
		 scale_text(row, sc, sizeof sc), row->inferred ? " (inferred)" : "", row->levels,
		 row->n_scores, row->n_unscored, row->n_na, row->n_dropped,
		 row->n_dropped == 1 ? "" : "s");
	if (row->scale_note[0]) {
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "; %s", row->scale_note);
	}
	if (row->total && row->critical && (!row->section || row->n_zeroed > 0)) {
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "; %zu %s%s set to 0 by a critical criterion",
			 row->n_zeroed, row->section ? "subtotal" : "total",
			 row->n_zeroed == 1 ? "" : "s");
	}
	/* the star is for tables; the words say it here */
	if (row->inferred) {
		char *star = strchr(buf + 6, '*');
		if (star)
			memmove(star, star + 1, strlen(star));
	}
}

/*
 * The records' columns; the machine form (calib_report_tidy) adds the
 * criterion's scale as a last column, so that a reader of calib-agree's
 * output (calib-plot) need not parse the note, and no column moves.
 */
static const char *const tidy_cols[] = { "criterion", "statistic", "estimate", "se",
					  "ci_lower",  "ci_upper",  "test",     "df1",
					  "df2",       "p",         "n_calls",  "n_raters",
					  "band",      "note",      "scale" };

/* A record of criterion row in table t, with its scale when scale is set. */
static enum calib_status
tidy_record(struct calib_table *t, const struct calib_report_row *row, const struct calib_stat *s,
	    bool scale)
{
	double v[] = { s->estimate, s->se, s->lower, s->upper, s->test, s->df1, s->df2, s->p };
	enum calib_status st;
	if ((st = calib_table_row(t)))
		return st;
	calib_table_text(t, 0, "%s", row->criterion);
	calib_table_text(t, 1, "%s", s->name);
	for (size_t k = 0; k < 8; k++)
		calib_table_num(t, 2 + k, v[k]);
	calib_table_num(t, 10, (double)s->n_items);
	calib_table_num(t, 11, (double)s->n_raters);
	if (scale && (st = calib_table_text(t, 14, "%s", calib_scale_name(row->scale))))
		return st;
	enum calib_band_scheme scheme = calib_registry_bands(s->name);
	const char *sure = calib_band_benchmark(scheme, s->estimate, s->se, 0.95);
	calib_table_text(t, 12, "%s", calib_band_name(scheme, s->estimate));
	if (*sure)
		return calib_table_text(t, 13, "%s%s95%% sure: %s", s->note, s->note[0] ? "; " : "",
					sure);
	return calib_table_text(t, 13, "%s", s->note);
}

/* The records of r; counts: the machine form, with n_calls records and the scale. */
static struct calib_table *
records_table(const struct calib_report *r, bool counts)
{
	static const int digits[] = { 0, 0, 4, 4, 4, 4, 3, 1, 1, 4, -1, -1, 0, 0, 0 };
	struct calib_table *t = calib_table_alloc(tidy_cols, counts ? 15 : 14, digits);

	if (!t)
		return NULL;
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct calib_report_row *row = &r->rows[i];
		if (counts) {
			char note[600];
			if (calib_table_row(t))
				goto nomem;
			assumed(row, note, sizeof note);
			calib_table_text(t, 0, "%s", row->criterion);
			calib_table_text(t, 1, "n_calls");
			for (size_t c = 3; c < 10; c++)
				calib_table_num(t, c, NAN);
			calib_table_num(t, 2, (double)row->n_calls);
			calib_table_num(t, 10, (double)row->n_calls);
			calib_table_num(t, 11, (double)row->n_raters);
			calib_table_text(t, 14, "%s", calib_scale_name(row->scale));
			if (calib_table_text(t, 13, "%s", note))
				goto nomem;
		}
		for (size_t k = row->first; k < row->first + row->count; k++)
			if (tidy_record(t, row, &r->stats.v[k], counts))
				goto nomem;
	}
	return t;
nomem:
	calib_table_free(t);
	return NULL;
}

struct calib_table *
calib_report_tidy(const struct calib_report *r)
{
	return records_table(r, true);
}

struct calib_table *
calib_report_detail(const struct calib_report *r)
{
	struct calib_table *t = records_table(r, false);
	if (t && calib_report_footer(r, t)) {
		calib_table_free(t);
		return NULL;
	}
	return t;
}

/* Footer lines saying what the report assumed. */
enum calib_status
calib_report_footer(const struct calib_report *r, struct calib_table *t)
{
	const struct calib_report_opts *o = r->opts;
	bool inferred = false, total = false, section = false, unordered = false;
	enum calib_status st = CALIB_OK;

	for (size_t i = 0; i < r->n_rows; i++) {
		inferred |= r->rows[i].inferred;
		total |= r->rows[i].total && !r->rows[i].section;
		section |= r->rows[i].section;
		unordered |= !r->rows[i].ordered;
	}
	st |= calib_table_footer(t, "%s", "");
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct calib_report_row *row = &r->rows[i];
		char sc[32];
		if (row->total)
			continue;
		st |= calib_table_footer(t, "%s: %s, categories %s%s%s", row->criterion,
					 scale_text(row, sc, sizeof sc), row->levels,
					 row->scale_note[0] ? "; " : "", row->scale_note);
	}
	if (inferred)
		st |= calib_table_footer(t, "* scale inferred from the data; a rubric (-r) sets it");
	if (total)
		st |= calib_table_footer(t, "TOTAL: per call and rater, 100 x the weighted mean of "
					    "the criteria's points (N/A%s left out)",
					 unordered ? " and criteria without an order" : "");
	if (section)
		st |= calib_table_footer(t, "section:NAME: the same over the section's criteria "
					    "(its subtotal)");
	for (size_t i = 0; i < r->n_rows; i++)
		if (r->rows[i].total && !r->rows[i].section && r->rows[i].critical)
			st |= calib_table_footer(t, "critical: a critical criterion scored at its "
						    "lowest level set %zu total%s to 0",
						 r->rows[i].n_zeroed,
						 r->rows[i].n_zeroed == 1 ? "" : "s");
	st |= calib_table_footer(t, "N/A: %s",
				 o->na == CALIB_NA_CATEGORY ? "a category of its own"
				 : o->na == CALIB_NA_DROP   ? "left out"
							    : "a category for binary and nominal "
							      "criteria, left out of numeric ones");
	st |= calib_table_footer(t, "calls: %s",
				 o->complete ? "only those scored by every rater (--complete)"
					     : "every score used (calls need not be complete; ICC "
					       "uses complete calls)");
	if (o->boot)
		st |= calib_table_footer(t, "CI: %.0f%% percentile bootstrap, %zu replicates over "
					    "calls, seed %lu",
					 100 * o->coef.conf, o->boot, o->seed);
	else
		st |= calib_table_footer(t, "CI: %.0f%% analytic (t-based for Gwet's family, normal "
					    "for Cohen, F-based for ICC)",
					 100 * o->coef.conf);
	st |= calib_table_footer(t, "bands: Landis-Koch (kappa, AC1/AC2), Koo-Li (ICC), "
				    "Krippendorff 0.667/0.800 (alpha); 95%% sure: the highest band the "
				    "coefficient reaches with 95%% probability (Gwet 2014)");
	return st ? CALIB_ENOMEM : CALIB_OK;
}

/* v to three decimals, without the sign of a value that rounds to zero. */
static const char *
rounded(double v, char *buf, size_t n)
{
	snprintf(buf, n, "%.3f", fabs(v) < 0.0005 ? 0.0 : v);
	return buf;
}

struct calib_table *
calib_report_summary(const struct calib_report *r)
{
	char ci[32];
	const char *cols[] = { "criterion", "scale",     "calls",    "raters",
			       "unscored",  "n/a",       "statistic", "estimate",
			       ci,          "band",      "95% sure", "notes" };
	static const int digits[] = { 0, 0, -1, -1, -1, -1, 0, 3, 0, 0, 0, 0 };
	struct calib_table *t;

	snprintf(ci, sizeof ci, "%g%% CI", 100 * r->opts->coef.conf);
	if (!(t = calib_table_alloc(cols, 12, digits)))
		return NULL;

	for (size_t i = 0; i < r->n_rows; i++) {
		const struct calib_report_row *row = &r->rows[i];
		char sc[32];
		for (size_t k = row->first; k == row->first || k < row->first + row->count; k++) {
			const struct calib_stat *s = k < row->first + row->count ? &r->stats.v[k] : NULL;
			if (calib_table_row(t))
				goto nomem;
			calib_table_text(t, 0, "%s", row->criterion);
			if (k == row->first) {
				calib_table_text(t, 1, "%s", scale_text(row, sc, sizeof sc));
				calib_table_num(t, 2, (double)row->n_calls);
				calib_table_num(t, 3, (double)row->n_raters);
				calib_table_num(t, 4, (double)row->n_unscored);
				calib_table_num(t, 5, (double)row->n_na);
			}
			if (!s) {
				calib_table_text(t, 11, "%s",
						 row->n_scores ? "none of the statistics asked for applies"
							       : "no scores");
				continue;
			}
			calib_table_text(t, 6, "%s", s->name);
			calib_table_num(t, 7, s->estimate);
			if (isfinite(s->lower) && isfinite(s->upper)) {
				char lo[32], hi[32];
				calib_table_text(t, 8, "[%s, %s]", rounded(s->lower, lo, sizeof lo),
						 rounded(s->upper, hi, sizeof hi));
			}
			calib_table_text(t, 9, "%s",
					 calib_band_name(calib_registry_bands(s->name), s->estimate));
			calib_table_text(t, 10, "%s",
					 calib_band_benchmark(calib_registry_bands(s->name), s->estimate,
							      s->se, 0.95));
			if (calib_table_text(t, 11, "%s", s->note))
				goto nomem;
		}
	}
	if (calib_report_footer(r, t))
		goto nomem;
	return t;
nomem:
	calib_table_free(t);
	return NULL;
}
