/*
 * registry.c - the table of every statistic (registry.h) and the headline
 * policy.
 *
 * Headline per scale, the coefficient a criterion is judged by:
 *  - binary, nominal: Gwet's AC1. Gwet, K. L. (2008). Computing inter-rater
 *    reliability and its variance in the presence of high agreement. Br. J.
 *    Math. Stat. Psychol. 61, 29-48; Wongpakaran, N. et al. (2013). A
 *    comparison of Cohen's kappa and Gwet's AC1. BMC Med. Res. Methodol.
 *    13, 61: kappa collapses when one category dominates (the kappa
 *    paradox, Feinstein & Cicchetti 1990), AC1 does not.
 *  - ordinal: Gwet's AC2 with ordinal weights (Gwet 2014, Handbook of
 *    Inter-Rater Reliability, 4th ed., ch. 3), the weighted form of AC1.
 *  - interval, ratio: ICC(2,1), two-way random, absolute agreement, single
 *    rater (Shrout & Fleiss 1979; Koo & Li 2016).
 * Each has an analytic interval (t-based for Gwet's family, F-based for
 * the ICC), so the headline always carries one without a bootstrap.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calib/agreement.h"
#include "calib/alpha.h"
#include "calib/icc.h"
#include "calib/kappa.h"
#include "calib/registry.h"

#define AGR CALIB_FAMILY_AGREEMENT
#define KAP CALIB_FAMILY_KAPPA
#define ALP CALIB_FAMILY_ALPHA
#define ICC CALIB_FAMILY_ICC
#define COEF CALIB_KIND_COEFFICIENT
#define PROP CALIB_KIND_PROPORTION
#define LK CALIB_BANDS_LANDIS_KOCH
#define KL CALIB_BANDS_KOO_LI
#define KR CALIB_BANDS_KRIPPENDORFF
#define NB CALIB_BANDS_NONE
#define NOM CALIB_SCALE_NOMINAL
#define ORDL CALIB_SCALE_ORDINAL
#define INT CALIB_SCALE_INTERVAL
#define RAT CALIB_SCALE_RATIO

/*
 * Kappa-type coefficients, AC1/AC2, Brennan-Prediger and PABAK lie in
 * [-1, 1]; alpha and the ICCs reach 1 at most and have no lower bound that
 * holds for every design. The scale is the lowest level of measurement a
 * statistic assumes: weights and ranks need ordered levels, the ICCs and
 * alpha's interval level distances between points, its ratio level a
 * zero; the alphas also carry their level as the alpha module numbers it.
 */
/* clang-format off */
static const struct calib_stat_info stats[] = {
	{ "percent_agreement", AGR, PROP, NB, 0, 1, NOM, -1, "percent agreement" },
	{ "percent_agreement_linear", AGR, PROP, NB, 0, 1, ORDL, -1, "percent agreement" },
	{ "percent_agreement_quadratic", AGR, PROP, NB, 0, 1, ORDL, -1, "percent agreement" },
	{ "percent_agreement_ordinal", AGR, PROP, NB, 0, 1, ORDL, -1, "percent agreement" },
	{ "percent_agreement_unanimous", AGR, PROP, NB, 0, 1, NOM, -1, "percent agreement" },
	{ "percent_agreement_custom", AGR, PROP, NB, 0, 1, NOM, -1, "percent agreement" },
	{ "fleiss_kappa", AGR, COEF, LK, -1, 1, NOM, -1, "Fleiss' kappa" },
	{ "conger_kappa", AGR, COEF, LK, -1, 1, NOM, -1, "Conger's kappa" },
	{ "gwet_ac1", AGR, COEF, LK, -1, 1, NOM, -1, "AC1" },
	{ "gwet_ac2_linear", AGR, COEF, LK, -1, 1, ORDL, -1, "AC2" },
	{ "gwet_ac2_quadratic", AGR, COEF, LK, -1, 1, ORDL, -1, "AC2" },
	{ "gwet_ac2_ordinal", AGR, COEF, LK, -1, 1, ORDL, -1, "AC2" },
	{ "gwet_ac2_custom", AGR, COEF, LK, -1, 1, NOM, -1, "AC2" },
	{ "brennan_prediger", AGR, COEF, LK, -1, 1, NOM, -1, "Brennan-Prediger coefficient" },
	{ "cohen_kappa", KAP, COEF, LK, -1, 1, NOM, -1, "Cohen's kappa" },
	{ "cohen_kappa_linear", KAP, COEF, LK, -1, 1, ORDL, -1, "Cohen's kappa" },
	{ "cohen_kappa_quadratic", KAP, COEF, LK, -1, 1, ORDL, -1, "Cohen's kappa" },
	{ "cohen_kappa_linear_rank", KAP, COEF, LK, -1, 1, ORDL, -1, "Cohen's kappa" },
	{ "cohen_kappa_quadratic_rank", KAP, COEF, LK, -1, 1, ORDL, -1, "Cohen's kappa" },
	{ "cohen_kappa_custom", KAP, COEF, LK, -1, 1, NOM, -1, "Cohen's kappa" },
	{ "light_kappa", KAP, COEF, LK, -1, 1, NOM, -1, "Light's kappa" },
	{ "pabak", KAP, COEF, LK, -1, 1, NOM, -1, "PABAK" },
	{ "prevalence_index", KAP, CALIB_KIND_INDEX, NB, -1, 1, NOM, -1, "prevalence index" },
	{ "bias_index", KAP, CALIB_KIND_INDEX, NB, -1, 1, NOM, -1, "bias index" },
	{ "kripp_alpha_nominal", ALP, COEF, KR, -INFINITY, 1, NOM, CALIB_ALPHA_NOMINAL, "alpha" },
	{ "kripp_alpha_ordinal", ALP, COEF, KR, -INFINITY, 1, ORDL, CALIB_ALPHA_ORDINAL, "alpha" },
	{ "kripp_alpha_interval", ALP, COEF, KR, -INFINITY, 1, INT, CALIB_ALPHA_INTERVAL, "alpha" },
	{ "kripp_alpha_ratio", ALP, COEF, KR, -INFINITY, 1, RAT, CALIB_ALPHA_RATIO, "alpha" },
	{ "icc1", ICC, COEF, KL, -INFINITY, 1, INT, -1, "ICC" },
	{ "icc2", ICC, COEF, KL, -INFINITY, 1, INT, -1, "ICC" },
	{ "icc3", ICC, COEF, KL, -INFINITY, 1, INT, -1, "ICC" },
	{ "icc1k", ICC, COEF, KL, -INFINITY, 1, INT, -1, "ICC" },
	{ "icc2k", ICC, COEF, KL, -INFINITY, 1, INT, -1, "ICC" },
	{ "icc3k", ICC, COEF, KL, -INFINITY, 1, INT, -1, "ICC" },
};
/* clang-format on */
#define N_STATS (sizeof stats / sizeof *stats)

size_t
calib_registry_count(void)
{
	return N_STATS;
}

const struct calib_stat_info *
calib_registry_at(size_t i)
{
	return i < N_STATS ? &stats[i] : NULL;
}

/* The entry named exactly name[0..len), or NULL. */
static const struct calib_stat_info *
exact(const char *name, size_t len)
{
	for (size_t i = 0; i < N_STATS; i++)
		if (strlen(stats[i].name) == len && strncmp(stats[i].name, name, len) == 0)
			return &stats[i];
	return NULL;
}

const struct calib_stat_info *
calib_registry_named(const char *name, size_t len)
{
	return exact(name, len);
}

const struct calib_stat_info *
calib_registry_find(const char *name, enum calib_stat_kind *kind)
{
	size_t len = strlen(name);
	const struct calib_stat_info *e = exact(name, len);
	const char *cat;
	enum calib_stat_kind k;

	if (e) {
		k = e->kind;
	} else if ((cat = strstr(name, "_cat:"))) {
		e = exact(name, (size_t)(cat - name));
		k = CALIB_KIND_CATEGORY;
	} else if (len > 2 && strcmp(name + len - 2, "_z") == 0) {
		e = exact(name, len - 2);
		k = CALIB_KIND_TEST;
	} else if (len > 5 && strcmp(name + len - 5, "_boot") == 0) {
		e = exact(name, len - 5);
		k = CALIB_KIND_BOOT;
	} else {
		return NULL;
	}
	if (e && kind)
		*kind = k;
	return e;
}

bool
calib_registry_known(const char *name)
{
	return strcmp(name, "all") == 0 || exact(name, strlen(name)) != NULL;
}

unsigned
calib_registry_family(const char *name)
{
	const struct calib_stat_info *e = calib_registry_find(name, NULL);
	return e ? e->family : 0;
}

enum calib_band_scheme
calib_registry_bands(const char *name)
{
	enum calib_stat_kind k;
	const struct calib_stat_info *e = calib_registry_find(name, &k);
	if (!e || k == CALIB_KIND_TEST || k == CALIB_KIND_BOOT)
		return CALIB_BANDS_NONE;
	return e->bands;
}

const struct calib_stat *
calib_registry_record(const struct calib_stats *l, const struct calib_stat_info *e)
{
	for (size_t k = 0; k < l->n; k++)
		if (l->v[k].info == e && l->v[k].kind == e->kind)
			return &l->v[k];
	return NULL;
}

int
calib_registry_alpha_level(const struct calib_stat *s)
{
	return s->info && s->kind == s->info->kind ? s->info->alpha_level : -1;
}

bool
calib_registry_ordered(const struct calib_stat *s)
{
	return s->info && s->info->scale >= CALIB_SCALE_ORDINAL;
}

const struct calib_stat_info *
calib_registry_pairwise(enum calib_scale scale, bool ordered)
{
	const char *name = !ordered || scale == CALIB_SCALE_BINARY ||
	                                   scale == CALIB_SCALE_NOMINAL
	                           ? "cohen_kappa"
	                   : scale == CALIB_SCALE_ORDINAL ? "cohen_kappa_quadratic_rank"
	                                                  : "cohen_kappa_quadratic";
	return exact(name, strlen(name));
}

const char *
calib_registry_headline(enum calib_scale scale)
{
	switch (scale) {
	case CALIB_SCALE_ORDINAL:
		return "gwet_ac2_ordinal";
	case CALIB_SCALE_INTERVAL:
	case CALIB_SCALE_RATIO:
		return "icc2";
	case CALIB_SCALE_BINARY:
	case CALIB_SCALE_NOMINAL:
	case CALIB_SCALE_UNKNOWN:
	default:
		return "gwet_ac1";
	}
}

const char *
calib_registry_defaults(enum calib_scale scale, size_t n_raters)
{
	switch (scale) {
	case CALIB_SCALE_BINARY:
		return n_raters == 2 ? "gwet_ac1,cohen_kappa,pabak,percent_agreement"
				     : "gwet_ac1,fleiss_kappa,percent_agreement";
	case CALIB_SCALE_NOMINAL:
	case CALIB_SCALE_UNKNOWN:
		return n_raters == 2 ? "gwet_ac1,cohen_kappa,percent_agreement"
				     : "gwet_ac1,fleiss_kappa,percent_agreement";
	case CALIB_SCALE_ORDINAL:
		return n_raters == 2
			       ? "gwet_ac2_ordinal,cohen_kappa_quadratic,kripp_alpha_ordinal,percent_agreement"
			       : "gwet_ac2_ordinal,kripp_alpha_ordinal,percent_agreement";
	case CALIB_SCALE_RATIO:
		return "icc2,kripp_alpha_ratio";
	case CALIB_SCALE_INTERVAL:
	default:
		return "icc2,kripp_alpha_interval";
	}
}

/* The index of the name equal to p[0..len) among names[0..n), or n. */
static size_t
index_of(const char *const *names, size_t n, const char *p, size_t len)
{
	for (size_t k = 0; k < n; k++)
		if (names[k] && strlen(names[k]) == len && strncmp(names[k], p, len) == 0)
			return k;
	return n;
}

size_t
calib_registry_pick(const char *const *names, size_t n, enum calib_scale scale, const char *stat)
{
	const char *h;
	size_t k;

	if (stat && strcmp(stat, "all") != 0) {
		for (const char *p = stat; *p;) {
			size_t len = strcspn(p, ",");
			if ((k = index_of(names, n, p, len)) < n)
				return k;
			p += len + (p[len] == ',');
		}
		return n;
	}
	h = calib_registry_headline(scale);
	if ((k = index_of(names, n, h, strlen(h))) < n)
		return k;
	for (k = 0; k < n; k++) {
		enum calib_stat_kind kind;
		if (names[k] && calib_registry_find(names[k], &kind) && kind == CALIB_KIND_COEFFICIENT)
			return k;
	}
	return n;
}

void
calib_registry_clip(struct calib_stat *s)
{
	enum calib_stat_kind kind;
	const struct calib_stat_info *e = calib_registry_find(s->name, &kind);
	bool clipped = false;

	if (!e || (kind != e->kind && kind != CALIB_KIND_CATEGORY))
		return;
	/* an upper bound below the range (a kappa under -1 on a few calls,
	 * with its whole interval) ends at the range's lower end with the
	 * lower bound; a lower bound past the upper end is left as it is,
	 * where the note says the bounds are meaningless */
	if (!isnan(s->lower) && s->lower < e->lower) {
		s->lower = e->lower;
		clipped = true;
	}
	if (!isnan(s->upper) && (s->upper > e->upper || s->upper < e->lower)) {
		s->upper = s->upper > e->upper ? e->upper : e->lower;
		clipped = true;
	}
	if (!clipped)
		return;
	if (isinf(e->lower))
		calib_stat_note_add(s, "CI clipped to at most %g", e->upper);
	else
		calib_stat_note_add(s, "CI clipped to [%g, %g]", e->lower, e->upper);
}

void
calib_registry_clip_from(struct calib_stats *l, size_t first)
{
	for (size_t k = first; k < l->n; k++)
		calib_registry_clip(&l->v[k]);
}

void
calib_registry_tidy(struct calib_stat *s)
{
	double *f[] = { &s->estimate, &s->se, &s->lower, &s->upper, &s->test, &s->df1, &s->df2, &s->p };
	static const char *const what[] = { "estimate", "se", "ci_lower", "ci_upper",
					    "test", "df1", "df2", "p" };

	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		if (isinf(*f[i])) {
			calib_stat_note_add(s, "%s %sinfinite, written NA", what[i],
					    *f[i] < 0 ? "-" : "+");
			*f[i] = NAN;
		}
	calib_registry_clip(s);
}

bool
calib_registry_perfect(const struct calib_matrix *m)
{
	/* a matrix of patterns holds a row like each of its calls */
	return calib_registry_perfect_rows(m, NULL, calib_matrix_rows(m));
}

bool
calib_registry_perfect_rows(const struct calib_matrix *m, const size_t *rows, size_t n)
{
	size_t pairable = 0;

	for (size_t k = 0; k < n; k++) {
		size_t i = rows ? rows[k] : k, a = m->off[i], b = m->off[i + 1];
		pairable += b - a >= 2;
		for (size_t t = a + 1; t < b; t++)
			if (m->cat[t] != m->cat[a])
				return false;
	}
	return pairable > 0;
}

void
calib_registry_headline_fix(struct calib_stat *s, const struct calib_matrix *m)
{
	if (!isnan(s->estimate) || !calib_registry_perfect(m))
		return;
	s->estimate = s->lower = s->upper = 1;
	s->se = 0;
	calib_stat_note(s, "perfect agreement: every call scored alike by every rater; the "
			   "coefficient's 0/0 is taken as 1");
}

enum calib_status
calib_family_run(const struct calib_matrix *m, unsigned mask, const struct calib_coef_opts *co,
		 struct calib_stats *out, struct calib_error *err)
{
	enum calib_status st = CALIB_OK;
	if (m->n_items == 0)
		return CALIB_OK;
	if ((mask & CALIB_FAMILY_AGREEMENT) && (st = calib_agreement_compute(m, co, out, err)))
		return st;
	if ((mask & CALIB_FAMILY_KAPPA) && (st = calib_kappa_compute(m, co, out, err)))
		return st;
	if ((mask & CALIB_FAMILY_ALPHA) && (st = calib_alpha_compute(m, co, out, err)))
		return st;
	if ((mask & CALIB_FAMILY_ICC) && (st = calib_icc_compute(m, co, out, err)))
		return st;
	return st;
}
