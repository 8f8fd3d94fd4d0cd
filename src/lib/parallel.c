/*
 * parallel.c - the library's one thread pool (parallel.h): a loop over
 * items handed out from an atomic counter, and a pipeline whose stages
 * start together behind a gate.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calib/parallel.h"

struct pool {
	void (*fn)(void *ctx, size_t i, unsigned w);
	void *ctx;
	size_t n;
	atomic_size_t next;
	bool together; /* each worker runs the item of its number, after the gate opens */
	pthread_mutex_t mu;
	pthread_cond_t gate;
	int state; /* under mu: 0 wait, 1 go, -1 give up */
};

struct worker {
	struct pool *p;
	unsigned w;
	pthread_t tid;
};

unsigned
calib_threads(unsigned asked)
{
	long cores;

	if (asked)
		return asked;
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1)
		return 1;
	return (unsigned long)cores < CALIB_THREADS_MAX ? (unsigned)cores : CALIB_THREADS_MAX;
}

/* Worker w's share of the items: the next ones, or (together) its own. */
static void
work(struct pool *p, unsigned w)
{
	size_t i;

	if (p->together) {
		p->fn(p->ctx, w, w);
		return;
	}
	while ((i = atomic_fetch_add(&p->next, 1)) < p->n)
		p->fn(p->ctx, i, w);
}

static void *
thread_main(void *arg)
{
	struct worker *k = arg;
	struct pool *p = k->p;

	if (p->together) {
		int state;
		pthread_mutex_lock(&p->mu);
		while (p->state == 0)
			pthread_cond_wait(&p->gate, &p->mu);
		state = p->state;
		pthread_mutex_unlock(&p->mu);
		if (state < 0)
			return NULL;
	}
	work(p, k->w);
	return NULL;
}

/*
 * Start workers 1 .. want-1 of p, run worker 0 on this thread, join.
 * With p->together, all or none: false (nothing run) when one failed.
 * *ran is the number of workers that ran.
 */
static bool
run(struct pool *p, unsigned want, unsigned *ran)
{
	struct worker *k = want > 1 ? calloc(want - 1, sizeof *k) : NULL;
	unsigned started = 0;
	bool ok;

	*ran = 1;
	if (want > 1 && !k) {
		if (p->together)
			return false;
		want = 1;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->gate, NULL);
	p->state = 0;
	for (unsigned w = 1; w < want; w++) {
		k[started].p = p;
		k[started].w = w;
		if (pthread_create(&k[started].tid, NULL, thread_main, &k[started]) != 0)
			break;
		started++;
	}
	ok = !p->together || started + 1 == want;
	if (p->together) {
		pthread_mutex_lock(&p->mu);
		p->state = ok ? 1 : -1;
		pthread_cond_broadcast(&p->gate);
		pthread_mutex_unlock(&p->mu);
	}
	if (ok)
		work(p, 0);
	for (unsigned t = 0; t < started; t++)
		pthread_join(k[t].tid, NULL);
	pthread_cond_destroy(&p->gate);
	pthread_mutex_destroy(&p->mu);
	free(k);
	*ran = ok ? started + 1 : 0;
	return ok;
}

void *
calib_parallel_calloc(size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (n == 0 || size == 0 || n > ((size_t)-1 - CALIB_CACHE_LINE) / size)
		return NULL;
	/* aligned_alloc wants a multiple of the alignment */
	bytes = (n * size + CALIB_CACHE_LINE - 1) / CALIB_CACHE_LINE * CALIB_CACHE_LINE;
	if (!(p = aligned_alloc(CALIB_CACHE_LINE, bytes)))
		return NULL;
	memset(p, 0, bytes);
	return p;
}

void
calib_parallel_range(size_t n, size_t parts, size_t i, size_t *from, size_t *to)
{
	size_t each = n / parts, more = n % parts;

	*from = each * i + (i < more ? i : more);
	*to = *from + each + (i < more);
}

unsigned
calib_parallel_for(size_t n, unsigned threads, void (*fn)(void *ctx, size_t i, unsigned w),
		   void *ctx)
{
	struct pool p = {.fn = fn, .ctx = ctx, .n = n};
	unsigned want = calib_threads(threads), ran;

	if (want > n)
		want = n ? (unsigned)n : 1;
	if (want == 1) {
		for (size_t i = 0; i < n; i++)
			fn(ctx, i, 0);
		return 1;
	}
	atomic_init(&p.next, 0);
	run(&p, want, &ran);
	return ran;
}

bool
calib_parallel_together(size_t n, void (*fn)(void *ctx, size_t i, unsigned w), void *ctx)
{
	struct pool p = {.fn = fn, .ctx = ctx, .n = n, .together = true};
	unsigned ran;

	if (n == 0 || n > 64)
		return n == 0;
	atomic_init(&p.next, 0);
	return run(&p, (unsigned)n, &ran);
}
