/*
 * test_store.c - the ratings store: interning, evaluations, codes, levels,
 * declared category sets, scale inference, grouping by item, calls with
 * more raters than an item's chain holds, evaluations made by ids, room
 * reserved for the evaluations of an input, evaluations added after the
 * store was finished, the input each evaluation was read from, one call
 * scored in many sessions, and finishing on two threads.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calib/store.h"
#include "tap.h"

static uint32_t
eval(struct calib_store *s, const char *session, const char *call, const char *rater,
     bool *created)
{
	uint32_t e = CALIB_NONE;
	calib_store_eval(s, session, session ? strlen(session) : 0, call, strlen(call), rater,
			 strlen(rater), 0, 1, &e, created);
	return e;
}

static void
test_names(void)
{
	struct calib_names *n = calib_names_alloc();
	uint32_t a, b, c;
	char many[32];

	ok(n != NULL, "names: alloc");
	calib_names_intern(n, "C001", 4, &a);
	calib_names_intern(n, "C002", 4, &b);
	calib_names_intern(n, "C001", 4, &c);
	is_long(a, 0, "names: first id is 0");
	is_long(b, 1, "names: second id is 1");
	is_long(c, 0, "names: the same name has the same id");
	is_long(calib_names_find(n, "C002", 4), 1, "names: find");
	is_long(calib_names_find(n, "C003", 4), CALIB_NONE, "names: find of an unknown name");
	calib_names_intern(n, "a\0b", 3, &c);
	is_long(c, 2, "names: a name may hold any byte");
	/* growth keeps every id */
	for (int i = 0; i < 5000; i++) {
		snprintf(many, sizeof many, "call-%d", i);
		calib_names_intern(n, many, strlen(many), &c);
	}
	is_long((long)calib_names_count(n), 5003, "names: 5000 more names");
	is_string(calib_names_get(n, 1002), "call-999", "names: get after growth");
	is_long(calib_names_find(n, "call-4999", 9), 5002, "names: find after growth");
	ok(calib_names_get(n, 99999) == NULL, "names: get of an unknown id is NULL");
	/* a prefetch, of a name there or not, changes nothing */
	calib_names_prefetch(n, "call-7", 6);
	calib_names_prefetch(n, "call-5000", 9);
	calib_names_prefetch(n, "", 0);
	ok(calib_names_count(n) == 5003 && calib_names_find(n, "call-7", 6) == 10 &&
	           calib_names_find(n, "call-5000", 9) == CALIB_NONE,
	   "names: prefetched, the same names and ids");
	calib_names_free(n);
	calib_names_free(NULL);
}

static void
test_evals_and_codes(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;
	uint32_t crit, crit2, e1, e2, e3;
	uint16_t code, prev;
	bool created;
	char buf[64];

	calib_store_criterion(s, "Empathy", 7, &crit);
	calib_store_criterion(s, "empathy", 7, &crit2);
	is_long(crit2, crit, "criterion names match case-insensitively");
	is_string(s->criteria[crit].name, "Empathy", "the first spelling is kept");
	is_long(calib_store_find_criterion(s, "EMPATHY", 7), crit, "find_criterion ignores case");

	e1 = eval(s, NULL, "C1", "ann", &created);
	ok(created, "a new evaluation is created");
	e2 = eval(s, NULL, "C1", "ann", &created);
	ok(!created && e2 == e1, "the same (call, rater) is the same evaluation");
	e3 = eval(s, "2026-01-05", "C1", "ann", &created);
	ok(created && e3 != e1, "another session makes another evaluation");
	is_long((long)s->n_items, 2, "items are (session, call) pairs");

	calib_store_value_code(s, crit, 4, &code, &err);
	calib_store_put(s, e1, crit, code, &prev);
	is_long(prev, CALIB_CODE_ABSENT, "put: nothing was there");
	calib_store_put(s, e1, crit, code, &prev);
	is_long(prev, code, "put: a duplicate is reported through previous");
	calib_store_value_code(s, crit, 2, &code, &err);
	calib_store_put(s, e3, crit, code, NULL);
	calib_store_value_code(s, crit, -0.0, &code, &err);
	calib_store_put(s, e2 == e1 ? eval(s, NULL, "C2", "bob", &created) : e2, crit, code, NULL);
	calib_store_finish(s);
	is_long((long)s->criteria[crit].n_levels, 3, "three distinct scores");
	is_double(s->criteria[crit].value[0], 0, 0, "levels sorted after finish: 0");
	is_double(s->criteria[crit].value[2], 4, 0, "levels sorted after finish: 4");
	is_double(calib_store_code_value(&s->criteria[crit], calib_code(&s->criteria[crit], e1)), 4, 0,
		  "codes are remapped with the levels");
	is_string(calib_store_code_text(&s->criteria[crit], calib_code(&s->criteria[crit], e3), buf,
					sizeof buf),
		  "2", "code text of a number");
	is_string(calib_store_code_text(&s->criteria[crit], CALIB_CODE_NA, buf, sizeof buf), "N/A",
		  "code text of N/A");
	is_string(calib_store_code_text(&s->criteria[crit], CALIB_CODE_MISSING, buf, sizeof buf), "",
		  "code text of an unscored cell");
	/* reading on after finish: the lookup is rebuilt over the sorted levels */
	calib_store_value_code(s, crit, 4, &code, &err);
	is_double(calib_store_code_value(&s->criteria[crit], code), 4, 0,
		  "value lookup after finish finds the sorted level");
	is_long(s->criteria[crit].scale, CALIB_SCALE_ORDINAL, "0, 2, 4: inferred ordinal");
	ok(s->criteria[crit].scale_inferred, "the scale is marked inferred");
	is_long((long)s->item_off[1] - (long)s->item_off[0], 1, "grouping: item 0 has 1 evaluation");
	calib_store_free(s);
	calib_store_free(NULL);
}

static void
test_declared(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;
	const char *labels[] = { "no", "yes" };
	const double pts[] = { 3, 1, 2 };
	uint32_t yn, lik, pts_c, free_c;
	uint16_t code;

	calib_error_clear(&err);
	calib_store_criterion(s, "greeting", 8, &yn);
	calib_store_declare(s, yn, CALIB_SCALE_BINARY, labels, NULL, 2, NAN, NAN, 2);
	is_long(calib_store_label_code(s, yn, "YES", 3, &code, &err), CALIB_OK,
		"labels match case-insensitively");
	is_long(code, CALIB_CODE_LEVEL + 1, "yes is the second level");
	is_long(calib_store_label_code(s, yn, "maybe", 5, &code, &err), CALIB_EINPUT,
		"an unknown label is an error");
	is_string(err.msg, "\"maybe\" is not a level of \"greeting\" (no|yes)", "message of an unknown label");
	is_long(calib_store_value_code(s, yn, 1, &code, &err), CALIB_EINPUT,
		"a number in a labelled criterion is an error");

	calib_store_criterion(s, "empathy", 7, &lik);
	calib_store_declare(s, lik, CALIB_SCALE_ORDINAL, NULL, NULL, 0, 1, 5, 1);
	is_long((long)s->criteria[lik].n_levels, 5, "ordinal 1..5 declares five levels");
	is_long(calib_store_value_code(s, lik, 6, &code, &err), CALIB_EINPUT, "6 is outside 1..5");
	is_string(err.msg, "score 6 outside the range of \"empathy\" (1 to 5)", "range message");
	is_long(calib_store_value_code(s, lik, 2.5, &code, &err), CALIB_EINPUT,
		"2.5 is not a level of an integer ordinal scale");

	calib_store_criterion(s, "points", 6, &pts_c);
	calib_store_declare(s, pts_c, CALIB_SCALE_NOMINAL, NULL, pts, 3, NAN, NAN, 1);
	is_double(s->criteria[pts_c].value[0], 1, 0, "declared numeric levels are sorted");
	is_long(calib_store_value_code(s, pts_c, 4, &code, &err), CALIB_EINPUT,
		"a value outside declared numeric levels is an error");

	{
		uint32_t nom;
		calib_store_criterion(s, "outcome", 7, &nom);
		calib_store_declare(s, nom, CALIB_SCALE_NOMINAL, NULL, NULL, 0, NAN, NAN, 1);
		is_long(calib_store_label_code(s, nom, "pass", 4, &code, &err), CALIB_OK,
			"a declared nominal criterion without levels takes labels");
		is_long(calib_store_label_code(s, lik, "good", 4, &code, &err), CALIB_EINPUT,
			"a declared ordinal criterion refuses labels without levels");
	}
	calib_store_criterion(s, "tone", 4, &free_c);
	calib_store_label_code(s, free_c, "polite", 6, &code, &err);
	calib_store_label_code(s, free_c, "curt", 4, &code, &err);
	is_long(calib_store_value_code(s, free_c, 3, &code, &err), CALIB_EINPUT,
		"undeclared labelled criterion refuses numbers");
	calib_store_finish(s);
	ok(s->criteria[free_c].labelled, "undeclared text scores make a labelled criterion");
	is_string(s->criteria[free_c].label[0], "curt", "its labels are sorted by text");
	is_long(s->criteria[free_c].scale, CALIB_SCALE_NOMINAL,
		"two labels of no known order: nominal, not binary");
	ok(!calib_store_ordered(&s->criteria[free_c]), "labels of no known order have no order");
	is_long(s->criteria[yn].scale, CALIB_SCALE_BINARY, "declared scale kept");
	ok(!s->criteria[yn].scale_inferred, "declared scale is not inferred");
	calib_store_free(s);
}

static void
test_format_double(void)
{
	char b[64];
	is_string(calib_format_double(10, b, sizeof b), "10", "format: 10");
	is_string(calib_format_double(2.5, b, sizeof b), "2.5", "format: 2.5");
	is_string(calib_format_double(0.1, b, sizeof b), "0.1", "format: 0.1");
	is_string(calib_format_double(1.0 / 3, b, sizeof b), "0.3333333333333333",
		  "format: a third round-trips");
	is_string(calib_format_double(-0.0, b, sizeof b), "0", "format: -0 is 0");
	is_string(calib_format_double(1e300, b, sizeof b), "1e+300", "format: huge");
	is_string(calib_format_double(NAN, b, sizeof b), "NA", "format: NaN is NA");
	is_string(calib_format_double(-INFINITY, b, sizeof b), "-Inf", "format: -Inf");
	is_string(calib_scale_name(CALIB_SCALE_RATIO), "ratio", "scale name");
	is_long(calib_scale_parse("Ordinal"), CALIB_SCALE_ORDINAL, "scale parse ignores case");
	is_long(calib_scale_parse("likert"), CALIB_SCALE_UNKNOWN, "unknown scale");
}

static void
test_inference(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;
	const double a[] = { 0, 1 }, b[] = { 1, 2, 3, 4, 5 }, c[] = { 0, 2.5, 7.5, 10 },
		     d[] = { 0, 20, 50, 100 };
	const double *sets[] = { a, b, c, d };
	const size_t n[] = { 2, 5, 4, 4 };
	const enum calib_scale want[] = { CALIB_SCALE_BINARY, CALIB_SCALE_ORDINAL,
					  CALIB_SCALE_INTERVAL, CALIB_SCALE_INTERVAL };
	for (size_t k = 0; k < 4; k++) {
		uint32_t c_id;
		uint16_t code;
		char name[8];
		snprintf(name, sizeof name, "c%zu", k);
		calib_store_criterion(s, name, strlen(name), &c_id);
		for (size_t i = 0; i < n[k]; i++)
			calib_store_value_code(s, c_id, sets[k][i], &code, &err);
	}
	calib_store_finish(s);
	for (size_t k = 0; k < 4; k++)
		is_long(s->criteria[k].scale, want[k], "inferred scale of value set %zu", k);
	calib_store_free(s);
}

/*
 * 3 calls x n raters (or, by_session, n sessions of one rater), made in
 * order and then looked up in reverse: the number of evaluations not
 * made or found where they should be (evaluation and item k * 3 + c).
 */
static size_t
grid(struct calib_store *s, unsigned n, bool by_session)
{
	size_t bad = 0;
	bool created;
	char call[16], who[16];

	for (int pass = 0; pass < 2; pass++)
		for (unsigned k = 0; k < n; k++)
			for (unsigned c = 0; c < 3; c++) {
				unsigned kk = pass ? n - 1 - k : k;
				uint32_t e;
				snprintf(call, sizeof call, "C%u", c);
				snprintf(who, sizeof who, by_session ? "S%u" : "R%u", kk);
				e = eval(s, by_session ? who : NULL, call, by_session ? "ann" : who,
				         &created);
				bad += e != kk * 3 + c || created != (pass == 0) ||
				       (by_session && s->eval_item[e] != kk * 3 + c);
			}
	return bad;
}

/* 3 calls x 100 raters in any order: every evaluation once, found again. */
static void
test_many_raters(void)
{
	struct calib_store *s = calib_store_alloc();

	is_long((long)grid(s, 100, false), 0,
	        "many raters: each evaluation created once and found again");
	is_long((long)s->n_evals, 300, "many raters: 300 evaluations");
	calib_store_free(s);
}

/*
 * The two steps by ids (calib_store_item, calib_store_eval_of) give what
 * calib_store_eval gives, and the sets hold up as they grow past 100,000
 * names.
 */
static void
test_by_ids(void)
{
	struct calib_store *s = calib_store_alloc();
	size_t bad = 0;
	bool created;
	char call[16];
	uint32_t sid, cid, rid, item, e, e2;

	calib_names_intern(s->sessions, "", 0, &sid);
	calib_names_intern(s->raters, "ann", 3, &rid);
	for (unsigned c = 0; c < 100000; c++) {
		snprintf(call, sizeof call, "C%u", c);
		calib_names_intern(s->calls, call, strlen(call), &cid);
		calib_store_item(s, sid, cid, &item);
		calib_store_eval_of(s, item, rid, 0, c + 2, &e, &created);
		bad += item != c || e != c || !created;
	}
	is_long((long)bad, 0, "by ids: 100000 items and evaluations created in order");
	for (unsigned c = 0; c < 100000; c += 997) {
		snprintf(call, sizeof call, "C%u", c);
		e2 = eval(s, NULL, call, "ann", &created);
		bad += e2 != c || created;
		bad += calib_names_find(s->calls, call, strlen(call)) != c;
	}
	is_long((long)bad, 0, "by ids: calib_store_eval finds the same evaluations by name");
	e2 = eval(s, NULL, "C5", "bob", &created);
	ok(created && e2 == 100000 && s->eval_item[e2] == 5,
	   "by ids: another rater of an item is a new evaluation of that item");
	is_long((long)calib_store_eval_line(s, 7), 9, "by ids: the line given is kept");
	calib_store_free(s);
}

static void
test_reserve(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;
	uint32_t crit, e = 0;
	uint16_t code, c5;
	size_t bad = 0;
	bool created;
	char call[16];

	calib_store_criterion(s, "points", 6, &crit);
	calib_store_value_code(s, crit, 5, &c5, &err);
	/* codes written before the room is made, in a block that grew and was zeroed */
	for (unsigned c = 0; c < 3000; c++) {
		snprintf(call, sizeof call, "C%u", c);
		e = eval(s, NULL, call, "ann", &created);
		if (c % 2 == 0)
			calib_store_put(s, e, crit, c5, NULL);
	}
	is_long(calib_store_reserve(s, 200000), CALIB_OK, "reserve: room for 200000");
	ok(s->evals_cap_ >= 200000, "reserve: the arrays have the room");
	for (unsigned c = 0; c < 3000; c++)
		bad += calib_code(&s->criteria[crit], c) != (c % 2 == 0 ? c5 : CALIB_CODE_ABSENT);
	for (size_t k = 3000; k < s->evals_cap_; k++)
		bad += calib_code(&s->criteria[crit], k) != CALIB_CODE_ABSENT;
	is_long((long)bad, 0, "reserve: the codes kept, the new room absent");
	is_long(calib_store_reserve(s, 10), CALIB_OK, "reserve: less than there is changes nothing");
	for (unsigned c = 3000; c < 250000; c++) {
		snprintf(call, sizeof call, "C%u", c);
		e = eval(s, NULL, call, "ann", &created);
		bad += !created || e != c;
	}
	is_long((long)bad, 0, "reserve: more evaluations than reserved still fit");
	calib_store_value_code(s, crit, 5, &code, &err);
	ok(calib_store_put(s, e, crit, code, NULL) == CALIB_OK &&
	   calib_code(&s->criteria[crit], e) == c5 && calib_code(&s->criteria[crit], e - 1) == CALIB_CODE_ABSENT,
	   "reserve: codes written past the reserve");
	calib_store_free(s);
}

/*
 * Finishing lets the items' chains go; adding after it finds every
 * evaluation again (chains of a few raters and of more than a chain
 * holds), whether room is reserved first or not, and finishing again
 * groups the old and new evaluations.
 */
static void
test_after_finish(void)
{
	size_t bad = 0;
	bool created;
	char call[16], rater[16];

	for (int reserve = 0; reserve < 2; reserve++) {
		struct calib_store *s = calib_store_alloc();
		/* C0: 40 raters (past an item's chain); C1..C9: 3 raters each */
		for (unsigned c = 0; c < 10; c++)
			for (unsigned r = 0; r < (c ? 3u : 40u); r++) {
				snprintf(call, sizeof call, "C%u", c);
				snprintf(rater, sizeof rater, "R%u", r);
				eval(s, NULL, call, rater, &created);
			}
		calib_store_finish(s);
		if (reserve)
			calib_store_reserve(s, 5000);
		for (unsigned c = 0; c < 10; c++)
			for (unsigned r = 0; r < (c ? 3u : 40u); r++) {
				snprintf(call, sizeof call, "C%u", c);
				snprintf(rater, sizeof rater, "R%u", r);
				bad += eval(s, NULL, call, rater, &created) != (c ? 37 + 3 * c + r : r) ||
				       created;
			}
		is_long((long)bad, 0, "after finish%s: every evaluation found again, none created",
		        reserve ? ", room reserved" : "");
		ok(eval(s, NULL, "C0", "R40", &created) == 67 && created &&
		           eval(s, NULL, "C4", "R3", &created) == 68 && created &&
		           eval(s, NULL, "C10", "R0", &created) == 69 && created,
		   "after finish%s: new raters and calls are new evaluations",
		   reserve ? ", room reserved" : "");
		ok(eval(s, NULL, "C4", "R3", &created) == 68 && !created &&
		           eval(s, NULL, "C0", "R39", &created) == 39 && !created,
		   "after finish%s: and are found again", reserve ? ", room reserved" : "");
		calib_store_finish(s);
		ok(s->item_off[0] == 0 && s->item_off[1] == 41 && s->item_evals[40] == 67 &&
		           s->item_off[5] - s->item_off[4] == 4 && s->item_evals[s->item_off[5] - 1] == 68 &&
		           s->item_off[11] == 70 && s->item_evals[69] == 69,
		   "after finish%s: finishing again groups old and new evaluations",
		   reserve ? ", room reserved" : "");
		calib_store_free(s);
	}
}

/* The input of each evaluation, kept per run of evaluations from one input. */
static void
test_eval_files(void)
{
	struct calib_store *s = calib_store_alloc();
	uint32_t f0, f1, f2, e, want[12];
	size_t bad = 0, n = 0;
	bool created;
	char call[16];

	calib_store_add_file(s, "a.csv", &f0);
	calib_store_add_file(s, "b.csv", &f1);
	calib_store_add_file(s, "c.csv", &f2);
	is_long((long)calib_store_eval_file(s, 0), 0, "eval files: an empty store says file 0");
	/* a.csv: C0..C3; b.csv: C4..C5 and C0 again (found, not new); c.csv: C6; a.csv again: C7..C9 */
	const struct {
		uint32_t file;
		unsigned first, last;
	} runs[] = { { f0, 0, 3 }, { f1, 4, 5 }, { f1, 0, 0 }, { f2, 6, 6 }, { f0, 7, 9 } };
	for (size_t r = 0; r < sizeof runs / sizeof *runs; r++)
		for (unsigned c = runs[r].first; c <= runs[r].last; c++) {
			snprintf(call, sizeof call, "C%u", c);
			calib_store_eval(s, NULL, 0, call, strlen(call), "ann", 3, runs[r].file,
			                 c + 2, &e, &created);
			if (created)
				want[n++] = runs[r].file;
		}
	is_long((long)s->n_evals, 10, "eval files: 10 evaluations");
	for (size_t k = 0; k < n; k++)
		bad += calib_store_eval_file(s, k) != want[k];
	is_long((long)bad, 0, "eval files: each evaluation's input, across four runs");
	is_long((long)calib_store_eval_file(s, 0), f0,
	        "eval files: an evaluation found again keeps the input it was made from");
	for (size_t k = 0; k < 10; k++)
		bad += calib_store_eval_line(s, k) != k + 2;
	is_long((long)bad, 0, "eval lines: each evaluation's line, across the runs");
	calib_store_free(s);

	/* lines that step by 1, then 10, stay, jump, go back, and the largest line */
	const uint32_t lines[] = { 2, 3, 4, 14, 24, 34, 34, 34, 35, 1000, 7, 8, UINT32_MAX, 9 };
	size_t nl = sizeof lines / sizeof *lines;
	s = calib_store_alloc();
	calib_store_add_file(s, "a.csv", &f0);
	for (size_t k = 0; k < nl; k++) {
		snprintf(call, sizeof call, "C%zu", k);
		calib_store_eval(s, NULL, 0, call, strlen(call), "ann", 3, f0, lines[k], &e, &created);
	}
	for (size_t k = 0; k < nl; k++)
		bad += calib_store_eval_line(s, k) != lines[k];
	is_long((long)bad, 0, "eval lines: steps of 1 and 10, a line kept, jumps, a line back, the largest");
	calib_store_free(s);
}

/* Calls scored in more sessions than a call's chain of items holds: each (session, call) one item. */
static void
test_many_sessions(void)
{
	struct calib_store *s = calib_store_alloc();
	bool created;

	is_long((long)grid(s, 40, true), 0, "many sessions: each (session, call) one item, found again");
	is_long((long)s->n_items, 120, "many sessions: 120 items");
	calib_store_finish(s);
	ok(eval(s, "S39", "C2", "bob", &created) == 120 && created && s->eval_item[120] == 119 &&
	           eval(s, "S40", "C2", "ann", &created) == 121 && created && s->eval_item[121] == 120,
	   "many sessions: after finishing, a new rater of the last item, a new session");
	calib_store_free(s);
}

/*
 * A criterion's codes are a byte each until a level's code passes
 * CALIB_CODE_NARROW; then every code is kept as it was, two bytes each:
 * through growth of the arrays, finishing (the levels sorted, the codes
 * recoded), a session's subset, and a rubric that declares more levels.
 */
static void
test_wide_codes(void)
{
	struct calib_store *s = calib_store_alloc(), *t = NULL;
	struct calib_error err;
	uint32_t crit, other, e;
	uint16_t code, first = 0;
	size_t bad = 0, n = 4000;
	bool created, wide_early = true;
	char call[16];

	calib_store_criterion(s, "points", 6, &crit);
	calib_store_criterion(s, "yes", 3, &other);
	/* values 599, 598, ... so that finishing reverses their order */
	for (size_t c = 0; c < n; c++) {
		snprintf(call, sizeof call, "C%zu", c);
		e = eval(s, c % 2 ? "s2" : "s1", call, "ann", &created);
		bad += calib_store_value_code(s, crit, (double)(599 - c % 600), &code, &err) != CALIB_OK;
		bad += calib_store_put(s, e, crit, code, NULL) != CALIB_OK;
		calib_store_value_code(s, other, (double)(c % 2), &code, &err);
		calib_store_put(s, e, other, code, NULL);
		if (c == 0)
			first = code;
		if (c == CALIB_CODE_NARROW - CALIB_CODE_LEVEL)
			wide_early = s->criteria[crit].wide_;
	}
	is_long((long)bad, 0, "wide codes: 600 levels read");
	ok(!wide_early, "wide codes: a byte each while the codes fit one");
	ok(s->criteria[crit].wide_ && !s->criteria[other].wide_,
	   "wide codes: the criterion of 600 levels widened, the other not");
	for (size_t c = 0; c < n; c++)
		bad += calib_store_code_value(&s->criteria[crit], calib_code(&s->criteria[crit], c)) !=
		       (double)(599 - c % 600);
	is_long((long)bad, 0, "wide codes: each code kept as it was when they widened");
	ok(calib_code(&s->criteria[other], 0) == first, "wide codes: the narrow one's codes kept");
	is_long(calib_store_finish(s), CALIB_OK, "wide codes: finished");
	for (size_t c = 0; c < n; c++) {
		code = calib_code(&s->criteria[crit], c);
		bad += code != CALIB_CODE_LEVEL + 599 - c % 600 ||
		       calib_store_code_value(&s->criteria[crit], code) != (double)(599 - c % 600);
	}
	is_long((long)bad, 0, "wide codes: recoded into the levels' order");
	is_long((long)s->criteria[crit].n_scored, (long)n, "wide codes: every score counted");
	is_long(calib_store_session_subset(s, calib_names_find(s->sessions, "s2", 2), &t), CALIB_OK,
	        "wide codes: a session's subset");
	ok(t && t->criteria[crit].wide_ && t->n_evals == n / 2, "wide codes: the subset's are wide too");
	for (size_t e2 = 0; t && e2 < t->n_evals; e2++)
		bad += calib_store_code_value(&t->criteria[crit], calib_code(&t->criteria[crit], e2)) !=
		       (double)(599 - (2 * e2 + 1) % 600);
	is_long((long)bad, 0, "wide codes: the subset's scores");
	calib_store_free(t);
	calib_store_free(s);

	/* a rubric's 0 to 299 points: wide before any score */
	s = calib_store_alloc();
	calib_store_criterion(s, "points", 6, &crit);
	is_long(calib_store_declare(s, crit, CALIB_SCALE_ORDINAL, NULL, NULL, 0, 0, 299, 1),
	        CALIB_OK, "wide codes: 300 declared points");
	ok(s->criteria[crit].wide_, "wide codes: declared past a byte, wide at once");
	e = eval(s, NULL, "C1", "ann", &created);
	calib_store_value_code(s, crit, 299, &code, &err);
	calib_store_put(s, e, crit, code, NULL);
	ok(calib_store_code_value(&s->criteria[crit], calib_code(&s->criteria[crit], e)) == 299,
	   "wide codes: the top point kept");
	calib_store_free(s);
}

/*
 * A store of 120000 evaluations in an order that is not the items': numbers
 * whose levels arrive out of order, labels of a known set, and gaps.
 */
static struct calib_store *
big_store(void)
{
	static const char *const yn[] = { "yes", "no" };
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;
	uint32_t num, lab, gap;
	char call[16], rater[16];
	bool created;

	calib_store_criterion(s, "num", 3, &num);
	calib_store_criterion(s, "lab", 3, &lab);
	calib_store_criterion(s, "gap", 3, &gap);
	for (unsigned i = 0; i < 120000; i++) {
		uint32_t e;
		uint16_t code;
		snprintf(call, sizeof call, "C%u", (i * 7919u) % 30011u);
		snprintf(rater, sizeof rater, "R%u", i % 7);
		e = eval(s, NULL, call, rater, &created);
		calib_store_value_code(s, num, (double)((i * 31u) % 9) - 4, &code, &err);
		calib_store_put(s, e, num, code, NULL);
		calib_store_label_code(s, lab, yn[(i / 3) % 2], 2 + (i / 3) % 2, &code, &err);
		calib_store_put(s, e, lab, code, NULL);
		if (i % 5 != 0) {
			calib_store_value_code(s, gap, (double)(i % 4) / 2, &code, &err);
			calib_store_put(s, e, gap, code, NULL);
		}
	}
	return s;
}

static void
test_finish_threads(void)
{
	struct calib_store *a = big_store(), *b = big_store();
	size_t bad = 0;

	ok(calib_store_finish(a) == CALIB_OK && calib_store_finish_on(b, 2) == CALIB_OK,
	   "finish on threads: finished");
	is_long((long)b->n_evals, (long)a->n_evals, "finish on threads: as many evaluations");
	for (size_t i = 0; i <= a->n_items; i++)
		bad += a->item_off[i] != b->item_off[i];
	for (size_t e = 0; e < a->n_evals; e++)
		bad += a->item_evals[e] != b->item_evals[e];
	is_long((long)bad, 0, "finish on threads: evaluations grouped by item alike");
	for (size_t c = 0; c < a->n_criteria; c++) {
		const struct calib_criterion *x = &a->criteria[c], *y = &b->criteria[c];
		bad += x->n_levels != y->n_levels || x->scale != y->scale ||
		       x->n_scored != y->n_scored || x->n_missing != y->n_missing ||
		       x->n_na != y->n_na;
		for (size_t e = 0; e < a->n_evals; e++)
			bad += calib_code(x, e) != calib_code(y, e);
	}
	is_long((long)bad, 0, "finish on threads: levels, counts and codes alike");
	is_long((long)a->criteria[0].n_scored, 120000, "finish on threads: every number counted");
	is_long((long)a->criteria[2].n_scored, 96000, "finish on threads: the gaps left out");
	ok(a->criteria[0].value[0] == -4 && calib_code(&a->criteria[0], 1) == CALIB_CODE_LEVEL + 4,
	   "finish on threads: the numbers' levels sorted, codes recoded");
	calib_store_free(a);
	calib_store_free(b);
}

int
main(void)
{
	test_names();
	test_evals_and_codes();
	test_declared();
	test_format_double();
	test_inference();
	test_many_raters();
	test_by_ids();
	test_reserve();
	test_after_finish();
	test_eval_files();
	test_many_sessions();
	test_wide_codes();
	test_finish_threads();
	return tap_done();
}
