/*
 * test_registry.c - the statistic registry (registry.c): every name once,
 * companions resolved to their statistic, bands and families from the
 * table, the headline per scale and its pick among a row's records, the
 * clipping of bounds and of infinities, and perfect agreement as 1; the
 * fields that replaced parsing names (the order a statistic reads, the
 * level of an alpha, the pairwise coefficient) and the entry every record
 * carries from calib_stats_push.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib/alpha.h"
#include "calib/registry.h"
#include "tap.h"

static void
test_table(void)
{
	size_t n = calib_registry_count(), dup = 0;
	enum calib_stat_kind kind;
	const struct calib_stat_info *e;

	ok(n >= 34, "the registry lists every statistic (%zu)", n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			dup += strcmp(calib_registry_at(i)->name, calib_registry_at(j)->name) == 0;
	is_long((long)dup, 0, "each name once");
	ok(calib_registry_at(n) == NULL, "past the end: NULL");

	e = calib_registry_find("fleiss_kappa_z", &kind);
	ok(e && strcmp(e->name, "fleiss_kappa") == 0 && kind == CALIB_KIND_TEST,
	   "fleiss_kappa_z: the test of fleiss_kappa");
	e = calib_registry_find("fleiss_kappa_cat:yes", &kind);
	ok(e && strcmp(e->name, "fleiss_kappa") == 0 && kind == CALIB_KIND_CATEGORY,
	   "fleiss_kappa_cat:yes: a category of fleiss_kappa");
	e = calib_registry_find("kripp_alpha_ordinal_boot", &kind);
	ok(e && e->family == CALIB_FAMILY_ALPHA && kind == CALIB_KIND_BOOT,
	   "kripp_alpha_ordinal_boot: replicates of alpha");
	e = calib_registry_find("percent_agreement_unanimous", &kind);
	ok(e && kind == CALIB_KIND_PROPORTION && e->lower == 0 && e->upper == 1,
	   "unanimous agreement: a proportion on 0..1");
	ok(calib_registry_find("nonsense_z", NULL) == NULL, "an unknown companion: NULL");
	ok(calib_registry_find("gwet", NULL) == NULL, "a prefix is no name");
	ok(calib_registry_known("all") && calib_registry_known("icc3k") &&
	           !calib_registry_known("icc2_z"),
	   "known: statistics and all, not companions");
	is_long(calib_registry_family("cohen_kappa_quadratic"), CALIB_FAMILY_KAPPA, "family: kappa");
	is_long(calib_registry_family("bogus"), 0, "family of unknown: 0");
	is_long(calib_registry_bands("gwet_ac2_ordinal"), CALIB_BANDS_LANDIS_KOCH, "AC2: Landis-Koch");
	is_long(calib_registry_bands("icc2k"), CALIB_BANDS_KOO_LI, "ICC: Koo-Li");
	is_long(calib_registry_bands("kripp_alpha_nominal"), CALIB_BANDS_KRIPPENDORFF, "alpha");
	is_long(calib_registry_bands("cohen_kappa_z"), CALIB_BANDS_NONE, "no band for a test");
	is_long(calib_registry_bands("fleiss_kappa_cat:1"), CALIB_BANDS_LANDIS_KOCH,
		"a category's kappa has bands");
	is_long(calib_band_scheme_for("pabak"), CALIB_BANDS_LANDIS_KOCH, "band.h asks the registry");
}

static void
test_headline(void)
{
	const char *rec[] = { "percent_agreement", "fleiss_kappa", "gwet_ac1", "fleiss_kappa_z" };
	const char *icc[] = { "icc1", "icc2", "icc3" };
	const char *pa[] = { "percent_agreement", "prevalence_index" };

	is_string(calib_registry_headline(CALIB_SCALE_BINARY), "gwet_ac1", "binary: AC1");
	is_string(calib_registry_headline(CALIB_SCALE_NOMINAL), "gwet_ac1", "nominal: AC1");
	is_string(calib_registry_headline(CALIB_SCALE_ORDINAL), "gwet_ac2_ordinal", "ordinal: AC2");
	is_string(calib_registry_headline(CALIB_SCALE_INTERVAL), "icc2", "interval: ICC(2,1)");
	is_string(calib_registry_headline(CALIB_SCALE_RATIO), "icc2", "ratio: ICC(2,1)");
	for (int sc = CALIB_SCALE_UNKNOWN; sc <= CALIB_SCALE_RATIO; sc++) {
		const char *h = calib_registry_headline((enum calib_scale)sc);
		const char *d = calib_registry_defaults((enum calib_scale)sc, 3);
		ok(strncmp(d, h, strlen(h)) == 0 && strncmp(calib_registry_defaults((enum calib_scale)sc, 2), h, strlen(h)) == 0,
		   "scale %d: the table's defaults open with the headline %s", sc, h);
	}
	is_long((long)calib_registry_pick(rec, 4, CALIB_SCALE_BINARY, NULL), 2,
		"pick: the scale's headline where present");
	is_long((long)calib_registry_pick(rec, 4, CALIB_SCALE_BINARY, "fleiss_kappa,gwet_ac1"), 1,
		"pick: the first of --stat");
	is_long((long)calib_registry_pick(rec, 4, CALIB_SCALE_BINARY, "icc2,percent_agreement"), 0,
		"pick: the first of --stat that is there, even a proportion");
	is_long((long)calib_registry_pick(icc, 3, CALIB_SCALE_BINARY, "all"), 0,
		"pick with all: the first coefficient when the headline is absent");
	is_long((long)calib_registry_pick(pa, 2, CALIB_SCALE_BINARY, NULL), 2,
		"pick: none among proportions and indices");
}

static void
test_tidy(void)
{
	struct calib_stats l;
	struct calib_stat *s;

	calib_stats_init(&l);
	s = calib_stats_push(&l, "percent_agreement");
	s->estimate = 0.4;
	s->lower = -0.18;
	s->upper = 1.02;
	calib_registry_tidy(s);
	is_double(s->lower, 0, 0, "a proportion's lower bound clipped to 0");
	is_double(s->upper, 1, 0, "and its upper bound to 1");
	is_string(s->note, "CI clipped to [0, 1]", "and the note says so");

	s = calib_stats_push(&l, "cohen_kappa");
	s->estimate = 0.1;
	s->lower = -1.05;
	s->upper = 0.5;
	calib_registry_tidy(s);
	ok(s->lower == -1 && s->upper == 0.5, "kappa clipped at -1 only");
	is_string(s->note, "CI clipped to [-1, 1]", "its note");

	/* Fleiss' kappa on a few calls can fall below -1 with its whole
	 * interval: both bounds end at -1, never lower above upper */
	s = calib_stats_push(&l, "fleiss_kappa");
	s->estimate = -2.76923;
	s->lower = -3.767;
	s->upper = -1.52367;
	calib_registry_tidy(s);
	ok(s->lower == -1 && s->upper == -1, "an interval below -1 becomes [-1, -1]");
	is_string(s->note, "CI clipped to [-1, 1]", "its note");

	s = calib_stats_push(&l, "icc2");
	s->estimate = 0.9;
	s->lower = -3;
	s->upper = 1.2;
	s->test = INFINITY;
	calib_registry_tidy(s);
	ok(s->lower == -3 && s->upper == 1 && isnan(s->test), "ICC: upper clipped, test NA");
	is_string(s->note, "test +infinite, written NA; CI clipped to at most 1",
		  "infinite and clipped, both said");

	s = calib_stats_push(&l, "gwet_ac1");
	s->estimate = 0.5;
	s->lower = 0.1;
	s->upper = 0.9;
	calib_registry_tidy(s);
	is_string(s->note, "", "inside the range: no note");
	calib_stats_free(&l);
}

static void
test_perfect(void)
{
	const double same[] = { 1, 1, 1, 1, 1, 1 };
	const double alike[] = { 1, 1, 2, 2, 1, 1 };
	const double differ[] = { 1, 2, 1, 1, 1, 1 };
	const double lone[] = { 1, NAN, 1, NAN };
	struct calib_matrix *m = NULL;
	struct calib_stat s;

	calib_matrix_from_values(same, 3, 2, CALIB_SCALE_BINARY, &m);
	ok(calib_registry_perfect(m), "every score the same: perfect agreement");
	memset(&s, 0, sizeof s);
	strcpy(s.name, "icc2");
	s.estimate = s.lower = s.upper = s.se = NAN;
	calib_registry_headline_fix(&s, m);
	ok(s.estimate == 1 && s.lower == 1 && s.upper == 1, "the headline is 1, with its bounds");
	ok(strstr(s.note, "perfect agreement") != NULL, "the note says why: %s", s.note);
	calib_matrix_free(m);
	m = NULL;
	calib_matrix_from_values(alike, 3, 2, CALIB_SCALE_INTERVAL, &m);
	ok(calib_registry_perfect(m), "calls differ, raters agree: perfect");
	calib_matrix_free(m);
	m = NULL;
	calib_matrix_from_values(differ, 3, 2, CALIB_SCALE_BINARY, &m);
	ok(!calib_registry_perfect(m), "one disagreement: not perfect");
	memset(&s, 0, sizeof s);
	s.estimate = NAN;
	calib_registry_headline_fix(&s, m);
	ok(isnan(s.estimate), "an NA that is not perfect agreement stays NA");
	calib_matrix_free(m);
	m = NULL;
	calib_matrix_from_values(lone, 2, 2, CALIB_SCALE_BINARY, &m);
	ok(!calib_registry_perfect(m), "no call scored twice: not perfect");
	calib_matrix_free(m);
}

/* Does name end in suffix? */
static bool
ends(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n >= k && strcmp(name + n - k, suffix) == 0;
}

/*
 * The fields against the names they replace: every alpha carries the
 * level its name says and nothing else carries one; the scale a statistic
 * assumes is ordinal for weights and ranks, interval for the ICCs and
 * alpha's distances, ratio for ratio alpha, else nominal.
 */
static void
test_fields(void)
{
	size_t n = calib_registry_count(), bad_level = 0, bad_order = 0, n_alpha = 0, n_ord = 0;
	size_t no_words = 0;

	for (size_t i = 0; i < n; i++) {
		const struct calib_stat_info *e = calib_registry_at(i);
		bool alpha = strncmp(e->name, "kripp_alpha_", 12) == 0;
		bool icc = strncmp(e->name, "icc", 3) == 0;
		enum calib_scale scale =
			icc || ends(e->name, "_interval") ? CALIB_SCALE_INTERVAL
			: ends(e->name, "_ratio")          ? CALIB_SCALE_RATIO
			: strstr(e->name, "_linear") || strstr(e->name, "_quadratic") ||
					  strstr(e->name, "_ordinal")
				? CALIB_SCALE_ORDINAL
				: CALIB_SCALE_NOMINAL;
		if (alpha) {
			n_alpha++;
			bad_level += e->alpha_level < 0 || e->family != CALIB_FAMILY_ALPHA ||
				     strcmp(calib_alpha_level_name((enum calib_alpha_level)e->alpha_level),
					    e->name + 12) != 0;
		} else {
			bad_level += e->alpha_level != -1;
		}
		if (e->scale != scale) {
			bad_order++;
			printf("# %s: scale %d\n", e->name, (int)e->scale);
		}
		n_ord += e->scale >= CALIB_SCALE_ORDINAL;
	}
	for (size_t i = 0; i < n; i++)
		no_words += !calib_registry_at(i)->words || !calib_registry_at(i)->words[0];
	is_long((long)no_words, 0, "every statistic has its name in a sentence");
	is_string(calib_registry_named("fleiss_kappa", 12)->words, "Fleiss' kappa",
		  "words: Fleiss' kappa");
	is_string(calib_registry_named("icc3k", 5)->words, "ICC", "words: ICC");
	is_long((long)n_alpha, 4, "four alphas, one per level of measurement");
	is_long((long)bad_level, 0, "each alpha's level is its name's, no other entry has one");
	is_long((long)bad_order, 0,
		"scales: weights and ranks ordinal, the ICCs and alpha's distances interval, "
		"ratio alpha ratio, the rest nominal");
	is_long((long)n_ord, 19, "nineteen statistics read an order into the levels");
	ok(calib_registry_named("cohen_kappa_custom", 18)->scale == CALIB_SCALE_NOMINAL &&
		   calib_registry_named("percent_agreement_unanimous", 27)->scale ==
			   CALIB_SCALE_NOMINAL,
	   "custom weights and unanimity read no order");
	ok(calib_registry_named("icc2k_z", 5) == calib_registry_named("icc2k", 5) &&
		   calib_registry_named("icc2k_z", 7) == NULL,
	   "named: an exact slice, no companion");
}

/*
 * Records carry their entry from calib_stats_push, and the lookups read
 * it, not the name: a record renamed after the push keeps its statistic.
 */
static void
test_records(void)
{
	struct calib_stats l;
	struct calib_stat *s;
	const struct calib_stat_info *ord = calib_registry_named("kripp_alpha_ordinal", 19);
	const struct calib_stat_info *nom = calib_registry_named("kripp_alpha_nominal", 19);

	calib_stats_init(&l);
	s = calib_stats_push(&l, "kripp_alpha_%s", "nominal_z");
	ok(s->info == nom && s->kind == CALIB_KIND_TEST, "push: a test's entry is its statistic's");
	is_long(calib_registry_alpha_level(s), -1, "a companion of alpha has no level");
	s = calib_stats_push(&l, "bogus");
	ok(s->info == NULL && !calib_registry_ordered(s) && calib_registry_alpha_level(s) == -1,
	   "an unknown name: no entry, no order, no level");
	s = calib_stats_push(&l, "kripp_alpha_ordinal");
	ok(s->info == ord && s->kind == CALIB_KIND_COEFFICIENT, "push: the alpha itself");
	strcpy(s->name, "renamed");
	is_long(calib_registry_alpha_level(s), CALIB_ALPHA_ORDINAL, "its level from the entry, not the name");
	ok(calib_registry_ordered(s), "its order from the entry");
	ok(calib_registry_record(&l, ord) == s, "record: found by its entry under another name");
	ok(calib_registry_record(&l, nom) == NULL, "record: a companion is not its statistic");
	s = calib_stats_push(&l, "gwet_ac2_ordinal_cat:2");
	ok(calib_registry_ordered(s) && s->kind == CALIB_KIND_CATEGORY,
	   "a category's record reads the order of its statistic");
	s = calib_stats_push(&l, "fleiss_kappa_cat:2");
	ok(!calib_registry_ordered(s), "Fleiss' kappa's category reads none");
	calib_stats_free(&l);
}

/* Every record the families make knows its entry. */
static void
test_families(void)
{
	const double x[] = { 1, 2, 2, 2, 3, 3, 1, 1, 2, 3, 3, 2, 1, 2, 1, 3, 3, 3 };
	struct calib_matrix *m = NULL;
	struct calib_coef_opts co;
	struct calib_stats l;
	size_t unknown = 0;

	calib_coef_opts_init(&co);
	calib_stats_init(&l);
	ok(calib_matrix_from_values(x, 9, 2, CALIB_SCALE_INTERVAL, &m) == CALIB_OK, "a 9 x 2 matrix");
	ok(calib_family_run(m, CALIB_FAMILY_ALL, &co, &l, NULL) == CALIB_OK && l.n > 30,
	   "every family on it (%zu records)", l.n);
	for (size_t k = 0; k < l.n; k++)
		if (!l.v[k].info) {
			unknown++;
			printf("# no entry: %s\n", l.v[k].name);
		}
	is_long((long)unknown, 0, "each record carries its statistic's entry");
	for (int lv = CALIB_ALPHA_NOMINAL; lv <= CALIB_ALPHA_RATIO; lv++) {
		size_t hits = 0;
		for (size_t k = 0; k < l.n; k++)
			hits += calib_registry_alpha_level(&l.v[k]) == lv;
		is_long((long)hits, 1, "one record of alpha at level %s",
			calib_alpha_level_name((enum calib_alpha_level)lv));
	}
	calib_stats_free(&l);
	calib_matrix_free(m);
}

/* The coefficient of a pair of raters, per scale and order. */
static void
test_pairwise(void)
{
	is_string(calib_registry_pairwise(CALIB_SCALE_BINARY, true)->name, "cohen_kappa", "binary");
	is_string(calib_registry_pairwise(CALIB_SCALE_NOMINAL, true)->name, "cohen_kappa", "nominal");
	is_string(calib_registry_pairwise(CALIB_SCALE_ORDINAL, false)->name, "cohen_kappa",
		  "ordinal labels without an order");
	is_string(calib_registry_pairwise(CALIB_SCALE_ORDINAL, true)->name,
		  "cohen_kappa_quadratic_rank", "ordinal: quadratic on ranks");
	is_string(calib_registry_pairwise(CALIB_SCALE_INTERVAL, true)->name,
		  "cohen_kappa_quadratic", "interval: quadratic on points");
	is_string(calib_registry_pairwise(CALIB_SCALE_RATIO, true)->name, "cohen_kappa_quadratic",
		  "ratio: quadratic on points");
	for (int sc = CALIB_SCALE_UNKNOWN; sc <= CALIB_SCALE_RATIO; sc++) {
		const struct calib_stat_info *e = calib_registry_pairwise((enum calib_scale)sc, true);
		ok(e->family == CALIB_FAMILY_KAPPA && e->kind == CALIB_KIND_COEFFICIENT &&
			   (e->scale >= CALIB_SCALE_ORDINAL) == (sc == CALIB_SCALE_ORDINAL || sc == CALIB_SCALE_INTERVAL ||
					  sc == CALIB_SCALE_RATIO || sc == CALIB_SCALE_UNKNOWN),
		   "scale %d: a kappa coefficient, ordered where the scale is", sc);
	}
}

int
main(void)
{
	test_fields();
	test_records();
	test_families();
	test_pairwise();
	test_table();
	test_headline();
	test_tidy();
	test_perfect();
	return tap_done();
}
