/*
 * results.h - reading calib's own result tables back: the CSV, TSV and
 * JSON that calib_table_write writes (calib-agree's and calib-kappa's
 * records, read by calib-plot agreement from a file or a pipe).
 *
 * The format is told from the text: a JSON array of objects, else TSV
 * when the header line holds a tab, else CSV. Every cell is kept as text
 * (numbers as written); a JSON null or a missing key is NULL.
 *
 * Ownership: calib_results_parse returns a new object that the caller
 * frees with calib_results_free (harmless on NULL); its strings live as
 * long as it does.
 */
#ifndef CALIB_RESULTS_H
#define CALIB_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "calib/error.h"

struct calib_results {
	size_t n_cols, n_rows;
	char **col;  /* column names, in the order first seen */
	char **cell; /* n_rows x n_cols; NULL: JSON null or absent */
};

/*
 * Parse buf[0..len) (a leading UTF-8 BOM is skipped). name is the input's
 * name for messages. CALIB_OK with *out set, CALIB_EINPUT with the
 * location in err (malformed text), or CALIB_ENOMEM; *out is NULL on
 * failure.
 */
enum calib_status calib_results_parse(const char *buf, size_t len, const char *name,
                                      struct calib_results **out, struct calib_error *err);

/*
 * Does buf[0..len) hold calib-agree's or calib-kappa's records: a CSV or
 * TSV header starting "criterion,statistic,estimate," (or with tabs), or
 * a JSON array whose first object's first key is "criterion" (after a
 * UTF-8 BOM and white space)? Tells such a table from a score sheet
 * before either is parsed. Cannot fail.
 */
bool calib_results_sniff(const char *buf, size_t len);

/* Index of the column called name, or n_cols when there is none. Cannot fail. */
size_t calib_results_col(const struct calib_results *r, const char *name);

void calib_results_free(struct calib_results *r);

#endif
