/*
 * audit_views.h - the views of calib-audit beyond severity, from routine
 * evaluations (one evaluator per call): how each evaluator uses the scale
 * against the pooled distribution, the evaluator x criterion effects
 * (criteria an evaluator interprets differently from their own overall
 * severity), and per agent how much their scores depend on who evaluated
 * them. Each is a list of records (built from the fits of audit.h) and a
 * table of them for the shared writers.
 *
 * Ownership: each list owns its rows (and the scale list the counts they
 * point into); free it with its _free, which takes NULL or an empty list.
 * Tables are the caller's (calib_table_free).
 */
#ifndef CALIB_AUDIT_VIEWS_H
#define CALIB_AUDIT_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/error.h"

struct calib_store;
struct calib_table;

/* What calib-audit shows (--view). */
enum calib_audit_view {
	CALIB_AUDIT_SEVERITY = 0, /* calib_audit_table (audit.h) */
	CALIB_AUDIT_SCALE,        /* calib_audit_scale_table */
	CALIB_AUDIT_CRITERIA,     /* calib_audit_criteria_table */
	CALIB_AUDIT_AGENTS        /* calib_audit_agents_table */
};

/* "severity", "scale", "criteria", "agents" -> *v; false when unknown. */
bool calib_audit_view_parse(const char *s, enum calib_audit_view *v);

/*
 * Pearson's chi-square test of homogeneity of the 2 x k table whose rows
 * are a[] (one evaluator's counts) and b[] (the others'), k categories in
 * order. Adjacent categories are merged, in order, until every expected
 * count of both rows is at least min_expected (a short last group joins
 * the one before it); categories nobody used fall into a neighbour. chi2,
 * df = groups - 1 and the upper-tail p; NAN (df 0) when fewer than two
 * groups remain or a row is empty. Cannot fail.
 */
struct calib_audit_chi2 {
	double chi2, p;
	size_t df, groups;
};
struct calib_audit_chi2 calib_audit_chi2_merged(const double *a, const double *b, size_t k,
                                                double min_expected);

/* One evaluator's use of one criterion's scale (or the pool of all evaluators). */
struct calib_audit_scale {
	uint32_t criterion; /* index of s->criteria */
	uint32_t evaluator; /* rater id; CALIB_NONE: the pool of every evaluator */
	size_t n;           /* ratings: scores and N/A */
	size_t n_na;        /* N/A among them */
	const size_t *count; /* per level of the criterion (its n_levels): scores given */
	double mean, sd;    /* of the scores (sd: n - 1 denominator; NAN below 2) */
	double sd_ratio;    /* sd over the sd of the other evaluators' scores */
	double extreme;     /* share of scores at the lowest or highest level (3 levels or more) */
	struct calib_audit_chi2 test; /* levels and N/A against the other evaluators */
};
struct calib_audit_scales {
	size_t n;
	struct calib_audit_scale *row; /* per criterion: the pool, then each evaluator */
	size_t *counts_;               /* private: what count points into */
};

/*
 * Scale use per criterion with ordered levels (nominal ones left out) and
 * per evaluator, against the others (chi-square with min_expected 5).
 * CALIB_OK, CALIB_ENOMEM, or CALIB_EINPUT (err set) when no criterion has
 * ordered levels.
 */
enum calib_status calib_audit_scales(const struct calib_store *s, struct calib_audit_scales *out,
                                     struct calib_error *err);
void calib_audit_scales_free(struct calib_audit_scales *l);

/* One evaluator on one criterion against their own overall severity. */
struct calib_audit_interaction {
	uint32_t criterion, evaluator;
	size_t n;          /* scores given on the criterion */
	double effect;     /* adjusted effect on the criterion (audit.h), in its units */
	double sigma;      /* the criterion's residual SD */
	double overall;    /* mean over the evaluator's criteria of effect / sigma */
	double difference; /* effect - overall x sigma, in the criterion's units */
	double std;        /* difference / sigma = effect / sigma - overall */
	double se, z;      /* the effect's SE (audit.h) and difference / se */
};
struct calib_audit_interactions {
	size_t n;
	struct calib_audit_interaction *row; /* by |std| descending; NAN last */
	size_t n_components; /* the most of any criterion's evaluator-agent graph */
};

/*
 * The evaluator x criterion effects of every criterion with ordered levels
 * whose residual SD is positive. std and z are NAN for an evaluator with
 * effects on fewer than two criteria. CALIB_OK, CALIB_ENOMEM, or
 * CALIB_EINPUT (err set) when fewer than two criteria can be compared.
 */
enum calib_status calib_audit_interactions(const struct calib_store *s,
                                           struct calib_audit_interactions *out,
                                           struct calib_error *err);
void calib_audit_interactions_free(struct calib_audit_interactions *l);

/* One agent on one criterion (or the TOTAL). */
struct calib_audit_agent {
	uint32_t criterion; /* index of s->criteria; CALIB_NONE: the TOTAL */
	uint32_t agent;     /* id of s->sessions (the agents) */
	size_t n, n_evaluators; /* scores, distinct evaluators */
	double raw;         /* mean score */
	double adjusted;    /* raw minus the mean of the evaluator effects of their scores */
	double shift;       /* adjusted - raw */
	double eta2;        /* between-evaluator SS of their scores over total SS; NAN
	                       with one evaluator or equal scores */
	double eta2_adj;    /* corrected for chance: 1 - (1 - eta2)(n - 1)/(n - k) for k
	                       evaluators (0 expected when who evaluated does not
	                       matter; may be < 0); NAN when n <= k */
};
struct calib_audit_agents {
	size_t n;
	struct calib_audit_agent *row; /* criteria in order, then the TOTAL; within
	                                  one by |shift| descending */
	size_t n_components; /* the most of any fit's evaluator-agent graph */
};

/*
 * Fairness per agent on each criterion with ordered levels and on the
 * TOTAL when it applies. CALIB_OK, CALIB_ENOMEM, or CALIB_EINPUT (err set)
 * when no criterion has ordered levels.
 */
enum calib_status calib_audit_agents(const struct calib_store *s, struct calib_audit_agents *out,
                                     struct calib_error *err);
void calib_audit_agents_free(struct calib_audit_agents *l);

/*
 * The tables of the three views: at most top rows (0: all) per criterion
 * in the agents view, overall in the criteria view. NULL with err set on
 * failure (the errors of the list functions above).
 */
struct calib_table *calib_audit_scale_table(const struct calib_store *s, struct calib_error *err);
struct calib_table *calib_audit_criteria_table(const struct calib_store *s, size_t top,
                                               struct calib_error *err);
struct calib_table *calib_audit_agents_table(const struct calib_store *s, size_t top,
                                             struct calib_error *err);

#endif
