/*
 * band.c - interpretation bands (band.h).
 *
 * Landis, J. R. & Koch, G. G. (1977). The measurement of observer agreement
 *   for categorical data. Biometrics 33, 159-174: < 0 poor, 0-0.20 slight,
 *   0.21-0.40 fair, 0.41-0.60 moderate, 0.61-0.80 substantial, 0.81-1
 *   almost perfect.
 * Koo, T. K. & Li, M. Y. (2016). A guideline of selecting and reporting
 *   intraclass correlation coefficients. J. Chiropr. Med. 15, 155-163:
 *   < 0.5 poor, 0.5-0.75 moderate, 0.75-0.9 good, > 0.9 excellent.
 * Krippendorff, K. (2004). Content Analysis, 2nd ed., p. 241: alpha >= 0.800
 *   reliable, 0.667-0.800 tentative conclusions only, below: unreliable.
 * Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., 6.3:
 *   benchmarking by the cumulative membership probability of the bands.
 */
#include <math.h>
#include <stdbool.h>

#include <gsl/gsl_cdf.h>

#include "calib/alpha.h"
#include "calib/band.h"
#include "calib/registry.h"

static const struct calib_band landis_koch[] = {
	{ -INFINITY, "poor" }, { 0.0, "slight" },      { 0.2, "fair" },
	{ 0.4, "moderate" },   { 0.6, "substantial" }, { 0.8, "almost perfect" }
};
static const struct calib_band koo_li[] = { { -INFINITY, "poor" },
					    { 0.5, "moderate" },
					    { 0.75, "good" },
					    { 0.9, "excellent" } };
static const struct calib_band krippendorff[] = { { -INFINITY, "unreliable" },
						  { CALIB_ALPHA_TENTATIVE, "tentative" },
						  { 0.8, "reliable" } };

const struct calib_band *
calib_band_edges(enum calib_band_scheme s, size_t *n)
{
	switch (s) {
	case CALIB_BANDS_LANDIS_KOCH:
		*n = sizeof landis_koch / sizeof *landis_koch;
		return landis_koch;
	case CALIB_BANDS_KOO_LI:
		*n = sizeof koo_li / sizeof *koo_li;
		return koo_li;
	case CALIB_BANDS_KRIPPENDORFF:
		*n = sizeof krippendorff / sizeof *krippendorff;
		return krippendorff;
	default:
		*n = 0;
		return NULL;
	}
}

enum calib_band_scheme
calib_band_scheme_for(const char *st)
{
	return calib_registry_bands(st);
}

const char *
calib_band_scheme_name(enum calib_band_scheme s)
{
	switch (s) {
	case CALIB_BANDS_LANDIS_KOCH:
		return "Landis-Koch";
	case CALIB_BANDS_KOO_LI:
		return "Koo-Li";
	case CALIB_BANDS_KRIPPENDORFF:
		return "Krippendorff";
	default:
		return "";
	}
}

const char *
calib_band_name(enum calib_band_scheme s, double estimate)
{
	size_t n;
	const struct calib_band *b = calib_band_edges(s, &n);
	const char *name = "";

	if (!b || isnan(estimate))
		return "";
	for (size_t i = 0; i < n; i++)
		/* Landis-Koch bands include their upper bounds (0.21-0.40 fair) */
		if (s == CALIB_BANDS_LANDIS_KOCH && i >= 2 ? estimate > b[i].lower
							   : estimate >= b[i].lower)
			name = b[i].name;
	return name;
}

const char *
calib_band_benchmark(enum calib_band_scheme s, double estimate, double se, double prob)
{
	size_t n;
	const struct calib_band *b = calib_band_edges(s, &n);

	if (!b || !isfinite(estimate) || !isfinite(se))
		return "";
	if (se == 0)
		return calib_band_name(s, estimate);
	for (size_t i = n; i-- > 0;) {
		/* cumulative probability of this band and every band above it */
		double cum = isinf(b[i].lower) ? 1.0
					       : gsl_cdf_ugaussian_Q((b[i].lower - estimate) / se);
		if (cum >= prob)
			return b[i].name;
	}
	return b[0].name;
}
