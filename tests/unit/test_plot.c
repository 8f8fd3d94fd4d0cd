/*
 * test_plot.c - unit tests of the gnuplot script builder: quoting of
 * hostile strings, label shortening, datablocks, terminal and size
 * parsing, and running gnuplot (missing, failing, succeeding, with the
 * output renamed into place only on success).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calib/plot.h"
#include "tap.h"

/* The script body of p as written by calib_plot_write_script, in a new string. */
static char *
script_of(const struct calib_plot *p, const char *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct calib_error e;

	if (!fp)
		return NULL;
	calib_plot_write_script(p, fp, out, &e);
	fclose(fp);
	return buf;
}

static void
test_quote(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	        {"plain", "'plain'"},
	        {"", "''"},
	        {"it's", "'it''s'"},
	        /* gnuplot 5.4 lexes '''x' as '' and 'x', and 'a''''b' fails: runs apart */
	        {"''", "\"\\047\\047\""},
	        {"'", "\"\\047\""},
	        {"'x", "\"\\047\".'x'"},
	        {"'''x'y'", "\"\\047\\047\\047\".'x''y'''"},
	        {"a''b", "'a'.\"\\047\\047\".'b'"},
	        {" 'x", "' ''x'"},
	        /* C1 controls (U+009B is CSI) go like C0 ones; U+00A0 stays */
	        {"a\xc2\x9b" "b\xc2\xa0", "'a b\xc2\xa0'"},
	        {"say \"hi\"", "'say \"hi\"'"},
	        {"`touch PWNED`", "'`touch PWNED`'"},
	        {"system(\"touch PWNED\")", "'system(\"touch PWNED\")'"},
	        {"@macro", "'@macro'"},
	        {"back\\slash\\", "'back\\slash\\'"},
	        {"two\nlines", "'two lines'"},
	        {"cr\r\ttab", "'cr  tab'"},
	        {"a;b", "'a;b'"},
	        {"x\x7fy\x01", "'x y '"},
	        {"\n!touch PWNED", "' !touch PWNED'"},
	        {"caf\xc3\xa9", "'caf\xc3\xa9'"},
	        {"bad\xff\xc3", "'bad?"
	                        "?'"},
	        {"'; system('touch PWNED'); '", "\"\\047\".'; system(''touch PWNED''); '''"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *q = calib_plot_quote(cases[i].in);
		is_string(q, cases[i].want, "quote case %zu", i);
		free(q);
	}
	{
		char *q = calib_plot_quote(NULL);
		is_string(q, "''", "quote NULL");
		free(q);
	}
}

static void
test_shorten(void)
{
	static const struct {
		const char *in;
		size_t width, lines;
		const char *want;
	} cases[] = {
	        {"summarised_concern", 0, 1, "summarised_concern"},
	        {"summarised_concern", 20, 2, "summarised concern"},
	        {"summarised_concern", 12, 2, "summarised\nconcern"},
	        {"a_very_long_criterion_name_indeed", 10, 2, "a very\nlong..."},
	        {"abcdefghijklmnop", 8, 2, "abcdefgh\nijklmnop"},
	        {"abcdefghijklmnopqrstuvwxyz", 8, 2, "abcdefgh\nijklm..."},
	        {"two\nlines", 0, 1, "two lines"},
	        {"  spaced  out  ", 20, 1, "spaced out"},
	        {"caf\xc3\xa9_caf\xc3\xa9", 4, 2, "caf\xc3\xa9\ncaf\xc3\xa9"},
	        {"", 10, 2, ""},
	        {"one two three four", 9, 1, "one tw..."},
	        {"one two three four", 9, 3, "one two\nthree\nfour"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = calib_plot_shorten(cases[i].in, cases[i].width, cases[i].lines);
		is_string(s, cases[i].want, "shorten case %zu", i);
		free(s);
	}
}

static void
test_script(void)
{
	struct calib_plot *p = calib_plot_alloc(CALIB_PLOT_PNG, 0, 0);
	const char *names[] = {"ok", "it's `x`\n!rm", "long_name_here"};
	double row[3] = {1, 0.5, 0};
	unsigned w, h;
	char *s;

	row[2] = NAN;
	ok(p != NULL, "alloc");
	calib_plot_size(p, &w, &h);
	is_double(w, 1280, 0, "default png width");
	is_double(h, 720, 0, "default png height");
	ok(calib_plot_terminal(p) == CALIB_PLOT_PNG, "terminal kept");
	is_long(calib_plot_array(p, "bad name", names, 3, 0, 1), CALIB_EARG,
	        "array name checked");
	is_long(calib_plot_array(p, "$x", names, 3, 0, 1), CALIB_EARG, "array name no $");
	is_long(calib_plot_data_begin(p, "a'b"), CALIB_EARG, "datablock name checked");
	is_long(calib_plot_array(p, "names", names, 3, 9, 2), CALIB_OK, "array");
	is_long(calib_plot_cmd(p, "set title ", "Session's \"x\"", "\n"), CALIB_OK, "cmd");
	is_long(calib_plot_data_begin(p, "d"), CALIB_OK, "data begin");
	is_long(calib_plot_data_row(p, row, 3), CALIB_OK, "data row");
	is_long(calib_plot_data_row(p, NULL, 0), CALIB_OK, "empty data row");
	is_long(calib_plot_data_end(p), CALIB_OK, "data end");
	s = script_of(p, "out dir/it's.png");
	is_string(s,
	          "set terminal pngcairo size 1280,720 noenhanced font 'Sans,14'\n"
	          "set output 'out dir/it''s.png'\n"
	          "array names[3]\n"
	          "names[1] = 'ok'\n"
	          "names[2] = 'it''s `x`'.\"\\n\".'!rm'\n"
	          "names[3] = 'long name'.\"\\n\".'here'\n"
	          "set title 'Session''s \"x\"'\n"
	          "$d << EOD\n"
	          "1 0.5 NaN\n"
	          "\n"
	          "EOD\n"
	          "unset output\n",
	          "script text");
	free(s);
	calib_plot_free(p);
	calib_plot_free(NULL);

	p = calib_plot_alloc(CALIB_PLOT_DUMB, 0, 0);
	calib_plot_size(p, &w, &h);
	ok(w == 100 && h == 30, "default dumb size");
	s = script_of(p, NULL);
	is_string(s, "set terminal dumb size 100,30 noenhanced\n", "dumb to stdout");
	free(s);
	calib_plot_fit(p, 90, 64);
	calib_plot_size(p, &w, &h);
	ok(w == 100 && h == 64, "fit grows the default size, never shrinks it");
	calib_plot_fit(p, 30000, 0);
	calib_plot_size(p, &w, &h);
	ok(w == 20000 && h == 64, "fit stops at 20000");
	calib_plot_free(p);
	p = calib_plot_alloc(CALIB_PLOT_PNG, 0, 0);
	{
		struct calib_plot_grid g = {.left = 90, .right = 10, .top = 100, .bottom = 50,
		                            .xgap = 100, .ygap = 100};
		calib_plot_grid_fit(p, &g, 25, 6, 200, 100);
		calib_plot_size(p, &w, &h);
		ok(g.rows == 5 && g.cols == 5, "25 panels: 5 x 5");
		ok(w == 1500 && h == 1050, "grid grows the page: %u x %u", w, h);
		ok(g.plot_w == 200 && g.plot_h == 100, "panels of the minimum size");
		is_long(calib_plot_grid_begin(p, &g, false), CALIB_OK, "grid begin");
		s = script_of(p, NULL);
		ok(strstr(s, "set multiplot layout 5,5 margins 0.0600,0.9933,0.0476,0.9048 "
		             "spacing 0.0667,0.0952\n") != NULL,
		   "multiplot margins as fractions");
		free(s);
		calib_plot_grid_fit(p, &g, 7, 3, 200, 100);
		ok(g.rows == 3 && g.cols == 3, "7 panels in at most 3 columns");
		ok(g.plot_w > 200, "a page never shrinks: wider panels");
	}
	calib_plot_free(p);
	p = calib_plot_alloc(CALIB_PLOT_PNG, 800, 0);
	calib_plot_fit(p, 2000, 2000);
	calib_plot_size(p, &w, &h);
	ok(w == 800 && h == 2000, "fit keeps a chosen width");
	calib_plot_free(p);
	p = calib_plot_alloc(CALIB_PLOT_PDF, 1280, 720);
	s = script_of(p, "-");
	is_string(s, "set terminal pdfcairo size 10.000in,5.625in noenhanced font 'Sans,10'\n",
	          "pdf size in inches");
	free(s);
	calib_plot_free(p);
}

static void
test_parse(void)
{
	enum calib_plot_terminal t = CALIB_PLOT_DUMB;
	unsigned w = 0, h = 0;

	ok(calib_plot_terminal_parse("SVG", &t) && t == CALIB_PLOT_SVG, "parse SVG");
	ok(!calib_plot_terminal_parse("jpeg", &t), "parse jpeg refused");
	ok(calib_plot_terminal_from_path("a/b.PNG", &t) && t == CALIB_PLOT_PNG, "path .PNG");
	ok(calib_plot_terminal_from_path("x.pdf", &t) && t == CALIB_PLOT_PDF, "path .pdf");
	ok(calib_plot_terminal_from_path("x.txt", &t) && t == CALIB_PLOT_DUMB, "path .txt");
	ok(!calib_plot_terminal_from_path("a.d/b", &t), "no extension");
	ok(!calib_plot_terminal_from_path("x.dumb", &t), ".dumb is no extension of ours");
	ok(!calib_plot_terminal_from_path("x.jpg", &t), "path .jpg");
	ok(calib_plot_terminal_binary(CALIB_PLOT_PNG) && calib_plot_terminal_binary(CALIB_PLOT_PDF),
	   "png and pdf are binary: never to a terminal");
	ok(!calib_plot_terminal_binary(CALIB_PLOT_DUMB) && !calib_plot_terminal_binary(CALIB_PLOT_SVG),
	   "dumb and svg are text");
	ok(calib_plot_size_parse("800x600", &w, &h) && w == 800 && h == 600, "size 800x600");
	ok(!calib_plot_size_parse("800", &w, &h), "size without x");
	ok(!calib_plot_size_parse("0x600", &w, &h), "size 0");
	ok(!calib_plot_size_parse("-8x600", &w, &h), "size negative");
	ok(!calib_plot_size_parse("800x600x2", &w, &h), "size with junk");
	ok(!calib_plot_size_parse("99999x10", &w, &h), "size too large");
	ok(!calib_plot_size_parse("x", &w, &h), "size empty");
	is_string(calib_plot_terminal_name(CALIB_PLOT_SVG), "svg", "terminal name");
	is_string(calib_plot_colour(0), "#E69F00", "first colour");
	is_string(calib_plot_colour(CALIB_PLOT_N_COLOURS), "#E69F00", "colours wrap");
}

static void
test_run(void)
{
	char dir[] = "/tmp/calib-plot-XXXXXX", path[256], pwned[256];
	struct calib_plot *p;
	struct calib_error e;
	unsigned char sig[8];
	FILE *fp;
	struct stat sb;
	double row[2] = {1, 2};

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/a.png", dir);
	snprintf(pwned, sizeof pwned, "%s/PWNED", dir);

	p = calib_plot_alloc(CALIB_PLOT_PNG, 320, 200);
	calib_plot_style(p);
	calib_plot_cmd(p, "set title ", "`touch PWNED` system(\"touch PWNED\") it's", "\n");
	calib_plot_data_begin(p, "d");
	calib_plot_data_row(p, row, 2);
	calib_plot_data_end(p);
	calib_plot_code(p, "plot $d using 1:2 with points\n");

	setenv("CALIB_GNUPLOT", "/nonexistent/gnuplot", 1);
	calib_error_clear(&e);
	is_long(calib_plot_run(p, path, &e), CALIB_EIO, "missing gnuplot");
	is_string(e.msg, "gnuplot not found: install the Debian package gnuplot-nox",
	          "missing gnuplot message");
	ok(stat(path, &sb) != 0, "nothing written without gnuplot");
	unsetenv("CALIB_GNUPLOT");

	if (chdir(dir) != 0)
		ok(0, "chdir");
	calib_error_clear(&e);
	is_long(calib_plot_run(p, path, &e), CALIB_OK, "gnuplot ran: %s", e.msg);
	fp = fopen(path, "rb");
	ok(fp && fread(sig, 1, 8, fp) == 8 && memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0,
	   "PNG signature");
	if (fp)
		fclose(fp);
	ok(stat(pwned, &sb) != 0, "no PWNED file");
	calib_plot_free(p);

	/* the real gnuplot reads every quoted string back as one string, itself */
	{
		static const char *const back[] = {
		        "'", "''", "'x", "'''x'y'", "it's", "x'", " 'x", "'@x `id`",
		        "'; system('touch PWNED'); '", "''; print 'PWNED", "a''b", "a'''b", "x''", "a'b'c",
		        "'a''", "a' 'b", "''''"};
		char line[256], txt[256];
		size_t i, n = sizeof back / sizeof back[0];
		snprintf(txt, sizeof txt, "%s/back.txt", dir);
		p = calib_plot_alloc(CALIB_PLOT_DUMB, 0, 0);
		calib_plot_code(p, "set print '-'\n");
		for (i = 0; i < n; i++)
			calib_plot_cmd(p, "print ", back[i], "\n");
		calib_error_clear(&e);
		is_long(calib_plot_run(p, txt, &e), CALIB_OK, "gnuplot printed: %s", e.msg);
		fp = fopen(txt, "r");
		for (i = 0; i < n && fp && fgets(line, sizeof line, fp); i++) {
			line[strcspn(line, "\n")] = '\0';
			is_string(line, back[i], "gnuplot reads back string %zu", i);
		}
		ok(i == n, "gnuplot printed all %zu strings", n);
		if (fp)
			fclose(fp);
		calib_plot_free(p);
	}

	/* a failing script: its message is reported, the old file kept */
	p = calib_plot_alloc(CALIB_PLOT_PNG, 320, 200);
	calib_plot_code(p, "set frobnicate 1\n");
	calib_error_clear(&e);
	is_long(calib_plot_run(p, path, &e), CALIB_EIO, "gnuplot error");
	ok(strncmp(e.msg, "gnuplot: ", 9) == 0 && strstr(e.msg, "nrecognized option"),
	   "gnuplot's message reported: %s", e.msg);
	ok(stat(path, &sb) == 0 && sb.st_size > 8, "old output kept on failure");
	calib_plot_free(p);
	snprintf(path, sizeof path, "%s/b.png", dir);
	p = calib_plot_alloc(CALIB_PLOT_PNG, 320, 200);
	calib_plot_code(p, "plot $nosuch using 1:2\n");
	calib_error_clear(&e);
	is_long(calib_plot_run(p, path, &e), CALIB_EIO, "gnuplot error on plot");
	ok(stat(path, &sb) != 0, "no output on failure");
	calib_plot_free(p);
	if (chdir("/") != 0)
		ok(0, "chdir /");
	{
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		ok(system(cmd) == 0, "clean up");
	}
}

int
main(void)
{
	test_quote();
	test_shorten();
	test_script();
	test_parse();
	test_run();
	return tap_done();
}
