/*
 * ref.h - test fixture: the reference data sets of tests/reference/ and
 * the comparison of computed records with their expected values.
 * Header-only, for the unit tests; include after tap.h. Paths are relative
 * to the repository root, where the tests run.
 *
 * The expected statistic names map onto records (stat.h) as follows:
 *   s                -> record s .estimate
 *   s_se             -> s.se          s_lower, s_upper -> s.lower, s.upper
 *   s_pt             -> s.p           s_F -> s.test    s_df1, s_df2 -> s.df1, s.df2
 *   s_p              -> (s_z).p when a record s_z exists, else s.p
 *   s_se0            -> (s_z).se
 *   s_cat_z:v        -> (s_cat:v).test, s_cat_p:v -> (s_cat:v).p
 */
#ifndef CALIB_TEST_REF_H
#define CALIB_TEST_REF_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/matrix.h"
#include "calib/stat.h"

struct ref_row {
	char criterion[64], statistic[64], source[200];
	double value;
	bool na; /* no expectation */
};

struct ref_set {
	char name[64];
	size_t n_crit, n_items, n_raters;
	char (*crit)[64];
	char (*items)[64];
	char (*raters)[64];
	double *x; /* n_crit x n_items x n_raters, NAN = no score */
	bool has_missing;
	size_t n_rows;
	struct ref_row *rows;
};

static size_t
ref_intern_(char (**names)[64], size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*names)[i], s) == 0)
			return i;
	*names = realloc(*names, (*n + 1) * sizeof **names);
	snprintf((*names)[*n], 64, "%s", s);
	return (*n)++;
}

static void
ref_chomp_(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

/* Load tests/reference/NAME.{long.csv,expected.tsv}; 0 on success. */
static int
ref_load(const char *name, struct ref_set **out)
{
	char path[256], line[1024];
	struct ref_set *r = calloc(1, sizeof *r);
	FILE *fp;
	size_t cap = 0, nt = 0;
	struct {
		size_t c, i, j;
		double v;
	} *t = NULL;

	snprintf(r->name, sizeof r->name, "%s", name);
	snprintf(path, sizeof path, "tests/reference/%s.long.csv", name);
	if (!(fp = fopen(path, "r")))
		return -1;
	if (!fgets(line, sizeof line, fp))
		return -1;
	while (fgets(line, sizeof line, fp)) {
		char *call, *rater, *crit, *score;
		ref_chomp_(line);
		call = strtok(line, ",");
		rater = strtok(NULL, ",");
		crit = strtok(NULL, ",");
		score = strtok(NULL, ",");
		if (!call || !rater || !crit || !score)
			continue;
		if (nt == cap) {
			cap = cap ? 2 * cap : 1024;
			t = realloc(t, cap * sizeof *t);
		}
		t[nt].i = ref_intern_(&r->items, &r->n_items, call);
		t[nt].j = ref_intern_(&r->raters, &r->n_raters, rater);
		t[nt].c = ref_intern_(&r->crit, &r->n_crit, crit);
		t[nt].v = strtod(score, NULL);
		nt++;
	}
	fclose(fp);
	/* Criteria that have no score at all appear only in the expected file. */
	snprintf(path, sizeof path, "tests/reference/%s.expected.tsv", name);
	if (!(fp = fopen(path, "r")))
		return -1;
	if (!fgets(line, sizeof line, fp))
		return -1;
	while (fgets(line, sizeof line, fp)) {
		struct ref_row *w;
		char *f[4];
		ref_chomp_(line);
		f[0] = strtok(line, "\t");
		for (int k = 1; k < 4; k++)
			f[k] = strtok(NULL, "\t");
		if (!f[3])
			continue;
		r->rows = realloc(r->rows, (r->n_rows + 1) * sizeof *r->rows);
		w = &r->rows[r->n_rows++];
		snprintf(w->criterion, sizeof w->criterion, "%s", f[0]);
		snprintf(w->statistic, sizeof w->statistic, "%s", f[1]);
		snprintf(w->source, sizeof w->source, "%s", f[3]);
		w->na = strcmp(f[2], "NA") == 0;
		if (strcmp(f[2], "NaN") == 0)
			w->value = NAN;
		else if (strcmp(f[2], "Inf") == 0)
			w->value = INFINITY;
		else if (strcmp(f[2], "-Inf") == 0)
			w->value = -INFINITY;
		else
			w->value = strtod(f[2], NULL);
		ref_intern_(&r->crit, &r->n_crit, w->criterion);
	}
	fclose(fp);
	r->x = malloc((r->n_crit * r->n_items * r->n_raters + 1) * sizeof *r->x);
	for (size_t k = 0; k < r->n_crit * r->n_items * r->n_raters; k++)
		r->x[k] = NAN;
	for (size_t k = 0; k < nt; k++)
		r->x[(t[k].c * r->n_items + t[k].i) * r->n_raters + t[k].j] = t[k].v;
	free(t);
	*out = r;
	return 0;
}

static void
ref_free(struct ref_set *r)
{
	if (!r)
		return;
	free(r->crit);
	free(r->items);
	free(r->raters);
	free(r->x);
	free(r->rows);
	free(r);
}

static size_t
ref_n_criteria(const struct ref_set *r)
{
	return r->n_crit;
}

static const char *
ref_criterion(const struct ref_set *r, size_t c)
{
	return r->crit[c];
}

/*
 * The matrix of criterion c (scale interval unless said otherwise by the
 * caller afterwards), or its complete-call sub-matrix. Caller frees.
 */
static struct calib_matrix *
ref_matrix(const struct ref_set *r, size_t c, bool complete)
{
	struct calib_matrix *m = NULL, *cm = NULL;
	if (calib_matrix_from_values(r->x + c * r->n_items * r->n_raters, r->n_items,
				     r->n_raters, CALIB_SCALE_INTERVAL, &m) != CALIB_OK)
		return NULL;
	if (!complete)
		return m;
	if (calib_matrix_complete(m, false, &cm) != CALIB_OK)
		cm = NULL;
	calib_matrix_free(m);
	return cm;
}

/* Does the data set have a missing score on criterion c among its matrix? */
static bool
ref_has_missing(const struct ref_set *r, size_t c)
{
	struct calib_matrix *m = ref_matrix(r, c, false);
	bool missing = m && m->n_scores != m->n_items * m->n_raters;
	calib_matrix_free(m);
	return missing;
}

static bool
ref_suffix_(const char *s, const char *suf, char *base, size_t n)
{
	size_t ls = strlen(s), lf = strlen(suf);
	if (ls <= lf || strcmp(s + ls - lf, suf) != 0)
		return false;
	snprintf(base, n, "%.*s", (int)(ls - lf), s);
	return true;
}

/*
 * The computed value for expected statistic `stat`, or false when no record
 * gives it.
 */
static bool
ref_lookup(const struct calib_stats *got, const char *stat, double *v)
{
	static const struct {
		const char *suffix;
		int field;
	} map[] = { { "_se0", 9 }, { "_se", 1 }, { "_lower", 2 }, { "_upper", 3 },
		    { "_pt", 7 },  { "_F", 4 },  { "_df1", 5 },   { "_df2", 6 },
		    { "_p", 8 } };
	const struct calib_stat *s = calib_stats_find(got, stat);
	char base[128], name[160];
	const char *cat;

	if (s) {
		/* irr's agree() prints a percentage; calib's proportions are on 0..1 */
		*v = strcmp(stat, "percent_agreement_unanimous") == 0 ? 100 * s->estimate
								      : s->estimate;
		return true;
	}
	if ((cat = strstr(stat, "_cat_z:")) || (cat = strstr(stat, "_cat_p:"))) {
		snprintf(name, sizeof name, "%.*s_cat:%s", (int)(cat - stat), stat, cat + 7);
		if (!(s = calib_stats_find(got, name)))
			return false;
		*v = cat[5] == 'z' ? s->test : s->p;
		return true;
	}
	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
		if (!ref_suffix_(stat, map[k].suffix, base, sizeof base))
			continue;
		if (map[k].field == 9 || map[k].field == 8) {
			snprintf(name, sizeof name, "%s_z", base);
			if ((s = calib_stats_find(got, name))) {
				*v = map[k].field == 9 ? s->se : s->p;
				return true;
			}
			if (map[k].field == 9)
				return false;
		}
		if (!(s = calib_stats_find(got, base)))
			return false;
		switch (map[k].field) {
		case 1: *v = s->se; break;
		case 2: *v = s->lower; break;
		case 3: *v = s->upper; break;
		case 4: *v = s->test; break;
		case 5: *v = s->df1; break;
		case 6: *v = s->df2; break;
		default: *v = s->p; break;
		}
		return true;
	}
	return false;
}

typedef bool (*ref_filter)(const char *statistic, const char *source);

/*
 * One TAP line per expected row of criterion c accepted by want (NA rows
 * and count rows are skipped). Returns the number of rows checked.
 */
static size_t
ref_check(const struct ref_set *r, size_t c, const struct calib_stats *got,
	  ref_filter want, double reltol)
{
	size_t n = 0;
	for (size_t k = 0; k < r->n_rows; k++) {
		const struct ref_row *w = &r->rows[k];
		double v;
		if (strcmp(w->criterion, r->crit[c]) != 0 || w->na ||
		    strcmp(w->source, "count") == 0 || !want(w->statistic, w->source))
			continue;
		n++;
		if (!ref_lookup(got, w->statistic, &v)) {
			ok(0, "%s %s %s: no record [%s]", r->name, w->criterion, w->statistic,
			   w->source);
			continue;
		}
		is_double(v, w->value, reltol, "%s %s %s [%s]", r->name, w->criterion,
			  w->statistic, w->source);
	}
	return n;
}

/* Source families and the data each used (reference README). */
static bool
ref_source_all_scores(const char *source)
{
	return strncmp(source, "irrCAC", 6) == 0 || strncmp(source, "krippendorff", 12) == 0 ||
	       strstr(source, "+unpairable unit") != NULL;
}

static bool
ref_source_complete(const char *source)
{
	return (strncmp(source, "irr-", 4) == 0 && !strstr(source, "kripp.alpha")) ||
	       strncmp(source, "statsmodels", 11) == 0 ||
	       strncmp(source, "scikit-learn", 12) == 0 ||
	       strstr(source, "ICC(lmer=FALSE)") != NULL;
}

/* Every data set of tests/reference, NULL-terminated. */
static const char *const ref_sets[] = {
	"calib_12x5x8", "calib_2rater_40x5", "edge_all_missing_criterion",
	"edge_constant", "edge_partial_rater", "edge_perfect", "edge_single_call",
	"edge_single_rated_calls", "fleiss1971_diagnoses", "gwet_cac_ben_gerry",
	"gwet_cac_general", "gwet_cac_raw4raters", "gwet_cac_raw5obser",
	"gwet_cac_raw_g1g2", "gwet_cac_raw_gender", "gwet_cont3x3abstractors",
	"gwet_cont4x4diagnosis", "irr_anxiety", "irr_video", "irr_vision",
	"krippendorff2011", "medium_500x7x3", "shrout_fleiss1979", NULL
};

#endif
