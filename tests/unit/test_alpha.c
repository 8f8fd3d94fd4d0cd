/*
 * test_alpha.c - Krippendorff's alpha (alpha.c): every reference data set
 * against irrCAC, krippendorff and irr, hand-computed cases, the levels
 * emitted per scale, undefined cases, and the bootstrap (determinism, a
 * hand-enumerated tiny case, replicates equal to alpha recomputed on the
 * resampled calls), and calls weighed once per pattern against call by call.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "tap.h"
#include "ref.h"
#include "calib/alpha.h"

/* State of the reference row filter for the criterion being checked. */
static bool cur_missing;  /* the criterion's matrix has a missing score */
static bool cur_constant; /* a single distinct value */

/*
 * Rows from the sources that use every score. irr's kripp.alpha without
 * "+unpairable unit" divides by 1 instead of m_u - 1 when nothing is
 * missing (reference README, disagreement 2): kept only where a score is
 * missing. On a single value irr returns 1 where alpha is 0/0
 * (Krippendorff 2011: no variation, no reliability data), so irr is not
 * compared there.
 */
static bool
want_alpha(const char *statistic, const char *source)
{
	bool irr = strncmp(source, "irr-", 4) == 0;
	if (strncmp(statistic, "kripp_alpha", 11) != 0 || ref_source_complete(source))
		return false;
	if (irr && cur_constant)
		return false;
	if (irr && !strstr(source, "+unpairable unit"))
		return cur_missing;
	return ref_source_all_scores(source);
}

static void
test_reference(void)
{
	for (size_t s = 0; ref_sets[s]; s++) {
		struct ref_set *r = NULL;
		if (ref_load(ref_sets[s], &r) != 0) {
			ok(0, "load %s", ref_sets[s]);
			continue;
		}
		for (size_t c = 0; c < ref_n_criteria(r); c++) {
			struct calib_matrix *m = ref_matrix(r, c, false);
			struct calib_stats st;
			struct calib_error err;
			calib_stats_init(&st);
			if (!m) {
				ok(0, "matrix %s %s", ref_sets[s], ref_criterion(r, c));
				continue;
			}
			cur_missing = ref_has_missing(r, c);
			cur_constant = m->n_levels == 1;
			if (calib_alpha_compute(m, NULL, &st, &err) != CALIB_OK)
				ok(0, "compute %s %s", ref_sets[s], ref_criterion(r, c));
			else
				ref_check(r, c, &st, want_alpha, 1e-9);
			calib_stats_free(&st);
			calib_matrix_free(m);
		}
		ref_free(r);
	}
}

static void test_boot_replicates(const struct calib_matrix *m, const char *what, size_t nb,
                                 int lo, int hi, int multinomial);

static struct calib_matrix *
matrix(const double *x, size_t n, size_t k)
{
	struct calib_matrix *m = NULL;
	if (calib_matrix_from_values(x, n, k, CALIB_SCALE_INTERVAL, &m) != CALIB_OK)
		return NULL;
	return m;
}

static const struct calib_stat *
find(const struct calib_stats *st, const char *name)
{
	return calib_stats_find(st, name);
}

/* Krippendorff (2011), section C: 4 observers x 12 units, rows of 4. */
#define N NAN
static const double kripp2011[12 * 4] = {
        1, 1, N, 1, 2, 2, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 2, 3, 4,
        4, 4, 4, 4, 1, 1, 2, 1, 2, 2, 2, 2, N, 5, 5, 5, N, N, 1, 1, N, 3, N, N,
};
#undef N

/*
 * Krippendorff (2011), section C: 4 observers x 12 units with missing
 * values; the paper's rounded alphas 0.743 (nominal), 0.815 (ordinal),
 * 0.849 (interval), 0.797 (ratio).
 */
static void
test_krippendorff2011(void)
{
	const double *x = kripp2011;
	struct calib_matrix *m = matrix(x, 12, 4);
	struct calib_stats st;
	calib_stats_init(&st);
	ok(m && calib_alpha_compute(m, NULL, &st, NULL) == CALIB_OK, "paper example runs");
	is_long((long)st.n, 4, "four levels on a numeric scale");
	is_double(round(find(&st, "kripp_alpha_nominal")->estimate * 1000) / 1000, 0.743, 0,
	          "nominal 0.743");
	is_double(round(find(&st, "kripp_alpha_ordinal")->estimate * 1000) / 1000, 0.815, 0,
	          "ordinal 0.815");
	is_double(round(find(&st, "kripp_alpha_interval")->estimate * 1000) / 1000, 0.849, 0,
	          "interval 0.849");
	is_double(round(find(&st, "kripp_alpha_ratio")->estimate * 1000) / 1000, 0.797, 0,
	          "ratio 0.797");
	is_long((long)find(&st, "kripp_alpha_nominal")->n_items, 11, "11 pairable calls");
	is_double(find(&st, "kripp_alpha_nominal")->df1, 10, 0, "df1 = pairable calls - 1");
	ok(strstr(find(&st, "kripp_alpha_nominal")->note, "1 call with a single score") != NULL,
	   "the unpairable call is named in the note");
	ok(isnan(find(&st, "kripp_alpha_ordinal")->se), "no analytic se at the ordinal level");
	calib_stats_free(&st);
	calib_matrix_free(m);
}

/*
 * Tiny case by hand: calls (1,2) and (1,1), 2 raters. Pairable values
 * n_1 = 3, n_2 = 1, n = 4. Nominal: sum o delta2 = 2 (the pair 1-2 in both
 * orders), sum n_c n_k delta2 = 2 * 3 * 1 = 6, alpha = 1 - 3 * 2 / 6 = 0.
 * Gwet's se: rbar = 2, p = (3/4, 1/4), De = 2 p1 p2 = 3/8, Dp = 1/2,
 * Dpa = 3/8, alpha' = -1/3; g = (1/4, 3/4); call 1: x = 2 / (1 * 2) = 1,
 * y = (1/4 + 3/4) / 2 = 1/2; call 2: x = 0, y = 2 * 1/4 / 2 = 1/4; so
 * e = -4/9 and 4/9 and se = sqrt((16/81 + 16/81) / (2 * 1)) = 4/9.
 */
static void
test_tiny(void)
{
	const double x[] = {1, 2, 1, 1};
	struct calib_matrix *m = matrix(x, 2, 2);
	struct calib_stats st;
	double e1, e2, se;
	calib_stats_init(&st);
	calib_alpha_compute(m, NULL, &st, NULL);
	is_double(find(&st, "kripp_alpha_nominal")->estimate, 0, 1e-12, "tiny nominal 0");
	/* e_u = (Dp - x_u)/De - 2 (1 - alpha') (De - y_u)/De */
	e1 = (0.5 - 1.0) / 0.375 - 2 * (4.0 / 3) * (0.375 - 0.5) / 0.375;
	e2 = (0.5 - 0.0) / 0.375 - 2 * (4.0 / 3) * (0.375 - 0.25) / 0.375;
	se = sqrt((e1 * e1 + e2 * e2) / 2);
	is_double(se, 4.0 / 9, 1e-12, "tiny: the hand terms give 4/9");
	is_double(find(&st, "kripp_alpha_nominal")->se, se, 1e-12, "tiny nominal se by hand");
	/* two values only: every level reduces to the nominal one */
	is_double(find(&st, "kripp_alpha_interval")->estimate, 0, 1e-12, "tiny interval 0");
	is_double(find(&st, "kripp_alpha_ordinal")->estimate, 0, 1e-12, "tiny ordinal 0");
	is_double(find(&st, "kripp_alpha_ratio")->estimate, 0, 1e-12, "tiny ratio 0");
	is_double(find(&st, "kripp_alpha_interval")->se, se, 1e-12, "tiny interval se");
	calib_stats_free(&st);
	calib_matrix_free(m);
}

static void
test_undefined(void)
{
	const double same[] = {3, 3, 3, 3, 3, NAN};
	const double lone[] = {1, NAN, NAN, 2, 3, NAN};
	const double neg[] = {-1, 1, 2, 2, 0, 0};
	const double zero[] = {0, 0, 0, 0, 1, 1};
	struct calib_matrix *m;
	struct calib_stats st;
	struct calib_coef_opts o;
	struct calib_error err;

	calib_stats_init(&st);
	m = matrix(same, 3, 2);
	calib_alpha_compute(m, NULL, &st, NULL);
	ok(isnan(find(&st, "kripp_alpha_interval")->estimate), "single value: NAN");
	is_string(find(&st, "kripp_alpha_nominal")->note, "undefined: a single value observed",
	          "single value: note");
	calib_matrix_free(m);

	calib_stats_clear(&st);
	m = matrix(lone, 3, 2);
	calib_alpha_compute(m, NULL, &st, NULL);
	ok(isnan(find(&st, "kripp_alpha_nominal")->estimate), "no pairable call: NAN");
	is_string(find(&st, "kripp_alpha_ratio")->note, "undefined: no call has two scores",
	          "no pairable call: note");
	calib_matrix_free(m);

	calib_stats_clear(&st);
	m = matrix(neg, 3, 2);
	calib_alpha_compute(m, NULL, &st, NULL);
	ok(isnan(find(&st, "kripp_alpha_ratio")->estimate), "negative score: ratio NAN");
	is_string(find(&st, "kripp_alpha_ratio")->note,
	          "undefined: the ratio level needs scores >= 0", "negative score: note");
	ok(!isnan(find(&st, "kripp_alpha_interval")->estimate),
	   "negative score: interval defined");
	calib_matrix_free(m);

	/* (0, 0) agrees: ratio alpha = interval alpha = nominal alpha here (two values) */
	calib_stats_clear(&st);
	m = matrix(zero, 3, 2);
	calib_alpha_compute(m, NULL, &st, NULL);
	is_double(find(&st, "kripp_alpha_ratio")->estimate, 1, 1e-12,
	          "zeros agree at the ratio level");
	is_double(find(&st, "kripp_alpha_ratio")->se, 0, 1e-12, "perfect agreement: se 0");
	is_double(find(&st, "kripp_alpha_ratio")->p, 0, 0, "perfect agreement: p 0");
	is_double(find(&st, "kripp_alpha_ratio")->upper, 1, 0, "perfect agreement: upper 1");

	calib_coef_opts_init(&o);
	o.conf = 1.5;
	is_long(calib_alpha_compute(m, &o, &st, &err), CALIB_EARG, "conf 1.5 refused");
	calib_matrix_free(m);

	/* empty matrix */
	calib_stats_clear(&st);
	m = matrix(NULL, 0, 0);
	ok(m && calib_alpha_compute(m, NULL, &st, NULL) == CALIB_OK, "empty matrix runs");
	ok(st.n == 4 && isnan(st.v[0].estimate), "empty matrix: NAN");
	calib_matrix_free(m);
	calib_stats_free(&st);
}

/* Levels per scale: labelled -> nominal + ordinal; N/A category -> nominal. */
static void
test_levels(void)
{
	const double x[] = {1, 2, 2, 2, 3, 3, 1, 1};
	struct calib_matrix *m = matrix(x, 4, 2);
	struct calib_stats st;
	struct calib_alpha_boot res = {0};
	const char *names[] = {"low", "mid", "high"};

	calib_stats_init(&st);
	m->label = calloc(m->n_levels, sizeof *m->label);
	for (size_t k = 0; k < m->n_levels; k++) {
		m->label[k] = malloc(8);
		strcpy(m->label[k], names[k]);
	}
	calib_alpha_compute(m, NULL, &st, NULL);
	ok(st.n == 2 && find(&st, "kripp_alpha_nominal") && find(&st, "kripp_alpha_ordinal"),
	   "labelled scale: nominal and ordinal");
	is_long(calib_alpha_bootstrap(m, CALIB_ALPHA_INTERVAL, 10, 1, 0.95, 0.667, &res, NULL),
	        CALIB_EARG, "labelled scale: no interval bootstrap");
	m->na_level = true;
	calib_stats_clear(&st);
	calib_alpha_compute(m, NULL, &st, NULL);
	ok(st.n == 1 && find(&st, "kripp_alpha_nominal"), "N/A category: nominal only");
	calib_stats_free(&st);
	calib_matrix_free(m);
}

/* With o->want only the levels named are computed, with the same values. */
static void
test_want(void)
{
	const double x[] = {1, 2, 2, 2, 3, 3, 1, 1, 4, 3, 2, NAN};
	struct calib_matrix *m = matrix(x, 6, 2);
	struct calib_stats all, some;
	struct calib_coef_opts o;
	const struct calib_stat *a, *b;

	calib_stats_init(&all);
	calib_stats_init(&some);
	calib_coef_opts_init(&o);
	calib_alpha_compute(m, &o, &all, NULL);
	o.want = "percent_agreement,kripp_alpha_ordinal,kripp_alpha_ratio";
	calib_alpha_compute(m, &o, &some, NULL);
	ok(all.n == 4 && some.n == 2, "want: two levels of four");
	a = find(&all, "kripp_alpha_ratio");
	b = find(&some, "kripp_alpha_ratio");
	ok(a && b && a->estimate == b->estimate && a->se == b->se, "want: ratio as with every level");
	a = find(&all, "kripp_alpha_ordinal");
	b = find(&some, "kripp_alpha_ordinal");
	ok(a && b && a->estimate == b->estimate, "want: ordinal as with every level");
	calib_stats_free(&all);
	calib_stats_free(&some);
	calib_matrix_free(m);
}

/*
 * irrCAC's krippen.alpha.raw (Gwet 2014) written out literally with dense
 * weights: identity (nominal), quadratic (interval) or ratio weights on the
 * values. An independent check of alpha.c's disagreement form and of its
 * quadrature for many values. Sets *alpha and *se.
 */
static void
irrcac_alpha(const struct calib_matrix *m, enum calib_alpha_level level, double *alpha,
             double *se)
{
	size_t q = m->n_levels, n = 0;
	double *w = malloc(q * q * sizeof *w), *pi = calloc(q, sizeof *pi);
	double *piw = calloc(q, sizeof *piw);
	double lo = m->value[0], hi = m->value[q - 1], rsum = 0, rmean, epsi;
	double paprime = 0, pa, pe = 0, ap, var = 0;

	for (size_t k = 0; k < q; k++)
		for (size_t l = 0; l < q; l++) {
			double a = m->value[k], b = m->value[l], d;
			if (level == CALIB_ALPHA_NOMINAL)
				d = k != l;
			else if (level == CALIB_ALPHA_INTERVAL)
				d = (a - b) * (a - b) / ((hi - lo) * (hi - lo));
			else
				d = (a + b == 0 ? 0
				                : ((a - b) / (a + b)) * ((a - b) / (a + b))) /
				    (((hi - lo) / (hi + lo)) * ((hi - lo) / (hi + lo)));
			w[k * q + l] = 1 - d;
		}
	for (size_t i = 0; i < m->n_items; i++)
		if (calib_matrix_row_n(m, i) >= 2) {
			n++;
			rsum += (double)calib_matrix_row_n(m, i);
		}
	rmean = rsum / (double)n;
	epsi = 1 / rsum;
	/* pass 1: sum.q, pi */
	for (size_t i = 0; i < m->n_items; i++) {
		double ri = (double)calib_matrix_row_n(m, i), sq = 0;
		if (ri < 2)
			continue;
		for (size_t s = m->off[i]; s < m->off[i + 1]; s++) {
			double ww = 0;
			for (size_t t = m->off[i]; t < m->off[i + 1]; t++)
				ww += w[m->cat[s] * q + m->cat[t]];
			sq += ww - 1;
		}
		paprime += sq / (rmean * (ri - 1)) / (double)n;
		for (size_t s = m->off[i]; s < m->off[i + 1]; s++)
			pi[m->cat[s]] += 1 / (rmean * (double)n);
	}
	pa = (1 - epsi) * paprime + epsi;
	for (size_t k = 0; k < q; k++)
		for (size_t l = 0; l < q; l++) {
			pe += w[k * q + l] * pi[k] * pi[l];
			piw[k] += (w[k * q + l] + w[l * q + k]) / 2 * pi[l];
		}
	*alpha = (pa - pe) / (1 - pe);
	ap = (paprime - pe) / (1 - pe);
	for (size_t i = 0; i < m->n_items; i++) {
		double ri = (double)calib_matrix_row_n(m, i), sq = 0, pei = 0, pai, ki, kx;
		if (ri < 2)
			continue;
		for (size_t s = m->off[i]; s < m->off[i + 1]; s++) {
			double ww = 0;
			for (size_t t = m->off[i]; t < m->off[i + 1]; t++)
				ww += w[m->cat[s] * q + m->cat[t]];
			sq += ww - 1;
			pei += piw[m->cat[s]];
		}
		pai = sq / (rmean * (ri - 1)) - pa * (ri - rmean) / rmean;
		ki = (pai - pe) / (1 - pe);
		pei = pei / rmean - pe * (ri - rmean) / rmean;
		kx = ki - 2 * (1 - ap) * (pei - pe) / (1 - pe);
		var += (kx - ap) * (kx - ap);
	}
	*se = sqrt(var / ((double)n * (double)(n - 1)));
	free(w);
	free(pi);
	free(piw);
}

/* Krippendorff's alpha straight from the coincidence definition, O(q^2). */
static double
naive_alpha(const struct calib_matrix *m, enum calib_alpha_level level)
{
	size_t q = m->n_levels;
	double *nc = calloc(q, sizeof *nc), *t = calloc(q, sizeof *t), ntot = 0, dosum = 0;
	double desum = 0, below = 0;

	for (size_t i = 0; i < m->n_items; i++) {
		double ri = (double)calib_matrix_row_n(m, i);
		if (ri < 2)
			continue;
		for (size_t s = m->off[i]; s < m->off[i + 1]; s++)
			nc[m->cat[s]]++, ntot++;
	}
	for (size_t k = 0; k < q; k++) {
		t[k] = below + nc[k] / 2;
		below += nc[k];
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < (pass ? q : m->n_items); i++) {
			double ri = pass ? 0 : (double)calib_matrix_row_n(m, i);
			if (!pass && ri < 2)
				continue;
			for (size_t a = pass ? i : m->off[i];
			     a < (pass ? i + 1 : m->off[i + 1]); a++)
				for (size_t b = pass ? 0 : m->off[i];
				     b < (pass ? q : m->off[i + 1]); b++) {
					size_t k = pass ? a : m->cat[a],
					       l = pass ? b : m->cat[b];
					double x = m->value[k], y = m->value[l], d;
					if (level == CALIB_ALPHA_NOMINAL)
						d = k != l;
					else if (level == CALIB_ALPHA_ORDINAL)
						d = (t[k] - t[l]) * (t[k] - t[l]);
					else if (level == CALIB_ALPHA_INTERVAL)
						d = (x - y) * (x - y);
					else
						d = x + y == 0 ? 0
						               : ((x - y) / (x + y)) *
						                         ((x - y) / (x + y));
					if (pass)
						desum += nc[k] * nc[l] * d;
					else if (a != b)
						dosum += d / (ri - 1);
				}
		}
	free(nc);
	free(t);
	return 1 - (ntot - 1) * dosum / desum;
}

/*
 * Many distinct values (ratio by quadrature beyond 1024 values, bootstrap
 * beyond 512): against the literal formulas.
 */
static void
test_many_values(void)
{
	size_t n = 700, k = 3;
	double *x = malloc(n * k * sizeof *x);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct calib_matrix *m;
	struct calib_stats st;

	gsl_rng_set(rng, 5);
	for (size_t i = 0; i < n; i++) {
		double base = gsl_rng_uniform(rng) * 40;
		for (size_t j = 0; j < k; j++) {
			double v = round((base + gsl_rng_uniform(rng) * 8) * 100) / 100;
			x[i * k + j] = gsl_rng_uniform(rng) < 0.03 ? 0 : v;
		}
		if (i % 50 == 0)
			x[i * k + 2] = NAN;
	}
	m = matrix(x, n, k);
	calib_stats_init(&st);
	calib_alpha_compute(m, NULL, &st, NULL);
	ok(m->n_levels > 1024, "%zu distinct values", m->n_levels);
	for (int l = CALIB_ALPHA_NOMINAL; l <= CALIB_ALPHA_RATIO; l++) {
		char name[64];
		const struct calib_stat *r;
		double a, se;
		snprintf(name, sizeof name, "kripp_alpha_%s",
		         calib_alpha_level_name((enum calib_alpha_level)l));
		r = find(&st, name);
		is_double(r->estimate, naive_alpha(m, (enum calib_alpha_level)l), 1e-10,
		          "many values: %s alpha = the coincidence definition", name);
		if (l == CALIB_ALPHA_ORDINAL)
			continue;
		irrcac_alpha(m, (enum calib_alpha_level)l, &a, &se);
		is_double(r->estimate, a, 1e-9, "many values: %s alpha = irrCAC's formula",
		          name);
		is_double(r->se, se, 1e-9, "many values: %s se = irrCAC's formula", name);
	}
	calib_stats_free(&st);
	test_boot_replicates(m, "many values", 25, CALIB_ALPHA_NOMINAL, CALIB_ALPHA_RATIO, 0);
	calib_matrix_free(m);
	free(x);

	/* so many values that the ratio bootstrap keeps no table of exponentials */
	n = 16000;
	x = malloc(n * k * sizeof *x);
	for (size_t i = 0; i < n * k; i++)
		x[i] = 1 + round(gsl_rng_uniform(rng) * 999000) / 1000;
	m = matrix(x, n, k);
	ok(m->n_levels > 40000, "%zu distinct values", m->n_levels);
	test_boot_replicates(m, "very many values", 2, CALIB_ALPHA_RATIO, CALIB_ALPHA_RATIO, 0);
	calib_matrix_free(m);
	gsl_rng_free(rng);
	free(x);
}

/* The literal irrCAC formula on every reference matrix with missing scores. */
static void
test_irrcac_literal(void)
{
	const char *sets[] = {"krippendorff2011", "gwet_cac_raw5obser", "medium_500x7x3",
	                      "calib_12x5x8"};
	for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
		struct ref_set *r = NULL;
		if (ref_load(sets[s], &r) != 0)
			continue;
		for (size_t c = 0; c < ref_n_criteria(r); c++) {
			struct calib_matrix *m = ref_matrix(r, c, false);
			struct calib_stats st;
			double a, se;
			calib_stats_init(&st);
			calib_alpha_compute(m, NULL, &st, NULL);
			irrcac_alpha(m, CALIB_ALPHA_INTERVAL, &a, &se);
			is_double(find(&st, "kripp_alpha_interval")->se, se, 1e-9,
			          "%s %s: interval se = irrCAC's formula", sets[s],
			          ref_criterion(r, c));
			calib_stats_free(&st);
			calib_matrix_free(m);
		}
		ref_free(r);
	}
}

/* Alpha of the given calls of m, rebuilt as a plain matrix (the slow way). */
static double
alpha_of(const struct calib_matrix *m, const size_t *calls, size_t n,
         enum calib_alpha_level level)
{
	double *x = malloc(n * m->n_raters * sizeof *x), a = NAN;
	struct calib_matrix *b;
	struct calib_stats st;
	char name[64];

	for (size_t j = 0; j < n * m->n_raters; j++)
		x[j] = NAN;
	for (size_t j = 0; j < n; j++)
		for (size_t s = m->off[calls[j]]; s < m->off[calls[j] + 1]; s++)
			x[j * m->n_raters + m->col[s]] = m->value[m->cat[s]];
	b = matrix(x, n, m->n_raters);
	calib_stats_init(&st);
	calib_alpha_compute(b, NULL, &st, NULL);
	snprintf(name, sizeof name, "kripp_alpha_%s", calib_alpha_level_name(level));
	if (find(&st, name))
		a = find(&st, name)->estimate;
	calib_stats_free(&st);
	calib_matrix_free(b);
	free(x);
	return a;
}

/* The bootstrap's draw of a call index (alpha.h's contract), written again. */
static size_t
draw_call(gsl_rng *rng, size_t n)
{
	unsigned long long x = (unsigned long long)gsl_rng_get(rng) * n;
	while ((x & 0xffffffffULL) < (0x100000000ULL % n))
		x = (unsigned long long)gsl_rng_get(rng) * n;
	return (size_t)(x >> 32);
}

/* Do pairable calls i and j of m hold the same count per category? */
static int
same_counts(const struct calib_matrix *m, size_t i, size_t j)
{
	size_t ci[64] = {0}, cj[64] = {0};

	if (m->n_levels > 64) /* not compared: every call its own pattern */
		return i == j;
	for (size_t s = m->off[i]; s < m->off[i + 1]; s++)
		ci[m->cat[s]]++;
	for (size_t s = m->off[j]; s < m->off[j + 1]; s++)
		cj[m->cat[s]]++;
	return memcmp(ci, cj, sizeof ci) == 0;
}

/*
 * The fast replicates equal alpha recomputed from scratch on the calls the
 * same generator draws (the draw order is the header's contract): call
 * indices, or a multinomial count per pattern of equal counts when the
 * patterns are at most a quarter of the calls. `multinomial` says which
 * the data should take.
 */
static void
test_boot_replicates(const struct calib_matrix *m, const char *what, size_t nb, int lo, int hi,
                     int multinomial)
{
	size_t *pair = malloc(m->n_items * sizeof *pair), np = 0, npat = 0;
	size_t *draw = malloc(m->n_items * sizeof *draw);
	size_t *first = malloc(m->n_items * sizeof *first); /* a pattern's first call */
	double *share = calloc(m->n_items, sizeof *share);
	unsigned *times = malloc(m->n_items * sizeof *times);
	double *rep = malloc(nb * sizeof *rep);

	for (size_t i = 0; i < m->n_items; i++)
		if (calib_matrix_row_n(m, i) >= 2) {
			size_t p = 0;
			while (p < npat && !same_counts(m, first[p], i))
				p++;
			if (p == npat)
				first[npat++] = i;
			share[p]++;
			pair[np++] = i;
		}
	is_long(npat <= np / 4, multinomial, "%s: %zu patterns in %zu calls: %s draws", what,
	        npat, np, multinomial ? "multinomial" : "call");
	for (int l = lo; l <= hi; l++) {
		struct calib_alpha_boot res = {0};
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
		int same = 1;
		res.rep = rep;
		calib_alpha_bootstrap(m, (enum calib_alpha_level)l, nb, 77, 0.95, 0.8, &res,
		                      NULL);
		gsl_rng_set(rng, 77);
		for (size_t j = 0; j < nb; j++) {
			double a;
			if (npat <= np / 4) {
				size_t k = 0;
				gsl_ran_multinomial(rng, npat, (unsigned)np, share, times);
				for (size_t p = 0; p < npat; p++)
					for (unsigned t = 0; t < times[p]; t++)
						draw[k++] = first[p];
			} else
				for (size_t k = 0; k < np; k++)
					draw[k] = pair[draw_call(rng, np)];
			a = alpha_of(m, draw, np, (enum calib_alpha_level)l);
			if (!(isnan(a) && isnan(rep[j])) &&
			    !(fabs(a - rep[j]) <= 1e-10 * fmax(1, fabs(a)))) {
				same = 0;
				printf("# replicate %zu: fast %.17g, slow %.17g\n", j, rep[j],
				       a);
			}
		}
		ok(same, "%s %s: %zu replicates match alpha recomputed on the drawn calls",
		   what, calib_alpha_level_name((enum calib_alpha_level)l), nb);
		gsl_rng_free(rng);
	}
	free(pair);
	free(draw);
	free(first);
	free(share);
	free(times);
	free(rep);
}

static void
test_bootstrap(void)
{
	const double N = NAN;
	const double k2011[12 * 4] = {
	        1, 1, N, 1, 2, 2, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 2, 3, 4,
	        4, 4, 4, 4, 1, 1, 2, 1, 2, 2, 2, 2, N, 5, 5, 5, N, N, 1, 1, N, 3, N, N,
	};
	const double tiny[] = {1, 2, 1, 1};
	const double halves[] = {0, 0.5, 7.5, 1, 10, 9.5, 3, 3, 2.5, 0, N, 4, 6, 6.5, 6};
	struct calib_matrix *m = matrix(k2011, 12, 4), *t = matrix(tiny, 2, 2);
	struct calib_matrix *h = matrix(halves, 5, 3);
	struct calib_alpha_boot a = {0}, b = {0};
	double rep1[200], rep2[200];
	size_t n_low = 0, n_zero = 0, n_nan = 0;
	enum { BT = 20000 };
	double *rt = malloc(BT * sizeof *rt);

	a.rep = rep1;
	b.rep = rep2;
	ok(calib_alpha_bootstrap(m, CALIB_ALPHA_NOMINAL, 200, 42, 0.95, 0.667, &a, NULL) ==
	           CALIB_OK,
	   "bootstrap runs");
	calib_alpha_bootstrap(m, CALIB_ALPHA_NOMINAL, 200, 42, 0.95, 0.667, &b, NULL);
	ok(memcmp(rep1, rep2, sizeof rep1) == 0 && a.lower == b.lower && a.q == b.q,
	   "same seed, same replicates");
	calib_alpha_bootstrap(m, CALIB_ALPHA_NOMINAL, 200, 43, 0.95, 0.667, &b, NULL);
	ok(memcmp(rep1, rep2, sizeof rep1) != 0, "another seed, other replicates");
	is_double(a.estimate, 0.743421052631579, 1e-9, "bootstrap carries the estimate");
	ok(a.lower < a.estimate && a.estimate < a.upper, "CI [%g, %g] contains %g", a.lower,
	   a.upper, a.estimate);
	ok(a.q > 0 && a.q < 1, "q = P(alpha < 0.667) = %g", a.q);
	is_long((long)a.n_calls, 11, "pairable calls resampled");
	calib_alpha_bootstrap(m, CALIB_ALPHA_INTERVAL, 200, 0, 0.95, 0.667, &a, NULL);
	calib_alpha_bootstrap(m, CALIB_ALPHA_INTERVAL, 200, 4357, 0.95, 0.667, &b, NULL);
	ok(memcmp(rep1, rep2, sizeof rep1) == 0, "seed 0 is GSL's default 4357");
	ok(a.lower < a.estimate && a.estimate < a.upper, "interval CI contains the estimate");

	/*
	 * Tiny case by enumeration: calls A = (1, 2), B = (1, 1). Draws AA
	 * (p 1/4): alpha = 1 - 3 * 4 / 8 = -0.5; AB or BA (p 1/2): 0; BB (1/4):
	 * a single value, undefined.
	 */
	b.rep = rt;
	calib_alpha_bootstrap(t, CALIB_ALPHA_NOMINAL, BT, 7, 0.9, -0.25, &b, NULL);
	for (size_t j = 0; j < BT; j++) {
		if (isnan(rt[j]))
			n_nan++;
		else if (rt[j] == -0.5)
			n_low++;
		else if (rt[j] == 0)
			n_zero++;
	}
	is_long((long)(n_low + n_zero + n_nan), BT,
	        "tiny: every replicate is -0.5, 0 or undefined");
	ok(fabs((double)n_nan / BT - 0.25) < 0.015, "tiny: undefined share %g ~ 1/4",
	   (double)n_nan / BT);
	is_long((long)b.n_defined, (long)(BT - n_nan), "tiny: defined replicates counted");
	ok(fabs(b.q - 1.0 / 3) < 0.015, "tiny: q = P(alpha < -0.25) = %g ~ 1/3", b.q);
	is_double(b.lower, -0.5, 0, "tiny: lower bound -0.5");
	is_double(b.upper, 0, 0, "tiny: upper bound 0");
	ok(strstr(b.note, "drew a single value") != NULL,
	   "tiny: note says why some were left out");

	/* the fast path against the slow one, every level */
	test_boot_replicates(m, "krippendorff2011", 25, CALIB_ALPHA_NOMINAL, CALIB_ALPHA_RATIO,
	                     0);
	test_boot_replicates(h, "half points with 0 and a missing score", 25,
	                     CALIB_ALPHA_NOMINAL, CALIB_ALPHA_RATIO, 0);
	{
		/* 300 calls of at most 15 patterns, one score missing now and then */
		double x[300 * 3];
		struct calib_matrix *r;
		for (size_t i = 0; i < 300; i++)
			for (size_t j = 0; j < 3; j++)
				x[i * 3 + j] = i % 7 == 3 && j == 1 ? N
				               : (double)(1 + ((i % 5) + j * (i % 3)) % 3);
		r = matrix(x, 300, 3);
		test_boot_replicates(r, "repeated calls", 25, CALIB_ALPHA_NOMINAL,
		                     CALIB_ALPHA_RATIO, 1);
		calib_matrix_free(r);
	}

	/* undefined: no pairable call */
	{
		const double lone[] = {1, N, N, 2};
		struct calib_matrix *l = matrix(lone, 2, 2);
		struct calib_alpha_boot c = {0};
		ok(calib_alpha_bootstrap(l, CALIB_ALPHA_NOMINAL, 10, 1, 0.95, 0.8, &c, NULL) ==
		                   CALIB_OK &&
		           isnan(c.lower) &&
		           strcmp(c.note, "undefined: no call has two scores") == 0,
		   "bootstrap without pairable call: NAN with note");
		is_long(calib_alpha_bootstrap(l, CALIB_ALPHA_NOMINAL, 0, 1, 0.95, 0.8, &c,
		                              NULL),
		        CALIB_EARG, "B = 0 refused");
		is_long(calib_alpha_bootstrap(l, CALIB_ALPHA_NOMINAL, 5, 1, 1, 0.8, &c, NULL),
		        CALIB_EARG, "conf 1 refused");
		calib_matrix_free(l);
	}
	free(rt);
	calib_matrix_free(m);
	calib_matrix_free(t);
	calib_matrix_free(h);
}

/*
 * Calls weighed once per pattern: 4,000 calls of 4 raters on 0, 1, 2, 4
 * and 8 points with missing and single scores (at most 126 patterns). Every
 * level equals alpha computed call by call on the same matrix before it
 * has its patterns: estimates, standard errors, bounds, calls and notes.
 */
static void
test_patterns(void)
{
	enum { N = 4000, K = 4 };
	static double x[N * K];
	static const double point[] = { 0, 1, 2, 4, 8 };
	struct calib_matrix *m;
	struct calib_stats by_call, by_pattern;
	unsigned long seed = 4242;
	size_t same = 0;
	double worst = 0;

	for (size_t i = 0; i < N * K; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		unsigned v = (unsigned)(seed >> 33) % 16;
		/* call i leans to one point; a few calls keep a single score */
		x[i] = v < 3 || (i / K % 97 == 0 && i % K) ? NAN
		       : v < 10 ? point[i / K % 5] : point[v % 5];
	}
	m = matrix(x, N, K);
	calib_stats_init(&by_call);
	calib_stats_init(&by_pattern);
	ok(m && calib_alpha_compute(m, NULL, &by_call, NULL) == CALIB_OK, "patterns: call by call");
	ok(m && calib_matrix_count_patterns(m) == CALIB_OK && m->pat_first && m->n_pat <= 126,
	   "patterns: 4000 calls of 4 raters on 5 points are counted by pattern");
	ok(m && calib_alpha_compute(m, NULL, &by_pattern, NULL) == CALIB_OK, "patterns: by pattern");
	is_long((long)by_pattern.n, 4, "patterns: four levels");
	for (size_t k = 0; k < by_call.n && k < by_pattern.n; k++) {
		const struct calib_stat *a = &by_call.v[k], *b = &by_pattern.v[k];
		const double pa[] = { a->estimate, a->se, a->lower, a->upper, a->test, a->p };
		const double pb[] = { b->estimate, b->se, b->lower, b->upper, b->test, b->p };
		for (size_t j = 0; j < sizeof pa / sizeof pa[0]; j++) {
			double d = fabs(pa[j] - pb[j]) / fmax(fabs(pa[j]), fabs(pb[j]));
			if (isnan(pa[j]) && isnan(pb[j]))
				continue;
			/* p in a far tail moves t^2 times as much as t does */
			worst = fmax(worst, j == 5 ? d / 1000 : pa[j] == pb[j] ? 0 : d);
		}
		same += strcmp(a->name, b->name) == 0 && a->n_items == b->n_items &&
			strcmp(a->note, b->note) == 0 && isfinite(b->estimate) &&
			(strcmp(b->name, "kripp_alpha_ordinal") == 0 || isfinite(b->se));
	}
	is_long((long)same, 4, "patterns: the same levels, calls and notes, all defined");
	ok(strstr(by_pattern.v[0].note, "with a single score left out") != NULL,
	   "patterns: calls with a single score counted");
	printf("# largest relative difference %.3g\n", worst);
	ok(worst <= 1e-12, "patterns: estimates, errors, bounds and tests equal to 1e-12, p to 1e-9");
	calib_stats_free(&by_call);
	calib_stats_free(&by_pattern);
	calib_matrix_free(m);
}

/*
 * calib_alpha_calls (calib-drift's bootstrap): alpha on rows drawn from the
 * per-call statistics equals calib_alpha_compute on the resampled matrix,
 * at every level, with repeated rows, unpairable rows (one score) and a
 * draw of a single value (undefined).
 */
/* Are two bootstrap results the same to the bit, replicates and all (B of them)? */
static bool
same_boot(const struct calib_alpha_boot *a, const struct calib_alpha_boot *b, size_t B)
{
	const double x[] = {a->estimate, a->lower, a->upper, a->q, a->mean, a->sd};
	const double y[] = {b->estimate, b->lower, b->upper, b->q, b->mean, b->sd};

	return memcmp(x, y, sizeof x) == 0 && a->n_boot == b->n_boot &&
	       a->n_defined == b->n_defined && a->n_calls == b->n_calls &&
	       strcmp(a->note, b->note) == 0 && memcmp(a->rep, b->rep, B * sizeof *a->rep) == 0;
}

/*
 * Every level from one set of draws against each level alone: the same to
 * the bit, with patterns drawn (multinomial) and calls drawn one by one,
 * a level undefined for the data (ratio with a negative score), and a
 * level not wanted left untouched.
 */
static void
test_levels_at_once(void)
{
	const double N = NAN;
	enum { B = 60 };
	double few[200 * 3], many[40 * 3];
	struct {
		const char *what;
		double *x;
		size_t n;
	} cases[] = {{"patterns drawn", few, 200}, {"calls drawn", many, 40}};

	for (size_t i = 0; i < 200; i++)
		for (size_t j = 0; j < 3; j++)
			few[i * 3 + j] = i % 9 == 4 && j == 2 ? N : (double)((i + j * (i % 4)) % 3);
	for (size_t i = 0; i < 40; i++)
		for (size_t j = 0; j < 3; j++)
			many[i * 3 + j] = (double)((i * 7 + j * 13) % 23) - (i == 5 ? 30.0 : 0.0);
	for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
		struct calib_matrix *m = matrix(cases[t].x, cases[t].n, 3);
		struct calib_alpha_boot all[4], one;
		double rep_all[4][B], rep_one[B];
		bool want[4] = {true, true, false, true};
		size_t same = 0;

		memset(all, 0, sizeof all);
		for (int l = 0; l < 4; l++) {
			all[l].rep = rep_all[l];
			all[l].threads = 2;
		}
		all[2].n_boot = 12345; /* not wanted: left as it is */
		is_long(calib_alpha_bootstrap_levels(m, want, B, 9, 0.9, 0.7, all, NULL), CALIB_OK,
			"levels at once, %s: runs", cases[t].what);
		for (int l = 0; l < 4; l++) {
			if (!want[l])
				continue;
			memset(&one, 0, sizeof one);
			one.rep = rep_one;
			one.threads = 1;
			calib_alpha_bootstrap(m, (enum calib_alpha_level)l, B, 9, 0.9, 0.7, &one,
					      NULL);
			same += same_boot(&all[l], &one, B);
		}
		is_long((long)same, 3, "levels at once, %s: each level as drawn alone",
			cases[t].what);
		is_long((long)all[2].n_boot, 12345, "levels at once, %s: a level not wanted untouched",
			cases[t].what);
		if (t == 1)
			ok(all[3].n_defined == 0 && strstr(all[3].note, "ratio") &&
				   all[0].n_defined == B,
			   "levels at once, calls drawn: ratio undefined (%s), nominal drawn",
			   all[3].note);
		calib_matrix_free(m);
	}
}

static void
test_alpha_calls(void)
{
	const double *x = kripp2011;
	static const size_t draws[][8] = {
	        {0, 1, 2, 3, 4, 5, 6, 7}, {5, 5, 5, 0, 11, 10, 9, 9}, {8, 8, 0, 1, 4, 6, 7, 2}};
	static const size_t same[] = {2, 2, 11};
	struct calib_matrix *m = matrix(x, 12, 4), *r = NULL;
	struct calib_stats st;

	calib_stats_init(&st);
	for (int l = CALIB_ALPHA_NOMINAL; l <= CALIB_ALPHA_RATIO; l++) {
		struct calib_alpha_calls *c = NULL;
		char name[64];
		snprintf(name, sizeof name, "kripp_alpha_%s",
		         calib_alpha_level_name((enum calib_alpha_level)l));
		if (!ok(m && calib_alpha_calls_build(m, (enum calib_alpha_level)l, &c, NULL) ==
		                     CALIB_OK,
		        "calls of %s built", name))
			continue;
		for (size_t d = 0; d < 3; d++) {
			calib_stats_clear(&st);
			calib_matrix_resample(m, draws[d], 8, &r);
			calib_alpha_compute(r, NULL, &st, NULL);
			calib_alpha_calls_resample(c, draws[d], 8);
			is_double(calib_alpha_calls_estimate(c), find(&st, name)->estimate, 1e-12,
			          "%s on draw %zu as on the resampled matrix", name, d);
		}
		calib_alpha_calls_resample(c, same, 3);
		ok(isnan(calib_alpha_calls_estimate(c)), "%s of one value drawn: NAN", name);
		calib_alpha_calls_free(c);
	}
	calib_alpha_calls_free(NULL);
	calib_matrix_free(r);
	calib_matrix_free(m);
	calib_stats_free(&st);
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_reference();
	test_krippendorff2011();
	test_tiny();
	test_undefined();
	test_levels();
	test_want();
	test_bootstrap();
	test_many_values();
	test_irrcac_literal();
	test_patterns();
	test_alpha_calls();
	test_levels_at_once();
	return tap_done();
}
