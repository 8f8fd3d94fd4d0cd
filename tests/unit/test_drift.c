/*
 * test_drift.c - unit tests of agreement over sessions: strict ISO dates,
 * session ordering (dates, labels as given), the series with a one-rater
 * session, a criterion missing from some sessions and an undefined
 * coefficient, both alerts and the quiet case, and the bootstrap of a
 * difference checked against the draws redone by hand (fixed seed), with
 * and without calls shared by the two sessions; the TOTAL row against
 * calib-agree's report of each session. --compare's records
 * (calib_drift_groups: the group grammar, dates in other spellings, every
 * error message; calib_drift_compare: the rows against coefficients
 * counted by hand) and calib-drift's tables (drift_table.h): records built
 * here by hand, rendered, and the CSV and cells compared with what the
 * records say, flags, notes and footers included; one series from a store
 * through calib_drift_run to its table.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "calib/drift.h"
#include "calib/drift_table.h"
#include "calib/reader.h"
#include "calib/report.h"
#include "calib/store.h"
#include "calib/table.h"
#include "tap.h"

static struct calib_store *
load(const char *text)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts o;
	struct calib_error err;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");

	calib_read_opts_init(&o);
	if (!s || !fp || calib_read(s, fp, "t.csv", &o, &err) || calib_store_finish(s)) {
		printf("# load failed: %s\n", err.msg);
		exit(1);
	}
	fclose(fp);
	return s;
}

static uint32_t
session_id(const struct calib_store *s, const char *name)
{
	return calib_names_find(s->sessions, name, strlen(name));
}

static void
test_dates(void)
{
	long a, b;

	ok(calib_drift_parse_date("2026-09-07", &a), "ISO date parses");
	ok(calib_drift_parse_date("2026-09-14", &b) && b - a == 7, "a week is 7 days");
	ok(calib_drift_parse_date("2026-03-01", &b) &&
	           calib_drift_parse_date("2026-02-28", &a) && b - a == 1,
	   "no 29 February in 2026");
	ok(calib_drift_parse_date("2024-02-29", NULL), "29 February of a leap year");
	ok(!calib_drift_parse_date("2026-02-29", NULL), "no 29 February in 2026");
	ok(!calib_drift_parse_date("1900-02-29", NULL), "1900 is not a leap year");
	ok(calib_drift_parse_date("2000-02-29", NULL), "2000 is a leap year");
	ok(!calib_drift_parse_date("2026-13-01", NULL), "month 13 refused");
	ok(!calib_drift_parse_date("2026-04-31", NULL), "31 April refused");
	ok(!calib_drift_parse_date("2026-9-07", NULL), "one-digit month refused");
	ok(!calib_drift_parse_date("2026-09-07 ", NULL), "trailing space refused");
	ok(!calib_drift_parse_date("2026/09/07", NULL), "slashes refused");
	ok(!calib_drift_parse_date("week 1", NULL), "a label is not a date");
	ok(!calib_drift_parse_date("", NULL), "empty refused");
}

static void
test_order(void)
{
	struct calib_store *s = load("session,call,rater,q\n"
	                             "2026-10-12,c1,a,yes\n"
	                             "2026-09-07,c2,a,yes\n"
	                             "2025-12-31,c3,a,no\n"
	                             "2026-09-14,c4,a,yes\n");
	uint32_t *o;
	bool dated;

	ok(calib_drift_order(s, &o, &dated) == CALIB_OK && dated,
	   "ISO sessions ordered by date");
	is_string(calib_names_get(s->sessions, o[0]), "2025-12-31", "oldest first");
	is_string(calib_names_get(s->sessions, o[1]), "2026-09-07", "second");
	is_string(calib_names_get(s->sessions, o[2]), "2026-09-14", "third");
	is_string(calib_names_get(s->sessions, o[3]), "2026-10-12", "latest last");
	free(o);
	calib_store_free(s);

	s = load("session,call,rater,q\n"
	         "week 2,c1,a,yes\n"
	         "2026-09-07,c2,a,yes\n"
	         "week 1,c3,a,no\n");
	ok(calib_drift_order(s, &o, &dated) == CALIB_OK && !dated,
	   "a label that is no date: order as given");
	is_string(calib_names_get(s->sessions, o[0]), "week 2", "first as given");
	is_string(calib_names_get(s->sessions, o[2]), "week 1", "last as given");
	free(o);
	calib_store_free(s);
}

/*
 * Four sessions (the second given first, dated): q is binary, scored by
 * three raters, by ann alone in the third, by two in the fourth; p (a
 * number) is not scored in the second; z is "yes" from everybody in the
 * first (kappa undefined).
 */
static const char history[] = "session,call,rater,q,p,z\n"
                              "2026-01-12,c1,ann,yes,,yes\n"
                              "2026-01-12,c1,bob,yes,,no\n"
                              "2026-01-12,c1,cy,no,,no\n"
                              "2026-01-12,c2,ann,no,,no\n"
                              "2026-01-12,c2,bob,no,,no\n"
                              "2026-01-12,c2,cy,no,,no\n"
                              "2026-01-12,c3,ann,yes,,yes\n"
                              "2026-01-12,c3,bob,yes,,yes\n"
                              "2026-01-12,c3,cy,yes,,yes\n"
                              "2026-01-05,c1,ann,yes,1,yes\n"
                              "2026-01-05,c1,bob,yes,2,yes\n"
                              "2026-01-05,c1,cy,yes,1,yes\n"
                              "2026-01-05,c2,ann,no,3,yes\n"
                              "2026-01-05,c2,bob,no,3,yes\n"
                              "2026-01-05,c2,cy,no,4,yes\n"
                              "2026-01-05,c3,ann,yes,5,yes\n"
                              "2026-01-05,c3,bob,yes,5,yes\n"
                              "2026-01-05,c3,cy,yes,5,yes\n"
                              "2026-01-19,c1,ann,yes,2,no\n"
                              "2026-01-19,c2,ann,no,4,yes\n"
                              "2026-01-26,c1,ann,yes,1,yes\n"
                              "2026-01-26,c1,bob,yes,1,yes\n"
                              "2026-01-26,c2,ann,no,4,no\n"
                              "2026-01-26,c2,bob,no,4,yes\n";

static void
test_series(void)
{
	struct calib_store *s = load(history);
	struct calib_drift_opts o;
	struct calib_drift *d;
	struct calib_error err;
	uint32_t q = calib_store_find_criterion(s, "q", 1);
	uint32_t p = calib_store_find_criterion(s, "p", 1);
	uint32_t z = calib_store_find_criterion(s, "z", 1);
	const struct calib_drift_point *pt;
	struct calib_drift_alert al[8];

	calib_drift_opts_init(&o);
	o.boot = 50;
	o.total = false; /* the criteria alone: test_total() checks the TOTAL */
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_OK, "series computed");
	ok(d->dated && d->n_sessions == 4, "four dated sessions");
	is_string(d->session[0], "2026-01-05", "ordered by date");
	is_string(d->trend[q].stat, "gwet_ac1", "binary: the headline AC1");
	is_string(d->trend[p].stat, "gwet_ac2_ordinal", "small integers: the headline ordinal AC2");

	pt = calib_drift_at(d, q, 0);
	is_double(pt->estimate, 1, 1e-12, "q perfect in the first session");
	pt = calib_drift_at(d, q, 1);
	/* AC1: P_o = (1/3 + 1 + 1)/3 = 7/9; p_yes = 5/9; P_e = 2 (5/9)(4/9) = 40/81 */
	is_double(pt->estimate, (7.0 / 9 - 40.0 / 81) / (1 - 40.0 / 81), 1e-12,
	          "q in the second session (AC1 by hand, 23/41)");
	is_double(pt->change, pt->estimate - 1, 1e-12, "change from the previous session");
	ok(pt->prev == 0, "previous session is the first");
	ok(pt->change_lower <= pt->change && pt->change <= pt->change_upper,
	   "change inside its CI");
	is_long((long)pt->n_calls, 3, "n calls");
	is_long((long)pt->n_raters, 3, "n raters");

	pt = calib_drift_at(d, q, 2);
	ok(pt->present, "one-rater session present");
	is_long((long)pt->n_raters, 1, "one rater");
	ok(isnan(pt->estimate) && pt->note[0], "one rater: NA with a note (%s)", pt->note);
	ok(isnan(pt->change) && pt->flag == 0, "no change to an undefined value");

	ok(!calib_drift_at(d, p, 1)->present, "p not scored in the second session");
	ok(calib_drift_at(d, p, 1)->note[0] != '\0', "and says so");
	ok(calib_drift_at(d, p, 2)->prev == SIZE_MAX && isnan(calib_drift_at(d, p, 2)->change),
	   "p undefined in the one-rater session: no change");

	pt = calib_drift_at(d, z, 0);
	/* AC1 is 1 by itself here (the declared "no" makes chance agreement 0) */
	ok(pt->present && pt->estimate == 1, "every rating the same: perfect agreement, 1 (%s)",
	   pt->note);
	ok(pt->lower == 1 && pt->upper == 1, "with the interval [1, 1]");
	is_double(calib_drift_at(d, z, 1)->change, 23.0 / 41 - 1, 1e-12,
	          "a change from the perfect session");

	pt = calib_drift_at(d, q, 3);
	is_double(pt->estimate, 1, 1e-12, "q perfect in the fourth session");
	ok(pt->prev == 1, "change back past the undefined third session");
	is_double(pt->change, 1 - calib_drift_at(d, q, 1)->estimate, 1e-12, "change 1 - 23/41");

	ok(d->trend[q].latest == 3, "latest session of q");
	ok(d->trend[q].n_points == 3, "three defined points in the window");
	/* least squares through (0, 1), (1, 23/41), (3, 1): x mean 4/3 */
	is_double(d->trend[q].slope, (-4.0 / 3 * 1 - 1.0 / 3 * (23.0 / 41) + 5.0 / 3 * 1) / (14.0 / 3),
	          1e-12, "slope by hand");
	ok(isfinite(d->trend[q].slope_se), "slope SE from three points");
	ok(!d->trend[q].weighted, "perfect sessions have no SE > 0: a descriptive slope");
	o.window = 2;
	{
		struct calib_drift *d2;
		ok(calib_drift_run(s, &o, &d2, &err) == CALIB_OK &&
		           d2->trend[q].n_points == 1 && isnan(d2->trend[q].slope),
		   "window 2: one defined point, no slope");
		calib_drift_free(d2);
	}
	o.window = 4;

	is_long((long)calib_drift_alerts(d, 2, 0.5, NAN, true, al, 8), 0,
	        "session undefined: no alert");
	is_long((long)calib_drift_alerts(d, 3, 0.9, NAN, true, al, 8), 1,
	        "latest: only z (below 0.9) fires");
	/* q and z are 23/41 in session 2, both were 1 */
	is_long((long)calib_drift_alerts(d, 1, 0.6, NAN, true, al, 8), 2, "--min fires in session 2");
	ok(al[0].criterion == q && !al[0].drop && al[1].criterion == z, "on q and z");
	is_long((long)calib_drift_alerts(d, 1, NAN, 0.4, true, al, 8), 2,
	        "--max-drop fires on q and z");
	ok(al[0].criterion == q && al[0].drop && al[0].n_mean == 1 && al[0].mean == 1,
	   "mean of the one session before");
	is_long((long)calib_drift_alerts(d, 1, NAN, 0.5, true, al, 8), 0, "a smaller drop is quiet");
	is_long((long)calib_drift_alerts(d, 1, 0.5, 0.5, true, al, 8), 0, "quiet with both set");
	is_long((long)calib_drift_alerts(d, 1, 0.6, 0.4, true, al, 8), 4, "both fire");
	ok(!al[0].drop && al[1].drop && al[0].criterion == q && al[1].criterion == q,
	   "criterion order, --min first, then --max-drop");
	is_long((long)calib_drift_alerts(d, 1, 0.6, 0.4, true, al, 1), 4, "count beyond cap");
	is_long((long)calib_drift_alerts(d, 7, 0.5, 0.5, true, al, 8), 0, "no such session: none");
	/* by the intervals: q's AC1 23/41 on three calls has an upper bound above 0.6 */
	pt = calib_drift_at(d, q, 1);
	ok(pt->upper > 0.6 && isfinite(pt->se), "q in session 2: upper bound %g above 0.6", pt->upper);
	is_long((long)calib_drift_alerts(d, 1, 0.6, NAN, false, al, 8), 0,
	        "--min by the interval: quiet where only the estimate is below");
	{
		struct calib_drift_point *w = calib_drift_at(d, q, 1);
		double up = w->upper;
		w->upper = 0.59;
		is_long((long)calib_drift_alerts(d, 1, 0.6, NAN, false, al, 8), 1,
		        "--min by the interval: fires where the whole interval is below");
		ok(al[0].lower == w->lower && al[0].upper == 0.59, "the alert carries the interval");
		w->upper = up;
	}
	is_long((long)calib_drift_alerts(d, 1, NAN, 0.4, false, al, 8), 0,
	        "--max-drop by the interval: a drop whose interval holds 0 is quiet");
	/* q's drop 1 - 23/41 = 0.44 from a perfect session (se 0): interval 0.44 +- z se */
	{
		size_t n = calib_drift_alerts(d, 1, NAN, 0.01, true, al, 8);
		double z975 = 1.959963984540054;
		ok(n == 2 && al[0].drop, "--max-drop 0.01 by the estimate: q and z");
		is_double(al[0].lower, 18.0 / 41 - z975 * pt->se, 1e-12, "the drop's lower bound");
		is_double(al[0].upper, 18.0 / 41 + z975 * pt->se, 1e-12, "the drop's upper bound");
	}
	calib_drift_free(d);

	o.stat = "no_such_stat";
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_EARG && d == NULL, "unknown statistic");
	o.stat = NULL;
	o.window = 1;
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_EARG, "window below 2 refused");
	calib_drift_free(NULL);
	calib_store_free(s);
}

static int
cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Share of agreeing calls among the drawn ones (percent agreement of 2 raters). */
static double
share(const int *agree, const size_t *idx, size_t n)
{
	double k = 0;
	for (size_t i = 0; i < n; i++)
		k += agree[idx[i]];
	return k / (double)n;
}

/*
 * Session A: calls a1..a4, the raters agree on 3 (0.75); session B: b1..b5,
 * they agree on 2 (0.4). The bootstrap is redone here from its documented
 * draws: one mt19937 seeded 7, per replicate 4 draws in A then 5 in B.
 */
static void
test_diff_by_hand(void)
{
	struct calib_store *s = load("session,call,rater,q\n"
	                             "A,a1,x,yes\nA,a1,y,yes\n"
	                             "A,a2,x,no\nA,a2,y,no\n"
	                             "A,a3,x,yes\nA,a3,y,no\n"
	                             "A,a4,x,no\nA,a4,y,no\n"
	                             "B,b1,x,yes\nB,b1,y,no\n"
	                             "B,b2,x,no\nB,b2,y,no\n"
	                             "B,b3,x,yes\nB,b3,y,no\n"
	                             "B,b4,x,no\nB,b4,y,yes\n"
	                             "B,b5,x,yes\nB,b5,y,yes\n");
	static const int agree_a[] = {1, 1, 0, 1}, agree_b[] = {0, 1, 0, 0, 1};
	struct calib_drift_opts o;
	struct calib_drift_diff r;
	struct calib_error err;
	uint32_t a = session_id(s, "A"), b = session_id(s, "B");
	const size_t B = 200;
	double rep[200];
	size_t ia[4], ib[5];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	calib_drift_opts_init(&o);
	o.stat = "percent_agreement";
	o.boot = B;
	o.seed = 7;
	ok(calib_drift_diff(s, 0, &a, 1, &b, 1, &o, &r, &err) == CALIB_OK,
	   "difference computed");
	is_double(r.a, 0.75, 1e-12, "A: 3 of 4 calls agree");
	is_double(r.b, 0.4, 1e-12, "B: 2 of 5 calls agree");
	is_double(r.diff, -0.35, 1e-12, "difference B - A");
	ok(r.n_shared == 0 && r.n_calls_a == 4 && r.n_calls_b == 5, "no shared calls");
	is_long((long)r.n_defined, (long)B, "every replicate defined");

	gsl_rng_set(rng, 7);
	for (size_t k = 0; k < B; k++) {
		for (size_t i = 0; i < 4; i++)
			ia[i] = gsl_rng_uniform_int(rng, 4);
		for (size_t i = 0; i < 5; i++)
			ib[i] = gsl_rng_uniform_int(rng, 5);
		rep[k] = share(agree_b, ib, 5) - share(agree_a, ia, 4);
	}
	qsort(rep, B, sizeof *rep, cmp);
	is_double(r.lower, gsl_stats_quantile_from_sorted_data(rep, 1, B, 0.025), 1e-12,
	          "lower bound = 2.5%% of the hand-drawn replicates");
	is_double(r.upper, gsl_stats_quantile_from_sorted_data(rep, 1, B, 0.975), 1e-12,
	          "upper bound = 97.5%% of the hand-drawn replicates");
	is_double(r.se, gsl_stats_sd(rep, 1, B), 1e-12, "se = sd of the replicates");
	ok(r.lower < r.diff && r.diff < r.upper, "estimate inside its interval");

	/* same seed, same result */
	{
		struct calib_drift_diff r2;
		calib_drift_diff(s, 0, &a, 1, &b, 1, &o, &r2, &err);
		ok(r2.lower == r.lower && r2.upper == r.upper, "same seed, same interval");
		o.seed = 8;
		calib_drift_diff(s, 0, &a, 1, &b, 1, &o, &r2, &err);
		ok(r2.lower != r.lower || r2.upper != r.upper || r2.se != r.se,
		   "another seed, other draws");
	}
	/* B against itself: every replicate draws the same calls for both sides */
	o.seed = 7;
	ok(calib_drift_diff(s, 0, &b, 1, &b, 1, &o, &r, &err) == CALIB_OK && r.diff == 0 &&
	           r.lower == 0 && r.upper == 0 && r.n_shared == 5,
	   "a session against itself: shared calls, difference 0 exactly");
	o.boot = 0;
	ok(calib_drift_diff(s, 0, &a, 1, &b, 1, &o, &r, &err) == CALIB_OK && isnan(r.lower) &&
	           r.diff == -0.35,
	   "no bootstrap: estimate only");
	o.stat = "nonsense";
	ok(calib_drift_diff(s, 0, &a, 1, &b, 1, &o, &r, &err) == CALIB_EARG,
	   "unknown statistic");
	gsl_rng_free(rng);
	calib_store_free(s);
}

/*
 * Calls shared between the sessions are drawn as pairs: A holds c1..c4, B
 * holds c3..c7. Per replicate: 2 draws among the shared c3, c4 (used on
 * both sides), then 2 among A's own c1, c2, then 3 among B's own c5..c7.
 */
static void
test_diff_shared(void)
{
	struct calib_store *s = load("session,call,rater,q\n"
	                             "A,c1,x,yes\nA,c1,y,yes\n"
	                             "A,c2,x,no\nA,c2,y,yes\n"
	                             "A,c3,x,yes\nA,c3,y,yes\n"
	                             "A,c4,x,no\nA,c4,y,no\n"
	                             "B,c3,x,yes\nB,c3,y,no\n"
	                             "B,c4,x,no\nB,c4,y,no\n"
	                             "B,c5,x,yes\nB,c5,y,no\n"
	                             "B,c6,x,no\nB,c6,y,no\n"
	                             "B,c7,x,no\nB,c7,y,yes\n");
	/* agreement of the shared calls c3, c4 in A and in B, then the others */
	static const int sh_a[] = {1, 1}, sh_b[] = {0, 1};
	static const int own_a[] = {1, 0}, own_b[] = {0, 1, 0};
	struct calib_drift_opts o;
	struct calib_drift_diff r;
	struct calib_error err;
	uint32_t a = session_id(s, "A"), b = session_id(s, "B");
	const size_t B = 100;
	double rep[100];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	calib_drift_opts_init(&o);
	o.stat = "percent_agreement";
	o.boot = B;
	o.seed = 11;
	ok(calib_drift_diff(s, 0, &a, 1, &b, 1, &o, &r, &err) == CALIB_OK, "shared: computed");
	ok(r.n_shared == 2, "two calls in both sessions");
	is_double(r.diff, 2.0 / 5 - 3.0 / 4, 1e-12, "shared: difference");
	gsl_rng_set(rng, 11);
	for (size_t k = 0; k < B; k++) {
		double ka = 0, kb = 0;
		for (size_t i = 0; i < 2; i++) {
			size_t u = gsl_rng_uniform_int(rng, 2);
			ka += sh_a[u];
			kb += sh_b[u];
		}
		for (size_t i = 0; i < 2; i++)
			ka += own_a[gsl_rng_uniform_int(rng, 2)];
		for (size_t i = 0; i < 3; i++)
			kb += own_b[gsl_rng_uniform_int(rng, 3)];
		rep[k] = kb / 5 - ka / 4;
	}
	qsort(rep, B, sizeof *rep, cmp);
	is_double(r.lower, gsl_stats_quantile_from_sorted_data(rep, 1, B, 0.025), 1e-12,
	          "shared: lower bound from the paired draws");
	is_double(r.upper, gsl_stats_quantile_from_sorted_data(rep, 1, B, 0.975), 1e-12,
	          "shared: upper bound from the paired draws");
	gsl_rng_free(rng);
	calib_store_free(s);
}

/* The TOTAL record of the report of session ses (statistic stat), or NULL. */
static const struct calib_stat *
report_total(const struct calib_report *r, const char *stat)
{
	for (size_t i = 0; i < r->n_rows; i++)
		if (r->rows[i].total)
			for (size_t k = 0; k < r->rows[i].count; k++)
				if (strcmp(r->stats.v[r->rows[i].first + k].name, stat) == 0)
					return &r->stats.v[r->rows[i].first + k];
	return NULL;
}

/*
 * The TOTAL row: after the criteria, the same coefficient calib-agree
 * reports for each session's TOTAL (icc2 unless --stat is an ICC or an
 * alpha), with its interval, its calls and a change; left out with
 * total = false and where a store has no TOTAL (one criterion).
 */
static void
test_total(void)
{
	struct calib_store *s = load(history);
	struct calib_drift_opts o;
	struct calib_drift *d;
	struct calib_error err;
	struct calib_drift_diff df;
	size_t t;

	calib_drift_opts_init(&o);
	o.boot = 50;
	ok(o.total, "the TOTAL by default");
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_OK, "series with the TOTAL");
	ok(d->total && d->n_criteria == s->n_criteria + 1, "one row more than the criteria");
	t = d->n_criteria - 1;
	is_string(d->trend[t].criterion, "TOTAL", "the last row is the TOTAL");
	is_string(d->trend[t].stat, "icc2", "of ICC(2,1), the interval headline");
	for (size_t i = 0; i < d->n_sessions; i++) {
		struct calib_report_opts ro;
		struct calib_report *r = NULL;
		const struct calib_stat *want;
		const struct calib_drift_point *p = calib_drift_at(d, t, i);
		calib_report_opts_init(&ro);
		ro.session = d->order[i];
		ro.threads = 1;
		if (calib_report_run(s, &ro, &r, &err) != CALIB_OK) {
			ok(0, "report of session %zu: %s", i, err.msg);
			continue;
		}
		want = report_total(r, "icc2");
		if (!want || isnan(want->estimate)) {
			ok(isnan(p->estimate), "session %s: NA as in the report (%s)",
			   d->session[i], p->note);
		} else {
			is_double(p->estimate, want->estimate, 1e-12, "session %s: the report's TOTAL",
			          d->session[i]);
			is_double(p->lower, want->lower, 1e-12, "and its lower bound");
			is_double(p->upper, want->upper, 1e-12, "and its upper bound");
			is_long((long)p->n_calls, (long)want->n_items, "on the report's calls");
		}
		calib_report_free(r);
	}
	ok(!isnan(calib_drift_at(d, t, 3)->change), "a change to the TOTAL of the last session");
	/* the TOTAL by itself: the change is the difference of the two groups */
	ok(calib_drift_diff(s, CALIB_NONE, &d->order[calib_drift_at(d, t, 3)->prev], 1,
	                    &d->order[3], 1, &o, &df, &err) == CALIB_OK,
	   "the TOTAL compared between two sessions");
	is_string(df.stat, "icc2", "with its statistic");
	is_double(df.diff, calib_drift_at(d, t, 3)->change, 1e-12, "the series' change");
	is_double(df.lower, calib_drift_at(d, t, 3)->change_lower, 1e-12,
	          "the same bootstrap (same seed)");
	is_long((long)df.n_calls_b, (long)calib_drift_at(d, t, 3)->n_calls,
	        "n_calls: the calls the coefficient rests on, as in the series");
	calib_drift_free(d);

	o.stat = "fleiss_kappa";
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_OK, "--stat fleiss_kappa");
	is_string(d->trend[0].stat, "fleiss_kappa", "on the criteria");
	is_string(d->trend[d->n_criteria - 1].stat, "icc2", "not on the TOTAL's points: icc2");
	calib_drift_free(d);
	o.stat = "kripp_alpha_interval";
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_OK, "--stat kripp_alpha_interval");
	is_string(d->trend[d->n_criteria - 1].stat, "kripp_alpha_interval",
	          "an alpha applies to the TOTAL");
	calib_drift_free(d);

	/* a coefficient without an analytic interval: a seeded bootstrap one */
	o.stat = "kripp_alpha_ordinal";
	o.total = false;
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_OK, "--stat kripp_alpha_ordinal");
	{
		const struct calib_drift_point *pt = calib_drift_at(d, 1, 0);
		struct calib_drift *d2 = NULL;
		ok(isfinite(pt->lower) && isfinite(pt->upper) && pt->lower <= pt->upper &&
		           isfinite(pt->se) && strstr(pt->note, "bootstrap CI: 50 replicates over "
		                                                "calls, seed 1"),
		   "ordinal alpha: a bootstrap interval, said in the note (%s)", pt->note);
		ok(calib_drift_run(s, &o, &d2, &err) == CALIB_OK &&
		           calib_drift_at(d2, 1, 0)->lower == pt->lower &&
		           calib_drift_at(d2, 1, 0)->upper == pt->upper,
		   "the same seed, the same bounds");
		calib_drift_free(d2);
		o.seed = 7;
		ok(calib_drift_run(s, &o, &d2, &err) == CALIB_OK &&
		           (calib_drift_at(d2, 1, 0)->lower != pt->lower ||
		            calib_drift_at(d2, 1, 0)->upper != pt->upper),
		   "another seed, other bounds");
		calib_drift_free(d2);
		o.seed = 1;
		o.boot = 0;
		ok(calib_drift_run(s, &o, &d2, &err) == CALIB_OK &&
		           isnan(calib_drift_at(d2, 1, 0)->lower) &&
		           !isnan(calib_drift_at(d2, 1, 0)->estimate),
		   "boot 0: no interval");
		calib_drift_free(d2);
		o.boot = 50;
	}
	calib_drift_free(d);

	o.stat = NULL;
	o.total = false;
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_OK && !d->total &&
	           d->n_criteria == s->n_criteria,
	   "total = false: the criteria alone");
	calib_drift_free(d);
	calib_store_free(s);

	s = load("session,call,rater,q\n2026-01-05,c1,ann,1\n2026-01-05,c1,bob,2\n");
	o.total = true;
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_OK && !d->total && d->n_criteria == 1,
	   "one criterion: no TOTAL, as in calib-agree");
	calib_drift_free(d);
	calib_store_free(s);
}

/* A store of sheet (and rubric) with the answer key read as rater "key". */
static struct calib_store *
load_keyed(const char *sheet, const char *rubric, const char *key, uint32_t *kid)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts ro;
	struct calib_error err;
	const char *path[3] = {rubric, sheet, key};
	calib_read_opts_init(&ro);
	for (int i = 0; i < 3; i++) {
		FILE *fp = fopen(path[i], "r");
		ro.as_rater = i == 2 ? "key" : NULL;
		if (!fp || (i == 0 ? calib_read_rubric(s, fp, path[i], &ro, &err)
		                   : calib_read(s, fp, path[i], &ro, &err))) {
			fprintf(stderr, "# cannot load %s\n", path[i]);
			exit(1);
		}
		fclose(fp);
	}
	if (calib_store_finish(s))
		exit(1);
	*kid = calib_names_find(s->raters, "key", 3);
	return s;
}

/*
 * key-history.csv against its key (hand computation in tests/e2e/key.cases):
 * ann 6/6 every session; bob 6/6, 4/6, 1/6. Wilson 1/6: [0.0301, 0.5635];
 * 6/6: [0.6097, 1]. Alerts: --min 0.6 and --max-drop 0.3 on bob only.
 */
static void
test_raters(void)
{
	uint32_t kid;
	struct calib_store *s =
	        load_keyed("tests/sheets/key-history.csv", "tests/sheets/key-rubric.csv",
	                   "tests/sheets/key-history-key.csv", &kid);
	struct calib_raters_opts ro;
	struct calib_drift *d = NULL;
	struct calib_drift_alert al[4];
	struct calib_error err;
	double lo, hi;
	size_t n;

	calib_drift_wilson(1, 6, 0.95, &lo, &hi);
	is_double(lo, 0.030053369748306635, 1e-9, "wilson: 1 of 6, lower");
	is_double(hi, 0.5635028221864702, 1e-9, "wilson: 1 of 6, upper");
	calib_drift_wilson(6, 6, 0.95, &lo, &hi);
	is_double(lo, 1.0 / (1 + 3.841458820694124 / 6), 1e-9, "wilson: 6 of 6, n / (n + z^2)");
	ok(hi == 1, "wilson: 6 of 6, upper 1");
	calib_drift_wilson(0, 0, 0.95, &lo, &hi);
	ok(isnan(lo) && isnan(hi), "wilson: no item, NA");

	calib_raters_opts_init(&ro);
	ok(calib_drift_raters(s, &ro, 4, &d, &err) == CALIB_EARG && !d,
	   "by rater: no key is refused");
	ro.expert = kid;
	ok(calib_drift_raters(s, &ro, 1, &d, &err) == CALIB_EARG && !d,
	   "by rater: a window of 1 is refused");
	if (calib_drift_raters(s, &ro, 4, &d, &err) || !d) {
		ok(0, "by rater: runs");
		calib_store_free(s);
		return;
	}
	ok(d->n_criteria == 2 && d->n_sessions == 3 && d->rater,
	   "by rater: two raters (the key left out), three sessions");
	ok(strcmp(d->trend[1].criterion, "bob") == 0,
	   "by rater: the series are named by rater");
	is_double(calib_drift_at(d, 1, 1)->estimate, 4.0 / 6, 1e-12, "by rater: bob 4/6");
	is_double(calib_drift_at(d, 1, 2)->estimate, 1.0 / 6, 1e-12, "by rater: bob 1/6");
	ok(d->rater[1 * 3 + 2].n_items == 6 && d->rater[1 * 3 + 2].n_match == 1,
	   "by rater: bob's counts");
	is_double(calib_drift_at(d, 1, 2)->change, -0.5, 1e-12, "by rater: bob's change");
	ok(calib_drift_at(d, 1, 2)->flag == -1, "by rater: bob's change flagged down");
	is_double(d->rater[1 * 3 + 1].bias, -125.0 / 6, 1e-9,
	          "by rater: bob's TOTAL bias (0 and -41.67)");
	n = calib_drift_alerts(d, 2, 0.6, 0.3, false, al, 4);
	ok(n == 2 && al[0].criterion == 1 && !al[0].drop && al[1].criterion == 1 && al[1].drop,
	   "by rater: --min and --max-drop fire on bob only");
	/* 2/3 - z sqrt(5/216 + (2/54) / 4) */
	is_double(al[1].lower, 2.0 / 3 - 1.959963984540054 * sqrt(5.0 / 216 + 2.0 / 54 / 4),
	          1e-9, "by rater: the drop's interval");
	calib_drift_free(d);
	calib_store_free(s);
}

/* The table t in format f, as a malloc'ed string. */
static char *
written(const struct calib_table *t, enum calib_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp || calib_table_write(t, fp, f, false) || fclose(fp)) {
		printf("# write failed\n");
		exit(1);
	}
	return buf;
}

/* Cell (r, c) as the aligned table shows it. */
static const char *
cell(const struct calib_table *t, size_t r, size_t c)
{
	static char buf[256];
	return calib_table_cell_shown(t, r, c, buf, sizeof buf, NULL);
}

/* Four dated sessions, given in session order (store ids 0..3). */
static const char four[] = "session,call,rater,q\n"
                           "2026-01-05,c1,a,yes\n2026-01-05,c1,b,yes\n"
                           "2026-01-12,c1,a,yes\n2026-01-12,c1,b,no\n"
                           "2026-01-19,c1,a,no\n2026-01-19,c1,b,no\n"
                           "2026-01-26,c1,a,yes\n2026-01-26,c1,b,yes\n";

static int
ids_are(const uint32_t *got, size_t n, const uint32_t *want, size_t n_want)
{
	return n == n_want && memcmp(got, want, n * sizeof *got) == 0;
}

/* The spec refused with CALIB_EARG, message msg, and *out NULL. */
static void
refused(const struct calib_store *s, const char *spec, const char *msg)
{
	struct calib_drift_comparison *c = (void *)1;
	struct calib_error err;

	calib_error_clear(&err);
	ok(calib_drift_groups(s, spec, NULL, &c, &err) == CALIB_EARG && c == NULL,
	   "'%s' refused", spec);
	is_string(err.msg, msg, "with its message");
}

static void
test_groups(void)
{
	struct calib_store *s = load(four);
	struct calib_drift_comparison *c;
	struct calib_error err;
	static const uint32_t s0[] = {0}, s123[] = {1, 2, 3}, s02[] = {0, 2}, s3[] = {3},
	                      s1[] = {1}, s2[] = {2}, s2013[] = {2, 0, 1, 3};

	ok(calib_drift_groups(s, "2026-01-05:2026-01-12..2026-01-26", NULL, &c, &err) ==
	           CALIB_OK,
	   "a session against a range");
	ok(ids_are(c->a, c->na, s0, 1), "group a: the first session");
	ok(ids_are(c->b, c->nb, s123, 3), "group b: the second to the fourth, in order");
	is_string(c->group_a, "2026-01-05", "group a as written");
	is_string(c->group_b, "2026-01-12..2026-01-26", "group b as written");
	is_long((long)c->n_rows, 0, "no rows before calib_drift_compare");
	calib_drift_comparison_free(c);

	ok(calib_drift_groups(s, "2026-01-05,2026-01-19:2026-01-26", NULL, &c, &err) ==
	                   CALIB_OK &&
	           ids_are(c->a, c->na, s02, 2) && ids_are(c->b, c->nb, s3, 1),
	   "a comma list");
	calib_drift_comparison_free(c);
	ok(calib_drift_groups(s, "2026-01-19,2026-01-05..2026-01-12,2026-01-26:2026-01-26", NULL,
	                      &c, &err) == CALIB_OK &&
	           ids_are(c->a, c->na, s2013, 4),
	   "items in the order listed, a range in session order");
	calib_drift_comparison_free(c);
	ok(calib_drift_groups(s, "12.01.2026:19 January 2026", NULL, &c, &err) == CALIB_OK &&
	           ids_are(c->a, c->na, s1, 1) && ids_are(c->b, c->nb, s2, 1),
	   "dates in other spellings name the sessions of their ISO names");
	is_string(c->group_a, "12.01.2026", "and are shown as written");
	calib_drift_comparison_free(c);
	ok(calib_drift_groups(s, "19/01/2026:2026-01-26", "%d/%m/%Y", &c, &err) == CALIB_OK &&
	           ids_are(c->a, c->na, s2, 1),
	   "a date read with --date-format");
	calib_drift_comparison_free(c);
	ok(calib_drift_groups(s, "2026-01-12:2026-01-12", NULL, &c, &err) == CALIB_OK &&
	           ids_are(c->a, c->na, s1, 1) && ids_are(c->b, c->nb, s1, 1),
	   "a session against itself");
	calib_drift_comparison_free(c);

	refused(s, "2026-01-05", "expected GROUP:GROUP, not '2026-01-05'");
	refused(s, "2026-01-05:2026-01-12:2026-01-19",
	        "expected GROUP:GROUP, not '2026-01-05:2026-01-12:2026-01-19'");
	refused(s, "2026-01-05:2027-01-01", "no session '2027-01-01'");
	refused(s, "2026-01-05..nope:2026-01-12", "no session 'nope'");
	refused(s, "2026-01-05,x,2026-01-12:2026-01-19", "no session 'x'");
	refused(s, "2026-01-26..2026-01-05:2026-01-12",
	        "'2026-01-26..2026-01-05' runs backwards in session order");
	refused(s, "2026-01-05:", "empty group");
	refused(s, ":2026-01-05", "empty group");
	calib_drift_comparison_free(NULL);
	calib_store_free(s);
}

/*
 * Session A: calls a1..a4; on q the two raters agree on 3 (0.75), on r on
 * all 4 (1). Session B: b1..b5; q 2 of 5 (0.4), r 4 of 5 (0.8).
 */
static const char two[] = "session,call,rater,q,r\n"
                          "A,a1,x,yes,yes\nA,a1,y,yes,yes\n"
                          "A,a2,x,no,no\nA,a2,y,no,no\n"
                          "A,a3,x,yes,yes\nA,a3,y,no,yes\n"
                          "A,a4,x,no,no\nA,a4,y,no,no\n"
                          "B,b1,x,yes,yes\nB,b1,y,no,yes\n"
                          "B,b2,x,no,no\nB,b2,y,no,no\n"
                          "B,b3,x,yes,yes\nB,b3,y,no,yes\n"
                          "B,b4,x,no,no\nB,b4,y,yes,no\n"
                          "B,b5,x,yes,yes\nB,b5,y,yes,no\n";

static void
test_compare(void)
{
	struct calib_store *s = load(two);
	struct calib_drift_comparison *c;
	struct calib_drift_opts o;
	struct calib_error err;
	struct calib_table *t;

	calib_drift_opts_init(&o);
	o.stat = "percent_agreement";
	o.boot = 0;
	o.total = false;
	ok(calib_drift_groups(s, "A:B", NULL, &c, &err) == CALIB_OK &&
	           calib_drift_compare(s, &o, c, &err) == CALIB_OK,
	   "A against B compared");
	is_long((long)c->n_rows, 2, "one row per criterion");
	is_string(c->criterion[0], "q", "q first");
	is_string(c->criterion[1], "r", "then r");
	is_string(c->row[0].stat, "percent_agreement", "the statistic asked for");
	is_double(c->row[0].a, 0.75, 1e-12, "q in A: 3 of 4 calls agree");
	is_double(c->row[0].b, 0.4, 1e-12, "q in B: 2 of 5");
	is_double(c->row[0].diff, 0.4 - 0.75, 1e-12, "q: b - a");
	is_double(c->row[1].a, 1, 1e-12, "r in A: all agree");
	is_double(c->row[1].b, 0.8, 1e-12, "r in B: 4 of 5");
	ok(c->row[1].n_calls_a == 4 && c->row[1].n_calls_b == 5 && c->row[1].n_shared == 0,
	   "calls per group, none shared");
	ok(isnan(c->row[0].lower) && c->boot == 0, "no bootstrap: no interval");

	t = calib_drift_table_compare(c);
	ok(t && calib_table_n_rows(t) == 2, "its table: one row per criterion");
	is_string(cell(t, 1, 0), "r", "criterion");
	is_string(cell(t, 1, 2), "A", "group a");
	is_string(cell(t, 1, 3), "B", "group b");
	is_string(cell(t, 1, 5), "0.800", "estimate b");
	is_string(cell(t, 1, 6), "-0.200", "change");
	is_string(cell(t, 1, 7), "NA", "no bound");
	ok(calib_table_footer_at(t, 0) == NULL, "no bootstrap: no footer");
	calib_table_free(t);

	o.total = true;
	o.boot = 20;
	o.seed = 3;
	ok(calib_drift_compare(s, &o, c, &err) == CALIB_OK, "again with the TOTAL and a bootstrap");
	is_long((long)c->n_rows, 3, "the criteria and the TOTAL");
	is_string(c->criterion[2], "TOTAL", "the TOTAL last");
	is_string(c->row[2].stat, "icc2", "the TOTAL keeps the interval scale's icc2");
	ok(c->boot == 20 && c->seed == 3 && isfinite(c->row[0].lower), "bootstrap kept");
	t = calib_drift_table_compare(c);
	is_string(calib_table_footer_at(t, 0),
	          "change: b - a, percentile bootstrap CI over calls, 20 replicates, seed 3",
	          "the footer names the bootstrap");
	calib_table_free(t);

	o.stat = "nonsense";
	ok(calib_drift_compare(s, &o, c, &err) == CALIB_EARG && c->n_rows == 0,
	   "an unknown statistic refused, no row");
	calib_drift_comparison_free(c);
	calib_store_free(s);
}

/* A comparison made by hand: the rendering alone. */
static void
test_compare_table(void)
{
	struct calib_drift_diff row[3] = {
	        {.stat = "gwet_ac1", .a = 0.5, .b = 0.75, .diff = 0.25, .lower = 0.125,
	         .upper = 0.5, .n_calls_a = 4, .n_calls_b = 6, .n_shared = 2},
	        {.stat = "icc2", .a = 0.75, .b = 0.5, .diff = -0.25, .lower = -0.5,
	         .upper = -0.125, .n_calls_a = 3, .n_calls_b = 5, .n_shared = 0},
	        {.stat = "icc2", .a = 0.5, .b = NAN, .diff = NAN, .lower = NAN, .upper = NAN,
	         .n_calls_a = 1, .n_calls_b = 0, .n_shared = 0, .note = "undefined, b"}};
	const char *names[3] = {"q", "s", "TOTAL"};
	struct calib_drift_comparison c = {.group_a = "w1", .group_b = "w2..w3", .n_rows = 3,
	                                   .criterion = names, .row = row, .boot = 0};
	struct calib_table *t = calib_drift_table_compare(&c);
	char *csv = written(t, CALIB_FORMAT_CSV);

	is_string(csv,
	          "criterion,statistic,group_a,group_b,estimate_a,estimate_b,change,"
	          "change_lower,change_upper,n_calls_a,n_calls_b,n_shared,flag,note\n"
	          "q,gwet_ac1,w1,w2..w3,0.5,0.75,0.25,0.125,0.5,4,6,2,up,\n"
	          "s,icc2,w1,w2..w3,0.75,0.5,-0.25,-0.5,-0.125,3,5,0,down,\n"
	          "TOTAL,icc2,w1,w2..w3,0.5,NA,NA,NA,NA,1,0,0,,\"undefined, b\"\n",
	          "compare: columns, flags up and down from the interval, NA, the note");
	free(csv);
	calib_table_free(t);
	row[0].lower = -0.125;
	t = calib_drift_table_compare(&c);
	is_string(cell(t, 0, 12), "", "an interval that holds 0: no flag");
	calib_table_free(t);
}

/* A drift of 2 sessions x 2 criteria made by hand. */
static void
hand_drift(struct calib_drift *d, struct calib_drift_point *pt, struct calib_drift_trend *tr,
           const char **session)
{
	memset(d, 0, sizeof *d);
	d->n_sessions = 2;
	d->n_criteria = 2;
	d->session = session;
	d->point = pt;
	d->trend = tr;
	d->boot = 500;
	d->seed = 9;
	d->window = 3;
	d->conf = 0.95;
	/* criterion 0 (q): session 0, then session 1 up from it */
	pt[0] = (struct calib_drift_point){.present = true, .estimate = 0.5, .lower = 0.25,
	                                   .upper = 0.75, .n_calls = 8, .n_raters = 3,
	                                   .prev = SIZE_MAX, .change = NAN,
	                                   .change_lower = NAN, .change_upper = NAN};
	pt[1] = (struct calib_drift_point){.present = true, .estimate = 0.875, .lower = 0.75,
	                                   .upper = 1, .n_calls = 6, .n_raters = 2, .prev = 0,
	                                   .change = 0.375, .change_lower = 0.125,
	                                   .change_upper = 0.5, .flag = 1};
	/* criterion 1 (s): undefined first, then down */
	pt[2] = (struct calib_drift_point){.present = true, .estimate = NAN, .lower = NAN,
	                                   .upper = NAN, .n_calls = 2, .n_raters = 1,
	                                   .prev = SIZE_MAX, .change = NAN,
	                                   .change_lower = NAN, .change_upper = NAN,
	                                   .note = "one rater"};
	pt[3] = (struct calib_drift_point){.present = true, .estimate = 0.25, .lower = 0,
	                                   .upper = 0.5, .n_calls = 4, .n_raters = 2,
	                                   .prev = SIZE_MAX, .change = -0.5,
	                                   .change_lower = -0.75, .change_upper = -0.25,
	                                   .flag = -1};
	tr[0] = (struct calib_drift_trend){.criterion = "q", .stat = "gwet_ac1", .n_points = 2,
	                                   .slope = 0.375, .slope_se = NAN, .weighted = true,
	                                   .latest = 1};
	tr[1] = (struct calib_drift_trend){.criterion = "s", .stat = "icc2", .n_points = 1,
	                                   .slope = NAN, .slope_se = NAN, .latest = 1};
}

static void
test_series_table(void)
{
	struct calib_drift d;
	struct calib_drift_point pt[4];
	struct calib_drift_trend tr[2];
	const char *session[2] = {"w1", "w2"};
	struct calib_table *t;
	char *csv;

	hand_drift(&d, pt, tr, session);
	t = calib_drift_table_series(&d);
	csv = written(t, CALIB_FORMAT_CSV);
	is_string(csv,
	          "session,criterion,statistic,estimate,ci_lower,ci_upper,n_calls,n_raters,"
	          "change,change_lower,change_upper,flag,note\n"
	          "w1,q,gwet_ac1,0.5,0.25,0.75,8,3,NA,NA,NA,,\n"
	          "w1,s,icc2,NA,NA,NA,2,1,NA,NA,NA,,one rater\n"
	          "w2,q,gwet_ac1,0.875,0.75,1,6,2,0.375,0.125,0.5,up,\n"
	          "w2,s,icc2,0.25,0,0.5,4,2,-0.5,-0.75,-0.25,down,\n",
	          "series: sessions in order, each with every criterion; flags from the points");
	free(csv);
	ok(calib_drift_table_footer(&d, "by date", t) == CALIB_OK, "series footer");
	is_string(calib_table_footer_at(t, 0), "sessions: 2, ordered by date", "sessions, order");
	is_string(calib_table_footer_at(t, 1),
	          "change: difference from the previous session, percentile bootstrap CI over "
	          "calls, 500 replicates, seed 9; slope per session over the last 3",
	          "the bootstrap and the window");
	calib_table_free(t);
	d.boot = 0;
	t = calib_drift_table_series(&d);
	calib_drift_table_footer(&d, "as given", t);
	is_string(calib_table_footer_at(t, 1),
	          "change: no bootstrap (--boot 0); slope per session over the last 3",
	          "no bootstrap: said so");
	ok(calib_table_footer_at(t, 2) == NULL, "two footer lines");
	calib_table_free(t);
}

static void
test_trend_table(void)
{
	struct calib_drift d;
	struct calib_drift_point pt[4];
	struct calib_drift_trend tr[2];
	const char *session[2] = {"w1", "w2"};
	struct calib_table *t;
	char *csv;

	hand_drift(&d, pt, tr, session);
	t = calib_drift_table_trend(&d);
	csv = written(t, CALIB_FORMAT_CSV);
	is_string(csv,
	          "criterion,statistic,session,estimate,change,change_lower,change_upper,flag,"
	          "slope,slope_se,n_slope,note\n"
	          "q,gwet_ac1,w2,0.875,0.375,0.125,0.5,up,0.375,NA,2,"
	          "slope weighted by each session's 1/SE^2\n"
	          "s,icc2,w2,0.25,-0.5,-0.75,-0.25,down,NA,NA,1,\n",
	          "trend: the latest session's point, the slope and how it was fitted");
	free(csv);
	calib_table_free(t);

	/* s never scored; q's slope unweighted, after the latest point's note */
	tr[1].latest = SIZE_MAX;
	tr[0].weighted = false;
	memcpy(pt[1].note, "2 of 500 replicates undefined", 30);
	t = calib_drift_table_trend(&d);
	is_string(cell(t, 0, 11),
	          "2 of 500 replicates undefined; slope descriptive: unweighted, a session has "
	          "no SE",
	          "the point's note, then how the slope was fitted");
	is_string(cell(t, 1, 2), "", "never scored: no session");
	is_string(cell(t, 1, 3), "NA", "no estimate");
	is_string(cell(t, 1, 7), "", "no flag");
	is_string(cell(t, 1, 11), "never scored", "and says so");
	calib_table_free(t);
}

static void
test_rater_table(void)
{
	struct calib_drift d;
	struct calib_drift_point pt[4];
	struct calib_drift_trend tr[2];
	struct calib_drift_rater rr[4] = {
	        {.n_items = 10, .n_match = 5, .n_calls = 2, .bias = 1.5, .bias_lower = -0.5,
	         .bias_upper = 3.5, .pass = 0},
	        {.n_items = 8, .n_match = 7, .n_calls = 2, .bias = -2, .bias_lower = -4,
	         .bias_upper = 0, .pass = 1},
	        {.n_items = 0, .n_match = 0, .n_calls = 0, .bias = NAN, .bias_lower = NAN,
	         .bias_upper = NAN, .pass = -1},
	        {.n_items = 4, .n_match = 1, .n_calls = 1, .bias = 12.5, .bias_lower = NAN,
	         .bias_upper = NAN, .pass = 0}};
	const char *session[2] = {"w1", "w2"};
	struct calib_raters_opts ro;
	struct calib_table *t;
	char *csv;

	hand_drift(&d, pt, tr, session);
	d.rater = rr;
	tr[0].criterion = "ann";
	tr[1].criterion = "bob";
	t = calib_drift_table_raters(&d);
	csv = written(t, CALIB_FORMAT_CSV);
	is_string(csv,
	          "session,rater,calibration_score,ci_lower,ci_upper,n_items,n_match,pass,bias,"
	          "bias_lower,bias_upper,n_calls,change,change_lower,change_upper,flag,note\n"
	          "w1,ann,0.5,0.25,0.75,10,5,fail,1.5,-0.5,3.5,2,NA,NA,NA,,\n"
	          "w1,bob,NA,NA,NA,0,0,NA,NA,NA,NA,0,NA,NA,NA,,one rater\n"
	          "w2,ann,0.875,0.75,1,8,7,pass,-2,-4,0,2,0.375,0.125,0.5,up,\n"
	          "w2,bob,0.25,0,0.5,4,1,fail,12.5,NA,NA,1,-0.5,-0.75,-0.25,down,\n",
	          "by rater: each rater's record beside its point; pass, fail or NA");
	free(csv);

	calib_raters_opts_init(&ro);
	ro.key = "key.csv";
	ro.conf = 0.9;
	ro.pass = 0.8;
	ok(calib_drift_table_rater_footer(&d, &ro, "by date", t) == CALIB_OK, "rater footer");
	is_string(calib_table_footer_at(t, 1), "reference: the answer key (key.csv)", "the key");
	is_string(calib_table_footer_at(t, 2),
	          "calibration_score: share of the rater's items (call x criterion, scored or "
	          "N/A) with a key score that match it, as calib-raters --key; 90% Wilson "
	          "interval, the items taken as independent",
	          "the score and its interval at --conf");
	is_string(calib_table_footer_at(t, 3),
	          "match: the same category on binary and nominal criteria, within 10% of the "
	          "range on the others",
	          "the default tolerance: 10%% of the range");
	is_string(calib_table_footer_at(t, 4), "pass: calibration_score >= 0.8", "the pass mark");
	calib_table_free(t);

	ro.tol_percent = false;
	ro.tolerance = 2;
	ro.pass = NAN;
	t = calib_drift_table_raters(&d);
	calib_drift_table_rater_footer(&d, &ro, "by date", t);
	is_string(calib_table_footer_at(t, 3),
	          "match: the same category on binary and nominal criteria, within 2 points on "
	          "the others",
	          "a tolerance in points");
	ok(strncmp(calib_table_footer_at(t, 4), "bias: ", 6) == 0 &&
	           calib_table_footer_at(t, 5) == NULL,
	   "no pass mark: no pass line");
	calib_table_free(t);
}

/*
 * From a store to the table: q's AC1 in the second session by hand,
 * P_o = (1/3 + 1 + 1)/3 = 7/9, p_yes = 5/9, P_e = 2 (5/9)(4/9) = 40/81,
 * (7/9 - 40/81) / (1 - 40/81) = 23/41 = 0.561.
 */
static void
test_series_run(void)
{
	struct calib_store *s = load("session,call,rater,q\n"
	                             "2026-01-12,c1,ann,yes\n2026-01-12,c1,bob,yes\n"
	                             "2026-01-12,c1,cy,no\n2026-01-12,c2,ann,no\n"
	                             "2026-01-12,c2,bob,no\n2026-01-12,c2,cy,no\n"
	                             "2026-01-12,c3,ann,yes\n2026-01-12,c3,bob,yes\n"
	                             "2026-01-12,c3,cy,yes\n"
	                             "2026-01-05,c1,ann,yes\n2026-01-05,c1,bob,yes\n"
	                             "2026-01-05,c2,ann,no\n2026-01-05,c2,bob,no\n");
	struct calib_drift_opts o;
	struct calib_drift *d;
	struct calib_error err;
	struct calib_table *t;

	calib_drift_opts_init(&o);
	o.boot = 0;
	o.total = false;
	ok(calib_drift_run(s, &o, &d, &err) == CALIB_OK, "series computed");
	t = calib_drift_table_series(d);
	ok(t && calib_table_n_rows(t) == 2, "two sessions of one criterion");
	is_string(cell(t, 0, 0), "2026-01-05", "the earlier date first");
	is_string(cell(t, 0, 3), "1.000", "perfect agreement there");
	is_string(cell(t, 1, 3), "0.561", "23/41 in the second");
	is_string(cell(t, 1, 8), "-0.439", "the change: 23/41 - 1");
	is_string(cell(t, 1, 6), "3", "three calls");
	calib_table_free(t);
	calib_drift_free(d);
	calib_store_free(s);
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_dates();
	test_order();
	test_series();
	test_diff_by_hand();
	test_diff_shared();
	test_total();
	test_raters();
	test_groups();
	test_compare();
	test_compare_table();
	test_series_table();
	test_trend_table();
	test_rater_table();
	test_series_run();
	return tap_done();
}
