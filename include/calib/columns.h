/*
 * columns.h - what the columns of a sheet's header mean: names compared
 * the way people write them, the one table of role names (call, rater,
 * criterion, score, session) and their aliases, and the record of how the
 * columns of each input were used, which programs show (calib-sheet
 * --check, the notes of a report).
 *
 * Ownership: a struct calib_columns owns copies of every name it holds;
 * calib_columns_free(NULL) is harmless. The other functions allocate
 * nothing.
 */
#ifndef CALIB_COLUMNS_H
#define CALIB_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/error.h"

/* The role of a column of the header, from its name. */
enum calib_role {
	CALIB_ROLE_NONE = 0, /* a criterion, or a column of no role */
	CALIB_ROLE_CALL,
	CALIB_ROLE_RATER,
	CALIB_ROLE_SESSION,
	CALIB_ROLE_CRITERION, /* long form: the criterion's name */
	CALIB_ROLE_SCORE,     /* long form: the score */
	CALIB_ROLE_AGENT      /* the agent evaluated: read only when asked for
	                         (calib_read_opts.agent), else a column of no role */
};
#define CALIB_N_ROLES 6 /* the roles every reading looks for: all but the agent */

/* How a column of an input was used. */
enum calib_column_use {
	CALIB_USE_ROLE = 0,     /* the call, rater, session, criterion or score column */
	CALIB_USE_CRITERION,    /* scored: a criterion of a wide or per-rater sheet */
	CALIB_USE_EXTRA,        /* long form: a column of no role, not read */
	CALIB_USE_METADATA,     /* the same text for every rater of a call: not a score */
	CALIB_USE_FREE_TEXT,    /* long or many different texts (comments) */
	CALIB_USE_NOT_IN_RUBRIC,/* a rubric is given and does not name it */
	CALIB_USE_IGNORED,      /* --ignore names it */
	CALIB_USE_NOT_CHOSEN,   /* --criteria does not name it */
	CALIB_USE_EMPTY         /* a trailing column without a name or a value */
};

/*
 * Do a[0..alen) and b[0..blen) name the same column? Letters compare
 * case-insensitively (ASCII) and spaces, tabs, '_' and '-' are ignored:
 * "Call ID" = "call_id" = "callid". Cannot fail.
 */
bool calib_column_same(const char *a, size_t alen, const char *b, size_t blen);

/*
 * The normal form of name[0..len) under calib_column_same: written to out
 * (room for len + 1 bytes), NUL-terminated; returns its length. Cannot fail.
 */
size_t calib_column_norm(const char *name, size_t len, char *out);

/*
 * The role that name[0..len) stands for by the alias table (call: call,
 * call id, conversation id, interaction id, ticket id, contact id; rater:
 * rater, reviewer, evaluator, grader, scorer, manager; criterion:
 * criterion, category, question, item; score: score, rating, answer,
 * result; session: session; agent: agent, employee, advisor, rep),
 * compared by calib_column_same. CALIB_ROLE_NONE
 * for any other name. Cannot fail.
 */
enum calib_role calib_column_role(const char *name, size_t len);

/* "call", "rater", "session", "criterion", "score"; "" for CALIB_ROLE_NONE. */
const char *calib_role_name(enum calib_role role);

/* The option that names a role's column: "--call-col" ...; "" for none. */
const char *calib_role_option(enum calib_role role);

/* The names the alias table gives a role, "call, call id, ..." (static). */
const char *calib_role_aliases(enum calib_role role);

/*
 * Is name[0..len) in the comma-separated list (names compared by
 * calib_column_same; empty items are skipped)? A NULL list holds nothing.
 * Cannot fail.
 */
bool calib_column_listed(const char *list, const char *name, size_t len);

/*
 * Are a and b near misses of one another: different under
 * calib_column_same, yet one normal form is the other with at most two
 * characters changed, added or removed (one when the shorter has fewer
 * than six: "Tone" and "Tome", not "Tone" and "nope"), or one starts with the other and
 * the shorter has at least five characters ("Verified ID" and "Verified
 * identity")? Cannot fail.
 */
bool calib_column_near(const char *a, const char *b);

/*
 * What a column's name alone says of a column of text (no numbers) in a
 * wide or per-rater sheet without a rubric: CALIB_USE_METADATA for the
 * names QA exports give their metadata (agent, agent name, agent id,
 * reviewee, team, channel, queue, scorecard, form, group, supervisor,
 * language, customer, date, review date, reviewed at, created at, time,
 * evaluation id, review id), CALIB_USE_FREE_TEXT for comment(s), note(s),
 * feedback, remarks; CALIB_USE_CRITERION for any other name (the data
 * decides). Cannot fail.
 */
enum calib_column_use calib_column_kind(const char *name, size_t len);

/*
 * Does s[0..len) look like a date or a time stamp: digits and at least two
 * of the separators - / . : (and spaces or a T between date and time),
 * four digits at least ("2026-11-23", "23.11.2026", "11/23/2026 14:05")?
 * Cannot fail.
 */
bool calib_column_date_like(const char *s, size_t len);

/* A column of an input and how it was used. */
struct calib_column {
	uint32_t file;         /* index in the store's files[] */
	size_t index;          /* column, from 1 */
	char *name;
	enum calib_column_use use;
	enum calib_role role;  /* for CALIB_USE_ROLE */
	uint32_t criterion;    /* for CALIB_USE_CRITERION: its id; else CALIB_NONE */
};

/* The columns of every input read, in order. */
struct calib_columns {
	struct calib_column *v;
	size_t n, cap;
};

/* A new empty record, or NULL when out of memory. */
struct calib_columns *calib_columns_alloc(void);
void calib_columns_free(struct calib_columns *c);

/* Append a column (name copied). CALIB_OK or CALIB_ENOMEM. */
enum calib_status calib_columns_add(struct calib_columns *c, uint32_t file, size_t index,
				    const char *name, size_t len, enum calib_column_use use,
				    enum calib_role role, uint32_t criterion);

/* Words for a use: "metadata", "free text", "not in the rubric", ... */
const char *calib_column_use_name(enum calib_column_use use);

/*
 * The columns left out of the scores (every use but ROLE and CRITERION),
 * each name once in order of first appearance with its reason:
 * "Agent (metadata), Comments (free text)". Written to buf (size n,
 * truncated with "..."); returns the number of names, 0 leaving buf "".
 * Cannot fail.
 */
size_t calib_columns_left_out(const struct calib_columns *c, char *buf, size_t n);

#endif
