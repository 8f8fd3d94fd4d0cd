/*
 * sessions.c - sessions over time: where a rating's session comes from,
 * the checks that the sessions read agree with it, and their order by
 * date, as given or by name, with one date written two ways merged into
 * one session (dates.h, calib_store_merge_sessions).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/dates.h"
#include "calib/sessions.h"

/* The base name of path without its extension: *len bytes from the result. */
static const char *
base_name(const char *path, size_t *len)
{
	const char *slash = strrchr(path, '/'), *b = slash ? slash + 1 : path;
	const char *dot = strrchr(b, '.');

	*len = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	return b;
}

enum calib_status
calib_sessions_prepare(struct calib_read_opts *ro, enum calib_session_from from,
                       char *const *files, size_t n, struct calib_error *err)
{
	bool on_stdin = n == 0;

	for (size_t i = 0; i < n; i++)
		on_stdin = on_stdin || strcmp(files[i], "-") == 0;
	if (from == CALIB_SESSION_FROM_NAME && on_stdin && !ro->session)
		return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
		                       "standard input needs --session LABEL with "
		                       "--session-from name");
	/*
	 * rows without a session (no session column, or an empty cell) take
	 * their file's base name, so that the same call in two files is two
	 * sessions' ratings before any duplicate check
	 */
	ro->session_from_name = from == CALIB_SESSION_FROM_NAME ||
	                        (from == CALIB_SESSION_FROM_AUTO && !ro->session);
	return CALIB_OK;
}

enum calib_status
calib_sessions_check(const struct calib_store *s, enum calib_session_from from,
                     const char *given, const char *key, uint32_t key_rater,
                     struct calib_error *err)
{
	bool key_file = key && strcmp(key, "consensus") != 0;

	/* with --session-from name, a session column would disagree with the names */
	for (size_t e = 0; from == CALIB_SESSION_FROM_NAME && e < s->n_evals; e++) {
		if (key && s->eval_rater[e] == key_rater)
			continue; /* the key's sessions come from its column */
		const char *file = s->files[calib_store_eval_file(s, e)];
		const char *ses =
		        calib_names_get(s->sessions, s->item_session[s->eval_item[e]]);
		size_t len = strlen(given ? given : "");
		const char *want = strcmp(file, "<stdin>") == 0 ? given : base_name(file, &len);
		if (strlen(ses) != len || memcmp(ses, want, len) != 0)
			return calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
			                       "%s: has a session column; use --session-from "
			                       "column",
			                       file);
	}
	/* a key row without a session would be a session of its own */
	for (size_t e = 0; key_file && e < s->n_evals; e++)
		if (s->eval_rater[e] == key_rater &&
		    !*calib_names_get(s->sessions, s->item_session[s->eval_item[e]])) {
			char *tmp = NULL;
			const char *shown = calib_escaped(key, &tmp);
			calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
			                "--key %s: a key score without a session (line %u): "
			                "the key needs the session column of the inputs",
			                shown ? shown : "?", (unsigned)calib_store_eval_line(s, e));
			free(tmp);
			return CALIB_EINPUT;
		}
	if (calib_names_find(s->sessions, "", 0) != CALIB_NONE &&
	    (from == CALIB_SESSION_FROM_AUTO || calib_names_count(s->sessions) == 1))
		return calib_error_set(err, CALIB_EINPUT, NULL, 0, 0, "%s",
		                       from == CALIB_SESSION_FROM_AUTO
		                               ? "<stdin>: rows without a session: give "
		                                 "--session LABEL or a session column"
		                               : "no session in the input: no session "
		                                 "column, or only empty cells "
		                                 "(--session-col NAME, or --session-from "
		                                 "name)");
	return CALIB_OK;
}

/* qsort has no context: what the comparisons below read */
static const struct calib_date *sort_date;
static const char (*sort_name)[CALIB_DATE_NAME];
static const char **sort_label;

static int
cmp_index(size_t i, size_t j)
{
	return (i > j) - (i < j);
}

/* By date, a week before the date of its Monday, then by first appearance. */
static int
cmp_date(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c;

	if (sort_date[i].days != sort_date[j].days)
		return (sort_date[i].days > sort_date[j].days) -
		       (sort_date[i].days < sort_date[j].days);
	if ((c = strcmp(sort_name[i], sort_name[j])) != 0)
		return sort_date[i].month - sort_date[j].month;
	return cmp_index(i, j);
}

/* By the bytes of the label. */
static int
cmp_label(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(sort_label[i], sort_label[j]);

	return c ? c : cmp_index(i, j);
}

enum calib_status
calib_sessions_arrange(struct calib_store *s, enum calib_session_order order,
                       const char *date_format, int dup, const char **how, char *note,
                       size_t note_len, struct calib_error *err)
{
	size_t n = calib_names_count(s->sessions), k = 0, not_date = SIZE_MAX;
	const char **label = malloc((n + 1) * sizeof *label);
	struct calib_date *date = malloc((n + 1) * sizeof *date);
	size_t *by = malloc((n + 1) * sizeof *by);
	uint32_t *to = malloc((n + 1) * sizeof *to);
	char(*name)[CALIB_DATE_NAME] = malloc((n + 1) * sizeof *name);
	const char **names = malloc((n + 1) * sizeof *names);
	const char **key = malloc((n + 1) * sizeof *key);
	struct calib_names *seen = NULL;
	enum calib_status st = CALIB_ENOMEM, rd;
	bool dates, same = true;

	*how = "as given";
	if (note_len)
		*note = '\0';
	if (!label || !date || !by || !to || !name || !names || !key)
		goto out;
	for (size_t i = 0; i < n; i++) {
		label[i] = calib_names_get(s->sessions, (uint32_t)i);
		by[i] = i;
	}
	/* read whatever the order, so that one date written two ways is one session */
	rd = calib_dates_read(label, n, date_format, date, &not_date, err);
	if (rd && (order == CALIB_SESSION_ORDER_AUTO || order == CALIB_SESSION_ORDER_DATE)) {
		st = rd;
		goto out;
	}
	dates = rd == CALIB_OK && not_date == SIZE_MAX;
	if (rd)
		calib_error_clear(err); /* not an error in this order */
	if (!dates && order == CALIB_SESSION_ORDER_DATE) {
		st = calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
		                     "session '%.100s' is not a date (--date-format FMT, or "
		                     "--order given or name)",
		                     label[not_date]);
		goto out;
	}
	if (!dates && order == CALIB_SESSION_ORDER_AUTO && n > 1) {
		/* said once, so that the mail of a cron job shows it; one session has no order
		 */
		snprintf(note, note_len,
		         "sessions in order of first appearance: '%.100s' is not "
		         "a date (--order given, date or name)",
		         label[not_date]);
		*how = "as given (not all dates)";
	}
	for (size_t i = 0; i < n; i++)
		key[i] = dates ? calib_dates_name(&date[i], name[i], sizeof name[i]) : label[i];
	if (dates && (order == CALIB_SESSION_ORDER_AUTO || order == CALIB_SESSION_ORDER_DATE)) {
		*how = "by date";
		sort_date = date;
		sort_name = name;
		qsort(by, n, sizeof *by, cmp_date);
	} else if (order == CALIB_SESSION_ORDER_NAME) {
		*how = "by name";
		sort_label = key;
		qsort(by, n, sizeof *by, cmp_label);
	}
	/* the new sessions in order, each name once */
	if (!(seen = calib_names_alloc()))
		goto out;
	for (size_t j = 0; j < n; j++) {
		size_t i = by[j];
		if (calib_names_intern(seen, key[i], strlen(key[i]), &to[i]))
			goto out;
		if (to[i] == k)
			names[k++] = key[i];
		same = same && to[i] == i && strcmp(key[i], label[i]) == 0;
	}
	st = same ? CALIB_OK : calib_store_merge_sessions(s, names, k, to, dup, err);
out:
	free(label);
	free(date);
	free(by);
	free(to);
	free(name);
	free(names);
	free(key);
	calib_names_free(seen);
	return st;
}
