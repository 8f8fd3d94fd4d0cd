/*
 * stat.h - the record every statistic produces, and a growing list of them.
 *
 * A record is one (statistic, criterion) result in the tidy form calib
 * prints: estimate with its standard error, confidence bounds, test
 * statistic with degrees of freedom and p-value, the counts it rests on,
 * and a note (why it is NA, or a warning). Fields that do not apply are NAN.
 * Names are those of the reference definitions: "fleiss_kappa", "icc2",
 * "kripp_alpha_ordinal", "fleiss_kappa_cat:3", ...
 *
 * Conventions for the fields:
 *  - estimate: the coefficient; NAN when undefined, and then note says why.
 *  - se, lower, upper: standard error and 95% (or chosen level) bounds.
 *  - test, df1, df2, p: the test of "no agreement beyond chance" that the
 *    method's source reports (t with df1 = n - 1 for Gwet's family, z with
 *    df NAN for Cohen, F for ICC).
 *  - A second test under the null hypothesis (irr's z with the null standard
 *    error) is a record of its own named "<name>_z": estimate = z,
 *    se = the null standard error, p = its two-sided normal p-value.
 *
 * Every record knows its statistic: calib_stats_push() looks its name up
 * once in the statistic registry (registry.h) and keeps the entry and the
 * record's kind, so that the code above asks the record, never its name.
 *
 * Ownership: a struct calib_stats owns its records; free with
 * calib_stats_free() (NULL harmless) or reuse after calib_stats_clear().
 */
#ifndef CALIB_STAT_H
#define CALIB_STAT_H

#include <stddef.h>

#include "calib/error.h"

#define CALIB_STAT_NAME 64
#define CALIB_STAT_NOTE 160

struct calib_stat_info; /* an entry of the statistic registry (registry.h) */

/* What a record is, for its statistic's entry (registry.h). */
enum calib_stat_kind {
	CALIB_KIND_COEFFICIENT = 0, /* an agreement coefficient: may be a headline */
	CALIB_KIND_PROPORTION,      /* a share of calls or pairs, on 0..1 */
	CALIB_KIND_INDEX,           /* a descriptive index (prevalence, bias) */
	CALIB_KIND_TEST,            /* companion "_z": a test statistic */
	CALIB_KIND_CATEGORY,        /* companion "_cat:<level>": one category's coefficient */
	CALIB_KIND_BOOT             /* companion "_boot": a summary of replicates */
};

struct calib_stat {
	char name[CALIB_STAT_NAME];
	double estimate, se, lower, upper;
	double test, df1, df2, p;
	size_t n_items, n_raters;
	char note[CALIB_STAT_NOTE];
	/* set by calib_stats_push from the name: the registry entry of the
	 * statistic (a companion's: its statistic's; NULL for a name the
	 * registry does not know) and the record's own kind */
	const struct calib_stat_info *info;
	enum calib_stat_kind kind;
};

struct calib_stats {
	struct calib_stat *v;
	size_t n, cap;
};

void calib_stats_init(struct calib_stats *l);
void calib_stats_clear(struct calib_stats *l);
void calib_stats_free(struct calib_stats *l);

/*
 * Append a record named `name` (printf-style) with every number NAN, counts
 * 0, an empty note, and info and kind from the registry
 * (calib_registry_find); returns it, or NULL when out of memory. The pointer
 * is valid until the next push.
 */
struct calib_stat *calib_stats_push(struct calib_stats *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The record named name, or NULL. */
const struct calib_stat *calib_stats_find(const struct calib_stats *l,
					  const char *name);

/* Set the note (printf-style), replacing any earlier note. Cannot fail. */
void calib_stat_note(struct calib_stat *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append "; text" to the note (or set it when empty). Cannot fail. */
void calib_stat_note_add(struct calib_stat *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
