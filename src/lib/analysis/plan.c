/*
 * plan.c - sample-size planning for a calibration session (plan.h).
 *
 * Closed forms:
 *  - Bonett, D. G. (2002). Sample size requirements for estimating
 *    intraclass correlations with desired precision. Statistics in
 *    Medicine 21, 1331-1335, eq. 3 (and the 5 rho added for two raters
 *    and rho >= 0.7 the paper recommends).
 *  - Fleiss, J. L., Cohen, J. & Everitt, B. S. (1969). Large sample
 *    standard errors of kappa and weighted kappa. Psychological Bulletin
 *    72, 323-327: the non-null variance of Cohen's kappa, evaluated at the
 *    2 x 2 table two raters with the same share of "yes" produce under a
 *    kappa (the common-correlation model of Bloch & Kraemer 1989).
 *
 * The simulation draws sessions from the latent-class model: each call
 * has a true category T drawn from the shares; each rater gives T with
 * probability theta, else a category drawn from the shares afresh. Two
 * raters then agree beyond chance by theta^2: Cohen's, Fleiss' and
 * Conger's kappas (weighted or not) and Krippendorff's alpha have the
 * population value theta^2, and the coefficients that correct with
 * another chance term (Gwet's AC1/AC2, Brennan-Prediger, PABAK) or none
 * (percent agreement) a value linear in theta^2, which fixes theta from
 * the expected coefficient. Numeric criteria are drawn from the one-way
 * normal model x = a_call + e (var a = rho, var e = 1 - rho), whose ICCs
 * and interval alpha are rho.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "calib/matrix.h"
#include "calib/parallel.h"
#include "calib/plan.h"
#include "calib/registry.h"
#include "calib/report.h"
#include "calib/stat.h"
#include "calib/table.h"
#include "calib/weights.h"

void
calib_plan_design_init(struct calib_plan_design *d)
{
	memset(d, 0, sizeof *d);
	d->scale = CALIB_SCALE_BINARY;
	d->n_raters = 2;
	d->expected = NAN;
	d->n_levels = 2;
	d->conf = 0.95;
}

/*
 * The scale a statistic is for, when the design does not say: the one it
 * assumes (registry.h) from ordinal up, else binary or nominal by levels.
 */
static enum calib_scale
scale_of(const char *stat, size_t levels)
{
	const struct calib_stat_info *e = calib_registry_named(stat, strlen(stat));
	if (e && e->scale >= CALIB_SCALE_ORDINAL)
		return e->scale;
	return levels > 2 ? CALIB_SCALE_NOMINAL : CALIB_SCALE_BINARY;
}

enum calib_status
calib_plan_design_given(struct calib_plan_design *d, struct calib_plan_given *g,
                        struct calib_error *err)
{
	const char *stat = g->stat;
	size_t levels = g->n_levels;

	calib_plan_design_init(d);
	if (!stat)
		stat = calib_registry_headline(g->scale == CALIB_SCALE_UNKNOWN ? CALIB_SCALE_BINARY
		                                                               : g->scale);
	if (g->n_shares == 1) {
		if (levels > 2)
			return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
			                       "one share is for two categories; give %zu",
			                       levels);
		g->share[1] = g->share[0];
		g->share[0] = 1 - g->share[1];
		g->n_shares = 2;
	}
	if (!levels)
		levels = g->n_shares ? g->n_shares
		         : scale_of(stat, 2) == CALIB_SCALE_ORDINAL ||
		                         g->scale == CALIB_SCALE_ORDINAL
		                 ? 5
		                 : 2;
	if (g->n_shares && g->n_shares != levels)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "%zu shares for %zu categories",
		                       g->n_shares, levels);
	d->stat = stat;
	d->scale = g->scale == CALIB_SCALE_UNKNOWN ? scale_of(stat, levels) : g->scale;
	d->n_raters = g->n_raters;
	d->expected = g->expected;
	d->n_levels = levels;
	d->share = g->n_shares ? g->share : NULL;
	d->conf = g->conf;
	return CALIB_OK;
}

void
calib_plan_opts_init(struct calib_plan_opts *o)
{
	o->width = NAN;
	o->calls = 0;
	o->method = CALIB_PLAN_AUTO;
	o->replicates = 200;
	o->seed = 1;
	o->max_calls = 2000;
	o->threads = 0;
}

static double
zcrit(double conf)
{
	return gsl_cdf_ugaussian_Pinv(0.5 + conf / 2.0);
}

double
calib_plan_bonett_calls(double rho, size_t k, double w, double conf)
{
	double z = zcrit(conf), kk = (double)k, n;

	if (k < 2)
		return NAN;
	n = 8.0 * z * z * (1 - rho) * (1 - rho) * (1 + (kk - 1) * rho) * (1 + (kk - 1) * rho) /
	            (kk * (kk - 1) * w * w) +
	    1.0;
	if (k == 2 && rho >= 0.7)
		n += 5.0 * rho;
	return n;
}

double
calib_plan_bonett_width(double rho, size_t k, double n, double conf)
{
	double z = zcrit(conf), kk = (double)k;

	if (k < 2)
		return NAN;
	if (k == 2 && rho >= 0.7)
		n -= 5.0 * rho;
	if (n <= 1)
		return INFINITY;
	return sqrt(8.0) * z * (1 - rho) * (1 + (kk - 1) * rho) / sqrt(kk * (kk - 1) * (n - 1));
}

double
calib_plan_kappa_variance(double kappa, double p)
{
	double m[2] = {1 - p, p}, cell[2][2], po = 0, pe = 0, a = 0, b = 0, c;

	if (!(p > 0 && p < 1))
		return NAN;
	for (size_t i = 0; i < 2; i++)
		for (size_t j = 0; j < 2; j++)
			cell[i][j] = (i == j ? kappa * m[i] : 0) + (1 - kappa) * m[i] * m[j];
	for (size_t i = 0; i < 2; i++) {
		po += cell[i][i];
		pe += m[i] * m[i];
	}
	/* Fleiss, Cohen & Everitt (1969), eq. 13, with both raters' margins m */
	for (size_t i = 0; i < 2; i++) {
		double t = 1 - (m[i] + m[i]) * (1 - kappa);
		a += cell[i][i] * t * t;
		for (size_t j = 0; j < 2; j++)
			if (i != j)
				b += cell[i][j] * (m[i] + m[j]) * (m[i] + m[j]);
	}
	b *= (1 - kappa) * (1 - kappa);
	c = kappa - pe * (1 - kappa);
	(void)po;
	return (a + b - c * c) / ((1 - pe) * (1 - pe));
}

double
calib_plan_kappa_calls(double kappa, double p, double w, double conf)
{
	double z = zcrit(conf);
	return z * z * calib_plan_kappa_variance(kappa, p) / (w * w / 4);
}

double
calib_plan_kappa_width(double kappa, double p, double n, double conf)
{
	return 2 * zcrit(conf) * sqrt(calib_plan_kappa_variance(kappa, p) / n);
}

/*
 * Is stat computed from numbers (the continuous model) rather than
 * categories: does it assume distances between points (registry.h)?
 */
static bool
numeric_stat(const char *stat)
{
	const struct calib_stat_info *e = calib_registry_named(stat, strlen(stat));
	return e && e->scale >= CALIB_SCALE_INTERVAL;
}

/* The share of "yes" of a binary design (its last level). */
static double
yes_share(const struct calib_plan_design *d)
{
	return d->share ? d->share[d->n_levels - 1] : 0.5;
}

const char *
calib_plan_closed_form(const struct calib_plan_design *d)
{
	if (!d->stat)
		return NULL;
	if (strcmp(d->stat, "icc1") == 0 || strcmp(d->stat, "icc3") == 0)
		return "bonett2002";
	if (strcmp(d->stat, "cohen_kappa") == 0 && d->n_raters == 2 && d->n_levels == 2 &&
	    d->scale == CALIB_SCALE_BINARY)
		return "fleiss1969";
	return NULL;
}

/* The design's values (1..q when it has none) into v. */
static void
level_values(const struct calib_plan_design *d, double *v)
{
	for (size_t c = 0; c < d->n_levels; c++)
		v[c] = d->value ? d->value[c] : (double)(c + 1);
}

/* The design's shares (equal when it has none) into p. */
static void
level_shares(const struct calib_plan_design *d, double *p)
{
	for (size_t c = 0; c < d->n_levels; c++)
		p[c] = d->share ? d->share[c] : 1.0 / (double)d->n_levels;
}

/*
 * The chance terms of a labelled statistic that corrects for chance other
 * than by the shares' own agreement: its chance agreement *pe and the
 * agreement *pw of two independent ratings. *corrected false for the
 * kappas and alpha (their value is theta^2 itself).
 */
static enum calib_status
chance_terms(const struct calib_plan_design *d, bool *corrected, double *pe, double *pw,
             struct calib_error *err)
{
	const char *s = d->stat;
	size_t q = d->n_levels;
	double v[CALIB_PLAN_MAX_LEVELS] = {0}, p[CALIB_PLAN_MAX_LEVELS] = {0};
	double w[CALIB_PLAN_MAX_LEVELS * CALIB_PLAN_MAX_LEVELS];
	double tw = 0, spread = 0;
	enum calib_weighting kind = CALIB_W_IDENTITY;
	bool gwet = strncmp(s, "gwet_ac", 7) == 0,
	     pa = strncmp(s, "percent_agreement", 17) == 0;

	*corrected =
	        gwet || pa || strcmp(s, "brennan_prediger") == 0 || strcmp(s, "pabak") == 0;
	*pe = *pw = 0;
	if (!*corrected)
		return CALIB_OK;
	if (strstr(s, "_custom") || strcmp(s, "percent_agreement_unanimous") == 0)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "%s cannot be planned: no model gives it a value", s);
	if (strstr(s, "_linear"))
		kind = CALIB_W_LINEAR;
	else if (strstr(s, "_quadratic"))
		kind = CALIB_W_QUADRATIC;
	else if (strstr(s, "_ordinal"))
		kind = CALIB_W_ORDINAL;
	level_values(d, v);
	level_shares(d, p);
	if (calib_weights_fill(kind, v, q, w) != CALIB_OK)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "no %s weights on these levels",
		                       calib_weights_name(kind));
	for (size_t k = 0; k < q; k++) {
		spread += p[k] * (1 - p[k]);
		for (size_t l = 0; l < q; l++) {
			*pw += w[k * q + l] * p[k] * p[l];
			tw += w[k * q + l];
		}
	}
	if (gwet)
		*pe = tw * spread / ((double)q * (double)(q - 1)); /* Gwet 2014, eq. 3.5 */
	else if (!pa)
		*pe = tw / ((double)q * (double)q); /* Brennan-Prediger; PABAK on two levels */
	if (!(*pw < 1))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "one category holds every score: %s cannot be planned",
		                       s);
	return CALIB_OK;
}

double
calib_plan_chance(const struct calib_plan_design *d)
{
	bool corrected;
	double pe, pw;

	if (!d->stat || numeric_stat(d->stat))
		return NAN;
	if (d->n_levels < 2 || d->n_levels > CALIB_PLAN_MAX_LEVELS ||
	    chance_terms(d, &corrected, &pe, &pw, NULL))
		return NAN;
	/* the coefficient is 1 - (1 - theta^2)(1 - pw) / (1 - pe) */
	return corrected ? 1 - (1 - pw) / (1 - pe) : 0;
}

/*
 * theta^2 of the latent-class model that gives labelled statistic d->stat
 * the value d->expected; CALIB_EARG when the model cannot reach it.
 */
static enum calib_status
agreement_strength(const struct calib_plan_design *d, double *theta2, struct calib_error *err)
{
	bool corrected;
	double pe, pw, t2;
	enum calib_status rc;

	if ((rc = chance_terms(d, &corrected, &pe, &pw, err)))
		return rc;
	t2 = corrected ? 1 - (1 - d->expected) * (1 - pe) / (1 - pw) : d->expected;
	if (t2 < 0 && d->at_least_chance)
		t2 = 0;
	if (t2 < 0)
		return calib_error_set(
		        err, CALIB_EARG, NULL, 0, 0,
		        "an expected %s of %g is below the %.3g that chance alone "
		        "gives with these shares",
		        d->stat, d->expected, 1 - (1 - pw) / (1 - pe));
	*theta2 = t2;
	return CALIB_OK;
}

enum calib_status
calib_plan_check(const struct calib_plan_design *d, struct calib_error *err)
{
	const struct calib_stat_info *e;
	enum calib_stat_kind kind;
	double t2, sum = 0;

	if (!d->stat || !(e = calib_registry_find(d->stat, &kind)) ||
	    (kind != CALIB_KIND_COEFFICIENT && kind != CALIB_KIND_PROPORTION) ||
	    strcmp(e->name, d->stat) != 0)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "%s is not a coefficient calib computes",
		                       d->stat ? d->stat : "(none)");
	if (d->n_raters < 2)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "agreement needs at least two raters");
	if (strncmp(d->stat, "cohen_kappa", 11) == 0 && d->n_raters != 2)
		return calib_error_set(
		        err, CALIB_EARG, NULL, 0, 0,
		        "%s is for two raters, not %zu (fleiss_kappa is for more)", d->stat,
		        d->n_raters);
	if (!(d->conf > 0 && d->conf < 1))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "confidence level %g is not between 0 and 1", d->conf);
	if (!(d->expected < 1) || !(d->expected >= (numeric_stat(d->stat) ? 0 : -1)))
		return calib_error_set(
		        err, CALIB_EARG, NULL, 0, 0,
		        "an expected %s of %g cannot be planned: it must be at least "
		        "%d and below 1",
		        d->stat, d->expected, numeric_stat(d->stat) ? 0 : -1);
	if (numeric_stat(d->stat))
		return CALIB_OK;
	if (d->n_levels < 2 || d->n_levels > CALIB_PLAN_MAX_LEVELS)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "%zu categories: planning takes 2 to %d", d->n_levels,
		                       CALIB_PLAN_MAX_LEVELS);
	for (size_t c = 0; d->share && c < d->n_levels; c++) {
		if (!(d->share[c] >= 0 && d->share[c] <= 1))
			return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
			                       "a category's share %g is not between 0 and 1",
			                       d->share[c]);
		sum += d->share[c];
	}
	if (d->share && fabs(sum - 1) > 1e-6)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "the categories' shares add up to %g, not 1", sum);
	return agreement_strength(d, &t2, err);
}

/* Draw a category from the cumulative shares cum[0..q). */
static uint32_t
draw(const gsl_rng *rng, const double *cum, size_t q)
{
	double u = gsl_rng_uniform(rng);
	for (size_t c = 0; c + 1 < q; c++)
		if (u < cum[c])
			return (uint32_t)c;
	return (uint32_t)(q - 1);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The median of x[0..n) (NANs last, as the largest), sorting x. */
static double
median(double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isnan(x[i]))
			x[i] = INFINITY;
	qsort(x, n, sizeof *x, cmp_double);
	return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/*
 * The width of d->stat's interval on m (INFINITY when it has none) and its
 * estimate; *no_interval when the estimate has no analytic interval.
 */
static enum calib_status
one_width(const struct calib_plan_design *d, const struct calib_matrix *m,
          struct calib_stats *st, double *width, double *estimate, bool *no_interval,
          struct calib_error *err)
{
	struct calib_coef_opts co;
	const struct calib_stat *s;
	enum calib_status rc;

	calib_coef_opts_init(&co);
	co.conf = d->conf;
	co.want = d->stat;
	calib_stats_clear(st);
	if ((rc = calib_family_run(m, calib_registry_family(d->stat), &co, st, err)))
		return rc;
	*width = INFINITY;
	*estimate = NAN;
	*no_interval = false;
	/* a session where every rater agrees on every call has an interval
	 * of no width that says nothing of the next: wider than any target */
	if (!(s = calib_stats_find(st, d->stat)))
		return CALIB_OK;
	*estimate = s->estimate;
	if (calib_registry_perfect(m))
		return CALIB_OK;
	if (!isnan(s->lower) && !isnan(s->upper))
		*width = s->upper - s->lower;
	else
		*no_interval = !isnan(s->estimate);
	return CALIB_OK;
}

enum calib_status
calib_plan_simulate(const struct calib_plan_design *d, size_t n, double width,
                    size_t replicates, unsigned long seed, struct calib_plan_sim *out,
                    struct calib_error *err)
{
	size_t k = d->n_raters, q = d->n_levels, within = 0, no_ci = 0;
	bool numeric, none, ratio;
	double theta = 0, cum[CALIB_PLAN_MAX_LEVELS] = {0}, v[CALIB_PLAN_MAX_LEVELS] = {0};
	double *x = NULL, *widths = NULL, *est = NULL;
	struct calib_matrix *m = NULL;
	struct calib_stats st;
	gsl_rng *rng = NULL;
	enum calib_status rc;

	out->median_width = out->share_within = out->median_estimate = NAN;
	if ((rc = calib_plan_check(d, err)))
		return rc;
	if (replicates == 0 || n < 2)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "a simulation needs at least one session of two calls");
	numeric = numeric_stat(d->stat);
	/* checked: the statistic is in the registry */
	ratio = calib_registry_named(d->stat, strlen(d->stat))->scale == CALIB_SCALE_RATIO;
	if (!numeric) {
		double p[CALIB_PLAN_MAX_LEVELS], t2;
		if ((rc = agreement_strength(d, &t2, err)))
			return rc;
		theta = sqrt(t2);
		level_shares(d, p);
		level_values(d, v);
		for (size_t c = 0; c < q; c++)
			cum[c] = p[c] + (c ? cum[c - 1] : 0);
	}
	calib_stats_init(&st);
	x = malloc(n * k * sizeof *x);
	widths = malloc(replicates * sizeof *widths);
	est = malloc(replicates * sizeof *est);
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!x || !widths || !est || !rng) {
		rc = calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	gsl_rng_set(rng, seed);
	if (!numeric) {
		/* one matrix whose categories are rewritten for each session:
		 * every level present in the template, so that the category set
		 * is the declared one whatever a session uses (as a rubric's) */
		for (size_t t = 0; t < n * k; t++)
			x[t] = v[t % q];
		if ((rc = calib_matrix_from_values(x, n, k, d->scale, &m))) {
			calib_error_set(err, rc, NULL, 0, 0, "out of memory");
			goto done;
		}
		if (m->n_levels != q || m->n_items != n || m->n_raters != k) {
			rc = calib_error_set(err, CALIB_EARG, NULL, 0, 0,
			                     "%zu calls cannot hold the %zu categories", n, q);
			goto done;
		}
	}
	for (size_t r = 0; r < replicates; r++) {
		if (numeric) {
			double sa = sqrt(d->expected), se = sqrt(1 - d->expected);
			/* ratio scales need positive values: the model sits at 10 */
			double at = ratio ? 10 : 0;
			for (size_t i = 0; i < n; i++) {
				double a = gsl_ran_gaussian(rng, sa);
				for (size_t j = 0; j < k; j++)
					x[i * k + j] = at + a + gsl_ran_gaussian(rng, se);
			}
			calib_matrix_free(m);
			if ((rc = calib_matrix_from_values(x, n, k, CALIB_SCALE_INTERVAL,
			                                   &m))) {
				m = NULL;
				calib_error_set(err, rc, NULL, 0, 0, "out of memory");
				goto done;
			}
		} else {
			for (size_t i = 0; i < n; i++) {
				uint32_t truth = draw(rng, cum, q);
				for (size_t j = 0; j < k; j++)
					m->cat[m->off[i] + j] = gsl_rng_uniform(rng) < theta
					                                ? truth
					                                : draw(rng, cum, q);
			}
		}
		if ((rc = one_width(d, m, &st, &widths[r], &est[r], &none, err)))
			goto done;
		no_ci += none;
		within += widths[r] <= width;
	}
	if (no_ci == replicates) {
		/* calib-agree bootstraps such a headline: a bootstrap in every
		 * simulated session is beyond a plan's budget */
		rc = calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                     "%s has no analytic interval (calib-agree bootstraps it): "
		                     "plan another coefficient of the criterion",
		                     d->stat);
		goto done;
	}
	out->median_width = median(widths, replicates);
	out->median_estimate = median(est, replicates);
	if (!isnan(width))
		out->share_within = (double)within / (double)replicates;
	rc = CALIB_OK;
done:
	calib_matrix_free(m);
	calib_stats_free(&st);
	gsl_rng_free(rng);
	free(widths);
	free(est);
	free(x);
	return rc;
}

/* The closed form's width for n calls. */
static double
closed_width(const struct calib_plan_design *d, const char *form, double n)
{
	if (strcmp(form, "bonett2002") == 0)
		return calib_plan_bonett_width(d->expected, d->n_raters, n, d->conf);
	return calib_plan_kappa_width(d->expected, yes_share(d), n, d->conf);
}

/* The fewest calls the closed form says give width w. */
static double
closed_calls(const struct calib_plan_design *d, const char *form, double w)
{
	if (strcmp(form, "bonett2002") == 0)
		return calib_plan_bonett_calls(d->expected, d->n_raters, w, d->conf);
	return calib_plan_kappa_calls(d->expected, yes_share(d), w, d->conf);
}

/* The fewest calls a session of d needs to hold every category once. */
static size_t
min_calls(const struct calib_plan_design *d)
{
	size_t n = 3;
	if (!numeric_stat(d->stat) && n * d->n_raters < d->n_levels)
		n = (d->n_levels + d->n_raters - 1) / d->n_raters;
	return n;
}

enum calib_status
calib_plan_run(const struct calib_plan_design *d, const struct calib_plan_opts *o,
               struct calib_plan_result *r, struct calib_error *err)
{
	const char *form;
	enum calib_status rc;
	size_t lo, hi, n0 = min_calls(d);
	struct calib_plan_sim sim;

	memset(r, 0, sizeof *r);
	r->width = r->share = NAN;
	if ((rc = calib_plan_check(d, err)))
		return rc;
	if (o->calls == 0 && !(o->width > 0))
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "a plan needs a target width or a number of calls");
	form = o->method == CALIB_PLAN_SIMULATE ? NULL : calib_plan_closed_form(d);
	if (o->method == CALIB_PLAN_CLOSED && !form)
		return calib_error_set(
		        err, CALIB_EARG, NULL, 0, 0,
		        "no closed form for %s: Bonett (2002) covers icc1 and "
		        "icc3, Fleiss, Cohen & Everitt (1969) cohen_kappa with two "
		        "raters on a binary criterion",
		        d->stat);
	if (form) {
		r->method = form;
		if (o->calls) {
			r->n_calls = o->calls;
		} else {
			double n = ceil(closed_calls(d, form, o->width) - 1e-9);
			r->n_calls = n < (double)n0 ? n0 : (size_t)n;
			if (n > (double)o->max_calls) {
				r->n_calls = 0;
				snprintf(r->note, sizeof r->note, "more than %zu calls",
				         o->max_calls);
				return CALIB_OK;
			}
		}
		r->width = closed_width(d, form, (double)r->n_calls);
		return CALIB_OK;
	}
	r->method = "simulation";
	if (o->calls) {
		if (o->calls < n0)
			return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
			                       "a simulated session needs at least %zu calls",
			                       n0);
		r->n_calls = o->calls;
		if ((rc = calib_plan_simulate(d, o->calls, o->width, o->replicates, o->seed,
		                              &sim, err)))
			return rc;
		r->width = sim.median_width;
		r->share = sim.share_within;
		return CALIB_OK;
	}
	/* the smallest n whose median width is within the target: doubling,
	 * then halving the gap (the same seed at every n keeps the median
	 * widths in step) */
	lo = n0;
	if ((rc = calib_plan_simulate(d, lo, o->width, o->replicates, o->seed, &sim, err)))
		return rc;
	if (sim.median_width <= o->width) {
		hi = lo;
	} else {
		hi = lo;
		for (;;) {
			lo = hi;
			hi = hi * 2 > o->max_calls ? o->max_calls : hi * 2;
			if ((rc = calib_plan_simulate(d, hi, o->width, o->replicates, o->seed,
			                              &sim, err)))
				return rc;
			if (sim.median_width <= o->width)
				break;
			if (hi == o->max_calls) {
				snprintf(r->note, sizeof r->note,
				         "more than %zu calls (median width %.3g there)",
				         o->max_calls, sim.median_width);
				return CALIB_OK;
			}
		}
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if ((rc = calib_plan_simulate(d, mid, o->width, o->replicates, o->seed,
			                              &sim, err)))
				return rc;
			if (sim.median_width <= o->width)
				hi = mid;
			else
				lo = mid;
		}
	}
	r->n_calls = hi;
	if ((rc = calib_plan_simulate(d, hi, o->width, o->replicates, o->seed, &sim, err)))
		return rc;
	r->width = sim.median_width;
	r->share = sim.share_within;
	return CALIB_OK;
}

void
calib_plan_session_free(struct calib_plan_session *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_rows; i++)
		free(p->names[i]);
	free(p->names);
	free(p->rows);
	free(p);
}

static struct calib_plan_session *
session_alloc(size_t n)
{
	struct calib_plan_session *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->rows = calloc(n ? n : 1, sizeof *p->rows);
	p->names = calloc(n ? n : 1, sizeof *p->names);
	if (!p->rows || !p->names) {
		free(p->rows);
		free(p->names);
		free(p);
		return NULL;
	}
	p->n_rows = n;
	return p;
}

/* The row needing the most calls among those planned (one needing more
 * than any search reached counts most). */
static size_t
driving_row(const struct calib_plan_session *p)
{
	size_t best = p->n_rows;
	for (size_t i = 0; i < p->n_rows; i++) {
		const struct calib_plan_row *r = &p->rows[i];
		if (!r->planned)
			continue;
		if (best == p->n_rows) {
			best = i;
			continue;
		}
		const struct calib_plan_row *b = &p->rows[best];
		if (b->result.n_calls == 0)
			continue;
		if (r->result.n_calls == 0 || r->result.n_calls > b->result.n_calls ||
		    (r->result.n_calls == b->result.n_calls &&
		     r->result.width > b->result.width))
			best = i;
	}
	return best;
}

enum calib_status
calib_plan_one(const struct calib_plan_design *d, const struct calib_plan_opts *o,
               struct calib_plan_session **out, struct calib_error *err)
{
	struct calib_plan_session *p = session_alloc(1);
	struct calib_plan_row *r;
	enum calib_status rc;

	*out = NULL;
	if (!p || !(p->names[0] = strdup("")))
		goto nomem;
	r = &p->rows[0];
	r->criterion = p->names[0];
	snprintf(r->stat, sizeof r->stat, "%s", d->stat ? d->stat : "");
	r->scale = d->scale;
	r->n_raters = d->n_raters;
	r->expected = d->expected;
	r->yes_share = d->n_levels == 2 && !numeric_stat(r->stat) ? yes_share(d) : NAN;
	r->n_levels = d->n_levels;
	r->conf = d->conf;
	r->at_least_chance = d->at_least_chance;
	if (d->n_levels <= CALIB_PLAN_MAX_LEVELS) {
		level_shares(d, r->share);
		level_values(d, r->value);
	}
	if ((rc = calib_plan_run(d, o, &r->result, err))) {
		calib_plan_session_free(p);
		return rc;
	}
	r->planned = true;
	p->drives = 0;
	*out = p;
	return CALIB_OK;
nomem:
	calib_plan_session_free(p);
	return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
}

/*
 * The shares of the categories criterion crit used in s (N/A left out)
 * and their values, into share[] and value[] (*q of them). false when
 * the criterion has more categories than a plan takes.
 */
static enum calib_status
session_shares(const struct calib_store *s, uint32_t crit, double *share, double *value,
               size_t *q)
{
	struct calib_matrix_opts mo;
	struct calib_matrix *m = NULL;
	size_t n = 0, levels;
	enum calib_status rc;

	calib_matrix_opts_init(&mo);
	mo.na = CALIB_NA_DROP;
	if ((rc = calib_matrix_build(s, crit, &mo, &m)))
		return rc;
	levels = m->n_levels - (m->na_level ? 1 : 0);
	*q = levels;
	if (levels > CALIB_PLAN_MAX_LEVELS) {
		calib_matrix_free(m);
		return CALIB_OK;
	}
	for (size_t c = 0; c < levels; c++) {
		share[c] = 0;
		value[c] = m->value[c];
	}
	for (size_t t = 0; t < m->n_scores; t++)
		if (m->cat[t] < levels) {
			share[m->cat[t]]++;
			n++;
		}
	for (size_t c = 0; c < levels; c++)
		share[c] = n ? share[c] / (double)n : 1.0 / (double)levels;
	calib_matrix_free(m);
	return CALIB_OK;
}

/* The design row r was (or is to be) planned with; its arrays are r's. */
static void
row_design(const struct calib_plan_row *r, struct calib_plan_design *d)
{
	calib_plan_design_init(d);
	d->stat = r->stat;
	d->scale = r->scale;
	d->n_raters = r->n_raters;
	d->expected = r->expected;
	d->n_levels = r->n_levels;
	d->share = r->share;
	d->value = r->value;
	d->conf = r->conf;
	d->at_least_chance = r->at_least_chance;
}

struct rows_job {
	struct calib_plan_session *p;
	const struct calib_plan_opts *o;
	const bool *todo;
	enum calib_status *status;
};

/* calib_parallel_for's item: plan row i (when it is to be planned). */
static void
plan_row_job(void *ctx, size_t i, unsigned w)
{
	struct rows_job *j = ctx;
	struct calib_plan_row *r = &j->p->rows[i];
	struct calib_plan_design d;
	struct calib_error e;

	(void)w;
	if (!j->todo[i])
		return;
	row_design(r, &d);
	calib_error_clear(&e);
	j->status[i] = calib_plan_run(&d, j->o, &r->result, &e);
	if (j->status[i]) {
		memset(&r->result, 0, sizeof r->result);
		r->result.width = r->result.share = NAN;
		snprintf(r->result.note, sizeof r->result.note, "%.150s", e.msg);
	}
}

enum calib_status
calib_plan_session_run(const struct calib_store *s, const char *stat, size_t n_raters,
                       double conf, const struct calib_plan_opts *o,
                       struct calib_plan_session **out, struct calib_error *err)
{
	struct calib_report_opts ro;
	struct calib_report *rep = NULL;
	struct calib_plan_session *p = NULL;
	bool *todo = NULL;
	enum calib_status rc, *status = NULL;

	*out = NULL;
	calib_report_opts_init(&ro);
	ro.stat = stat;
	ro.coef.conf = conf;
	ro.threads = o->threads;
	if ((rc = calib_report_run(s, &ro, &rep, err)))
		return rc;
	todo = calloc(rep->n_rows ? rep->n_rows : 1, sizeof *todo);
	status = calloc(rep->n_rows ? rep->n_rows : 1, sizeof *status);
	if (!todo || !status || !(p = session_alloc(rep->n_rows))) {
		rc = calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < rep->n_rows; i++) {
		const struct calib_report_row *row = &rep->rows[i];
		struct calib_plan_row *r = &p->rows[i];
		struct calib_plan_design d;
		const struct calib_stat *h;
		double share[CALIB_PLAN_MAX_LEVELS], value[CALIB_PLAN_MAX_LEVELS];

		if (!(p->names[i] = strdup(row->criterion))) {
			rc = calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		r->criterion = p->names[i];
		r->scale = row->scale;
		r->observed_calls = row->n_calls;
		r->n_raters = n_raters ? n_raters : row->n_raters;
		r->expected = r->yes_share = NAN;
		r->result.width = r->result.share = NAN;
		if (row->n_calls == 0) {
			snprintf(r->result.note, sizeof r->result.note,
			         "no scores in the session: nothing to plan from");
			continue;
		}
		if (row->headline == SIZE_MAX) {
			snprintf(r->result.note, sizeof r->result.note,
			         "no coefficient of the list applies");
			continue;
		}
		h = &rep->stats.v[row->first + row->headline];
		snprintf(r->stat, sizeof r->stat, "%s", h->name);
		r->expected = h->estimate;
		if (isnan(h->estimate)) {
			snprintf(r->result.note, sizeof r->result.note,
			         "the session's %s is NA: plan it with --expected", h->name);
			continue;
		}
		if (h->estimate >= 1) {
			snprintf(r->result.note, sizeof r->result.note,
			         "perfect agreement in the session: plan it with --expected");
			continue;
		}
		calib_plan_design_init(&d);
		d.stat = r->stat;
		d.scale = row->scale;
		d.n_raters = r->n_raters;
		d.expected = h->estimate;
		d.conf = conf;
		if (!numeric_stat(r->stat)) {
			uint32_t crit =
			        row->total ? CALIB_NONE
			                   : calib_store_find_criterion(s, row->criterion,
			                                                strlen(row->criterion));
			size_t q = 0;
			if (crit == CALIB_NONE) {
				snprintf(r->result.note, sizeof r->result.note,
				         "%s of a score without categories: not planned",
				         r->stat);
				continue;
			}
			if ((rc = session_shares(s, crit, share, value, &q))) {
				calib_error_set(err, rc, NULL, 0, 0, "out of memory");
				goto done;
			}
			d.n_levels = q;
			if (q <= CALIB_PLAN_MAX_LEVELS) {
				memcpy(r->share, share, q * sizeof *share);
				memcpy(r->value, value, q * sizeof *value);
			}
			d.share = r->share;
			d.value = r->value;
			if (q == 2)
				r->yes_share = share[1];
		}
		r->n_levels = d.n_levels;
		r->conf = conf;
		r->at_least_chance = true;
		todo[i] = true;
	}
	/* the rows' plans are independent (each its own seeded generator):
	 * over the threads asked for, each row's result in its own place */
	{
		struct rows_job job = {p, o, todo, status};
		calib_parallel_for(p->n_rows, o->threads, plan_row_job, &job);
	}
	for (size_t i = 0; i < p->n_rows; i++) {
		struct calib_plan_row *r = &p->rows[i];
		struct calib_plan_design d;
		if (!todo[i])
			continue;
		if (status[i] == CALIB_ENOMEM) {
			rc = calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		if (status[i])
			continue; /* out of the model's reach: its note says why */
		r->planned = true;
		row_design(r, &d);
		if (d.expected < calib_plan_chance(&d))
			snprintf(r->result.note, sizeof r->result.note,
			         "no better than chance: %.3g is what chance alone gives with "
			         "these shares; planned as chance agreement",
			         calib_plan_chance(&d));
	}
	p->drives = driving_row(p);
	rc = CALIB_OK;
done:
	free(todo);
	free(status);
	calib_report_free(rep);
	if (rc) {
		calib_plan_session_free(p);
		return rc;
	}
	*out = p;
	return CALIB_OK;
}

/* The coefficient's name in a sentence (registry.h): "ICC", "AC1", "Fleiss' kappa", ... */
static const char *
stat_words(const char *stat)
{
	const struct calib_stat_info *e = calib_registry_named(stat, strlen(stat));
	return e ? e->words : "Cohen's kappa";
}

/* "structured_close's ICC" or "the ICC" into buf. */
static const char *
whose(const struct calib_plan_row *r, char *buf, size_t n)
{
	if (r->criterion[0])
		snprintf(buf, n, "%s's %s", r->criterion, stat_words(r->stat));
	else
		snprintf(buf, n, "%s%s", strchr(stat_words(r->stat), '\'') ? "" : "the ",
		         stat_words(r->stat));
	return buf;
}

static enum calib_status
sentence(struct calib_table *t, const struct calib_plan_session *p,
         const struct calib_plan_opts *o)
{
	char w[200];
	size_t many = 0;
	const struct calib_plan_row *r;

	for (size_t i = 0; i < p->n_rows; i++)
		many += p->rows[i].planned;
	if (p->drives == p->n_rows)
		return calib_table_footer(t, "Nothing could be planned: see the notes.");
	r = &p->rows[p->drives];
	whose(r, w, sizeof w);
	if (o->calls)
		return calib_table_footer(t,
		                          "With %zu calls and %zu managers, expect %s within "
		                          "\u00b1%.2f%s.",
		                          o->calls, r->n_raters, w, r->result.width / 2,
		                          many > 1 ? " (the widest interval of the session)"
		                                   : "");
	if (r->result.n_calls == 0)
		return calib_table_footer(t,
		                          "No session of up to %zu calls estimates %s within "
		                          "\u00b1%.2f: plan it with more managers or a wider "
		                          "target.",
		                          o->max_calls, w, o->width / 2);
	return calib_table_footer(t,
	                          "Score %zu calls with %zu managers to estimate %s within "
	                          "\u00b1%.2f%s.",
	                          r->result.n_calls, r->n_raters, w, o->width / 2,
	                          many > 1 ? " (the criterion that needs the most calls)" : "");
}

struct calib_table *
calib_plan_table(const struct calib_plan_session *p, double conf,
                 const struct calib_plan_opts *o)
{
	static const char *const cols[] = {
	        "criterion",    "statistic", "scale",        "n_raters", "expected",
	        "yes_share",    "conf",      "target_width", "n_calls",  "width",
	        "share_within", "method",    "replicates",   "seed",     "note"};
	static const int digits[] = {0, 0, 0, -1, 3, 3, 2, 3, -1, 3, 3, 0, -1, -1, 0};
	struct calib_table *t = calib_table_alloc(cols, sizeof cols / sizeof *cols, digits);

	if (!t)
		return NULL;
	for (size_t i = 0; i < p->n_rows; i++) {
		const struct calib_plan_row *r = &p->rows[i];
		bool sim = r->result.method && strcmp(r->result.method, "simulation") == 0;
		if (calib_table_row(t) || calib_table_text(t, 0, "%s", r->criterion) ||
		    calib_table_text(t, 1, "%s", r->stat) ||
		    calib_table_text(t, 2, "%s", calib_scale_name(r->scale)) ||
		    calib_table_num(t, 3, r->n_raters ? (double)r->n_raters : NAN) ||
		    calib_table_num(t, 4, r->expected) || calib_table_num(t, 5, r->yes_share) ||
		    calib_table_num(t, 6, conf) || calib_table_num(t, 7, o->width) ||
		    calib_table_num(t, 8,
		                    r->planned && r->result.n_calls ? (double)r->result.n_calls
		                                                    : NAN) ||
		    calib_table_num(t, 9, r->result.width) ||
		    calib_table_num(t, 10, r->result.share) ||
		    calib_table_text(t, 11, "%s", r->result.method ? r->result.method : "") ||
		    calib_table_num(t, 12, sim ? (double)o->replicates : NAN) ||
		    calib_table_num(t, 13, sim ? (double)o->seed : NAN) ||
		    calib_table_text(t, 14, "%s", r->result.note))
			goto nomem;
	}
	if (sentence(t, p, o))
		goto nomem;
	return t;
nomem:
	calib_table_free(t);
	return NULL;
}

enum calib_status
calib_plan_curve(const struct calib_plan_row *r, const struct calib_plan_opts *o,
                 const size_t *ns, size_t m, double *widths, struct calib_error *err)
{
	struct calib_plan_design d;
	const char *form;
	enum calib_status rc;

	if (!r->planned)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0, "%s was not planned",
		                       r->criterion);
	row_design(r, &d);
	form = r->result.method && strcmp(r->result.method, "simulation") != 0
	               ? r->result.method
	               : NULL;
	for (size_t i = 0; i < m; i++) {
		struct calib_plan_sim sim;
		if (form) {
			widths[i] = closed_width(&d, form, (double)ns[i]);
			continue;
		}
		widths[i] = NAN;
		if (ns[i] < min_calls(&d))
			continue;
		if ((rc = calib_plan_simulate(&d, ns[i], NAN, o->replicates, o->seed, &sim,
		                              err)))
			return rc;
		widths[i] = sim.median_width;
	}
	return CALIB_OK;
}
