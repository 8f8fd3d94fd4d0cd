/*
 * results.c - calib's result tables read back (results.h): CSV through
 * libcsv, TSV with calib's escapes (\t \n \r \\), JSON as an array of flat
 * objects whose values are strings, numbers, true, false or null.
 */
#include <csv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calib/results.h"

/* One cell as read: row, column, text (NULL: null). */
struct triple {
	size_t row, col;
	char *text;
};

struct builder {
	struct calib_results *r;
	struct triple *t;
	size_t n_t, cap_t, cap_col;
	size_t row;      /* current row (0-based, data rows) */
	size_t field;    /* CSV/TSV: field of the current line */
	bool header;     /* CSV/TSV: the line being read is the header */
	bool nomem;
	size_t bad_row;  /* CSV/TSV: 1-based line of a ragged row, 0 none */
	size_t bad_n;
};

static size_t
col_of(struct builder *b, const char *s, size_t len)
{
	struct calib_results *r = b->r;

	for (size_t c = 0; c < r->n_cols; c++)
		if (strlen(r->col[c]) == len && memcmp(r->col[c], s, len) == 0)
			return c;
	if (r->n_cols == b->cap_col) {
		size_t cap = b->cap_col ? 2 * b->cap_col : 16;
		char **v = realloc(r->col, cap * sizeof *v);
		if (!v)
			return SIZE_MAX;
		r->col = v;
		b->cap_col = cap;
	}
	if (!(r->col[r->n_cols] = strndup(s, len)))
		return SIZE_MAX;
	return r->n_cols++;
}

/* Keep text (taken over: freed here on failure) as cell (b->row, col). */
static void
put(struct builder *b, size_t col, char *text, bool is_null)
{
	if (col == SIZE_MAX || (!text && !is_null)) {
		free(text);
		b->nomem = true;
		return;
	}
	if (b->n_t == b->cap_t) {
		size_t cap = b->cap_t ? 2 * b->cap_t : 64;
		struct triple *v = realloc(b->t, cap * sizeof *v);
		if (!v) {
			free(text);
			b->nomem = true;
			return;
		}
		b->t = v;
		b->cap_t = cap;
	}
	b->t[b->n_t++] = (struct triple){b->row, col, text};
}

/* ---- CSV and TSV ---- */

static void
line_field(struct builder *b, const char *s, size_t len)
{
	if (b->header)
		(void)col_of(b, s, len);
	else if (b->field < b->r->n_cols)
		put(b, b->field, strndup(s ? s : "", s ? len : 0), false);
	b->field++;
}

static void
line_end(struct builder *b)
{
	if (!b->header) {
		if (b->field != b->r->n_cols && !b->bad_row) {
			b->bad_row = b->row + 2;
			b->bad_n = b->field;
		}
		b->row++;
	}
	b->header = false;
	b->field = 0;
}

static void
csv_cb_field(void *s, size_t len, void *ctx)
{
	line_field(ctx, s, len);
}

static void
csv_cb_row(int term, void *ctx)
{
	(void)term;
	line_end(ctx);
}

static enum calib_status
parse_csv(struct builder *b, const char *buf, size_t len, const char *name,
          struct calib_error *err)
{
	struct csv_parser p;
	enum calib_status st = CALIB_OK;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	if (csv_parse(&p, buf, len, csv_cb_field, csv_cb_row, b) != len ||
	    csv_fini(&p, csv_cb_field, csv_cb_row, b) != 0)
		st = calib_error_set(err, CALIB_EINPUT, name, b->row + 2, 0, "%s",
		                     csv_strerror(csv_error(&p)));
	csv_free(&p);
	return st;
}

/* s[0..len) with calib's TSV escapes undone, in a new string (NULL: out of memory). */
static char *
tsv_unescape(const char *s, size_t len)
{
	char *o = malloc(len + 1), *q = o;

	if (!o)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && strchr("tnr\\", s[i + 1])) {
			i++;
			*q++ = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i] == 'r' ? '\r' : '\\';
		} else
			*q++ = s[i];
	}
	*q = '\0';
	return o;
}

static void
parse_tsv(struct builder *b, const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		/* buf need not end in a NUL: memchr, not strcspn */
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t stop = nl ? (size_t)(nl - buf) : len;
		size_t eol = stop > i && buf[stop - 1] == '\r' ? stop - 1 : stop;
		if (eol == i) { /* a blank line, as libcsv skips them */
			i = stop + 1;
			continue;
		}
		for (size_t f = i;;) {
			size_t g = f;
			while (g < eol && buf[g] != '\t')
				g++;
			if (b->header)
				(void)col_of(b, buf + f, g - f);
			else if (b->field < b->r->n_cols)
				put(b, b->field, tsv_unescape(buf + f, g - f), false);
			b->field++;
			if (g >= eol)
				break;
			f = g + 1;
		}
		line_end(b);
		i = stop + 1;
	}
}

/* ---- JSON ---- */

struct json {
	const char *s;
	size_t n, i;
	size_t line;
};

static void
ws(struct json *j)
{
	while (j->i < j->n && strchr(" \t\r\n", j->s[j->i]) && j->s[j->i]) {
		if (j->s[j->i] == '\n')
			j->line++;
		j->i++;
	}
}

static bool
eat(struct json *j, char c)
{
	ws(j);
	if (j->i < j->n && j->s[j->i] == c) {
		j->i++;
		return true;
	}
	return false;
}

static int
hex4(const char *s)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* A JSON string at j->i (its opening quote) into a new string; NULL when malformed (*nomem set when memory ran out). */
static char *
json_string(struct json *j, bool *nomem)
{
	size_t i;
	char *o, *q;

	ws(j);
	i = j->i + 1;
	if (j->i >= j->n || j->s[j->i] != '"')
		return NULL;
	/* escapes only shrink: \uXXXX (6 bytes) becomes at most 3 */
	if (!(o = malloc(j->n - j->i))) {
		*nomem = true;
		return NULL;
	}
	q = o;
	while (i < j->n && j->s[i] != '"') {
		unsigned char c = (unsigned char)j->s[i];
		if (c < 0x20)
			goto bad;
		if (c != '\\') {
			*q++ = (char)c;
			i++;
			continue;
		}
		if (++i >= j->n)
			goto bad;
		switch (j->s[i]) {
		case '"': case '\\': case '/': *q++ = j->s[i]; break;
		case 'b': *q++ = '\b'; break;
		case 'f': *q++ = '\f'; break;
		case 'n': *q++ = '\n'; break;
		case 'r': *q++ = '\r'; break;
		case 't': *q++ = '\t'; break;
		case 'u': {
			int v = i + 4 < j->n ? hex4(j->s + i + 1) : -1;
			/* calib writes \u only for control bytes; others as UTF-8 (no pairs) */
			if (v < 0 || (v >= 0xd800 && v <= 0xdfff))
				goto bad;
			if (v < 0x80)
				*q++ = (char)v;
			else if (v < 0x800) {
				*q++ = (char)(0xc0 | (v >> 6));
				*q++ = (char)(0x80 | (v & 0x3f));
			} else {
				*q++ = (char)(0xe0 | (v >> 12));
				*q++ = (char)(0x80 | ((v >> 6) & 0x3f));
				*q++ = (char)(0x80 | (v & 0x3f));
			}
			i += 4;
			break;
		}
		default:
			goto bad;
		}
		i++;
	}
	if (i >= j->n)
		goto bad;
	*q = '\0';
	j->i = i + 1;
	return o;
bad:
	free(o);
	return NULL;
}

/* A scalar JSON value: *text a new string, NULL for null. false when malformed. */
static bool
json_value(struct json *j, char **text, bool *nomem)
{
	static const char *const words[] = {"null", "true", "false"};
	size_t k;

	ws(j);
	*text = NULL;
	if (j->i >= j->n)
		return false;
	if (j->s[j->i] == '"')
		return (*text = json_string(j, nomem)) != NULL;
	for (size_t w = 0; w < 3; w++) {
		size_t l = strlen(words[w]);
		if (j->n - j->i >= l && memcmp(j->s + j->i, words[w], l) == 0) {
			j->i += l;
			if (w && !(*text = strdup(words[w])))
				*nomem = true;
			return !*nomem;
		}
	}
	/* a number, kept as written */
	k = j->i;
	while (k < j->n && strchr("+-0123456789.eE", j->s[k]) && j->s[k])
		k++;
	if (k == j->i)
		return false;
	if (!(*text = strndup(j->s + j->i, k - j->i))) {
		*nomem = true;
		return false;
	}
	j->i = k;
	return true;
}

static enum calib_status
parse_json(struct builder *b, const char *buf, size_t len, const char *name,
           struct calib_error *err)
{
	struct json j = {buf, len, 0, 1};
	const char *what = "expected '['";

	if (!eat(&j, '['))
		goto bad;
	if (!eat(&j, ']')) {
		do {
			what = "expected '{' (an object per row)";
			if (!eat(&j, '{'))
				goto bad;
			if (!eat(&j, '}')) {
				do {
					char *key, *val;
					size_t col;
					what = "expected a string key";
					if (!(key = json_string(&j, &b->nomem)))
						goto bad;
					col = col_of(b, key, strlen(key));
					free(key);
					what = "expected ':'";
					if (!eat(&j, ':'))
						goto bad;
					what = "expected a string, number, true, false or null";
					if (!json_value(&j, &val, &b->nomem))
						goto bad;
					put(b, col, val, val == NULL);
					if (b->nomem)
						goto bad;
				} while (eat(&j, ','));
				what = "expected ',' or '}'";
				if (!eat(&j, '}'))
					goto bad;
			}
			b->row++;
		} while (eat(&j, ','));
		what = "expected ',' or ']'";
		if (!eat(&j, ']'))
			goto bad;
	}
	ws(&j);
	what = "text after the closing ']'";
	if (j.i != j.n)
		goto bad;
	return CALIB_OK;
bad:
	if (b->nomem)
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	return calib_error_set(err, CALIB_EINPUT, name, j.line, 0, "JSON: %s", what);
}

/* ---- the table ---- */

enum calib_status
calib_results_parse(const char *buf, size_t len, const char *name, struct calib_results **out,
                    struct calib_error *err)
{
	struct builder b;
	enum calib_status st;
	size_t k = 0, nl, n_cells;

	*out = NULL;
	memset(&b, 0, sizeof b);
	if (!(b.r = calloc(1, sizeof *b.r)))
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		buf += 3, len -= 3;
	while (k < len && strchr(" \t\r\n", buf[k]) && buf[k])
		k++;
	nl = k < len ? k : len;
	while (nl < len && buf[nl] != '\n')
		nl++;
	b.header = true;
	if (k < len && buf[k] == '[')
		st = parse_json(&b, buf, len, name, err);
	else if (memchr(buf, '\t', nl)) {
		parse_tsv(&b, buf, len);
		st = CALIB_OK;
	} else
		st = parse_csv(&b, buf, len, name, err);
	if (st == CALIB_OK && b.nomem)
		st = calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	if (st == CALIB_OK && b.bad_row)
		st = calib_error_set(err, CALIB_EINPUT, name, b.bad_row, 0,
		                     "row has %zu field%s, the header %zu", b.bad_n,
		                     b.bad_n == 1 ? "" : "s", b.r->n_cols);
	b.r->n_rows = b.row;
	n_cells = b.r->n_rows * b.r->n_cols;
	if (st == CALIB_OK && !(b.r->cell = calloc(n_cells ? n_cells : 1, sizeof *b.r->cell)))
		st = calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < b.n_t; i++) {
		char **c = st == CALIB_OK ? &b.r->cell[b.t[i].row * b.r->n_cols + b.t[i].col]
		                          : NULL;
		/* a key given twice in one object: the last one counts */
		if (c) {
			free(*c);
			*c = b.t[i].text;
		} else
			free(b.t[i].text);
	}
	free(b.t);
	if (st != CALIB_OK) {
		calib_results_free(b.r);
		return st;
	}
	*out = b.r;
	return CALIB_OK;
}

bool
calib_results_sniff(const char *b, size_t n)
{
	static const char *const heads[] = {"criterion,statistic,estimate,",
	                                    "criterion\tstatistic\testimate\t"};
	size_t i = 0;

	if (n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
		b += 3, n -= 3;
	for (size_t k = 0; k < 2; k++)
		if (n >= strlen(heads[k]) && memcmp(b, heads[k], strlen(heads[k])) == 0)
			return true;
	for (const char *want = "[{\"criterion\""; *want; want++) {
		while (i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') &&
		       *want != '"')
			i++;
		if (*want == '"') /* the key itself, whole */
			return n - i >= strlen(want) && memcmp(b + i, want, strlen(want)) == 0;
		if (i >= n || b[i] != *want)
			return false;
		i++;
	}
	return false;
}

size_t
calib_results_col(const struct calib_results *r, const char *name)
{
	for (size_t c = 0; c < r->n_cols; c++)
		if (strcmp(r->col[c], name) == 0)
			return c;
	return r->n_cols;
}

void
calib_results_free(struct calib_results *r)
{
	if (!r)
		return;
	if (r->cell)
		for (size_t i = 0; i < r->n_rows * r->n_cols; i++)
			free(r->cell[i]);
	free(r->cell);
	for (size_t c = 0; c < r->n_cols; c++)
		free(r->col[c]);
	free(r->col);
	free(r);
}
