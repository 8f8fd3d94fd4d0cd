/*
 * dates.c - session labels read as dates (dates.h). Days count from
 * 0000-03-01 in the proleptic Gregorian calendar, so that a leap day ends
 * its counting year; ISO weeks start on Monday and week 1 holds 4 January
 * (ISO 8601-1:2019, 5.2.4).
 */
#include "calib/dates.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const month_names[12] = {"january",   "february", "march",    "april",
                                            "may",       "june",     "july",     "august",
                                            "september", "october",  "november", "december"};

static bool
leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 0000-03-01 of a valid date. */
static long
civil_days(long y, long m, long d)
{
	long yy = m <= 2 ? y - 1 : y, mm = m <= 2 ? m + 9 : m - 3;
	return 365 * yy + yy / 4 - yy / 100 + yy / 400 + (153 * mm + 2) / 5 + d - 1;
}

/* Is (y, m, d) a real day? Fill *out when it is and out is not NULL. */
static bool
make_date(long y, long m, long d, struct calib_date *out)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap(y)))
		return false;
	if (out) {
		out->days = civil_days(y, m, d);
		out->year = (int)y;
		out->month = (int)m;
		out->day = (int)d;
	}
	return true;
}

/* Day of the week of days, Monday 0 (2000-01-03 was a Monday). */
static long
weekday(long days)
{
	return ((days - civil_days(2000, 1, 3)) % 7 + 7) % 7;
}

/* The Monday of ISO week 1 of year y: the week that holds 4 January. */
static long
week_one(long y)
{
	long j4 = civil_days(y, 1, 4);
	return j4 - weekday(j4);
}

/* Is week w of ISO year y one the year has (52 or 53 of them)? */
static bool
make_week(long y, long w, struct calib_date *out)
{
	if (w < 1 || w > (week_one(y + 1) - week_one(y)) / 7)
		return false;
	out->days = week_one(y) + 7 * (w - 1);
	out->year = (int)y;
	out->month = 0;
	out->day = (int)w;
	return true;
}

/* Read min to max decimal digits at *p into *v, advancing *p. */
static bool
digits(const char **p, int min, int max, long *v)
{
	int n = 0;

	*v = 0;
	while (n < max && isdigit((unsigned char)(*p)[n])) {
		*v = *v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n < min)
		return false;
	*p += n;
	return true;
}

/* An English month name at *p, full or its first three letters, any case. */
static bool
month_name(const char **p, long *m)
{
	size_t n = 0;

	while (isalpha((unsigned char)(*p)[n]))
		n++;
	for (int k = 0; k < 12; k++) {
		size_t full = strlen(month_names[k]);
		if ((n == full || n == 3) && strncasecmp(*p, month_names[k], n) == 0) {
			*m = k + 1;
			*p += n;
			return true;
		}
	}
	return false;
}

/* One or more spaces at *p. */
static bool
spaces(const char **p)
{
	if (**p != ' ')
		return false;
	while (**p == ' ')
		(*p)++;
	return true;
}

bool
calib_dates_iso(const char *t, struct calib_date *out)
{
	struct calib_date tmp;
	long y, m, d;

	if (!out)
		out = &tmp;
	if (!digits(&t, 4, 4, &y) || *t++ != '-')
		return false;
	if (*t == 'W')
		return t++, digits(&t, 2, 2, &m) && *t == '\0' && make_week(y, m, out);
	return digits(&t, 2, 2, &m) && *t++ == '-' && digits(&t, 2, 2, &d) && *t == '\0' &&
	       make_date(y, m, d, out);
}

/* "Nov 30, 2026", "November 30 2026", "30 Nov 2026", "30 Nov. 2026". */
static bool
named(const char *t, struct calib_date *out)
{
	long y, m, d;
	bool month_first = isalpha((unsigned char)*t);

	if (month_first) {
		if (!month_name(&t, &m))
			return false;
		t += *t == '.';
		if (!spaces(&t) || !digits(&t, 1, 2, &d))
			return false;
	} else {
		if (!digits(&t, 1, 2, &d) || !spaces(&t) || !month_name(&t, &m))
			return false;
		t += *t == '.';
	}
	if (*t == ',') {
		t++;
		while (*t == ' ')
			t++;
	} else if (!spaces(&t))
		return false;
	return digits(&t, 4, 4, &y) && *t == '\0' && make_date(y, m, d, out);
}

/* What one label is without a format: a date, a slash date a/b/y, or neither. */
enum reading { NOT_DATE, DATE, SLASH };

static enum reading
read_label(const char *t, struct calib_date *out, long *a, long *b, long *y)
{
	const char *p = t;

	if (calib_dates_iso(t, out))
		return DATE;
	if (digits(&p, 1, 2, a) && (*p == '.' || *p == '/')) {
		char sep = *p++;
		if (!digits(&p, 1, 2, b) || *p++ != sep || !digits(&p, 4, 4, y) || *p != '\0')
			return NOT_DATE;
		if (sep == '/')
			return SLASH;
		return make_date(*y, *b, *a, out) ? DATE : NOT_DATE;
	}
	return named(t, out) ? DATE : NOT_DATE;
}

enum calib_status
calib_dates_check_format(const char *fmt, struct calib_error *err)
{
	int year = 0, month = 0, day = 0, wyear = 0, week = 0;

	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		switch (*++p) {
		case 'Y':
			year++;
			break;
		case 'm':
		case 'b':
		case 'B':
			month++;
			break;
		case 'd':
			day++;
			break;
		case 'G':
			wyear++;
			break;
		case 'V':
			week++;
			break;
		case '%':
			break;
		default:
			return calib_error_set(
			        err, CALIB_EARG, NULL, 0, 0,
			        "'%s': %%%.1s is none of %%Y %%m %%d %%b %%B %%G "
			        "%%V %%%%",
			        fmt, *p ? p : "");
		}
	}
	if (year == 1 && month == 1 && day == 1 && wyear + week == 0)
		return CALIB_OK;
	if (wyear == 1 && week == 1 && year + month + day == 0)
		return CALIB_OK;
	return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
	                       "'%s' needs %%Y, %%m (or %%b) and %%d once each, or %%G and %%V",
	                       fmt);
}

bool
calib_dates_parse_format(const char *t, const char *fmt, struct calib_date *out)
{
	long y = 0, m = 0, d = 0, w = 0;
	bool weeks = false;

	for (const char *f = fmt; *f; f++) {
		if (*f == ' ') {
			if (!spaces(&t))
				return false;
			while (f[1] == ' ')
				f++;
			continue;
		}
		if (*f != '%' || f[1] == '%') {
			f += *f == '%';
			if (*t++ != *f)
				return false;
			continue;
		}
		switch (*++f) {
		case 'Y':
			if (!digits(&t, 4, 4, &y))
				return false;
			break;
		case 'G':
			weeks = true;
			if (!digits(&t, 4, 4, &y))
				return false;
			break;
		case 'm':
			if (!digits(&t, 1, 2, &m))
				return false;
			break;
		case 'b':
		case 'B':
			if (!month_name(&t, &m))
				return false;
			break;
		case 'd':
			if (!digits(&t, 1, 2, &d))
				return false;
			break;
		case 'V':
			if (!digits(&t, 1, 2, &w))
				return false;
			break;
		default:
			return false;
		}
	}
	if (*t != '\0')
		return false;
	return weeks ? make_week(y, w, out) : make_date(y, m, d, out);
}

const char *
calib_dates_name(const struct calib_date *d, char *buf, size_t n)
{
	if (d->month == 0)
		snprintf(buf, n, "%04d-W%02d", d->year, d->day);
	else
		snprintf(buf, n, "%04d-%02d-%02d", d->year, d->month, d->day);
	return buf;
}

enum calib_status
calib_dates_read(const char *const *label, size_t n, const char *fmt, struct calib_date *out,
                 size_t *not_date, struct calib_error *err)
{
	/* slash dates: can every one be dd/mm? mm/dd? an example of each kind */
	bool dmy = true, mdy = true, any = false;
	size_t only_dmy = SIZE_MAX, only_mdy = SIZE_MAX, both = SIZE_MAX;

	*not_date = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		long a, b, y;
		bool as_dmy, as_mdy;
		if (fmt) {
			if (!calib_dates_parse_format(label[i], fmt, &out[i]) &&
			    !calib_dates_iso(label[i], &out[i]))
				return *not_date = i, CALIB_OK;
			continue;
		}
		switch (read_label(label[i], &out[i], &a, &b, &y)) {
		case NOT_DATE:
			return *not_date = i, CALIB_OK;
		case DATE:
			continue;
		case SLASH:
			break;
		}
		as_dmy = make_date(y, b, a, NULL);
		as_mdy = make_date(y, a, b, NULL);
		if (!as_dmy && !as_mdy)
			return *not_date = i, CALIB_OK;
		/* kept for the second pass: a week has month 0, a slash date days LONG_MIN */
		out[i].days = LONG_MIN;
		out[i].year = (int)y;
		out[i].month = (int)a;
		out[i].day = (int)b;
		any = true;
		dmy = dmy && as_dmy;
		mdy = mdy && as_mdy;
		if (!as_mdy && only_dmy == SIZE_MAX)
			only_dmy = i;
		if (!as_dmy && only_mdy == SIZE_MAX)
			only_mdy = i;
		if (as_dmy && as_mdy && a != b && both == SIZE_MAX)
			both = i;
	}
	if (!any)
		return CALIB_OK;
	if (!dmy && !mdy)
		return calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
		                       "session dates '%.60s' (dd/mm/yyyy) and '%.60s' "
		                       "(mm/dd/yyyy) disagree: give --date-format FMT",
		                       label[only_dmy], label[only_mdy]);
	if (dmy && mdy && both != SIZE_MAX)
		return calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
		                       "session dates such as '%.60s' can be dd/mm/yyyy or "
		                       "mm/dd/yyyy: give --date-format FMT (%%d/%%m/%%Y or "
		                       "%%m/%%d/%%Y)",
		                       label[both]);
	for (size_t i = 0; i < n; i++) {
		long a = out[i].month, b = out[i].day;
		if (out[i].days == LONG_MIN)
			make_date(out[i].year, dmy ? b : a, dmy ? a : b, &out[i]);
	}
	return CALIB_OK;
}
