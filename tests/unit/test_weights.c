/*
 * test_weights.c - agreement weight matrices (weights.c): the tables of
 * Gwet (2014) / irrCAC weights.gen.r on small category sets, the N/A
 * category, a single category, per-pair weights equal to the table, the
 * custom-matrix check and the name table, with every error path.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "calib/error.h"
#include "calib/weights.h"
#include "tap.h"

static void
is_table(const double *got, const double *want, size_t q, const char *what)
{
	size_t k, bad = 0;

	for (k = 0; k < q * q; k++)
		if (!(fabs(got[k] - want[k]) <= 1e-15))
			bad++;
	ok(bad == 0, "%s: %zu of %zu weights differ", what, bad, q * q);
}

static void
test_builtin(void)
{
	/* values 1, 2, 4: range 3 */
	static const double v[3] = {1, 2, 4};
	static const double ident[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
	static const double lin[9] = {1, 2.0 / 3, 0, 2.0 / 3, 1, 1.0 / 3, 0, 1.0 / 3, 1};
	static const double quad[9] = {1, 8.0 / 9, 0, 8.0 / 9, 1, 5.0 / 9, 0, 5.0 / 9, 1};
	/* ordinal on ranks 1..3: M = t(t-1)/2 for t = 1, 2, 3 -> 0, 1, 3; max 3 */
	static const double ord[9] = {1, 2.0 / 3, 0, 2.0 / 3, 1, 2.0 / 3, 0, 2.0 / 3, 1};
	/* ratio: 1 - ((a-b)/(a+b))^2 / ((4-1)/(4+1))^2 */
	double ratio[9], r2 = (3.0 / 5) * (3.0 / 5), w[9];
	size_t k, l;

	for (k = 0; k < 3; k++)
		for (l = 0; l < 3; l++) {
			double d = (v[k] - v[l]) / (v[k] + v[l]);
			ratio[k * 3 + l] = 1 - d * d / r2;
		}
	ok(calib_weights_fill(CALIB_W_IDENTITY, v, 3, w) == CALIB_OK, "identity");
	is_table(w, ident, 3, "identity table");
	ok(calib_weights_fill(CALIB_W_LINEAR, v, 3, w) == CALIB_OK, "linear");
	is_table(w, lin, 3, "linear table on values");
	ok(calib_weights_fill(CALIB_W_QUADRATIC, v, 3, w) == CALIB_OK, "quadratic");
	is_table(w, quad, 3, "quadratic table on values");
	ok(calib_weights_fill(CALIB_W_ORDINAL, v, 3, w) == CALIB_OK, "ordinal");
	is_table(w, ord, 3, "ordinal table on ranks");
	ok(calib_weights_fill(CALIB_W_RATIO, v, 3, w) == CALIB_OK, "ratio");
	is_table(w, ratio, 3, "ratio table");
	for (k = 0; k < 3; k++)
		for (l = 0; l < 3; l++)
			if (!is_double(calib_weights_one(CALIB_W_RATIO, v, 3, k, l),
			               ratio[k * 3 + l], 1e-15, "ratio one(%zu,%zu)", k, l))
				break;
}

/* Gwet's ordinal weights for 5 categories: M = 0, 1, 3, 6, 10 by distance. */
static void
test_ordinal5(void)
{
	static const double v[5] = {0, 10, 11, 12, 50};
	static const double m[5] = {0, 1, 3, 6, 10};
	double w[25];
	size_t k, l, bad = 0;

	ok(calib_weights_fill(CALIB_W_ORDINAL, v, 5, w) == CALIB_OK, "ordinal 5");
	for (k = 0; k < 5; k++)
		for (l = 0; l < 5; l++)
			if (fabs(w[k * 5 + l] - (1 - m[k > l ? k - l : l - k] / 10)) > 1e-15)
				bad++;
	is_long((long)bad, 0, "ordinal 5: ignores the values, uses ranks");
}

static void
test_na_and_single(void)
{
	static const double v[4] = {1, 2, 3, NAN};
	static const double one[2] = {7, NAN};
	static const double zero[2] = {0, 5};
	static const double neg[2] = {-1, 1};
	double w[16];

	ok(calib_weights_fill(CALIB_W_QUADRATIC, v, 4, w) == CALIB_OK, "N/A: quadratic");
	is_double(w[0 * 4 + 2], 0, 0, "N/A: range from valued categories (1 vs 3 -> 0)");
	is_double(w[0 * 4 + 1], 0.75, 1e-15, "N/A: 1 vs 2 -> 3/4");
	is_double(w[3 * 4 + 3], 1, 0, "N/A with itself 1");
	is_double(w[1 * 4 + 3], 0, 0, "N/A with a value 0");
	is_double(w[3 * 4 + 0], 0, 0, "value with N/A 0 (symmetric)");
	ok(calib_weights_fill(CALIB_W_ORDINAL, v, 4, w) == CALIB_OK, "N/A: ordinal");
	is_double(w[0 * 4 + 2], 0, 0, "N/A: ordinal ranks of valued categories only");
	is_double(w[2 * 4 + 3], 0, 0, "N/A: ordinal N/A nominal");
	is_double(calib_weights_one(CALIB_W_LINEAR, v, 4, 3, 3), 1, 0, "one: N/A diagonal");
	is_double(calib_weights_one(CALIB_W_LINEAR, v, 4, 0, 1), 0.5, 1e-15,
	          "one: linear 1 vs 2");

	ok(calib_weights_fill(CALIB_W_LINEAR, one, 2, w) == CALIB_OK, "single valued category");
	is_double(w[0], 1, 0, "single value: diagonal 1, no 0/0");
	is_double(w[1], 0, 0, "single value vs N/A 0");
	ok(calib_weights_fill(CALIB_W_ORDINAL, one, 1, w) == CALIB_OK && w[0] == 1,
	   "ordinal, one category: 1");

	ok(calib_weights_fill(CALIB_W_RATIO, zero, 2, w) == CALIB_OK, "ratio with 0");
	is_double(w[0], 1, 0, "ratio 0 vs 0: diagonal 1, no 0/0");
	is_double(w[1], 0, 0, "ratio 0 vs 5: 0");
	ok(calib_weights_fill(CALIB_W_RATIO, neg, 2, w) == CALIB_EARG,
	   "ratio negative refused");
	ok(isnan(calib_weights_one(CALIB_W_RATIO, neg, 2, 0, 1)), "ratio negative one: NAN");
}

static void
test_errors(void)
{
	static const double v[2] = {1, 2};
	double w[4];

	ok(calib_weights_fill(CALIB_W_LINEAR, v, 0, w) == CALIB_EARG, "q 0 refused");
	ok(calib_weights_fill((enum calib_weighting)99, v, 2, w) == CALIB_EARG,
	   "unknown kind refused");
	ok(isnan(calib_weights_one(CALIB_W_LINEAR, v, 2, 2, 0)), "one: k out of range NAN");
	ok(isnan(calib_weights_one((enum calib_weighting)99, v, 2, 0, 0)), "one: unknown NAN");
	ok(isnan(calib_weights_one(CALIB_W_LINEAR, v, 0, 0, 0)), "one: q 0 NAN");
}

/* Per-pair weights equal the table for every kind. */
static void
test_one_matches_fill(void)
{
	static const double v[6] = {-3, -1, 0, 2.5, 10, NAN};
	static const double pos[5] = {0, 1, 2.5, 3, 10};
	double w[36];
	size_t kind, k, l, bad;

	for (kind = CALIB_W_IDENTITY; kind <= CALIB_W_RATIO; kind++) {
		const double *x = kind == CALIB_W_RATIO ? pos : v;
		size_t q = kind == CALIB_W_RATIO ? 5 : 6;

		ok(calib_weights_fill((enum calib_weighting)kind, x, q, w) == CALIB_OK,
		   "fill %s", calib_weights_name((enum calib_weighting)kind));
		bad = 0;
		for (k = 0; k < q; k++)
			for (l = 0; l < q; l++) {
				double o = calib_weights_one((enum calib_weighting)kind, x, q,
				                             k, l);

				if (o != w[k * q + l] || o < 0 || o > 1 ||
				    w[k * q + l] != w[l * q + k])
					bad++;
			}
		is_long((long)bad, 0, "%s: one = fill, in [0, 1], symmetric",
		        calib_weights_name((enum calib_weighting)kind));
	}
}

static void
test_check(void)
{
	double good[4] = {1, 0.5, 0.25, 1};
	double diag[4] = {1, 0.5, 0.5, 0.99};
	double big[4] = {1, 1.5, 0, 1};
	double nan_[4] = {1, NAN, 0, 1};
	double negative[4] = {1, 0, -0.1, 1};
	struct calib_error e;

	ok(calib_weights_check(good, 2, &e) == CALIB_OK, "check: asymmetric but valid");
	ok(calib_weights_check(diag, 2, &e) == CALIB_EARG, "check: diagonal not 1");
	is_string(e.msg, "weight 2,2 on the diagonal is not 1", "check: diagonal message");
	ok(calib_weights_check(big, 2, &e) == CALIB_EARG, "check: above 1");
	is_string(e.msg, "weight 1,2 is not between 0 and 1", "check: range message");
	ok(calib_weights_check(nan_, 2, &e) == CALIB_EARG, "check: NAN");
	ok(calib_weights_check(negative, 2, NULL) == CALIB_EARG, "check: negative, NULL err");
	ok(calib_weights_check(good, 0, &e) == CALIB_EARG, "check: q 0");
}

static void
test_names(void)
{
	enum calib_weighting w = CALIB_W_IDENTITY;
	size_t k;

	for (k = CALIB_W_IDENTITY; k <= CALIB_W_RATIO; k++) {
		ok(calib_weights_parse(calib_weights_name((enum calib_weighting)k), &w) ==
		                   CALIB_OK &&
		           w == (enum calib_weighting)k,
		   "name round trip %s", calib_weights_name((enum calib_weighting)k));
	}
	ok(calib_weights_parse("Quadratic", &w) == CALIB_OK && w == CALIB_W_QUADRATIC,
	   "parse is case-insensitive");
	ok(calib_weights_parse("cubic", &w) == CALIB_EARG, "parse: unknown refused");
	is_string(calib_weights_name((enum calib_weighting)42), "?", "name of unknown");
}

int
main(void)
{
	test_builtin();
	test_ordinal5();
	test_na_and_single();
	test_errors();
	test_one_matches_fill();
	test_check();
	test_names();
	return tap_done();
}
