/*
 * error.c - filling and formatting the error record of error.h.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/error.h"

void
calib_error_clear(struct calib_error *e)
{
	if (!e)
		return;
	e->status = CALIB_OK;
	e->file[0] = '\0';
	e->line = 0;
	e->column = 0;
	e->msg[0] = '\0';
}

enum calib_status
calib_error_set(struct calib_error *e, enum calib_status status, const char *file,
		unsigned long line, unsigned long column, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return status;
	e->status = status;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->column = column;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return status;
}

void
calib_error_format(const struct calib_error *e, char *buf, size_t n)
{
	if (n == 0)
		return;
	if (e->file[0] && e->line && e->column)
		snprintf(buf, n, "%s:%lu:%lu: %s", e->file, e->line, e->column, e->msg);
	else if (e->file[0] && e->line)
		snprintf(buf, n, "%s:%lu: %s", e->file, e->line, e->msg);
	else if (e->file[0])
		snprintf(buf, n, "%s: %s", e->file, e->msg);
	else
		snprintf(buf, n, "%s", e->msg);
}

size_t
calib_utf8_char(const char *str, size_t len, unsigned long *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07u;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if (i >= len)
			return 0;
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3fu);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

size_t
calib_escape(char *buf, size_t n, const char *s, size_t len, unsigned flags)
{
	const unsigned char *u = (const unsigned char *)s;
	bool quote = flags & CALIB_ESCAPE_QUOTE;
	size_t i = 0, o = 0, total = 0;
	bool full = n == 0;

	/* a quoted text keeps room for an escape, "..." and its closing quote */
	if (quote) {
		if (n < 16)
			full = true;
		else
			buf[o++] = '"';
		total++;
	}
	while (i < len) {
		char piece[8];
		size_t k, m;
		unsigned long cp = 0;
		if ((flags & CALIB_ESCAPE_SHORT) && i >= 40) {
			memcpy(piece, "...", 3);
			m = 3;
			k = len - i;
		} else if ((k = calib_utf8_char(s + i, len - i, &cp)) == 0 || cp < 0x20 || cp == 0x7f ||
		           (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x80 && (flags & CALIB_ESCAPE_ASCII))) {
			/* the bytes one by one: an invalid byte, or a character to hide */
			snprintf(piece, sizeof piece, "\\x%02x", u[i]);
			m = 4;
			k = 1;
		} else if (quote && (u[i] == '"' || u[i] == '\\')) {
			piece[0] = '\\';
			piece[1] = (char)u[i];
			m = 2;
		} else {
			memcpy(piece, u + i, k);
			m = k;
		}
		if (!full && (quote ? o + 8 >= n : o + m + 1 > n))
			full = true;
		if (!full) {
			memcpy(buf + o, piece, m);
			o += m;
		}
		total += m;
		i += k;
	}
	if (quote) {
		total++;
		if (n >= 16)
			buf[o++] = '"';
	}
	if (n)
		buf[o < n ? o : n - 1] = '\0';
	return total;
}

const char *
calib_escaped(const char *s, char **tmp)
{
	size_t len = strlen(s), n = calib_escape(NULL, 0, s, len, 0);

	*tmp = NULL;
	if (n == len)
		return s;
	if (!(*tmp = malloc(n + 1)))
		return NULL;
	calib_escape(*tmp, n + 1, s, len, 0);
	return *tmp;
}

enum calib_status
calib_errors_add(struct calib_errors *l, const struct calib_error *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct calib_error *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return CALIB_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *e;
	return CALIB_OK;
}

int
calib_errors_full(const struct calib_errors *l)
{
	return l->n >= l->max;
}

void
calib_errors_clear(struct calib_errors *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
