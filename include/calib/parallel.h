/*
 * parallel.h - the one way the library uses threads: a loop whose items
 * run over a given number of threads, the caller's among them, and a
 * thread count that every layer passes down (read options, report and
 * raters options, the alpha bootstrap), so that 1 means one thread
 * everywhere and nested loops never start more threads than asked for.
 *
 * Ownership: nothing is allocated that outlives a call; ctx is the
 * caller's and is shared by every thread (each item writes only what it
 * owns, each worker only its own scratch).
 */
#ifndef CALIB_PARALLEL_H
#define CALIB_PARALLEL_H

#include <stdbool.h>
#include <stddef.h>

/* Threads used when the caller asks for 0 ("as many as fit"): up to this many. */
#define CALIB_THREADS_MAX 2u

/*
 * The thread count asked for made concrete: 0 means the processors
 * online, at most CALIB_THREADS_MAX; any other value is kept. Cannot
 * fail.
 */
unsigned calib_threads(unsigned asked);

/*
 * Call fn(ctx, i, w) for every i in [0, n), over min(calib_threads(threads),
 * n) threads: the caller's (w = 0) and threads started for the rest (w =
 * 1, 2, ...), so that ctx may hold one scratch per worker, indexed by w.
 * Items are handed out in order from a shared counter; a thread that
 * cannot be started leaves its share to the others. With one thread, no
 * thread is started and the items run in order on the caller's thread.
 * Returns when every item has run, with the number of workers that ran
 * (at least 1). Cannot fail.
 */
unsigned calib_parallel_for(size_t n, unsigned threads,
			    void (*fn)(void *ctx, size_t i, unsigned w), void *ctx);

/* The cache line a worker's own scratch starts on, so that no two workers write to one. */
#define CALIB_CACHE_LINE 64

/*
 * n zeroed elements of size bytes, the first on a cache line: an array of
 * workers' scratch whose element type's first member is
 * _Alignas(CALIB_CACHE_LINE), so that each worker's lies on lines of its
 * own and workers writing to theirs do not slow each other. NULL when out
 * of memory; free() frees it.
 */
void *calib_parallel_calloc(size_t n, size_t size);

/*
 * Part i of `parts` about equal ranges of [0, n) (the first n % parts one
 * longer), as [*from, *to): a loop of calib_parallel_for over parts of a
 * long range. Cannot fail.
 */
void calib_parallel_range(size_t n, size_t parts, size_t i, size_t *from, size_t *to);

/*
 * Run fn(ctx, i, i) for i in [0, n) all at the same time, item 0 on the
 * caller's thread and each other on a thread of its own (a pipeline
 * whose stages wait for one another). No item starts before every thread
 * has: when one cannot be started, nothing runs and false is returned
 * (the caller then does the work another way). True once every item has
 * returned.
 */
bool calib_parallel_together(size_t n, void (*fn)(void *ctx, size_t i, unsigned w), void *ctx);

#endif
