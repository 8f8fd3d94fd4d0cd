/*
 * pageplots.c - the plots of calib-report's meeting page (pageplots.h):
 * each built by plots.h's builders on an SVG terminal in calib-plot's
 * style, run through gnuplot into a temporary folder and read back, so
 * that the page embeds the very document calib-plot would write.
 */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calib/pageplots.h"
#include "calib/plot.h"

size_t
calib_pageplots_disputed(const struct calib_disputes *d, uint32_t *crit, size_t max)
{
	size_t nc = 0;

	for (size_t i = 0; i < d->n_cells && nc < max; i++) {
		size_t j = 0;
		while (j < nc && crit[j] != d->cell[i].crit)
			j++;
		if (j == nc)
			crit[nc++] = d->cell[i].crit;
	}
	return nc;
}

uint32_t
calib_pageplots_weakest_points(const struct calib_report *rep, const struct calib_store *s)
{
	uint32_t ci = CALIB_NONE;
	double worst = INFINITY;

	for (size_t i = 0; i < rep->n_rows; i++) {
		const struct calib_report_row *r = &rep->rows[i];
		uint32_t k;
		if (r->total || r->headline == SIZE_MAX ||
		    !(r->scale == CALIB_SCALE_INTERVAL || r->scale == CALIB_SCALE_RATIO ||
		      r->scale == CALIB_SCALE_ORDINAL))
			continue;
		double est = rep->stats.v[r->first + r->headline].estimate;
		k = calib_store_find_criterion(s, r->criterion, strlen(r->criterion));
		if (k != CALIB_NONE && !isnan(est) && est < worst) {
			worst = est;
			ci = k;
		}
	}
	return ci;
}

/* Slurp the file at path into *out (its length in *len); 0, or an errno value. */
static int
read_whole(const char *path, char **out, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	int e = 0;
	if (!fp)
		return errno;
	do {
		if (n == cap) {
			char *g = realloc(buf, (cap = cap ? 2 * cap : 65536));
			if (!g) {
				e = ENOMEM;
				break;
			}
			buf = g;
		}
		n += got = fread(buf + n, 1, cap - n, fp);
	} while (got > 0);
	if (!e && ferror(fp))
		e = errno ? errno : EIO;
	fclose(fp);
	if (e) {
		free(buf);
		return e;
	}
	*out = buf;
	*len = n;
	return 0;
}

/* Plot k not drawn, for the reason fmt says (failed: not for want of data). */
static void __attribute__((format(printf, 4, 5)))
not_drawn(struct calib_pageplots *pp, int k, bool failed, const char *fmt, ...)
{
	va_list ap;

	pp->plot[k].caption = pp->caption[k];
	pp->plot[k].note = pp->note[k];
	pp->failed[k] = failed;
	va_start(ap, fmt);
	vsnprintf(pp->note[k], sizeof pp->note[k], fmt, ap);
	va_end(ap);
}

/*
 * Draw plot k of pp, whose script p holds (st: how building it went), as
 * an SVG through a file of dir read back; on failure the reason goes to
 * its note. Frees p.
 */
static void
render(struct calib_pageplots *pp, int k, struct calib_plot *p, enum calib_status st,
       const char *dir)
{
	struct calib_html_plot *pl = &pp->plot[k];
	struct calib_error err;
	char path[4200];
	int e;

	pl->caption = pp->caption[k];
	pl->note = pp->note[k];
	calib_error_clear(&err);
	snprintf(path, sizeof path, "%s/plot.svg", dir);
	if (st == CALIB_EARG)
		not_drawn(pp, k, false, "no call has two scores to compare");
	else if (st || !p)
		not_drawn(pp, k, true, "out of memory");
	else if (calib_plot_run(p, path, &err)) {
		calib_error_format(&err, pp->note[k], sizeof pp->note[k]);
		pp->failed[k] = true;
	} else if ((e = read_whole(path, &pp->svg[k], &pl->len)) != 0)
		not_drawn(pp, k, true, "%s", strerror(e));
	else {
		pl->svg = pp->svg[k];
		pl->note = NULL;
	}
	unlink(path);
	calib_plot_free(p);
}

/* A new SVG script with calib-plot's style, or NULL. */
static struct calib_plot *
svg_plot(void)
{
	struct calib_plot *p = calib_plot_alloc(CALIB_PLOT_SVG, 0, 0);
	if (p && calib_plot_style(p)) {
		calib_plot_free(p);
		return NULL;
	}
	return p;
}

void
calib_pageplots_draw(struct calib_pageplots *pp, const struct calib_plots_opts *o,
                     const struct calib_store *store, const struct calib_store *rstore,
                     const struct calib_report *rep, const struct calib_disputes *d,
                     const struct calib_drift *drift, const struct calib_plots_drift_opts *co,
                     const char *tmpdir)
{
	struct calib_plots_opts po = *o;
	struct calib_plots_entries en = {0};
	struct calib_plot *p;
	enum calib_status st;
	uint32_t crit[CALIB_PAGEPLOTS_SPREAD_MAX], ci;
	size_t nc, left_out = 0;
	char dir[4096];

	memset(pp, 0, sizeof *pp);
	snprintf(pp->caption[CALIB_PAGEPLOT_AGREEMENT], sizeof pp->caption[0],
	         "Agreement per criterion, worst first, with its interval");
	snprintf(pp->caption[CALIB_PAGEPLOT_SPREAD], sizeof pp->caption[0],
	         "Every manager's score on the most disputed criteria");
	snprintf(pp->caption[CALIB_PAGEPLOT_HEATMAP], sizeof pp->caption[0],
	         "Each manager's mean deviation from the reference per criterion");
	snprintf(pp->caption[CALIB_PAGEPLOT_BA], sizeof pp->caption[0], "Bland-Altman");
	snprintf(pp->caption[CALIB_PAGEPLOT_DRIFT], sizeof pp->caption[0],
	         "Agreement per session with its interval (calib-drift's chart)");
	snprintf(dir, sizeof dir, "%s/calib-report-XXXXXX",
	         tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		int e = errno;
		for (int k = 0; k < CALIB_PAGEPLOT_COUNT; k++)
			not_drawn(pp, k, true, "temporary folder: %s", strerror(e));
		return;
	}

	po.kind = CALIB_PLOTS_AGREEMENT;
	p = svg_plot();
	st = calib_plots_from_report(rep, &en) ? CALIB_ENOMEM : CALIB_OK;
	calib_plots_by_section(store, &en);
	if (!st && p)
		st = calib_plots_agreement(p, &en, &po);
	calib_plots_entries_free(&en);
	render(pp, CALIB_PAGEPLOT_AGREEMENT, p, st, dir);

	nc = calib_pageplots_disputed(d, crit, CALIB_PAGEPLOTS_SPREAD_MAX);
	if (!nc)
		not_drawn(pp, CALIB_PAGEPLOT_SPREAD, false, "no disputed criterion");
	else {
		po.kind = CALIB_PLOTS_SPREAD;
		p = svg_plot();
		st = p ? calib_plots_spread(p, store, &po, crit, nc) : CALIB_OK;
		render(pp, CALIB_PAGEPLOT_SPREAD, p, st, dir);
	}

	po.kind = CALIB_PLOTS_HEATMAP;
	p = svg_plot();
	st = p ? calib_plots_heatmap(p, rstore, &po) : CALIB_ENOMEM;
	render(pp, CALIB_PAGEPLOT_HEATMAP, p, st, dir);

	ci = calib_pageplots_weakest_points(rep, rstore);
	if (ci == CALIB_NONE)
		not_drawn(pp, CALIB_PAGEPLOT_BA, false, "no criterion is scored in points");
	else {
		snprintf(pp->caption[CALIB_PAGEPLOT_BA], sizeof pp->caption[0],
		         "Bland-Altman of the weakest criterion scored in points: %s",
		         rstore->criteria[ci].name);
		po.kind = CALIB_PLOTS_BLAND_ALTMAN;
		p = svg_plot();
		st = p ? calib_plots_bland_altman(p, rstore, &po, ci, &left_out) : CALIB_ENOMEM;
		render(pp, CALIB_PAGEPLOT_BA, p, st, dir);
	}

	if (drift)
		render(pp, CALIB_PAGEPLOT_DRIFT, calib_plots_drift(drift, co), CALIB_OK, dir);
	rmdir(dir);
}

const char *
calib_pageplots_failure(const struct calib_pageplots *pp, bool with_drift)
{
	int n = with_drift ? CALIB_PAGEPLOT_COUNT : CALIB_PAGEPLOTS_MAIN;

	for (int k = 0; k < n; k++)
		if (!pp->plot[k].svg && pp->failed[k])
			return pp->note[k];
	return NULL;
}

void
calib_pageplots_free(struct calib_pageplots *pp)
{
	for (int k = 0; k < CALIB_PAGEPLOT_COUNT; k++) {
		free(pp->svg[k]);
		pp->svg[k] = NULL;
	}
}
