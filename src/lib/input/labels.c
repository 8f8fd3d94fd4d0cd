/*
 * labels.c - the table of ordered label sets (labels.h) and matching a
 * criterion's labels against it.
 *
 * What is in the table and why (calib(7) lists it for users):
 * - binary sets, two levels, the lower one first: the answers QA
 *   scorecards and their German and French exports write for a
 *   pass/fail criterion;
 * - graded sets: "not met < partially met < met" (the three-answer
 *   scorecard; its extremes are the binary set's, so a criterion's points
 *   are the same whether or not anyone answered "partially met"),
 *   "below < meets < exceeds" with its long spellings ("does not meet
 *   expectations", "needs improvement", ...), and "poor < fair < good <
 *   excellent".
 * Not in the table: the five-level performance scale "unsatisfactory <
 *   needs improvement < meets < exceeds < exceptional". Its middle levels
 *   are the three-level scale's, so a session whose raters never used an
 *   extreme would be read on a different set of levels than the next one,
 *   with different points for the same answer. A rubric states it.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "calib/labels.h"

static const char *const no_yes[] = {"no|n", "yes|y"};
static const char *const false_true[] = {"false", "true"};
static const char *const fail_pass[] = {"fail", "pass"};
static const char *const met[] = {"not met", "met"};
static const char *const achieved[] = {"not achieved", "achieved"};
static const char *const compliant[] = {"non-compliant", "compliant"};
static const char *const correct[] = {"incorrect", "correct"};
static const char *const nein_ja[] = {"nein", "ja"};
static const char *const non_oui[] = {"non", "oui"};
static const char *const met3[] = {"not met", "partially met", "met"};
static const char *const expectations[] = {
        "below|below expectations|does not meet|does not meet expectations|needs improvement",
        "meets|meets expectations", "exceeds|exceeds expectations"};
static const char *const poor_excellent[] = {"poor", "fair", "good", "excellent"};

#define SET(name, levels)                                                                      \
	{                                                                                      \
		name, sizeof levels / sizeof *levels, levels                                   \
	}

/* Binary sets first: calib_labels_match() takes the first set that fits. */
static const struct calib_label_set table[] = {
        SET("no < yes", no_yes),
        SET("false < true", false_true),
        SET("fail < pass", fail_pass),
        SET("not met < met", met),
        SET("not achieved < achieved", achieved),
        SET("non-compliant < compliant", compliant),
        SET("incorrect < correct", correct),
        SET("nein < ja", nein_ja),
        SET("non < oui", non_oui),
        SET("not met < partially met < met", met3),
        SET("below < meets < exceeds", expectations),
        SET("poor < fair < good < excellent", poor_excellent),
};

#define N_SETS (sizeof table / sizeof *table)

size_t
calib_labels_count(void)
{
	return N_SETS;
}

const struct calib_label_set *
calib_labels_set(size_t i)
{
	return i < N_SETS ? &table[i] : NULL;
}

/* Is c left out of a label's key? */
static bool
ignored(int c)
{
	return c == ' ' || c == '\t' || c == '-' || c == '_';
}

/*
 * Does the label s equal the spelling p[0..len), both taken as keys
 * (ASCII lower case, ignored characters dropped)?
 */
static bool
same_key(const char *s, const char *p, size_t len)
{
	size_t i = 0;
	for (;;) {
		while (*s && ignored((unsigned char)*s))
			s++;
		while (i < len && ignored((unsigned char)p[i]))
			i++;
		if (!*s || i == len)
			return !*s && i == len;
		if (tolower((unsigned char)*s) != tolower((unsigned char)p[i]))
			return false;
		s++, i++;
	}
}

/* The level of set whose spellings hold label, or CALIB_LABELS_NONE. */
static size_t
level_of(const struct calib_label_set *set, const char *label)
{
	for (size_t k = 0; k < set->n_levels; k++)
		for (const char *p = set->level[k];;) {
			size_t len = strcspn(p, "|");
			if (same_key(label, p, len))
				return k;
			if (!p[len])
				break;
			p += len + 1;
		}
	return CALIB_LABELS_NONE;
}

size_t
calib_labels_match(const char *const *labels, size_t n, size_t *rank)
{
	if (n == 0)
		return CALIB_LABELS_NONE;
	for (size_t i = 0; i < N_SETS; i++) {
		const struct calib_label_set *set = &table[i];
		bool used[CALIB_LABELS_MAX_LEVELS] = {false};
		size_t k = 0;
		if (n > set->n_levels)
			continue;
		for (; k < n; k++) {
			size_t level = level_of(set, labels[k]);
			if (level == CALIB_LABELS_NONE || used[level])
				break;
			used[level] = true;
			rank[k] = level;
		}
		if (k == n)
			return i;
	}
	return CALIB_LABELS_NONE;
}

const char *
calib_labels_level(const struct calib_label_set *set, size_t k, int capital, char *buf,
                   size_t n)
{
	size_t len;
	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (k >= set->n_levels)
		return buf;
	len = strcspn(set->level[k], "|");
	if (len >= n)
		len = n - 1;
	memcpy(buf, set->level[k], len);
	buf[len] = '\0';
	if (capital)
		buf[0] = (char)toupper((unsigned char)buf[0]);
	return buf;
}
