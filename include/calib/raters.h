/*
 * raters.h - each rater against the consensus of the others or against an
 * expert: signed bias with a t interval, mean absolute deviation, share
 * within a tolerance, the points-based alignment score of QA tools,
 * agreement (and Cohen's kappa against an expert) on nominal criteria,
 * a test of a systematic rater effect per criterion on every score
 * (Skillings-Mack; the intra-block F of a two-way layout with missing
 * cells) or on the calls scored by all (Friedman; two-way ANOVA), a
 * ranking from most lenient to most severe with Holm-adjusted directions,
 * the limits of agreement of Bland and Altman with their intervals, and on
 * request the pairwise agreement matrix.
 *
 * Ownership: a struct calib_raters owns its arrays; calib_raters_free(NULL)
 * is harmless. Rater and criterion ids refer to the store, which must
 * outlive the tables made from the result.
 */
#ifndef CALIB_RATERS_H
#define CALIB_RATERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/error.h"
#include "calib/store.h"

enum calib_consensus {
	CALIB_CONSENSUS_MEAN = 0, /* leave-one-out mean of the other raters */
	CALIB_CONSENSUS_MEDIAN    /* leave-one-out median of the other raters (default) */
};

struct calib_raters_opts {
	enum calib_consensus consensus;
	uint32_t expert;  /* store rater id of the benchmark grader, or CALIB_NONE */
	double tolerance; /* within-tolerance bound: points, or percent of the range */
	bool tol_percent; /* tolerance is a percentage of each criterion's range */
	double conf;      /* confidence level of the bias interval (default 0.95) */
	bool pairs;       /* compute the pairwise agreement matrix */
	bool complete;    /* rater-effect tests on the calls scored by every rater only */
	uint32_t session; /* CALIB_NONE: every session; else only this one */
	const char *key;  /* the expert is an answer key described so ("key.csv"), for
	                     the notes; NULL: an expert rater, or no expert */
	double pass;      /* pass mark of the calibration score (0..1); NAN: none */
	unsigned threads; /* threads over the criteria (calib_threads: 0 as many as fit,
	                     1 the caller's thread alone) */
};

/*
 * Defaults: leave-one-out median (robust to one outlying rater among four
 * or more), no expert, tolerance 10%, 0.95, no pairs, tests on every
 * score. Cannot fail.
 */
void calib_raters_opts_init(struct calib_raters_opts *o);

/* One rater on one criterion (crit = CALIB_NONE: the TOTAL score). */
struct calib_raters_cell {
	uint32_t rater, crit;
	size_t n;       /* numeric comparisons with a reference */
	size_t n_na;    /* the rater's N/A scores, left out of deviations */
	size_t n_noref; /* scores without a reference (no other rater, expert skipped or N/A) */
	double bias, se, lower, upper; /* mean of rater minus reference, t interval */
	double mad;                    /* mean absolute deviation */
	double within;                 /* share of |deviation| <= tolerance */
	double alignment;              /* mean of 1 - |deviation| / range */
	size_t n_nominal,
	        n_agree;  /* nominal criteria: compared cells, equal to the reference */
	double agreement; /* n_agree / n_nominal (NAN for numeric scales) */
	double kappa;     /* Cohen's kappa against the expert (nominal, expert mode) */
	size_t n_items;   /* expert mode, criteria: scored or N/A with an expert score */
	size_t n_match;   /* of those, matching the expert's (calib_raters_match) */
	double calibration; /* n_match / n_items; NAN without an expert, on the TOTAL */
};

/*
 * Test of a systematic rater effect on one criterion (or TOTAL). By
 * default on every score of the calls with two numeric scores or more:
 * the Skillings-Mack chi-square (ties: the exact within-call permutation
 * covariance) and the rater F of the additive two-way model, raters
 * adjusted for calls (the intra-block analysis). With opts.complete, on the
 * calls scored by every rater: Friedman with the tie correction and the
 * two-way ANOVA without replication, as before.
 */
struct calib_raters_test {
	uint32_t crit;
	size_t n_calls, n_raters, n_scores; /* calls, raters and scores the tests rest on */
	bool complete;                      /* Friedman / ANOVA on complete calls */
	double rank, rank_df, rank_p;       /* Skillings-Mack (or Friedman) chi-square */
	double f, df1, df2, f_p;            /* rater F */
	char note[120];
};

/* One pair of raters on one criterion (with opts.pairs). */
struct calib_raters_pair {
	uint32_t crit, a, b; /* store ids, a < b */
	size_t n;            /* calls both scored */
	double agreement;    /* share of those calls with the same score */
	const char *coef;    /* name of the coefficient fitting the scale */
	double estimate;
	char note[160];
};

/* One rater overall, in rank order (most lenient first). */
struct calib_raters_summary {
	uint32_t rater;
	size_t n;                       /* calls compared on the TOTAL */
	double bias, lower, upper, mad; /* on the TOTAL (0-100 points) */
	double p, p_holm; /* t test of bias 0; Holm-adjusted over the raters with a p */
	double within;                  /* pooled over every criterion's numeric comparisons */
	double alignment;      /* criteria's alignment averaged with the rubric's weights */
	double agreement;      /* pooled over nominal criteria */
	const char *direction; /* "lenient", "severe" (p_holm < 1 - conf) or "in line" */
	bool out_of_line;      /* largest |bias| on the TOTAL (ties: lower alignment) */
	size_t n_items, n_match; /* expert mode: pooled over the criteria */
	double calibration;      /* the calibration score n_match / n_items, or NAN */
	int pass;                /* 1 passed, 0 failed opts.pass, -1 no mark or no score */
	uint32_t missed[3];      /* criteria most often missed, most first (CALIB_NONE) */
	size_t n_missed[3];      /* how often */
};

struct calib_raters {
	size_t n_raters; /* raters compared (the expert is the reference, not one) */
	size_t n_cols;   /* criteria + 1: the last column is the TOTAL */
	bool show_total; /* more than one criterion */
	struct calib_raters_cell *cell;   /* n_raters x n_cols, by rank then criterion */
	struct calib_raters_summary *sum; /* n_raters, by rank */
	struct calib_raters_test *test;   /* n_cols */
	struct calib_raters_pair *pair;
	size_t n_pairs;
	size_t n_na;    /* N/A scores left out of numeric deviations */
	size_t n_noref; /* scores without a reference */
	struct calib_raters_opts opts;
};

/*
 * Compare every rater of the finished store s with the reference chosen in
 * o. Linear in the number of ratings (the pairwise matrix, when asked for,
 * is O(raters^2 x calls) per criterion). On success *out is the result;
 * CALIB_ENOMEM (or CALIB_EARG for an expert id or option out of range, with
 * a message in err, which may be NULL) leaves *out NULL.
 */
enum calib_status calib_raters_run(const struct calib_store *s,
                                   const struct calib_raters_opts *o, struct calib_raters **out,
                                   struct calib_error *err);

void calib_raters_free(struct calib_raters *r);

/*
 * Does a score match the expert's (or the answer key's) for the
 * calibration score? Both N/A match; one N/A does not (applicability
 * disagrees); else the same category on a binary or nominal criterion (or
 * labels of no order), and |points - key points| within the tolerance
 * bound on the others. pts and key are calib_raters_points values (NAN:
 * N/A), cat and key_cat level codes. Cannot fail.
 */
bool calib_raters_match(const struct calib_criterion *c, uint16_t cat, uint16_t key_cat,
                        double pts, double key, double bound);

/*
 * Add to the finished store s a rater named name (not a rater of s yet)
 * holding the consensus of the raters: per (session, call, criterion)
 * their modal category on binary and nominal criteria and on labels of no
 * order (N/A a category; a tie goes to the lowest level, N/A last), else
 * N/A when more raters wrote N/A than scored, or else the median score
 * (an even number of scores: the lower of the two middle ones, so that
 * the key is always a score of the scale). Missing scores take no part.
 * Finishes s again. On success *key is its id and *n_tied (may be NULL)
 * the number of scores a tie decided; CALIB_EARG when name is taken (a
 * message in err), CALIB_ENOMEM.
 */
enum calib_status calib_raters_consensus_key(struct calib_store *s, const char *name,
                                             uint32_t *key, size_t *n_tied,
                                             struct calib_error *err);

/* One numeric score with its reference, in the criterion's own values. */
struct calib_raters_score {
	uint32_t item, rater; /* store ids */
	double value, ref;    /* calib_store_code_value of the score; the reference */
};

/*
 * Every numeric score of criterion crit (N/A and missing left out) that has
 * a reference as o chooses it (consensus, expert, session), in item order
 * then evaluation order; the expert's own scores are not listed. On
 * success *out (free() it; NULL when *n is 0) holds *n scores. CALIB_EARG
 * for a criterion or expert out of range (message in err, which may be
 * NULL), CALIB_ENOMEM; *out is then NULL.
 */
enum calib_status calib_raters_scores(const struct calib_store *s, uint32_t crit,
                                      const struct calib_raters_opts *o,
                                      struct calib_raters_score **out, size_t *n,
                                      struct calib_error *err);

/* Limits of agreement of one rater (Bland & Altman 1986, 1999). */
struct calib_raters_limits {
	double bias, sd;           /* mean and SD (n - 1) of the differences */
	double lower, upper;       /* bias -+ z sd, z = z(1 - (1 - conf) / 2) */
	double lower_lo, lower_hi; /* interval of the lower limit */
	double upper_lo, upper_hi; /* interval of the upper limit */
	double bias_lo, bias_hi;   /* t interval of the bias */
};

/*
 * Limits of agreement from the mean, SD and number n of the differences:
 * the limits bias -+ z sd and, for each, bias -+ z sd -+ t(1 - a/2, n - 1)
 * SE with SE = sd sqrt(1/n + z^2 / (2 (n - 1))) (Bland & Altman 1999,
 * Statistical Methods in Medical Research 8:135-160; about sqrt(3 sd^2 / n)
 * at z = 2, as in their 1986 paper). conf sets both z and t.
 * Fields that need n > 1 are NAN when n < 2. Cannot fail.
 */
void calib_raters_limits(double bias, double sd, size_t n, double conf,
                         struct calib_raters_limits *l);

/*
 * Holm's (1979) step-down adjustment of the m p values p[0..m) into
 * adj[0..m), which must not overlap p; NAN values are left out of m and
 * stay NAN; equal p values are taken in index order. Cannot fail; O(m^2)
 * time, no memory.
 */
void calib_raters_holm(const double *p, double *adj, size_t m);

struct calib_table;

/*
 * Tables of a result (NULL when out of memory): the ranking (one row per
 * rater, with a footer naming what was assumed), the rater x criterion
 * deviations, the rater-effect tests and the pairwise matrix.
 */
struct calib_table *calib_raters_ranking(const struct calib_raters *r,
                                         const struct calib_store *s);
struct calib_table *calib_raters_criteria(const struct calib_raters *r,
                                          const struct calib_store *s);
struct calib_table *calib_raters_tests(const struct calib_raters *r,
                                       const struct calib_store *s);
struct calib_table *calib_raters_pairs(const struct calib_raters *r,
                                       const struct calib_store *s);
/*
 * The calibration against the expert or answer key (NULL without one or
 * out of memory): one row per rater from the highest calibration score,
 * with pass or fail, the TOTAL difference and the criteria most missed.
 */
struct calib_table *calib_raters_calibration(const struct calib_raters *r,
                                             const struct calib_store *s);

/*
 * Points of a score of criterion c on its own scale, as calib-raters and
 * calib-disputes measure distances: a numeric level is its value; a
 * labelled level k (1..q) is k - 1 points, so no/yes are 0/1. NAN for
 * missing and N/A. Cannot fail.
 */
double calib_raters_points(const struct calib_criterion *c, uint16_t code);

/* The range of c in those points: max - min (declared, else observed); q - 1 when labelled. */
double calib_raters_range(const struct calib_criterion *c);

#endif
