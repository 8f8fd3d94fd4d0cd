/*
 * error.c - filling and formatting the error record of error.h.
 */
#include <stdarg.h>
#include <stdio.h>
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
