/*
 * test_html.c - calib_html_escape and calib_html_put (html.h): hostile
 * names from the sheets become text on the page; and calib_cksum
 * (checksum.h) against cksum(1)'s known values.
 */
#include <stdlib.h>
#include <string.h>

#include "calib/checksum.h"
#include "calib/html.h"
#include "tap.h"

static void
esc(const char *s, const char *want, const char *what)
{
	char buf[512];
	size_t n = calib_html_escape(buf, sizeof buf, s);
	is_string(buf, want, "%s", what);
	is_long((long)n, (long)strlen(want), "%s: length", what);
}

int
main(void)
{
	char small[8], *text = NULL;
	size_t len = 0;
	FILE *fp;

	(void)is_double;
	esc("ann", "ann", "plain text stays");
	esc("caf\xc3\xa9", "caf\xc3\xa9", "valid UTF-8 stays");
	esc("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;",
	    "a script tag is text");
	esc("\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
	    "an attribute cannot be closed");
	esc("tone & care", "tone &amp; care", "an ampersand");
	esc("bob's \"pick\"", "bob&#39;s &quot;pick&quot;", "both quotes");
	esc("a\001b\033[31m\x7f", "a\\x01b\\x1b[31m\\x7f", "control bytes as \\xNN");
	esc("bad \xff\xfe", "bad \\xff\\xfe", "invalid UTF-8 as \\xNN");
	esc("&amp;", "&amp;amp;", "a reference is escaped again");
	esc("", "", "empty");
	is_long((long)calib_html_escape(NULL, 0, "<&>"), 13, "length without a buffer");
	/* a short buffer never ends inside a reference */
	is_long((long)calib_html_escape(small, 5, "ab<cd"), 8, "cut: whole length");
	is_string(small, "ab", "cut: the reference left out whole");
	calib_html_escape(small, sizeof small, "abc&");
	is_string(small, "abc", "cut: not half an &amp;");
	/* a long name goes through the heap */
	{
		char *big = malloc(3001), *want = malloc(12001);
		memset(big, '<', 3000);
		big[3000] = '\0';
		for (size_t i = 0; i < 3000; i++)
			memcpy(want + 4 * i, "&lt;", 4);
		want[12000] = '\0';
		fp = open_memstream(&text, &len);
		calib_html_put(fp, big);
		fclose(fp);
		ok(text && strcmp(text, want) == 0, "calib_html_put: a 3000-byte name whole");
		free(text);
		free(big);
		free(want);
	}
	fp = open_memstream(&text, &len);
	calib_html_put(fp, "<b>x</b>");
	fclose(fp);
	is_string(text, "&lt;b&gt;x&lt;/b&gt;", "calib_html_put writes the escaped text");
	free(text);
	/* cksum(1): printf '' | cksum -> 4294967295 0; printf 'abc\n' | cksum -> 1112837078 4
	 */
	is_long((long)calib_cksum("", 0), 4294967295L, "cksum of nothing");
	is_long((long)calib_cksum("abc\n", 4), 1112837078L, "cksum of abc\\n");
	return tap_done();
}
