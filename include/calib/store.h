/*
 * store.h - the ratings store: every rating read, held compactly.
 *
 * A rating is (session, call, rater, criterion, score). Names are interned
 * once; ids are dense and count from 0 in order of first appearance.
 * An *item* is a (session, call) pair: the unit the statistics resample.
 * An *evaluation* is an (item, rater) pair: one row of a wide sheet. Each
 * criterion holds one code per evaluation (CALIB_CODE_*, read with
 * calib_code): a byte while its levels' codes fit one (at most
 * CALIB_CODE_NARROW), two bytes once it has more levels. So a rating costs
 * a byte, on most scales, plus a share of its evaluation's eight (item and
 * rater; the input and line it was read from are kept per run of
 * evaluations, calib_store_eval_file and calib_store_eval_line).
 *
 * Ownership: the store owns every string and array it hands out; pointers
 * stay valid until the next call that adds to the store (adding may move
 * arrays) or calib_store_free(). calib_store_free(NULL) is harmless.
 */
#ifndef CALIB_STORE_H
#define CALIB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calib/error.h"

struct calib_columns;
struct calib_eval_run_;

/* Codes of a rating; a code >= CALIB_CODE_LEVEL is level (code - 3). */
#define CALIB_CODE_ABSENT 0u  /* no rating recorded for this evaluation */
#define CALIB_CODE_MISSING 1u /* recorded but not scored (an empty cell) */
#define CALIB_CODE_NA 2u      /* scored "not applicable" */
#define CALIB_CODE_LEVEL 3u
#define CALIB_MAX_LEVELS (65535u - CALIB_CODE_LEVEL)
#define CALIB_CODE_NARROW 255u /* the largest code a criterion keeps in a byte */

#define CALIB_NONE UINT32_MAX /* "no such id" */

enum calib_scale {
	CALIB_SCALE_UNKNOWN = 0,
	CALIB_SCALE_BINARY,
	CALIB_SCALE_NOMINAL,
	CALIB_SCALE_ORDINAL,
	CALIB_SCALE_INTERVAL,
	CALIB_SCALE_RATIO
};

/* What a critical criterion scored at its lowest level (0 points) sets to 0. */
enum calib_critical {
	CALIB_CRITICAL_NO = 0,  /* nothing: an ordinary criterion */
	CALIB_CRITICAL_TOTAL,   /* the evaluation's TOTAL ("critical" yes) */
	CALIB_CRITICAL_SECTION  /* its section's subtotal ("critical" section) */
};

/* "binary", "nominal", ... ; "unknown" for CALIB_SCALE_UNKNOWN. */
const char *calib_scale_name(enum calib_scale s);
/* Parse a scale name (case-insensitive); CALIB_SCALE_UNKNOWN if none. */
enum calib_scale calib_scale_parse(const char *s);

/* Interned strings: id <-> name. */
struct calib_names;
struct calib_names *calib_names_alloc(void);
void calib_names_free(struct calib_names *n);
/* Intern s[0..len); *id receives its id. Returns CALIB_OK or CALIB_ENOMEM. */
enum calib_status calib_names_intern(struct calib_names *n, const char *s,
				     size_t len, uint32_t *id);
/* Id of s[0..len), or CALIB_NONE. Cannot fail. */
uint32_t calib_names_find(const struct calib_names *n, const char *s, size_t len);
/*
 * Start fetching the part of n's table where s[0..len) is looked up, so
 * that an intern or find of it a little later does not wait for memory
 * (a reader calls it for the next row's name while it handles this one).
 * Nothing changes. Cannot fail.
 */
void calib_names_prefetch(const struct calib_names *n, const char *s, size_t len);
/* Name of id (NUL-terminated; may contain any byte but NUL). */
const char *calib_names_get(const struct calib_names *n, uint32_t id);
size_t calib_names_count(const struct calib_names *n);

/*
 * One criterion. Levels are the category set: for a labelled scale the
 * rubric's labels in order (value[k] = k + 1); for numbers the declared or
 * observed values, increasing once calib_store_finish() has run.
 */
struct calib_criterion {
	char *name;
	enum calib_scale scale;
	bool declared;       /* described by a rubric line */
	bool levels_fixed;   /* category set declared: unknown values are errors */
	bool labelled;       /* levels are labels (label[] set) */
	bool scale_inferred; /* scale guessed from the data (no rubric) */
	const char *order;   /* labels without a rubric: the recognised set whose
				order they take ("not met < met", labels.h), or NULL */
	bool percent;        /* scores written as percentages ("85%" is 85) */
	bool decimal_comma;  /* scores written with a decimal comma ("4,5" is 4.5) */
	size_t n_levels;
	double *value;       /* numeric value of each level */
	char **label;        /* label of each level, or NULL */
	double min, max;     /* declared range, NAN when none */
	double weight;       /* weight in the total score; 1 by default */
	uint32_t section;    /* the rubric's section, an id of s->sections, or CALIB_NONE */
	enum calib_critical critical; /* what a score of 0 points sets to 0 */
	bool no_na;          /* the rubric does not allow N/A: reading one is an error */
	size_t n_scored, n_missing, n_na; /* counted by calib_store_finish() */
	/* private: one code per evaluation (CALIB_CODE_*), read with calib_code(),
	   written with calib_store_put(); uint16_t when wide_, else uint8_t */
	void *codes_;
	bool wide_;
	/* private: value -> level lookup while reading */
	void *lookup_;
	bool sorted_;
};

/*
 * The code of evaluation e in codes of a criterion (its codes_ and wide_):
 * for a loop over many, which takes the two out of the criterion once.
 */
static inline uint16_t
calib_code_in(const void *codes, bool wide, size_t e)
{
	return wide ? ((const uint16_t *)codes)[e] : ((const uint8_t *)codes)[e];
}

/* Write code v of evaluation e into codes of a criterion (as calib_code_in). */
static inline void
calib_code_set_in(void *codes, bool wide, size_t e, uint16_t v)
{
	if (wide)
		((uint16_t *)codes)[e] = v;
	else
		((uint8_t *)codes)[e] = (uint8_t)v;
}

/* The code of evaluation e (< the store's n_evals) for criterion c. */
static inline uint16_t
calib_code(const struct calib_criterion *c, size_t e)
{
	return calib_code_in(c->codes_, c->wide_, e);
}

/*
 * Write code v, one of c's (so it fits c's width), for evaluation e, and
 * return the code that was there: calib_store_put without the call, for a
 * reader's loop over every rating.
 */
static inline uint16_t
calib_code_swap(struct calib_criterion *c, size_t e, uint16_t v)
{
	uint16_t was = calib_code(c, e);

	calib_code_set_in(c->codes_, c->wide_, e, v);
	return was;
}

struct calib_store {
	struct calib_names *sessions, *calls, *raters;
	struct calib_names *sections; /* the rubric's sections, in order of first mention */
	size_t n_items;
	uint32_t *item_session;  /* n_items */
	uint32_t *item_call;     /* n_items */
	size_t n_evals;
	uint32_t *eval_item;     /* n_evals */
	uint32_t *eval_rater;    /* n_evals */
	size_t n_criteria;
	struct calib_criterion *criteria;
	size_t n_files;
	char **files;            /* names of the inputs read, in order */
	struct calib_columns *columns; /* how each input's columns were used (columns.h),
	                                  or NULL before the first header is read */
	/* filled by calib_store_finish(): evaluations grouped by item */
	size_t *item_off;        /* n_items + 1 */
	uint32_t *item_evals;    /* n_evals, grouped by item, arrival order */
	bool finished;
	/* private */
	void *item_hash_;         /* the lookups while reading (store.c) */
	size_t evals_cap_, items_cap_, criteria_cap_;
	struct calib_eval_run_ *runs_; /* evaluations' inputs and lines, by runs */
	size_t n_runs_, runs_cap_;
};

/* A new empty store, or NULL when out of memory. */
struct calib_store *calib_store_alloc(void);
void calib_store_free(struct calib_store *s);

/*
 * Index into files[] of the input evaluation e (< n_evals) was read from.
 * O(log r) for r runs of evaluations from one input: one per input read,
 * in practice. Cannot fail.
 */
uint32_t calib_store_eval_file(const struct calib_store *s, size_t e);

/*
 * The input line of evaluation e's first rating (< n_evals), as given to
 * calib_store_eval. Kept by runs of evaluations from one input whose lines
 * step evenly (a wide sheet's rows, a long sheet's blocks of as many
 * rows), O(log r) for r runs. Cannot fail.
 */
uint32_t calib_store_eval_line(const struct calib_store *s, size_t e);

/* Remember an input file's name; *index receives its index in files[]. */
enum calib_status calib_store_add_file(struct calib_store *s, const char *name,
				       uint32_t *index);

/*
 * Id of criterion name[0..len), created (scale unknown, no levels, weight 1)
 * when new. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_store_criterion(struct calib_store *s, const char *name,
					size_t len, uint32_t *id);
/*
 * Id of a criterion by name, or CALIB_NONE. Names compare as column names
 * do (calib_column_same: case, spaces, '_' and '-' aside).
 */
uint32_t calib_store_find_criterion(const struct calib_store *s, const char *name,
				    size_t len);

/*
 * Declare a criterion's scale and category set (from a rubric). labels may be
 * NULL; then values (n of them, any order) are the declared numeric levels,
 * or n = 0 leaves the levels to the data. min/max may be NAN.
 */
enum calib_status calib_store_declare(struct calib_store *s, uint32_t crit,
				      enum calib_scale scale, const char *const *labels,
				      const double *values, size_t n, double min,
				      double max, double weight);

/*
 * The scorecard columns of a rubric line for criterion crit: its section
 * (section[0..len), interned in s->sections; len 0 for none), what a
 * score of 0 points sets to 0, and whether N/A is allowed. CALIB_OK or
 * CALIB_ENOMEM.
 */
enum calib_status calib_store_scorecard(struct calib_store *s, uint32_t crit,
					const char *section, size_t len,
					enum calib_critical critical, bool na_allowed);

/*
 * The evaluation (session, call, rater); created when new (*created = true).
 * line/file are kept for messages. CALIB_OK, CALIB_ENOMEM or CALIB_ELIMIT.
 */
enum calib_status calib_store_eval(struct calib_store *s, const char *session,
				   size_t session_len, const char *call, size_t call_len,
				   const char *rater, size_t rater_len, uint32_t file,
				   uint32_t line, uint32_t *eval, bool *created);

/*
 * Room for n_evals evaluations in all (a reader's estimate from the size of
 * its input), so that the per-evaluation arrays do not grow, copy and zero
 * again and again while it reads; room never used costs address space, not
 * memory. More evaluations than that still fit. CALIB_OK, CALIB_ENOMEM or
 * CALIB_ELIMIT.
 */
enum calib_status calib_store_reserve(struct calib_store *s, size_t n_evals);

/*
 * The two steps of calib_store_eval, for a reader that keeps ids: the item
 * (session, call) by name ids, created when new; then the evaluation of
 * rater `rater` (an id of s->raters) of that item. Same results.
 */
enum calib_status calib_store_item(struct calib_store *s, uint32_t session, uint32_t call,
				   uint32_t *item);
enum calib_status calib_store_eval_of(struct calib_store *s, uint32_t item, uint32_t rater,
				      uint32_t file, uint32_t line, uint32_t *eval,
				      bool *created);

/*
 * Rename the sessions of a store, merging those that get one name:
 * name[0..n_names) are the new sessions (distinct), their ids in that
 * order; old session i becomes name[to[i]]. Items and evaluations that
 * meet are merged, in arrival order; a rating given in both of two merged
 * evaluations is, by dup (the values of enum calib_dup_policy): 0 an
 * error, 1 the first kept, 2 the last kept. Finishes the store again.
 * CALIB_OK; CALIB_ENOMEM; CALIB_EINPUT with the second rating's location
 * and the first's in err (which may be NULL). On error the store is
 * half-merged and should be freed.
 */
enum calib_status calib_store_merge_sessions(struct calib_store *s, const char *const *name,
					     size_t n_names, const uint32_t *to, int dup,
					     struct calib_error *err);

/*
 * Reading one input in two parts at once (calib_read): *out receives a new
 * empty store for the second part, with s's input names (same indices) and
 * s's criteria as s holds them now (ids, scales, rubric columns, levels),
 * to be filled by the second part's rows while s takes the first's, and
 * then joined to s. The caller frees it. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_store_part(const struct calib_store *s, struct calib_store **out);

/*
 * Join part (made from s by calib_store_part and filled since) to s, as if
 * part's rows had been read into s after everything s holds: the sessions,
 * calls, raters, items, evaluations and levels that s lacks take the next
 * ids in part's order; evaluation lines grow by line_shift; a rating of an
 * evaluation and criterion that s already holds is settled by dup (the
 * values of enum calib_dup_policy: 1 keeps s's, 2 part's). Each of part's
 * names, items and evaluations is looked up in s once, and s's room made
 * at once: O(names + items + evaluations of part). The codes are copied
 * while the rest is added, on a second thread when `threads` allows it
 * (0: as calib_threads gives).
 * CALIB_EINPUT, with nothing changed, when the join would not give what
 * reading in one piece gives (labels meeting numbers, more than
 * CALIB_MAX_LEVELS levels or CALIB_NONE evaluations, a rating given in
 * both under dup 0: reading the part's rows again into s says what is
 * wrong and where). CALIB_OK when joined; part is then good only for
 * calib_store_free (its evaluations and codes are freed as they join, so
 * that its memory goes while s's grows). CALIB_ENOMEM: s should be freed.
 */
enum calib_status calib_store_join(struct calib_store *s, struct calib_store *part,
                                   uint32_t line_shift, int dup, unsigned threads);

/*
 * Code of a numeric score for criterion crit: its level, added when the set
 * is not fixed. A number in a labelled criterion is CALIB_EINPUT. CALIB_EINPUT (message without location) when the value is
 * not a declared level or outside min/max; CALIB_ELIMIT past CALIB_MAX_LEVELS.
 */
enum calib_status calib_store_value_code(struct calib_store *s, uint32_t crit,
					 double value, uint16_t *code,
					 struct calib_error *err);
/*
 * Code of a label. For a criterion whose levels are declared, CALIB_EINPUT
 * (message without location) when the label is not one of them (labels
 * match case-insensitively). An undeclared criterion that has no numeric
 * score becomes labelled; calib_store_finish() orders its labels (see
 * there); a label in a criterion that already holds numbers is CALIB_EINPUT.
 */
enum calib_status calib_store_label_code(struct calib_store *s, uint32_t crit,
					 const char *label, size_t len, uint16_t *code,
					 struct calib_error *err);

/*
 * Record code for (eval, crit); *previous receives the code that was there
 * (CALIB_CODE_ABSENT when none: anything else is a duplicate the caller
 * decides about). CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_store_put(struct calib_store *s, uint32_t eval, uint32_t crit,
				  uint16_t code, uint16_t *previous);

/*
 * Done reading: sort numeric levels (recoding ratings), infer the scale of
 * undeclared criteria, count scored/missing/N/A, group evaluations by item.
 * The labels of an undeclared criterion that form a subset of a recognised
 * set (calib_labels_match()) take its order and its whole category set
 * (the levels nobody used are added, spelt as the table does, so that
 * results do not depend on which levels were used), and `order` names the
 * set; the scale is binary for a two-level set, ordinal for a graded one.
 * Other labels are nominal: sorted by their text for display only.
 * Calling it again is harmless. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_store_finish(struct calib_store *s);
/*
 * calib_store_finish with its passes over every evaluation (each
 * criterion's codes, the grouping by item) spread over `threads` threads
 * (0: as many as calib_threads gives; a small store takes one). The same
 * store on any number.
 */
enum calib_status calib_store_finish_on(struct calib_store *s, unsigned threads);

/*
 * A new finished store of the evaluations of one session of the
 * finished store s (session: an id of s->sessions), in their order, with
 * that session alone, its calls and raters (ids in order of first
 * appearance within it) and every criterion of s as s holds it: scale,
 * levels, rubric columns, so that a coefficient of the subset is the one
 * calib-drift computes for that session. The input files keep their
 * indices; the columns record is not copied (NULL). *out is the
 * caller's (calib_store_free). CALIB_OK, CALIB_EARG (no such session),
 * or CALIB_ENOMEM; on failure *out is NULL.
 */
enum calib_status calib_store_session_subset(const struct calib_store *s, uint32_t session,
                                             struct calib_store **out);

/*
 * Whether criterion c's levels have an order, so that a score can be
 * higher or lower than another (a direction, points, a TOTAL, weighted
 * coefficients): numbers and a rubric's levels on every scale but
 * nominal, and labels from the data only when a recognised set ordered
 * them. Cannot fail.
 */
bool calib_store_ordered(const struct calib_criterion *c);

/*
 * The note saying what reading assumed of c's scale, into buf (n bytes):
 * the order labels were given without a rubric, "order not met < met (a
 * recognised label set)", or "labels of no known order: agreement only,
 * no direction or points; declare the order in the rubric"; for scores
 * written as percentages "percent: 85% read as 85, on a 0..100 scale";
 * with decimal commas "decimal commas: 4,5 read as 4.5" (joined by "; ");
 * "" when nothing was assumed (numbers, or a rubric's levels). Returns buf.
 */
const char *calib_store_scale_note(const struct calib_criterion *c, char *buf, size_t n);

/* Level value of a rating code (NAN for ABSENT, MISSING, NA). */
double calib_store_code_value(const struct calib_criterion *c, uint16_t code);

/*
 * Write the level of code as text into buf (shortest round-trip decimal, or
 * the label); "" for missing, "N/A" for not applicable. Returns buf.
 */
const char *calib_store_code_text(const struct calib_criterion *c, uint16_t code,
				  char *buf, size_t n);

/* Shortest decimal text that reads back as exactly v ("2.5", "10", "-0.1"). */
const char *calib_format_double(double v, char *buf, size_t n);

#endif
