/*
 * html.c - the meeting page of calib-report (html.h): escaping, tables,
 * the summary in plain words and the page around them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/band.h"
#include "calib/html.h"
#include "calib/registry.h"

char *
calib_html_command_line(const char *prog, int argc, char *const *argv)
{
	size_t n = 1;
	for (int i = 0; i < argc; i++)
		n += 4 * strlen(i ? argv[i] : prog) + 3;
	char *s = malloc(n), *o = s;
	if (!s)
		return NULL;
	*o = '\0';
	for (int i = 0; i < argc; i++) {
		const char *a = i ? argv[i] : prog;
		bool plain =
		        *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                        "0123456789-_./=,:%+@") == strlen(a);
		if (i)
			*o++ = ' ';
		if (!plain)
			*o++ = '\'';
		for (; *a; a++) {
			if (!plain && *a == '\'') {
				memcpy(o, "'\\''", 4);
				o += 4;
			} else
				*o++ = *a;
		}
		if (!plain)
			*o++ = '\'';
		*o = '\0';
	}
	return s;
}

size_t
calib_html_escape(char *buf, size_t n, const char *s)
{
	size_t len = s ? strlen(s) : 0, need, out = 0, written = 0;
	char small[256], *t = small;
	bool full = false;

	/* first as on a terminal: control bytes and invalid UTF-8 become \xNN */
	need = calib_escape(NULL, 0, s ? s : "", len, 0);
	if (need >= sizeof small && !(t = malloc(need + 1))) {
		if (buf && n)
			*buf = '\0';
		return 0;
	}
	calib_escape(t, need + 1, s ? s : "", len, 0);
	for (const char *p = t; *p; p++) {
		char one[2] = {*p, 0};
		const char *ref = one;
		switch (*p) {
		case '&':
			ref = "&amp;";
			break;
		case '<':
			ref = "&lt;";
			break;
		case '>':
			ref = "&gt;";
			break;
		case '"':
			ref = "&quot;";
			break;
		case '\'':
			ref = "&#39;";
			break;
		}
		size_t k = strlen(ref);
		/* never cut a reference: once one does not fit, nothing more is written */
		if (buf && !full && written + k < n) {
			memcpy(buf + written, ref, k);
			written += k;
		} else
			full = true;
		out += k;
	}
	if (buf && n)
		buf[written] = '\0';
	if (t != small)
		free(t);
	return out;
}

void
calib_html_put(FILE *fp, const char *s)
{
	char small[512];
	size_t need = calib_html_escape(small, sizeof small, s);
	if (need < sizeof small) {
		fputs(small, fp);
		return;
	}
	char *big = malloc(need + 1);
	if (!big) {
		fputs("?", fp);
		return;
	}
	calib_html_escape(big, need + 1, s);
	fputs(big, fp);
	free(big);
}

/* Is column c of t among the names skip[] (NULL-terminated; skip may be NULL)? */
static bool
skipped(const struct calib_table *t, size_t c, const char *const *skip)
{
	for (; skip && *skip; skip++)
		if (strcmp(calib_table_col_heading(t, c), *skip) == 0)
			return true;
	return false;
}

void
calib_html_table(FILE *fp, const struct calib_table *t, const char *extra,
                 const char *const *skip)
{
	size_t nc = calib_table_n_cols(t), nr = calib_table_n_rows(t);
	const char *line;
	char buf[64];

	fputs("<div class=\"scroll\"><table>\n", fp);
	if ((line = calib_table_title_at(t, 0))) {
		fputs("<caption>", fp);
		calib_html_put(fp, line);
		fputs("</caption>\n", fp);
	}
	fputs("<thead><tr>", fp);
	for (size_t c = 0; c < nc; c++) {
		if (skipped(t, c, skip))
			continue;
		fputs("<th scope=\"col\">", fp);
		calib_html_put(fp, calib_table_col_heading(t, c));
		fputs("</th>", fp);
	}
	if (extra) {
		fputs("<th scope=\"col\" class=\"decision\">", fp);
		calib_html_put(fp, extra);
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (size_t r = 0; r < nr; r++) {
		fputs("<tr>", fp);
		for (size_t c = 0; c < nc; c++) {
			bool num;
			if (skipped(t, c, skip))
				continue;
			const char *v = calib_table_cell_shown(t, r, c, buf, sizeof buf, &num);
			fputs(num ? "<td class=\"num\">" : "<td>", fp);
			calib_html_put(fp, v);
			fputs("</td>", fp);
		}
		if (extra)
			fputs("<td class=\"decision\"></td>", fp);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
	if (calib_table_footer_at(t, 0)) {
		fputs("<ul class=\"notes\">\n", fp);
		for (size_t i = 0; (line = calib_table_footer_at(t, i)); i++) {
			fputs("<li>", fp);
			calib_html_put(fp, line);
			fputs("</li>\n", fp);
		}
		fputs("</ul>\n", fp);
	}
}

/* The headline record of report row r, or NULL. */
static const struct calib_stat *
headline(const struct calib_report *rep, const struct calib_report_row *r)
{
	if (r->headline == SIZE_MAX)
		return NULL;
	return &rep->stats.v[r->first + r->headline];
}

/* How a band reads: 2 acceptable, 1 to discuss, 0 none. */
static int
band_class(const char *band)
{
	static const char *const good[] = {"substantial", "almost perfect", "good", "excellent",
	                                   "reliable"};
	if (!band || !*band)
		return 0;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (strcmp(band, good[i]) == 0)
			return 2;
	return 1;
}

static const char *
band_of(const struct calib_stat *s)
{
	return s ? calib_band_name(calib_registry_bands(s->name), s->estimate) : "";
}

/* A number as the tables show it (3 decimals, NA). */
static void
put_num(FILE *fp, double v, int digits)
{
	if (!isfinite(v))
		fputs("NA", fp);
	else if (fabs(v) < 0.5 * pow(10, -digits))
		fprintf(fp, "%.*f", digits, 0.0);
	else
		fprintf(fp, "%.*f", digits, v);
}

/* "[lo, hi]" or nothing. */
static void
put_interval(FILE *fp, double lo, double hi, int digits)
{
	if (isnan(lo) || isnan(hi))
		return;
	fputs("[", fp);
	put_num(fp, lo, digits);
	fputs(", ", fp);
	put_num(fp, hi, digits);
	fputs("]", fp);
}

/* "name (stat 0.267 [-0.088, 0.623], fair)" for the summary. */
static void
put_judged(FILE *fp, const struct calib_report_row *r, const struct calib_stat *s)
{
	fputs("<em>", fp);
	calib_html_put(fp, r->criterion);
	fputs("</em> (", fp);
	calib_html_put(fp, s->name);
	fputs(" ", fp);
	put_num(fp, s->estimate, 3);
	if (!isnan(s->lower)) {
		fputs(" ", fp);
		put_interval(fp, s->lower, s->upper, 3);
	}
	if (*band_of(s)) {
		fputs(", ", fp);
		calib_html_put(fp, band_of(s));
	}
	fputs(")", fp);
}

/* The note of a companion record of row r that warns of the kappa paradox, or NULL. */
static const char *
paradox(const struct calib_report *rep, const struct calib_report_row *r)
{
	for (size_t k = 0; k < r->count; k++) {
		const char *note = rep->stats.v[r->first + k].note;
		if (strstr(note, "kappa paradox"))
			return note;
	}
	return NULL;
}

/* Does the headline fall below min: its whole interval, or its estimate without one. */
static bool
below_min(const struct calib_stat *s, double min)
{
	if (!s || isnan(min) || isnan(s->estimate))
		return false;
	return isnan(s->upper) ? s->estimate < min : s->upper < min;
}

static int
by_estimate(const void *a, const void *b)
{
	double x = (*(const struct calib_stat *const *)a)->estimate;
	double y = (*(const struct calib_stat *const *)b)->estimate;
	return (x > y) - (x < y);
}

/* The text of the latest session's alert a, for the summary and the list. */
static void
put_alert(FILE *fp, const struct calib_html_page *p, const struct calib_drift_alert *a)
{
	const struct calib_drift *d = p->drift;
	const struct calib_drift_trend *tr = &d->trend[a->criterion];

	fputs("<em>", fp);
	calib_html_put(fp, tr->criterion);
	fputs("</em>: ", fp);
	calib_html_put(fp, tr->stat);
	fputs(" ", fp);
	put_num(fp, a->estimate, 3);
	if (a->drop) {
		fputs(" is ", fp);
		put_num(fp, a->mean - a->estimate, 3);
		if (!isnan(a->lower)) {
			fputs(" ", fp);
			put_interval(fp, a->lower, a->upper, 3);
		}
		fputs(" below the mean ", fp);
		put_num(fp, a->mean, 3);
		fprintf(fp, " of the %zu session%s before", a->n_mean,
		        a->n_mean == 1 ? "" : "s");
	} else {
		if (!isnan(a->lower)) {
			fputs(" ", fp);
			put_interval(fp, a->lower, a->upper, 3);
		}
		fprintf(fp, " is below the minimum %g", p->min);
	}
}

/* "name up 0.150 [0.020, 0.280] (stat, since S)" of a flagged change. */
static void
put_change(FILE *fp, const struct calib_drift *d, size_t c, const struct calib_drift_point *pt)
{
	fputs("<em>", fp);
	calib_html_put(fp, d->trend[c].criterion);
	fprintf(fp, "</em> %s ", pt->change > 0 ? "up" : "down");
	put_num(fp, fabs(pt->change), 3);
	fputs(" ", fp);
	put_interval(fp, pt->change_lower, pt->change_upper, 3);
	fputs(" (", fp);
	calib_html_put(fp, d->trend[c].stat);
	if (pt->prev < d->n_sessions) {
		fputs(", since ", fp);
		calib_html_put(fp, d->session[pt->prev]);
	}
	fputs(")", fp);
}

/*
 * The summary's sentence on the sessions over time, when the latest
 * session raised alerts or changed beyond its interval: from the same
 * records as the "Over time" part.
 */
static void
history_summary(FILE *fp, const struct calib_html_page *p)
{
	const struct calib_drift *d = p->drift;
	size_t last = d->n_sessions - 1, n_flag = 0, k = 0;

	for (size_t c = 0; c < d->n_criteria; c++)
		n_flag += calib_drift_at(d, c, last)->flag != 0;
	if (!p->n_alerts && !n_flag)
		return;
	fprintf(fp, "<p>Over the %zu sessions up to <em>", d->n_sessions);
	calib_html_put(fp, d->session[last]);
	fputs("</em>, ", fp);
	if (p->n_alerts) {
		fprintf(fp, "%zu alert%s. ", p->n_alerts, p->n_alerts == 1 ? "" : "s");
		for (size_t i = 0; i < p->n_alerts; i++) {
			fputs(i ? "; " : "", fp);
			put_alert(fp, p, &p->alerts[i]);
		}
		fputs(".", fp);
	}
	if (n_flag) {
		fprintf(fp,
		        "%s%zu change%s since the previous session with %s interval "
		        "excluding 0: ",
		        p->n_alerts ? " " : "", n_flag, n_flag == 1 ? "" : "s",
		        n_flag == 1 ? "its" : "their");
		for (size_t c = 0; c < d->n_criteria; c++) {
			const struct calib_drift_point *pt = calib_drift_at(d, c, last);
			if (!pt->flag)
				continue;
			fputs(k++ ? "; " : "", fp);
			put_change(fp, d, c, pt);
		}
		fputs(".", fp);
	}
	fputs("</p>\n", fp);
}

#define SUMMARY_NAMED 5 /* criteria named in a sentence at most */

void
calib_html_summary(FILE *fp, const struct calib_html_page *p)
{
	const struct calib_report *rep = p->report;
	size_t n_crit = 0, n_good = 0, n_discuss = 0, n_below = 0;
	const struct calib_report_row *total = NULL;
	const struct calib_stat **worst = calloc(rep->n_rows ? rep->n_rows : 1, sizeof *worst);
	const struct calib_report_row **wrow =
	        calloc(rep->n_rows ? rep->n_rows : 1, sizeof *wrow);

	fputs("<div class=\"summary\">\n<p>", fp);
	for (size_t i = 0; i < rep->n_rows; i++) {
		const struct calib_report_row *r = &rep->rows[i];
		const struct calib_stat *s = headline(rep, r);
		if (r->total) {
			if (!r->section)
				total = r;
			continue;
		}
		n_crit++;
		n_below += below_min(s, p->min);
		switch (band_class(band_of(s))) {
		case 2:
			n_good++;
			break;
		case 1:
			if (worst && wrow)
				worst[n_discuss] = s;
			n_discuss++;
			break;
		}
	}
	fprintf(fp, "Agreement was good (substantial or better) on %zu of %zu criteria.",
	        n_good, n_crit);
	if (n_discuss && worst && wrow) {
		qsort(worst, n_discuss, sizeof *worst, by_estimate);
		/* the rows of the sorted records */
		for (size_t k = 0; k < n_discuss; k++)
			for (size_t i = 0; i < rep->n_rows; i++)
				if (headline(rep, &rep->rows[i]) == worst[k])
					wrow[k] = &rep->rows[i];
		fprintf(fp, " %s need%s discussion, the weakest first: ",
		        n_discuss == 1   ? "One"
		        : n_discuss == 2 ? "Two"
		                         : "These",
		        n_discuss == 1 ? "s" : "");
		for (size_t k = 0; k < n_discuss && k < SUMMARY_NAMED; k++) {
			fputs(k ? "; " : "", fp);
			put_judged(fp, wrow[k], worst[k]);
		}
		if (n_discuss > SUMMARY_NAMED)
			fprintf(fp, "; and %zu more in the table", n_discuss - SUMMARY_NAMED);
		fputs(".", fp);
	}
	fputs("</p>\n", fp);
	for (size_t i = 0; i < rep->n_rows; i++) {
		const char *note = paradox(rep, &rep->rows[i]);
		const struct calib_stat *s = headline(rep, &rep->rows[i]);
		if (!note || !s)
			continue;
		fputs("<p>On ", fp);
		put_judged(fp, &rep->rows[i], s);
		fputs(" almost every score is in one category, so the kappa says little: ", fp);
		calib_html_put(fp, note);
		fputs(".</p>\n", fp);
	}
	if (total && headline(rep, total)) {
		fputs("<p>On the TOTAL score per call: ", fp);
		put_judged(fp, total, headline(rep, total));
		fputs(".", fp);
		const struct calib_report_row *ws = NULL;
		for (size_t i = 0; i < rep->n_rows; i++) {
			const struct calib_report_row *r = &rep->rows[i];
			const struct calib_stat *s = headline(rep, r);
			if (r->section && s && !isnan(s->estimate) &&
			    (!ws || s->estimate < headline(rep, ws)->estimate))
				ws = r;
		}
		if (ws) {
			fputs(" The weakest section: ", fp);
			put_judged(fp, ws, headline(rep, ws));
			fputs(".", fp);
		}
		fputs("</p>\n", fp);
	}
	if (p->drift && p->drift->n_sessions)
		history_summary(fp, p);
	if (!isnan(p->min))
		fprintf(fp,
		        "<p>%zu criteri%s below the minimum %g (the whole interval below "
		        "it).</p>\n",
		        n_below, n_below == 1 ? "on falls" : "a fall", p->min);
	if (p->raters) {
		const struct calib_raters *ra = p->raters;
		size_t n_off = 0;
		fputs("<p>", fp);
		for (size_t i = 0; i < ra->n_raters; i++) {
			const struct calib_raters_summary *u = &ra->sum[i];
			if (!u->direction || strcmp(u->direction, "in line") == 0 ||
			    isnan(u->bias))
				continue;
			fputs(n_off++ ? " " : "", fp);
			fputs("<em>", fp);
			calib_html_put(fp, calib_names_get(p->rstore->raters, u->rater));
			fputs("</em> scored ", fp);
			put_num(fp, fabs(u->bias), 1);
			fprintf(fp, " points %s ", u->bias < 0 ? "below" : "above");
			calib_html_put(fp, p->reference);
			fprintf(fp, " on the TOTAL (0&ndash;100) on average (%g%% CI ",
			        100 * ra->opts.conf);
			put_interval(fp, u->lower, u->upper, 1);
			fputs("): ", fp);
			calib_html_put(fp, u->direction);
			fputs(".", fp);
		}
		if (!n_off) {
			fputs("No manager scored systematically above or below ", fp);
			calib_html_put(fp, p->reference);
			fputs(" (t tests of the bias on the TOTAL, Holm-adjusted).", fp);
		}
		fputs("</p>\n", fp);
		if (p->calibration && ra->n_raters) {
			const struct calib_raters_summary *lo = NULL, *hi = NULL;
			for (size_t i = 0; i < ra->n_raters; i++) {
				const struct calib_raters_summary *u = &ra->sum[i];
				if (isnan(u->calibration))
					continue;
				if (!lo || u->calibration < lo->calibration)
					lo = u;
				if (!hi || u->calibration > hi->calibration)
					hi = u;
			}
			if (lo) {
				fputs("<p>Calibration scores (share of items matching ", fp);
				calib_html_put(fp, p->reference);
				fputs(") ranged from ", fp);
				put_num(fp, lo->calibration, 3);
				fputs(" (<em>", fp);
				calib_html_put(fp,
				               calib_names_get(p->rstore->raters, lo->rater));
				fputs("</em>) to ", fp);
				put_num(fp, hi->calibration, 3);
				fputs(" (<em>", fp);
				calib_html_put(fp,
				               calib_names_get(p->rstore->raters, hi->rater));
				fputs("</em>).</p>\n", fp);
			}
		}
	}
	if (p->disputes && p->disputes->n_cells) {
		const struct calib_dispute *c = &p->disputes->cell[0];
		const struct calib_store *s = p->store;
		fprintf(fp,
		        "<p>The agenda lists %zu of the %zu cells with disagreement; first: "
		        "call <em>",
		        p->disputes->n_cells, p->disputes->n_disputed);
		calib_html_put(fp, calib_names_get(s->calls, s->item_call[c->item]));
		fputs("</em> on <em>", fp);
		calib_html_put(fp, s->criteria[c->crit].name);
		fputs("</em> (disagreement ", fp);
		put_num(fp, c->disagreement, 3);
		fputs(").</p>\n", fp);
	} else if (p->disputes)
		fputs("<p>The raters agreed on every call and criterion: nothing to "
		      "dispute.</p>\n",
		      fp);
	fputs("</div>\n", fp);
	free(worst);
	free(wrow);
}

/* Okabe-Ito colours, told apart by every common colour-vision deficiency. */
static const char css[] =
        "*{box-sizing:border-box}\n"
        "body{font-family:sans-serif;font-size:20px;line-height:1.45;color:#111;"
        "background:#fff;margin:0 auto;max-width:1400px;padding:1em 2em}\n"
        "h1{font-size:2em;margin:.3em 0}h2{font-size:1.5em;margin-top:1.6em;"
        "border-bottom:3px solid #0072B2}\n"
        ".summary{font-size:1.15em;border-left:8px solid #0072B2;padding:.2em 1em;"
        "background:#f2f7fb}\n"
        ".scroll{overflow-x:auto}\n"
        "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}\n"
        "caption{text-align:left;font-weight:bold;padding:.3em 0}\n"
        "#disputes table{font-size:.8em}#disputes td{white-space:nowrap}\n"
        "th,td{border:1px solid #999;padding:.25em .5em;vertical-align:top}\n"
        "th{background:#e8e8e8;text-align:left}\n"
        "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
        "tr.section td{background:#f4f4f4}tr.total td{font-weight:bold;"
        "border-top:3px double #333}\n"
        "tr td.band-2{background:#cfe6f5}tr td.band-1{background:#fbe3c4}\n"
        "td.decision,th.decision{min-width:10em;width:25%}td.decision{height:3em}\n"
        ".notes{font-size:.8em;color:#333}\n"
        "td.off{font-weight:bold;color:#a34400}\n"
        "dl.appendix dt{font-weight:bold}dl.appendix dd{margin:0 0 .5em 1.5em}\n"
        ".plot{break-inside:avoid;margin:1em 0}.plot img{max-width:100%;height:auto;"
        "border:1px solid #ccc}.caption{font-weight:bold;margin:.2em 0}\n"
        "code,pre{font-size:.9em;white-space:pre-wrap;word-break:break-all}\n"
        "@page{size:A4;margin:14mm}@page wide{size:A4 landscape;margin:10mm}\n"
        "@media print{body{font-size:11pt;max-width:none;padding:0}"
        "div.part{break-before:page}div.part.first{break-before:auto}"
        "tr,img,svg{break-inside:avoid}.scroll{overflow:visible}"
        "th,td{padding:.1em .3em}"
        "#disputes{page:wide}#disputes table{font-size:8pt}#disputes td{white-space:normal}"
        "td.decision,th.decision{min-width:8em;width:auto}}\n";

/* The agreement table: one row per criterion, section and TOTAL, its headline. */
static void
agreement_table(FILE *fp, const struct calib_html_page *p)
{
	const struct calib_report *rep = p->report;
	char full[40];
	fputs("<div class=\"scroll\"><table id=\"agreement\">\n<thead><tr>"
	      "<th scope=\"col\">criterion</th><th scope=\"col\">scale</th>"
	      "<th scope=\"col\">calls</th><th scope=\"col\">raters</th>"
	      "<th scope=\"col\">statistic</th><th scope=\"col\">estimate</th>",
	      fp);
	fprintf(fp, "<th scope=\"col\">%g%% CI</th>", 100 * rep->opts->coef.conf);
	fputs("<th scope=\"col\">band</th><th "
	      "scope=\"col\">warnings</th></tr></thead>\n<tbody>\n",
	      fp);
	for (size_t i = 0; i < rep->n_rows; i++) {
		const struct calib_report_row *r = &rep->rows[i];
		const struct calib_stat *s = headline(rep, r);
		const char *band = band_of(s), *para = paradox(rep, r);
		fprintf(fp, "<tr%s>",
		        r->section ? " class=\"section\""
		        : r->total ? " class=\"total\""
		                   : "");
		fputs("<th scope=\"row\">", fp);
		calib_html_put(fp, r->criterion);
		fputs("</th><td>", fp);
		calib_html_put(fp, calib_scale_name(r->scale));
		fprintf(fp, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td>",
		        r->n_calls, r->n_raters);
		if (!s) {
			fputs("</td><td class=\"num\">NA</td><td></td><td></td><td>no "
			      "coefficient "
			      "applies</td></tr>\n",
			      fp);
			continue;
		}
		calib_html_put(fp, s->name);
		fputs("</td><td class=\"num estimate\" data-value=\"", fp);
		calib_html_put(fp, calib_format_double(s->estimate, full, sizeof full));
		fputs("\">", fp);
		put_num(fp, s->estimate, 3);
		fputs("</td><td class=\"num ci\" data-lower=\"", fp);
		calib_html_put(fp, calib_format_double(s->lower, full, sizeof full));
		fputs("\" data-upper=\"", fp);
		calib_html_put(fp, calib_format_double(s->upper, full, sizeof full));
		fputs("\">", fp);
		put_interval(fp, s->lower, s->upper, 3);
		fprintf(fp, "</td><td class=\"band-%d\">", band_class(band));
		calib_html_put(fp, band);
		fputs("</td><td>", fp);
		calib_html_put(fp, s->note);
		if (para) {
			fputs(*s->note ? "; " : "", fp);
			calib_html_put(fp, para);
		}
		if (below_min(s, p->min))
			fprintf(fp, "%sbelow the minimum %g", *s->note || para ? "; " : "",
			        p->min);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
}

/* The managers' table, from calib_raters_run's summaries. */
static void
raters_table(FILE *fp, const struct calib_html_page *p)
{
	const struct calib_raters *ra = p->raters;
	fputs("<div class=\"scroll\"><table id=\"raters\">\n<thead><tr>"
	      "<th scope=\"col\">rank</th><th scope=\"col\">rater</th>"
	      "<th scope=\"col\">calls</th><th scope=\"col\">bias (TOTAL)</th>",
	      fp);
	fprintf(fp, "<th scope=\"col\">%g%% CI</th>", 100 * ra->opts.conf);
	fputs("<th scope=\"col\">within tolerance</th>", fp);
	if (p->calibration)
		fputs("<th scope=\"col\">calibration score</th>", fp);
	fputs("<th scope=\"col\">direction</th><th "
	      "scope=\"col\">note</th></tr></thead>\n<tbody>\n",
	      fp);
	for (size_t i = 0; i < ra->n_raters; i++) {
		const struct calib_raters_summary *u = &ra->sum[i];
		fprintf(fp, "<tr><td class=\"num\">%zu</td><th scope=\"row\">", i + 1);
		calib_html_put(fp, calib_names_get(p->rstore->raters, u->rater));
		fprintf(fp, "</th><td class=\"num\">%zu</td><td class=\"num\">", u->n);
		put_num(fp, u->bias, 2);
		fputs("</td><td class=\"num\">", fp);
		put_interval(fp, u->lower, u->upper, 2);
		fputs("</td><td class=\"num\">", fp);
		put_num(fp, u->within, 3);
		fputs("</td>", fp);
		if (p->calibration) {
			fputs("<td class=\"num\">", fp);
			put_num(fp, u->calibration, 3);
			fputs("</td>", fp);
		}
		fputs(u->direction && strcmp(u->direction, "in line") ? "<td class=\"off\">"
		                                                      : "<td>",
		      fp);
		calib_html_put(fp, u->direction ? u->direction : "");
		fprintf(fp, "</td><td>%s</td></tr>\n",
		        u->out_of_line ? "most out of line" : "");
	}
	fputs("</tbody></table></div>\n<ul class=\"notes\"><li>bias: the rater minus ", fp);
	calib_html_put(fp, p->reference);
	fputs(" on the TOTAL score (0&ndash;100 points); direction: lenient or severe when the "
	      "t test of the bias, Holm-adjusted over the raters, has p &lt; 0.05</li>"
	      "<li>within tolerance: the share of scores within the tolerance of the "
	      "reference, "
	      "pooled over the criteria</li>",
	      fp);
	if (p->calibration)
		fputs("<li>calibration score: the share of items matching the reference</li>",
		      fp);
	fputs("</ul>\n", fp);
}

static void
appendix(FILE *fp, const struct calib_html_page *p)
{
	fputs("<dl class=\"appendix\">\n<dt>Inputs</dt><dd><table id=\"inputs\"><thead><tr>"
	      "<th scope=\"col\">file</th><th scope=\"col\">bytes</th>"
	      "<th scope=\"col\">cksum</th></tr></thead><tbody>\n",
	      fp);
	for (size_t i = 0; i < p->n_inputs; i++) {
		const struct calib_html_input *in = &p->inputs[i];
		fputs("<tr><td><code>", fp);
		calib_html_put(fp, strcmp(in->name, "-") == 0 ? "standard input" : in->name);
		if (in->summed)
			fprintf(fp,
			        "</code></td><td class=\"num\">%llu</td><td "
			        "class=\"num\">%lu</td></tr>\n",
			        (unsigned long long)in->size, (unsigned long)in->cksum);
		else
			fputs("</code></td><td></td><td></td></tr>\n", fp);
	}
	fputs("</tbody></table>checksum: the POSIX CRC of <code>cksum FILE</code> (its first "
	      "number; the second is the size), which finds accidental changes, not "
	      "deliberate ones</dd>\n<dt>Rubric</dt><dd><ul>\n",
	      fp);
	for (size_t c = 0; c < p->store->n_criteria; c++) {
		const struct calib_criterion *cr = &p->store->criteria[c];
		fputs("<li><em>", fp);
		calib_html_put(fp, cr->name);
		fputs("</em>: ", fp);
		calib_html_put(fp, calib_scale_name(cr->scale));
		if (cr->scale_inferred)
			fputs(" (guessed from the scores)", fp);
		if (cr->section != CALIB_NONE) {
			fputs(", section ", fp);
			calib_html_put(fp, calib_names_get(p->store->sections, cr->section));
		}
		fprintf(fp, ", weight %g", cr->weight);
		if (cr->critical != CALIB_CRITICAL_NO)
			fputs(", critical", fp);
		fputs("</li>\n", fp);
	}
	fputs("</ul></dd>\n<dt>Version</dt><dd>calib ", fp);
	calib_html_put(fp, p->version);
	fprintf(fp, "</dd>\n<dt>Seed</dt><dd>%lu</dd>\n<dt>Command</dt><dd><code>", p->seed);
	calib_html_put(fp, p->command);
	fputs("</code></dd>\n</dl>\n", fp);
}

/*
 * An SVG as an image of the page: a data: URL in base64, which is the
 * page's own (no request), keeps the SVG's ids apart from the page's and
 * parses as HTML 4 (inline <svg> does not, for xmllint --html).
 */
static void
put_svg(FILE *fp, const struct calib_html_plot *pl)
{
	static const char b64[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *u = (const unsigned char *)pl->svg;
	fputs("<img alt=\"", fp);
	calib_html_put(fp, pl->caption);
	fputs("\" src=\"data:image/svg+xml;base64,", fp);
	for (size_t i = 0; i < pl->len; i += 3) {
		unsigned long v = (unsigned long)u[i] << 16;
		size_t k = pl->len - i;
		if (k > 1)
			v |= (unsigned long)u[i + 1] << 8;
		if (k > 2)
			v |= u[i + 2];
		putc(b64[v >> 18 & 63], fp);
		putc(b64[v >> 12 & 63], fp);
		putc(k > 1 ? b64[v >> 6 & 63] : '=', fp);
		putc(k > 2 ? b64[v & 63] : '=', fp);
	}
	fputs("\">", fp);
}

static void
plots_part(FILE *fp, const struct calib_html_plot *plots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct calib_html_plot *pl = &plots[i];
		fputs("<div class=\"plot\">\n<p class=\"caption\">", fp);
		calib_html_put(fp, pl->caption);
		fputs("</p>\n", fp);
		if (pl->svg)
			put_svg(fp, pl);
		else {
			fputs("<p class=\"notes\">Not drawn: ", fp);
			calib_html_put(fp, pl->note ? pl->note : "");
			fputs("</p>", fp);
		}
		fputs("\n</div>\n", fp);
	}
}

/* A number's full precision as a data- attribute (name="..."). */
static void
put_data(FILE *fp, const char *name, double v)
{
	char full[40];

	fprintf(fp, " %s=\"", name);
	calib_html_put(fp, calib_format_double(v, full, sizeof full));
	fputs("\"", fp);
}

/*
 * The "Over time" part: the sessions, the drift chart, the latest
 * session's change of every criterion with its interval (calib-drift's
 * series rows of that session), and its alerts.
 */
static void
history_part(FILE *fp, const struct calib_html_page *p)
{
	const struct calib_drift *d = p->drift;
	size_t last = d->n_sessions - 1;

	fprintf(fp,
	        "<div class=\"part\" id=\"history\">\n<h2>Over time</h2>\n<p>%zu "
	        "sessions, oldest first: ",
	        d->n_sessions);
	for (size_t i = 0; i < d->n_sessions; i++) {
		fputs(i ? ", " : "", fp);
		calib_html_put(fp, d->session[i]);
	}
	fputs(". The rest of this page is the latest, <em>", fp);
	calib_html_put(fp, d->session[last]);
	fputs("</em>. Each criterion's coefficient per session and its change from the "
	      "previous session with a bootstrap interval, as calib-drift computes them.</p>\n",
	      fp);
	if (p->drift_plot)
		plots_part(fp, p->drift_plot, 1);
	fputs("<div class=\"scroll\"><table id=\"changes\">\n<thead><tr>"
	      "<th scope=\"col\">criterion</th><th scope=\"col\">statistic</th>"
	      "<th scope=\"col\">previous session</th><th scope=\"col\">latest</th>",
	      fp);
	fprintf(fp,
	        "<th scope=\"col\">%g%% CI</th><th scope=\"col\">change</th>"
	        "<th scope=\"col\">%g%% CI of the change</th>",
	        100 * d->conf, 100 * d->conf);
	fputs("<th scope=\"col\">flag</th><th scope=\"col\">note</th></tr></thead>\n<tbody>\n",
	      fp);
	for (size_t c = 0; c < d->n_criteria; c++) {
		const struct calib_drift_point *pt = calib_drift_at(d, c, last);
		fprintf(fp, "<tr%s><th scope=\"row\">",
		        d->total && c == d->n_criteria - 1 ? " class=\"total\"" : "");
		calib_html_put(fp, d->trend[c].criterion);
		fputs("</th><td>", fp);
		calib_html_put(fp, d->trend[c].stat);
		fputs("</td><td>", fp);
		if (pt->prev < d->n_sessions)
			calib_html_put(fp, d->session[pt->prev]);
		fputs("</td><td class=\"num estimate\"", fp);
		put_data(fp, "data-value", pt->estimate);
		fputs(">", fp);
		put_num(fp, pt->estimate, 3);
		fputs("</td><td class=\"num ci\"", fp);
		put_data(fp, "data-lower", pt->lower);
		put_data(fp, "data-upper", pt->upper);
		fputs(">", fp);
		put_interval(fp, pt->lower, pt->upper, 3);
		fputs("</td><td class=\"num change\"", fp);
		put_data(fp, "data-value", pt->change);
		fputs(">", fp);
		put_num(fp, pt->change, 3);
		fputs("</td><td class=\"num change-ci\"", fp);
		put_data(fp, "data-lower", pt->change_lower);
		put_data(fp, "data-upper", pt->change_upper);
		fputs(">", fp);
		put_interval(fp, pt->change_lower, pt->change_upper, 3);
		fprintf(fp, "</td><td%s>%s</td><td>", pt->flag ? " class=\"off\"" : "",
		        pt->flag > 0   ? "up"
		        : pt->flag < 0 ? "down"
		                       : "");
		calib_html_put(fp, pt->note);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table></div>\n<ul class=\"notes\"><li>flag: up or down where the "
	      "change's interval excludes 0</li></ul>\n<h3>Alerts</h3>\n",
	      fp);
	if (p->n_alerts) {
		fputs("<ul id=\"alerts\">\n", fp);
		for (size_t i = 0; i < p->n_alerts; i++) {
			fputs("<li>", fp);
			put_alert(fp, p, &p->alerts[i]);
			fputs("</li>\n", fp);
		}
		fputs("</ul>\n", fp);
	} else if (isnan(p->min) && isnan(p->max_drop))
		fputs("<p id=\"alerts\">None asked: --min X or --max-drop D raise them.</p>\n",
		      fp);
	else
		fputs("<p id=\"alerts\">None in the latest session.</p>\n", fp);
	fputs("</div>\n", fp);
}

/* calib-disputes' columns the printed agenda leaves out, for room to write */
static const char *const agenda_skip[] = {"scale", "n_distinct", "n_answers", "n_na", NULL};

enum calib_status
calib_html_report(FILE *fp, const struct calib_html_page *p)
{
	const char *title = p->title ? p->title : "Calibration session";
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"calib-report ",
	      fp);
	calib_html_put(fp, p->version);
	fputs("\">\n<title>", fp);
	calib_html_put(fp, title);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<div class=\"head\"><h1>",
	        css);
	calib_html_put(fp, title);
	fprintf(fp, "</h1>\n<p>%zu calls, %zu raters, %zu criteria.</p></div>\n",
	        calib_names_count(p->store->calls), calib_names_count(p->store->raters),
	        p->store->n_criteria);
	fputs("<div class=\"part first\" id=\"summary\">\n<h2>Summary</h2>\n", fp);
	calib_html_summary(fp, p);
	fputs("</div>\n<div class=\"part\" id=\"agreement-section\">\n<h2>Agreement</h2>\n"
	      "<p>Each criterion's headline coefficient (calib-agree's) with its interval, "
	      "band and warnings.</p>\n",
	      fp);
	agreement_table(fp, p);
	fputs("</div>\n", fp);
	if (p->n_plots) {
		fputs("<div class=\"part\" id=\"plots\">\n<h2>Plots</h2>\n"
		      "<p>Drawn by calib-plot's code: the agreement per criterion, the scores "
		      "of the most disputed criteria, each manager against the reference per "
		      "criterion, and the Bland&ndash;Altman panels of the weakest criterion "
		      "scored in points.</p>\n",
		      fp);
		plots_part(fp, p->plots, p->n_plots);
		fputs("</div>\n", fp);
	}
	if (p->drift && p->drift->n_sessions)
		history_part(fp, p);
	fputs("<div class=\"part\" id=\"disputes\">\n<h2>Disputes agenda</h2>\n"
	      "<p>The calls and criteria to discuss first, with every manager's score "
	      "(calib-disputes'). Write the meeting's decision in the last column.</p>\n",
	      fp);
	if (p->agenda)
		calib_html_table(fp, p->agenda, "decision", agenda_skip);
	fputs("</div>\n", fp);
	if (p->raters) {
		fputs("<div class=\"part\" id=\"managers\">\n<h2>Managers</h2>\n<p>Each "
		      "manager against ",
		      fp);
		calib_html_put(fp, p->reference);
		fputs(" (calib-raters'), most lenient first.</p>\n", fp);
		raters_table(fp, p);
		fputs("</div>\n", fp);
	}
	fputs("<div class=\"part\" id=\"appendix\">\n<h2>Appendix: how to reproduce this "
	      "page</h2>\n",
	      fp);
	appendix(fp, p);
	fputs("</div>\n</body>\n</html>\n", fp);
	return CALIB_OK;
}
