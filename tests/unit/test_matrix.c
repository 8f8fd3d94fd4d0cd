/*
 * test_matrix.c - building criterion matrices: from plain values, from the
 * store (N/A policies, declared levels, sessions), the complete-call
 * sub-matrix, derived scores, a matrix rebuilt in an earlier one's room,
 * bootstrap resampling, the patterns of equal counts per category, and a
 * criterion's patterns counted straight from the store.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib/agreement.h"
#include "calib/alpha.h"
#include "calib/matrix.h"
#include "tap.h"

static void
test_from_values(void)
{
	/* 4 calls x 3 raters; call 3 has no score, rater 2 scored call 0 only */
	const double x[] = { 1, 2, 5, 2, 2, NAN, NAN, NAN, NAN, 2, 1, NAN };
	struct calib_matrix *m, *c;

	is_long(calib_matrix_from_values(x, 4, 3, CALIB_SCALE_ORDINAL, &m), CALIB_OK, "from values");
	is_long((long)m->n_items, 3, "empty call left out");
	is_long((long)m->n_raters, 3, "raters kept");
	is_long((long)m->n_scores, 7, "seven scores");
	is_long((long)m->n_levels, 3, "categories 1, 2, 5");
	is_double(m->value[2], 5, 0, "categories increase");
	is_long((long)m->item[2], 3, "row 2 is call 3");
	is_long((long)calib_matrix_row_n(m, 0), 3, "row 0 has three scores");
	is_long(calib_matrix_complete(m, false, &c), CALIB_OK, "complete sub-matrix");
	is_long((long)c->n_items, 1, "one complete call");
	is_long((long)c->n_dropped, 2, "two dropped");
	is_long((long)c->n_levels, 3, "its categories: 1, 2, 5");
	calib_matrix_free(c);
	calib_matrix_free(m);
	calib_matrix_free(NULL);
}

static void
test_resample(void)
{
	const double x[] = { 1, 2, 3, 3, 4, 4 };
	const size_t rows[] = { 2, 2, 0 };
	struct calib_matrix *m, *r = NULL;

	calib_matrix_from_values(x, 3, 2, CALIB_SCALE_INTERVAL, &m);
	is_long(calib_matrix_resample(m, rows, 3, &r), CALIB_OK, "resample");
	is_long((long)r->n_items, 3, "three rows drawn");
	is_long((long)r->n_scores, 6, "six scores");
	is_double(r->value[r->cat[0]], 4, 0, "first drawn row is call 2");
	is_double(r->value[r->cat[5]], 2, 0, "last drawn row is call 0");
	is_long((long)r->n_levels, (long)m->n_levels, "categories kept");
	{
		struct calib_matrix *keep = r;
		const size_t again[] = { 1, 0, 1 };
		calib_matrix_resample(m, again, 3, &r);
		ok(r == keep, "a second sample reuses the matrix");
		is_double(r->value[r->cat[0]], 3, 0, "second sample's first row is call 1");
	}
	calib_matrix_free(r);
	calib_matrix_free(m);
}

static struct calib_store *
store_with_na(void)
{
	struct calib_store *s = calib_store_alloc();
	const char *labels[] = { "no", "yes" };
	const char *calls[] = { "c1", "c1", "c2", "c2", "c3", "c3" };
	const char *raters[] = { "a", "b", "a", "b", "a", "b" };
	const char *scores[] = { "yes", "yes", "no", "N/A", "yes", "" };
	const char *sessions[] = { "s1", "s1", "s1", "s1", "s2", "s2" };
	uint32_t crit, num;
	struct calib_error err;

	calib_store_criterion(s, "greeting", 8, &crit);
	calib_store_declare(s, crit, CALIB_SCALE_BINARY, labels, NULL, 2, NAN, NAN, 1);
	calib_store_criterion(s, "points", 6, &num);
	for (size_t i = 0; i < 6; i++) {
		uint32_t e;
		bool created;
		uint16_t code;
		calib_store_eval(s, sessions[i], 2, calls[i], 2, raters[i], 1, 0, (uint32_t)i + 2, &e,
				 &created);
		if (strcmp(scores[i], "N/A") == 0)
			code = CALIB_CODE_NA;
		else if (!*scores[i])
			code = CALIB_CODE_MISSING;
		else
			calib_store_label_code(s, crit, scores[i], strlen(scores[i]), &code, &err);
		calib_store_put(s, e, crit, code, NULL);
		calib_store_value_code(s, num, (double)i, &code, &err);
		calib_store_put(s, e, num, strcmp(scores[i], "N/A") == 0 ? CALIB_CODE_NA : code, NULL);
	}
	calib_store_finish(s);
	return s;
}

static void
test_build(void)
{
	struct calib_store *s = store_with_na();
	struct calib_matrix_opts o;
	struct calib_matrix *m;

	calib_matrix_opts_init(&o);
	is_long(calib_matrix_build(s, 0, &o, &m), CALIB_OK, "build binary");
	ok(m->na_level, "N/A is a category of a binary criterion by default");
	is_long((long)m->n_levels, 3, "no, yes, N/A");
	is_string(m->label[2], "N/A", "the N/A category's label");
	ok(isnan(m->value[2]), "the N/A category has no value");
	is_long((long)m->n_scores, 5, "unscored cell left out");
	is_long((long)m->n_missing, 1, "one unscored cell counted");
	is_long((long)m->n_na, 1, "one N/A counted");
	calib_matrix_free(m);

	o.na = CALIB_NA_DROP;
	calib_matrix_build(s, 0, &o, &m);
	ok(!m->na_level && m->n_levels == 2, "--na-policy drop leaves N/A out");
	is_long((long)m->n_scores, 4, "four scores without N/A");
	calib_matrix_free(m);

	calib_matrix_opts_init(&o);
	calib_matrix_build(s, 1, &o, &m);
	ok(!m->na_level, "N/A is left out of a numeric criterion by default");
	is_long((long)m->n_scores, 5, "five numeric scores");
	calib_matrix_free(m);

	o.session = calib_names_find(s->sessions, "s2", 2);
	calib_matrix_build(s, 0, &o, &m);
	is_long((long)m->n_items, 1, "session filter: one call in s2");
	is_long((long)m->n_levels, 2, "declared levels kept though unused");
	calib_matrix_free(m);

	calib_matrix_opts_init(&o);
	o.complete = true;
	calib_matrix_build(s, 0, &o, &m);
	is_long((long)m->n_items, 2, "complete: c1 and c2 (N/A is a score)");
	is_long((long)m->n_dropped, 1, "complete: c3 dropped");
	calib_matrix_free(m);
	{
		double x[6] = { 10, 20, NAN, 40, 50, 60 };
		calib_matrix_opts_init(&o);
		is_long(calib_matrix_from_evals(s, x, CALIB_SCALE_INTERVAL, &o, &m), CALIB_OK,
			"derived scores per evaluation");
		is_long((long)m->n_scores, 5, "one derived score missing");
		is_double(m->value[m->n_levels - 1], 60, 0, "largest derived score");
		calib_matrix_free(m);
	}
	calib_store_free(s);
}

/* a and b hold the same matrix: sizes, rows, columns, categories, labels */
static bool
same_matrix(const struct calib_matrix *a, const struct calib_matrix *b)
{
	if (a->n_items != b->n_items || a->n_raters != b->n_raters ||
	    a->n_levels != b->n_levels || a->n_scores != b->n_scores ||
	    a->na_level != b->na_level || a->n_na != b->n_na || a->n_missing != b->n_missing ||
	    a->n_dropped != b->n_dropped || a->n_items_all != b->n_items_all ||
	    a->scale != b->scale || a->n_pat != b->n_pat || !a->label != !b->label)
		return false;
	for (size_t i = 0; i <= a->n_items; i++)
		if (a->off[i] != b->off[i] || (i < a->n_items && a->item[i] != b->item[i]))
			return false;
	for (size_t t = 0; t < a->n_scores; t++)
		if (a->col[t] != b->col[t] || a->cat[t] != b->cat[t])
			return false;
	for (size_t j = 0; j < a->n_raters; j++)
		if (a->rater[j] != b->rater[j])
			return false;
	for (size_t k = 0; k < a->n_levels; k++)
		if (!(a->value[k] == b->value[k] || (isnan(a->value[k]) && isnan(b->value[k]))) ||
		    (a->label && strcmp(a->label[k], b->label[k]) != 0))
			return false;
	return true;
}

static void
test_rebuild(void)
{
	struct calib_store *s = store_with_na();
	struct calib_matrix_opts o;
	struct calib_matrix *r = NULL, *m;
	const uint32_t *room;
	/* criterion, N/A policy, session s2 only: labelled, numeric, smaller, larger */
	const struct {
		uint32_t crit;
		enum calib_na_policy na;
		bool s2;
	} step[] = { { 0, CALIB_NA_AUTO, false }, { 1, CALIB_NA_AUTO, false },
		     { 0, CALIB_NA_DROP, true },  { 1, CALIB_NA_CATEGORY, false },
		     { 0, CALIB_NA_AUTO, false } };

	for (size_t i = 0; i < sizeof step / sizeof step[0]; i++) {
		calib_matrix_opts_init(&o);
		o.na = step[i].na;
		if (step[i].s2)
			o.session = calib_names_find(s->sessions, "s2", 2);
		is_long(calib_matrix_rebuild(s, step[i].crit, &o, &r), CALIB_OK, "rebuild %zu", i);
		calib_matrix_build(s, step[i].crit, &o, &m);
		ok(same_matrix(r, m), "rebuild %zu: the matrix a fresh build gives", i);
		calib_matrix_free(m);
		/* patterns counted on one criterion are not the next one's */
		is_long(calib_matrix_count_patterns(r), CALIB_OK, "patterns %zu", i);
	}
	room = r->col;
	calib_matrix_opts_init(&o);
	calib_matrix_rebuild(s, 1, &o, &r);
	ok(r->col == room && r->n_pat == 0, "the room is reused, the patterns dropped");
	o.complete = true;
	is_long(calib_matrix_rebuild(s, 0, &o, &r), CALIB_OK, "rebuild, complete calls");
	calib_matrix_build(s, 0, &o, &m);
	ok(same_matrix(r, m), "complete: the matrix a fresh build gives");
	calib_matrix_free(m);
	calib_matrix_free(r);
	calib_store_free(s);
}

/* Rows i and j of m hold the same count in each of q categories. */
static bool
same_counts(const struct calib_matrix *m, size_t i, size_t j, unsigned *ci, unsigned *cj,
	    size_t q)
{
	bool same = true;

	memset(ci, 0, q * sizeof *ci);
	memset(cj, 0, q * sizeof *cj);
	for (size_t s = m->off[i]; s < m->off[i + 1]; s++)
		ci[m->cat[s]]++;
	for (size_t s = m->off[j]; s < m->off[j + 1]; s++)
		cj[m->cat[s]]++;
	for (size_t k = 0; k < q && same; k++)
		same = ci[k] == cj[k];
	return same;
}

/*
 * Patterns against a brute-force comparison of the rows' counts: 2,000
 * calls of 4 raters with missing scores on 6 or on 30 categories (a few
 * dozen patterns; then well over a thousand, which grows the table),
 * numbered in order of first appearance, each first row standing for its
 * pattern; and the counts per pattern only where the scale allows few.
 */
static void
test_patterns(void)
{
	enum { N = 2000, K = 4 };
	static double x[N * K];
	static uint32_t pat[N];
	static size_t first[N];
	static unsigned ci[64], cj[64];
	unsigned long seed = 99;

	for (size_t q = 6; q <= 30; q += 24) {
		struct calib_matrix *m = NULL;
		size_t n_pat = 0, bad = 0, total = 0;

		for (size_t i = 0; i < N * K; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			x[i] = (seed >> 33) % 10 == 0 ? NAN : (double)((seed >> 40) % q);
		}
		if (calib_matrix_from_values(x, N, K, CALIB_SCALE_ORDINAL, &m) != CALIB_OK) {
			ok(0, "patterns: matrix");
			continue;
		}
		is_long(calib_matrix_patterns(m, pat, first, &n_pat), CALIB_OK, "patterns: numbered");
		printf("# %zu categories: %zu patterns in %zu calls\n", m->n_levels, n_pat, m->n_items);
		ok(q == 6 ? n_pat > 20 && n_pat < 210 : n_pat > 1000, "patterns: as many as expected");
		for (size_t i = 0, next = 0; i < m->n_items; i++) {
			/* the first row with the same counts gives the pattern its number */
			size_t j = 0;
			while (!same_counts(m, i, j, ci, cj, m->n_levels))
				j++;
			bad += first[pat[i]] != j || pat[j] != pat[i];
			if (j == i)
				bad += pat[i] != next++;
		}
		is_long((long)bad, 0, "patterns: equal counts, equal numbers, in order of appearance");
		is_long(calib_matrix_count_patterns(m), CALIB_OK, "patterns: counted");
		ok(q == 6 ? m->pat_first && m->pat_count && m->n_pat == n_pat
			  : !m->pat_first && !m->pat_count && m->n_pat == 0,
		   q == 6 ? "patterns: kept on 6 categories (at most 210 patterns)"
			  : "patterns: not kept on 30 categories (up to 46,376)");
		for (size_t p = 0; p < m->n_pat; p++) {
			total += m->pat_count[p];
			bad += m->pat_first[p] != first[p];
		}
		if (q == 6)
			ok(total == m->n_items && bad == 0,
			   "patterns: kept with their first rows, counts adding up to the calls");
		calib_matrix_free(m);
	}
}

/*
 * A seeded store: n calls of two sessions x 5 raters, some ratings absent,
 * unscored or N/A, on a binary rubric criterion, an ordinal one of 4
 * numeric levels and one of 30.
 */
static struct calib_store *
random_store(size_t n, unsigned long seed)
{
	struct calib_store *s = calib_store_alloc();
	const char *labels[] = { "no", "yes" };
	uint32_t crit[3];
	struct calib_error err;
	char call[32], rater[8];

	calib_store_criterion(s, "bin", 3, &crit[0]);
	calib_store_declare(s, crit[0], CALIB_SCALE_BINARY, labels, NULL, 2, NAN, NAN, 1);
	calib_store_criterion(s, "ord", 3, &crit[1]);
	calib_store_criterion(s, "fine", 4, &crit[2]);
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r < 5; r++) {
			uint32_t e;
			bool created;
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			if ((seed >> 60) == 0)
				continue; /* no evaluation by this rater */
			snprintf(call, sizeof call, "c%zu", i);
			snprintf(rater, sizeof rater, "r%zu", r);
			calib_store_eval(s, i % 2 ? "s1" : "s2", 2, call, strlen(call), rater, 2, 0,
					 (uint32_t)(i * 5 + r + 2), &e, &created);
			for (size_t c = 0; c < 3; c++) {
				unsigned v = (unsigned)(seed >> (8 + 8 * c)) & 0xff;
				uint16_t code;
				size_t q = c == 0 ? 2 : c == 1 ? 4 : 30;
				if (v < 12)
					code = CALIB_CODE_MISSING;
				else if (v < 20)
					code = CALIB_CODE_NA;
				else if (c == 0)
					calib_store_label_code(s, crit[0], labels[v % 2], strlen(labels[v % 2]),
							       &code, &err);
				else
					calib_store_value_code(s, crit[c], (double)((v + i % 3) % q), &code,
							       &err);
				calib_store_put(s, e, crit[c], code, NULL);
			}
		}
	calib_store_finish(s);
	return s;
}

/* Do two lists of records agree exactly, name, numbers and note? */
static bool
same_stats(const struct calib_stats *a, const struct calib_stats *b)
{
	bool same = a->n == b->n && a->n > 0;
	for (size_t k = 0; same && k < a->n; k++) {
		const struct calib_stat *x = &a->v[k], *y = &b->v[k];
		const double u[] = { x->estimate, x->se, x->lower, x->upper, x->test, x->p };
		const double v[] = { y->estimate, y->se, y->lower, y->upper, y->test, y->p };
		same = strcmp(x->name, y->name) == 0 && strcmp(x->note, y->note) == 0 &&
		       x->n_items == y->n_items && x->n_raters == y->n_raters;
		for (size_t t = 0; same && t < sizeof u / sizeof *u; t++)
			same = memcmp(&u[t], &v[t], sizeof u[t]) == 0;
	}
	return same;
}

/*
 * calib_matrix_counts against calib_matrix_build + count_patterns on
 * seeded stores: the same counts, levels, columns and patterns, each
 * pattern's row the first call's row, and the agreement and alpha records
 * bit for bit; in one room throughout; no patterns where the scale has too
 * many for the calls, or with complete calls.
 */
static void
test_counts(void)
{
	struct calib_store *s = random_store(3000, 7);
	struct calib_matrix *r = NULL, *m;
	struct calib_matrix_opts o;
	struct calib_coef_opts co;
	struct calib_error err;
	const uint32_t *room = NULL;
	size_t n_ok = 0, bad = 0, n_same = 0, n_runs = 0, n_boot = 0, bad_boot = 0;

	calib_coef_opts_init(&co);
	co.want = "percent_agreement,percent_agreement_quadratic,fleiss_kappa,gwet_ac1,"
		  "gwet_ac2_ordinal,gwet_ac2_linear,brennan_prediger,unanimous_agreement,"
		  "kripp_alpha_nominal,kripp_alpha_ordinal,kripp_alpha_interval,kripp_alpha_ratio";
	for (size_t run = 0; run < 3 * 2 * 3; run++) {
		uint32_t crit = (uint32_t)(run % 3);
		bool counted = false;
		calib_matrix_opts_init(&o);
		o.na = (enum calib_na_policy)(run / 3 % 3);
		if (run / 9)
			o.session = calib_names_find(s->sessions, "s1", 2);
		n_runs++;
		if (calib_matrix_counts(s, crit, &o, &r, &counted) != CALIB_OK ||
		    calib_matrix_build(s, crit, &o, &m) != CALIB_OK ||
		    calib_matrix_count_patterns(m) != CALIB_OK) {
			ok(0, "counts %zu: built", run);
			continue;
		}
		if (crit == 2) {
			/* 30 categories, 5 raters: far more patterns than a quarter of the calls */
			bad += counted || m->pat_first;
			calib_matrix_free(m);
			continue;
		}
		if (!counted || !m->pat_first) {
			bad++;
			calib_matrix_free(m);
			continue;
		}
		n_ok++;
		bad += !r->patterns_only || r->n_items != m->n_items || r->n_raters != m->n_raters ||
		       r->n_levels != m->n_levels || r->n_scores != m->n_scores ||
		       r->n_na != m->n_na || r->n_missing != m->n_missing ||
		       r->na_level != m->na_level || r->scale != m->scale || r->n_pat != m->n_pat ||
		       calib_matrix_rows(r) != m->n_pat || calib_matrix_rows(m) != m->n_items;
		for (size_t k = 0; k < m->n_levels && k < r->n_levels; k++)
			bad += memcmp(&r->value[k], &m->value[k], sizeof r->value[k]) != 0 ||
			       (m->label && strcmp(r->label[k], m->label[k]) != 0);
		for (size_t j = 0; j < m->n_raters && j < r->n_raters; j++)
			bad += r->rater[j] != m->rater[j];
		for (size_t p = 0; p < m->n_pat && p < r->n_pat; p++) {
			size_t i = m->pat_first[p];
			bad += r->pat_first[p] != p || r->pat_count[p] != m->pat_count[p] ||
			       r->item[p] != m->item[i] ||
			       calib_matrix_row_n(r, p) != calib_matrix_row_n(m, i);
			for (size_t t = 0; t < calib_matrix_row_n(m, i) && t < calib_matrix_row_n(r, p); t++)
				bad += r->col[r->off[p] + t] != m->col[m->off[i] + t] ||
				       r->cat[r->off[p] + t] != m->cat[m->off[i] + t];
		}
		{
			struct calib_stats a, b;
			calib_stats_init(&a);
			calib_stats_init(&b);
			if (calib_agreement_compute(r, &co, &a, &err) == CALIB_OK &&
			    calib_alpha_compute(r, &co, &a, &err) == CALIB_OK &&
			    calib_agreement_compute(m, &co, &b, &err) == CALIB_OK &&
			    calib_alpha_compute(m, &co, &b, &err) == CALIB_OK)
				n_same += same_stats(&a, &b);
			calib_stats_free(&a);
			calib_stats_free(&b);
		}
		/* alpha's bootstrap draws the same patterns from either */
		for (int l = 0; l < 4; l++) {
			struct calib_alpha_boot x = {0}, y = {0};
			double rx[40], ry[40];
			enum calib_status sx, sy;
			x.rep = rx;
			y.rep = ry;
			x.threads = y.threads = 1;
			sx = calib_alpha_bootstrap(r, (enum calib_alpha_level)l, 40, 5, 0.9, 0.8, &x,
						   &err);
			sy = calib_alpha_bootstrap(m, (enum calib_alpha_level)l, 40, 5, 0.9, 0.8, &y,
						   &err);
			n_boot += sx == CALIB_OK;
			bad_boot += sx != sy || calib_alpha_boot_needs_rows(r) ||
				    (sx == CALIB_OK &&
				     (memcmp(rx, ry, sizeof rx) != 0 || x.n_calls != y.n_calls ||
				      memcmp(&x.lower, &y.lower, sizeof x.lower) != 0 ||
				      memcmp(&x.upper, &y.upper, sizeof x.upper) != 0 ||
				      memcmp(&x.mean, &y.mean, sizeof x.mean) != 0 ||
				      !(fabs(x.estimate - y.estimate) <= 1e-12)));
		}
		calib_matrix_free(m);
	}
	printf("# %zu of %zu runs counted\n", n_ok, n_runs);
	ok(n_boot >= 2 * n_ok, "counts: %zu alpha bootstraps on patterns alone", n_boot);
	is_long((long)bad_boot, 0, "counts: alpha's bootstrap replicates bit for bit");
	ok(n_ok == 12, "counts: patterns on the binary and the 4-level criterion");
	is_long((long)bad, 0, "counts: what a build and count_patterns give, first rows and all");
	is_long((long)n_same, (long)n_ok, "counts: agreement and alpha records bit for bit");
	room = r->col;
	calib_matrix_opts_init(&o);
	for (uint32_t crit = 0; crit < 3; crit++) {
		bool counted;
		calib_matrix_counts(s, crit, &o, &r, &counted);
		n_same += r->col == room;
	}
	is_long((long)n_same, (long)n_ok + 3, "counts: criteria counted again in the same room");
	calib_matrix_opts_init(&o);
	is_long(calib_matrix_rebuild(s, 1, &o, &r), CALIB_OK, "counts: a rebuild in its room");
	ok(!r->patterns_only && !r->pat_first && calib_matrix_rows(r) == r->n_items,
	   "counts: a rebuilt matrix holds every row");
	o.complete = true;
	{
		bool counted = true;
		is_long(calib_matrix_counts(s, 1, &o, &r, &counted), CALIB_OK, "counts: complete");
		ok(!counted && r, "counts: complete calls are not counted, the room kept");
	}
	calib_matrix_free(r);
	calib_store_free(s);
}

/*
 * A matrix of patterns alone whose pairable calls are few beside their
 * patterns: alpha's bootstrap would draw calls one by one, which needs
 * every row. 40 calls, 30 of them with one score; the 10 pairable ones
 * fall in 4 patterns of 3 binary scores (more than 10 / 4).
 */
static void
test_counts_alpha_rows(void)
{
	struct calib_store *s = calib_store_alloc();
	const char *labels[] = { "no", "yes" };
	const char *trio[4] = { "000", "001", "011", "111" };
	struct calib_matrix *r = NULL;
	struct calib_matrix_opts o;
	struct calib_alpha_boot b = {0};
	struct calib_error err;
	uint32_t crit;
	bool counted = false;
	char call[16], rater[8];

	calib_store_criterion(s, "bin", 3, &crit);
	calib_store_declare(s, crit, CALIB_SCALE_BINARY, labels, NULL, 2, NAN, NAN, 1);
	for (size_t i = 0; i < 40; i++)
		for (size_t k = 0; k < (i < 10 ? 3u : 1u); k++) {
			uint32_t e;
			bool created;
			uint16_t code;
			const char *l = labels[i < 10 ? (size_t)(trio[i % 4][k] - '0') : i % 2];
			snprintf(call, sizeof call, "c%zu", i);
			snprintf(rater, sizeof rater, "r%zu", k);
			calib_store_eval(s, "s", 1, call, strlen(call), rater, strlen(rater), 0,
					 (uint32_t)(i + 2), &e, &created);
			calib_store_label_code(s, crit, l, strlen(l), &code, &err);
			calib_store_put(s, e, crit, code, NULL);
		}
	calib_store_finish(s);
	calib_matrix_opts_init(&o);
	ok(calib_matrix_counts(s, crit, &o, &r, &counted) == CALIB_OK && counted &&
		   r->patterns_only,
	   "counts alpha rows: 40 calls counted");
	ok(calib_alpha_boot_needs_rows(r), "counts alpha rows: 4 patterns of 10 pairable calls "
					   "need every row");
	b.threads = 1;
	is_long(calib_alpha_bootstrap(r, CALIB_ALPHA_NOMINAL, 10, 1, 0.95, 0.8, &b, &err),
		CALIB_EARG, "counts alpha rows: the bootstrap says so");
	is_long(calib_matrix_rebuild(s, crit, &o, &r), CALIB_OK, "counts alpha rows: rebuilt");
	ok(!calib_alpha_boot_needs_rows(r), "counts alpha rows: a matrix of every row has them");
	is_long(calib_alpha_bootstrap(r, CALIB_ALPHA_NOMINAL, 10, 1, 0.95, 0.8, &b, &err),
		CALIB_OK, "counts alpha rows: and its bootstrap runs");
	is_long((long)b.n_calls, 10, "counts alpha rows: over the 10 pairable calls");
	calib_matrix_free(r);
	calib_store_free(s);
}

int
main(void)
{
	test_from_values();
	test_resample();
	test_build();
	test_rebuild();
	test_patterns();
	test_counts();
	test_counts_alpha_rows();
	return tap_done();
}
