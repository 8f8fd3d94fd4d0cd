/*
 * alpha.c - Krippendorff's alpha for nominal, ordinal, interval and ratio
 * data with missing scores (Krippendorff 2011, "Computing Krippendorff's
 * alpha-reliability", sections A-E): the coincidence matrix o_ck sums, over
 * the calls u with m_u >= 2 scores, the ordered pairs of scores (c, k)
 * divided by m_u - 1; n_c = sum_k o_ck, n = sum_c n_c, and
 *
 *   alpha = 1 - (n - 1) sum_ck o_ck delta2_ck / sum_ck n_c n_k delta2_ck.
 *
 * Nothing here forms o_ck or a q x q table. The numerator is the sum over
 * calls of S_u / (m_u - 1), S_u = sum_ck m_uc m_uk delta2_ck being the call's
 * own pair disagreement, and the denominator needs only the marginals n_c:
 *  - nominal: S_u = m_u^2 - sum_c m_uc^2, sum n_c n_k delta2 = n^2 - sum n_c^2;
 *  - interval: S_u = 2 m_u sum_c m_uc (x_c - mean_u)^2 and the denominator
 *    2 n sum_c n_c (x_c - mean)^2 (pairwise squared differences are twice the
 *    variance), so O(1) per category whatever the number of values;
 *  - ordinal: Krippendorff's delta2_ck = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2
 *    equals (t_k - t_c)^2 with the mid-rank t_c = n_1 + ... + n_{c-1} + n_c/2,
 *    so the ordinal level is the interval level on t;
 *  - ratio: delta2 = ((x_c - x_k)/(x_c + x_k))^2, 0 for the pair (0, 0) as
 *    the krippendorff Python package defines it; no finite decomposition
 *    exists: the numerator sums the pairs of distinct values within each
 *    call (O(d_u^2), d_u distinct values in the call), the denominator sums
 *    pairs of distinct values, O(v^2), up to 1024 values and beyond that
 *    uses an exponentially convergent quadrature, O(150 v) (see quad_ratio).
 *
 * Standard error: Gwet (2014, Handbook of Inter-Rater Reliability, 4th ed.,
 * p. 88) as irrCAC's krippen.alpha.raw computes it, with irrCAC's
 * weights identity (nominal), quadratic (interval) and ratio. Those weights
 * are w_ck = 1 - delta2_ck / D with a constant D, and every term of Gwet's
 * linearisation has the form (X - p_e)/(1 - p_e) in which D cancels; below
 * the terms are written with the disagreements directly (D = 1). With p_k
 * the share of pairable scores in category k, rbar the mean number of
 * scores per pairable call and Dp = sum_u S_u/(m_u - 1) / n:
 *   De = sum_kl p_k p_l delta2_kl,  g_k = sum_l delta2_kl p_l,
 *   alpha' = 1 - Dp/De,  Dpa = (1 - 1/n) Dp,
 *   x_u = S_u/((m_u - 1) rbar) - Dpa (m_u/rbar - 1),
 *   y_u = sum_k m_uk g_k / rbar - De (m_u/rbar - 1),
 *   e_u = (Dp - x_u)/De - 2 (1 - alpha') (De - y_u)/De,
 *   var = sum_u e_u^2 / (N (N - 1)),  N = pairable calls.
 * The ordinal metric is not fixed: it is built from the marginals n_c it
 * is applied to, so Gwet's linearisation (weights held constant) does not
 * cover it, and irrCAC has no ordinal alpha; its standard error is left NAN
 * (the bootstrap gives an interval).
 *
 * On a matrix that has its patterns (calib_matrix_count_patterns) the
 * estimate and its standard error visit one call per pattern and weigh its
 * terms by the calls it stands for.
 *
 * Bootstrap: calls are resampled, not pairs of values as in Krippendorff's
 * own algorithm (Hayes & Krippendorff 2007), because calls are the sampled
 * units of a calibration session. Calls with the same category counts are
 * one pattern (a few thousand at most for 5 raters on an 11-point scale);
 * each pattern's counts and fixed-metric numerator term are computed once.
 * Resampling n calls with replacement draws each pattern a multinomial
 * (n; n_p / n) number of times: when the patterns are at most a quarter
 * of the calls, a replicate is one GSL multinomial draw over them (a
 * binomial per pattern); otherwise (scores on a fine scale, each call its
 * own pattern) it draws n calls, which is cheaper there. Then one
 * sequential pass over the patterns, plus O(q) for the marginals
 * (interval: O(1), from per-call sums of centred values and squares;
 * ratio: O(v^2) up to 512 values, else the quadrature, O(150 v), with a
 * table of its exponentials while that table stays under 32 MB).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "calib/alpha.h"
#include "calib/parallel.h"
#include "calib/registry.h"

/*
 * The pairable calls of a matrix, each as its distinct categories with
 * counts; or, built from the matrix's patterns, one call per pattern of
 * pairable calls with the number of calls it stands for.
 */
struct calls {
	size_t n;        /* pairable calls */
	size_t n_units;  /* calls listed: n, or one per pattern */
	double *w;       /* n_units: calls each listed call stands for, or NULL: one */
	size_t q;        /* categories of the matrix */
	size_t n_single; /* calls with one score (unpairable) */
	size_t *off;     /* n_units + 1: entries of call u are off[u] .. off[u+1]-1 */
	uint32_t *cat;   /* category of each entry */
	uint32_t *cnt;   /* its count m_uc */
	double *r;       /* n_units: scores of each call, m_u */
	double *nc;      /* q: pairable scores per category, n_c */
	double total;    /* n = sum of m_u */
	size_t n_used;   /* categories with n_c > 0 */
	uint32_t *used;  /* n_used: those categories, increasing */
};

static void
calls_free(struct calls *c)
{
	free(c->off);
	free(c->w);
	free(c->cat);
	free(c->cnt);
	free(c->r);
	free(c->nc);
	free(c->used);
	memset(c, 0, sizeof *c);
}

/*
 * Row i's distinct categories, in order of first score, into cat[0..nt)
 * with their counts in cnt: returns nt. tally (q counters) is zero before
 * and after; touched has room for the row's scores.
 */
static size_t
row_counts(const struct calib_matrix *m, size_t i, uint32_t *tally, uint32_t *touched,
           uint32_t *cat, uint32_t *cnt)
{
	size_t nt = 0;

	for (size_t s = m->off[i]; s < m->off[i + 1]; s++) {
		/* listed at every score, kept the first time: no branch */
		uint32_t k = m->cat[s];
		touched[nt] = k;
		nt += tally[k]++ == 0;
	}
	for (size_t a = 0; a < nt; a++) {
		cat[a] = touched[a];
		cnt[a] = tally[touched[a]];
		tally[touched[a]] = 0;
	}
	return nt;
}

/*
 * The pairable calls of m as patterns: calls with the same count per
 * category are one pattern (calib_matrix_patterns), since every term of
 * alpha and of its bootstrap is a function of those counts. pc gets one
 * call per pattern, in order of first appearance, with the marginals of
 * all the calls (pc->n patterns; pc->total and pc->nc count calls);
 * *n_calls the pairable calls, (*share)[p] the calls of pattern p. A
 * bootstrap replicate then costs O(patterns) instead of O(calls): a few
 * thousand patterns at most for 5 raters on an 11-point scale, however
 * many calls. With pat_of, (*pat_of)[i] is row i's pattern, or UINT32_MAX
 * for a row of fewer than two scores. Without it, the patterns m already
 * has (calib_matrix_count_patterns) are taken as they are, and nothing per
 * call is allocated. O(n_scores + q). CALIB_OK or CALIB_ENOMEM (pc freed,
 * *share and *pat_of NULL).
 */
static enum calib_status
calls_patterns(const struct calib_matrix *m, struct calls *pc, size_t *n_calls, double **share,
               uint32_t **pat_of)
{
	bool given = m->pat_first && !pat_of;
	size_t rows = given ? m->n_pat : m->n_items, n_mpat = rows, maxr = 0, ne = 0;
	uint32_t *mpat = NULL, *renum = NULL, *tally = NULL, *touched = NULL;
	size_t *first = NULL;
	double *sh = NULL;

	memset(pc, 0, sizeof *pc);
	pc->q = m->n_levels;
	*n_calls = 0;
	*share = NULL;
	if (pat_of)
		*pat_of = NULL;
	if (!given && (!(mpat = malloc((rows ? rows : 1) * sizeof *mpat)) ||
	               calib_matrix_patterns(m, mpat, NULL, &n_mpat) != CALIB_OK))
		goto fail;
	renum = malloc((n_mpat ? n_mpat : 1) * sizeof *renum);
	first = malloc((n_mpat ? n_mpat : 1) * sizeof *first);
	sh = calloc(n_mpat ? n_mpat : 1, sizeof *sh);
	if (!renum || !first || !sh)
		goto fail;
	for (size_t p = 0; p < n_mpat; p++)
		renum[p] = UINT32_MAX;
	/* the patterns of pairable calls, numbered as they first appear */
	for (size_t t = 0; t < rows; t++) {
		size_t i = given ? m->pat_first[t] : t, ri = calib_matrix_row_n(m, i);
		size_t k = given ? m->pat_count[t] : 1;
		uint32_t *to = &renum[given ? t : mpat[t]];
		if (ri < 2) {
			pc->n_single += k;
			if (mpat)
				mpat[t] = UINT32_MAX;
			continue;
		}
		if (*to == UINT32_MAX) {
			*to = (uint32_t)pc->n;
			first[pc->n++] = i;
			ne += ri;
			maxr = ri > maxr ? ri : maxr;
		}
		sh[*to] += (double)k;
		*n_calls += k;
		if (mpat)
			mpat[t] = *to;
	}
	pc->n_units = pc->n;
	pc->off = malloc((pc->n + 1) * sizeof *pc->off);
	pc->cat = malloc((ne ? ne : 1) * sizeof *pc->cat);
	pc->cnt = malloc((ne ? ne : 1) * sizeof *pc->cnt);
	pc->r = malloc((pc->n ? pc->n : 1) * sizeof *pc->r);
	pc->nc = calloc(pc->q ? pc->q : 1, sizeof *pc->nc);
	pc->used = malloc((pc->q ? pc->q : 1) * sizeof *pc->used);
	tally = calloc(pc->q ? pc->q : 1, sizeof *tally);
	touched = malloc((maxr ? maxr : 1) * sizeof *touched);
	if (!pc->off || !pc->cat || !pc->cnt || !pc->r || !pc->nc || !pc->used || !tally ||
	    !touched)
		goto fail;
	/* each pattern's counts per category, from its first call */
	ne = 0;
	pc->off[0] = 0;
	for (size_t u = 0; u < pc->n; u++) {
		size_t i = first[u], nt = row_counts(m, i, tally, touched, pc->cat + ne, pc->cnt + ne);
		/* whole numbers: exact in any order */
		for (size_t a = 0; a < nt; a++, ne++)
			pc->nc[pc->cat[ne]] += sh[u] * (double)pc->cnt[ne];
		pc->r[u] = (double)calib_matrix_row_n(m, i);
		pc->total += sh[u] * pc->r[u];
		pc->off[u + 1] = ne;
	}
	for (size_t k = 0; k < pc->q; k++)
		if (pc->nc[k] > 0)
			pc->used[pc->n_used++] = (uint32_t)k;
	free(renum);
	free(first);
	free(tally);
	free(touched);
	*share = sh;
	if (pat_of)
		*pat_of = mpat;
	else
		free(mpat);
	return CALIB_OK;
fail:
	free(mpat);
	free(renum);
	free(first);
	free(sh);
	free(tally);
	free(touched);
	calls_free(pc);
	return CALIB_ENOMEM;
}

/*
 * The calls of pc (calls_patterns) as calls_build lists them: each pattern
 * weighed by its calls (share, which the result takes with pc's arrays).
 */
static struct calls
calls_weighed(const struct calls *pc, size_t n_calls, double *share)
{
	struct calls c = *pc;

	c.n = n_calls;
	c.w = share;
	return c;
}

/*
 * The pairable calls of m, each with its categories and counts: O(n_scores
 * + q). A matrix that has its patterns lists the first call of each
 * pattern only, weighed by its calls (calls_patterns). CALIB_OK or
 * CALIB_ENOMEM (c freed).
 */
static enum calib_status
calls_build(const struct calib_matrix *m, struct calls *c)
{
	uint32_t *tally = NULL, *touched = NULL;
	size_t maxr = 0, n = 0, ne = 0;

	memset(c, 0, sizeof *c);
	if (m->pat_first) {
		struct calls pc;
		double *share;
		if (calls_patterns(m, &pc, &n, &share, NULL) != CALIB_OK)
			return CALIB_ENOMEM;
		*c = calls_weighed(&pc, n, share); /* c owns pc's arrays and the shares */
		return CALIB_OK;
	}
	c->q = m->n_levels;
	for (size_t i = 0; i < m->n_items; i++) {
		size_t ri = calib_matrix_row_n(m, i);
		if (ri >= 2) {
			n++;
			ne += ri;
		} else if (ri == 1) {
			c->n_single++;
		}
		if (ri > maxr)
			maxr = ri;
	}
	c->off = malloc((n + 1) * sizeof *c->off);
	c->cat = malloc((ne ? ne : 1) * sizeof *c->cat);
	c->cnt = malloc((ne ? ne : 1) * sizeof *c->cnt);
	c->r = malloc((n ? n : 1) * sizeof *c->r);
	c->nc = calloc(c->q ? c->q : 1, sizeof *c->nc);
	c->used = malloc((c->q ? c->q : 1) * sizeof *c->used);
	tally = calloc(c->q ? c->q : 1, sizeof *tally);
	touched = malloc((maxr ? maxr : 1) * sizeof *touched);
	if (!c->off || !c->cat || !c->cnt || !c->r || !c->nc || !c->used || !tally ||
	    !touched) {
		free(tally);
		free(touched);
		calls_free(c);
		return CALIB_ENOMEM;
	}
	ne = 0;
	c->off[0] = 0;
	for (size_t i = 0; i < m->n_items; i++) {
		size_t ri = calib_matrix_row_n(m, i), nt;
		if (ri < 2)
			continue;
		nt = row_counts(m, i, tally, touched, c->cat + ne, c->cnt + ne);
		for (size_t a = 0; a < nt; a++, ne++)
			c->nc[c->cat[ne]] += (double)c->cnt[ne];
		c->r[c->n_units] = (double)ri;
		c->total += (double)ri;
		c->off[++c->n_units] = ne;
	}
	c->n = c->n_units;
	for (size_t k = 0; k < c->q; k++)
		if (c->nc[k] > 0)
			c->used[c->n_used++] = (uint32_t)k;
	free(tally);
	free(touched);
	return CALIB_OK;
}

const char *
calib_alpha_level_name(enum calib_alpha_level level)
{
	switch (level) {
	case CALIB_ALPHA_NOMINAL:
		return "nominal";
	case CALIB_ALPHA_ORDINAL:
		return "ordinal";
	case CALIB_ALPHA_INTERVAL:
		return "interval";
	case CALIB_ALPHA_RATIO:
		return "ratio";
	}
	return "?";
}

/* Does the level apply to m (see calib_alpha_compute)? */
static bool
level_applies(const struct calib_matrix *m, enum calib_alpha_level level)
{
	switch (level) {
	case CALIB_ALPHA_NOMINAL:
		return true;
	case CALIB_ALPHA_ORDINAL:
		return !m->na_level;
	case CALIB_ALPHA_INTERVAL:
	case CALIB_ALPHA_RATIO:
		return !m->na_level && !m->label;
	}
	return false;
}

/* The ratio metric; the pair (0, 0) agrees perfectly. */
static double
ratio_d2(double a, double b)
{
	double s = a + b, d;
	if (s == 0)
		return 0;
	d = (a - b) / s;
	return d * d;
}

/*
 * Many distinct values at the ratio level: the denominator's O(v^2) pairs
 * are replaced by a quadrature. For a pair of values a, b with a + b > 0,
 * ((a - b)/(a + b))^2 = (a - b)^2 * integral_0^inf s exp(-s (a + b)) ds,
 * and with s = exp(t) the integrand exp(2t - (a + b) exp(t)) is analytic in
 * the strip |Im t| < pi/2, so the trapezoidal rule in t converges
 * geometrically (Trefethen & Weideman 2014, "The exponentially convergent
 * trapezoidal rule", SIAM Review 56): step 0.2 puts the discretisation
 * error far below rounding, and the range is cut where the tails fall below
 * 1e-16 for every pair sum between the smallest and the largest (the unit
 * tests find 1e-14 against the direct sums). At node s,
 *   sum_kl n_k n_l e^{-s v_k} e^{-s v_l} (v_k - v_l)^2 = 2 A0 S2,
 * A0 = sum_l n_l e^{-s v_l}, S2 = sum_l n_l e^{-s v_l} (v_l - mu)^2 around
 * the weighted mean mu: all terms positive, O(v) per node, about 150 nodes.
 * The pair (0, 0) has coefficient 0 and never enters.
 */
#define RATIO_EXACT_MAX 1024 /* distinct values up to which pairs are summed */
#define QUAD_STEP       0.2

struct quad {
	size_t n_nodes;
	double t0;
	double *e; /* n_nodes x nv table of exp(-s_j v_l), or NULL */
};

/*
 * Nodes for values vu[0..nv-1] (increasing, >= 0, nv >= 2). With a table,
 * exp(-s v) is computed once (K x nv doubles). CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
quad_init(struct quad *qd, const double *vu, size_t nv, bool table)
{
	double cmin = vu[0] + vu[1], cmax = vu[nv - 1] + vu[nv - 2];
	double t1 = log(40 / cmin);

	qd->t0 = log(1e-8 / cmax);
	qd->n_nodes = (size_t)ceil((t1 - qd->t0) / QUAD_STEP) + 1;
	qd->e = NULL;
	if (!table)
		return CALIB_OK;
	qd->e = malloc(qd->n_nodes * nv * sizeof *qd->e);
	if (!qd->e)
		return CALIB_ENOMEM;
	for (size_t j = 0; j < qd->n_nodes; j++) {
		double sj = exp(qd->t0 + (double)j * QUAD_STEP);
		for (size_t l = 0; l < nv; l++)
			qd->e[j * nv + l] = exp(-sj * vu[l]);
	}
	return CALIB_OK;
}

/*
 * sum_kl n_k n_l delta2_kl at the ratio level for counts nu[] on values
 * vu[] (nv of them), by the quadrature; with g (nv doubles) also
 * g_k = sum_l (nu_l / total) delta2_kl. scratch: nv doubles when qd has no
 * table. Cannot fail.
 */
static double
quad_ratio(const struct quad *qd, const double *vu, const double *nu, size_t nv, double total,
           double *g, double *scratch)
{
	double de = 0;

	if (g)
		for (size_t k = 0; k < nv; k++)
			g[k] = 0;
	for (size_t j = 0; j < qd->n_nodes; j++) {
		double sj = exp(qd->t0 + (double)j * QUAD_STEP), w = QUAD_STEP * sj * sj;
		double a0 = 0, a1 = 0, s2 = 0, mu;
		const double *e = qd->e ? qd->e + j * nv : scratch;
		if (!qd->e)
			for (size_t l = 0; l < nv; l++)
				scratch[l] = exp(-sj * vu[l]);
		for (size_t l = 0; l < nv; l++) {
			a0 += nu[l] * e[l];
			a1 += nu[l] * e[l] * vu[l];
		}
		if (a0 == 0)
			continue;
		mu = a1 / a0;
		for (size_t l = 0; l < nv; l++) {
			double d = vu[l] - mu;
			s2 += nu[l] * e[l] * d * d;
		}
		de += w * 2 * a0 * s2;
		if (g)
			for (size_t k = 0; k < nv; k++) {
				double d = vu[k] - mu;
				g[k] += w * e[k] * (a0 * d * d + s2) / total;
			}
	}
	return de;
}

/*
 * Mid-ranks t_c = n_1 + ... + n_{c-1} + n_c / 2 of the categories used, in
 * category order (the ordinal level's coordinates).
 */
static void
midranks(const double *nc, const uint32_t *used, size_t n_used, double *t)
{
	double below = 0;
	for (size_t j = 0; j < n_used; j++) {
		uint32_t k = used[j];
		t[k] = below + nc[k] / 2;
		below += nc[k];
	}
}

/*
 * S_u of call u: sum over ordered pairs of its scores of delta2. x holds the
 * interval coordinates (values or mid-ranks) for the interval-type levels.
 */
static double
call_pair_d2(const struct calls *c, size_t u, enum calib_alpha_level level, const double *x)
{
	size_t a = c->off[u], b = c->off[u + 1];
	double r = c->r[u], s = 0, mean = 0;

	if (b - a < 2)
		return 0; /* one distinct value: no disagreement, exactly */
	switch (level) {
	case CALIB_ALPHA_NOMINAL:
		for (size_t e = a; e < b; e++)
			s += (double)c->cnt[e] * (double)c->cnt[e];
		return r * r - s;
	case CALIB_ALPHA_ORDINAL:
	case CALIB_ALPHA_INTERVAL:
		for (size_t e = a; e < b; e++)
			mean += (double)c->cnt[e] * x[c->cat[e]];
		mean /= r;
		for (size_t e = a; e < b; e++) {
			double d = x[c->cat[e]] - mean;
			s += (double)c->cnt[e] * d * d;
		}
		return 2 * r * s;
	case CALIB_ALPHA_RATIO:
		for (size_t e = a; e < b; e++)
			for (size_t f = e + 1; f < b; f++)
				s += (double)c->cnt[e] * (double)c->cnt[f] *
				     ratio_d2(x[c->cat[e]], x[c->cat[f]]);
		return 2 * s;
	}
	return NAN;
}

/*
 * g_k = sum_l p_l delta2_kl for the used categories (p_l = n_l / n), and
 * returns De = sum_k p_k g_k, the expected disagreement of a random pair.
 * scratch: 4 n_used doubles (the ratio quadrature). Cannot fail.
 */
static double
expected_d2(const struct calls *c, enum calib_alpha_level level, const double *x, double *g,
            double *scratch)
{
	double de = 0, mean = 0, var = 0;

	switch (level) {
	case CALIB_ALPHA_NOMINAL:
		for (size_t j = 0; j < c->n_used; j++) {
			uint32_t k = c->used[j];
			g[k] = 1 - c->nc[k] / c->total;
		}
		break;
	case CALIB_ALPHA_ORDINAL:
	case CALIB_ALPHA_INTERVAL:
		for (size_t j = 0; j < c->n_used; j++)
			mean += c->nc[c->used[j]] * x[c->used[j]];
		mean /= c->total;
		for (size_t j = 0; j < c->n_used; j++) {
			double d = x[c->used[j]] - mean;
			var += c->nc[c->used[j]] * d * d;
		}
		var /= c->total;
		for (size_t j = 0; j < c->n_used; j++) {
			double d = x[c->used[j]] - mean;
			g[c->used[j]] = d * d + var;
		}
		break;
	case CALIB_ALPHA_RATIO:
		if (c->n_used > RATIO_EXACT_MAX) {
			double *vu = scratch, *nu = vu + c->n_used, *gu = nu + c->n_used;
			struct quad qd;
			for (size_t j = 0; j < c->n_used; j++) {
				vu[j] = x[c->used[j]];
				nu[j] = c->nc[c->used[j]];
			}
			quad_init(&qd, vu, c->n_used, false);
			quad_ratio(&qd, vu, nu, c->n_used, c->total, gu, gu + c->n_used);
			for (size_t j = 0; j < c->n_used; j++)
				g[c->used[j]] = gu[j];
			break;
		}
		for (size_t j = 0; j < c->n_used; j++) {
			uint32_t k = c->used[j];
			double s = 0;
			for (size_t l = 0; l < c->n_used; l++)
				s += c->nc[c->used[l]] * ratio_d2(x[k], x[c->used[l]]);
			g[k] = s / c->total;
		}
		break;
	}
	for (size_t j = 0; j < c->n_used; j++)
		de += c->nc[c->used[j]] / c->total * g[c->used[j]];
	return de;
}

/* Why alpha at this level is undefined on c, or NULL. */
static const char *
undefined_reason(const struct calls *c, const double *value, enum calib_alpha_level level)
{
	if (c->n == 0)
		return "undefined: no call has two scores";
	if (c->n_used < 2)
		return "undefined: a single value observed";
	if (level == CALIB_ALPHA_RATIO)
		for (size_t j = 0; j < c->n_used; j++)
			if (!(value[c->used[j]] >= 0))
				return "undefined: the ratio level needs scores >= 0";
	return NULL;
}

/*
 * Coordinates of the categories for the level: values, mid-ranks or none.
 * Alpha at the interval and ratio levels does not change when every value
 * is multiplied by one positive number, so values near the limits of
 * double (1e300, 1e-300), whose squares would overflow or vanish, are
 * brought to a largest magnitude of 1 first. work: q doubles.
 */
static const double *
level_coords(const struct calib_matrix *m, const struct calls *c, enum calib_alpha_level level,
             double *work)
{
	double big = 0;

	if (level == CALIB_ALPHA_ORDINAL) {
		midranks(c->nc, c->used, c->n_used, work);
		return work;
	}
	for (size_t j = 0; j < c->n_used; j++)
		big = fmax(big, fabs(m->value[c->used[j]]));
	if (level == CALIB_ALPHA_NOMINAL || !(big > 1e100 || (big > 0 && big < 1e-100)))
		return m->value;
	for (size_t k = 0; k < c->q; k++)
		work[k] = m->value[k] / big;
	return work;
}

/*
 * Alpha at one level with Gwet's standard error (NAN for ordinal) into rec.
 * work: 6 q doubles. Cannot fail.
 */
static void
alpha_level(const struct calib_matrix *m, const struct calls *c, enum calib_alpha_level level,
            double conf, double *work, struct calib_stat *rec)
{
	const char *why = undefined_reason(c, m->value, level);
	const double *x;
	double *g = work + c->q;
	double n = (double)c->n, dosum = 0, de, dp, dpa, ap, rbar, var = 0, t;

	rec->n_items = c->n;
	rec->n_raters = m->n_raters;
	if (why) {
		calib_stat_note(rec, "%s", why);
		return;
	}
	x = level_coords(m, c, level, work);
	for (size_t u = 0; u < c->n_units; u++)
		dosum += (c->w ? c->w[u] : 1.0) * (call_pair_d2(c, u, level, x) / (c->r[u] - 1));
	de = expected_d2(c, level, x, g, g + c->q);
	dp = dosum / c->total;
	dpa = dp * (c->total - 1) / c->total;
	rec->estimate = 1 - dpa / de;
	if (c->n_single)
		calib_stat_note(rec, "%zu call%s with a single score left out", c->n_single,
		                c->n_single == 1 ? "" : "s");
	if (level == CALIB_ALPHA_ORDINAL || c->n < 2)
		return;
	ap = 1 - dp / de;
	rbar = c->total / n;
	for (size_t u = 0; u < c->n_units; u++) {
		double d = c->r[u] / rbar - 1, a = 0, xu, yu, e;
		for (size_t k = c->off[u]; k < c->off[u + 1]; k++)
			a += (double)c->cnt[k] * g[c->cat[k]];
		xu = call_pair_d2(c, u, level, x) / ((c->r[u] - 1) * rbar) - dpa * d;
		yu = a / rbar - de * d;
		e = (dp - xu) / de - 2 * (1 - ap) * (de - yu) / de;
		var += (c->w ? c->w[u] : 1.0) * e * e;
	}
	rec->se = sqrt(var / (n * (n - 1)));
	rec->df1 = n - 1;
	t = gsl_cdf_tdist_Pinv(1 - (1 - conf) / 2, rec->df1);
	rec->lower = rec->estimate - t * rec->se;
	rec->upper = rec->estimate + t * rec->se; /* clipped, and said, by calib_registry_clip */
	rec->test = rec->estimate / rec->se;
	rec->p = 2 * gsl_cdf_tdist_Q(fabs(rec->test), rec->df1);
}

static enum calib_status
compute_alpha(const struct calib_matrix *m, const struct calib_coef_opts *o,
                    struct calib_stats *out, struct calib_error *err)
{
	static const enum calib_alpha_level levels[] = {
	        CALIB_ALPHA_NOMINAL, CALIB_ALPHA_ORDINAL, CALIB_ALPHA_INTERVAL,
	        CALIB_ALPHA_RATIO};
	double conf = o ? o->conf : 0.95, *work;
	struct calls c;

	if (!(conf > 0 && conf < 1))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "confidence level must be between 0 and 1");
	if (calls_build(m, &c) != CALIB_OK)
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	work = malloc((6 * c.q + 1) * sizeof *work);
	if (!work) {
		calls_free(&c);
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
		struct calib_stat *rec;
		char name[CALIB_STAT_NAME];
		snprintf(name, sizeof name, "kripp_alpha_%s",
		         calib_alpha_level_name(levels[l]));
		if (!level_applies(m, levels[l]) || (o && !calib_coef_wants(o, name)))
			continue;
		rec = calib_stats_push(out, "%s", name);
		if (!rec) {
			free(work);
			calls_free(&c);
			return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
		}
		alpha_level(m, &c, levels[l], conf, work, rec);
	}
	free(work);
	calls_free(&c);
	return CALIB_OK;
}

/* The records, with bounds outside the statistic's range clipped and said (registry.h). */
enum calib_status
calib_alpha_compute(const struct calib_matrix *m, const struct calib_coef_opts *o,
                    struct calib_stats *out, struct calib_error *err)
{
	size_t first = out->n;
	enum calib_status st = compute_alpha(m, o, out, err);
	calib_registry_clip_from(out, first);
	return st;
}

/* The bootstrap's per-call data, computed once. */
struct boot {
	const struct calls *c;
	enum calib_alpha_level level;
	const double *value;
	double *dterm;    /* n: S_u / (m_u - 1) for the fixed metrics */
	double *su, *suu; /* n: interval: sum m_uc (x_c - x0), sum m_uc (x_c - x0)^2 */
	int32_t *only;    /* n: the call's category when it has a single one, else -1 */
	double *nc;       /* q: marginals of the replicate */
	double *t;        /* q: mid-ranks of the replicate (ordinal) */
	unsigned *mult;   /* n: how often each call (pattern) was drawn */
	bool quad;        /* ratio by quadrature (many values) */
	struct quad qd;
	double *vu, *nu; /* n_used: values and replicate counts of the used categories */
	double *scratch; /* n_used */
};

/* Above this many values a ratio replicate uses the quadrature. */
#define BOOT_RATIO_EXACT_MAX 512
/* Largest table of exp(-s v) kept for the replicates (doubles). */
#define BOOT_QUAD_TABLE_MAX ((size_t)1 << 22)

/*
 * A uniform integer in [0, n) from one 32-bit output of the generator
 * (mt19937 gives 0 .. 2^32 - 1): the top half of x * n, redrawing x in the
 * rare case that would bias the result (Lemire 2019, "Fast random integer
 * generation in an interval"). One multiplication instead of
 * gsl_rng_uniform_int's division: the draws dominate a replicate's cost.
 */
static uint32_t
draw_index(gsl_rng *rng, uint32_t n)
{
	uint64_t x = (uint64_t)gsl_rng_get(rng) * n;
	uint32_t low = (uint32_t)x;

	if (low < n) {
		uint32_t floor = (uint32_t)(-n) % n;
		while (low < floor) {
			x = (uint64_t)gsl_rng_get(rng) * n;
			low = (uint32_t)x;
		}
	}
	return (uint32_t)(x >> 32);
}

/*
 * Alpha of the calls drawn b->mult[u] times each: one pass over the calls
 * plus O(q) (O(v^2) for ratio); NAN when they hold a single value.
 */
static double
boot_replicate(struct boot *b)
{
	const struct calls *c = b->c;
	double total = 0, dosum = 0, desum = 0, su = 0, suu = 0;
	int32_t first = -1;
	bool varied = false, interval = b->level == CALIB_ALPHA_INTERVAL;

	if (!interval)
		for (size_t j = 0; j < c->n_used; j++)
			b->nc[c->used[j]] = 0;
	for (size_t u = 0; u < c->n; u++) {
		double w;
		if (b->mult[u] == 0)
			continue;
		w = (double)b->mult[u];
		total += w * c->r[u];
		dosum += w * b->dterm[u];
		if (b->only[u] < 0)
			varied = true;
		else if (first < 0)
			first = b->only[u];
		else if (first != b->only[u])
			varied = true;
		if (interval) {
			su += w * b->su[u];
			suu += w * b->suu[u];
			continue;
		}
		for (size_t e = c->off[u]; e < c->off[u + 1]; e++)
			b->nc[c->cat[e]] += w * (double)c->cnt[e];
	}
	if (!varied)
		return NAN;
	switch (b->level) {
	case CALIB_ALPHA_INTERVAL:
		desum = 2 * (total * suu - su * su);
		break;
	case CALIB_ALPHA_NOMINAL:
		desum = total * total;
		for (size_t j = 0; j < c->n_used; j++)
			desum -= b->nc[c->used[j]] * b->nc[c->used[j]];
		break;
	case CALIB_ALPHA_RATIO:
		if (b->quad) {
			for (size_t j = 0; j < c->n_used; j++)
				b->nu[j] = b->nc[c->used[j]];
			desum = quad_ratio(&b->qd, b->vu, b->nu, c->n_used, total, NULL,
			                   b->scratch);
			break;
		}
		for (size_t j = 0; j < c->n_used; j++) {
			uint32_t k = c->used[j];
			if (b->nc[k] == 0)
				continue;
			for (size_t l = j + 1; l < c->n_used; l++)
				desum += b->nc[k] * b->nc[c->used[l]] *
				         ratio_d2(b->value[k], b->value[c->used[l]]);
		}
		desum *= 2;
		break;
	case CALIB_ALPHA_ORDINAL: {
		/* The metric follows the replicate's own marginals: a second pass. */
		double mean = 0, ss = 0;
		midranks(b->nc, c->used, c->n_used, b->t);
		for (size_t j = 0; j < c->n_used; j++)
			mean += b->nc[c->used[j]] * b->t[c->used[j]];
		mean /= total;
		for (size_t j = 0; j < c->n_used; j++) {
			double d = b->t[c->used[j]] - mean;
			ss += b->nc[c->used[j]] * d * d;
		}
		desum = 2 * total * ss;
		for (size_t u = 0; u < c->n; u++)
			if (b->mult[u] && b->only[u] < 0)
				dosum += (double)b->mult[u] *
				         call_pair_d2(c, u, CALIB_ALPHA_ORDINAL, b->t) /
				         (c->r[u] - 1);
		break;
	}
	}
	return 1 - (total - 1) * dosum / desum;
}

static void
boot_free(struct boot *b)
{
	free(b->dterm);
	free(b->su);
	free(b->suu);
	free(b->only);
	free(b->nc);
	free(b->t);
	free(b->mult);
	free(b->qd.e);
	free(b->vu);
	free(b->nu);
	free(b->scratch);
}

/* Per-call terms of the bootstrap. CALIB_OK or CALIB_ENOMEM (b freed). */
static enum calib_status
boot_init(struct boot *b, const struct calls *c, const struct calib_matrix *m,
          enum calib_alpha_level level)
{
	size_t n = c->n ? c->n : 1, q = c->q ? c->q : 1;
	double x0 = 0;

	memset(b, 0, sizeof *b);
	b->c = c;
	b->level = level;
	b->value = m->value;
	b->dterm = malloc(n * sizeof *b->dterm);
	b->su = malloc(n * sizeof *b->su);
	b->suu = malloc(n * sizeof *b->suu);
	b->only = malloc(n * sizeof *b->only);
	b->nc = calloc(q, sizeof *b->nc);
	b->t = calloc(q, sizeof *b->t);
	b->mult = malloc(n * sizeof *b->mult);
	if (!b->dterm || !b->su || !b->suu || !b->only || !b->nc || !b->t || !b->mult) {
		boot_free(b);
		return CALIB_ENOMEM;
	}
	if (level == CALIB_ALPHA_RATIO && c->n_used > BOOT_RATIO_EXACT_MAX) {
		size_t nv = c->n_used;
		b->quad = true;
		b->vu = malloc(nv * sizeof *b->vu);
		b->nu = malloc(nv * sizeof *b->nu);
		b->scratch = malloc(nv * sizeof *b->scratch);
		if (!b->vu || !b->nu || !b->scratch) {
			boot_free(b);
			return CALIB_ENOMEM;
		}
		for (size_t j = 0; j < nv; j++)
			b->vu[j] = m->value[c->used[j]];
		quad_init(&b->qd, b->vu, nv, false);
		if (b->qd.n_nodes * nv <= BOOT_QUAD_TABLE_MAX &&
		    quad_init(&b->qd, b->vu, nv, true) != CALIB_OK) {
			boot_free(b);
			return CALIB_ENOMEM;
		}
	}
	if (level == CALIB_ALPHA_INTERVAL) {
		/* Centre on the overall mean so that n sum u^2 - (sum u)^2 keeps its digits. */
		for (size_t j = 0; j < c->n_used; j++)
			x0 += c->nc[c->used[j]] * m->value[c->used[j]];
		x0 /= c->total;
	}
	for (size_t u = 0; u < c->n; u++) {
		size_t a = c->off[u], e_end = c->off[u + 1];
		b->only[u] = e_end - a == 1 ? (int32_t)c->cat[a] : -1;
		b->dterm[u] = level == CALIB_ALPHA_ORDINAL
		                      ? 0
		                      : call_pair_d2(c, u, level, m->value) / (c->r[u] - 1);
		b->su[u] = b->suu[u] = 0;
		if (level != CALIB_ALPHA_INTERVAL)
			continue;
		for (size_t e = a; e < e_end; e++) {
			double d = m->value[c->cat[e]] - x0;
			b->su[u] += (double)c->cnt[e] * d;
			b->suu[u] += (double)c->cnt[e] * d * d;
		}
	}
	return CALIB_OK;
}

/* Summaries of the defined replicates in v[0..nd-1] (sorted here). */
static void
boot_summarise(double *v, size_t nd, double conf, double alpha_min,
               struct calib_alpha_boot *res)
{
	size_t below = 0;

	res->n_defined = nd;
	if (nd == 0) {
		snprintf(res->note, sizeof res->note,
		         "undefined: every replicate drew a single value");
		return;
	}
	gsl_sort(v, 1, nd);
	res->lower = gsl_stats_quantile_from_sorted_data(v, 1, nd, (1 - conf) / 2);
	res->upper = gsl_stats_quantile_from_sorted_data(v, 1, nd, (1 + conf) / 2);
	res->mean = gsl_stats_mean(v, 1, nd);
	res->sd = nd > 1 ? gsl_stats_sd_m(v, 1, nd, res->mean) : NAN;
	for (size_t j = 0; j < nd; j++)
		below += v[j] < alpha_min;
	res->q = isnan(alpha_min) ? NAN : (double)below / (double)nd;
	if (nd < res->n_boot)
		snprintf(res->note, sizeof res->note,
		         "%zu of %zu replicates drew a single value and were left out",
		         res->n_boot - nd, res->n_boot);
}

/*
 * Replicates run in batches: the draws of a batch are made in order from
 * the one stream (so the replicates are those of a single thread), then
 * the workers of calib_parallel_for, each with its own scratch (struct
 * boot), compute them.
 */
#define BOOT_BATCH_DRAWS ((size_t)1 << 22) /* call counts kept at once: 16 MiB */

struct boot_job {
	struct boot *b; /* worker w's scratch at b[w] */
	unsigned *mult; /* the batch: replicate i's pattern counts at mult[i * n] */
	size_t n;
	double *out; /* replicate i's alpha */
};

static void
boot_run(void *arg, size_t i, unsigned w)
{
	struct boot_job *j = arg;
	struct boot *b = &j->b[w];
	unsigned *own = b->mult;

	b->mult = j->mult + i * j->n;
	j->out[i] = boot_replicate(b);
	b->mult = own;
}

/* One level of calib_alpha_bootstrap_levels: its scratch per worker and its replicates. */
struct boot_level {
	struct boot *b;       /* workers of them, ready of them set up */
	unsigned ready;
	double *v, *out;      /* the defined replicates (B); the batch's (batch) */
	size_t nd;
};

enum calib_status
calib_alpha_bootstrap_levels(const struct calib_matrix *m, const bool want[4], size_t B,
                             unsigned long seed, double conf, double alpha_min,
                             struct calib_alpha_boot res[4], struct calib_error *err)
{
	struct calls c, pc = {0};
	struct boot_level lv[4];
	gsl_rng *rng = NULL;
	double *work = NULL, *share = NULL;
	unsigned *mult = NULL;
	uint32_t *pat = NULL;
	size_t batch, n;
	unsigned workers = 1;
	bool multinomial, any = false, first = true;
	enum calib_status st = CALIB_ENOMEM;

	if (B == 0)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "the bootstrap needs at least one replicate");
	if (!(conf > 0 && conf < 1))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "confidence level must be between 0 and 1");
	for (int l = 0; l < 4; l++) {
		double *rep = res[l].rep;
		if (!want[l])
			continue;
		if (!level_applies(m, (enum calib_alpha_level)l))
			return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
			                       "the %s level does not apply to this scale",
			                       calib_alpha_level_name((enum calib_alpha_level)l));
		if (first)
			workers = calib_threads(res[l].threads);
		first = false;
		memset(&res[l], 0, sizeof res[l]);
		res[l].rep = rep;
		res[l].threads = workers;
		res[l].estimate = res[l].lower = res[l].upper = res[l].q = res[l].mean =
			res[l].sd = NAN;
		res[l].n_boot = B;
		if (rep)
			for (size_t j = 0; j < B; j++)
				rep[j] = NAN;
	}
	memset(lv, 0, sizeof lv);
	/* a pattern is drawn in proportion to its calls */
	if (calls_patterns(m, &pc, &n, &share, m->pat_first ? NULL : &pat) != CALIB_OK)
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	multinomial = calib_patterns_drawn(pc.n, n);
	if (!multinomial && !pat && n <= UINT32_MAX) { /* calls drawn one by one */
		calls_free(&pc);
		free(share);
		if (m->patterns_only)
			return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
			                       "this bootstrap needs every call's scores");
		if (calls_patterns(m, &pc, &n, &share, &pat) != CALIB_OK)
			return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	c = calls_weighed(&pc, n, share);
	if (n > UINT32_MAX) {
		st = calib_error_set(err, CALIB_EARG, NULL, 0, 0, "too many calls for the bootstrap");
		goto out;
	}
	/* each pairable call's pattern, for drawing calls one by one */
	for (size_t i = 0, u = 0; pat && i < m->n_items; i++)
		if (pat[i] != UINT32_MAX)
			pat[u++] = pat[i];
	batch = BOOT_BATCH_DRAWS / (pc.n ? pc.n : 1);
	batch = batch < 2 ? 2 : batch > B ? B : batch;
	if (workers > B)
		workers = (unsigned)B;
	if (!(work = malloc((6 * c.q + 1) * sizeof *work)))
		goto nomem;
	for (int l = 0; l < 4; l++) {
		enum calib_alpha_level level = (enum calib_alpha_level)l;
		struct boot_level *L = &lv[l];
		struct calib_stat rec;
		const char *why;
		if (!want[l])
			continue;
		res[l].n_calls = n;
		if ((why = undefined_reason(&c, m->value, level))) {
			snprintf(res[l].note, sizeof res[l].note, "%s", why);
			continue;
		}
		L->v = malloc(B * sizeof *L->v);
		L->out = malloc(batch * sizeof *L->out);
		L->b = calloc(workers, sizeof *L->b);
		if (!L->v || !L->out || !L->b || boot_init(&L->b[0], &pc, m, level) != CALIB_OK)
			goto nomem;
		/* a worker without scratch is not started: the others do its share */
		for (L->ready = 1;
		     L->ready < workers && boot_init(&L->b[L->ready], &pc, m, level) == CALIB_OK;
		     L->ready++)
			;
		memset(&rec, 0, sizeof rec);
		rec.estimate = NAN;
		alpha_level(m, &c, level, conf, work, &rec);
		res[l].estimate = rec.estimate;
		any = true;
	}
	if (!any) {
		st = CALIB_OK;
		goto out;
	}
	if (!(mult = malloc(batch * (pc.n ? pc.n : 1) * sizeof *mult)) ||
	    !(rng = gsl_rng_alloc(gsl_rng_mt19937)))
		goto nomem;
	/* one set of draws for every level: each level alone would draw the same */
	gsl_rng_set(rng, seed);
	for (size_t j0 = 0; j0 < B; j0 += batch) {
		size_t count = B - j0 < batch ? B - j0 : batch;

		for (size_t i = 0; i < count; i++) {
			unsigned *mi = mult + i * pc.n;
			if (multinomial) {
				gsl_ran_multinomial(rng, pc.n, (unsigned)c.n, share, mi);
				continue;
			}
			memset(mi, 0, pc.n * sizeof *mi);
			for (size_t k = 0; k < c.n; k++)
				mi[pat[draw_index(rng, (uint32_t)c.n)]]++;
		}
		for (int l = 0; l < 4; l++) {
			struct boot_level *L = &lv[l];
			struct boot_job job = {L->b, mult, pc.n, L->out};
			if (!L->b)
				continue;
			calib_parallel_for(count, L->ready, boot_run, &job);
			for (size_t i = 0; i < count; i++) {
				if (res[l].rep)
					res[l].rep[j0 + i] = L->out[i];
				if (!isnan(L->out[i]))
					L->v[L->nd++] = L->out[i];
			}
		}
	}
	for (int l = 0; l < 4; l++)
		if (lv[l].b)
			boot_summarise(lv[l].v, lv[l].nd, conf, alpha_min, &res[l]);
	st = CALIB_OK;
	goto out;
nomem:
	st = calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
out:
	for (int l = 0; l < 4; l++) {
		for (unsigned w = 0; lv[l].b && w < lv[l].ready; w++)
			boot_free(&lv[l].b[w]);
		free(lv[l].b);
		free(lv[l].v);
		free(lv[l].out);
	}
	free(mult);
	free(share);
	free(pat);
	gsl_rng_free(rng);
	free(work);
	calls_free(&pc);
	return st;
}

enum calib_status
calib_alpha_bootstrap(const struct calib_matrix *m, enum calib_alpha_level level, size_t B,
                      unsigned long seed, double conf, double alpha_min,
                      struct calib_alpha_boot *res, struct calib_error *err)
{
	struct calib_alpha_boot all[4];
	bool want[4] = {false, false, false, false};
	enum calib_status st;

	if ((unsigned)level > CALIB_ALPHA_RATIO)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "no such level of alpha");
	want[level] = true;
	memset(all, 0, sizeof all);
	all[level] = *res;
	st = calib_alpha_bootstrap_levels(m, want, B, seed, conf, alpha_min, all, err);
	*res = all[level];
	return st;
}

bool
calib_alpha_boot_needs_rows(const struct calib_matrix *m)
{
	size_t np = 0, n = 0;

	if (!m->patterns_only)
		return false;
	for (size_t p = 0; p < m->n_pat; p++)
		if (calib_matrix_row_n(m, p) >= 2) {
			np++;
			n += m->pat_count[p];
		}
	return !calib_patterns_drawn(np, n);
}

struct calib_alpha_calls {
	struct calls pc; /* one call per pattern (calls_patterns) */
	struct boot b;   /* b.mult: how often each pattern was drawn */
	uint32_t *pat_of; /* per matrix row: its pattern, or UINT32_MAX (unpairable) */
	size_t n_rows;
};

enum calib_status
calib_alpha_calls_build(const struct calib_matrix *m, enum calib_alpha_level level,
                        struct calib_alpha_calls **out, struct calib_error *err)
{
	struct calib_alpha_calls *a;
	double *share;
	size_t n;

	*out = NULL;
	if (!level_applies(m, level))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "the %s level does not apply to this scale",
		                       calib_alpha_level_name(level));
	if (m->patterns_only)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "drawing calls needs every call's scores");
	if (!(a = calloc(1, sizeof *a)))
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	/* a replicate then costs the patterns, not the calls (as calib_alpha_bootstrap) */
	a->n_rows = m->n_items;
	if (calls_patterns(m, &a->pc, &n, &share, &a->pat_of) != CALIB_OK) {
		free(a);
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	free(share);
	if (boot_init(&a->b, &a->pc, m, level) != CALIB_OK) {
		free(a->pat_of);
		calls_free(&a->pc);
		free(a);
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	*out = a;
	return CALIB_OK;
}

void
calib_alpha_calls_resample(struct calib_alpha_calls *c, const size_t *rows, size_t n)
{
	memset(c->b.mult, 0, (c->pc.n ? c->pc.n : 1) * sizeof *c->b.mult);
	for (size_t t = 0; t < n; t++)
		if (rows[t] < c->n_rows && c->pat_of[rows[t]] != UINT32_MAX)
			c->b.mult[c->pat_of[rows[t]]]++;
}

double
calib_alpha_calls_estimate(struct calib_alpha_calls *c)
{
	double a = boot_replicate(&c->b);

	return isfinite(a) ? a : NAN;
}

void
calib_alpha_calls_free(struct calib_alpha_calls *c)
{
	if (!c)
		return;
	boot_free(&c->b);
	calls_free(&c->pc);
	free(c->pat_of);
	free(c);
}
