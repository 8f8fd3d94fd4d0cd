/*
 * plots.c - the plot builders of calib-plot and calib-report (plots.h),
 * moved here from calib-plot's program so that both draw with one code:
 *
 *   agreement     the chosen coefficient per criterion with its CI, sorted
 *                 worst to best, over the interpretation bands
 *   spread        every rater's score per call and criterion
 *   heatmap       rater x criterion mean deviation from the reference of
 *                 calib-raters (median or mean of the others, or an expert)
 *   bland-altman  difference against mean, per rater, for a points criterion
 *                 (Bland & Altman 1986, Lancet i:307-310: bias and limits of
 *                 agreement bias +- z(0.975) SD; the limits' intervals of
 *                 Bland & Altman 1999, through calib_raters_limits)
 *   drift         calib-drift's chart: per criterion (or rater) the
 *                 coefficient over sessions with its CI and alert rings
 */
#include <ctype.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calib/band.h"
#include "calib/drift.h"
#include "calib/plan.h"
#include "calib/plot.h"
#include "calib/plots.h"
#include "calib/raters.h"
#include "calib/registry.h"
#include "calib/report.h"
#include "calib/results.h"

void
calib_plots_entries_free(struct calib_plots_entries *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].criterion);
		free(e->v[i].stat);
		free(e->v[i].note);
	}
	free(e->v);
}

struct calib_plots_entry *
calib_plots_entries_push(struct calib_plots_entries *e)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 16;
		struct calib_plots_entry *v = realloc(e->v, cap * sizeof *v);
		if (!v)
			return NULL;
		e->v = v;
		e->cap = cap;
	}
	memset(&e->v[e->n], 0, sizeof e->v[0]);
	return &e->v[e->n++];
}

char *
calib_plots_strdup(const char *s)
{
	return strdup(s ? s : "");
}

/* Entries from a report: per row its headline record. 0, or 1 when out of memory. */
int
calib_plots_from_report(const struct calib_report *r, struct calib_plots_entries *out)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct calib_report_row *row = &r->rows[i];
		struct calib_plots_entry *e;
		const struct calib_stat *s;

		if (row->headline == SIZE_MAX)
			continue;
		s = &r->stats.v[row->first + row->headline];
		if (!(e = calib_plots_entries_push(out)))
			return 1;
		e->criterion = calib_plots_strdup(row->criterion);
		e->stat = calib_plots_strdup(s->name);
		e->note = calib_plots_strdup(s->note);
		e->est = s->estimate;
		e->lo = s->lower;
		e->hi = s->upper;
		e->n_calls = s->n_items ? s->n_items : row->n_calls;
		if (!e->criterion || !e->stat || !e->note)
			return 1;
	}
	return 0;
}

/* ---- calib-agree's and calib-kappa's records read back ---- */

/* The number in a record's cell; NAN for none, NA or any --na-token. */
static double
record_num(const char *s)
{
	char *end;
	double v;

	if (!s || !*s)
		return NAN;
	v = strtod(s, &end);
	return *end ? NAN : v;
}

/* Columns of calib-agree's records that a plot reads. */
enum { F_CRIT, F_STAT, F_EST, F_LO, F_HI, F_NCALLS, F_NOTE, F_SCALE, F_N };

/* Records of one criterion that calib_registry_pick chooses among (the rest are not read). */
#define RECORDS_MAX 64

/* Field k (F_*) of record i of r, where col holds the columns; NULL for none. */
static const char *
record_cell(const struct calib_results *r, const size_t *col, size_t i, int k)
{
	return col[k] < r->n_cols ? r->cell[i * r->n_cols + col[k]] : NULL;
}

/* The entry of record i of r (col: the columns F_*). 0, or 1 when out of memory. */
static int
record_entry(const struct calib_results *r, const size_t *col, size_t i,
             struct calib_plots_entries *out)
{
	struct calib_plots_entry *e = calib_plots_entries_push(out);

	if (!e)
		return 1;
	e->criterion = calib_plots_strdup(record_cell(r, col, i, F_CRIT));
	e->stat = calib_plots_strdup(record_cell(r, col, i, F_STAT));
	e->note = calib_plots_strdup(record_cell(r, col, i, F_NOTE));
	e->est = record_num(record_cell(r, col, i, F_EST));
	e->lo = record_num(record_cell(r, col, i, F_LO));
	e->hi = record_num(record_cell(r, col, i, F_HI));
	e->n_calls = (size_t)fmax(0, fmin(1e9, record_num(record_cell(r, col, i, F_NCALLS))));
	return !e->criterion || !e->stat || !e->note;
}

int
calib_plots_from_results(const struct calib_results *r, const char *stat,
                         struct calib_plots_entries *out)
{
	static const char *const names[F_N] = {"criterion", "statistic", "estimate", "ci_lower",
	                                       "ci_upper",  "n_calls",   "note",     "scale"};
	size_t col[F_N];

	for (int k = 0; k < F_N; k++)
		col[k] = calib_results_col(r, names[k]);
	for (size_t i = 0; i < r->n_rows;) {
		/* the records of one criterion: i .. j */
		size_t j = i, n = 0, at[RECORDS_MAX];
		enum calib_scale scale = CALIB_SCALE_UNKNOWN;
		const char *stats[RECORDS_MAX] = {0};
		const char *crit = record_cell(r, col, i, F_CRIT);
		if (!crit || !record_cell(r, col, i, F_STAT)) {
			i++;
			continue;
		}
		for (; j < r->n_rows && record_cell(r, col, j, F_STAT) &&
		       record_cell(r, col, j, F_CRIT) &&
		       strcmp(record_cell(r, col, j, F_CRIT), crit) == 0;
		     j++) {
			const char *sc = record_cell(r, col, j, F_SCALE);
			if (sc && scale == CALIB_SCALE_UNKNOWN)
				scale = calib_scale_parse(sc);
			if (n < RECORDS_MAX) {
				at[n] = j;
				stats[n++] = record_cell(r, col, j, F_STAT);
			}
		}
		size_t k = calib_registry_pick(stats, n, scale, stat);
		if (k < n && record_entry(r, col, at[k], out))
			return 1;
		i = j;
	}
	return 0;
}

/* ---- script helpers ---- */

/* `set Xtics (label v, ...)` from untrusted labels. */
static enum calib_status
tics(struct calib_plot *p, const char *axis, const char *const *labels, const double *at,
     size_t n, size_t width, size_t lines)
{
	if (calib_plot_code(p, "set %stics (", axis))
		return CALIB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if ((i && calib_plot_code(p, ", ")) ||
		    calib_plot_label(p, labels[i], width, lines) ||
		    calib_plot_code(p, " %.17g", at[i]))
			return CALIB_ENOMEM;
	return calib_plot_code(p, ")\n");
}

/* `set title '<session>: <what>'` (session and what untrusted). */
static enum calib_status
title(struct calib_plot *p, const char *cmd, const char *session, const char *what,
      const char *suffix)
{
	size_t n = strlen(session) + strlen(what) + 3;
	char *t = malloc(n);
	enum calib_status st;

	if (!t)
		return CALIB_ENOMEM;
	snprintf(t, n, "%s%s%s", session, *session ? ": " : "", what);
	st = calib_plot_cmd(p, cmd, t, suffix);
	free(t);
	return st;
}

/* Pale fills of the bands, worst to best (a sequential, colour-blind-safe ramp). */
static const char *const band_fill[] = {"#F6D5C4", "#FBE7D0", "#FDF3D3",
                                        "#E5F0DA", "#D3EADF", "#BFE0D5"};

/* ---- agreement ---- */

/*
 * Pixels of a character and of a row of two-line labels at the 14-point
 * font of the default terminals (DejaVu Sans: about 9.5 by 17, rounded up).
 */
#define CHAR_PX   10.0
#define AGREE_ROW 40u

/*
 * With a rubric of sections, put each section's subtotal and criteria
 * together, in the rubric's order of sections; then the criteria of no
 * section, then the TOTAL. Without sections every entry stays in group 0.
 */
void
calib_plots_by_section(const struct calib_store *s, struct calib_plots_entries *en)
{
	size_t ns = calib_names_count(s->sections);

	for (size_t i = 0; ns > 0 && i < en->n; i++) {
		struct calib_plots_entry *e = &en->v[i];
		uint32_t c = calib_store_find_criterion(s, e->criterion, strlen(e->criterion));
		if (strncmp(e->criterion, "section:", 8) == 0 && c == CALIB_NONE) {
			const char *name = e->criterion + 8;
			e->group = calib_names_find(s->sections, name, strlen(name));
			e->head = true;
		} else if (c != CALIB_NONE && s->criteria[c].section != CALIB_NONE)
			e->group = s->criteria[c].section;
		else
			e->group = c == CALIB_NONE ? ns + 1 : ns;
	}
}

static int
cmp_est(const void *a, const void *b)
{
	const struct calib_plots_entry *x = a, *y = b;
	/* by section (calib_plots_by_section), its subtotal first */
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->head != y->head)
		return x->head ? -1 : 1;
	/* NA first (worst), then increasing estimate; ties by name for a stable order */
	if (isnan(x->est) != isnan(y->est))
		return isnan(x->est) ? -1 : 1;
	if (!isnan(x->est) && x->est != y->est)
		return x->est < y->est ? -1 : 1;
	return strcmp(x->criterion, y->criterion);
}

enum calib_status
calib_plots_agreement(struct calib_plot *p, struct calib_plots_entries *en,
                      const struct calib_plots_opts *o)
{
	size_t n = en->n, label_w;
	double xmin = 0, xmax = 1.0, left, right;
	unsigned w, h;
	bool same = true, grouped = false;
	char what[200];
	enum calib_status st;

	qsort(en->v, n, sizeof en->v[0], cmp_est);
	for (size_t i = 0; i < n; i++) {
		const struct calib_plots_entry *e = &en->v[i];
		grouped |= e->head;
		if (strcmp(e->stat, en->v[0].stat) != 0)
			same = false;
		if (isfinite(e->lo) && e->lo < xmin)
			xmin = e->lo;
		if (isfinite(e->est) && e->est < xmin)
			xmin = e->est;
	}
	if (isfinite(o->min) && o->min < xmin)
		xmin = o->min;
	xmin = fmax(-1.0, floor(xmin * 10 - 0.5) / 10);
	if (same && n)
		snprintf(what, sizeof what, "%s by criterion", en->v[0].stat);
	else
		snprintf(what, sizeof what,
		         "agreement by criterion (the coefficient that fits each scale)");
	if (title(p, "set title ", o->title, what, "\n"))
		return CALIB_ENOMEM;
	/*
	 * Two lines of label per criterion: the height grows with the rows
	 * (AGREE_ROW pixels, 2 characters each for dumb); the margins are
	 * wide enough for the labels and the text on the right at any width.
	 */
	calib_plot_fit(p, 0,
	               o->dumb ? (unsigned)(2 * n + 10) : (unsigned)(AGREE_ROW * n + 190));
	calib_plot_size(p, &w, &h);
	label_w = o->dumb ? (size_t)fmax(10, fmin(24, w * 0.22 - 2))
	                  : (size_t)fmax(12, fmin(30, (w * 0.26 - 24) / CHAR_PX));
	left = o->dumb ? (double)(label_w + 2) / w : ((double)label_w * CHAR_PX + 24) / w;
	right = o->dumb ? 0.7 : 1 - fmin(0.3, (30 * CHAR_PX + 16) / w);
	if (calib_plot_code(
	            p,
	            "set xlabel %s\nset xrange [%g:%g]\nset yrange [0.4:%zu.6]\n"
	            "set xtics %s\nunset ytics\nset ytics scale 0\nset grid x\n"
	            "set grid noy\nset rmargin at screen %.3f\nset lmargin at screen %.3f\n",
	            o->dumb && grouped ? "'coefficient (95% CI); by section, worst first'"
	            : o->dumb          ? "'coefficient (95% CI); worst at the top'"
	            : grouped          ? "'coefficient with 95% confidence interval; shading: "
	                                 "interpretation bands; by section, its subtotal first, then "
	                                 "the worst criterion'"
	                               : "'coefficient with 95% confidence interval; shading: "
	                                 "interpretation "
	                                 "bands; worst criterion at the top'",
	            xmin, xmax + (o->dumb ? 0.0 : 0.02), n,
	            xmin < -0.5 || o->dumb ? "0.2" : "0.1", right, left) ||
	    (o->dumb && calib_plot_code(p, "unset grid\n")))
		return CALIB_ENOMEM;
	/* labels of the criteria on the y axis: worst at the top */
	{
		const char **labels = calloc(n ? n : 1, sizeof *labels);
		double *at = calloc(n ? n : 1, sizeof *at);
		st = CALIB_ENOMEM;
		if (labels && at) {
			for (size_t i = 0; i < n; i++) {
				labels[i] = en->v[i].criterion;
				at[i] = (double)(n - i);
			}
			st = tics(p, "y", labels, at, n, label_w, 2);
		}
		free(labels);
		free(at);
		if (st)
			return st;
	}
	/* the bands behind each row, and the text on the right */
	for (size_t i = 0; i < n; i++) {
		const struct calib_plots_entry *e = &en->v[i];
		enum calib_band_scheme sch = calib_registry_bands(e->stat);
		double y = (double)(n - i);
		size_t nb;
		const struct calib_band *band = calib_band_edges(sch, &nb);
		char text[400];
		if (!o->dumb)
			for (size_t b = 0; b < nb; b++) {
				double lo = fmax(band[b].lower, xmin),
				       hi = b + 1 < nb ? band[b + 1].lower : xmax;
				size_t shade = nb <= 1 ? 0 : b * 5 / (nb - 1);
				if (hi <= lo)
					continue;
				if (calib_plot_code(p,
				                    "set object rect from %g,%g to %g,%g "
				                    "behind fc rgb '%s' "
				                    "fs solid 1.0 noborder\n",
				                    lo, y - 0.45, fmin(hi, xmax + 0.02),
				                    y + 0.45, band_fill[shade]))
					return CALIB_ENOMEM;
			}
		char *line1;
		if (isfinite(e->est))
			snprintf(text, sizeof text, "%.2f %s", e->est,
			         calib_band_name(sch, e->est));
		else
			snprintf(text, sizeof text, "NA: %s", *e->note ? e->note : "undefined");
		if (!(line1 = calib_plot_shorten(text, 0, 1)))
			return CALIB_ENOMEM;
		if (strlen(line1) > 40)
			memcpy(line1 + 37, "...", 4);
		snprintf(text, sizeof text, "%s, %zu call%s", e->stat, e->n_calls,
		         e->n_calls == 1 ? "" : "s");
		/* the two lines centred on the row, as the tic label on the left */
		st = calib_plot_code(p, "set label %zu at graph 1.02, first %g left%s ", i + 1,
		                     y, o->dumb ? "" : " offset 0,0.5");
		if (!st)
			st = calib_plot_string(p, line1);
		free(line1);
		if (st || calib_plot_code(p, ".\"\\n\".") || calib_plot_string(p, text) ||
		    calib_plot_code(p, "\n"))
			return CALIB_ENOMEM;
	}
	if (isfinite(o->min) &&
	    (calib_plot_code(
	             p,
	             "set arrow from %g, graph 0 to %g, graph 1 nohead front lc rgb '#D55E00' "
	             "lw 2 dt 2\n",
	             o->min, o->min) ||
	     calib_plot_code(
	             p,
	             "set label %zu at %g, graph 1 offset 0.5,-1 left front tc rgb '#D55E00' "
	             "'minimum %g'\n",
	             n + 1, o->min, o->min)))
		return CALIB_ENOMEM;
	/* a line between the groups of sections */
	for (size_t i = 1; i < n; i++)
		if (en->v[i].group != en->v[i - 1].group &&
		    calib_plot_code(
		            p,
		            "set arrow from graph 0, first %g to graph 1, first %g nohead "
		            "front lc rgb '#444444' lw 1\n",
		            (double)(n - i) + 0.5, (double)(n - i) + 0.5))
			return CALIB_ENOMEM;
	if (calib_plot_data_begin(p, "agreement"))
		return CALIB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct calib_plots_entry *e = &en->v[i];
		double row[4] = {e->est, (double)(n - i), isfinite(e->lo) ? e->lo : e->est,
		                 isfinite(e->hi) ? e->hi : e->est};
		if (calib_plot_data_row(p, row, 4))
			return CALIB_ENOMEM;
	}
	if (calib_plot_data_end(p))
		return CALIB_ENOMEM;
	return calib_plot_code(
	        p, "plot $agreement using 1:2:3:4 with xerrorbars lt 4 lw 2 pt 7 ps 1.6\n");
}

/*
 * calib-plot plan: per criterion the width of its interval against the
 * number of calls (calib_plan_curve over calib-plan's plan of the store),
 * the target width as a line, each criterion's planned calls as a point.
 */
enum calib_status
calib_plots_plan(struct calib_plot *p, const struct calib_store *s,
                 const struct calib_plots_opts *o, struct calib_error *err)
{
	enum { GRID = 16 };
	struct calib_plan_opts po;
	struct calib_plan_session *plan = NULL;
	size_t ns[GRID], m = 0, nmax = 0, shown = 0;
	double widths[GRID], ymax = o->width * 1.5;
	enum calib_status st;
	char name[32], what[120];

	calib_plan_opts_init(&po);
	po.width = o->width;
	if ((st = calib_plan_session_run(s, o->stat, 0, 0.95, &po, &plan, err)))
		return st;
	for (size_t i = 0; i < plan->n_rows; i++) {
		const struct calib_plan_row *r = &plan->rows[i];
		if (r->planned)
			nmax = r->result.n_calls > nmax ? r->result.n_calls
			       : r->result.n_calls      ? nmax
			                                : 400;
	}
	if (nmax == 0) {
		calib_plan_session_free(plan);
		return calib_error_set(
		        err, CALIB_EARG, NULL, 0, 0,
		        "plan: no criterion could be planned (calib-plan says why)");
	}
	nmax = nmax * 5 / 4 < 20 ? 20 : nmax * 5 / 4 > 400 ? 400 : nmax * 5 / 4;
	for (size_t g = 0; g < GRID; g++) {
		size_t n = 3 + (nmax - 3) * g / (GRID - 1);
		if (m == 0 || n > ns[m - 1])
			ns[m++] = n;
	}
	snprintf(what, sizeof what, "width of the 95%% interval against calls (target %g)",
	         o->width);
	st = title(p, "set title ", o->title, what, "\n");
	if (!st)
		st = calib_plot_code(
		        p,
		        "set xlabel 'calls scored (a point: the calls each criterion "
		        "needs)'\nset ylabel 'interval width'\n"
		        "set xrange [0:%zu]\nset key outside right top\n"
		        "set arrow from graph 0, first %g to graph 1, first %g nohead front "
		        "lc rgb '#D55E00' lw 2 dt 2\n"
		        "set label 1 at graph 0.01, first %g offset 0,0.7 left front tc rgb "
		        "'#D55E00' 'target %g (±%g)'\n",
		        nmax, o->width, o->width, o->width, o->width, o->width / 2);
	for (size_t i = 0; !st && i < plan->n_rows; i++) {
		const struct calib_plan_row *r = &plan->rows[i];
		if (!r->planned)
			continue;
		if ((st = calib_plan_curve(r, &po, ns, m, widths, err)))
			break;
		snprintf(name, sizeof name, "plan%zu", i);
		if ((st = calib_plot_data_begin(p, name)))
			break;
		for (size_t k = 0; !st && k < m; k++) {
			double row[2] = {(double)ns[k], widths[k]};
			if (isfinite(widths[k]) && widths[k] > ymax)
				ymax = widths[k];
			st = calib_plot_data_row(p, row, 2);
		}
		if (!st && r->result.n_calls) {
			double none[1] = {0},
			       pt[2] = {(double)r->result.n_calls, r->result.width};
			(void)none;
			st = calib_plot_data_end(p);
			snprintf(name, sizeof name, "mark%zu", i);
			if (!st)
				st = calib_plot_data_begin(p, name);
			if (!st)
				st = calib_plot_data_row(p, pt, 2);
		}
		if (!st)
			st = calib_plot_data_end(p);
	}
	if (!st)
		st = calib_plot_code(p, "set yrange [0:%g]\nplot ",
		                     fmin(ymax * 1.05, fmax(4 * o->width, 1.0)));
	for (size_t i = 0; !st && i < plan->n_rows; i++) {
		const struct calib_plan_row *r = &plan->rows[i];
		if (!r->planned)
			continue;
		st = calib_plot_code(
		        p, "%s$plan%zu using 1:2 with lines lw 2 lc rgb '%s' dt %zu title ",
		        shown ? ", " : "", i, calib_plot_colour(shown),
		        shown / CALIB_PLOT_N_COLOURS + 1);
		if (!st)
			st = calib_plot_string(p, r->criterion);
		if (!st && r->result.n_calls)
			st = calib_plot_code(
			        p,
			        ", $mark%zu using 1:2 with points pt 7 ps 1.4 lc rgb '%s' "
			        "notitle",
			        i, calib_plot_colour(shown));
		shown++;
	}
	if (!st)
		st = calib_plot_code(p, "\n");
	calib_plan_session_free(plan);
	return st;
}

/* ---- values from the store ---- */

/* Score of evaluation e on criterion c as a number, NAN when none or N/A. */
static double
score(const struct calib_criterion *c, uint32_t e)
{
	return calib_store_code_value(c, calib_code(c, e));
}

/* The range of criterion c's values: declared, else its levels. */
static void
value_range(const struct calib_criterion *c, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t k = 0; k < c->n_levels; k++)
		if (isfinite(c->value[k])) {
			*lo = fmin(*lo, c->value[k]);
			*hi = fmax(*hi, c->value[k]);
		}
	if (isfinite(c->min))
		*lo = c->min;
	if (isfinite(c->max))
		*hi = c->max;
	if (!isfinite(*lo) || !isfinite(*hi)) {
		*lo = 0;
		*hi = 1;
	}
}

/* Label of item i: the call, prefixed by its session when there are several. */
static char *
item_label(const struct calib_store *s, size_t i)
{
	const char *call = calib_names_get(s->calls, s->item_call[i]);
	const char *sess;
	char *l;
	size_t n;

	if (calib_names_count(s->sessions) <= 1)
		return strdup(call);
	sess = calib_names_get(s->sessions, s->item_session[i]);
	n = strlen(sess) + strlen(call) + 2;
	if ((l = malloc(n)))
		snprintf(l, n, "%s %s", sess, call);
	return l;
}

/*
 * A page of small multiples in pixels (the default terminals' 14-point
 * text; the panels' own text is set to 11-13 points by page_begin): the
 * grid, and the rows of the rater legend at the bottom.
 */
struct page {
	struct calib_plot_grid grid;
	size_t legend_rows, legend_cols;
	double legend_w; /* pixels per legend entry */
};

/*
 * Lay out a page of n panels whose x tic labels and x label take tic_px
 * below the axis and whose raters' legend (R names of up to name_len
 * characters; R 0: none) sits at the bottom, with panel titles of
 * title_lines lines; grow the plot to hold panels of at least min_w x 130
 * pixels, then spread what the size gives.
 */
static void
page_layout(struct calib_plot *p, struct page *g, size_t n, double tic_px, size_t R,
            size_t name_len, double min_w, size_t title_lines)
{
	unsigned w, h;

	memset(g, 0, sizeof *g);
	g->legend_w = 44 + (double)name_len * CHAR_PX;
	g->legend_cols = R ? (size_t)fmax(1, floor((1280 - 140) / g->legend_w)) : 0;
	g->legend_rows = R ? (R + g->legend_cols - 1) / g->legend_cols : 0;
	g->grid.left = 90;
	g->grid.right = 25;
	g->grid.xgap = 90;
	/* a panel's title sits about 30 pixels above its plot area */
	g->grid.ygap = 20 * (double)title_lines + 30 + tic_px + 8;
	g->grid.top = 50 + 20 * (double)title_lines + 30;
	g->grid.bottom = tic_px + 16 + 24 * (double)g->legend_rows;
	calib_plot_grid_fit(p, &g->grid, n, 6, min_w, 130);
	calib_plot_size(p, &w, &h);
	if (R) {
		g->legend_cols = (size_t)fmax(1, floor(((double)w - 140) / g->legend_w));
		g->legend_rows = (R + g->legend_cols - 1) / g->legend_cols;
	}
}

/* Point types of raters 1-8, 9-16, ...: filled circle, square, triangle, diamond. */
static const int rater_shape[4] = {7, 5, 9, 13};

/*
 * Legend of the raters at the bottom of a multiplot page: coloured names
 * in rows of g->legend_cols.
 */
static enum calib_status
rater_legend(struct calib_plot *p, const struct calib_store *s, const struct page *g,
             const char *what, size_t name_len)
{
	size_t R = calib_names_count(s->raters);
	unsigned w, h;

	calib_plot_size(p, &w, &h);
	for (size_t r = 0; r < R; r++) {
		size_t row = r / g->legend_cols, col = r % g->legend_cols;
		double y = (14 + 24 * (double)(g->legend_rows - 1 - row)) / h;
		if ((r == 0 &&
		     calib_plot_code(p, "set label 9000 %s at screen %.4f, screen %.4f left\n",
		                     what, 14.0 / w, y)) ||
		    calib_plot_code(
		            p, "set label %zu at screen %.4f, screen %.4f left tc lt %zu ",
		            9001 + r, (120 + g->legend_w * (double)col) / w, y, r + 1) ||
		    calib_plot_label(p, calib_names_get(s->raters, (uint32_t)r), name_len, 1) ||
		    calib_plot_code(p, " point pt %d lt %zu offset 1,0\n",
		                    rater_shape[r / 8 % 4], r + 1))
			return CALIB_ENOMEM;
	}
	return CALIB_OK;
}

static enum calib_status
unset_legend(struct calib_plot *p, const struct calib_store *s)
{
	size_t R = calib_names_count(s->raters);
	if (calib_plot_code(p, "unset label 9000\n"))
		return CALIB_ENOMEM;
	for (size_t r = 0; r < R; r++)
		if (calib_plot_code(p, "unset label %zu\n", 9001 + r))
			return CALIB_ENOMEM;
	return CALIB_OK;
}

/* Start a page laid out by g (or nothing for dumb, where plots follow each other). */
static enum calib_status
page_begin(struct calib_plot *p, const struct calib_plots_opts *o, const struct page *g,
           const char *what)
{
	if (o->dumb)
		return CALIB_OK;
	if (calib_plot_code(p, "set title font ',13'\nset xlabel font ',12'\nset xtics font "
	                       "',11'\nset ytics font ',11'\n") ||
	    calib_plot_grid_begin(p, &g->grid, true) ||
	    title(p, "", o->title, what, " font ',16'\n"))
		return CALIB_ENOMEM;
	return CALIB_OK;
}

/*
 * The characters of a panel title that fit over a plot area plot_w pixels
 * wide at 13 points (at least 16).
 */
static size_t
title_chars(double plot_w)
{
	return (size_t)fmax(16, (plot_w + 40) / 9.5);
}

/* ---- spread ---- */

/* Pixels of a character at the panels' 11-point tic labels. */
#define TIC_PX 7.5

/* Characters of a call id on the x axis (after the common prefix). */
#define SPREAD_CALL 16u

enum calib_status
calib_plots_spread(struct calib_plot *p, const struct calib_store *s,
                   const struct calib_plots_opts *o, const uint32_t *crit, size_t nc)
{
	size_t R = calib_names_count(s->raters), I = s->n_items;
	double dodge = fmin(0.5 / (double)(R ? R : 1), 0.12), slot, tic_px;
	bool rotate = false;
	char **calls = calloc(I ? I : 1, sizeof *calls);
	double *at = malloc((I ? I : 1) * sizeof *at);
	const char **shown = malloc((I ? I : 1) * sizeof *shown);
	size_t longest = 0, step = 1, n_shown = 0, name_len = 4, title_w = 60;
	char *prefix = NULL, *what = NULL;
	struct page g = {0};
	enum calib_status st = CALIB_ENOMEM;
	unsigned w, h;

	if (!calls || !at || !shown)
		goto out;
	for (size_t i = 0; i < I; i++)
		if (!(calls[i] = item_label(s, i)))
			goto out;
	/* the calls' common prefix goes once into the x label */
	if (I > 1) {
		size_t pre = strlen(calls[0]);
		for (size_t i = 1; i < I; i++) {
			size_t k = 0;
			while (k < pre && calls[i][k] == calls[0][k])
				k++;
			pre = k;
		}
		while (pre > 0 && ((unsigned char)calls[0][pre] & 0xc0) == 0x80)
			pre--;
		for (size_t i = 0; i < I; i++)
			if (strlen(calls[i]) - pre < 1)
				pre = 0;
		if (pre) {
			if (!(prefix = malloc(pre + 32)))
				goto out;
			snprintf(prefix, pre + 32, "calls %.*s...", (int)pre, calls[0]);
			for (size_t i = 0; i < I; i++)
				memmove(calls[i], calls[i] + pre, strlen(calls[i] + pre) + 1);
		}
	}
	/* small multiples: the prefix once in the page's title, else under the axis */
	if (!(what = malloc((prefix ? strlen(prefix) : 0) + 64)))
		goto out;
	sprintf(what, "scores of every rater per call (grey bar: range)%s%s",
	        prefix && nc > 1 && !o->dumb ? "; " : "",
	        prefix && nc > 1 && !o->dumb ? prefix : "");
	if ((nc == 1 || o->dumb) &&
	    calib_plot_cmd(p, "set xlabel ", prefix ? prefix : "calls", "\n"))
		goto out;
	for (size_t i = 0; i < I; i++)
		if (strlen(calls[i]) > longest)
			longest =
			        strlen(calls[i]) < SPREAD_CALL ? strlen(calls[i]) : SPREAD_CALL;
	for (size_t r = 0; r < R; r++)
		if (strlen(calib_names_get(s->raters, (uint32_t)r)) > name_len)
			name_len = (size_t)fmin(
			        14, (double)strlen(calib_names_get(s->raters, (uint32_t)r)));
	/*
	 * Call ids along the x axis: level when they fit their slot, else
	 * turned upright; one in `step` when even upright lines (14 pixels at
	 * 11 points; for dumb, level text and a space) do not fit.
	 */
	if (o->dumb) {
		calib_plot_size(p, &w, &h);
		slot = ((double)w - 14) / (double)(I ? I : 1);
		step = (size_t)fmax(1, ceil(((double)longest + 1) / slot));
		tic_px = 0;
	} else {
		page_layout(p, &g, nc, 0, 0, 0, 220, 2);
		slot = g.grid.plot_w / (double)(I ? I : 1);
		rotate = (double)longest * TIC_PX + 8 > slot;
		tic_px = (rotate ? (double)longest * CHAR_PX + 12 : 24) + (nc == 1 ? 26 : 0);
		page_layout(p, &g, nc, tic_px, R, name_len, 220, 2);
		slot = g.grid.plot_w / (double)(I ? I : 1);
		step = rotate ? (size_t)fmax(1, ceil(16 / slot)) : 1;
		title_w = title_chars(g.grid.plot_w);
	}
	for (size_t i = 0; i < I; i += step) {
		shown[n_shown] = calls[i];
		at[n_shown++] = (double)(i + 1);
	}
	if (page_begin(p, o, &g, what))
		goto out;
	/* beyond eight raters the colours repeat: every eight the next shape */
	if (!o->dumb &&
	    (calib_plot_code(p,
	                     "rater_pt(r) = (int(r) - 1) / 8 %% 4 == 0 ? %d : (int(r) - 1) / 8 "
	                     "%% 4 == 1 ? %d : (int(r) - 1) / 8 %% 4 == 2 ? %d : %d\n",
	                     rater_shape[0], rater_shape[1], rater_shape[2], rater_shape[3]) ||
	     rater_legend(p, s, &g, "'raters:'", name_len)))
		goto out;
	for (size_t k = 0; k < nc; k++) {
		const struct calib_criterion *c = &s->criteria[crit[k]];
		double lo, hi;
		value_range(c, &lo, &hi);
		if (calib_plot_data_begin(p, "scores"))
			goto out;
		for (size_t i = 0; i < I; i++)
			for (size_t j = s->item_off[i]; j < s->item_off[i + 1]; j++) {
				uint32_t e = s->item_evals[j];
				double row[3];
				row[0] = (double)(i + 1) +
				         ((double)s->eval_rater[e] - (double)(R - 1) / 2) *
				                 dodge;
				row[1] = score(c, e);
				row[2] = (double)s->eval_rater[e] + 1;
				if (isfinite(row[1]) && calib_plot_data_row(p, row, 3))
					goto out;
			}
		if (calib_plot_data_end(p) || calib_plot_data_begin(p, "range"))
			goto out;
		for (size_t i = 0; i < I; i++) {
			double mn = INFINITY, mx = -INFINITY, row[3];
			for (size_t j = s->item_off[i]; j < s->item_off[i + 1]; j++) {
				double v = score(c, s->item_evals[j]);
				if (isfinite(v)) {
					mn = fmin(mn, v);
					mx = fmax(mx, v);
				}
			}
			row[0] = (double)(i + 1);
			row[1] = mn;
			row[2] = mx - mn;
			if (isfinite(mn) && mx > mn && calib_plot_data_row(p, row, 3))
				goto out;
		}
		if (calib_plot_data_end(p))
			goto out;
		if (o->dumb ? title(p, "set title ", o->title, c->name, "\n")
		            : (calib_plot_code(p, "set title ") ||
		               calib_plot_label(p, c->name, title_w, 2) ||
		               calib_plot_code(p, "\n")))
			goto out;
		if (calib_plot_code(
		            p, "set xrange [0.4:%zu.6]\nset yrange [%g:%g]\nset xtics %s\n", I,
		            lo - 0.08 * (hi - lo) - 0.1, hi + 0.08 * (hi - lo) + 0.1,
		            rotate ? "rotate by 90 right" : "norotate") ||
		    tics(p, "x", shown, at, n_shown, SPREAD_CALL, 1))
			goto out;
		if (c->labelled) {
			const char *lab[64];
			double v[64];
			size_t nl = 0;
			for (size_t l = 0; l < c->n_levels && nl < 64; l++)
				if (isfinite(c->value[l])) {
					lab[nl] = c->label[l];
					v[nl++] = c->value[l];
				}
			if (tics(p, "y", lab, v, nl, 10, 1))
				goto out;
		} else {
			bool whole = true;
			for (size_t l = 0; l < c->n_levels; l++)
				if (isfinite(c->value[l]) && c->value[l] != floor(c->value[l]))
					whole = false;
			if (whole && hi - lo <= 20
			            ? calib_plot_code(p, "set ytics %d\n", hi - lo > 6 ? 2 : 1)
			            : calib_plot_code(p, "set ytics autofreq\n"))
				goto out;
		}
		if (calib_plot_code(p, "set ylabel %s\n",
		                    c->labelled || nc > 1 ? "''" : "'score'"))
			goto out;
		if (o->dumb) {
			if (calib_plot_code(
			            p, "set key top outside horizontal\nplot $range using "
			               "1:2:(0):3 "
			               "with vectors nohead lc rgb '#CCCCCC' notitle, \\\n"))
				goto out;
			for (size_t r = 0; r < R; r++)
				if (calib_plot_code(p,
				                    "  $scores using ($3 == %zu ? $1 : NaN):2 "
				                    "with points lt %zu "
				                    "pt %zu title ",
				                    r + 1, r + 1, r % 6 + 1) ||
				    calib_plot_label(p, calib_names_get(s->raters, (uint32_t)r),
				                     14, 1) ||
				    calib_plot_code(p, "%s", r + 1 < R ? ", \\\n" : "\n"))
					goto out;
		} else if (calib_plot_code(p,
		                           "unset key\nplot $range using 1:2:(0):3 with "
		                           "vectors nohead lw 8 "
		                           "lc rgb '#DDDDDD', $scores using "
		                           "1:2:(rater_pt($3)):3 with points pt variable ps %s "
		                           "lc variable\n",
		                           nc > 4 ? "0.9" : "1.3"))
			goto out;
		if (!o->dumb && k == 0 && unset_legend(p, s))
			goto out;
		if (calib_plot_code(p, "undefine $scores $range\n"))
			goto out;
	}
	st = o->dumb ? CALIB_OK : calib_plot_code(p, "unset multiplot\n");
out:
	if (calls)
		for (size_t i = 0; i < I; i++)
			free(calls[i]);
	free(calls);
	free(prefix);
	free(what);
	free(shown);
	free(at);
	return st;
}

/* The reference of heatmap and bland-altman as calib-raters' options. */
static void
raters_opts(const struct calib_plots_opts *o, struct calib_raters_opts *ro)
{
	calib_raters_opts_init(ro);
	ro->consensus = o->consensus;
	ro->expert = o->expert_id;
}

/* What the deviations are measured from, for titles: static text. */
static const char *
reference_text(const struct calib_plots_opts *o)
{
	if (o->key)
		return "the answer key";
	if (o->expert_id != CALIB_NONE)
		return "the expert";
	return o->consensus == CALIB_CONSENSUS_MEAN ? "the mean of the others"
	                                            : "the median of the others";
}

/*
 * Mean over calls of (x_r - reference) on criterion k, the reference as
 * calib-raters takes it (calib_raters_scores): dev[r] and the number of
 * calls n[r]; NAN when rater r has none (the expert never has).
 */
static enum calib_status
deviations(const struct calib_store *s, uint32_t k, const struct calib_plots_opts *o,
           double *dev, size_t *n)
{
	size_t R = calib_names_count(s->raters), ns = 0;
	struct calib_raters_opts ro;
	struct calib_raters_score *sc = NULL;
	enum calib_status st;

	raters_opts(o, &ro);
	if ((st = calib_raters_scores(s, k, &ro, &sc, &ns, NULL)))
		return st;
	for (size_t r = 0; r < R; r++)
		dev[r] = 0, n[r] = 0;
	for (size_t i = 0; i < ns; i++) {
		dev[sc[i].rater] += sc[i].value - sc[i].ref;
		n[sc[i].rater]++;
	}
	for (size_t r = 0; r < R; r++)
		dev[r] = n[r] ? dev[r] / (double)n[r] : NAN;
	free(sc);
	return CALIB_OK;
}

/* ---- heatmap ---- */

/* Pixels of a rater's column: room for "+0.25" at 13 points. */
#define HEAT_COL 64.0

enum calib_status
calib_plots_heatmap(struct calib_plot *p, const struct calib_store *s,
                    const struct calib_plots_opts *o)
{
	size_t name_len = 4, label_w;
	double col, left, right, bottom, top = 1;
	bool rotate = false;
	unsigned w, h;
	size_t NR = calib_names_count(s->raters), C = s->n_criteria, R = 0;
	double *dev = malloc((NR ? NR : 1) * sizeof *dev), m = 0.05;
	size_t *cnt = malloc((NR ? NR : 1) * sizeof *cnt);
	uint32_t *who = malloc((NR ? NR : 1) * sizeof *who);
	const char **lab = malloc((NR + C + 1) * sizeof *lab);
	double *at = malloc((NR + C + 1) * sizeof *at);
	enum calib_status st = CALIB_ENOMEM;

	if (!dev || !cnt || !who || !lab || !at)
		goto out;
	/* a column per rater, the expert (the reference itself) left out */
	for (size_t r = 0; r < NR; r++)
		if (r != o->expert_id)
			who[R++] = (uint32_t)r;
	if (R == 0) /* the expert alone: its (empty) column rather than none */
		for (; R < NR; R++)
			who[R] = (uint32_t)R;
	if (calib_plot_data_begin(p, "heat"))
		goto out;
	for (size_t k = 0; k < C; k++) {
		const struct calib_criterion *c = &s->criteria[k];
		double lo, hi;
		value_range(c, &lo, &hi);
		if ((st = deviations(s, (uint32_t)k, o, dev, cnt)))
			goto out;
		st = CALIB_ENOMEM;
		for (size_t j = 0; j < R; j++) {
			double d = dev[who[j]];
			double row[4] = {(double)(k + 1), (double)(j + 1),
			                 hi > lo ? d / (hi - lo) : NAN, d};
			if (isfinite(row[2]))
				m = fmax(m, fabs(row[2]));
			if (calib_plot_data_row(p, row, 4))
				goto out;
		}
	}
	if (calib_plot_data_end(p))
		goto out;
	m = ceil(m * 20) / 20;
	{
		const char *ex = o->expert_id != CALIB_NONE && !o->key
		                         ? calib_names_get(s->raters, o->expert_id)
		                         : "";
		size_t wn = strlen(ex) + 120;
		char *what = malloc(wn);
		if (!what)
			goto out;
		if (*ex && o->dumb)
			snprintf(what, wn,
			         "mean deviation from the expert %s (+ lenient, - severe)", ex);
		else if (*ex)
			snprintf(what, wn,
			         "mean deviation of each rater from the expert %s on the same "
			         "calls",
			         ex);
		else if (o->dumb)
			snprintf(what, wn, "mean deviation from %s (+ lenient, - severe)",
			         reference_text(o));
		else
			snprintf(what, wn,
			         "mean deviation of each rater from %s on the same calls",
			         reference_text(o));
		st = title(p, "set title ", o->title, what, "\n");
		free(what);
		if (st)
			goto out;
		st = CALIB_ENOMEM;
	}
	/*
	 * Criteria down the left, one row of two-line labels each (one line
	 * for dumb), raters across: the plot grows with both, and rater names
	 * wider than their column are turned.
	 */
	for (size_t j = 0; j < R; j++)
		if (strlen(calib_names_get(s->raters, who[j])) > name_len)
			name_len = strlen(calib_names_get(s->raters, who[j]));
	if (name_len > 14)
		name_len = 14;
	if (o->dumb) {
		col = (double)(name_len > 6 ? name_len + 2 : 8);
		calib_plot_fit(p, (unsigned)(26 + col * (double)R), (unsigned)(2 * C + 9));
		calib_plot_size(p, &w, &h);
		/* what the columns leave of the width, for the criteria */
		label_w = (size_t)fmax(12, fmin(40, (double)w - 8 - col * (double)R));
		left = ((double)label_w + 3) / w;
		right = 1 - 2.0 / w;
		bottom = 4.0 / h;
	} else {
		rotate = (double)name_len * CHAR_PX + 10 > HEAT_COL;
		calib_plot_fit(p, (unsigned)(30 * CHAR_PX + 24 + HEAT_COL * (double)R + 190),
		               (unsigned)((double)(AGREE_ROW * C) + 150 +
		                          (rotate ? (double)name_len * CHAR_PX * 0.71 : 20)));
		calib_plot_size(p, &w, &h);
		label_w = (size_t)fmax(12, fmin(30, ((double)w * 0.3 - 24) / CHAR_PX));
		left = ((double)label_w * CHAR_PX + 24) / w;
		right = 1 - 190.0 / w;
		top = 1 - 64.0 / h;
		bottom = (96 + (rotate ? (double)name_len * CHAR_PX * 0.71 : 20)) / h;
	}
	for (size_t k = 0; k < C; k++) {
		lab[k] = s->criteria[k].name;
		at[k] = (double)(k + 1);
	}
	if (calib_plot_code(p,
	                    "set xrange [0.5:%zu.5]\nset yrange [%zu.5:0.5]\nset xtics %s "
	                    "scale 0\nset ytics scale 0\nunset grid\nset border 0\n"
	                    "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
	                    "set bmargin at screen %.4f\n",
	                    R, C, rotate ? "rotate by 45 right" : "norotate", left, right,
	                    bottom) ||
	    tics(p, "y", lab, at, C, label_w, o->dumb ? 1 : 2))
		goto out;
	for (size_t j = 0; j < R; j++) {
		lab[j] = calib_names_get(s->raters, who[j]);
		at[j] = (double)(j + 1);
	}
	if (tics(p, "x", lab, at, R, name_len, 1))
		goto out;
	if (o->dumb) {
		st = calib_plot_code(
		        p,
		        "set xlabel 'in score points; + above the reference (lenient), - below "
		        "(severe)'\nplot $heat using 2:1:(sprintf('%%+.2f', $4)) with "
		        "labels\n");
		goto out;
	}
	/* the colour box a fixed width beside the cells, whatever the plot's width */
	if (calib_plot_diverging_palette(p) ||
	    calib_plot_code(p,
	                    "set tmargin at screen %.4f\nset colorbox user origin screen "
	                    "%.4f, screen %.4f size screen %.4f, screen %.4f\n",
	                    top, right + 18.0 / w, bottom, 24.0 / w, top - bottom) ||
	    calib_plot_code(
	            p,
	            "set cbrange [%g:%g]\nset cbtics format '%%+.2f'\n"
	            "set cblabel 'share of the scale: + lenient, - severe'\n"
	            "set xlabel 'cells: mean difference in score points from %s on the "
	            "same call'\n"
	            "plot $heat using 2:1:3 with image pixels, $heat using 2:1:(sprintf('%%+.2f', "
	            "$4)) "
	            "with labels font ',%s'\n",
	            -m, m, reference_text(o), R > 12 ? "11" : "13"))
		goto out;
	st = CALIB_OK;
out:
	free(dev);
	free(cnt);
	free(who);
	free(lab);
	free(at);
	return st;
}

/* ---- Bland-Altman ---- */

uint32_t
calib_plots_ba_criterion(const struct calib_store *s)
{
	for (size_t k = 0; k < s->n_criteria; k++)
		if (s->criteria[k].scale == CALIB_SCALE_INTERVAL ||
		    s->criteria[k].scale == CALIB_SCALE_RATIO)
			return (uint32_t)k;
	for (size_t k = 0; k < s->n_criteria; k++)
		if (s->criteria[k].scale == CALIB_SCALE_ORDINAL)
			return (uint32_t)k;
	return CALIB_NONE;
}

/* Raters on one Bland-Altman page; with more, the most out of line are drawn. */

struct ba_rank {
	double off; /* |bias| */
	uint32_t rater;
};

/* Larger |bias| first, then rater id. */
static int
cmp_out_of_line(const void *a, const void *b)
{
	const struct ba_rank *x = a, *y = b;

	if (x->off != y->off)
		return x->off > y->off ? -1 : 1;
	return (x->rater > y->rater) - (x->rater < y->rater);
}

/*
 * Each rater's differences from the reference on criterion ci, one panel a
 * rater. With more than CALIB_PLOTS_BA_PAGE raters, the CALIB_PLOTS_BA_PAGE with the largest
 * |bias| are drawn, most out of line first, and *left_out says how many were not.
 */
enum calib_status
calib_plots_bland_altman(struct calib_plot *p, const struct calib_store *s,
                         const struct calib_plots_opts *o, uint32_t ci, size_t *left_out)
{
	const struct calib_criterion *c = &s->criteria[ci];
	size_t R = calib_names_count(s->raters), np = 0, ns = 0;
	double lo, hi, ymax = 0.5;
	double *bias = calloc(R ? R : 1, sizeof *bias), *sd = calloc(R ? R : 1, sizeof *sd);
	size_t *cnt = calloc(R ? R : 1, sizeof *cnt);
	struct calib_raters_limits *lim = calloc(R ? R : 1, sizeof *lim);
	struct ba_rank *shown = calloc(R ? R : 1, sizeof *shown);
	bool *drawn = calloc(R ? R : 1, sizeof *drawn);
	struct calib_raters_opts ro;
	struct calib_raters_score *sc = NULL;
	enum calib_status st = CALIB_ENOMEM;
	uint32_t expert = o->expert_id;
	const char *ref = expert == CALIB_NONE || o->key ? reference_text(o)
	                                                 : calib_names_get(s->raters, expert);
	const char *the = expert == CALIB_NONE || o->key ? "" : "the expert ";
	char *what = NULL;
	size_t wn;
	struct page g = {0};

	*left_out = 0;
	if (!bias || !sd || !cnt || !lim || !shown || !drawn)
		goto out;
	value_range(c, &lo, &hi);
	raters_opts(o, &ro);
	if ((st = calib_raters_scores(s, ci, &ro, &sc, &ns, NULL)))
		goto out;
	st = CALIB_ENOMEM;
	for (size_t k = 0; k < ns; k++) {
		double d = sc[k].value - sc[k].ref;
		bias[sc[k].rater] += d;
		sd[sc[k].rater] += d * d;
		cnt[sc[k].rater]++;
	}
	for (size_t r = 0; r < R; r++)
		if (cnt[r]) {
			double mean = bias[r] / (double)cnt[r];
			sd[r] = cnt[r] > 1
			                ? sqrt(fmax(0, (sd[r] - (double)cnt[r] * mean * mean) /
			                                       (double)(cnt[r] - 1)))
			                : NAN;
			bias[r] = mean;
			calib_raters_limits(mean, sd[r], cnt[r], 0.95, &lim[r]);
			shown[np].off = fabs(mean);
			shown[np++].rater = (uint32_t)r;
		} else
			bias[r] = sd[r] = NAN;
	if (np == 0) {
		st = CALIB_EARG;
		goto out;
	}
	/* more than a page: the most out of line first, the rest left out */
	if (np > CALIB_PLOTS_BA_PAGE) {
		qsort(shown, np, sizeof *shown, cmp_out_of_line);
		*left_out = np - CALIB_PLOTS_BA_PAGE;
		np = CALIB_PLOTS_BA_PAGE;
	}
	for (size_t k = 0; k < np; k++)
		drawn[shown[k].rater] = true;
	for (size_t k = 0; k < np; k++) {
		uint32_t r = shown[k].rater;
		if (isfinite(sd[r]))
			ymax = fmax(ymax, fmax(fabs(lim[r].lower_lo), fabs(lim[r].upper_hi)));
	}
	/* one datablock of the drawn raters: x = mean, y = difference, rater */
	if (calib_plot_data_begin(p, "ba"))
		goto out;
	for (size_t k = 0; k < ns; k++) {
		size_t i = sc[k].item;
		uint32_t r = sc[k].rater;
		double v = sc[k].value, rv = sc[k].ref, d = v - rv, row[3];
		/* deterministic jitter, so equal scores stay visible */
		double jit = (fmod((double)i * 0.618034 + r * 0.414214, 1.0) - 0.5) * 0.25 *
		             (hi - lo) / fmax(1.0, (double)c->n_levels);
		if (!drawn[r])
			continue;
		row[0] = (v + rv) / 2 + jit;
		row[1] = d;
		row[2] = (double)r + 1;
		ymax = fmax(ymax, fabs(d));
		if (calib_plot_data_row(p, row, 3))
			goto out;
	}
	if (calib_plot_data_end(p))
		goto out;
	ymax = ceil(ymax * 1.15 * 2) / 2;
	wn = strlen(c->name) + strlen(ref) + 160;
	if (!(what = malloc(wn)))
		goto out;
	if (*left_out)
		snprintf(what, wn,
		         "%s: the %zu raters most out of line of %zu, against %s%s "
		         "(Bland-Altman; %zu not shown)",
		         c->name, np, np + *left_out, the, ref, *left_out);
	else
		snprintf(what, wn, "%s: each rater against %s%s (Bland-Altman)", c->name, the,
		         ref);
	if (!o->dumb)
		page_layout(p, &g, np, 60, 0, 0, 300, 2);
	if (page_begin(p, o, &g, what))
		goto out;
	if (calib_plot_code(p,
	                    "set xrange [%g:%g]\nset yrange [%g:%g]\nunset key\n"
	                    "set xlabel %s\nset ylabel 'difference'\n",
	                    lo - 0.05 * (hi - lo) - 0.3, hi + 0.05 * (hi - lo) + 0.3, -ymax,
	                    ymax,
	                    expert == CALIB_NONE ? "'mean of rater and consensus'"
	                    : o->key             ? "'mean of rater and key'"
	                                         : "'mean of rater and expert'"))
		goto out;
	for (size_t k = 0; k < np; k++) {
		size_t r = shown[k].rater;
		char text[160], cis[160] = "", calls[48];
		if (o->dumb ? title(p, "set label 1 at screen 0.01, screen 0.98 left ",
		                    o->title, what, "\n")
		            : CALIB_OK)
			goto out;
		/* two lines: the rater and its calls; the bias and the limits */
		snprintf(calls, sizeof calls, " (%zu call%s)", cnt[r], cnt[r] == 1 ? "" : "s");
		if (isfinite(sd[r])) {
			snprintf(text, sizeof text, "bias %+.2f, limits %+.2f to %+.2f",
			         bias[r], lim[r].lower, lim[r].upper);
			snprintf(cis, sizeof cis,
			         "95%% CI of the limits [%+.2f, %+.2f], [%+.2f, %+.2f]",
			         lim[r].lower_lo, lim[r].lower_hi, lim[r].upper_lo,
			         lim[r].upper_hi);
		} else
			snprintf(text, sizeof text, "bias %+.2f, no limits", bias[r]);
		/* the limits' intervals: in words on a text page, else bands and labels */
		if (calib_plot_cmd(p, "set title ", calib_names_get(s->raters, (uint32_t)r),
		                   ".") ||
		    calib_plot_string(p, calls) || calib_plot_code(p, ".\"\\n\".") ||
		    calib_plot_string(p, text) ||
		    (o->dumb && *cis &&
		     (calib_plot_code(p, ".\"\\n\".") || calib_plot_string(p, cis))) ||
		    calib_plot_code(p, "\n"))
			goto out;
		for (int u = 0; !o->dumb && *cis && u < 2; u++) {
			double l = u ? lim[r].upper : lim[r].lower,
			       a = u ? lim[r].upper_lo : lim[r].lower_lo,
			       b = u ? lim[r].upper_hi : lim[r].lower_hi;
			if (calib_plot_code(
			            p,
			            "set object %d rect from graph 0, first %.17g to graph 1, "
			            "first %.17g behind fc lt %zu fs transparent solid 0.15 "
			            "noborder\n"
			            "set label %d '95%% CI [%+.2f, %+.2f]' at graph 0.99, "
			            "first %.17g right offset 0,%s font ',9' tc lt %zu\n",
			            10 + u, a, b, r + 1, 10 + u, a, b, l, u ? "0.7" : "-0.7",
			            r + 1))
				goto out;
		}
		if (calib_plot_code(
		            p,
		            "plot 0 with lines lc rgb '#999999' lw 1, %.17g with lines lt %zu "
		            "lw 2, "
		            "%.17g with lines lt %zu lw 1 dt 2, %.17g with lines lt %zu lw 1 "
		            "dt 2, "
		            "$ba using ($3 == %zu ? $1 : NaN):2 with points lt %zu pt 7\n",
		            bias[r], r + 1, isfinite(sd[r]) ? lim[r].lower : bias[r], r + 1,
		            isfinite(sd[r]) ? lim[r].upper : bias[r], r + 1, r + 1, r + 1))
			goto out;
		if (!o->dumb && *cis &&
		    calib_plot_code(p, "unset object 10\nunset object 11\nunset label 10\n"
		                       "unset label 11\n"))
			goto out;
	}
	st = o->dumb ? CALIB_OK : calib_plot_code(p, "unset multiplot\n");
out:
	free(what);
	free(bias);
	free(sd);
	free(cnt);
	free(lim);
	free(shown);
	free(drawn);
	free(sc);
	return st;
}

/* Does an alert fire for criterion c at session i? */
static bool
drift_fires(const struct calib_drift *d, size_t c, size_t i, const struct calib_plots_drift_opts *g,
      struct calib_drift_alert *buf)
{
	size_t n = calib_drift_alerts(d, i, g->min, g->max_drop, g->on_estimate, buf,
	                              2 * d->n_criteria);
	for (size_t k = 0; k < n && k < 2 * d->n_criteria; k++)
		if (buf[k].criterion == c)
			return true;
	return false;
}

/*
 * Colours and point types of the series of a one-panel chart: hues of
 * Okabe & Ito (2008) that stay apart for colour-blind readers, with
 * neither two blues nor vermillion (the alert rings), and four shapes
 * (filled circle, square, triangle, diamond). The dumb terminal draws
 * point type k as the letter k (A, B, C, D), the alert ring (6) as F.
 */
static const char *const drift_colour[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7"};
static const int drift_pt[] = {7, 5, 9, 13};
#define DRIFT_ALERT_COLOUR "#D55E00"

/* Pixels of a character at the panels' 11- to 14-point text, rounded up. */
#define DRIFT_CHAR_PX 10.0

/*
 * Do the criteria's series (the TOTAL aside) differ in their statistic?
 * Cannot fail.
 */
static bool
drift_mixed(const struct calib_drift *d)
{
	bool mixed = false;

	for (size_t c = 1; c + d->total < d->n_criteria; c++)
		mixed = mixed || strcmp(d->trend[c].stat, d->trend[0].stat) != 0;
	return mixed;
}

/* Is row c the TOTAL with a statistic of its own (--stat fleiss_kappa: icc2)? */
static bool
drift_total_apart(const struct calib_drift *d, size_t c)
{
	return d->total && c + 1 == d->n_criteria && c > 0 &&
	       strcmp(d->trend[c].stat, d->trend[0].stat) != 0;
}

/*
 * The chart's title into buf: "NAME: STAT per session" when every
 * criterion has the same statistic (the TOTAL's named apart when it has
 * another), else the policy in words.
 */
static void
drift_title(const struct calib_drift *d, const char *name, char *buf, size_t n)
{
	size_t last = d->n_criteria ? d->n_criteria - 1 : 0;

	if (d->rater) {
		snprintf(buf, n,
		         "%s%seach rater's calibration score against the answer key, with "
		         "its 95%% CI",
		         name, *name ? ": " : "");
		return;
	}
	if (d->n_criteria && !drift_mixed(d))
		snprintf(buf, n, "%s%s%s per session with its 95%% CI%s%s%s", name,
		         *name ? ": " : "", d->trend[0].stat,
		         drift_total_apart(d, last) ? " (TOTAL: " : "",
		         drift_total_apart(d, last) ? d->trend[last].stat : "",
		         drift_total_apart(d, last) ? ")" : "");
	else
		snprintf(buf, n,
		         "%s%sagreement per session with its 95%% CI (the coefficient of each "
		         "scale, named by criterion)",
		         name, *name ? ": " : "");
}

/* What the alert rings mean, from --min and --max-drop, into buf. */
static void
drift_alert_text(const struct calib_plots_drift_opts *g, size_t window, char *buf, size_t n)
{
	char a[64] = "", b[128] = "";

	if (g->on_estimate) {
		if (!isnan(g->min))
			snprintf(a, sizeof a, "below the minimum %g", g->min);
		if (!isnan(g->max_drop))
			snprintf(b, sizeof b, "more than %g below the mean of the %zu sessions before",
			         g->max_drop, window);
	} else { /* the default judges the interval: its upper bound, a drop's CI */
		if (!isnan(g->min))
			snprintf(a, sizeof a, "CI below %g", g->min);
		if (!isnan(g->max_drop))
			snprintf(b, sizeof b, "a drop over %g from the %zu sessions' mean, CI excluding 0",
			         g->max_drop, window);
	}
	snprintf(buf, n, "alert: %s%s%s", a, *a && *b ? ", or " : "", b);
}

/*
 * A series' name in a key or panel title: the criterion, and its statistic
 * when the statistics differ (mixed).
 */
static char *
drift_series_name(const struct calib_drift_trend *t, bool mixed)
{
	size_t n = strlen(t->criterion) + strlen(t->stat) + 4;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, mixed ? "%s (%s)" : "%s", t->criterion, t->stat);
	return s;
}

/*
 * The drift chart: per criterion the coefficient over sessions with its CI
 * clipped to [-1, 1]: in one panel up to four criteria, each its own
 * colour and shape, the intervals as error bars set a little apart so that
 * none hides another; beyond four, small multiples of one series each with
 * its interval shaded, on a page that grows with the panels. A title
 * names the statistic and the input (g->name: a file's name or "N files"),
 * a legend says what the alert rings and the threshold line mean, the
 * session names along the x axis are thinned and turned to fit. Input
 * text reaches the script only through calib_plot_string/label/cmd.
 * NULL when out of memory.
 */
struct calib_plot *
calib_plots_drift(const struct calib_drift *d, const struct calib_plots_drift_opts *g)
{
	size_t nc = d->n_criteria, ns = d->n_sessions;
	bool multi = nc > 4, dumb = g->term == CALIB_PLOT_DUMB, mixed = false;
	bool alerts = !isnan(g->min) || !isnan(g->max_drop);
	size_t cols = 1, rows = 1, longest = 1, title_w = 40, skip = 0;
	struct calib_drift_alert *buf = malloc((2 * nc + 1) * sizeof *buf);
	double lo = 0, thr = isnan(g->threshold) ? g->min : g->threshold;
	const char *thr_name = g->by_rater ? "pass mark" : "threshold";
	double tic_px = 24, slot;
	unsigned w = g->have_size ? g->w : 0, h = g->have_size ? g->h : 0;
	struct calib_plot *p = NULL;
	struct calib_plot_grid grid = {0};
	bool short_dates = false, rotate = false;
	size_t step = 1;
	char year[5] = "", heading[512], legend[256], *sname = NULL;

	if (!buf)
		return NULL;
	mixed = drift_mixed(d);
	drift_title(d, g->name, heading, sizeof heading);
	drift_alert_text(g, d->window, legend, sizeof legend);
	if (d->dated && ns > 0) {
		short_dates = true;
		memcpy(year, d->session[0], 4);
		for (size_t i = 1; i < ns; i++)
			short_dates = short_dates && memcmp(d->session[i], year, 4) == 0;
	}
	/* the session names' common prefix ("session-" of session-01...) once below */
	if (!short_dates && ns > 1) {
		skip = strlen(d->session[0]);
		for (size_t i = 1; i < ns; i++) {
			size_t k = 0;
			while (k < skip && d->session[i][k] == d->session[0][k])
				k++;
			skip = k;
		}
		/* never inside a character or a number */
		while (skip > 0 && (((unsigned char)d->session[0][skip] & 0xc0) == 0x80 ||
		                    (isdigit((unsigned char)d->session[0][skip]) &&
		                     isdigit((unsigned char)d->session[0][skip - 1]))))
			skip--;
		for (size_t i = 0; i < ns; i++)
			if (strlen(d->session[i]) <= skip)
				skip = 0;
		if (skip < 3)
			skip = 0;
	}
	for (size_t i = 0; i < ns; i++) {
		size_t l = strlen(d->session[i] + (short_dates ? 5 : skip));
		longest = l > longest ? (l < 12 ? l : 12) : longest;
	}
	if (!(p = calib_plot_alloc(g->term, w, h)))
		goto fail;
	if (multi) {
		while (cols * cols < nc)
			cols++;
		rows = (nc + cols - 1) / cols;
		if (dumb) {
			calib_plot_fit(p, (unsigned)(60 * cols), (unsigned)(18 * rows + 2));
		} else {
			/* two passes: the panels' width decides the tic labels' room */
			grid.left = 70;
			grid.right = 20;
			grid.xgap = 80;
			grid.top = 50 + 30 + (mixed ? 3 : 2) * 20 + 30;
			for (int pass = 0; pass < 2; pass++) {
				grid.ygap = (mixed ? 3 : 2) * 20 + 30 + tic_px + 8;
				grid.bottom = tic_px + 10;
				calib_plot_grid_fit(p, &grid, nc, 5, 260, 150);
				slot = grid.plot_w / (double)(ns ? ns : 1);
				rotate = (double)longest * 7.5 + 6 > slot;
				tic_px = (rotate ? (double)longest * DRIFT_CHAR_PX * 0.71 + 14 : 24) +
				         (short_dates || skip ? 26 : 0);
			}
			cols = grid.cols;
			rows = grid.rows;
			title_w = (size_t)fmax(16, (grid.plot_w + 40) / 9.5);
		}
	}
	calib_plot_size(p, &w, &h);
	if (dumb) {
		/* one tic label per 12 characters of a panel */
		size_t room = (w / cols > 24 ? w / cols - 12 : 12) / 12;
		step = room && ns > room ? (ns + room - 1) / room : 1;
	} else {
		if (!multi)
			slot = ((double)w - 460) / (double)(ns ? ns : 1);
		else
			slot = grid.plot_w / (double)(ns ? ns : 1);
		rotate = (double)longest * 7.5 + 6 > slot;
		/* turned 45 degrees, a label needs about 22 pixels along the axis */
		step = rotate ? (size_t)fmax(1, ceil(22 / slot)) : 1;
	}
	for (size_t c = 0; c < nc; c++)
		for (size_t i = 0; i < ns; i++) {
			const struct calib_drift_point *q = calib_drift_at(d, c, i);
			if (q->present && isfinite(q->lower) && q->lower < lo)
				lo = fmax(q->lower, -1);
			if (q->present && isfinite(q->estimate) && q->estimate < lo)
				lo = q->estimate;
		}
	if (isfinite(thr) && thr < lo)
		lo = thr;
	lo = floor(lo * 10 - 0.5) / 10;
	/*
	 * The shared style reads NaN as "missing", which joins the line across
	 * it; as "undefined" it breaks the line: a session without a value is
	 * a gap, not a straight line to the next one.
	 */
	if (calib_plot_style(p) || calib_plot_code(p, "unset datafile missing\n"))
		goto fail;
	for (size_t c = 0; c < nc; c++) {
		/* one panel: each series a little to the side, so no interval hides another */
		double dx = multi ? 0 : ((double)c - (double)(nc - 1) / 2) * 0.08;
		if (calib_plot_code(p, "$d%zu << EOD\n", c))
			goto fail;
		for (size_t i = 0; i < ns; i++) {
			const struct calib_drift_point *q = calib_drift_at(d, c, i);
			bool ok = q->present && !isnan(q->estimate);
			double v[5] = {(double)(i + 1) + dx, ok ? q->estimate : NAN,
			               ok ? q->lower : NAN, ok ? q->upper : NAN, NAN};
			if (ok && alerts && drift_fires(d, c, i, g, buf))
				v[4] = q->estimate;
			if (!isfinite(v[2]) || !isfinite(v[3]))
				v[2] = v[3] = v[1];
			/* small sessions give bounds past the coefficients' range */
			if (ok) {
				v[2] = fmax(v[2], -1);
				v[3] = fmin(v[3], 1);
			}
			if (calib_plot_data_row(p, v, 5))
				goto fail;
		}
		if (calib_plot_data_end(p))
			goto fail;
	}
	if (calib_plot_code(p, "set xrange [0.5:%zu.5]\nset yrange [%g:1.05]\n%s", ns, lo,
	                    multi ? "set ytics 0.2\nset key off\n"
	                    : g->by_rater
	                            ? "set ylabel 'calibration score'\n"
	                              "set key below left Left reverse maxcols 1 height 1\n"
	                            : "set ylabel 'coefficient'\n"
	                              "set key below left Left reverse maxcols 1 height 1\n"))
		goto fail;
	/* dates of one year: the year once below the axis, MM-DD on the tics */
	if (short_dates && (calib_plot_code(p, "set xlabel ") ||
	                    calib_plot_label(p, year, 0, 1) || calib_plot_code(p, "\n")))
		goto fail;
	if (skip) {
		char *x = malloc(skip + 8);
		enum calib_status st;
		if (!x)
			goto fail;
		snprintf(x, skip + 8, "%.*s...", (int)skip, d->session[0]);
		st = calib_plot_cmd(p, "set xlabel ", x, "\n");
		free(x);
		if (st)
			goto fail;
	}
	if (calib_plot_code(p, "set xtics ("))
		goto fail;
	for (size_t i = 0, first = 1; i < ns; i++) {
		/* every step-th, and the last one when it has room */
		if (i % step != 0 && !(i + 1 == ns && 2 * (i % step) > step))
			continue;
		if ((!first && calib_plot_code(p, ", ")) ||
		    calib_plot_label(p, d->session[i] + (short_dates ? 5 : skip), 12, 2) ||
		    calib_plot_code(p, " %zu", i + 1))
			goto fail;
		first = 0;
	}
	if (calib_plot_code(p, ")\n%s", rotate && !dumb ? "set xtics rotate by 45 right\n" : ""))
		goto fail;
	if (!multi) {
		if (calib_plot_cmd(p, "set title ", heading, "\n"))
			goto fail;
	} else if (dumb) {
		/* text: the legend is the title's second line */
		char line[300];
		snprintf(line, sizeof line, "%s%s%s%s", alerts ? "F: " : "",
		         alerts ? legend : "", isfinite(thr) ? (alerts ? "; =: " : "=: ") : "",
		         isfinite(thr) ? thr_name : "");
		if (calib_plot_code(p, "set multiplot layout %zu,%zu title ", rows, cols) ||
		    calib_plot_string(p, heading) ||
		    (*line && (calib_plot_code(p, ".\"\\n\".") || calib_plot_string(p, line))) ||
		    calib_plot_code(p, "\n"))
			goto fail;
	} else {
		/* the legend under the page's title: ring, threshold, shading */
		double y = 1 - 62.0 / h, x = 20.0 / w;
		if (alerts) {
			if (calib_plot_code(p,
			                    "set label 9001 at screen %.4f, screen %.4f left "
			                    "point pt 6 ps 2 lw 2 lc rgb '%s' offset 1.5,0 ",
			                    x + 8.0 / w, y, DRIFT_ALERT_COLOUR) ||
			    calib_plot_string(p, legend) || calib_plot_code(p, "\n"))
				goto fail;
			x += (56 + (double)strlen(legend) * DRIFT_CHAR_PX) / w;
		}
		if (isfinite(thr) &&
		    calib_plot_code(p,
		                    "set arrow 9001 from screen %.4f, screen %.4f to screen "
		                    "%.4f, screen %.4f nohead dt 2 lw 1.5 lc rgb '#000000'\n"
		                    "set label 9002 at screen %.4f, screen %.4f left "
		                    "'%s %g'\n",
		                    x, y, x + 40.0 / w, y, x + 48.0 / w, y, thr_name, thr))
			goto fail;
		if (isfinite(thr))
			x += 190.0 / w;
		if (calib_plot_code(p,
		                    "set object 9001 rect from screen %.4f, screen %.4f to screen "
		                    "%.4f, screen %.4f fc rgb '%s' fs transparent solid 0.25 "
		                    "noborder\nset label 9003 at screen %.4f, screen %.4f left "
		                    "'shaded: 95%% CI'\n",
		                    x, y - 8.0 / h, x + 40.0 / w, y + 8.0 / h, drift_colour[0],
		                    x + 48.0 / w, y) ||
		    calib_plot_code(p, "set title font ',13'\nset xtics font ',11'\n"
		                       "set ytics font ',11'\n") ||
		    calib_plot_grid_begin(p, &grid, true) || calib_plot_string(p, heading) ||
		    calib_plot_code(p, " font ',16'\n"))
			goto fail;
	}
	for (size_t c = 0; c < nc; c++) {
		const char *col = multi ? drift_colour[0] : drift_colour[c % 4];
		int pt = dumb ? (multi ? 1 : (int)c + 1) : multi ? 7 : drift_pt[c % 4];
		free(sname);
		if (!(sname = drift_series_name(&d->trend[c], mixed || drift_total_apart(d, c))))
			goto fail;
		if (multi || c == 0) {
			/* a panel's title: the criterion in two lines, its statistic below */
			if (multi &&
			    (calib_plot_code(p, "set title ") ||
			     calib_plot_label(p, d->trend[c].criterion, dumb ? 0 : title_w, 2) ||
			     ((mixed || drift_total_apart(d, c)) &&
			      (calib_plot_code(p, ".\"\\n\".") ||
			       calib_plot_string(p, d->trend[c].stat))) ||
			     calib_plot_code(p, "\n")))
				goto fail;
			if (calib_plot_code(p, "plot "))
				goto fail;
		}
		/*
		 * The interval: shaded in a panel of its own, error bars where
		 * series share the panel; a text terminal fills bands with
		 * characters that hide the lines.
		 */
		if (!dumb && (multi ? calib_plot_code(p,
		                                      "$d%zu using 1:3:4 with filledcurves fill "
		                                      "transparent solid 0.25 noborder lc rgb "
		                                      "'%s' notitle, \\\n  ",
		                                      c, col)
		                    : calib_plot_code(p,
		                                      "$d%zu using 1:2:3:4 with yerrorbars lw 1.5 "
		                                      "pt %d ps 0.01 lc rgb '%s' notitle, \\\n  ",
		                                      c, pt, col)))
			goto fail;
		if (calib_plot_code(p,
		                    "$d%zu using 1:2 with linespoints lw 2 pt %d ps 1.3 lc rgb '%s' "
		                    "title ",
		                    c, pt, col) ||
		    calib_plot_label(p, sname, 0, 1) ||
		    calib_plot_code(p,
		                    ", \\\n  $d%zu using 1:5 with points pt 6 ps 2.5 lw 2 lc rgb "
		                    "'%s' ",
		                    c, DRIFT_ALERT_COLOUR) ||
		    (alerts && c == 0 && !multi
		             ? calib_plot_cmd(p, "title ", legend, NULL)
		             : calib_plot_code(p, "notitle")))
			goto fail;
		if (multi || c + 1 == nc) {
			/* text draws line type 7 with '=' */
			if (isfinite(thr) &&
			    calib_plot_code(p, ", \\\n  %.17g with lines %s title '%s %g'", thr,
			                    dumb ? "lt 7" : "dt 2 lw 1.5 lc rgb '#000000'",
			                    thr_name, thr))
				goto fail;
			if (calib_plot_code(p, "\n"))
				goto fail;
		} else if (calib_plot_code(p, ", \\\n  "))
			goto fail;
		/* the page's legend is drawn once, with the first panel */
		if (multi && !dumb && c == 0 &&
		    calib_plot_code(p, "unset label 9001\nunset label 9002\nunset label 9003\n"
		                       "unset arrow 9001\nunset object 9001\n"))
			goto fail;
	}
	if (multi && calib_plot_code(p, "unset multiplot\n"))
		goto fail;
	free(sname);
	free(buf);
	return p;
fail:
	free(sname);
	free(buf);
	calib_plot_free(p);
	return NULL;
}

/* ---- calib-audit's chart ---- */

/*
 * Pixels of a row of the audit chart, of a character of its 12-point tic
 * labels and legend, and above the plot: the title, a row of legend (two
 * when narrow) and the x tics repeated.
 */
#define AUDIT_ROW     20u
#define AUDIT_CHAR_PX 8.5
#define AUDIT_TOP     120u
#define AUDIT_HARSH   "#0072B2"
#define AUDIT_LENIENT "#D55E00"
#define AUDIT_NEUTRAL "#444444"

struct audit_row {
	const char *name;
	uint32_t component;
	double raw, adjusted, lo, hi;
};

static int
cmp_audit_row(const void *a, const void *b)
{
	const struct audit_row *x = a, *y = b;

	if (x->component != y->component)
		return x->component < y->component ? -1 : 1;
	/* most lenient first; ties by name for a stable order */
	if (x->adjusted != y->adjusted)
		return x->adjusted > y->adjusted ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Which point clause draws a row: 0 neutral, 1 harsh, 2 lenient (its CI excludes 0). */
static int
audit_kind(const struct audit_row *r)
{
	return isfinite(r->hi) && r->hi < 0 ? 1 : isfinite(r->lo) && r->lo > 0 ? 2 : 0;
}

/*
 * The legend under the title, as labels with points at screen positions,
 * one row or two when the page is narrow (text says it in the x label).
 * Entry 0 is the raw deviation, 1 + k the
 * points of kind k, drawn when count[k] > 0.
 */
static enum calib_status
audit_legend(struct calib_plot *p, const size_t *count, double conf)
{
	static const char *const colour[4] = {"#000000", AUDIT_NEUTRAL, AUDIT_HARSH,
	                                      AUDIT_LENIENT};
	char text[4][80];
	double len[4], row_w[4] = {0, 0, 0, 0};
	size_t row_of[4], r = 0;
	unsigned w, h;
	double x = 0;

	calib_plot_size(p, &w, &h);
	snprintf(text[0], sizeof text[0], "raw: mean score minus the evaluators' average");
	snprintf(text[1], sizeof text[1], "adjusted, with its %g%% CI", conf * 100);
	snprintf(text[2], sizeof text[2], "harsh: CI below 0");
	snprintf(text[3], sizeof text[3], "lenient: CI above 0");
	/* the entries into rows that fit the page, each row centred */
	for (size_t i = 0; i < 4; i++) {
		len[i] = (double)strlen(text[i]) * AUDIT_CHAR_PX + 50;
		if (i && !count[i - 1])
			continue;
		if (row_w[r] > 0 && row_w[r] + len[i] > w - 40)
			r++;
		row_of[i] = r;
		row_w[r] += len[i];
	}
	for (size_t i = 0, prev = SIZE_MAX; i < 4; i++) {
		if (i && !count[i - 1])
			continue;
		if (row_of[i] != prev)
			x = fmax(20, (w - row_w[row_of[i]]) / 2);
		prev = row_of[i];
		if (calib_plot_code(p,
		                    "set label %zu at screen %.4f, screen %.4f left font ',12' "
		                    "point pt %d ps 1.1 lw 1.5 lc rgb '%s' offset 1.2,0 ",
		                    9001 + i, (x + 8) / w, 1 - (50 + 22 * (double)row_of[i]) / h,
		                    i ? 7 : 6, colour[i]) ||
		    calib_plot_string(p, text[i]) || calib_plot_code(p, "\n"))
			return CALIB_ENOMEM;
		x += len[i];
	}
	return CALIB_OK;
}

enum calib_status
calib_plots_audit(struct calib_plot *p, const struct calib_audit_fit *f,
                  const char *const *name, const struct calib_plots_audit_opts *o)
{
	static const char *const kind_colour[3] = {AUDIT_NEUTRAL, AUDIT_HARSH, AUDIT_LENIENT};
	struct audit_row *row = malloc((f->n_evaluators + 1) * sizeof *row);
	const char **labels = NULL;
	double *at = NULL, xmin = 0, xmax = 0, pad, left;
	size_t n = 0, label_w = 8, count[3] = {0, 0, 0};
	bool dumb = calib_plot_terminal(p) == CALIB_PLOT_DUMB, split;
	unsigned w, h;
	char text[600];
	enum calib_status st = CALIB_ENOMEM;

	if (!row)
		return CALIB_ENOMEM;
	for (size_t j = 0; j < f->n_evaluators; j++) {
		struct audit_row *r;
		if (!f->n[j] || isnan(f->adjusted[j]))
			continue;
		r = &row[n++];
		r->name = name[j] ? name[j] : "";
		r->component = f->component[j];
		r->raw = f->raw[j];
		r->adjusted = f->adjusted[j];
		r->lo = f->lo[j];
		r->hi = f->hi[j];
		count[audit_kind(r)]++;
		for (size_t k = 0; k < 3; k++) {
			double v = k == 0 ? r->raw : k == 1 ? r->lo : r->hi;
			if (isfinite(v)) {
				xmin = fmin(xmin, v);
				xmax = fmax(xmax, v);
			}
		}
		xmin = fmin(xmin, r->adjusted);
		xmax = fmax(xmax, r->adjusted);
		label_w = (size_t)fmax((double)label_w, (double)strlen(r->name));
	}
	if (n == 0) {
		free(row);
		return CALIB_EARG;
	}
	qsort(row, n, sizeof *row, cmp_audit_row);
	split = row[n - 1].component > 1;
	labels = malloc(n * sizeof *labels);
	at = malloc(n * sizeof *at);
	if (!labels || !at)
		goto out;
	pad = (xmax - xmin) * 0.05;
	if (!(pad > 0))
		pad = 0.5;
	xmin -= pad;
	xmax += pad;
	label_w = label_w > 30 ? 30 : label_w;
	/* a row of text each, and room for the title, legend and both axes */
	calib_plot_fit(p, dumb ? 80u : 900u,
	               dumb ? (unsigned)(n + 14) : (unsigned)(AUDIT_ROW * n + AUDIT_TOP + 90));
	calib_plot_size(p, &w, &h);
	left = dumb ? (double)(label_w + 3) / w : ((double)label_w * AUDIT_CHAR_PX + 30) / w;
	snprintf(text, sizeof text,
	         "%s%sevaluator effects on %s, adjusted for the agents evaluated", o->name,
	         *o->name ? ": " : "", o->criterion);
	if ((dumb ? calib_plot_cmd(p, "set title ", text, "\n")
	          : calib_plot_code(p,
	                            "set label 9000 at screen 0.5, screen %.4f center front "
	                            "font ',16' ",
	                            1 - 22.0 / h) ||
	                    calib_plot_string(p, text) ||
	                    calib_plot_code(p, "\nset tmargin at screen %.4f\n",
	                                    1 - (double)AUDIT_TOP / h) ||
	                    audit_legend(p, count, o->conf)) ||
	    calib_plot_code(p,
	                    "set xlabel 'score points: < 0 harsh, > 0 lenient (0: the average "
	                    "evaluator of the component)%s'\n"
	                    "set xrange [%.17g:%.17g]\nset yrange [0.4:%zu.6]\n"
	                    "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
	                    "unset ytics\nset ytics scale 0%s\nset xtics nomirror\n"
	                    "set x2tics\nset link x2\nset grid x ytics\n",
	                    dumb ? "'.\"\\n\".'G: adjusted, with its CI (#); F: raw mean minus "
	                           "the evaluators'' average"
	                         : "",
	                    xmin, xmax, n, fmin(left, 0.45),
	                    1 - (split ? (dumb ? 13.0 : 130.0) : dumb ? 3.0 : 30.0) / w,
	                    dumb ? "" : " font ',12'") ||
	    (dumb && calib_plot_code(p, "unset grid\nset grid ytics\n")))
		goto out;
	for (size_t i = 0; i < n; i++) {
		labels[i] = row[i].name;
		at[i] = (double)(n - i);
	}
	if ((st = tics(p, "y", labels, at, n, label_w, 1)))
		goto out;
	st = CALIB_ENOMEM;
	/* the line at 0, and a line and a name between the components */
	if (calib_plot_code(p,
	                    "set arrow from 0, graph 0 to 0, graph 1 nohead back lc rgb '#000000' "
	                    "lw 1.5\n"))
		goto out;
	for (size_t i = 0; i < n && split; i++) {
		if (i && row[i].component != row[i - 1].component &&
		    calib_plot_code(p,
		                    "set arrow from graph 0, first %g to graph 1, first %g nohead "
		                    "front lc rgb '#444444' lw 1\n",
		                    (double)(n - i) + 0.5, (double)(n - i) + 0.5))
			goto out;
		if ((!i || row[i].component != row[i - 1].component) &&
		    calib_plot_code(p,
		                    "set label 'component %u' at graph 1, first %g left offset "
		                    "1,0 front font ',12' tc rgb '#444444'\n",
		                    (unsigned)row[i].component, (double)(n - i)))
			goto out;
	}
	/* x, y, lower, upper of the adjusted effect; the raw deviation; its kind */
	if (calib_plot_data_begin(p, "audit"))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct audit_row *r = &row[i];
		double v[6] = {r->adjusted, (double)(n - i), isfinite(r->lo) ? r->lo : r->adjusted,
		               isfinite(r->hi) ? r->hi : r->adjusted, r->raw,
		               (double)audit_kind(r)};
		if (calib_plot_data_row(p, v, 6))
			goto out;
	}
	/* the raw deviation last, over the interval that may hide it */
	if (calib_plot_data_end(p) ||
	    calib_plot_code(p,
	                    "plot $audit using 5:2:($1-$5):(0) with vectors nohead lw 1 lc rgb "
	                    "'#AAAAAA' notitle"))
		goto out;
	for (int k = 0; k < 3; k++) {
		if (!count[k])
			continue;
		if (calib_plot_code(p,
		                    ", \\\n  $audit using ($6 == %d ? $1 : NaN):2:3:4 with xerrorbars "
		                    "pt 7 ps 1.1 lw 1.5 lc rgb '%s' ",
		                    k, kind_colour[k]) ||
		    calib_plot_code(p, "notitle"))
			goto out;
	}
	st = calib_plot_code(p, ", \\\n  $audit using 5:2 with points pt 6 ps 1.1 lw 1.5 lc rgb "
	                        "'#000000' notitle\n");
out:
	free(row);
	free(labels);
	free(at);
	return st;
}
