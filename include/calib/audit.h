/*
 * audit.h - scoring consistency from routine evaluations, where each call
 * is scored by one evaluator: the additive model score = agent +
 * evaluator + error, fitted by alternating projections (Gaure 2013, as R
 * lfe and fixest) on the sparse design, per criterion and on the TOTAL.
 * Each evaluator's adjusted effect (lenient > 0, harsh < 0) sums to zero
 * within its connected component of the evaluator-agent graph, beside
 * the raw deviation of their mean score, centred the same way.
 *
 * Ownership: a struct calib_audit_fit owns its arrays
 * (calib_audit_fit_free); the table of calib_audit_table is the caller's.
 */
#ifndef CALIB_AUDIT_H
#define CALIB_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "calib/error.h"

struct calib_store;
struct calib_table;

/* One fit of score = agent + evaluator + error. Arrays per evaluator unless said. */
struct calib_audit_fit {
	size_t n_agents, n_evaluators, n_obs;
	double *agent_effect;     /* per agent: its level, the component's centre included */
	double *adjusted;         /* the evaluator's effect, sum zero within its component */
	double *raw;              /* mean score minus the component's mean of evaluator means */
	double *se, *lo, *hi, *p; /* of adjusted; NAN when it has none (below) */
	size_t *n;                /* scores given */
	size_t *n_agent_of;       /* distinct agents scored */
	uint32_t *component;      /* 1, 2, ... in order of the evaluators' ids; 0: no scores */
	size_t n_components;      /* components holding at least one evaluator with scores */
	size_t iterations;        /* sweeps of the alternating projections */
};

/*
 * Fit the model to n scores y[i] of agent[i] (< n_agents) by evaluator[i]
 * (< n_evaluators). Standard errors are those of calib_audit_cluster_se,
 * on G - 1 degrees of freedom for G agents the evaluator scored; NAN for
 * an evaluator who scored one agent or is alone in their component.
 * conf: level of the interval (0.95). CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_audit_fit(const uint32_t *agent, const uint32_t *evaluator,
                                  const double *y, size_t n, size_t n_agents,
                                  size_t n_evaluators, double conf, struct calib_audit_fit *f);
void calib_audit_fit_free(struct calib_audit_fit *f);

/* Components with more evaluators than this get no se (a dense E x E solve each). */
#define CALIB_AUDIT_SE_MAX 2000

/*
 * The standard errors f->se of f's evaluator effects (the fit of the same
 * n scores, its effects and components set): the cluster-robust sandwich
 * by agent of the two-way fixed-effects estimator (Cameron & Miller 2015),
 * built by Frisch-Waugh-Lovell on each component's evaluators (E x E), with
 * the CR1 factor G/(G-1) (N-1)/(N-K) of Stata and statsmodels (G agents,
 * N scores, K = agents + evaluators - components). NAN for a component of
 * one evaluator or more than CALIB_AUDIT_SE_MAX, when N <= K or G < 2.
 * CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_audit_cluster_se(const uint32_t *agent, const uint32_t *evaluator,
                                         const double *y, size_t n,
                                         struct calib_audit_fit *f);

/*
 * A store's scores as the observations of calib_audit_fit, gathered one
 * criterion (or the TOTAL) at a time into arrays allocated once for the
 * store's evaluations: n scores y[i] of agent[i] (a session) by ev[i] (a
 * rater); score holds each evaluation's score, NAN when none.
 */
struct calib_audit_obs {
	uint32_t *agent, *ev;
	double *y, *score;
	size_t n;
};

/* For n_evals evaluations: CALIB_OK, or CALIB_ENOMEM with o freed and zeroed. */
enum calib_status calib_audit_obs_alloc(struct calib_audit_obs *o, size_t n_evals);
void calib_audit_obs_free(struct calib_audit_obs *o);

/*
 * Gather into o the scores of criterion c (an index of s->criteria), or
 * for c CALIB_NONE the scores total[e] of each evaluation (NAN: none,
 * as calib_report_totals gives them).
 */
void calib_audit_obs_gather(const struct calib_store *s, uint32_t c, const double *total,
                            struct calib_audit_obs *o);

/* calib_audit_fit of o, the store's sessions as agents and raters as evaluators. */
enum calib_status calib_audit_obs_fit(const struct calib_store *s, const struct calib_audit_obs *o,
                                      double conf, struct calib_audit_fit *f);

/*
 * One fit of a finished store read with calib_read_opts.agent, as
 * calib_audit_table fits it: criterion c (an index of s->criteria), or
 * the TOTAL (calib_report_totals) for c CALIB_NONE. f is the caller's to
 * free (calib_audit_fit_free), zeroed on failure. CALIB_OK; CALIB_EARG
 * when c is nominal or out of range, or the TOTAL does not apply
 * (calib_report_total_applies); CALIB_ENOMEM.
 */
enum calib_status calib_audit_fit_store(const struct calib_store *s, uint32_t c, double conf,
                                        struct calib_audit_fit *f);

/*
 * The audit of a finished store read with calib_read_opts.agent (agents
 * are its sessions, evaluators its raters): one row per criterion with
 * ordered levels (nominal ones are left out) and per evaluator, then the
 * TOTAL's when it applies; columns criterion, evaluator, component, n,
 * agents, raw, adjusted, se, ci_lower, ci_upper, p. Footers say when the
 * graph is split. The criteria are fitted side by side over threads
 * (calib_threads: 0 as many as fit, 1 none started); the table is the
 * same with any number. NULL with err set on failure.
 */
struct calib_table *calib_audit_table(const struct calib_store *s, double conf,
                                      unsigned threads, struct calib_error *err);

/* Spearman's rank correlation of x and y (n > 1; ties take mean ranks). NAN when undefined. */
double calib_audit_spearman(const double *x, const double *y, size_t n);

#endif
