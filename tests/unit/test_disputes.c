/*
 * test_disputes.c - calib_disputes_run on tests/sheets/disputes-small.csv,
 * computed by hand (pts interval 0-10, ok binary no|yes, flat ordinal 1-5):
 *
 *   call  pts (a b c)   ok (a b c)      flat
 *   c1    6 8 4         yes yes no      3 3 3
 *   c2    5 8 3         no yes no       3 3 3
 *   c3    9 9 N/A       yes yes N/A     3 3 3
 *   c4    2 - 2         no no no        3 3 3
 *
 * Disagreement: the share of the largest possible for the cell's answers.
 * pts: population SD over its largest value for three scores in 0-10,
 *   5 sqrt(1 - 1/9) = 5 sqrt(8/9):
 *   c1 mean 6, SD sqrt(8/3) -> sqrt(3)/5 = 0.34641; spread 4;
 *   c2 mean 16/3, SD sqrt(38/9) -> sqrt(4.75)/5 = 0.43589; spread 5; median 5;
 *   c3 SD 0 but an N/A split 1 against 2: sqrt(1 x 2 / (1 x 2)) = 1;
 *   c4 two answers (b missing), SD 0 -> 0.
 * ok (binary): sqrt of Gini-Simpson over its maximum; three answers on two
 *   levels: 1 - (4 + 1)/9 = 4/9 for a 2:1 split, the most there can be:
 *   c1, c2 1; c3 (yes yes) 0 but the N/A split 1; c4 0.
 * flat: 0 everywhere (every score equal): never listed.
 * Order: the four 1s tie on distinct answers (2 each) and go by call, then
 * criterion: c1 ok, c2 ok, c3 pts, c3 ok; then c2 pts 0.436, c1 pts 0.346.
 * Calls (mean over the three measured cells): c1 (0.34641 + 1 + 0)/3,
 * c2 (0.43589 + 1)/3, c3 2/3, c4 0 (not listed): c3, c2, c1.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/disputes.h"
#include "calib/reader.h"
#include "calib/table.h"
#include "load.h"
#include "tap.h"

static const char *
call_of(const struct calib_store *s, uint32_t item)
{
	return calib_names_get(s->calls, s->item_call[item]);
}

static const char *
crit_of(const struct calib_store *s, uint32_t crit)
{
	return s->criteria[crit].name;
}

static struct calib_disputes *
run(const struct calib_store *s, const struct calib_disputes_opts *o)
{
	struct calib_disputes *d = NULL;
	if (calib_disputes_run(s, o, &d, NULL) || !d) {
		fprintf(stderr, "# calib_disputes_run failed\n");
		exit(1);
	}
	return d;
}

static void
expect(const struct calib_store *s, const struct calib_dispute *c, const char *call,
       const char *crit, double dis, const char *what)
{
	ok(!strcmp(call_of(s, c->item), call) && !strcmp(crit_of(s, c->crit), crit),
	   "%s: %s %s (got %s %s)", what, call, crit, call_of(s, c->item), crit_of(s, c->crit));
	is_double(c->disagreement, dis, 1e-12, "%s: disagreement", what);
}

/* Whether two rankings are the same, cell by cell and call by call. */
static bool
same_ranking(const struct calib_disputes *a, const struct calib_disputes *b)
{
	if (a->n_cells != b->n_cells || a->n_calls != b->n_calls || a->n_ranked != b->n_ranked ||
	    a->n_disputed != b->n_disputed)
		return false;
	for (size_t i = 0; i < a->n_cells; i++) {
		const struct calib_dispute *x = &a->cell[i], *y = &b->cell[i];
		if (x->item != y->item || x->crit != y->crit ||
		    memcmp(&x->disagreement, &y->disagreement, sizeof x->disagreement) ||
		    memcmp(&x->spread, &y->spread, sizeof x->spread) ||
		    memcmp(&x->consensus, &y->consensus, sizeof x->consensus) ||
		    strcmp(x->mode, y->mode) || x->n_answers != y->n_answers ||
		    x->n_na != y->n_na || x->n_distinct != y->n_distinct)
			return false;
	}
	for (size_t i = 0; i < a->n_calls; i++) {
		const struct calib_dispute_call *x = &a->call[i], *y = &b->call[i];
		if (x->item != y->item || x->worst != y->worst || x->n_cells != y->n_cells ||
		    x->n_disputed != y->n_disputed ||
		    memcmp(&x->disagreement, &y->disagreement, sizeof x->disagreement) ||
		    memcmp(&x->max, &y->max, sizeof x->max))
			return false;
	}
	return true;
}

/*
 * A sheet of many calls (parts of the ranking for both threads), ranked
 * on one thread and on two: the same cells and calls, to the bit, with
 * every option that changes what is kept.
 */
static void
test_threads(void)
{
	enum { CALLS = 40000 };
	static const char *yn[] = { "no", "yes", "N/A", "" };
	char *text = malloc((size_t)CALLS * 4 * 32 + 64), *p = text;
	unsigned long x = 12345;
	struct calib_store *s;
	struct {
		size_t top;
		bool per_criterion;
		enum calib_consensus cons;
		const char *what;
	} cases[] = {
		{ 10, false, CALIB_CONSENSUS_MEAN, "top 10" },
		{ 0, false, CALIB_CONSENSUS_MEAN, "every cell" },
		{ 25, true, CALIB_CONSENSUS_MEDIAN, "top 25 per criterion, median" },
		{ 0, true, CALIB_CONSENSUS_MEAN, "every cell per criterion" },
	};

	p += sprintf(p, "call,rater,ok,pts,tone\n");
	for (int c = 0; c < CALLS; c++)
		for (int r = 0; r < 4; r++) {
			/* a linear congruential stream: the same sheet every run */
			x = (x * 6364136223846793005ul + 1442695040888963407ul) & 0xfffffffffffful;
			p += sprintf(p, "C%d,r%d,%s,%lu,%lu\n", c, r, yn[(x >> 20) % 4],
			             (x >> 24) % 11, 1 + (x >> 30) % 5);
		}
	s = load_text(text, "criterion,scale,levels,min,max\nok,binary,no|yes,,\n"
	                    "pts,interval,,0,10\ntone,ordinal,1|2|3|4|5,,\n");
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct calib_disputes_opts o;
		struct calib_disputes *one, *two;
		calib_disputes_opts_init(&o);
		o.top = cases[k].top;
		o.per_criterion = cases[k].per_criterion;
		o.consensus = cases[k].cons;
		o.threads = 1;
		one = run(s, &o);
		o.threads = 2;
		two = run(s, &o);
		ok(one->n_cells > 0 && one->n_calls > 0 && same_ranking(one, two),
		   "%s: %zu cells, %zu calls, the same on two threads", cases[k].what,
		   two->n_cells, two->n_calls);
		calib_disputes_free(one);
		calib_disputes_free(two);
	}
	calib_store_free(s);
	free(text);
}

int
main(void)
{
	struct calib_store *s;
	struct calib_disputes_opts o;
	struct calib_disputes *d;
	struct calib_table *t;
	gsl_set_error_handler_off();
	s = load("tests/sheets/disputes-small.csv", "tests/sheets/disputes-rubric.csv");
	calib_disputes_opts_init(&o);
	o.top = 0;
	d = run(s, &o);
	is_long((long)d->n_ranked, 12, "all 12 cells have two answers or more");
	is_long((long)d->n_disputed, 6, "six of them with disagreement");
	is_long((long)d->n_cells, 6, "top 0: every disputed cell, no zero");
	expect(s, &d->cell[0], "c1", "ok", 1, "1st (tie, first call)");
	is_string(d->cell[0].mode, "yes", "1st: mode yes");
	ok(isnan(d->cell[0].consensus) && isnan(d->cell[0].spread),
	   "1st: nominal, no mean or spread");
	expect(s, &d->cell[1], "c2", "ok", 1, "2nd (tie)");
	expect(s, &d->cell[2], "c3", "pts", 1, "3rd: N/A split on a numeric criterion");
	is_long((long)d->cell[2].n_na, 1, "3rd: one N/A");
	is_double(d->cell[2].spread, 0, 1e-12, "3rd: spread of the scores 0");
	expect(s, &d->cell[3], "c3", "ok", 1, "4th: N/A split on a yes/no criterion");
	expect(s, &d->cell[4], "c2", "pts", sqrt(4.75) / 5, "5th");
	is_double(d->cell[4].spread, 5, 1e-12, "5th: spread");
	is_double(d->cell[4].consensus, 16.0 / 3, 1e-12, "5th: consensus mean");
	is_string(d->cell[4].mode, "3|5|8", "5th: every answer once: tie listed");
	is_long((long)d->cell[4].n_distinct, 3, "5th: three distinct answers");
	expect(s, &d->cell[5], "c1", "pts", sqrt(3) / 5, "6th");
	{
		size_t zero = 0;
		for (size_t i = 0; i < d->n_cells; i++)
			zero += d->cell[i].disagreement == 0 ||
			        !strcmp(crit_of(s, d->cell[i].crit), "flat");
		is_long((long)zero, 0, "no cell without disagreement is listed");
	}
	is_long((long)d->n_calls, 3, "three calls (c4 agrees everywhere)");
	is_string(call_of(s, d->call[0].item), "c3", "most contested call c3");
	is_double(d->call[0].disagreement, 2.0 / 3, 1e-12, "c3: mean");
	is_double(d->call[0].max, 1, 1e-12, "c3: max");
	is_string(crit_of(s, d->call[0].worst), "pts", "c3: worst criterion (first of the 1s)");
	is_long((long)d->call[0].n_disputed, 2, "c3: two disputed cells");
	is_string(call_of(s, d->call[1].item), "c2", "2nd call c2");
	is_double(d->call[1].disagreement, (sqrt(4.75) / 5 + 1) / 3, 1e-12, "c2: mean");
	is_string(call_of(s, d->call[2].item), "c1", "3rd call c1");
	is_double(d->call[2].disagreement, (sqrt(3) / 5 + 1) / 3, 1e-12, "c1: mean");
	t = calib_disputes_cells(d, s);
	ok(t && calib_table_n_rows(t) == 6, "cells table");
	calib_table_free(t);
	t = calib_disputes_calls(d, s);
	ok(t && calib_table_n_rows(t) == 3, "calls table");
	calib_table_free(t);
	calib_disputes_free(d);

	/* top 3 through the bounded heap: the same first three */
	o.top = 3;
	d = run(s, &o);
	is_long((long)d->n_cells, 3, "top 3: three cells");
	expect(s, &d->cell[0], "c1", "ok", 1, "top 3 1st");
	expect(s, &d->cell[1], "c2", "ok", 1, "top 3 2nd");
	expect(s, &d->cell[2], "c3", "pts", 1, "top 3 3rd");
	is_long((long)d->n_calls, 3, "top 3: three calls");
	calib_disputes_free(d);

	/* per criterion, top 1: pts c3, ok c1; flat has nothing to discuss */
	o.top = 1;
	o.per_criterion = true;
	d = run(s, &o);
	is_long((long)d->n_cells, 2, "per criterion top 1: two cells");
	expect(s, &d->cell[0], "c3", "pts", 1, "per criterion pts");
	expect(s, &d->cell[1], "c1", "ok", 1, "per criterion ok");
	calib_disputes_free(d);

	/* median consensus: c2 pts median of 5, 8, 3 = 5 */
	o.top = 0;
	o.per_criterion = false;
	o.consensus = CALIB_CONSENSUS_MEDIAN;
	d = run(s, &o);
	is_double(d->cell[4].consensus, 5, 1e-12, "median consensus of c2 pts");
	calib_disputes_free(d);
	calib_store_free(s);

	/*
	 * raters-scale.csv, five raters: k1 resolved 3 yes 2 no, k2 score
	 * 0 0 0 10 10 and pts4 0 0 0 4 4 (both range-wide 3:2 splits): all
	 * three are 1 exactly, and rank by input order (call, then criterion),
	 * not by rounding; k3 resolved 4:1 is sqrt(4 x 1 / (2 x 3)).
	 */
	s = load("tests/sheets/raters-scale.csv", NULL);
	calib_disputes_opts_init(&o);
	o.top = 0;
	d = run(s, &o);
	expect(s, &d->cell[0], "k1", "resolved", 1, "scale: yes/no 3:2 split");
	expect(s, &d->cell[1], "k2", "score", 1, "scale: 0-10 3:2 split at the ends");
	expect(s, &d->cell[2], "k2", "pts4", 1, "scale: 0-4 3:2 split at the ends");
	ok(d->cell[0].disagreement == d->cell[1].disagreement &&
	           d->cell[1].disagreement == d->cell[2].disagreement,
	   "scale: the three ties are exact");
	expect(s, &d->cell[3], "k3", "resolved", sqrt(4.0 / 6), "scale: yes/no 4:1 split");
	calib_disputes_free(d);
	calib_store_free(s);

	/* raters-perfect.csv: everyone agrees (N/A included): nothing listed */
	s = load("tests/sheets/raters-perfect.csv", NULL);
	d = run(s, &o);
	is_long((long)d->n_ranked, 6, "perfect: six cells measured");
	is_long((long)d->n_disputed, 0, "perfect: none disputed");
	is_long((long)d->n_cells, 0, "perfect: no cell listed");
	is_long((long)d->n_calls, 0, "perfect: no call listed");
	calib_disputes_free(d);
	calib_store_free(s);

	/* one rater only: no cell has two answers */
	s = load("tests/sheets/raters-one.csv", NULL);
	calib_disputes_opts_init(&o);
	d = run(s, &o);
	is_long((long)d->n_cells, 0, "one rater: nothing to dispute");
	is_long((long)d->n_calls, 0, "one rater: no call ranked");
	calib_disputes_free(d);
	calib_store_free(s);
	calib_disputes_free(NULL);
	ok(1, "calib_disputes_free(NULL) is harmless");
	test_threads();
	return tap_done();
}
