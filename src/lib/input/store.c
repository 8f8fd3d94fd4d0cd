/*
 * store.c - the ratings store of store.h: interned names, items,
 * evaluations and one code per (evaluation, criterion): a byte, or two
 * once a criterion's levels pass what a byte holds.
 *
 * Lookups go through open-addressing hash tables of 32-bit ids whose keys
 * are read back from the arrays they index, so a table costs four bytes a
 * slot: what keeps 50 million ratings within a few bytes each.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calib/labels.h"
#include "calib/memory.h"
#include "calib/parallel.h"
#include "calib/store.h"
#include "calib/columns.h"

/* ---- hashing ---------------------------------------------------------- */

static uint64_t
mix64(uint64_t x)
{
	/* splitmix64's finaliser: every input bit reaches every output bit */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, then mixed */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return mix64(h ^ len);
}

/*
 * A set of ids, each standing for a key kept elsewhere. `eq` compares the
 * key being looked up with id's key. A slot keeps the low 32 bits of the
 * key's hash beside the id: a probe compares them before calling `eq`
 * (which reads the key, often a cache miss away), and growing rehashes
 * from them without reading any key.
 */
struct idset {
	uint64_t *slot; /* hash << 32 | id; IDSET_EMPTY = empty */
	size_t cap;     /* power of two, at most 2^32 */
	size_t n;
};

#define IDSET_EMPTY UINT64_MAX

/*
 * How many keys ahead a loop over many keys fetches the slot of the one it
 * will look up or place (most are a cache miss away; fetched early, the
 * misses overlap).
 */
#define IDSET_AHEAD 8

typedef bool (*idset_eq)(const void *ctx, uint32_t id, const void *key);

static bool
idset_init(struct idset *t, size_t cap)
{
	t->slot = malloc(cap * sizeof *t->slot);
	if (!t->slot)
		return false;
	calib_memory_large(t->slot, cap * sizeof *t->slot);
	memset(t->slot, 0xff, cap * sizeof *t->slot);
	t->cap = cap;
	t->n = 0;
	return true;
}

/* The id in slot i, or CALIB_NONE. */
static uint32_t
idset_get(const struct idset *t, size_t i)
{
	return (uint32_t)t->slot[i];
}

/* Slot of key of hash h (holding its id, or empty). */
static size_t
idset_probe(const struct idset *t, uint64_t h, idset_eq eq, const void *ctx,
	    const void *key)
{
	size_t mask = t->cap - 1, i = (size_t)h & mask;
	uint64_t tag = (uint64_t)(uint32_t)h << 32;
	while (t->slot[i] != IDSET_EMPTY &&
	       ((t->slot[i] & 0xffffffff00000000ull) != tag ||
		!eq(ctx, (uint32_t)t->slot[i], key)))
		i = (i + 1) & mask;
	return i;
}

/* Put v (hash << 32 | id) in the first empty slot of its chain. */
static void
idset_place(struct idset *t, uint64_t v)
{
	size_t mask = t->cap - 1, i = (size_t)(v >> 32) & mask;
	while (t->slot[i] != IDSET_EMPTY)
		i = (i + 1) & mask;
	t->slot[i] = v;
}

/* Room for n ids, the table at most half full: it doubles, its ids placed again. */
static bool
idset_reserve(struct idset *t, size_t n)
{
	struct idset bigger;
	size_t cap = t->cap;

	while (2 * n > cap) {
		if (cap >= ((size_t)1 << 32))
			return false;
		cap *= 2;
	}
	if (cap == t->cap)
		return true;
	if (!idset_init(&bigger, cap))
		return false;
	for (size_t i = 0; i < t->cap; i++) {
		/* the slot a few ahead fetched while this one is placed */
		if (i + IDSET_AHEAD < t->cap && t->slot[i + IDSET_AHEAD] != IDSET_EMPTY)
			__builtin_prefetch(&bigger.slot[(t->slot[i + IDSET_AHEAD] >> 32) & (cap - 1)], 1);
		if (t->slot[i] != IDSET_EMPTY)
			idset_place(&bigger, t->slot[i]);
	}
	bigger.n = t->n;
	free(t->slot);
	*t = bigger;
	return true;
}

/* Add id, of hash h, not in the set yet; the table doubles when half full. */
static bool
idset_insert(struct idset *t, uint64_t h, uint32_t id)
{
	if (!idset_reserve(t, t->n + 1))
		return false;
	idset_place(t, (uint64_t)(uint32_t)h << 32 | id);
	t->n++;
	return true;
}

/* ---- names ------------------------------------------------------------ */

#define ARENA_CHUNK (1u << 16)

struct calib_names {
	struct idset set;
	char **str;     /* id -> text */
	uint32_t *len;  /* id -> length */
	size_t n, cap;
	char *chunk;    /* current arena chunk */
	size_t used, room;
	char **chunks;  /* every chunk, for freeing */
	size_t n_chunks, chunks_cap;
	uint32_t last;  /* id + 1 of the name found last (rows repeat their call), or 0 */
};

struct name_key {
	const char *s;
	size_t len;
};

static bool
names_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct calib_names *n = ctx;
	const struct name_key *k = key;
	return n->len[id] == k->len && memcmp(n->str[id], k->s, k->len) == 0;
}

struct calib_names *
calib_names_alloc(void)
{
	struct calib_names *n = calloc(1, sizeof *n);
	if (!n)
		return NULL;
	if (!idset_init(&n->set, 64)) {
		free(n);
		return NULL;
	}
	return n;
}

void
calib_names_free(struct calib_names *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_chunks; i++)
		free(n->chunks[i]);
	free(n->chunks);
	free(n->str);
	free(n->len);
	free(n->set.slot);
	free(n);
}

/* A copy of s[0..len) with a NUL, in the arena; NULL when out of memory. */
static char *
names_copy(struct calib_names *n, const char *s, size_t len)
{
	char *p;
	if (len + 1 > n->room - n->used) {
		size_t size = len + 1 > ARENA_CHUNK ? len + 1 : ARENA_CHUNK;
		if (n->n_chunks == n->chunks_cap) {
			size_t cap = n->chunks_cap ? 2 * n->chunks_cap : 16;
			char **c = realloc(n->chunks, cap * sizeof *c);
			if (!c)
				return NULL;
			n->chunks = c;
			n->chunks_cap = cap;
		}
		if (!(n->chunk = malloc(size)))
			return NULL;
		n->chunks[n->n_chunks++] = n->chunk;
		n->used = 0;
		n->room = size;
	}
	p = n->chunk + n->used;
	memcpy(p, s, len);
	p[len] = '\0';
	n->used += len + 1;
	return p;
}

/* into takes the arena chunks of from (its current chunk stays its own). */
static bool
chunks_take(struct calib_names *into, struct calib_names *from)
{
	size_t want = into->n_chunks + from->n_chunks, cap = into->chunks_cap ? into->chunks_cap : 16;
	char **c;

	while (cap < want)
		cap *= 2;
	if (!(c = realloc(into->chunks, cap * sizeof *c)))
		return false;
	into->chunks = c;
	into->chunks_cap = cap;
	memcpy(c + into->n_chunks, from->chunks, from->n_chunks * sizeof *c);
	into->n_chunks = want;
	from->n_chunks = 0;
	from->chunk = NULL;
	from->used = from->room = 0;
	return true;
}

/* Room for `want` names in n's arrays (doubling); false when out of memory. */
static bool
names_room(struct calib_names *n, size_t want)
{
	size_t cap = n->cap ? n->cap : 64;
	char **str;
	uint32_t *ln;

	while (cap < want)
		cap *= 2;
	if (cap == n->cap)
		return true;
	if (!(str = realloc(n->str, cap * sizeof *str)))
		return false;
	n->str = str;
	calib_memory_large(str, cap * sizeof *str);
	if (!(ln = realloc(n->len, cap * sizeof *ln)))
		return false;
	n->len = ln;
	calib_memory_large(ln, cap * sizeof *ln);
	n->cap = cap;
	return true;
}

enum calib_status
calib_names_intern(struct calib_names *n, const char *s, size_t len, uint32_t *id)
{
	struct name_key key = { s, len };
	uint64_t h;
	size_t i;

	if (n->last && n->len[n->last - 1] == len && memcmp(n->str[n->last - 1], s, len) == 0) {
		*id = n->last - 1;
		return CALIB_OK;
	}
	h = hash_bytes(s, len);
	i = idset_probe(&n->set, h, names_eq, n, &key);
	if (idset_get(&n->set, i) != CALIB_NONE) {
		*id = idset_get(&n->set, i);
		n->last = *id + 1;
		return CALIB_OK;
	}
	if (n->n >= CALIB_NONE - 1 || len > UINT32_MAX || !names_room(n, n->n + 1))
		return CALIB_ENOMEM;
	if (!(n->str[n->n] = names_copy(n, s, len)))
		return CALIB_ENOMEM;
	n->len[n->n] = (uint32_t)len;
	if (!idset_insert(&n->set, h, (uint32_t)n->n))
		return CALIB_ENOMEM;
	*id = (uint32_t)n->n++;
	n->last = *id + 1;
	return CALIB_OK;
}

uint32_t
calib_names_find(const struct calib_names *n, const char *s, size_t len)
{
	struct name_key key = { s, len };
	return idset_get(&n->set, idset_probe(&n->set, hash_bytes(s, len), names_eq, n, &key));
}

void
calib_names_prefetch(const struct calib_names *n, const char *s, size_t len)
{
	__builtin_prefetch(&n->set.slot[hash_bytes(s, len) & (n->set.cap - 1)]);
}

const char *
calib_names_get(const struct calib_names *n, uint32_t id)
{
	return id < n->n ? n->str[id] : NULL;
}

size_t
calib_names_count(const struct calib_names *n)
{
	return n->n;
}

/*
 * map[i]: the id in `into` of the name i of `from`, looked up with the
 * hashes from's set keeps (their low 32 bits, which tag[i] receives); a
 * name not in `into` gets the id it would take if from's new names were
 * added after into's own in from's order. Returns how many are new. The
 * names are taken in from's order, each name's slot fetched IDSET_AHEAD
 * names early. Nothing changes.
 */
static size_t
names_plan(const struct calib_names *into, const struct calib_names *from, uint32_t *map,
	   uint32_t *tag)
{
	size_t mask = into->set.cap - 1, n_new = 0;

	for (size_t i = 0; i < from->set.cap; i++)
		if (from->set.slot[i] != IDSET_EMPTY)
			tag[(uint32_t)from->set.slot[i]] = (uint32_t)(from->set.slot[i] >> 32);
	for (size_t id = 0; id < from->n; id++) {
		struct name_key key = { from->str[id], from->len[id] };
		if (id + IDSET_AHEAD < from->n)
			__builtin_prefetch(&into->set.slot[tag[id + IDSET_AHEAD] & mask]);
		map[id] = idset_get(&into->set, idset_probe(&into->set, tag[id], names_eq, into, &key));
		if (map[id] == CALIB_NONE)
			map[id] = (uint32_t)(into->n + n_new++);
	}
	return n_new;
}

/*
 * Add from's n_new new names (map and tag as names_plan gave them) to
 * `into`, as interning each in turn would. An added name keeps its text
 * where from holds it (into takes from's arena: from's names are then
 * into's, and from is only to be freed) and its hash, so no text is
 * copied, hashed or looked up again. CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
names_join(struct calib_names *into, struct calib_names *from, const uint32_t *map,
	   const uint32_t *tag, size_t n_new)
{
	size_t before = into->n;

	if (into->n + n_new >= CALIB_NONE - 1 || !names_room(into, into->n + n_new) ||
	    !idset_reserve(&into->set, into->set.n + n_new) ||
	    (from->n_chunks > 0 && !chunks_take(into, from)))
		return CALIB_ENOMEM;
	for (size_t id = 0; id < from->n; id++) {
		if (id + IDSET_AHEAD < from->n)
			__builtin_prefetch(&into->set.slot[tag[id + IDSET_AHEAD] & (into->set.cap - 1)], 1);
		if (map[id] < before)
			continue;
		into->str[into->n] = from->str[id];
		into->len[into->n] = from->len[id];
		idset_place(&into->set, (uint64_t)tag[id] << 32 | into->n);
		into->set.n++;
		into->n++;
	}
	return CALIB_OK;
}

/* ---- scales and numbers ------------------------------------------------ */

static const char *const scale_names[] = { "unknown", "binary", "nominal",
					   "ordinal", "interval", "ratio" };

const char *
calib_scale_name(enum calib_scale s)
{
	return (size_t)s < sizeof scale_names / sizeof *scale_names ? scale_names[s]
								   : "unknown";
}

enum calib_scale
calib_scale_parse(const char *s)
{
	for (size_t i = 1; i < sizeof scale_names / sizeof *scale_names; i++)
		if (strcasecmp(s, scale_names[i]) == 0)
			return (enum calib_scale)i;
	return CALIB_SCALE_UNKNOWN;
}

const char *
calib_format_double(double v, char *buf, size_t n)
{
	if (isnan(v)) {
		snprintf(buf, n, "NA");
		return buf;
	}
	if (isinf(v)) {
		snprintf(buf, n, v > 0 ? "Inf" : "-Inf");
		return buf;
	}
	bool done = false;
	if (fabs(v) >= 1e-4 && fabs(v) < 1e15) {
		/* plain decimals where they are short: 10, 2.5, 0.001 */
		for (int dec = 0; dec <= 20 && !done; dec++) {
			snprintf(buf, n, "%.*f", dec, v);
			done = strtod(buf, NULL) == v;
		}
	}
	for (int prec = 1; prec <= 17 && !done; prec++) {
		snprintf(buf, n, "%.*g", prec, v);
		done = strtod(buf, NULL) == v;
	}
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, n, "0");
	return buf;
}

/* ---- levels of a criterion -------------------------------------------- */

/* Lower-case copy of name[0..len) into a malloc'd buffer. */
static char *
lower_copy(const char *name, size_t len)
{
	char *k = malloc(len + 1);
	if (!k)
		return NULL;
	for (size_t i = 0; i < len; i++)
		k[i] = (char)tolower((unsigned char)name[i]);
	k[len] = '\0';
	return k;
}


/* Value -> level lookup while reading (labels: lower-cased name -> level). */
struct levels {
	struct idset set;
	struct calib_names *labels; /* lower-cased label -> level, labelled only */
	size_t cap;
};


static uint64_t
hash_double(double v)
{
	uint64_t bits;
	if (v == 0)
		v = 0; /* -0 and 0 are one level */
	memcpy(&bits, &v, sizeof bits);
	return mix64(bits);
}

static bool
level_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct calib_criterion *c = ctx;
	return c->value[id] == *(const double *)key;
}

static void levels_free(struct calib_criterion *c);

/*
 * The lookup of c, made (and filled with the levels c already has) on
 * first use; NULL when out of memory.
 */
static struct levels *
levels_of(struct calib_criterion *c)
{
	struct levels *l = c->lookup_;
	size_t cap = 16;

	if (l)
		return l;
	while (cap < 2 * c->n_levels + 2)
		cap *= 2;
	if (!(l = calloc(1, sizeof *l)))
		return NULL;
	if (!idset_init(&l->set, cap)) {
		free(l);
		return NULL;
	}
	l->cap = c->n_levels;
	c->lookup_ = l;
	for (size_t k = 0; k < c->n_levels; k++) {
		if (c->labelled) {
			char *lower;
			uint32_t id;
			size_t len = strlen(c->label[k]);
			if ((!l->labels && !(l->labels = calib_names_alloc())) ||
			    !(lower = lower_copy(c->label[k], len)))
				goto nomem;
			if (calib_names_intern(l->labels, lower, len, &id) != CALIB_OK) {
				free(lower);
				goto nomem;
			}
			free(lower);
		} else if (!idset_insert(&l->set, hash_double(c->value[k]), (uint32_t)k))
			goto nomem;
	}
	return l;
nomem:
	levels_free(c);
	return NULL;
}

static void
levels_free(struct calib_criterion *c)
{
	struct levels *l = c->lookup_;
	if (!l)
		return;
	free(l->set.slot);
	calib_names_free(l->labels);
	free(l);
	c->lookup_ = NULL;
}

/* Bytes of one of c's codes. */
static size_t
code_size(const struct calib_criterion *c)
{
	return c->wide_ ? sizeof(uint16_t) : 1;
}

/* The codes of c's evaluations (evaluations s has room for) two bytes each from now on. */
static enum calib_status
codes_widen(const struct calib_store *s, struct calib_criterion *c)
{
	size_t cap = s->evals_cap_ ? s->evals_cap_ : 1;
	const uint8_t *narrow = c->codes_;
	uint16_t *wide = calloc(cap, sizeof *wide);

	if (!wide)
		return CALIB_ENOMEM;
	calib_memory_large(wide, cap * sizeof *wide);
	for (size_t e = 0; e < s->n_evals; e++)
		wide[e] = narrow[e];
	free(c->codes_);
	c->codes_ = wide;
	c->wide_ = true;
	return CALIB_OK;
}

/* c's codes wide enough for the codes of n levels (see codes_widen). */
static enum calib_status
codes_fit(const struct calib_store *s, struct calib_criterion *c, size_t n)
{
	if (c->wide_ || n == 0 || n - 1 + CALIB_CODE_LEVEL <= CALIB_CODE_NARROW)
		return CALIB_OK;
	return codes_widen(s, c);
}

/*
 * Append level (value, label) to criterion c of s; label may be NULL.
 * Returns its index. The criterion's codes widen when its code would not
 * fit them.
 */
static enum calib_status
level_add(const struct calib_store *s, struct calib_criterion *c, double value,
	  const char *label, size_t len, uint32_t *index)
{
	struct levels *l = levels_of(c);
	size_t k = c->n_levels;

	if (!l)
		return CALIB_ENOMEM;
	if (k >= CALIB_MAX_LEVELS)
		return CALIB_ELIMIT;
	if (codes_fit(s, c, k + 1))
		return CALIB_ENOMEM;
	if (k == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		double *v = realloc(c->value, cap * sizeof *v);
		if (!v)
			return CALIB_ENOMEM;
		c->value = v;
		if (label || c->label) {
			char **lb = realloc(c->label, cap * sizeof *lb);
			if (!lb)
				return CALIB_ENOMEM;
			c->label = lb;
		}
		l->cap = cap;
	}
	if (label && !c->label) {
		if (!(c->label = malloc(l->cap * sizeof *c->label)))
			return CALIB_ENOMEM;
	}
	c->value[k] = value == 0 ? 0 : value;
	if (label) {
		char *copy = malloc(len + 1), *lower = lower_copy(label, len);
		uint32_t id;
		if (!copy || !lower || (!l->labels && !(l->labels = calib_names_alloc()))) {
			free(copy);
			free(lower);
			return CALIB_ENOMEM;
		}
		memcpy(copy, label, len);
		copy[len] = '\0';
		if (calib_names_intern(l->labels, lower, len, &id) != CALIB_OK) {
			free(lower);
			free(copy);
			return CALIB_ENOMEM;
		}
		free(lower);
		if (id != k) {
			free(copy);
			return CALIB_EARG; /* the same label twice */
		}
		c->label[k] = copy;
	} else if (!idset_insert(&l->set, hash_double(value), (uint32_t)k))
		return CALIB_ENOMEM;
	c->n_levels = k + 1;
	*index = (uint32_t)k;
	return CALIB_OK;
}

/* ---- the store ---------------------------------------------------------- */

/*
 * An item's evaluations are found through a chain from the item (the first
 * CHAIN_MAX of them: its raters, a handful in practice), which costs no
 * hash of its own and stays in cache while a sheet's rows of one call
 * arrive; an item with more raters keeps the rest in the evals set.
 */
#define CHAIN_MAX 32

/*
 * Likewise an item is found through a chain from its call (the first
 * ITEMS_MAX items of a call: one per session it was scored in), and the
 * calls of more sessions keep the rest in the items set.
 */
#define ITEMS_MAX 16

struct tables {
	struct idset items, evals;
	struct calib_names *crit_keys; /* normal form of a criterion name -> id */
	uint32_t *item_first;          /* items_cap_: newest evaluation of the chain, or CALIB_NONE */
	uint8_t *item_chain;           /* items_cap_: evaluations in the chain */
	uint32_t *eval_next;           /* evals_cap_: next (older) evaluation of the chain */
	uint32_t *call_item;           /* calls_cap: newest item of the call's chain, or CALIB_NONE */
	uint8_t *call_items;           /* calls_cap: items in the call's chain */
	size_t calls_cap;
	uint32_t *item_next;           /* items_cap_: next (older) item of its call's chain */
	size_t chain_items;            /* items when calib_store_finish() let eval_next go, or 0 */
	bool chain_dropped;            /* it did: chain_restore() before adding */
	uint32_t last_sid, last_cid, last_item; /* the item found last (last_item CALIB_NONE: none) */
};

static enum calib_status chain_restore(struct calib_store *s);
static enum calib_status items_grow(struct calib_store *s, size_t cap);

struct calib_store *
calib_store_alloc(void)
{
	struct calib_store *s = calloc(1, sizeof *s);
	struct tables *t = calloc(1, sizeof *t);

	if (!s || !t)
		goto fail;
	t->last_item = CALIB_NONE;
	s->item_hash_ = t;
	s->sessions = calib_names_alloc();
	s->calls = calib_names_alloc();
	s->raters = calib_names_alloc();
	s->sections = calib_names_alloc();
	t->crit_keys = calib_names_alloc();
	if (!s->sessions || !s->calls || !s->raters || !s->sections || !t->crit_keys ||
	    !idset_init(&t->items, 1024) || !idset_init(&t->evals, 1024))
		goto fail;
	return s;
fail:
	if (s && !s->item_hash_)
		free(t);
	calib_store_free(s);
	return NULL;
}

void
calib_store_free(struct calib_store *s)
{
	struct tables *t;
	if (!s)
		return;
	t = s->item_hash_;
	if (t) {
		free(t->items.slot);
		free(t->evals.slot);
		free(t->call_item);
		free(t->call_items);
		free(t->item_next);
		free(t->item_first);
		free(t->item_chain);
		free(t->eval_next);
		calib_names_free(t->crit_keys);
		free(t);
	}
	calib_names_free(s->sessions);
	calib_names_free(s->calls);
	calib_names_free(s->raters);
	calib_names_free(s->sections);
	calib_columns_free(s->columns);
	free(s->item_session);
	free(s->item_call);
	free(s->eval_item);
	free(s->eval_rater);
	free(s->runs_);
	for (size_t i = 0; i < s->n_criteria; i++) {
		struct calib_criterion *c = &s->criteria[i];
		free(c->name);
		free(c->value);
		if (c->label)
			for (size_t k = 0; k < c->n_levels; k++)
				free(c->label[k]);
		free(c->label);
		free(c->codes_);
		levels_free(c);
	}
	free(s->criteria);
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i]);
	free(s->files);
	free(s->item_off);
	free(s->item_evals);
	free(s);
}

enum calib_status
calib_store_add_file(struct calib_store *s, const char *name, uint32_t *index)
{
	char **f = realloc(s->files, (s->n_files + 1) * sizeof *f);
	if (!f)
		return CALIB_ENOMEM;
	s->files = f;
	if (!(f[s->n_files] = strdup(name)))
		return CALIB_ENOMEM;
	*index = (uint32_t)s->n_files++;
	return CALIB_OK;
}

/*
 * The key of a criterion name: its normal form as a column name (columns.h),
 * so that "Verified ID", "verified_id" and "VerifiedID" are one criterion.
 * malloc'ed, or NULL.
 */
static char *
crit_key(const char *name, size_t len, size_t *klen)
{
	char *k = malloc(len + 1);

	if (k)
		*klen = calib_column_norm(name, len, k);
	return k;
}

uint32_t
calib_store_find_criterion(const struct calib_store *s, const char *name, size_t len)
{
	const struct tables *t = s->item_hash_;
	size_t klen;
	char *k = crit_key(name, len, &klen);
	uint32_t id;
	if (!k)
		return CALIB_NONE;
	id = calib_names_find(t->crit_keys, k, klen);
	free(k);
	return id;
}

enum calib_status
calib_store_criterion(struct calib_store *s, const char *name, size_t len, uint32_t *id)
{
	struct tables *t = s->item_hash_;
	struct calib_criterion *c;
	size_t klen;
	char *k = crit_key(name, len, &klen);
	uint32_t key;

	if (!k)
		return CALIB_ENOMEM;
	if (calib_names_intern(t->crit_keys, k, klen, &key) != CALIB_OK) {
		free(k);
		return CALIB_ENOMEM;
	}
	free(k);
	if (key < s->n_criteria) {
		*id = key;
		return CALIB_OK;
	}
	if (s->n_criteria == s->criteria_cap_) {
		size_t cap = s->criteria_cap_ ? 2 * s->criteria_cap_ : 16;
		struct calib_criterion *v = realloc(s->criteria, cap * sizeof *v);
		if (!v)
			return CALIB_ENOMEM;
		s->criteria = v;
		s->criteria_cap_ = cap;
	}
	c = &s->criteria[s->n_criteria];
	memset(c, 0, sizeof *c);
	c->min = c->max = NAN;
	c->weight = 1;
	c->section = CALIB_NONE;
	c->sorted_ = true;
	if (!(c->name = malloc(len + 1)))
		return CALIB_ENOMEM;
	memcpy(c->name, name, len);
	c->name[len] = '\0';
	if (!(c->codes_ = calloc(s->evals_cap_ ? s->evals_cap_ : 1, 1))) {
		free(c->name);
		return CALIB_ENOMEM;
	}
	s->finished = false;
	*id = (uint32_t)s->n_criteria++;
	return CALIB_OK;
}

enum calib_status
calib_store_scorecard(struct calib_store *s, uint32_t crit, const char *section, size_t len,
		      enum calib_critical critical, bool na_allowed)
{
	struct calib_criterion *c = &s->criteria[crit];

	c->section = CALIB_NONE;
	if (len > 0 && calib_names_intern(s->sections, section, len, &c->section) != CALIB_OK)
		return CALIB_ENOMEM;
	c->critical = critical;
	c->no_na = !na_allowed;
	return CALIB_OK;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

enum calib_status
calib_store_declare(struct calib_store *s, uint32_t crit, enum calib_scale scale,
		    const char *const *labels, const double *values, size_t n, double min,
		    double max, double weight)
{
	struct calib_criterion *c = &s->criteria[crit];
	enum calib_status st;
	uint32_t k;

	c->scale = scale;
	c->declared = true;
	c->min = min;
	c->max = max;
	c->weight = weight;
	if (labels) {
		for (size_t i = 0; i < n; i++)
			if ((st = level_add(s, c, (double)(i + 1), labels[i], strlen(labels[i]), &k)))
				return st;
		c->labelled = true;
		c->levels_fixed = n > 0;
		return CALIB_OK;
	}
	if (n > 0) {
		double *v = malloc(n * sizeof *v);
		if (!v)
			return CALIB_ENOMEM;
		memcpy(v, values, n * sizeof *v);
		qsort(v, n, sizeof *v, cmp_double);
		for (size_t i = 0; i < n; i++)
			if ((i == 0 || v[i] != v[i - 1]) && (st = level_add(s, c, v[i], NULL, 0, &k))) {
				free(v);
				return st;
			}
		free(v);
		c->levels_fixed = true;
	} else if (scale != CALIB_SCALE_INTERVAL && scale != CALIB_SCALE_RATIO &&
		   !isnan(min) && !isnan(max) && min == floor(min) && max == floor(max) &&
		   max >= min && max - min < 1000) {
		/* integer points of a categorical scale: every point is a category */
		for (double v = min; v <= max; v++)
			if ((st = level_add(s, c, v, NULL, 0, &k)))
				return st;
		c->levels_fixed = true;
	}
	return CALIB_OK;
}

struct eval_key {
	uint32_t a, b;
};

static bool
item_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct calib_store *s = ctx;
	const struct eval_key *k = key;
	return s->item_session[id] == k->a && s->item_call[id] == k->b;
}

static bool
eval_eq(const void *ctx, uint32_t id, const void *key)
{
	const struct calib_store *s = ctx;
	const struct eval_key *k = key;
	return s->eval_item[id] == k->a && s->eval_rater[id] == k->b;
}

/*
 * Room for cap evaluations in every per-evaluation array. A criterion's
 * codes past the evaluations are CALIB_CODE_ABSENT (0): where the new room
 * is larger than what is kept, they move to a fresh zeroed block, which the
 * system hands out untouched (nothing zeroed by hand, pages faulted in only
 * where a code is written); else the block grows and its new part is zeroed.
 */
static enum calib_status
evals_grow(struct calib_store *s, size_t cap)
{
	if (cap >= CALIB_NONE)
		return CALIB_ELIMIT;
#define GROW(p)                                                    \
	do {                                                       \
		void *q_ = realloc((p), cap * sizeof *(p));        \
		if (!q_)                                           \
			return CALIB_ENOMEM;                       \
		(p) = q_;                                          \
		calib_memory_large(q_, cap * sizeof *(p));         \
	} while (0)
	GROW(s->eval_item);
	GROW(s->eval_rater);
	if (!((struct tables *)s->item_hash_)->chain_dropped)
		GROW(((struct tables *)s->item_hash_)->eval_next);
	for (size_t i = 0; i < s->n_criteria; i++) {
		struct calib_criterion *c = &s->criteria[i];
		size_t size = code_size(c);
		char *q;
		if (cap - s->evals_cap_ > s->n_evals) {
			if (!(q = calloc(cap, size)))
				return CALIB_ENOMEM;
			calib_memory_large(q, cap * size);
			if (s->n_evals > 0)
				memcpy(q, c->codes_, s->n_evals * size);
			free(c->codes_);
		} else {
			if (!(q = realloc(c->codes_, cap * size)))
				return CALIB_ENOMEM;
			calib_memory_large(q, cap * size);
			memset(q + s->evals_cap_ * size, 0, (cap - s->evals_cap_) * size);
		}
		c->codes_ = q;
	}
#undef GROW
	s->evals_cap_ = cap;
	return CALIB_OK;
}

/* Make room for one more evaluation in every per-evaluation array. */
static enum calib_status
evals_reserve(struct calib_store *s)
{
	if (s->n_evals < s->evals_cap_)
		return CALIB_OK;
	return evals_grow(s, s->evals_cap_ ? s->evals_cap_ + s->evals_cap_ / 2 : 1024);
}

enum calib_status
calib_store_reserve(struct calib_store *s, size_t n_evals)
{
	enum calib_status st;

	/* as many items at most, one evaluation each; the room untouched costs nothing */
	if (n_evals > s->items_cap_ && ((st = chain_restore(s)) || (st = items_grow(s, n_evals))))
		return st;
	if (n_evals <= s->evals_cap_)
		return CALIB_OK;
	return evals_grow(s, n_evals);
}

/* The item (sid, cid) of s, or CALIB_NONE; nothing is added. */
static uint32_t
item_find(const struct calib_store *s, uint32_t sid, uint32_t cid)
{
	const struct tables *t = s->item_hash_;
	struct eval_key k = { sid, cid };

	if (sid == CALIB_NONE || cid >= t->calls_cap)
		return CALIB_NONE;
	for (uint32_t it = t->call_item[cid]; it != CALIB_NONE; it = t->item_next[it])
		if (s->item_session[it] == sid)
			return it;
	if (t->call_items[cid] < ITEMS_MAX)
		return CALIB_NONE;
	return idset_get(&t->items, idset_probe(&t->items, mix64(((uint64_t)sid << 32) | cid),
	                                        item_eq, s, &k));
}

/* The evaluation (item, rid) of s, or CALIB_NONE; nothing is added. */
static uint32_t
eval_find(const struct calib_store *s, uint32_t item, uint32_t rid)
{
	const struct tables *t = s->item_hash_;
	struct eval_key k = { item, rid };

	if (item == CALIB_NONE || rid == CALIB_NONE)
		return CALIB_NONE;
	for (uint32_t e = t->item_first[item]; e != CALIB_NONE; e = t->eval_next[e])
		if (s->eval_rater[e] == rid)
			return e;
	if (t->item_chain[item] < CHAIN_MAX)
		return CALIB_NONE;
	return idset_get(&t->evals, idset_probe(&t->evals, mix64(((uint64_t)item << 32) | rid),
	                                        eval_eq, s, &k));
}

/*
 * The chains' links again, after calib_store_finish() let them go (the
 * grouped evaluations hold the same thing while nothing is added): an
 * item's chain is its first item_chain evaluations, newest first.
 */
static enum calib_status
chain_restore(struct calib_store *s)
{
	struct tables *t = s->item_hash_;

	if (!t->chain_dropped)
		return CALIB_OK;
	t->eval_next = malloc((s->evals_cap_ ? s->evals_cap_ : 1) * sizeof *t->eval_next);
	t->item_first = malloc((s->items_cap_ ? s->items_cap_ : 1) * sizeof *t->item_first);
	t->item_chain = malloc(s->items_cap_ ? s->items_cap_ : 1);
	if (!t->eval_next || !t->item_first || !t->item_chain) {
		free(t->eval_next);
		free(t->item_first);
		free(t->item_chain);
		t->eval_next = t->item_first = NULL;
		t->item_chain = NULL;
		return CALIB_ENOMEM;
	}
	calib_memory_large(t->eval_next, s->evals_cap_ * sizeof *t->eval_next);
	for (size_t it = 0; it < t->chain_items; it++) {
		size_t n = s->item_off[it + 1] - s->item_off[it];
		uint32_t older = CALIB_NONE;
		t->item_chain[it] = (uint8_t)(n < CHAIN_MAX ? n : CHAIN_MAX);
		for (size_t k = 0; k < t->item_chain[it]; k++) {
			uint32_t e = s->item_evals[s->item_off[it] + k];
			t->eval_next[e] = older;
			older = e;
		}
		t->item_first[it] = older;
	}
	t->chain_dropped = false;
	return CALIB_OK;
}

enum calib_status
calib_store_eval(struct calib_store *s, const char *session, size_t session_len,
		 const char *call, size_t call_len, const char *rater, size_t rater_len,
		 uint32_t file, uint32_t line, uint32_t *eval, bool *created)
{
	uint32_t sid, cid, rid, item;
	enum calib_status st;

	if ((st = calib_names_intern(s->sessions, session ? session : "", session ? session_len : 0, &sid)) ||
	    (st = calib_names_intern(s->calls, call, call_len, &cid)) ||
	    (st = calib_names_intern(s->raters, rater, rater_len, &rid)) ||
	    (st = calib_store_item(s, sid, cid, &item)))
		return st;
	return calib_store_eval_of(s, item, rid, file, line, eval, created);
}

/* Room for cap items in every per-item array. */
static enum calib_status
items_grow(struct calib_store *s, size_t cap)
{
	struct tables *t = s->item_hash_;
	uint32_t *a, *b, *f, *x;
	uint8_t *c;

	if (cap >= CALIB_NONE)
		return CALIB_ELIMIT;
	if (!(a = realloc(s->item_session, cap * sizeof *a)))
		return CALIB_ENOMEM;
	s->item_session = a;
	if (!(b = realloc(s->item_call, cap * sizeof *b)))
		return CALIB_ENOMEM;
	s->item_call = b;
	if (!(f = realloc(t->item_first, cap * sizeof *f)))
		return CALIB_ENOMEM;
	t->item_first = f;
	if (!(c = realloc(t->item_chain, cap * sizeof *c)))
		return CALIB_ENOMEM;
	t->item_chain = c;
	if (!(x = realloc(t->item_next, cap * sizeof *x)))
		return CALIB_ENOMEM;
	t->item_next = x;
	s->items_cap_ = cap;
	calib_memory_large(a, cap * sizeof *a);
	calib_memory_large(b, cap * sizeof *b);
	calib_memory_large(f, cap * sizeof *f);
	calib_memory_large(x, cap * sizeof *x);
	return CALIB_OK;
}

/* Room in the calls' chains for calls 0..want, the new ones empty. */
static enum calib_status
calls_grow(struct tables *t, size_t want)
{
	size_t cap = t->calls_cap ? 2 * t->calls_cap : 1024;
	uint32_t *a;
	uint8_t *n;

	while (cap <= want)
		cap *= 2;
	if (!(a = realloc(t->call_item, cap * sizeof *a)))
		return CALIB_ENOMEM;
	t->call_item = a;
	if (!(n = realloc(t->call_items, cap)))
		return CALIB_ENOMEM;
	t->call_items = n;
	for (size_t c = t->calls_cap; c < cap; c++) {
		a[c] = CALIB_NONE;
		n[c] = 0;
	}
	t->calls_cap = cap;
	calib_memory_large(a, cap * sizeof *a);
	return CALIB_OK;
}

enum calib_status
calib_store_item(struct calib_store *s, uint32_t sid, uint32_t cid, uint32_t *item_out)
{
	struct tables *t = s->item_hash_;
	uint32_t item;

	if (t->last_item != CALIB_NONE && t->last_sid == sid && t->last_cid == cid)
		item = t->last_item;
	else
		item = item_find(s, sid, cid);
	if (item == CALIB_NONE) {
		enum calib_status st = chain_restore(s);
		if (st)
			return st;
		if (cid >= t->calls_cap && (st = calls_grow(t, cid)))
			return st;
		if (s->n_items == s->items_cap_ &&
		    (st = items_grow(s, s->items_cap_ ? 2 * s->items_cap_ : 1024)))
			return st;
		item = (uint32_t)s->n_items;
		s->item_session[item] = sid;
		s->item_call[item] = cid;
		t->item_first[item] = CALIB_NONE;
		t->item_chain[item] = 0;
		if (t->call_items[cid] < ITEMS_MAX) {
			t->item_next[item] = t->call_item[cid];
			t->call_item[cid] = item;
			t->call_items[cid]++;
		} else if (!idset_insert(&t->items, mix64(((uint64_t)sid << 32) | cid), item)) {
			return CALIB_ENOMEM;
		}
		s->n_items++;
	}
	t->last_sid = sid;
	t->last_cid = cid;
	t->last_item = item;
	*item_out = item;
	return CALIB_OK;
}

/*
 * A run of evaluations: those from first on, read from one input, whose
 * lines go line, line + step, line + 2 step, ... (step NO_STEP while the
 * run holds one evaluation).
 */
struct calib_eval_run_ {
	uint32_t first, file, line, step;
};

#define NO_STEP UINT32_MAX

/* Evaluation n_evals comes from file at line: in the last run when it follows on, or a new one. */
static enum calib_status
eval_run(struct calib_store *s, uint32_t file, uint32_t line)
{
	struct calib_eval_run_ *r = s->n_runs_ ? &s->runs_[s->n_runs_ - 1] : NULL;

	if (r && r->file == file) {
		uint64_t k = s->n_evals - r->first;
		if (r->step == NO_STEP && k == 1 && line >= r->line && line - r->line < NO_STEP) {
			r->step = line - r->line;
			return CALIB_OK;
		}
		if (r->step != NO_STEP && r->line + k * r->step == line)
			return CALIB_OK;
	}
	if (s->n_runs_ == s->runs_cap_) {
		size_t cap = s->runs_cap_ ? 2 * s->runs_cap_ : 8;
		struct calib_eval_run_ *a = realloc(s->runs_, cap * sizeof *a);
		if (!a)
			return CALIB_ENOMEM;
		s->runs_ = a;
		s->runs_cap_ = cap;
	}
	s->runs_[s->n_runs_++] = (struct calib_eval_run_){ (uint32_t)s->n_evals, file, line,
	                                                   NO_STEP };
	return CALIB_OK;
}

/* The run of evaluation e (< n_evals): the last starting at or before it. */
static const struct calib_eval_run_ *
run_of(const struct calib_store *s, size_t e)
{
	size_t lo = 0, hi = s->n_runs_;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->runs_[mid].first <= e)
			lo = mid;
		else
			hi = mid;
	}
	return &s->runs_[lo];
}

uint32_t
calib_store_eval_file(const struct calib_store *s, size_t e)
{
	return s->n_runs_ ? run_of(s, e)->file : 0;
}

uint32_t
calib_store_eval_line(const struct calib_store *s, size_t e)
{
	const struct calib_eval_run_ *r;

	if (!s->n_runs_)
		return 0;
	r = run_of(s, e);
	return r->step == NO_STEP ? r->line : (uint32_t)(r->line + (uint64_t)(e - r->first) * r->step);
}

enum calib_status
calib_store_eval_of(struct calib_store *s, uint32_t item, uint32_t rid, uint32_t file,
		    uint32_t line, uint32_t *eval, bool *created)
{
	struct tables *t = s->item_hash_;
	enum calib_status st;

	if ((st = chain_restore(s)))
		return st;
	if ((*eval = eval_find(s, item, rid)) != CALIB_NONE) {
		*created = false;
		return CALIB_OK;
	}
	if ((st = evals_reserve(s)))
		return st;
	s->eval_item[s->n_evals] = item;
	s->eval_rater[s->n_evals] = rid;
	if ((st = eval_run(s, file, line)))
		return st;
	if (t->item_chain[item] < CHAIN_MAX) {
		t->eval_next[s->n_evals] = t->item_first[item];
		t->item_first[item] = (uint32_t)s->n_evals;
		t->item_chain[item]++;
	} else if (!idset_insert(&t->evals, mix64(((uint64_t)item << 32) | rid),
	                         (uint32_t)s->n_evals)) {
		return CALIB_ENOMEM;
	}
	*eval = (uint32_t)s->n_evals++;
	*created = true;
	s->finished = false;
	return CALIB_OK;
}

/* The levels of c for a message, "no|partly|yes", cut with "..." (buf of n >= 16 bytes). */
static const char *
levels_text(const struct calib_criterion *c, char *buf, size_t n)
{
	size_t o = 0, k;
	char one[64];

	buf[0] = '\0';
	for (k = 0; k < c->n_levels; k++) {
		const char *t = calib_store_code_text(c, (uint16_t)(k + CALIB_CODE_LEVEL), one,
		                                      sizeof one);
		size_t len = strlen(t);
		if (o + len + 5 >= n) {
			memcpy(buf + o, k ? "|..." : "...", k ? 5 : 4);
			return buf;
		}
		if (k)
			buf[o++] = '|';
		memcpy(buf + o, t, len + 1);
		o += len;
	}
	return buf;
}

enum calib_status
calib_store_merge_sessions(struct calib_store *s, const char *const *name, size_t n_names,
			   const uint32_t *to, int dup, struct calib_error *err)
{
	struct tables *t = s->item_hash_;
	struct calib_names *names = calib_names_alloc();
	size_t ni = s->n_items, ne = s->n_evals;
	uint32_t *was = malloc((2 * ni + 4 * ne + 1) * sizeof *was);
	uint32_t *isess = was, *icall = isess + ni, *eitem = icall + ni;
	uint32_t *erater = eitem + ne, *eline = erater + ne, *efile = eline + ne;
	struct idset items = {0}, evals = {0};
	enum calib_status st = CALIB_ENOMEM;

	/* the chains as they were, before the items are made again */
	if (!names || !was || chain_restore(s) || !idset_init(&items, 1024) ||
	    !idset_init(&evals, 1024))
		goto out;
	for (size_t i = 0; i < n_names; i++) {
		uint32_t id;
		if (calib_names_intern(names, name[i], strlen(name[i]), &id))
			goto out;
	}
	memcpy(isess, s->item_session, ni * sizeof *isess);
	memcpy(icall, s->item_call, ni * sizeof *icall);
	memcpy(eitem, s->eval_item, ne * sizeof *eitem);
	memcpy(erater, s->eval_rater, ne * sizeof *erater);
	for (size_t e = 0; e < ne; e++) {
		eline[e] = calib_store_eval_line(s, e);
		efile[e] = calib_store_eval_file(s, e);
	}
	free(t->items.slot);
	free(t->evals.slot);
	t->items = items;
	t->evals = evals;
	items.slot = evals.slot = NULL;
	t->last_item = CALIB_NONE;
	for (size_t c = 0; c < t->calls_cap; c++) {
		t->call_item[c] = CALIB_NONE;
		t->call_items[c] = 0;
	}
	calib_names_free(s->sessions);
	s->sessions = names;
	names = NULL;
	/*
	 * Items, then evaluations, again in arrival order: each lands at an
	 * index no later than its old one, so the arrays are rewritten in
	 * place, and the codes of evaluation e are still there when e is.
	 */
	s->n_items = 0;
	for (size_t i = 0; i < ni; i++)
		if ((st = calib_store_item(s, to[isess[i]], icall[i], &isess[i])))
			goto out;
	s->n_evals = 0;
	s->n_runs_ = 0;
	for (size_t e = 0; e < ne; e++) {
		uint32_t into;
		bool created;
		if ((st = calib_store_eval_of(s, isess[eitem[e]], erater[e], efile[e], eline[e],
					      &into, &created)))
			goto out;
		for (size_t c = 0; c < s->n_criteria; c++) {
			struct calib_criterion *cr = &s->criteria[c];
			uint16_t v = calib_code(cr, e);
			if (created || calib_code(cr, into) == CALIB_CODE_ABSENT || dup == 2) {
				if (created || v != CALIB_CODE_ABSENT)
					calib_code_swap(cr, into, v);
			} else if (v != CALIB_CODE_ABSENT && dup != 1) {
				uint32_t item = s->eval_item[into];
				st = calib_error_set(
				        err, CALIB_EINPUT, s->files[efile[e]], eline[e], 0,
				        "duplicate rating of %.100s for call %.100s by rater "
				        "%.100s in session %.100s (first at %.200s:%lu)",
				        s->criteria[c].name,
				        calib_names_get(s->calls, s->item_call[item]),
				        calib_names_get(s->raters, erater[e]),
				        calib_names_get(s->sessions, s->item_session[item]),
				        s->files[calib_store_eval_file(s, into)],
				        (unsigned long)calib_store_eval_line(s, into));
				goto out;
			}
		}
	}
	for (size_t c = 0; c < s->n_criteria; c++) {
		size_t size = code_size(&s->criteria[c]);
		memset((char *)s->criteria[c].codes_ + s->n_evals * size, 0,
		       (ne - s->n_evals) * size);
	}
	s->finished = false;
	st = calib_store_finish(s);
out:
	free(items.slot);
	free(evals.slot);
	calib_names_free(names);
	free(was);
	return st;
}

enum calib_status
calib_store_value_code(struct calib_store *s, uint32_t crit, double value,
		       uint16_t *code, struct calib_error *err)
{
	struct calib_criterion *c = &s->criteria[crit];
	struct levels *l;
	char buf[64], lv[200];
	uint32_t k;
	size_t i;
	enum calib_status st;

	if (c->labelled)
		return calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
				       "number %s in labelled criterion \"%s\"",
				       calib_format_double(value, buf, sizeof buf), c->name);
	if ((!isnan(c->min) && value < c->min) || (!isnan(c->max) && value > c->max)) {
		char lo[64], hi[64];
		return calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
				       "score %s outside the range of \"%s\" (%s to %s)",
				       calib_format_double(value, buf, sizeof buf), c->name,
				       isnan(c->min) ? "-inf" : calib_format_double(c->min, lo, sizeof lo),
				       isnan(c->max) ? "inf" : calib_format_double(c->max, hi, sizeof hi));
	}
	if (!(l = levels_of(c)))
		return CALIB_ENOMEM;
	if (value == 0)
		value = 0;
	i = idset_probe(&l->set, hash_double(value), level_eq, c, &value);
	if (idset_get(&l->set, i) != CALIB_NONE) {
		*code = (uint16_t)(idset_get(&l->set, i) + CALIB_CODE_LEVEL);
		return CALIB_OK;
	}
	if (c->levels_fixed)
		return calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
				       "score %s is not a level of \"%s\" (%s)",
				       calib_format_double(value, buf, sizeof buf), c->name,
				       levels_text(c, lv, sizeof lv));
	if ((st = level_add(s, c, value, NULL, 0, &k)) != CALIB_OK)
		return st == CALIB_ELIMIT ? calib_error_set(err, CALIB_ELIMIT, NULL, 0, 0,
							    "criterion \"%s\" has more than %u distinct scores",
							    c->name, CALIB_MAX_LEVELS)
					  : st;
	if (k > 0 && c->value[k - 1] > value)
		c->sorted_ = false;
	*code = (uint16_t)(k + CALIB_CODE_LEVEL);
	return CALIB_OK;
}

enum calib_status
calib_store_label_code(struct calib_store *s, uint32_t crit, const char *label,
		       size_t len, uint16_t *code, struct calib_error *err)
{
	struct calib_criterion *c = &s->criteria[crit];
	struct levels *l;
	char *lower, lv[200];
	uint32_t id, k;
	enum calib_status st;

	/* labels fit a criterion without numbers whose scale, if declared, is categorical */
	if (!c->labelled &&
	    (c->n_levels > 0 || (c->declared && c->scale != CALIB_SCALE_BINARY &&
				 c->scale != CALIB_SCALE_NOMINAL && c->scale != CALIB_SCALE_UNKNOWN)))
		return calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
				       "\"%.*s\" is not a number (criterion \"%s\" is numeric)",
				       (int)(len > 60 ? 60 : len), label, c->name);
	if (!(l = levels_of(c)) || !(lower = lower_copy(label, len)))
		return CALIB_ENOMEM;
	id = l->labels ? calib_names_find(l->labels, lower, len) : CALIB_NONE;
	free(lower);
	if (id != CALIB_NONE) {
		*code = (uint16_t)(id + CALIB_CODE_LEVEL);
		return CALIB_OK;
	}
	if (c->levels_fixed)
		return calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
				       "\"%.*s\" is not a level of \"%s\" (%s)",
				       (int)(len > 60 ? 60 : len), label, c->name,
				       levels_text(c, lv, sizeof lv));
	if ((st = level_add(s, c, (double)(c->n_levels + 1), label, len, &k)) != CALIB_OK)
		return st == CALIB_ELIMIT ? calib_error_set(err, CALIB_ELIMIT, NULL, 0, 0,
							    "criterion \"%s\" has more than %u distinct labels",
							    c->name, CALIB_MAX_LEVELS)
					  : st;
	c->labelled = true;
	if (c->n_levels > 1 && strcmp(c->label[k - 1], c->label[k]) > 0)
		c->sorted_ = false;
	*code = (uint16_t)(k + CALIB_CODE_LEVEL);
	return CALIB_OK;
}

enum calib_status
calib_store_put(struct calib_store *s, uint32_t eval, uint32_t crit, uint16_t code,
		uint16_t *previous)
{
	uint16_t was = calib_code_swap(&s->criteria[crit], eval, code);
	if (previous)
		*previous = was;
	s->finished = false;
	return CALIB_OK;
}

/* ---- finishing -------------------------------------------------------- */

static const struct calib_criterion *sort_crit; /* qsort has no context */

static int
cmp_level(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	if (sort_crit->labelled)
		return strcmp(sort_crit->label[i], sort_crit->label[j]);
	return cmp_double(&sort_crit->value[i], &sort_crit->value[j]);
}

/*
 * Criterion c's codes recoded (recode[code], when not NULL) and counted
 * (n_scored, n_missing, n_na) in one pass over them.
 */
static void
codes_settle(const struct calib_store *s, struct calib_criterion *c, const uint16_t *recode)
{
	size_t scored = 0, missing = 0, na = 0;
	bool wide = c->wide_;
	void *codes = c->codes_;

	for (size_t e = 0; e < s->n_evals; e++) {
		uint16_t code = calib_code_in(codes, wide, e);
		if (recode) {
			code = recode[code];
			calib_code_set_in(codes, wide, e, code);
		}
		scored += code >= CALIB_CODE_LEVEL;
		missing += code == CALIB_CODE_MISSING;
		na += code == CALIB_CODE_NA;
	}
	c->n_scored = scored;
	c->n_missing = missing;
	c->n_na = na;
}

/*
 * Put the levels of an undeclared criterion in increasing order; the codes
 * are left to be recoded with recode (room for CALIB_CODE_LEVEL + levels).
 */
static enum calib_status
sort_levels(struct calib_criterion *c, uint16_t *recode)
{
	size_t q = c->n_levels;
	uint32_t *order = malloc((q ? q : 1) * sizeof *order);
	double *v = malloc((q ? q : 1) * sizeof *v);
	char **lb = c->label ? malloc((q ? q : 1) * sizeof *lb) : NULL;

	if (!order || !v || (c->label && !lb)) {
		free(order);
		free(v);
		free(lb);
		return CALIB_ENOMEM;
	}
	for (size_t k = 0; k < q; k++)
		order[k] = (uint32_t)k;
	sort_crit = c;
	qsort(order, q, sizeof *order, cmp_level);
	for (uint16_t k = 0; k < CALIB_CODE_LEVEL; k++)
		recode[k] = k;
	for (size_t k = 0; k < q; k++) {
		recode[order[k] + CALIB_CODE_LEVEL] = (uint16_t)(k + CALIB_CODE_LEVEL);
		v[k] = c->labelled ? (double)(k + 1) : c->value[order[k]];
		if (lb)
			lb[k] = c->label[order[k]];
	}
	free(c->value);
	c->value = v;
	if (lb) {
		free(c->label);
		c->label = lb;
	}
	free(order);
	/* the value lookup now points at the wrong levels: rebuild on demand */
	levels_free(c);
	c->sorted_ = true;
	return CALIB_OK;
}

/*
 * Give the labels of an undeclared criterion their order: a recognised
 * set's, with the levels nobody used added (spelt with a capital when every
 * label observed starts with one), or their text's when they are in no
 * set (nominal: the order is for display only). When the levels move, the
 * codes are left to be recoded with recode (room for CALIB_CODE_LEVEL +
 * levels) and *recoded is set.
 */
static enum calib_status
order_labels(struct calib_criterion *c, uint16_t *recode, bool *recoded)
{
	size_t q = c->n_levels, rank[CALIB_LABELS_MAX_LEVELS], which = CALIB_LABELS_NONE, nq;
	const struct calib_label_set *set;
	char **lb;
	double *v;
	bool capital = true;

	if (q <= CALIB_LABELS_MAX_LEVELS)
		which = calib_labels_match((const char *const *)c->label, q, rank);
	if (which == CALIB_LABELS_NONE) {
		c->order = NULL;
		if (c->sorted_)
			return CALIB_OK;
		*recoded = true;
		return sort_levels(c, recode);
	}
	set = calib_labels_set(which);
	nq = set->n_levels;
	lb = calloc(nq, sizeof *lb);
	v = malloc(nq * sizeof *v);
	if (!lb || !v)
		goto nomem;
	for (size_t k = 0; k < q; k++) {
		lb[rank[k]] = c->label[k];
		capital &= isupper((unsigned char)c->label[k][0]) != 0;
	}
	for (size_t k = 0; k < nq; k++) {
		v[k] = (double)(k + 1);
		if (!lb[k]) {
			char buf[64];
			calib_labels_level(set, k, capital, buf, sizeof buf);
			if (!(lb[k] = strdup(buf)))
				goto nomem;
		}
	}
	for (uint16_t k = 0; k < CALIB_CODE_LEVEL; k++)
		recode[k] = k;
	for (size_t k = 0; k < q; k++)
		recode[CALIB_CODE_LEVEL + k] = (uint16_t)(CALIB_CODE_LEVEL + rank[k]);
	*recoded = true;
	free(c->label);
	free(c->value);
	c->label = lb;
	c->value = v;
	c->n_levels = nq;
	c->order = set->name;
	/* the label lookup now points at the wrong levels: rebuild on demand */
	levels_free(c);
	c->sorted_ = true;
	return CALIB_OK;
nomem:
	for (size_t k = 0; lb && k < nq; k++) {
		bool observed = false;
		for (size_t i = 0; i < q; i++)
			observed |= rank[i] == k;
		if (!observed)
			free(lb[k]);
	}
	free(lb);
	free(v);
	return CALIB_ENOMEM;
}

bool
calib_store_ordered(const struct calib_criterion *c)
{
	/* labels the data brought (no rubric levels) are ordered only by a set */
	return c->scale != CALIB_SCALE_NOMINAL && !(c->labelled && !c->levels_fixed && !c->order);
}

const char *
calib_store_scale_note(const struct calib_criterion *c, char *buf, size_t n)
{
	const char *part[3];
	size_t k = 0, len = 0;

	if (c->order)
		part[k++] = NULL; /* the set's name goes in below */
	else if (c->labelled && !c->levels_fixed)
		part[k++] = "labels of no known order: agreement only, no direction or points; "
			    "declare the order in the rubric";
	if (c->percent)
		part[k++] = c->declared ? "percent: 85% read as 85"
					: "percent: 85% read as 85, on a 0..100 scale";
	if (c->decimal_comma)
		part[k++] = "decimal commas: 4,5 read as 4.5";
	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < k && len < n; i++) {
		int w = part[i] ? snprintf(buf + len, n - len, "%s%s", i ? "; " : "", part[i])
				: snprintf(buf + len, n - len, "order %s (a recognised label set)",
					   c->order);
		len += w > 0 ? (size_t)w : 0;
	}
	return buf;
}

static void
infer_scale(struct calib_criterion *c)
{
	bool integers = true;
	size_t q = c->n_levels;

	if (c->declared && c->scale != CALIB_SCALE_UNKNOWN)
		return;
	c->scale_inferred = true;
	if (q == 0) {
		c->scale = CALIB_SCALE_UNKNOWN;
		return;
	}
	if (c->labelled) {
		c->scale = !c->order ? CALIB_SCALE_NOMINAL
			   : q == 2  ? CALIB_SCALE_BINARY
				     : CALIB_SCALE_ORDINAL;
		return;
	}
	for (size_t k = 0; k < q; k++)
		if (c->value[k] != floor(c->value[k]))
			integers = false;
	if (q <= 2 && integers && c->value[0] >= 0 && c->value[q - 1] <= 1)
		c->scale = CALIB_SCALE_BINARY;
	else if (q == 2)
		c->scale = CALIB_SCALE_BINARY;
	else if (integers && c->value[q - 1] - c->value[0] <= 10)
		c->scale = CALIB_SCALE_ORDINAL;
	else
		c->scale = CALIB_SCALE_INTERVAL;
}

/* The finish's work after the levels' order: each criterion's codes, and the grouping by item. */
struct finish_job {
	struct calib_store *s;
	uint16_t **recode; /* per criterion: its recoding, or NULL */
	size_t *off;       /* n_items + 1 */
	uint32_t *by_item; /* n_evals */
};

/* Evaluations grouped by item into off and by_item: a counting sort, stable. */
static void
group_by_item(const struct calib_store *s, size_t *off, uint32_t *by_item)
{
	for (size_t e = 0; e < s->n_evals; e++)
		off[s->eval_item[e] + 1]++;
	for (size_t i = 0; i < s->n_items; i++)
		off[i + 1] += off[i];
	for (size_t e = 0; e < s->n_evals; e++)
		by_item[off[s->eval_item[e]]++] = (uint32_t)e;
	for (size_t i = s->n_items; i > 0; i--)
		off[i] = off[i - 1];
	off[0] = 0;
}

/* Task i of the finish: 0 the grouping, i > 0 criterion i - 1's codes. */
static void
finish_task(void *ctx, size_t i, unsigned w)
{
	struct finish_job *j = ctx;

	(void)w;
	if (i == 0)
		group_by_item(j->s, j->off, j->by_item);
	else
		codes_settle(j->s, &j->s->criteria[i - 1], j->recode[i - 1]);
}

/* A store this small is finished on one thread: a thread costs more than its share. */
#define FINISH_PARALLEL_MIN ((size_t)1 << 18)

enum calib_status
calib_store_finish_on(struct calib_store *s, unsigned threads)
{
	struct finish_job j = { .s = s };
	struct tables *t;
	enum calib_status st = CALIB_ENOMEM;
	size_t nc = s->n_criteria;

	if (s->finished)
		return CALIB_OK;
	if (!(j.recode = calloc(nc ? nc : 1, sizeof *j.recode)))
		return CALIB_ENOMEM;
	/* the levels' new order first, criterion by criterion (qsort's sort_crit is one) */
	for (size_t i = 0; i < nc; i++) {
		struct calib_criterion *c = &s->criteria[i];
		uint16_t *recode = malloc((CALIB_CODE_LEVEL + c->n_levels) * sizeof *recode);
		bool recoded = false;
		if (!recode)
			goto out;
		st = CALIB_OK;
		if (c->labelled && !c->levels_fixed) {
			st = order_labels(c, recode, &recoded);
		} else if (!c->levels_fixed && !c->sorted_) {
			st = sort_levels(c, recode);
			recoded = true;
		}
		if (!recoded)
			free(recode);
		else
			j.recode[i] = recode;
		if (st)
			goto out;
		infer_scale(c);
		if (c->percent && !c->declared && c->n_levels > 0) {
			/* a percentage is out of 100: the range of points and deviations */
			c->min = fmin(0, c->value[0]);
			c->max = fmax(100, c->value[c->n_levels - 1]);
		}
	}
	st = CALIB_ENOMEM;
	j.off = calloc(s->n_items + 1, sizeof *j.off);
	j.by_item = malloc((s->n_evals ? s->n_evals : 1) * sizeof *j.by_item);
	if (!j.off || !j.by_item) {
		free(j.off);
		free(j.by_item);
		goto out;
	}
	calib_memory_large(j.off, (s->n_items + 1) * sizeof *j.off);
	calib_memory_large(j.by_item, s->n_evals * sizeof *j.by_item);
	/* then the long passes, each over its own arrays, over the threads asked */
	calib_parallel_for(nc + 1, s->n_evals * (nc + 1) < FINISH_PARALLEL_MIN ? 1 : threads,
	                   finish_task, &j);
	free(s->item_off);
	free(s->item_evals);
	s->item_off = j.off;
	s->item_evals = j.by_item;
	s->finished = true;
	/* the grouped evaluations stand for the chains' links until more are added */
	t = s->item_hash_;
	free(t->eval_next);
	free(t->item_first);
	free(t->item_chain);
	t->eval_next = t->item_first = NULL;
	t->item_chain = NULL;
	t->chain_items = s->n_items;
	t->chain_dropped = true;
	st = CALIB_OK;
out:
	for (size_t i = 0; i < nc; i++)
		free(j.recode[i]);
	free(j.recode);
	return st;
}

enum calib_status
calib_store_finish(struct calib_store *s)
{
	return calib_store_finish_on(s, 1);
}

double
calib_store_code_value(const struct calib_criterion *c, uint16_t code)
{
	if (code < CALIB_CODE_LEVEL || code - CALIB_CODE_LEVEL >= c->n_levels)
		return NAN;
	return c->value[code - CALIB_CODE_LEVEL];
}

const char *
calib_store_code_text(const struct calib_criterion *c, uint16_t code, char *buf, size_t n)
{
	if (code == CALIB_CODE_NA)
		snprintf(buf, n, "N/A");
	else if (code < CALIB_CODE_LEVEL || code - CALIB_CODE_LEVEL >= c->n_levels)
		snprintf(buf, n, "%s", "");
	else if (c->labelled)
		snprintf(buf, n, "%s", c->label[code - CALIB_CODE_LEVEL]);
	else
		calib_format_double(c->value[code - CALIB_CODE_LEVEL], buf, n);
	return buf;
}

/* Copy the definition of criterion from (not its ratings) into criterion c of t. */
static enum calib_status
copy_criterion(const struct calib_store *t, struct calib_criterion *c,
               const struct calib_criterion *from)
{
	size_t q = from->n_levels;

	c->scale = from->scale;
	c->declared = from->declared;
	c->levels_fixed = from->levels_fixed;
	c->labelled = from->labelled;
	c->scale_inferred = from->scale_inferred;
	c->order = from->order;
	c->percent = from->percent;
	c->decimal_comma = from->decimal_comma;
	c->min = from->min;
	c->max = from->max;
	c->weight = from->weight;
	c->section = from->section;
	c->critical = from->critical;
	c->no_na = from->no_na;
	c->sorted_ = true;
	if (!(c->value = malloc((q ? q : 1) * sizeof *c->value)))
		return CALIB_ENOMEM;
	memcpy(c->value, from->value, q * sizeof *c->value);
	if (from->label) {
		if (!(c->label = calloc(q ? q : 1, sizeof *c->label)))
			return CALIB_ENOMEM;
		for (size_t k = 0; k < q; k++)
			if (!(c->label[k] = strdup(from->label[k])))
				return CALIB_ENOMEM; /* the labels so far are freed with c */
	}
	c->n_levels = q;
	return codes_fit(t, c, q);
}

enum calib_status
calib_store_session_subset(const struct calib_store *s, uint32_t session,
                           struct calib_store **out)
{
	struct calib_store *t = calib_store_alloc();
	const char *name;
	enum calib_status st = CALIB_ENOMEM;
	uint32_t id;

	*out = NULL;
	if (session >= calib_names_count(s->sessions)) {
		calib_store_free(t);
		return CALIB_EARG;
	}
	if (!t)
		return CALIB_ENOMEM;
	name = calib_names_get(s->sessions, session);
	for (size_t i = 0; i < s->n_files; i++)
		if ((st = calib_store_add_file(t, s->files[i], &id)))
			goto fail;
	/* the sections in their order, so that a criterion's section id holds */
	for (size_t i = 0; i < calib_names_count(s->sections); i++) {
		const char *sec = calib_names_get(s->sections, (uint32_t)i);
		if ((st = calib_names_intern(t->sections, sec, strlen(sec), &id)))
			goto fail;
	}
	for (size_t c = 0; c < s->n_criteria; c++) {
		const struct calib_criterion *from = &s->criteria[c];
		if ((st = calib_store_criterion(t, from->name, strlen(from->name), &id)) ||
		    (st = copy_criterion(t, &t->criteria[id], from)))
			goto fail;
	}
	for (size_t e = 0; e < s->n_evals; e++) {
		uint32_t item = s->eval_item[e], ev;
		const char *call, *rater;
		bool created;
		if (s->item_session[item] != session)
			continue;
		call = calib_names_get(s->calls, s->item_call[item]);
		rater = calib_names_get(s->raters, s->eval_rater[e]);
		if ((st = calib_store_eval(t, name, strlen(name), call, strlen(call), rater,
		                           strlen(rater), calib_store_eval_file(s, e),
		                           calib_store_eval_line(s, e), &ev,
		                           &created)))
			goto fail;
		for (size_t c = 0; c < s->n_criteria; c++) {
			uint16_t previous;
			if ((st = calib_store_put(t, ev, (uint32_t)c, calib_code(&s->criteria[c], e),
			                          &previous)))
				goto fail;
		}
	}
	/* a session without a rating is still named */
	if ((st = calib_names_intern(t->sessions, name, strlen(name), &id)) ||
	    (st = calib_store_finish(t)))
		goto fail;
	*out = t;
	return CALIB_OK;
fail:
	calib_store_free(t);
	return st;
}


/* ---- reading in parts --------------------------------------------------- */

enum calib_status
calib_store_part(const struct calib_store *s, struct calib_store **out)
{
	struct calib_store *t = calib_store_alloc();
	enum calib_status st = CALIB_ENOMEM;
	uint32_t id;

	*out = NULL;
	if (!t)
		return CALIB_ENOMEM;
	for (size_t i = 0; i < s->n_files; i++)
		if ((st = calib_store_add_file(t, s->files[i], &id)))
			goto fail;
	for (size_t c = 0; c < s->n_criteria; c++) {
		const struct calib_criterion *from = &s->criteria[c];
		if ((st = calib_store_criterion(t, from->name, strlen(from->name), &id)) ||
		    (st = copy_criterion(t, &t->criteria[id], from)))
			goto fail;
		t->criteria[id].sorted_ = from->sorted_;
	}
	*out = t;
	return CALIB_OK;
fail:
	calib_store_free(t);
	return st;
}

/*
 * Can criterion pc's levels join c's as reading them after c's would have
 * added them? Not when labels meet numbers, or when c would pass
 * CALIB_MAX_LEVELS. Nothing is added.
 */
static bool
levels_fit(struct calib_criterion *c, const struct calib_criterion *pc)
{
	struct levels *l;
	size_t more = 0;

	if (pc->n_levels == 0)
		return true;
	if (c->n_levels > 0 && pc->labelled != c->labelled)
		return false;
	if (c->n_levels == 0)
		return pc->n_levels <= CALIB_MAX_LEVELS;
	if (!(l = levels_of(c)))
		return false;
	for (size_t k = 0; k < pc->n_levels; k++) {
		uint32_t id;
		if (pc->labelled) {
			char *lower = lower_copy(pc->label[k], strlen(pc->label[k]));
			if (!lower)
				return false;
			id = l->labels ? calib_names_find(l->labels, lower, strlen(lower))
			               : CALIB_NONE;
			free(lower);
		} else {
			double v = pc->value[k];
			id = idset_get(&l->set, idset_probe(&l->set, hash_double(v), level_eq, c, &v));
		}
		more += id == CALIB_NONE;
	}
	return c->n_levels + more <= CALIB_MAX_LEVELS;
}

/*
 * Where each of part's names, items and evaluations goes in s (an id at
 * or past s's count: a new one, in part's order), found without changing s.
 */
struct join_plan {
	uint32_t *block;                      /* every array below */
	uint32_t *smap, *cmap, *rmap, *imap, *emap;
	uint32_t *stag, *ctag, *rtag;         /* the names' hashes (names_plan) */
	size_t new_s, new_c, new_r, new_items, new_evals;
};

/*
 * Plan joining part onto s, and whether it gives what reading part's
 * ratings after s's would give: CALIB_OK, CALIB_EINPUT (labels meeting
 * numbers, too many levels or evaluations, a rating in both under dup 0,
 * whose message needs the reader) or CALIB_ENOMEM. Nothing changes.
 */
static enum calib_status
join_plan(struct calib_store *s, const struct calib_store *part, int dup, struct join_plan *p)
{
	size_t ns = part->sessions->n, nc = part->calls->n, nr = part->raters->n;
	size_t ni = part->n_items, ne = part->n_evals, items0 = s->n_items, n0 = s->n_evals;
	size_t ks = s->sessions->n, kc = s->calls->n, kr = s->raters->n;

	memset(p, 0, sizeof *p);
	if (part->n_criteria != s->n_criteria || part->n_files != s->n_files ||
	    s->n_evals + part->n_evals >= CALIB_NONE)
		return CALIB_EINPUT;
	for (size_t c = 0; c < s->n_criteria; c++)
		if (!levels_fit(&s->criteria[c], &part->criteria[c]))
			return CALIB_EINPUT;
	if (!(p->block = malloc((2 * (ns + nc + nr) + ni + ne + 1) * sizeof *p->block)))
		return CALIB_ENOMEM;
	p->smap = p->block;
	p->cmap = p->smap + ns;
	p->rmap = p->cmap + nc;
	p->imap = p->rmap + nr;
	p->emap = p->imap + ni;
	p->stag = p->emap + ne;
	p->ctag = p->stag + ns;
	p->rtag = p->ctag + nc;
	p->new_s = names_plan(s->sessions, part->sessions, p->smap, p->stag);
	p->new_c = names_plan(s->calls, part->calls, p->cmap, p->ctag);
	p->new_r = names_plan(s->raters, part->raters, p->rmap, p->rtag);
	for (size_t i = 0; i < ni; i++) {
		uint32_t sid = p->smap[part->item_session[i]], cid = p->cmap[part->item_call[i]];
		uint32_t it = sid < ks && cid < kc ? item_find(s, sid, cid) : CALIB_NONE;
		p->imap[i] = it != CALIB_NONE ? it : (uint32_t)(items0 + p->new_items++);
	}
	for (size_t e = 0; e < ne; e++) {
		uint32_t it = p->imap[part->eval_item[e]], rid = p->rmap[part->eval_rater[e]];
		uint32_t into = it < items0 && rid < kr ? eval_find(s, it, rid) : CALIB_NONE;
		if (into == CALIB_NONE) {
			p->emap[e] = (uint32_t)(n0 + p->new_evals++);
			continue;
		}
		p->emap[e] = into;
		for (size_t c = 0; dup == 0 && c < s->n_criteria; c++)
			if (calib_code(&s->criteria[c], into) != CALIB_CODE_ABSENT &&
			    calib_code(&part->criteria[c], e) != CALIB_CODE_ABSENT) {
				free(p->block);
				p->block = NULL;
				return CALIB_EINPUT;
			}
	}
	return CALIB_OK;
}

/*
 * Free the per-evaluation arrays of a part once they are joined, so that
 * the part's memory goes while the store's grows (calib_store_free copes).
 */
static void
evals_let_go(struct calib_store *part)
{
	struct tables *t = part->item_hash_;

	free(part->eval_item);
	free(part->eval_rater);
	free(part->runs_);
	free(t->eval_next);
	free(t->evals.slot);
	part->eval_item = part->eval_rater = NULL;
	part->runs_ = NULL;
	part->n_runs_ = part->runs_cap_ = 0;
	t->eval_next = NULL;
	t->evals.slot = NULL;
	t->evals.cap = t->evals.n = 0;
}

/*
 * Criterion pc's codes of part's ne evaluations into sc's, part's
 * evaluation e as s's emap[e] and its code k as m[k]: into a new
 * evaluation (emap[e] >= n0), or one without this criterion's rating yet,
 * or any when dup is 2 (the last rating is kept).
 */
static inline __attribute__((always_inline)) void
join_codes_as(struct calib_criterion *sc, const struct calib_criterion *pc,
              const uint32_t *emap, size_t n0, size_t ne, const uint16_t *m, int dup,
              bool from_wide, bool to_wide)
{
	const void *from = pc->codes_;
	void *to = sc->codes_;

	for (size_t e = 0; e < ne; e++) {
		uint32_t into = emap[e];
		uint16_t v = calib_code_in(from, from_wide, e);
		if (v == CALIB_CODE_ABSENT ||
		    (into < n0 && calib_code_in(to, to_wide, into) != CALIB_CODE_ABSENT && dup != 2))
			continue;
		calib_code_set_in(to, to_wide, into, m[v]);
	}
}

/* (join_codes_as with the widths as constants: bytes to bytes, the common case, a loop of its own) */
static void
join_codes(struct calib_criterion *sc, const struct calib_criterion *pc, const uint32_t *emap,
           size_t n0, size_t ne, const uint16_t *m, int dup)
{
	if (!pc->wide_ && !sc->wide_)
		join_codes_as(sc, pc, emap, n0, ne, m, dup, false, false);
	else
		join_codes_as(sc, pc, emap, n0, ne, m, dup, pc->wide_, sc->wide_);
}

/* A join under way: its plan, and each criterion's map of part's codes to s's. */
struct join_job {
	struct calib_store *s, *part;
	const struct join_plan *p;
	size_t n0;           /* s's evaluations before the join */
	uint32_t line_shift;
	int dup;
	uint16_t **code_map; /* per criterion */
	enum calib_status st_rows, st_names; /* the items and evaluations', the names' */
};

/* part's new names added to s in part's order, at the ids planned. */
static enum calib_status
join_names(struct join_job *j)
{
	struct calib_store *s = j->s, *part = j->part;
	const struct join_plan *p = j->p;
	enum calib_status st;

	if ((st = names_join(s->sessions, part->sessions, p->smap, p->stag, p->new_s)) ||
	    (st = names_join(s->calls, part->calls, p->cmap, p->ctag, p->new_c)) ||
	    (st = names_join(s->raters, part->raters, p->rmap, p->rtag, p->new_r)))
		return st;
	return CALIB_OK;
}

/* part's new items and evaluations added to s in part's order, at the ids planned. */
static enum calib_status
join_rows(struct join_job *j)
{
	struct calib_store *s = j->s, *part = j->part;
	const struct join_plan *p = j->p;
	size_t items0 = s->n_items;
	enum calib_status st;

	for (size_t i = 0; i < part->n_items; i++) {
		uint32_t item;
		if (p->imap[i] < items0)
			continue;
		if ((st = calib_store_item(s, p->smap[part->item_session[i]],
		                           p->cmap[part->item_call[i]], &item)))
			return st;
	}
	for (size_t e = 0; e < part->n_evals; e++) {
		uint64_t line = (uint64_t)calib_store_eval_line(part, e) + j->line_shift;
		uint32_t eval;
		bool created;
		if (p->emap[e] < j->n0)
			continue;
		if ((st = calib_store_eval_of(s, p->imap[part->eval_item[e]],
		                              p->rmap[part->eval_rater[e]],
		                              calib_store_eval_file(part, e),
		                              line > UINT32_MAX ? UINT32_MAX : (uint32_t)line,
		                              &eval, &created)))
			return st;
	}
	return CALIB_OK;
}

/*
 * The join's three tasks, apart in memory, the longest first: 0 adds the
 * items and evaluations, 1 the names (the items and evaluations take
 * their ids from the plan, not from the names' tables), 2 copies every
 * criterion's codes to where the plan puts their evaluations. The room
 * and the codes' widths are settled before any starts, so none moves
 * what another uses.
 */
static void
join_task(void *ctx, size_t i, unsigned w)
{
	struct join_job *j = ctx;

	(void)w;
	if (i == 0) {
		j->st_rows = join_rows(j);
	} else if (i == 1) {
		j->st_names = join_names(j);
	} else {
		for (size_t c = 0; c < j->s->n_criteria; c++)
			join_codes(&j->s->criteria[c], &j->part->criteria[c], j->p->emap, j->n0,
			           j->part->n_evals, j->code_map[c], j->dup);
	}
}

/*
 * Add part's names, levels, items and evaluations to s as planned (see
 * calib_store_join).
 */
static enum calib_status
join_apply(struct calib_store *s, struct calib_store *part, uint32_t line_shift, int dup,
	   unsigned threads, const struct join_plan *p)
{
	struct join_job j = { .s = s, .part = part, .p = p, .n0 = s->n_evals,
	                      .line_shift = line_shift, .dup = dup };
	size_t nc = s->n_criteria, room = 0;
	uint16_t *maps;
	enum calib_status st = CALIB_ENOMEM;
	struct calib_error se;

	if (s->n_evals + p->new_evals > s->evals_cap_ &&
	    (st = calib_store_reserve(s, s->n_evals + p->new_evals)))
		return st;
	for (size_t c = 0; c < nc; c++)
		room += CALIB_CODE_LEVEL + part->criteria[c].n_levels;
	j.code_map = malloc((nc ? nc : 1) * sizeof *j.code_map);
	maps = malloc((room ? room : 1) * sizeof *maps);
	if (!j.code_map || !maps)
		goto out;
	/* each criterion's levels first: a level added may widen its codes */
	for (size_t c = 0, at = 0; c < nc; c++) {
		struct calib_criterion *sc = &s->criteria[c];
		struct calib_criterion *pc = &part->criteria[c];
		uint16_t *m = j.code_map[c] = maps + at;
		at += CALIB_CODE_LEVEL + pc->n_levels;
		for (uint16_t k = 0; k < CALIB_CODE_LEVEL; k++)
			m[k] = k;
		calib_error_clear(&se);
		for (size_t k = 0; k < pc->n_levels; k++) {
			uint16_t *code = &m[k + CALIB_CODE_LEVEL];
			st = pc->labelled ? calib_store_label_code(s, (uint32_t)c, pc->label[k],
			                                           strlen(pc->label[k]), code, &se)
			                  : calib_store_value_code(s, (uint32_t)c, pc->value[k], code,
			                                           &se);
			if (st != CALIB_OK)
				goto out; /* the plan said it fits: only out of memory */
		}
		sc->percent |= pc->percent;
		sc->decimal_comma |= pc->decimal_comma;
	}
	/* (a part is read only from an input of CALIB_SPLIT_MIN bytes: worth a thread) */
	calib_parallel_for(3, threads, join_task, &j);
	st = j.st_rows ? j.st_rows : j.st_names;
	evals_let_go(part);
	for (size_t c = 0; c < nc; c++) {
		free(part->criteria[c].codes_);
		part->criteria[c].codes_ = NULL;
	}
out:
	free(maps);
	free(j.code_map);
	return st;
}

enum calib_status
calib_store_join(struct calib_store *s, struct calib_store *part, uint32_t line_shift,
                 int dup, unsigned threads)
{
	struct join_plan p;
	enum calib_status st;

	if ((st = chain_restore(s)) || (st = join_plan(s, part, dup, &p)))
		return st;
	s->finished = false;
	st = join_apply(s, part, line_shift, dup, threads, &p);
	free(p.block);
	return st;
}
