/*
 * fuzz_sheet.c - libFuzzer target of the sheet reader: the first byte
 * chooses the input form, delimiter, duplicate policy, limits and session
 * (fuzz_input.h); bit 0 of the second byte reads the rest twice as two
 * inputs (a second file of the same session), as a program given two
 * files does. Whatever is read is finished and every criterion built as a
 * matrix. Any crash, leak or sanitizer report is a finding.
 */
#include <stdint.h>
#include <stdio.h>

#include "calib/matrix.h"
#include "calib/reader.h"
#include "calib/store.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum calib_status
read_one(struct calib_store *s, const uint8_t *data, size_t size, const char *name,
	 const struct calib_read_opts *o)
{
	struct calib_error err;
	enum calib_status st;
	FILE *fp = fuzz_stream(data, size);

	if (!fp)
		return CALIB_ENOMEM;
	st = calib_read(s, fp, name, o, &err);
	fclose(fp);
	return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calib_read_opts o;
	struct calib_matrix_opts mo;
	struct calib_store *s;
	bool twice;
	size_t c;

	if (size < 2)
		return 0;
	fuzz_read_opts(data[0], &o);
	twice = data[1] & 1u;
	data += 2;
	size -= 2;
	s = calib_store_alloc();
	if (!s)
		return 0;
	if (read_one(s, data, size, "fuzz/ann.csv", &o) == CALIB_OK &&
	    (!twice || read_one(s, data, size, "fuzz/bob.csv", &o) == CALIB_OK) &&
	    calib_store_finish(s) == CALIB_OK) {
		calib_matrix_opts_init(&mo);
		for (c = 0; c < s->n_criteria; c++) {
			struct calib_matrix *m = NULL;
			if (calib_matrix_build(s, (uint32_t)c, &mo, &m) == CALIB_OK)
				calib_matrix_free(m);
		}
	}
	calib_store_free(s);
	return 0;
}
