/*
 * table.h - a result table and its writers: an aligned table for people,
 * CSV, TSV and JSON for programs. Every calib program prints through it,
 * so the formats behave alike everywhere (SPEC "Shared conventions").
 *
 * Cells are text or numbers. Numbers are written with full precision
 * (shortest round-trip form) in CSV/TSV/JSON and rounded to the column's
 * digits in the table; a number that is not finite (NAN, infinities) is
 * "NA" (JSON null): no output holds Inf or NaN. An empty text cell is
 * empty, in JSON null.
 *
 * Ownership: the table owns copies of every string given to it;
 * calib_table_free(NULL) is harmless.
 */
#ifndef CALIB_TABLE_H
#define CALIB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "calib/error.h"

enum calib_format {
	CALIB_FORMAT_TABLE = 0,
	CALIB_FORMAT_CSV,
	CALIB_FORMAT_TSV,
	CALIB_FORMAT_JSON
};

/* "table", "csv", "tsv", "json" -> format; false when unknown. */
bool calib_format_parse(const char *s, enum calib_format *f);

struct calib_table;

/*
 * A table with the given column names (copied). digits[c] is the number
 * of decimals of numeric column c in the aligned table; -1 means integer
 * counts, -2 numbers as given (scores: the shortest form that reads back),
 * NULL gives every column 3. NULL when out of memory.
 */
struct calib_table *calib_table_alloc(const char *const *cols, size_t n_cols,
				      const int *digits);
void calib_table_free(struct calib_table *t);

/* Start a new row (every cell empty). CALIB_OK or CALIB_ENOMEM. */
enum calib_status calib_table_row(struct calib_table *t);
/* Set cell col of the last row to text (printf-style). */
enum calib_status calib_table_text(struct calib_table *t, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Set cell col of the last row to a number. */
enum calib_status calib_table_num(struct calib_table *t, size_t col, double v);

/*
 * Head column col of the aligned table with text instead of its name
 * (CSV, TSV and JSON keep the name): calib-disputes' rater:NAME columns
 * are headed NAME. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_table_heading(struct calib_table *t, size_t col, const char *text);

/* Lines printed after an aligned table (not in CSV/TSV/JSON). */
enum calib_status calib_table_footer(struct calib_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Title line printed before an aligned table. */
enum calib_status calib_table_title(struct calib_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

size_t calib_table_n_rows(const struct calib_table *t);
/*
 * What a table holds, for writers outside this module (the HTML page):
 * its columns, the heading people read over column col, its i-th title and
 * footer line (NULL past the last), and cell (r, c) as the aligned table
 * shows it (rounded to the column's digits, NA), not escaped, in buf (n
 * bytes, 64 or more) or the cell's own text; *is_num (may be NULL) says
 * whether it is a number. Cannot fail.
 */
size_t calib_table_n_cols(const struct calib_table *t);
const char *calib_table_col_heading(const struct calib_table *t, size_t col);
const char *calib_table_title_at(const struct calib_table *t, size_t i);
const char *calib_table_footer_at(const struct calib_table *t, size_t i);
const char *calib_table_cell_shown(const struct calib_table *t, size_t r, size_t c, char *buf,
				   size_t n, bool *is_num);

/*
 * Write t to fp in format f. In the aligned table, repeated values of
 * column 0 on consecutive rows are shown once when group_first is set.
 * Returns CALIB_OK, or CALIB_EIO when a write failed (errno kept).
 */
enum calib_status calib_table_write(const struct calib_table *t, FILE *fp,
				    enum calib_format f, bool group_first);

/*
 * calib_table_write, with the aligned table fitted to width display
 * columns (0: no limit, as calib_table_write). A table wider than width
 * gives way column by column, by each column's importance, which the
 * table layer declares once per column name for every program:
 *  - the least important columns leave the line and are shown under their
 *    row as "name: value" (empty and NA cells left out), long notes first;
 *  - long names (criteria, calls, raters, sessions, statistics) are
 *    shortened to a prefix and a tag "~N", with "~N: full name" under the
 *    table;
 *  - row names, the estimate, its interval and its band always stay.
 * Titles, footers and the lines under rows are wrapped at width too; a
 * line says which columns moved. Only a table whose always-shown columns
 * are wider than width even with names at their shortest is wider.
 * Other formats ignore width.
 */
enum calib_status calib_table_write_fit(const struct calib_table *t, FILE *fp,
					enum calib_format f, bool group_first, size_t width);

/*
 * Display width of UTF-8 text on a terminal: one column per character,
 * two for East Asian wide and fullwidth characters and emoji, none for
 * combining marks and zero-width characters. Invalid bytes count one
 * each. Cannot fail.
 */
size_t calib_table_text_width(const char *s);

/*
 * calib_table_write with na as the text of a not-available number in CSV
 * and TSV (calib_table_write's is "NA"; "" leaves the field empty). The
 * aligned table still shows NA, JSON null.
 */
enum calib_status calib_table_write_na(const struct calib_table *t, FILE *fp,
				       enum calib_format f, bool group_first, const char *na);

#endif
