/*
 * fuzz_results.c - libFuzzer target of the reader of calib's own result
 * tables (results.h), which calib-plot agreement runs on whatever arrives
 * on its standard input: CSV, TSV or JSON. The first byte (the option
 * byte of the other targets' seeds) is skipped, so the same seeds serve.
 * Every cell is looked at; any crash, leak or sanitizer report is a
 * finding.
 */
#include <stdint.h>
#include <string.h>

#include "calib/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calib_results *r;
	struct calib_error err;
	size_t sum = 0;

	if (size < 1)
		return 0;
	if (calib_results_parse((const char *)data + 1, size - 1, "fuzz", &r, &err) != CALIB_OK)
		return 0;
	for (size_t i = 0; i < r->n_rows * r->n_cols; i++)
		sum += r->cell[i] ? strlen(r->cell[i]) : 0;
	for (size_t c = 0; c < r->n_cols; c++)
		sum += strlen(r->col[c]) + (calib_results_col(r, r->col[c]) == c);
	calib_results_free(r);
	return sum == SIZE_MAX;
}
