/*
 * test_scorecard.c - unit tests of the scorecard: the rubric's section,
 * critical and na columns as the reader stores them, and the TOTAL and
 * section subtotals (points earned over points possible, weights, N/A,
 * critical criteria) against sums done by hand.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/reader.h"
#include "calib/totals.h"
#include "calib/scorecard.h"
#include "calib/store.h"
#include "tap.h"

/* Read text with reader (calib_read or calib_read_rubric) into s. */
static enum calib_status
read_with(enum calib_status (*reader)(struct calib_store *, FILE *, const char *,
                                      const struct calib_read_opts *, struct calib_error *),
          struct calib_store *s, const char *text, const char *name, struct calib_error *err)
{
	struct calib_read_opts o;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	enum calib_status st;

	if (!fp)
		return CALIB_EIO;
	calib_read_opts_init(&o);
	st = reader(s, fp, name, &o, err);
	fclose(fp);
	return st;
}

static const char rubric[] = "criterion,scale,levels,min,max,weight,section,critical,na\n"
                             "greeted,binary,no|yes,,,1,Opening,,no\n"
                             "verified_id,binary,no|yes,,,2,Opening,YES,no\n"
                             "empathy,ordinal,1|2|3|4|5,,,2,Soft skills,,\n"
                             "hold,binary,no|yes,,,1,Soft skills,no,yes\n"
                             "resolution,interval,,0,10,4,Resolution,,no\n"
                             "recap,binary,no|yes,,,1,Resolution,section,\n"
                             "mood,nominal,calm|angry,,,1,,,\n";

static const char sheet[] =
        "call,rater,greeted,verified_id,empathy,hold,resolution,recap,mood\n"
        "C1,ann,yes,yes,4,N/A,8,yes,calm\n"   /* 8.7 / 10 */
        "C1,cy,no,yes,3,N/A,6,no,calm\n"      /* recap zeroes Resolution: 3 / 10 */
        "C2,ann,yes,no,5,yes,10,yes,angry\n"  /* verified_id fails: 0 */
        "C2,cy,yes,yes,4,yes,,yes,calm\n"     /* resolution unscored */
        "C3,ann,yes,no,4,yes,,yes,calm\n"     /* critical beats unscored: 0 */
        "C3,cy,yes,yes,N/A,N/A,5,yes,calm\n"; /* Soft skills all N/A */

static void
test_columns(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;
	uint32_t g, v, e, h, rc, m;

	ok(read_with(calib_read_rubric, s, rubric, "r.csv", &err) == CALIB_OK,
	   "a rubric with section, critical and na columns reads");
	g = calib_store_find_criterion(s, "greeted", 7);
	v = calib_store_find_criterion(s, "verified_id", 11);
	e = calib_store_find_criterion(s, "empathy", 7);
	h = calib_store_find_criterion(s, "hold", 4);
	rc = calib_store_find_criterion(s, "recap", 5);
	m = calib_store_find_criterion(s, "mood", 4);
	is_long((long)calib_names_count(s->sections), 3, "three sections");
	is_string(calib_names_get(s->sections, s->criteria[e].section), "Soft skills",
	          "a criterion's section");
	ok(s->criteria[g].section == s->criteria[v].section, "two criteria share a section");
	ok(s->criteria[m].section == CALIB_NONE, "an empty section is none");
	ok(s->criteria[v].critical == CALIB_CRITICAL_TOTAL, "critical YES (any case)");
	ok(s->criteria[rc].critical == CALIB_CRITICAL_SECTION, "critical section");
	ok(s->criteria[h].critical == CALIB_CRITICAL_NO &&
	           s->criteria[e].critical == CALIB_CRITICAL_NO,
	   "critical no, or empty, is no");
	ok(s->criteria[g].no_na && !s->criteria[h].no_na && !s->criteria[e].no_na,
	   "na no forbids N/A; yes or empty allow it");
	calib_store_free(s);

	/* without the columns nothing changes */
	s = calib_store_alloc();
	ok(read_with(calib_read_rubric, s, "criterion,scale\nx,binary\n", "r.csv", &err) ==
	                   CALIB_OK &&
	           s->criteria[0].section == CALIB_NONE &&
	           s->criteria[0].critical == CALIB_CRITICAL_NO && !s->criteria[0].no_na &&
	           calib_names_count(s->sections) == 0,
	   "a rubric without them: no section, not critical, N/A allowed");
	calib_store_free(s);
}

static void
test_errors(void)
{
	static const struct {
		const char *text, *msg;
		unsigned long col;
	} bad[] = {
	        {"criterion,scale,levels,critical\ng,binary,no|yes,sometimes\n",
	         "critical \"sometimes\" is not yes, no or section", 4},
	        {"criterion,scale,levels,na\ng,binary,no|yes,1\n", "na \"1\" is not yes or no",
	         4},
	        {"criterion,scale,levels,critical\ng,nominal,a|b,yes\n",
	         "a critical criterion needs an ordered scale, not nominal", 4},
	        {"criterion,scale,max,critical\ng,ratio,10,yes\n",
	         "a critical criterion needs levels or a min: its lowest score fails it", 4},
	        {"criterion,scale,levels,critical,section\ng,binary,no|yes,section,\n",
	         "critical section needs a section", 4},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct calib_store *s = calib_store_alloc();
		struct calib_error err;
		ok(read_with(calib_read_rubric, s, bad[i].text, "r.csv", &err) == CALIB_EINPUT,
		   "bad rubric %zu refused", i);
		is_string(err.msg, bad[i].msg, "its message");
		ok(err.line == 2 && err.column == bad[i].col, "at 2:%lu (got %lu:%lu)",
		   bad[i].col, err.line, err.column);
		calib_store_free(s);
	}
}

static void
test_na(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;

	read_with(calib_read_rubric, s, rubric, "r.csv", &err);
	ok(read_with(calib_read, s,
	             "call,rater,greeted,verified_id,empathy,hold,resolution,recap,mood\n"
	             "C1,a,yes,yes,N/A,N/A,8,N/A,calm\n"
	             "C1,b,yes,yes,4,yes,n/a,yes,calm\n",
	             "s.csv", &err) == CALIB_EINPUT,
	   "N/A where the rubric says na no is refused");
	is_string(
	        err.msg,
	        "criterion \"resolution\": N/A is not allowed (the rubric's na column says no)",
	        "its message names the criterion");
	ok(err.line == 3 && err.column == 7, "at its cell, 3:7 (got %lu:%lu)", err.line,
	   err.column);
	calib_store_free(s);
}

static void
test_totals(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_scorecard *sc = NULL;
	struct calib_error err;
	const double *tot, *open, *soft, *res;
	double *flat;
	/* evaluations in the sheet's order */
	enum { ANN1, CY1, ANN2, CY2, ANN3, CY3 };

	ok(read_with(calib_read_rubric, s, rubric, "r.csv", &err) == CALIB_OK &&
	           read_with(calib_read, s, sheet, "s.csv", &err) == CALIB_OK &&
	           calib_store_finish(s) == CALIB_OK,
	   "the scorecard sheet reads");
	ok(calib_scorecard_compute(s, 1, &sc) == CALIB_OK && sc, "scorecard computed");
	if (!sc)
		return;
	is_long((long)sc->n_sections, 3, "three subtotals");
	ok(sc->critical, "the rubric has critical criteria");
	tot = calib_scorecard_row(sc, 0);
	open = calib_scorecard_row(sc, 1);
	soft = calib_scorecard_row(sc, 2);
	res = calib_scorecard_row(sc, 3);
	/* the nominal mood earns nothing and counts nothing */
	is_double(tot[ANN1], 100 * 8.7 / 10, 1e-12, "earned over possible, N/A left out");
	is_double(open[ANN1], 100, 1e-12, "Opening 3/3");
	is_double(soft[ANN1], 75, 1e-12, "Soft skills 1.5/2 (hold N/A)");
	is_double(res[ANN1], 84, 1e-12, "Resolution 4.2/5");
	is_double(res[CY1], 0, 0, "critical section: Resolution 0");
	ok(sc->flags[3 * sc->n_evals + CY1] == CALIB_SCORE_ZEROED, "and flagged zeroed");
	is_double(tot[CY1], 30, 1e-12, "the zeroed section earns 0 of its 5 in the TOTAL");
	is_double(open[CY1], 200.0 / 3, 1e-12, "Opening 2/3");
	is_double(tot[ANN2], 0, 0, "critical yes: TOTAL 0");
	ok(sc->flags[ANN2] == CALIB_SCORE_ZEROED, "flagged zeroed");
	is_double(open[ANN2], 100.0 / 3, 1e-12, "its section keeps its subtotal");
	ok(isnan(tot[CY2]) && isnan(res[CY2]) && sc->flags[CY2] == 0,
	   "an unscored criterion: no TOTAL, no subtotal, not N/A");
	is_double(soft[CY2], 250.0 / 3, 1e-12, "other sections keep theirs");
	is_double(tot[ANN3], 0, 0, "a critical fail decides even with a criterion unscored");
	ok(isnan(soft[CY3]) && sc->flags[2 * sc->n_evals + CY3] == CALIB_SCORE_NA,
	   "a section all N/A: no subtotal, flagged N/A");
	is_double(tot[CY3], 100 * 6.0 / 8, 1e-12, "TOTAL 6/8 without it");
	flat = calib_report_totals(s, 1);
	ok(flat && memcmp(flat, tot, s->n_evals * sizeof *flat) == 0,
	   "calib_report_totals is the scorecard's TOTAL");
	free(flat);
	calib_scorecard_free(sc);
	calib_scorecard_free(NULL);
	calib_store_free(s);
}

/*
 * Scored over two threads, a sheet of many parts of evaluations gives the
 * scores and flags of one thread, to the bit.
 */
static void
test_threads(void)
{
	enum { COPIES = 30000 }; /* 180,000 evaluations: parts for both threads */
	struct calib_store *s = calib_store_alloc();
	struct calib_scorecard *one = NULL, *two = NULL;
	struct calib_error err;
	const char *rows = strchr(sheet, '\n') + 1;
	size_t n = strlen(rows), rows_n = 0, head = (size_t)(rows - sheet);
	char *text = malloc(head + COPIES * (n + 6 * 8) + 1), *p = text;
	bool same_total = true;

	memcpy(p, sheet, head);
	p += head;
	for (int k = 0; k < COPIES; k++)
		for (const char *r = rows; *r; r = strchr(r, '\n') + 1, rows_n++) {
			/* call C1 of copy k becomes C1-k */
			const char *comma = strchr(r, ',');
			size_t rest = (size_t)(strchr(r, '\n') + 1 - comma);
			p += sprintf(p, "%.*s-%d", (int)(comma - r), r, k);
			memcpy(p, comma, rest);
			p += rest;
		}
	*p = '\0';
	ok(read_with(calib_read_rubric, s, rubric, "r.csv", &err) == CALIB_OK &&
	           read_with(calib_read, s, text, "s.csv", &err) == CALIB_OK &&
	           calib_store_finish(s) == CALIB_OK && s->n_evals == rows_n,
	   "%zu evaluations read", rows_n);
	ok(calib_scorecard_compute(s, 1, &one) == CALIB_OK &&
	           calib_scorecard_compute(s, 2, &two) == CALIB_OK,
	   "scored on one thread and on two");
	if (one && two) {
		size_t cells = (1 + one->n_sections) * one->n_evals;
		ok(two->n_evals == one->n_evals && two->n_sections == one->n_sections &&
		           memcmp(one->score, two->score, cells * sizeof *one->score) == 0 &&
		           memcmp(one->flags, two->flags, cells) == 0,
		   "the same scores and flags to the bit");
		for (size_t e = 0; e < two->n_evals; e += 6)
			same_total &= fabs(two->score[e] - 100 * 8.7 / 10) < 1e-12 &&
			              two->score[e + 2] == 0 && isnan(two->score[e + 3]);
		ok(same_total, "each copy scored as the sheet's own rows");
	}
	calib_scorecard_free(one);
	calib_scorecard_free(two);
	calib_store_free(s);
	free(text);
}

int
main(void)
{
	test_columns();
	test_errors();
	test_na();
	test_totals();
	test_threads();
	return tap_done();
}
