/*
 * tap.h - a tiny Test Anything Protocol emitter for the unit tests.
 * Header-only; each test program includes it once and ends with
 * `return tap_done();`.
 */
#ifndef CALIB_TAP_H
#define CALIB_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n_, tap_failed_;

static void
tap_vresult_(int pass, const char *fmt, va_list ap)
{
	tap_n_++;
	if (!pass)
		tap_failed_++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n_);
	vprintf(fmt, ap);
	putchar('\n');
}

/* Pass when cond holds. Returns cond. */
static int __attribute__((format(printf, 2, 3), unused))
ok(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_vresult_(cond, fmt, ap);
	va_end(ap);
	return cond;
}

/*
 * Pass when got is within max(rel*|want|, 1e-12) of want; NAN equals NAN,
 * infinities must match exactly.
 */
static int __attribute__((format(printf, 4, 5), unused))
is_double(double got, double want, double rel, const char *fmt, ...)
{
	int pass;
	va_list ap;
	if (isnan(want))
		pass = isnan(got);
	else if (isinf(want))
		pass = got == want;
	else
		pass = fabs(got - want) <= fmax(rel * fabs(want), 1e-12);
	va_start(ap, fmt);
	tap_vresult_(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got %.17g\n#  want %.17g\n", got, want);
	return pass;
}

static int __attribute__((format(printf, 3, 4), unused))
is_long(long got, long want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tap_vresult_(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#   got %ld\n#  want %ld\n", got, want);
	return got == want;
}

static int __attribute__((format(printf, 3, 4), unused))
is_string(const char *got, const char *want, const char *fmt, ...)
{
	int pass = got && want ? strcmp(got, want) == 0 : got == want;
	va_list ap;
	va_start(ap, fmt);
	tap_vresult_(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got '%s'\n#  want '%s'\n", got ? got : "(null)",
		       want ? want : "(null)");
	return pass;
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_n_);
	return tap_failed_ ? 1 : 0;
}

#endif
