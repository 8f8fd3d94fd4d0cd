/*
 * columns.c - header names compared as people write them, the table of
 * role aliases, and the record of how each input's columns were used
 * (columns.h).
 */
#include "calib/columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/store.h"

/* Bytes a name's normal form drops. */
static bool
ignorable(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '_' || c == '-';
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

bool
calib_column_same(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < alen && ignorable((unsigned char)a[i]))
			i++;
		while (j < blen && ignorable((unsigned char)b[j]))
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[j]))
			return false;
		i++, j++;
	}
}

size_t
calib_column_norm(const char *name, size_t len, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++)
		if (!ignorable((unsigned char)name[i]))
			out[o++] = (char)lower((unsigned char)name[i]);
	out[o] = '\0';
	return o;
}

/*
 * The alias table: every name a role's column goes by, the role's own name
 * first. Names compare by calib_column_same, so "Ticket ID", "ticket_id"
 * and "ticketid" are one entry.
 */
static const struct {
	enum calib_role role;
	const char *name, *option, *aliases;
	const char *const names[8];
} roles[] = {
	{CALIB_ROLE_CALL, "call", "--call-col",
	 "call, call id, conversation id, interaction id, ticket id, contact id",
	 {"call", "call id", "conversation id", "interaction id", "ticket id", "contact id"}},
	{CALIB_ROLE_RATER, "rater", "--rater-col",
	 "rater, reviewer, evaluator, grader, scorer, manager",
	 {"rater", "reviewer", "evaluator", "grader", "scorer", "manager"}},
	{CALIB_ROLE_SESSION, "session", "--session-col", "session", {"session"}},
	{CALIB_ROLE_CRITERION, "criterion", "--criterion-col",
	 "criterion, category, question, item", {"criterion", "category", "question", "item"}},
	{CALIB_ROLE_SCORE, "score", "--score-col", "score, rating, answer, result",
	 {"score", "rating", "answer", "result"}},
	{CALIB_ROLE_AGENT, "agent", "--agent-col", "agent, employee, advisor, rep",
	 {"agent", "employee", "advisor", "rep"}},
};

enum calib_role
calib_column_role(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		for (size_t k = 0; k < 8 && roles[i].names[k]; k++)
			if (calib_column_same(name, len, roles[i].names[k],
			                      strlen(roles[i].names[k])))
				return roles[i].role;
	return CALIB_ROLE_NONE;
}

/* A field of role's line of the table (0 name, 1 option, 2 aliases); "" for none. */
static const char *
role_field(enum calib_role role, size_t field)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].role == role)
			return field == 0 ? roles[i].name : field == 1 ? roles[i].option : roles[i].aliases;
	return "";
}

const char *
calib_role_name(enum calib_role role)
{
	return role_field(role, 0);
}

const char *
calib_role_option(enum calib_role role)
{
	return role_field(role, 1);
}

const char *
calib_role_aliases(enum calib_role role)
{
	return role_field(role, 2);
}

bool
calib_column_listed(const char *list, const char *name, size_t len)
{
	const char *p = list;

	if (!list)
		return false;
	for (;;) {
		size_t n = strcspn(p, ",");
		if (n > 0 && calib_column_same(p, n, name, len))
			return true;
		if (p[n] == '\0')
			return false;
		p += n + 1;
	}
}

/* Edit distance of a and b when it is at most 2; 3 when larger. */
static size_t
distance(const char *a, size_t m, const char *b, size_t n)
{
	size_t row[2][64], i, j;

	if (m > n ? m - n > 2 : n - m > 2)
		return 3;
	if (n >= 64)
		return strcmp(a, b) == 0 ? 0 : 3;
	for (j = 0; j <= n; j++)
		row[0][j] = j;
	for (i = 1; i <= m; i++) {
		size_t *cur = row[i % 2], *prev = row[(i + 1) % 2], best;
		cur[0] = i;
		best = i;
		for (j = 1; j <= n; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
			if (d < best)
				best = d;
		}
		if (best > 2)
			return 3;
	}
	return row[m % 2][n];
}

bool
calib_column_near(const char *a, const char *b)
{
	size_t m = strlen(a), n = strlen(b);
	char *x = malloc(m + 1), *y = malloc(n + 1);
	bool near = false;

	if (x && y) {
		m = calib_column_norm(a, m, x);
		n = calib_column_norm(b, n, y);
		if (strcmp(x, y) != 0) {
			size_t short_len = m < n ? m : n;
			near = (short_len >= 5 && strncmp(x, y, short_len) == 0) ||
			       (short_len >= 3 && distance(x, m, y, n) <= (short_len < 6 ? 1u : 2u));
		}
	}
	free(x);
	free(y);
	return near;
}

/* Names of metadata and of free text (see calib_column_kind). */
static const char *const metadata_names[] = {
	"agent", "agent name", "agent id", "reviewee", "team", "channel", "queue",
	"scorecard", "form", "group", "supervisor", "language", "customer", "date",
	"review date", "reviewed at", "created at", "time", "evaluation id", "review id"};
static const char *const free_text_names[] = {"comment", "comments", "note", "notes",
                                              "feedback", "remarks"};

enum calib_column_use
calib_column_kind(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof metadata_names / sizeof metadata_names[0]; i++)
		if (calib_column_same(name, len, metadata_names[i], strlen(metadata_names[i])))
			return CALIB_USE_METADATA;
	for (i = 0; i < sizeof free_text_names / sizeof free_text_names[0]; i++)
		if (calib_column_same(name, len, free_text_names[i], strlen(free_text_names[i])))
			return CALIB_USE_FREE_TEXT;
	return CALIB_USE_CRITERION;
}

bool
calib_column_date_like(const char *s, size_t len)
{
	size_t i, digits = 0, seps = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			digits++;
		else if (c == '-' || c == '/' || c == '.' || c == ':')
			seps++;
		else if (!(c == ' ' || (c == 'T' && i > 0 && i + 1 < len)))
			return false;
	}
	return digits >= 4 && seps >= 2;
}

struct calib_columns *
calib_columns_alloc(void)
{
	return calloc(1, sizeof(struct calib_columns));
}

void
calib_columns_free(struct calib_columns *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].name);
	free(c->v);
	free(c);
}

enum calib_status
calib_columns_add(struct calib_columns *c, uint32_t file, size_t index, const char *name,
                  size_t len, enum calib_column_use use, enum calib_role role,
                  uint32_t criterion)
{
	struct calib_column *col;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct calib_column *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return CALIB_ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	col = &c->v[c->n];
	if (!(col->name = malloc(len + 1)))
		return CALIB_ENOMEM;
	memcpy(col->name, name, len);
	col->name[len] = '\0';
	col->file = file;
	col->index = index;
	col->use = use;
	col->role = role;
	col->criterion = criterion;
	c->n++;
	return CALIB_OK;
}

const char *
calib_column_use_name(enum calib_column_use use)
{
	switch (use) {
	case CALIB_USE_ROLE:
		return "role";
	case CALIB_USE_CRITERION:
		return "criterion";
	case CALIB_USE_EXTRA:
		return "extra column";
	case CALIB_USE_METADATA:
		return "metadata";
	case CALIB_USE_FREE_TEXT:
		return "free text";
	case CALIB_USE_NOT_IN_RUBRIC:
		return "not in the rubric";
	case CALIB_USE_IGNORED:
		return "--ignore";
	case CALIB_USE_NOT_CHOSEN:
		return "not in --criteria";
	case CALIB_USE_EMPTY:
		return "empty, no name";
	}
	return "";
}

size_t
calib_columns_left_out(const struct calib_columns *c, char *buf, size_t n)
{
	size_t i, k, o = 0, count = 0;
	bool cut = false;

	if (n < 4)
		return 0;
	buf[0] = '\0';
	for (i = 0; c && i < c->n; i++) {
		const struct calib_column *col = &c->v[i];
		bool seen = false;
		int w;
		if (col->use == CALIB_USE_ROLE || col->use == CALIB_USE_CRITERION)
			continue;
		for (k = 0; k < i && !seen; k++)
			seen = c->v[k].use == col->use && strcmp(c->v[k].name, col->name) == 0;
		if (seen)
			continue;
		count++;
		if (cut)
			continue;
		w = snprintf(buf + o, n - o, "%s%s (%s)", o ? ", " : "",
		             col->name[0] ? col->name : "column without a name",
		             calib_column_use_name(col->use));
		if (w < 0 || (size_t)w >= n - o)
			cut = true;
		else
			o += (size_t)w;
	}
	if (cut)
		memcpy(buf + (o + 4 <= n ? o : n - 4), "...", 4);
	return count;
}
