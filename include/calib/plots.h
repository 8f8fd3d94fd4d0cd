/*
 * plots.h - the plot builders of calib-plot and calib-report: the gnuplot
 * scripts of the agreement plot, the plan chart, the score spread, the
 * rater heatmap and the Bland-Altman panels, appended to a struct
 * calib_plot (plot.h) for any terminal, and calib-drift's chart. Every name from the input reaches
 * a script only through plot.h's quoting functions; data go in numeric
 * datablocks.
 *
 * Ownership: the entries own their strings (calib_plots_entries_free);
 * the builders borrow the store and options and copy what they append.
 */
#ifndef CALIB_PLOTS_H
#define CALIB_PLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/audit.h"
#include "calib/drift.h"
#include "calib/error.h"
#include "calib/plot.h"
#include "calib/raters.h"
#include "calib/report.h"
#include "calib/results.h"
#include "calib/store.h"

/* Raters drawn at most by calib_plots_bland_altman, the most out of line. */
#define CALIB_PLOTS_BA_PAGE 30

enum calib_plots_kind {
	CALIB_PLOTS_AGREEMENT,
	CALIB_PLOTS_SPREAD,
	CALIB_PLOTS_HEATMAP,
	CALIB_PLOTS_BLAND_ALTMAN,
	CALIB_PLOTS_PLAN
};

struct calib_plots_opts {
	enum calib_plots_kind kind;
	const char *title;              /* the session's name */
	const char *stat;               /* --stat */
	double min;                     /* --min, NAN when not given */
	double width;                   /* --width (plan), NAN when not given */
	unsigned long seed;             /* -s: the headline bootstrap's seed */
	const char *criterion;          /* --criterion */
	const char *expert;             /* --expert */
	const char *key;                /* --key: a file or "consensus" */
	bool consensus_given;           /* --consensus */
	enum calib_consensus consensus; /* heatmap, bland-altman: as calib-raters */
	uint32_t expert_id;             /* the --expert rater's store id, or CALIB_NONE */
	bool dumb;
};

/* One point of the agreement plot. */
struct calib_plots_entry {
	char *criterion, *stat, *note;
	double est, lo, hi;
	size_t n_calls;
	size_t group; /* rows of one rubric section share a group (calib_plots_by_section) */
	bool head;    /* the section's subtotal: first of its group */
};

struct calib_plots_entries {
	struct calib_plots_entry *v;
	size_t n, cap;
};

/* Free the entries' strings and array (the struct itself is the caller's). */
void calib_plots_entries_free(struct calib_plots_entries *e);
/* A new zeroed entry at the end, or NULL when out of memory. */
struct calib_plots_entry *calib_plots_entries_push(struct calib_plots_entries *e);
/* strdup of s, "" for NULL; NULL when out of memory. */
char *calib_plots_strdup(const char *s);
/* Entries from a report: per row its headline record. 0, or 1 when out of memory. */
int calib_plots_from_report(const struct calib_report *r, struct calib_plots_entries *out);
/*
 * Entries from calib-agree's or calib-kappa's records read back (results.h:
 * CSV, TSV or JSON): per criterion (consecutive records of one criterion
 * name) the record calib_registry_pick chooses for stat (--stat, or NULL)
 * and the scale in the records' scale column (without one, the headline
 * of an unknown scale); a criterion with none of stat adds no entry, nor
 * does a record without a criterion or statistic. Only the first 64
 * records of a criterion are looked at. Cells that are empty, NA or not
 * a number read as NAN (n_calls as 0). 0, or 1 when out of memory.
 */
int calib_plots_from_results(const struct calib_results *r, const char *stat,
                             struct calib_plots_entries *out);
/*
 * With a rubric of sections, put each section's subtotal and criteria
 * together, in the rubric's order of sections; then the criteria of no
 * section, then the TOTAL. Without sections every entry stays in group 0.
 */
void calib_plots_by_section(const struct calib_store *s, struct calib_plots_entries *en);
/*
 * The agreement plot: each entry's coefficient with its interval, worst
 * first (by section when grouped), over the bands. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_plots_agreement(struct calib_plot *p, struct calib_plots_entries *en,
                                        const struct calib_plots_opts *o);
/*
 * calib-plot plan: per criterion the width of its interval against the
 * number of calls (calib_plan_curve over calib-plan's plan of the store),
 * the target width as a line, each criterion's planned calls as a point.
 */
enum calib_status calib_plots_plan(struct calib_plot *p, const struct calib_store *s,
                                   const struct calib_plots_opts *o, struct calib_error *err);
/* Every rater's score per call on the criteria crit[0..nc), a panel each. */
enum calib_status calib_plots_spread(struct calib_plot *p, const struct calib_store *s,
                                     const struct calib_plots_opts *o, const uint32_t *crit,
                                     size_t nc);
/* Rater x criterion mean deviation from the reference of calib-raters. */
enum calib_status calib_plots_heatmap(struct calib_plot *p, const struct calib_store *s,
                                      const struct calib_plots_opts *o);
/*
 * The criterion calib-plot bland-altman draws when none is named: the
 * first scored in points (interval or ratio), else the first ordinal one;
 * CALIB_NONE when there is neither. Cannot fail.
 */
uint32_t calib_plots_ba_criterion(const struct calib_store *s);
/*
 * Each rater's differences from the reference on criterion ci, one panel a
 * rater. With more than CALIB_PLOTS_BA_PAGE raters, the CALIB_PLOTS_BA_PAGE
 * with the largest |bias| are drawn, most out of line first, and *left_out
 * says how many were not. CALIB_EARG when no call has two scores to compare.
 */
enum calib_status calib_plots_bland_altman(struct calib_plot *p, const struct calib_store *s,
                                           const struct calib_plots_opts *o, uint32_t ci,
                                           size_t *left_out);

/* What calib-drift's chart shows beside the series (calib_plots_drift). */
struct calib_plots_drift_opts {
	const char *name;              /* the input in the title: a file's name, "N files" */
	enum calib_plot_terminal term; /* --chart's terminal */
	bool have_size;                /* --size given: w x h, else the terminal's default */
	unsigned w, h;
	double min, max_drop;          /* the alerts (rings), NAN when not given */
	bool on_estimate;              /* --on-estimate: alerts judge the estimate, not its CI */
	double threshold;              /* --threshold line, NAN: --min's */
	bool by_rater;                 /* --by rater: calibration scores, a "pass mark" line */
};

/*
 * calib-drift's chart: per criterion (or rater, --by rater) the
 * coefficient over sessions with its CI clipped to [-1, 1]; up to four
 * series share one panel, more get a panel each. A new plot on o->term;
 * NULL when out of memory.
 */
struct calib_plot *calib_plots_drift(const struct calib_drift *d,
                                     const struct calib_plots_drift_opts *o);

/* What calib-audit's chart shows (calib_plots_audit). */
struct calib_plots_audit_opts {
	const char *name;      /* the input in the title: a file's name, "N files" */
	const char *criterion; /* the criterion fitted, or "TOTAL" */
	double conf;           /* the level of the fit's intervals (0.95) */
};

/*
 * calib-audit's chart: a dot plot of every evaluator with scores, one row
 * each, sorted by the adjusted effect (most lenient at the top) within
 * each component of the evaluator-agent graph: the adjusted effect with
 * its interval as error bars, coloured when the interval excludes 0
 * (vermillion lenient, blue harsh), the raw deviation as a hollow circle
 * joined to it, a line at 0. name[j] is evaluator j's name (untrusted).
 * The height grows with the rows (20 pixels each, a line of text for
 * dumb); the x axis is repeated at the top. Appended to p after
 * calib_plot_style. CALIB_OK, CALIB_EARG when no evaluator has scores,
 * or CALIB_ENOMEM.
 */
enum calib_status calib_plots_audit(struct calib_plot *p, const struct calib_audit_fit *f,
                                    const char *const *name,
                                    const struct calib_plots_audit_opts *o);

#endif
