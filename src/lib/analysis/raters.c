/*
 * raters.c - each rater against a reference (raters.h).
 *
 * Reference: the leave-one-out mean or median of the other raters' points
 * on the same call, or the expert's score. Deviations d = rater - reference
 * on numeric scales (binary criteria count as 0/1 points); N/A scores are
 * left out of deviations and counted. Bias is the mean of d with the
 * Student t interval mean +- t(1 - a/2, n - 1) sd / sqrt(n). The alignment
 * score is the QA tools' points-based one: 1 - |d| / range per score,
 * averaged per criterion, then over criteria with the rubric's weights.
 * On binary and nominal criteria the rater agrees when its category (N/A
 * a category of its own) equals the expert's, or the unique mode of the
 * others'; Cohen's kappa against the expert is Cohen (1960), eq. 1:
 * (p_o - p_e) / (1 - p_e).
 * The default reference is the leave-one-out median: with four raters or
 * more one outlying rater moves it by at most one order statistic, where
 * it moves the mean of the others by 1/(k - 1) of its offset and makes
 * every other rater look lenient (or severe) by that much.
 * Rater effect on every score (calls with two numeric scores or more): the
 * Skillings & Mack (1981) chi-square A' V^- A, A the rater sums of the
 * within-call ranks centred and weighted by sqrt(12 / (k_i + 1)), V their
 * covariance under permutation within calls (exact with ties; Skillings
 * & Mack's when there are none, and Durbin's 1951 statistic in a balanced
 * incomplete block design), df = rank V; and the rater F of the additive
 * two-way model with calls as blocks, raters adjusted for calls: the
 * intra-block analysis, C b = Q with C = diag(n_r) - sum_i N_i N_i' / k_i
 * and Q the rater totals of the within-call deviations, SS_rater = b'Q on
 * rank C df, residual SS the within-call SS minus it, on N - calls - rank C
 * df (Searle 1971, ch. 7). The generalised inverses come from the
 * eigenvalues, so raters that share no call still give a test on what
 * connects them.
 * On request (complete), on the calls scored by every rater: the Friedman
 * (1937) test with the tie correction of Hollander & Wolfe (1999, eq. 7.8,
 * as R's friedman.test), and the rater F of a two-way ANOVA without
 * replication (Shrout & Fleiss 1979, Table 1: JMS / EMS).
 * Direction of a rater: the t test of a zero bias on the TOTAL, its p
 * adjusted over the raters by Holm (1979).
 * The TOTAL is, as in calib-agree, 100 x the weighted mean of an
 * evaluation's criteria on a 0..1 scale, N/A criteria left out.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>

#include "calib/coef.h"
#include "calib/kappa.h"
#include "calib/matrix.h"
#include "calib/parallel.h"
#include "calib/raters.h"
#include "calib/registry.h"
#include "calib/totals.h"
#include "calib/stat.h"
#include "calib/table.h"

#define KAPPA_MAX_Q 64 /* larger category sets get no kappa table */

static size_t
atleast1(size_t n)
{
	return n ? n : 1;
}

void
calib_raters_opts_init(struct calib_raters_opts *o)
{
	memset(o, 0, sizeof *o);
	o->consensus = CALIB_CONSENSUS_MEDIAN;
	o->expert = CALIB_NONE;
	o->tolerance = 10;
	o->tol_percent = true;
	o->conf = 0.95;
	o->session = CALIB_NONE;
	o->pass = NAN;
}

bool
calib_raters_match(const struct calib_criterion *c, uint16_t cat, uint16_t key_cat, double pts,
                   double key, double bound)
{
	if (isnan(pts) || isnan(key))
		return isnan(pts) && isnan(key);
	if (c->scale == CALIB_SCALE_BINARY || c->scale == CALIB_SCALE_NOMINAL ||
	    !calib_store_ordered(c))
		return cat == key_cat;
	return fabs(pts - key) <= bound;
}

double
calib_raters_points(const struct calib_criterion *c, uint16_t code)
{
	double v = calib_store_code_value(c, code);
	return c->labelled ? v - 1 : v;
}

double
calib_raters_range(const struct calib_criterion *c)
{
	if (c->labelled)
		return c->n_levels ? (double)(c->n_levels - 1) : 0;
	if (!isnan(c->min) && !isnan(c->max))
		return c->max - c->min;
	if (c->n_levels == 0)
		return 0;
	return (isnan(c->max) ? c->value[c->n_levels - 1] : c->max) -
	       (isnan(c->min) ? c->value[0] : c->min);
}

/* Running sums of one cell (Welford's mean and M2 for the bias). */
struct acc {
	double mean, m2, sum, sum_abs, sum_align; /* bias = sum / n: exact on small integers */
	size_t n, n_within;
};

/*
 * Add deviation d. bound is the tolerance with its rounding slack,
 * tol + 1e-9 * fmax(1, tol), worked out once per column. The maxima are
 * written as comparisons (fmax is a library call here); neither argument
 * is ever NaN, so the result is fmax's.
 */
static void
acc_add(struct acc *a, double d, double bound, double range)
{
	double delta = d - a->mean;
	a->n++;
	a->mean += delta / (double)a->n;
	a->m2 += delta * (d - a->mean);
	a->sum += d;
	a->sum_abs += fabs(d);
	a->n_within += fabs(d) <= bound;
	if (range > 0) {
		double x = 1 - fabs(d) / range;
		a->sum_align += x > 0 ? x : 0;
	} else
		a->sum_align += d == 0;
}

/* A score of a row: its rater column, category and points. */
struct score {
	double v;
	uint32_t col, cat;
};

/*
 * Sort a row's scores by points, equal points kept in column order. A row
 * holds one score per rater, a handful: insertion sort, no call per
 * comparison.
 */
static void
sort_row(struct score *s, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct score x = s[i];
		size_t j = i;
		for (; j > 0 && s[j - 1].v > x.v; j--)
			s[j] = s[j - 1];
		s[j] = x;
	}
}

/* Median of the sorted s[0..n) without element skip. */
static double
median_without(const struct score *s, size_t n, size_t skip)
{
	size_t m = n - 1;
	size_t b = m / 2;
	size_t a = m % 2 == 0 && m > 0 ? b - 1 : b; /* the two middle ones, or one twice */
	if (m == 0)
		return NAN;
	a += a >= skip;
	b += b >= skip;
	return (s[a].v + s[b].v) / 2;
}

/*
 * Reference of the score v of a row whose nn numeric scores are row[0..nn)
 * (sorted by sort_row for the median) with sum sum: the expert's value ev
 * when there is an expert, else the leave-one-out mean or median of the
 * others; NAN when there is none. Leaving out any score equal to v leaves
 * the same others, so the median finds one by bisection: O(log nn).
 */
static double
reference(const struct score *row, size_t nn, double sum, double v, bool expert, double ev,
          enum calib_consensus cons)
{
	size_t lo = 0, hi = nn;
	if (expert)
		return ev;
	if (nn < 2)
		return NAN;
	if (cons == CALIB_CONSENSUS_MEAN)
		return (sum - v) / (double)(nn - 1);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (row[mid].v < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return median_without(row, nn, lo);
}

/* Workspace reused over criteria. */
struct work {
	struct score *row; /* one row's numeric scores */
	size_t cap;
	size_t *cnt;       /* per category count in the row */
	uint32_t *touched; /* categories seen in the row */
	size_t cnt_cap;
	size_t *ktab; /* n_raters x q x q kappa tables */
	uint32_t *colr; /* per matrix column: the rater's index in the result (or CALIB_NONE) */
	size_t colr_cap;
	double *colsum, *ranksum, *rowbuf;
	size_t col_cap;
	struct calib_matrix *mat; /* the room each criterion's matrix reuses */
};

static int
grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;
	if (n <= *cap)
		return 0;
	if (!(q = realloc(*p, n * size)))
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* What one column (criterion or TOTAL) of the analysis needs. */
struct column {
	const struct calib_matrix *m;
	const double *pts; /* per category; NAN for N/A */
	double range, tol;
	double bound; /* tol + 1e-9 * fmax(1, tol): within the tolerance up to rounding */
	bool numeric; /* deviations are meaningful: levels with an order */
	bool nominal; /* binary or nominal: agreement on categories */
	size_t j;     /* column index in the result */
	const struct calib_criterion *cr; /* the criterion, or NULL for the TOTAL */
	size_t n_na, n_noref; /* counted by analyse() */
};

/* The rater-effect tests on the complete rows of one column. */
static enum calib_status
rater_effect_complete(struct work *w, const struct column *c, struct calib_raters_test *t)
{
	const struct calib_matrix *m = c->m;
	size_t k = m->n_raters, n = 0;
	double T = 0, sumsq = 0, rowss = 0, ties = 0;
	if (grow((void **)&w->colsum, &w->col_cap, k, sizeof(double)) ||
	    !(w->ranksum = realloc(w->ranksum, k * sizeof(double))) ||
	    !(w->rowbuf = realloc(w->rowbuf, k * sizeof(double))))
		return CALIB_ENOMEM;
	memset(w->colsum, 0, k * sizeof(double));
	memset(w->ranksum, 0, k * sizeof(double));
	if (grow((void **)&w->row, &w->cap, k, sizeof(struct score)))
		return CALIB_ENOMEM;
	for (size_t i = 0; i < m->n_items; i++) {
		size_t len = 0;
		double rs = 0;
		for (size_t p = m->off[i]; p < m->off[i + 1]; p++) {
			double v = c->pts[m->cat[p]];
			if (isnan(v))
				break;
			w->row[len].v = v;
			w->row[len].col = m->col[p];
			len++;
		}
		if (len != k)
			continue;
		n++;
		sort_row(w->row, k);
		for (size_t a = 0; a < k;) {
			size_t b = a;
			while (b + 1 < k && w->row[b + 1].v == w->row[a].v)
				b++;
			double rank = (double)(a + b) / 2 + 1, tn = (double)(b - a + 1);
			ties += tn * tn * tn - tn;
			for (size_t q = a; q <= b; q++)
				w->ranksum[w->row[q].col] += rank;
			a = b + 1;
		}
		for (size_t q = 0; q < k; q++) {
			double v = w->row[q].v;
			w->colsum[w->row[q].col] += v;
			rs += v;
			sumsq += v * v;
		}
		T += rs;
		rowss += rs * rs;
	}
	t->n_calls = n;
	t->n_scores = n * k;
	if (n < 2) {
		snprintf(t->note, sizeof t->note, "fewer than two calls scored by every rater");
		return CALIB_OK;
	}
	{
		double dn = (double)n, dk = (double)k, s = 0, colss = 0;
		double den = dn * dk * (dk + 1) - ties / (dk - 1);
		for (size_t j = 0; j < k; j++) {
			double dev = w->ranksum[j] - dn * (dk + 1) / 2;
			s += dev * dev;
			colss += w->colsum[j] * w->colsum[j];
		}
		double corr = T * T / (dn * dk);
		double ss_tot = sumsq - corr, ss_r = colss / dn - corr,
		       ss_c = rowss / dk - corr;
		double ss_e = ss_tot - ss_r - ss_c;
		if (ss_e < 1e-12 * fmax(ss_tot, 1))
			ss_e = 0;
		if (ss_r < 0)
			ss_r = 0;
		t->rank_df = t->df1 = dk - 1;
		t->df2 = (dn - 1) * (dk - 1);
		if (den > 1e-12 * dn * dk * (dk + 1)) {
			t->rank = 12 * s / den;
			t->rank_p = gsl_cdf_chisq_Q(t->rank, t->rank_df);
		}
		if (ss_e > 0) {
			t->f = (ss_r / t->df1) / (ss_e / t->df2);
			t->f_p = gsl_cdf_fdist_Q(t->f, t->df1, t->df2);
		} else if (ss_r > 0) {
			t->f = INFINITY;
			t->f_p = 0;
		}
		if (ss_tot <= 0)
			snprintf(t->note, sizeof t->note,
			         "every score equal: no rater effect to test");
		else if (ss_r == 0 && ss_e == 0)
			snprintf(t->note, sizeof t->note,
			         "raters alike on every call: no rater effect to test");
		else if (ss_e == 0 && ss_r > 0)
			snprintf(t->note, sizeof t->note, "no residual variance: F infinite");
	}
	return CALIB_OK;
}

/* Root of x in the union-find forest par (path halving). */
static size_t
uf_root(size_t *par, size_t x)
{
	while (par[x] != x) {
		par[x] = par[par[x]];
		x = par[x];
	}
	return x;
}

/*
 * x' M^- x for the symmetric k x k matrix M (destroyed) through its
 * eigenvalues: the sum of (u'x)^2 / lambda over the eigenvalues above
 * 1e-9 of the largest, whose number is put in *rank. CALIB_ENOMEM or
 * CALIB_OK.
 */
static enum calib_status
ginv_form(double *M, const double *x, size_t k, double *form, size_t *rank)
{
	gsl_matrix_view mv = gsl_matrix_view_array(M, k, k);
	gsl_vector *eval = gsl_vector_alloc(k);
	gsl_matrix *evec = gsl_matrix_alloc(k, k);
	gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(k);
	double top = 0, sum = 0;
	size_t r = 0;
	if (!eval || !evec || !ws || gsl_eigen_symmv(&mv.matrix, eval, evec, ws)) {
		gsl_vector_free(eval);
		gsl_matrix_free(evec);
		gsl_eigen_symmv_free(ws);
		return CALIB_ENOMEM;
	}
	for (size_t a = 0; a < k; a++)
		if (gsl_vector_get(eval, a) > top)
			top = gsl_vector_get(eval, a);
	for (size_t a = 0; a < k && top > 0; a++) {
		double l = gsl_vector_get(eval, a), ux = 0;
		if (l <= 1e-9 * top)
			continue;
		for (size_t b = 0; b < k; b++)
			ux += gsl_matrix_get(evec, b, a) * x[b];
		sum += ux * ux / l;
		r++;
	}
	gsl_vector_free(eval);
	gsl_matrix_free(evec);
	gsl_eigen_symmv_free(ws);
	*form = sum;
	*rank = r;
	return CALIB_OK;
}

/*
 * The rater-effect tests on every score of one column: Skillings-Mack and
 * the intra-block F (see the head of this file). O(sum of k_i^2) to
 * gather, O(k^3) to solve.
 */
static enum calib_status
rater_effect_all(struct work *w, const struct column *c, struct calib_raters_test *t)
{
	const struct calib_matrix *m = c->m;
	size_t k = m->n_raters, kk = 0, blocks = 0, N = 0, rank_v = 0, rank_c = 0;
	size_t *par = malloc(atleast1(k) * sizeof *par),
	       *idx = malloc(atleast1(k) * sizeof *idx);
	size_t *cnt = calloc(atleast1(k), sizeof *cnt);
	double *C = calloc(atleast1(k * k), sizeof *C), *V = calloc(atleast1(k * k), sizeof *V);
	double *A = calloc(atleast1(k), sizeof *A), *Q = calloc(atleast1(k), sizeof *Q);
	double ssw = 0, ss_r = 0, sm = 0, full_c = 0, full_v = 0;
	enum calib_status st = CALIB_ENOMEM;
	if (!par || !idx || !cnt || !C || !V || !A || !Q ||
	    grow((void **)&w->row, &w->cap, atleast1(k), sizeof(struct score)))
		goto out;
	for (size_t a = 0; a < k; a++)
		par[a] = a;
	for (size_t i = 0; i < m->n_items; i++) {
		size_t len = 0;
		double sum = 0, mean, S = 0;
		for (size_t p = m->off[i]; p < m->off[i + 1]; p++) {
			double v = c->pts[m->cat[p]];
			if (isnan(v))
				continue;
			w->row[len].v = v;
			w->row[len].col = m->col[p];
			sum += v;
			len++;
		}
		if (len < 2)
			continue;
		/* a call every rater scored touches every pair alike: added once, below */
		full_c += len == k ? 1 / (double)len : 0;
		blocks++;
		N += len;
		mean = sum / (double)len;
		for (size_t q = 0; q < len; q++) {
			size_t a = w->row[q].col;
			double d = w->row[q].v - mean;
			Q[a] += d;
			ssw += d * d;
			cnt[a]++;
			C[a * k + a] += 1 - 1 / (double)len;
			for (size_t r = q + 1; r < len && len < k; r++) {
				size_t b = w->row[r].col;
				C[a * k + b] -= 1 / (double)len;
				C[b * k + a] -= 1 / (double)len;
			}
			par[uf_root(par, a)] = uf_root(par, w->row[0].col);
		}
		/* within-call mid-ranks, centred; their permutation covariance */
		sort_row(w->row, len);
		for (size_t a = 0; a < len;) {
			size_t b = a;
			while (b + 1 < len && w->row[b + 1].v == w->row[a].v)
				b++;
			double dev = (double)(a + b) / 2 + 1 - (double)(len + 1) / 2;
			for (size_t q = a; q <= b; q++)
				w->row[q].v = dev;
			S += (double)(b - a + 1) * dev * dev;
			a = b + 1;
		}
		if (S > 0) {
			double w2 = 12 / (double)(len + 1), var = w2 * S / (double)len,
			       cov = var / (double)(len - 1);
			full_v += len == k ? cov : 0;
			for (size_t q = 0; q < len; q++) {
				size_t a = w->row[q].col;
				A[a] += sqrt(w2) * w->row[q].v;
				V[a * k + a] += var;
				for (size_t r = q + 1; r < len && len < k; r++) {
					size_t b = w->row[r].col;
					V[a * k + b] -= cov;
					V[b * k + a] -= cov;
				}
			}
		}
	}
	for (size_t a = 0; a < k; a++)
		for (size_t b = 0; b < k; b++)
			if (a != b) {
				C[a * k + b] -= full_c;
				V[a * k + b] -= full_v;
			}
	/* the raters that took part, packed */
	for (size_t a = 0; a < k; a++)
		if (cnt[a])
			idx[kk++] = a;
	t->n_calls = blocks;
	t->n_scores = N;
	t->n_raters = kk;
	st = CALIB_OK;
	if (blocks < 2 || kk < 2) {
		snprintf(t->note, sizeof t->note,
		         "fewer than two calls with two scores or more");
		goto out;
	}
	for (size_t a = 0; a < kk; a++) {
		A[a] = A[idx[a]];
		Q[a] = Q[idx[a]];
		for (size_t b = 0; b < kk; b++) {
			C[a * kk + b] = C[idx[a] * k + idx[b]];
			V[a * kk + b] = V[idx[a] * k + idx[b]];
		}
	}
	if ((st = ginv_form(V, A, kk, &sm, &rank_v)) ||
	    (st = ginv_form(C, Q, kk, &ss_r, &rank_c)))
		goto out;
	if (rank_v > 0) {
		t->rank = sm;
		t->rank_df = (double)rank_v;
		t->rank_p = gsl_cdf_chisq_Q(sm, t->rank_df);
	}
	{
		double df2 = (double)N - (double)blocks - (double)rank_c;
		double ss_e = ssw - ss_r;
		size_t roots = 0;
		for (size_t a = 0; a < kk; a++)
			roots += uf_root(par, idx[a]) == idx[a];
		if (ss_e < 1e-12 * fmax(ssw, 1))
			ss_e = 0;
		if (ss_r < 1e-12 * fmax(ssw, 1))
			ss_r = 0;
		t->df1 = (double)rank_c;
		t->df2 = df2;
		if (ssw <= 0)
			snprintf(t->note, sizeof t->note,
			         "raters alike on every call: no rater effect to test");
		else if (rank_c == 0 || df2 < 1)
			snprintf(t->note, sizeof t->note,
			         "no residual degrees of freedom for F");
		else if (ss_e > 0) {
			t->f = (ss_r / t->df1) / (ss_e / df2);
			t->f_p = gsl_cdf_fdist_Q(t->f, t->df1, df2);
		} else if (ss_r > 0) {
			t->f = INFINITY;
			t->f_p = 0;
			snprintf(t->note, sizeof t->note, "no residual variance: F infinite");
		}
		if (!t->note[0] && roots > 1)
			snprintf(t->note, sizeof t->note,
			         "raters in %zu groups sharing no call: within groups only",
			         roots);
	}
out:
	free(par);
	free(idx);
	free(cnt);
	free(C);
	free(V);
	free(A);
	free(Q);
	return st;
}

/* The rater-effect tests of one column, on every score or on complete calls. */
static enum calib_status
rater_effect(struct work *w, const struct column *c, bool complete, struct calib_raters_test *t)
{
	t->rank = t->rank_df = t->rank_p = NAN;
	t->f = t->df1 = t->df2 = t->f_p = NAN;
	t->n_raters = c->m->n_raters;
	t->complete = complete;
	t->note[0] = 0;
	if (!c->numeric) {
		snprintf(t->note, sizeof t->note, "nominal scale: no rater effect test");
		return CALIB_OK;
	}
	if (c->m->n_raters < 2) {
		snprintf(t->note, sizeof t->note, "fewer than two raters");
		return CALIB_OK;
	}
	return complete ? rater_effect_complete(w, c, t) : rater_effect_all(w, c, t);
}

/* Cohen's kappa of a q x q table (rows rater, columns expert). */
static double
kappa_table(const size_t *tab, size_t q, char *note, size_t note_n)
{
	double n = 0, po = 0, pe = 0;
	for (size_t a = 0; a < q * q; a++)
		n += (double)tab[a];
	if (n == 0)
		return NAN;
	for (size_t a = 0; a < q; a++) {
		double ra = 0, ca = 0;
		for (size_t b = 0; b < q; b++) {
			ra += (double)tab[a * q + b];
			ca += (double)tab[b * q + a];
		}
		po += (double)tab[a * q + a];
		pe += ra * ca;
	}
	po /= n;
	pe /= n * n;
	if (pe >= 1 - 1e-12) {
		if (note && !note[0])
			snprintf(note, note_n, "kappa undefined: one category only");
		return NAN;
	}
	return (po - pe) / (1 - pe);
}

/* Analyse one column for every rater: cells[r * n_cols + j]. */
static enum calib_status
analyse(struct calib_raters *res, struct work *w, struct column *c, const uint32_t *ridx,
        uint32_t expert, enum calib_consensus cons, char *note)
{
	const struct calib_matrix *m = c->m;
	size_t q = m->n_levels, nr = res->n_raters, nc = res->n_cols;
	struct acc *acc = calloc(nr ? nr : 1, sizeof *acc);
	bool want_kappa = expert != CALIB_NONE && c->nominal && q <= KAPPA_MAX_Q;
	bool want_mode = c->nominal && expert == CALIB_NONE; /* categories counted per row */
	uint32_t ecol = CALIB_NONE;
	if (!acc)
		return CALIB_ENOMEM;
	if (want_kappa) {
		free(w->ktab);
		if (!(w->ktab = calloc(atleast1(nr * q * q), sizeof *w->ktab))) {
			free(acc);
			return CALIB_ENOMEM;
		}
	}
	if (grow((void **)&w->cnt, &w->cnt_cap, q ? q : 1, sizeof *w->cnt) ||
	    !(w->touched = realloc(w->touched, (q ? q : 1) * sizeof *w->touched))) {
		free(acc);
		return CALIB_ENOMEM;
	}
	memset(w->cnt, 0, (q ? q : 1) * sizeof *w->cnt);
	if (grow((void **)&w->colr, &w->colr_cap, atleast1(m->n_raters), sizeof *w->colr)) {
		free(acc);
		return CALIB_ENOMEM;
	}
	for (uint32_t col = 0; col < m->n_raters; col++) {
		w->colr[col] = ridx[m->rater[col]];
		if (m->rater[col] == expert)
			ecol = col;
	}
	for (size_t i = 0; i < m->n_items; i++) {
		size_t len = m->off[i + 1] - m->off[i], nn = 0, nt = 0;
		double sum = 0, ev = NAN;
		uint32_t ecat = CALIB_NONE;
		if (grow((void **)&w->row, &w->cap, len ? len : 1, sizeof *w->row)) {
			free(acc);
			return CALIB_ENOMEM;
		}
		for (size_t p = m->off[i]; p < m->off[i + 1]; p++) {
			uint32_t cat = m->cat[p];
			double v = c->pts[cat];
			if (m->col[p] == ecol) {
				ev = v;
				ecat = cat;
			}
			if (want_mode && !w->cnt[cat]++)
				w->touched[nt++] = cat;
			if (isnan(v))
				continue;
			w->row[nn].v = v;
			w->row[nn].col = m->col[p];
			w->row[nn].cat = cat;
			nn++;
			sum += v;
		}
		if (cons == CALIB_CONSENSUS_MEDIAN && expert == CALIB_NONE)
			sort_row(w->row, nn);
		for (size_t p = m->off[i]; p < m->off[i + 1]; p++) {
			uint32_t r = w->colr[m->col[p]], cat = m->cat[p];
			double v = c->pts[cat], ref;
			if (r == CALIB_NONE)
				continue;
			struct calib_raters_cell *cell = &res->cell[(size_t)r * nc + c->j];
			if (c->cr && ecat != CALIB_NONE) {
				cell->n_items++;
				cell->n_match += calib_raters_match(c->cr, (uint16_t)cat,
				                                    (uint16_t)ecat, v, ev, c->bound);
			}
			if (c->nominal) {
				bool have = false;
				uint32_t refcat = CALIB_NONE;
				if (expert != CALIB_NONE) {
					have = ecat != CALIB_NONE;
					refcat = ecat;
				} else {
					/* unique mode of the others' categories */
					size_t best = 0, nbest = 0;
					for (size_t t = 0; t < nt; t++) {
						uint32_t u = w->touched[t];
						size_t k = w->cnt[u] - (u == cat);
						if (k > best) {
							best = k;
							nbest = 1;
							refcat = u;
						} else if (k == best && k > 0)
							nbest++;
					}
					have = best > 0 && nbest == 1;
				}
				if (have) {
					cell->n_nominal++;
					cell->n_agree += refcat == cat;
					if (want_kappa)
						w->ktab[((size_t)r * q + cat) * q + refcat]++;
				}
			}
			if (isnan(v)) {
				cell->n_na++;
				c->n_na++;
				continue;
			}
			if (!c->numeric)
				continue;
			ref = reference(w->row, nn, sum, v, expert != CALIB_NONE, ev, cons);
			if (isnan(ref)) {
				cell->n_noref++;
				c->n_noref++;
			} else
				acc_add(&acc[r], v - ref, c->bound, c->range);
		}
		for (size_t t = 0; t < nt; t++)
			w->cnt[w->touched[t]] = 0;
	}
	for (size_t r = 0; r < nr; r++) {
		struct calib_raters_cell *cell = &res->cell[r * nc + c->j];
		const struct acc *a = &acc[r];
		cell->n = a->n;
		cell->bias = cell->se = cell->lower = cell->upper = NAN;
		cell->mad = cell->within = cell->alignment = NAN;
		if (a->n > 0) {
			double dn = (double)a->n;
			cell->bias = a->sum / dn;
			cell->mad = a->sum_abs / dn;
			cell->within = (double)a->n_within / dn;
			cell->alignment = a->sum_align / dn;
		}
		if (a->n > 1) {
			double tq = gsl_cdf_tdist_Pinv(1 - (1 - res->opts.conf) / 2,
			                               (double)(a->n - 1));
			cell->se = sqrt(a->m2 / (double)(a->n - 1)) / sqrt((double)a->n);
			cell->lower = cell->bias - tq * cell->se;
			cell->upper = cell->bias + tq * cell->se;
		}
		if (c->nominal && !c->numeric && cell->n_nominal)
			cell->alignment = (double)cell->n_agree / (double)cell->n_nominal;
		cell->agreement = c->nominal && cell->n_nominal
		                          ? (double)cell->n_agree / (double)cell->n_nominal
		                          : NAN;
		cell->kappa = want_kappa ? kappa_table(w->ktab + r * q * q, q, note, 120) : NAN;
		cell->calibration = cell->n_items ? (double)cell->n_match / (double)cell->n_items
		                                  : NAN;
	}
	free(acc);
	return CALIB_OK;
}

/* Pairwise matrix of one criterion: O(raters^2 x calls). */
static enum calib_status
pairs_of(struct calib_raters_pair **pair, size_t *n_pairs, const struct column *c,
         enum calib_scale scale, uint32_t crit)
{
	const struct calib_matrix *m = c->m;
	size_t n = m->n_items, k = m->n_raters;
	int32_t *grid;
	double *buf;
	const struct calib_stat_info *coef = calib_registry_pairwise(scale, c->numeric);
	struct calib_coef_opts co;
	struct calib_stats st;
	enum calib_status status = CALIB_OK;
	if (k < 2)
		return CALIB_OK;
	grid = malloc(atleast1(n * k) * sizeof *grid);
	buf = malloc(atleast1(2 * n) * sizeof *buf);
	{
		void *np = realloc(*pair, (*n_pairs + k * (k - 1) / 2) * sizeof **pair);
		if (np)
			*pair = np;
		if (!grid || !buf || !np) {
			free(grid);
			free(buf);
			return CALIB_ENOMEM;
		}
	}
	for (size_t a = 0; a < n * k; a++)
		grid[a] = -1;
	for (size_t i = 0; i < n; i++)
		for (size_t p = m->off[i]; p < m->off[i + 1]; p++)
			if (c->nominal || !isnan(c->pts[m->cat[p]]))
				grid[i * k + m->col[p]] = (int32_t)m->cat[p];
	calib_coef_opts_init(&co);
	calib_stats_init(&st);
	for (size_t a = 0; a < k && !status; a++)
		for (size_t b = a + 1; b < k && !status; b++) {
			struct calib_raters_pair *pr = &(*pair)[(*n_pairs)++];
			struct calib_matrix *pm = NULL;
			size_t len = 0, same = 0;
			uint32_t ra = m->rater[a], rb = m->rater[b];
			memset(pr, 0, sizeof *pr);
			pr->crit = crit;
			pr->a = ra < rb ? ra : rb;
			pr->b = ra < rb ? rb : ra;
			pr->coef = coef->name;
			pr->estimate = pr->agreement = NAN;
			for (size_t i = 0; i < n; i++) {
				int32_t x = grid[i * k + a], y = grid[i * k + b];
				if (x < 0 || y < 0)
					continue;
				same += x == y;
				/* categories as numbers: nominal by index, numeric by points */
				buf[2 * len] = c->nominal ? (double)x : c->pts[x];
				buf[2 * len + 1] = c->nominal ? (double)y : c->pts[y];
				len++;
			}
			pr->n = len;
			if (len == 0) {
				snprintf(pr->note, sizeof pr->note, "no call scored by both");
				continue;
			}
			pr->agreement = (double)same / (double)len;
			calib_stats_clear(&st);
			if ((status = calib_matrix_from_values(buf, len, 2, scale, &pm)))
				break;
			status = calib_kappa_compute(pm, &co, &st, NULL);
			calib_matrix_free(pm);
			if (status)
				break;
			const struct calib_stat *r = calib_registry_record(&st, coef);
			if (r) {
				pr->estimate = r->estimate;
				snprintf(pr->note, sizeof pr->note, "%s", r->note);
			}
		}
	calib_stats_free(&st);
	free(grid);
	free(buf);
	return status;
}

/* Most lenient first: TOTAL bias decreasing, NA last, then rater id. */
static int
cmp_rank(const void *a, const void *b)
{
	const struct calib_raters_summary *x = a, *y = b;
	if (isnan(x->bias) != isnan(y->bias))
		return isnan(x->bias) ? 1 : -1;
	if (!isnan(x->bias) && x->bias != y->bias)
		return x->bias > y->bias ? -1 : 1;
	return (x->rater > y->rater) - (x->rater < y->rater);
}

/*
 * The three criteria rater r (its index in res->cell) missed most often
 * against the expert into u, most first, ties in criterion order.
 */
static void
missed_most(const struct calib_raters *res, size_t r, struct calib_raters_summary *u)
{
	size_t nc = res->n_cols;
	for (size_t k = 0; k < 3; k++) {
		u->missed[k] = CALIB_NONE;
		u->n_missed[k] = 0;
	}
	for (size_t j = 0; j + 1 < nc; j++) {
		const struct calib_raters_cell *c = &res->cell[r * nc + j];
		size_t miss = c->n_items - c->n_match, k = 3;
		while (k > 0 && miss > u->n_missed[k - 1])
			k--;
		if (k == 3)
			continue;
		for (size_t m = 2; m > k; m--) {
			u->missed[m] = u->missed[m - 1];
			u->n_missed[m] = u->n_missed[m - 1];
		}
		u->missed[k] = (uint32_t)j;
		u->n_missed[k] = miss;
	}
}

static void
summarise(struct calib_raters *res, const struct calib_store *s)
{
	size_t nc = res->n_cols, tot = nc - 1;
	for (size_t r = 0; r < res->n_raters; r++) {
		struct calib_raters_summary *u = &res->sum[r];
		const struct calib_raters_cell *t = &res->cell[r * nc + tot];
		double wa = 0, ws = 0;
		size_t nw = 0, nn = 0, nag = 0, nnom = 0;
		u->rater = t->rater;
		u->n = t->n;
		u->bias = t->bias;
		u->lower = t->lower;
		u->upper = t->upper;
		u->mad = t->mad;
		for (size_t j = 0; j < tot; j++) {
			const struct calib_raters_cell *c = &res->cell[r * nc + j];
			if (!isnan(c->alignment)) {
				wa += s->criteria[j].weight * c->alignment;
				ws += s->criteria[j].weight;
			}
			if (c->n) {
				nw += (size_t)llround(c->within * (double)c->n);
				nn += c->n;
			}
			nag += c->n_agree;
			nnom += c->n_nominal;
			u->n_items += c->n_items;
			u->n_match += c->n_match;
		}
		missed_most(res, r, u);
		u->calibration = u->n_items ? (double)u->n_match / (double)u->n_items : NAN;
		u->pass = isnan(res->opts.pass) || isnan(u->calibration) ? -1
		          : u->calibration >= res->opts.pass - 1e-12      ? 1
		                                                          : 0;
		u->alignment = ws > 0 ? wa / ws : NAN;
		u->within = nn ? (double)nw / (double)nn : NAN;
		u->agreement = nnom ? (double)nag / (double)nnom : NAN;
		/* two-sided t test of a zero bias; a constant deviation is exact */
		if (t->n < 2)
			u->p = NAN;
		else if (t->se > 0)
			u->p = 2 * gsl_cdf_tdist_Q(fabs(t->bias / t->se), (double)(t->n - 1));
		else
			u->p = t->bias != 0 ? 0 : 1;
	}
	qsort(res->sum, res->n_raters, sizeof *res->sum, cmp_rank);
	{
		double *p = malloc(atleast1(res->n_raters) * sizeof *p);
		double *adj = malloc(atleast1(res->n_raters) * sizeof *adj);
		for (size_t r = 0; p && adj && r < res->n_raters; r++)
			p[r] = res->sum[r].p;
		if (p && adj)
			calib_raters_holm(p, adj, res->n_raters);
		for (size_t r = 0; r < res->n_raters; r++) {
			struct calib_raters_summary *u = &res->sum[r];
			/* without memory for the adjustment, Bonferroni's bound (never smaller)
			 */
			u->p_holm = p && adj ? adj[r] : fmin(1, u->p * (double)res->n_raters);
			u->direction = isnan(u->bias) || isnan(u->p_holm) ? "NA"
			               : u->p_holm >= 1 - res->opts.conf  ? "in line"
			               : u->bias > 0                      ? "lenient"
			                                                  : "severe";
		}
		free(p);
		free(adj);
	}
	{
		/* the end of the ranking farthest from the reference */
		size_t worst = CALIB_NONE;
		for (size_t r = 0; r < res->n_raters; r++) {
			const struct calib_raters_summary *u = &res->sum[r];
			if (isnan(u->bias))
				continue;
			if (worst == CALIB_NONE || fabs(u->bias) > fabs(res->sum[worst].bias) ||
			    (fabs(u->bias) == fabs(res->sum[worst].bias) &&
			     u->alignment < res->sum[worst].alignment))
				worst = r;
		}
		/* name nobody when nobody is closer than the worst (all alike) */
		for (size_t r = 0; worst != CALIB_NONE && r < res->n_raters; r++) {
			const struct calib_raters_summary *u = &res->sum[r],
			                                  *x = &res->sum[worst];
			if (fabs(u->bias) < fabs(x->bias) ||
			    (fabs(u->bias) == fabs(x->bias) && u->alignment > x->alignment)) {
				res->sum[worst].out_of_line = true;
				break;
			}
		}
	}
}

/* What one column gives besides its cells and test. */
struct column_out {
	enum calib_status st;
	size_t n_na, n_noref;
	struct calib_raters_pair *pair; /* its pairs, in order */
	size_t n_pairs;
};

/* The columns, analysed over worker threads; each writes its own cells. */
struct column_job {
	const struct calib_store *s;
	const struct calib_raters_opts *o;
	struct calib_raters *res;
	const uint32_t *ridx;
	const double *tot; /* each evaluation's TOTAL */
	struct column_out *out;
	struct work *w; /* worker w's scratch: w[w], pts[w] */
	double **pts;
	atomic_bool failed;
};

static void
work_free(struct work *w)
{
	free(w->row);
	free(w->cnt);
	free(w->touched);
	free(w->ktab);
	free(w->colr);
	free(w->colsum);
	free(w->ranksum);
	free(w->rowbuf);
	calib_matrix_free(w->mat);
}

/* Column j: the criterion's (or the TOTAL's) cells, test and pairs. */
static enum calib_status
column_run(struct column_job *jb, struct work *w, double **pts, size_t j)
{
	const struct calib_store *s = jb->s;
	const struct calib_raters_opts *o = jb->o;
	struct calib_raters *res = jb->res;
	struct column_out *out = &jb->out[j];
	const struct calib_criterion *cr = j < s->n_criteria ? &s->criteria[j] : NULL;
	struct calib_matrix_opts mo;
	struct calib_matrix *m = NULL;
	struct column c;
	enum calib_status st;
	char note[120];
	double *p;

	calib_matrix_opts_init(&mo);
	mo.na = CALIB_NA_CATEGORY;
	mo.session = o->session;
	if (cr) {
		st = calib_matrix_rebuild(s, (uint32_t)j, &mo, &w->mat);
		m = w->mat;
	} else
		st = calib_matrix_from_evals(s, jb->tot, CALIB_SCALE_INTERVAL, &mo, &m);
	if (st)
		return st;
	if (!(p = realloc(*pts, (m->n_levels ? m->n_levels : 1) * sizeof *p))) {
		if (!cr)
			calib_matrix_free(m);
		return CALIB_ENOMEM;
	}
	*pts = p;
	for (size_t q = 0; q < m->n_levels; q++)
		p[q] = m->na_level && q + 1 == m->n_levels ? NAN
		       : cr && cr->labelled                ? m->value[q] - 1
		                                           : m->value[q];
	memset(&c, 0, sizeof c);
	c.m = m;
	c.pts = p;
	c.j = j;
	c.cr = cr;
	c.range = cr ? calib_raters_range(cr) : 100;
	c.tol = o->tol_percent ? o->tolerance / 100 * c.range : o->tolerance;
	c.bound = c.tol + 1e-9 * fmax(1, c.tol);
	c.nominal = cr && (cr->scale == CALIB_SCALE_BINARY || cr->scale == CALIB_SCALE_NOMINAL);
	c.numeric = !cr || calib_store_ordered(cr);
	note[0] = 0;
	res->test[j].crit = cr ? (uint32_t)j : CALIB_NONE;
	if (!(st = analyse(res, w, &c, jb->ridx, o->expert, o->consensus, note)))
		st = rater_effect(w, &c, o->complete, &res->test[j]);
	if (!cr) {
		bool ordered = false;
		for (size_t k = 0; k < s->n_criteria; k++)
			ordered |= calib_store_ordered(&s->criteria[k]);
		if (!ordered)
			snprintf(res->test[j].note, sizeof res->test[j].note,
			         "no criterion has ordered levels, so there is no TOTAL");
	}
	if (!st && o->pairs && cr)
		st = pairs_of(&out->pair, &out->n_pairs, &c, cr->scale, (uint32_t)j);
	out->n_na = c.n_na;
	out->n_noref = c.n_noref;
	if (!cr)
		calib_matrix_free(m);
	return st;
}

static void
column_worker(void *arg, size_t i, unsigned w)
{
	struct column_job *jb = arg;
	size_t nc = jb->res->n_cols;
	/* the TOTAL (the last column) first: it takes longest */
	size_t j = i == 0 ? nc - 1 : i - 1;

	if (atomic_load(&jb->failed))
		return;
	if ((jb->out[j].st = column_run(jb, &jb->w[w], &jb->pts[w], j)))
		atomic_store(&jb->failed, true);
}

enum calib_status
calib_raters_run(const struct calib_store *s, const struct calib_raters_opts *o,
                 struct calib_raters **out, struct calib_error *err)
{
	struct calib_raters *res;
	struct column_job jb;
	size_t nstore = calib_names_count(s->raters), nc = s->n_criteria + 1;
	unsigned threads = calib_threads(o->threads);
	uint32_t *ridx = NULL;
	double *tot = NULL;
	enum calib_status st = CALIB_OK;

	*out = NULL;
	if (o->expert != CALIB_NONE && o->expert >= nstore)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "no such expert rater");
	if (!(o->conf > 0 && o->conf < 1) || !(o->tolerance >= 0) ||
	    (!isnan(o->pass) && !(o->pass >= 0 && o->pass <= 1)))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "bad confidence level or tolerance");
	if (!(res = calloc(1, sizeof *res)))
		return CALIB_ENOMEM;
	memset(&jb, 0, sizeof jb);
	res->opts = *o;
	res->n_cols = nc;
	res->show_total = s->n_criteria > 1;
	res->n_raters = nstore - (o->expert != CALIB_NONE);
	ridx = malloc((nstore ? nstore : 1) * sizeof *ridx);
	res->cell = calloc(atleast1(res->n_raters * nc), sizeof *res->cell);
	res->sum = calloc(res->n_raters ? res->n_raters : 1, sizeof *res->sum);
	res->test = calloc(nc, sizeof *res->test);
	jb.out = calloc(nc, sizeof *jb.out);
	jb.w = calloc(threads, sizeof *jb.w);
	jb.pts = calloc(threads, sizeof *jb.pts);
	tot = calib_report_totals(s, threads);
	if (!ridx || !res->cell || !res->sum || !res->test || !jb.out || !jb.w || !jb.pts ||
	    !tot) {
		st = CALIB_ENOMEM;
		goto fail;
	}
	for (uint32_t r = 0, k = 0; r < nstore; r++) {
		ridx[r] = r == o->expert ? CALIB_NONE : k++;
		if (ridx[r] != CALIB_NONE)
			for (size_t j = 0; j < nc; j++) {
				res->cell[(size_t)ridx[r] * nc + j].rater = r;
				res->cell[(size_t)ridx[r] * nc + j].crit =
				        j + 1 < nc ? (uint32_t)j : CALIB_NONE;
			}
	}
	/* the criteria and the TOTAL over the threads: each writes only its column */
	jb.s = s;
	jb.o = o;
	jb.res = res;
	jb.ridx = ridx;
	jb.tot = tot;
	atomic_init(&jb.failed, false);
	calib_parallel_for(nc, threads, column_worker, &jb);
	for (unsigned w = 0; w < threads; w++) {
		work_free(&jb.w[w]);
		free(jb.pts[w]);
	}
	for (size_t j = 0; j < nc && !st; j++) {
		struct column_out *c = &jb.out[j];
		void *np;
		if ((st = c->st))
			break;
		res->n_na += c->n_na;
		res->n_noref += c->n_noref;
		if (!c->n_pairs)
			continue;
		if (!(np = realloc(res->pair, (res->n_pairs + c->n_pairs) * sizeof *res->pair))) {
			st = CALIB_ENOMEM;
			break;
		}
		res->pair = np;
		memcpy(res->pair + res->n_pairs, c->pair, c->n_pairs * sizeof *res->pair);
		res->n_pairs += c->n_pairs;
	}
	if (st)
		goto fail;
	summarise(res, s);
	/* cells by rank: reorder the rater blocks */
	{
		struct calib_raters_cell *cell = malloc(res->n_raters * nc * sizeof *cell + 1);
		if (!cell) {
			st = CALIB_ENOMEM;
			goto fail;
		}
		for (size_t r = 0; r < res->n_raters; r++)
			memcpy(cell + r * nc, res->cell + (size_t)ridx[res->sum[r].rater] * nc,
			       nc * sizeof *cell);
		free(res->cell);
		res->cell = cell;
	}
	goto done;
fail:
	calib_raters_free(res);
	res = NULL;
done:
	for (size_t j = 0; jb.out && j < nc; j++)
		free(jb.out[j].pair);
	free(jb.out);
	free(jb.w);
	free(jb.pts);
	free(ridx);
	free(tot);
	*out = res;
	return st;
}

void
calib_raters_free(struct calib_raters *r)
{
	if (!r)
		return;
	free(r->cell);
	free(r->sum);
	free(r->test);
	free(r->pair);
	free(r);
}

enum calib_status
calib_raters_scores(const struct calib_store *s, uint32_t crit,
                    const struct calib_raters_opts *o, struct calib_raters_score **out,
                    size_t *n, struct calib_error *err)
{
	const struct calib_criterion *cr;
	struct calib_matrix_opts mo;
	struct calib_matrix *m = NULL;
	struct calib_raters_score *v = NULL;
	struct score *row = NULL;
	double *val = NULL;
	size_t nv = 0, cap = 0;
	enum calib_status st = CALIB_ENOMEM;

	*out = NULL;
	*n = 0;
	if (crit >= s->n_criteria)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "no such criterion");
	if (o->expert != CALIB_NONE && o->expert >= calib_names_count(s->raters))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "no such expert rater");
	cr = &s->criteria[crit];
	/* nominal criteria of more than two levels have no deviations */
	if (cr->scale == CALIB_SCALE_NOMINAL && cr->n_levels > 2)
		return CALIB_OK;
	calib_matrix_opts_init(&mo);
	mo.na = CALIB_NA_CATEGORY;
	mo.session = o->session;
	if ((st = calib_matrix_build(s, crit, &mo, &m)))
		return st;
	st = CALIB_ENOMEM;
	if (!(val = malloc(atleast1(m->n_levels) * sizeof *val)) ||
	    !(row = malloc(atleast1(m->n_raters) * sizeof *row)))
		goto out;
	for (size_t q = 0; q < m->n_levels; q++)
		val[q] = m->na_level && q + 1 == m->n_levels ? NAN : m->value[q];
	for (size_t i = 0; i < m->n_items; i++) {
		size_t nn = 0;
		double sum = 0, ev = NAN;
		for (size_t p = m->off[i]; p < m->off[i + 1]; p++) {
			double x = val[m->cat[p]];
			if (m->rater[m->col[p]] == o->expert)
				ev = x;
			if (isnan(x))
				continue;
			row[nn].v = x;
			row[nn].col = m->col[p];
			nn++;
			sum += x;
		}
		if (o->consensus == CALIB_CONSENSUS_MEDIAN && o->expert == CALIB_NONE)
			sort_row(row, nn);
		for (size_t p = m->off[i]; p < m->off[i + 1]; p++) {
			uint32_t r = m->rater[m->col[p]];
			double x = val[m->cat[p]], ref;
			if (isnan(x) || r == o->expert)
				continue;
			ref = reference(row, nn, sum, x, o->expert != CALIB_NONE, ev,
			                o->consensus);
			if (isnan(ref))
				continue;
			if (nv == cap && grow((void **)&v, &cap, cap ? 2 * cap : 64, sizeof *v))
				goto out;
			v[nv].item = m->item[i];
			v[nv].rater = r;
			v[nv].value = x;
			v[nv].ref = ref;
			nv++;
		}
	}
	st = CALIB_OK;
out:
	calib_matrix_free(m);
	free(val);
	free(row);
	if (st) {
		free(v);
		return st;
	}
	if (nv == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*n = nv;
	return CALIB_OK;
}

void
calib_raters_limits(double bias, double sd, size_t n, double conf,
                    struct calib_raters_limits *l)
{
	double z = gsl_cdf_ugaussian_Pinv(1 - (1 - conf) / 2);
	l->bias = bias;
	l->sd = n > 1 ? sd : NAN;
	l->lower = l->upper = l->lower_lo = l->lower_hi = l->upper_lo = l->upper_hi = NAN;
	l->bias_lo = l->bias_hi = NAN;
	if (n < 2 || isnan(sd))
		return;
	{
		double dn = (double)n, t = gsl_cdf_tdist_Pinv(1 - (1 - conf) / 2, dn - 1);
		double se_bias = sd / sqrt(dn);
		double se_lim = sd * sqrt(1 / dn + z * z / (2 * (dn - 1)));
		l->lower = bias - z * sd;
		l->upper = bias + z * sd;
		l->bias_lo = bias - t * se_bias;
		l->bias_hi = bias + t * se_bias;
		l->lower_lo = l->lower - t * se_lim;
		l->lower_hi = l->lower + t * se_lim;
		l->upper_lo = l->upper - t * se_lim;
		l->upper_hi = l->upper + t * se_lim;
	}
}

void
calib_raters_holm(const double *p, double *adj, size_t m)
{
	size_t mm = 0;
	for (size_t i = 0; i < m; i++)
		mm += !isnan(p[i]);
	/* adj = (mm - rank) x p, rank 0 for the smallest p (index order on ties) */
	for (size_t i = 0; i < m; i++) {
		size_t rank = 0;
		if (isnan(p[i])) {
			adj[i] = NAN;
			continue;
		}
		for (size_t h = 0; h < m; h++)
			rank += !isnan(p[h]) && (p[h] < p[i] || (p[h] == p[i] && h < i));
		adj[i] = (double)(mm - rank) * p[i];
	}
	/*
	 * Step down: each adjusted value is the largest of those ranked up to
	 * it. Taken from the largest p down, the ones not yet done are exactly
	 * those ranked before; a done one is stored as -1 - value.
	 */
	for (size_t done = 0; done < mm; done++) {
		size_t last = m;
		double top = 0;
		for (size_t i = 0; i < m; i++) {
			if (isnan(p[i]) || adj[i] < 0)
				continue;
			if (last == m || p[i] > p[last] || (p[i] == p[last] && i > last))
				last = i;
			if (adj[i] > top)
				top = adj[i];
		}
		adj[last] = -1 - (top < 1 ? top : 1);
	}
	for (size_t i = 0; i < m; i++)
		if (!isnan(adj[i]))
			adj[i] = -1 - adj[i];
}

static const char *
crit_name(const struct calib_store *s, uint32_t crit)
{
	return crit == CALIB_NONE ? "TOTAL" : s->criteria[crit].name;
}

/* Footer lines every table of a result carries. */
static enum calib_status
footer(const struct calib_raters *r, const struct calib_store *s, struct calib_table *t)
{
	enum calib_status st = CALIB_OK;
	const struct calib_raters_opts *o = &r->opts;
	if (o->key)
		st |= calib_table_footer(t, "reference: the answer key (%s)", o->key);
	else if (o->expert != CALIB_NONE)
		st |= calib_table_footer(t, "reference: the expert %s",
		                         calib_names_get(s->raters, o->expert));
	else
		st |= calib_table_footer(t, "reference: leave-one-out %s of the other raters",
		                         o->consensus == CALIB_CONSENSUS_MEAN ? "mean"
		                                                              : "median");
	st |= calib_table_footer(
	        t,
	        "bias: rater minus reference in points (labels: level 1..q = 0..q-1 points, "
	        "no/yes = 0/1), %g%% t interval; TOTAL in 0-100 points",
	        100 * o->conf);
	if (o->tol_percent)
		st |= calib_table_footer(
		        t, "within: |deviation| <= %g%% of each criterion's range",
		        o->tolerance);
	else
		st |= calib_table_footer(t,
		                         "within: |deviation| <= %g points (TOTAL: %g of 100)",
		                         o->tolerance, o->tolerance);
	st |= calib_table_footer(t, "alignment: 1 - |deviation| / range per score, criteria "
	                            "weighted by the rubric");
	st |= calib_table_footer(
	        t, "N/A scores left out of deviations: %zu; scores without a reference: %zu",
	        r->n_na, r->n_noref);
	for (size_t j = 0; j < s->n_criteria; j++) {
		char note[160];
		if (*calib_store_scale_note(&s->criteria[j], note, sizeof note))
			st |= calib_table_footer(t, "%s: %s", s->criteria[j].name, note);
	}
	return st;
}

struct calib_table *
calib_raters_ranking(const struct calib_raters *r, const struct calib_store *s)
{
	static const char *const cols[] = {
	        "rank",      "rater", "n_calls", "bias",      "ci_lower",  "ci_upper", "p_holm",
	        "direction", "mad",   "within",  "alignment", "agreement", "note"};
	static const int dig[] = {-1, 0, -1, 2, 2, 2, 4, 0, 2, 3, 3, 3, 0};
	struct calib_table *t = calib_table_alloc(cols, 13, dig);
	size_t n_p = 0;
	enum calib_status st = CALIB_OK;
	const struct calib_raters_test *tt = &r->test[r->n_cols - 1];
	if (!t)
		return NULL;
	st |= calib_table_title(
	        t, "Raters from most lenient to most severe (bias on the TOTAL score)");
	for (size_t i = 0; i < r->n_raters; i++) {
		const struct calib_raters_summary *u = &r->sum[i];
		st |= calib_table_row(t);
		st |= calib_table_num(t, 0, (double)(i + 1));
		st |= calib_table_text(t, 1, "%s", calib_names_get(s->raters, u->rater));
		st |= calib_table_num(t, 2, (double)u->n);
		st |= calib_table_num(t, 3, u->bias);
		st |= calib_table_num(t, 4, u->lower);
		st |= calib_table_num(t, 5, u->upper);
		st |= calib_table_num(t, 6, u->p_holm);
		/* no direction (too few scores) is a value that is not available */
		if (strcmp(u->direction, "NA") == 0)
			st |= calib_table_num(t, 7, NAN);
		else
			st |= calib_table_text(t, 7, "%s", u->direction);
		st |= calib_table_num(t, 8, u->mad);
		st |= calib_table_num(t, 9, u->within);
		st |= calib_table_num(t, 10, u->alignment);
		st |= calib_table_num(t, 11, u->agreement);
		if (u->out_of_line)
			st |= calib_table_text(t, 12, "most out of line");
		n_p += !isnan(u->p);
	}
	if (tt->complete && (!isnan(tt->rank_p) || !isnan(tt->f_p)))
		st |= calib_table_footer(
		        t,
		        "rater effect on the TOTAL (%zu calls scored by all): Friedman chi2 = "
		        "%.3f, df %g, p = %.4g; ANOVA F = %.3f, df %g, %g, p = %.4g",
		        tt->n_calls, tt->rank, tt->rank_df, tt->rank_p, tt->f, tt->df1, tt->df2,
		        tt->f_p);
	else if (!isnan(tt->rank_p) || !isnan(tt->f_p))
		st |= calib_table_footer(
		        t,
		        "rater effect on the TOTAL (%zu scores on %zu calls): Skillings-Mack "
		        "chi2 = %.3f, df %g, p = %.4g; F (raters adjusted for calls) = %.3f, "
		        "df %g, %g, p = %.4g",
		        tt->n_scores, tt->n_calls, tt->rank, tt->rank_df, tt->rank_p, tt->f,
		        tt->df1, tt->df2, tt->f_p);
	else
		st |= calib_table_footer(t, "rater effect on the TOTAL: NA (%s)", tt->note);
	st |= calib_table_footer(t,
	                         "direction: lenient or severe when the t test of the bias, "
	                         "Holm-adjusted over %zu raters (p_holm), has p < %g; the "
	                         "interval is not adjusted",
	                         n_p, 1 - r->opts.conf);
	st |= calib_table_footer(t, "most out of line: the largest |bias| on the TOTAL");
	st |= footer(r, s, t);
	st |= calib_table_footer(
	        t, "agreement: share of binary/nominal scores equal to the %s (N/A a category)",
	        r->opts.key                    ? "key's"
	        : r->opts.expert != CALIB_NONE ? "expert's"
	                                       : "unique mode of the others'");
	if (st) {
		calib_table_free(t);
		return NULL;
	}
	return t;
}

struct calib_table *
calib_raters_criteria(const struct calib_raters *r, const struct calib_store *s)
{
	static const char *const cols[] = {
	        "rater", "criterion", "n_calls",   "bias",      "se",    "ci_lower", "ci_upper",
	        "mad",   "within",    "alignment", "agreement", "kappa", "n_na",     "n_noref"};
	static const int dig[] = {0, 0, -1, 2, 3, 2, 2, 2, 3, 3, 3, 3, -1, -1};
	struct calib_table *t = calib_table_alloc(cols, 14, dig);
	enum calib_status st = CALIB_OK;
	if (!t)
		return NULL;
	for (size_t i = 0; i < r->n_raters; i++)
		for (size_t j = 0; j < r->n_cols; j++) {
			const struct calib_raters_cell *c = &r->cell[i * r->n_cols + j];
			if (j + 1 == r->n_cols && !r->show_total)
				continue;
			st |= calib_table_row(t);
			st |= calib_table_text(t, 0, "%s",
			                       calib_names_get(s->raters, c->rater));
			st |= calib_table_text(t, 1, "%s", crit_name(s, c->crit));
			st |= calib_table_num(t, 2, (double)c->n);
			st |= calib_table_num(t, 3, c->bias);
			st |= calib_table_num(t, 4, c->se);
			st |= calib_table_num(t, 5, c->lower);
			st |= calib_table_num(t, 6, c->upper);
			st |= calib_table_num(t, 7, c->mad);
			st |= calib_table_num(t, 8, c->within);
			st |= calib_table_num(t, 9, c->alignment);
			st |= calib_table_num(t, 10, c->agreement);
			st |= calib_table_num(t, 11, c->kappa);
			st |= calib_table_num(t, 12, (double)c->n_na);
			st |= calib_table_num(t, 13, (double)c->n_noref);
		}
	st |= footer(r, s, t);
	if (st) {
		calib_table_free(t);
		return NULL;
	}
	return t;
}

struct calib_table *
calib_raters_tests(const struct calib_raters *r, const struct calib_store *s)
{
	static const char *const cols[] = {"criterion", "statistic", "test",     "df1",
	                                   "df2",       "p",         "n_calls",  "n_scores",
	                                   "n_raters",  "note"};
	static const int dig[] = {0, 0, 3, -1, -1, 4, -1, -1, -1, 0};
	/* the rank test and the F test of the raters, a row each */
	const char *rank_name = r->opts.complete ? "friedman" : "skillings_mack";
	const char *f_name = r->opts.complete ? "anova_f" : "intra_block_f";
	struct calib_table *t = calib_table_alloc(cols, 10, dig);
	enum calib_status st = CALIB_OK;
	if (!t)
		return NULL;
	st |= calib_table_title(t, "Do raters differ systematically? (%s)",
	                        r->opts.complete ? "calls scored by every rater"
	                                         : "every score of the calls with two or more");
	for (size_t j = 0; j < r->n_cols; j++) {
		const struct calib_raters_test *x = &r->test[j];
		if (j + 1 == r->n_cols && !r->show_total)
			continue;
		for (int f = 0; f < 2; f++) {
			st |= calib_table_row(t);
			st |= calib_table_text(t, 0, "%s", crit_name(s, x->crit));
			st |= calib_table_text(t, 1, "%s", f ? f_name : rank_name);
			st |= calib_table_num(t, 2, f ? x->f : x->rank);
			st |= calib_table_num(t, 3, f ? x->df1 : x->rank_df);
			st |= calib_table_num(t, 4, f ? x->df2 : NAN);
			st |= calib_table_num(t, 5, f ? x->f_p : x->rank_p);
			st |= calib_table_num(t, 6, (double)x->n_calls);
			st |= calib_table_num(t, 7, (double)x->n_scores);
			st |= calib_table_num(t, 8, (double)x->n_raters);
			if (x->note[0])
				st |= calib_table_text(t, 9, "%s", x->note);
		}
	}
	if (r->opts.complete)
		st |= calib_table_footer(t, "Friedman: chi-square with tie correction; ANOVA: "
		                            "rater F of a two-way layout without replication");
	else
		st |= calib_table_footer(
		        t, "Skillings-Mack: within-call ranks, exact covariance "
		           "with ties; F: raters adjusted for calls in the additive "
		           "two-way model (intra-block); --complete-calls for "
		           "Friedman and ANOVA on complete calls");
	st |= calib_table_footer(t, "N/A scores left out; labelled levels as 0..q-1 points");
	if (st) {
		calib_table_free(t);
		return NULL;
	}
	return t;
}

struct calib_table *
calib_raters_pairs(const struct calib_raters *r, const struct calib_store *s)
{
	static const char *const cols[] = {"criterion", "rater_a",     "rater_b",  "n_calls",
	                                   "agreement", "statistic",   "estimate", "note"};
	static const int dig[] = {0, 0, 0, -1, 3, 0, 3, 0};
	struct calib_table *t = calib_table_alloc(cols, 8, dig);
	enum calib_status st = CALIB_OK;
	if (!t)
		return NULL;
	for (size_t i = 0; i < r->n_pairs; i++) {
		const struct calib_raters_pair *p = &r->pair[i];
		st |= calib_table_row(t);
		st |= calib_table_text(t, 0, "%s", crit_name(s, p->crit));
		st |= calib_table_text(t, 1, "%s", calib_names_get(s->raters, p->a));
		st |= calib_table_text(t, 2, "%s", calib_names_get(s->raters, p->b));
		st |= calib_table_num(t, 3, (double)p->n);
		st |= calib_table_num(t, 4, p->agreement);
		st |= calib_table_text(t, 5, "%s", p->coef);
		st |= calib_table_num(t, 6, p->estimate);
		if (p->note[0])
			st |= calib_table_text(t, 7, "%s", p->note);
	}
	st |= calib_table_footer(t,
	                         "coefficient by scale: binary/nominal cohen_kappa (N/A a "
	                         "category), ordinal quadratic weights on ranks, "
	                         "interval/ratio quadratic weights on points (N/A left out)");
	if (st) {
		calib_table_free(t);
		return NULL;
	}
	return t;
}

/*
 * The consensus key's code of one criterion from the codes v[0..n) of an
 * item's raters (levels and N/A only), sorted here; *tied is set when a
 * tie decided it.
 */
static uint16_t
consensus_code(const struct calib_criterion *c, uint16_t *v, size_t n, bool *tied)
{
	size_t n_na = 0, best = 0, nbest = 0;
	uint16_t mode = CALIB_CODE_NA;
	bool nominal = c->scale == CALIB_SCALE_BINARY || c->scale == CALIB_SCALE_NOMINAL ||
	               !calib_store_ordered(c);
	/* levels in increasing order (codes follow the levels' order), N/A last */
	for (size_t i = 1; i < n; i++) {
		uint16_t x = v[i];
		size_t j = i;
		for (; j > 0 && (v[j - 1] == CALIB_CODE_NA ? 1u << 16 : v[j - 1]) >
		                        (x == CALIB_CODE_NA ? 1u << 16 : x);
		     j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	for (size_t i = 0; i < n; i++)
		n_na += v[i] == CALIB_CODE_NA;
	*tied = false;
	if (!nominal) {
		size_t k = n - n_na;
		if (n_na > k)
			return CALIB_CODE_NA;
		*tied = k % 2 == 0 && v[k / 2 - 1] != v[k / 2];
		return v[(k - 1) / 2];
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && v[j] == v[i])
			j++;
		if (j - i > best) {
			best = j - i;
			nbest = 1;
			mode = v[i];
		} else if (j - i == best)
			nbest++;
		i = j;
	}
	*tied = nbest > 1;
	return mode;
}

enum calib_status
calib_raters_consensus_key(struct calib_store *s, const char *name, uint32_t *key,
                           size_t *n_tied, struct calib_error *err)
{
	size_t nc = s->n_criteria, ties = 0;
	uint16_t *code = NULL, *v = NULL;
	size_t vcap = 0;
	uint32_t file, rid;
	enum calib_status st = CALIB_ENOMEM;

	*key = CALIB_NONE;
	if (calib_names_find(s->raters, name, strlen(name)) != CALIB_NONE)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "a rater is named '%s' already", name);
	if (!s->finished && (st = calib_store_finish(s)))
		return st;
	/* every item's key first: adding evaluations moves the code arrays */
	if (!(code = calloc(atleast1(s->n_items * nc), sizeof *code)))
		return CALIB_ENOMEM;
	for (size_t i = 0; i < s->n_items; i++) {
		size_t len = s->item_off[i + 1] - s->item_off[i];
		if (grow((void **)&v, &vcap, atleast1(len), sizeof *v))
			goto out;
		for (size_t j = 0; j < nc; j++) {
			const struct calib_criterion *c = &s->criteria[j];
			size_t n = 0;
			bool tied;
			for (size_t p = s->item_off[i]; p < s->item_off[i + 1]; p++) {
				uint16_t x = calib_code(c, s->item_evals[p]);
				if (x == CALIB_CODE_NA || x >= CALIB_CODE_LEVEL)
					v[n++] = x;
			}
			if (n == 0)
				continue;
			code[i * nc + j] = consensus_code(c, v, n, &tied);
			ties += tied;
		}
	}
	if ((st = calib_store_add_file(s, "consensus", &file)) ||
	    (st = calib_names_intern(s->raters, name, strlen(name), &rid)))
		goto out;
	for (size_t i = 0; i < s->n_items; i++) {
		uint32_t e = CALIB_NONE;
		bool created;
		for (size_t j = 0; j < nc; j++) {
			if (!code[i * nc + j])
				continue;
			if (e == CALIB_NONE &&
			    (st = calib_store_eval_of(s, (uint32_t)i, rid, file, 0, &e, &created)))
				goto out;
			if ((st = calib_store_put(s, e, (uint32_t)j, code[i * nc + j], NULL)))
				goto out;
		}
	}
	if ((st = calib_store_finish(s)))
		goto out;
	*key = rid;
	if (n_tied)
		*n_tied = ties;
out:
	free(code);
	free(v);
	return st;
}

/* Rows of the calibration table: highest score first, NA last, then rank. */
static int
cmp_calibration(const void *a, const void *b)
{
	const struct calib_raters_summary *x = *(const struct calib_raters_summary *const *)a,
	                                  *y = *(const struct calib_raters_summary *const *)b;
	if (isnan(x->calibration) != isnan(y->calibration))
		return isnan(x->calibration) ? 1 : -1;
	if (!isnan(x->calibration) && x->calibration != y->calibration)
		return x->calibration > y->calibration ? -1 : 1;
	return (x > y) - (x < y);
}

struct calib_table *
calib_raters_calibration(const struct calib_raters *r, const struct calib_store *s)
{
	static const char *const cols[] = {"rank",       "rater",   "n_items",
	                                   "n_match",    "calibration_score", "pass",
	                                   "total_diff", "total_mad",         "n_calls",
	                                   "missed"};
	static const int dig[] = {-1, 0, -1, -1, 3, 0, 2, 2, -1, 0};
	const struct calib_raters_summary **row;
	struct calib_table *t;
	enum calib_status st = CALIB_OK;
	size_t nc = r->n_cols - 1, *miss, *items, top[3] = {CALIB_NONE, CALIB_NONE, CALIB_NONE};
	char buf[400];
	size_t o = 0;

	if (r->opts.expert == CALIB_NONE)
		return NULL;
	row = malloc(atleast1(r->n_raters) * sizeof *row);
	miss = calloc(atleast1(nc), sizeof *miss);
	items = calloc(atleast1(nc), sizeof *items);
	t = calib_table_alloc(cols, 10, dig);
	if (!row || !miss || !items || !t) {
		free(row);
		free(miss);
		free(items);
		calib_table_free(t);
		return NULL;
	}
	for (size_t i = 0; i < r->n_raters; i++)
		row[i] = &r->sum[i];
	qsort(row, r->n_raters, sizeof *row, cmp_calibration);
	if (r->opts.key)
		st |= calib_table_title(t, "Calibration against the answer key");
	else
		st |= calib_table_title(t, "Calibration against the expert %s",
		                        calib_names_get(s->raters, r->opts.expert));
	for (size_t i = 0; i < r->n_raters; i++) {
		const struct calib_raters_summary *u = row[i];
		size_t w = 0;
		st |= calib_table_row(t);
		st |= calib_table_num(t, 0, (double)(i + 1));
		st |= calib_table_text(t, 1, "%s", calib_names_get(s->raters, u->rater));
		st |= calib_table_num(t, 2, (double)u->n_items);
		st |= calib_table_num(t, 3, (double)u->n_match);
		st |= calib_table_num(t, 4, u->calibration);
		if (u->pass < 0)
			st |= calib_table_num(t, 5, NAN);
		else
			st |= calib_table_text(t, 5, "%s", u->pass ? "pass" : "fail");
		st |= calib_table_num(t, 6, u->bias);
		st |= calib_table_num(t, 7, u->mad);
		st |= calib_table_num(t, 8, (double)u->n);
		buf[0] = 0;
		for (size_t k = 0; k < 3 && u->missed[k] != CALIB_NONE; k++)
			w += (size_t)snprintf(buf + w, w < sizeof buf ? sizeof buf - w : 0,
			                      "%s%s %zu", k ? ", " : "",
			                      s->criteria[u->missed[k]].name, u->n_missed[k]);
		if (buf[0])
			st |= calib_table_text(t, 9, "%s", buf);
	}
	/* the criteria most often missed over every rater */
	for (size_t i = 0; i < r->n_raters; i++)
		for (size_t j = 0; j < nc; j++) {
			const struct calib_raters_cell *c = &r->cell[i * r->n_cols + j];
			miss[j] += c->n_items - c->n_match;
			items[j] += c->n_items;
		}
	for (size_t j = 0; j < nc; j++) {
		size_t k = 3;
		while (k > 0 && miss[j] > 0 &&
		       (top[k - 1] == CALIB_NONE || miss[j] > miss[top[k - 1]]))
			k--;
		if (k == 3)
			continue;
		for (size_t m = 2; m > k; m--)
			top[m] = top[m - 1];
		top[k] = j;
	}
	for (size_t k = 0; k < 3 && top[k] != CALIB_NONE; k++)
		o += (size_t)snprintf(buf + o, o < sizeof buf ? sizeof buf - o : 0,
		                      "%s%s (%zu of %zu)", k ? ", " : "",
		                      s->criteria[top[k]].name, miss[top[k]], items[top[k]]);
	if (o)
		st |= calib_table_footer(t, "most often missed: %s", buf);
	else
		st |= calib_table_footer(t, "most often missed: none");
	st |= calib_table_footer(
	        t,
	        "calibration_score: share of the rater's items (call x criterion, scored or "
	        "N/A) with a %s score that match it: the same category on binary and nominal "
	        "criteria, within the tolerance on ordinal and interval ones; N/A matches "
	        "only N/A",
	        r->opts.key ? "key" : "expert");
	if (!isnan(r->opts.pass))
		st |= calib_table_footer(t, "pass: calibration_score >= %g", r->opts.pass);
	st |= calib_table_footer(t,
	                         "total_diff: mean TOTAL of the rater minus the %s's on the "
	                         "same calls (0-100 points); total_mad: mean absolute",
	                         r->opts.key ? "key" : "expert");
	st |= calib_table_footer(t, "missed: the rater's criteria with the most misses");
	st |= footer(r, s, t);
	free(row);
	free(miss);
	free(items);
	if (st) {
		calib_table_free(t);
		return NULL;
	}
	return t;
}
