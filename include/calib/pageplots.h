/*
 * pageplots.h - the plots of calib-report's meeting page, drawn as SVG
 * documents with calib-plot's and calib-drift's builders (plots.h):
 * agreement per criterion, the spread of the most disputed criteria, the
 * managers' heatmap, Bland-Altman of the weakest criterion scored in
 * points and, over sessions, calib-drift's chart. A plot that cannot be
 * drawn carries the reason instead, which the page shows.
 *
 * Ownership: struct calib_pageplots owns its SVG documents (freed by
 * calib_pageplots_free); its calib_html_plot entries point into it, so
 * the page that shows them must not outlive it. The drawing borrows
 * every record it is given. Nothing here prints or exits.
 */
#ifndef CALIB_PAGEPLOTS_H
#define CALIB_PAGEPLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/disputes.h"
#include "calib/drift.h"
#include "calib/html.h"
#include "calib/plots.h"
#include "calib/report.h"
#include "calib/store.h"

/* The page's plots in their order; with sessions over time the drift chart after them. */
enum calib_pageplot {
	CALIB_PAGEPLOT_AGREEMENT,
	CALIB_PAGEPLOT_SPREAD,
	CALIB_PAGEPLOT_HEATMAP,
	CALIB_PAGEPLOT_BA,
	CALIB_PAGEPLOT_DRIFT, /* drawn only with a drift run */
	CALIB_PAGEPLOT_COUNT
};

/* The plots of the page's main part, before the drift chart. */
#define CALIB_PAGEPLOTS_MAIN CALIB_PAGEPLOT_DRIFT

/* Criteria shown at most by the spread of the most disputed ones. */
#define CALIB_PAGEPLOTS_SPREAD_MAX 4

struct calib_pageplots {
	struct calib_html_plot plot[CALIB_PAGEPLOT_COUNT]; /* what the page shows */
	char *svg[CALIB_PAGEPLOT_COUNT];                   /* owned documents, or NULL */
	bool failed[CALIB_PAGEPLOT_COUNT]; /* not drawn for a failure (not for want of data) */
	char caption[CALIB_PAGEPLOT_COUNT][200];
	char note[CALIB_PAGEPLOT_COUNT][300];
};

/*
 * The criteria of the agenda d's first cells, each once in the agenda's
 * order, at most max of them, into crit[]; returns how many. Cannot fail.
 */
size_t calib_pageplots_disputed(const struct calib_disputes *d, uint32_t *crit, size_t max);

/*
 * The criterion of rep scored in points (ordinal, interval or ratio; not
 * the TOTAL) whose headline estimate is lowest, as its id in s (the store
 * the managers are read from; a criterion s lacks is passed over);
 * CALIB_NONE when there is none. The first of equal ones. Cannot fail.
 */
uint32_t calib_pageplots_weakest_points(const struct calib_report *rep,
                                        const struct calib_store *s);

/*
 * Draw the page's plots into pp (its previous content forgotten, not
 * freed): o as calib-plot's options would make them, from the session
 * store (agreement per criterion from rep, the spread of the criteria
 * d's agenda opens with) and the managers' store rstore (with the key,
 * or store itself: heatmap and Bland-Altman); with drift (may be NULL)
 * calib-drift's chart of it as co says. Each is drawn by gnuplot into a
 * temporary folder under tmpdir (NULL or empty: /tmp) and read back; what
 * cannot be drawn says why in its note. Never fails as a whole.
 */
void calib_pageplots_draw(struct calib_pageplots *pp, const struct calib_plots_opts *o,
                          const struct calib_store *store, const struct calib_store *rstore,
                          const struct calib_report *rep, const struct calib_disputes *d,
                          const struct calib_drift *drift,
                          const struct calib_plots_drift_opts *co, const char *tmpdir);

/*
 * Why the first plot that failed (calib_pageplots_draw's, the drift chart
 * counted when drawn) was not drawn, or NULL: all were, or wanted data
 * only. Cannot fail.
 */
const char *calib_pageplots_failure(const struct calib_pageplots *pp, bool with_drift);

/* Free pp's SVG documents. Harmless on a zeroed or freed pp. */
void calib_pageplots_free(struct calib_pageplots *pp);

#endif
