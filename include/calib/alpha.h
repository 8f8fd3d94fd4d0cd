/*
 * alpha.h - Krippendorff's alpha (Krippendorff 2011, "Computing
 * Krippendorff's alpha-reliability") at the nominal, ordinal, interval and
 * ratio levels, with Gwet's (2014) standard error and a bootstrap over
 * calls.
 *
 * Ownership: the matrix and options are the caller's and only read; records
 * are appended to the caller's list; a bootstrap result is a plain struct the
 * caller owns (its optional replicate array too). Nothing is kept between
 * calls.
 */
#ifndef CALIB_ALPHA_H
#define CALIB_ALPHA_H

#include <stddef.h>

#include "calib/coef.h"
#include "calib/error.h"
#include "calib/matrix.h"
#include "calib/stat.h"

/*
 * Krippendorff's (2004, p. 241) smallest alpha for tentative conclusions:
 * the lower edge of the "tentative" band and the alpha_min of the
 * bootstrap summaries.
 */
#define CALIB_ALPHA_TENTATIVE 0.667

enum calib_alpha_level {
	CALIB_ALPHA_NOMINAL = 0, /* delta^2 = 0 if c = k, else 1 */
	CALIB_ALPHA_ORDINAL,     /* delta^2 from the ranks of the pairable values */
	CALIB_ALPHA_INTERVAL,    /* delta^2 = (c - k)^2 */
	CALIB_ALPHA_RATIO        /* delta^2 = ((c - k) / (c + k))^2, scores >= 0 */
};

/* "nominal", "ordinal", "interval", "ratio"; "?" if unknown. Cannot fail. */
const char *calib_alpha_level_name(enum calib_alpha_level level);

/*
 * Append the records kripp_alpha_<level> for the levels that apply to m:
 * all four on a numeric scale; nominal and ordinal on a labelled scale;
 * nominal only when the matrix has an N/A category; when o->want is set,
 * the levels it does not name are left out (not computed). Calls with
 * fewer than two scores are unpairable and left out. Each record: estimate; se, lower,
 * upper (t-based at o->conf, upper capped at 1), test = estimate / se,
 * df1 = n - 1, p (two-sided t) from Gwet's (2014) variance, n = pairable
 * calls (the ordinal level has no such variance: those fields are NAN).
 * Undefined values (a single value observed, no pairable call, ratio with a
 * negative score) are NAN with a note. o may be NULL (defaults).
 * Returns CALIB_OK, CALIB_ENOMEM, or CALIB_EARG when o->conf is not in
 * (0, 1) (err, which may be NULL, says so).
 */
enum calib_status calib_alpha_compute(const struct calib_matrix *m,
                                      const struct calib_coef_opts *o, struct calib_stats *out,
                                      struct calib_error *err);

/* What calib_alpha_bootstrap() found. */
struct calib_alpha_boot {
	double estimate;            /* alpha on the data (NAN when undefined) */
	double lower, upper;        /* percentile bounds at level conf, NAN if none */
	double q;                   /* share of replicates with alpha < alpha_min */
	double mean, sd;            /* mean and standard deviation of the replicates */
	size_t n_boot;              /* replicates drawn (B) */
	size_t n_defined;           /* replicates where alpha was defined */
	size_t n_calls;             /* pairable calls, the units resampled */
	double *rep;                /* NULL, or the caller's array of B doubles that
	                               receives each replicate's alpha in draw order
	                               (NAN when undefined) */
	unsigned threads;           /* read: workers computing the replicates
	                               (calib_threads: 0 as many as fit, 1 the
	                               caller's thread alone), left as
	                               calib_threads made it. The results do
	                               not depend on it */
	char note[CALIB_STAT_NOTE]; /* why something is NAN, or empty */
};

/*
 * Bootstrap of alpha at `level` over calls: each of B replicates draws
 * n_calls pairable calls with replacement and computes alpha on them. The
 * draws come from one gsl_rng_mt19937 seeded with `seed` (0 means GSL's
 * default 4357), replicate after replicate. Calls with the same count per
 * category are one pattern, numbered in order of first appearance. When
 * the patterns are at most a quarter of the calls, a replicate is one
 * gsl_ran_multinomial(rng, patterns, n_calls, calls per pattern) draw of
 * how often each pattern is drawn. Otherwise it draws n_calls call indices
 * in order: the high 32 bits of x * n_calls, x = gsl_rng_get(rng), x drawn
 * again while its low 32 bits are below 2^32 mod n_calls (Lemire's
 * unbiased multiply-shift). Both are the same resampling of the calls.
 * Replicates where alpha is undefined (a single value drawn) are left out
 * of the summaries and counted. Bounds are the (1 - conf)/2 and
 * (1 + conf)/2 quantiles of the defined replicates (linear interpolation,
 * gsl_stats_quantile_from_sorted_data); q = P(alpha < alpha_min) is
 * Krippendorff's probability of failing the smallest acceptable alpha.
 * res->rep and res->threads are read and every other field written.
 * Krippendorff's own algorithm resamples pairs of values within the
 * coincidence matrix; this one resamples whole calls, the units of a
 * calibration session. Returns CALIB_OK, CALIB_ENOMEM, or CALIB_EARG
 * (B = 0, conf not in (0, 1), a level that does not apply to m (see
 * calib_alpha_compute()), 2^32 calls or more, or a matrix of patterns
 * alone where calib_alpha_boot_needs_rows()).
 */
enum calib_status calib_alpha_bootstrap(const struct calib_matrix *m,
                                        enum calib_alpha_level level, size_t B,
                                        unsigned long seed, double conf, double alpha_min,
                                        struct calib_alpha_boot *res, struct calib_error *err);

/*
 * calib_alpha_bootstrap() at each level l with want[l] (want and res are
 * indexed by enum calib_alpha_level) from one set of draws: every level
 * draws the same calls from the same seed, so res[l] is what
 * calib_alpha_bootstrap(m, l, ...) gives alone, for about the cost of
 * drawing once. res[l].rep is read as there; the workers are those of
 * the first level wanted (its res[l].threads). Returns as
 * calib_alpha_bootstrap(), CALIB_EARG when a level wanted does not apply.
 */
enum calib_status calib_alpha_bootstrap_levels(const struct calib_matrix *m,
                                               const bool want[4], size_t B,
                                               unsigned long seed, double conf,
                                               double alpha_min,
                                               struct calib_alpha_boot res[4],
                                               struct calib_error *err);

/*
 * Does calib_alpha_bootstrap() on m need m's every row? Only when m holds
 * its patterns alone (calib_matrix_counts) and it would draw calls one by
 * one, which takes each call's pattern in order: when the patterns of
 * pairable calls are more than a quarter of them. Cannot fail.
 */
bool calib_alpha_boot_needs_rows(const struct calib_matrix *m);

/*
 * Per-call sufficient statistics of alpha at one level, for a bootstrap
 * that draws its own calls (calib-drift draws calls within sessions and
 * pairs shared calls): calib_alpha_calls_build once for m (which must
 * outlive it), then per replicate calib_alpha_calls_resample on the rows
 * rows[0..n) of m (repeats allowed) and calib_alpha_calls_estimate: the
 * alpha calib_alpha_compute gives on calib_matrix_resample(m, rows, n), to
 * rounding, NAN when undefined (a single value drawn), in O(rows drawn +
 * calls) with no matrix built. build: CALIB_OK, CALIB_ENOMEM, or
 * CALIB_EARG (a level that does not apply to m, or m holds its patterns
 * alone); *out is NULL on error.
 * calib_alpha_calls_free(NULL) is harmless.
 */
struct calib_alpha_calls;

enum calib_status calib_alpha_calls_build(const struct calib_matrix *m,
                                          enum calib_alpha_level level,
                                          struct calib_alpha_calls **out,
                                          struct calib_error *err);
void calib_alpha_calls_resample(struct calib_alpha_calls *c, const size_t *rows, size_t n);
double calib_alpha_calls_estimate(struct calib_alpha_calls *c);
void calib_alpha_calls_free(struct calib_alpha_calls *c);

#endif
