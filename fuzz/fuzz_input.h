/*
 * fuzz_input.h - what the fuzz targets share: the option byte that opens
 * every fuzzed input, turned into reader options, and the input itself as
 * a stream (fmemopen), as the programs read files.
 */
#ifndef CALIB_FUZZ_INPUT_H
#define CALIB_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "calib/reader.h"

/*
 * Reader options from the option byte b: bits 0-1 layout (auto, sheet,
 * long, rater), bits 2-3 delimiter (detect, ',', tab, ';'), bits 4-5
 * duplicates (error, first, last, error), bit 6 small limits (a 64-byte
 * field, 8 columns, a 256-byte line) and extra missing/N/A tokens, bit 7
 * a session label for every row.
 */
static inline void
fuzz_read_opts(uint8_t b, struct calib_read_opts *o)
{
	static const enum calib_layout layouts[] = {CALIB_LAYOUT_AUTO, CALIB_LAYOUT_SHEET,
						    CALIB_LAYOUT_LONG, CALIB_LAYOUT_RATER};
	static const char delims[] = {0, ',', '\t', ';'};
	static const enum calib_dup_policy dups[] = {CALIB_DUP_ERROR, CALIB_DUP_FIRST,
						     CALIB_DUP_LAST, CALIB_DUP_ERROR};

	calib_read_opts_init(o);
	o->layout = layouts[b & 3u];
	o->delimiter = delims[(b >> 2) & 3u];
	o->duplicates = dups[(b >> 4) & 3u];
	if (b & 0x40u) {
		o->max_field = 64;
		o->max_columns = 8;
		o->max_line = 256;
		o->missing = "-,?,skip";
		o->na = "N/A,NA,n/a,x";
	}
	if (b & 0x80u)
		o->session = "2026-11-26";
}

/* The bytes as a stream, or NULL (no room). Empty input is a 0-byte stream. */
static inline FILE *
fuzz_stream(const uint8_t *data, size_t size)
{
	static char empty[1];

	return fmemopen(size ? (void *)data : empty, size, "r");
}

#endif
