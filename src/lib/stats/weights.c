/*
 * weights.c - agreement weight matrices (weights.h).
 *
 * Definitions follow Gwet (2014), Handbook of Inter-Rater Reliability, 4th
 * ed., ch. 3 (weights for ordinal, interval and ratio ratings), as irrCAC's
 * weights.gen.r computes them, with x the category values (ranks for the
 * ordinal weights) and range = x_max - x_min:
 *   linear     1 - |x_k - x_l| / range
 *   quadratic  1 - (x_k - x_l)^2 / range^2
 *   ordinal    1 - M_kl / max M, M_kl = t (t - 1) / 2, t = |k - l| + 1
 *   ratio      1 - ((x_k - x_l) / (x_k + x_l))^2 / (range / (x_max + x_min))^2
 * The N/A category is nominal (identity weights). Two points differ from
 * irrCAC where its arithmetic has no answer: with a single valued category
 * (x_max = x_min) every weight is 1 instead of 0/0, and a ratio weight with
 * x_k = x_l = 0 is 1 (the diagonal) instead of 0/0.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <strings.h>

#include "calib/weights.h"

static const char *const weight_names[] = {
        [CALIB_W_IDENTITY] = "identity",   [CALIB_W_LINEAR] = "linear",
        [CALIB_W_QUADRATIC] = "quadratic", [CALIB_W_ORDINAL] = "ordinal",
        [CALIB_W_RATIO] = "ratio",
};

#define N_WEIGHTINGS (sizeof weight_names / sizeof weight_names[0])

/* Number of leading categories with a value (the N/A category is last). */
static size_t
valued_levels(const double *value, size_t q)
{
	while (q > 0 && isnan(value[q - 1]))
		q--;
	return q;
}

static bool
known_kind(enum calib_weighting w)
{
	return (size_t)w < N_WEIGHTINGS;
}

/* Weight between two valued categories; qv = number of valued ones. */
static double
weight_valued(enum calib_weighting w, const double *value, size_t qv, size_t k, size_t l)
{
	double lo, hi, d, s, r, t, tmax;

	if (k == l)
		return 1.0;
	lo = value[0];
	hi = value[qv - 1];
	switch (w) {
	case CALIB_W_IDENTITY:
		return 0.0;
	case CALIB_W_LINEAR:
		if (!(hi > lo))
			return 1.0;
		return 1.0 - fabs(value[k] - value[l]) / (hi - lo);
	case CALIB_W_QUADRATIC:
		if (!(hi > lo))
			return 1.0;
		d = (value[k] - value[l]) / (hi - lo);
		return 1.0 - d * d;
	case CALIB_W_ORDINAL:
		if (qv < 2)
			return 1.0;
		t = (double)(k > l ? k - l : l - k) + 1.0;
		tmax = (double)qv;
		return 1.0 - (t * (t - 1.0)) / (tmax * (tmax - 1.0));
	case CALIB_W_RATIO:
		if (lo < 0.0)
			return NAN;
		if (!(hi > lo))
			return 1.0;
		s = value[k] + value[l];
		r = (hi - lo) / (hi + lo);
		d = s > 0.0 ? (value[k] - value[l]) / s : 0.0;
		return 1.0 - (d * d) / (r * r);
	}
	return NAN;
}

double
calib_weights_one(enum calib_weighting w, const double *value, size_t q, size_t k, size_t l)
{
	size_t qv;

	if (q == 0 || k >= q || l >= q || !known_kind(w))
		return NAN;
	qv = valued_levels(value, q);
	if (w == CALIB_W_RATIO && qv > 0 && value[0] < 0.0)
		return NAN;
	if (k >= qv || l >= qv)
		return k == l ? 1.0 : 0.0;
	return weight_valued(w, value, qv, k, l);
}

enum calib_status
calib_weights_fill(enum calib_weighting w, const double *value, size_t q, double *w_out)
{
	size_t k, l, qv;

	if (q == 0 || !known_kind(w))
		return CALIB_EARG;
	qv = valued_levels(value, q);
	if (w == CALIB_W_RATIO && qv > 0 && value[0] < 0.0)
		return CALIB_EARG;
	for (k = 0; k < q; k++)
		for (l = 0; l < q; l++)
			w_out[k * q + l] = (k >= qv || l >= qv)
			                           ? (k == l ? 1.0 : 0.0)
			                           : weight_valued(w, value, qv, k, l);
	return CALIB_OK;
}

enum calib_status
calib_weights_check(const double *w, size_t q, struct calib_error *err)
{
	size_t k, l;
	double x;

	if (q == 0)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "weight matrix has no category");
	for (k = 0; k < q; k++)
		for (l = 0; l < q; l++) {
			x = w[k * q + l];
			if (!isfinite(x) || x < 0.0 || x > 1.0)
				return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
				                       "weight %zu,%zu is not between 0 and 1",
				                       k + 1, l + 1);
			if (k == l && x != 1.0)
				return calib_error_set(
				        err, CALIB_EARG, NULL, 0, 0,
				        "weight %zu,%zu on the diagonal is not 1", k + 1,
				        l + 1);
		}
	return CALIB_OK;
}

const char *
calib_weights_name(enum calib_weighting w)
{
	return known_kind(w) ? weight_names[w] : "?";
}

enum calib_status
calib_weights_parse(const char *s, enum calib_weighting *w)
{
	size_t i;

	for (i = 0; i < N_WEIGHTINGS; i++)
		if (strcasecmp(s, weight_names[i]) == 0) {
			*w = (enum calib_weighting)i;
			return CALIB_OK;
		}
	return CALIB_EARG;
}
