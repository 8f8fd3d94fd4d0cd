/*
 * memory.c - advice to the system about large blocks (memory.h).
 */
#define _DEFAULT_SOURCE /* madvise */
#include <limits.h>
#include <stdint.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <sys/mman.h>
#include <unistd.h>

#include "calib/memory.h"

void
calib_memory_large(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	long sz = sysconf(_SC_PAGESIZE);
	uintptr_t page = sz > 0 ? (uintptr_t)sz : 4096, start, end;

	if (!p || n < CALIB_MEMORY_LARGE)
		return;
	/* the whole pages inside the block: the advice takes page bounds */
	start = ((uintptr_t)p + page - 1) & ~(page - 1);
	end = ((uintptr_t)p + n) & ~(page - 1);
	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE); /* advice only */
#else
	(void)p;
	(void)n;
#endif
}

void
calib_memory_reuse(size_t input)
{
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	size_t below = input / CALIB_MEMORY_REUSE_SHARE;

	if (input < CALIB_MEMORY_REUSE_MIN)
		return;
	if (below > CALIB_MEMORY_REUSE_MAX)
		below = CALIB_MEMORY_REUSE_MAX;
	(void)mallopt(M_MMAP_THRESHOLD, (int)below); /* settings only */
	(void)mallopt(M_TRIM_THRESHOLD, INT_MAX);
#else
	(void)input;
#endif
}
