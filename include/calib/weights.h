/*
 * weights.h - agreement weight matrices w_kl on a criterion's categories,
 * as used by weighted percent agreement, Gwet's AC2, Cohen's weighted
 * kappa and Krippendorff-type coefficients (Gwet 2014, Handbook of
 * Inter-Rater Reliability, 4th ed., ch. 3 "weighted agreement").
 *
 * Categories are given as their values, increasing (the matrix's value[]);
 * a NAN value (the N/A category, always last) is nominal: its weight is 1
 * with itself and 0 with every other category, whatever the weighting.
 * Weights are row-major q x q doubles, w[k * q + l], 1 on the diagonal,
 * in [0, 1] off it.
 *
 * Ownership: the caller owns every array; nothing here allocates.
 */
#ifndef CALIB_WEIGHTS_H
#define CALIB_WEIGHTS_H

#include <stddef.h>

#include "calib/error.h"

enum calib_weighting {
	CALIB_W_IDENTITY = 0, /* 1 if k = l, else 0 (unweighted) */
	CALIB_W_LINEAR,       /* 1 - |x_k - x_l| / (x_max - x_min) */
	CALIB_W_QUADRATIC,    /* 1 - (x_k - x_l)^2 / (x_max - x_min)^2 */
	CALIB_W_ORDINAL, /* Gwet: 1 - M_kl / max M, M_kl = t(t-1)/2, t = |k-l|+1 on ranks */
	CALIB_W_RATIO    /* 1 - ((x_k-x_l)/(x_k+x_l))^2 / ((x_max-x_min)/(x_max+x_min))^2 */
};

/*
 * Fill w_out (q x q, row-major) with the weights of kind w on the category
 * values value[0..q-1] (increasing; a trailing NAN is the N/A category).
 * Linear, quadratic and ratio weights use the values, ordinal weights the
 * ranks 1..q (pass ranks as values to get linear or quadratic weights on
 * ranks). When only one category with a value exists every weight among
 * valued categories is 1. Returns CALIB_OK, or CALIB_EARG when q is 0, w is
 * not a known kind, or ratio weights meet a negative value (w_out is then
 * left unspecified).
 */
enum calib_status calib_weights_fill(enum calib_weighting w, const double *value, size_t q,
                                     double *w_out);

/*
 * The single weight w_kl of calib_weights_fill, computed in O(1) without a
 * matrix (for many categories). k, l < q; returns NAN when calib_weights_fill
 * would fail.
 */
double calib_weights_one(enum calib_weighting w, const double *value, size_t q, size_t k,
                         size_t l);

/*
 * Check a custom q x q weight matrix (row-major): every entry finite and in
 * [0, 1], the diagonal 1. Returns CALIB_OK or CALIB_EARG with a message
 * naming the first bad entry (1-based row and column) in err (may be NULL).
 */
enum calib_status calib_weights_check(const double *w, size_t q, struct calib_error *err);

/* Name of a weighting ("identity", "linear", ...); "?" if unknown. */
const char *calib_weights_name(enum calib_weighting w);

/*
 * Parse a weighting name (case-insensitive, as calib_weights_name gives).
 * Returns CALIB_OK and sets *w, or CALIB_EARG when the name is unknown.
 */
enum calib_status calib_weights_parse(const char *s, enum calib_weighting *w);

#endif
