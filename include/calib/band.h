/*
 * band.h - interpretation bands of agreement coefficients, and Gwet's
 * probabilistic benchmarking.
 *
 * Landis & Koch (1977) for kappa-type coefficients and Gwet's AC1/AC2,
 * Koo & Li (2016) for intraclass correlations, Krippendorff's (2004)
 * 0.667/0.800 for alpha. Nothing here allocates; returned strings are
 * static.
 */
#ifndef CALIB_BAND_H
#define CALIB_BAND_H

#include <stddef.h>

enum calib_band_scheme {
	CALIB_BANDS_NONE = 0,
	CALIB_BANDS_LANDIS_KOCH,
	CALIB_BANDS_KOO_LI,
	CALIB_BANDS_KRIPPENDORFF
};

/* The scheme of a statistic or companion record, from the registry (registry.h). */
enum calib_band_scheme calib_band_scheme_for(const char *statistic);

/* One band of a scheme: it starts at lower (-INFINITY for the first). */
struct calib_band {
	double lower;
	const char *name;
};

/*
 * The bands of a scheme, worst first, their number in *n (static; NULL and
 * 0 for none): the edges a chart shades, the same table calib_band_name
 * reads. A Landis-Koch band from "fair" up holds its upper bound and not
 * its lower one (0.20 is slight); every other band holds its lower bound.
 * Cannot fail.
 */
const struct calib_band *calib_band_edges(enum calib_band_scheme s, size_t *n);

/* "Landis-Koch", "Koo-Li", "Krippendorff", or "" for none. */
const char *calib_band_scheme_name(enum calib_band_scheme s);

/* The band an estimate falls in ("moderate"), or "" when NAN or no scheme. */
const char *calib_band_name(enum calib_band_scheme s, double estimate);

/*
 * Gwet (2014, ch. 6) benchmarking: the highest band whose cumulative
 * membership probability, under a normal law with mean estimate and
 * standard deviation se, reaches prob (0.95). "" when se or the estimate
 * is not finite. Bands are those of the scheme.
 */
const char *calib_band_benchmark(enum calib_band_scheme s, double estimate, double se,
				 double prob);

#endif
