/*
 * table.c - result tables and their writers (table.h). CSV goes through
 * libcsv's writer so that names with commas, quotes or newlines survive.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "calib/store.h"
#include "calib/table.h"

struct cell {
	char *text; /* NULL: empty or a number */
	double num;
	bool is_num;
};

struct calib_table {
	size_t n_cols, n_rows, cap;
	char **col;
	int *digits;
	struct cell *cell; /* n_rows x n_cols */
	char **footer, **title;
	size_t n_footer, n_title;
};

bool
calib_format_parse(const char *s, enum calib_format *f)
{
	static const char *const names[] = { "table", "csv", "tsv", "json" };
	for (size_t i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum calib_format)i;
			return true;
		}
	return false;
}

struct calib_table *
calib_table_alloc(const char *const *cols, size_t n_cols, const int *digits)
{
	struct calib_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->n_cols = n_cols;
	t->col = calloc(n_cols ? n_cols : 1, sizeof *t->col);
	t->digits = malloc((n_cols ? n_cols : 1) * sizeof *t->digits);
	if (!t->col || !t->digits) {
		calib_table_free(t);
		return NULL;
	}
	for (size_t c = 0; c < n_cols; c++) {
		t->digits[c] = digits ? digits[c] : 3;
		if (!(t->col[c] = strdup(cols[c]))) {
			calib_table_free(t);
			return NULL;
		}
	}
	return t;
}

static void
free_lines(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
calib_table_free(struct calib_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cell[i].text);
	free(t->cell);
	free_lines(t->col, t->n_cols);
	free_lines(t->footer, t->n_footer);
	free_lines(t->title, t->n_title);
	free(t->digits);
	free(t);
}

size_t
calib_table_n_rows(const struct calib_table *t)
{
	return t->n_rows;
}

enum calib_status
calib_table_row(struct calib_table *t)
{
	if (t->n_rows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct cell *c = realloc(t->cell, cap * (t->n_cols ? t->n_cols : 1) * sizeof *c);
		if (!c)
			return CALIB_ENOMEM;
		t->cell = c;
		t->cap = cap;
	}
	for (size_t c = 0; c < t->n_cols; c++)
		t->cell[t->n_rows * t->n_cols + c] = (struct cell){ NULL, NAN, false };
	t->n_rows++;
	return CALIB_OK;
}

static char *
vformat(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *s;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

enum calib_status
calib_table_text(struct calib_table *t, size_t col, const char *fmt, ...)
{
	struct cell *c = &t->cell[(t->n_rows - 1) * t->n_cols + col];
	va_list ap;
	char *s;

	va_start(ap, fmt);
	/* a plain string, the usual call, is copied without printf measuring it first */
	if (strcmp(fmt, "%s") == 0) {
		const char *arg = va_arg(ap, const char *);
		s = strdup(arg ? arg : "(null)"); /* what glibc's printf makes of NULL */
	} else
		s = vformat(fmt, ap);
	va_end(ap);
	if (!s)
		return CALIB_ENOMEM;
	free(c->text);
	c->text = s;
	c->is_num = false;
	return CALIB_OK;
}

enum calib_status
calib_table_num(struct calib_table *t, size_t col, double v)
{
	struct cell *c = &t->cell[(t->n_rows - 1) * t->n_cols + col];
	free(c->text);
	c->text = NULL;
	c->num = v;
	c->is_num = true;
	return CALIB_OK;
}

static enum calib_status
add_line(char ***v, size_t *n, const char *fmt, va_list ap)
{
	char **w = realloc(*v, (*n + 1) * sizeof *w);
	if (!w)
		return CALIB_ENOMEM;
	*v = w;
	if (!(w[*n] = vformat(fmt, ap)))
		return CALIB_ENOMEM;
	(*n)++;
	return CALIB_OK;
}

enum calib_status
calib_table_footer(struct calib_table *t, const char *fmt, ...)
{
	va_list ap;
	enum calib_status st;
	va_start(ap, fmt);
	st = add_line(&t->footer, &t->n_footer, fmt, ap);
	va_end(ap);
	return st;
}

enum calib_status
calib_table_title(struct calib_table *t, const char *fmt, ...)
{
	va_list ap;
	enum calib_status st;
	va_start(ap, fmt);
	st = add_line(&t->title, &t->n_title, fmt, ap);
	va_end(ap);
	return st;
}

/*
 * Full-precision texts of the numbers written so far, by bit pattern. The
 * shortest round-trip form costs calib_format_double up to 38 printf and
 * strtod calls for a number such as 0.4472135954999579, and long tables
 * repeat few distinct numbers (counts, levels, shares among a few raters),
 * so each is formatted once. Direct-mapped: a collision only formats again.
 */
#define MEMO_BITS 12
struct memo {
	uint64_t bits;
	bool used;
	char text[40];
};

static const char *
memo_format(struct memo *memo, double v, char *buf, size_t n)
{
	uint64_t bits;
	struct memo *m;

	if (!memo)
		return calib_format_double(v, buf, n);
	memcpy(&bits, &v, sizeof bits);
	m = &memo[(bits * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - MEMO_BITS)];
	if (m->used && m->bits == bits)
		return m->text;
	calib_format_double(v, buf, n);
	if (strlen(buf) < sizeof m->text) {
		memcpy(m->text, buf, strlen(buf) + 1);
		m->bits = bits;
		m->used = true;
	}
	return buf;
}

/* Text of a cell for machines (full precision, through memo) or people (rounded). */
static const char *
cell_text(const struct calib_table *t, const struct cell *c, size_t col, bool human,
	  struct memo *memo, char *buf, size_t n)
{
	if (!c->is_num)
		return c->text ? c->text : "";
	if (isnan(c->num))
		return human ? "NA" : "NA";
	if (isinf(c->num))
		return c->num > 0 ? "Inf" : "-Inf";
	if (!human)
		return memo_format(memo, c->num, buf, n);
	if (t->digits[col] < 0)
		snprintf(buf, n, "%.0f", c->num);
	else
		snprintf(buf, n, "%.*f", t->digits[col], c->num);
	if (strncmp(buf, "-0.", 3) == 0 && strspn(buf + 3, "0") == strlen(buf + 3))
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

/* Display width of UTF-8 text: code points, not bytes. */
static size_t
width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/*
 * Print s and a newline. Names come from input files, so the aligned
 * table escapes them as messages do (calib_escaped): no name can drive the
 * terminal. -1 when out of memory.
 */
static int
put_line(FILE *fp, const char *s)
{
	char *tmp;
	const char *v = calib_escaped(s, &tmp);

	if (!v)
		return -1;
	fprintf(fp, "%s\n", v);
	free(tmp);
	return 0;
}

static int
write_table(const struct calib_table *t, FILE *fp, bool group_first)
{
	size_t *w = calloc(t->n_cols ? t->n_cols : 1, sizeof *w);
	char buf[64], *tmp = NULL;
	bool *numeric = calloc(t->n_cols ? t->n_cols : 1, sizeof *numeric);
	const char *s;

	if (!w || !numeric)
		goto nomem;
	for (size_t c = 0; c < t->n_cols; c++) {
		if (!(s = calib_escaped(t->col[c], &tmp)))
			goto nomem;
		w[c] = width(s);
		free(tmp);
	}
	for (size_t r = 0; r < t->n_rows; r++)
		for (size_t c = 0; c < t->n_cols; c++) {
			const struct cell *x = &t->cell[r * t->n_cols + c];
			size_t cw;
			if (!(s = calib_escaped(cell_text(t, x, c, true, NULL, buf, sizeof buf), &tmp)))
				goto nomem;
			cw = width(s);
			free(tmp);
			if (cw > w[c])
				w[c] = cw;
			numeric[c] |= x->is_num;
		}
	for (size_t i = 0; i < t->n_title; i++)
		if (put_line(fp, t->title[i]))
			goto nomem;
	for (size_t c = 0; c < t->n_cols; c++) {
		size_t pad;
		if (!(s = calib_escaped(t->col[c], &tmp)))
			goto nomem;
		pad = w[c] - width(s);
		if (numeric[c])
			fprintf(fp, "%s%*s%s", c ? "  " : "", (int)pad, "", s);
		else
			fprintf(fp, "%s%s%*s", c ? "  " : "", s,
				c + 1 < t->n_cols ? (int)pad : 0, "");
		free(tmp);
	}
	fputc('\n', fp);
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t c = 0; c < t->n_cols; c++) {
			const struct cell *x = &t->cell[r * t->n_cols + c];
			size_t pad;
			s = cell_text(t, x, c, true, NULL, buf, sizeof buf);
			if (c == 0 && group_first && r > 0 && !x->is_num && x->text &&
			    t->cell[(r - 1) * t->n_cols].text &&
			    strcmp(x->text, t->cell[(r - 1) * t->n_cols].text) == 0)
				s = "";
			if (!(s = calib_escaped(s, &tmp)))
				goto nomem;
			pad = w[c] - width(s);
			if (x->is_num)
				fprintf(fp, "%s%*s%s", c ? "  " : "", (int)pad, "", s);
			else
				fprintf(fp, "%s%s%*s", c ? "  " : "", s,
					c + 1 < t->n_cols ? (int)pad : 0, "");
			free(tmp);
		}
		fputc('\n', fp);
	}
	for (size_t i = 0; i < t->n_footer; i++)
		if (put_line(fp, t->footer[i]))
			goto nomem;
	free(w);
	free(numeric);
	return 0;
nomem:
	free(w);
	free(numeric);
	errno = ENOMEM;
	return -1;
}

static void
write_csv_field(FILE *fp, const char *s)
{
	/* quote only where needed, so plain fields read as they are */
	if (strpbrk(s, ",\"\r\n") || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' ')))
		csv_fwrite(fp, s, strlen(s));
	else
		fputs(s, fp);
}

static void
write_tsv_field(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\\': fputs("\\\\", fp); break;
		default: fputc(*s, fp);
		}
	}
}

static void
write_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(fp, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", fp);
		else if (ch == '\t')
			fputs("\\t", fp);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(fp, "\\u%04x", ch);
		else
			fputc(ch, fp);
	}
	fputc('"', fp);
}

static void
write_json(const struct calib_table *t, FILE *fp, struct memo *memo)
{
	char buf[64];
	fputs("[", fp);
	for (size_t r = 0; r < t->n_rows; r++) {
		fputs(r ? ",\n {" : "\n {", fp);
		for (size_t c = 0; c < t->n_cols; c++) {
			const struct cell *x = &t->cell[r * t->n_cols + c];
			if (c)
				fputs(", ", fp);
			write_json_string(fp, t->col[c]);
			fputs(": ", fp);
			if (!x->is_num)
				write_json_string(fp, x->text ? x->text : "");
			else if (isnan(x->num))
				fputs("null", fp);
			else if (isinf(x->num))
				fputs(x->num > 0 ? "\"Inf\"" : "\"-Inf\"", fp);
			else
				fputs(memo_format(memo, x->num, buf, sizeof buf), fp);
		}
		fputs("}", fp);
	}
	fputs(t->n_rows ? "\n]\n" : "]\n", fp);
}

enum calib_status
calib_table_write(const struct calib_table *t, FILE *fp, enum calib_format f, bool group_first)
{
	char buf[64];
	/* without room for the memo every number is formatted, as it would be */
	struct memo *memo = f == CALIB_FORMAT_TABLE || t->n_rows < 2
				    ? NULL
				    : calloc((size_t)1 << MEMO_BITS, sizeof *memo);

	errno = 0;
	if (f == CALIB_FORMAT_TABLE) {
		if (write_table(t, fp, group_first))
			return CALIB_EIO;
	} else if (f == CALIB_FORMAT_JSON) {
		write_json(t, fp, memo);
	} else {
		for (size_t r = 0; r <= t->n_rows; r++)
			for (size_t c = 0; c < t->n_cols; c++) {
				const char *s = r == 0 ? t->col[c]
						       : cell_text(t, &t->cell[(r - 1) * t->n_cols + c],
								   c, false, memo, buf, sizeof buf);
				if (c)
					fputc(f == CALIB_FORMAT_CSV ? ',' : '\t', fp);
				if (f == CALIB_FORMAT_CSV)
					write_csv_field(fp, s);
				else
					write_tsv_field(fp, s);
				if (c + 1 == t->n_cols)
					fputc('\n', fp);
			}
	}
	free(memo);
	return ferror(fp) ? CALIB_EIO : CALIB_OK;
}
