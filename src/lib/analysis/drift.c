/*
 * drift.c - agreement over sessions (drift.h). Each (session, criterion)
 * gets one coefficient computed by its family module on the matrix of that
 * session alone; the change between two sessions (or two groups of
 * sessions) gets a percentile bootstrap interval (Efron & Tibshirani 1993,
 * "An Introduction to the Bootstrap", ch. 13) from resampling calls within
 * sessions, with calls scored in both groups drawn as pairs so that the
 * difference is not blurred by which calls were drawn; the trend is the
 * least-squares slope over the last K sessions.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "calib/agreement.h"
#include "calib/alpha.h"
#include "calib/dates.h"
#include "calib/drift.h"
#include "calib/icc.h"
#include "calib/registry.h"
#include "calib/totals.h"

void
calib_drift_opts_init(struct calib_drift_opts *o)
{
	memset(o, 0, sizeof *o);
	o->stat = NULL;
	o->na = CALIB_NA_AUTO;
	calib_coef_opts_init(&o->coef);
	o->boot = 1000;
	o->seed = 1;
	o->window = 4;
	o->total = true;
}

const char *
calib_drift_total_stat(const struct calib_drift_opts *o)
{
	/* the families calib-agree runs on the TOTAL's 0..100 points */
	if (o->stat && calib_registry_family(o->stat) & (CALIB_FAMILY_ICC | CALIB_FAMILY_ALPHA))
		return o->stat;
	return calib_registry_headline(CALIB_SCALE_INTERVAL);
}

static bool
known(const char *stat)
{
	return stat && strcmp(stat, "all") != 0 && calib_registry_known(stat);
}

bool
calib_drift_parse_date(const char *t, long *days)
{
	struct calib_date d;

	/* an ISO date, not a week */
	if (!calib_dates_iso(t, &d) || d.month == 0)
		return false;
	if (days)
		*days = d.days;
	return true;
}

struct dated {
	long days;
	uint32_t id;
};

static int
cmp_dated(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	if (x->days != y->days)
		return (x->days > y->days) - (x->days < y->days);
	return (x->id > y->id) - (x->id < y->id);
}

enum calib_status
calib_drift_order(const struct calib_store *s, uint32_t **order, bool *dated)
{
	size_t n = calib_names_count(s->sessions);
	uint32_t *o = malloc((n ? n : 1) * sizeof *o);
	struct dated *d = malloc((n ? n : 1) * sizeof *d);
	bool all = n > 0;

	*order = NULL;
	*dated = false;
	if (!o || !d) {
		free(o);
		free(d);
		return CALIB_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		d[i].id = (uint32_t)i;
		if (!calib_drift_parse_date(calib_names_get(s->sessions, (uint32_t)i),
		                            &d[i].days))
			all = false;
	}
	if (all)
		qsort(d, n, sizeof *d, cmp_dated);
	for (size_t i = 0; i < n; i++)
		o[i] = all ? d[i].id : (uint32_t)i;
	free(d);
	*order = o;
	*dated = all;
	return CALIB_OK;
}

/* The value of stat on m, with its bounds and note; NAN when undefined. */
static enum calib_status
coefficient(const struct calib_matrix *m, const char *stat, const struct calib_coef_opts *co,
            struct calib_stats *tmp, struct calib_stat *res, struct calib_error *err)
{
	const struct calib_stat *r;
	enum calib_status st = CALIB_OK;

	memset(res, 0, sizeof *res);
	res->estimate = res->lower = res->upper = res->se = NAN;
	calib_stats_clear(tmp);
	if (m->n_items == 0) {
		calib_stat_note(res, "no scores");
		return CALIB_OK;
	}
	st = calib_family_run(m, calib_registry_family(stat), co, tmp, err);
	if (st)
		return st;
	if (!(r = calib_stats_find(tmp, stat))) {
		calib_stat_note(res, "%s does not apply (%zu raters)", stat, m->n_raters);
		return CALIB_OK;
	}
	*res = *r;
	calib_registry_headline_fix(res, m);
	calib_registry_tidy(res);
	if (!isnan(res->estimate) && !res->note[0] && m->n_raters < 2)
		calib_stat_note(res, "one rater");
	return CALIB_OK;
}

/* Items of the store whose session is one of ids[0..n). */
static bool *
session_mask(const struct calib_store *s, const uint32_t *ids, size_t n)
{
	size_t ns = calib_names_count(s->sessions);
	bool *in = calloc(ns ? ns : 1, sizeof *in);
	bool *mask = calloc(s->n_items ? s->n_items : 1, sizeof *mask);

	if (!in || !mask) {
		free(in);
		free(mask);
		return NULL;
	}
	for (size_t k = 0; k < n; k++)
		if (ids[k] < ns)
			in[ids[k]] = true;
	for (size_t i = 0; i < s->n_items; i++)
		mask[i] = in[s->item_session[i]];
	free(in);
	return mask;
}

/*
 * The matrix of criterion crit, or of the TOTAL scores total[] (one per
 * evaluation) when crit is CALIB_NONE, on the items mo selects.
 */
static enum calib_status
crit_matrix(const struct calib_store *s, uint32_t crit, const double *total,
            const struct calib_matrix_opts *mo, struct calib_matrix **out)
{
	if (crit == CALIB_NONE)
		return calib_matrix_from_evals(s, total, CALIB_SCALE_INTERVAL, mo, out);
	return calib_matrix_build(s, crit, mo, out);
}

static enum calib_status
group_matrix(const struct calib_store *s, uint32_t crit, const double *total,
             const uint32_t *ids, size_t n, const struct calib_drift_opts *o,
             struct calib_matrix **out)
{
	struct calib_matrix_opts mo;
	bool *mask = session_mask(s, ids, n);
	enum calib_status st;

	*out = NULL;
	if (!mask)
		return CALIB_ENOMEM;
	calib_matrix_opts_init(&mo);
	mo.complete = o->complete;
	mo.na = o->na;
	mo.item_mask = mask;
	st = crit_matrix(s, crit, total, &mo, out);
	free(mask);
	return st;
}

/* A unit of the bootstrap: rows of a and rows of b drawn together. */
struct unit {
	size_t a_off, a_n, b_off, b_n;
};

/* Growing array of row indices. */
struct rows {
	size_t *v, n, cap;
};

static bool
rows_push(struct rows *r, size_t x)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		size_t *g = realloc(r->v, cap * sizeof *g);
		if (!g)
			return false;
		r->v = g;
		r->cap = cap;
	}
	r->v[r->n++] = x;
	return true;
}

struct plan {
	struct unit *unit;
	size_t n_units;
	size_t *stratum; /* n_strata + 1 boundaries into unit[] */
	size_t n_strata;
	struct rows flat_a, flat_b;
};

static void
plan_free(struct plan *p)
{
	free(p->unit);
	free(p->stratum);
	free(p->flat_a.v);
	free(p->flat_b.v);
}

/*
 * Strata and units of the difference bootstrap: the calls in both matrices
 * first (one unit per call name with all its rows in a and in b), then
 * each session of a, then each of b, one unit per remaining row.
 */
static enum calib_status
make_plan(const struct calib_store *s, const struct calib_matrix *A, const uint32_t *ga,
          size_t na, const struct calib_matrix *B, const uint32_t *gb, size_t nb,
          struct plan *p, size_t *n_shared)
{
	size_t nc = calib_names_count(s->calls);
	unsigned char *where = calloc(nc ? nc : 1, 1); /* bit 1: in a, bit 2: in b */
	size_t *first = NULL;
	size_t cap_units = A->n_items + B->n_items + 1;
	enum calib_status st = CALIB_ENOMEM;

	memset(p, 0, sizeof *p);
	*n_shared = 0;
	p->unit = malloc(cap_units * sizeof *p->unit);
	p->stratum = malloc((na + nb + 2) * sizeof *p->stratum);
	first = malloc((nc ? nc : 1) * sizeof *first);
	/* every row of a and b lands once in the flat arrays */
	p->flat_a.cap = A->n_items + 1;
	p->flat_b.cap = B->n_items + 1;
	p->flat_a.v = malloc(p->flat_a.cap * sizeof *p->flat_a.v);
	p->flat_b.v = malloc(p->flat_b.cap * sizeof *p->flat_b.v);
	if (!where || !p->unit || !p->stratum || !first || !p->flat_a.v || !p->flat_b.v)
		goto out;
	for (size_t i = 0; i < A->n_items; i++)
		where[s->item_call[A->item[i]]] |= 1;
	for (size_t i = 0; i < B->n_items; i++)
		where[s->item_call[B->item[i]]] |= 2;
	/* shared calls, in order of first appearance in a */
	p->stratum[p->n_strata++] = 0;
	for (size_t c = 0; c < nc; c++)
		first[c] = SIZE_MAX;
	for (size_t i = 0; i < A->n_items; i++) {
		uint32_t c = s->item_call[A->item[i]];
		if (where[c] != 3)
			continue;
		if (first[c] == SIZE_MAX) {
			first[c] = p->n_units;
			p->unit[p->n_units++] = (struct unit){0, 0, 0, 0};
		}
	}
	*n_shared = p->n_units;
	if (p->n_units) {
		/* rows grouped by unit: two passes over each matrix */
		size_t *cnt_a = calloc(p->n_units, sizeof *cnt_a);
		size_t *cnt_b = calloc(p->n_units, sizeof *cnt_b);
		if (!cnt_a || !cnt_b) {
			free(cnt_a);
			free(cnt_b);
			goto out;
		}
		for (size_t i = 0; i < A->n_items; i++) {
			uint32_t c = s->item_call[A->item[i]];
			if (where[c] == 3)
				p->unit[first[c]].a_n++;
		}
		for (size_t i = 0; i < B->n_items; i++) {
			uint32_t c = s->item_call[B->item[i]];
			if (where[c] == 3)
				p->unit[first[c]].b_n++;
		}
		for (size_t u = 0; u < p->n_units; u++) {
			p->unit[u].a_off = p->flat_a.n;
			p->unit[u].b_off = p->flat_b.n;
			p->flat_a.n += p->unit[u].a_n;
			p->flat_b.n += p->unit[u].b_n;
		}
		for (size_t i = 0; i < A->n_items; i++) {
			uint32_t c = s->item_call[A->item[i]];
			if (where[c] == 3) {
				struct unit *u = &p->unit[first[c]];
				p->flat_a.v[u->a_off + cnt_a[first[c]]++] = i;
			}
		}
		for (size_t i = 0; i < B->n_items; i++) {
			uint32_t c = s->item_call[B->item[i]];
			if (where[c] == 3) {
				struct unit *u = &p->unit[first[c]];
				p->flat_b.v[u->b_off + cnt_b[first[c]]++] = i;
			}
		}
		free(cnt_a);
		free(cnt_b);
	}
	/* the other calls, within their session */
	for (size_t g = 0; g < 2; g++) {
		const struct calib_matrix *M = g ? B : A;
		const uint32_t *ids = g ? gb : ga;
		size_t n = g ? nb : na;
		struct rows *flat = g ? &p->flat_b : &p->flat_a;
		for (size_t k = 0; k < n; k++) {
			/* a session named twice in a group is drawn once */
			bool dup = false;
			for (size_t j = 0; j < k; j++)
				dup = dup || ids[j] == ids[k];
			p->stratum[p->n_strata++] = p->n_units;
			for (size_t i = 0; i < M->n_items && !dup; i++) {
				uint32_t it = M->item[i];
				struct unit u = {0, 0, 0, 0};
				if (s->item_session[it] != ids[k] ||
				    where[s->item_call[it]] == 3)
					continue;
				if (g) {
					u.b_off = flat->n;
					u.b_n = 1;
				} else {
					u.a_off = flat->n;
					u.a_n = 1;
				}
				if (!rows_push(flat, i))
					goto out;
				p->unit[p->n_units++] = u;
			}
		}
	}
	p->stratum[p->n_strata] = p->n_units;
	st = CALIB_OK;
out:
	free(where);
	free(first);
	if (st)
		plan_free(p);
	return st;
}

static int
cmp_dbl(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/*
 * The replicates of one statistic on one matrix, as calib-agree's
 * bootstrap draws them: from the family's per-call sufficient statistics
 * where it keeps them (agreement, ICC, alpha: a replicate costs the rows
 * drawn, no matrix built, and gives the value re-running the family on the
 * resampled matrix gives, to rounding), else by resampling the matrix and
 * re-running the family.
 */
struct replicates {
	const struct calib_matrix *m;
	const char *stat;
	int pick; /* the statistic's number in agree or icc */
	struct calib_agreement_calls *agree;
	struct calib_icc_calls *icc;
	struct calib_alpha_calls *alpha;
	struct calib_matrix *r; /* the resampled matrix, otherwise */
};

static void
replicates_free(struct replicates *p)
{
	calib_agreement_calls_free(p->agree);
	calib_icc_calls_free(p->icc);
	calib_alpha_calls_free(p->alpha);
	calib_matrix_free(p->r);
	memset(p, 0, sizeof *p);
}

static enum calib_status
replicates_init(struct replicates *p, const struct calib_matrix *m, const char *stat,
                const struct calib_coef_opts *co, struct calib_error *err)
{
	const struct calib_stat_info *e;
	enum calib_status st = CALIB_OK;

	memset(p, 0, sizeof *p);
	p->m = m;
	p->stat = stat;
	switch (calib_registry_family(stat)) {
	case CALIB_FAMILY_AGREEMENT:
		if (!(st = calib_agreement_calls_build(m, co, &p->agree, err)) &&
		    (p->pick = calib_agreement_calls_pick(p->agree, stat)) < 0) {
			calib_agreement_calls_free(p->agree);
			p->agree = NULL;
		}
		break;
	case CALIB_FAMILY_ICC:
		if (!(st = calib_icc_calls_build(m, co, &p->icc, err)) &&
		    (p->pick = calib_icc_calls_pick(stat)) < 0) {
			calib_icc_calls_free(p->icc);
			p->icc = NULL;
		}
		break;
	case CALIB_FAMILY_ALPHA:
		if ((e = calib_registry_named(stat, strlen(stat))) && e->alpha_level >= 0)
			st = calib_alpha_calls_build(m, (enum calib_alpha_level)e->alpha_level,
			                             &p->alpha, err);
		break;
	default:
		break;
	}
	if (st == CALIB_EARG) /* does not apply: the family says so on each replicate */
		st = CALIB_OK;
	if (st)
		replicates_free(p);
	return st;
}

/* The statistic on the rows rows[0..n) of p's matrix into *est (NAN: undefined). */
static enum calib_status
replicates_draw(struct replicates *p, const size_t *rows, size_t n,
                const struct calib_coef_opts *co, struct calib_stats *tmp, double *est,
                struct calib_error *err)
{
	struct calib_stat rs;
	enum calib_status st;

	*est = NAN;
	if (p->agree) {
		calib_agreement_calls_resample(p->agree, rows, NULL, n);
		*est = calib_agreement_calls_estimate(p->agree, p->pick);
	} else if (p->icc) {
		calib_icc_calls_resample(p->icc, rows, n);
		*est = calib_icc_calls_estimate(p->icc, p->pick);
	} else if (p->alpha) {
		calib_alpha_calls_resample(p->alpha, rows, n);
		*est = calib_alpha_calls_estimate(p->alpha);
	} else {
		if ((st = calib_matrix_resample(p->m, rows, n, &p->r)) ||
		    (st = coefficient(p->r, p->stat, co, tmp, &rs, err)))
			return st;
		*est = rs.estimate;
	}
	if (!isfinite(*est) || n == 0)
		*est = NAN;
	/* as coefficient() makes it: every drawn call scored alike is 1 */
	if (isnan(*est) && !p->r && calib_registry_perfect_rows(p->m, rows, n))
		*est = 1;
	return CALIB_OK;
}

/*
 * A session's coefficient r without an analytic interval (Krippendorff's
 * ordinal alpha, Light's kappa, unanimous agreement) gets a percentile
 * bootstrap one over the session's calls m: o->boot replicates, each
 * drawing n calls with gsl_rng_uniform_int from one gsl_rng_mt19937
 * seeded with o->seed, the statistic from per-call sufficient statistics
 * where its family keeps them (else re-run, within
 * CALIB_REGISTRY_BOOT_BUDGET). Its note says so; --boot 0 leaves it none.
 */
static enum calib_status
boot_interval(const struct calib_matrix *m, const char *stat, const struct calib_drift_opts *o,
              struct calib_stats *tmp, struct calib_stat *r, struct calib_error *err)
{
	struct replicates p;
	gsl_rng *rng = NULL;
	double *rep = NULL, est;
	size_t *rows = NULL, n = m->n_items, nd = 0;
	enum calib_status st;

	if (o->boot == 0 || n == 0 || !isfinite(r->estimate) ||
	    (!isnan(r->lower) && !isnan(r->upper)))
		return CALIB_OK;
	if ((st = replicates_init(&p, m, stat, &o->coef, err)))
		return st;
	if (!p.agree && !p.icc && !p.alpha &&
	    (double)m->n_scores * (double)o->boot > CALIB_REGISTRY_BOOT_BUDGET) {
		calib_stat_note_add(r, "no bootstrap CI: %s is re-run on each replicate, too slow "
		                       "on %zu calls",
		                    stat, n);
		replicates_free(&p);
		return CALIB_OK;
	}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	rep = malloc(o->boot * sizeof *rep);
	rows = malloc(n * sizeof *rows);
	if (!rng || !rep || !rows) {
		st = CALIB_ENOMEM;
		goto out;
	}
	gsl_rng_set(rng, o->seed);
	for (size_t b = 0; b < o->boot; b++) {
		for (size_t i = 0; i < n; i++)
			rows[i] = (size_t)gsl_rng_uniform_int(rng, (unsigned long)n);
		if ((st = replicates_draw(&p, rows, n, &o->coef, tmp, &est, err)))
			goto out;
		if (!isnan(est))
			rep[nd++] = est;
	}
	if (nd >= 2) {
		double lvl = (1 - o->coef.conf) / 2;
		qsort(rep, nd, sizeof *rep, cmp_dbl);
		r->lower = gsl_stats_quantile_from_sorted_data(rep, 1, nd, lvl);
		r->upper = gsl_stats_quantile_from_sorted_data(rep, 1, nd, 1 - lvl);
		r->se = gsl_stats_sd(rep, 1, nd);
		calib_stat_note_add(r, "bootstrap CI: %zu replicates over calls, seed %lu", o->boot,
		                    o->seed);
		calib_registry_clip(r);
	} else
		calib_stat_note_add(r, "no bootstrap CI: fewer than 2 of %zu replicates defined",
		                    o->boot);
out:
	replicates_free(&p);
	gsl_rng_free(rng);
	free(rep);
	free(rows);
	return st;
}

/* calib_drift_diff, with the TOTAL scores already made when crit is CALIB_NONE */
static enum calib_status
group_diff(const struct calib_store *s, uint32_t crit, const double *total, const uint32_t *a,
           size_t na, const uint32_t *b, size_t nb, const struct calib_drift_opts *o,
           struct calib_drift_diff *res, struct calib_error *err)
{
	struct calib_matrix *A = NULL, *B = NULL;
	struct replicates pa = {0}, pb = {0};
	struct calib_stats tmp;
	struct calib_stat ra, rb;
	struct plan p;
	struct rows sa = {0}, sb = {0};
	double *rep = NULL;
	gsl_rng *rng = NULL;
	const char *stat;
	enum calib_status st;
	bool planned = false;

	memset(res, 0, sizeof *res);
	res->a = res->b = res->diff = res->lower = res->upper = res->se = NAN;
	if (crit >= s->n_criteria && crit != CALIB_NONE)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "no criterion %u", crit);
	stat = crit == CALIB_NONE ? calib_drift_total_stat(o)
	       : o->stat          ? o->stat
	                          : calib_registry_headline(s->criteria[crit].scale);
	if (!known(stat))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "unknown statistic '%s'",
		                       stat);
	res->stat = stat;
	calib_stats_init(&tmp);
	if ((st = group_matrix(s, crit, total, a, na, o, &A)) ||
	    (st = group_matrix(s, crit, total, b, nb, o, &B)))
		goto out;
	if ((st = coefficient(A, stat, &o->coef, &tmp, &ra, err)) ||
	    (st = coefficient(B, stat, &o->coef, &tmp, &rb, err)))
		goto out;
	res->a = ra.estimate;
	res->b = rb.estimate;
	/* the calls the coefficient rests on (ICC: the complete ones), as in the series */
	res->n_calls_a = ra.n_items > 0 ? ra.n_items : A->n_items;
	res->n_calls_b = rb.n_items > 0 ? rb.n_items : B->n_items;
	res->n_raters_a = A->n_raters;
	res->n_raters_b = B->n_raters;
	if (isnan(res->a) || isnan(res->b)) {
		char why[CALIB_STAT_NOTE];
		memcpy(why, isnan(res->a) ? ra.note : rb.note, sizeof why);
		calib_stat_note(&ra, "%s undefined in the %s group%s%.100s", stat,
		                isnan(res->a) ? "first" : "second", why[0] ? ": " : "", why);
		memcpy(res->note, ra.note, sizeof res->note);
		goto out;
	}
	res->diff = res->b - res->a;
	if ((st = make_plan(s, A, a, na, B, b, nb, &p, &res->n_shared)))
		goto out;
	planned = true;
	if (o->boot == 0)
		goto out;
	rep = malloc(o->boot * sizeof *rep);
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rep || !rng) {
		st = CALIB_ENOMEM;
		goto out;
	}
	if ((st = replicates_init(&pa, A, stat, &o->coef, err)) ||
	    (st = replicates_init(&pb, B, stat, &o->coef, err)))
		goto out;
	gsl_rng_set(rng, o->seed);
	for (size_t r = 0; r < o->boot; r++) {
		double ea, eb;
		sa.n = sb.n = 0;
		for (size_t k = 0; k < p.n_strata; k++) {
			size_t lo = p.stratum[k], n = p.stratum[k + 1] - lo;
			for (size_t j = 0; j < n; j++) {
				const struct unit *u =
				        &p.unit[lo +
				                gsl_rng_uniform_int(rng, (unsigned long)n)];
				for (size_t t = 0; t < u->a_n; t++)
					if (!rows_push(&sa, p.flat_a.v[u->a_off + t]))
						goto nomem;
				for (size_t t = 0; t < u->b_n; t++)
					if (!rows_push(&sb, p.flat_b.v[u->b_off + t]))
						goto nomem;
			}
		}
		if ((st = replicates_draw(&pa, sa.v, sa.n, &o->coef, &tmp, &ea, err)) ||
		    (st = replicates_draw(&pb, sb.v, sb.n, &o->coef, &tmp, &eb, err)))
			goto out;
		res->n_boot++;
		if (!isnan(ea) && !isnan(eb))
			rep[res->n_defined++] = eb - ea;
	}
	if (res->n_defined >= 2) {
		double lvl = (1 - o->coef.conf) / 2;
		qsort(rep, res->n_defined, sizeof *rep, cmp_dbl);
		res->lower = gsl_stats_quantile_from_sorted_data(rep, 1, res->n_defined, lvl);
		res->upper =
		        gsl_stats_quantile_from_sorted_data(rep, 1, res->n_defined, 1 - lvl);
		res->se = gsl_stats_sd(rep, 1, res->n_defined);
	}
	if (res->n_defined < res->n_boot)
		snprintf(res->note, sizeof res->note, "%zu of %zu replicates undefined",
		         res->n_boot - res->n_defined, res->n_boot);
	goto out;
nomem:
	st = CALIB_ENOMEM;
out:
	if (planned)
		plan_free(&p);
	gsl_rng_free(rng);
	free(rep);
	free(sa.v);
	free(sb.v);
	calib_matrix_free(A);
	calib_matrix_free(B);
	replicates_free(&pa);
	replicates_free(&pb);
	calib_stats_free(&tmp);
	if (st == CALIB_ENOMEM)
		calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	return st;
}

enum calib_status
calib_drift_diff(const struct calib_store *s, uint32_t crit, const uint32_t *a, size_t na,
                 const uint32_t *b, size_t nb, const struct calib_drift_opts *o,
                 struct calib_drift_diff *res, struct calib_error *err)
{
	double *total = NULL;
	enum calib_status st;

	if (crit == CALIB_NONE && !(total = calib_report_totals(s, 1))) {
		memset(res, 0, sizeof *res);
		res->a = res->b = res->diff = res->lower = res->upper = res->se = NAN;
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	st = group_diff(s, crit, total, a, na, b, nb, o, res, err);
	free(total);
	return st;
}

/*
 * Index of session label (len bytes) among the n sessions of s, which are
 * in session order by id, or SIZE_MAX. A date in another spelling names
 * the session of its canonical name.
 */
static size_t
find_session(const struct calib_store *s, const char *label, size_t len,
             const char *date_format)
{
	size_t n = calib_names_count(s->sessions);
	char text[128], name[CALIB_DATE_NAME];
	const char *p = text;
	struct calib_date date;
	size_t bad;

	for (uint32_t i = 0; i < n; i++) {
		const char *have = calib_names_get(s->sessions, i);
		if (strlen(have) == len && memcmp(have, label, len) == 0)
			return i;
	}
	if (len >= sizeof text)
		return SIZE_MAX;
	memcpy(text, label, len);
	text[len] = '\0';
	if (calib_dates_read(&p, 1, date_format, &date, &bad, NULL) || bad != SIZE_MAX)
		return SIZE_MAX;
	calib_dates_name(&date, name, sizeof name);
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(calib_names_get(s->sessions, i), name) == 0)
			return i;
	return SIZE_MAX;
}

/*
 * One side of a comparison, s[0..len): labels and FIRST..LAST ranges
 * separated by commas, into the session ids ids[0..*n) (room for every
 * session once per item). CALIB_OK or CALIB_EARG with the message in err.
 */
static enum calib_status
parse_group(const struct calib_store *s, const char *spec, size_t len, const char *date_format,
            uint32_t *ids, size_t *n, struct calib_error *err)
{
	const char *end = spec + len;

	*n = 0;
	while (spec < end) {
		const char *comma = memchr(spec, ',', (size_t)(end - spec));
		const char *stop = comma ? comma : end;
		const char *dots = NULL;
		size_t a, b;
		for (const char *q = spec; q + 1 < stop; q++)
			if (q[0] == '.' && q[1] == '.') {
				dots = q;
				break;
			}
		a = find_session(s, spec, (size_t)((dots ? dots : stop) - spec), date_format);
		b = dots ? find_session(s, dots + 2, (size_t)(stop - dots - 2), date_format) : a;
		if (a == SIZE_MAX || b == SIZE_MAX) {
			const char *bad = a == SIZE_MAX ? spec : dots + 2;
			size_t blen = a == SIZE_MAX ? (size_t)((dots ? dots : stop) - spec)
			                            : (size_t)(stop - dots - 2);
			return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "no session '%.*s'",
			                       (int)blen, bad);
		}
		if (a > b)
			return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
			                       "'%.*s' runs backwards in session order",
			                       (int)(stop - spec), spec);
		for (size_t i = a; i <= b; i++)
			ids[(*n)++] = (uint32_t)i;
		spec = comma ? comma + 1 : end;
	}
	if (*n == 0)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "empty group");
	return CALIB_OK;
}

void
calib_drift_comparison_free(struct calib_drift_comparison *c)
{
	if (!c)
		return;
	free(c->group_a);
	free(c->group_b);
	free(c->a);
	free(c->b);
	free(c->criterion);
	free(c->row);
	free(c);
}

enum calib_status
calib_drift_groups(const struct calib_store *s, const char *spec, const char *date_format,
                   struct calib_drift_comparison **out, struct calib_error *err)
{
	const char *colon = strchr(spec, ':');
	struct calib_drift_comparison *c;
	size_t cap = 0, len_a;
	enum calib_status st;

	*out = NULL;
	if (!colon || strchr(colon + 1, ':'))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "expected GROUP:GROUP, not '%s'", spec);
	len_a = (size_t)(colon - spec);
	/* a group lists at most every session once per comma */
	for (const char *q = spec; *q; q++)
		cap += *q == ',';
	cap = (cap + 2) * (calib_names_count(s->sessions) + 1);
	if (!(c = calloc(1, sizeof *c)) || !(c->a = malloc(cap * sizeof *c->a)) ||
	    !(c->b = malloc(cap * sizeof *c->b)) || !(c->group_a = strndup(spec, len_a)) ||
	    !(c->group_b = strdup(colon + 1))) {
		calib_drift_comparison_free(c);
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if ((st = parse_group(s, spec, len_a, date_format, c->a, &c->na, err)) ||
	    (st = parse_group(s, colon + 1, strlen(colon + 1), date_format, c->b, &c->nb, err))) {
		calib_drift_comparison_free(c);
		return st;
	}
	*out = c;
	return CALIB_OK;
}

enum calib_status
calib_drift_compare(const struct calib_store *s, const struct calib_drift_opts *o,
                    struct calib_drift_comparison *c, struct calib_error *err)
{
	size_t n = s->n_criteria + (o->total && calib_report_total_applies(s));

	c->boot = o->boot;
	c->seed = o->seed;
	c->n_rows = 0;
	free(c->criterion);
	free(c->row);
	c->row = malloc(n * sizeof *c->row);
	c->criterion = malloc(n * sizeof *c->criterion);
	if (!c->row || !c->criterion)
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	/* the criteria, then the TOTAL as in the series */
	for (size_t k = 0; k < n; k++) {
		uint32_t crit = k < s->n_criteria ? (uint32_t)k : CALIB_NONE;
		enum calib_status st;
		if (err)
			calib_error_clear(err);
		if ((st = calib_drift_diff(s, crit, c->a, c->na, c->b, c->nb, o, &c->row[k],
		                           err)))
			return st;
		c->criterion[k] = crit == CALIB_NONE ? "TOTAL" : s->criteria[k].name;
		c->n_rows = k + 1;
	}
	return CALIB_OK;
}

void
calib_drift_free(struct calib_drift *d)
{
	if (!d)
		return;
	free(d->order);
	free(d->session);
	free(d->trend);
	free(d->point);
	free(d->rater);
	free(d);
}

/* Append "; text" (or text) to the note buf of n bytes, cut to fit. */
static void __attribute__((format(printf, 3, 4)))
note_add(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len && len + 2 < n) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

/* Least-squares slope of the defined points among the last K sessions. */
static void
trend(struct calib_drift *d, size_t c)
{
	struct calib_drift_trend *t = &d->trend[c];
	size_t k = d->window < d->n_sessions ? d->window : d->n_sessions;
	double x[64], y[64], w[64];
	size_t n = 0;
	bool weighted = true;

	t->slope = t->slope_se = NAN;
	t->latest = SIZE_MAX;
	for (size_t i = d->n_sessions; i-- > 0;)
		if (calib_drift_at(d, c, i)->present) {
			t->latest = i;
			break;
		}
	if (k > 64)
		k = 64;
	for (size_t i = d->n_sessions - k; i < d->n_sessions; i++) {
		const struct calib_drift_point *p = calib_drift_at(d, c, i);
		if (p->present && !isnan(p->estimate)) {
			x[n] = (double)i;
			w[n] = 1 / (p->se * p->se);
			weighted = weighted && p->se > 0 && isfinite(w[n]);
			y[n++] = p->estimate;
		}
	}
	t->n_points = n;
	t->weighted = weighted && n >= 2;
	if (n >= 2) {
		double c0, c1, cov00, cov01, cov11, sumsq;
		/*
		 * Each session weighted by its precision 1/SE^2, the SE of the
		 * slope then from those variances (weighted least squares,
		 * gsl_fit_wlinear); a session without an SE > 0 (perfect
		 * agreement, one call) leaves an unweighted, descriptive slope.
		 */
		int r = t->weighted ? gsl_fit_wlinear(x, 1, w, 1, y, 1, n, &c0, &c1, &cov00,
		                                      &cov01, &cov11, &sumsq)
		                    : gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01,
		                                     &cov11, &sumsq);
		if (r == 0) {
			t->slope = c1;
			if ((n >= 3 || t->weighted) && isfinite(cov11))
				t->slope_se = sqrt(cov11);
		}
	}
}

enum calib_status
calib_drift_run(const struct calib_store *s, const struct calib_drift_opts *o,
                struct calib_drift **out, struct calib_error *err)
{
	struct calib_drift *d;
	struct calib_stats tmp;
	struct calib_matrix *m = NULL;
	struct calib_matrix_opts mo;
	enum calib_status st = CALIB_OK;
	double *total = NULL;

	*out = NULL;
	if (o->stat && !known(o->stat))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "unknown statistic '%s'",
		                       o->stat);
	if (o->window < 2)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "the window needs at least 2 sessions");
	if (!(d = calloc(1, sizeof *d)))
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	calib_stats_init(&tmp);
	d->seed = o->seed;
	d->boot = o->boot;
	d->window = o->window;
	d->conf = o->coef.conf;
	if ((st = calib_drift_order(s, &d->order, &d->dated)))
		goto fail;
	d->n_sessions = calib_names_count(s->sessions);
	for (size_t i = 0; o->store_order && i < d->n_sessions; i++)
		d->order[i] = (uint32_t)i;
	d->total = o->total && calib_report_total_applies(s);
	d->n_criteria = s->n_criteria + d->total;
	if (d->total && !(total = calib_report_totals(s, 1))) {
		st = CALIB_ENOMEM;
		goto fail;
	}
	d->session = malloc((d->n_sessions ? d->n_sessions : 1) * sizeof *d->session);
	d->trend = calloc(d->n_criteria ? d->n_criteria : 1, sizeof *d->trend);
	d->point = calloc(d->n_criteria * d->n_sessions + 1, sizeof *d->point);
	if (!d->session || !d->trend || !d->point) {
		st = CALIB_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < d->n_sessions; i++)
		d->session[i] = calib_names_get(s->sessions, d->order[i]);
	calib_matrix_opts_init(&mo);
	mo.complete = o->complete;
	mo.na = o->na;
	for (size_t c = 0; c < d->n_criteria; c++) {
		/* the TOTAL, after the criteria */
		uint32_t crit = c < s->n_criteria ? (uint32_t)c : CALIB_NONE;
		const char *stat = crit == CALIB_NONE ? calib_drift_total_stat(o)
		                   : o->stat          ? o->stat
		                                      : calib_registry_headline(s->criteria[c].scale);
		size_t prev = SIZE_MAX;
		d->trend[c].criterion = crit == CALIB_NONE ? "TOTAL" : s->criteria[c].name;
		d->trend[c].stat = stat;
		for (size_t i = 0; i < d->n_sessions; i++) {
			struct calib_drift_point *p = calib_drift_at(d, c, i);
			struct calib_stat r;
			mo.session = d->order[i];
			p->estimate = p->lower = p->upper = p->se = NAN;
			p->change = p->change_lower = p->change_upper = NAN;
			p->prev = SIZE_MAX;
			if ((st = crit_matrix(s, crit, total, &mo, &m)))
				goto fail;
			p->present = m->n_scores > 0;
			p->n_calls = m->n_items;
			p->n_raters = m->n_raters;
			if (p->present) {
				if ((st = coefficient(m, stat, &o->coef, &tmp, &r, err)) ||
				    (st = boot_interval(m, stat, o, &tmp, &r, err)))
					goto fail;
				p->estimate = r.estimate;
				p->lower = r.lower;
				p->upper = r.upper;
				p->se = r.se;
				/* the calls the coefficient rests on (ICC: complete ones) */
				if (r.n_items > 0)
					p->n_calls = r.n_items;
				snprintf(p->note, sizeof p->note, "%s", r.note);
			} else
				snprintf(p->note, sizeof p->note, "not scored in this session");
			calib_matrix_free(m);
			m = NULL;
			if (isnan(p->estimate))
				continue;
			p->prev = prev;
			if (prev != SIZE_MAX) {
				struct calib_drift_diff df;
				if ((st = group_diff(s, crit, total, &d->order[prev], 1,
				                     &d->order[i], 1, o, &df, err)))
					goto fail;
				p->change = df.diff;
				p->change_lower = df.lower;
				p->change_upper = df.upper;
				p->flag = df.lower > 0 ? 1 : df.upper < 0 ? -1 : 0;
				if (df.n_defined < df.n_boot) {
					size_t bad = df.n_boot - df.n_defined;
					/* more than 5% of the replicates left out: no flag */
					if (20 * bad > df.n_boot)
						p->flag = 0;
					note_add(p->note, sizeof p->note,
					                         "change: %zu of %zu replicates undefined%s",
					                         bad, df.n_boot,
					                         20 * bad > df.n_boot ? ", no up/down flag" : "");
				}
			}
			prev = i;
		}
		trend(d, c);
		if (o->progress)
			o->progress(o->progress_ctx, c + 1, d->n_criteria);
	}
	calib_stats_free(&tmp);
	free(total);
	*out = d;
	return CALIB_OK;
fail:
	calib_matrix_free(m);
	calib_stats_free(&tmp);
	free(total);
	calib_drift_free(d);
	if (st == CALIB_ENOMEM)
		calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	return st;
}

/* Does the value est with bounds [lo, hi] lie below min? */
static bool
below_min(double est, double hi, double min, bool on_estimate)
{
	return on_estimate || isnan(hi) ? est < min : hi < min;
}

size_t
calib_drift_alerts(const struct calib_drift *d, size_t last, double min, double max_drop,
                   bool on_estimate, struct calib_drift_alert *out, size_t cap)
{
	size_t n = 0;
	double z = gsl_cdf_ugaussian_Pinv(1 - (1 - (d->conf > 0 ? d->conf : 0.95)) / 2);

	if (last >= d->n_sessions)
		return 0;
	for (size_t c = 0; c < d->n_criteria; c++) {
		const struct calib_drift_point *p = calib_drift_at(d, c, last);
		if (!p->present || isnan(p->estimate))
			continue;
		if (!isnan(min) && below_min(p->estimate, p->upper, min, on_estimate)) {
			if (n < cap)
				out[n] = (struct calib_drift_alert){c,        false,   p->estimate,
				                                    NAN,      0,       p->lower,
				                                    p->upper};
			n++;
		}
		if (!isnan(max_drop)) {
			double sum = 0, var = p->se * p->se, drop, half, lo = NAN, hi = NAN;
			size_t k = 0, from = last > d->window ? last - d->window : 0;
			bool fire;
			for (size_t i = from; i < last; i++) {
				const struct calib_drift_point *q = calib_drift_at(d, c, i);
				if (q->present && !isnan(q->estimate)) {
					sum += q->estimate;
					var += q->se * q->se; /* divided by k^2 below */
					k++;
				}
			}
			if (k == 0)
				continue;
			drop = sum / (double)k - p->estimate;
			/* the latest session's variance counts whole, the others' over k^2 */
			var = p->se * p->se + (var - p->se * p->se) / ((double)k * (double)k);
			if (isfinite(var)) {
				half = z * sqrt(var);
				lo = drop - half;
				hi = drop + half;
			}
			fire = drop > max_drop && (on_estimate || isnan(lo) || lo > 0);
			if (fire) {
				if (n < cap)
					out[n] = (struct calib_drift_alert){
					        c, true, p->estimate, sum / (double)k, k, lo, hi};
				n++;
			}
		}
	}
	return n;
}

void
calib_drift_wilson(size_t k, size_t n, double conf, double *lo, double *hi)
{
	double z, p, dn, c, h, den;

	if (n == 0) {
		*lo = *hi = NAN;
		return;
	}
	/* Wilson (1927), JASA 22:209-212: the p with |p_hat - p| = z sqrt(p (1 - p) / n) */
	z = gsl_cdf_ugaussian_Pinv(1 - (1 - conf) / 2);
	dn = (double)n;
	p = (double)k / dn;
	den = 1 + z * z / dn;
	c = (p + z * z / (2 * dn)) / den;
	h = z * sqrt(p * (1 - p) / dn + z * z / (4 * dn * dn)) / den;
	*lo = k == 0 ? 0 : c - h;
	*hi = k == n ? 1 : c + h;
}

enum calib_status
calib_drift_raters(const struct calib_store *s, const struct calib_raters_opts *ro,
                   size_t window, struct calib_drift **out, struct calib_error *err)
{
	struct calib_drift *d;
	struct calib_raters_opts o = *ro;
	struct calib_raters *r = NULL;
	size_t nr = calib_names_count(s->raters), nc;
	uint32_t *col = NULL; /* store rater id -> series, CALIB_NONE for the expert */
	enum calib_status st = CALIB_ENOMEM;
	double z = gsl_cdf_ugaussian_Pinv(1 - (1 - ro->conf) / 2);

	*out = NULL;
	if (ro->expert == CALIB_NONE || ro->expert >= nr)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "calibration by rater needs a key or an expert");
	if (window < 2)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "the window needs at least 2 sessions");
	if (!(d = calloc(1, sizeof *d)))
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	nc = nr - 1;
	d->n_sessions = calib_names_count(s->sessions);
	d->n_criteria = nc;
	d->window = window;
	d->conf = ro->conf;
	d->order = malloc((d->n_sessions ? d->n_sessions : 1) * sizeof *d->order);
	d->session = malloc((d->n_sessions ? d->n_sessions : 1) * sizeof *d->session);
	d->trend = calloc(nc ? nc : 1, sizeof *d->trend);
	d->point = calloc(nc * d->n_sessions + 1, sizeof *d->point);
	d->rater = calloc(nc * d->n_sessions + 1, sizeof *d->rater);
	col = malloc(nr * sizeof *col);
	if (!d->order || !d->session || !d->trend || !d->point || !d->rater || !col)
		goto fail;
	for (uint32_t i = 0, k = 0; i < nr; i++) {
		col[i] = i == ro->expert ? CALIB_NONE : k;
		if (i != ro->expert) {
			d->trend[k].criterion = calib_names_get(s->raters, i);
			d->trend[k].stat = "calibration_score";
			k++;
		}
	}
	for (size_t i = 0; i < d->n_sessions; i++) {
		d->order[i] = (uint32_t)i;
		d->session[i] = calib_names_get(s->sessions, (uint32_t)i);
		o.session = (uint32_t)i;
		if ((st = calib_raters_run(s, &o, &r, err)))
			goto fail;
		for (size_t k = 0; k < r->n_raters; k++) {
			const struct calib_raters_summary *u = &r->sum[k];
			size_t c = col[u->rater];
			struct calib_drift_point *p = calib_drift_at(d, c, i);
			struct calib_drift_rater *x = &d->rater[c * d->n_sessions + i];
			p->present = u->n_items > 0;
			p->estimate = u->calibration;
			calib_drift_wilson(u->n_match, u->n_items, ro->conf, &p->lower,
			                   &p->upper);
			p->se = u->n_items ? sqrt(u->calibration * (1 - u->calibration) /
			                          (double)u->n_items)
			                   : NAN;
			p->n_calls = u->n;
			p->n_raters = 1;
			p->change = p->change_lower = p->change_upper = NAN;
			p->prev = SIZE_MAX;
			x->n_items = u->n_items;
			x->n_match = u->n_match;
			x->n_calls = u->n;
			x->bias = u->bias;
			x->bias_lower = u->lower;
			x->bias_upper = u->upper;
			x->pass = u->pass;
			if (!p->present)
				snprintf(p->note, sizeof p->note, "no item with a key score");
		}
		calib_raters_free(r);
		r = NULL;
	}
	for (size_t c = 0; c < nc; c++) {
		size_t prev = SIZE_MAX;
		for (size_t i = 0; i < d->n_sessions; i++) {
			struct calib_drift_point *p = calib_drift_at(d, c, i);
			if (!p->present)
				continue;
			p->prev = prev;
			if (prev != SIZE_MAX) {
				const struct calib_drift_point *q = calib_drift_at(d, c, prev);
				double h = z * sqrt(p->se * p->se + q->se * q->se);
				p->change = p->estimate - q->estimate;
				p->change_lower = p->change - h;
				p->change_upper = p->change + h;
				p->flag = p->change_lower > 0   ? 1
				          : p->change_upper < 0 ? -1
				                                : 0;
			}
			prev = i;
		}
		trend(d, c);
	}
	free(col);
	*out = d;
	return CALIB_OK;
fail:
	calib_raters_free(r);
	free(col);
	calib_drift_free(d);
	if (st == CALIB_ENOMEM)
		calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	return st;
}
