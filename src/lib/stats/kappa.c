/*
 * kappa.c - the Cohen family (kappa.h).
 *
 * Cohen's kappa: Cohen (1960), Educ. Psychol. Meas. 20, 37-46, eq. (1)
 * kappa = (p_o - p_e) / (1 - p_e); weighted kappa: Cohen (1968), Psychol.
 * Bull. 70, 213-220, written here with agreement weights w_kl (1 on the
 * diagonal) as kappa_w = 1 - sum_kl (1 - w_kl) p_kl / sum_kl (1 - w_kl)
 * p_k. p_.l, the disagreement form, so that "chance agreement 1" is an
 * exact zero denominator and no 1 - p_e cancels.
 *
 * Standard errors: Fleiss, Cohen & Everitt (1969), Psychol. Bull. 72,
 * 323-327, large-sample variance of weighted kappa (the unweighted one is
 * the case w = identity), with wr_k = sum_l p_.l w_kl, wc_l = sum_k p_k. w_kl:
 *   var(kappa) = [ sum_kl p_kl (w_kl - (wr_k + wc_l)(1 - kappa))^2
 *                  - (kappa - p_e (1 - kappa))^2 ] / (n (1 - p_e)^2)
 *   var0       = [ sum_kl p_k. p_.l (w_kl - (wr_k + wc_l))^2 - p_e^2 ]
 *                / (n (1 - p_e)^2)          (under kappa = 0)
 * as statsmodels' cohens_kappa evaluates them. The subtracted square is the
 * squared mean of the summed term under the same distribution (p_kl,
 * resp. p_k. p_.l), so both are computed as sums of squared deviations from
 * that mean (two passes): never negative, no cancellation.
 *
 * Prevalence index (a - d)/n, bias index (b - c)/n and PABAK = 2 p_o - 1:
 * Byrt, Bishop & Carlin (1993), J. Clin. Epidemiol. 46, 423-429.
 *
 * Light's kappa: Light (1971), Psychol. Bull. 76, 365-377, the mean of the
 * unweighted Cohen's kappas over all pairs of raters on the calls every
 * rater scored, as irr's kappam.light computes it (a pair with kappa 0/0
 * makes the mean NAN, as in irr). irr's z test for it is not reproduced:
 * its "chance agreement" 1 - pairs * prod_pairs(D_pair / n^2), D_pair the
 * pair's count of chance disagreements, is not Light's (1971) variance,
 * leaves [0, 1] (giving a NaN z) beyond a few raters and overflows for
 * large n; for two raters it is the unweighted null test of cohen_kappa.
 *
 * Cost per rater pair: O(n) for the calls plus O(q^2) weight evaluations
 * over the q categories observed on them; no q x q array is built.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "calib/kappa.h"
#include "calib/registry.h"
#include "calib/store.h"
#include "calib/weights.h"

/* Two raters' categories on the calls both scored, categories compacted. */
struct pair {
	size_t n;        /* calls both scored */
	size_t q;        /* categories observed on them */
	uint32_t *a, *b; /* n: compact category given by column 0 / column 1 */
	uint32_t *orig;  /* q: matrix category of each compact one */
	double *value;   /* q: its value (NAN: the N/A category, last) */
	double *rank;    /* q: rank 1..qv among valued ones, NAN for N/A */
	double *pr, *pc; /* q: marginal shares of column 0 / column 1 */
	double *wr, *wc; /* q: workspace, mean weight of a row / a column */
};

/* Where the weights of one kappa come from. */
struct wsrc {
	enum calib_weighting kind; /* when custom is NULL */
	const double *x;           /* q values or ranks for kind */
	const double *custom;      /* custom_q x custom_q over the matrix's categories */
	size_t custom_q;
	const uint32_t *orig;
	size_t q;
};

struct kres {
	double kappa, se, se0;
	const char *why; /* reason when kappa is NAN */
};

/* Neumaier's compensated sum. */
struct csum {
	double s, c;
};

static void
csum_add(struct csum *a, double x)
{
	double t = a->s + x;

	if (fabs(a->s) >= fabs(x))
		a->c += (a->s - t) + x;
	else
		a->c += (x - t) + a->s;
	a->s = t;
}

static double
csum_get(const struct csum *a)
{
	return a->s + a->c;
}

static double
wget(const struct wsrc *w, size_t k, size_t l)
{
	if (w->custom)
		return w->custom[(size_t)w->orig[k] * w->custom_q + w->orig[l]];
	if (w->kind == CALIB_W_IDENTITY)
		return k == l ? 1.0 : 0.0;
	return calib_weights_one(w->kind, w->x, w->q, k, l);
}

static void
pair_free(struct pair *p)
{
	free(p->a);
	free(p->b);
	free(p->orig);
	free(p->value);
	free(p->rank);
	free(p->pr);
	free(p->pc);
	free(p->wr);
	free(p->wc);
}

/*
 * Fill p from columns 0 and 1 of m (the calls both scored). CALIB_OK or
 * CALIB_ENOMEM (p is then freed).
 */
static enum calib_status
pair_build(const struct calib_matrix *m, struct pair *p)
{
	size_t i, s, k, n = 0, q = 0, qv = 0, nl = m->n_levels;
	uint32_t *map;

	*p = (struct pair){0};
	map = malloc((nl ? nl : 1) * sizeof *map);
	p->a = malloc((m->n_items ? m->n_items : 1) * sizeof *p->a);
	p->b = malloc((m->n_items ? m->n_items : 1) * sizeof *p->b);
	if (!map || !p->a || !p->b)
		goto nomem;
	for (k = 0; k < nl; k++)
		map[k] = CALIB_NONE;
	for (i = 0; i < m->n_items; i++) {
		uint32_t c0 = CALIB_NONE, c1 = CALIB_NONE;

		for (s = m->off[i]; s < m->off[i + 1]; s++) {
			if (m->col[s] == 0)
				c0 = m->cat[s];
			else if (m->col[s] == 1)
				c1 = m->cat[s];
		}
		if (c0 == CALIB_NONE || c1 == CALIB_NONE)
			continue;
		p->a[n] = c0;
		p->b[n] = c1;
		map[c0] = map[c1] = 0;
		n++;
	}
	/* Compact in category order, so values stay increasing, N/A last. */
	for (k = 0; k < nl; k++)
		if (map[k] == 0)
			map[k] = (uint32_t)q++;
	p->n = n;
	p->q = q;
	p->orig = malloc((q ? q : 1) * sizeof *p->orig);
	p->value = malloc((q ? q : 1) * sizeof *p->value);
	p->rank = malloc((q ? q : 1) * sizeof *p->rank);
	p->pr = calloc(q ? q : 1, sizeof *p->pr);
	p->pc = calloc(q ? q : 1, sizeof *p->pc);
	p->wr = malloc((q ? q : 1) * sizeof *p->wr);
	p->wc = malloc((q ? q : 1) * sizeof *p->wc);
	if (!p->orig || !p->value || !p->rank || !p->pr || !p->pc || !p->wr || !p->wc)
		goto nomem;
	for (k = 0; k < nl; k++)
		if (map[k] != CALIB_NONE) {
			p->orig[map[k]] = (uint32_t)k;
			p->value[map[k]] = m->value[k];
		}
	for (k = 0; k < q; k++)
		p->rank[k] = isnan(p->value[k]) ? NAN : (double)++qv;
	for (i = 0; i < n; i++) {
		p->a[i] = map[p->a[i]];
		p->b[i] = map[p->b[i]];
		p->pr[p->a[i]] += 1.0;
		p->pc[p->b[i]] += 1.0;
	}
	for (k = 0; k < q; k++) {
		p->pr[k] /= (double)n;
		p->pc[k] /= (double)n;
	}
	free(map);
	return CALIB_OK;
nomem:
	free(map);
	pair_free(p);
	return CALIB_ENOMEM;
}

/* Weighted kappa of p with weights w and its FCE (1969) standard errors. */
static void
kappa_weighted(const struct pair *p, const struct wsrc *w, struct kres *r)
{
	size_t i, j, t, q = p->q, n = p->n;
	struct csum de = {0, 0}, dobs = {0, 0}, pe = {0, 0}, fm = {0, 0}, ss = {0, 0},
	            ss0 = {0, 0};
	double kappa, pev, fbar, nn = (double)n, den;

	r->kappa = r->se = r->se0 = NAN;
	r->why = NULL;
	if (n == 0) {
		r->why = "undefined: no call scored by both raters";
		return;
	}
	if (n == 1) { /* each rater's scores are one category: 0 or 0/0, whatever they gave */
		r->why = "undefined: a single call scored by both raters";
		return;
	}
	for (i = 0; i < q; i++) {
		struct csum a = {0, 0}, d = {0, 0};

		for (j = 0; j < q; j++)
			if (p->pc[j] > 0.0) {
				double wij = wget(w, i, j);

				csum_add(&a, p->pc[j] * wij);
				csum_add(&d, p->pc[j] * (1.0 - wij));
			}
		p->wr[i] = csum_get(&a);
		if (p->pr[i] > 0.0) {
			csum_add(&de, p->pr[i] * csum_get(&d));
			csum_add(&pe, p->pr[i] * p->wr[i]);
		}
	}
	for (j = 0; j < q; j++) {
		struct csum a = {0, 0};

		for (i = 0; i < q; i++)
			if (p->pr[i] > 0.0)
				csum_add(&a, p->pr[i] * wget(w, i, j));
		p->wc[j] = csum_get(&a);
	}
	if (!(csum_get(&de) > 0.0)) {
		r->why = "undefined: chance agreement is 1 (every score in one category)";
		return;
	}
	for (t = 0; t < n; t++)
		csum_add(&dobs, 1.0 - wget(w, p->a[t], p->b[t]));
	den = csum_get(&de);
	kappa = 1.0 - csum_get(&dobs) / nn / den;
	pev = csum_get(&pe);
	r->kappa = kappa;

	/* Non-null variance: deviations of f_t over the observed calls. */
	for (t = 0; t < n; t++)
		csum_add(&fm, wget(w, p->a[t], p->b[t]) -
		                      (p->wr[p->a[t]] + p->wc[p->b[t]]) * (1.0 - kappa));
	fbar = csum_get(&fm) / nn;
	for (t = 0; t < n; t++) {
		double f = wget(w, p->a[t], p->b[t]) -
		           (p->wr[p->a[t]] + p->wc[p->b[t]]) * (1.0 - kappa) - fbar;

		csum_add(&ss, f * f);
	}
	r->se = sqrt(csum_get(&ss) / nn / (nn * den * den));

	/* Null variance: the mean of w - wr - wc under p_k. p_.l is -p_e. */
	for (i = 0; i < q; i++) {
		if (!(p->pr[i] > 0.0))
			continue;
		for (j = 0; j < q; j++) {
			double g;

			if (!(p->pc[j] > 0.0))
				continue;
			g = wget(w, i, j) - p->wr[i] - p->wc[j] + pev;
			csum_add(&ss0, p->pr[i] * p->pc[j] * g * g);
		}
	}
	r->se0 = sqrt(csum_get(&ss0) / (nn * den * den));
}

/*
 * Push record `name` and its companion "<name>_z" from r. dropped = calls
 * with only one of the two scores. CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
push_kappa(struct calib_stats *out, const char *name, const struct kres *r, size_t n,
           size_t dropped, double zcrit)
{
	struct calib_stat *s;
	double z = NAN, p = NAN;
	const char *zwhy = r->why;

	if (!isnan(r->kappa)) {
		if (r->se0 > 0.0) {
			z = r->kappa / r->se0;
			p = 2.0 * gsl_cdf_ugaussian_Q(fabs(z));
		} else {
			zwhy = "undefined: standard error under kappa = 0 is 0";
		}
	}
	if (!(s = calib_stats_push(out, "%s", name)))
		return CALIB_ENOMEM;
	s->estimate = r->kappa;
	s->se = r->se;
	if (!isnan(r->kappa) && !isnan(r->se)) {
		s->lower = r->kappa - zcrit * r->se;
		s->upper = r->kappa + zcrit * r->se;
	}
	s->test = z;
	s->p = p;
	s->n_items = n;
	s->n_raters = 2;
	if (r->why)
		calib_stat_note(s, "%s", r->why);
	if (dropped)
		calib_stat_note_add(s, "%zu call%s scored by one rater left out", dropped,
				    dropped == 1 ? "" : "s");
	if (!(s = calib_stats_push(out, "%s_z", name)))
		return CALIB_ENOMEM;
	s->estimate = z;
	s->se = r->se0;
	s->p = p;
	s->n_items = n;
	s->n_raters = 2;
	if (zwhy)
		calib_stat_note(s, "%s", zwhy);
	return CALIB_OK;
}

/* Prevalence index, bias index and PABAK of a two-category criterion. */
static enum calib_status
push_binary(struct calib_stats *out, const struct pair *p, size_t dropped)
{
	static const char *const names[] = {"prevalence_index", "bias_index", "pabak"};
	double cnt[2][2] = {{0, 0}, {0, 0}}, v[3], n = (double)p->n;
	size_t t, k;

	/* Cells by matrix category (0 = first, 1 = second), not compact index. */
	for (t = 0; t < p->n; t++)
		cnt[p->orig[p->a[t]]][p->orig[p->b[t]]] += 1.0;
	v[0] = (cnt[0][0] - cnt[1][1]) / n;
	v[1] = (cnt[0][1] - cnt[1][0]) / n;
	v[2] = 2.0 * (cnt[0][0] + cnt[1][1]) / n - 1.0;
	for (k = 0; k < 3; k++) {
		struct calib_stat *s = calib_stats_push(out, "%s", names[k]);

		if (!s)
			return CALIB_ENOMEM;
		s->n_items = p->n;
		s->n_raters = 2;
		if (p->n == 0) {
			calib_stat_note(s, "undefined: no call scored by both raters");
			continue;
		}
		s->estimate = v[k];
		if (dropped)
			calib_stat_note(s, "%zu call%s scored by one rater left out", dropped,
					dropped == 1 ? "" : "s");
	}
	return CALIB_OK;
}

static enum calib_status
cohen_two(const struct calib_matrix *m, const struct calib_coef_opts *o,
          struct calib_stats *out, double zcrit)
{
	struct pair p;
	struct kres r;
	size_t dropped;
	enum calib_status st;
	static const struct {
		const char *name;
		enum calib_weighting kind;
		bool rank;
	} fam[] = {
	        {"cohen_kappa", CALIB_W_IDENTITY, false},
	        {"cohen_kappa_linear", CALIB_W_LINEAR, false},
	        {"cohen_kappa_quadratic", CALIB_W_QUADRATIC, false},
	        {"cohen_kappa_linear_rank", CALIB_W_LINEAR, true},
	        {"cohen_kappa_quadratic_rank", CALIB_W_QUADRATIC, true},
	};

	if ((st = pair_build(m, &p)) != CALIB_OK)
		return st;
	dropped = m->n_items - p.n;
	for (size_t f = 0; f < sizeof fam / sizeof fam[0]; f++) {
		struct wsrc w = {fam[f].kind, fam[f].rank ? p.rank : p.value, NULL, 0, p.orig,
		                 p.q};

		kappa_weighted(&p, &w, &r);
		if ((st = push_kappa(out, fam[f].name, &r, p.n, dropped, zcrit)) != CALIB_OK)
			goto done;
	}
	if (o->custom_w) {
		struct wsrc w = {CALIB_W_IDENTITY, NULL, o->custom_w, o->custom_q, p.orig, p.q};

		kappa_weighted(&p, &w, &r);
		if ((st = push_kappa(out, "cohen_kappa_custom", &r, p.n, dropped, zcrit)) !=
		    CALIB_OK)
			goto done;
	}
	if (m->n_levels == 2)
		st = push_binary(out, &p, dropped);
done:
	pair_free(&p);
	return st;
}

/*
 * Light's kappa on the calls every rater scored. CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
light(const struct calib_matrix *m, struct calib_stats *out)
{
	size_t i, s, j, k, t, nr = m->n_raters, nl = m->n_levels, n = 0, pairs = 0;
	size_t used = 0, bad_j = 0, bad_k = 0;
	uint32_t *cat = NULL;
	double *c1 = NULL, *c2 = NULL, sum = 0.0;
	bool *seen = NULL, undefined_pair = false;
	struct calib_stat *st;

	if (!(st = calib_stats_push(out, "light_kappa")))
		return CALIB_ENOMEM;
	st->n_raters = nr;
	if (nr < 2) {
		calib_stat_note(st, "undefined: needs at least two raters");
		return CALIB_OK;
	}
	for (i = 0; i < m->n_items; i++)
		n += calib_matrix_row_n(m, i) == nr;
	st->n_items = n;
	if (n < 2) {
		calib_stat_note(st, n ? "undefined: a single call scored by every rater"
		                      : "undefined: no call scored by every rater");
		return CALIB_OK;
	}
	cat = malloc(n * nr * sizeof *cat);
	c1 = malloc(nl * sizeof *c1);
	c2 = malloc(nl * sizeof *c2);
	seen = calloc(nl, sizeof *seen);
	if (!cat || !c1 || !c2 || !seen) {
		free(cat);
		free(c1);
		free(c2);
		free(seen);
		return CALIB_ENOMEM;
	}
	for (i = 0, t = 0; i < m->n_items; i++) {
		if (calib_matrix_row_n(m, i) != nr)
			continue;
		for (s = m->off[i]; s < m->off[i + 1]; s++) {
			cat[t * nr + m->col[s]] = m->cat[s];
			if (!seen[m->cat[s]]) {
				seen[m->cat[s]] = true;
				used++;
			}
		}
		t++;
	}
	if (used < 2) {
		calib_stat_note(st, "undefined: every score is the same (chance agreement 1)");
		goto done;
	}
	/* Counts are integers below 2^53, so agreement and chance sums are exact. */
	for (j = 0; j + 1 < nr; j++)
		for (k = j + 1; k < nr; k++) {
			double agree = 0.0, chance = 0.0, nn = (double)n;

			for (t = 0; t < n; t++) {
				c1[cat[t * nr + j]] = c2[cat[t * nr + j]] = 0.0;
				c1[cat[t * nr + k]] = c2[cat[t * nr + k]] = 0.0;
			}
			for (t = 0; t < n; t++) {
				uint32_t x = cat[t * nr + j], y = cat[t * nr + k];

				c1[x] += 1.0;
				c2[y] += 1.0;
				agree += x == y;
			}
			for (t = 0; t < n; t++) {
				uint32_t x = cat[t * nr + j];

				chance += c1[x] * c2[x]; /* once per category: */
				c1[x] = 0.0;             /* zeroed after its first use */
			}
			pairs++;
			if (nn * nn == chance) {
				if (!undefined_pair) {
					bad_j = j;
					bad_k = k;
				}
				undefined_pair = true;
				continue;
			}
			sum += (agree * nn - chance) / (nn * nn - chance);
		}
	if (undefined_pair)
		calib_stat_note(st,
		                "undefined: Cohen's kappa of raters %zu and %zu is 0/0 "
		                "(both gave one and the same category)",
		                bad_j + 1, bad_k + 1);
	else
		st->estimate = sum / (double)pairs;
done:
	if (n < m->n_items)
		calib_stat_note_add(st, "%zu call%s not scored by every rater left out",
		                    m->n_items - n, m->n_items - n == 1 ? "" : "s");
	free(cat);
	free(c1);
	free(c2);
	free(seen);
	return CALIB_OK;
}

static enum calib_status
compute_kappa(const struct calib_matrix *m, const struct calib_coef_opts *o,
                    struct calib_stats *out, struct calib_error *err)
{
	enum calib_status st;
	double zcrit;

	if (!(o->conf > 0.0 && o->conf < 1.0))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "confidence level %g is not between 0 and 1", o->conf);
	if (o->custom_w) {
		if (o->custom_q != m->n_levels)
			return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
			                       "custom weights are %zu x %zu but the criterion "
			                       "has %zu categor%s",
			                       o->custom_q, o->custom_q, m->n_levels,
			                       m->n_levels == 1 ? "y" : "ies");
		if ((st = calib_weights_check(o->custom_w, o->custom_q, err)) != CALIB_OK)
			return st;
	}
	zcrit = gsl_cdf_ugaussian_Pinv(0.5 + o->conf / 2.0);
	if (m->n_raters == 2) {
		if ((st = cohen_two(m, o, out, zcrit)) != CALIB_OK)
			return calib_error_set(err, st, NULL, 0, 0, "out of memory");
	} else if (m->n_raters < 2) {
		struct calib_stat *s = calib_stats_push(out, "cohen_kappa");

		if (!s)
			return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
		s->n_items = m->n_items;
		s->n_raters = m->n_raters;
		calib_stat_note(s, "undefined: needs two raters");
	}
	if ((st = light(m, out)) != CALIB_OK)
		return calib_error_set(err, st, NULL, 0, 0, "out of memory");
	return CALIB_OK;
}

/* The records, with bounds outside the statistic's range clipped and said (registry.h). */
enum calib_status
calib_kappa_compute(const struct calib_matrix *m, const struct calib_coef_opts *o,
                    struct calib_stats *out, struct calib_error *err)
{
	size_t first = out->n;
	enum calib_status st = compute_kappa(m, o, out, err);
	calib_registry_clip_from(out, first);
	return st;
}

/*
 * Light's kappa from calls grouped by pattern (the vector of the raters'
 * categories, calls every rater scored only). See kappa.h.
 */
#define LIGHT_NONE UINT32_MAX

struct calib_light_calls {
	size_t n_items, nr, nl, n_pat;
	uint32_t *pat;  /* n_items: the call's pattern, LIGHT_NONE when incomplete */
	uint32_t *cat;  /* n_pat x nr: each pattern's categories */
	double *cnt;    /* n_pat: times drawn in the last resample */
	double *c1, *c2;
	bool *seen;
	double est;
};

void
calib_light_calls_free(struct calib_light_calls *c)
{
	if (!c)
		return;
	free(c->pat);
	free(c->cat);
	free(c->cnt);
	free(c->c1);
	free(c->c2);
	free(c->seen);
	free(c);
}

static uint64_t
light_hash(const uint32_t *v, size_t nr)
{
	uint64_t h = 1469598103934665603u;
	for (size_t j = 0; j < nr; j++)
		h = (h ^ v[j]) * 1099511628211u;
	return h;
}

enum calib_status
calib_light_calls_build(const struct calib_matrix *m, struct calib_light_calls **out)
{
	struct calib_light_calls *c = calloc(1, sizeof *c);
	size_t n = m->n_items, nr = m->n_raters, size = 2, i;
	uint32_t *slot = NULL, *row = NULL;

	*out = NULL;
	if (!c)
		return CALIB_ENOMEM;
	c->n_items = n;
	c->nr = nr;
	c->nl = m->n_levels;
	c->est = NAN;
	while (size < 2 * n)
		size *= 2;
	c->pat = malloc((n ? n : 1) * sizeof *c->pat);
	c->cat = malloc((n > 0 && nr > 0 ? n * nr : 1) * sizeof *c->cat);
	c->cnt = malloc((n ? n : 1) * sizeof *c->cnt);
	c->c1 = malloc((c->nl ? c->nl : 1) * sizeof *c->c1);
	c->c2 = malloc((c->nl ? c->nl : 1) * sizeof *c->c2);
	c->seen = malloc((c->nl ? c->nl : 1) * sizeof *c->seen);
	slot = malloc(size * sizeof *slot);
	row = malloc((nr ? nr : 1) * sizeof *row);
	if (!c->pat || !c->cat || !c->cnt || !c->c1 || !c->c2 || !c->seen || !slot || !row) {
		free(slot);
		free(row);
		calib_light_calls_free(c);
		return CALIB_ENOMEM;
	}
	for (i = 0; i < size; i++)
		slot[i] = LIGHT_NONE;
	for (i = 0; i < n; i++) {
		size_t h;
		c->pat[i] = LIGHT_NONE;
		if (nr < 2 || calib_matrix_row_n(m, i) != nr)
			continue;
		for (size_t s = m->off[i]; s < m->off[i + 1]; s++)
			row[m->col[s]] = m->cat[s];
		for (h = light_hash(row, nr) & (size - 1); slot[h] != LIGHT_NONE; h = (h + 1) & (size - 1))
			if (memcmp(c->cat + (size_t)slot[h] * nr, row, nr * sizeof *row) == 0)
				break;
		if (slot[h] == LIGHT_NONE) {
			slot[h] = (uint32_t)c->n_pat;
			memcpy(c->cat + c->n_pat * nr, row, nr * sizeof *row);
			c->n_pat++;
		}
		c->pat[i] = slot[h];
	}
	free(slot);
	free(row);
	calib_light_calls_resample(c, NULL, NULL, n);
	*out = c;
	return CALIB_OK;
}

size_t
calib_light_calls_patterns(const struct calib_light_calls *c, double *share)
{
	for (size_t p = 0; p <= c->n_pat; p++)
		share[p] = 0.0;
	for (size_t i = 0; i < c->n_items; i++)
		share[c->pat[i] == LIGHT_NONE ? c->n_pat : c->pat[i]]++;
	return c->n_pat + 1;
}

/* Light's kappa of the pattern counts c->cnt. */
static void light_counts(struct calib_light_calls *c);

void
calib_light_calls_resample(struct calib_light_calls *c, const size_t *rows,
                           const unsigned *times, size_t n)
{
	for (size_t p = 0; p < c->n_pat; p++)
		c->cnt[p] = 0.0;
	for (size_t t = 0; t < n; t++) {
		uint32_t p = c->pat[rows ? rows[t] : t];
		if (p != LIGHT_NONE)
			c->cnt[p] += times ? (double)times[t] : 1.0;
	}
	light_counts(c);
}

void
calib_light_calls_resample_patterns(struct calib_light_calls *c, const unsigned *times)
{
	for (size_t p = 0; p < c->n_pat; p++)
		c->cnt[p] = (double)times[p];
	light_counts(c);
}

static void
light_counts(struct calib_light_calls *c)
{
	size_t nr = c->nr, np = c->n_pat, used = 0, pairs = 0;
	double nn = 0.0, sum = 0.0;

	c->est = NAN;
	for (size_t x = 0; x < c->nl; x++)
		c->seen[x] = false;
	for (size_t p = 0; p < np; p++) {
		nn += c->cnt[p];
		for (size_t j = 0; c->cnt[p] > 0 && j < nr; j++)
			if (!c->seen[c->cat[p * nr + j]]) {
				c->seen[c->cat[p * nr + j]] = true;
				used++;
			}
	}
	/* as light(): undefined on fewer than 2 calls or a single category */
	if (nr < 2 || nn < 2 || used < 2)
		return;
	/* integer counts below 2^53: every sum exact, in any order, as light()'s */
	for (size_t j = 0; j + 1 < nr; j++)
		for (size_t k = j + 1; k < nr; k++) {
			double agree = 0.0, chance = 0.0;
			for (size_t x = 0; x < c->nl; x++)
				c->c1[x] = c->c2[x] = 0.0;
			for (size_t p = 0; p < np; p++) {
				uint32_t x = c->cat[p * nr + j], y = c->cat[p * nr + k];
				c->c1[x] += c->cnt[p];
				c->c2[y] += c->cnt[p];
				agree += x == y ? c->cnt[p] : 0.0;
			}
			for (size_t x = 0; x < c->nl; x++)
				chance += c->c1[x] * c->c2[x];
			pairs++;
			if (nn * nn == chance)
				return;
			sum += (agree * nn - chance) / (nn * nn - chance);
		}
	c->est = sum / (double)pairs;
}

double
calib_light_calls_estimate(const struct calib_light_calls *c)
{
	return c->est;
}
