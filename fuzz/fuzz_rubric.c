/*
 * fuzz_rubric.c - libFuzzer target of the rubric reader: the first byte
 * chooses the reader options (fuzz_input.h); the rest is a rubric file,
 * optionally followed by a form feed and a sheet. When the rubric is
 * accepted, the sheet (or a small fixed one) is read against it (its
 * criteria must then fit the declared scales) and the store finished and
 * built into matrices, so declared levels, labels and ranges meet scores.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "calib/matrix.h"
#include "calib/reader.h"
#include "calib/store.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sheet[] = "call,rater,greeting,empathy,resolution,compliance\n"
			    "C1,ann,1,3,yes,pass\n"
			    "C1,bob,2,4,no,fail\n"
			    "C2,ann,5,N/A,yes,\n"
			    "C2,bob,4,2,yes,pass\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calib_read_opts o;
	struct calib_error err;
	struct calib_store *s;
	FILE *fp;
	enum calib_status st;
	const uint8_t *ff;
	const char *text = sheet;
	size_t rubric_len, text_len = strlen(sheet);

	if (size < 1)
		return 0;
	fuzz_read_opts(data[0], &o);
	o.layout = CALIB_LAYOUT_AUTO; /* the sheet's own form */
	o.delimiter = 0;
	s = calib_store_alloc();
	if (!s)
		return 0;
	data++;
	size--;
	ff = memchr(data, '\f', size);
	rubric_len = ff ? (size_t)(ff - data) : size;
	if (ff) {
		text = (const char *)ff + 1;
		text_len = size - rubric_len - 1;
	}
	fp = fuzz_stream(data, rubric_len);
	st = fp ? calib_read_rubric(s, fp, "fuzz/rubric.csv", &o, &err) : CALIB_ENOMEM;
	if (fp)
		fclose(fp);
	if (st == CALIB_OK) {
		fp = fuzz_stream((const uint8_t *)text, text_len);
		if (fp) {
			st = calib_read(s, fp, "fuzz/sheet.csv", &o, &err);
			fclose(fp);
			if (st == CALIB_OK && calib_store_finish(s) == CALIB_OK) {
				struct calib_matrix_opts mo;
				calib_matrix_opts_init(&mo);
				for (size_t c = 0; c < s->n_criteria; c++) {
					struct calib_matrix *m = NULL;
					if (calib_matrix_build(s, (uint32_t)c, &mo, &m) ==
					    CALIB_OK)
						calib_matrix_free(m);
				}
			}
		}
	}
	calib_store_free(s);
	return 0;
}
