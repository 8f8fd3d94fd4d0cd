/*
 * report.c - analysis of every criterion of a store (report.h): builds each
 * criterion's matrix, runs the families its statistics belong to, keeps
 * the records asked for, adds bootstrap intervals and the warnings that
 * matter in QA rubrics. Criteria are independent, so they are shared out
 * over worker threads; the results are merged in criterion order.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "calib/agreement.h"
#include "calib/alpha.h"
#include "calib/icc.h"
#include "calib/kappa.h"
#include "calib/parallel.h"
#include "calib/registry.h"
#include "calib/report.h"
#include "calib/scorecard.h"
#include "calib/totals.h"

void
calib_report_opts_init(struct calib_report_opts *o)
{
	memset(o, 0, sizeof *o);
	o->families = CALIB_FAMILY_ALL;
	o->na = CALIB_NA_AUTO;
	calib_coef_opts_init(&o->coef);
	o->session = CALIB_NONE;
	o->total = true;
	o->headline_boot = 1000;
}

/* Is `name` in the comma list `list`? */
static bool
in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && strncmp(p, name, n) == 0)
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

/* Does a record belong to the selection? Companions follow their statistic. */
static bool
wanted(const struct calib_report_opts *o, const char *list, const char *name)
{
	enum calib_stat_kind kind = CALIB_KIND_COEFFICIENT;
	const struct calib_stat_info *e = calib_registry_find(name, &kind);
	bool all = o->stat && strcmp(o->stat, "all") == 0;
	bool companion = kind == CALIB_KIND_TEST || kind == CALIB_KIND_CATEGORY;

	if (!e || (companion && !o->detail))
		return false;
	return all ? (e->family & o->families) != 0 : in_list(list, e->name);
}

/* The families that produce the statistics of list. */
static unsigned
families_of(const struct calib_report_opts *o, const char *list)
{
	unsigned f = 0;
	if (o->stat && strcmp(o->stat, "all") == 0)
		return o->families;
	for (size_t i = 0; i < calib_registry_count(); i++)
		if (in_list(list, calib_registry_at(i)->name))
			f |= calib_registry_at(i)->family;
	return f;
}

/* One unit of work: a criterion (or the TOTAL) and what came of it. */
struct unit {
	uint32_t crit;    /* CALIB_NONE: a score of the scorecard */
	size_t score;     /* then its row: 0 the TOTAL, 1 + k section k */
	const char *name; /* then its name ("TOTAL", "section:<name>") */
	struct calib_report_row row;
	struct calib_stats stats;
	enum calib_status status;
	struct calib_error err;
};

struct job {
	const struct calib_store *s;
	const struct calib_report_opts *o;
	/*
	 * The TOTAL and section scores: made on every thread before the
	 * units run, freed by the last unit of a score once its matrix is
	 * built (under lock).
	 */
	struct calib_scorecard *sc;
	size_t sc_users_all; /* units of scores: the TOTAL and the sections' */
	size_t sc_users;    /* those that have not let it go */
	enum calib_status sc_status; /* of its making: CALIB_OK or CALIB_ENOMEM */
	struct unit *units;
	size_t n_units;
	unsigned inner; /* threads each unit's bootstrap may use: those the workers leave */
	struct calib_matrix **mats; /* per worker: the room its criteria's matrices reuse */
	atomic_size_t done;
	pthread_mutex_t lock;
};

static void
describe_levels(const struct calib_matrix *m, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < m->n_levels && len + 1 < n; k++) {
		char v[64];
		const char *t = m->label ? m->label[k] : calib_format_double(m->value[k], v, sizeof v);
		int w = snprintf(buf + len, n - len, "%s%s", k ? "|" : "", t);
		if (w < 0 || (size_t)w >= n - len) {
			snprintf(buf + (n > 4 ? n - 4 : 0), n > 4 ? 4 : n, "...");
			return;
		}
		len += (size_t)w;
	}
}

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A bootstrap's percentile interval and spread into s, the note saying so. */
static void
set_interval(struct calib_stat *s, double lower, double upper, double se,
	     const struct calib_report_opts *o)
{
	s->lower = lower;
	s->upper = upper;
	s->se = se;
	calib_stat_note_add(s, "bootstrap CI: %zu replicates over calls, seed %lu", o->boot,
			    o->seed);
}

/*
 * Percentile bootstrap over calls for every record kept: Krippendorff's
 * alpha through its own bootstrap, which resamples per-call sufficient
 * statistics; percent agreement, Fleiss' kappa, AC1/AC2 and
 * Brennan-Prediger from the agreement family's per-call sufficient
 * statistics (the same calls drawn, the same values as re-running the
 * family), drawing patterns of calls by a multinomial when only those are
 * left and the patterns are at most a quarter of the calls; the ICCs from
 * the complete calls counted as drawn (calib_icc_calls); Light's kappa
 * from the drawn calls counted per pattern of scores (calib_light_calls, the
 * same calls drawn, the same values as re-running it); any other
 * statistic by resampling the matrix's rows and
 * re-running its family (cost O(scores) and a matrix per replicate).
 */
static enum calib_status
bootstrap(const struct calib_matrix *m, unsigned mask, const struct calib_report_opts *o,
	  const struct calib_coef_opts *coef, unsigned threads, struct calib_stats *kept,
	  struct calib_alpha_boot ab[4], struct calib_error *err)
{
	size_t n = m->n_items, nk = kept->n, B = o->boot, n_generic = 0, n_slow = 0, n_pat = 0;
	size_t n_icc = 0;
	size_t *rows = malloc((n ? n : 1) * sizeof *rows);
	uint32_t *pat = NULL;
	unsigned *times = NULL;
	double *share = NULL;
	double *rep = malloc((B * nk > 0 ? B * nk : 1) * sizeof *rep);
	size_t *n_ok = calloc(nk ? nk : 1, sizeof *n_ok);
	bool *done = calloc(nk ? nk : 1, sizeof *done);
	int *fast = malloc((nk ? nk : 1) * sizeof *fast);         /* agreement's pick, or -1 */
	int *fast_icc = malloc((nk ? nk : 1) * sizeof *fast_icc); /* the ICC's pick, or -1 */
	bool *fast_light = calloc(nk ? nk : 1, sizeof *fast_light);
	size_t n_light = 0, n_light_pat = 0, n_fast = 0;
	struct calib_light_calls *light = NULL;
	struct calib_agreement_calls *calls = NULL;
	struct calib_icc_calls *icc = NULL;
	struct calib_matrix *r = NULL;
	struct calib_stats tmp;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	enum calib_status st = CALIB_OK;
	double a = (1 - o->coef.conf) / 2;

	calib_stats_init(&tmp);
	if (!rows || !rep || !n_ok || !done || !fast || !fast_icc || !fast_light || !rng) {
		st = CALIB_ENOMEM;
		goto out;
	}
	for (size_t k = 0; k < nk; k++) {
		struct calib_stat *s = &kept->v[k];
		int level = calib_registry_alpha_level(s);
		struct calib_alpha_boot res;
		if (level < 0 || !isfinite(s->estimate)) {
			n_generic += level < 0;
			done[k] = level >= 0;
			continue;
		}
		memset(&res, 0, sizeof res);
		res.threads = threads;
		if ((st = calib_alpha_bootstrap(m, (enum calib_alpha_level)level, B, o->seed,
						o->coef.conf, CALIB_ALPHA_TENTATIVE, &res, err)))
			goto out;
		ab[level] = res;
		if (res.n_defined >= 2)
			set_interval(s, res.lower, res.upper, res.sd, o);
		done[k] = true;
	}
	if (n_generic == 0)
		goto out;
	if ((mask & CALIB_FAMILY_AGREEMENT) &&
	    (st = calib_agreement_calls_build(m, coef, &calls, err)))
		goto out;
	if ((mask & CALIB_FAMILY_ICC) && (st = calib_icc_calls_build(m, coef, &icc, err)))
		goto out;
	for (size_t k = 0; k < nk; k++) {
		fast[k] = !done[k] && calls ? calib_agreement_calls_pick(calls, kept->v[k].name) : -1;
		fast_icc[k] = !done[k] && icc ? calib_icc_calls_pick(kept->v[k].name) : -1;
		fast_light[k] = !done[k] && fast[k] < 0 && fast_icc[k] < 0 &&
				strcmp(kept->v[k].name, "light_kappa") == 0;
		n_icc += fast_icc[k] >= 0;
		n_light += fast_light[k];
		n_fast += fast[k] >= 0;
		n_slow += !done[k] && fast[k] < 0 && fast_icc[k] < 0 && !fast_light[k];
	}
	if (n_light > 0 && (st = calib_light_calls_build(m, &light)))
		goto out;
	/*
	 * Light's kappa alone past the budget of drawing calls (where it used to
	 * be re-run, and the headline went without an interval): patterns of
	 * scores drawn by a multinomial, when at most a quarter of the calls.
	 * Below it the calls are drawn as ever, so the intervals stay the same.
	 */
	if (n_light > 0 && n_fast == 0 && n_icc == 0 && n_slow == 0 &&
	    (double)m->n_scores * (double)B > CALIB_REGISTRY_BOOT_BUDGET) {
		if (!(share = calloc(n + 1, sizeof *share)) || !(times = malloc((n + 1) * sizeof *times))) {
			st = CALIB_ENOMEM;
			goto out;
		}
		n_light_pat = calib_light_calls_patterns(light, share);
		if (!calib_patterns_drawn(n_light_pat, n))
			n_light_pat = 0;
	}
	mask &= ~(CALIB_FAMILY_ALPHA | CALIB_FAMILY_ICC);
	/*
	 * Only per-call statistics left, and calls of few patterns (a coarse
	 * scale): a replicate draws how often each pattern is drawn, one GSL
	 * multinomial over the patterns, the same resampling as drawing calls.
	 */
	if (n_slow == 0 && n_icc == 0 && n_light == 0 && calls && n >= 4) {
		if (!(pat = malloc(n * sizeof *pat)) || !(share = calloc(n, sizeof *share)) ||
		    !(times = malloc(n * sizeof *times))) {
			st = CALIB_ENOMEM;
			goto out;
		}
		if ((st = calib_matrix_patterns(m, pat, rows, &n_pat)))
			goto out;
		for (size_t i = 0; i < n; i++)
			share[pat[i]]++;
		if (!calib_patterns_drawn(n_pat, n))
			n_pat = 0; /* nearly as many patterns as calls: draw calls */
	}
	gsl_rng_set(rng, o->seed);
	for (size_t b = 0; b < B; b++) {
		if (n_light_pat > 0) {
			gsl_ran_multinomial(rng, n_light_pat, (unsigned)n, share, times);
			calib_light_calls_resample_patterns(light, times);
		} else if (n_pat > 0) {
			gsl_ran_multinomial(rng, n_pat, (unsigned)n, share, times);
			calib_agreement_calls_resample(calls, rows, times, n_pat);
		} else {
			for (size_t i = 0; i < n; i++)
				rows[i] = (size_t)gsl_rng_uniform_int(rng, n);
			if (calls)
				calib_agreement_calls_resample(calls, rows, NULL, n);
			if (n_icc > 0)
				calib_icc_calls_resample(icc, rows, n);
			if (n_light > 0)
				calib_light_calls_resample(light, rows, NULL, n);
		}
		calib_stats_clear(&tmp);
		if (n_slow > 0 && ((st = calib_matrix_resample(m, rows, n, &r)) ||
				   (st = calib_family_run(r, mask, coef, &tmp, err))))
			goto out;
		for (size_t k = 0; k < nk; k++) {
			const struct calib_stat *t;
			double est = NAN;
			if (done[k])
				continue;
			if (fast[k] >= 0)
				est = calib_agreement_calls_estimate(calls, fast[k]);
			else if (fast_icc[k] >= 0)
				est = calib_icc_calls_estimate(icc, fast_icc[k]);
			else if (fast_light[k])
				est = calib_light_calls_estimate(light);
			else if ((t = calib_stats_find(&tmp, kept->v[k].name)))
				est = t->estimate;
			if (isfinite(est))
				rep[k * B + n_ok[k]++] = est;
		}
		if (o->progress)
			o->progress(o->progress_ctx, b + 1, B);
	}
	for (size_t k = 0; k < nk; k++) {
		struct calib_stat *s = &kept->v[k];
		double *v = rep + k * B;
		if (done[k] || !isfinite(s->estimate) || n_ok[k] < 2)
			continue;
		qsort(v, n_ok[k], sizeof *v, cmp_dbl);
		set_interval(s, gsl_stats_quantile_from_sorted_data(v, 1, n_ok[k], a),
			     gsl_stats_quantile_from_sorted_data(v, 1, n_ok[k], 1 - a),
			     gsl_stats_sd(v, 1, n_ok[k]), o);
	}
out:
	calib_agreement_calls_free(calls);
	calib_icc_calls_free(icc);
	calib_light_calls_free(light);
	free(fast_icc);
	free(fast_light);
	calib_matrix_free(r);
	calib_stats_free(&tmp);
	gsl_rng_free(rng);
	free(pat);
	free(times);
	free(share);
	free(rows);
	free(rep);
	free(n_ok);
	free(done);
	free(fast);
	return st;
}

/*
 * Does statistic name replicate from per-call sufficient statistics (no
 * family re-run per replicate)? Cannot fail (false when out of memory).
 */
static bool
fast_replicates(const struct calib_matrix *m, const char *name,
		const struct calib_coef_opts *coef)
{
	struct calib_agreement_calls *calls = NULL;
	struct calib_error err;
	bool fast;

	if (calib_registry_family(name) & (CALIB_FAMILY_ALPHA | CALIB_FAMILY_ICC) ||
	    strcmp(name, "light_kappa") == 0)
		return true;
	if (!(calib_registry_family(name) & CALIB_FAMILY_AGREEMENT) ||
	    calib_agreement_calls_build(m, coef, &calls, &err) != CALIB_OK)
		return false;
	fast = calib_agreement_calls_pick(calls, name) >= 0;
	calib_agreement_calls_free(calls);
	return fast;
}

/* Does headline h get an interval from headline_interval()? Cannot fail. */
static bool
headline_wanted(const struct calib_matrix *m, const struct calib_report_opts *o,
		const struct calib_stat *h)
{
	return !(o->boot > 0 || o->headline_boot == 0 || m->n_items == 0 ||
		 !isfinite(h->estimate) || (!isnan(h->lower) && !isnan(h->upper)));
}

/*
 * A headline without an analytic interval (Krippendorff's ordinal alpha,
 * Light's kappa, unanimous agreement, or one that is undefined for the
 * data) gets a percentile bootstrap interval from o->headline_boot
 * replicates over calls seeded with o->seed, drawn as bootstrap() draws
 * them; its note says so. Nothing to do with --ci bootstrap (every record
 * has one) or an undefined estimate. An alpha's bootstrap lands in ab, so
 * that calib-alpha's _boot record of as many replicates reuses it.
 */
static enum calib_status
headline_interval(const struct calib_matrix *m, const struct calib_report_opts *o,
		  const struct calib_coef_opts *coef, unsigned threads, struct calib_stat *h,
		  struct calib_alpha_boot ab[4], struct calib_error *err)
{
	struct calib_report_opts bo = *o;
	struct calib_stats one;
	enum calib_status st;

	if (!headline_wanted(m, o, h))
		return CALIB_OK;
	bo.boot = o->headline_boot;
	bo.progress = NULL;
	if (!fast_replicates(m, h->name, coef) &&
	    (double)m->n_scores * (double)bo.boot > CALIB_REGISTRY_BOOT_BUDGET) {
		calib_stat_note_add(h, "no bootstrap CI: %s is re-run on each replicate, too slow "
				       "on %zu calls (--ci bootstrap gives one)", h->name, m->n_items);
		return CALIB_OK;
	}
	calib_stats_init(&one);
	if (!calib_stats_push(&one, "%s", h->name))
		return CALIB_ENOMEM;
	one.v[0] = *h;
	st = bootstrap(m, calib_registry_family(h->name), &bo, coef, threads, &one, ab, err);
	if (st == CALIB_OK) {
		*h = one.v[0];
		if (isnan(h->lower) || isnan(h->upper))
			calib_stat_note_add(h, "no bootstrap CI: fewer than 2 of %zu replicates "
					       "defined", bo.boot);
	}
	calib_stats_free(&one);
	return st;
}

/* Scores in the most used category of m (0 when not counted). */
static size_t
top_count(const struct calib_matrix *m)
{
	size_t top = 0;
	size_t *count = NULL;

	if (m->n_levels && m->n_levels < 1000 && (count = calloc(m->n_levels, sizeof *count))) {
		for (size_t i = 0; i < calib_matrix_rows(m); i++)
			for (size_t t = m->off[i]; t < m->off[i + 1]; t++)
				count[m->cat[t]] += m->patterns_only ? m->pat_count[i] : 1;
		for (size_t k = 0; k < m->n_levels; k++)
			if (count[k] > top)
				top = count[k];
		free(count);
	}
	return top;
}

/* Warnings that matter in QA rubrics, added to the notes of the unit's records. */
static void
warn(struct unit *u, const struct calib_stats *all, const struct calib_matrix *m)
{
	const struct calib_stat *pa = calib_stats_find(all, "percent_agreement");
	size_t top = SIZE_MAX; /* counted when a kappa paradox is to be told */

	for (size_t k = 0; k < u->stats.n; k++) {
		struct calib_stat *s = &u->stats.v[k];
		bool kappa = strcmp(s->name, "cohen_kappa") == 0 ||
			     strcmp(s->name, "fleiss_kappa") == 0 ||
			     strcmp(s->name, "conger_kappa") == 0;
		enum calib_stat_kind kind = CALIB_KIND_COEFFICIENT;
		calib_registry_find(s->name, &kind);
		if (kind == CALIB_KIND_TEST || kind == CALIB_KIND_CATEGORY ||
		    strcmp(s->name, "percent_agreement") == 0)
			continue;
		if (kappa && pa && pa->estimate >= 0.8 && isfinite(s->estimate) &&
		    s->estimate < 0.6 && m->n_scores) {
			if (top == SIZE_MAX)
				top = top_count(m);
			calib_stat_note_add(s,
					    "kappa paradox: %.0f%% agreement but kappa %.2f, one "
					    "category holds %.0f%% of scores; see gwet_ac1",
					    100 * pa->estimate, s->estimate,
					    100.0 * (double)top / (double)m->n_scores);
		}
		if (strcmp(s->name, "kripp_alpha_ordinal") == 0 && isfinite(s->estimate) &&
		    isnan(s->lower))
			calib_stat_note_add(s, "no analytic CI at the ordinal level (a bootstrap gives one)");
		if (u->row.n_calls < 10 && u->row.n_calls > 0 && isfinite(s->estimate)) {
			if (isfinite(s->upper - s->lower))
				calib_stat_note_add(s, "only %zu call%s: unstable estimate, CI width %.2f",
						    u->row.n_calls, u->row.n_calls == 1 ? "" : "s",
						    s->upper - s->lower);
			else
				calib_stat_note_add(s, "only %zu call%s: unstable estimate",
						    u->row.n_calls, u->row.n_calls == 1 ? "" : "s");
		}
	}
}

/* Append to kept the record all.v[k] (a copy). */
static enum calib_status
keep(struct calib_stats *kept, const struct calib_stat *st)
{
	struct calib_stat *dst = calib_stats_push(kept, "%s", st->name);
	if (!dst)
		return CALIB_ENOMEM;
	*dst = *st;
	return CALIB_OK;
}

/*
 * The records of all that the options select, in the order described in
 * analyse(). For the TOTAL only the interval alpha is kept unless others
 * were named: nominal and ordinal alpha mean little on a sum of points.
 */
static enum calib_status
keep_records(const struct calib_report_opts *o, const char *list, const struct calib_stats *all,
	     bool total, struct calib_stats *kept)
{
	bool every = o->stat && strcmp(o->stat, "all") == 0;

	for (size_t k = 0; k < all->n; k++) {
		const char *name = all->v[k].name;
		if (total && calib_registry_family(name) == CALIB_FAMILY_ALPHA &&
		    strcmp(name, "kripp_alpha_interval") != 0 && !(o->stat && in_list(o->stat, name)))
			continue;
		if (every && wanted(o, list, name) && keep(kept, &all->v[k]))
			return CALIB_ENOMEM;
	}
	if (every)
		return CALIB_OK;
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		for (size_t k = 0; k < all->n; k++) {
			const char *name = all->v[k].name;
			enum calib_stat_kind kind = CALIB_KIND_COEFFICIENT;
			const struct calib_stat_info *e = calib_registry_find(name, &kind);
			bool ours = e && strlen(e->name) == n && strncmp(e->name, p, n) == 0;
			bool exact = ours && strcmp(name, e->name) == 0;
			bool companion = o->detail && ours && !exact &&
					 (kind == CALIB_KIND_TEST || kind == CALIB_KIND_CATEGORY);
			if ((exact || companion) && keep(kept, &all->v[k]))
				return CALIB_ENOMEM;
		}
		p += n + (p[n] == ',');
	}
	return CALIB_OK;
}

/*
 * A criterion whose levels have no order gets no statistic that reads
 * one: with "all" they are left out (all but the first when nothing else
 * is left, so that the criterion's row says why), one asked for by name
 * in list is NA with the reason, also when its family made no record
 * for labels. CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
drop_ordered(const struct calib_report_opts *o, const char *list, const struct calib_matrix *m,
	     struct calib_stats *kept)
{
	static const char why[] = "not computed: the levels have no order (declare it in the "
				  "rubric)";
	bool every = o->stat && strcmp(o->stat, "all") == 0, other = false;
	size_t w = 0;
	for (size_t k = 0; k < kept->n; k++)
		other |= !calib_registry_ordered(&kept->v[k]);
	for (size_t k = 0; k < kept->n; k++) {
		struct calib_stat *st = &kept->v[k];
		if (calib_registry_ordered(st)) {
			if (every && (other || w > 0))
				continue;
			st->estimate = st->se = st->lower = st->upper = NAN;
			st->test = st->df1 = st->df2 = st->p = NAN;
			calib_stat_note(st, "%s", why);
		}
		kept->v[w++] = *st;
	}
	kept->n = w;
	for (const char *p = every ? "" : list; *p;) {
		size_t n = strcspn(p, ",");
		const struct calib_stat_info *e = calib_registry_named(p, n);
		struct calib_stat *st;
		p += n + (p[n] == ',');
		if (!e || e->scale < CALIB_SCALE_ORDINAL || calib_registry_record(kept, e))
			continue;
		if (!(st = calib_stats_push(kept, "%s", e->name)))
			return CALIB_ENOMEM;
		st->n_items = m->n_items;
		st->n_raters = m->n_raters;
		calib_stat_note(st, "%s", why);
	}
	return CALIB_OK;
}

/*
 * The headline of a row among its kept records (registry.h's policy, or
 * the first of --stat), made 1 where every call is scored alike.
 */
static void
pick_headline(const struct calib_report_opts *o, const struct calib_matrix *m,
	      struct calib_report_row *row, struct calib_stats *kept)
{
	const char *names[128];
	size_t n = kept->n < 128 ? kept->n : 128, k;

	for (k = 0; k < n; k++)
		names[k] = kept->v[k].name;
	k = calib_registry_pick(names, n, m->scale, o->stat);
	row->headline = k < n ? k : SIZE_MAX;
	if (k < n)
		calib_registry_headline_fix(&kept->v[k], m);
}

/*
 * The kripp_alpha_<level>_boot records of calib_report_opts.alpha_boot,
 * appended to the unit's: each from the bootstrap that gave the alpha's
 * interval (ab[level], when it drew as many replicates), else one run now.
 */
static enum calib_status
alpha_summaries(const struct job *j, struct unit *u, const struct calib_matrix *m,
		const struct calib_alpha_boot ab[4])
{
	const struct calib_report_opts *o = j->o;
	size_t n = u->stats.n;
	const struct calib_stat_info *info[4] = {NULL, NULL, NULL, NULL};
	struct calib_alpha_boot fresh[4];
	bool want[4] = {false, false, false, false}, any = false;

	/* the levels with a record, each run now unless ab has it: all from one set of draws */
	memset(fresh, 0, sizeof fresh);
	for (size_t k = 0; k < n; k++) {
		int l = calib_registry_alpha_level(&u->stats.v[k]);
		if (l >= 0 && !info[l]) {
			info[l] = u->stats.v[k].info;
			want[l] = ab[l].n_boot != o->alpha_boot;
			fresh[l].threads = j->inner;
			any |= want[l];
		}
	}
	if (any) {
		enum calib_status s = calib_alpha_bootstrap_levels(m, want, o->alpha_boot, o->seed,
								   o->coef.conf,
								   CALIB_ALPHA_TENTATIVE, fresh,
								   &u->err);
		if (s)
			return s;
	}
	for (int l = 0; l < 4; l++) {
		struct calib_alpha_boot b = want[l] ? fresh[l] : ab[l];
		const struct calib_stat_info *e = info[l];
		struct calib_stat *st;

		if (!e)
			continue;
		if (!(st = calib_stats_push(&u->stats, "%s_boot", e->name)))
			return CALIB_ENOMEM;
		st->estimate = b.mean;
		st->se = b.sd;
		st->lower = b.lower;
		st->upper = b.upper;
		st->p = b.q;
		st->n_items = b.n_calls;
		st->n_raters = m->n_raters;
		if (b.note[0])
			snprintf(st->note, sizeof st->note, "%s", b.note);
		else
			snprintf(st->note, sizeof st->note,
				 "bootstrap over %zu pairable calls: %zu replicates (%zu defined), "
				 "seed %lu; p = P(alpha < %.3f)",
				 b.n_calls, b.n_boot, b.n_defined, o->seed, CALIB_ALPHA_TENTATIVE);
	}
	return CALIB_OK;
}

/*
 * The families of the statistics of a unit whose matrix is m (the TOTAL
 * or a section when total), and in *list the statistics: --stat's, or
 * the defaults of m's scale and raters.
 */
static unsigned
unit_mask(const struct calib_report_opts *o, const struct calib_matrix *m, bool total,
	  const char **list)
{
	unsigned mask;

	*list = o->stat && strcmp(o->stat, "all") != 0
			? o->stat
			: calib_registry_defaults(m->scale, m->n_raters);
	mask = families_of(o, *list);
	if (total)
		mask &= CALIB_FAMILY_ICC | CALIB_FAMILY_ALPHA;
	/* the kappa paradox check needs the percent agreement */
	if (mask & CALIB_FAMILY_KAPPA && m->n_levels < 1000)
		mask |= CALIB_FAMILY_AGREEMENT;
	return mask;
}

/*
 * Do the statistics of list see calls only through their counts per
 * category (the agreement family but Conger's kappa, and alpha), and does
 * nothing else read calls one by one (a bootstrap, the complete calls)?
 * Alpha's own bootstrap draws patterns; where it draws calls instead,
 * analyse() builds every row.
 */
static bool
counts_suffice(const struct calib_report_opts *o, const char *list, unsigned mask)
{
	const unsigned counts = CALIB_FAMILY_AGREEMENT | CALIB_FAMILY_ALPHA;
	bool all = o->stat && strcmp(o->stat, "all") == 0; /* Conger's kappa among them */

	return !o->complete && o->boot == 0 && (mask & ~counts) == 0 &&
	       !(all && (mask & CALIB_FAMILY_AGREEMENT)) && !in_list(list, "conger_kappa");
}

/*
 * Criterion crit's matrix, in worker w's room (*m points into it): only
 * its patterns (calib_matrix_counts) when counts_suffice(), else every
 * row. Whether they suffice depends on the criterion's raters when the
 * statistics are the defaults; a criterion that may have two raters or
 * points (a kappa, an ICC) is not counted first. CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
criterion_matrix(struct job *j, uint32_t crit, unsigned w, const struct calib_matrix_opts *mo,
		 struct calib_matrix **m)
{
	const struct calib_report_opts *o = j->o;
	const char *list = o->stat;
	enum calib_status st;
	bool ok = false;

	if (!list && calib_names_count(j->s->raters) > 2)
		list = calib_registry_defaults(j->s->criteria[crit].scale, 3);
	if (list && counts_suffice(o, list, families_of(o, list)) &&
	    (st = calib_matrix_counts(j->s, crit, mo, &j->mats[w], &ok)))
		return st;
	if (ok) {
		unsigned mask = unit_mask(o, j->mats[w], false, &list);
		ok = counts_suffice(o, list, mask);
	}
	if (!ok && (st = calib_matrix_rebuild(j->s, crit, mo, &j->mats[w])))
		return st;
	*m = j->mats[w];
	return CALIB_OK;
}

/* A score unit is done with the scorecard: the last one frees it. */
static void
scorecard_leave(struct job *j)
{
	pthread_mutex_lock(&j->lock);
	if (--j->sc_users == 0) {
		calib_scorecard_free(j->sc);
		j->sc = NULL;
	}
	pthread_mutex_unlock(&j->lock);
}

static void
analyse(struct job *j, struct unit *u, unsigned w)
{
	const struct calib_store *s = j->s;
	const struct calib_report_opts *o = j->o;
	struct calib_matrix_opts mo;
	struct calib_matrix *m = NULL;
	struct calib_stats all;
	const char *list;
	unsigned mask;
	struct calib_coef_opts coef;
	const double *score = NULL;
	const unsigned char *flags = NULL;
	struct calib_alpha_boot ab[4];
	bool scoring = u->crit == CALIB_NONE; /* holding the scorecard */

	memset(ab, 0, sizeof ab);
	calib_stats_init(&all);
	calib_stats_init(&u->stats);
	calib_error_clear(&u->err);
	u->row.headline = SIZE_MAX;
	calib_matrix_opts_init(&mo);
	mo.complete = o->complete;
	mo.na = o->na;
	mo.session = o->session;
	if (u->crit == CALIB_NONE) {
		if ((u->status = j->sc_status) == CALIB_OK) {
			score = calib_scorecard_row(j->sc, u->score);
			flags = j->sc->flags + u->score * j->sc->n_evals;
			u->row.critical = j->sc->critical;
			u->status = calib_matrix_from_evals(s, score, CALIB_SCALE_INTERVAL, &mo,
			                                    &m);
		}
	} else {
		u->status = criterion_matrix(j, u->crit, w, &mo, &m);
	}
	if (u->status)
		goto out;
	u->row.criterion = u->crit == CALIB_NONE ? u->name : s->criteria[u->crit].name;
	u->row.total = u->crit == CALIB_NONE;
	u->row.section = u->crit == CALIB_NONE && u->score > 0;
	u->row.scale = m->scale;
	u->row.inferred = u->crit != CALIB_NONE && s->criteria[u->crit].scale_inferred;
	u->row.ordered = u->crit == CALIB_NONE || calib_store_ordered(&s->criteria[u->crit]);
	if (u->crit != CALIB_NONE)
		calib_store_scale_note(&s->criteria[u->crit], u->row.scale_note,
				       sizeof u->row.scale_note);
	u->row.n_levels = m->n_levels;
	if (u->crit == CALIB_NONE)
		snprintf(u->row.levels, sizeof u->row.levels, "0..100 points");
	else
		describe_levels(m, u->row.levels, sizeof u->row.levels);
	u->row.n_calls = m->n_items;
	u->row.n_raters = m->n_raters;
	u->row.n_scores = m->n_scores;
	u->row.n_unscored = m->n_missing;
	u->row.n_na = m->n_na;
	u->row.n_dropped = m->n_dropped;
	if (u->crit == CALIB_NONE)
		for (size_t e = 0; e < s->n_evals; e++) {
			if (o->session != CALIB_NONE &&
			    s->item_session[s->eval_item[e]] != o->session)
				continue;
			u->row.n_zeroed += (flags[e] & CALIB_SCORE_ZEROED) != 0;
			/* a subtotal of nothing but N/A is N/A */
			if (u->row.section && flags[e] & CALIB_SCORE_NA)
				u->row.n_na++;
			/* an evaluation without a total had an unscored criterion */
			else
				u->row.n_unscored += isnan(score[e]);
		}
	if (scoring) {
		scorecard_leave(j);
		scoring = false;
	}
	for (size_t i = 0; i < calib_matrix_rows(m); i++) {
		size_t r = calib_matrix_row_n(m, i), times = m->patterns_only ? m->pat_count[i] : 1;
		u->row.n_complete += r == m->n_raters ? times : 0;
		u->row.n_pairable += r >= 2 ? times : 0;
	}
	mask = unit_mask(o, m, u->crit == CALIB_NONE, &list);
	/* the families that see calls only through their counts weigh each pattern once */
	if (!m->patterns_only && mask & (CALIB_FAMILY_AGREEMENT | CALIB_FAMILY_ALPHA) &&
	    (u->status = calib_matrix_count_patterns(m)))
		goto out;
	/* custom weights fit only criteria with as many categories */
	coef = o->coef;
	/* compute only what is kept (all of the families with "all") */
	coef.want = o->stat && strcmp(o->stat, "all") == 0 ? NULL : list;
	if (coef.custom_w && coef.custom_q != m->n_levels) {
		coef.custom_w = NULL;
		coef.custom_q = 0;
	}
	if ((u->status = calib_family_run(m, mask, &coef, &all, &u->err)))
		goto out;
	if (o->coef.custom_w && !coef.custom_w) {
		/* say why the custom statistics asked for are missing */
		const char *custom[] = { "cohen_kappa_custom", "percent_agreement_custom",
					 "gwet_ac2_custom" };
		for (size_t c = 0; c < 3; c++) {
			struct calib_stat *st;
			if (!in_list(list, custom[c]) || !(st = calib_stats_push(&all, "%s", custom[c])))
				continue;
			st->n_items = m->n_items;
			st->n_raters = m->n_raters;
			calib_stat_note(st, "not computed: the custom weights are %zu x %zu, this "
					    "criterion has %zu categor%s",
					o->coef.custom_q, o->coef.custom_q, m->n_levels,
					m->n_levels == 1 ? "y" : "ies");
		}
	}
	/*
	 * Keep the records asked for: with a list, in the list's order (each
	 * followed by its companions); with "all", in the families' order.
	 */
	if ((u->status = keep_records(o, list, &all, u->crit == CALIB_NONE, &u->stats)))
		goto out;
	if (o->boot > 0 && m->n_items > 0 &&
	    (u->status = bootstrap(m, mask, o, &coef, j->inner, &u->stats, ab, &u->err)))
		goto out;
	if (u->crit != CALIB_NONE && !calib_store_ordered(&s->criteria[u->crit]) &&
	    (u->status = drop_ordered(o, list, m, &u->stats)))
		goto out;
	pick_headline(o, m, &u->row, &u->stats);
	/*
	 * A headline's bootstrap draws calls, and so may alpha's when its
	 * patterns are many: every row of the criterion.
	 */
	if (m->patterns_only &&
	    ((u->row.headline != SIZE_MAX && headline_wanted(m, o, &u->stats.v[u->row.headline])) ||
	     (o->alpha_boot && calib_alpha_boot_needs_rows(m)))) {
		if ((u->status = calib_matrix_rebuild(s, u->crit, &mo, &j->mats[w])))
			goto out;
		m = j->mats[w];
		if (mask & (CALIB_FAMILY_AGREEMENT | CALIB_FAMILY_ALPHA) &&
		    (u->status = calib_matrix_count_patterns(m)))
			goto out;
	}
	if (u->row.headline != SIZE_MAX &&
	    (u->status = headline_interval(m, o, &coef, j->inner, &u->stats.v[u->row.headline],
					   ab, &u->err)))
		goto out;
	for (size_t k = 0; k < u->stats.n; k++)
		calib_registry_tidy(&u->stats.v[k]);
	warn(u, &all, m);
	if (o->alpha_boot && u->crit != CALIB_NONE)
		u->status = alpha_summaries(j, u, m, ab);
out:
	if (scoring)
		scorecard_leave(j);
	calib_stats_free(&all);
	if (u->crit == CALIB_NONE)
		calib_matrix_free(m);
}

static void
worker(void *arg, size_t i, unsigned w)
{
	struct job *j = arg;

	/*
	 * The units of scores first, the TOTAL leading (it takes longest): the
	 * scorecard is then freed before the criteria are done.
	 */
	size_t n_scores = j->sc_users_all;
	analyse(j, &j->units[i < n_scores ? j->n_units - 1 - i : i - n_scores], w);
	if (j->o->progress && j->o->boot == 0) {
		size_t d = atomic_fetch_add(&j->done, 1) + 1;
		pthread_mutex_lock(&j->lock);
		j->o->progress(j->o->progress_ctx, d, j->n_units);
		pthread_mutex_unlock(&j->lock);
	}
}

void
calib_report_free(struct calib_report *r)
{
	if (!r)
		return;
	calib_stats_free(&r->stats);
	for (size_t i = 0; i < r->n_names; i++)
		free(r->names[i]);
	free(r->names);
	free(r->rows);
	free(r);
}

enum calib_status
calib_report_add(struct calib_report *r, size_t row, const struct calib_stat *st)
{
	return calib_report_add_all(r, &row, st, 1);
}

enum calib_status
calib_report_add_all(struct calib_report *r, const size_t *row, const struct calib_stat *st,
		     size_t n)
{
	size_t total = r->stats.n + n, src_end = r->stats.n, dst = total, k = n;
	struct calib_stat *v;

	if (n == 0)
		return CALIB_OK;
	if (total > r->stats.cap) {
		if (!(v = realloc(r->stats.v, total * sizeof *v)))
			return CALIB_ENOMEM;
		r->stats.v = v;
		r->stats.cap = total;
	}
	v = r->stats.v;
	/*
	 * One pass from the end, each record moved once: what follows row
	 * i's records, then row i's new records, then its old ones.
	 */
	for (size_t i = r->n_rows; i-- > 0;) {
		struct calib_report_row *rw = &r->rows[i];
		size_t end = rw->first + rw->count, add = 0;

		dst -= src_end - end;
		memmove(&v[dst], &v[end], (src_end - end) * sizeof *v);
		while (k > 0 && row[k - 1] == i) {
			k--;
			add++;
		}
		dst -= add;
		memcpy(&v[dst], &st[k], add * sizeof *v);
		dst -= rw->count;
		memmove(&v[dst], &v[rw->first], rw->count * sizeof *v);
		src_end = rw->first;
		rw->first = dst;
		rw->count += add;
	}
	r->stats.n = total;
	return CALIB_OK;
}

enum calib_status
calib_report_run(const struct calib_store *s, const struct calib_report_opts *o,
		 struct calib_report **out, struct calib_error *err)
{
	struct job j;
	struct calib_report *r = NULL;
	enum calib_status st = CALIB_OK;
	unsigned threads = calib_threads(o->threads), workers;
	size_t n_sections, n_scored_sections = 0, n_names = 0;
	bool *has_points, with_total;
	char **names = NULL;

	*out = NULL;
	if (o->stat && strcmp(o->stat, "all") != 0) {
		char buf[CALIB_STAT_NAME];
		for (const char *p = o->stat; *p;) {
			const char *end = strchr(p, ',');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			snprintf(buf, sizeof buf, "%.*s", (int)n, p);
			if (!calib_registry_known(buf))
				return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
						       "unknown statistic '%s'", buf);
			if (!end)
				break;
			p = end + 1;
		}
	}
	memset(&j, 0, sizeof j);
	j.s = s;
	j.o = o;
	n_sections = calib_names_count(s->sections);
	if (!(has_points = calloc(n_sections + 1, sizeof *has_points)))
		return CALIB_ENOMEM;
	for (size_t i = 0; i < s->n_criteria; i++) {
		const struct calib_criterion *c = &s->criteria[i];
		if (calib_store_ordered(c) && c->n_scored > 0 && c->section != CALIB_NONE)
			has_points[c->section] = true;
	}
	with_total = o->total && calib_report_total_applies(s);
	for (size_t k = 0; with_total && k < n_sections; k++)
		n_scored_sections += has_points[k];
	j.sc_users_all = j.sc_users = n_scored_sections + with_total;
	j.n_units = s->n_criteria + n_scored_sections + with_total;
	j.units = calloc(j.n_units ? j.n_units : 1, sizeof *j.units);
	names = calloc(n_scored_sections ? n_scored_sections : 1, sizeof *names);
	if (!j.units || !names) {
		st = CALIB_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < s->n_criteria; i++)
		j.units[i].crit = (uint32_t)i;
	/* the sections' subtotals, then the TOTAL */
	for (size_t k = 0, u = s->n_criteria; u < j.n_units - with_total; k++) {
		const char *sec = calib_names_get(s->sections, (uint32_t)k);
		if (!has_points[k])
			continue;
		if (!(names[n_names] = malloc(strlen(sec) + sizeof "section:"))) {
			st = CALIB_ENOMEM;
			goto out;
		}
		sprintf(names[n_names], "section:%s", sec);
		j.units[u].crit = CALIB_NONE;
		j.units[u].score = 1 + k;
		j.units[u++].name = names[n_names++];
	}
	if (with_total) {
		j.units[j.n_units - 1].crit = CALIB_NONE;
		j.units[j.n_units - 1].name = "TOTAL";
	}
	atomic_init(&j.done, 0);
	pthread_mutex_init(&j.lock, NULL);
	/* threads over the units, and within a unit what they leave (never more in all) */
	workers = j.n_units < threads ? (unsigned)(j.n_units ? j.n_units : 1) : threads;
	j.inner = threads / workers;
	if (!(j.mats = calloc(workers, sizeof *j.mats))) {
		pthread_mutex_destroy(&j.lock);
		st = CALIB_ENOMEM;
		goto out;
	}
	/* each evaluation's scores are its own: made over all the threads at once */
	if (j.sc_users_all > 0)
		j.sc_status = calib_scorecard_compute(s, threads, &j.sc);
	calib_parallel_for(j.n_units, workers, worker, &j);
	pthread_mutex_destroy(&j.lock);
	for (unsigned w = 0; w < workers; w++)
		calib_matrix_free(j.mats[w]);
	free(j.mats);

	r = calloc(1, sizeof *r);
	if (!r || !(r->rows = calloc(j.n_units ? j.n_units : 1, sizeof *r->rows))) {
		st = CALIB_ENOMEM;
		goto out;
	}
	calib_stats_init(&r->stats);
	r->opts = o;
	r->names = names;
	r->n_names = n_names;
	names = NULL;
	for (size_t i = 0; i < j.n_units; i++) {
		struct unit *u = &j.units[i];
		if (u->status) {
			st = u->status;
			if (err)
				*err = u->err;
			goto out;
		}
		u->row.first = r->stats.n;
		u->row.count = u->stats.n;
		for (size_t k = 0; k < u->stats.n; k++) {
			struct calib_stat *dst = calib_stats_push(&r->stats, "%s", u->stats.v[k].name);
			if (!dst) {
				st = CALIB_ENOMEM;
				goto out;
			}
			*dst = u->stats.v[k];
		}
		r->rows[r->n_rows++] = u->row;
	}
out:
	for (size_t i = 0; j.units && i < j.n_units; i++)
		calib_stats_free(&j.units[i].stats);
	free(j.units);
	for (size_t i = 0; names && i < n_names; i++)
		free(names[i]);
	free(names);
	free(has_points);
	calib_scorecard_free(j.sc);
	if (st) {
		calib_report_free(r);
		return st;
	}
	*out = r;
	return CALIB_OK;
}
