/*
 * checksum.c - the POSIX cksum(1) checksum (checksum.h). Neither the C
 * library, GSL nor libcsv has one; the table is built on first use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "calib/checksum.h"

/* The CRC state after bytes p[0..n) from crc (MSB first, polynomial 0x04C11DB7). */
static uint32_t
crc_update(uint32_t crc, const unsigned char *p, size_t n)
{
	static uint32_t table[256];
	static int ready;
	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i << 24;
			for (int k = 0; k < 8; k++)
				c = c & 0x80000000u ? (c << 1) ^ 0x04C11DB7u : c << 1;
			table[i] = c;
		}
		ready = 1;
	}
	while (n--)
		crc = (crc << 8) ^ table[((crc >> 24) ^ *p++) & 0xff];
	return crc;
}

/* Fold in the length (least significant byte first, no trailing zero bytes) and finish. */
static uint32_t
crc_finish(uint32_t crc, uint64_t len)
{
	for (; len; len >>= 8) {
		unsigned char b = (unsigned char)(len & 0xff);
		crc = crc_update(crc, &b, 1);
	}
	return ~crc;
}

uint32_t
calib_cksum(const void *buf, size_t n)
{
	return crc_finish(crc_update(0, buf, n), n);
}

enum calib_status
calib_cksum_file(const char *path, uint32_t *sum, uint64_t *size, struct calib_error *err)
{
	unsigned char buf[65536];
	uint32_t crc = 0;
	uint64_t len = 0;
	size_t got;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return calib_error_set(err, CALIB_EIO, path, 0, 0, "%s", strerror(errno));
	while ((got = fread(buf, 1, sizeof buf, fp)) > 0) {
		crc = crc_update(crc, buf, got);
		len += got;
	}
	if (ferror(fp)) {
		int e = errno;
		fclose(fp);
		return calib_error_set(err, CALIB_EIO, path, 0, 0, "%s", strerror(e));
	}
	fclose(fp);
	*sum = crc_finish(crc, len);
	*size = len;
	return CALIB_OK;
}
