/*
 * icc.h - intraclass correlations of one criterion: the six forms of
 * Shrout & Fleiss (1979) / McGraw & Wong (1996) from the two-way analysis
 * of variance of the calls scored by every rater.
 *
 * Ownership: the matrix and options are the caller's and only read; the
 * records are appended to the caller's list. Nothing else is kept.
 */
#ifndef CALIB_ICC_H
#define CALIB_ICC_H

#include "calib/coef.h"
#include "calib/error.h"
#include "calib/matrix.h"
#include "calib/stat.h"

/*
 * Append the records icc1, icc2, icc3, icc1k, icc2k, icc3k (in that order)
 * for matrix m: estimate, F test (test, df1, df2, p: upper tail) and bounds
 * at level o->conf. o NULL means calib_coef_opts_init() defaults; o->icc
 * chooses the ICC(2) convention (coef.h). Scores are value[cat]; N/A scores
 * count as missing, and only calls with a score from every rater column
 * that has any numeric score are used (n_items, n_raters of the records;
 * the note says how many calls were dropped). Undefined results (fewer
 * than 2 calls or raters, every score the same) are NAN with a note.
 * Returns CALIB_OK, CALIB_ENOMEM, or CALIB_EARG when conf is not in (0, 1);
 * err (may be NULL) says why. On failure nothing is appended.
 */
enum calib_status calib_icc_compute(const struct calib_matrix *m,
                                    const struct calib_coef_opts *o, struct calib_stats *out,
                                    struct calib_error *err);

/*
 * The ICC estimates of a bootstrap without building each resampled matrix
 * (as calib_agreement_calls): calib_icc_calls_build once for m (which must
 * outlive it), then calib_icc_calls_resample on the calls rows[0..n)
 * (indices into m, repeats allowed), and calib_icc_calls_estimate for
 * icc1 .. icc3k (by calib_icc_calls_pick's number): the estimates
 * calib_icc_compute gives on calib_matrix_resample(m, rows, n) (to
 * rounding), NAN when undefined. build: CALIB_OK or CALIB_ENOMEM (*out NULL).
 */
struct calib_icc_calls;

enum calib_status calib_icc_calls_build(const struct calib_matrix *m,
                                        const struct calib_coef_opts *o,
                                        struct calib_icc_calls **out, struct calib_error *err);
void calib_icc_calls_resample(struct calib_icc_calls *c, const size_t *rows, size_t n);
/* icc1 .. icc3k's number for calib_icc_calls_estimate, -1 for any other name */
int calib_icc_calls_pick(const char *name);
/* the last resample's estimate of the ICC pick (0 .. 5), NAN when undefined */
double calib_icc_calls_estimate(const struct calib_icc_calls *c, int pick);
void calib_icc_calls_free(struct calib_icc_calls *c);

/*
 * The upper quantile of the F distribution: the f with P(F > f) = q on
 * (d1, d2) degrees of freedom, which may be fractional and below 1: the
 * root of GSL's upper tail, found by Brent's method. +Inf for q = 0, 0 for q = 1; NAN when q is
 * outside [0, 1] or a degree of freedom is not a positive finite number.
 */
double calib_f_upper_quantile(double q, double d1, double d2);

#endif
