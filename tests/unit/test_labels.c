/*
 * test_labels.c - the table of ordered label sets and matching against it
 * (labels.h), and what the store does with a match at finish: the set's
 * order and whole category set, the scale, the note; labels in no set stay
 * nominal with no order.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calib/labels.h"
#include "calib/store.h"
#include "tap.h"

/* Index of the set named name, or CALIB_LABELS_NONE. */
static size_t
set_named(const char *name)
{
	for (size_t i = 0; i < calib_labels_count(); i++)
		if (strcmp(calib_labels_set(i)->name, name) == 0)
			return i;
	return CALIB_LABELS_NONE;
}

static void
test_table(void)
{
	static const char *const binary[] = {"no < yes",
	                                     "false < true",
	                                     "fail < pass",
	                                     "not met < met",
	                                     "not achieved < achieved",
	                                     "non-compliant < compliant",
	                                     "incorrect < correct",
	                                     "nein < ja",
	                                     "non < oui"};
	static const char *const graded[] = {"not met < partially met < met",
	                                     "below < meets < exceeds",
	                                     "poor < fair < good < excellent"};
	size_t last_binary = 0;

	for (size_t i = 0; i < sizeof binary / sizeof *binary; i++) {
		size_t k = set_named(binary[i]);
		ok(k != CALIB_LABELS_NONE && calib_labels_set(k)->n_levels == 2,
		   "table: %s, two levels", binary[i]);
		if (k != CALIB_LABELS_NONE && k > last_binary)
			last_binary = k;
	}
	for (size_t i = 0; i < sizeof graded / sizeof *graded; i++) {
		size_t k = set_named(graded[i]);
		ok(k != CALIB_LABELS_NONE && calib_labels_set(k)->n_levels > 2 &&
		           k > last_binary,
		   "table: %s, graded, after every binary set", graded[i]);
	}
	is_long((long)calib_labels_count(), 12, "table: twelve sets");
	for (size_t i = 0; i < calib_labels_count(); i++)
		ok(calib_labels_set(i)->n_levels <= CALIB_LABELS_MAX_LEVELS,
		   "table: set %zu within CALIB_LABELS_MAX_LEVELS", i);
	ok(calib_labels_set(calib_labels_count()) == NULL, "table: past the end is NULL");
}

static void
test_match(void)
{
	size_t rank[8];
	const char *met[] = {"Met", "Not met"};
	const char *spaced[] = {"NOT  MET", "met"};
	const char *dashed[] = {"Compliant", "Non compliant"};
	const char *ja[] = {"Ja", "Nein"};
	const char *yn[] = {"Y", "no"};
	const char *bme[] = {"Exceeds expectations", "Does not meet expectations",
	                     "Meets expectations"};
	const char *ni[] = {"Needs improvement", "Meets"};
	const char *three[] = {"Partially met", "Met", "Not met"};
	const char *poor[] = {"good", "poor"};
	const char *one[] = {"yes"};
	const char *both[] = {"Below", "Needs improvement"};
	const char *colours[] = {"red", "blue"};
	const char *mixed[] = {"yes", "met"};

	is_long((long)calib_labels_match(met, 2, rank), (long)set_named("not met < met"),
	        "match: Met/Not met is the binary set, not the graded one");
	ok(rank[0] == 1 && rank[1] == 0, "match: Not met is below Met");
	ok(calib_labels_match(spaced, 2, rank) == set_named("not met < met") && rank[0] == 0,
	   "match: case and spaces do not count");
	ok(calib_labels_match(dashed, 2, rank) == set_named("non-compliant < compliant") &&
	           rank[1] == 0,
	   "match: 'Non compliant' is non-compliant");
	ok(calib_labels_match(ja, 2, rank) == set_named("nein < ja") && rank[0] == 1,
	   "match: Nein < Ja");
	ok(calib_labels_match(yn, 2, rank) == set_named("no < yes") && rank[0] == 1 &&
	           rank[1] == 0,
	   "match: y and n are spellings of yes and no");
	ok(calib_labels_match(bme, 3, rank) == set_named("below < meets < exceeds") &&
	           rank[0] == 2 && rank[1] == 0 && rank[2] == 1,
	   "match: the long spellings of below < meets < exceeds");
	ok(calib_labels_match(ni, 2, rank) == set_named("below < meets < exceeds") &&
	           rank[0] == 0 && rank[1] == 1,
	   "match: needs improvement is the lowest level of the expectations scale");
	ok(calib_labels_match(three, 3, rank) == set_named("not met < partially met < met") &&
	           rank[0] == 1 && rank[1] == 2 && rank[2] == 0,
	   "match: partially met between not met and met");
	ok(calib_labels_match(poor, 2, rank) == set_named("poor < fair < good < excellent") &&
	           rank[0] == 2 && rank[1] == 0,
	   "match: a subset of a graded set keeps the set's levels");
	ok(calib_labels_match(one, 1, rank) == set_named("no < yes") && rank[0] == 1,
	   "match: one label of a set");
	is_long((long)calib_labels_match(both, 2, rank), (long)CALIB_LABELS_NONE,
	        "match: two labels on one level match nothing");
	is_long((long)calib_labels_match(colours, 2, rank), (long)CALIB_LABELS_NONE,
	        "match: labels in no set");
	is_long((long)calib_labels_match(mixed, 2, rank), (long)CALIB_LABELS_NONE,
	        "match: labels of two sets match nothing");
	is_long((long)calib_labels_match(NULL, 0, rank), (long)CALIB_LABELS_NONE,
	        "match: no labels match nothing");
}

static void
test_level(void)
{
	const struct calib_label_set *set =
	        calib_labels_set(set_named("below < meets < exceeds"));
	char buf[64], tiny[4];
	is_string(calib_labels_level(set, 0, 0, buf, sizeof buf), "below",
	          "level: the first spelling");
	is_string(calib_labels_level(set, 2, 1, buf, sizeof buf), "Exceeds",
	          "level: with a capital");
	is_string(calib_labels_level(set, 3, 0, buf, sizeof buf), "", "level: past the set");
	is_string(calib_labels_level(set, 0, 0, tiny, sizeof tiny), "bel", "level: truncated");
}

/* A store of one undeclared criterion scored with labels[0..n) in turn. */
static struct calib_store *
store_of(const char *const *labels, size_t n)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;
	uint32_t crit, e;
	bool created;
	calib_store_criterion(s, "q", 1, &crit);
	for (size_t i = 0; i < n; i++) {
		char call[24];
		uint16_t code;
		snprintf(call, sizeof call, "c%zu", i);
		calib_store_eval(s, NULL, 0, call, strlen(call), "ann", 3, 0, 1, &e, &created);
		calib_store_label_code(s, crit, labels[i], strlen(labels[i]), &code, &err);
		calib_store_put(s, e, crit, code, NULL);
	}
	calib_store_finish(s);
	return s;
}

static void
test_store(void)
{
	const char *met[] = {"Met", "Not met", "Met"};
	const char *poor[] = {"Good", "Poor", "Excellent"};
	const char *colours[] = {"red", "blue"};
	const char *three[] = {"red", "blue", "green"};
	struct calib_store *s = store_of(met, 3);
	const struct calib_criterion *c = &s->criteria[0];
	char note[160], buf[64];

	is_long(c->scale, CALIB_SCALE_BINARY, "store: recognised two-level set is binary");
	ok(calib_store_ordered(c), "store: and ordered");
	is_string(c->label[0], "Not met", "store: Not met is the lower level");
	is_string(calib_store_code_text(c, calib_code(c, 0), buf, sizeof buf), "Met",
	          "store: ratings recoded with the levels");
	is_double(calib_store_code_value(c, calib_code(c, 1)), 1, 0, "store: Not met is level 1");
	is_string(calib_store_scale_note(c, note, sizeof note),
	          "order not met < met (a recognised label set)", "store: the note names it");
	calib_store_finish(s);
	is_string(c->label[0], "Not met", "store: finishing again keeps the order");
	calib_store_free(s);

	s = store_of(poor, 3);
	c = &s->criteria[0];
	is_long(c->scale, CALIB_SCALE_ORDINAL, "store: a graded set is ordinal");
	is_long((long)c->n_levels, 4, "store: the whole set is the category set");
	is_string(c->label[1], "Fair", "store: the unused level, capitalised like the others");
	is_string(calib_store_code_text(c, calib_code(c, 0), buf, sizeof buf), "Good",
	          "store: Good recoded to its level");
	is_double(calib_store_code_value(c, calib_code(c, 2)), 4, 0, "store: Excellent is level 4");
	calib_store_free(s);

	s = store_of(colours, 2);
	c = &s->criteria[0];
	is_long(c->scale, CALIB_SCALE_NOMINAL, "store: two labels of no known order: nominal");
	ok(!calib_store_ordered(c), "store: and not ordered");
	is_string(calib_store_scale_note(c, note, sizeof note),
	          "labels of no known order: agreement only, no direction or points; declare "
	          "the order in the rubric",
	          "store: the note says how to get a direction");
	ok(c->order == NULL, "store: no set named");
	calib_store_free(s);

	s = store_of(three, 3);
	is_string(s->criteria[0].label[0], "blue", "store: nominal labels sorted for display");
	calib_store_free(s);

	{
		const char *const lv[] = {"yes", "no"};
		s = calib_store_alloc();
		uint32_t crit;
		calib_store_criterion(s, "q", 1, &crit);
		calib_store_declare(s, crit, CALIB_SCALE_BINARY, lv, NULL, 2, NAN, NAN, 1);
		calib_store_finish(s);
		c = &s->criteria[0];
		is_string(c->label[0], "yes", "store: a rubric's order wins over the table");
		ok(calib_store_ordered(c), "store: a rubric's binary levels are ordered");
		is_string(calib_store_scale_note(c, note, sizeof note), "",
		          "store: no note for a rubric's order");
		calib_store_free(s);
	}
	{
		/* a rubric's binary scale without levels: the labels bring the order */
		struct calib_error err;
		const char *const words[] = {"red", "blue", "Not met", "Met"};
		for (size_t k = 0; k < 2; k++) {
			uint32_t crit;
			uint16_t code;
			s = calib_store_alloc();
			calib_store_criterion(s, "q", 1, &crit);
			calib_store_declare(s, crit, CALIB_SCALE_BINARY, NULL, NULL, 0, NAN,
			                    NAN, 1);
			calib_store_label_code(s, crit, words[2 * k], strlen(words[2 * k]),
			                       &code, &err);
			calib_store_label_code(s, crit, words[2 * k + 1],
			                       strlen(words[2 * k + 1]), &code, &err);
			calib_store_finish(s);
			ok(calib_store_ordered(&s->criteria[0]) == (k == 1),
			   "store: declared binary without levels, %s: %s", words[2 * k],
			   k ? "the set's order" : "no order");
			calib_store_free(s);
		}
	}
}

int
main(void)
{
	test_table();
	test_match();
	test_level();
	test_store();
	return tap_done();
}
