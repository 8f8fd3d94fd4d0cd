/*
 * labels.h - the ordered label sets calib recognises without a rubric.
 *
 * A score sheet without a rubric says nothing of its labels' order, and
 * the order of their text means nothing ("Not met" sorts after "Met").
 * This module holds the one table of label sets whose order is common
 * knowledge (no < yes, poor < fair < good < excellent, ...) and matches a
 * criterion's observed labels against it. Labels match case-insensitively
 * and without spaces, tabs, '-' and '_' ("Non compliant" is
 * "non-compliant"). Labels in no set have no order: they are nominal.
 *
 * Ownership: the table is static and read-only; every pointer it hands
 * out stays valid for the life of the program. Nothing here allocates.
 */
#ifndef CALIB_LABELS_H
#define CALIB_LABELS_H

#include <stddef.h>

#define CALIB_LABELS_NONE       ((size_t)-1) /* "no recognised set" */
#define CALIB_LABELS_MAX_LEVELS 8            /* the most levels a set of the table has */

/* One recognised set: its levels from the lowest to the highest. */
struct calib_label_set {
	const char *name; /* its order as printed: "not met < met" */
	size_t n_levels;
	const char *const *level; /* each level's spellings, "|"-separated; the
	                             first is the canonical one */
};

/* Number of sets in the table. Cannot fail. */
size_t calib_labels_count(void);

/* Set i of the table (i < calib_labels_count()), or NULL. Cannot fail. */
const struct calib_label_set *calib_labels_set(size_t i);

/*
 * Match the distinct labels[0..n) (NUL-terminated) against the table: the
 * first set, in table order, in which every label is one of a level's
 * spellings and no two labels fall on one level. Binary sets come first,
 * so "Met"/"Not met" is the binary set even though the graded one holds it
 * too. On a match rank[i] receives the level (0 = lowest) of labels[i] and
 * the set's index is returned; otherwise CALIB_LABELS_NONE (rank[] then
 * undefined). n == 0 matches nothing. Cannot fail.
 */
size_t calib_labels_match(const char *const *labels, size_t n, size_t *rank);

/*
 * Write the canonical spelling of level k of set `set` into buf (at most
 * n bytes, NUL-terminated), its first letter upper case when `capital`.
 * Returns buf. Cannot fail.
 */
const char *calib_labels_level(const struct calib_label_set *set, size_t k, int capital,
                               char *buf, size_t n);

#endif
