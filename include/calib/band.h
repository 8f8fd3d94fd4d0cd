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

enum calib_band_scheme {
	CALIB_BANDS_NONE = 0,
	CALIB_BANDS_LANDIS_KOCH,
	CALIB_BANDS_KOO_LI,
	CALIB_BANDS_KRIPPENDORFF
};

/* The scheme of a statistic or companion record, from the registry (registry.h). */
enum calib_band_scheme calib_band_scheme_for(const char *statistic);

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
