/*
 * test_raters.c - calib_raters_run on small sheets computed by hand
 * (tests/sheets/raters-*.csv). Each block states the hand computation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/raters.h"
#include "calib/reader.h"
#include "calib/table.h"
#include "load.h"
#include "tap.h"

/* Student t quantile 0.975, 2 df: 0.95 sqrt(2 / (4 x 0.975 x 0.025)) in closed form */
#define T975_2 (0.95 * sqrt(2 / 0.0975))
#define T975_3 3.182446305284263 /* 0.975, 3 df */

static uint32_t
rid(const struct calib_store *s, const char *name)
{
	return calib_names_find(s->raters, name, strlen(name));
}

/* Cell of rater name on column j (criterion index, or n_cols - 1 = TOTAL). */
static const struct calib_raters_cell *
cell(const struct calib_raters *r, const struct calib_store *s, const char *name, size_t j)
{
	for (size_t i = 0; i < r->n_raters; i++)
		if (r->cell[i * r->n_cols].rater == rid(s, name))
			return &r->cell[i * r->n_cols + j];
	return NULL;
}

static const struct calib_raters_summary *
summary(const struct calib_raters *r, const struct calib_store *s, const char *name)
{
	for (size_t i = 0; i < r->n_raters; i++)
		if (r->sum[i].rater == rid(s, name))
			return &r->sum[i];
	return NULL;
}

static struct calib_raters *
run(const struct calib_store *s, const struct calib_raters_opts *o)
{
	struct calib_raters *r = NULL;
	struct calib_error err;
	if (calib_raters_run(s, o, &r, &err) || !r) {
		fprintf(stderr, "# calib_raters_run failed\n");
		exit(1);
	}
	return r;
}

/*
 * raters-small.csv, leave-one-out mean, tolerance 10% of the range.
 * pts (0-10): c1 a6 b8 c4; c2 a5 b8 c3; c3 a9 b9 c N/A; c4 a2 b - c2.
 *   a: 6-(8+4)/2=0, 5-(8+3)/2=-0.5, 9-9=0, 2-2=0: bias -0.125,
 *      sd 0.25, se 0.125, CI -0.125 +- t(3) 0.125; mad 0.125; within 4/4;
 *      alignment (1 + 0.95 + 1 + 1)/4 = 0.9875.
 *   b: 8-5=3, 8-4=4, 9-9=0 (c4 missing): bias 7/3, se sqrt(13)/3;
 *      mad 7/3; within 1/3; alignment (0.7 + 0.6 + 1)/3.
 *   c: 4-7=-3, 3-6.5=-3.5, N/A left out, 2-2=0: bias -13/6; mad 13/6;
 *      within 1/3; alignment (0.7 + 0.65 + 1)/3; n_na 1.
 * ok (no/yes = 0/1 points): a: +0.5, -0.5, 0, 0 -> bias 0, mad 0.25,
 *   within (<= 0.1) 2/4, alignment 0.75; b: +0.5, +1, 0, 0 -> bias 0.375,
 *   alignment 0.625; c: -1, -0.5, N/A, 0 -> bias -0.5, alignment 0.5.
 *   Agreement with the unique mode of the others (N/A a category):
 *   a 1/1 (c4; ties elsewhere), b 1/2 (c2 no, c4 yes), c 1/3.
 * flat: every score 3: deviations 0, CI [0, 0]; rater effect undefined.
 * TOTAL = 100 x (3 pts/10 + ok + (flat-1)/4) / 5, N/A criteria left out:
 *   c1 66 78 34; c2 40 78 28; c3 84 84 50; c4 22 - 22.
 *   a: 66-56, 40-53, 84-67, 22-22 = 10, -13, 17, 0 -> 3.5;
 *   b: 28, 44, 17 -> 89/3; c: -38, -31, -34, 0 -> -25.75.
 * Ranking b, a, c. Weighted alignment: a (3 x 0.9875 + 0.75 + 1)/5 =
 *   0.9425; b (2.3 + 0.625 + 1)/5 = 0.785; c (2.35 + 0.5 + 1)/5 = 0.77:
 *   b, with the largest |bias| on the TOTAL (89/3 against c's 25.75), is
 *   most out of line. Pooled within: a 10/12, b 7/11, c 6/10.
 * Rater effect on pts, calls scored by all (c1, c2): ranks a2 b3 c1 both
 *   times, R = (4, 6, 2), Friedman 12 x 8 / 24 = 4, p = exp(-2).
 *   ANOVA: SS_rater = 213 - 34^2/6 = 61/3, SS_res = 1/3, F = 61 on 2, 2
 *   df, p = 1/(1 + 61).
 */
static void
test_small(void)
{
	struct calib_store *s =
	        load("tests/sheets/raters-small.csv", "tests/sheets/raters-rubric.csv");
	struct calib_raters_opts o;
	struct calib_raters *r;
	const struct calib_raters_cell *c;
	const struct calib_raters_summary *u;
	calib_raters_opts_init(&o);
	o.consensus = CALIB_CONSENSUS_MEAN;
	o.complete = true;
	r = run(s, &o);
	is_long((long)r->n_raters, 3, "small: three raters");
	is_long((long)r->n_cols, 4, "small: three criteria and TOTAL");

	c = cell(r, s, "a", 0);
	is_long((long)c->n, 4, "pts a: n");
	is_double(c->bias, -0.125, 1e-12, "pts a: bias");
	is_double(c->se, 0.125, 1e-12, "pts a: se");
	is_double(c->lower, -0.125 - T975_3 * 0.125, 1e-12, "pts a: ci lower");
	is_double(c->upper, -0.125 + T975_3 * 0.125, 1e-12, "pts a: ci upper");
	is_double(c->mad, 0.125, 1e-12, "pts a: mad");
	is_double(c->within, 1, 1e-12, "pts a: within");
	is_double(c->alignment, 0.9875, 1e-12, "pts a: alignment");
	ok(isnan(c->agreement), "pts a: no nominal agreement on a numeric scale");
	c = cell(r, s, "b", 0);
	is_long((long)c->n, 3, "pts b: n (missing c4 left out)");
	is_double(c->bias, 7.0 / 3, 1e-12, "pts b: bias");
	is_double(c->se, sqrt(13.0) / 3, 1e-12, "pts b: se");
	is_double(c->upper, 7.0 / 3 + T975_2 * sqrt(13.0) / 3, 1e-12, "pts b: ci upper");
	is_double(c->mad, 7.0 / 3, 1e-12, "pts b: mad");
	is_double(c->within, 1.0 / 3, 1e-12, "pts b: within");
	is_double(c->alignment, 2.3 / 3, 1e-12, "pts b: alignment");
	c = cell(r, s, "c", 0);
	is_long((long)c->n, 3, "pts c: n");
	is_long((long)c->n_na, 1, "pts c: N/A counted, left out");
	is_double(c->bias, -13.0 / 6, 1e-12, "pts c: bias");
	is_double(c->alignment, 2.35 / 3, 1e-12, "pts c: alignment");

	c = cell(r, s, "a", 1);
	is_double(c->bias, 0, 1e-12, "ok a: bias");
	is_double(c->mad, 0.25, 1e-12, "ok a: mad");
	is_double(c->within, 0.5, 1e-12, "ok a: within");
	is_double(c->alignment, 0.75, 1e-12, "ok a: alignment");
	is_long((long)c->n_nominal, 1, "ok a: one cell with a unique mode of the others");
	is_double(c->agreement, 1, 1e-12, "ok a: agreement");
	ok(isnan(c->kappa), "ok a: no kappa without an expert");
	c = cell(r, s, "b", 1);
	is_double(c->bias, 0.375, 1e-12, "ok b: bias");
	is_double(c->alignment, 0.625, 1e-12, "ok b: alignment");
	is_double(c->agreement, 0.5, 1e-12, "ok b: agreement");
	c = cell(r, s, "c", 1);
	is_long((long)c->n, 3, "ok c: n");
	is_double(c->bias, -0.5, 1e-12, "ok c: bias");
	is_double(c->alignment, 0.5, 1e-12, "ok c: alignment");
	is_double(c->agreement, 1.0 / 3, 1e-12, "ok c: agreement (N/A a category)");

	c = cell(r, s, "b", 2);
	is_long((long)c->n, 4, "flat b: n");
	is_double(c->bias, 0, 1e-12, "flat b: bias 0");
	is_double(c->lower, 0, 1e-12, "flat b: ci lower 0");
	is_double(c->upper, 0, 1e-12, "flat b: ci upper 0");
	is_double(c->alignment, 1, 1e-12, "flat b: alignment 1");
	ok(isnan(r->test[2].rank) && isnan(r->test[2].f), "flat: rater effect NA");
	is_string(r->test[2].note, "every score equal: no rater effect to test",
	          "flat: reason");

	is_double(cell(r, s, "a", 3)->bias, 3.5, 1e-12, "TOTAL a: bias");
	is_double(cell(r, s, "b", 3)->bias, 89.0 / 3, 1e-12, "TOTAL b: bias");
	is_double(cell(r, s, "c", 3)->bias, -25.75, 1e-12, "TOTAL c: bias");
	is_string(calib_names_get(s->raters, r->sum[0].rater), "b", "rank 1: b (most lenient)");
	is_string(calib_names_get(s->raters, r->sum[1].rater), "a", "rank 2: a");
	is_string(calib_names_get(s->raters, r->sum[2].rater), "c", "rank 3: c (most severe)");
	is_string(calib_names_get(s->raters, r->cell[0].rater), "b",
	          "cells follow the ranking");
	u = summary(r, s, "a");
	is_double(u->alignment, 0.9425, 1e-12, "a: weighted alignment");
	is_double(u->within, 10.0 / 12, 1e-12, "a: pooled within");
	is_double(u->agreement, 1, 1e-12, "a: pooled agreement");
	is_string(u->direction, "in line", "a: in line");
	ok(!u->out_of_line, "a: not out of line");
	u = summary(r, s, "b");
	is_double(u->alignment, 0.785, 1e-12, "b: weighted alignment");
	is_double(u->within, 7.0 / 11, 1e-12, "b: pooled within");
	u = summary(r, s, "c");
	is_double(u->alignment, 0.77, 1e-12, "c: weighted alignment");
	is_double(u->within, 0.6, 1e-12, "c: pooled within");
	is_double(u->agreement, 1.0 / 3, 1e-12, "c: pooled agreement");
	ok(!u->out_of_line, "c: not out of line (lowest alignment, smaller |bias|)");
	ok(summary(r, s, "b")->out_of_line, "b: most out of line (largest |bias|)");

	is_long((long)r->test[0].n_calls, 2, "pts test: two complete calls");
	is_double(r->test[0].rank, 4, 1e-12, "pts: Friedman chi-square");
	is_double(r->test[0].rank_p, exp(-2), 1e-9, "pts: Friedman p");
	is_double(r->test[0].f, 61, 1e-9, "pts: ANOVA F");
	is_double(r->test[0].df2, 2, 1e-12, "pts: ANOVA df2");
	is_double(r->test[0].f_p, 1.0 / 62, 1e-9, "pts: ANOVA p");
	calib_raters_free(r);

	/* tolerance in points: |d| <= 1 on pts: a all four, b 1/3; ok: |d| <= 0.5 < 1 always */
	o.tolerance = 1;
	o.tol_percent = false;
	r = run(s, &o);
	is_double(cell(r, s, "a", 0)->within, 1, 1e-12, "tolerance 1 point: a");
	is_double(cell(r, s, "b", 0)->within, 1.0 / 3, 1e-12, "tolerance 1 point: b");
	is_double(cell(r, s, "a", 1)->within, 1, 1e-12,
	          "tolerance 1 point: ok a, every |d| within");
	calib_raters_free(r);
	calib_store_free(s);
}

/*
 * Expert a on raters-small.csv. pts: b 8-6, 8-5, 9-9 = 2, 3, 0 -> 5/3;
 * c 4-6, 3-5, N/A, 2-2 -> -4/3. ok against the expert (N/A a category):
 * b (y,y) (y,n) (y,y) (n,n): p_o 3/4, p_e (3x2 + 1x2)/16 = 1/2, kappa 1/2;
 * c (n,y) (n,n) (N/A,y) (n,n): p_o 1/2, p_e 3x2/16, kappa 0.2.
 * Expert b (skipped pts on c4): a and c have no reference there.
 */
static void
test_expert(void)
{
	struct calib_store *s =
	        load("tests/sheets/raters-small.csv", "tests/sheets/raters-rubric.csv");
	struct calib_raters_opts o;
	struct calib_raters *r;
	const struct calib_raters_cell *c;
	calib_raters_opts_init(&o);
	o.expert = rid(s, "a");
	r = run(s, &o);
	is_long((long)r->n_raters, 2, "expert: the expert is not ranked");
	ok(cell(r, s, "a", 0) == NULL, "expert: no row for the expert");
	is_double(cell(r, s, "b", 0)->bias, 5.0 / 3, 1e-12, "expert a: pts b bias");
	is_double(cell(r, s, "c", 0)->bias, -4.0 / 3, 1e-12, "expert a: pts c bias");
	c = cell(r, s, "b", 1);
	is_double(c->agreement, 0.75, 1e-12, "expert a: ok b agreement");
	is_double(c->kappa, 0.5, 1e-12, "expert a: ok b kappa");
	c = cell(r, s, "c", 1);
	is_double(c->agreement, 0.5, 1e-12, "expert a: ok c agreement");
	is_double(c->kappa, 0.2, 1e-12, "expert a: ok c kappa");
	ok(isnan(cell(r, s, "b", 0)->kappa), "expert a: no kappa on a numeric scale");
	calib_raters_free(r);

	o.expert = rid(s, "b");
	r = run(s, &o);
	c = cell(r, s, "a", 0);
	is_long((long)c->n, 3, "expert b skipped c4: a compared on 3 calls");
	is_long((long)c->n_noref, 1, "expert b skipped c4: a has one score without reference");
	is_double(c->bias, -5.0 / 3, 1e-12, "expert b: a bias (-2, -3, 0)");
	c = cell(r, s, "c", 0);
	is_long((long)c->n, 2, "expert b: c n");
	is_long((long)c->n_noref, 1, "expert b: c no reference on c4");
	is_long((long)c->n_na, 1, "expert b: c N/A on c3");
	is_double(c->bias, -4.5, 1e-12, "expert b: c bias (-4, -5)");
	calib_raters_free(r);

	o.expert = 99;
	ok(calib_raters_run(s, &o, &r, NULL) == CALIB_EARG && r == NULL,
	   "expert id out of range: EARG");
	calib_raters_free(r);
	calib_store_free(s);
}

/*
 * raters-median.csv: one call a1 b2 c3 d10 (scale inferred).
 * Leave-one-out median: a 1-median(2,3,10)=-2, b 2-3=-1, c 3-2=1,
 * d 10-median(1,2,3)=8. Leave-one-out mean: a 1-5=-4, b 2-14/3,
 * c 3-13/3, d 10-2=8. One call: no CI.
 */
static void
test_median(void)
{
	struct calib_store *s = load("tests/sheets/raters-median.csv", NULL);
	struct calib_raters_opts o;
	struct calib_raters *r;
	calib_raters_opts_init(&o);
	o.consensus = CALIB_CONSENSUS_MEDIAN;
	r = run(s, &o);
	is_double(cell(r, s, "a", 0)->bias, -2, 1e-12, "median: a");
	is_double(cell(r, s, "b", 0)->bias, -1, 1e-12, "median: b");
	is_double(cell(r, s, "c", 0)->bias, 1, 1e-12, "median: c");
	is_double(cell(r, s, "d", 0)->bias, 8, 1e-12, "median: d");
	ok(isnan(cell(r, s, "d", 0)->lower), "median: one call, no interval");
	ok(!r->show_total, "one criterion: no TOTAL shown");
	calib_raters_free(r);
	o.consensus = CALIB_CONSENSUS_MEAN;
	r = run(s, &o);
	is_double(cell(r, s, "a", 0)->bias, -4, 1e-12, "mean: a");
	is_double(cell(r, s, "b", 0)->bias, 2 - 14.0 / 3, 1e-12, "mean: b");
	is_double(cell(r, s, "c", 0)->bias, 3 - 13.0 / 3, 1e-12, "mean: c");
	is_double(cell(r, s, "d", 0)->bias, 8, 1e-12, "mean: d");
	is_string(calib_names_get(s->raters, r->sum[0].rater), "d", "mean: d most lenient");
	calib_raters_free(r);
	calib_store_free(s);
}

/* One rater only: no reference anywhere, every figure NA, tests NA. */
static void
test_one(void)
{
	struct calib_store *s = load("tests/sheets/raters-one.csv", NULL);
	struct calib_raters_opts o;
	struct calib_raters *r;
	const struct calib_raters_cell *c;
	calib_raters_opts_init(&o);
	r = run(s, &o);
	c = cell(r, s, "a", 0);
	is_long((long)c->n, 0, "one rater: nothing compared");
	is_long((long)c->n_noref, 2, "one rater: two scores without reference");
	ok(isnan(c->bias) && isnan(c->mad) && isnan(c->alignment), "one rater: NA figures");
	ok(isnan(cell(r, s, "a", 1)->agreement), "one rater: no agreement");
	is_string(r->test[0].note, "fewer than two raters", "one rater: test reason");
	ok(!r->sum[0].out_of_line, "one rater: nobody named out of line");
	is_string(r->sum[0].direction, "NA", "one rater: direction NA");
	calib_raters_free(r);
	calib_store_free(s);
}

/*
 * raters-ties.csv: b and a give the same scores (5, 3): every bias 0, so
 * the ranking keeps the order of first appearance (b, then a); Friedman's
 * denominator 2 x 2 x 3 - (6 + 6)/1 = 0: NA; ANOVA: SS 0: NA.
 */
static void
test_ties(void)
{
	struct calib_store *s = load("tests/sheets/raters-ties.csv", NULL);
	struct calib_raters_opts o;
	struct calib_raters *r;
	calib_raters_opts_init(&o);
	o.complete = true;
	r = run(s, &o);
	is_string(calib_names_get(s->raters, r->sum[0].rater), "b",
	          "ties: b first (first seen)");
	is_string(calib_names_get(s->raters, r->sum[1].rater), "a", "ties: a second");
	is_double(r->sum[0].bias, 0, 1e-12, "ties: bias 0");
	ok(isnan(r->test[0].rank), "ties: Friedman NA when every call is one tie");
	ok(isnan(r->test[1].f), "ties: ANOVA NA on the TOTAL too");
	is_string(r->test[0].note, "raters alike on every call: no rater effect to test",
	          "ties: reason");
	ok(!r->sum[0].out_of_line && !r->sum[1].out_of_line, "ties: nobody named out of line");
	calib_raters_free(r);
	calib_store_free(s);
}

/*
 * Pairs on raters-small.csv, ok: (a,b) kappa 1/2 as against the expert;
 * (b,c): (y,n) (y,n) (y,N/A) (n,n): p_o 1/4, p_e 3/16, kappa 1/13.
 * pts (a,b): both scored on c1, c2, c3; equal only on c3: agreement 1/3.
 */
static void
test_pairs(void)
{
	struct calib_store *s =
	        load("tests/sheets/raters-small.csv", "tests/sheets/raters-rubric.csv");
	struct calib_raters_opts o;
	struct calib_raters *r;
	struct calib_table *t;
	size_t found = 0;
	calib_raters_opts_init(&o);
	o.pairs = true;
	r = run(s, &o);
	is_long((long)r->n_pairs, 9, "pairs: 3 pairs x 3 criteria");
	for (size_t i = 0; i < r->n_pairs; i++) {
		const struct calib_raters_pair *p = &r->pair[i];
		const char *a = calib_names_get(s->raters, p->a),
		           *b = calib_names_get(s->raters, p->b);
		if (p->crit == 1 && !strcmp(a, "a") && !strcmp(b, "b")) {
			is_double(p->estimate, 0.5, 1e-12, "pairs ok (a,b): kappa");
			is_string(p->coef, "cohen_kappa", "pairs ok: cohen_kappa");
			found++;
		}
		if (p->crit == 1 && !strcmp(a, "b") && !strcmp(b, "c")) {
			is_double(p->estimate, 1.0 / 13, 1e-12, "pairs ok (b,c): kappa");
			is_double(p->agreement, 0.25, 1e-12, "pairs ok (b,c): agreement");
			found++;
		}
		if (p->crit == 0 && !strcmp(a, "a") && !strcmp(b, "b")) {
			is_long((long)p->n, 3, "pairs pts (a,b): n");
			is_double(p->agreement, 1.0 / 3, 1e-12, "pairs pts (a,b): agreement");
			is_string(p->coef, "cohen_kappa_quadratic",
			          "pairs pts: quadratic weights");
			found++;
		}
	}
	is_long((long)found, 3, "pairs: the three checked pairs found");
	t = calib_raters_pairs(r, s);
	ok(t && calib_table_n_rows(t) == 9, "pairs table: 9 rows");
	calib_table_free(t);
	t = calib_raters_criteria(r, s);
	ok(t && calib_table_n_rows(t) == 12, "criteria table: 3 raters x (3 criteria + TOTAL)");
	calib_table_free(t);
	t = calib_raters_ranking(r, s);
	ok(t && calib_table_n_rows(t) == 3, "ranking table: 3 rows");
	calib_table_free(t);
	t = calib_raters_tests(r, s);
	ok(t && calib_table_n_rows(t) == 8, "tests table: a rank and an F row per criterion and TOTAL");
	calib_table_free(t);
	calib_raters_free(r);

	o.pairs = false;
	o.conf = 1.5;
	ok(calib_raters_run(s, &o, &r, NULL) == CALIB_EARG, "conf out of range: EARG");
	calib_store_free(s);
}

/* Test of the one column of a one-criterion sheet, on every score. */
static const struct calib_raters_test *
effect(const char *sheet, bool complete, struct calib_raters **keep, struct calib_store **ks)
{
	struct calib_store *s = load(sheet, NULL);
	struct calib_raters_opts o;
	calib_raters_opts_init(&o);
	o.complete = complete;
	*keep = run(s, &o);
	*ks = s;
	return &(*keep)->test[0];
}

/*
 * raters-durbin.csv: a balanced incomplete block design, three raters,
 * three calls of two: (a 2, b 1), (b 2, c 1), (a 2, c 1), no ties.
 * Durbin (1951): t = 3, k = 2, b = 3, r = 2, rank sums R = (4, 3, 2),
 * D = 12 (t - 1) / (r t (k - 1)(k + 1)) sum (R - r (k + 1) / 2)^2
 *   = 24 / 18 x (1 + 0 + 1) = 8/3, which Skillings-Mack must equal;
 * p = exp(-4/3) on 2 df. Intra-block F by hand: call means 1.5, within-
 * call deviations Q = (1, 0, -1), C = 1.5 I - 0.5 J, b = Q / 1.5,
 * SS_rater = 4/3, within SS 1.5, residual 1/6 on 6 - 3 - 2 = 1 df,
 * F = (2/3) / (1/6) = 4 on 2, 1 df, p = (1 + 2 x 4)^(-1/2) = 1/3.
 *
 * raters-skmack.csv: (a 3, b 1), (b 2, c 2), (a 4, c 1): a tie. Weighted
 * centred ranks (weight sqrt(12/3) = 2): A = (2, -1, -1); the tied call
 * adds nothing; each other call adds var 1, cov -1: V = [[2,-1,-1],
 * [-1,1,0],[-1,0,1]]; V x = A with x = (2/3, -1/3, -1/3): SM = A'x = 2,
 * df 2, p = exp(-1). F: call means 2, 2, 2.5; Q = (2.5, -1, -1.5);
 * b = Q / 1.5; SS_rater = b'Q = 19/3; within SS 6.5; residual 1/6 on 1
 * df; F = (19/6) / (1/6) = 19, p = (1 + 38)^(-1/2).
 */
static void
test_incomplete(void)
{
	struct calib_raters *r;
	struct calib_store *s;
	const struct calib_raters_test *t;

	t = effect("tests/sheets/raters-durbin.csv", false, &r, &s);
	is_long((long)t->n_calls, 3, "durbin: three calls");
	is_long((long)t->n_scores, 6, "durbin: six scores");
	is_double(t->rank, 8.0 / 3, 1e-12, "durbin: Skillings-Mack = Durbin's D");
	is_double(t->rank_df, 2, 1e-12, "durbin: df 2");
	is_double(t->rank_p, exp(-4.0 / 3), 1e-9, "durbin: p");
	is_double(t->f, 4, 1e-9, "durbin: intra-block F");
	is_double(t->df1, 2, 1e-12, "durbin: df1");
	is_double(t->df2, 1, 1e-12, "durbin: df2");
	is_double(t->f_p, 1.0 / 3, 1e-9, "durbin: F p");
	calib_raters_free(r);
	calib_store_free(s);
	t = effect("tests/sheets/raters-durbin.csv", true, &r, &s);
	ok(isnan(t->rank) && t->n_calls == 0, "durbin: no complete call for Friedman");
	calib_raters_free(r);
	calib_store_free(s);

	t = effect("tests/sheets/raters-skmack.csv", false, &r, &s);
	is_double(t->rank, 2, 1e-12, "skillings-mack with a tie: chi-square");
	is_double(t->rank_p, exp(-1), 1e-9, "skillings-mack with a tie: p");
	is_double(t->f, 19, 1e-9, "skillings-mack sheet: F");
	is_double(t->f_p, 1 / sqrt(39), 1e-9, "skillings-mack sheet: F p");
	calib_raters_free(r);
	calib_store_free(s);
}

/*
 * On complete calls the tests on every score are the classical ones.
 * raters-rounding.csv: the rounding-first-base times of Hollander & Wolfe
 * (1973, p. 140; R's friedman.test example): Friedman chi-squared =
 * 11.143, df = 2, p-value = 0.003805 (with ties corrected).
 * raters-sf.csv: Shrout & Fleiss (1979) Table 2, six targets, four judges:
 * JMS 32.49 and EMS 1.02 in their Table 1 layout, F = JMS / EMS on 3, 15
 * df (32.486 / 1.0194 = 31.866 unrounded).
 */
static void
test_complete_equal(void)
{
	struct calib_raters *r;
	struct calib_store *s;
	const struct calib_raters_test *t;
	for (int complete = 0; complete < 2; complete++) {
		t = effect("tests/sheets/raters-rounding.csv", complete, &r, &s);
		is_double(t->rank, 11.143, 5e-5, "rounding times (%s): chi-square 11.143",
		          complete ? "Friedman" : "Skillings-Mack");
		is_double(t->rank_p, 0.003805, 2e-4, "rounding times: p 0.003805");
		is_long((long)t->n_calls, 22, "rounding times: 22 calls");
		calib_raters_free(r);
		calib_store_free(s);
		t = effect("tests/sheets/raters-sf.csv", complete, &r, &s);
		is_double(t->f, 32.49 / 1.02, 2e-3, "Shrout-Fleiss (%s): F = JMS / EMS",
		          complete ? "ANOVA" : "intra-block");
		is_double(t->f, 31.866485013624068, 1e-9, "Shrout-Fleiss: F unrounded");
		is_double(t->df2, 15, 1e-12, "Shrout-Fleiss: df2 15");
		calib_raters_free(r);
		calib_store_free(s);
	}
}

/*
 * Holm (1979): R's p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") is
 * 0.03 0.06 0.06 0.02: sorted 0.005 x 4, 0.01 x 3, 0.03 x 2, 0.04 x 1,
 * each the running maximum. A NAN is left out of m.
 */
static void
test_holm(void)
{
	const double p[] = {0.01, 0.04, 0.03, 0.005};
	const double q[] = {0.5, NAN, 0.5, 0.2};
	double adj[4];
	calib_raters_holm(p, adj, 4);
	is_double(adj[0], 0.03, 1e-12, "holm: 0.01 -> 0.03");
	is_double(adj[1], 0.06, 1e-12, "holm: 0.04 -> 0.06 (running maximum)");
	is_double(adj[2], 0.06, 1e-12, "holm: 0.03 -> 0.06");
	is_double(adj[3], 0.02, 1e-12, "holm: 0.005 -> 0.02");
	/* m = 3: 0.2 x 3 = 0.6; the two 0.5 in index order: x 2 = 1, x 1 -> 1 */
	calib_raters_holm(q, adj, 4);
	is_double(adj[3], 0.6, 1e-12, "holm with NAN: m = 3");
	ok(isnan(adj[1]), "holm: NAN stays NAN");
	is_double(adj[0], 1, 1e-12, "holm: capped at 1");
	is_double(adj[2], 1, 1e-12, "holm: ties in index order");
}

/*
 * Limits of agreement: Bland & Altman (1986), PEFR by two meters: mean
 * difference -2.1, SD 38.8, n 17. Limits -2.1 -+ 1.959964 x 38.8 =
 * -78.1466 and 73.9466; SE of a limit 38.8 sqrt(1/17 + 1.959964^2 / 32)
 * = 16.40965 (their sqrt(3 x 38.8^2 / 17) = 16.30 rounds z to 2);
 * t(0.975, 16) = 2.119905: lower limit -78.1466 -+ 34.7869.
 */
static void
test_limits(void)
{
	struct calib_raters_limits l;
	calib_raters_limits(-2.1, 38.8, 17, 0.95, &l);
	is_double(l.lower, -78.14662, 1e-6, "BA limits: lower");
	is_double(l.upper, 73.94662, 1e-6, "BA limits: upper");
	is_double(l.lower_lo, -78.14662 - 34.78688, 1e-5, "BA: lower limit's CI low");
	is_double(l.lower_hi, -78.14662 + 34.78688, 1e-5, "BA: lower limit's CI high");
	is_double(l.upper_hi - l.upper, 2.119905 * 16.40965, 1e-5, "BA: half width t SE");
	is_double((l.upper_hi - l.upper) / 2.119905, sqrt(3 * 38.8 * 38.8 / 17), 0.01,
	          "BA: SE near sqrt(3 s^2 / n) of the 1986 paper");
	is_double(l.bias_hi, -2.1 + 2.119905 * 38.8 / sqrt(17), 1e-5, "BA: bias CI");
	calib_raters_limits(1, NAN, 1, 0.95, &l);
	ok(isnan(l.lower) && isnan(l.upper_hi), "BA: one difference, no limits");
}

/*
 * raters-outlier.csv (calib-raters(1), EXAMPLES): ana, ben and cara agree
 * within a point, dan scores three points lower. Against the mean of the
 * others dan pulls every reference down by about a point, and all three
 * look lenient with intervals above 0; against the median (the default)
 * none does, and dan alone is severe.
 */
static void
test_outlier(void)
{
	struct calib_store *s = load("tests/sheets/raters-outlier.csv", NULL);
	struct calib_raters_opts o;
	struct calib_raters *r;
	const char *const three[] = {"ana", "ben", "cara"};
	calib_raters_opts_init(&o);
	is_long((long)o.consensus, CALIB_CONSENSUS_MEDIAN, "default consensus: median");
	r = run(s, &o);
	for (size_t i = 0; i < 3; i++)
		is_string(summary(r, s, three[i])->direction, "in line", "median: %s in line",
		          three[i]);
	is_string(summary(r, s, "dan")->direction, "severe", "median: dan severe");
	ok(summary(r, s, "dan")->out_of_line, "median: dan most out of line");
	calib_raters_free(r);
	o.consensus = CALIB_CONSENSUS_MEAN;
	r = run(s, &o);
	for (size_t i = 0; i < 3; i++) {
		const struct calib_raters_summary *u = summary(r, s, three[i]);
		is_string(u->direction, "lenient", "mean: %s lenient", three[i]);
		ok(u->lower > 0, "mean: %s interval above 0", three[i]);
	}
	calib_raters_free(r);
	calib_store_free(s);
}

/*
 * calib_raters_scores on raters-median.csv (one call a1 b2 c3 d10): the
 * reference of each score as calib_raters_run takes it.
 */
static void
test_scores(void)
{
	struct calib_store *s = load("tests/sheets/raters-median.csv", NULL);
	struct calib_raters_opts o;
	struct calib_raters_score *v = NULL;
	size_t n = 0;
	calib_raters_opts_init(&o);
	ok(calib_raters_scores(s, 0, &o, &v, &n, NULL) == CALIB_OK && n == 4, "scores: four");
	if (n == 4) {
		is_double(v[0].ref, 3, 1e-12, "scores: a's median of 2, 3, 10");
		is_double(v[3].ref, 2, 1e-12, "scores: d's median of 1, 2, 3");
		is_double(v[3].value, 10, 1e-12, "scores: d's value");
	}
	free(v);
	o.expert = rid(s, "b");
	ok(calib_raters_scores(s, 0, &o, &v, &n, NULL) == CALIB_OK && n == 3,
	   "scores: the expert's own score left out");
	if (n == 3)
		is_double(v[2].ref, 2, 1e-12, "scores: reference the expert's 2");
	free(v);
	ok(calib_raters_scores(s, 7, &o, &v, &n, NULL) == CALIB_EARG && !v,
	   "scores: criterion out of range");
	calib_store_free(s);
}

/* The rater id of the answer key read from key (calib_read with as_rater). */
static uint32_t
load_key(struct calib_store *s, const char *key)
{
	struct calib_read_opts ro;
	struct calib_error err;
	FILE *fp = fopen(key, "r");
	calib_read_opts_init(&ro);
	ro.as_rater = "key";
	s->finished = false;
	if (!fp || calib_read(s, fp, key, &ro, &err) || calib_store_finish(s)) {
		fprintf(stderr, "# cannot load %s\n", key);
		exit(1);
	}
	fclose(fp);
	return rid(s, "key");
}

/*
 * key-session.csv against key-key.csv (hand computation in
 * tests/e2e/key.cases): ann 7 of 9, bob 2 of 8, cat 9 of 9; ann misses
 * tone and close once each; bob tone 3, greet 2, close 1.
 */
static void
test_calibration(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_raters_opts o;
	struct calib_raters *r;
	struct calib_read_opts ro;
	struct calib_error err;
	FILE *fp = fopen("tests/sheets/key-rubric.csv", "r");
	calib_read_opts_init(&ro);
	if (!fp || calib_read_rubric(s, fp, "r", &ro, &err))
		exit(1);
	fclose(fp);
	fp = fopen("tests/sheets/key-session.csv", "r");
	if (!fp || calib_read(s, fp, "s", &ro, &err))
		exit(1);
	fclose(fp);
	calib_raters_opts_init(&o);
	o.expert = load_key(s, "tests/sheets/key-key.csv");
	o.key = "key";
	o.pass = 0.75;
	r = run(s, &o);
	ok(r->n_raters == 3, "calibration: the key is the reference, not a rater");
	is_double(summary(r, s, "ann")->calibration, 7.0 / 9, 1e-12, "calibration: ann 7/9");
	is_double(summary(r, s, "bob")->calibration, 2.0 / 8, 1e-12, "calibration: bob 2/8");
	is_double(summary(r, s, "cat")->calibration, 1, 1e-12, "calibration: cat 9/9");
	ok(summary(r, s, "ann")->pass == 1 && summary(r, s, "bob")->pass == 0,
	   "calibration: ann passes 0.75, bob fails");
	ok(cell(r, s, "ann", 0)->n_items == 3 && cell(r, s, "ann", 0)->n_match == 3,
	   "calibration: ann greet 3/3 (N/A against a key N/A matches)");
	ok(cell(r, s, "ann", 2)->n_items == 3 && cell(r, s, "ann", 2)->n_match == 2,
	   "calibration: ann close 2/3 (N/A against a key score misses)");
	ok(cell(r, s, "bob", 2)->n_items == 2, "calibration: bob's missing close is no item");
	ok(isnan(cell(r, s, "ann", 3)->calibration), "calibration: none on the TOTAL");
	{
		const struct calib_raters_summary *u = summary(r, s, "bob");
		ok(u->missed[0] == 1 && u->n_missed[0] == 3 && u->missed[1] == 0 &&
		           u->n_missed[1] == 2 && u->missed[2] == 2 && u->n_missed[2] == 1,
		   "calibration: bob missed tone 3, greet 2, close 1");
		is_double(summary(r, s, "ann")->bias, 2.5, 1e-9, "calibration: ann's TOTAL +2.5");
	}
	{
		struct calib_table *t = calib_raters_calibration(r, s);
		ok(t != NULL, "calibration: the table");
		calib_table_free(t);
	}
	calib_raters_free(r);
	calib_store_free(s);
}

/*
 * The consensus key of key-session.csv (hand computation in
 * tests/e2e/key.cases): C1 yes 4 8; C2 N/A 4 6; C3 yes 3 8; ties 2 (C2
 * close 6,7; C3 close 8,9). A name taken is refused.
 */
static void
test_consensus_key(void)
{
	struct calib_store *s = load("tests/sheets/key-session.csv", "tests/sheets/key-rubric.csv");
	struct calib_error err;
	uint32_t key, k2;
	size_t ties = 99;
	static const char *const want[3][3] = {
	        {"yes", "4", "8"}, {"N/A", "4", "6"}, {"yes", "3", "8"}};
	int good = 1;
	ok(calib_raters_consensus_key(s, "ann", &k2, NULL, &err) == CALIB_EARG &&
	           k2 == CALIB_NONE,
	   "consensus key: a rater's name is refused");
	ok(calib_raters_consensus_key(s, "key", &key, &ties, &err) == CALIB_OK,
	   "consensus key: made");
	ok(ties == 2, "consensus key: two ties");
	ok(s->finished, "consensus key: the store is finished again");
	for (size_t e = 0; e < s->n_evals; e++) {
		char buf[32];
		if (s->eval_rater[e] != key)
			continue;
		uint32_t item = s->eval_item[e];
		const char *call = calib_names_get(s->calls, s->item_call[item]);
		size_t i = (size_t)(call[1] - '1');
		for (size_t j = 0; j < 3; j++)
			good &= strcmp(calib_store_code_text(&s->criteria[j],
			                                     calib_code(&s->criteria[j], e), buf,
			                                     sizeof buf),
			               want[i][j]) == 0;
	}
	ok(good, "consensus key: mode, majority N/A, lower median");
	calib_store_free(s);
}

/* calib_raters_match: N/A only with N/A, exact categories, tolerance on points. */
static void
test_match(void)
{
	struct calib_criterion bin = {.scale = CALIB_SCALE_BINARY, .labelled = true},
	                       ord = {.scale = CALIB_SCALE_ORDINAL};
	ok(calib_raters_match(&bin, 1, 1, NAN, NAN, 0), "match: N/A and N/A");
	ok(!calib_raters_match(&bin, 1, 3, NAN, 1, 5), "match: N/A against a score");
	ok(!calib_raters_match(&ord, 3, 1, 2, NAN, 5), "match: a score against a key N/A");
	ok(!calib_raters_match(&bin, 3, 4, 0, 1, 1), "match: binary is exact");
	ok(calib_raters_match(&ord, 3, 4, 2, 3, 1.000001), "match: ordinal within the bound");
	ok(!calib_raters_match(&ord, 3, 5, 2, 4, 1.000001), "match: ordinal outside it");
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_small();
	test_expert();
	test_median();
	test_one();
	test_ties();
	test_pairs();
	test_incomplete();
	test_complete_equal();
	test_holm();
	test_limits();
	test_outlier();
	test_scores();
	test_calibration();
	test_consensus_key();
	test_match();
	calib_raters_free(NULL);
	ok(1, "calib_raters_free(NULL) is harmless");
	return tap_done();
}
