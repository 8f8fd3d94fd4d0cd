/*
 * test_pageplots.c - what calib-report's page plots are drawn of
 * (pageplots.h): the agenda's first criteria, the weakest criterion
 * scored in points, the first failure said, a temporary folder that
 * cannot be made; and the appendix's command line (html.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/html.h"
#include "calib/pageplots.h"
#include "load.h"
#include "tap.h"

/* A store of criteria A, B, C, D, F. */
static struct calib_store *
store_of(void)
{
	return load_text("call,rater,A,B,C,D,F\n"
	                 "c1,ann,yes,1,2,3,4\n"
	                 "c1,bob,no,2,2,3,5\n"
	                 "c2,ann,yes,3,1,4,4\n"
	                 "c2,bob,yes,3,2,5,4\n",
	                 NULL);
}

/* Row i of rep: criterion name of scale sc, its headline est (one record). */
static void
row(struct calib_report *rep, struct calib_stat *v, size_t i, const char *name,
    enum calib_scale sc, double est)
{
	memset(&rep->rows[i], 0, sizeof rep->rows[i]);
	memset(&v[i], 0, sizeof v[i]);
	rep->rows[i].criterion = name;
	rep->rows[i].scale = sc;
	rep->rows[i].first = i;
	rep->rows[i].count = 1;
	rep->rows[i].headline = 0;
	v[i].estimate = est;
}

static void
disputed(void)
{
	struct calib_dispute cell[7];
	struct calib_disputes d;
	uint32_t crits[] = {3, 1, 3, 2, 5, 4, 1}, got[4];
	size_t n;

	memset(&d, 0, sizeof d);
	memset(cell, 0, sizeof cell);
	for (size_t i = 0; i < 7; i++)
		cell[i].crit = crits[i];
	d.cell = cell;
	d.n_cells = 7;
	n = calib_pageplots_disputed(&d, got, 4);
	ok(n == 4 && got[0] == 3 && got[1] == 1 && got[2] == 2 && got[3] == 5,
	   "disputed: the first four criteria, each once, in the agenda's order");
	n = calib_pageplots_disputed(&d, got, 2);
	ok(n == 2 && got[0] == 3 && got[1] == 1, "disputed: at most max");
	d.n_cells = 3;
	n = calib_pageplots_disputed(&d, got, 4);
	ok(n == 2 && got[0] == 3 && got[1] == 1, "disputed: fewer criteria than max");
	d.n_cells = 0;
	is_long((long)calib_pageplots_disputed(&d, got, 4), 0, "disputed: no cell, none");
}

static void
weakest(const struct calib_store *s)
{
	struct calib_report_row rows[8];
	struct calib_stat v[8];
	struct calib_report rep;

	memset(&rep, 0, sizeof rep);
	rep.rows = rows;
	rep.n_rows = 8;
	rep.stats.v = v;
	rep.stats.n = 8;
	row(&rep, v, 0, "A", CALIB_SCALE_BINARY, -0.5); /* labels: not in points */
	row(&rep, v, 1, "B", CALIB_SCALE_INTERVAL, 0.5);
	row(&rep, v, 2, "C", CALIB_SCALE_ORDINAL, 0.3);
	row(&rep, v, 3, "A", CALIB_SCALE_INTERVAL, -0.9); /* a TOTAL */
	rows[3].total = true;
	row(&rep, v, 4, "D", CALIB_SCALE_RATIO, NAN);
	row(&rep, v, 5, "E", CALIB_SCALE_INTERVAL, -0.8); /* not in the store */
	row(&rep, v, 6, "F", CALIB_SCALE_ORDINAL, -0.7);
	rows[6].headline = SIZE_MAX;
	row(&rep, v, 7, "B", CALIB_SCALE_NOMINAL, -0.6);
	is_long((long)calib_pageplots_weakest_points(&rep, s),
	        (long)calib_store_find_criterion(s, "C", 1),
	        "weakest: the lowest headline among the criteria in points");
	v[2].estimate = 0.5;
	is_long((long)calib_pageplots_weakest_points(&rep, s),
	        (long)calib_store_find_criterion(s, "B", 1), "weakest: the first of equals");
	v[1].estimate = NAN;
	v[2].estimate = NAN;
	is_long((long)calib_pageplots_weakest_points(&rep, s), (long)CALIB_NONE,
	        "weakest: none with an estimate, none");
	rep.n_rows = 0;
	is_long((long)calib_pageplots_weakest_points(&rep, s), (long)CALIB_NONE,
	        "weakest: no row, none");
}

static void
failure(const struct calib_store *s)
{
	struct calib_pageplots pp;
	struct calib_report rep;
	struct calib_disputes d;
	struct calib_plots_opts po = {.min = NAN, .width = NAN, .expert_id = CALIB_NONE};
	char want[300];

	memset(&pp, 0, sizeof pp);
	ok(calib_pageplots_failure(&pp, true) == NULL, "failure: none when none failed");
	snprintf(pp.note[CALIB_PAGEPLOT_SPREAD], sizeof pp.note[0], "no disputed criterion");
	snprintf(pp.note[CALIB_PAGEPLOT_DRIFT], sizeof pp.note[0], "gnuplot: bad");
	pp.failed[CALIB_PAGEPLOT_DRIFT] = true;
	ok(calib_pageplots_failure(&pp, false) == NULL,
	   "failure: want of data is none, the drift chart not counted without drift");
	is_string(calib_pageplots_failure(&pp, true), "gnuplot: bad",
	          "failure: the drift chart's with drift");
	snprintf(pp.note[CALIB_PAGEPLOT_HEATMAP], sizeof pp.note[0], "out of memory");
	pp.failed[CALIB_PAGEPLOT_HEATMAP] = true;
	is_string(calib_pageplots_failure(&pp, true), "out of memory", "failure: the first");

	/* no temporary folder: every plot says why, nothing is drawn */
	memset(&rep, 0, sizeof rep);
	memset(&d, 0, sizeof d);
	calib_pageplots_draw(&pp, &po, s, s, &rep, &d, NULL, NULL, "/nonexistent/calib-test");
	snprintf(want, sizeof want, "temporary folder: %s", strerror(ENOENT));
	is_string(calib_pageplots_failure(&pp, false), want, "no folder: the reason");
	ok(!pp.plot[CALIB_PAGEPLOT_AGREEMENT].svg && !pp.plot[CALIB_PAGEPLOT_BA].svg,
	   "no folder: nothing drawn");
	is_string(pp.plot[CALIB_PAGEPLOT_BA].note, want, "no folder: each plot says why");
	is_string(pp.plot[CALIB_PAGEPLOT_AGREEMENT].caption,
	          "Agreement per criterion, worst first, with its interval",
	          "no folder: captions all the same");
	calib_pageplots_free(&pp);
	calib_pageplots_free(&pp);
	ok(1, "free twice is harmless");
}

static void
command(void)
{
	char *argv[] = {"x", "-o", "a b.html", "--title", "it's", "", "x=1,%y@z:./-_+"};
	char *shortname[] = {"r"};
	char *s = calib_html_command_line("calib-report", 7, argv);

	is_string(s, "calib-report -o 'a b.html' --title 'it'\\''s' '' x=1,%y@z:./-_+",
	          "command line: quoted where a shell needs it");
	free(s);
	s = calib_html_command_line("calib-report", 1, shortname);
	is_string(s, "calib-report", "command line: the program's name, not argv[0]");
	free(s);
	s = calib_html_command_line("calib-report", 0, shortname);
	is_string(s, "", "command line: no argument at all, empty");
	free(s);
}

int
main(void)
{
	struct calib_store *s = store_of();

	(void)is_double;
	ok(s != NULL, "the sheet is read");
	if (!s)
		return tap_done();
	disputed();
	weakest(s);
	failure(s);
	command();
	calib_store_free(s);
	return tap_done();
}
