/*
 * reader.c - reading score sheets (wide, long, per-rater) and rubric files
 * into a ratings store, with libcsv doing the CSV parsing.
 *
 * The input is read in 1 MiB blocks and handed to csv_parse one line at a
 * time (split on '\n' with memchr, or on '\r' in a file without '\n'),
 * which costs little and lets us know the line of every field: libcsv
 * itself reports no positions and skips blank lines. Fields of a row are
 * copied into one growing buffer (no allocation per field); a complete row
 * goes to the handler of the current state (header, sheet row, long row,
 * rubric row). Header columns are resolved to indices once, so a data row
 * is converted field by field without lookups.
 *
 * Errors found inside libcsv's callbacks are recorded in the reader and
 * stop the parse at the end of the current line; after an error csv_fini is
 * not called with our callbacks (it would deliver the half-read row).
 */
#include "calib/reader.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BLOCK      (1u << 20)
#define MAX_TOKENS 64
#define CRIT_CACHE 256
#define CODE_CACHE 4096
/* libcsv's state between csv_parse calls; 0 is its ROW_NOT_BEGUN. */
#define CSV_ROW_NOT_BEGUN 0

void
calib_read_opts_init(struct calib_read_opts *o)
{
	memset(o, 0, sizeof *o);
	o->layout = CALIB_LAYOUT_AUTO;
	o->missing = "";
	o->na = "N/A,NA,n/a";
	o->duplicates = CALIB_DUP_ERROR;
	o->max_field = CALIB_MAX_FIELD;
	o->max_columns = CALIB_MAX_COLUMNS;
	o->max_line = CALIB_MAX_LINE;
}

/* One field of the current row: text at buf + off, NUL-terminated. */
struct field {
	size_t off, len;
	unsigned long line; /* where the field starts */
	bool null;          /* an empty unquoted field */
};

/* A list of tokens (missing or N/A), split once per input. */
struct tokens {
	size_t n;
	const char *s[MAX_TOKENS];
	size_t len[MAX_TOKENS];
};

struct reader;
typedef void (*row_handler)(struct reader *r);

struct reader {
	struct calib_store *s;
	const struct calib_read_opts *o;
	struct calib_error *err;
	const char *name;
	uint32_t file;
	size_t max_field, max_columns, max_line;
	enum calib_status status; /* first error; ends the parse */

	unsigned long line;       /* line of the text being parsed */
	unsigned long field_line; /* line where the field being parsed began */

	char *buf; /* fields of the current row */
	size_t buf_len, buf_cap;
	struct field *f;
	size_t nf, f_cap;
	bool skip_row; /* a field limit was hit: the row is dropped */
	bool nul_seen; /* a NUL byte was read: fields are searched for one */

	row_handler row;
	size_t n_rows; /* rows handed to handlers, header included */
	FILE *fp;      /* the input, for finding the first of two duplicates */

	/* finding a duplicate's first row (see first_line) */
	uint32_t find_eval, find_crit;
	unsigned long find_before, found;

	/* header */
	size_t n_cols;
	enum calib_layout layout;
	size_t call_col, rater_col, session_col, crit_col, score_col;
	uint32_t *col_crit; /* sheet/rater form: criterion id per column, or CALIB_NONE */
	bool rubric;        /* criteria are declared: unknown ones are errors */
	char *rater;        /* per-rater form: the rater of every row */
	size_t rater_len;
	struct tokens missing, na;
	/* long form: criterion names seen, by hash, to skip the store's lookup */
	struct crit_slot {
		char *name;
		size_t len;
		uint32_t id;
	} crit_cache[CRIT_CACHE];
	/* short score texts already converted, per criterion (codes are stable while reading)
	 */
	struct code_slot {
		uint64_t text;
		uint32_t crit;
		uint16_t code;
		uint8_t len; /* 0: empty slot */
	} * code_cache;
	/* the evaluation of the previous row: long sheets repeat it row after row */
	char *last_key;
	size_t last_key_len, last_key_cap;
	uint32_t last_eval;

	/* rubric columns */
	size_t r_name, r_scale, r_levels, r_min, r_max, r_weight;
};

static enum calib_status __attribute__((format(printf, 5, 6)))
fail(struct reader *r, enum calib_status st, unsigned long line, unsigned long col,
     const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof r->err->msg];

	if (r->status != CALIB_OK)
		return r->status;
	if (!r->err) {
		r->status = st;
		return st;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->status = st;
	calib_error_set(r->err, st, r->name, line, col, "%s", msg);
	return st;
}

/*
 * Text of s[0..len) for a message: quoted, at most about 40 bytes, control
 * bytes and bytes of invalid UTF-8 escaped as \xNN.
 */
static const char *
shown(char *buf, size_t n, const char *s, size_t len)
{
	size_t i, o = 0;

	if (n < 16)
		return "";
	buf[o++] = '"';
	for (i = 0; i < len && o + 8 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i >= 40) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f || c >= 0x80)
			o += (size_t)snprintf(buf + o, n - o, "\\x%02x", c);
		else if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else
			buf[o++] = (char)c;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* Is s[0..len) well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF)? */
static bool
utf8_valid(const unsigned char *s, size_t len, size_t *bad)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t k, n;
		unsigned long cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1fu;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0fu;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07u;
		} else
			goto bad;
		if (len - i <= n)
			goto bad;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3fu);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += n + 1;
	}
	return true;
bad:
	*bad = i;
	return false;
}

static const char *
ftext(const struct reader *r, size_t j)
{
	return r->buf + r->f[j].off;
}

/* Check a name field (call, rater, session, criterion): UTF-8, not empty. */
static bool
check_name(struct reader *r, size_t j, const char *what, bool may_be_empty)
{
	const struct field *f = &r->f[j];
	size_t bad;

	if (f->len == 0 && !may_be_empty) {
		fail(r, CALIB_EINPUT, f->line, j + 1, "empty %s", what);
		return false;
	}
	if (!utf8_valid((const unsigned char *)ftext(r, j), f->len, &bad)) {
		fail(r, CALIB_EINPUT, f->line, j + 1, "invalid UTF-8 in %s (byte %zu)", what,
		     bad + 1);
		return false;
	}
	return true;
}

/* Split a comma-separated token list. */
static enum calib_status
split_tokens(struct reader *r, struct tokens *t, const char *list, const char *what)
{
	const char *p = list;

	t->n = 0;
	if (!list)
		return CALIB_OK;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len > 0) {
			if (t->n == MAX_TOKENS)
				return calib_error_set(r->err, CALIB_EARG, NULL, 0, 0,
				                       "too many %s tokens (at most %d)", what,
				                       MAX_TOKENS);
			t->s[t->n] = p;
			t->len[t->n++] = len;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return CALIB_OK;
}

static bool
is_token(const struct tokens *t, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->len[i] == len && memcmp(t->s[i], s, len) == 0)
			return true;
	return false;
}

/*
 * Parse a decimal number: [+-]digits[.digits][(e|E)[+-]digits], nothing
 * else (no spaces, hex, inf or nan). Returns 0 ok, 1 not a number, 2 out of
 * range.
 */
static int
parse_number(const char *s, size_t len, double *v)
{
	size_t i = 0, digits = 0;
	char *end;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < len && isdigit((unsigned char)s[i]))
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (digits == 0)
		return 1;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t e0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		e0 = i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		if (i == e0)
			return 1;
	}
	if (i != len)
		return 1;
	if (len <= 15) {
		/*
		 * Fast path: up to 15 digits are an exact integer in a double and
		 * one division by an exact power of ten rounds correctly.
		 */
		static const double pow10[] = {1,   1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
		                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
		uint64_t m = 0;
		size_t k = 0, frac = 0;
		bool neg = false, dot = false;
		if (s[k] == '+' || s[k] == '-')
			neg = s[k++] == '-';
		for (; k < len; k++) {
			if (s[k] == '.')
				dot = true;
			else if (isdigit((unsigned char)s[k])) {
				m = m * 10 + (uint64_t)(s[k] - '0');
				frac += dot;
			} else
				break;
		}
		if (k == len) {
			*v = (double)m / pow10[frac];
			if (neg)
				*v = -*v;
			return 0;
		}
	}
	errno = 0;
	*v = strtod(s, &end);
	if (end != s + len)
		return 1;
	if (errno == ERANGE || !isfinite(*v))
		return 2;
	return 0;
}

/* Why s is not a number, for the message. */
static const char *
number_problem(const char *s, size_t len, int why)
{
	if (why == 2)
		return "is out of range";
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return "is not a decimal number";
	if (len > 0 && strchr("0123456789+-", s[0]) && strchr(s, ',') &&
	    strspn(s, "0123456789+-,") == len)
		return "is not a number (the decimal separator is a point)";
	if (strncasecmp(s, "nan", 3) == 0 || strncasecmp(s, "inf", 3) == 0 ||
	    strncasecmp(s, "-inf", 4) == 0 || strncasecmp(s, "+inf", 4) == 0 ||
	    strncasecmp(s, "-nan", 4) == 0)
		return "is not a finite number";
	return "is not a number";
}

/* ---- CSV plumbing ---- */

static void
on_field(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;
	struct field *f;

	if (r->status != CALIB_OK || r->skip_row)
		goto next;
	if (r->nf >= r->max_columns) {
		fail(r, CALIB_ELIMIT, r->field_line, r->nf + 1, "more than %zu columns",
		     r->max_columns);
		goto next;
	}
	if (len > r->max_field) {
		fail(r, CALIB_ELIMIT, r->field_line, r->nf + 1, "field longer than %zu bytes",
		     r->max_field);
		goto next;
	}
	if (r->nul_seen && data && memchr(data, '\0', len)) {
		fail(r, CALIB_EINPUT, r->field_line, r->nf + 1, "NUL byte in field");
		goto next;
	}
	if (r->nf == r->f_cap) {
		size_t cap = r->f_cap ? 2 * r->f_cap : 64;
		struct field *nfp = realloc(r->f, cap * sizeof *nfp);
		if (!nfp) {
			fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
			goto next;
		}
		r->f = nfp;
		r->f_cap = cap;
	}
	if (r->buf_cap - r->buf_len < len + 1) {
		size_t cap = r->buf_cap ? r->buf_cap : 4096;
		char *nb;
		while (cap - r->buf_len < len + 1)
			cap *= 2;
		nb = realloc(r->buf, cap);
		if (!nb) {
			fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
			goto next;
		}
		r->buf = nb;
		r->buf_cap = cap;
	}
	f = &r->f[r->nf++];
	f->off = r->buf_len;
	f->len = len;
	f->line = r->field_line;
	f->null = data == NULL;
	if (len)
		memcpy(r->buf + r->buf_len, data, len);
	r->buf[r->buf_len + len] = '\0';
	r->buf_len += len + 1;
next:
	/* the next field starts after this delimiter, on this line */
	r->field_line = r->line;
}

static bool
row_is_empty(const struct reader *r)
{
	size_t j;

	for (j = 0; j < r->nf; j++)
		if (r->f[j].len > 0)
			return false;
	return true;
}

static void
on_row(int term, void *ctx)
{
	struct reader *r = ctx;

	(void)term;
	if (r->status == CALIB_OK && !r->skip_row && r->nf > 0 && !row_is_empty(r)) {
		r->row(r);
		r->n_rows++;
	}
	r->nf = 0;
	r->buf_len = 0;
	r->skip_row = false;
}

/* Pick the delimiter of the header line: the most frequent of , \t ; outside quotes. */
static char
detect_delimiter(const char *s, size_t len)
{
	size_t i, comma = 0, tab = 0, semi = 0;
	bool quoted = false;

	for (i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == ',')
			comma++;
		else if (!quoted && s[i] == '\t')
			tab++;
		else if (!quoted && s[i] == ';')
			semi++;
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma && semi > tab)
		return ';';
	return ',';
}

/* With a tab delimiter only spaces may be trimmed (libcsv trims tabs too). */
static int
is_blank(unsigned char c)
{
	return c == ' ';
}

/* Bytes of the line end (LF, CRLF or CR) closing the segment s[0..n). */
static size_t
line_end(const char *s, size_t n, bool ends_line)
{
	if (!ends_line)
		return 0;
	return n >= 2 && s[n - 1] == '\n' && s[n - 2] == '\r' ? 2 : 1;
}

/* Feed the text of fp to libcsv, one line per csv_parse call. */
static enum calib_status
parse_stream(struct reader *r, FILE *fp)
{
	struct csv_parser p;
	char *block;
	bool first = true;
	char delim = r->o->delimiter, eol = '\n';
	size_t row_bytes = 0; /* text of the row being parsed so far */
	int rc;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
		return fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
	r->fp = fp;
	block = malloc(BLOCK);
	if (!block) {
		csv_free(&p);
		return fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
	}
	r->line = 1;
	r->field_line = 1;
	for (;;) {
		size_t n = fread(block, 1, BLOCK, fp), pos = 0;
		if (n == 0)
			break;
		/* a field holds only bytes read so far: no NUL read, none to find */
		r->nul_seen = r->nul_seen || memchr(block, '\0', n) != NULL;
		if (first) {
			first = false;
			if (n >= 3 && memcmp(block, "\xef\xbb\xbf", 3) == 0)
				pos = 3;
			/* old Mac files end lines with CR alone */
			if (!memchr(block, '\n', n) && memchr(block, '\r', n))
				eol = '\r';
			if (!delim)
				delim = detect_delimiter(block + pos, n - pos);
			csv_set_delim(&p, (unsigned char)delim);
			if (delim == '\t')
				csv_set_space_func(&p, is_blank);
		}
		while (pos < n) {
			const char *nl = memchr(block + pos, eol, n - pos);
			size_t seg = nl ? (size_t)(nl - (block + pos)) + 1 : n - pos;
			if (p.pstate == CSV_ROW_NOT_BEGUN) {
				r->field_line = r->line;
				row_bytes = 0;
			}
			row_bytes += seg;
			if (row_bytes - line_end(block + pos, seg, nl != NULL) > r->max_line) {
				fail(r, CALIB_ELIMIT, r->field_line, 0, "line longer than %zu bytes",
				     r->max_line);
				goto out;
			}
			if (csv_parse(&p, block + pos, seg, on_field, on_row, r) != seg &&
			    r->status == CALIB_OK) {
				if (csv_error(&p) == CSV_EPARSE)
					fail(r, CALIB_EINPUT, r->line, r->nf + 1,
					     "misplaced quote character in field");
				else
					fail(r, CALIB_ENOMEM, r->line, 0, "out of memory");
			}
			if (r->status == CALIB_OK && p.entry_pos > r->max_field)
				fail(r, CALIB_ELIMIT, r->field_line, r->nf + 1,
				     "field longer than %zu bytes", r->max_field);
			if (r->status != CALIB_OK)
				goto out;
			pos += seg;
			if (nl)
				r->line++;
		}
	}
	if (ferror(fp)) {
		fail(r, CALIB_EIO, 0, 0, "read error: %s", strerror(errno));
		goto out;
	}
	if (p.pstate != CSV_ROW_NOT_BEGUN && p.quoted && p.pstate != 3) {
		fail(r, CALIB_EINPUT, r->field_line, r->nf + 1, "unterminated quoted field");
		goto out;
	}
	rc = csv_fini(&p, on_field, on_row, r);
	if (rc != 0 && r->status == CALIB_OK)
		fail(r, CALIB_EINPUT, r->field_line, r->nf + 1, "unterminated quoted field");
out:
	csv_free(&p);
	free(block);
	return r->status;
}

/* ---- header ---- */

static size_t
find_col(const struct reader *r, const char *want)
{
	size_t j, n = strlen(want);

	for (j = 0; j < r->nf; j++)
		if (r->f[j].len == n && strncasecmp(ftext(r, j), want, n) == 0)
			return j;
	return SIZE_MAX;
}

static bool
check_header_names(struct reader *r)
{
	size_t i, j;
	char a[128];

	for (j = 0; j < r->nf; j++) {
		if (!check_name(r, j, "column name", false))
			return false;
		for (i = 0; i < j; i++)
			if (r->f[i].len == r->f[j].len &&
			    strncasecmp(ftext(r, i), ftext(r, j), r->f[j].len) == 0) {
				fail(r, CALIB_EINPUT, r->f[j].line, j + 1,
				     "duplicate column %s (also column %zu)",
				     shown(a, sizeof a, ftext(r, j), r->f[j].len), i + 1);
				return false;
			}
	}
	return true;
}

static const char *
base_name(const char *path, size_t *len)
{
	const char *b = strrchr(path, '/'), *dot;

	b = b ? b + 1 : path;
	dot = strrchr(b, '.');
	*len = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	return b;
}

static void sheet_row(struct reader *r);
static void long_row(struct reader *r);

/* The criterion id of name[0..len) for a column or long row; CALIB_NONE on error. */
static uint32_t
criterion_id(struct reader *r, const char *name, size_t len, unsigned long line,
             unsigned long col)
{
	uint32_t id = calib_store_find_criterion(r->s, name, len);
	char a[128];

	if (id != CALIB_NONE)
		return id;
	if (r->rubric) {
		fail(r, CALIB_EINPUT, line, col, "criterion %s is not in the rubric",
		     shown(a, sizeof a, name, len));
		return CALIB_NONE;
	}
	if (calib_store_criterion(r->s, name, len, &id) != CALIB_OK) {
		fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
		return CALIB_NONE;
	}
	return id;
}

static void
header_row(struct reader *r)
{
	const struct calib_read_opts *o = r->o;
	const char *call = o->call_col ? o->call_col : "call";
	const char *rater = o->rater_col ? o->rater_col : "rater";
	const char *session = o->session_col ? o->session_col : "session";
	const char *crit = o->criterion_col ? o->criterion_col : "criterion";
	const char *score = o->score_col ? o->score_col : "score";
	size_t j;

	if (!check_header_names(r))
		return;
	r->n_cols = r->nf;
	r->call_col = find_col(r, call);
	r->rater_col = find_col(r, rater);
	r->session_col = find_col(r, session);
	r->crit_col = find_col(r, crit);
	r->score_col = find_col(r, score);
	r->layout = o->layout;
	if (r->layout == CALIB_LAYOUT_AUTO) {
		if (r->crit_col != SIZE_MAX && r->score_col != SIZE_MAX)
			r->layout = CALIB_LAYOUT_LONG;
		else if (r->rater_col != SIZE_MAX)
			r->layout = CALIB_LAYOUT_SHEET;
		else
			r->layout = CALIB_LAYOUT_RATER;
	}
	if (r->call_col == SIZE_MAX) {
		fail(r, CALIB_EINPUT, r->f[0].line, 0, "no \"%s\" column in the header", call);
		return;
	}
	if (r->layout != CALIB_LAYOUT_RATER && r->rater_col == SIZE_MAX) {
		fail(r, CALIB_EINPUT, r->f[0].line, 0, "no \"%s\" column in the header", rater);
		return;
	}
	if (r->layout == CALIB_LAYOUT_LONG) {
		if (r->crit_col == SIZE_MAX || r->score_col == SIZE_MAX) {
			fail(r, CALIB_EINPUT, r->f[0].line, 0,
			     "no \"%s\" column in the header of a long sheet",
			     r->crit_col == SIZE_MAX ? crit : score);
			return;
		}
		for (j = 0; j < r->nf; j++)
			if (j != r->call_col && j != r->rater_col && j != r->session_col &&
			    j != r->crit_col && j != r->score_col) {
				char a[128];
				fail(r, CALIB_EINPUT, r->f[j].line, j + 1,
				     "unexpected column %s in a long sheet",
				     shown(a, sizeof a, ftext(r, j), r->f[j].len));
				return;
			}
		r->row = long_row;
		return;
	}
	if (r->layout == CALIB_LAYOUT_RATER) {
		const char *b;
		size_t len;
		if (r->rater_col != SIZE_MAX) {
			fail(r, CALIB_EINPUT, r->f[r->rater_col].line, r->rater_col + 1,
			     "a per-rater sheet has no \"%s\" column", rater);
			return;
		}
		/* --rater names standard input only; a file is named by its name */
		bool is_stdin = strcmp(r->name, "-") == 0 || strcmp(r->name, "<stdin>") == 0;
		if (o->rater && is_stdin) {
			b = o->rater;
			len = strlen(b);
		} else if (is_stdin) {
			fail(r, CALIB_EINPUT, r->f[0].line, 0,
			     "no \"%s\" column: give the rater of standard input with --rater",
			     rater);
			return;
		} else
			b = base_name(r->name, &len);
		if (len == 0 || !utf8_valid((const unsigned char *)b, len, &j)) {
			fail(r, CALIB_EINPUT, r->f[0].line, 0, "unusable rater name from %s",
			     is_stdin ? "--rater" : "the file name");
			return;
		}
		r->rater = malloc(len + 1);
		if (!r->rater) {
			fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
			return;
		}
		memcpy(r->rater, b, len);
		r->rater[len] = '\0';
		r->rater_len = len;
	}
	r->col_crit = malloc(r->nf * sizeof *r->col_crit);
	if (!r->col_crit) {
		fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
		return;
	}
	for (j = 0; j < r->nf; j++) {
		r->col_crit[j] = CALIB_NONE;
		if (j == r->call_col || j == r->rater_col || j == r->session_col)
			continue;
		r->col_crit[j] = criterion_id(r, ftext(r, j), r->f[j].len, r->f[j].line, j + 1);
		if (r->col_crit[j] == CALIB_NONE)
			return;
	}
	if (r->nf == (size_t)1 + (r->rater_col != SIZE_MAX) + (r->session_col != SIZE_MAX)) {
		fail(r, CALIB_EINPUT, r->f[0].line, 0, "no criterion columns in the header");
		return;
	}
	r->row = sheet_row;
}

/* ---- data rows ---- */

/* Code of the score in field j for criterion crit. */
static bool
cell_code(struct reader *r, size_t j, uint32_t crit, uint16_t *code)
{
	const struct field *f = &r->f[j];
	char *t = r->buf + f->off;
	size_t len = f->len, raw_len = len;
	struct code_slot *slot = NULL;
	const struct calib_criterion *c;
	enum calib_status st;
	char a[128];
	double v;
	int why;

	/* a short text seen before in this criterion: its code at once */
	if (len > 0 && len <= 8) {
		uint64_t key = 0;
		memcpy(&key, t, len);
		slot = &r->code_cache[(key * 0x9e3779b97f4a7c15u + crit * 0xff51afd7ed558ccdu) >>
		                      (64 - 12)];
		if (slot->len == len && slot->text == key && slot->crit == crit) {
			*code = slot->code;
			return true;
		}
		slot->len = 0;
		slot->text = key;
		slot->crit = crit;
	}
	/* quoted fields keep their spaces; a score does not need them */
	if (len > 0 && (t[0] == ' ' || t[len - 1] == ' ')) {
		while (len > 0 && t[0] == ' ')
			t++, len--;
		while (len > 0 && t[len - 1] == ' ')
			len--;
		t[len] = '\0';
	}
	if (len == 0 || is_token(&r->missing, t, len)) {
		*code = CALIB_CODE_MISSING;
		goto cache;
	}
	if (is_token(&r->na, t, len)) {
		*code = CALIB_CODE_NA;
		goto cache;
	}
	c = &r->s->criteria[crit];
	if (c->labelled && !c->declared && parse_number(t, len, &v) == 0) {
		fail(r, CALIB_EINPUT, f->line, j + 1,
		     "criterion %s: score %s is a number among labels",
		     shown(a, 64, c->name, strlen(c->name)),
		     shown(a + 64, sizeof a - 64, t, len));
		return false;
	} else if (c->labelled) {
		st = calib_store_label_code(r->s, crit, t, len, code, r->err);
	} else if ((why = parse_number(t, len, &v)) == 0) {
		st = calib_store_value_code(r->s, crit, v, code, r->err);
	} else {
		const char *problem = number_problem(t, len, why);
		/* a first label makes an undeclared criterion labelled */
		if (c->n_levels > 0 || c->declared ||
		    strncmp(problem, "is not a number", 15) != 0 ||
		    strchr("0123456789+-.", t[0]) != NULL ||
		    !check_name(r, j, "label", false)) {
			fail(r, CALIB_EINPUT, f->line, j + 1, "criterion %s: score %s %s",
			     shown(a, 64, c->name, strlen(c->name)),
			     shown(a + 64, sizeof a - 64, t, len), problem);
			return false;
		}
		st = calib_store_label_code(r->s, crit, t, len, code, r->err);
	}
	if (st != CALIB_OK) {
		char msg[sizeof r->err->msg];
		snprintf(msg, sizeof msg, "%s", r->err->msg);
		fail(r, st, f->line, j + 1, "%s", st == CALIB_ENOMEM ? "out of memory" : msg);
		return false;
	}
cache:
	if (slot) {
		slot->code = *code;
		slot->len = (uint8_t)raw_len;
	}
	return true;
}

/* Do the names of the current row's evaluation equal those of eval? */
static bool
row_is_eval(const struct reader *r, uint32_t eval)
{
	const struct calib_store *s = r->s;
	uint32_t item = s->eval_item[eval];
	const char *ses = r->o->session ? r->o->session : "";
	size_t ses_len = strlen(ses);
	const char *want;

	if (r->session_col != SIZE_MAX) {
		ses = ftext(r, r->session_col);
		ses_len = r->f[r->session_col].len;
	}
	want = calib_names_get(s->sessions, s->item_session[item]);
	if (strlen(want) != ses_len || memcmp(want, ses, ses_len) != 0)
		return false;
	want = calib_names_get(s->calls, s->item_call[item]);
	if (strcmp(want, ftext(r, r->call_col)) != 0)
		return false;
	want = calib_names_get(s->raters, s->eval_rater[eval]);
	return strcmp(want, r->rater_col != SIZE_MAX ? ftext(r, r->rater_col) : r->rater) == 0;
}

static void
find_row(struct reader *r)
{
	const char *name = r->s->criteria[r->find_crit].name;
	size_t j;

	if (r->n_rows == 0 || r->nf != r->n_cols)
		return; /* the header, or a row the first pass already accepted */
	if (r->f[0].line >= r->find_before) {
		r->status = CALIB_ELIMIT; /* not found: stop */
		return;
	}
	if (!row_is_eval(r, r->find_eval))
		return;
	j = r->crit_col;
	if (r->layout == CALIB_LAYOUT_LONG) {
		if (r->f[j].len != strlen(name) ||
		    strncasecmp(ftext(r, j), name, r->f[j].len) != 0)
			return;
	} else {
		for (j = 0; j < r->nf && r->col_crit[j] != r->find_crit; j++)
			;
		if (j == r->nf)
			return;
	}
	r->found = r->f[j].line;
	r->status = CALIB_ELIMIT; /* found: stop */
}

/*
 * The line of the first rating of (eval, crit) in this input before line
 * `before`, found by reading the input again from its start (on the error
 * path only, so that no line is kept per rating); 0 when the input cannot
 * be read again or the rating came from another input.
 */
static unsigned long
first_line(struct reader *r, uint32_t eval, uint32_t crit, unsigned long before)
{
	struct reader f;

	if (!r->fp || fseek(r->fp, 0, SEEK_SET) != 0)
		return 0;
	f = *r;
	f.err = NULL;
	f.status = CALIB_OK;
	f.buf = NULL;
	f.buf_len = f.buf_cap = 0;
	f.f = NULL;
	f.nf = f.f_cap = 0;
	f.skip_row = false;
	f.n_rows = 0;
	f.row = find_row;
	f.find_eval = eval;
	f.find_crit = crit;
	f.find_before = before;
	f.found = 0;
	parse_stream(&f, r->fp);
	free(f.buf);
	free(f.f);
	return f.found;
}

/*
 * Could the evaluation's first row lack this criterion? Only when it came
 * from another input whose columns may differ; a sheet row rates every
 * criterion of its input, so within one sheet the evaluation's line is the
 * first rating's.
 */
static bool
eval_merged(const struct reader *r, uint32_t eval)
{
	return r->s->eval_file[eval] != r->file;
}

/* Record code; settle a duplicate by the policy. */
static bool
put(struct reader *r, uint32_t eval, uint32_t crit, uint16_t code, size_t j)
{
	uint16_t prev, ignored;
	const struct calib_store *s = r->s;
	char a[128], b[128], c[128], d[128];

	if (calib_store_put(r->s, eval, crit, code, &prev) != CALIB_OK) {
		fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
		return false;
	}
	if (prev == CALIB_CODE_ABSENT || r->o->duplicates == CALIB_DUP_LAST)
		return true;
	if (r->o->duplicates == CALIB_DUP_FIRST) {
		calib_store_put(r->s, eval, crit, prev, &ignored);
		return true;
	}
	{
		uint32_t item = s->eval_item[eval];
		const char *call = calib_names_get(s->calls, s->item_call[item]);
		const char *ses = calib_names_get(s->sessions, s->item_session[item]);
		const char *rat = calib_names_get(s->raters, s->eval_rater[eval]);
		const char *cn = s->criteria[crit].name;
		char in_ses[160] = "";
		if (*ses)
			snprintf(in_ses, sizeof in_ses, " in session %s",
			         shown(d, sizeof d, ses, strlen(ses)));
		const char *file = s->files[s->eval_file[eval]], *first = "first at";
		unsigned long line = first_line(r, eval, crit, r->f[0].line);
		if (line)
			file = r->name;
		else if (r->layout == CALIB_LAYOUT_LONG || eval_merged(r, eval)) {
			/* the first rating's own line is not known: name its evaluation's */
			line = s->eval_line[eval];
			first = "its evaluation begins at";
		} else
			line = s->eval_line[eval];
		fail(r, CALIB_EINPUT, r->f[j].line, j + 1,
		     "duplicate rating of %s for call %s by rater %s%s (%s %s:%lu)",
		     shown(a, sizeof a, cn, strlen(cn)), shown(b, sizeof b, call, strlen(call)),
		     shown(c, sizeof c, rat, strlen(rat)), in_ses, first, file, line);
	}
	return false;
}

/* The evaluation of the current row. */
static bool
row_eval(struct reader *r, uint32_t *eval)
{
	const char *ses = r->o->session ? r->o->session : "";
	size_t ses_len = strlen(ses);
	const char *rat = r->rater;
	size_t rat_len = r->rater_len;
	unsigned long line = r->f[0].line;
	enum calib_status st;
	bool created;
	size_t call_len = r->f[r->call_col].len, klen;

	if (r->rater_col != SIZE_MAX) {
		rat = ftext(r, r->rater_col);
		rat_len = r->f[r->rater_col].len;
	}
	if (r->session_col != SIZE_MAX) {
		ses = ftext(r, r->session_col);
		ses_len = r->f[r->session_col].len;
	}
	/* the same names as the previous row: the same evaluation */
	klen = ses_len + call_len + rat_len + 2;
	if (r->last_key && klen == r->last_key_len && memcmp(r->last_key, ses, ses_len) == 0 &&
	    r->last_key[ses_len] == '\0' &&
	    memcmp(r->last_key + ses_len + 1, ftext(r, r->call_col), call_len) == 0 &&
	    r->last_key[ses_len + 1 + call_len] == '\0' &&
	    memcmp(r->last_key + ses_len + call_len + 2, rat, rat_len) == 0) {
		*eval = r->last_eval;
		return true;
	}
	if (!check_name(r, r->call_col, "call", false) ||
	    (r->rater_col != SIZE_MAX && !check_name(r, r->rater_col, "rater", false)) ||
	    (r->session_col != SIZE_MAX && !check_name(r, r->session_col, "session", true)))
		return false;
	st = calib_store_eval(r->s, ses, ses_len, ftext(r, r->call_col), r->f[r->call_col].len,
	                      rat, rat_len, r->file,
	                      line > UINT32_MAX ? UINT32_MAX : (uint32_t)line, eval, &created);
	if (st == CALIB_ENOMEM)
		return fail(r, st, 0, 0, "out of memory"), false;
	else if (st != CALIB_OK)
		return fail(r, st, line, r->call_col + 1, "too many evaluations"), false;
	if (klen > r->last_key_cap) {
		char *k = realloc(r->last_key, klen);
		if (!k)
			return fail(r, CALIB_ENOMEM, 0, 0, "out of memory"), false;
		r->last_key = k;
		r->last_key_cap = klen;
	}
	memcpy(r->last_key, ses, ses_len);
	r->last_key[ses_len] = '\0';
	memcpy(r->last_key + ses_len + 1, ftext(r, r->call_col), call_len);
	r->last_key[ses_len + 1 + call_len] = '\0';
	memcpy(r->last_key + ses_len + call_len + 2, rat, rat_len);
	r->last_key_len = klen;
	r->last_eval = *eval;
	return true;
}

static bool
check_width(struct reader *r)
{
	if (r->nf == r->n_cols)
		return true;
	fail(r, CALIB_EINPUT, r->f[0].line, (r->nf < r->n_cols ? r->nf : r->n_cols) + 1,
	     "row has %zu fields, the header %zu", r->nf, r->n_cols);
	return false;
}

static void
sheet_row(struct reader *r)
{
	uint32_t eval;
	uint16_t code;
	size_t j;

	if (!check_width(r) || !row_eval(r, &eval))
		return;
	for (j = 0; j < r->nf; j++) {
		uint32_t crit = r->col_crit[j];
		if (crit == CALIB_NONE)
			continue;
		if (!cell_code(r, j, crit, &code) || !put(r, eval, crit, code, j))
			return;
	}
}

static void
long_row(struct reader *r)
{
	size_t j = r->crit_col;
	const char *name = ftext(r, j);
	size_t len = r->f[j].len;
	uint32_t eval, crit, h;
	uint16_t code;
	struct crit_slot *slot;
	size_t k;

	if (!check_width(r) || !row_eval(r, &eval))
		return;
	h = 2166136261u;
	for (k = 0; k < len; k++)
		h = (h ^ (unsigned char)name[k]) * 16777619u;
	slot = &r->crit_cache[h % CRIT_CACHE];
	if (slot->name && slot->len == len && memcmp(slot->name, name, len) == 0) {
		crit = slot->id;
	} else {
		if (!check_name(r, j, "criterion", false))
			return;
		crit = criterion_id(r, name, len, r->f[j].line, j + 1);
		if (crit == CALIB_NONE)
			return;
		free(slot->name);
		if (!(slot->name = malloc(len + 1))) {
			fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
			return;
		}
		memcpy(slot->name, name, len + 1);
		slot->len = len;
		slot->id = crit;
	}
	if (!cell_code(r, r->score_col, crit, &code))
		return;
	put(r, eval, crit, code, r->score_col);
}

static void
reader_free(struct reader *r)
{
	free(r->buf);
	free(r->f);
	free(r->col_crit);
	free(r->rater);
	free(r->code_cache);
	free(r->last_key);
	for (size_t k = 0; k < CRIT_CACHE; k++)
		free(r->crit_cache[k].name);
}

static enum calib_status
reader_init(struct reader *r, struct calib_store *s, const char *name,
            const struct calib_read_opts *o, struct calib_error *err)
{
	memset(r, 0, sizeof *r);
	r->s = s;
	r->o = o;
	r->err = err;
	r->name = name;
	r->max_field = o->max_field ? o->max_field : CALIB_MAX_FIELD;
	r->max_columns = o->max_columns ? o->max_columns : CALIB_MAX_COLUMNS;
	r->max_line = o->max_line ? o->max_line : CALIB_MAX_LINE;
	calib_error_clear(err);
	return CALIB_OK;
}

enum calib_status
calib_read(struct calib_store *s, FILE *fp, const char *name, const struct calib_read_opts *o,
           struct calib_error *err)
{
	struct reader r;
	enum calib_status st;
	size_t i;

	reader_init(&r, s, name, o, err);
	if ((st = split_tokens(&r, &r.missing, o->missing, "missing")) != CALIB_OK ||
	    (st = split_tokens(&r, &r.na, o->na, "N/A")) != CALIB_OK)
		return st;
	for (i = 0; i < s->n_criteria; i++)
		if (s->criteria[i].declared)
			r.rubric = true;
	if (calib_store_add_file(s, name, &r.file) != CALIB_OK)
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	r.code_cache = calloc(CODE_CACHE, sizeof *r.code_cache);
	if (!r.code_cache) {
		reader_free(&r);
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	r.row = header_row;
	st = parse_stream(&r, fp);
	if (st == CALIB_OK && r.n_rows == 0)
		st = fail(&r, CALIB_EINPUT, 1, 0, "empty input: no header line");
	reader_free(&r);
	return st;
}

/* ---- rubric ---- */

static bool
rubric_number(struct reader *r, size_t col, double *v, double dflt)
{
	const struct field *f;
	char a[128];
	int why;

	*v = dflt;
	if (col == SIZE_MAX || r->f[col].len == 0)
		return true;
	f = &r->f[col];
	why = parse_number(ftext(r, col), f->len, v);
	if (why) {
		fail(r, CALIB_EINPUT, f->line, col + 1, "%s %s",
		     shown(a, sizeof a, ftext(r, col), f->len),
		     number_problem(ftext(r, col), f->len, why));
		return false;
	}
	return true;
}

static void
rubric_row(struct reader *r)
{
	const char *name = ftext(r, r->r_name);
	size_t name_len = r->f[r->r_name].len, n = 0, k, m;
	enum calib_scale scale;
	double mn, mx, w, *values = NULL;
	char **labels = NULL, *lv = NULL, a[128];
	bool numeric = true;
	uint32_t id;
	enum calib_status st;

	if (!check_width(r) || !check_name(r, r->r_name, "criterion", false))
		return;
	id = calib_store_find_criterion(r->s, name, name_len);
	if (id != CALIB_NONE && r->s->criteria[id].declared) {
		fail(r, CALIB_EINPUT, r->f[r->r_name].line, r->r_name + 1,
		     "criterion %s described twice", shown(a, sizeof a, name, name_len));
		return;
	}
	scale = calib_scale_parse(ftext(r, r->r_scale));
	if (scale == CALIB_SCALE_UNKNOWN) {
		fail(r, CALIB_EINPUT, r->f[r->r_scale].line, r->r_scale + 1,
		     "unknown scale %s (binary, nominal, ordinal, interval or ratio)",
		     shown(a, sizeof a, ftext(r, r->r_scale), r->f[r->r_scale].len));
		return;
	}
	if (!rubric_number(r, r->r_min, &mn, NAN) || !rubric_number(r, r->r_max, &mx, NAN) ||
	    !rubric_number(r, r->r_weight, &w, 1.0))
		return;
	if (mn > mx) {
		fail(r, CALIB_EINPUT, r->f[r->r_max].line, r->r_max + 1, "max is below min");
		return;
	}
	if (w < 0) {
		fail(r, CALIB_EINPUT, r->f[r->r_weight].line, r->r_weight + 1,
		     "negative weight");
		return;
	}
	if (r->r_levels != SIZE_MAX && r->f[r->r_levels].len > 0) {
		const struct field *f = &r->f[r->r_levels];
		unsigned long line = f->line, col = r->r_levels + 1;
		char *p;
		lv = malloc(f->len + 1);
		if (!lv)
			goto nomem;
		memcpy(lv, ftext(r, r->r_levels), f->len + 1);
		for (n = 1, p = lv; *p; p++)
			n += *p == '|';
		labels = calloc(n, sizeof *labels);
		values = calloc(n, sizeof *values);
		if (!labels || !values)
			goto nomem;
		for (k = 0, p = lv; k < n; k++) {
			char *e = strchr(p, '|'), *end;
			if (e)
				*e = '\0';
			while (*p == ' ' || *p == '\t')
				p++;
			end = p + strlen(p);
			while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
				*--end = '\0';
			if (*p == '\0') {
				fail(r, CALIB_EINPUT, line, col, "empty level in %s",
				     shown(a, sizeof a, ftext(r, r->r_levels), f->len));
				goto out;
			}
			labels[k] = p;
			if (parse_number(p, strlen(p), &values[k]) != 0)
				numeric = false;
			for (m = 0; m < k; m++)
				if (strcmp(labels[m], p) == 0) {
					fail(r, CALIB_EINPUT, line, col,
					     "level %s listed twice",
					     shown(a, sizeof a, p, strlen(p)));
					goto out;
				}
			p = e ? e + 1 : p + strlen(p);
		}
		if (!numeric && (scale == CALIB_SCALE_INTERVAL || scale == CALIB_SCALE_RATIO)) {
			fail(r, CALIB_EINPUT, line, col,
			     "labelled levels need a binary, nominal or ordinal scale");
			goto out;
		}
		if (scale == CALIB_SCALE_BINARY && n != 2) {
			fail(r, CALIB_EINPUT, line, col,
			     "a binary scale has two levels, not %zu", n);
			goto out;
		}
	}
	if (calib_store_criterion(r->s, name, name_len, &id) != CALIB_OK)
		goto nomem;
	st = calib_store_declare(r->s, id, scale, numeric ? NULL : (const char *const *)labels,
	                         numeric ? values : NULL, n, mn, mx, w);
	if (st != CALIB_OK) {
		char msg[sizeof r->err->msg];
		snprintf(msg, sizeof msg, "%s", r->err->msg);
		if (st == CALIB_ENOMEM)
			goto nomem;
		fail(r, st, r->f[r->r_name].line, r->r_name + 1, "criterion %s: %s",
		     shown(a, sizeof a, name, name_len), msg);
	}
	goto out;
nomem:
	fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
out:
	free(lv);
	free(labels);
	free(values);
}

static void
rubric_header(struct reader *r)
{
	if (!check_header_names(r))
		return;
	r->n_cols = r->nf;
	r->r_name = find_col(r, "criterion");
	r->r_scale = find_col(r, "scale");
	r->r_levels = find_col(r, "levels");
	r->r_min = find_col(r, "min");
	r->r_max = find_col(r, "max");
	r->r_weight = find_col(r, "weight");
	if (r->r_name == SIZE_MAX || r->r_scale == SIZE_MAX) {
		fail(r, CALIB_EINPUT, r->f[0].line, 0, "no \"%s\" column in the rubric header",
		     r->r_name == SIZE_MAX ? "criterion" : "scale");
		return;
	}
	r->row = rubric_row;
}

enum calib_status
calib_read_rubric(struct calib_store *s, FILE *fp, const char *name,
                  const struct calib_read_opts *o, struct calib_error *err)
{
	struct reader r;
	enum calib_status st;

	reader_init(&r, s, name, o, err);
	r.row = rubric_header;
	st = parse_stream(&r, fp);
	if (st == CALIB_OK && r.n_rows == 0)
		st = fail(&r, CALIB_EINPUT, 1, 0, "empty rubric: no header line");
	reader_free(&r);
	return st;
}
