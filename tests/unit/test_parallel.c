/*
 * test_parallel.c - the one thread pool (parallel.h) and the thread count
 * passed down through the options: every item runs once, with 1 thread
 * no thread is started anywhere (the reader of a large input, the report
 * with its alpha bootstrap, calib_raters_run), and with 2 some are.
 * Threads are counted by wrapping pthread_create, which this program
 * defines in front of the C library's, and by /proc/self/task.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calib/parallel.h"
#include "calib/raters.h"
#include "calib/reader.h"
#include "calib/report.h"
#include "calib/store.h"
#include "tap.h"

static atomic_int created; /* threads started */
static atomic_int refuse;  /* > 0: refuse that many starts */

int
pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
	if (atomic_load(&refuse) > 0) {
		atomic_fetch_sub(&refuse, 1);
		return 11; /* EAGAIN */
	}
	atomic_fetch_add(&created, 1);
	return real(t, a, fn, arg);
}

/* Threads of this process now. */
static int
tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

struct count {
	atomic_int seen[1000];
	atomic_int most_tasks;
	atomic_uint most_w;
};

static void
visit(void *ctx, size_t i, unsigned w)
{
	struct count *c = ctx;
	int t = tasks();

	atomic_fetch_add(&c->seen[i], 1);
	if (t > atomic_load(&c->most_tasks))
		atomic_store(&c->most_tasks, t);
	if (w > atomic_load(&c->most_w))
		atomic_store(&c->most_w, w);
}

static bool
each_once(const struct count *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (atomic_load(&c->seen[i]) != 1)
			return false;
	return true;
}

/* Stage 0 waits for stage 1: only running together ends. */
static void
stages(void *ctx, size_t i, unsigned w)
{
	atomic_int *flag = ctx;

	(void)w;
	if (i == 1) {
		atomic_store(flag, 1);
		return;
	}
	while (!atomic_load(flag))
		;
}

static void
not_run(void *ctx, size_t i, unsigned w)
{
	(void)i;
	(void)w;
	atomic_fetch_add((atomic_int *)ctx, 1);
}

static void
pool(void)
{
	struct count *c = calloc(1, sizeof *c);
	atomic_int flag = 0, ran = 0;

	ok(calib_threads(0) >= 1 && calib_threads(0) <= CALIB_THREADS_MAX,
	   "threads 0: the processors, at most %u", CALIB_THREADS_MAX);
	is_long(calib_threads(3), 3, "threads 3 stays 3");

	atomic_store(&created, 0);
	is_long(calib_parallel_for(1000, 1, visit, c), 1, "one thread: one worker");
	ok(each_once(c, 1000), "one thread: every item once");
	is_long(atomic_load(&created), 0, "one thread: no thread started");
	is_long(atomic_load(&c->most_tasks), 1, "one thread: /proc/self/task counts 1");
	is_long(atomic_load(&c->most_w), 0, "one thread: worker 0 only");

	memset(c, 0, sizeof *c);
	atomic_store(&created, 0);
	is_long(calib_parallel_for(1000, 2, visit, c), 2, "two threads: two workers");
	ok(each_once(c, 1000), "two threads: every item once");
	is_long(atomic_load(&created), 1, "two threads: one started beside the caller's");
	ok(atomic_load(&c->most_w) <= 1, "two threads: workers 0 and 1");

	memset(c, 0, sizeof *c);
	atomic_store(&created, 0);
	is_long(calib_parallel_for(1, 2, visit, c), 1, "one item: one worker");
	is_long(atomic_load(&created), 0, "one item: no thread started");

	memset(c, 0, sizeof *c);
	atomic_store(&refuse, 1);
	is_long(calib_parallel_for(100, 2, visit, c), 1, "a thread refused: the caller alone");
	ok(each_once(c, 100), "a thread refused: every item still once");

	ok(calib_parallel_together(2, stages, &flag), "together: a pipeline of 2 ends");
	atomic_store(&refuse, 1);
	ok(!calib_parallel_together(2, not_run, &ran), "together, a thread refused: false");
	is_long(atomic_load(&ran), 0, "together, a thread refused: nothing ran");
	atomic_store(&refuse, 0);
	free(c);
}

/* A long sheet of n calls, 3 raters, 2 criteria, more than 1 MiB (two reader blocks). */
static char *
big_sheet(size_t n, size_t *len)
{
	size_t cap = 64 + n * 3 * 2 * 64, o = 0;
	char *b = malloc(cap);

	if (!b)
		exit(1);
	o += (size_t)snprintf(b + o, cap - o, "session,call,rater,criterion,score\n");
	for (size_t i = 0; i < n; i++)
		for (int r = 0; r < 3; r++)
			for (int k = 0; k < 2; k++)
				o += (size_t)snprintf(b + o, cap - o,
						      "s1,call-%06zu,rater-%d,criterion-%d,%zu\n", i,
						      r, k, (i * 7 + (size_t)r * (i % 3) + (size_t)k) % 5 + 1);
	*len = o;
	return b;
}

/* The sheet read with `threads` (criteria: NULL, or those only); NULL on failure. */
static struct calib_store *
load(const char *sheet, size_t len, unsigned threads, const char *criteria)
{
	struct calib_read_opts ro;
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;
	FILE *fp = fmemopen((void *)sheet, len, "r");
	bool bad;

	calib_read_opts_init(&ro);
	ro.threads = threads;
	ro.criteria = criteria;
	bad = !s || !fp || calib_read(s, fp, "big", &ro, &err) || calib_store_finish(s);
	if (fp)
		fclose(fp);
	if (bad) {
		calib_store_free(s);
		return NULL;
	}
	return s;
}

/* Threads started while the library reads the sheet and analyses it with `threads`. */
static int
started_by(const char *sheet, size_t len, unsigned threads)
{
	struct calib_report_opts o;
	struct calib_raters_opts po;
	struct calib_store *s;
	struct calib_report *rep = NULL;
	struct calib_raters *res = NULL;
	struct calib_error err;
	int n;

	atomic_store(&created, 0);
	if (!(s = load(sheet, len, threads, NULL)))
		return -1;
	calib_report_opts_init(&o);
	o.stat = "kripp_alpha_ordinal,fleiss_kappa";
	o.threads = threads;
	o.boot = 20;
	o.alpha_boot = 20;
	o.seed = 1;
	calib_raters_opts_init(&po);
	po.threads = threads;
	if (calib_report_run(s, &o, &rep, &err) || calib_raters_run(s, &po, &res, &err))
		return -1;
	n = atomic_load(&created);
	calib_report_free(rep);
	calib_raters_free(res);
	calib_store_free(s);
	return n;
}

/* One criterion: the report's one worker leaves the second thread to the bootstrap. */
static int
bootstrap_started_by(const char *sheet, size_t len, unsigned threads)
{
	struct calib_report_opts o;
	struct calib_store *s = load(sheet, len, 1, "criterion-0");
	struct calib_report *rep = NULL;
	struct calib_error err;
	int n;

	if (!s || s->n_criteria != 1)
		return -1;
	calib_report_opts_init(&o);
	o.stat = "kripp_alpha_ordinal";
	o.threads = threads;
	o.alpha_boot = 20;
	/* the headline's interval and the _boot record: one bootstrap of 20 */
	o.headline_boot = 20;
	o.total = false;
	atomic_store(&created, 0);
	if (calib_report_run(s, &o, &rep, &err))
		return -1;
	n = atomic_load(&created);
	calib_report_free(rep);
	calib_store_free(s);
	return n;
}

/* The parts of a range cover it once, in order, their lengths at most one apart. */
static void
ranges(void)
{
	static const size_t n[] = { 0, 1, 7, 10, 65536, 1000003 };
	static const size_t parts[] = { 1, 2, 3, 16, 17 };

	for (size_t a = 0; a < sizeof n / sizeof *n; a++)
		for (size_t b = 0; b < sizeof parts / sizeof *parts; b++) {
			size_t at = 0, lo = SIZE_MAX, hi = 0, from, to;
			bool cover = true;
			for (size_t i = 0; i < parts[b]; i++) {
				calib_parallel_range(n[a], parts[b], i, &from, &to);
				cover &= from == at && to >= from;
				at = to;
				lo = to - from < lo ? to - from : lo;
				hi = to - from > hi ? to - from : hi;
			}
			ok(cover && at == n[a] && hi - lo <= 1,
			   "%zu items in %zu parts: covered once, lengths %zu..%zu", n[a], parts[b],
			   lo, hi);
		}
}

/* Workers' scratch on lines of their own: aligned, zeroed, each element a whole line or more. */
struct scratch {
	_Alignas(CALIB_CACHE_LINE) size_t count;
	char name[3];
};

static void
scratch(void)
{
	struct scratch *w = calib_parallel_calloc(3, sizeof *w);
	bool zero = true;

	ok(w && (uintptr_t)w % CALIB_CACHE_LINE == 0, "scratch: on a cache line");
	ok(sizeof *w % CALIB_CACHE_LINE == 0 && (uintptr_t)&w[1] % CALIB_CACHE_LINE == 0,
	   "scratch: each worker's on a line of its own");
	for (size_t k = 0; w && k < 3; k++)
		zero &= w[k].count == 0 && w[k].name[0] == 0 && w[k].name[2] == 0;
	ok(zero, "scratch: zeroed");
	free(w);
	ok(!calib_parallel_calloc(0, sizeof *w), "scratch: none asked for is NULL");
	ok(!calib_parallel_calloc(SIZE_MAX / 2, sizeof *w), "scratch: too many is NULL");
}

int
main(void)
{
	size_t len;
	char *sheet = big_sheet(10000, &len);

	(void)is_double;
	(void)is_string;
	pool();
	scratch();
	ranges();
	ok(len > 2u << 20, "the sheet is larger than two blocks of the reader (%zu bytes)", len);
	is_long(started_by(sheet, len, 1), 0, "-j 1: read, report with bootstraps, raters: no thread");
	ok(started_by(sheet, len, 2) >= 3, "-j 2: the reader, the report and raters start threads");
	is_long(bootstrap_started_by(sheet, len, 1), 0, "-j 1, one criterion: no bootstrap thread");
	is_long(bootstrap_started_by(sheet, len, 2), 1,
		"-j 2, one criterion: the alpha bootstrap starts one");
	free(sheet);
	return tap_done();
}
