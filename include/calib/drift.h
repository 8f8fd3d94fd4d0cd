/*
 * drift.h - agreement over sessions: the series of one coefficient per
 * (session, criterion), the change from one session to the next with a
 * bootstrap interval for the difference, the slope over the last sessions,
 * comparisons of two sessions or two groups of sessions, and the alerts a
 * cron job watches (latest session below a floor, or dropped below the
 * mean of the sessions before it).
 *
 * Ownership: a struct calib_drift owns its arrays; free it with
 * calib_drift_free() (NULL harmless). Session and criterion names point
 * into the store, which must outlive the drift. Options are the caller's
 * and only read.
 */
#ifndef CALIB_DRIFT_H
#define CALIB_DRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/coef.h"
#include "calib/error.h"
#include "calib/matrix.h"
#include "calib/raters.h"
#include "calib/stat.h"
#include "calib/store.h"

struct calib_drift_opts {
	const char *stat; /* one statistic for every criterion, or NULL: the headline
	                     of each criterion's scale (calib_registry_headline) */
	bool complete;    /* only calls scored by every rater of the session */
	bool total;       /* add the TOTAL score per call as the last row, where
	                     calib_report_total_applies() (as calib-agree does) */
	enum calib_na_policy na;
	struct calib_coef_opts coef;
	size_t boot;        /* replicates of the difference bootstrap; 0: no CI */
	unsigned long seed; /* its gsl_rng_mt19937 seed (0: GSL's default, 4357) */
	size_t window;      /* K: sessions in the slope and in the --max-drop mean */
	bool store_order;   /* sessions in the order of their store ids (the caller
	                       arranged them); false: calib_drift_order() */
	/* called after each criterion of calib_drift_run, or NULL */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

/* Defaults: per-scale statistic, all scores, N/A per scale, 1000 replicates, seed 1, K 4,
 * the TOTAL. */
void calib_drift_opts_init(struct calib_drift_opts *o);

/*
 * Is text a strict ISO date YYYY-MM-DD (four-digit year, a real month and
 * day of that month, leap years counted)? *days, when not NULL, receives
 * the days since 0000-03-01 (only differences matter). Cannot fail.
 */
bool calib_drift_parse_date(const char *text, long *days);

/* One (criterion, session) point of the series. */
struct calib_drift_point {
	bool present;                  /* the criterion has a score in this session */
	double estimate, lower, upper; /* NAN when undefined (note says why) */
	double se;                     /* the estimate's standard error, or NAN */
	size_t n_calls, n_raters;
	/* change from the previous session where the coefficient is defined */
	size_t prev; /* its index in the order, or SIZE_MAX: none */
	double change, change_lower, change_upper; /* NAN when not defined */
	int flag; /* +1 / -1: the change's CI excludes 0, with at most 5% of its
	             replicates undefined (the note counts them); else 0 */
	char note[CALIB_STAT_NOTE];
};

/* Per criterion: the trend over its last K sessions. */
struct calib_drift_trend {
	const char *criterion;
	const char *stat; /* the statistic of the series */
	size_t n_points;  /* defined estimates among the last K sessions */
	/* least squares, per session; NAN with fewer than 2 points (3 for se) */
	double slope, slope_se;
	bool weighted;  /* each point weighted by 1/SE^2 (every point has an SE > 0);
	                   else an unweighted, descriptive slope */
	size_t latest; /* index of the criterion's latest present session, or SIZE_MAX */
};

/* By rater: what a point of a rater's calibration rests on, and its bias. */
struct calib_drift_rater {
	size_t n_items, n_match;             /* the calibration score's items and matches */
	size_t n_calls;                      /* calls with the rater's and the key's TOTAL */
	double bias, bias_lower, bias_upper; /* TOTAL difference, t interval */
	int pass; /* as calib_raters_summary: 1, 0, or -1 (no mark or score) */
};

struct calib_drift {
	size_t n_sessions;
	bool total; /* the last row (n_criteria - 1) is the TOTAL, named "TOTAL" */
	uint32_t *order;      /* store session ids, oldest first */
	const char **session; /* their names, in that order */
	bool dated;           /* every session is an ISO date (ordered by date) */
	size_t n_criteria;               /* the store's criteria, and the TOTAL */
	struct calib_drift_trend *trend; /* n_criteria */
	struct calib_drift_point *point; /* n_criteria x n_sessions, criterion-major */
	unsigned long seed;
	size_t boot, window;
	double conf; /* the confidence level of every interval */
	/* calib_drift_raters: a "criterion" is a rater, n_criteria x n_sessions as point */
	struct calib_drift_rater *rater; /* NULL for agreement per criterion */
};

/* The point of criterion c in session i (in order). Cannot fail. */
static inline struct calib_drift_point *
calib_drift_at(const struct calib_drift *d, size_t c, size_t i)
{
	return &d->point[c * d->n_sessions + i];
}

/*
 * Order the sessions of a finished store: by date when every session name
 * is an ISO date, else in order of first appearance. *order receives a
 * malloc'ed array of store session ids (n = number of sessions), *dated
 * whether dates decided. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_drift_order(const struct calib_store *s, uint32_t **order, bool *dated);

/*
 * The statistic of the TOTAL's series: o->stat when it is an ICC or an
 * alpha (the families calib-agree runs on the TOTAL), else the headline of
 * the interval scale (icc2). Cannot fail.
 */
const char *calib_drift_total_stat(const struct calib_drift_opts *o);

/*
 * The series: every criterion in every session, and after them the TOTAL
 * (with o->total, where calib_report_total_applies()), its changes with their
 * bootstrap intervals (calib_drift_diff between each session and the
 * previous one where the coefficient is defined; none where it is
 * undefined or the criterion absent) and the trends. CALIB_OK; CALIB_ENOMEM; CALIB_EARG
 * (unknown statistic, bad options; message in err). On error *out is NULL.
 */
enum calib_status calib_drift_run(const struct calib_store *s, const struct calib_drift_opts *o,
                                  struct calib_drift **out, struct calib_error *err);

void calib_drift_free(struct calib_drift *d);

/*
 * Each rater's calibration per session against the expert or answer key
 * ro->expert (required): a series whose "criteria" are the raters (the
 * expert left out; trend[].criterion their names, trend[].stat
 * "calibration_score"). A point is the calibration score of
 * calib_raters_run on that session with the Wilson score interval at
 * ro->conf, items taken as independent, and se sqrt(p (1 - p) / n); not
 * present where the rater has no item. Its rater[] record holds the
 * counts and the TOTAL bias with its t interval. The change from the
 * rater's previous present session is the difference of the scores with
 * the normal interval +- z sqrt(se^2 + se_prev^2), flagged where it
 * excludes 0. Sessions in store order (arranged by the caller); window as
 * calib_drift_opts. calib_drift_alerts works on the result as on
 * criteria. CALIB_OK, CALIB_ENOMEM, CALIB_EARG (no expert, window below
 * 2; message in err). On error *out is NULL.
 */
enum calib_status calib_drift_raters(const struct calib_store *s,
                                     const struct calib_raters_opts *ro, size_t window,
                                     struct calib_drift **out, struct calib_error *err);

/*
 * The Wilson (1927) score interval of k successes in n at level conf
 * into *lo, *hi (NAN when n is 0). Cannot fail.
 */
void calib_drift_wilson(size_t k, size_t n, double conf, double *lo, double *hi);

/* The difference between two groups of sessions for one criterion. */
struct calib_drift_diff {
	const char *stat;
	double a, b;         /* the coefficient on each group's pooled calls */
	double diff;         /* b - a, NAN when either is undefined */
	double lower, upper; /* percentile bootstrap bounds of b - a */
	double se;           /* standard deviation of the replicates */
	size_t n_calls_a, n_calls_b; /* the calls each coefficient rests on (ICC: complete) */
	size_t n_raters_a, n_raters_b;
	size_t n_shared;          /* calls scored in both groups, resampled as pairs */
	size_t n_boot, n_defined; /* replicates drawn; those where both were defined */
	char note[CALIB_STAT_NOTE];
};

/*
 * Compare criterion crit (CALIB_NONE: the TOTAL score) between group a (store session ids a[0..na)) and
 * group b: the coefficient `stat` (NULL: the scale's default) on the calls
 * of each group, and b - a with a percentile bootstrap interval at
 * o->coef.conf over o->boot replicates. Calls are resampled, never single
 * ratings: a call (by name) scored in both groups is one unit whose rows
 * in a and in b are drawn together; other calls are drawn within their own
 * session. Draws come from one gsl_rng_mt19937 seeded with o->seed; per
 * replicate the strata are drawn in order (shared calls, then each session
 * of a, then each session of b, in the order given), each drawing as many
 * units as it holds with gsl_rng_uniform_int(rng, n). Replicates where a
 * coefficient is undefined are left out and counted. Undefined values are
 * NAN with a note, not errors. CALIB_OK, CALIB_ENOMEM, or CALIB_EARG for
 * an unknown statistic (message in err, which may be NULL).
 */
enum calib_status calib_drift_diff(const struct calib_store *s, uint32_t crit,
                                   const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                                   const struct calib_drift_opts *o,
                                   struct calib_drift_diff *res, struct calib_error *err);

/*
 * --compare: two groups of sessions and, per criterion, the difference
 * between them (calib_drift_diff). Made by calib_drift_groups, filled by
 * calib_drift_compare, freed with calib_drift_comparison_free (NULL
 * harmless). Criterion names point into the store.
 */
struct calib_drift_comparison {
	char *group_a, *group_b; /* the two sides of the spec as written */
	uint32_t *a, *b;         /* their store session ids, in the order listed */
	size_t na, nb;
	size_t boot;        /* replicates of every row's interval (0: none) */
	unsigned long seed; /* and their seed, for the footer */
	size_t n_rows;      /* the store's criteria, then the TOTAL (as in the series) */
	const char **criterion;       /* each row's name ("TOTAL" last); n_rows */
	struct calib_drift_diff *row; /* n_rows */
};

/*
 * Parse spec "A:B" into a new comparison with no rows yet. A side is a
 * comma list of items; an item is a session label or FIRST..LAST (every
 * session from FIRST to LAST, both included). The store's sessions are in
 * session order by id (the caller arranged them, as calib_drift_opts'
 * store_order). A label is a session's name, or a date in another
 * spelling (read by calib_dates_read with date_format, NULL: the usual
 * forms) that names the session of its canonical name. CALIB_OK;
 * CALIB_ENOMEM; CALIB_EARG with the message in err ("expected
 * GROUP:GROUP, not 'X'", "no session 'X'", "'X' runs backwards in session
 * order", "empty group"). On error *out is NULL.
 */
enum calib_status calib_drift_groups(const struct calib_store *s, const char *spec,
                                     const char *date_format,
                                     struct calib_drift_comparison **out,
                                     struct calib_error *err);

/*
 * Fill c's rows: calib_drift_diff of group a against group b for every
 * criterion of s, then the TOTAL score (with o->total, where
 * calib_report_total_applies()), with o's statistic, bootstrap and seed;
 * c->boot and c->seed take o's. Rows already there are replaced.
 * CALIB_OK; CALIB_ENOMEM; CALIB_EARG (unknown statistic; message in err).
 * On error c->n_rows counts the rows done.
 */
enum calib_status calib_drift_compare(const struct calib_store *s,
                                      const struct calib_drift_opts *o,
                                      struct calib_drift_comparison *c,
                                      struct calib_error *err);

void calib_drift_comparison_free(struct calib_drift_comparison *c);

/* What an alert found. */
struct calib_drift_alert {
	size_t criterion; /* index into d's rows (the store's criteria, then the TOTAL) */
	bool drop;        /* false: below --min; true: the --max-drop case */
	double estimate;  /* latest session's coefficient */
	double mean;      /* mean of the K sessions before (drop only) */
	size_t n_mean;    /* how many of them were defined (drop only) */
	/* the interval judged: the estimate's (--min) or the drop's, mean -
	   estimate (--max-drop); NAN when there is none */
	double lower, upper;
};

/*
 * Alerts at session i of d (in order; the cron job asks about the latest,
 * i = d->n_sessions - 1; the chart marks every session). With on_estimate
 * false (the default of the programs), by the intervals: every criterion
 * whose interval there lies below min (its upper bound is below; NAN min:
 * not checked), and every criterion whose drop from the mean of its
 * defined coefficients in the d->window sessions before i is larger than
 * max_drop with an interval that excludes 0 (NAN: not checked). The drop's
 * interval is normal, from each session's standard error (sessions drawn
 * independently): mean - estimate +- z sqrt(se_i^2 + sum se_j^2 / k^2).
 * Where a value has no interval, and with on_estimate, the estimates
 * alone decide (below min; a drop larger than max_drop). A criterion
 * without a defined value in session i raises none. Writes at most cap
 * alerts into out (criterion order, the --min case first) and returns how
 * many there are. Cannot fail.
 */
size_t calib_drift_alerts(const struct calib_drift *d, size_t i, double min, double max_drop,
                          bool on_estimate, struct calib_drift_alert *out, size_t cap);

#endif
