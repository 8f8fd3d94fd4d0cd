/*
 * plan.h - how many calls a calibration session needs: the calls that
 * give a coefficient's confidence interval a target width, or the width
 * a number of calls gives, for an expected coefficient, a number of
 * raters and (labelled scales) the share of each category.
 *
 * Two methods (calib-plan(1) cites each):
 *  - closed forms where they are published: Bonett (2002) for the ICCs
 *    of the one-way and consistency designs (icc1, icc3), the large-sample
 *    variance of Cohen's kappa (Fleiss, Cohen & Everitt 1969) for two
 *    raters and a binary criterion;
 *  - for every other statistic, a seeded simulation with calib's own
 *    engine: sessions generated under the assumed agreement and category
 *    shares, the statistic and its interval computed as calib-agree does
 *    (calib_family_run), the median width and the share of intervals no
 *    wider than the target reported.
 *
 * Ownership: a design borrows its arrays (the caller's); results are
 * plain values; calib_plan_session_free(NULL) is harmless.
 */
#ifndef CALIB_PLAN_H
#define CALIB_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "calib/error.h"
#include "calib/store.h"

#define CALIB_PLAN_MAX_LEVELS 32

enum calib_plan_method {
	CALIB_PLAN_AUTO = 0, /* the closed form where one is published, else simulation */
	CALIB_PLAN_CLOSED,   /* the closed form only (an error where there is none) */
	CALIB_PLAN_SIMULATE  /* the simulation always */
};

/* What is assumed of the next session. */
struct calib_plan_design {
	const char *stat;       /* a coefficient of the registry ("icc2", "gwet_ac1") */
	enum calib_scale scale; /* binary, nominal, ordinal: labelled; interval, ratio */
	size_t n_raters;        /* raters scoring every call, >= 2 */
	double expected;        /* the coefficient expected */
	size_t n_levels;        /* categories of a labelled scale (2..CALIB_PLAN_MAX_LEVELS) */
	const double *value;  /* n_levels increasing values (weights use them), or NULL: 1..q */
	const double *share;  /* n_levels shares summing to 1, or NULL: equal shares */
	double conf;          /* confidence level of the interval, 0.95 */
	bool at_least_chance; /* an expected value below what chance alone gives with
	                         these shares is planned as chance (a past session's
	                         estimate), not refused */
};

/* Defaults: no statistic, binary, 2 raters, expected NAN, 2 levels, conf 0.95. */
void calib_plan_design_init(struct calib_plan_design *d);

/*
 * A session described by calib-plan's options (--expected), before the
 * defaults that depend on each other are filled in.
 */
struct calib_plan_given {
	const char *stat;       /* one coefficient, or NULL: the scale's headline */
	enum calib_scale scale; /* CALIB_SCALE_UNKNOWN: from stat (binary for categories) */
	size_t n_raters;        /* raters scoring every call, >= 2 */
	double expected;        /* the coefficient expected */
	size_t n_levels;        /* 0: as many as shares, else 5 ordinal, else 2 */
	double share[CALIB_PLAN_MAX_LEVELS]; /* the n_shares shares given */
	size_t n_shares;        /* 0: equal shares; 1: the last category's of two */
	double conf;            /* confidence level of the interval */
};

/*
 * The design d of the session g describes, with the defaults calib-plan(1)
 * gives: the statistic the scale's headline (binary when no scale is
 * given); one share p the shares 1 - p, p of two categories (g->share is
 * rewritten so); the levels as many as the shares, else 5 for an ordinal
 * scale or a statistic that assumes one (weights, ranks), else 2; the
 * scale the statistic assumes (registry.h) from ordinal up when g gives
 * none, else nominal above two levels, binary. d borrows g->stat and
 * g->share: g must outlive it. CALIB_OK, or CALIB_EARG with err filled
 * when the shares and levels disagree ("3 shares for 2 categories", the
 * message of calib-plan's --prevalence); the design itself is checked by
 * calib_plan_check when planned.
 */
enum calib_status calib_plan_design_given(struct calib_plan_design *d,
                                          struct calib_plan_given *g,
                                          struct calib_error *err);

struct calib_plan_opts {
	double width; /* target width of the whole interval, or NAN */
	size_t calls; /* calls given (0: find the calls for width) */
	enum calib_plan_method method;
	size_t replicates;  /* simulated sessions per number of calls (200) */
	unsigned long seed; /* simulation seed (1); 0 is GSL's default 4357 */
	size_t max_calls;   /* largest number of calls searched (2000) */
	unsigned threads;   /* a session's criteria over this many threads (0: up to 2) */
};

void calib_plan_opts_init(struct calib_plan_opts *o);

struct calib_plan_result {
	size_t n_calls;     /* calls needed (or given); 0 when none suffices */
	double width;       /* expected (closed form) or median (simulation) width */
	double share;       /* simulation: share of intervals no wider than the target */
	const char *method; /* "bonett2002", "fleiss1969" or "simulation" */
	char note[160];     /* why n_calls is 0, what was assumed */
};

/*
 * Bonett (2002), eq. 3: calls for an ICC interval of width w with k raters,
 * n = 8 z^2 (1 - rho)^2 (1 + (k - 1) rho)^2 / (k (k - 1) w^2) + 1, plus
 * 5 rho when k = 2 and rho >= 0.7 (Bonett's correction); not rounded.
 * And its inverse: the width n calls give. Cannot fail (NAN for k < 2).
 */
double calib_plan_bonett_calls(double rho, size_t k, double w, double conf);
double calib_plan_bonett_width(double rho, size_t k, double n, double conf);

/*
 * n times the large-sample variance of Cohen's kappa (Fleiss, Cohen &
 * Everitt 1969) for two raters with one share p of "yes" each and kappa
 * kappa: the 2 x 2 table p_ij = kappa p_i [i = j] + (1 - kappa) p_i p_j.
 * The calls for width w: z^2 v / (w / 2)^2; the width of n calls:
 * 2 z sqrt(v / n). Cannot fail (NAN outside 0 < p < 1).
 */
double calib_plan_kappa_variance(double kappa, double p);
double calib_plan_kappa_calls(double kappa, double p, double w, double conf);
double calib_plan_kappa_width(double kappa, double p, double n, double conf);

/*
 * Which closed form covers d: "bonett2002" (icc1, icc3), "fleiss1969"
 * (cohen_kappa, two raters, binary), or NULL. Cannot fail.
 */
const char *calib_plan_closed_form(const struct calib_plan_design *d);

/*
 * The value d->stat takes when raters agree no better than chance with
 * d's shares (Gwet's AC1 is 0.895 when one category holds 95% of the
 * scores; the kappas and alpha 0); NAN for a numeric statistic or a
 * design calib_plan_check refuses. Cannot fail.
 */
double calib_plan_chance(const struct calib_plan_design *d);

/* What a simulation found at one number of calls. */
struct calib_plan_sim {
	double median_width;    /* an interval that cannot be computed, or a session
	                           where all agree on every call, counts as infinitely wide */
	double share_within;    /* share of intervals no wider than the target (NAN: none) */
	double median_estimate; /* the coefficient's median: the model's check */
};

/*
 * Simulate `replicates` sessions of n calls under d (seeded: the same
 * seed gives the same sessions whatever n, so widths compare across n)
 * and compute d->stat with its interval as calib-agree does, into *out.
 * CALIB_OK, CALIB_ENOMEM, or CALIB_EARG with err filled when d cannot be
 * simulated (calib_plan_check), or when d->stat has no analytic interval
 * in any of the sessions (calib-agree bootstraps such a coefficient).
 */
enum calib_status calib_plan_simulate(const struct calib_plan_design *d, size_t n, double width,
                                      size_t replicates, unsigned long seed,
                                      struct calib_plan_sim *out, struct calib_error *err);

/*
 * Is d a design that can be planned: a known coefficient, at least two
 * raters, Cohen's kappas with two, a level in (0, 1), levels and shares
 * that make sense, and an expected coefficient the generating model
 * reaches (above what chance alone gives AC1 under skewed shares)?
 * CALIB_OK or CALIB_EARG with the reason in err.
 */
enum calib_status calib_plan_check(const struct calib_plan_design *d, struct calib_error *err);

/*
 * Plan d: with o->calls, the width those calls give (and, with a width,
 * the share of intervals within it); else the fewest calls (at least 3)
 * whose expected or median width is at most o->width. CALIB_OK (a plan
 * that needs more than o->max_calls has n_calls 0 and says so in the
 * note), CALIB_ENOMEM, or CALIB_EARG with err filled.
 */
enum calib_status calib_plan_run(const struct calib_plan_design *d,
                                 const struct calib_plan_opts *o, struct calib_plan_result *r,
                                 struct calib_error *err);

/* One criterion's plan from a past session. */
struct calib_plan_row {
	const char *criterion; /* the store's (or "TOTAL", "section:<name>") */
	char stat[64];         /* its headline (or the first of the --stat list it has) */
	enum calib_scale scale;
	size_t observed_calls; /* calls the session's coefficient rests on */
	size_t n_raters;       /* raters planned for */
	double expected;       /* the session's coefficient, the plan's expectation */
	double yes_share;      /* a binary criterion's share of its last level, else NAN */
	bool planned;          /* false: result empty, note says why */
	struct calib_plan_result result;
	/* the design it was planned with (calib_plan_curve) */
	size_t n_levels;
	double share[CALIB_PLAN_MAX_LEVELS], value[CALIB_PLAN_MAX_LEVELS];
	double conf;
	bool at_least_chance;
};

struct calib_plan_session {
	size_t n_rows;
	struct calib_plan_row *rows;
	size_t drives; /* the row needing the most calls, or n_rows (none planned) */
	char **names;  /* owned copies of the rows' names */
};

/*
 * Plan the next session from a finished store: per criterion (and the
 * TOTAL and section rows calib-agree shows) its headline coefficient
 * (stat: a comma list, the first that applies; NULL: the scale's
 * headline) as observed, its categories' shares, and n_raters raters (0:
 * as many as scored it). A row that cannot be planned (its coefficient
 * NA, perfect, or out of the model's reach) says why and is not an
 * error. CALIB_OK, CALIB_ENOMEM, or CALIB_EARG (a bad option: unknown
 * statistic, level) with err filled; *out NULL on error.
 */
enum calib_status calib_plan_session_run(const struct calib_store *s, const char *stat,
                                         size_t n_raters, double conf,
                                         const struct calib_plan_opts *o,
                                         struct calib_plan_session **out,
                                         struct calib_error *err);

/*
 * The plan of one design given by options, as a session of one row with
 * an empty criterion name. Same returns as calib_plan_run.
 */
enum calib_status calib_plan_one(const struct calib_plan_design *d,
                                 const struct calib_plan_opts *o,
                                 struct calib_plan_session **out, struct calib_error *err);

void calib_plan_session_free(struct calib_plan_session *p);

/*
 * The width of planned row r's interval at each of ns[0..m) calls, into
 * widths[0..m): by the closed form its plan used, else by simulation with
 * o's replicates and seed (NAN where a session of that size cannot be
 * simulated). For width against calls (calib-plot plan). CALIB_OK,
 * CALIB_ENOMEM, or CALIB_EARG (r not planned).
 */
enum calib_status calib_plan_curve(const struct calib_plan_row *r,
                                   const struct calib_plan_opts *o, const size_t *ns, size_t m,
                                   double *widths, struct calib_error *err);

struct calib_table;

/*
 * The plan as a table: one row per criterion with criterion, statistic,
 * scale, n_raters, expected, yes_share, conf, target_width, n_calls,
 * width, share_within, method, note; a footer (the aligned table's
 * sentence) saying what to do: "Score 24 calls with 5 managers to
 * estimate structured_close's ICC within +-0.10". NULL when out of memory.
 */
struct calib_table *calib_plan_table(const struct calib_plan_session *p, double conf,
                                     const struct calib_plan_opts *o);

#endif
