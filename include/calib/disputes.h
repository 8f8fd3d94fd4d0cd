/*
 * disputes.h - the (call, criterion) cells ranked by disagreement, and the
 * calls ranked by how contested they are overall: the agenda of a
 * calibration meeting.
 *
 * Disagreement of a cell: the share of the largest disagreement possible
 * for its number of answers n on its scale, 0..1, so that a 3-2 yes/no
 * split and a 3-2 split between the ends of a numeric range are both 1:
 *   ordinal, interval, ratio: the SD of the scores (population) over its
 *     largest value for n scores, half at each end of the criterion's
 *     range: range / 2, times sqrt(1 - 1/n^2) for odd n (labelled levels
 *     as 0..q-1 points);
 *   binary and nominal: sqrt of the Gini-Simpson index 1 - sum p^2 of the
 *     scored answers over its largest value for their number among the
 *     criterion's levels: for a yes/no split of m against n - m,
 *     sqrt(m (n - m) / (floor(n/2) ceil(n/2))), the SD of its 0/1 points
 *     over its maximum, as above;
 *   on every scale, when the raters split on applicability, the split of
 *     N/A against scored measured as a yes/no split, if that is larger.
 * Rounded to 12 decimals, so exact ties rank by the tie-break (more
 * distinct answers, then input order) and not by rounding noise. Cells
 * with fewer than two answers are not measured; cells without
 * disagreement are not ranked. A call's disagreement is the mean over its
 * measured cells; calls without disagreement are not ranked.
 *
 * Ownership: a struct calib_disputes owns its arrays; calib_disputes_free
 * (NULL) is harmless. Ids refer to the store, which must outlive the
 * tables made from the result.
 */
#ifndef CALIB_DISPUTES_H
#define CALIB_DISPUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/error.h"
#include "calib/raters.h"
#include "calib/store.h"

struct calib_disputes_opts {
	size_t top;                     /* cells (and calls) kept; 0: all */
	bool per_criterion;             /* top cells of each criterion, not overall */
	enum calib_consensus consensus; /* mean (default) or median of numeric scores */
	uint32_t session;               /* CALIB_NONE: every session; else only this one */
	unsigned threads; /* over each criterion's calls (calib_threads: 0 as many as fit, 1
	                     the caller's alone); the ranking does not depend on it */
};

/* Defaults: top 10 overall, mean, every session. Cannot fail. */
void calib_disputes_opts_init(struct calib_disputes_opts *o);

struct calib_dispute {
	uint32_t item, crit; /* store ids */
	double disagreement; /* 0..1, see above */
	double spread; /* max - min of numeric scores in the criterion's units (NAN: nominal) */
	double consensus; /* mean or median of numeric scores (NAN: nominal) */
	char mode[64];    /* the most given answer(s) as text, ties joined by '|' */
	size_t n_answers; /* scores given, N/A included */
	size_t n_na;
	size_t n_distinct; /* distinct answers, N/A included */
};

struct calib_dispute_call {
	uint32_t item;
	double disagreement; /* mean over the call's ranked cells */
	double max;          /* its largest cell disagreement */
	size_t n_cells;      /* ranked cells */
	size_t n_disputed;   /* cells with any disagreement */
	uint32_t worst;      /* criterion of the largest cell */
};

struct calib_disputes {
	struct calib_dispute *cell; /* ranked (per criterion: by criterion, then rank) */
	size_t n_cells;
	struct calib_dispute_call *call; /* ranked */
	size_t n_calls;
	size_t n_ranked;   /* cells with two answers or more, before the top cut */
	size_t n_disputed; /* of those, cells with any disagreement (the ones ranked) */
	struct calib_disputes_opts opts;
};

/*
 * Rank the cells and calls of the finished store s. Linear in the number
 * of ratings plus O(cells log top) for the selection. CALIB_OK, or
 * CALIB_ENOMEM with *out NULL.
 */
enum calib_status calib_disputes_run(const struct calib_store *s,
                                     const struct calib_disputes_opts *o,
                                     struct calib_disputes **out, struct calib_error *err);

void calib_disputes_free(struct calib_disputes *d);

struct calib_table;

/* The agenda: one row per ranked cell with every rater's score (a column per rater). */
struct calib_table *calib_disputes_cells(const struct calib_disputes *d,
                                         const struct calib_store *s);
/* One row per ranked call. */
struct calib_table *calib_disputes_calls(const struct calib_disputes *d,
                                         const struct calib_store *s);

#endif
