/*
 * icc.c - intraclass correlations (icc.h).
 *
 * Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in
 * assessing rater reliability. Psychological Bulletin, 86, 420-428:
 * ICC(1,1), ICC(2,1), ICC(3,1) and their k-rater averages from the mean
 * squares of the two-way layout (Table 1), the F tests and the exact
 * intervals of ICC(1,.) and ICC(3,.) (equations 6-7, 13-14), and the
 * approximate interval of ICC(2,1) with Satterthwaite's degrees of freedom
 * (equations 10-12). McGraw, K. O., & Wong, S. P. (1996). Forming
 * inferences about some intraclass correlation coefficients. Psychological
 * Methods, 1, 30-46 (Table 7): the ICC(A,1) / ICC(A,k) test on
 * F(n-1, v) and the ICC(A,k) interval.
 *
 * Two conventions for ICC(2,.) (coef.h). CALIB_ICC_PSYCH follows psych's
 * ICC(): F = MSR/MSE on (n-1, (n-1)(k-1)) degrees of freedom for icc2 and
 * icc2k, icc2k bounds = Spearman-Brown of the icc2 bounds. CALIB_ICC_IRR
 * follows irr's icc(): df2 = v of McGraw & Wong, computed for icc2k from
 * the icc2k estimate, and the icc2k bounds of McGraw & Wong's Table 7.
 * Estimates, icc1/icc3 statistics and the icc2 bounds are common to both.
 *
 * Degenerate input follows the IEEE arithmetic of the formulas (as irr):
 * perfect agreement (every call's scores equal) gives ICC 1 and F = +Inf
 * with p = 0; the single-measure bounds (F-1)/(F+k-1) are then Inf/Inf =
 * NAN, the average-measure bounds 1 - 1/F are 1, and McGraw & Wong's v is
 * 0 * Inf = NAN (so are the icc2 bounds and, with irr's convention, the
 * icc2/icc2k p). A criterion with one value everywhere is 0/0: NAN. The
 * sums of squares of these two cases are set to exact zeros, so rounding
 * cannot turn them into large finite F values. The same arithmetic holds
 * when only the residual is zero (scores = call effect + rater effect):
 * icc3 = 1 with F = +Inf, icc2 below 1. Every record with an infinite F
 * or an undefined value says so in its note.
 *
 * Sums of squares are two-pass: scores shifted by the first score, column
 * and grand means (totals in long double), then squared deviations from
 * them in long double, so a large common offset costs no digits.
 */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include "calib/icc.h"

/* Mean squares of the complete calls: n calls, k raters. */
struct anova {
	double n, k;
	double msr, msc, mse, msw;
	bool agree;    /* every call's scores are equal */
	bool constant; /* every score is equal */
};

/* Is score s of m a number (not N/A)? */
static bool
score_is_numeric(const struct calib_matrix *m, size_t s)
{
	uint32_t c = m->cat[s];
	if (m->na_level && c + 1 == m->n_levels)
		return false;
	return !isnan(m->value[c]);
}

/*
 * Mark the complete rows of m in keep[] (rows with one numeric score from
 * every column in use) and map the columns in use to 0..k-1 in colmap[]
 * (SIZE_MAX = not used: a column with no numeric score). Returns n.
 */
static size_t
mark_complete(const struct calib_matrix *m, bool *keep, size_t *colmap, size_t *stamp,
              size_t *k_out)
{
	size_t k = 0, n = 0;

	for (size_t j = 0; j < m->n_raters; j++) {
		colmap[j] = SIZE_MAX;
		stamp[j] = SIZE_MAX;
	}
	for (size_t s = 0; s < m->n_scores; s++)
		if (score_is_numeric(m, s))
			colmap[m->col[s]] = 0;
	for (size_t j = 0; j < m->n_raters; j++)
		if (colmap[j] != SIZE_MAX)
			colmap[j] = k++;
	for (size_t i = 0; i < m->n_items; i++) {
		size_t seen = 0;
		bool dup = false;
		for (size_t s = m->off[i]; s < m->off[i + 1]; s++) {
			size_t j = m->col[s];
			if (!score_is_numeric(m, s))
				continue;
			if (stamp[j] == i)
				dup = true;
			stamp[j] = i;
			seen++;
		}
		keep[i] = !dup && k > 0 && seen == k;
		n += keep[i];
	}
	*k_out = k;
	return n;
}

/* Rows whose column sums add up in double before joining the long double totals. */
#define ANOVA_BLOCK 1024

/*
 * Two-way analysis of variance of the kept rows (n >= 2, k >= 2), row i
 * counted times[i] times (times NULL: once; n counts the repeats). cdev is
 * a workspace of k long doubles, work one of n_levels + k doubles.
 *
 * The first pass sums shifted scores into per-column sums in double over
 * blocks of ANOVA_BLOCK rows, which join long double totals (sums of small
 * integers are exact either way); the second pass, whose squared
 * deviations decide whether a call or residual effect is exactly zero,
 * stays in long double. The values are first scaled by a power of two
 * (exactly) to a largest magnitude below 1, so that no double sum
 * overflows; the mean squares enter the results only as ratios.
 */
static void
two_way(const struct calib_matrix *m, const bool *keep, const unsigned *times,
        const size_t *colmap, size_t n, size_t k, long double *cdev, double *work,
        struct anova *a)
{
	double *xv = work, *blk = xv + m->n_levels;
	double x0 = 0, lo = 0, hi = 0, big = 0;
	long double total = 0, gdev, ssr = 0, ssc = 0, sse = 0, ssw = 0, mx;
	bool first = true, agree = true;
	size_t in_block = 0;
	int e = 0;

	for (size_t c = 0; c < m->n_levels; c++)
		if (!(m->na_level && c + 1 == m->n_levels) && isfinite(m->value[c]))
			big = fmax(big, fabs(m->value[c]));
	if (big > 0)
		frexp(big, &e);
	for (size_t c = 0; c < m->n_levels; c++)
		xv[c] = ldexp(m->value[c], -e);
	for (size_t j = 0; j < k; j++)
		cdev[j] = blk[j] = 0;
	/* Pass 1: column and grand sums of the scores shifted by the first one. */
	for (size_t i = 0; i < m->n_items; i++) {
		double rlo = 0, rhi = 0, wt = times ? times[i] : 1;
		bool rfirst = true;
		if (!keep[i] || wt == 0)
			continue;
		for (size_t s = m->off[i]; s < m->off[i + 1]; s++) {
			double x;
			if (!score_is_numeric(m, s))
				continue;
			x = xv[m->cat[s]];
			if (first) {
				x0 = lo = hi = x;
				first = false;
			}
			if (rfirst) {
				rlo = rhi = x;
				rfirst = false;
			}
			rlo = x < rlo ? x : rlo;
			rhi = x > rhi ? x : rhi;
			blk[colmap[m->col[s]]] += (x - x0) * wt;
		}
		if (rfirst)
			continue;
		in_block++;
		lo = rlo < lo ? rlo : lo;
		hi = rhi > hi ? rhi : hi;
		if (rlo != rhi)
			agree = false;
		if (in_block == ANOVA_BLOCK) {
			for (size_t j = 0; j < k; j++) {
				cdev[j] += blk[j];
				blk[j] = 0;
			}
			in_block = 0;
		}
	}
	for (size_t j = 0; j < k; j++) {
		cdev[j] += blk[j];
		total += cdev[j];
	}
	gdev = total / ((long double)n * (long double)k);
	for (size_t j = 0; j < k; j++) {
		cdev[j] = cdev[j] / (long double)n - gdev;
		ssc += cdev[j] * cdev[j];
	}
	ssc *= (long double)n;
	/* Pass 2: squared deviations from the row, column and grand means. */
	for (size_t i = 0; i < m->n_items; i++) {
		long double rsum = 0, rdev, sw = 0, se = 0, wt = times ? times[i] : 1;
		if (!keep[i] || wt == 0)
			continue;
		for (size_t s = m->off[i]; s < m->off[i + 1]; s++)
			if (score_is_numeric(m, s))
				rsum += (long double)xv[m->cat[s]] - x0;
		rdev = rsum / (long double)k;
		ssr += wt * (rdev - gdev) * (rdev - gdev);
		for (size_t s = m->off[i]; s < m->off[i + 1]; s++) {
			long double w, r;
			if (!score_is_numeric(m, s))
				continue;
			w = (long double)xv[m->cat[s]] - x0 - rdev;
			r = w - cdev[colmap[m->col[s]]];
			sw += w * w;
			se += r * r;
		}
		ssw += wt * sw;
		sse += wt * se;
	}
	ssr *= (long double)k;
	a->agree = agree;
	a->constant = lo == hi;
	if (agree)
		ssc = sse = ssw = 0;
	if (a->constant)
		ssr = 0;
	a->n = (double)n;
	a->k = (double)k;
	ssr /= (long double)(n - 1);
	ssc /= (long double)(k - 1);
	sse /= (long double)(n - 1) * (long double)(k - 1);
	ssw /= (long double)n * (long double)(k - 1);
	/*
	 * Every ICC, F, bound and v is a ratio of mean squares: scores near the
	 * limits of double (1e300, 1e-300) would overflow or vanish as doubles,
	 * so far-out mean squares are brought to a largest one of 1 first.
	 */
	mx = fmaxl(fmaxl(ssr, ssc), fmaxl(sse, ssw));
	if (mx > 1e100L || (mx > 0 && mx < 1e-100L)) {
		ssr /= mx;
		ssc /= mx;
		sse /= mx;
		ssw /= mx;
	}
	a->msr = (double)ssr;
	a->msc = (double)ssc;
	a->mse = (double)sse;
	a->msw = (double)ssw;
}

/* The root of P(F(d1, d2) > e^x) = q in x, for GSL's root solver. */
struct f_root {
	double q, d1, d2;
};

static double
f_root_fn(double x, void *params)
{
	const struct f_root *r = params;

	return gsl_cdf_fdist_Q(exp(x), r->d1, r->d2) - r->q;
}

/*
 * Paulson's (1942) normal approximation of the quantile, from the cube
 * roots of the two chi-squares: a start for the search below. 1 when the
 * approximation has no root (small degrees of freedom).
 */
static double
paulson_quantile(double q, double d1, double d2)
{
	const double a = 2 / (9 * d1), b = 2 / (9 * d2), z = gsl_cdf_ugaussian_Qinv(q);
	const double den = (1 - b) * (1 - b) - z * z * b;
	const double disc = (1 - a) * (1 - a) * b + (1 - b) * (1 - b) * a - a * b * z * z;
	double u;

	if (!(den > 0) || !(disc >= 0))
		return 1;
	u = ((1 - a) * (1 - b) + z * sqrt(disc)) / den;
	return u > 0 ? u * u * u : 1;
}

/*
 * The quantile found by Brent's method on GSL's upper tail, in log f,
 * which stays accurate for the degrees of freedom of a year of calls. The
 * bracket grows in doubling steps from Paulson's approximation until the
 * tail crosses q (the tail itself is undefined
 * exactly at f = 1 for equal large degrees of freedom, which the start
 * avoids); the root is kept to 1e-14 in log f (1e-15 relative for the
 * log of a huge quantile, whose doubles are coarser). A quantile past the
 * largest double is +Inf (below the smallest, 0). NAN when the tail is
 * undefined on the way.
 */
static double
f_upper_quantile_solve(double q, double d1, double d2)
{
	struct f_root r = {q, d1, d2};
	gsl_function fn = {f_root_fn, &r};
	gsl_root_fsolver *s;
	/* inside the doubles: exp() of the ends is finite and normal */
	const double xmax = log(DBL_MAX / 2), xmin = log(DBL_MIN * 2);
	double x0 = log(paulson_quantile(q, d1, d2)), lo, hi, at, g, x = NAN;
	int status = GSL_CONTINUE;

	if (!(q > 0 && q < 1))
		return NAN;
	/* a quantile beyond the doubles (tiny degrees of freedom) is +Inf or 0 */
	if (f_root_fn(xmax, &r) > 0)
		return INFINITY;
	if (f_root_fn(xmin, &r) < 0)
		return 0;
	/* the upper tail falls as f grows: step away from the start until it brackets q */
	x0 = fmin(fmax(x0, xmin), xmax);
	lo = hi = at = x0;
	g = f_root_fn(x0, &r);
	for (double step = 1e-3; !(g == 0); step *= 2) {
		if (g > 0) {
			lo = hi;
			hi = at = fmin(x0 + step, xmax);
			g = f_root_fn(hi, &r);
			if (!(g > 0))
				break;
		} else if (g < 0) {
			hi = lo;
			lo = at = fmax(x0 - step, xmin);
			g = f_root_fn(lo, &r);
			if (!(g < 0))
				break;
		} else
			return NAN;
	}
	if (g == 0)
		return exp(at);
	if (!(f_root_fn(lo, &r) > 0 && f_root_fn(hi, &r) < 0))
		return NAN;
	if (!(s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent)))
		return NAN;
	if (gsl_root_fsolver_set(s, &fn, lo, hi) == GSL_SUCCESS)
		for (int i = 0; i < 200 && status == GSL_CONTINUE; i++) {
			if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
				break;
			x = gsl_root_fsolver_root(s);
			status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
			                                gsl_root_fsolver_x_upper(s), 1e-14, 1e-15);
		}
	gsl_root_fsolver_free(s);
	return status == GSL_SUCCESS ? exp(x) : NAN;
}

/*
 * Upper quantile of F(d1, d2): the f with P(F > f) = q, as a root of GSL's
 * upper tail (above). Not through gsl_cdf_fdist_Qinv: it refuses degrees
 * of freedom below 1 (v can be), and with large ones it returns no value,
 * a wrong value, or never returns (d1 = d2 in the millions, which icc3 of
 * two raters brings). +Inf for q = 0, 0 for q = 1, NAN when a degree of
 * freedom is not a positive number.
 */
double
calib_f_upper_quantile(double q, double d1, double d2)
{
	if (!(d1 > 0) || !(d2 > 0) || isinf(d1) || isinf(d2) || !(q >= 0 && q <= 1))
		return NAN;
	if (q == 0 || q == 1)
		return q == 0 ? INFINITY : 0;
	return f_upper_quantile_solve(q, d1, d2);
}

/* P(F(d1, d2) > f); 0 for f = +Inf, NAN when undefined. */
static double
f_upper_p(double f, double d1, double d2)
{
	if (isnan(f) || !(d1 > 0) || !(d2 > 0) || isinf(d1) || isinf(d2))
		return NAN;
	if (isinf(f))
		return f > 0 ? 0 : 1;
	return gsl_cdf_fdist_Q(f, d1, d2);
}

/* McGraw & Wong's (1996) degrees of freedom v for an ICC(A,.) value r. */
static double
mcgraw_wong_v(const struct anova *a, double r)
{
	double n = a->n, k = a->k;
	double ca = k * r / (n * (1 - r));
	double cb = 1 + k * r * (n - 1) / (n * (1 - r));
	double num = ca * a->msc + cb * a->mse;
	return num * num /
	       ((ca * a->msc) * (ca * a->msc) / (k - 1) +
	        (cb * a->mse) * (cb * a->mse) / ((n - 1) * (k - 1)));
}

/* Fill a record's test and bounds from an F ratio with an exact interval. */
static void
exact_interval(struct calib_stat *st, double f, double d1, double d2, double k, double q,
               bool average)
{
	double fl = f / calib_f_upper_quantile(q, d1, d2);
	double fu = f * calib_f_upper_quantile(q, d2, d1);
	st->test = f;
	st->df1 = d1;
	st->df2 = d2;
	st->p = f_upper_p(f, d1, d2);
	if (average) {
		st->lower = 1 - 1 / fl;
		st->upper = 1 - 1 / fu;
	} else {
		st->lower = (fl - 1) / (fl + (k - 1));
		st->upper = (fu - 1) / (fu + (k - 1));
	}
}

/*
 * Spearman-Brown step-up of a single-rater bound r to k raters (psych).
 * It grows with r only above -1/(k-1), its pole; past the pole it turns
 * positive, and the record's note then says so (the reference keeps
 * psych's value).
 */
static double
spearman_brown(double r, double k)
{
	double den = 1 + (k - 1) * r;

	return den == 0 ? NAN : k * r / den; /* at the pole: no value, not -infinity */
}

/* The six records from the mean squares. s[] are the pushed records. */
static void
fill(struct calib_stat *const s[6], const struct anova *a, double conf,
     enum calib_icc_convention conv)
{
	const double n = a->n, k = a->k, q = (1 - conf) / 2;
	const double msr = a->msr, msc = a->msc, mse = a->mse, msw = a->msw;
	const double d1 = n - 1, d1w = n * (k - 1), d2e = (n - 1) * (k - 1);
	double f1 = msr / msw, f3 = msr / mse;
	double v, fl, fu, l2, u2;

	s[0]->estimate = (msr - msw) / (msr + (k - 1) * msw);
	s[1]->estimate = (msr - mse) / (msr + (k - 1) * mse + (k / n) * (msc - mse));
	s[2]->estimate = (msr - mse) / (msr + (k - 1) * mse);
	s[3]->estimate = (msr - msw) / msr;
	s[4]->estimate = (msr - mse) / (msr + (msc - mse) / n);
	s[5]->estimate = (msr - mse) / msr;

	exact_interval(s[0], f1, d1, d1w, k, q, false);
	exact_interval(s[3], f1, d1, d1w, k, q, true);
	exact_interval(s[2], f3, d1, d2e, k, q, false);
	exact_interval(s[5], f3, d1, d2e, k, q, true);

	/* ICC(2,1): Shrout & Fleiss eq. 10-12 = McGraw & Wong Table 7, A,1. */
	v = mcgraw_wong_v(a, s[1]->estimate);
	fl = calib_f_upper_quantile(q, d1, v);
	fu = calib_f_upper_quantile(q, v, d1);
	l2 = n * (msr - fl * mse) / (fl * (k * msc + (k * n - k - n) * mse) + n * msr);
	u2 = n * (fu * msr - mse) / (k * msc + (k * n - k - n) * mse + n * fu * msr);
	s[1]->lower = l2;
	s[1]->upper = u2;
	s[1]->test = s[4]->test = f3;
	s[1]->df1 = s[4]->df1 = d1;
	if (conv == CALIB_ICC_IRR) {
		s[1]->df2 = v;
		s[1]->p = f_upper_p(f3, d1, v);
		/* ICC(A,k): v from the average-measure estimate (irr). */
		v = mcgraw_wong_v(a, s[4]->estimate);
		fl = calib_f_upper_quantile(q, d1, v);
		fu = calib_f_upper_quantile(q, v, d1);
		s[4]->df2 = v;
		s[4]->p = f_upper_p(f3, d1, v);
		s[4]->lower = n * (msr - fl * mse) / (fl * (msc - mse) + n * msr);
		s[4]->upper = n * (fu * msr - mse) / (msc - mse + n * fu * msr);
		/* past a denominator's zero (MSC well below MSE) irr's bounds mean nothing */
		if (isfinite(s[4]->lower) && isfinite(s[4]->upper) &&
		    (fl * (msc - mse) + n * msr <= 0 || msc - mse + n * fu * msr <= 0))
			calib_stat_note_add(s[4], "bounds meaningless: MSC is far below MSE "
						  "(irr's values)");
	} else {
		s[1]->df2 = s[4]->df2 = d2e;
		s[1]->p = s[4]->p = f_upper_p(f3, d1, d2e);
		s[4]->lower = spearman_brown(l2, k);
		s[4]->upper = spearman_brown(u2, k);
		if (1 + (k - 1) * l2 <= 0)
			calib_stat_note_add(s[4], "lower bound meaningless: the ICC(2) bound %.3g "
						  "is past -1/(k-1), the Spearman-Brown pole", l2);
	}
	/*
	 * ICC(2,1)'s denominator MSR + (k-1) MSE + k (MSC - MSE)/n is zero when
	 * n = k = 2 and MSR = MSC = 0: undefined, not -infinity (so is one lost
	 * to rounding).
	 */
	if (!(msr + (k - 1) * mse + (k / n) * (msc - mse) >
	      1e-12 * (msr + (k - 1) * mse + (k / n) * (msc + mse))) &&
	    !(msr == 0 && msc == 0 && mse == 0)) {
		s[1]->estimate = s[1]->lower = s[1]->upper = NAN;
		calib_stat_note_add(s[1], "undefined: MSR + (k-1) MSE + k (MSC - MSE)/n is 0");
	}
	/*
	 * ICC(1,k) and ICC(3,k) divide by MSR: when every call has the same
	 * mean (MSR 0, or lost to rounding) they are undefined, not -infinity.
	 */
	if (!(msr > 1e-12 * (msw + mse)) && !(msr == 0 && msw == 0 && mse == 0))
		for (size_t r = 3; r <= 5; r += 2) {
			s[r]->estimate = s[r]->lower = s[r]->upper = NAN;
			calib_stat_note_add(s[r], "undefined: MSR is 0 (equal call means)");
		}
	/*
	 * ICC(2,k)'s denominator MSR + (MSC - MSE)/n is not positive when the
	 * raters' mean squares fall well below the error's: the ratio is then
	 * no correlation (it can exceed 1), so it is left undefined; so is a
	 * denominator lost to rounding (under 1e-12 of its terms).
	 */
	if (!(msr + (msc - mse) / n > 1e-12 * (msr + (msc + mse) / n)) &&
	    !(msr == 0 && msc == 0 && mse == 0)) {
		s[4]->estimate = s[4]->lower = s[4]->upper = NAN;
		calib_stat_note_add(s[4], "undefined: MSR + (MSC - MSE)/n is not positive");
	}
	/* Any other ratio without a value (0/0, as ICC(3) when MSR = MSE = 0). */
	for (size_t r = 0; r < 6; r++)
		if (!isfinite(s[r]->estimate) && !strstr(s[r]->note, "undefined") &&
		    !(msr == 0 && msc == 0 && mse == 0 && msw == 0)) {
			s[r]->estimate = s[r]->lower = s[r]->upper = NAN;
			calib_stat_note_add(s[r], "undefined: a zero denominator");
		}
}

/* Degrees of freedom that do not need the data (n >= 1, k >= 1). */
static void
fill_df(struct calib_stat *const s[6], double n, double k, enum calib_icc_convention conv)
{
	for (size_t r = 0; r < 6; r++)
		s[r]->df1 = n - 1;
	s[0]->df2 = s[3]->df2 = n * (k - 1);
	s[2]->df2 = s[5]->df2 = (n - 1) * (k - 1);
	if (conv == CALIB_ICC_PSYCH)
		s[1]->df2 = s[4]->df2 = (n - 1) * (k - 1);
}

static const char *const icc_names[6] = {"icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k"};

enum calib_status
calib_icc_compute(const struct calib_matrix *m, const struct calib_coef_opts *o,
                  struct calib_stats *out, struct calib_error *err)
{
	struct calib_coef_opts defaults;
	struct calib_stat *s[6];
	struct anova a = {0};
	const size_t n0 = out->n;
	size_t *colmap = NULL, *stamp = NULL, n = 0, k = 0, dropped;
	long double *cdev = NULL;
	double *work = NULL;
	bool *keep = NULL;

	if (!o) {
		calib_coef_opts_init(&defaults);
		o = &defaults;
	}
	if (!(o->conf > 0 && o->conf < 1))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "confidence level %g is not between 0 and 1", o->conf);
	if (o->icc != CALIB_ICC_PSYCH && o->icc != CALIB_ICC_IRR)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "unknown ICC convention %d",
		                       (int)o->icc);
	colmap = malloc((m->n_raters + 1) * sizeof *colmap);
	stamp = malloc((m->n_raters + 1) * sizeof *stamp);
	cdev = malloc((m->n_raters + 1) * sizeof *cdev);
	work = malloc((m->n_levels + m->n_raters + 1) * sizeof *work);
	keep = malloc((m->n_items + 1) * sizeof *keep);
	if (!colmap || !stamp || !cdev || !work || !keep)
		goto nomem;
	n = mark_complete(m, keep, colmap, stamp, &k);
	for (size_t r = 0; r < 6; r++)
		if (!calib_stats_push(out, "%s", icc_names[r]))
			goto nomem;
	/* a push may move earlier records: take the pointers afterwards */
	for (size_t r = 0; r < 6; r++)
		s[r] = &out->v[n0 + r];
	dropped = m->n_items - n + m->n_dropped;
	for (size_t r = 0; r < 6; r++) {
		s[r]->n_items = n;
		s[r]->n_raters = k;
		if (dropped)
			calib_stat_note(s[r], "%zu incomplete call%s dropped", dropped,
			                dropped == 1 ? "" : "s");
	}
	if (n >= 1 && k >= 1)
		fill_df(s, (double)n, (double)k, o->icc);
	if (k < 2 || n < 2) {
		for (size_t r = 0; r < 6; r++)
			calib_stat_note_add(s[r], "undefined: fewer than 2 %s",
			                    n < 2 ? "complete calls" : "raters");
	} else {
		two_way(m, keep, NULL, colmap, n, k, cdev, work, &a);
		fill(s, &a, o->conf, o->icc);
		for (size_t r = 0; r < 6; r++) {
			if (a.constant)
				calib_stat_note_add(s[r], "undefined: every score is the same");
			else if (isinf(s[r]->test))
				calib_stat_note_add(
				        s[r], "%s: F is infinite%s%s",
				        a.agree ? "perfect agreement" : "no residual variance",
				        isnan(s[r]->df2) ? ", v undefined" : "",
				        isnan(s[r]->lower) ? ", bounds undefined" : "");
		}
	}
	free(colmap);
	free(stamp);
	free(cdev);
	free(work);
	free(keep);
	return CALIB_OK;
nomem:
	out->n = n0;
	free(colmap);
	free(stamp);
	free(cdev);
	free(work);
	free(keep);
	return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
}

/*
 * The bootstrap's ICCs. The complete calls and their columns are found
 * once: a resample that draws any complete call has the same columns, so
 * its complete calls are the drawn complete calls, each counted as often
 * as it was drawn, and no matrix needs to be built.
 */
struct calib_icc_calls {
	const struct calib_matrix *m;
	struct calib_coef_opts o;
	bool *keep;        /* n_items: a complete call */
	size_t *colmap, k; /* columns in use, as calib_icc_compute */
	unsigned *times;   /* n_items: draws of each call in the last resample */
	long double *cdev; /* k */
	double *work;      /* n_levels + k */
	double est[6];     /* the last resample's estimates, icc_names' order */
	struct calib_matrix *r; /* a resample without complete calls (see below) */
	struct calib_stats tmp;
};

void
calib_icc_calls_free(struct calib_icc_calls *c)
{
	if (!c)
		return;
	free(c->keep);
	free(c->colmap);
	free(c->times);
	free(c->cdev);
	free(c->work);
	calib_matrix_free(c->r);
	calib_stats_free(&c->tmp);
	free(c);
}

enum calib_status
calib_icc_calls_build(const struct calib_matrix *m, const struct calib_coef_opts *o,
                      struct calib_icc_calls **out, struct calib_error *err)
{
	struct calib_icc_calls *c = calloc(1, sizeof *c);
	size_t *stamp = malloc((m->n_raters + 1) * sizeof *stamp);

	*out = NULL;
	if (c) {
		c->keep = malloc((m->n_items + 1) * sizeof *c->keep);
		c->colmap = malloc((m->n_raters + 1) * sizeof *c->colmap);
		c->times = calloc(m->n_items + 1, sizeof *c->times);
		c->cdev = malloc((m->n_raters + 1) * sizeof *c->cdev);
		c->work = malloc((m->n_levels + m->n_raters + 1) * sizeof *c->work);
	}
	if (!c || !stamp || !c->keep || !c->colmap || !c->times || !c->cdev || !c->work) {
		free(stamp);
		calib_icc_calls_free(c);
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	c->m = m;
	calib_stats_init(&c->tmp);
	if (o)
		c->o = *o;
	else
		calib_coef_opts_init(&c->o);
	mark_complete(m, c->keep, c->colmap, stamp, &c->k);
	free(stamp);
	for (size_t r = 0; r < 6; r++)
		c->est[r] = NAN;
	*out = c;
	return CALIB_OK;
}

/*
 * The calls are drawn and counted; with a complete call among them, one
 * weighted analysis of variance of the complete calls.
 */
void
calib_icc_calls_resample(struct calib_icc_calls *c, const size_t *rows, size_t n)
{
	const struct calib_matrix *m = c->m;
	struct calib_stat rec[6], *s[6];
	struct anova a = {0};
	size_t nk = 0;

	memset(c->times, 0, m->n_items * sizeof *c->times);
	for (size_t t = 0; t < n; t++)
		c->times[rows[t]]++;
	for (size_t i = 0; i < m->n_items; i++)
		nk += c->keep[i] ? c->times[i] : 0;
	for (size_t r = 0; r < 6; r++)
		c->est[r] = NAN;
	if (nk == 0 && n > 0) {
		/*
		 * No complete call drawn: the resample may lack a column, and then
		 * calls that were incomplete are complete. Rare; done the long way.
		 */
		calib_stats_clear(&c->tmp);
		if (calib_matrix_resample(m, rows, n, &c->r) == CALIB_OK &&
		    calib_icc_compute(c->r, &c->o, &c->tmp, NULL) == CALIB_OK)
			for (size_t r = 0; r < 6; r++)
				c->est[r] = c->tmp.v[c->tmp.n - 6 + r].estimate;
		return;
	}
	if (c->k < 2 || nk < 2)
		return;
	memset(rec, 0, sizeof rec);
	for (size_t r = 0; r < 6; r++)
		s[r] = &rec[r];
	two_way(m, c->keep, c->times, c->colmap, nk, c->k, c->cdev, c->work, &a);
	fill(s, &a, c->o.conf, c->o.icc);
	for (size_t r = 0; r < 6; r++)
		c->est[r] = rec[r].estimate;
}

int
calib_icc_calls_pick(const char *name)
{
	for (int r = 0; r < 6; r++)
		if (strcmp(name, icc_names[r]) == 0)
			return r;
	return -1;
}

double
calib_icc_calls_estimate(const struct calib_icc_calls *c, int pick)
{
	return c->est[pick];
}
