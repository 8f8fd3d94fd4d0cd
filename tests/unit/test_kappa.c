/*
 * test_kappa.c - unit tests of the Cohen family (kappa.c): hand-computed
 * cases, undefined cases, option errors, and every reference data set of
 * tests/reference (Cohen's kappa rows of irr, irrCAC, statsmodels and
 * scikit-learn, Light's kappa rows of irr).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "calib/kappa.h"
#include "calib/matrix.h"
#include "calib/stat.h"

#include "tap.h"
#include "ref.h"

static struct calib_matrix *
from_values(const double *x, size_t n, size_t k)
{
	struct calib_matrix *m = NULL;

	if (calib_matrix_from_values(x, n, k, CALIB_SCALE_INTERVAL, &m) != CALIB_OK)
		return NULL;
	return m;
}

static const struct calib_stat *
get(const struct calib_stats *l, const char *name)
{
	const struct calib_stat *s = calib_stats_find(l, name);

	if (!s) {
		static struct calib_stat none;

		none.estimate = none.se = none.lower = none.upper = none.test = none.p = NAN;
		ok(0, "record %s exists", name);
		return &none;
	}
	return s;
}

static enum calib_status
run(const struct calib_matrix *m, const struct calib_coef_opts *o, struct calib_stats *l)
{
	struct calib_error e;

	calib_error_clear(&e);
	calib_stats_clear(l);
	return calib_kappa_compute(m, o, l, &e);
}

/*
 * 2x2 table a = 20 (both first category), b = 5 (first rater first,
 * second rater second), c = 10, d = 15; n = 50. By hand:
 * p_o = 35/50 = .7; first rater's margins .5/.5, second's .6/.4;
 * p_e = .5*.6 + .5*.4 = .5; kappa = (.7 - .5)/(1 - .5) = .4.
 * FCE (1969) null variance: [p_e + p_e^2 - sum_k p_k. p_.k (p_k. + p_.k)]
 * / (n (1 - p_e)^2) = [.75 - (.5*.6*1.1 + .5*.4*.9)] / (50 * .25)
 * = .24/12.5 = .0192.
 * Non-null variance: A = sum_k p_kk (1 - (p_k. + p_.k)(1 - kappa))^2
 * = .4 (1 - 1.1*.6)^2 + .3 (1 - .9*.6)^2 = .04624 + .06348 = .10972;
 * B = (1 - kappa)^2 sum_{k!=l} p_kl (p_.k + p_l.)^2
 * = .36 (.1 * (.6+.5)^2 + .2 * (.4+.5)^2) = .36 * .283 = .10188;
 * C = (kappa - p_e (1 - kappa))^2 = (.4 - .3)^2 = .01;
 * var = (A + B - C)/12.5 = .2016/12.5 = .016128.
 * Byrt, Bishop & Carlin (1993): prevalence index (a - d)/n = 5/50 = .1,
 * bias index (b - c)/n = -5/50 = -.1, PABAK = 2*.7 - 1 = .4.
 */
static void
test_two_by_two(void)
{
	double x[100];
	size_t i, r = 0;
	struct calib_matrix *m;
	struct calib_coef_opts o;
	struct calib_stats l;
	const struct calib_stat *s, *z;
	double se = sqrt(0.016128), se0 = sqrt(0.0192), zc = gsl_cdf_ugaussian_Pinv(0.975);

	for (i = 0; i < 20; i++, r++)
		x[2 * r] = 0, x[2 * r + 1] = 0;
	for (i = 0; i < 5; i++, r++)
		x[2 * r] = 0, x[2 * r + 1] = 1;
	for (i = 0; i < 10; i++, r++)
		x[2 * r] = 1, x[2 * r + 1] = 0;
	for (i = 0; i < 15; i++, r++)
		x[2 * r] = 1, x[2 * r + 1] = 1;
	m = from_values(x, 50, 2);
	calib_coef_opts_init(&o);
	calib_stats_init(&l);
	ok(run(m, &o, &l) == CALIB_OK, "2x2: computes");
	s = get(&l, "cohen_kappa");
	z = get(&l, "cohen_kappa_z");
	is_double(s->estimate, 0.4, 1e-12, "2x2: kappa = .4");
	is_double(s->se, se, 1e-12, "2x2: FCE se = sqrt(.016128)");
	is_double(s->lower, 0.4 - zc * se, 1e-12, "2x2: lower bound");
	is_double(s->upper, 0.4 + zc * se, 1e-12, "2x2: upper bound");
	is_double(z->se, se0, 1e-12, "2x2: null se = sqrt(.0192)");
	is_double(z->estimate, 0.4 / se0, 1e-12, "2x2: z = kappa/se0");
	is_double(z->p, 2 * gsl_cdf_ugaussian_Q(0.4 / se0), 1e-12, "2x2: two-sided p");
	is_double(s->test, z->estimate, 1e-15, "2x2: main record carries the z test");
	is_long((long)s->n_items, 50, "2x2: n = 50");
	/* With two categories every weighting is the identity. */
	is_double(get(&l, "cohen_kappa_quadratic")->estimate, 0.4, 1e-12,
	          "2x2: quadratic = unweighted");
	is_double(get(&l, "cohen_kappa_linear_rank_z")->se, se0, 1e-12,
	          "2x2: linear rank null se = unweighted");
	is_double(get(&l, "prevalence_index")->estimate, 0.1, 1e-12,
	          "2x2: prevalence index (20 - 15)/50");
	is_double(get(&l, "bias_index")->estimate, -0.1, 1e-12, "2x2: bias index (5 - 10)/50");
	is_double(get(&l, "pabak")->estimate, 0.4, 1e-12, "2x2: PABAK 2*.7 - 1");
	is_double(get(&l, "light_kappa")->estimate, 0.4, 1e-12,
	          "2x2: Light's kappa of two raters = Cohen's");
	o.conf = 0.5;
	run(m, &o, &l);
	is_double(get(&l, "cohen_kappa")->upper, 0.4 + gsl_cdf_ugaussian_Pinv(0.75) * se, 1e-12,
	          "2x2: bounds follow conf");
	calib_stats_free(&l);
	calib_matrix_free(m);
}

/*
 * Unequally spaced values 1, 2, 4; calls (1,1) (2,4) (4,2) (1,2).
 * Margins: first rater 1: .5, 2: .25, 4: .25; second 1: .25, 2: .5, 4: .25.
 * Linear on values, disagreement d = |x_k - x_l|/3: d(1,2) = 1/3,
 * d(2,4) = 2/3, d(1,4) = 1; observed mean d = (0 + 2/3 + 2/3 + 1/3)/4 = 5/12;
 * expected sum p_k. p_.l d_kl = 20/48 = 5/12; kappa = 1 - 1 = 0.
 * Linear on ranks: d(1,2) = d(2,4) = 1/2, d(1,4) = 1; observed 3/8,
 * expected 14/32 = 7/16; kappa = 1 - 6/7 = 1/7.
 * Quadratic on values: d = (x_k - x_l)^2/9: 1/9, 4/9, 1; observed 1/4,
 * expected 44/144 = 11/36; kappa = 1 - 9/11 = 2/11.
 * Quadratic on ranks: d = 1/4, 1/4, 1; observed (0 + 1/4 + 1/4 + 1/4)/4 = 3/16;
 * expected 1/16 + 1/8 + 1/64 + 1/64 + 1/16 + 1/32 = 20/64 = 5/16;
 * kappa = 1 - (3/16)/(5/16) = 2/5.
 * Unweighted: p_o = 1/4, p_e = .5*.25 + .25*.5 + .25*.25 = 5/16,
 * kappa = (4/16 - 5/16)/(11/16) = -1/11.
 */
static void
test_weights(void)
{
	const double x[] = {1, 1, 2, 4, 4, 2, 1, 2};
	struct calib_matrix *m = from_values(x, 4, 2);
	struct calib_coef_opts o;
	struct calib_stats l;
	const double cw[] = {1, 0.5, 0, 0.5, 1, 0.5, 0, 0.5, 1};
	const double bad[] = {1, 0.5, 0, 0.5, 0.9, 0.5, 0, 0.5, 1};
	struct calib_error e;

	calib_coef_opts_init(&o);
	calib_stats_init(&l);
	run(m, &o, &l);
	is_double(get(&l, "cohen_kappa")->estimate, -1.0 / 11, 1e-12,
	          "weights: unweighted -1/11");
	is_double(get(&l, "cohen_kappa_linear")->estimate, 0.0, 1e-12,
	          "weights: linear on values 0");
	is_double(get(&l, "cohen_kappa_linear_rank")->estimate, 1.0 / 7, 1e-12,
	          "weights: linear on ranks 1/7");
	is_double(get(&l, "cohen_kappa_quadratic")->estimate, 2.0 / 11, 1e-12,
	          "weights: quadratic on values 2/11");
	is_double(get(&l, "cohen_kappa_quadratic_rank")->estimate, 0.4, 1e-12,
	          "weights: quadratic on ranks 2/5");
	ok(calib_stats_find(&l, "cohen_kappa_custom") == NULL,
	   "weights: no custom record without custom weights");
	ok(calib_stats_find(&l, "pabak") == NULL, "weights: no PABAK for 3 categories");
	/* Custom weights equal to the linear rank weights give the same record. */
	o.custom_w = cw;
	o.custom_q = 3;
	ok(run(m, &o, &l) == CALIB_OK, "custom: computes");
	is_double(get(&l, "cohen_kappa_custom")->estimate, 1.0 / 7, 1e-12,
	          "custom: rank-linear matrix 1/7");
	is_double(get(&l, "cohen_kappa_custom")->se, get(&l, "cohen_kappa_linear_rank")->se,
	          1e-12, "custom: same se");
	is_double(get(&l, "cohen_kappa_custom_z")->se, get(&l, "cohen_kappa_linear_rank_z")->se,
	          1e-12, "custom: same null se");
	/* Errors: wrong order, invalid weights, bad confidence level. */
	o.custom_q = 2;
	calib_error_clear(&e);
	ok(calib_kappa_compute(m, &o, &l, &e) == CALIB_EARG && e.msg[0],
	   "custom: wrong order is CALIB_EARG with a message");
	o.custom_q = 3;
	o.custom_w = bad;
	calib_error_clear(&e);
	ok(calib_kappa_compute(m, &o, &l, &e) == CALIB_EARG,
	   "custom: diagonal not 1 is CALIB_EARG");
	o.custom_w = NULL;
	o.conf = 1.0;
	calib_error_clear(&e);
	ok(calib_kappa_compute(m, &o, &l, &e) == CALIB_EARG, "conf 1 is CALIB_EARG");
	o.conf = NAN;
	ok(calib_kappa_compute(m, &o, &l, &e) == CALIB_EARG, "conf NAN is CALIB_EARG");
	calib_stats_free(&l);
	calib_matrix_free(m);
}

/* Undefined cases give NAN with a note, never an error. */
static void
test_undefined(void)
{
	const double same[] = {3, 3, 3, 3, 3, 3};
	const double apart[] = {1, NAN, 2, NAN, NAN, 1, NAN, 2};
	const double one[] = {1, 2, 3};
	const double same_pairs[] = {1, 1, 2, 2, 5, 5};
	const double partial[] = {1, 1, 2, 2, 1, NAN, 2, 1};
	struct calib_matrix *m;
	struct calib_coef_opts o;
	struct calib_stats l;
	const struct calib_stat *s;

	calib_coef_opts_init(&o);
	calib_stats_init(&l);

	m = from_values(same, 3, 2);
	ok(run(m, &o, &l) == CALIB_OK, "constant: not an error");
	s = get(&l, "cohen_kappa");
	ok(isnan(s->estimate) && isnan(s->se) && s->note[0], "constant: kappa NAN, note '%s'",
	   s->note);
	s = get(&l, "cohen_kappa_quadratic_z");
	ok(isnan(s->estimate) && s->note[0], "constant: quadratic z NAN with a note");
	ok(calib_stats_find(&l, "pabak") == NULL, "constant: one category, no PABAK");
	s = get(&l, "light_kappa");
	ok(isnan(s->estimate) && s->note[0], "constant: Light NAN, note '%s'", s->note);
	calib_matrix_free(m);

	m = from_values(apart, 4, 2);
	ok(run(m, &o, &l) == CALIB_OK, "no common call: not an error");
	s = get(&l, "cohen_kappa");
	ok(isnan(s->estimate) && s->note[0], "no common call: NAN, note '%s'", s->note);
	s = get(&l, "prevalence_index");
	ok(isnan(s->estimate) && s->note[0], "no common call: prevalence index NAN");
	s = get(&l, "light_kappa");
	ok(isnan(s->estimate) && s->note[0], "no common call: Light NAN, note '%s'", s->note);
	calib_matrix_free(m);

	m = from_values(one, 3, 1);
	ok(run(m, &o, &l) == CALIB_OK, "one rater: not an error");
	s = get(&l, "cohen_kappa");
	ok(isnan(s->estimate) && s->note[0], "one rater: NAN, note '%s'", s->note);
	s = get(&l, "light_kappa");
	ok(isnan(s->estimate) && s->note[0], "one rater: Light NAN");
	calib_matrix_free(m);

	/*
	 * Calls (1,1) (2,2) (1,-) (2,1): kappa on the 3 calls both scored:
	 * p_o = 2/3, margins (1/3, 2/3) and (2/3, 1/3), p_e = 4/9,
	 * kappa = (6/9 - 4/9)/(5/9) = 2/5.
	 */
	m = from_values(partial, 4, 2);
	run(m, &o, &l);
	s = get(&l, "cohen_kappa");
	is_double(s->estimate, 0.4, 1e-12, "partial: kappa on calls both scored");
	is_long((long)s->n_items, 3, "partial: n = 3");
	is_string(s->note, "1 call scored by one rater left out; CI clipped to [-1, 1]", "partial: note");
	is_double(get(&l, "light_kappa")->estimate, 0.4, 1e-12, "partial: Light on complete");
	calib_matrix_free(m);

	/* Perfect agreement on three categories: kappa 1, se 0. */
	m = from_values(same_pairs, 3, 2);
	run(m, &o, &l);
	s = get(&l, "cohen_kappa_quadratic");
	ok(s->estimate == 1.0 && s->se == 0.0 && s->lower == 1.0 && !s->note[0],
	   "perfect: kappa 1, se 0, bounds 1");
	ok(get(&l, "cohen_kappa_z")->se > 0.0, "perfect: null se positive");
	calib_matrix_free(m);

	/* A single call: irr's kappam.light stops there. */
	m = from_values(one, 1, 3);
	run(m, &o, &l);
	s = get(&l, "light_kappa");
	ok(isnan(s->estimate) && s->note[0], "single call: Light NAN, note '%s'", s->note);
	ok(calib_stats_find(&l, "cohen_kappa") == NULL, "three raters: no Cohen records");
	calib_matrix_free(m);

	/*
	 * A single call scored apart by two raters: each rater's scores are
	 * one category, so p_e = 0 = p_o and kappa came out 0 with se 0 and
	 * the interval [0, 0]. Undefined, for every weighting.
	 */
	{
		static const double split[] = {1, 2};
		static const char *const names[] = {"cohen_kappa", "cohen_kappa_linear",
						    "cohen_kappa_quadratic"};
		m = from_values(split, 1, 2);
		run(m, &o, &l);
		for (size_t k = 0; k < 3; k++) {
			s = get(&l, names[k]);
			ok(isnan(s->estimate) && isnan(s->se) && isnan(s->lower) &&
				   strcmp(s->note, "undefined: a single call scored by both raters") == 0,
			   "single call apart: %s NA, note '%s'", names[k], s->note);
		}
		calib_matrix_free(m);
	}
	calib_stats_free(&l);
}

/* Light's kappa is the mean of the pairwise Cohen's kappas. */
static void
test_light(void)
{
	const double x[] = {1, 1, 2, 2, 2, 2, 3, 3, 1, 1, 1, 1,
	                    3, 2, 3, 2, 1, 1, 3, 3, 3, 1, 2, 1};
	const size_t n = 8, k = 3;
	struct calib_matrix *m = from_values(x, n, k);
	struct calib_coef_opts o;
	struct calib_stats l;
	double sum = 0, y[16];
	size_t a, b, i;

	calib_coef_opts_init(&o);
	calib_stats_init(&l);
	for (a = 0; a < k; a++)
		for (b = a + 1; b < k; b++) {
			struct calib_matrix *p;

			for (i = 0; i < n; i++) {
				y[2 * i] = x[i * k + a];
				y[2 * i + 1] = x[i * k + b];
			}
			p = from_values(y, n, 2);
			run(p, &o, &l);
			sum += get(&l, "cohen_kappa")->estimate;
			calib_matrix_free(p);
		}
	run(m, &o, &l);
	is_double(get(&l, "light_kappa")->estimate, sum / 3, 1e-12,
	          "Light: mean of the three pairwise kappas");
	calib_stats_free(&l);
	calib_matrix_free(m);
}

/*
 * Light's kappa replicated from calls grouped by pattern equals the family
 * re-run on the resampled matrix, exactly: 12 calls of 4 raters (two not
 * scored by everyone, repeated patterns), 200 draws under each of 4 seeds,
 * as rows and as counts per call; small draws leave it undefined alike.
 */
static void
test_light_calls(void)
{
	const double N = NAN;
	const double x[] = {1, 1, 2, 2, 2, 2, 3, 3, 1, 1, 1, 1, 3, 2, 3, 2,
	                    1, 1, 2, 2, 3, 1, 2, 1, N, 2, 2, 2, 4, 4, 4, 3,
	                    2, 2, 2, 2, 1, 1, 1, 1, 1, 2, 1, N, 4, 4, 4, 3};
	const size_t n = 12, k = 4;
	struct calib_matrix *m = from_values(x, n, k), *r = NULL;
	struct calib_light_calls *c = NULL;
	struct calib_coef_opts o;
	struct calib_stats l;
	size_t rows[12], all[12], bad = 0, bad_times = 0, undefined = 0;
	unsigned times[12];

	calib_coef_opts_init(&o);
	calib_stats_init(&l);
	ok(m && calib_light_calls_build(m, &c) == CALIB_OK, "light calls: built");
	if (!c) {
		calib_matrix_free(m);
		return;
	}
	run(m, &o, &l);
	is_double(calib_light_calls_estimate(c), get(&l, "light_kappa")->estimate, 0,
	          "light calls: every call once gives the estimate");
	for (size_t i = 0; i < n; i++)
		all[i] = i;
	for (unsigned long seed = 1; seed <= 4; seed++) {
		unsigned long long g = seed;
		for (size_t b = 0; b < 200; b++) {
			/* every 10th draw from 3 calls only: undefined replicates too */
			size_t span = b % 10 == 0 ? 3 : n, d = b % 10 == 0 ? 3 : n;
			double want, est;
			for (size_t i = 0; i < n; i++)
				times[i] = 0;
			for (size_t i = 0; i < d; i++) {
				g = g * 6364136223846793005u + 1442695040888963407u;
				rows[i] = (size_t)(g >> 33) % span;
				times[rows[i]]++;
			}
			if (calib_matrix_resample(m, rows, d, &r) != CALIB_OK || run(r, &o, &l)) {
				bad++;
				continue;
			}
			want = get(&l, "light_kappa")->estimate;
			undefined += isnan(want);
			calib_light_calls_resample(c, rows, NULL, d);
			est = calib_light_calls_estimate(c);
			if (!(est == want || (isnan(est) && isnan(want))) && bad++ < 5)
				printf("# seed %lu replicate %zu: %.17g, family %.17g\n", seed, b, est,
				       want);
			calib_light_calls_resample(c, all, times, n);
			est = calib_light_calls_estimate(c);
			if (!(est == want || (isnan(est) && isnan(want))) && bad_times++ < 5)
				printf("# seed %lu replicate %zu by counts: %.17g, family %.17g\n", seed,
				       b, est, want);
		}
	}
	{
		/* every call once, as counts per pattern: the estimate again */
		double share[13];
		unsigned pt[13];
		size_t np = calib_light_calls_patterns(c, share);
		run(m, &o, &l);
		for (size_t p = 0; p < np; p++)
			pt[p] = (unsigned)share[p];
		calib_light_calls_resample_patterns(c, pt);
		ok(np == 8 && share[np - 1] == 2, "light calls: 7 patterns and 2 incomplete calls");
		is_double(calib_light_calls_estimate(c), get(&l, "light_kappa")->estimate, 0,
		          "light calls: patterns counted once give the estimate");
	}
	is_long((long)bad, 0, "light calls: 800 replicates equal the family on resampled matrices");
	is_long((long)bad_times, 0, "light calls: drawn as counts per call, the same");
	ok(undefined > 0 && undefined < 800, "light calls: some replicates undefined (%zu)",
	   undefined);
	calib_light_calls_free(c);
	calib_matrix_free(r);
	calib_matrix_free(m);
	calib_stats_free(&l);
}

/* The N/A category (last, value NAN) stays nominal under value weights. */
static void
test_na_level(void)
{
	/* Categories 1, 2, N/A; calls (1,1) (2,2) (NA,NA) (1,2) (2,NA) (1,NA). */
	size_t off[] = {0, 2, 4, 6, 8, 10, 12};
	uint32_t col[] = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
	uint32_t cat[] = {0, 0, 1, 1, 2, 2, 0, 1, 1, 2, 0, 2};
	double value[] = {1, 2, NAN};
	struct calib_matrix m = {0};
	struct calib_coef_opts o;
	struct calib_stats l;
	double k;

	m.n_items = 6;
	m.n_raters = 2;
	m.n_levels = 3;
	m.n_scores = 12;
	m.off = off;
	m.col = col;
	m.cat = cat;
	m.value = value;
	m.na_level = true;
	calib_coef_opts_init(&o);
	calib_stats_init(&l);
	ok(run(&m, &o, &l) == CALIB_OK, "N/A: computes");
	/*
	 * With two valued categories linear and quadratic weights are 0
	 * between them and N/A is nominal: every weighting is the identity.
	 * p_o = 3/6; margins first (3/6, 2/6, 1/6), second (1/6, 2/6, 3/6);
	 * p_e = (3 + 4 + 3)/36 = 10/36; kappa = (18 - 10)/(36 - 10) = 4/13.
	 */
	k = get(&l, "cohen_kappa")->estimate;
	is_double(k, 4.0 / 13, 1e-12, "N/A: unweighted 4/13");
	is_double(get(&l, "cohen_kappa_quadratic")->estimate, k, 1e-12,
	          "N/A: quadratic = unweighted");
	is_double(get(&l, "cohen_kappa_linear_rank")->estimate, k, 1e-12,
	          "N/A: linear rank = unweighted");
	calib_stats_free(&l);
}

/* Labels that sort as text in numeric order (irr kappa2's rank weights). */
static bool text_order_ok;

static bool
want_complete(const char *stat, const char *source)
{
	if (strncmp(stat, "cohen_kappa", 11) != 0 && strcmp(stat, "light_kappa") != 0)
		return false;
	if (!ref_source_complete(source))
		return false;
	/*
	 * Reference README, disagreement group 3: irr kappa2 orders score
	 * labels as text ("10" before "2"), so its rank weights are wrong when
	 * the labels do not sort as text; scikit-learn and statsmodels are
	 * followed there.
	 */
	if (strstr(source, "kappa2(") && strstr(stat, "_rank") && !text_order_ok)
		return false;
	return true;
}

static bool
want_all(const char *stat, const char *source)
{
	return (strncmp(stat, "cohen_kappa", 11) == 0 || strcmp(stat, "light_kappa") == 0) &&
	       ref_source_all_scores(source);
}

static bool
sorts_as_text(const struct calib_matrix *m)
{
	char a[64], b[64];

	for (size_t k = 1; k < m->n_levels; k++) {
		snprintf(a, sizeof a, "%.15g", m->value[k - 1]);
		snprintf(b, sizeof b, "%.15g", m->value[k]);
		if (strcmp(a, b) >= 0)
			return false;
	}
	return true;
}

static void
test_reference(void)
{
	struct calib_coef_opts o;
	struct calib_stats l;
	size_t checked = 0;

	(void)ref_has_missing;
	calib_coef_opts_init(&o);
	calib_stats_init(&l);
	for (const char *const *name = ref_sets; *name; name++) {
		struct ref_set *set;

		if (ref_load(*name, &set) != 0) {
			ok(0, "load %s", *name);
			continue;
		}
		for (size_t c = 0; c < ref_n_criteria(set); c++) {
			struct calib_matrix *m = ref_matrix(set, c, false);
			struct calib_matrix *cm = ref_matrix(set, c, true);

			if (!m || !cm) {
				ok(0, "%s %s: matrices", *name, ref_criterion(set, c));
				calib_matrix_free(m);
				calib_matrix_free(cm);
				continue;
			}
			ok(run(m, &o, &l) == CALIB_OK, "%s %s: all scores", *name,
			   ref_criterion(set, c));
			checked += ref_check(set, c, &l, want_all, 1e-9);
			text_order_ok = sorts_as_text(cm);
			ok(run(cm, &o, &l) == CALIB_OK, "%s %s: complete calls", *name,
			   ref_criterion(set, c));
			checked += ref_check(set, c, &l, want_complete, 1e-9);
			calib_matrix_free(m);
			calib_matrix_free(cm);
		}
		ref_free(set);
	}
	ok(checked > 400, "reference: %zu rows checked", checked);
	calib_stats_free(&l);
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_two_by_two();
	test_weights();
	test_undefined();
	test_light();
	test_light_calls();
	test_na_level();
	test_reference();
	return tap_done();
}
