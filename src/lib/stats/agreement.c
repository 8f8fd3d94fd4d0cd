/*
 * agreement.c - chance-corrected agreement coefficients of one criterion
 * with missing scores allowed (agreement.h).
 *
 * Sources: Gwet, K. L. (2014), Handbook of Inter-Rater Reliability, 4th
 * ed. (ch. 2-3: the coefficients for nominal and weighted ratings with
 * missing ratings; ch. 5: their variances), Gwet (2008, BJMSP 61, 29-48:
 * AC1 and the linearised variance), and the R package irrCAC 1.0
 * (pa.coeff.raw, fleiss.kappa.raw, conger.kappa.raw, gwet.ac1.raw,
 * bp.coeff.raw), whose results these formulas reproduce. The equations are
 * written out here in the notation below.
 *
 * Notation: n calls with at least one score, call i has r_i scores, r_ik
 * of them in category k; q categories; w_kl agreement weights; n2 the calls
 * with r_i >= 2; m the raters (columns).
 *
 *  (1) Percent agreement: pa_i = sum_k r_ik (sum_l w_kl r_il - 1) /
 *      (r_i (r_i - 1)) for r_i >= 2, else 0; pa = sum_i pa_i / n2.
 *  (2) pi_k = (1/n) sum_i r_ik / r_i over every call with a score.
 *  (3) Fleiss' kappa generalised to unequal r_i: pe = sum_k pi_k^2
 *      (Fleiss 1971, P-bar_e, with pi_k for p_j).
 *  (4) AC1/AC2: pe = T_w / (q (q - 1)) sum_k pi_k (1 - pi_k),
 *      T_w = sum_kl w_kl (Gwet 2008 for identity weights).
 *  (5) Brennan & Prediger (1981): pe = 1/q.
 *  (6) Conger (1980): pe = sum_k (pbar_k^2 - s_k^2 / m), p_gk rater g's
 *      share of category k over the calls g scored, pbar_k and s_k^2 their
 *      mean and sample variance over raters.
 *  Each coefficient is (pa - pe) / (1 - pe).
 *
 * Variance by linearisation (Gwet 2008; Gwet 2014 ch. 5), finite-population
 * correction f = 0 as irrCAC's default:
 *  (7) c_i = (n/n2) (pa_i - pe [r_i >= 2]) / (1 - pe)
 *      x_i = c_i - 2 (1 - coef) (pe_i - pe) / (1 - pe)
 *      var = sum_i (x_i - coef)^2 / (n (n - 1))
 *  with pe_i the call's share of chance agreement: AC1/AC2
 *  T_w/(q(q-1)) sum_k r_ik (1 - pi_k) / r_i; Fleiss sum_k r_ik pi_k / r_i;
 *  Brennan-Prediger none (pe_i = pe); Conger sum_g lambda_ig / (m (m-1))
 *  with irrCAC's lambda_ig, summed in closed form in second_pass().
 *  Percent agreement uses x_i = (n/n2) pa_i. Bounds coef -/+ t(1-a/2, n-1)
 *  se, the upper one capped at 1; p the two-sided t-test of coef/se on
 *  n - 1 df.
 *
 * Complete calls only (a constant number of raters m):
 *  (8) Fleiss, Nee & Landis (1979) variance under no agreement:
 *      2 / (n m (m-1)) [(sum p_k q_k)^2 - sum p_k q_k (q_k - p_k)] /
 *      (sum p_k q_k)^2, z = kappa / se0, two-sided normal p (irr kappam.fleiss).
 *  (9) Fleiss (1971) kappa of category k against the rest:
 *      1 - sum_i r_ik (m - r_ik) / (n m (m-1) p_k q_k), z = kappa_k /
 *      sqrt(2 / (n m (m-1))).
 * (10) irr's agree(): percentage of calls with one score value.
 *
 * Departures from irrCAC, where its arithmetic has no answer:
 *  - One category only (q = 1): irrCAC sets pe to 1e-15 for AC1 and reports
 *    AC1 = 1. With a single category no disagreement is possible and the
 *    chance agreement of (4), sum_k pi_k(1-pi_k)/(q-1), is 0/0, so AC1 says
 *    nothing about the raters: NAN with a note, as for the kappas.
 *    Weighted agreement and AC2 with linear, quadratic or ordinal weights
 *    need two valued categories (the weights divide by x_max - x_min): NAN
 *    too (irrCAC returns NaN or stops with an error).
 *  - Standard errors need n >= 2; the percent agreement standard error is
 *    given for q = 1 too (irrCAC leaves it NA).
 *
 * Work is linear in the number of scores: one pass over the rows counts
 * each call's categories in a reusable array of q, keeps the call's
 * distinct categories with their counts in compact arrays and its agreement
 * under each weighting; the second pass (the variances) reads only those.
 * Weighted sums run over the call's distinct categories only, with weights
 * looked up in a table for small q or computed per pair for large q. Every
 * coefficient but Conger's sees a call only through its counts per
 * category, so on a matrix that has its patterns (calib_matrix_count_patterns)
 * the passes visit one call per pattern and weigh its terms by the calls it
 * stands for.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/agreement.h"
#include "calib/registry.h"
#include "calib/store.h"
#include "calib/weights.h"

/* Up to this many categories the weights are a q x q table. */
#define WEIGHT_TABLE_MAX 256
/*
 * Conger's kappa counts scores per rater and category in a raters x
 * categories table; beyond this many cells (128 MiB) it is not computed.
 */
#define CONGER_TABLE_MAX ((size_t)1 << 25)

enum { WS_IDENTITY, WS_LINEAR, WS_QUADRATIC, WS_ORDINAL, WS_CUSTOM, WS_N };

/* One weighting: its weighted percent agreement and AC1/AC2. */
struct wset {
	bool used;
	bool symmetric; /* built-in: w_kl = w_lk, w_kk = 1 */
	enum calib_weighting kind;
	const char *pa_name, *ac_name;
	const double *w;   /* q x q, or NULL: weights computed per pair */
	double *own;       /* table owned here */
	double tw;         /* sum_kl w_kl */
	const char *undef; /* why the weighting is undefined, or NULL */
	double sum_pa, pa, pe, ac;
	double ss_pa, ss_ac;
};

/* The current call: per-category counts and its distinct categories. */
struct call {
	uint32_t *cnt;  /* q, all zero between calls */
	uint32_t *dist; /* distinct categories of the call */
	size_t d;       /* how many */
	size_t r;       /* scores */
};

struct work {
	const struct calib_matrix *m;
	size_t n, q, nr;
	bool conger; /* Conger's kappa asked for */
	struct call c;
	struct wset ws[WS_N];
	/*
	 * The calls the two passes visit: unit u is call unit[u] standing for
	 * mult[u] calls of its pattern, or (both NULL) call u for itself.
	 */
	size_t n_units;
	const size_t *unit;
	const uint32_t *mult;
	double *pi;       /* q: pi_k */
	double *tot;      /* q: scores per category on complete calls */
	double *sq;       /* q: sum of r_ik^2 on complete calls */
	uint32_t *ngk;    /* nr x q: scores of rater g in category k, or NULL */
	double *ng;       /* nr: calls rater g scored */
	double *cg;       /* nr: Conger's C_g = sum_k p_gk (m pbar_k - p_gk) */
	double *pbar;     /* q: mean over raters of p_gk */
};

/*
 * Count call i's categories into w->c. A category is written to the list
 * of distinct ones at every score and kept only the first time (no branch
 * on whether it is new, which random data would mispredict half the time).
 */
static void
call_load(struct work *w, size_t i)
{
	const struct calib_matrix *m = w->m;
	const uint32_t *cat = m->cat;
	uint32_t *cnt = w->c.cnt;
	uint32_t *dist = w->c.dist;
	size_t d = 0, end = m->off[i + 1];

	for (size_t j = m->off[i]; j < end; j++) {
		uint32_t k = cat[j];
		dist[d] = k;
		d += cnt[k] == 0;
		cnt[k]++;
	}
	w->c.d = d;
	w->c.r = calib_matrix_row_n(m, i);
}

/* r_ik of the current call as a double (counts are exact in one). */
static inline double
count(const struct work *w, uint32_t k)
{
	return (double)w->c.cnt[k];
}

static void
call_clear(struct work *w)
{
	size_t j;

	for (j = 0; j < w->c.d; j++)
		w->c.cnt[w->c.dist[j]] = 0;
}

static double
weight_at(const struct work *w, const struct wset *s, size_t k, size_t l)
{
	if (s->w)
		return s->w[k * w->q + l];
	return calib_weights_one(s->kind, w->m->value, w->q, k, l);
}

/*
 * sum_k r_ik (sum_l w_kl r_il - 1) over the call's distinct categories.
 * Built-in weights are symmetric with a unit diagonal, so each pair of
 * distinct categories is weighed once: sum_k r_ik (r_ik - 1) +
 * 2 sum_{k<l} w_kl r_ik r_il.
 */
static double
call_sumq(const struct work *w, const struct wset *s)
{
	size_t a, b;
	uint32_t k, l;
	double acc = 0.0, inner;

	for (a = 0; a < w->c.d; a++) {
		k = w->c.dist[a];
		if (s->symmetric) {
			acc += count(w, k) * (count(w, k) - 1.0);
			if (s->kind == CALIB_W_IDENTITY)
				continue;
			inner = 0.0;
			for (b = a + 1; b < w->c.d; b++) {
				l = w->c.dist[b];
				inner += weight_at(w, s, k, l) * count(w, l);
			}
			acc += 2.0 * count(w, k) * inner;
			continue;
		}
		inner = 0.0;
		for (b = 0; b < w->c.d; b++) {
			l = w->c.dist[b];
			inner += weight_at(w, s, k, l) * count(w, l);
		}
		acc += count(w, k) * (inner - 1.0);
	}
	return acc;
}

static double
call_pa(const struct work *w, const struct wset *s)
{
	double r = (double)w->c.r;

	if (w->c.r < 2)
		return 0.0;
	return call_sumq(w, s) / (r * (r - 1.0));
}

/* Number of leading categories with a value (N/A is last, value NAN). */
static size_t
valued(const struct calib_matrix *m)
{
	size_t q = m->n_levels;

	while (q > 0 && isnan(m->value[q - 1]))
		q--;
	return q;
}

/*
 * T_w = sum_kl w_kl of a built-in weighting in O(q): the N/A category
 * adds its diagonal 1; among the qv valued categories linear and quadratic
 * weights sum pairwise distances of the sorted values, ordinal weights
 * depend on |k - l| only.
 */
static double
weights_total(enum calib_weighting kind, const double *x, size_t q, size_t qv)
{
	double t = (double)(q - qv), s = 0.0, mean = 0.0, range, v, qd, d;
	size_t k;

	if (qv < 2)
		return t + (double)qv;
	qd = (double)qv;
	range = x[qv - 1] - x[0];
	switch (kind) {
	case CALIB_W_IDENTITY:
		return (double)q;
	case CALIB_W_LINEAR:
		/* sum_{k<l} (x_l - x_k) = sum_k x_k (2k - qv + 1) */
		for (k = 0; k < qv; k++)
			s += (x[k] - x[0]) * (2.0 * (double)k - qd + 1.0);
		return t + qd * qd - 2.0 * s / range;
	case CALIB_W_QUADRATIC:
		/* sum_kl (x_k - x_l)^2 = 2 qv sum_k (x_k - mean)^2 */
		for (k = 0; k < qv; k++)
			mean += x[k];
		mean /= qd;
		for (k = 0; k < qv; k++) {
			v = x[k] - mean;
			s += v * v;
		}
		return t + qd * qd - 2.0 * qd * s / (range * range);
	case CALIB_W_ORDINAL:
		/* qv pairs at distance 0, 2 (qv - d) at distance d */
		s = qd;
		for (k = 1; k < qv; k++) {
			d = (double)k + 1.0;
			s += 2.0 * (qd - (double)k) * (1.0 - d * (d - 1.0) / (qd * (qd - 1.0)));
		}
		return t + s;
	case CALIB_W_RATIO:
		break;
	}
	return NAN;
}

static double
table_total(const double *wt, size_t q)
{
	double s = 0.0;
	size_t k;

	for (k = 0; k < q * q; k++)
		s += wt[k];
	return s;
}

/*
 * Standard error from the sum of squared deviations, then the t-based
 * bounds and test of Gwet (2014) as irrCAC reports them.
 */
static void
t_inference(struct calib_stat *s, double ss, size_t n, double conf)
{
	double nd = (double)n, t, tq;

	if (!isfinite(s->estimate))
		return;
	if (n < 2) {
		calib_stat_note_add(s, "no standard error with a single call");
		return;
	}
	s->se = sqrt(ss / (nd * (nd - 1.0)));
	s->df1 = nd - 1.0;
	tq = gsl_cdf_tdist_Pinv(1.0 - (1.0 - conf) / 2.0, s->df1);
	s->lower = s->estimate - tq * s->se;
	s->upper = s->estimate + tq * s->se; /* clipped, and said, by calib_registry_clip */
	t = s->estimate / s->se;
	s->test = t;
	if (isnan(t))
		s->p = NAN;
	else if (isinf(t))
		s->p = 0.0;
	else
		s->p = 2.0 * gsl_cdf_tdist_Q(fabs(t), s->df1);
}

static struct calib_stat *
push(struct calib_stats *out, const char *name, size_t n, size_t nr)
{
	struct calib_stat *s = calib_stats_push(out, "%s", name);

	if (s) {
		s->n_items = n;
		s->n_raters = nr;
	}
	return s;
}

static void
undefined(struct calib_stat *s, const char *why)
{
	s->estimate = NAN;
	if (strncmp(why, "not computed", 12) == 0)
		calib_stat_note(s, "%s", why);
	else
		calib_stat_note(s, "undefined: %s", why);
}

static void
work_free(struct work *w)
{
	size_t i;

	for (i = 0; i < WS_N; i++)
		free(w->ws[i].own);
	free(w->c.cnt);
	free(w->c.dist);
	free(w->pi);
	free(w->tot);
	free(w->sq);
	free(w->ngk);
	free(w->ng);
	free(w->cg);
	free(w->pbar);
}

/*
 * Set up the weightings (the weighted ones only when asked for: each costs
 * a pass over the pairs of categories of every call); CALIB_ENOMEM or
 * CALIB_OK.
 */
static enum calib_status
weights_init(struct work *w, const struct calib_coef_opts *o)
{
	static const struct {
		enum calib_weighting kind;
		const char *pa, *ac;
	} def[] = {
	        [WS_IDENTITY] = {CALIB_W_IDENTITY, "percent_agreement", "gwet_ac1"},
	        [WS_LINEAR] = {CALIB_W_LINEAR, "percent_agreement_linear", "gwet_ac2_linear"},
	        [WS_QUADRATIC] = {CALIB_W_QUADRATIC, "percent_agreement_quadratic",
	                          "gwet_ac2_quadratic"},
	        [WS_ORDINAL] = {CALIB_W_ORDINAL, "percent_agreement_ordinal",
	                        "gwet_ac2_ordinal"},
	};
	size_t i, q = w->q, qv = valued(w->m);
	struct wset *s;

	for (i = 0; i < WS_CUSTOM; i++) {
		s = &w->ws[i];
		s->used = i == WS_IDENTITY || calib_coef_wants(o, def[i].pa) ||
		          calib_coef_wants(o, def[i].ac);
		if (!s->used)
			continue;
		s->symmetric = true;
		s->kind = def[i].kind;
		s->pa_name = def[i].pa;
		s->ac_name = def[i].ac;
		if (i != WS_IDENTITY && qv < 2)
			s->undef = "fewer than two categories with a value (the weights divide "
			           "by their range)";
		if (i != WS_IDENTITY && q <= WEIGHT_TABLE_MAX && q > 0) {
			s->own = malloc(q * q * sizeof *s->own);
			if (!s->own)
				return CALIB_ENOMEM;
			if (calib_weights_fill(s->kind, w->m->value, q, s->own) != CALIB_OK)
				s->undef = "weights not available";
			s->w = s->own;
		}
		s->tw = s->w ? table_total(s->w, q)
		             : weights_total(s->kind, w->m->value, q, qv);
	}
	s = &w->ws[WS_CUSTOM];
	if (o->custom_w && (calib_coef_wants(o, "percent_agreement_custom") ||
	                    calib_coef_wants(o, "gwet_ac2_custom"))) {
		s->used = true;
		s->kind = CALIB_W_IDENTITY;
		s->pa_name = "percent_agreement_custom";
		s->ac_name = "gwet_ac2_custom";
		s->w = o->custom_w;
		s->tw = table_total(o->custom_w, q);
	}
	return CALIB_OK;
}

static enum calib_status
work_alloc(struct work *w)
{
	size_t q = w->q ? w->q : 1, nr = w->nr ? w->nr : 1;

	w->c.cnt = calloc(q, sizeof *w->c.cnt);
	w->c.dist = malloc((nr + 1) * sizeof *w->c.dist);
	w->pi = calloc(q, sizeof *w->pi);
	w->tot = calloc(q, sizeof *w->tot);
	w->sq = calloc(q, sizeof *w->sq);
	w->pbar = calloc(q, sizeof *w->pbar);
	w->ng = calloc(nr, sizeof *w->ng);
	w->cg = calloc(nr, sizeof *w->cg);
	if (!w->c.cnt || !w->c.dist || !w->pi || !w->tot || !w->sq || !w->pbar || !w->ng ||
	    !w->cg)
		return CALIB_ENOMEM;
	if (w->conger && nr <= CONGER_TABLE_MAX / q) {
		w->ngk = calloc(nr * q, sizeof *w->ngk);
		if (!w->ngk)
			return CALIB_ENOMEM;
	}
	return CALIB_OK;
}

/* Name of category k as statistics print it: label or shortest value. */
static const char *
level_name(const struct calib_matrix *m, size_t k, char *buf, size_t n)
{
	if (m->label && m->label[k])
		return m->label[k];
	if (isnan(m->value[k]))
		return "N/A";
	return calib_format_double(m->value[k], buf, n);
}

/* Results of the first pass and the coefficients derived from them. */
struct pass1 {
	size_t n2, nc, unan, q_used, nc_used;
	double pbar_c; /* mean observed agreement, complete calls */
	double fleiss_pe, fleiss;
	double conger_pe, conger;
	double bp_pe, bp;
	double ss_fleiss, ss_conger, ss_bp;
};

static void
first_pass(struct work *w, struct pass1 *p)
{
	const struct calib_matrix *m = w->m;
	size_t u, i, j, a, ws, mult;
	double r, md = (double)w->nr, s2, pa, times;
	uint32_t k;

	for (u = 0; u < w->n_units; u++) {
		i = w->unit ? w->unit[u] : u;
		mult = w->mult ? w->mult[u] : 1;
		times = (double)mult;
		call_load(w, i);
		r = (double)w->c.r;
		p->n2 += w->c.r >= 2 ? mult : 0;
		for (ws = 0; ws < WS_N; ws++) {
			if (!w->ws[ws].used)
				continue;
			pa = call_pa(w, &w->ws[ws]);
			if (w->c.r >= 2)
				w->ws[ws].sum_pa += times * pa;
		}
		s2 = 0.0;
		for (a = 0; a < w->c.d; a++) {
			k = w->c.dist[a];
			w->pi[k] += times * (count(w, k) / r);
			s2 += count(w, k) * count(w, k);
		}
		if (w->c.r == w->nr && w->nr >= 2) {
			p->nc += mult;
			if (w->c.d == 1)
				p->unan += mult;
			p->pbar_c += times * ((s2 - md) / (md * (md - 1.0)));
			for (a = 0; a < w->c.d; a++) {
				k = w->c.dist[a];
				w->tot[k] += times * count(w, k);
				w->sq[k] += times * (count(w, k) * count(w, k));
			}
		}
		/* Conger's per-rater counts, read only when it is computed */
		for (j = m->off[i]; w->ngk && j < m->off[i + 1]; j++) {
			w->ngk[(size_t)m->col[j] * w->q + m->cat[j]]++;
			w->ng[m->col[j]] += 1.0;
		}
		call_clear(w);
	}
	for (k = 0; k < w->q; k++) {
		w->pi[k] /= (double)w->n;
		if (w->pi[k] > 0.0)
			p->q_used++;
		if (w->tot[k] > 0.0)
			p->nc_used++;
	}
}

/* Chance agreement and coefficients from the first pass. */
static void
chance(struct work *w, struct pass1 *p)
{
	size_t k, g, ws;
	double q = (double)w->q, md = (double)w->nr, spq, sp2, pgk, s2;
	struct wset *s;

	spq = sp2 = 0.0;
	for (k = 0; k < w->q; k++) {
		spq += w->pi[k] * (1.0 - w->pi[k]);
		sp2 += w->pi[k] * w->pi[k];
	}
	for (ws = 0; ws < WS_N; ws++) {
		s = &w->ws[ws];
		if (!s->used)
			continue;
		s->pa = s->sum_pa / (double)p->n2;
		s->pe = w->q >= 2 ? s->tw / (q * (q - 1.0)) * spq : NAN;
		s->ac = (s->pa - s->pe) / (1.0 - s->pe);
	}
	p->fleiss_pe = sp2;
	p->fleiss = (w->ws[WS_IDENTITY].pa - sp2) / (1.0 - sp2);
	p->bp_pe = 1.0 / q;
	p->bp = (w->ws[WS_IDENTITY].pa - p->bp_pe) / (1.0 - p->bp_pe);

	/* Conger: p_gk over rater g's calls, pbar_k, s_k^2 across raters. */
	p->conger_pe = 0.0;
	if (!w->ngk)
		return;
	for (k = 0; k < w->q; k++) {
		double sum = 0.0, sumsq = 0.0;

		for (g = 0; g < w->nr; g++) {
			pgk = (double)w->ngk[g * w->q + k] / w->ng[g];
			sum += pgk;
			sumsq += pgk * pgk;
		}
		w->pbar[k] = sum / md;
		s2 = (sumsq - md * w->pbar[k] * w->pbar[k]) / (md - 1.0);
		p->conger_pe += w->pbar[k] * w->pbar[k] - s2 / md;
	}
	for (g = 0; g < w->nr; g++) {
		double c = 0.0;

		for (k = 0; k < w->q; k++) {
			pgk = (double)w->ngk[g * w->q + k] / w->ng[g];
			if (pgk > 0.0)
				c += pgk * (md * w->pbar[k] - pgk);
		}
		w->cg[g] = c;
	}
	p->conger = (w->ws[WS_IDENTITY].pa - p->conger_pe) / (1.0 - p->conger_pe);
}

static void
second_pass(struct work *w, struct pass1 *p)
{
	const struct calib_matrix *m = w->m;
	size_t u, i, j, a, ws, g;
	double nd = (double)w->n, scale = nd / (double)p->n2, md = (double)w->nr;
	double r, pa_i, pe_i, x, two, sum_cg = 0.0, acc, acc_ac, pa_id = 0.0, cnt, times;
	double tq[WS_N]; /* T_w / (q (q - 1)) of each weighting */
	uint32_t k, c;
	struct wset *s;

	for (g = 0; g < w->nr; g++)
		sum_cg += w->cg[g];
	for (ws = 0; ws < WS_N; ws++)
		tq[ws] = w->ws[ws].tw / ((double)w->q * ((double)w->q - 1.0));
	for (u = 0; u < w->n_units; u++) {
		i = w->unit ? w->unit[u] : u;
		times = w->mult ? (double)w->mult[u] : 1.0;
		r = (double)calib_matrix_row_n(m, i);
		two = r >= 2.0 ? 1.0 : 0.0;
		/* the call's counts again, as the first pass had them (nothing kept) */
		call_load(w, i);
		/* sum_k r_ik (1 - pi_k) for AC1/AC2, sum_k r_ik pi_k for Fleiss */
		acc_ac = acc = 0.0;
		for (a = 0; a < w->c.d; a++) {
			k = w->c.dist[a];
			cnt = count(w, k);
			acc_ac += cnt * (1.0 - w->pi[k]);
			acc += cnt * w->pi[k];
		}
		for (ws = 0; ws < WS_N; ws++) {
			s = &w->ws[ws];
			if (!s->used)
				continue;
			pa_i = call_pa(w, s);
			if (ws == WS_IDENTITY)
				pa_id = pa_i;
			x = scale * pa_i - s->pa;
			s->ss_pa += times * x * x;
			pe_i = tq[ws] * acc_ac / r;
			x = scale * (pa_i - s->pe * two) / (1.0 - s->pe) -
			    2.0 * (1.0 - s->ac) * (pe_i - s->pe) / (1.0 - s->pe) - s->ac;
			s->ss_ac += times * x * x;
		}
		call_clear(w);
		/* Fleiss */
		pe_i = acc / r;
		x = scale * (pa_id - p->fleiss_pe * two) / (1.0 - p->fleiss_pe) -
		    2.0 * (1.0 - p->fleiss) * (pe_i - p->fleiss_pe) / (1.0 - p->fleiss_pe) -
		    p->fleiss;
		p->ss_fleiss += times * x * x;
		/* Brennan-Prediger: no chance-agreement term */
		x = scale * (pa_id - p->bp_pe * two) / (1.0 - p->bp_pe) - p->bp;
		p->ss_bp += times * x * x;
		/* Conger: sum_g lambda_ig in closed form (calls one by one) */
		if (!w->ngk)
			continue;
		acc = sum_cg;
		for (j = m->off[i]; j < m->off[i + 1]; j++) {
			g = m->col[j];
			c = m->cat[j];
			acc += nd / w->ng[g] *
			       (md * w->pbar[c] - (double)w->ngk[g * w->q + c] / w->ng[g] -
			        w->cg[g]);
		}
		pe_i = acc / (md * (md - 1.0));
		x = scale * (pa_id - p->conger_pe * two) / (1.0 - p->conger_pe) -
		    2.0 * (1.0 - p->conger) * (pe_i - p->conger_pe) / (1.0 - p->conger_pe) -
		    p->conger;
		p->ss_conger += x * x;
	}
}

static void
note_complete(struct calib_stat *s, const struct work *w, const struct pass1 *p)
{
	if (p->nc < w->n)
		calib_stat_note_add(s, "on the %zu calls scored by every rater (%zu left out)",
		                    p->nc, w->n - p->nc);
}

/* irr's agree() as a proportion: the share of complete calls with one score value. */
static enum calib_status
unanimous_record(const struct work *w, const struct pass1 *p, struct calib_stats *out)
{
	struct calib_stat *s = push(out, "percent_agreement_unanimous", p->nc, w->nr);

	if (!s)
		return CALIB_ENOMEM;
	if (w->nr < 2)
		undefined(s, "fewer than two raters");
	else if (p->nc == 0)
		undefined(s, "no call scored by every rater");
	else
		s->estimate = (double)p->unan / (double)p->nc; /* a proportion, as every other */
	note_complete(s, w, p);
	return CALIB_OK;
}

/* Fleiss-Nee-Landis z test and per-category kappas, on complete calls. */
static enum calib_status
complete_records(const struct work *w, const struct pass1 *p, struct calib_stats *out)
{
	struct calib_stat *s;
	double md = (double)w->nr, nc = (double)p->nc, denom, pk, qk, a = 0.0, b = 0.0,
	       pe = 0.0, kappa, se0, pjk;
	size_t k;
	char buf[64], name[CALIB_STAT_NAME + 8];
	const char *why = NULL;

	s = push(out, "fleiss_kappa_z", p->nc, w->nr);
	if (!s)
		return CALIB_ENOMEM;
	if (w->nr < 2)
		why = "fewer than two raters";
	else if (p->nc == 0)
		why = "no call scored by every rater";
	else if (p->nc_used < 2)
		why = "every score is the same (chance agreement 1)";
	denom = nc * md * (md - 1.0);
	if (!why) {
		for (k = 0; k < w->q; k++) {
			pk = w->tot[k] / (nc * md);
			qk = 1.0 - pk;
			a += pk * qk;
			b += pk * qk * (qk - pk);
			pe += pk * pk;
		}
		kappa = (p->pbar_c / nc - pe) / (1.0 - pe);
		se0 = sqrt(2.0 / (a * a * denom) * (a * a - b));
		s->se = se0;
		s->estimate = kappa / se0;
		s->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(s->estimate));
		/* the kappa tested is the complete calls' one: say so where it differs */
		if (p->nc < w->n)
			calib_stat_note(s,
			                "z under no agreement (Fleiss, Nee & Landis 1979) of Fleiss' "
			                "kappa on the %zu calls scored by every rater, %.6g; the "
			                "fleiss_kappa record uses all %zu calls",
			                p->nc, kappa, w->n);
		else
			calib_stat_note(s,
			                "z of Fleiss' kappa %.6g under no agreement (Fleiss, Nee & "
			                "Landis 1979)",
			                kappa);
	} else {
		undefined(s, why);
		note_complete(s, w, p);
	}

	if (w->nr < 2 || p->nc == 0)
		return CALIB_OK;
	se0 = sqrt(2.0 / denom);
	for (k = 0; k < w->q; k++) {
		if (!(w->tot[k] > 0.0))
			continue;
		snprintf(name, sizeof name, "fleiss_kappa_cat:%s",
		         level_name(w->m, k, buf, sizeof buf));
		s = push(out, name, p->nc, w->nr);
		if (!s)
			return CALIB_ENOMEM;
		pk = w->tot[k] / (nc * md);
		if (!(pk < 1.0)) {
			undefined(s, "every score is in this category");
		} else {
			pjk = (w->sq[k] - nc * md * pk) / (denom * pk);
			s->estimate = (pjk - pk) / (1.0 - pk);
			s->test = s->estimate / se0;
			s->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(s->test));
		}
		note_complete(s, w, p);
	}
	return CALIB_OK;
}

/* Push a coefficient record: estimate, or NAN with why; then inference. */
static struct calib_stat *
coef_record(struct calib_stats *out, const char *name, const struct work *w, double est,
            double ss, const char *why, double conf)
{
	struct calib_stat *s = push(out, name, w->n, w->nr);

	if (!s)
		return NULL;
	if (why) {
		undefined(s, why);
		return s;
	}
	s->estimate = est;
	if (!isfinite(est)) {
		undefined(s, "chance agreement is 1");
		return s;
	}
	t_inference(s, ss, w->n, conf);
	return s;
}

static enum calib_status
all_undefined(const struct calib_matrix *m, const struct calib_coef_opts *o,
              struct calib_stats *out, const char *why)
{
	static const char *const names[] = {
	        "percent_agreement",
	        "percent_agreement_linear",
	        "percent_agreement_quadratic",
	        "percent_agreement_ordinal",
	        "percent_agreement_custom",
	        "percent_agreement_unanimous",
	        "fleiss_kappa",
	        "fleiss_kappa_z",
	        "conger_kappa",
	        "gwet_ac1",
	        "gwet_ac2_linear",
	        "gwet_ac2_quadratic",
	        "gwet_ac2_ordinal",
	        "gwet_ac2_custom",
	        "brennan_prediger",
	};
	struct calib_stat *s;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!o->custom_w && strstr(names[i], "_custom"))
			continue;
		s = push(out, names[i], m->n_items, m->n_raters);
		if (!s)
			return CALIB_ENOMEM;
		undefined(s, why);
	}
	return CALIB_OK;
}

/* Refuse a confidence level outside (0, 1) and custom weights that do not fit m. */
static enum calib_status
check_opts(const struct calib_matrix *m, const struct calib_coef_opts *o,
           struct calib_error *err)
{
	if (!(o->conf > 0.0 && o->conf < 1.0))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "confidence level %g is not between 0 and 1", o->conf);
	if (!o->custom_w)
		return CALIB_OK;
	if (o->custom_q != m->n_levels)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "custom weights are %zux%zu but the criterion "
		                       "has %zu categor%s",
		                       o->custom_q, o->custom_q, m->n_levels,
		                       m->n_levels == 1 ? "y" : "ies");
	return calib_weights_check(o->custom_w, o->custom_q, err);
}

static enum calib_status
compute_agreement(const struct calib_matrix *m, const struct calib_coef_opts *o,
                        struct calib_stats *out, struct calib_error *err)
{
	struct calib_coef_opts defaults;
	struct work w;
	struct pass1 p;
	struct calib_stat *s;
	enum calib_status st;
	const char *why;
	size_t ws;
	double conf;

	if (!o) {
		calib_coef_opts_init(&defaults);
		o = &defaults;
	}
	conf = o->conf;
	if ((st = check_opts(m, o, err)) != CALIB_OK)
		return st;
	if (m->n_items == 0 || m->n_scores == 0)
		return all_undefined(m, o, out, "no score");

	memset(&w, 0, sizeof w);
	memset(&p, 0, sizeof p);
	w.m = m;
	w.n = m->n_items;
	w.q = m->n_levels;
	w.nr = m->n_raters;
	w.conger = calib_coef_wants(o, "conger_kappa");
	w.n_units = w.n;
	/* Conger's kappa needs to know who gave which score: every call */
	if (m->pat_first && !w.conger) {
		w.unit = m->pat_first;
		w.mult = m->pat_count;
		w.n_units = m->n_pat;
	}
	st = work_alloc(&w);
	if (st == CALIB_OK)
		st = weights_init(&w, o);
	if (st != CALIB_OK) {
		work_free(&w);
		return calib_error_set(err, st, NULL, 0, 0, "out of memory");
	}
	first_pass(&w, &p);
	if (p.n2 == 0) {
		work_free(&w);
		return all_undefined(m, o, out, "no call has two scores");
	}
	chance(&w, &p);
	second_pass(&w, &p);

	st = CALIB_ENOMEM;
	/* percent agreement, unweighted then weighted */
	for (ws = 0; ws <= WS_CUSTOM; ws++) {
		struct wset *x = &w.ws[ws];

		if (!x->used)
			continue;
		s = coef_record(out, x->pa_name, &w, x->pa, x->ss_pa, x->undef, conf);
		if (!s)
			goto done;
	}
	if (unanimous_record(&w, &p, out) != CALIB_OK)
		goto done;
	why = p.q_used < 2 ? "every score is the same (chance agreement 1)" : NULL;
	if (!coef_record(out, "fleiss_kappa", &w, p.fleiss, p.ss_fleiss, why, conf))
		goto done;
	if (complete_records(&w, &p, out) != CALIB_OK)
		goto done;
	why = w.nr < 2       ? "fewer than two raters"
	      : p.q_used < 2 ? "every score is the same (chance agreement 1)"
	      : !w.ngk       ? "not computed: too many raters x categories for Conger's table"
	                     : NULL;
	if (w.conger && !coef_record(out, "conger_kappa", &w, p.conger, p.ss_conger, why, conf))
		goto done;
	for (ws = 0; ws <= WS_CUSTOM; ws++) {
		struct wset *x = &w.ws[ws];

		if (!x->used)
			continue;
		why = w.q < 2 ? "one category only (chance agreement undefined)" : x->undef;
		if (!coef_record(out, x->ac_name, &w, x->ac, x->ss_ac, why, conf))
			goto done;
	}
	why = w.q < 2 ? "one category only (chance agreement 1)" : NULL;
	if (!coef_record(out, "brennan_prediger", &w, p.bp, p.ss_bp, why, conf))
		goto done;
	st = CALIB_OK;
done:
	work_free(&w);
	if (st != CALIB_OK)
		return calib_error_set(err, st, NULL, 0, 0, "out of memory");
	return CALIB_OK;
}

/* The records, with bounds outside the statistic's range clipped and said (registry.h). */
enum calib_status
calib_agreement_compute(const struct calib_matrix *m, const struct calib_coef_opts *o,
                        struct calib_stats *out, struct calib_error *err)
{
	size_t first = out->n;
	enum calib_status st = compute_agreement(m, o, out, err);
	calib_registry_clip_from(out, first);
	return st;
}

/*
 * The bootstrap's sufficient statistics. Per call: whether it has two
 * scores, its agreement under each weighting used (call_pa) and the share
 * cnt_k / r of each of its categories, the very terms first_pass() adds up;
 * a replicate adds them in the order of the drawn calls, as first_pass()
 * does on the resampled matrix, then chance() derives the coefficients.
 */
#define PREFETCH_AHEAD 16

#define CALL_TWO 1u       /* two scores or more */
#define CALL_COMPLETE 2u  /* scored by every rater (two or more) */
#define CALL_UNANIMOUS 4u /* complete, and every score in one category */

struct calib_agreement_calls {
	struct work w;  /* weightings, q; pi and sum_pa of the last resample */
	size_t n;       /* calls of the matrix */
	bool no_score;  /* the matrix has no score at all */
	uint8_t *two;   /* n: CALL_TWO | CALL_COMPLETE | CALL_UNANIMOUS bits */
	double *pa;     /* n x WS_N: call_pa of each weighting used */
	size_t *off;    /* n + 1: the call's shares are share[off[i] .. off[i+1]) */
	uint32_t *cat;  /* category of each share */
	double *share;  /* cnt_k / r */
	struct pass1 p; /* q_used, fleiss, bp, n2 of the last resample */
};

void
calib_agreement_calls_free(struct calib_agreement_calls *c)
{
	if (!c)
		return;
	work_free(&c->w);
	free(c->two);
	free(c->pa);
	free(c->off);
	free(c->cat);
	free(c->share);
	free(c);
}

enum calib_status
calib_agreement_calls_build(const struct calib_matrix *m, const struct calib_coef_opts *o,
                            struct calib_agreement_calls **out, struct calib_error *err)
{
	struct calib_coef_opts defaults;
	struct calib_agreement_calls *c;
	enum calib_status st;
	size_t i, a, ws, t = 0;

	*out = NULL;
	if (!o) {
		calib_coef_opts_init(&defaults);
		o = &defaults;
	}
	if ((st = check_opts(m, o, err)) != CALIB_OK)
		return st;
	if (!(c = calloc(1, sizeof *c)))
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	c->w.m = m;
	c->w.n = c->n = m->n_items;
	c->w.q = m->n_levels;
	c->w.nr = m->n_raters;
	c->no_score = m->n_scores == 0;
	c->two = malloc(c->n + 1);
	c->pa = malloc((c->n * WS_N + 1) * sizeof *c->pa);
	c->off = malloc((c->n + 1) * sizeof *c->off);
	c->cat = malloc((m->n_scores + 1) * sizeof *c->cat);
	c->share = malloc((m->n_scores + 1) * sizeof *c->share);
	st = c->two && c->pa && c->off && c->cat && c->share ? work_alloc(&c->w) : CALIB_ENOMEM;
	if (st == CALIB_OK)
		st = weights_init(&c->w, o);
	if (st != CALIB_OK) {
		calib_agreement_calls_free(c);
		return calib_error_set(err, st, NULL, 0, 0, "out of memory");
	}
	for (i = 0; i < c->n; i++) {
		struct work *w = &c->w;
		call_load(w, i);
		c->two[i] = (uint8_t)((w->c.r >= 2 ? CALL_TWO : 0) |
		                      (w->c.r == w->nr && w->nr >= 2
		                               ? CALL_COMPLETE | (w->c.d == 1 ? CALL_UNANIMOUS : 0)
		                               : 0));
		for (ws = 0; ws < WS_N; ws++)
			c->pa[i * WS_N + ws] =
			        w->ws[ws].used && w->c.r >= 2 ? call_pa(w, &w->ws[ws]) : 0.0;
		c->off[i] = t;
		for (a = 0; a < w->c.d; a++, t++) {
			c->cat[t] = w->c.dist[a];
			c->share[t] = count(w, w->c.dist[a]) / (double)w->c.r;
		}
		call_clear(w);
	}
	c->off[c->n] = t;
	calib_agreement_calls_resample(c, NULL, NULL, c->n);
	*out = c;
	return CALIB_OK;
}

void
calib_agreement_calls_resample(struct calib_agreement_calls *c, const size_t *rows,
                               const unsigned *times, size_t n)
{
	struct work *w = &c->w;
	size_t t, i, j, ws, total = 0;

	memset(&c->p, 0, sizeof c->p);
	for (ws = 0; ws < WS_N; ws++)
		w->ws[ws].sum_pa = 0.0;
	memset(w->pi, 0, (w->q ? w->q : 1) * sizeof *w->pi);
	for (t = 0; t < n; t++) {
		/* a drawn call counts as often as it was drawn */
		unsigned k = times ? times[t] : 1;
		double wt = (double)k;
		if (k == 0)
			continue;
		total += k;
		i = rows ? rows[t] : t;
#ifdef __GNUC__
		/* the calls are drawn at random: fetch a later call's terms ahead */
		if (rows && t + PREFETCH_AHEAD < n) {
			size_t ahead = rows[t + PREFETCH_AHEAD];
			__builtin_prefetch(&c->pa[ahead * WS_N]);
			__builtin_prefetch(&c->off[ahead]);
			__builtin_prefetch(&c->two[ahead]);
			__builtin_prefetch(&c->share[c->off[rows[t + PREFETCH_AHEAD / 2]]]);
			__builtin_prefetch(&c->cat[c->off[rows[t + PREFETCH_AHEAD / 2]]]);
		}
#endif
		if (c->two[i] & CALL_COMPLETE) {
			c->p.nc += k;
			c->p.unan += c->two[i] & CALL_UNANIMOUS ? k : 0;
		}
		if (c->two[i] & CALL_TWO) {
			c->p.n2 += k;
			for (ws = 0; ws < WS_N; ws++)
				if (w->ws[ws].used)
					w->ws[ws].sum_pa += wt * c->pa[i * WS_N + ws];
		}
		for (j = c->off[i]; j < c->off[i + 1]; j++)
			w->pi[c->cat[j]] += wt * c->share[j];
	}
	w->n = total;
	for (j = 0; j < w->q; j++) {
		w->pi[j] /= (double)total;
		if (w->pi[j] > 0.0)
			c->p.q_used++;
	}
	if (c->p.n2 > 0)
		chance(w, &c->p);
}

/* calib_agreement_calls_pick's numbers past the weight sets' 2 * WS_N */
enum { PICK_FLEISS = 2 * WS_N, PICK_BP, PICK_UNANIMOUS };

int
calib_agreement_calls_pick(const struct calib_agreement_calls *c, const char *name)
{
	for (size_t ws = 0; ws < WS_N; ws++) {
		const struct wset *x = &c->w.ws[ws];
		if (!x->used)
			continue;
		if (strcmp(name, x->pa_name) == 0)
			return (int)(2 * ws);
		if (strcmp(name, x->ac_name) == 0)
			return (int)(2 * ws + 1);
	}
	if (strcmp(name, "fleiss_kappa") == 0)
		return PICK_FLEISS;
	if (strcmp(name, "brennan_prediger") == 0)
		return PICK_BP;
	if (strcmp(name, "percent_agreement_unanimous") == 0)
		return PICK_UNANIMOUS;
	return -1;
}

double
calib_agreement_calls_estimate(const struct calib_agreement_calls *c, int pick)
{
	const struct work *w = &c->w;
	const char *why = NULL;
	double est;

	switch (pick) {
	case PICK_FLEISS:
		est = c->p.fleiss;
		why = c->p.q_used < 2 ? "one category used" : NULL;
		break;
	case PICK_BP:
		est = c->p.bp;
		why = w->q < 2 ? "one category" : NULL;
		break;
	case PICK_UNANIMOUS:
		/* as unanimous_record(): the share of complete calls */
		est = c->p.nc ? (double)c->p.unan / (double)c->p.nc : NAN;
		why = w->nr < 2 ? "fewer than two raters" : NULL;
		break;
	default: {
		const struct wset *x = &w->ws[pick / 2];
		if (pick % 2 == 0) {
			est = x->pa;
			why = x->undef;
		} else {
			est = x->ac;
			why = w->q < 2 ? "one category" : x->undef;
		}
	}
	}
	/* undefined as calib_agreement_compute() leaves it */
	if (why || c->no_score || w->n == 0 || c->p.n2 == 0 || !isfinite(est))
		est = NAN;
	return est;
}
