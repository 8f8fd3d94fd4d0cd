/*
 * test_icc.c - intraclass correlations (icc.c): Shrout & Fleiss (1979)
 * Table 2, hand-computed mean squares, degenerate and missing data, a
 * large common offset, option errors, and every reference data set (psych
 * rows in the psych convention, irr rows in irr's).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/coef.h"
#include "calib/icc.h"
#include "calib/matrix.h"
#include "calib/stat.h"

#include "tap.h"
#include "ref.h"

static const char *const names[6] = {"icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k"};

/* Shrout & Fleiss (1979) Table 2: 6 targets x 4 judges. */
static const double sf_data[6 * 4] = {
        9, 2, 5, 8, 6, 1, 3, 2, 8, 4, 6, 8, 7, 1, 2, 6, 10, 5, 6, 9, 6, 2, 4, 7,
};

static struct calib_matrix *
matrix_of(const double *x, size_t n, size_t k)
{
	struct calib_matrix *m = NULL;
	if (calib_matrix_from_values(x, n, k, CALIB_SCALE_INTERVAL, &m) != CALIB_OK)
		return NULL;
	return m;
}

/* Run the family on m with convention conv into l (cleared first). */
static enum calib_status
run(const struct calib_matrix *m, enum calib_icc_convention conv, struct calib_stats *l)
{
	struct calib_coef_opts o;
	struct calib_error e;
	calib_coef_opts_init(&o);
	o.icc = conv;
	calib_stats_clear(l);
	return calib_icc_compute(m, &o, l, &e);
}

static const struct calib_stat *
get(const struct calib_stats *l, const char *name)
{
	const struct calib_stat *s = calib_stats_find(l, name);
	if (!s) {
		static struct calib_stat none;
		ok(0, "record %s exists", name);
		none.estimate = none.test = none.p = none.lower = none.upper = -999;
		return &none;
	}
	return s;
}

static void
test_shrout_fleiss(void)
{
	static const double published[6] = {0.17, 0.29, 0.71, 0.44, 0.62, 0.91};
	static const double full[6] = {0.165741768405475, 0.289763779527559, 0.714840714840715,
	                               0.442797133679269, 0.620050547598989, 0.909315542377069};
	struct calib_matrix *m = matrix_of(sf_data, 6, 4);
	struct calib_stats l;
	calib_stats_init(&l);
	ok(m != NULL, "Shrout-Fleiss matrix");
	ok(run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK, "Shrout-Fleiss: CALIB_OK");
	is_long((long)l.n, 6, "six records");
	for (size_t r = 0; r < 6; r++) {
		const struct calib_stat *s = get(&l, names[r]);
		ok(strcmp(l.v[r].name, names[r]) == 0, "record %zu is %s", r, names[r]);
		is_double(round(s->estimate * 100) / 100, published[r], 1e-12,
		          "Shrout-Fleiss Table 2 %s = %.2f", names[r], published[r]);
		is_double(s->estimate, full[r], 1e-12, "Shrout-Fleiss %s full precision",
		          names[r]);
		is_long((long)s->n_items, 6, "%s n_items", names[r]);
		is_long((long)s->n_raters, 4, "%s n_raters", names[r]);
		is_string(s->note, "", "%s no note", names[r]);
	}
	/* Shrout & Fleiss p. 425: F = BMS/EMS = 11.03 on (5, 15); BMS/WMS = 1.79. */
	is_double(get(&l, "icc3")->test, 11.0272479564033, 1e-12, "F3 = BMS/EMS");
	is_double(get(&l, "icc1")->test, 1.79467849223947, 1e-12, "F1 = BMS/WMS");
	is_double(get(&l, "icc2")->df2, 15, 0, "psych: icc2 df2 = (n-1)(k-1)");
	ok(run(m, CALIB_ICC_IRR, &l) == CALIB_OK, "irr convention");
	is_double(get(&l, "icc2")->df2, 4.78514386221276, 1e-12, "irr: icc2 df2 = v");
	is_double(get(&l, "icc2k")->lower, 0.0394401799213911, 1e-9,
	          "irr: icc2k lower (McGraw-Wong)");
	/* With the default options (NULL) the psych convention is used. */
	calib_stats_clear(&l);
	ok(calib_icc_compute(m, NULL, &l, NULL) == CALIB_OK, "NULL options");
	is_double(get(&l, "icc2k")->lower, 0.0711368153025035, 1e-9,
	          "psych: icc2k lower (Spearman-Brown of icc2's)");
	calib_matrix_free(m);
	calib_stats_free(&l);
}

/*
 * 4 calls x 2 raters (1,2) (2,2) (3,5) (4,3): SSR 8.5, SSC 0.5, SSE 2.5,
 * SSW 3, so MSR 17/6, MSC 1/2, MSE 5/6, MSW 3/4.
 */
static void
test_hand(void)
{
	static const double x[8] = {1, 2, 2, 2, 3, 5, 4, 3};
	static const double want[6] = {25.0 / 43, 4.0 / 7,  6.0 / 11,
	                               25.0 / 34, 8.0 / 11, 12.0 / 17};
	struct calib_matrix *m = matrix_of(x, 4, 2);
	struct calib_stats l;
	const struct calib_stat *s;
	calib_stats_init(&l);
	ok(run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK, "hand: CALIB_OK");
	for (size_t r = 0; r < 6; r++)
		is_double(get(&l, names[r])->estimate, want[r], 1e-14, "hand %s", names[r]);
	s = get(&l, "icc1");
	is_double(s->test, 34.0 / 9, 1e-14, "hand F1 = MSR/MSW");
	is_double(s->df1, 3, 0, "hand icc1 df1");
	is_double(s->df2, 4, 0, "hand icc1 df2 = n(k-1)");
	s = get(&l, "icc3");
	is_double(s->test, 3.4, 1e-14, "hand F3 = MSR/MSE");
	is_double(s->df2, 3, 0, "hand icc3 df2 = (n-1)(k-1)");
	/* With 2 raters the Spearman-Brown step of psych's icc2k is exact. */
	s = get(&l, "icc2");
	is_double(get(&l, "icc2k")->lower, 2 * s->lower / (1 + s->lower), 1e-14,
	          "hand icc2k lower = Spearman-Brown of icc2 lower");
	/* Bounds bracket the estimate; the k version of icc3 is 1 - 1/F. */
	for (size_t r = 0; r < 6; r++) {
		s = get(&l, names[r]);
		ok(s->lower < s->estimate && s->estimate < s->upper, "hand %s inside bounds",
		   names[r]);
	}
	/* McGraw & Wong's v for ICC(A,1) from its definition. */
	{
		double n = 4, k = 2, r = 4.0 / 7, msc = 0.5, mse = 5.0 / 6;
		double a = k * r / (n * (1 - r)), b = 1 + k * r * (n - 1) / (n * (1 - r));
		double v = (a * msc + b * mse) * (a * msc + b * mse) /
		           ((a * msc) * (a * msc) / (k - 1) +
		            (b * mse) * (b * mse) / ((n - 1) * (k - 1)));
		ok(run(m, CALIB_ICC_IRR, &l) == CALIB_OK, "hand irr: CALIB_OK");
		is_double(get(&l, "icc2")->df2, v, 1e-14, "hand irr icc2 df2 = v");
	}
	calib_matrix_free(m);
	calib_stats_free(&l);
}

/*
 * v below 1, where the F quantile goes through the beta quantile: calls
 * (4,4) (5,2) (3,3), irr convention. Expected values from the formulas in
 * 40-digit arithmetic (mpmath: F quantiles by root-finding on the
 * regularized incomplete beta function).
 */
static void
test_small_v(void)
{
	static const double x[6] = {4, 4, 5, 2, 3, 3};
	struct calib_matrix *m = matrix_of(x, 3, 2);
	struct calib_stats l;
	const struct calib_stat *s;
	calib_stats_init(&l);
	ok(run(m, CALIB_ICC_IRR, &l) == CALIB_OK, "small v: CALIB_OK");
	s = get(&l, "icc2");
	is_double(s->estimate, -0.5, 1e-14, "small v: icc2");
	is_double(s->df2, 6.0 / 11, 1e-14, "small v: icc2 v = 6/11");
	is_double(s->lower, -0.9999967344219046208903, 1e-12, "small v: icc2 lower");
	is_double(s->upper, 0.8525541967221441718430, 1e-12, "small v: icc2 upper");
	is_double(s->p, 0.8043065300022034884588, 1e-12, "small v: icc2 p on F(2, v)");
	s = get(&l, "icc2k");
	is_double(s->estimate, -2, 1e-14, "small v: icc2k");
	is_double(s->df2, 6.0 / 11, 1e-14, "small v: icc2k v");
	is_double(s->lower, -612446.9880765857649934, 1e-12, "small v: icc2k lower");
	is_double(s->upper, 0.9204094522369482258558, 1e-12, "small v: icc2k upper");
	calib_matrix_free(m);
	calib_stats_free(&l);
}

/*
 * The F quantile where GSL's inverse does not converge: degrees of freedom
 * of a year of calls. Expected values from the regularized incomplete beta
 * function's hypergeometric series at 60 digits, bisected in log f.
 */
static void
test_f_quantile(void)
{
	static const struct {
		double d1, d2, f;
	} want[] = {
	        {5, 10, 4.2360856681886339},
	        {1154.79634925199, 90386, 1.0837800436856268},
	        {1440.726631192322, 90386, 1.0749769841362246},
	        {20.527614440361752, 364875, 1.6983043245689208},
	        {364875, 20.527614440361752, 2.0620632777757585},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		is_double(calib_f_upper_quantile(0.025, want[i].d1, want[i].d2), want[i].f,
		          1e-12 * want[i].f, "F quantile 0.025 on (%g, %g)", want[i].d1, want[i].d2);
	is_double(calib_f_upper_quantile(0, 5, 10), INFINITY, 0, "F quantile: q = 0 is +Inf");
	is_double(calib_f_upper_quantile(1, 5, 10), 0, 0, "F quantile: q = 1 is 0");
	ok(isnan(calib_f_upper_quantile(-0.5, 5, 10)), "F quantile: q < 0 is NAN");
	ok(isnan(calib_f_upper_quantile(0.025, 0, 10)), "F quantile: d1 = 0 is NAN");
	ok(isnan(calib_f_upper_quantile(0.025, 5, INFINITY)), "F quantile: d2 = Inf is NAN");
}

/*
 * 300,000 calls by 5 raters with a clear rater effect: the ICC(2) bounds
 * need F quantiles on (n-1, v) with v small, and every bound is a number
 * around its estimate in both conventions.
 */
static void
test_many_calls(void)
{
	const size_t n = 300000, k = 5;
	double *x = malloc(n * k * sizeof *x);
	struct calib_matrix *m;
	struct calib_stats l;

	calib_stats_init(&l);
	for (size_t i = 0; i < n * k; i++) {
		uint32_t h = (uint32_t)(i / k) * 2654435761u, e = (uint32_t)i * 2246822519u;
		x[i] = (double)(h >> 28) + (double)(e >> 30) + (double)(i % k);
	}
	m = matrix_of(x, n, k);
	for (int conv = 0; conv < 2; conv++) {
		enum calib_icc_convention c = conv ? CALIB_ICC_IRR : CALIB_ICC_PSYCH;
		ok(run(m, c, &l) == CALIB_OK, "many calls: CALIB_OK");
		for (size_t r = 0; r < 6; r++) {
			const struct calib_stat *s = get(&l, names[r]);
			ok(isfinite(s->lower) && isfinite(s->upper) && s->lower < s->estimate &&
			           s->estimate < s->upper,
			   "many calls, %s convention: %s %.6f in [%.6f, %.6f], df %g, %g",
			   conv ? "irr" : "psych", names[r], s->estimate, s->lower, s->upper,
			   s->df1, s->df2);
		}
	}
	calib_matrix_free(m);
	calib_stats_free(&l);
	free(x);
}

/*
 * The bootstrap's ICCs from counted calls equal calib_icc_compute on the
 * resampled matrix: Shrout & Fleiss with three incomplete calls, two of
 * them without the fourth rater, so that a draw of those two alone has
 * fewer columns, and the last call is complete there.
 */
static void
test_calls(void)
{
	double x[9 * 4];
	struct calib_matrix *m, *r = NULL;
	struct calib_icc_calls *c = NULL;
	struct calib_stats l;
	size_t rows[9], bad = 0, fewer = 0;
	uint64_t seed = 99;

	memcpy(x, sf_data, sizeof sf_data);
	x[24] = 3, x[25] = NAN, x[26] = 4, x[27] = 5;
	x[28] = 1, x[29] = NAN, x[30] = 2, x[31] = NAN;
	x[32] = 4, x[33] = 2, x[34] = 5, x[35] = NAN;
	m = matrix_of(x, 9, 4);
	calib_stats_init(&l);
	ok(calib_icc_calls_build(m, NULL, &c, NULL) == CALIB_OK, "calls: built");
	for (size_t b = 0; b < 300 && c; b++) {
		/* every fifth draw only from the calls without the fourth rater */
		for (size_t i = 0; i < 9; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			rows[i] = b % 5 == 0 ? 7 + (size_t)(seed >> 33) % 2 : (size_t)(seed >> 33) % 9;
		}
		calib_icc_calls_resample(c, rows, 9);
		calib_stats_clear(&l);
		if (calib_matrix_resample(m, rows, 9, &r) != CALIB_OK ||
		    calib_icc_compute(r, NULL, &l, NULL) != CALIB_OK) {
			bad++;
			continue;
		}
		fewer += get(&l, "icc1")->n_raters < 4 && isfinite(get(&l, "icc1")->estimate);
		for (size_t k = 0; k < 6; k++) {
			double want = get(&l, names[k])->estimate, est;
			int pk = calib_icc_calls_pick(names[k]);
			est = pk >= 0 ? calib_icc_calls_estimate(c, pk) : NAN;
			if (pk < 0 ||
			    !(fabs(est - want) <= 1e-12 * fmax(1, fabs(want)) ||
			      (isnan(est) && isnan(want)))) {
				if (bad++ < 5)
					printf("# replicate %zu: %s %.17g, family %.17g\n", b, names[k],
					       est, want);
			}
		}
	}
	is_long((long)bad, 0, "calls: 300 resamples give calib_icc_compute's estimates");
	ok(fewer > 0, "calls: resamples with fewer raters and an ICC of their own");
	ok(calib_icc_calls_pick("fleiss_kappa") < 0, "calls: no estimate of another statistic");
	calib_icc_calls_free(c);
	calib_matrix_free(r);
	calib_matrix_free(m);
	calib_stats_free(&l);
}

static void
test_degenerate(void)
{
	static const double perfect[12] = {1, 1, 1, 3, 3, 3, 2, 2, 2, 5, 5, 5};
	static const double constant[9] = {4, 4, 4, 4, 4, 4, 4, 4, 4};
	static const double one_call[4] = {1, 2, 3, 4};
	static const double one_rater[3] = {1, 2, 3};
	struct calib_matrix *m = matrix_of(perfect, 4, 3);
	struct calib_stats l;
	const struct calib_stat *s;
	calib_stats_init(&l);

	ok(run(m, CALIB_ICC_IRR, &l) == CALIB_OK, "perfect: CALIB_OK");
	for (size_t r = 0; r < 6; r++) {
		s = get(&l, names[r]);
		is_double(s->estimate, 1, 0, "perfect %s = 1", names[r]);
		is_double(s->test, INFINITY, 0, "perfect %s F = Inf", names[r]);
		ok(strncmp(s->note, "perfect agreement: F is infinite", 32) == 0,
		   "perfect %s note '%s'", names[r], s->note);
	}
	is_double(get(&l, "icc1")->p, 0, 0, "perfect icc1 p = 0");
	is_double(get(&l, "icc3")->p, 0, 0, "perfect icc3 p = 0");
	is_double(get(&l, "icc1")->lower, NAN, 0, "perfect icc1 lower NAN (Inf/Inf)");
	is_double(get(&l, "icc3")->upper, NAN, 0, "perfect icc3 upper NAN (Inf/Inf)");
	is_double(get(&l, "icc1k")->lower, 1, 0, "perfect icc1k lower 1 (1 - 1/Inf)");
	is_double(get(&l, "icc3k")->upper, 1, 0, "perfect icc3k upper 1");
	is_double(get(&l, "icc2")->df2, NAN, 0, "perfect irr icc2 v NAN");
	is_double(get(&l, "icc2")->p, NAN, 0, "perfect irr icc2 p NAN");
	is_string(get(&l, "icc2")->note,
	          "perfect agreement: F is infinite, v undefined, bounds undefined",
	          "perfect irr icc2 note");
	is_string(get(&l, "icc3k")->note, "perfect agreement: F is infinite",
	          "perfect icc3k note");
	ok(run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK, "perfect psych: CALIB_OK");
	is_double(get(&l, "icc2")->p, 0, 0, "perfect psych icc2 p = 0");
	is_double(get(&l, "icc2k")->df2, 6, 0, "perfect psych icc2k df2");
	calib_matrix_free(m);

	/* Perfect agreement plus an offset: still exact zeros, not noise. */
	{
		double x[12];
		for (size_t i = 0; i < 12; i++)
			x[i] = perfect[i] / 3 + 1e6;
		m = matrix_of(x, 4, 3);
		ok(run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK, "perfect thirds: CALIB_OK");
		is_double(get(&l, "icc3")->test, INFINITY, 0, "perfect thirds + 1e6: F = Inf");
		calib_matrix_free(m);
	}

	/* Call effect + rater effect, no residual: icc3 = 1, icc2 < 1. */
	{
		static const double additive[6] = {1, 3, 2, 4, 6, 8};
		m = matrix_of(additive, 3, 2);
		ok(run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK, "additive: CALIB_OK");
		s = get(&l, "icc3");
		is_double(s->estimate, 1, 0, "additive: icc3 = 1");
		is_double(s->test, INFINITY, 0, "additive: F3 = Inf");
		is_string(s->note, "no residual variance: F is infinite, bounds undefined",
		          "additive: icc3 note");
		/* MSR = 28/2, MSC = 6, MSE = 0: icc2 = MSR / (MSR + k MSC / n) = 7/9 */
		is_double(get(&l, "icc2")->estimate, 7.0 / 9, 1e-14, "additive: icc2");
		is_string(get(&l, "icc1")->note, "", "additive: icc1 no note");
		calib_matrix_free(m);
	}

	m = matrix_of(constant, 3, 3);
	ok(run(m, CALIB_ICC_IRR, &l) == CALIB_OK, "constant: CALIB_OK");
	for (size_t r = 0; r < 6; r++) {
		s = get(&l, names[r]);
		is_double(s->estimate, NAN, 0, "constant %s NAN", names[r]);
		is_double(s->test, NAN, 0, "constant %s F NAN", names[r]);
		is_double(s->p, NAN, 0, "constant %s p NAN", names[r]);
		is_string(s->note, "undefined: every score is the same", "constant %s note",
		          names[r]);
	}
	is_double(get(&l, "icc1")->df2, 6, 0, "constant icc1 df2 still n(k-1)");
	calib_matrix_free(m);

	m = matrix_of(one_call, 1, 4);
	ok(run(m, CALIB_ICC_IRR, &l) == CALIB_OK, "one call: CALIB_OK");
	s = get(&l, "icc1");
	is_double(s->estimate, NAN, 0, "one call: NAN");
	is_string(s->note, "undefined: fewer than 2 complete calls", "one call: note");
	is_double(s->df1, 0, 0, "one call: df1 = n - 1 = 0 (as irr)");
	is_double(s->df2, 3, 0, "one call: icc1 df2 = n(k-1) = 3 (as irr)");
	calib_matrix_free(m);

	m = matrix_of(one_rater, 3, 1);
	ok(run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK, "one rater: CALIB_OK");
	s = get(&l, "icc3k");
	is_double(s->estimate, NAN, 0, "one rater: NAN");
	is_string(s->note, "undefined: fewer than 2 raters", "one rater: note");
	is_long((long)s->n_raters, 1, "one rater: n_raters 1");
	calib_matrix_free(m);

	/* An empty matrix. */
	m = matrix_of(NULL, 0, 0);
	ok(m && run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK && l.n == 6, "empty: six records");
	is_double(get(&l, "icc2")->estimate, NAN, 0, "empty: NAN");
	is_double(get(&l, "icc2")->df1, NAN, 0, "empty: df1 NAN");
	calib_matrix_free(m);
	calib_stats_free(&l);
}

/* Incomplete calls are dropped and counted; the result is that of the rest. */
static void
test_incomplete(void)
{
	double x[8 * 4];
	struct calib_matrix *m, *c;
	struct calib_stats l, lc;
	calib_stats_init(&l);
	calib_stats_init(&lc);
	memcpy(x, sf_data, sizeof sf_data);
	x[24] = 3, x[25] = NAN, x[26] = 4, x[27] = 5;
	x[28] = NAN, x[29] = NAN, x[30] = 1, x[31] = NAN;
	m = matrix_of(x, 8, 4);
	ok(run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK, "incomplete: CALIB_OK");
	is_string(get(&l, "icc2")->note, "2 incomplete calls dropped", "incomplete: note");
	is_long((long)get(&l, "icc2")->n_items, 6, "incomplete: n_items 6");
	is_double(get(&l, "icc2")->estimate, 0.289763779527559, 1e-12,
	          "incomplete: icc2 of the 6 complete calls");
	/* The complete sub-matrix gives the same numbers and says the same. */
	ok(calib_matrix_complete(m, false, &c) == CALIB_OK, "complete sub-matrix");
	ok(run(c, CALIB_ICC_IRR, &lc) == CALIB_OK && run(m, CALIB_ICC_IRR, &l) == CALIB_OK,
	   "incomplete vs complete: CALIB_OK");
	for (size_t r = 0; r < 6; r++) {
		const struct calib_stat *a = get(&l, names[r]), *b = get(&lc, names[r]);
		ok(a->estimate == b->estimate && a->lower == b->lower && a->upper == b->upper &&
		           a->p == b->p && a->df2 == b->df2,
		   "incomplete %s = complete sub-matrix %s", names[r], names[r]);
		is_string(b->note, "2 incomplete calls dropped", "sub-matrix %s note",
		          names[r]);
	}
	calib_matrix_free(c);
	calib_matrix_free(m);
	x[28] = 9;
	x[29] = 9;
	x[31] = 9;
	m = matrix_of(x, 8, 4);
	ok(run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK, "one incomplete: CALIB_OK");
	is_string(get(&l, "icc1")->note, "1 incomplete call dropped", "one incomplete: note");
	calib_matrix_free(m);
	calib_stats_free(&l);
	calib_stats_free(&lc);
}

/*
 * A labelled scale with N/A (hand-built matrix): labels score their values
 * (ranks 1..3), N/A is missing, a rater with only N/A is left out.
 */
static void
test_na_labels(void)
{
	/* 4 calls x 3 raters; rater 2 (col 2) says N/A on call 3 only, rater 3 always. */
	static size_t off[5] = {0, 4, 8, 12, 15};
	static uint32_t col[15] = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2};
	static uint32_t cat[15] = {0, 1, 0, 3, 2, 2, 1, 3, 1, 2, 2, 3, 0, 0, 3};
	static double value[4] = {1, 2, 3, NAN};
	static char *label[4] = {"bad", "ok", "good", "N/A"};
	static uint32_t item[4] = {0, 1, 2, 3}, rater[4] = {0, 1, 2, 3};
	struct calib_matrix m = {
	        .n_items = 4,
	        .n_raters = 4,
	        .n_levels = 4,
	        .n_scores = 15,
	        .off = off,
	        .col = col,
	        .cat = cat,
	        .value = value,
	        .label = label,
	        .na_level = true,
	        .item = item,
	        .rater = rater,
	        .scale = CALIB_SCALE_ORDINAL,
	        .n_items_all = 4,
	};
	/* The same data as values: calls 1-3 on raters 0-2. */
	static const double x[9] = {1, 2, 1, 3, 3, 2, 2, 3, 3};
	struct calib_matrix *v = matrix_of(x, 3, 3);
	struct calib_stats l, lv;
	calib_stats_init(&l);
	calib_stats_init(&lv);
	ok(run(&m, CALIB_ICC_IRR, &l) == CALIB_OK, "labels/N/A: CALIB_OK");
	ok(run(v, CALIB_ICC_IRR, &lv) == CALIB_OK, "labels/N/A values: CALIB_OK");
	is_long((long)get(&l, "icc1")->n_raters, 3, "N/A-only rater left out");
	is_long((long)get(&l, "icc1")->n_items, 3, "call with an N/A dropped");
	is_string(get(&l, "icc1")->note, "1 incomplete call dropped", "N/A: note");
	for (size_t r = 0; r < 6; r++)
		is_double(get(&l, names[r])->estimate, get(&lv, names[r])->estimate, 1e-15,
		          "labels/N/A %s = plain values", names[r]);
	calib_matrix_free(v);
	calib_stats_free(&l);
	calib_stats_free(&lv);
}

/*
 * Same ICC with a large offset on every score (two-pass sums keep digits)
 * and with scores near the limits of double.
 */
static void
test_offset(void)
{
	enum { N = 1000000, K = 3 };
	double *x = malloc((size_t)N * K * sizeof *x), *y = malloc((size_t)N * K * sizeof *y);
	uint64_t st = 88172645463325252u;
	struct calib_matrix *a, *b;
	struct calib_stats la, lb;
	calib_stats_init(&la);
	calib_stats_init(&lb);
	for (size_t i = 0; i < N; i++) {
		double t;
		st ^= st << 13, st ^= st >> 7, st ^= st << 17;
		t = (double)(st % 7);
		for (size_t j = 0; j < K; j++) {
			st ^= st << 13, st ^= st >> 7, st ^= st << 17;
			x[i * K + j] = t + (double)(st % 3) + (double)j;
			y[i * K + j] = x[i * K + j] + 1e6;
		}
	}
	a = matrix_of(x, N, K);
	b = matrix_of(y, N, K);
	ok(a && b, "1e6 calls matrices");
	ok(run(a, CALIB_ICC_IRR, &la) == CALIB_OK && run(b, CALIB_ICC_IRR, &lb) == CALIB_OK,
	   "1e6 calls: CALIB_OK");
	for (size_t r = 0; r < 6; r++) {
		const struct calib_stat *p = get(&la, names[r]), *q = get(&lb, names[r]);
		is_double(q->estimate, p->estimate, 1e-9, "1e6 calls + 1e6: %s", names[r]);
		is_double(q->test, p->test, 1e-9, "1e6 calls + 1e6: %s F", names[r]);
		is_double(q->lower, p->lower, 1e-9, "1e6 calls + 1e6: %s lower", names[r]);
		is_double(q->df2, p->df2, 1e-9, "1e6 calls + 1e6: %s df2", names[r]);
	}
	calib_matrix_free(a);
	calib_matrix_free(b);
	/* Shrout-Fleiss + 1e9 against the published values. */
	for (size_t i = 0; i < 24; i++)
		x[i] = sf_data[i] + 1e9;
	a = matrix_of(x, 6, 4);
	ok(run(a, CALIB_ICC_PSYCH, &la) == CALIB_OK, "Shrout-Fleiss + 1e9: CALIB_OK");
	is_double(get(&la, "icc2")->estimate, 0.289763779527559, 1e-9,
	          "Shrout-Fleiss + 1e9: icc2");
	is_double(get(&la, "icc3k")->upper, 0.985891678169062, 1e-9,
	          "Shrout-Fleiss + 1e9: icc3k upper");
	calib_matrix_free(a);
	/*
	 * Scores near the limits of double: ICCs, F and bounds do not change
	 * when every score is multiplied by one number, so Shrout-Fleiss times
	 * 1e300 or 1e-300 gives the published values (no sum of squares may
	 * overflow or vanish), and so does times 1e300 with a negative offset.
	 */
	{
		const double scale[] = { 1e300, 1e-300, -1e300 };
		ok(run((a = matrix_of(sf_data, 6, 4)), CALIB_ICC_PSYCH, &lb) == CALIB_OK,
		   "Shrout-Fleiss: CALIB_OK");
		calib_matrix_free(a);
		for (size_t c = 0; c < 3; c++) {
			for (size_t i = 0; i < 24; i++)
				x[i] = c == 2 ? (sf_data[i] - 11) * 1.5e307 : sf_data[i] * scale[c];
			a = matrix_of(x, 6, 4);
			ok(a && run(a, CALIB_ICC_PSYCH, &la) == CALIB_OK, "Shrout-Fleiss x %g: CALIB_OK",
			   c == 2 ? 1.5e307 : scale[c]);
			for (size_t r = 0; r < 6; r++) {
				const struct calib_stat *p = get(&lb, names[r]), *q = get(&la, names[r]);
				is_double(q->estimate, p->estimate, 1e-12, "Shrout-Fleiss scaled (%zu): %s", c,
					  names[r]);
				is_double(q->test, p->test, 1e-12, "Shrout-Fleiss scaled (%zu): %s F", c,
					  names[r]);
				is_double(q->lower, p->lower, 1e-12, "Shrout-Fleiss scaled (%zu): %s lower", c,
					  names[r]);
				is_double(q->upper, p->upper, 1e-12, "Shrout-Fleiss scaled (%zu): %s upper", c,
					  names[r]);
			}
			calib_matrix_free(a);
		}
	}
	free(x);
	free(y);
	calib_stats_free(&la);
	calib_stats_free(&lb);
}

static void
test_errors(void)
{
	struct calib_matrix *m = matrix_of(sf_data, 6, 4);
	struct calib_coef_opts o;
	struct calib_error e;
	struct calib_stats l;
	calib_stats_init(&l);
	calib_coef_opts_init(&o);
	o.conf = 1;
	calib_error_clear(&e);
	ok(calib_icc_compute(m, &o, &l, &e) == CALIB_EARG, "conf 1: CALIB_EARG");
	is_string(e.msg, "confidence level 1 is not between 0 and 1", "conf 1: message");
	is_long((long)l.n, 0, "conf 1: nothing appended");
	o.conf = NAN;
	ok(calib_icc_compute(m, &o, &l, NULL) == CALIB_EARG, "conf NAN: CALIB_EARG");
	o.conf = 0.95;
	o.icc = (enum calib_icc_convention)7;
	ok(calib_icc_compute(m, &o, &l, &e) == CALIB_EARG, "convention 7: CALIB_EARG");
	is_string(e.msg, "unknown ICC convention 7", "convention 7: message");
	/* A narrower level gives narrower bounds. */
	o.icc = CALIB_ICC_PSYCH;
	o.conf = 0.5;
	ok(calib_icc_compute(m, &o, &l, &e) == CALIB_OK, "conf 0.5: CALIB_OK");
	ok(get(&l, "icc3")->lower > 0.342464765033925 &&
	           get(&l, "icc3")->upper < 0.94585825995536,
	   "conf 0.5: inside the 95%% bounds");
	calib_matrix_free(m);
	calib_stats_free(&l);
}

/* Reference rows: which ones each convention reproduces. */
static bool skip_psych_; /* degenerate criterion: psych's rows are rounding noise */

static bool
is_icc_row(const char *stat)
{
	return strncmp(stat, "icc", 3) == 0 && !strstr(stat, "_reml");
}

static bool
want_psych(const char *stat, const char *source)
{
	return is_icc_row(stat) && ref_source_complete(source) &&
	       strncmp(source, "psych-", 6) == 0 && !skip_psych_;
}

static bool
want_irr(const char *stat, const char *source)
{
	return is_icc_row(stat) && ref_source_complete(source) &&
	       !ref_source_all_scores(source) && strncmp(source, "irr-0.84.1:icc(", 15) == 0;
}

/*
 * The family drops incomplete calls itself: on the full matrix it gives
 * what it gave on the complete one (irr convention in `want`).
 */
static void
same_on_full(const struct ref_set *set, size_t c, const struct calib_stats *want)
{
	struct calib_matrix *m = ref_matrix(set, c, false);
	struct calib_stats l;
	bool same = true;
	calib_stats_init(&l);
	ok(m && run(m, CALIB_ICC_IRR, &l) == CALIB_OK && l.n == want->n,
	   "%s %s full matrix: CALIB_OK", set->name, ref_criterion(set, c));
	for (size_t r = 0; r < l.n && r < want->n; r++) {
		const struct calib_stat *a = &l.v[r], *b = &want->v[r];
		same = same && (a->estimate == b->estimate ||
		                (isnan(a->estimate) && isnan(b->estimate)));
		same = same && (a->lower == b->lower || (isnan(a->lower) && isnan(b->lower)));
		same = same && (a->p == b->p || (isnan(a->p) && isnan(b->p)));
		same = same && strcmp(a->note, b->note) == 0;
	}
	ok(same, "%s %s: full matrix = complete sub-matrix (note '%s')", set->name,
	   ref_criterion(set, c), l.n ? l.v[0].note : "");
	calib_stats_free(&l);
	calib_matrix_free(m);
}

static void
test_reference(void)
{
	size_t checked = 0, skipped = 0;
	for (const char *const *name = ref_sets; *name; name++) {
		struct ref_set *set;
		if (ref_load(*name, &set) != 0) {
			ok(0, "load %s", *name);
			continue;
		}
		for (size_t c = 0; c < ref_n_criteria(set); c++) {
			struct calib_matrix *m = ref_matrix(set, c, true);
			struct calib_stats l;
			const char *note;
			calib_stats_init(&l);
			if (!m) {
				ok(0, "%s %s: matrix", *name, ref_criterion(set, c));
				continue;
			}
			ok(run(m, CALIB_ICC_PSYCH, &l) == CALIB_OK, "%s %s psych: CALIB_OK",
			   *name, ref_criterion(set, c));
			/* Disagreement group 6: zero variance components. */
			note = get(&l, "icc1")->note;
			skip_psych_ = strstr(note, "perfect agreement") ||
			              strstr(note, "every score is the same");
			if (skip_psych_) {
				printf("# %s %s: psych rows skipped (%s)\n", *name,
				       ref_criterion(set, c), note);
				skipped++;
			}
			checked += ref_check(set, c, &l, want_psych, 1e-9);
			ok(run(m, CALIB_ICC_IRR, &l) == CALIB_OK, "%s %s irr: CALIB_OK", *name,
			   ref_criterion(set, c));
			checked += ref_check(set, c, &l, want_irr, 1e-9);
			if (ref_has_missing(set, c))
				same_on_full(set, c, &l);
			calib_stats_free(&l);
			calib_matrix_free(m);
		}
		ref_free(set);
	}
	printf("# %zu reference rows checked, psych rows of %zu criteria skipped\n", checked,
	       skipped);
	ok(checked > 2000, "reference rows checked (%zu)", checked);
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_shrout_fleiss();
	test_hand();
	test_small_v();
	test_f_quantile();
	test_many_calls();
	test_calls();
	test_degenerate();
	test_incomplete();
	test_na_labels();
	test_offset();
	test_errors();
	test_reference();
	return tap_done();
}
