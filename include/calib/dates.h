/*
 * dates.h - session labels read as dates, in the forms users write them:
 * ISO 8601 dates (2026-11-23) and week labels (2026-W48), dd.mm.yyyy,
 * dd/mm/yyyy or mm/dd/yyyy (which of the two, the whole set of labels
 * decides), "Nov 30, 2026" and "30 Nov 2026" (English month names,
 * abbreviated or full, any case), or one strptime-like format the user
 * gives. A date has one canonical name (ISO, or the ISO week label), so
 * that the same date written two ways is one session.
 *
 * Ownership: nothing here allocates; every array is the caller's.
 */
#ifndef CALIB_DATES_H
#define CALIB_DATES_H

#include <stdbool.h>
#include <stddef.h>

#include "calib/error.h"

/* Room for a canonical name ("-12345-11-23" at worst) with its NUL. */
#define CALIB_DATE_NAME 16

/* A date, or an ISO week. */
struct calib_date {
	long days; /* days since 0000-03-01 of the date, or of the week's Monday */
	int year;  /* the year; for a week its ISO week-numbering year */
	int month; /* 1 to 12; 0 for a week */
	int day;   /* 1 to 31; for a week its number, 1 to 53 */
};

/*
 * Is text exactly an ISO date YYYY-MM-DD (a real day: leap years counted)
 * or an ISO week label YYYY-Www (a week the year has)? *out, when not
 * NULL, receives it. Cannot fail.
 */
bool calib_dates_iso(const char *text, struct calib_date *out);

/*
 * Is fmt a format calib_dates_parse_format() can read: %Y (four-digit
 * year), %m (month, one or two digits), %d (day, one or two digits), %b
 * or %B (English month name, abbreviated or full, any case), %G and %V
 * (ISO week year and week), %% (a percent sign), a space (one or more
 * spaces), anything else itself; with a year, a month and a day, or with
 * %G and %V, each once? CALIB_OK, or CALIB_EARG with the reason in err
 * (which may be NULL).
 */
enum calib_status calib_dates_check_format(const char *fmt, struct calib_error *err);

/*
 * Read text, the whole of it, with the checked format fmt. *out (not
 * NULL) receives the date. False when text does not match or is no real
 * date. Cannot fail.
 */
bool calib_dates_parse_format(const char *text, const char *fmt, struct calib_date *out);

/*
 * The canonical name of d: "2026-11-23", or "2026-W48" for a week,
 * written into buf of n bytes (CALIB_DATE_NAME is enough). Returns buf.
 */
const char *calib_dates_name(const struct calib_date *d, char *buf, size_t n);

/*
 * Read a set of labels as dates. With fmt (checked; NULL: recognise the
 * usual forms) each label is read with fmt, or as an ISO date or week.
 * Without, dd/mm/yyyy against mm/dd/yyyy is decided for the whole set: a
 * first field over 12 means dd/mm, a second one mm/dd.
 * CALIB_OK with *not_date = SIZE_MAX: every label is a date, out[i] the
 * date of label[i]. CALIB_OK with *not_date = i: label i is the first
 * that is no date (out is then unspecified). CALIB_EINPUT (message in
 * err, naming --date-format FMT): every label is a date but the slash
 * dates read both ways with different results, or some can only be
 * dd/mm and others only mm/dd.
 */
enum calib_status calib_dates_read(const char *const *label, size_t n, const char *fmt,
                                   struct calib_date *out, size_t *not_date,
                                   struct calib_error *err);

#endif
