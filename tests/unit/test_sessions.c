/*
 * test_sessions.c - sessions over time: the order by date with one date
 * written two ways merged into one session, the note when a session is no
 * date, the error when --order date meets one; and the store of one
 * session (calib_store_session_subset): its evaluations only, every
 * criterion's levels kept (a level scored in another session only too),
 * so that its headline is calib-drift's point of that session.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/drift.h"
#include "calib/reader.h"
#include "calib/report.h"
#include "calib/sessions.h"
#include "calib/store.h"
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

/* Three sessions, the first and last one date; "q" is scored 4 only in 2026-03-02. */
static const char sheet[] = "session,call,rater,q,ok\n"
                            "2026-03-02,c1,ann,1,yes\n"
                            "2026-03-02,c1,bob,4,yes\n"
                            "2026-03-02,c2,ann,2,no\n"
                            "2026-03-02,c2,bob,2,no\n"
                            "2026-02-23,c1,ann,1,yes\n"
                            "2026-02-23,c1,bob,2,no\n"
                            "2026-02-23,c2,ann,3,no\n"
                            "2026-02-23,c2,bob,3,no\n"
                            "2026-02-23,c3,ann,2,yes\n"
                            "2026-02-23,c3,bob,1,yes\n"
                            "23.02.2026,c4,cy,1,yes\n"
                            "23.02.2026,c4,ann,2,yes\n";

static void
test_arrange(void)
{
	struct calib_store *s = load(sheet);
	struct calib_error err;
	const char *how = NULL;
	char note[300];

	calib_error_clear(&err);
	is_long(calib_sessions_arrange(s, CALIB_SESSION_ORDER_AUTO, NULL, 0, &how, note,
	                               sizeof note, &err),
	        CALIB_OK, "arrange: by date");
	is_string(how, "by date", "arrange: the footer's words");
	is_string(note, "", "arrange: no note when every session is a date");
	is_long((long)calib_names_count(s->sessions), 2,
	        "arrange: 23.02.2026 is 2026-02-23, one session");
	is_string(calib_names_get(s->sessions, 0), "2026-02-23", "arrange: the older first");
	is_string(calib_names_get(s->sessions, 1), "2026-03-02", "arrange: then the newer");
	is_long((long)s->n_evals, 12, "arrange: every evaluation kept");
	calib_store_free(s);

	s = load("session,call,rater,q\nweek 2,c1,ann,1\nweek 2,c1,bob,1\n"
	         "2026-02-23,c1,ann,2\n2026-02-23,c1,bob,2\n");
	is_long(calib_sessions_arrange(s, CALIB_SESSION_ORDER_AUTO, NULL, 0, &how, note,
	                               sizeof note, &err),
	        CALIB_OK, "arrange: a session that is no date is no error by default");
	is_string(how, "as given (not all dates)", "arrange: kept as given");
	is_string(note,
	          "sessions in order of first appearance: 'week 2' is not a date "
	          "(--order given, date or name)",
	          "arrange: the note names the session");
	is_string(calib_names_get(s->sessions, 0), "week 2", "arrange: first appearance first");
	is_long(calib_sessions_arrange(s, CALIB_SESSION_ORDER_DATE, NULL, 0, &how, note,
	                               sizeof note, &err),
	        CALIB_EINPUT, "arrange: --order date refuses it");
	is_string(err.msg,
	          "session 'week 2' is not a date (--date-format FMT, or --order given or "
	          "name)",
	          "arrange: the message");
	is_long(calib_sessions_arrange(s, CALIB_SESSION_ORDER_NAME, NULL, 0, &how, note,
	                               sizeof note, &err),
	        CALIB_OK, "arrange: by name");
	is_string(calib_names_get(s->sessions, 0), "2026-02-23", "arrange: by the bytes");
	calib_store_free(s);
}

static void
test_subset(void)
{
	struct calib_store *s = load(sheet), *t = NULL;
	struct calib_drift_opts o;
	struct calib_drift *d = NULL;
	struct calib_report_opts ro;
	struct calib_report *rep = NULL;
	struct calib_error err;
	const char *how;
	char note[300];
	uint32_t q;
	size_t same = 0;

	calib_sessions_arrange(s, CALIB_SESSION_ORDER_AUTO, NULL, 0, &how, note, sizeof note,
	                       &err);
	is_long(calib_store_session_subset(s, 2, &t), CALIB_EARG, "subset: no session 2");
	ok(t == NULL, "subset: nothing made");
	is_long(calib_store_session_subset(s, 0, &t), CALIB_OK, "subset: session 2026-02-23");
	is_long((long)calib_names_count(t->sessions), 1, "subset: one session");
	is_string(calib_names_get(t->sessions, 0), "2026-02-23", "subset: its name");
	is_long((long)t->n_evals, 8, "subset: its 8 evaluations");
	is_long((long)t->n_items, 4, "subset: its 4 calls");
	is_long((long)calib_names_count(t->raters), 3, "subset: its raters ann, bob, cy");
	ok(t->finished, "subset: finished");
	q = calib_store_find_criterion(t, "q", 1);
	is_long((long)t->criteria[q].n_levels, 4,
	        "subset: q keeps the level 4 scored in the other session only");
	is_long(t->criteria[q].scale, s->criteria[q].scale, "subset: the scale of the whole");
	for (size_t e = 0, f = 0; e < s->n_evals; e++) {
		if (s->item_session[s->eval_item[e]] != 0)
			continue;
		same += calib_code(&t->criteria[q], f) == calib_code(&s->criteria[q], e) &&
		        calib_code(&t->criteria[1], f) == calib_code(&s->criteria[1], e);
		f++;
	}
	is_long((long)same, 8, "subset: every code as in the whole store");
	/* the subset's headline is calib-drift's point of the session */
	calib_drift_opts_init(&o);
	o.store_order = true;
	o.boot = 0;
	calib_report_opts_init(&ro);
	ro.seed = 1;
	if (calib_drift_run(s, &o, &d, &err) || calib_report_run(t, &ro, &rep, &err)) {
		printf("# run failed: %s\n", err.msg);
		exit(1);
	}
	for (size_t c = 0; c < 2; c++) {
		const struct calib_report_row *r = &rep->rows[c];
		is_double(rep->stats.v[r->first + r->headline].estimate,
		          calib_drift_at(d, c, 0)->estimate, 1e-12,
		          "subset: %s's headline is the drift point", r->criterion);
	}
	calib_report_free(rep);
	calib_drift_free(d);
	calib_store_free(t);
	calib_store_free(s);
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_arrange();
	test_subset();
	return tap_done();
}
