/*
 * disputes.c - the cells and calls of a session ranked by disagreement
 * (disputes.h). One pass over each criterion's matrix; the top N cells and
 * calls are kept in a bounded binary heap (Williams 1964), so the cost is
 * O(ratings + cells log N) and memory O(N + calls), never a sort of every
 * cell unless all of them are asked for.
 *
 * Disagreement is the share of the largest disagreement possible for the
 * cell's number of answers and its scale (disputes.h), so a 3-2 yes/no
 * split and a 3-2 split between the ends of a 0-10 scale are both 1. It is
 * rounded to 12 decimals, so that equal splits reached by different
 * arithmetic are equal and rank by the documented tie-break, not by
 * rounding noise. Cells without disagreement are not ranked.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib/disputes.h"
#include "calib/matrix.h"
#include "calib/parallel.h"
#include "calib/table.h"

void
calib_disputes_opts_init(struct calib_disputes_opts *o)
{
	memset(o, 0, sizeof *o);
	o->top = 10;
	o->consensus = CALIB_CONSENSUS_MEAN;
	o->session = CALIB_NONE;
	o->threads = 0;
}

/* x rounded to 12 decimals: equal shares compare equal. */
static double
settle(double x)
{
	return nearbyint(x * 1e12) / 1e12;
}

/*
 * Share of the largest spread of a two-way split of n answers, small on
 * one side: sqrt(small (n - small) / (floor(n/2) ceil(n/2))), the SD of a
 * 0/1 variable over its largest value for n. 0 when n < 2.
 */
static double
split_share(size_t small, size_t n)
{
	double h = (double)(n / 2), g = (double)(n - n / 2);
	if (n < 2)
		return 0;
	return sqrt((double)small * (double)(n - small) / (h * g));
}

/* Does cell a come before cell b in the agenda? */
static bool
cell_before(const struct calib_dispute *a, const struct calib_dispute *b)
{
	if (a->disagreement != b->disagreement)
		return a->disagreement > b->disagreement;
	if (a->n_distinct != b->n_distinct)
		return a->n_distinct > b->n_distinct;
	if (a->item != b->item)
		return a->item < b->item;
	return a->crit < b->crit;
}

static bool
call_before(const struct calib_dispute_call *a, const struct calib_dispute_call *b)
{
	if (a->disagreement != b->disagreement)
		return a->disagreement > b->disagreement;
	if (a->max != b->max)
		return a->max > b->max;
	return a->item < b->item;
}

/*
 * A bounded heap of cells whose root is the one ranked last, so a new cell
 * replaces it when it ranks before it. cap 0: unbounded (keeps everything).
 */
struct heap {
	struct calib_dispute *v;
	size_t n, cap, room;
};

static void
heap_sift_down(struct heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && cell_before(&h->v[m], &h->v[l]))
			m = l;
		if (r < h->n && cell_before(&h->v[m], &h->v[r]))
			m = r;
		if (m == i)
			return;
		struct calib_dispute t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
}

/* Would heap_push keep c? */
static bool
heap_wants(const struct heap *h, const struct calib_dispute *c)
{
	return !h->cap || h->n < h->cap || cell_before(c, &h->v[0]);
}

static int
heap_push(struct heap *h, const struct calib_dispute *c)
{
	if (h->cap && h->n == h->cap) {
		if (cell_before(c, &h->v[0])) {
			h->v[0] = *c;
			heap_sift_down(h, 0);
		}
		return 0;
	}
	if (h->n == h->room) {
		size_t room = h->room ? 2 * h->room : 64;
		void *p = realloc(h->v, room * sizeof *h->v);
		if (!p)
			return -1;
		h->v = p;
		h->room = room;
	}
	size_t i = h->n++;
	h->v[i] = *c;
	while (i > 0) {
		size_t up = (i - 1) / 2;
		if (!cell_before(&h->v[up], &h->v[i]))
			break;
		struct calib_dispute t = h->v[i];
		h->v[i] = h->v[up];
		h->v[up] = t;
		i = up;
	}
	return 0;
}

/* Sift call i down the heap v[0..n) whose root is the call ranked last. */
static void
calls_sift_down(struct calib_dispute_call *v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && call_before(&v[m], &v[l]))
			m = l;
		if (r < n && call_before(&v[m], &v[r]))
			m = r;
		if (m == i)
			return;
		struct calib_dispute_call t = v[i];
		v[i] = v[m];
		v[m] = t;
		i = m;
	}
}

/* Move the top k of v[0..n) to v[0..k) in O(n log k); their order is left to the caller. */
static void
calls_select(struct calib_dispute_call *v, size_t n, size_t k)
{
	for (size_t i = k / 2; i-- > 0;)
		calls_sift_down(v, k, i);
	for (size_t i = k; i < n; i++)
		if (call_before(&v[i], &v[0])) {
			v[0] = v[i];
			calls_sift_down(v, k, 0);
		}
}

/* cell_before as a three-way comparison, each key read once */
static int
cmp_cell(const void *pa, const void *pb)
{
	const struct calib_dispute *a = pa, *b = pb;
	if (a->disagreement != b->disagreement)
		return a->disagreement > b->disagreement ? -1 : 1;
	if (a->n_distinct != b->n_distinct)
		return a->n_distinct > b->n_distinct ? -1 : 1;
	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	return (a->crit > b->crit) - (a->crit < b->crit);
}

static int
cmp_call(const void *a, const void *b)
{
	return call_before(a, b) ? -1 : call_before(b, a) ? 1 : 0;
}

/* Sort the few scores of a cell in place (insertion sort: a cell has one per rater). */
static void
sort_small(double *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Text of category k of m. */
static void
cat_text(const struct calib_matrix *m, uint32_t k, char *buf, size_t n)
{
	if (m->na_level && k + 1 == m->n_levels)
		snprintf(buf, n, "N/A");
	else if (m->label && m->label[k])
		snprintf(buf, n, "%s", m->label[k]);
	else
		calib_format_double(m->value[k], buf, n);
}

/*
 * Texts of one criterion's categories or codes, each made on first use and
 * kept: a long agenda names the same few levels on every row, and the text
 * of a numeric level is a shortest round-trip search (calib_format_double).
 */
struct texts {
	char **s;
	size_t n;
};

static void
texts_clear(struct texts *x)
{
	for (size_t k = 0; k < x->n; k++)
		free(x->s[k]);
	free(x->s);
	x->s = NULL;
	x->n = 0;
}

/* Make room for n texts, none made yet; -1 when out of memory. */
static int
texts_reset(struct texts *x, size_t n)
{
	texts_clear(x);
	if (!(x->s = calloc(n ? n : 1, sizeof *x->s)))
		return -1;
	x->n = n;
	return 0;
}

/* Text of a score's code (below x->n) of criterion cr; NULL when out of memory. */
static const char *
code_name(struct texts *x, const struct calib_criterion *cr, uint16_t code)
{
	if (!x->s[code]) {
		char buf[128];
		x->s[code] = strdup(calib_store_code_text(cr, code, buf, sizeof buf));
	}
	return x->s[code];
}

/* Text of category k of m (k < x->n); NULL when out of memory. */
static const char *
cat_name(struct texts *x, const struct calib_matrix *m, uint32_t k)
{
	if (!x->s[k]) {
		char buf[64];
		cat_text(m, k, buf, sizeof buf);
		x->s[k] = strdup(buf);
	}
	return x->s[k];
}

/*
 * The most given answer(s) of a measured cell as text, ties joined by '|'
 * in category order (categories are increasing): cnt holds the cell's
 * counts per category, best the largest of them, names the categories'
 * texts. -1 when out of memory.
 */
static int
mode_text(const struct calib_matrix *m, const size_t *cnt, size_t best, struct texts *names,
          struct calib_dispute *d)
{
	size_t len = 0;
	d->mode[0] = 0;
	for (uint32_t k = 0; k < m->n_levels; k++)
		if (cnt[k] == best) {
			const char *name = cat_name(names, m, k);
			if (!name)
				return -1;
			snprintf(d->mode + len, sizeof d->mode - len, "%s%s", len ? "|" : "",
			         name);
			len = strlen(d->mode);
		}
	return 0;
}

/*
 * Disagreement of row i of m; false when it has fewer than two answers.
 * The row's counts per category are left in cnt (the categories seen in
 * touched[0..d->n_distinct)) and the largest in *best, for mode_text; the
 * caller sets them back to zero.
 */
static bool
measure(const struct calib_matrix *m, size_t i, const struct calib_criterion *cr, double range,
        enum calib_consensus cons, size_t *cnt, uint32_t *touched, double *vals,
        size_t *best_out, struct calib_dispute *d)
{
	size_t nt = 0, nv = 0, best = 0;
	double lo = INFINITY, hi = -INFINITY, sum = 0;
	bool nominal = cr->scale == CALIB_SCALE_BINARY || cr->scale == CALIB_SCALE_NOMINAL;
	d->n_answers = m->off[i + 1] - m->off[i];
	d->n_na = 0;
	if (d->n_answers < 2)
		return false;
	for (size_t p = m->off[i]; p < m->off[i + 1]; p++) {
		uint32_t k = m->cat[p];
		if (!cnt[k]++)
			touched[nt++] = k;
		if (m->na_level && k + 1 == m->n_levels) {
			d->n_na++;
			continue;
		}
		double v = m->value[k];
		vals[nv++] = v;
		sum += v;
		/* comparisons, not fmin/fmax calls: a level's value is never NaN */
		if (v < lo)
			lo = v;
		if (v > hi)
			hi = v;
	}
	d->n_distinct = nt;
	for (size_t t = 0; t < nt; t++)
		if (cnt[touched[t]] > best)
			best = cnt[touched[t]];
	*best_out = best;
	if (nominal) {
		/*
		 * Gini-Simpson 1 - sum p^2 of the scored answers over its largest
		 * value for their number among the categories there are, spread
		 * as evenly as they can be; the square root, so a yes/no cell
		 * reads as the SD of its 0/1 points over its maximum. A split on
		 * N/A is measured as on the other scales, below.
		 */
		size_t n = d->n_answers - d->n_na, q = cr->n_levels, gs_max_n;
		double ss = 0, gs, gs_max;
		d->disagreement = 0;
		if (q < nt - (d->n_na > 0))
			q = nt - (d->n_na > 0);
		if (q > n)
			q = n;
		if (n > 1 && q > 1) {
			for (size_t t = 0; t < nt; t++)
				if (!(m->na_level && touched[t] + 1 == m->n_levels))
					ss += (double)cnt[touched[t]] * (double)cnt[touched[t]];
			/* n answers over q categories: n % q of them get one more */
			gs_max_n = (n % q) * (n / q + 1) * (n / q + 1) +
			           (q - n % q) * (n / q) * (n / q);
			gs = 1 - ss / ((double)n * (double)n);
			gs_max = 1 - (double)gs_max_n / ((double)n * (double)n);
			d->disagreement = gs_max > 0 ? sqrt(gs / gs_max) : 0;
			if (d->disagreement > 1)
				d->disagreement = 1;
		}
		d->spread = d->consensus = NAN;
	} else {
		d->spread = nv ? hi - lo : NAN;
		if (nv == 0)
			d->consensus = NAN;
		else if (cons == CALIB_CONSENSUS_MEAN)
			d->consensus = sum / (double)nv;
		else {
			sort_small(vals, nv);
			d->consensus =
			        nv % 2 ? vals[nv / 2] : (vals[nv / 2 - 1] + vals[nv / 2]) / 2;
		}
		/* labelled levels in points 0..q-1, as calib-raters counts them */
		if (cr->labelled && nv)
			d->consensus -= 1;
		/*
		 * Population SD over its largest value for nv scores on the range:
		 * half at each end, range / 2, times sqrt(1 - 1/nv^2) when nv is odd.
		 */
		if (nv > 1 && range > 0) {
			double mean = sum / (double)nv, ss = 0, dn = (double)nv;
			for (size_t k = 0; k < nv; k++)
				ss += (vals[k] - mean) * (vals[k] - mean);
			double top = range / 2 * (nv % 2 ? sqrt(1 - 1 / (dn * dn)) : 1);
			double x = sqrt(ss / dn) / top;
			d->disagreement =
			        x < 1 ? x : 1; /* fmin(1, x) without the call: x is a number */
		} else
			d->disagreement = 0;
	}
	/* a split on applicability, N/A against scored, as a yes/no split */
	if (d->n_na && nv) {
		size_t small = d->n_na < nv ? d->n_na : nv;
		double split = split_share(small, d->n_answers);
		if (split > d->disagreement)
			d->disagreement = split;
	}
	d->disagreement = settle(d->disagreement);
	return true;
}

/*
 * A cell's measure, kept for the next cell of the same answers in the same
 * order (see measure_cell): most cells of a criterion repeat a few.
 */
struct memo {
	uint64_t key; /* 0: empty */
	double disagreement, spread, consensus;
	size_t n_na;
};

#define MEMO_BITS_MAX 14 /* at most 2^14 slots a worker; fewer for a criterion of fewer calls */

/* One worker's share of the ranking: its scratch, its heap of cells and its counts. */
struct ranker {
	_Alignas(CALIB_CACHE_LINE) struct heap h; /* (workers' counts on lines of their own) */
	struct memo *memo; /* 2^memo_bits slots, emptied for each criterion */
	unsigned memo_bits, memo_room; /* in use, allocated */
	struct texts names; /* the criterion's categories as text */
	size_t *cnt, cnt_cap;
	uint32_t *touched;
	double *vals;
	size_t vals_cap;
	size_t n_ranked, n_disputed;
	enum calib_status st;
};

/* One criterion's cells ranked over the threads, each part of its calls by one worker. */
struct ranking {
	const struct calib_matrix *m;
	const struct calib_criterion *cr;
	uint32_t crit;
	double range;
	enum calib_consensus cons;
	struct calib_dispute_call *calls; /* each call is in one part: no two workers share one */
	struct ranker *w;
	size_t n_parts;
};

/* Calls of a criterion's matrix per part of the ranking. */
#define RANK_PART (1u << 14)

/*
 * Room in worker w for a criterion of q categories, n raters and
 * n_rows calls (a memo of about twice as many slots, up to
 * 2^MEMO_BITS_MAX); -1 when out of memory.
 */
static int
ranker_room(struct ranker *w, size_t q, size_t n, size_t n_rows)
{
	unsigned bits = 4;
	if (texts_reset(&w->names, q))
		return -1;
	if (q > w->cnt_cap) {
		free(w->cnt);
		free(w->touched);
		w->cnt_cap = q;
		w->cnt = calloc(q, sizeof *w->cnt);
		w->touched = malloc(q * sizeof *w->touched);
		if (!w->cnt || !w->touched) {
			w->cnt_cap = 0;
			return -1;
		}
	}
	while (bits < MEMO_BITS_MAX && ((size_t)1 << bits) < 2 * n_rows)
		bits++;
	if (bits > w->memo_room) {
		free(w->memo);
		w->memo_room = 0;
		if (!(w->memo = malloc(sizeof *w->memo << bits)))
			return -1;
		w->memo_room = bits;
	}
	w->memo_bits = bits;
	memset(w->memo, 0, sizeof *w->memo << bits);
	if (n > w->vals_cap) {
		free(w->vals);
		w->vals_cap = n;
		if (!(w->vals = malloc(n * sizeof *w->vals))) {
			w->vals_cap = 0;
			return -1;
		}
	}
	return 0;
}

static void
ranker_free(struct ranker *w)
{
	free(w->memo);
	free(w->h.v);
	texts_clear(&w->names);
	free(w->cnt);
	free(w->touched);
	free(w->vals);
}

/*
 * Row i of m measured as measure() does, through worker w's memo: a row
 * whose answers are those of a row before, in the same order, takes its
 * measure (the same to the bit: measure() sees nothing else of a row).
 * The key holds each answer's category + 1 in four bits, so rows of up to
 * 15 answers among up to 15 categories go through the memo; the counts
 * are left in w->cnt as measure() leaves them.
 */
static bool
measure_cell(const struct ranking *g, struct ranker *w, size_t i, size_t *best,
             struct calib_dispute *d)
{
	const struct calib_matrix *m = g->m;
	size_t n = m->off[i + 1] - m->off[i], nt = 0, top = 0;
	uint64_t key = 0;
	struct memo *slot;

	if (n < 2 || n > 15 || m->n_levels > 15)
		return measure(m, i, g->cr, g->range, g->cons, w->cnt, w->touched, w->vals, best,
		               d);
	for (size_t p = 0; p < n; p++) {
		uint32_t k = m->cat[m->off[i] + p];
		if (!w->cnt[k]++)
			w->touched[nt++] = k;
		key |= (uint64_t)(k + 1) << (4 * p);
	}
	slot = &w->memo[(key * 0x9e3779b97f4a7c15u) >> (64 - w->memo_bits)];
	if (slot->key == key) {
		for (size_t t = 0; t < nt; t++)
			if (w->cnt[w->touched[t]] > top)
				top = w->cnt[w->touched[t]];
		*best = top;
		d->n_answers = n;
		d->n_na = slot->n_na;
		d->n_distinct = nt;
		d->disagreement = slot->disagreement;
		d->spread = slot->spread;
		d->consensus = slot->consensus;
		return true;
	}
	for (size_t t = 0; t < nt; t++)
		w->cnt[w->touched[t]] = 0;
	if (!measure(m, i, g->cr, g->range, g->cons, w->cnt, w->touched, w->vals, best, d))
		return false;
	*slot = (struct memo){ key, d->disagreement, d->spread, d->consensus, d->n_na };
	return true;
}

/*
 * Part i of the criterion's calls (about equal ranges) by worker wi: each
 * cell measured, counted, added to its call and offered to the worker's
 * heap. A call's cells are added to it in criterion order, as one thread
 * would: the criteria are ranked one after the other.
 */
static void
rank_part(void *ctx, size_t i, unsigned wi)
{
	struct ranking *g = ctx;
	struct ranker *w = &g->w[wi];
	const struct calib_matrix *m = g->m;
	size_t from, to;

	calib_parallel_range(m->n_items, g->n_parts, i, &from, &to);
	for (size_t r = from; r < to && !w->st; r++) {
		struct calib_dispute c;
		struct calib_dispute_call *cl;
		size_t best = 0;
		/* measure sets every field but the mode, written only when kept */
		c.mode[0] = 0;
		if (!measure_cell(g, w, r, &best, &c))
			continue;
		c.item = m->item[r];
		c.crit = g->crit;
		/* the mode's text only for a cell the agenda keeps */
		if (c.disagreement > 0 && heap_wants(&w->h, &c) &&
		    mode_text(m, w->cnt, best, &w->names, &c))
			w->st = CALIB_ENOMEM;
		for (size_t t = 0; t < c.n_distinct; t++)
			w->cnt[w->touched[t]] = 0;
		w->n_ranked++;
		w->n_disputed += c.disagreement > 0;
		cl = &g->calls[c.item];
		cl->disagreement += c.disagreement;
		cl->n_cells++;
		cl->n_disputed += c.disagreement > 0;
		if (cl->worst == CALIB_NONE || c.disagreement > cl->max) {
			cl->max = c.disagreement;
			cl->worst = g->crit;
		}
		/* a cell without disagreement is nothing to discuss */
		if (!w->st && c.disagreement > 0 && heap_push(&w->h, &c))
			w->st = CALIB_ENOMEM;
	}
}

/*
 * The workers' heaps as one ranking, appended to d's cells: the top of
 * their union (each holds its own top, so the union holds the top of
 * all), in agenda order; the heaps are emptied. CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
cells_merge(struct calib_disputes *d, struct ranker *w, unsigned nw, size_t top)
{
	size_t n = 0, keep;
	struct calib_dispute *v;

	for (unsigned k = 0; k < nw; k++)
		n += w[k].h.n;
	if (n == 0)
		return CALIB_OK;
	if (!(v = realloc(d->cell, (d->n_cells + n) * sizeof *v)))
		return CALIB_ENOMEM;
	d->cell = v;
	v += d->n_cells;
	for (unsigned k = 0; k < nw; k++) {
		if (w[k].h.n) /* (an empty heap may have no array) */
			memcpy(v, w[k].h.v, w[k].h.n * sizeof *v);
		v += w[k].h.n;
		w[k].h.n = 0;
	}
	v -= n;
	qsort(v, n, sizeof *v, cmp_cell);
	keep = top && top < n ? top : n;
	d->n_cells += keep;
	return CALIB_OK;
}

enum calib_status
calib_disputes_run(const struct calib_store *s, const struct calib_disputes_opts *o,
                   struct calib_disputes **out, struct calib_error *err)
{
	unsigned nw = calib_threads(o->threads);
	struct calib_disputes *d = calloc(1, sizeof *d);
	struct calib_dispute_call *calls = calloc(s->n_items ? s->n_items : 1, sizeof *calls);
	struct ranker *w = calib_parallel_calloc(nw, sizeof *w);
	struct calib_matrix_opts mo;
	struct calib_matrix *m = NULL;
	enum calib_status st = CALIB_OK;

	(void)err;
	*out = NULL;
	if (!d || !calls || !w) {
		free(d);
		free(calls);
		free(w);
		return CALIB_ENOMEM;
	}
	d->opts = *o;
	for (unsigned k = 0; k < nw; k++)
		w[k].h.cap = o->top;
	calib_matrix_opts_init(&mo);
	mo.na = CALIB_NA_CATEGORY;
	mo.session = o->session;
	for (size_t i = 0; i < s->n_items; i++) {
		calls[i].item = (uint32_t)i;
		calls[i].worst = CALIB_NONE;
	}
	for (uint32_t j = 0; j < s->n_criteria && !st; j++) {
		struct ranking g = { .cr = &s->criteria[j], .crit = j, .cons = o->consensus,
		                     .calls = calls, .w = w };
		g.range = calib_raters_range(g.cr);
		/* each criterion's matrix in the room of the one before */
		if ((st = calib_matrix_rebuild(s, j, &mo, &m)))
			break;
		g.m = m;
		for (unsigned k = 0; k < nw && !st; k++)
			if (ranker_room(&w[k], m->n_levels, m->n_raters, m->n_items))
				st = CALIB_ENOMEM;
		if (st)
			break;
		g.n_parts = m->n_items / RANK_PART + 1;
		calib_parallel_for(g.n_parts, nw, rank_part, &g);
		for (unsigned k = 0; k < nw && !st; k++)
			st = w[k].st;
		if (!st && o->per_criterion)
			st = cells_merge(d, w, nw, o->top);
	}
	for (unsigned k = 0; k < nw; k++) {
		d->n_ranked += w[k].n_ranked;
		d->n_disputed += w[k].n_disputed;
	}
	if (!st && !o->per_criterion)
		st = cells_merge(d, w, nw, o->top);
	if (!st) {
		/* the calls: means, then the same bounded selection */
		size_t n = 0;
		for (size_t i = 0; i < s->n_items; i++)
			if (calls[i].n_disputed) {
				calls[i].disagreement = settle(calls[i].disagreement /
				                               (double)calls[i].n_cells);
				calls[n++] = calls[i];
			}
		d->n_calls = o->top && o->top < n ? o->top : n;
		if (d->n_calls < n)
			calls_select(calls, n, d->n_calls);
		if (d->n_calls)
			qsort(calls, d->n_calls, sizeof *calls, cmp_call);
		d->call = calls;
		calls = NULL;
	}
	calib_matrix_free(m);
	free(calls);
	for (unsigned k = 0; k < nw; k++)
		ranker_free(&w[k]);
	free(w);
	if (st) {
		calib_disputes_free(d);
		return st;
	}
	*out = d;
	return CALIB_OK;
}

void
calib_disputes_free(struct calib_disputes *d)
{
	if (!d)
		return;
	free(d->cell);
	free(d->call);
	free(d);
}

static bool
has_sessions(const struct calib_store *s)
{
	size_t n = calib_names_count(s->sessions);
	return n > 1 || (n == 1 && calib_names_get(s->sessions, 0)[0]);
}

struct calib_table *
calib_disputes_cells(const struct calib_disputes *d, const struct calib_store *s)
{
	static const char *const fixed[] = {
	        "rank",   "session",    "call",      "criterion", "scale",     "disagreement",
	        "spread", "n_distinct", "n_answers", "n_na",      "consensus", "mode"};
	static const int fixed_dig[] = {-1, 0, 0, 0, 0, 3, 2, -1, -1, -1, 2, 0};
	bool ses = has_sessions(s);
	size_t nr = calib_names_count(s->raters), nf = 12 - !ses, ncol = nf + nr;
	const char **cols = malloc(ncol * sizeof *cols);
	int *dig = malloc(ncol * sizeof *dig);
	/* per criterion, made when its first cell is shown */
	struct texts *codes = calloc(s->n_criteria ? s->n_criteria : 1, sizeof *codes);
	struct calib_table *t = NULL;
	enum calib_status st = CALIB_OK;
	if (!cols || !dig || !codes)
		goto out;
	for (size_t c = 0, k = 0; c < 12; c++)
		if (c != 1 || ses) {
			cols[k] = fixed[c];
			dig[k++] = fixed_dig[c];
		}
	/* "rater:ana": no rater's name can take a fixed column's (a rater "rank") */
	for (size_t r = 0; r < nr; r++) {
		const char *name = calib_names_get(s->raters, (uint32_t)r);
		char *col = malloc(sizeof "rater:" + strlen(name));
		if (!col) {
			while (r-- > 0)
				free((char *)cols[nf + r]);
			goto out;
		}
		memcpy(col, "rater:", 6);
		memcpy(col + 6, name, strlen(name) + 1);
		cols[nf + r] = col;
		dig[nf + r] = -2;
	}
	t = calib_table_alloc(cols, ncol, dig);
	for (size_t r = 0; r < nr; r++)
		free((char *)cols[nf + r]);
	if (!t)
		goto out;
	/* people read the rater's name alone: the table's columns cannot collide */
	for (size_t r = 0; r < nr; r++)
		st |= calib_table_heading(t, nf + r, calib_names_get(s->raters, (uint32_t)r));
	st |= calib_table_title(t, "Cells to discuss first (%s)",
	                        d->opts.per_criterion ? "per criterion"
	                                              : "most disputed first");
	for (size_t i = 0, rank = 0; i < d->n_cells; i++) {
		const struct calib_dispute *c = &d->cell[i];
		const struct calib_criterion *cr = &s->criteria[c->crit];
		struct texts *names = &codes[c->crit];
		size_t k = 0;
		if (!names->s && texts_reset(names, cr->n_levels + CALIB_CODE_LEVEL)) {
			st = CALIB_ENOMEM;
			break;
		}
		rank = i && d->opts.per_criterion && d->cell[i - 1].crit != c->crit ? 1
		                                                                    : rank + 1;
		st |= calib_table_row(t);
		st |= calib_table_num(t, k++, (double)rank);
		if (ses)
			st |= calib_table_text(
			        t, k++, "%s",
			        calib_names_get(s->sessions, s->item_session[c->item]));
		st |= calib_table_text(t, k++, "%s",
		                       calib_names_get(s->calls, s->item_call[c->item]));
		st |= calib_table_text(t, k++, "%s", cr->name);
		st |= calib_table_text(t, k++, "%s", calib_scale_name(cr->scale));
		st |= calib_table_num(t, k++, c->disagreement);
		st |= calib_table_num(t, k++, c->spread);
		st |= calib_table_num(t, k++, (double)c->n_distinct);
		st |= calib_table_num(t, k++, (double)c->n_answers);
		st |= calib_table_num(t, k++, (double)c->n_na);
		st |= calib_table_num(t, k++, c->consensus);
		st |= calib_table_text(t, k++, "%s", c->mode);
		for (size_t e = s->item_off[c->item]; e < s->item_off[c->item + 1]; e++) {
			uint32_t ev = s->item_evals[e];
			uint16_t code = calib_code(cr, ev);
			const char *name;
			if (code == CALIB_CODE_ABSENT)
				continue;
			/* a score on a numeric scale is a number (JSON), a label text */
			if (!cr->labelled && code >= CALIB_CODE_LEVEL &&
			    code - CALIB_CODE_LEVEL < cr->n_levels) {
				st |= calib_table_num(t, nf + s->eval_rater[ev],
				                      cr->value[code - CALIB_CODE_LEVEL]);
				continue;
			}
			/* a code past the levels has no text of its own (as
			 * calib_store_code_text) */
			if (!(name = code < names->n ? code_name(names, cr, code) : ""))
				st = CALIB_ENOMEM;
			else
				st |= calib_table_text(t, nf + s->eval_rater[ev], "%s", name);
		}
	}
	if (d->n_disputed)
		st |= calib_table_footer(
		        t,
		        "%zu of %zu cells with disagreement shown (%zu cells with "
		        "two answers or more)",
		        d->n_cells, d->n_disputed, d->n_ranked);
	else if (d->n_ranked)
		st |= calib_table_footer(
		        t,
		        "no cell to discuss: the raters agree on all %zu cells "
		        "with two answers or more",
		        d->n_ranked);
	else
		st |= calib_table_footer(t, "no cell to discuss: none has two answers or more");
	st |= calib_table_footer(
	        t, "disagreement: share of the largest possible for the cell's "
	           "answers and scale (0..1); numeric and yes/no: SD of the "
	           "points over its maximum, half the answers at each end of "
	           "the range; nominal: sqrt of 1 - sum p^2 over its maximum; N/A "
	           "against scored counts as a yes/no split");
	st |= calib_table_footer(t, "ties: more distinct answers first, then input order");
	st |= calib_table_footer(t,
	                         "consensus: %s of the numeric scores (labelled levels "
	                         "as points 0..q-1), N/A left out; mode: the most given answer(s)",
	                         d->opts.consensus == CALIB_CONSENSUS_MEAN ? "mean" : "median");
	if (st) {
		calib_table_free(t);
		t = NULL;
	}
out:
	for (size_t j = 0; codes && j < s->n_criteria; j++)
		texts_clear(&codes[j]);
	free(codes);
	free(cols);
	free(dig);
	return t;
}

struct calib_table *
calib_disputes_calls(const struct calib_disputes *d, const struct calib_store *s)
{
	static const char *const fixed[] = {"rank",         "session", "call",
	                                    "disagreement", "max",     "worst_criterion",
	                                    "n_disputed",   "n_cells"};
	static const int fixed_dig[] = {-1, 0, 0, 3, 3, 0, -1, -1};
	bool ses = has_sessions(s);
	const char *cols[8];
	int dig[8];
	size_t nc = 0;
	struct calib_table *t;
	enum calib_status st = CALIB_OK;
	for (size_t c = 0; c < 8; c++)
		if (c != 1 || ses) {
			cols[nc] = fixed[c];
			dig[nc++] = fixed_dig[c];
		}
	if (!(t = calib_table_alloc(cols, nc, dig)))
		return NULL;
	st |= calib_table_title(
	        t, "Calls by how contested they are (mean disagreement of their cells)");
	for (size_t i = 0; i < d->n_calls; i++) {
		const struct calib_dispute_call *c = &d->call[i];
		size_t k = 0;
		st |= calib_table_row(t);
		st |= calib_table_num(t, k++, (double)(i + 1));
		if (ses)
			st |= calib_table_text(
			        t, k++, "%s",
			        calib_names_get(s->sessions, s->item_session[c->item]));
		st |= calib_table_text(t, k++, "%s",
		                       calib_names_get(s->calls, s->item_call[c->item]));
		st |= calib_table_num(t, k++, c->disagreement);
		st |= calib_table_num(t, k++, c->max);
		st |= calib_table_text(t, k++, "%s", s->criteria[c->worst].name);
		st |= calib_table_num(t, k++, (double)c->n_disputed);
		st |= calib_table_num(t, k++, (double)c->n_cells);
	}
	if (!d->n_calls)
		st |= calib_table_footer(t,
		                         "no call to discuss: the raters agree on every cell "
		                         "with two answers or more");
	st |= calib_table_footer(t, "disagreement: mean over the call's cells with two answers "
	                            "or more (0..1); max: its most disputed cell; calls "
	                            "without disagreement are not listed");
	if (st) {
		calib_table_free(t);
		return NULL;
	}
	return t;
}
