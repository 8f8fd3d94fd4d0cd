/*
 * floor.c - the second baseline of the benchmark: the least work a program
 * must do to give one agreement coefficient per criterion of a wide sheet,
 * on both cores. It reads the file's two halves on two threads, each into
 * a reused buffer (no mapping, no page faulted in per block), parses them
 * with libcsv into arrays sized once from the half's size (huge pages where
 * the system gives them), keeps a one-byte score per rating and the runs of
 * rows of one call, looking a call's name up only where a run starts. It
 * joins the halves' call names; where every call is one run of rows (a
 * sheet sorted by call) the runs are the calls, otherwise the rows are
 * grouped by a counting sort. Fleiss' kappa (generalised to unequal numbers
 * of scores per call, as calib-agree does) of every criterion is then
 * summed in one pass over the rows, the calls split over two threads.
 *
 * It checks nothing a real reader must check (field sizes, UTF-8, numbers,
 * duplicate raters, error positions) and computes no interval: no program
 * that does calib-agree's work on the same file can be much faster than
 * this. It reads only what the benchmark generates: "call,rater,c1,..."
 * with scores 0..63 or empty, and no quoted fields.
 *
 *   floor FILE      prints "criterion,fleiss_kappa" lines
 */
#define _DEFAULT_SOURCE /* madvise */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#define MAX_CRIT 64
#define N_CAT    64
#define NO_SCORE 255
#define EMPTY    UINT64_MAX

static void
die(const char *what)
{
	fprintf(stderr, "floor: %s\n", what);
	exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n)))
		die("out of memory");
	return p;
}

/* A large block, backed by huge pages where the system gives them on request. */
static void *
large(size_t n)
{
	void *p = xrealloc(NULL, n);
	uintptr_t start = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t end = ((uintptr_t)p + n) & ~(uintptr_t)4095;

	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
	return p;
}

/* One half of the file and what its thread made of it. */
struct half {
	int fd;
	off_t start; /* of the half in the file */
	size_t len, n_crit;
	size_t col;
	/* call names: texts in one arena, open addressing on their hashes */
	char *arena;
	size_t arena_len, arena_cap;
	size_t *name_off, *name_len, n_names, names_cap;
	uint64_t *slot; /* the hash's upper half, then the id; EMPTY where free */
	size_t n_slots;
	/* runs of rows of one call: the call and the run's first row */
	uint32_t *run_call, *run_row;
	size_t n_runs, runs_cap;
	int again; /* a call came back after another's rows */
	/* rows: scores */
	uint8_t *score; /* n_rows x n_crit */
	size_t n_rows, rows_cap;
};

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static const char *
name(const struct half *h, uint32_t id)
{
	return h->arena + h->name_off[id];
}

/* The table of h's names with room for n of them (a power of two, twice n). */
static void
rehash(struct half *h, size_t n)
{
	size_t slots = 1024;

	while (slots < 2 * n)
		slots *= 2;
	free(h->slot);
	h->slot = large(slots * sizeof *h->slot);
	memset(h->slot, 0xff, slots * sizeof *h->slot); /* EMPTY */
	h->n_slots = slots;
	h->names_cap = slots / 2;
	h->name_off = xrealloc(h->name_off, h->names_cap * sizeof *h->name_off);
	h->name_len = xrealloc(h->name_len, h->names_cap * sizeof *h->name_len);
	for (uint32_t id = 0; id < h->n_names; id++) {
		uint64_t x = hash(name(h, id), h->name_len[id]);
		size_t k = x & (slots - 1);
		while (h->slot[k] != EMPTY)
			k = (k + 1) & (slots - 1);
		h->slot[k] = (x & ~(uint64_t)UINT32_MAX) | id;
	}
}

/*
 * Id of call name s[0..n) in h, or UINT32_MAX; *at is its slot or the free
 * one, *x its hash. A slot keeps the upper half of its name's hash, so
 * that most names that differ are told apart without reading them.
 */
static uint32_t
find(const struct half *h, const char *s, size_t n, size_t *at, uint64_t *x)
{
	uint64_t v, tag;
	size_t k;

	*x = hash(s, n);
	tag = *x & ~(uint64_t)UINT32_MAX;
	for (k = *x & (h->n_slots - 1); (v = h->slot[k]) != EMPTY; k = (k + 1) & (h->n_slots - 1)) {
		uint32_t id = (uint32_t)v;
		if ((v & ~(uint64_t)UINT32_MAX) == tag && h->name_len[id] == n &&
		    memcmp(name(h, id), s, n) == 0) {
			*at = k;
			return id;
		}
	}
	*at = k;
	return UINT32_MAX;
}

/* Add call name s[0..n) of hash x, not yet in h, at slot k. */
static uint32_t
add(struct half *h, const char *s, size_t n, size_t k, uint64_t x)
{
	if (h->n_names == h->names_cap) {
		rehash(h, 2 * h->names_cap);
		find(h, s, n, &k, &x);
	}
	if (h->arena_cap - h->arena_len < n) {
		h->arena_cap = 2 * (h->arena_cap + n);
		h->arena = xrealloc(h->arena, h->arena_cap);
	}
	memcpy(h->arena + h->arena_len, s, n);
	h->name_off[h->n_names] = h->arena_len;
	h->name_len[h->n_names] = n;
	h->arena_len += n;
	h->slot[k] = (x & ~(uint64_t)UINT32_MAX) | h->n_names;
	return (uint32_t)h->n_names++;
}

static void
on_field(void *data, size_t len, void *ctx)
{
	struct half *h = ctx;
	const unsigned char *s = data;

	if (h->col == 0) {
		/* the rows of a call usually follow each other: a name is looked
		 * up only where a run of rows starts */
		if (h->n_runs == 0 || h->name_len[h->run_call[h->n_runs - 1]] != len ||
		    memcmp(name(h, h->run_call[h->n_runs - 1]), s, len) != 0) {
			size_t k;
			uint64_t x;
			uint32_t id;
			if (h->n_slots == 0)
				rehash(h, 0);
			if ((id = find(h, data, len, &k, &x)) == UINT32_MAX)
				id = add(h, data, len, k, x);
			else
				h->again = 1;
			if (h->n_runs == h->runs_cap) {
				h->runs_cap = 2 * h->runs_cap + 1024;
				h->run_call = xrealloc(h->run_call, h->runs_cap * sizeof *h->run_call);
				h->run_row = xrealloc(h->run_row, h->runs_cap * sizeof *h->run_row);
			}
			h->run_call[h->n_runs] = id;
			h->run_row[h->n_runs++] = (uint32_t)h->n_rows;
		}
		if (h->n_rows == h->rows_cap) {
			h->rows_cap = 2 * h->rows_cap + 4096;
			h->score = xrealloc(h->score, h->rows_cap * h->n_crit);
		}
	} else if (h->col >= 2 && h->col - 2 < h->n_crit) {
		unsigned v = NO_SCORE;
		if (len == 1 && s[0] >= '0' && s[0] <= '9')
			v = s[0] - '0';
		else if (len == 2 && s[0] >= '1' && s[0] <= '6' && s[1] >= '0' && s[1] <= '9')
			v = 10u * (s[0] - '0') + (s[1] - '0');
		else if (len != 0)
			die("a score is not an integer 0..63");
		if (v != NO_SCORE && v >= N_CAT)
			die("a score is not an integer 0..63");
		h->score[h->n_rows * h->n_crit + h->col - 2] = (uint8_t)v;
	}
	h->col++;
}

static void
on_row(int term, void *ctx)
{
	struct half *h = ctx;

	(void)term;
	if (h->col != h->n_crit + 2)
		die("a row has the wrong number of fields");
	h->col = 0;
	h->n_rows++;
}

static void *
parse(void *arg)
{
	struct half *h = arg;
	struct csv_parser p;
	char *buf = xrealloc(NULL, 1u << 20); /* reused for every block */

	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		die("out of memory");
	for (size_t off = 0; off < h->len; off += 1u << 20) {
		size_t n = h->len - off < (1u << 20) ? h->len - off : 1u << 20;
		if (pread(h->fd, buf, n, h->start + (off_t)off) != (ssize_t)n)
			die("cannot read the file");
		if (memchr(buf, '"', n))
			die("quoted fields are not read");
		if (off == 0 && h->n_crit > 0) {
			/* room for the rows and calls the half's size promises
			 * at the first block's bytes per row, 5% to spare */
			const char *nl = buf;
			size_t rows = 0;
			while ((nl = memchr(nl, '\n', n - (size_t)(nl - buf))) && rows < 1000)
				nl++, rows++;
			if (rows > 0 && nl) {
				rows = (size_t)((double)h->len / (double)(nl - buf) * rows * 1.05) + 16;
				h->rows_cap = rows;
				free(h->score);
				h->score = large(rows * h->n_crit);
				rehash(h, rows / 4);
			}
		}
		if (csv_parse(&p, buf, n, on_field, on_row, h) != n)
			die(csv_strerror(csv_error(&p)));
	}
	free(buf);
	csv_fini(&p, on_field, on_row, h);
	csv_free(&p);
	return NULL;
}

/* The row after run i of half number half (rows numbered over both halves). */
static uint32_t
run_end(const struct half *h, size_t half, size_t i)
{
	if (i + 1 < h[half].n_runs)
		return h[half].run_row[i + 1];
	return (uint32_t)(h[0].n_rows + (half == 1 ? h[1].n_rows : 0));
}

/* The rows of both halves grouped by call, and one thread's share of the calls. */
struct groups {
	const struct half *h;
	size_t n_crit, n_calls;
	uint32_t *off;   /* n_calls + 1 */
	uint32_t *order; /* row numbers, first half's then second's; NULL: in order */
	size_t from, to; /* calls of one thread */
	/* sums over the thread's calls, per criterion */
	double pi[MAX_CRIT][N_CAT], pa[MAX_CRIT];
	size_t n[MAX_CRIT], n2[MAX_CRIT];
};

static const uint8_t *
row_scores(const struct groups *g, uint32_t row)
{
	const struct half *h = g->h;

	if (row < h[0].n_rows)
		return h[0].score + (size_t)row * g->n_crit;
	return h[1].score + (size_t)(row - h[0].n_rows) * g->n_crit;
}

/* Fleiss' sums of a thread's calls, every criterion in one pass over the rows. */
static void *
fleiss(void *arg)
{
	struct groups *g = arg;
	/* counts per criterion and category, back to zero after each call */
	static _Thread_local unsigned cnt[MAX_CRIT][N_CAT];
	uint8_t seen[MAX_CRIT][N_CAT]; /* the categories of the call */
	unsigned r[MAX_CRIT], d[MAX_CRIT];
	size_t nc = g->n_crit;

	for (size_t u = g->from; u < g->to; u++) {
		memset(r, 0, nc * sizeof *r);
		memset(d, 0, nc * sizeof *d);
		for (uint32_t e = g->off[u]; e < g->off[u + 1]; e++) {
			const uint8_t *row = row_scores(g, g->order ? g->order[e] : e);
			for (size_t c = 0; c < nc; c++) {
				uint8_t v = row[c];
				if (v != NO_SCORE) {
					if (cnt[c][v]++ == 0)
						seen[c][d[c]++] = v;
					r[c]++;
				}
			}
		}
		for (size_t c = 0; c < nc; c++) {
			double same = 0;
			if (r[c] == 0)
				continue;
			g->n[c]++;
			for (unsigned a = 0; a < d[c]; a++) {
				unsigned k = seen[c][a];
				g->pi[c][k] += cnt[c][k] / (double)r[c];
				same += cnt[c][k] * (cnt[c][k] - 1.0);
				cnt[c][k] = 0;
			}
			if (r[c] >= 2) {
				g->n2[c]++;
				g->pa[c] += same / (r[c] * (r[c] - 1.0));
			}
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct half h[2] = {{0}};
	struct groups g[2];
	struct stat st;
	static char head[1 << 16], at[1 << 16];
	const char *nl;
	off_t body, mid;
	ssize_t got;
	size_t n_crit = 0, n_calls, n_rows;
	uint32_t *map, *pos;
	double kappa[MAX_CRIT];
	int again;
	pthread_t t;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: floor FILE\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) != 0 || st.st_size == 0)
		die("cannot read the file");
	if ((got = pread(fd, head, sizeof head - 1, 0)) <= 0 ||
	    !(nl = memchr(head, '\n', (size_t)got)))
		die("no data rows");
	head[got] = '\0';
	for (const char *s = head; s < nl; s++)
		n_crit += *s == ',';
	if (n_crit < 2 || (n_crit -= 1) > MAX_CRIT)
		die("the header is not call,rater,c1,...");
	/* the halves meet after a newline: no field is quoted (each half checks) */
	body = nl + 1 - head;
	mid = body + (st.st_size - body) / 2;
	if ((got = pread(fd, at, sizeof at, mid)) < 0)
		die("cannot read the file");
	mid = (nl = memchr(at, '\n', (size_t)got)) ? mid + (nl + 1 - at) : st.st_size;
	h[0] = (struct half){.fd = fd, .start = body, .len = (size_t)(mid - body), .n_crit = n_crit};
	h[1] = (struct half){.fd = fd, .start = mid, .len = (size_t)(st.st_size - mid), .n_crit = n_crit};
	if (pthread_create(&t, NULL, parse, &h[1]) != 0)
		die("cannot start a thread");
	parse(&h[0]);
	pthread_join(t, NULL);

	/* the second half's calls get the first half's ids; a call of both
	 * halves is one run only where its rows meet at the seam */
	map = xrealloc(NULL, (h[1].n_names + 1) * sizeof *map);
	again = h[0].again || h[1].again;
	for (uint32_t id = 0; id < h[1].n_names; id++) {
		size_t k;
		uint64_t x;
		map[id] = find(&h[0], name(&h[1], id), h[1].name_len[id], &k, &x);
		if (map[id] == UINT32_MAX)
			map[id] = add(&h[0], name(&h[1], id), h[1].name_len[id], k, x);
		else if (!(id == h[1].run_call[0] && map[id] == h[0].run_call[h[0].n_runs - 1]))
			again = 1;
	}
	for (size_t i = 0; i < h[1].n_runs; i++) {
		h[1].run_call[i] = map[h[1].run_call[i]];
		h[1].run_row[i] += (uint32_t)h[0].n_rows;
	}
	n_rows = h[0].n_rows + h[1].n_rows;

	g[0] = (struct groups){.h = h, .n_crit = n_crit};
	if (!again) {
		/* every call is one run of rows: the runs are the groups */
		size_t seam = h[0].n_runs > 0 && h[1].n_runs > 0 &&
			      h[1].run_call[0] == h[0].run_call[h[0].n_runs - 1];
		n_calls = h[0].n_runs + h[1].n_runs - seam;
		g[0].off = xrealloc(NULL, (n_calls + 1) * sizeof *g[0].off);
		memcpy(g[0].off, h[0].run_row, h[0].n_runs * sizeof *g[0].off);
		memcpy(g[0].off + h[0].n_runs, h[1].run_row + seam,
		       (h[1].n_runs - seam) * sizeof *g[0].off);
		g[0].off[n_calls] = (uint32_t)n_rows;
	} else {
		/* group rows by call: a counting sort */
		n_calls = h[0].n_names;
		g[0].off = xrealloc(NULL, (n_calls + 1) * sizeof *g[0].off);
		memset(g[0].off, 0, (n_calls + 1) * sizeof *g[0].off);
		g[0].order = xrealloc(NULL, (n_rows + 1) * sizeof *g[0].order);
		for (size_t half = 0; half < 2; half++)
			for (size_t i = 0; i < h[half].n_runs; i++)
				g[0].off[h[half].run_call[i] + 1] += run_end(h, half, i) - h[half].run_row[i];
		for (size_t u = 0; u < n_calls; u++)
			g[0].off[u + 1] += g[0].off[u];
		pos = xrealloc(NULL, (n_calls + 1) * sizeof *pos);
		memcpy(pos, g[0].off, (n_calls + 1) * sizeof *pos);
		for (size_t half = 0; half < 2; half++)
			for (size_t i = 0; i < h[half].n_runs; i++)
				for (uint32_t row = h[half].run_row[i]; row < run_end(h, half, i); row++)
					g[0].order[pos[h[half].run_call[i]]++] = row;
	}
	g[0].n_calls = n_calls;

	/* the calls over two threads, every criterion in each */
	g[1] = g[0];
	g[0].from = 0;
	g[0].to = g[1].from = n_calls / 2;
	g[1].to = n_calls;
	if (pthread_create(&t, NULL, fleiss, &g[1]) != 0)
		die("cannot start a thread");
	fleiss(&g[0]);
	pthread_join(t, NULL);
	for (size_t c = 0; c < n_crit; c++) {
		double pe = 0, n = (double)(g[0].n[c] + g[1].n[c]);
		for (size_t k = 0; k < N_CAT; k++) {
			double p = (g[0].pi[c][k] + g[1].pi[c][k]) / n;
			pe += p * p;
		}
		double pa = (g[0].pa[c] + g[1].pa[c]) / (double)(g[0].n2[c] + g[1].n2[c]);
		kappa[c] = (pa - pe) / (1.0 - pe);
	}

	printf("criterion,fleiss_kappa\n");
	for (size_t c = 0; c < n_crit; c++) {
		const char *s = head, *e;
		for (size_t comma = 0; comma < c + 2; comma++)
			s = strchr(s, ',') + 1;
		for (e = s; *e != ',' && *e != '\n' && *e != '\r'; e++)
			;
		printf("%.*s,%.17g\n", (int)(e - s), s, kappa[c]);
	}
	return 0;
}
