/*
 * memory.h - advice to the system about the library's large blocks.
 */
#ifndef CALIB_MEMORY_H
#define CALIB_MEMORY_H

#include <stddef.h>

/*
 * Ask that the block p[0..n) be backed by huge pages where the system
 * gives them on request (Linux's transparent huge pages in "madvise"
 * mode): a block of hundreds of megabytes, written once from one end to
 * the other, then costs a few hundred page faults instead of a few
 * hundred thousand. A block under CALIB_MEMORY_LARGE bytes, a NULL p,
 * or a system without the advice: nothing happens. The block's contents
 * are unchanged, and so is what the caller may do with it (realloc,
 * free). Cannot fail.
 */
#define CALIB_MEMORY_LARGE ((size_t)4 << 20)
void calib_memory_large(void *p, size_t n);

/*
 * Keep memory that is freed for the blocks allocated after it, rather
 * than giving it back to the system and having the next block faulted in
 * and zeroed again, for a process about to read `input` bytes: blocks
 * under input / CALIB_MEMORY_REUSE_SHARE bytes (at most
 * CALIB_MEMORY_REUSE_MAX) come from the heap, which is never trimmed.
 * The reading's halves, the join and the analysis then reuse each
 * other's pages: calib-agree of 50M ratings ran 10-20% faster, with
 * about 25 MB more at its peak (still 6.5 bytes a rating). The share
 * keeps the heap's loose ends in proportion to the input; a smaller
 * input gains little and would pay a few MB of them, so under
 * CALIB_MEMORY_REUSE_MIN bytes, or unknown (0), nothing changes. A
 * program calls it before reading (calib_cli's loading does); the
 * library never does (it is the whole process's allocator). Where the
 * allocator has no such settings, nothing happens.
 */
#define CALIB_MEMORY_REUSE_SHARE 16
#define CALIB_MEMORY_REUSE_MAX ((size_t)8 << 20)
#define CALIB_MEMORY_REUSE_MIN ((size_t)64 << 20)
void calib_memory_reuse(size_t input);

#endif
