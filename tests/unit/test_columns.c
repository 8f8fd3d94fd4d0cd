/*
 * test_columns.c - header names compared as people write them, the alias
 * table of the roles, near misses, lists of names, and the record of the
 * columns left out.
 */
#include <stdio.h>
#include <string.h>

#include "calib/columns.h"
#include "calib/store.h"
#include "tap.h"

static bool
same(const char *a, const char *b)
{
	return calib_column_same(a, strlen(a), b, strlen(b));
}

static enum calib_role
role(const char *name)
{
	return calib_column_role(name, strlen(name));
}

static void
test_same(void)
{
	char out[64];

	ok(same("Call ID", "call_id"), "same: Call ID = call_id");
	ok(same("call_id", "callid"), "same: call_id = callid");
	ok(same("CALL-ID", "Call ID"), "same: CALL-ID = Call ID");
	ok(same(" call\tid ", "callid"), "same: tabs and spaces around and inside");
	ok(!same("call", "calls"), "same: call is not calls");
	ok(!same("callid", "call"), "same: a prefix is not the name");
	ok(same("", "_ -"), "same: nothing but ignorable bytes is the empty name");
	ok(!same("Émpathy", "émpathy"), "same: bytes beyond ASCII compare exactly");
	ok(calib_column_same("Call IDx", 7, "callid", 6), "same: lengths bound the names");
	is_long((long)calib_column_norm("Verified ID_2-x", 15, out), 12, "norm: length");
	is_string(out, "verifiedid2x", "norm: lower case without spaces, _ and -");
}

static void
test_roles(void)
{
	static const char *const calls[] = {"call", "Call ID", "conversation_id",
	                                    "Interaction ID", "TICKET-ID", "contact id"};
	static const char *const raters[] = {"rater", "Reviewer", "evaluator", "Grader",
	                                     "scorer", "Manager"};
	static const char *const crits[] = {"criterion", "Category", "question", "Item"};
	static const char *const scores[] = {"score", "Rating", "answer", "Result"};
	size_t i;

	for (i = 0; i < 6; i++)
		ok(role(calls[i]) == CALIB_ROLE_CALL, "role: %s is the call", calls[i]);
	for (i = 0; i < 6; i++)
		ok(role(raters[i]) == CALIB_ROLE_RATER, "role: %s is the rater", raters[i]);
	for (i = 0; i < 4; i++)
		ok(role(crits[i]) == CALIB_ROLE_CRITERION, "role: %s is the criterion", crits[i]);
	for (i = 0; i < 4; i++)
		ok(role(scores[i]) == CALIB_ROLE_SCORE, "role: %s is the score", scores[i]);
	ok(role("Session") == CALIB_ROLE_SESSION, "role: Session is the session");
	ok(role("Agent") == CALIB_ROLE_AGENT, "role: Agent is the agent (read by calib-audit only)");
	ok(role("ticket") == CALIB_ROLE_NONE, "role: ticket alone has none");
	ok(role("callidx") == CALIB_ROLE_NONE, "role: callidx has none");
	is_string(calib_role_name(CALIB_ROLE_RATER), "rater", "role name");
	is_string(calib_role_name(CALIB_ROLE_NONE), "", "role name of none");
	is_string(calib_role_option(CALIB_ROLE_CALL), "--call-col", "role option");
	is_string(calib_role_option(CALIB_ROLE_SCORE), "--score-col", "role option of score");
	is_string(calib_role_aliases(CALIB_ROLE_SCORE), "score, rating, answer, result",
	          "role aliases");
}

static void
test_listed(void)
{
	ok(calib_column_listed("Greeting,verified_id", "Verified ID", 11), "listed: normalised");
	ok(calib_column_listed(",,greeting,", "Greeting", 8), "listed: empty items skipped");
	ok(!calib_column_listed("greeting", "greet", 5), "listed: no prefix match");
	ok(!calib_column_listed(NULL, "greeting", 8), "listed: NULL holds nothing");
	ok(!calib_column_listed("", "", 0), "listed: the empty list holds nothing");
}

static void
test_near(void)
{
	ok(calib_column_near("Verified ID", "Verified identity"), "near: a prefix of 8");
	ok(calib_column_near("Empathy", "Empahty"), "near: two letters swapped");
	ok(calib_column_near("Greeting", "Greetings"), "near: one letter more");
	ok(!calib_column_near("Greeting", "greeting"), "near: the same name is no near miss");
	ok(!calib_column_near("Tone", "Hold"), "near: short and different");
	ok(calib_column_near("Tone", "Tome"), "near: a short name, one letter changed");
	ok(!calib_column_near("Tone", "nope"), "near: a short name, two letters changed");
	ok(!calib_column_near("Empathy", "Resolution"), "near: far apart");
	ok(!calib_column_near("q1", "q2"), "near: names of two letters are too short");
}

static enum calib_column_use
kind(const char *name)
{
	return calib_column_kind(name, strlen(name));
}

static bool
date_like(const char *s)
{
	return calib_column_date_like(s, strlen(s));
}

static void
test_kinds(void)
{
	ok(kind("Agent") == CALIB_USE_METADATA, "kind: Agent is metadata");
	ok(kind("review_date") == CALIB_USE_METADATA, "kind: review_date is metadata");
	ok(kind("TEAM") == CALIB_USE_METADATA, "kind: TEAM is metadata");
	ok(kind("Comments") == CALIB_USE_FREE_TEXT, "kind: Comments is free text");
	ok(kind("feedback") == CALIB_USE_FREE_TEXT, "kind: feedback is free text");
	ok(kind("Verified ID") == CALIB_USE_CRITERION, "kind: Verified ID is for the data");
	ok(kind("Agent tone") == CALIB_USE_CRITERION, "kind: Agent tone is for the data");
	ok(date_like("2026-11-23"), "date: ISO");
	ok(date_like("23.11.2026"), "date: dotted");
	ok(date_like("11/23/2026 14:05"), "date: with a time");
	ok(date_like("2026-11-23T14:05:00"), "date: ISO time stamp");
	ok(!date_like("4.5"), "date: a decimal is none");
	ok(!date_like("1-2-3"), "date: three digits are none");
	ok(!date_like("T-5001"), "date: an id is none");
	ok(!date_like("Nov 30, 2026"), "date: month names are left to the data");
}

static void
test_record(void)
{
	struct calib_columns *c = calib_columns_alloc();
	char buf[256], small[20];

	ok(c != NULL, "record: alloc");
	ok(calib_columns_add(c, 0, 1, "call", 4, CALIB_USE_ROLE, CALIB_ROLE_CALL, CALIB_NONE) ==
	           CALIB_OK,
	   "record: add");
	calib_columns_add(c, 0, 2, "Empathy", 7, CALIB_USE_CRITERION, CALIB_ROLE_NONE, 0);
	is_long((long)calib_columns_left_out(c, buf, sizeof buf), 0, "record: nothing left out");
	is_string(buf, "", "record: empty text");
	calib_columns_add(c, 0, 3, "Agent", 5, CALIB_USE_METADATA, CALIB_ROLE_NONE, CALIB_NONE);
	calib_columns_add(c, 0, 4, "Comments", 8, CALIB_USE_FREE_TEXT, CALIB_ROLE_NONE,
	                  CALIB_NONE);
	calib_columns_add(c, 1, 3, "Agent", 5, CALIB_USE_METADATA, CALIB_ROLE_NONE, CALIB_NONE);
	calib_columns_add(c, 1, 5, "", 0, CALIB_USE_EMPTY, CALIB_ROLE_NONE, CALIB_NONE);
	is_long((long)calib_columns_left_out(c, buf, sizeof buf), 3, "record: each name once");
	is_string(buf, "Agent (metadata), Comments (free text), column without a name (empty, no name)",
	          "record: names and reasons");
	is_long((long)calib_columns_left_out(c, small, sizeof small), 3, "record: counted when cut");
	is_string(small, "Agent (metadata)...", "record: cut with ...");
	is_string(calib_column_use_name(CALIB_USE_NOT_IN_RUBRIC), "not in the rubric", "use name");
	calib_columns_free(c);
	calib_columns_free(NULL);
	ok(1, "record: free(NULL) is harmless");
}

int
main(void)
{
	test_same();
	test_roles();
	test_listed();
	test_near();
	test_kinds();
	test_record();
	(void)is_double;
	return tap_done();
}
