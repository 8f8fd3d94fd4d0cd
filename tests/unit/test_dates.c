/*
 * test_dates.c - session labels read as dates: each form, real days only,
 * ISO weeks and the years that have 53, dd/mm against mm/dd decided by
 * the set (settled, ambiguous, contradictory), forced formats and their
 * checks, canonical names; and the store's merging of sessions that are
 * one date written two ways.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "calib/dates.h"
#include "calib/store.h"
#include "tap.h"

/* The canonical name of one label read alone, or "-" when it is no date. */
static const char *
one(const char *label, const char *fmt, char *buf)
{
	struct calib_date d;
	size_t bad;
	struct calib_error e;

	if (calib_dates_read(&label, 1, fmt, &d, &bad, &e) != CALIB_OK)
		return "error";
	if (bad != SIZE_MAX)
		return "-";
	return calib_dates_name(&d, buf, CALIB_DATE_NAME);
}

static void
test_forms(void)
{
	char b[CALIB_DATE_NAME];

	is_string(one("2026-11-23", NULL, b), "2026-11-23", "ISO date");
	is_string(one("23.11.2026", NULL, b), "2026-11-23", "dd.mm.yyyy");
	is_string(one("3.1.2026", NULL, b), "2026-01-03", "d.m.yyyy");
	is_string(one("23/11/2026", NULL, b), "2026-11-23", "dd/mm/yyyy settled by the day");
	is_string(one("11/23/2026", NULL, b), "2026-11-23", "mm/dd/yyyy settled by the day");
	is_string(one("05/05/2026", NULL, b), "2026-05-05", "the same either way: no doubt");
	is_string(one("Nov 30, 2026", NULL, b), "2026-11-30", "Mon D, YYYY");
	is_string(one("November 30, 2026", NULL, b), "2026-11-30", "full month name");
	is_string(one("nov 30 2026", NULL, b), "2026-11-30", "no comma, lower case");
	is_string(one("30 Nov 2026", NULL, b), "2026-11-30", "D Mon YYYY");
	is_string(one("30 NOVEMBER 2026", NULL, b), "2026-11-30", "upper case");
	is_string(one("1 Sep. 2026", NULL, b), "2026-09-01", "abbreviation with a dot");
	is_string(one("2026-W48", NULL, b), "2026-W48", "ISO week");
	is_string(one("2025-W53", NULL, b), "-", "2025 has 52 weeks");
	is_string(one("2026-W53", NULL, b), "2026-W53",
	          "2026 has 53 (it begins on a Thursday)");
	is_string(one("2020-W53", NULL, b), "2020-W53", "2020 has 53 weeks");
	is_string(one("2026-W00", NULL, b), "-", "no week 0");
	is_string(one("2026-02-29", NULL, b), "-", "no 29 February in 2026");
	is_string(one("2024-02-29", NULL, b), "2024-02-29", "29 February 2024");
	is_string(one("31.04.2026", NULL, b), "-", "31 April refused");
	is_string(one("13/13/2026", NULL, b), "-", "no month 13 either way");
	is_string(one("23.11.26", NULL, b), "-", "two-digit years refused");
	is_string(one("23-11-2026", NULL, b), "-", "dashes only in ISO order");
	is_string(one("Nov 30, 2026 ", NULL, b), "-", "trailing space refused");
	is_string(one("Novem 30, 2026", NULL, b), "-", "no half month names");
	is_string(one("week 10", NULL, b), "-", "a label");
	is_string(one("", NULL, b), "-", "empty");
	is_string(one("2026-11-23x", NULL, b), "-", "trailing text");
}

static void
test_days(void)
{
	struct calib_date a, b;

	ok(calib_dates_iso("2026-11-23", &a) && calib_dates_iso("2026-W48", &b) &&
	           a.days == b.days,
	   "2026-W48 begins on Monday 23 November 2026");
	ok(calib_dates_iso("2026-01-01", &a) && calib_dates_iso("2026-W01", &b) &&
	           b.days == a.days - 3,
	   "2026-W01 begins on 29 December 2025");
	ok(calib_dates_iso("2026-03-01", &a) && calib_dates_iso("2026-02-28", &b) &&
	           a.days - b.days == 1,
	   "28 February to 1 March 2026 is one day");
	ok(calib_dates_iso("2025-12-29", &a) && a.month == 12 && a.day == 29 &&
	           calib_dates_iso("2026-W02", &b) && b.month == 0 && b.day == 2 &&
	           b.days - a.days == 7,
	   "weeks are 7 days apart");
	ok(!calib_dates_iso("23.11.2026", NULL), "calib_dates_iso: ISO only");
}

static void
test_sets(void)
{
	const char *dmy[] = {"01/02/2026", "23/02/2026", "Mar 1, 2026"};
	const char *mdy[] = {"01/02/2026", "02/23/2026"};
	const char *amb[] = {"01/02/2026", "03/04/2026"};
	const char *clash[] = {"23/02/2026", "02/23/2026", "01/02/2026"};
	const char *mixed[] = {"2026-01-05", "week 2", "01/02/2026"};
	struct calib_date d[3];
	struct calib_error e;
	char b[CALIB_DATE_NAME];
	size_t bad;

	ok(calib_dates_read(dmy, 3, NULL, d, &bad, &e) == CALIB_OK && bad == SIZE_MAX,
	   "a day over 12 settles dd/mm for the set");
	is_string(calib_dates_name(&d[0], b, sizeof b), "2026-02-01", "01/02/2026 as dd/mm");
	ok(calib_dates_read(mdy, 2, NULL, d, &bad, &e) == CALIB_OK && bad == SIZE_MAX,
	   "a second field over 12 settles mm/dd");
	is_string(calib_dates_name(&d[0], b, sizeof b), "2026-01-02", "01/02/2026 as mm/dd");
	ok(calib_dates_read(amb, 2, NULL, d, &bad, &e) == CALIB_EINPUT,
	   "nothing settles it: an error");
	is_string(e.msg,
	          "session dates such as '01/02/2026' can be dd/mm/yyyy or mm/dd/yyyy: give "
	          "--date-format FMT (%d/%m/%Y or %m/%d/%Y)",
	          "the error names --date-format");
	ok(calib_dates_read(clash, 3, NULL, d, &bad, &e) == CALIB_EINPUT,
	   "dd/mm and mm/dd in one set: an error");
	is_string(e.msg,
	          "session dates '23/02/2026' (dd/mm/yyyy) and '02/23/2026' (mm/dd/yyyy) "
	          "disagree: give --date-format FMT",
	          "the error names both");
	ok(calib_dates_read(mixed, 3, NULL, d, &bad, &e) == CALIB_OK && bad == 1,
	   "a label that is no date: its index, before any doubt about slashes");
	ok(calib_dates_read(amb, 2, "%m/%d/%Y", d, &bad, &e) == CALIB_OK && bad == SIZE_MAX,
	   "a format removes the doubt");
	is_string(calib_dates_name(&d[1], b, sizeof b), "2026-03-04", "read with the format");
	ok(calib_dates_read(mdy, 2, "%d/%m/%Y", d, &bad, &e) == CALIB_OK && bad == 1,
	   "with a format, a label it cannot read is no date");
	ok(calib_dates_read(NULL, 0, NULL, d, &bad, &e) == CALIB_OK && bad == SIZE_MAX,
	   "no labels: nothing to read");
}

static void
test_formats(void)
{
	struct calib_error e;
	char b[CALIB_DATE_NAME];

	ok(calib_dates_check_format("%d/%m/%Y", &e) == CALIB_OK, "%%d/%%m/%%Y checks");
	ok(calib_dates_check_format("%G-W%V", &e) == CALIB_OK, "%%G-W%%V checks");
	ok(calib_dates_check_format("%B %d %Y", &e) == CALIB_OK, "%%B %%d %%Y checks");
	ok(calib_dates_check_format("%d/%m", &e) == CALIB_EARG, "no year: refused");
	is_string(e.msg, "'%d/%m' needs %Y, %m (or %b) and %d once each, or %G and %V",
	          "what a format needs");
	ok(calib_dates_check_format("%d/%m/%y", &e) == CALIB_EARG, "%%y refused");
	is_string(e.msg, "'%d/%m/%y': %y is none of %Y %m %d %b %B %G %V %%",
	          "the unknown directive named");
	ok(calib_dates_check_format("%Y-%m-%d-%d", &e) == CALIB_EARG, "a day twice refused");
	ok(calib_dates_check_format("%Y%", NULL) == CALIB_EARG, "a lone %% refused");
	is_string(one("23 11 2026", "%d %m %Y", b), "2026-11-23", "spaces in the format");
	is_string(one("23  11 2026", "%d %m %Y", b), "2026-11-23", "a space matches several");
	is_string(one("2026-11-23", "%d.%m.%Y", b), "2026-11-23", "ISO is still read");
	is_string(one("2026 48", "%G %V", b), "2026-W48", "a week format");
	is_string(one("100% 23/11/2026", "100%% %d/%m/%Y", b), "2026-11-23", "%%%% is %%");
	is_string(one("23/11/2026", "%d.%m.%Y", b), "-", "other separators do not match");
	is_string(one("30 nov 2026", "%d %b %Y", b), "2026-11-30", "%%b in any case");
}

/* One rating of q in the store: session, call, rater, value. */
static void
rate(struct calib_store *s, const char *session, const char *call, const char *rater, double v)
{
	uint32_t e, q;
	bool created;
	uint16_t code;

	calib_store_criterion(s, "q", 1, &q);
	calib_store_eval(s, session, strlen(session), call, strlen(call), rater, strlen(rater),
	                 0, (uint32_t)(s->n_evals + 2), &e, &created);
	calib_store_value_code(s, q, v, &code, NULL);
	calib_store_put(s, e, q, code, NULL);
}

/* ann's rating of C1 on 2026-11-23 in two spellings, values 1 and 2. */
static struct calib_store *
twice(void)
{
	struct calib_store *s = calib_store_alloc();
	uint32_t file;

	calib_store_add_file(s, "b.csv", &file);
	rate(s, "2026-11-23", "C1", "ann", 1);
	rate(s, "23.11.2026", "C1", "ann", 2);
	calib_store_finish(s);
	return s;
}

static void
test_merge(void)
{
	struct calib_store *s = calib_store_alloc();
	const char *names[] = {"2026-11-16", "2026-11-23"};
	uint32_t to[] = {1, 1, 0, 0}; /* 2026-11-23, 23.11.2026, 16.11.2026; two to one */
	struct calib_error e;
	uint32_t file;

	calib_store_add_file(s, "a.csv", &file);
	rate(s, "2026-11-23", "C1", "ann", 1);
	rate(s, "23.11.2026", "C1", "bob", 2);
	rate(s, "16.11.2026", "C1", "ann", 3);
	rate(s, "23.11.2026", "C2", "ann", 1);
	calib_store_finish(s);
	ok(calib_store_merge_sessions(s, names, 2, to, 0, &e) == CALIB_OK, "merge: ok");
	is_long((long)calib_names_count(s->sessions), 2, "merge: two sessions left");
	is_string(calib_names_get(s->sessions, 0), "2026-11-16", "merge: ids in the new order");
	is_long((long)s->n_items, 3, "merge: C1 of both spellings is one item");
	is_long((long)s->n_evals, 4, "merge: evaluations kept");
	ok(s->finished && s->item_off[1] - s->item_off[0] == 2,
	   "merge: finished again, two raters of C1 on 2026-11-23");
	is_long((long)s->item_session[1], 0, "merge: 16.11.2026 is session 0");
	is_double(calib_store_code_value(&s->criteria[0], calib_code(&s->criteria[0], 2)), 3, 0,
	          "merge: codes follow their evaluations");
	calib_store_free(s);

	s = twice();
	ok(calib_store_merge_sessions(s, names + 1, 1, to + 2, 0, &e) == CALIB_EINPUT,
	   "merge: one rating twice is a duplicate");
	is_string(e.msg,
	          "duplicate rating of q for call C1 by rater ann in session 2026-11-23 (first "
	          "at b.csv:2)",
	          "merge: the duplicate named with both places");
	is_long((long)e.line, 3, "merge: located at the second");
	calib_store_free(s);

	s = twice();
	ok(calib_store_merge_sessions(s, names + 1, 1, to + 2, 2, &e) == CALIB_OK &&
	           s->n_evals == 1 &&
	           calib_store_code_value(&s->criteria[0], calib_code(&s->criteria[0], 0)) == 2,
	   "merge: --duplicates last keeps the last");
	calib_store_free(s);

	s = twice();
	ok(calib_store_merge_sessions(s, names + 1, 1, to + 2, 1, &e) == CALIB_OK &&
	           calib_store_code_value(&s->criteria[0], calib_code(&s->criteria[0], 0)) == 1,
	   "merge: --duplicates first keeps the first");
	calib_store_free(s);
}

int
main(void)
{
	test_forms();
	test_days();
	test_sets();
	test_formats();
	test_merge();
	return tap_done();
}
