/*
 * error.h - status codes and the error record every library call fills.
 *
 * Ownership: a struct calib_error is owned by the caller (usually on the
 * stack); library functions only write into it. Nothing here allocates.
 */
#ifndef CALIB_ERROR_H
#define CALIB_ERROR_H

#include <stddef.h>

enum calib_status {
	CALIB_OK = 0,   /* success */
	CALIB_ENOMEM,   /* out of memory */
	CALIB_EIO,      /* a read or write failed (errno-based message) */
	CALIB_EINPUT,   /* the input data is malformed; location in the record */
	CALIB_ELIMIT,   /* a configured size limit was exceeded */
	CALIB_EARG      /* a caller passed an invalid argument or option value */
};

/*
 * Where and what went wrong. `file` is the name shown to the user ("-" or
 * "<stdin>" for standard input); line and column count from 1, 0 = unknown.
 */
struct calib_error {
	enum calib_status status;
	char file[512];
	unsigned long line;
	unsigned long column;
	char msg[512];
};

/* Clear an error record. Cannot fail. */
void calib_error_clear(struct calib_error *e);

/*
 * Fill `e` (may be NULL: then only the status is returned) with a location
 * and a printf-style message; returns `status` so callers can write
 * `return calib_error_set(e, CALIB_EINPUT, file, line, col, "...")`.
 * file may be NULL (no location). Messages are lower case, no final period.
 */
enum calib_status calib_error_set(struct calib_error *e, enum calib_status status,
				  const char *file, unsigned long line,
				  unsigned long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Format the record as "file:line:column: msg" (parts that are unknown are
 * left out) into buf of size n. Cannot fail; truncates.
 */
void calib_error_format(const struct calib_error *e, char *buf, size_t n);

#endif
