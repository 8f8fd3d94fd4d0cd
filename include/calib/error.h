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

/*
 * Errors collected over a run, in the order found, so that one run shows
 * every located problem of its inputs. The caller owns the list (usually
 * on the stack, zeroed, with max set) and frees its array with
 * calib_errors_clear.
 */
struct calib_errors {
	struct calib_error *v;
	size_t n, cap;
	size_t max; /* collect at most this many; the reader stops there */
};

/*
 * Append a copy of e. Returns CALIB_OK, or CALIB_ENOMEM (the list is
 * unchanged).
 */
enum calib_status calib_errors_add(struct calib_errors *l, const struct calib_error *e);

/* Is the list full (n >= max)? Cannot fail. */
int calib_errors_full(const struct calib_errors *l);

/* Free the array and empty the list (max is kept). Harmless on NULL. */
void calib_errors_clear(struct calib_errors *l);

/*
 * The UTF-8 character at s[0..len): its length (1 to 4) with its code
 * point in *cp, or 0 when the bytes are not valid UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF are invalid). len > 0. Cannot
 * fail.
 */
size_t calib_utf8_char(const char *s, size_t len, unsigned long *cp);

/* Flags of calib_escape. */
#define CALIB_ESCAPE_QUOTE 1u /* in double quotes, with " and \ escaped by a backslash */
#define CALIB_ESCAPE_ASCII 2u /* every byte from 0x80 escaped, valid UTF-8 too */
#define CALIB_ESCAPE_SHORT 4u /* at most 40 bytes of s, then "..." */

/*
 * s[0..len) made safe to print to a terminal, for messages and tables:
 * every control byte (below 0x20 and 0x7f), every C1 control (U+0080 to
 * U+009F, which some terminals obey) and every byte of invalid UTF-8 is
 * written as \xNN, so no name can move the cursor, change colours or the
 * window title. Written into buf of size n like snprintf, but never cut
 * inside an escape or a character (with QUOTE the closing quote is kept).
 * Returns the length of the whole escaped text; without QUOTE it equals
 * len exactly when nothing needed escaping. buf may be NULL when n is 0.
 * Cannot fail.
 */
size_t calib_escape(char *buf, size_t n, const char *s, size_t len, unsigned flags);

/*
 * The string s escaped as calib_escape does without flags, for printing a
 * name whole: s itself when nothing needs escaping, else a copy stored in
 * *tmp, which the caller frees (NULL otherwise). NULL when out of memory.
 */
const char *calib_escaped(const char *s, char **tmp);

#endif
