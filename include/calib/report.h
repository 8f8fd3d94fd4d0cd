/*
 * report.h - the analysis of a whole store: per criterion (and for the
 * TOTAL score per call) the chosen statistics, counts, bands and warnings.
 * This is what calib-agree, calib-kappa, calib-icc and calib-alpha print.
 *
 * Ownership: a struct calib_report owns its rows and records; free with
 * calib_report_free() (NULL harmless). Criterion names point into the
 * store, which must outlive the report.
 */
#ifndef CALIB_REPORT_H
#define CALIB_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/coef.h"
#include "calib/error.h"
#include "calib/matrix.h"
#include "calib/registry.h"
#include "calib/stat.h"
#include "calib/store.h"

struct calib_report_opts {
	const char *stat;         /* NULL: the defaults of each scale; "all"; or a comma list */
	unsigned families;        /* with stat "all": which families (CALIB_FAMILY_*) */
	bool detail;              /* keep companion records (_z tests, per-category kappas) */
	bool complete;            /* only calls scored by every rater (irr's convention) */
	enum calib_na_policy na;
	struct calib_coef_opts coef;
	size_t boot;              /* > 0: percentile bootstrap CIs with this many replicates */
	size_t alpha_boot;        /* > 0: after a criterion's records, for each
	                             Krippendorff alpha kept a kripp_alpha_<level>_boot
	                             record: the mean, spread, percentile interval and
	                             P(alpha < CALIB_ALPHA_TENTATIVE) of its bootstrap
	                             over calls with this many replicates (the very
	                             bootstrap of the interval when boot is the same) */
	size_t headline_boot;     /* with boot 0: replicates of the bootstrap that gives a
	                             headline without an analytic CI (ordinal alpha, Light's
	                             kappa, unanimous agreement) one; 0: none */
	unsigned long seed;       /* bootstrap seed (0: GSL's default, 4357) */
	uint32_t session;         /* CALIB_NONE: every session; else only this one */
	bool total;               /* add the TOTAL score per call */
	unsigned threads;         /* threads in all (calib_threads: 0 as many as fit, 1
	                             one thread everywhere): over the criteria, and in a
	                             criterion's bootstrap those the others leave */
	void (*progress)(void *ctx, size_t done, size_t total); /* or NULL */
	void *progress_ctx;
};

/*
 * Defaults: scale defaults, all scores, N/A per scale, analytic CIs (a headline
 * without one: 1000 bootstrap replicates), TOTAL
 * (and, when the rubric has sections, each section's subtotal before it).
 */
void calib_report_opts_init(struct calib_report_opts *o);

struct calib_report_row {
	const char *criterion;    /* "TOTAL" for the total score, "section:<name>" for a
				     section's subtotal */
	enum calib_scale scale;
	bool inferred;            /* scale guessed from the data */
	bool total;               /* a score of the scorecard: the TOTAL or a subtotal */
	bool section;             /* a section's subtotal */
	bool critical;            /* the rubric has critical criteria */
	size_t n_zeroed;          /* scores a critical criterion set to 0 */
	bool ordered;             /* levels with an order (calib_store_ordered()) */
	char levels[200];         /* the category set as text ("no|yes", "1|2|3|4|5") */
	char scale_note[200];     /* what reading assumed of the scale: the order
				     of labels, percentages (calib_store_scale_note()) */
	size_t n_levels;
	size_t n_calls, n_raters, n_scores;
	size_t n_unscored, n_na, n_dropped;
	size_t n_complete, n_pairable;
	size_t first, count;      /* its records: stats.v[first .. first+count) */
	size_t headline;          /* the headline record (registry.h's policy, or the
	                             first of --stat that applies) as an index from
	                             first, or SIZE_MAX: none applies */
};

struct calib_report {
	size_t n_rows;
	struct calib_report_row *rows;
	char **names;             /* the rows' "section:<name>", owned */
	size_t n_names;
	struct calib_stats stats;
	const struct calib_report_opts *opts;
};

/*
 * Analyse every criterion of a finished store. On error (CALIB_ENOMEM, or
 * CALIB_EARG for an unknown statistic name, message in err) *out is NULL.
 */
enum calib_status calib_report_run(const struct calib_store *s,
				   const struct calib_report_opts *o,
				   struct calib_report **out, struct calib_error *err);

void calib_report_free(struct calib_report *r);

/*
 * Add a copy of record st at the end of row `row`'s records (later rows'
 * records move up). CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_report_add(struct calib_report *r, size_t row,
				   const struct calib_stat *st);

/*
 * Add copies of records st[0..n), st[k] at the end of row row[k]'s records
 * (row[] non-decreasing, each < n_rows), in one pass over the report: the
 * way to add many, where calling calib_report_add for each would move the
 * later records each time. CALIB_OK or CALIB_ENOMEM (the report unchanged).
 */
enum calib_status calib_report_add_all(struct calib_report *r, const size_t *row,
				       const struct calib_stat *st, size_t n);

#endif
