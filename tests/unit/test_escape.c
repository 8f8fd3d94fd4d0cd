/*
 * test_escape.c - calib_escape (error.h): names made safe for a terminal,
 * the one escaping used by messages, tables and calib-sheet --check.
 */
#include <stdlib.h>
#include <string.h>

#include "calib/error.h"
#include "tap.h"

static void
plain(const char *s, const char *want, const char *what)
{
	char buf[256];
	size_t n = calib_escape(buf, sizeof buf, s, strlen(s), 0);

	is_string(buf, want, "%s", what);
	is_long((long)n, (long)strlen(want), "%s: length", what);
}

int
main(void)
{
	char buf[256], small[8];
	size_t n;

	(void)is_double; /* tap.h's, no number here */
	plain("ann", "ann", "plain text stays");
	plain("caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac", "valid UTF-8 stays");
	plain("\033[31mred\033]0;title\007", "\\x1b[31mred\\x1b]0;title\\x07",
	      "ESC, OSC and BEL escaped");
	plain("a\nb\tc\rd\x7f", "a\\x0ab\\x09c\\x0dd\\x7f", "newline, tab, CR, DEL escaped");
	plain("x\xc2\x9b" "1m", "x\\xc2\\x9b1m", "C1 control (CSI) escaped");
	plain("bad\xff\xc3", "bad\\xff\\xc3", "invalid UTF-8 escaped");
	plain("\xed\xa0\x80", "\\xed\\xa0\\x80", "surrogate escaped");
	plain("back\\slash \"q\"", "back\\slash \"q\"", "backslash and quote stay unquoted");
	ok(calib_escape(NULL, 0, "ann", 3, 0) == 3, "nothing to escape: length equal");
	ok(calib_escape(NULL, 0, "a\033", 2, 0) > 2, "something to escape: longer");

	/* quoted, ASCII and short: what error messages show */
	calib_escape(buf, sizeof buf, "it's \"x\"\\\xc3\xa9", 11,
	             CALIB_ESCAPE_QUOTE | CALIB_ESCAPE_ASCII | CALIB_ESCAPE_SHORT);
	is_string(buf, "\"it's \\\"x\\\"\\\\\\xc3\\xa9\"", "quoted message form");
	calib_escape(buf, sizeof buf, "0123456789012345678901234567890123456789012345", 46,
	             CALIB_ESCAPE_QUOTE | CALIB_ESCAPE_SHORT);
	is_string(buf, "\"0123456789012345678901234567890123456789...\"", "short: 40 bytes");

	/* a small buffer: cut between escapes, always terminated */
	n = calib_escape(small, sizeof small, "ab\033cd", 5, 0);
	is_string(small, "ab\\x1bc", "cut at the buffer's end");
	is_long((long)n, 8, "full length told");
	n = calib_escape(small, 5, "ab\033cd", 5, 0);
	is_string(small, "ab", "an escape is never cut");
	calib_escape(small, sizeof small, "x", 1, CALIB_ESCAPE_QUOTE);
	is_string(small, "", "quoted needs 16 bytes");
	return tap_done();
}
