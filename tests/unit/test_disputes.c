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
 * pts: disagreement = population SD / (range / 2) = SD / 5:
 *   c1 mean 6, SD sqrt(8/3) -> 0.32660; spread 4;
 *   c2 mean 16/3, SD sqrt(38/9) -> 0.41096; spread 5; median 5;
 *   c3 SD 0 but an N/A split 1 against 2 -> 1/3;
 *   c4 two answers (b missing), SD 0 -> 0.
 * ok: (answers - most given) / answers: c1, c2, c3 (N/A an answer) 1/3, c4 0.
 * flat: 0 everywhere (every score equal).
 * Order: c2 pts 0.411; then the 1/3 ties by distinct answers (all 2), call,
 * criterion: c1 ok, c2 ok, c3 pts, c3 ok; then c1 pts 0.327; then zeros.
 * Calls: c1 (0.32660 + 1/3 + 0)/3 = 0.21998, c2 (0.41096 + 1/3)/3 =
 * 0.24810, c3 (1/3 + 1/3 + 0)/3 = 0.22222, c4 0: c2, c3, c1, c4.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/disputes.h"
#include "calib/reader.h"
#include "calib/table.h"
#include "tap.h"

static struct calib_store *
load(const char *sheet, const char *rubric)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts ro;
	struct calib_error err;
	FILE *fp;
	calib_read_opts_init(&ro);
	if (rubric) {
		fp = fopen(rubric, "r");
		if (!fp || calib_read_rubric(s, fp, rubric, &ro, &err))
			goto fail;
		fclose(fp);
	}
	fp = fopen(sheet, "r");
	if (!fp || calib_read(s, fp, sheet, &ro, &err))
		goto fail;
	fclose(fp);
	if (calib_store_finish(s))
		goto fail;
	return s;
fail:
	fprintf(stderr, "# cannot load %s\n", sheet);
	exit(1);
}

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
	is_long((long)d->n_cells, 12, "top 0: every cell");
	expect(s, &d->cell[0], "c2", "pts", sqrt(38.0 / 9) / 5, "1st");
	is_double(d->cell[0].spread, 5, 1e-12, "1st: spread");
	is_double(d->cell[0].consensus, 16.0 / 3, 1e-12, "1st: consensus mean");
	is_string(d->cell[0].mode, "3|5|8", "1st: every answer once: tie listed");
	is_long((long)d->cell[0].n_distinct, 3, "1st: three distinct answers");
	expect(s, &d->cell[1], "c1", "ok", 1.0 / 3, "2nd (tie, first call)");
	is_string(d->cell[1].mode, "yes", "2nd: mode yes");
	ok(isnan(d->cell[1].consensus) && isnan(d->cell[1].spread),
	   "2nd: nominal, no mean or spread");
	expect(s, &d->cell[2], "c2", "ok", 1.0 / 3, "3rd (tie)");
	expect(s, &d->cell[3], "c3", "pts", 1.0 / 3, "4th: N/A split on a numeric criterion");
	is_long((long)d->cell[3].n_na, 1, "4th: one N/A");
	is_double(d->cell[3].spread, 0, 1e-12, "4th: spread of the scores 0");
	expect(s, &d->cell[4], "c3", "ok", 1.0 / 3, "5th: N/A an answer of its own");
	is_string(d->cell[4].mode, "yes", "5th: mode yes");
	expect(s, &d->cell[5], "c1", "pts", sqrt(8.0 / 3) / 5, "6th");
	is_double(d->cell[6].disagreement, 0, 1e-12, "7th: the rest agree");
	{
		size_t flat = 0;
		for (size_t i = 0; i < d->n_cells; i++)
			if (!strcmp(crit_of(s, d->cell[i].crit), "flat")) {
				flat++;
				if (d->cell[i].disagreement != 0 || d->cell[i].n_distinct != 1)
					flat = 100;
			}
		is_long((long)flat, 4, "flat: every score equal, four cells at 0");
	}
	for (size_t i = 0; i < d->n_cells; i++)
		if (!strcmp(call_of(s, d->cell[i].item), "c4") && d->cell[i].crit == 0) {
			is_long((long)d->cell[i].n_answers, 2,
			        "c4 pts: the missing score is no answer");
			is_double(d->cell[i].disagreement, 0, 1e-12, "c4 pts: 2 and 2 agree");
		}
	is_long((long)d->n_calls, 4, "four calls");
	is_string(call_of(s, d->call[0].item), "c2", "most contested call c2");
	is_double(d->call[0].disagreement, (sqrt(38.0 / 9) / 5 + 1.0 / 3) / 3, 1e-12,
	          "c2: mean");
	is_double(d->call[0].max, sqrt(38.0 / 9) / 5, 1e-12, "c2: max");
	is_string(crit_of(s, d->call[0].worst), "pts", "c2: worst criterion");
	is_long((long)d->call[0].n_disputed, 2, "c2: two disputed cells");
	is_string(call_of(s, d->call[1].item), "c3", "2nd call c3");
	is_double(d->call[1].disagreement, 2.0 / 9, 1e-12, "c3: mean");
	is_string(call_of(s, d->call[2].item), "c1", "3rd call c1");
	is_double(d->call[2].disagreement, (sqrt(8.0 / 3) / 5 + 1.0 / 3) / 3, 1e-12,
	          "c1: mean");
	is_string(call_of(s, d->call[3].item), "c4", "4th call c4");
	t = calib_disputes_cells(d, s);
	ok(t && calib_table_n_rows(t) == 12, "cells table");
	calib_table_free(t);
	t = calib_disputes_calls(d, s);
	ok(t && calib_table_n_rows(t) == 4, "calls table");
	calib_table_free(t);
	calib_disputes_free(d);

	/* top 3 through the bounded heap: the same first three */
	o.top = 3;
	d = run(s, &o);
	is_long((long)d->n_cells, 3, "top 3: three cells");
	expect(s, &d->cell[0], "c2", "pts", sqrt(38.0 / 9) / 5, "top 3 1st");
	expect(s, &d->cell[1], "c1", "ok", 1.0 / 3, "top 3 2nd");
	expect(s, &d->cell[2], "c2", "ok", 1.0 / 3, "top 3 3rd");
	is_long((long)d->n_calls, 3, "top 3: three calls");
	calib_disputes_free(d);

	/* per criterion, top 1: pts c2, ok c1, flat c1 (all 0: first call) */
	o.top = 1;
	o.per_criterion = true;
	d = run(s, &o);
	is_long((long)d->n_cells, 3, "per criterion top 1: three cells");
	expect(s, &d->cell[0], "c2", "pts", sqrt(38.0 / 9) / 5, "per criterion pts");
	expect(s, &d->cell[1], "c1", "ok", 1.0 / 3, "per criterion ok");
	expect(s, &d->cell[2], "c1", "flat", 0, "per criterion flat");
	calib_disputes_free(d);

	/* median consensus: c2 pts median of 5, 8, 3 = 5 */
	o.top = 1;
	o.per_criterion = false;
	o.consensus = CALIB_CONSENSUS_MEDIAN;
	d = run(s, &o);
	is_double(d->cell[0].consensus, 5, 1e-12, "median consensus of c2 pts");
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
	return tap_done();
}
