/*
 * floor.c - the second baseline of the benchmark: the least work a program
 * must do to give one agreement coefficient per criterion of a wide sheet,
 * on both cores. It reads the file's two halves on two threads, each into
 * a reused buffer (no mapping, no page faulted in per block), parses them
 * with libcsv, keeps a call id per row and a one-byte score per rating, joins
 * the halves' call ids, groups the rows by call, and computes Fleiss' kappa
 * (generalised to unequal numbers of scores per call, as calib-agree does)
 * of the criteria over two threads.
 *
 * It checks nothing a real reader must check (field sizes, UTF-8, numbers,
 * duplicate raters, error positions) and computes no interval: no program
 * that does calib-agree's work on the same file can be much faster than
 * this. It reads only what the benchmark generates: "call,rater,c1,..."
 * with scores 0..63 or empty, and no quoted fields.
 *
 *   floor FILE      prints "criterion,fleiss_kappa" lines
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#define MAX_CRIT 64
#define N_CAT    64
#define NO_SCORE 255

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

/* One half of the file and what its thread made of it. */
struct half {
	int fd;
	off_t start; /* of the half in the file */
	size_t len, n_crit;
	size_t col;
	/* call names: texts in one arena, open addressing on their hashes */
	char *arena;
	size_t arena_len, arena_cap;
	size_t *name_off, *name_len, n_names;
	uint32_t *slot;
	size_t n_slots;
	uint32_t call; /* of the current row */
	/* rows: call id and scores */
	uint32_t *row_call;
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

static void
rehash(struct half *h)
{
	size_t n = h->n_slots ? 2 * h->n_slots : 1024;

	free(h->slot);
	h->slot = xrealloc(NULL, n * sizeof *h->slot);
	memset(h->slot, 0xff, n * sizeof *h->slot);
	h->n_slots = n;
	h->name_off = xrealloc(h->name_off, n * sizeof *h->name_off);
	h->name_len = xrealloc(h->name_len, n * sizeof *h->name_len);
	for (uint32_t id = 0; id < h->n_names; id++) {
		size_t k = hash(name(h, id), h->name_len[id]) & (n - 1);
		while (h->slot[k] != UINT32_MAX)
			k = (k + 1) & (n - 1);
		h->slot[k] = id;
	}
}

/* Id of call name s[0..n), added when new. */
static uint32_t
intern(struct half *h, const char *s, size_t n)
{
	size_t k;
	uint32_t id;

	if (2 * h->n_names >= h->n_slots)
		rehash(h);
	for (k = hash(s, n) & (h->n_slots - 1); (id = h->slot[k]) != UINT32_MAX;
	     k = (k + 1) & (h->n_slots - 1))
		if (h->name_len[id] == n && memcmp(name(h, id), s, n) == 0)
			return id;
	if (h->arena_cap - h->arena_len < n) {
		h->arena_cap = 2 * (h->arena_cap + n);
		h->arena = xrealloc(h->arena, h->arena_cap);
	}
	memcpy(h->arena + h->arena_len, s, n);
	h->name_off[h->n_names] = h->arena_len;
	h->name_len[h->n_names] = n;
	h->arena_len += n;
	h->slot[k] = (uint32_t)h->n_names;
	return (uint32_t)h->n_names++;
}

static void
on_field(void *data, size_t len, void *ctx)
{
	struct half *h = ctx;
	const unsigned char *s = data;

	if (h->col == 0) {
		/* the rows of a call usually follow each other */
		if (!(h->n_names > 0 && h->name_len[h->call] == len &&
		      memcmp(name(h, h->call), s, len) == 0))
			h->call = intern(h, data, len);
		if (h->n_rows == h->rows_cap) {
			h->rows_cap = h->rows_cap ? 2 * h->rows_cap : 4096;
			h->row_call = xrealloc(h->row_call, h->rows_cap * sizeof *h->row_call);
			h->score = xrealloc(h->score, h->rows_cap * h->n_crit);
		}
		h->row_call[h->n_rows] = h->call;
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
		if (csv_parse(&p, buf, n, on_field, on_row, h) != n)
			die(csv_strerror(csv_error(&p)));
	}
	free(buf);
	csv_fini(&p, on_field, on_row, h);
	csv_free(&p);
	return NULL;
}

/* The rows of both halves grouped by call. */
struct groups {
	const struct half *h;
	size_t n_crit, n_calls;
	uint32_t *off;   /* n_calls + 1 */
	uint32_t *order; /* row numbers, first half's then second's */
	double *kappa;
	size_t from, to; /* criteria of one thread */
};

static const uint8_t *
row_scores(const struct groups *g, uint32_t row)
{
	const struct half *h = g->h;

	if (row < h[0].n_rows)
		return h[0].score + (size_t)row * g->n_crit;
	return h[1].score + (size_t)(row - h[0].n_rows) * g->n_crit;
}

static void *
fleiss(void *arg)
{
	const struct groups *g = arg;

	for (size_t c = g->from; c < g->to; c++) {
		double pi[N_CAT] = {0}, pa = 0, pe = 0;
		/* counts per category, back to zero after each call (only those seen) */
		unsigned cnt[N_CAT] = {0};
		size_t n = 0, n2 = 0;
		for (size_t u = 0; u < g->n_calls; u++) {
			unsigned r = 0, d = 0;
			uint8_t seen[N_CAT]; /* the categories of the call */
			for (uint32_t e = g->off[u]; e < g->off[u + 1]; e++) {
				uint8_t v = row_scores(g, g->order[e])[c];
				if (v != NO_SCORE) {
					if (cnt[v]++ == 0)
						seen[d++] = v;
					r++;
				}
			}
			if (r == 0)
				continue;
			n++;
			double same = 0;
			for (unsigned a = 0; a < d; a++) {
				pi[seen[a]] += cnt[seen[a]] / (double)r;
				same += cnt[seen[a]] * (cnt[seen[a]] - 1.0);
				cnt[seen[a]] = 0;
			}
			if (r >= 2) {
				n2++;
				pa += same / (r * (r - 1.0));
			}
		}
		for (size_t k = 0; k < N_CAT; k++)
			pe += (pi[k] / (double)n) * (pi[k] / (double)n);
		pa /= (double)n2;
		g->kappa[c] = (pa - pe) / (1.0 - pe);
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

	/* the second half's calls get the first half's ids */
	map = xrealloc(NULL, (h[1].n_names + 1) * sizeof *map);
	for (uint32_t id = 0; id < h[1].n_names; id++)
		map[id] = intern(&h[0], name(&h[1], id), h[1].name_len[id]);
	for (size_t i = 0; i < h[1].n_rows; i++)
		h[1].row_call[i] = map[h[1].row_call[i]];
	n_calls = h[0].n_names;
	n_rows = h[0].n_rows + h[1].n_rows;

	/* group rows by call: a counting sort */
	g[0] = (struct groups){.h = h, .n_crit = n_crit, .n_calls = n_calls};
	g[0].off = xrealloc(NULL, (n_calls + 1) * sizeof *g[0].off);
	memset(g[0].off, 0, (n_calls + 1) * sizeof *g[0].off);
	g[0].order = xrealloc(NULL, (n_rows + 1) * sizeof *g[0].order);
	g[0].kappa = xrealloc(NULL, n_crit * sizeof *g[0].kappa);
	for (size_t half = 0; half < 2; half++)
		for (size_t i = 0; i < h[half].n_rows; i++)
			g[0].off[h[half].row_call[i] + 1]++;
	for (size_t u = 0; u < n_calls; u++)
		g[0].off[u + 1] += g[0].off[u];
	pos = xrealloc(NULL, (n_calls + 1) * sizeof *pos);
	memcpy(pos, g[0].off, (n_calls + 1) * sizeof *pos);
	for (size_t half = 0, row = 0; half < 2; half++)
		for (size_t i = 0; i < h[half].n_rows; i++, row++)
			g[0].order[pos[h[half].row_call[i]]++] = (uint32_t)row;

	/* criteria over two threads */
	g[1] = g[0];
	g[0].from = 0;
	g[0].to = g[1].from = n_crit / 2;
	g[1].to = n_crit;
	if (pthread_create(&t, NULL, fleiss, &g[1]) != 0)
		die("cannot start a thread");
	fleiss(&g[0]);
	pthread_join(t, NULL);

	printf("criterion,fleiss_kappa\n");
	for (size_t c = 0; c < n_crit; c++) {
		const char *s = head, *e;
		for (size_t comma = 0; comma < c + 2; comma++)
			s = strchr(s, ',') + 1;
		for (e = s; *e != ',' && *e != '\n' && *e != '\r'; e++)
			;
		printf("%.*s,%.17g\n", (int)(e - s), s, g[0].kappa[c]);
	}
	return 0;
}
