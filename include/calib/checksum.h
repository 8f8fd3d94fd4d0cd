/*
 * checksum.h - the POSIX cksum(1) checksum of a file (CRC-32 with
 * polynomial 0x04C11DB7 over the bytes and then the length), so that a
 * reader can check an input named in a report with the cksum command
 * every system has. It finds accidental changes, not deliberate ones.
 */
#ifndef CALIB_CHECKSUM_H
#define CALIB_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#include "calib/error.h"

/* The cksum of buf[0..n). Cannot fail. */
uint32_t calib_cksum(const void *buf, size_t n);

/*
 * The cksum and size of the file at path. CALIB_OK, or CALIB_EIO with
 * errno's message in err (file: path).
 */
enum calib_status calib_cksum_file(const char *path, uint32_t *sum, uint64_t *size,
                                   struct calib_error *err);

#endif
