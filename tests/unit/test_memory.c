/*
 * test_memory.c - advice about large blocks: the contents and the block's
 * use are unchanged, and where the system keeps the advice (Linux with
 * transparent huge pages) the block's mapping carries it; memory kept
 * for reuse: blocks under the share of a large input come from the heap,
 * and a small input changes nothing.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calib/memory.h"
#include "tap.h"

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define HAVE_MALLINFO2 1
#endif

/* Whether the mapping holding address a is marked for huge pages ("hg" in VmFlags); -1 when unknown. */
static int
advised(const void *a)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	uintptr_t lo = 0, hi = 0, p = (uintptr_t)a;
	bool in = false;
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		unsigned long x, y;
		if (sscanf(line, "%lx-%lx ", &x, &y) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			lo = x;
			hi = y;
			in = p >= lo && p < hi;
		} else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			found = strstr(line, " hg") != NULL;
			break;
		}
	}
	fclose(f);
	return found;
}

#ifdef HAVE_MALLINFO2
/* Whether a block of n bytes is mapped on its own (not from the heap); it is freed. */
static bool
mapped_alone(size_t n)
{
	size_t before = mallinfo2().hblks, after;
	char *p = malloc(n);

	if (!p)
		return false;
	p[0] = p[n - 1] = 1;
	after = mallinfo2().hblks;
	free(p);
	return after > before;
}

/* Whether glibc's allocator serves malloc (not one of a checker's, which counts nothing here). */
static bool
glibc_malloc(void)
{
	char *p = malloc(100);
	struct mallinfo2 m = mallinfo2();

	free(p);
	return m.uordblks > 0;
}
#endif

/* Run first, before any block is freed: glibc raises its own threshold to a freed block's size. */
static void
test_reuse(void)
{
#ifdef HAVE_MALLINFO2
	if (!glibc_malloc()) {
		calib_memory_reuse((size_t)1 << 30);
		ok(1, "# SKIP malloc is not glibc's here (a memory checker's)");
		return;
	}
	calib_memory_reuse(CALIB_MEMORY_REUSE_MIN - 1);
	ok(mapped_alone((size_t)6 << 20), "reuse: a small input leaves a 6 MB block mapped alone");
	/* (a block is mapped only when the heap's free room cannot hold it: larger ones first) */
	calib_memory_reuse((size_t)64 << 20);
	ok(mapped_alone((size_t)5 << 20), "reuse: a 64 MB input's share is 4 MB: 5 MB mapped alone");
	ok(!mapped_alone((size_t)3 << 20), "reuse: and 3 MB from the heap");
	calib_memory_reuse((size_t)1 << 30);
	ok(!mapped_alone((size_t)7 << 20), "reuse: a 1 GB input takes a 7 MB block from the heap");
	ok(mapped_alone((size_t)12 << 20),
	   "reuse: a block over CALIB_MEMORY_REUSE_MAX is still mapped alone");
#else
	calib_memory_reuse((size_t)1 << 30);
	ok(1, "# SKIP no glibc mallinfo2 here");
#endif
}

int
main(void)
{
	size_t n = (size_t)64 << 20, bad = 0;
	unsigned char *p = malloc(n), *q;
	char small[64];

	test_reuse();
	calib_memory_large(NULL, n);
	calib_memory_large(small, sizeof small);
	ok(1, "memory: a NULL block and a small one are left alone");
	if (!p)
		return tap_done();
	for (size_t i = 0; i < n; i += 4096)
		p[i] = (unsigned char)(i >> 12);
	calib_memory_large(p, n);
	for (size_t i = 0; i < n; i += 4096)
		bad += p[i] != (unsigned char)(i >> 12);
	is_long((long)bad, 0, "memory: the advice keeps the block's contents");
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0 && advised(p + n / 2) >= 0)
		is_long(advised(p + n / 2), 1, "memory: the block's mapping is marked for huge pages");
	else
		ok(1, "# SKIP no transparent huge pages here");
	q = realloc(p, 2 * n);
	if (q) {
		p = q;
		memset(p + n, 7, n);
		for (size_t i = 0; i < n; i += 4096)
			bad += p[i] != (unsigned char)(i >> 12) || p[n + i] != 7;
	}
	is_long((long)bad, 0, "memory: the block grows with realloc as any other");
	free(p);
	return tap_done();
}
