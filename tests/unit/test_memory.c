/*
 * test_memory.c - advice about large blocks: the contents and the block's
 * use are unchanged, and where the system keeps the advice (Linux with
 * transparent huge pages) the block's mapping carries it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calib/memory.h"
#include "tap.h"

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

int
main(void)
{
	size_t n = (size_t)64 << 20, bad = 0;
	unsigned char *p = malloc(n), *q;
	char small[64];

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
