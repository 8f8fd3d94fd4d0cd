/*
 * matrix.h - one criterion's ratings as a call x rater matrix, the input of
 * every statistic.
 *
 * Stored sparsely by row (compressed rows): row i holds the scores of item
 * i at positions off[i] .. off[i+1]-1 of col[] (rater column) and cat[]
 * (category index). Rows are the items with at least one score, columns the
 * raters with at least one score, both in order of first appearance;
 * categories are the levels used (or declared, see opts), increasing, with
 * value[] their numeric values.
 *
 * Ownership: a matrix owns its arrays; calib_matrix_free(NULL) is harmless.
 * It copies what it needs, so it outlives changes to the store.
 */
#ifndef CALIB_MATRIX_H
#define CALIB_MATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/error.h"
#include "calib/store.h"

enum calib_na_policy {
	CALIB_NA_AUTO = 0, /* a category for binary/nominal, left out otherwise */
	CALIB_NA_CATEGORY, /* always a category of its own */
	CALIB_NA_DROP      /* always left out */
};

struct calib_matrix_opts {
	bool complete;               /* keep only items scored by every column */
	enum calib_na_policy na;
	bool all_levels;             /* keep declared levels nobody used (rubric, or the
	                                recognised label set of store.h) */
	uint32_t session;            /* CALIB_NONE: all sessions; else only this one */
	const bool *item_mask;       /* NULL, or per store item: keep it? */
};

/* Defaults: every item, N/A per scale, declared levels kept, all sessions. */
void calib_matrix_opts_init(struct calib_matrix_opts *o);

struct calib_matrix {
	size_t n_items, n_raters, n_levels, n_scores;
	size_t *off;        /* n_items + 1 */
	uint32_t *col;      /* n_scores: column (rater) of each score */
	uint32_t *cat;      /* n_scores: category of each score, < n_levels */
	double *value;      /* n_levels: numeric value of each category, increasing */
	char **label;       /* n_levels labels, or NULL (numeric scale) */
	bool na_level;      /* the last category is N/A (value NAN) */
	uint32_t *item;     /* n_items: store item id of each row */
	uint32_t *rater;    /* n_raters: store rater id of each column */
	enum calib_scale scale;
	size_t n_items_all;   /* items with a score before `complete` dropped any */
	size_t n_dropped;     /* items dropped by `complete` */
	size_t n_na;          /* N/A scores (kept as a category or left out) */
	size_t n_missing;     /* recorded but unscored cells */
	/* the rows as patterns (calib_matrix_count_patterns), or NULL and 0 */
	size_t n_pat;
	size_t *pat_first;    /* n_pat: first row of each pattern */
	uint32_t *pat_count;  /* n_pat: rows that share it */
	/*
	 * Only the first row of each pattern is held (calib_matrix_counts): row
	 * p of off/col/cat/item is pattern p, pat_first[p] = p, and n_items,
	 * n_scores count every call and score. See calib_matrix_rows().
	 */
	bool patterns_only;
	size_t cap_items_, cap_scores_; /* private: room of a resampled matrix */
	size_t *pat_room_;    /* private: pat_first's and pat_count's room in a */
	uint32_t *cnt_room_;  /* matrix of patterns, cap_pat_ of each, kept */
	size_t cap_pat_;      /* across calib_matrix_counts calls */
};

/*
 * Build the matrix of criterion crit from a finished store. On failure
 * returns CALIB_ENOMEM and *out is NULL. An empty matrix (no score) is not
 * an error: n_items = n_raters = 0.
 */
enum calib_status calib_matrix_build(const struct calib_store *s, uint32_t crit,
				     const struct calib_matrix_opts *o,
				     struct calib_matrix **out);

/*
 * calib_matrix_build into the room of *m, an earlier matrix of this call or
 * of calib_matrix_build (or NULL) that is no longer needed: its large
 * arrays are reused, grown only when too small and never given back, so a
 * loop over criteria allocates (and the system faults in) one matrix, not
 * one per criterion. With o->complete the complete sub-matrix is a new
 * matrix and *m's room is given back. On failure *m is freed and NULL;
 * free the last one with calib_matrix_free.
 */
enum calib_status calib_matrix_rebuild(const struct calib_store *s, uint32_t crit,
				       const struct calib_matrix_opts *o,
				       struct calib_matrix **m);

/*
 * The patterns of criterion crit straight from the store, in the room of
 * *m (as calib_matrix_rebuild): one pass over the store numbers each call
 * by its count per category and keeps the first call of each pattern, so
 * that no row of the other calls is written. *m is then what
 * calib_matrix_build followed by calib_matrix_count_patterns gives (the
 * same counts, levels, columns and patterns, in the same order), with
 * patterns_only set and only the patterns' first rows held: enough for the
 * statistics that see calls only through their counts per category
 * (calib_matrix_count_patterns lists them; Conger's kappa excepted) and
 * for nothing that reads calls one by one. When count_patterns would give
 * the matrix no patterns (too many for its calls), or with o->complete,
 * *ok is false and *m holds nothing usable: build it with
 * calib_matrix_rebuild. On failure (CALIB_ENOMEM) *m is freed and NULL.
 */
enum calib_status calib_matrix_counts(const struct calib_store *s, uint32_t crit,
				      const struct calib_matrix_opts *o,
				      struct calib_matrix **m, bool *ok);

/*
 * Build a matrix from plain data: n_items x n_raters doubles, row-major,
 * NAN = no score. Categories are the distinct values. For tests and for
 * derived scores (the TOTAL). CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_matrix_from_values(const double *x, size_t n_items,
					   size_t n_raters, enum calib_scale scale,
					   struct calib_matrix **out);

/*
 * The sub-matrix of the items scored by every column of m (columns with no
 * score left are dropped, categories re-compacted to those still used unless
 * keep_levels). out->n_dropped counts the items left out. CALIB_OK or
 * CALIB_ENOMEM.
 */
enum calib_status calib_matrix_complete(const struct calib_matrix *m, bool keep_levels,
					struct calib_matrix **out);

/*
 * A matrix of derived scores, one double per store evaluation (NAN = none),
 * e.g. the TOTAL score; categories are the distinct values. Honours
 * o->session and o->item_mask. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_matrix_from_evals(const struct calib_store *s, const double *x,
					  enum calib_scale scale,
					  const struct calib_matrix_opts *o,
					  struct calib_matrix **out);

/*
 * The matrix whose rows are rows[0..n) of m (repeats allowed: a bootstrap
 * sample), with m's columns and categories. *out is reused when it is not
 * NULL (it must come from an earlier call), so a bootstrap allocates once.
 * CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_matrix_resample(const struct calib_matrix *m, const size_t *rows,
					size_t n, struct calib_matrix **out);

/*
 * Number the rows of m by their count per category (the same categories as
 * often, whoever gave them), in order of first appearance: pat[i] for each
 * of the n_items rows, first[p] the first row of pattern p (room for
 * n_items; NULL when not wanted), *n_pat the number of patterns. Every
 * statistic that sees calls only through their counts per category takes
 * the same value on two rows of one pattern, so a bootstrap can draw
 * patterns. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_matrix_patterns(const struct calib_matrix *m, uint32_t *pat,
					size_t *first, size_t *n_pat);

/*
 * Give m its patterns, for the statistics that see calls only through
 * their counts per category (percent agreement, Fleiss' kappa, AC1/AC2,
 * Brennan-Prediger, Krippendorff's alpha) and so can weigh each pattern
 * once: when the patterns m's shape allows (the multisets of at most
 * n_raters of its n_levels categories) are at most a quarter of its rows,
 * m->pat_first and m->pat_count are set (m owns them). Otherwise a pass over
 * the rows costs about what numbering them does, and they stay NULL. A
 * matrix without them gives the same statistics, row by row. CALIB_OK or
 * CALIB_ENOMEM.
 */
enum calib_status calib_matrix_count_patterns(struct calib_matrix *m);

/*
 * Does a bootstrap draw n_pat patterns of n calls by one multinomial (a
 * binomial per pattern) rather than n calls one by one? When the patterns
 * are at most a quarter of the calls, where it is the cheaper of the two.
 */
static inline bool
calib_patterns_drawn(size_t n_pat, size_t n)
{
	return n_pat <= n / 4;
}

void calib_matrix_free(struct calib_matrix *m);

/* Rows held: n_items, or n_pat for a matrix of patterns only. Cannot fail. */
static inline size_t
calib_matrix_rows(const struct calib_matrix *m)
{
	return m->patterns_only ? m->n_pat : m->n_items;
}

/* Number of scores in row i. Cannot fail. */
static inline size_t
calib_matrix_row_n(const struct calib_matrix *m, size_t i)
{
	return m->off[i + 1] - m->off[i];
}

#endif
