/*
 * matrix.c - building one criterion's call x rater matrix (matrix.h) from
 * the store, from plain values, or as the complete-call sub-matrix.
 *
 * Every builder is linear in the number of scores (plus sorting the
 * distinct values when they come from plain doubles).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calib/memory.h"
#include "calib/matrix.h"

void
calib_matrix_opts_init(struct calib_matrix_opts *o)
{
	o->complete = false;
	o->na = CALIB_NA_AUTO;
	o->all_levels = true;
	o->session = CALIB_NONE;
	o->item_mask = NULL;
}

/* Slot of key h in a table of cap slots (a power of two); mixed, for exact keys. */
static size_t
pattern_slot(uint64_t h, size_t cap)
{
	h *= 0x9e3779b97f4a7c15u;
	return (size_t)(h ^ h >> 32) & (cap - 1);
}

/* A well-mixed 64-bit number for category k (splitmix64's finaliser). */
static uint64_t
category_hash(uint64_t k)
{
	k = (k + 0x9e3779b97f4a7c15u) * 0xbf58476d1ce4e5b9u;
	k = (k ^ k >> 27) * 0x94d049bb133111ebu;
	return k ^ k >> 31;
}

/*
 * The patterns met so far, in order of first appearance. A call's key is
 * the sum over its scores of a number per category, which needs no
 * sorting. With exact keys (the counts written in base r + 1, r the most
 * scores of a call) equal keys are equal patterns. Otherwise the key is a
 * hash, and a pattern keeps its distinct categories with their counts: a
 * call matches it when it has as many categories and the same count in
 * each of them. The table grows with the patterns (kept at most half
 * full), so with the few patterns of a coarse scale it stays in cache
 * however many calls there are.
 */
struct pattab {
	bool exact;
	size_t cap, np, pcap, nk, kcap;
	uint32_t *slot;       /* cap: pattern + 1; 0 is empty */
	uint64_t *phash;      /* np: each pattern's key */
	size_t *koff;         /* np + 1: pattern p's categories at kcat[koff[p]..] */
	uint32_t *kcat, *kcnt; /* the patterns' categories and counts (not exact) */
};

static void
pattab_free(struct pattab *t)
{
	free(t->slot);
	free(t->phash);
	free(t->koff);
	free(t->kcat);
	free(t->kcnt);
}

/* An empty table. CALIB_OK or CALIB_ENOMEM (nothing left allocated). */
static enum calib_status
pattab_init(struct pattab *t, bool exact)
{
	memset(t, 0, sizeof *t);
	t->exact = exact;
	t->cap = 1024;
	if (!(t->slot = calloc(t->cap, sizeof *t->slot)))
		return CALIB_ENOMEM;
	return CALIB_OK;
}

/*
 * The pattern of a call of key hash whose d distinct categories are
 * touched[0..d), counted in tally (both unused with exact keys), added when
 * new (*added). *p receives its number. CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
pattab_find(struct pattab *t, uint64_t hash, const uint32_t *tally, const uint32_t *touched,
	    size_t d, uint32_t *p, bool *added)
{
	size_t h;

	*added = false;
	for (h = pattern_slot(hash, t->cap); t->slot[h] != 0; h = (h + 1) & (t->cap - 1)) {
		uint32_t q = t->slot[h] - 1;
		/* d categories of the call, each as often: the same scores */
		bool same = t->phash[q] == hash && (t->exact || t->koff[q + 1] - t->koff[q] == d);
		for (size_t e = t->koff[q]; same && !t->exact && e < t->koff[q + 1]; e++)
			same = tally[t->kcat[e]] == t->kcnt[e];
		if (same) {
			*p = q;
			return CALIB_OK;
		}
	}
	if (t->np == t->pcap) {
		size_t c = t->pcap ? 2 * t->pcap : 256;
		uint64_t *ph = realloc(t->phash, c * sizeof *ph);
		size_t *ko = ph ? realloc(t->koff, (c + 1) * sizeof *ko) : NULL;
		if (ph)
			t->phash = ph;
		if (!ko)
			return CALIB_ENOMEM;
		t->koff = ko;
		if (t->pcap == 0)
			t->koff[0] = 0;
		t->pcap = c;
	}
	if (!t->exact && t->nk + d > t->kcap) {
		size_t c = 2 * (t->nk + d) + 256;
		uint32_t *kc = realloc(t->kcat, c * sizeof *kc);
		uint32_t *kn = kc ? realloc(t->kcnt, c * sizeof *kn) : NULL;
		if (kc)
			t->kcat = kc;
		if (!kn)
			return CALIB_ENOMEM;
		t->kcnt = kn;
		t->kcap = c;
	}
	if (2 * (t->np + 1) > t->cap) {
		uint32_t *bigger = calloc(2 * t->cap, sizeof *bigger);
		if (!bigger)
			return CALIB_ENOMEM;
		free(t->slot);
		t->slot = bigger;
		t->cap *= 2;
		for (size_t q = 0; q < t->np; q++) {
			size_t g = pattern_slot(t->phash[q], t->cap);
			while (t->slot[g] != 0)
				g = (g + 1) & (t->cap - 1);
			t->slot[g] = (uint32_t)q + 1;
		}
		for (h = pattern_slot(hash, t->cap); t->slot[h] != 0; h = (h + 1) & (t->cap - 1))
			;
	}
	t->slot[h] = (uint32_t)t->np + 1;
	t->phash[t->np] = hash;
	for (size_t a = 0; !t->exact && a < d; a++, t->nk++) {
		t->kcat[t->nk] = touched[a];
		t->kcnt[t->nk] = tally[touched[a]];
	}
	t->koff[t->np + 1] = t->nk;
	*p = (uint32_t)t->np++;
	*added = true;
	return CALIB_OK;
}

/*
 * Keys of pattab: when (r + 1)^q fits in 64 bits, category k's number is
 * (r + 1)^k; otherwise a hash of k (and a call's key starts from a hash of
 * its number of scores). Into hk[0..q); returns whether the keys are exact.
 */
static bool
pattern_numbers(uint64_t *hk, size_t q, size_t maxr)
{
	uint64_t top = 1;
	bool exact = true;

	for (size_t k = 0; exact && k < q; k++) {
		hk[k] = top;
		exact = top <= UINT64_MAX / (maxr + 1);
		top *= maxr + 1;
	}
	for (size_t k = 0; !exact && k < q; k++)
		hk[k] = category_hash(k);
	return exact;
}

/* The first key of a call of r scores (hashed keys count the scores too). */
static uint64_t
pattern_key0(bool exact, size_t r)
{
	return exact ? 0 : category_hash(UINT64_MAX - r);
}

enum calib_status
calib_matrix_patterns(const struct calib_matrix *m, uint32_t *pat, size_t *first, size_t *n_pat)
{
	size_t maxr = 0, q = m->n_levels ? m->n_levels : 1;
	uint64_t *hk;                           /* each category's number */
	uint32_t *tally = NULL, *touched = NULL;
	struct pattab t;
	bool exact;
	enum calib_status st = CALIB_ENOMEM;

	*n_pat = 0;
	for (size_t i = 0; i < m->n_items; i++)
		if (calib_matrix_row_n(m, i) > maxr)
			maxr = calib_matrix_row_n(m, i);
	if (!(hk = malloc(q * sizeof *hk)))
		return CALIB_ENOMEM;
	exact = pattern_numbers(hk, q, maxr);
	if (pattab_init(&t, exact)) {
		free(hk);
		return CALIB_ENOMEM;
	}
	if (!exact) {
		tally = calloc(q, sizeof *tally);
		touched = malloc((maxr ? maxr : 1) * sizeof *touched);
		if (!tally || !touched)
			goto out;
	}
	for (size_t i = 0; i < m->n_items; i++) {
		size_t d = 0;
		uint64_t hash = pattern_key0(exact, calib_matrix_row_n(m, i));
		uint32_t p;
		bool added;

		if (exact)
			for (size_t j = m->off[i]; j < m->off[i + 1]; j++)
				hash += hk[m->cat[j]];
		else
			for (size_t j = m->off[i]; j < m->off[i + 1]; j++) {
				/* listed at every score, kept the first time: no branch */
				uint32_t k = m->cat[j];
				touched[d] = k;
				d += tally[k]++ == 0;
				hash += hk[k];
			}
		if (pattab_find(&t, hash, tally, touched, d, &p, &added))
			goto out;
		if (added && first)
			first[p] = i;
		pat[i] = p;
		for (size_t a = 0; a < d; a++)
			tally[touched[a]] = 0;
	}
	*n_pat = t.np;
	st = CALIB_OK;
out:
	pattab_free(&t);
	free(tally);
	free(touched);
	free(hk);
	return st;
}

/* m without its patterns (they no longer describe its rows). */
static void
patterns_drop(struct calib_matrix *m)
{
	/* a matrix of patterns keeps their room for the next one */
	if (m->pat_first != m->pat_room_)
		free(m->pat_first);
	if (m->pat_count != m->cnt_room_)
		free(m->pat_count);
	m->pat_first = NULL;
	m->pat_count = NULL;
	m->n_pat = 0;
	m->patterns_only = false;
}

/*
 * Multisets of at most r of q categories, C(q + r, r), counted while
 * within limit: more than limit when it exceeds it.
 */
static double
patterns_possible(size_t q, size_t r, double limit)
{
	double possible = 1.0;
	for (size_t j = 1; j <= r && possible <= limit; j++)
		possible = possible * (double)(q + j) / (double)j;
	return possible;
}

enum calib_status
calib_matrix_count_patterns(struct calib_matrix *m)
{
	double limit = (double)(m->n_items / 4);
	uint32_t *pat;
	size_t *f;
	uint32_t *c;
	size_t np;

	patterns_drop(m);
	if (m->n_items == 0 || patterns_possible(m->n_levels, m->n_raters, limit) > limit)
		return CALIB_OK;
	pat = malloc(m->n_items * sizeof *pat);
	f = malloc(m->n_items * sizeof *f);
	if (!pat || !f || calib_matrix_patterns(m, pat, f, &np) != CALIB_OK ||
	    !(c = calloc(np, sizeof *c))) {
		free(pat);
		free(f);
		return CALIB_ENOMEM;
	}
	for (size_t i = 0; i < m->n_items; i++)
		c[pat[i]]++;
	free(pat);
	m->pat_first = realloc(f, np * sizeof *f);
	if (!m->pat_first)
		m->pat_first = f;
	m->pat_count = c;
	m->n_pat = np;
	return CALIB_OK;
}

void
calib_matrix_free(struct calib_matrix *m)
{
	if (!m)
		return;
	if (m->label)
		for (size_t k = 0; k < m->n_levels; k++)
			free(m->label[k]);
	free(m->label);
	free(m->off);
	free(m->col);
	free(m->cat);
	free(m->value);
	free(m->item);
	free(m->rater);
	patterns_drop(m);
	free(m->pat_room_);
	free(m->cnt_room_);
	free(m);
}

/* An empty matrix with room for the given sizes; NULL when out of memory. */
static struct calib_matrix *
matrix_alloc(size_t n_items, size_t n_raters, size_t n_scores, size_t n_levels,
	     bool labelled)
{
	struct calib_matrix *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->off = malloc((n_items + 1) * sizeof *m->off);
	m->col = malloc((n_scores ? n_scores : 1) * sizeof *m->col);
	m->cat = malloc((n_scores ? n_scores : 1) * sizeof *m->cat);
	m->value = malloc((n_levels ? n_levels : 1) * sizeof *m->value);
	m->item = malloc((n_items ? n_items : 1) * sizeof *m->item);
	m->rater = malloc((n_raters ? n_raters : 1) * sizeof *m->rater);
	if (labelled)
		m->label = calloc(n_levels ? n_levels : 1, sizeof *m->label);
	if (!m->off || !m->col || !m->cat || !m->value || !m->item || !m->rater ||
	    (labelled && !m->label)) {
		calib_matrix_free(m);
		return NULL;
	}
	calib_memory_large(m->off, (n_items + 1) * sizeof *m->off);
	calib_memory_large(m->col, n_scores * sizeof *m->col);
	calib_memory_large(m->cat, n_scores * sizeof *m->cat);
	calib_memory_large(m->item, n_items * sizeof *m->item);
	m->off[0] = 0;
	return m;
}

/* Grow *a to n elements of size bytes when cap is smaller; false when out of memory. */
static bool
room(void *a, size_t cap, size_t n, size_t size)
{
	void *q;

	if (n <= cap)
		return true;
	if (!(q = realloc(*(void **)a, n * size)))
		return false;
	*(void **)a = q;
	calib_memory_large(q, n * size);
	return true;
}

/*
 * An earlier matrix m emptied and given room for the sizes (its large
 * arrays reused, grown only when too small; the labels and patterns freed);
 * NULL when out of memory, m then freed.
 */
static struct calib_matrix *
matrix_reuse(struct calib_matrix *m, size_t n_items, size_t n_raters, size_t n_scores,
	     size_t n_levels, bool labelled)
{
	if (m->label)
		for (size_t k = 0; k < m->n_levels; k++)
			free(m->label[k]);
	free(m->label);
	m->label = NULL;
	patterns_drop(m);
	if (!room(&m->off, m->cap_items_ + 1, n_items + 1, sizeof *m->off) ||
	    !room(&m->item, m->cap_items_, n_items ? n_items : 1, sizeof *m->item) ||
	    !room(&m->col, m->cap_scores_, n_scores ? n_scores : 1, sizeof *m->col) ||
	    !room(&m->cat, m->cap_scores_, n_scores ? n_scores : 1, sizeof *m->cat) ||
	    !room(&m->value, 0, n_levels ? n_levels : 1, sizeof *m->value) ||
	    !room(&m->rater, 0, n_raters ? n_raters : 1, sizeof *m->rater) ||
	    (labelled && !(m->label = calloc(n_levels ? n_levels : 1, sizeof *m->label)))) {
		m->n_levels = 0;
		calib_matrix_free(m);
		return NULL;
	}
	if (m->cap_items_ < n_items)
		m->cap_items_ = n_items;
	if (m->cap_scores_ < n_scores)
		m->cap_scores_ = n_scores;
	m->n_levels = 0;
	m->n_dropped = 0;
	m->off[0] = 0;
	return m;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Index of v in the sorted array a[0..n). v must be present. */
static uint32_t
find_value(const double *a, size_t n, double v)
{
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] <= v)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

enum calib_status
calib_matrix_from_values(const double *x, size_t n_items, size_t n_raters,
			 enum calib_scale scale, struct calib_matrix **out)
{
	size_t n_scores = 0, n_rows = 0, n_cols = 0, q = 0;
	uint32_t *colmap = NULL;
	double *vals = NULL;
	struct calib_matrix *m = NULL;

	*out = NULL;
	colmap = malloc((n_raters ? n_raters : 1) * sizeof *colmap);
	if (!colmap)
		return CALIB_ENOMEM;
	for (size_t j = 0; j < n_raters; j++)
		colmap[j] = CALIB_NONE;
	for (size_t i = 0; i < n_items; i++) {
		size_t in_row = 0;
		for (size_t j = 0; j < n_raters; j++)
			if (!isnan(x[i * n_raters + j])) {
				in_row++;
				colmap[j] = 0;
			}
		n_scores += in_row;
		n_rows += in_row > 0;
	}
	vals = malloc((n_scores ? n_scores : 1) * sizeof *vals);
	if (!vals)
		goto nomem;
	for (size_t i = 0, s = 0; i < n_items * n_raters; i++)
		if (!isnan(x[i]))
			vals[s++] = x[i];
	qsort(vals, n_scores, sizeof *vals, cmp_double);
	for (size_t s = 0; s < n_scores; s++)
		if (q == 0 || vals[s] != vals[q - 1])
			vals[q++] = vals[s];
	for (size_t j = 0; j < n_raters; j++)
		if (colmap[j] == 0)
			colmap[j] = (uint32_t)n_cols++;
	m = matrix_alloc(n_rows, n_cols, n_scores, q, false);
	if (!m)
		goto nomem;
	memcpy(m->value, vals, q * sizeof *vals);
	for (size_t j = 0; j < n_raters; j++)
		if (colmap[j] != CALIB_NONE)
			m->rater[colmap[j]] = (uint32_t)j;
	for (size_t i = 0, r = 0, s = 0; i < n_items; i++) {
		size_t start = s;
		for (size_t j = 0; j < n_raters; j++) {
			double v = x[i * n_raters + j];
			if (isnan(v))
				continue;
			m->col[s] = colmap[j];
			m->cat[s] = find_value(vals, q, v);
			s++;
		}
		if (s > start) {
			m->item[r] = (uint32_t)i;
			m->off[++r] = s;
		}
	}
	m->n_items = m->n_items_all = n_rows;
	m->n_raters = n_cols;
	m->n_levels = q;
	m->n_scores = n_scores;
	m->scale = scale;
	free(vals);
	free(colmap);
	*out = m;
	return CALIB_OK;
nomem:
	free(vals);
	free(colmap);
	calib_matrix_free(m);
	return CALIB_ENOMEM;
}

enum calib_status
calib_matrix_complete(const struct calib_matrix *m, bool keep_levels,
		      struct calib_matrix **out)
{
	size_t n_rows = 0, n_scores = 0, q = 0;
	uint32_t *catmap = NULL;
	struct calib_matrix *c;

	*out = NULL;
	for (size_t i = 0; i < m->n_items; i++)
		if (calib_matrix_row_n(m, i) == m->n_raters) {
			n_rows++;
			n_scores += m->n_raters;
		}
	catmap = malloc((m->n_levels ? m->n_levels : 1) * sizeof *catmap);
	if (!catmap)
		return CALIB_ENOMEM;
	for (size_t k = 0; k < m->n_levels; k++)
		catmap[k] = keep_levels ? 0 : CALIB_NONE;
	for (size_t i = 0; i < m->n_items; i++)
		if (calib_matrix_row_n(m, i) == m->n_raters)
			for (size_t s = m->off[i]; s < m->off[i + 1]; s++)
				catmap[m->cat[s]] = 0;
	for (size_t k = 0; k < m->n_levels; k++)
		if (catmap[k] == 0)
			catmap[k] = (uint32_t)q++;
	c = matrix_alloc(n_rows, n_rows ? m->n_raters : 0, n_scores, q, m->label != NULL);
	if (!c) {
		free(catmap);
		return CALIB_ENOMEM;
	}
	for (size_t k = 0; k < m->n_levels; k++) {
		if (catmap[k] == CALIB_NONE)
			continue;
		c->value[catmap[k]] = m->value[k];
		if (m->label) {
			c->label[catmap[k]] = strdup(m->label[k]);
			if (!c->label[catmap[k]]) {
				free(catmap);
				calib_matrix_free(c);
				return CALIB_ENOMEM;
			}
		}
	}
	c->na_level = m->na_level && q > 0 && catmap[m->n_levels - 1] == q - 1;
	if (n_rows)
		memcpy(c->rater, m->rater, m->n_raters * sizeof *c->rater);
	for (size_t i = 0, r = 0, s = 0; i < m->n_items; i++) {
		if (calib_matrix_row_n(m, i) != m->n_raters)
			continue;
		for (size_t t = m->off[i]; t < m->off[i + 1]; t++, s++) {
			c->col[s] = m->col[t];
			c->cat[s] = catmap[m->cat[t]];
		}
		c->item[r] = m->item[i];
		c->off[++r] = s;
	}
	c->n_items = n_rows;
	c->n_raters = n_rows ? m->n_raters : 0;
	c->n_levels = q;
	c->n_scores = n_scores;
	c->scale = m->scale;
	c->n_items_all = m->n_items_all;
	c->n_dropped = m->n_dropped + (m->n_items - n_rows);
	c->n_na = m->n_na;
	c->n_missing = m->n_missing;
	free(catmap);
	*out = c;
	return CALIB_OK;
}

/* Does N/A count as a category of criterion c under policy p? */
static bool
na_is_category(const struct calib_criterion *c, enum calib_na_policy p)
{
	if (p == CALIB_NA_CATEGORY)
		return true;
	if (p == CALIB_NA_DROP)
		return false;
	return c->scale == CALIB_SCALE_BINARY || c->scale == CALIB_SCALE_NOMINAL;
}

/*
 * Renumber a[0..n) through map (the numbers used, increasing, to 0, 1, ...),
 * unless that changes nothing: the numbers used are 0 .. used - 1.
 */
static void
renumber(uint32_t *a, size_t n, const uint32_t *map, size_t used)
{
	if (used == 0 || map[used - 1] == used - 1)
		return;
	for (size_t t = 0; t < n; t++)
		a[t] = map[a[t]];
}

/* Give back the room of the arrays of m beyond n_items rows and n_scores scores. */
static void
matrix_shrink(struct calib_matrix *m, size_t n_items, size_t n_scores)
{
	size_t *off = realloc(m->off, (n_items + 1) * sizeof *off);
	uint32_t *item = realloc(m->item, (n_items ? n_items : 1) * sizeof *item);
	uint32_t *col = realloc(m->col, (n_scores ? n_scores : 1) * sizeof *col);
	uint32_t *cat = realloc(m->cat, (n_scores ? n_scores : 1) * sizeof *cat);

	/* a failed shrink keeps the larger block, which is as good */
	m->off = off ? off : m->off;
	m->item = item ? item : m->item;
	m->col = col ? col : m->col;
	m->cat = cat ? cat : m->cat;
}

/*
 * The category of rating code cd in a matrix of criterion c: its level,
 * or with na_cat level n_levels for N/A; false when the code is no score
 * there. Unscored cells and N/As are counted in *n_missing and *n_na.
 */
static inline bool
code_level(uint16_t cd, const struct calib_criterion *c, bool na_cat, uint32_t *level,
	   size_t *n_missing, size_t *n_na)
{
	if (cd >= CALIB_CODE_LEVEL) {
		*level = cd - CALIB_CODE_LEVEL;
		return true;
	}
	*n_missing += cd == CALIB_CODE_MISSING;
	*n_na += cd == CALIB_CODE_NA;
	*level = (uint32_t)c->n_levels;
	return cd == CALIB_CODE_NA && na_cat;
}

/*
 * Matrix m (an earlier one whose room is reused, or NULL for a new one)
 * emptied for criterion c with room for n_items rows and n_scores scores
 * (kept as its room when keep_room), and *colmap, *catmap: the raters
 * and categories that take part, none yet (CALIB_NONE) but the declared
 * levels that o keeps (0). NULL when out of memory, m and the maps then
 * freed.
 */
static struct calib_matrix *
matrix_start(struct calib_matrix *m, const struct calib_store *s,
	     const struct calib_criterion *c, const struct calib_matrix_opts *o, size_t n_items,
	     size_t n_scores, bool keep_room, uint32_t **colmap, uint32_t **catmap)
{
	size_t n_raters_all = calib_names_count(s->raters), nl = c->n_levels + 1;
	bool labelled = c->labelled || na_is_category(c, o->na);

	*colmap = malloc((n_raters_all ? n_raters_all : 1) * sizeof **colmap);
	*catmap = malloc(nl * sizeof **catmap);
	if (m)
		m = matrix_reuse(m, n_items, n_raters_all, n_scores, nl, labelled);
	else if ((m = matrix_alloc(n_items, n_raters_all, n_scores, nl, labelled)) && keep_room) {
		m->cap_items_ = n_items;
		m->cap_scores_ = n_scores;
	}
	if (!*colmap || !*catmap || !m) {
		free(*colmap);
		free(*catmap);
		calib_matrix_free(m);
		return NULL;
	}
	for (size_t j = 0; j < n_raters_all; j++)
		(*colmap)[j] = CALIB_NONE;
	for (size_t k = 0; k < nl; k++)
		(*catmap)[k] = CALIB_NONE;
	if (o->all_levels && (c->levels_fixed || c->order))
		for (size_t k = 0; k < c->n_levels; k++)
			(*catmap)[k] = 0;
	return m;
}

/*
 * The raters and categories that take part in m (colmap[j], catmap[k]: 0
 * where used, else CALIB_NONE; catmap[n_levels] is N/A) numbered in
 * increasing order, m's first n_stored scores renumbered to them, and m's
 * columns, levels, values, labels and scale set from criterion c.
 * CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
matrix_levels(struct calib_matrix *m, const struct calib_criterion *c, uint32_t *colmap,
	      size_t n_raters_all, uint32_t *catmap, size_t n_stored)
{
	size_t n_cols = 0, q = 0, nl = c->n_levels + 1;

	for (size_t j = 0; j < n_raters_all; j++)
		if (colmap[j] == 0)
			colmap[j] = (uint32_t)n_cols++;
	for (size_t k = 0; k < nl; k++)
		if (catmap[k] == 0)
			catmap[k] = (uint32_t)q++;
	renumber(m->col, n_stored, colmap, n_cols);
	renumber(m->cat, n_stored, catmap, q);
	if (!(catmap[c->n_levels] != CALIB_NONE || c->labelled)) {
		free(m->label);
		m->label = NULL;
	}
	m->n_levels = q; /* the labels are freed by this count */
	for (size_t k = 0; k < nl; k++) {
		uint32_t to = catmap[k];
		if (to == CALIB_NONE)
			continue;
		m->value[to] = k < c->n_levels ? c->value[k] : NAN;
		if (m->label) {
			const char *text = k == c->n_levels ? "N/A" : c->labelled ? c->label[k] : NULL;
			char buf[64];
			if (!text)
				text = calib_format_double(c->value[k], buf, sizeof buf);
			m->label[to] = strdup(text);
			if (!m->label[to])
				return CALIB_ENOMEM;
		}
	}
	m->na_level = catmap[c->n_levels] != CALIB_NONE;
	for (size_t j = 0; j < n_raters_all; j++)
		if (colmap[j] != CALIB_NONE)
			m->rater[colmap[j]] = (uint32_t)j;
	m->n_raters = n_cols;
	m->scale = c->scale;
	return CALIB_OK;
}

/*
 * calib_matrix_build, or with reuse calib_matrix_rebuild: *out is then an
 * earlier matrix (or NULL) whose room is kept rather than given back.
 */
static enum calib_status
build(const struct calib_store *s, uint32_t crit, const struct calib_matrix_opts *o,
      struct calib_matrix **out, bool reuse)
{
	const struct calib_criterion *c = &s->criteria[crit];
	const uint32_t *evals = s->item_evals, *rater_of = s->eval_rater;
	const void *codes = c->codes_;
	bool wide = c->wide_;
	size_t n_raters_all = calib_names_count(s->raters);
	bool na_cat = na_is_category(c, o->na);
	size_t n_rows = 0, sc = 0, n_na = 0, n_missing = 0;
	uint32_t *colmap = NULL, *catmap = NULL, *col, *cat;
	struct calib_matrix *m = NULL, *full = NULL;

	/* room for every item and evaluation; given back once the scores are known */
	m = matrix_start(reuse ? *out : NULL, s, c, o, s->n_items, s->n_evals, reuse, &colmap,
			 &catmap);
	*out = NULL;
	if (!m)
		return CALIB_ENOMEM;

	/*
	 * One pass over the items: the rows with store rater ids and level
	 * numbers (N/A as level n_levels), marking the raters and categories
	 * that take part; both are renumbered afterwards.
	 */
	col = m->col;
	cat = m->cat;
	for (size_t it = 0; it < s->n_items; it++) {
		size_t start = sc, end = s->item_off[it + 1];
		if (o->session != CALIB_NONE && s->item_session[it] != o->session)
			continue;
		if (o->item_mask && !o->item_mask[it])
			continue;
		for (size_t e = s->item_off[it]; e < end; e++) {
			uint32_t ev = evals[e], level;
			if (!code_level(calib_code_in(codes, wide, ev), c, na_cat, &level, &n_missing, &n_na))
				continue;
			catmap[level] = 0;
			colmap[rater_of[ev]] = 0;
			col[sc] = rater_of[ev];
			cat[sc] = level;
			sc++;
		}
		if (sc > start) {
			m->item[n_rows] = (uint32_t)it;
			m->off[++n_rows] = sc;
		}
	}
	if (!reuse)
		matrix_shrink(m, n_rows, sc);
	if (matrix_levels(m, c, colmap, n_raters_all, catmap, sc) != CALIB_OK)
		goto nomem;
	m->n_items = m->n_items_all = n_rows;
	m->n_scores = sc;
	m->n_na = n_na;
	m->n_missing = n_missing;
	free(colmap);
	free(catmap);
	if (o->complete) {
		bool all = o->all_levels && (c->levels_fixed || c->order);
		full = m;
		if (calib_matrix_complete(full, all, &m) != CALIB_OK) {
			calib_matrix_free(full);
			return CALIB_ENOMEM;
		}
		calib_matrix_free(full);
	}
	*out = m;
	return CALIB_OK;
nomem:
	free(colmap);
	free(catmap);
	calib_matrix_free(m);
	return CALIB_ENOMEM;
}

enum calib_status
calib_matrix_build(const struct calib_store *s, uint32_t crit,
		   const struct calib_matrix_opts *o, struct calib_matrix **out)
{
	return build(s, crit, o, out, false);
}

enum calib_status
calib_matrix_rebuild(const struct calib_store *s, uint32_t crit,
		     const struct calib_matrix_opts *o, struct calib_matrix **m)
{
	return build(s, crit, o, m, true);
}

/* Room in m for rows + 1 rows of patterns and scores scores; false when out of memory. */
static bool
counts_room(struct calib_matrix *m, size_t rows, size_t scores)
{
	if (rows + 1 > m->cap_items_) {
		size_t c = 2 * (rows + 1);
		if (!room(&m->off, m->cap_items_ + 1, c + 1, sizeof *m->off) ||
		    !room(&m->item, m->cap_items_, c, sizeof *m->item))
			return false;
		m->cap_items_ = c;
	}
	if (rows + 1 > m->cap_pat_) {
		size_t c = 2 * (rows + 1);
		if (!room(&m->pat_room_, m->cap_pat_, c, sizeof *m->pat_room_) ||
		    !room(&m->cnt_room_, m->cap_pat_, c, sizeof *m->cnt_room_))
			return false;
		m->cap_pat_ = c;
	}
	if (scores > m->cap_scores_) {
		size_t c = 2 * scores;
		if (!room(&m->col, m->cap_scores_, c, sizeof *m->col) ||
		    !room(&m->cat, m->cap_scores_, c, sizeof *m->cat))
			return false;
		m->cap_scores_ = c;
	}
	return true;
}

/*
 * One pass over the items, as build() makes its rows: each call's scores
 * are written after the patterns' first rows, counted per category in
 * tally, and kept only when they make a new pattern. Store rater ids and
 * levels (N/A as level n_levels), renumbered by the caller. Gives up
 * (*ok false) past `limit` patterns. CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
counts_pass(const struct calib_store *s, const struct calib_criterion *c,
	    const struct calib_matrix_opts *o, struct calib_matrix *m, uint32_t *colmap,
	    uint32_t *catmap, size_t limit, bool *ok)
{
	const uint32_t *evals = s->item_evals, *rater_of = s->eval_rater;
	const void *codes = c->codes_;
	bool wide = c->wide_;
	size_t nl = c->n_levels + 1, maxr = calib_names_count(s->raters), sc = 0, n_calls = 0;
	bool na_cat = na_is_category(c, o->na);
	uint32_t *tally = calloc(nl, sizeof *tally), *touched = malloc((maxr ? maxr : 1) * sizeof *touched);
	uint64_t *hk = malloc(nl * sizeof *hk);
	struct pattab t;
	enum calib_status st = CALIB_ENOMEM;
	bool exact;

	*ok = false;
	m->n_scores = m->n_na = m->n_missing = 0;
	if (!tally || !touched || !hk || pattab_init(&t, false)) {
		free(tally);
		free(touched);
		free(hk);
		return CALIB_ENOMEM;
	}
	exact = pattern_numbers(hk, nl, maxr);
	t.exact = exact;
	for (size_t it = 0; it < s->n_items; it++) {
		size_t r = 0, d = 0, end = s->item_off[it + 1];
		uint64_t hash;
		uint32_t p;
		bool added;

		if (o->session != CALIB_NONE && s->item_session[it] != o->session)
			continue;
		if (o->item_mask && !o->item_mask[it])
			continue;
		if (!counts_room(m, t.np, sc + (end - s->item_off[it])))
			goto out;
		for (size_t e = s->item_off[it]; e < end; e++) {
			uint32_t ev = evals[e], level;
			if (!code_level(calib_code_in(codes, wide, ev), c, na_cat, &level, &m->n_missing, &m->n_na))
				continue;
			catmap[level] = 0;
			colmap[rater_of[ev]] = 0;
			m->col[sc + r] = rater_of[ev];
			m->cat[sc + r] = level;
			r++;
			/* listed at every score, kept the first time: no branch */
			touched[d] = level;
			d += tally[level]++ == 0;
		}
		if (r == 0)
			continue;
		hash = pattern_key0(exact, r);
		for (size_t a = 0; a < d; a++)
			hash += hk[touched[a]] * tally[touched[a]];
		if (pattab_find(&t, hash, tally, touched, d, &p, &added))
			goto out;
		for (size_t a = 0; a < d; a++)
			tally[touched[a]] = 0;
		n_calls++;
		m->n_scores += r;
		if (added) {
			if (t.np > limit) {
				st = CALIB_OK; /* too many patterns: the rows are wanted */
				goto out;
			}
			m->item[p] = (uint32_t)it;
			m->pat_room_[p] = p;
			m->cnt_room_[p] = 0;
			sc += r;
			m->off[p + 1] = sc;
		}
		m->cnt_room_[p]++;
	}
	m->n_items = m->n_items_all = n_calls;
	m->n_pat = t.np;
	*ok = true;
	st = CALIB_OK;
out:
	pattab_free(&t);
	free(tally);
	free(touched);
	free(hk);
	return st;
}

enum calib_status
calib_matrix_counts(const struct calib_store *s, uint32_t crit,
		    const struct calib_matrix_opts *o, struct calib_matrix **out, bool *ok)
{
	const struct calib_criterion *c = &s->criteria[crit];
	size_t n_raters_all = calib_names_count(s->raters);
	uint32_t *colmap = NULL, *catmap = NULL;
	struct calib_matrix *m = *out;

	*ok = false;
	if (o->complete)
		return CALIB_OK;
	*out = NULL;
	/* the rows grow with the patterns (counts_room) */
	if (!(m = matrix_start(m, s, c, o, 1, 1, true, &colmap, &catmap)))
		return CALIB_ENOMEM;
	if (counts_pass(s, c, o, m, colmap, catmap, s->n_items / 4, ok))
		goto nomem;
	if (*ok && matrix_levels(m, c, colmap, n_raters_all, catmap, m->off[m->n_pat]))
		goto nomem;
	/* calib_matrix_count_patterns's rule: patterns only when few enough */
	*ok = *ok && m->n_items > 0 &&
	      patterns_possible(m->n_levels, m->n_raters, (double)(m->n_items / 4)) <=
		      (double)(m->n_items / 4);
	if (*ok) {
		m->pat_first = m->pat_room_;
		m->pat_count = m->cnt_room_;
		m->patterns_only = true;
	} else {
		m->n_items = m->n_items_all = m->n_scores = m->n_pat = 0;
	}
	free(colmap);
	free(catmap);
	*out = m;
	return CALIB_OK;
nomem:
	free(colmap);
	free(catmap);
	calib_matrix_free(m);
	return CALIB_ENOMEM;
}

static int
cmp_double_ptr(const void *a, const void *b)
{
	return cmp_double(a, b);
}

/* Hash of a value for a set of doubles; 0 and -0 hash alike. */
static size_t
value_hash(double x)
{
	uint64_t h;

	if (x == 0)
		x = 0.0;
	memcpy(&h, &x, sizeof h);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (size_t)h;
}

/*
 * The slot of x in an open-addressing set of indices into v (mask + 1
 * slots, UINT32_MAX = empty): where x is, or the empty slot where it goes.
 */
static size_t
probe(const uint32_t *slot, size_t mask, const double *v, double x)
{
	size_t i = value_hash(x) & mask;

	while (slot[i] != UINT32_MAX && v[slot[i]] != x)
		i = (i + 1) & mask;
	return i;
}

/* A set of room for at least 2 n indices, all slots empty; NULL when out of memory. */
static uint32_t *
set_alloc(size_t n, size_t *mask)
{
	size_t cap = 1024;
	uint32_t *slot;

	while (cap < 2 * n)
		cap *= 2;
	if (!(slot = malloc(cap * sizeof *slot)))
		return NULL;
	memset(slot, 0xff, cap * sizeof *slot);
	*mask = cap - 1;
	return slot;
}

/*
 * The distinct values of a stream, in order of first appearance (the
 * first of equal ones kept: 0 and -0 are equal), in a hash set over them:
 * a sum of points takes few values, so they are all the room it needs.
 */
struct distinct {
	double *v;      /* q distinct values */
	size_t q, cap;
	uint32_t *slot; /* a set of indices into v */
	size_t mask;
};

static bool
distinct_init(struct distinct *d)
{
	d->q = 0;
	d->cap = 64;
	d->v = malloc(d->cap * sizeof *d->v);
	d->slot = set_alloc(0, &d->mask);
	return d->v && d->slot;
}

static void
distinct_free(struct distinct *d)
{
	free(d->v);
	free(d->slot);
}

/* A new set of room for the values, each at its index; false when out of memory. */
static bool
distinct_index(struct distinct *d)
{
	free(d->slot);
	if (!(d->slot = set_alloc(d->q, &d->mask)))
		return false;
	for (size_t k = 0; k < d->q; k++)
		d->slot[probe(d->slot, d->mask, d->v, d->v[k])] = (uint32_t)k;
	return true;
}

/* Add x unless an equal value is there; *k receives its index. False when out of memory. */
static bool
distinct_add(struct distinct *d, double x, uint32_t *k)
{
	size_t i = probe(d->slot, d->mask, d->v, x);

	if ((*k = d->slot[i]) != UINT32_MAX)
		return true;
	*k = (uint32_t)d->q;
	if (d->q == d->cap) {
		double *v = realloc(d->v, 2 * d->cap * sizeof *v);
		if (!v)
			return false;
		d->v = v;
		d->cap *= 2;
	}
	d->v[d->q] = x;
	d->slot[i] = (uint32_t)d->q++;
	/* double the set when half full */
	return 2 * d->q <= d->mask + 1 || distinct_index(d);
}

/*
 * Sort the distinct values and make the set map a value to its index
 * among them, its category; false when out of memory.
 */
static bool
distinct_sort(struct distinct *d)
{
	qsort(d->v, d->q, sizeof *d->v, cmp_double_ptr);
	return distinct_index(d);
}

/* Category of x, a value added before distinct_sort(). */
static uint32_t
distinct_rank(const struct distinct *d, double x)
{
	return d->slot[probe(d->slot, d->mask, d->v, x)];
}

/* Whether item it of s is in a matrix made with options o. */
static bool
item_taken(const struct calib_store *s, const struct calib_matrix_opts *o, size_t it)
{
	return (o->session == CALIB_NONE || s->item_session[it] == o->session) &&
	       (!o->item_mask || o->item_mask[it]);
}

/*
 * One pass over the items writes the rows with store rater ids and, for
 * each score, the index of its value among the distinct values in order
 * of first appearance; once they are sorted, each index becomes its
 * value's rank, the score's category.
 */
enum calib_status
calib_matrix_from_evals(const struct calib_store *s, const double *x, enum calib_scale scale,
			const struct calib_matrix_opts *o, struct calib_matrix **out)
{
	const uint32_t *evals = s->item_evals, *rater_of = s->eval_rater;
	size_t n_raters_all = calib_names_count(s->raters);
	size_t n_rows = 0, n_cols = 0, sc = 0;
	uint32_t *colmap = NULL, *rank = NULL;
	double *first = NULL; /* the distinct values in order of first appearance */
	struct distinct d = { 0 };
	struct calib_matrix *m = NULL;

	*out = NULL;
	colmap = malloc((n_raters_all ? n_raters_all : 1) * sizeof *colmap);
	/* room for every item and evaluation; given back once the scores are known */
	m = matrix_alloc(s->n_items, n_raters_all, s->n_evals, 0, false);
	if (!colmap || !m || !distinct_init(&d))
		goto nomem;
	for (size_t j = 0; j < n_raters_all; j++)
		colmap[j] = CALIB_NONE;

	for (size_t it = 0; it < s->n_items; it++) {
		size_t start = sc, end = s->item_off[it + 1];
		if (!item_taken(s, o, it))
			continue;
		for (size_t e = s->item_off[it]; e < end; e++) {
			uint32_t ev = evals[e];
			if (isnan(x[ev]))
				continue;
			if (!distinct_add(&d, x[ev], &m->cat[sc]))
				goto nomem;
			colmap[rater_of[ev]] = 0;
			m->col[sc++] = rater_of[ev];
		}
		if (sc > start) {
			m->item[n_rows] = (uint32_t)it;
			m->off[++n_rows] = sc;
		}
	}
	for (size_t j = 0; j < n_raters_all; j++)
		if (colmap[j] == 0)
			colmap[j] = (uint32_t)n_cols++;
	renumber(m->col, sc, colmap, n_cols);
	matrix_shrink(m, n_rows, sc);
	for (size_t j = 0; j < n_raters_all; j++)
		if (colmap[j] != CALIB_NONE)
			m->rater[colmap[j]] = (uint32_t)j;

	/* The categories: the distinct values, sorted; a score's is its value's rank among them. */
	if (!(rank = malloc((d.q ? d.q : 1) * sizeof *rank)) ||
	    !(first = malloc((d.q ? d.q : 1) * sizeof *first)))
		goto nomem;
	memcpy(first, d.v, d.q * sizeof *first);
	if (!distinct_sort(&d))
		goto nomem;
	for (size_t k = 0; k < d.q; k++)
		rank[k] = distinct_rank(&d, first[k]);
	for (size_t t = 0; t < sc; t++)
		m->cat[t] = rank[m->cat[t]];
	free(rank);
	free(first);
	rank = NULL;
	first = NULL;
	free(m->value);
	m->value = d.v;
	if ((d.v = realloc(m->value, (d.q ? d.q : 1) * sizeof *d.v)))
		m->value = d.v;
	d.v = NULL;

	m->n_items = m->n_items_all = n_rows;
	m->n_raters = n_cols;
	m->n_levels = d.q;
	m->n_scores = sc;
	m->scale = scale;
	distinct_free(&d);
	free(colmap);
	if (o->complete) {
		struct calib_matrix *full = m;
		enum calib_status st = calib_matrix_complete(full, false, &m);
		calib_matrix_free(full);
		if (st != CALIB_OK)
			return st;
	}
	*out = m;
	return CALIB_OK;
nomem:
	free(rank);
	free(first);
	distinct_free(&d);
	free(colmap);
	calib_matrix_free(m);
	return CALIB_ENOMEM;
}

enum calib_status
calib_matrix_resample(const struct calib_matrix *m, const size_t *rows, size_t n,
		      struct calib_matrix **out)
{
	struct calib_matrix *r = *out;
	size_t n_scores = 0, sc = 0;

	for (size_t i = 0; i < n; i++)
		n_scores += calib_matrix_row_n(m, rows[i]);
	if (r && (r->cap_items_ < n || r->cap_scores_ < n_scores)) {
		calib_matrix_free(r);
		r = *out = NULL;
	}
	if (!r) {
		/* room for any sample of n rows, so that later calls reuse it */
		size_t max_row = 0, cap;
		for (size_t i = 0; i < m->n_items; i++)
			if (calib_matrix_row_n(m, i) > max_row)
				max_row = calib_matrix_row_n(m, i);
		cap = max_row * n > n_scores ? max_row * n : n_scores;
		if (!(r = matrix_alloc(n, m->n_raters, cap, m->n_levels, false)))
			return CALIB_ENOMEM;
		memcpy(r->value, m->value, m->n_levels * sizeof *r->value);
		memcpy(r->rater, m->rater, m->n_raters * sizeof *r->rater);
		r->cap_items_ = n;
		r->cap_scores_ = cap;
		*out = r;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t t = m->off[rows[i]]; t < m->off[rows[i] + 1]; t++, sc++) {
			r->col[sc] = m->col[t];
			r->cat[sc] = m->cat[t];
		}
		r->item[i] = m->item[rows[i]];
		r->off[i + 1] = sc;
	}
	patterns_drop(r);
	r->n_items = r->n_items_all = n;
	r->n_raters = m->n_raters;
	r->n_levels = m->n_levels;
	r->na_level = m->na_level;
	r->scale = m->scale;
	r->n_scores = sc;
	return CALIB_OK;
}
