/*
 * reader.c - reading score sheets (wide, long, per-rater) and rubric files
 * into a ratings store, with libcsv doing the CSV parsing.
 *
 * The input is read in 1 MiB blocks and handed to csv_parse one line at a
 * time (split on '\n' with memchr, or on '\r' in a file without '\n'),
 * which costs little and lets us know the line of every field: libcsv
 * itself reports no positions and skips blank lines. Fields are copied
 * into batches of complete rows (no allocation per field); each row of a
 * batch goes to the handler of the current state (header, sheet row, long
 * row, rubric row). Header columns are resolved to indices once, so a data
 * row is converted field by field without lookups. On an input larger than
 * one block, parsing runs on a second thread while rows are converted (see
 * "CSV plumbing").
 *
 * Errors found inside libcsv's callbacks are recorded by the lexer and
 * stop the parse at the end of the current line; after an error csv_fini is
 * not called with our callbacks (it would deliver the half-read row).
 */
#include "calib/reader.h"
#include "calib/columns.h"
#include "calib/labels.h"
#include "calib/parallel.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK      (1u << 20)
#define MAX_TOKENS 64
#define CRIT_CACHE 256
#define RATER_CACHE 64
#define BYTE_CRITS  64
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

/*
 * One field of the current row: text at buf + off, NUL-terminated (a batch's
 * text stays below 4 GiB because a line is at most CALIB_MAX_CEILING bytes);
 * the line where a field starts is its row's (see fline).
 */
struct field {
	uint32_t off, len;
};

/* A field that starts on a later line than its row (after a quoted newline). */
struct later {
	size_t field; /* index in the batch */
	unsigned long line;
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
	enum calib_status status; /* an error that ends the parse */
	size_t n_errors;          /* errors recorded (see record) */

	/* the current row: fields f[0..nf) with text in buf (the lexer's batch) */
	char *buf;
	struct field *f;
	size_t nf, f_cap;
	unsigned long row_line;    /* where the row starts */
	const struct later *later; /* its fields starting on later lines */
	size_t n_later, first;     /* first: index of f[0] in the batch */
	struct lexer *lexer; /* while reading */

	row_handler row;
	/* a look at the next row of the batch (its fields' text from next, nf of them
	   of lengths len[0..nf)), or NULL */
	void (*peek)(struct reader *r, const char *next, const uint32_t *len, size_t nf);
	size_t n_rows; /* rows handed to handlers, header included */
	FILE *fp;      /* the input, for finding the first of two duplicates */
	size_t size;   /* of the input when it is a regular file, else 0 */
	bool presized; /* the store has room for the evaluations estimated from it */

	/* finding a duplicate's first row (see first_line) */
	uint32_t find_eval, find_crit;
	unsigned long find_before, found;

	/* header */
	size_t n_cols;
	size_t n_named;  /* columns before the trailing ones without a name */
	size_t n_scored; /* criterion columns of a wide or per-rater sheet */
	size_t note0;    /* index of this input's first column in s->columns */
	unsigned long header_line;
	bool classify;   /* the first data rows tell the criteria from metadata */
	enum calib_layout layout;
	size_t call_col, rater_col, session_col, crit_col, score_col;
	uint32_t *col_crit; /* sheet/rater form: criterion id per column, or CALIB_NONE */
	bool rubric;        /* criteria are declared: unknown ones are errors */
	struct calib_names *unknown; /* long form: the criteria not in the rubric, reported once */
	char *rater;        /* per-rater form: the rater of every row */
	size_t rater_len;
	const char *ses;    /* the session of rows without one (not NUL-terminated) */
	size_t ses_len;
	struct tokens missing, na;
	char decimal; /* '.' or ',': the decimal separator; 0: either (see read_number) */
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
	/* codes of one-byte scores: [crit * 256 + byte], 0 (CALIB_CODE_ABSENT) when unknown */
	uint16_t *byte_code;
	/* the item of the previous row and its session and call, NUL-separated */
	char *last_key;
	size_t last_key_len, last_key_cap;
	uint32_t last_item;
	/* rater names seen, by hash */
	struct rater_slot {
		const char *name; /* the store's copy */
		size_t len;
		uint32_t id;
	} rater_cache[RATER_CACHE];

	/* rubric columns */
	size_t r_name, r_scale, r_levels, r_min, r_max, r_weight;
	size_t r_section, r_critical, r_na; /* the scorecard's columns, SIZE_MAX when absent */
};

/*
 * Record an error at line:col of this input. The first goes to r->err;
 * with o->errors every one is appended there too. A fatal error ends the
 * input; one that leaves the rest readable (go_on) does not, until the
 * list is full.
 */
static void
record(struct reader *r, enum calib_status st, unsigned long line, unsigned long col,
       const char *msg, bool go_on)
{
	struct calib_errors *list = r->o ? r->o->errors : NULL;

	if (r->n_errors == 0)
		calib_error_set(r->err, st, r->name, line, col, "%s", msg);
	r->n_errors++;
	if (list) {
		struct calib_error e;
		calib_error_set(&e, st, r->name, line, col, "%s", msg);
		if (calib_errors_add(list, &e) != CALIB_OK) {
			st = CALIB_ENOMEM;
			go_on = false;
		}
	}
	if (!go_on || !list || calib_errors_full(list))
		r->status = st;
}

/* Format and record an error (see record), unless the parse has ended already. */
static void __attribute__((format(printf, 6, 0)))
vrecord(struct reader *r, enum calib_status st, unsigned long line, unsigned long col,
        bool go_on, const char *fmt, va_list ap)
{
	char msg[sizeof r->err->msg];

	if (r->status != CALIB_OK)
		return;
	if (!r->err) {
		r->status = st;
		return;
	}
	vsnprintf(msg, sizeof msg, fmt, ap);
	record(r, st, line, col, msg, go_on);
}

/* An error that ends the input. Returns the status that ended it. */
static enum calib_status __attribute__((format(printf, 5, 6)))
fail(struct reader *r, enum calib_status st, unsigned long line, unsigned long col,
     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(r, st, line, col, false, fmt, ap);
	va_end(ap);
	return r->status;
}

/* End the parse after an error that bad() let it go past (one in the header). */
static void
stop(struct reader *r)
{
	if (r->status == CALIB_OK)
		r->status = r->err ? r->err->status : CALIB_EINPUT;
}

/*
 * A located error in a row that leaves the rest of the input readable:
 * with o->errors reading goes on (the row, or the cell, is left out).
 * Returns false, for `return bad(...)`.
 */
static bool __attribute__((format(printf, 4, 5)))
bad(struct reader *r, unsigned long line, unsigned long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrecord(r, CALIB_EINPUT, line, col, true, fmt, ap);
	va_end(ap);
	return false;
}

/* Text of s[0..len) for a message: quoted, at most about 40 bytes, escaped (calib_escape). */
static const char *
shown(char *buf, size_t n, const char *s, size_t len)
{
	calib_escape(buf, n, s, len, CALIB_ESCAPE_QUOTE | CALIB_ESCAPE_ASCII | CALIB_ESCAPE_SHORT);
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

/* The line where field j of the current row starts. */
static unsigned long
fline(const struct reader *r, size_t j)
{
	for (size_t k = 0; k < r->n_later; k++)
		if (r->later[k].field == r->first + j)
			return r->later[k].line;
	return r->row_line;
}

/* Check a name field (call, rater, session, criterion): UTF-8, not empty. */
static bool
check_name(struct reader *r, size_t j, const char *what, bool may_be_empty)
{
	const struct field *f = &r->f[j];
	size_t at;

	if (f->len == 0 && !may_be_empty)
		return bad(r, fline(r, j), j + 1, "empty %s", what);
	if (!utf8_valid((const unsigned char *)ftext(r, j), f->len, &at))
		return bad(r, fline(r, j), j + 1, "invalid UTF-8 in %s (byte %zu)", what, at + 1);
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
 * else (no spaces, hex, inf or nan). Returns 0 ok (subnormals included), 1
 * not a number, 2 out of range, 3 nonzero but below the smallest subnormal.
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
	if (!isfinite(*v))
		return 2;
	/* below DBL_MIN strtod says ERANGE: a subnormal is still the number */
	if (errno == ERANGE && *v == 0)
		return 3;
	return 0;
}

/* Why s is not a number, for the message. */
static const char *
number_problem(const char *s, size_t len, int why)
{
	if (why == 2)
		return "is out of range";
	if (why == 3)
		return "is too small to hold (below 4.9e-324 in magnitude: write 0)";
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

/* read_number's results beyond parse_number's 0 (ok), 1, 2 and 3 */
#define NUM_AMBIGUOUS 4 /* "1,234": a decimal comma or a thousands separator */
#define NUM_POINT 5     /* a point where the decimal separator is a comma */

/*
 * Could the decimal-comma number s[0..len) be an integer with a thousands
 * separator? One to three digits, the first not 0 ("0,125" cannot be), a
 * comma and exactly three digits: "1,234", "-100,000".
 */
static bool
thousands_like(const char *s, size_t len)
{
	size_t i = s[0] == '+' || s[0] == '-', d = i;
	while (d < len && isdigit((unsigned char)s[d]))
		d++;
	return d - i >= 1 && d - i <= 3 && s[i] != '0' && d + 4 == len && s[d] == ',' &&
	       strspn(s + d + 1, "0123456789") >= 3;
}

/* Bytes of the space (' ', U+00A0 or U+202F) that starts s[0..len); 0 for none. */
static size_t
space_at(const char *s, size_t len)
{
	if (len >= 1 && s[0] == ' ')
		return 1;
	if (len >= 2 && memcmp(s, "\xc2\xa0", 2) == 0)
		return 2;
	if (len >= 3 && memcmp(s, "\xe2\x80\xaf", 3) == 0)
		return 3;
	return 0;
}

/*
 * Is s[0..len) digits (with a sign, points, commas) that a space, U+00A0
 * or U+202F splits ("1 234,5", as locales group thousands)?
 */
static bool
spaced_digits(const char *s, size_t len)
{
	size_t i = 0, k;
	bool split = false;

	if (len == 0 || !strchr("0123456789+-", s[0]))
		return false;
	while (i < len) {
		if (strchr("0123456789+-.,", s[i]) && s[i] != '\0')
			i++;
		else if ((k = space_at(s + i, len - i)) > 0 && i > 0 && isdigit((unsigned char)s[i - 1]) && i + k < len &&
		         isdigit((unsigned char)s[i + k])) {
			split = true;
			i += k;
		} else
			return false;
	}
	return split;
}

/*
 * Bytes of the space that ends s[0..len) before a '%': a space, or the
 * no-break spaces (U+00A0, U+202F) that French and other locales write
 * there ("85\u00a0%"); 0 for none.
 */
static size_t
pct_space(const char *s, size_t len)
{
	for (size_t k = 1; k <= 3 && k <= len; k++)
		if (space_at(s + len - k, k) == k)
			return k;
	return 0;
}

/*
 * Read the number s[0..len) as a spreadsheet writes it, under r->decimal:
 * '.' the C locale's point; ',' a decimal comma (a point is then NUM_POINT:
 * in such a file it would be a thousands separator); 0 (a ';'-delimited
 * input without --decimal) either, a number with one comma having a
 * decimal comma. A decimal comma that may be a thousands separator is
 * NUM_AMBIGUOUS: thousands separators are never guessed. When percent is
 * not NULL a trailing '%' (after optional spaces) is allowed, and *percent
 * says whether there was one: "85%" is 85. Returns 0, parse_number's 1, 2
 * or 3, NUM_AMBIGUOUS or NUM_POINT.
 */
static int
read_number(const struct reader *r, const char *s, size_t len, double *v, bool *percent)
{
	char buf[64];
	const char *comma;
	size_t sp;
	int why;

	if (percent) {
		*percent = len > 1 && s[len - 1] == '%';
		for (len -= *percent; *percent && len > 0 && (sp = pct_space(s, len)) > 0;)
			len -= sp;
	}
	comma = memchr(s, ',', len);
	if (!comma || r->decimal == '.') {
		why = parse_number(s, len, v);
		return why == 0 && r->decimal == ',' && memchr(s, '.', len) ? NUM_POINT : why;
	}
	if (len >= sizeof buf || memchr(comma + 1, ',', len - (size_t)(comma + 1 - s)) ||
	    memchr(s, '.', len))
		return 1;
	memcpy(buf, s, len);
	buf[comma - s] = '.';
	if ((why = parse_number(buf, len, v)) != 0)
		return why;
	return thousands_like(s, len) ? NUM_AMBIGUOUS : 0;
}

/*
 * Why s[0..len) is not a number under r's decimal separator, for the
 * message: number_problem's reasons, and read_number's own.
 */
static const char *
read_problem(const struct reader *r, const char *s, size_t len, int why, char *buf, size_t n)
{
	if (why == NUM_AMBIGUOUS) {
		/* thousands_like(): at most three digits and a sign before the comma */
		int ip = (int)(strchr(s, ',') - s);
		char a[16], b[16];
		snprintf(a, sizeof a, "%.*s.%.3s", ip, s, s + ip + 1);
		snprintf(b, sizeof b, "%.*s%.3s", ip, s, s + ip + 1);
		snprintf(buf, n,
			 "is ambiguous: %s (decimal comma) or %s (thousands separator, never "
			 "guessed); write %s, or %.*s0 for %s",
			 a, b, b, (int)len, s, a);
		return buf;
	}
	if (why == NUM_POINT)
		return "has a point, but the decimal separator is a comma (--decimal ,)";
	if (why == 1 && spaced_digits(s, len))
		return "has a space between digits (a thousands separator? never guessed): write "
		       "the number without it";
	if (why == 1 && r->decimal == '.' && len > 0 && strchr("0123456789+-", s[0]) &&
	    memchr(s, ',', len) && strspn(s, "0123456789+-,") == len)
		return "is not a number (the decimal separator is a point; --decimal , reads "
		       "decimal commas)";
	return number_problem(s, len, why);
}

/* ---- CSV plumbing ---- */

/*
 * The lexer runs libcsv over the input, numbers lines and enforces the
 * limits; it knows nothing of the store. It gathers complete rows into
 * batches and hands each batch to the reader, which converts its rows. On
 * an input larger than one block the lexer runs on a thread of its own, so
 * that one batch is parsed while the one before is converted; a ring of
 * N_BATCHES batches bounds the memory. The lexer's first error is the
 * reader's only when the reader found none in the rows before it.
 */
#define BATCH_TEXT (64u << 10) /* field bytes of a batch before it is handed on */
#define BATCH_ROWS 2048u
#define N_BATCHES  4

/* A complete row of a batch. */
struct row {
	size_t nf;          /* its fields */
	unsigned long line; /* where it starts */
};

/*
 * Complete rows: the text is their fields one after the other, each
 * NUL-terminated (no field holds a NUL: such a field is an error), so a
 * field in flight costs its bytes and one. nf counts the fields of the
 * batch, which `later` numbers. A cache line of its own, so that filling
 * one batch does not disturb the thread reading another.
 */
struct batch {
	_Alignas(64) char *text;
	size_t text_len, text_cap;
	size_t nf;
	uint32_t *flen; /* each field's length (at most CALIB_MAX_CEILING) */
	size_t flen_cap;
	struct row *row;
	size_t n_rows, rows_cap;
	struct later *later; /* in field order */
	size_t n_later, later_cap;
};

struct halves;

struct lexer {
	struct reader *r; /* converts the batches */
	/* limits, here rather than in the reader, whose fields change row after row */
	size_t max_field, max_columns, max_line;
	FILE *fp;      /* the input; NULL: the lexer reads a part of a file, see lex_read */
	int fd;        /* that part: bytes [off, end) of the file fd */
	off_t off, end;
	int read_errno;
	char delim, eol; /* the input's (see parse_stream) */
	bool part;     /* the input's second half: no BOM at its start */
	size_t block_off; /* bytes of the input before block[0] */
	off_t base;       /* the input's start in the file fd, when it is a regular file */
	size_t seam;      /* offset where the second half starts (see at_seam), or SIZE_MAX */
	struct halves *halves; /* the reading in two halves this lexer reads the first of, or NULL */
	struct csv_parser p;
	char *block;
	size_t block_n; /* bytes of the first block, read before the lexer starts */
	bool threaded;
	bool halted; /* the reader wants no more rows: touch no batch again */

	unsigned long line;       /* line of the text being parsed */
	unsigned long field_line; /* line where the field being parsed began */
	size_t nf;                /* fields of the row being parsed */
	size_t row_first;         /* its first field in the batch being filled */
	size_t row_text;          /* and the offset of its text there */
	unsigned long row_line;   /* the line where it starts */
	bool nul_seen;            /* a NUL byte was read: fields are searched for one */
	bool ef_seen;             /* a byte 0xef past a leading BOM: fields are searched for a BOM */

	/* the first error */
	enum calib_status status;
	unsigned long err_line, err_col;
	char msg[sizeof ((struct calib_error *)0)->msg];

	/* the ring: the lexer fills ring[tail]; ring[head] .. are the reader's */
	struct batch ring[N_BATCHES];
	size_t tail;
	_Alignas(64) size_t head, count; /* apart from what the lexer writes */
	bool done;
	atomic_bool stop; /* set by the reader: it failed, or it must read the input again */
	pthread_mutex_t mu;
	pthread_cond_t ready, room;
};

static void __attribute__((format(printf, 5, 6)))
lex_fail(struct lexer *lx, enum calib_status st, unsigned long line, unsigned long col,
         const char *fmt, ...)
{
	va_list ap;

	if (lx->status != CALIB_OK)
		return;
	lx->status = st;
	lx->err_line = line;
	lx->err_col = col;
	va_start(ap, fmt);
	vsnprintf(lx->msg, sizeof lx->msg, fmt, ap);
	va_end(ap);
}

/* a with room for `more` elements of `size` bytes after n (capacity *cap), or NULL. */
static void *
grow(void *a, size_t *cap, size_t n, size_t more, size_t size, size_t first)
{
	size_t c = *cap ? *cap : first;
	void *q;

	if (*cap - n >= more)
		return a;
	while (c - n < more)
		c *= 2;
	if (!(q = realloc(a, c * size)))
		return NULL;
	*cap = c;
	return q;
}

/* Whether s[0..len) holds a UTF-8 BOM (memmem is not POSIX). */
static bool
has_bom(const char *s, size_t len)
{
	const char *e = s + len, *p = s;

	while ((p = memchr(p, 0xef, (size_t)(e - p))) && e - p >= 3) {
		if (p[1] == '\xbb' && p[2] == '\xbf')
			return true;
		p++;
	}
	return false;
}

/*
 * What on_field does for a field past a limit, with a NUL, on a later line
 * than its row or without room in the batch: false when the field is not
 * to be kept (an error is recorded).
 */
static bool __attribute__((noinline))
field_rare(struct lexer *lx, struct batch *b, const char *data, size_t len)
{
	if (lx->nf >= lx->max_columns) {
		lex_fail(lx, CALIB_ELIMIT, lx->field_line, lx->nf + 1, "more than %zu columns",
		         lx->max_columns);
		return false;
	}
	if (len > lx->max_field) {
		lex_fail(lx, CALIB_ELIMIT, lx->field_line, lx->nf + 1,
		         "field longer than %zu bytes", lx->max_field);
		return false;
	}
	if (lx->nul_seen && data && memchr(data, '\0', len)) {
		lex_fail(lx, CALIB_EINPUT, lx->field_line, lx->nf + 1, "NUL byte in field");
		return false;
	}
	/* a BOM past the file's start (files joined by cat) would hide in a name */
	if (lx->ef_seen && data && has_bom(data, len)) {
		lex_fail(lx, CALIB_EINPUT, lx->field_line, lx->nf + 1,
		         "byte order mark (U+FEFF) past the start of the file (files joined?)");
		return false;
	}
	if (b->flen_cap <= b->nf) {
		uint32_t *flen = grow(b->flen, &b->flen_cap, b->nf, 1, sizeof *flen, 1024);
		if (!flen) {
			lex_fail(lx, CALIB_ENOMEM, 0, 0, "out of memory");
			return false;
		}
		b->flen = flen;
	}
	if (b->text_cap - b->text_len <= len) {
		char *text = grow(b->text, &b->text_cap, b->text_len, len + 1, 1, 4096);
		if (!text) {
			lex_fail(lx, CALIB_ENOMEM, 0, 0, "out of memory");
			return false;
		}
		b->text = text;
	}
	if (lx->nf > 0 && lx->field_line != lx->row_line) {
		struct later *l = grow(b->later, &b->later_cap, b->n_later, 1, sizeof *l, 16);
		if (!l) {
			lex_fail(lx, CALIB_ENOMEM, 0, 0, "out of memory");
			return false;
		}
		b->later = l;
		b->later[b->n_later].field = b->nf;
		b->later[b->n_later++].line = lx->field_line;
	}
	return true;
}

static void
on_field(void *data, size_t len, void *ctx)
{
	struct lexer *lx = ctx;
	struct batch *b = &lx->ring[lx->tail];
	char *text;

	if (lx->status != CALIB_OK || lx->halted)
		goto next;
	if (lx->nf == 0)
		lx->row_line = lx->field_line;
	/* one test for the rare cases: each is a comparison that is usually false */
	if (((lx->nf >= lx->max_columns) | (len > lx->max_field) | lx->nul_seen | lx->ef_seen |
	     (b->text_cap - b->text_len <= len) | (b->flen_cap <= b->nf) |
	     (lx->field_line != lx->row_line)) &&
	    !field_rare(lx, b, data, len))
		goto next;
	b->flen[b->nf++] = (uint32_t)len;
	/* through a local pointer: a byte stored through b->text may alias b itself */
	text = b->text + b->text_len;
	b->text_len += len + 1;
	if (len > 8)
		memcpy(text, data, len);
	else /* most fields are a score of a byte or two: no call for them */
		for (size_t i = 0; i < len; i++)
			text[i] = ((const char *)data)[i];
	text[len] = '\0';
	lx->nf++;
next:
	/* the next field starts after this delimiter, on this line */
	lx->field_line = lx->line;
}

static void
batch_clear(struct batch *b)
{
	b->text_len = b->nf = b->n_rows = b->n_later = 0;
}

static void
batch_free(struct batch *b)
{
	free(b->text);
	free(b->flen);
	free(b->row);
	free(b->later);
}

static void classify(struct reader *r, const struct batch *b, size_t from, size_t off);
static void sheet_row(struct reader *r);
static void sheet_peek(struct reader *r, const char *next, const uint32_t *len, size_t nf);
static void header_row(struct reader *r);
static void halves_start(struct halves *h);

/*
 * After the first batch of a sheet (a row per evaluation): room in the store
 * for the evaluations of the whole input, estimated from its size and the
 * batch's bytes per row (each field's text and one byte, its delimiter or
 * newline) with 5% to spare, so that the per-evaluation arrays do not grow
 * while reading. An estimate that falls short only means they grow later.
 */
static void
presize(struct reader *r, const struct batch *b)
{
	double per_row;

	if (r->presized || r->size == 0 || r->row != sheet_row || b->n_rows < 2)
		return;
	r->presized = true;
	per_row = (double)b->text_len / (double)b->n_rows;
	if (calib_store_reserve(r->s, r->s->n_evals + (size_t)(1.05 * (double)r->size / per_row) +
				      1024) == CALIB_ENOMEM)
		fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
}

/* Convert the rows of b, until the first error. */
static void
convert(struct reader *r, const struct batch *b)
{
	const struct row *row = b->row;
	size_t i, j, n = b->n_rows, first = 0, l = 0;
	uint32_t off = 0;

	r->buf = b->text;
	for (i = 0; i < n && r->status == CALIB_OK; i++) {
		if (r->classify && (classify(r, b, i, off), r->status != CALIB_OK))
			return;
		if (row[i].nf > r->f_cap) {
			struct field *f = grow(r->f, &r->f_cap, 0, row[i].nf, sizeof *f, 16);
			if (!f) {
				fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
				return;
			}
			r->f = f;
		}
		for (j = 0; j < row[i].nf; j++) {
			r->f[j].off = off;
			r->f[j].len = b->flen[first + j];
			off += b->flen[first + j] + 1;
		}
		r->nf = row[i].nf;
		r->first = first;
		r->row_line = row[i].line;
		r->later = b->later ? b->later + l : NULL; /* none yet: no offset on NULL */
		for (r->n_later = 0; l < b->n_later && b->later[l].field < first + row[i].nf; l++)
			r->n_later++;
		if (r->peek && i + 1 < n)
			r->peek(r, b->text + off, b->flen + first + row[i].nf, row[i + 1].nf);
		r->row(r);
		r->n_rows++;
		first += row[i].nf;
	}
	presize(r, b);
}

/* Give the batch being filled to the reader and start the next. */
static void
hand_on(struct lexer *lx)
{
	bool stop;

	if (!lx->threaded) {
		convert(lx->r, &lx->ring[0]);
		batch_clear(&lx->ring[0]);
		lx->row_first = lx->row_text = 0;
		lx->halted = lx->r->status != CALIB_OK;
		if (lx->halves)
			halves_start(lx->halves);
		return;
	}
	pthread_mutex_lock(&lx->mu);
	lx->count++;
	pthread_cond_signal(&lx->ready);
	while (lx->count == N_BATCHES && !atomic_load(&lx->stop))
		pthread_cond_wait(&lx->room, &lx->mu);
	stop = atomic_load(&lx->stop);
	pthread_mutex_unlock(&lx->mu);
	if (stop) {
		lx->halted = true;
		return;
	}
	/* count < N_BATCHES: the slot after tail is nobody's */
	lx->tail = (lx->tail + 1) % N_BATCHES;
	batch_clear(&lx->ring[lx->tail]);
	lx->row_first = lx->row_text = 0;
}

static void
on_row(int term, void *ctx)
{
	struct lexer *lx = ctx;
	struct batch *b = &lx->ring[lx->tail];
	bool kept = false, blank = true;

	(void)term;
	if (lx->halted)
		return;
	/* a row of empty fields only (a blank line) is nothing but NULs */
	for (size_t t = lx->row_text; t < b->text_len && blank; t++)
		blank = b->text[t] == '\0';
	if (lx->status == CALIB_OK && !blank) {
		struct row *row = grow(b->row, &b->rows_cap, b->n_rows, 1, sizeof *row, 64);
		if (!row)
			lex_fail(lx, CALIB_ENOMEM, 0, 0, "out of memory");
		else {
			b->row = row;
			b->row[b->n_rows].nf = b->nf - lx->row_first;
			b->row[b->n_rows++].line = lx->row_line;
			kept = true;
		}
	}
	if (!kept) {
		/* a blank line or a row cut by an error: dropped */
		b->text_len = lx->row_text;
		b->nf = lx->row_first;
		while (b->n_later > 0 && b->later[b->n_later - 1].field >= b->nf)
			b->n_later--;
	}
	lx->nf = 0;
	lx->row_first = b->nf;
	lx->row_text = b->text_len;
	if (lx->status == CALIB_OK && (b->n_rows >= BATCH_ROWS || b->text_len >= BATCH_TEXT))
		hand_on(lx);
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

/* The delimiter of an input whose first block is s[0..n): given, or detected. */
static char
input_delimiter(const struct reader *r, const char *s, size_t n)
{
	size_t pos = n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	return r->o->delimiter ? r->o->delimiter : detect_delimiter(s + pos, n - pos);
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

/* Up to n bytes of the input into buf: from its stream, or (a part of a file) by pread. */
static size_t
lex_read(struct lexer *lx, char *buf, size_t n)
{
	size_t got = 0;

	if (lx->fp)
		return fread(buf, 1, n, lx->fp);
	if (n > (size_t)(lx->end - lx->off))
		n = (size_t)(lx->end - lx->off);
	while (got < n) {
		ssize_t k = pread(lx->fd, buf + got, n - got, lx->off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			lx->read_errno = k < 0 ? errno : 0;
			break;
		}
		got += (size_t)k;
		lx->off += k;
	}
	return got;
}

static bool at_seam(struct lexer *lx);

/*
 * The lexer's loop: feed the input to libcsv one line per csv_parse call,
 * which costs little and gives the line of every field (libcsv reports no
 * positions and skips blank lines).
 */
static void *
lex_run(void *arg)
{
	struct lexer *lx = arg;
	struct csv_parser *p = &lx->p;
	char delim = lx->delim, eol = lx->eol;
	size_t n = lx->block_n, pos = 0;
	size_t row_bytes = 0; /* text of the row being parsed so far */

	if (!lx->part && n >= 3 && memcmp(lx->block, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	csv_set_delim(p, (unsigned char)delim);
	if (delim == '\t')
		csv_set_space_func(p, is_blank);
	while (n > 0) {
		/* a field holds only bytes read so far: no NUL read, none to find */
		lx->nul_seen = lx->nul_seen || memchr(lx->block, '\0', n) != NULL;
		/* 0xef starts a BOM, split between blocks or not, and is rare in text */
		lx->ef_seen = lx->ef_seen || memchr(lx->block + pos, 0xef, n - pos) != NULL;
		while (pos < n) {
			const char *s = lx->block + pos, *nl;
			size_t seg;
			/* a line ends at the seam: the second half may be taken from there */
			if (lx->block_off + pos == lx->seam && at_seam(lx))
				goto out;
			nl = memchr(s, eol, n - pos);
			seg = nl ? (size_t)(nl - s) + 1 : n - pos;
			if (p->pstate == CSV_ROW_NOT_BEGUN) {
				lx->field_line = lx->line;
				row_bytes = 0;
			}
			row_bytes += seg;
			if (row_bytes - line_end(s, seg, nl != NULL) > lx->max_line) {
				lex_fail(lx, CALIB_ELIMIT, lx->field_line, 0,
				         "line longer than %zu bytes", lx->max_line);
				goto out;
			}
			if (csv_parse(p, s, seg, on_field, on_row, lx) != seg) {
				if (csv_error(p) == CSV_EPARSE)
					lex_fail(lx, CALIB_EINPUT, lx->line, lx->nf + 1,
					         "misplaced quote character in field");
				else
					lex_fail(lx, CALIB_ENOMEM, lx->line, 0, "out of memory");
			}
			if (p->entry_pos > lx->max_field)
				lex_fail(lx, CALIB_ELIMIT, lx->field_line, lx->nf + 1,
				         "field longer than %zu bytes", lx->max_field);
			if (lx->status != CALIB_OK || lx->halted ||
			    atomic_load_explicit(&lx->stop, memory_order_relaxed))
				goto out;
			pos += seg;
			if (nl)
				lx->line++;
		}
		lx->block_off += n;
		n = lex_read(lx, lx->block, BLOCK);
		pos = 0;
	}
	if (lx->fp ? ferror(lx->fp) != 0 : lx->read_errno != 0) {
		lex_fail(lx, CALIB_EIO, 0, 0, "read error: %s",
		         strerror(lx->fp ? errno : lx->read_errno));
		goto out;
	}
	if (p->pstate != CSV_ROW_NOT_BEGUN && p->quoted && p->pstate != 3) {
		lex_fail(lx, CALIB_EINPUT, lx->field_line, lx->nf + 1, "unterminated quoted field");
		goto out;
	}
	if (csv_fini(p, on_field, on_row, lx) != 0)
		lex_fail(lx, CALIB_EINPUT, lx->field_line, lx->nf + 1, "unterminated quoted field");
out:
	if (!lx->halted && !atomic_load(&lx->stop) && lx->ring[lx->tail].n_rows > 0)
		hand_on(lx);
	if (lx->threaded) {
		pthread_mutex_lock(&lx->mu);
		lx->done = true;
		pthread_cond_signal(&lx->ready);
		pthread_mutex_unlock(&lx->mu);
	}
	return NULL;
}

/* Convert the batches the lexer's thread hands on, until it is done or a row fails. */
static void
take_batches(struct lexer *lx)
{
	struct reader *r = lx->r;

	for (;;) {
		struct batch *b;
		pthread_mutex_lock(&lx->mu);
		while (lx->count == 0 && !lx->done)
			pthread_cond_wait(&lx->ready, &lx->mu);
		if (lx->count == 0) {
			pthread_mutex_unlock(&lx->mu);
			return;
		}
		b = &lx->ring[lx->head];
		pthread_mutex_unlock(&lx->mu);
		convert(r, b);
		pthread_mutex_lock(&lx->mu);
		lx->head = (lx->head + 1) % N_BATCHES;
		lx->count--;
		pthread_cond_signal(&lx->room);
		pthread_mutex_unlock(&lx->mu);
		if (r->status != CALIB_OK)
			return;
	}
}

/*
 * Stop the lexer's thread and wait until it is done: the input is the
 * reader's again (the thread itself ends with calib_parallel_together).
 */
static void
lex_halt(struct lexer *lx)
{
	if (!lx->threaded)
		return;
	pthread_mutex_lock(&lx->mu);
	atomic_store(&lx->stop, true);
	pthread_cond_signal(&lx->room);
	while (!lx->done)
		pthread_cond_wait(&lx->ready, &lx->mu);
	pthread_mutex_unlock(&lx->mu);
	lx->threaded = false;
}

/* The two stages of a threaded parse: 0 converts rows (the caller's thread), 1 lexes. */
static void
pipeline(void *arg, size_t i, unsigned w)
{
	struct lexer *lx = arg;

	(void)w;
	if (i == 1) {
		lex_run(lx);
		return;
	}
	take_batches(lx);
	lex_halt(lx);
}

/* ---- two halves ---- */

/*
 * A regular file of at least split_min bytes is read in two halves at
 * once, each by a lexer and reader of its own: the caller's thread reads
 * the first half into the store, as ever; a second thread reads the rest,
 * from the first line end a little past the middle (the seam,
 * CALIB_SEAM_AT), into a store of its own (calib_store_part) with the
 * first half's header and criteria. When
 * the first half's lexer reaches the seam at a row's start, the second
 * half read without an error, and its store joins the caller's exactly as
 * reading on would have filled it (calib_store_join), the store takes it
 * and the input is done. Otherwise (a quoted field spans the seam, an
 * error, a rating given in both halves, labels in one half meeting numbers
 * in the other) the second half's work is dropped and the first half's
 * lexer reads on past the seam, so that every error is the one, at the
 * place, that reading in one piece finds. Only the wide and per-rater
 * forms are split, once the header and the first batch (which classifies
 * the columns) are read; a long form is read by the two stages of
 * "CSV plumbing" instead, from its second batch on.
 */
struct halves {
	struct reader *r;  /* the first half's: the caller's */
	struct lexer *lx;
	size_t seam;       /* offset of the second half in the input */
	/* the second thread's own, each on cache lines of its own */
	_Alignas(64) struct reader r2; /* the second half's */
	_Alignas(64) struct lexer lx2;
	_Alignas(64) struct calib_store *part;
	enum calib_status st2; /* how the second half ended */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int go;    /* 0: not yet known; 1: the second half is read; -1: it is not;
	              2: the first half's rows are converted by the second thread */
	bool done; /* the second thread is done with the second half */
};

/* The second half's reader: the first's after its first batch, over its own store. */
static void
half_reader(struct halves *h)
{
	struct reader *r2 = &h->r2;

	*r2 = *h->r;
	r2->s = h->part;
	r2->err = NULL; /* its errors are found again by the first half's lexer */
	r2->status = CALIB_OK;
	r2->n_errors = 0;
	r2->f = NULL;
	r2->f_cap = 0;
	r2->fp = NULL; /* a duplicate's first line is not looked for */
	r2->lexer = &h->lx2;
	r2->n_rows = 0;
	r2->size = h->r->size - h->seam;
	r2->presized = false;
	r2->unknown = NULL;
	memset(r2->crit_cache, 0, sizeof r2->crit_cache);
	memset(r2->rater_cache, 0, sizeof r2->rater_cache);
	r2->last_key = NULL;
	r2->last_key_len = r2->last_key_cap = 0;
	r2->code_cache = calloc(CODE_CACHE, sizeof *r2->code_cache);
	r2->byte_code = calloc(BYTE_CRITS * 256, sizeof *r2->byte_code);
}

static void
half_reader_free(struct reader *r2)
{
	free(r2->f);
	free(r2->code_cache);
	free(r2->byte_code);
	free(r2->last_key);
}

/* The second half's lexer: the first's settings, over bytes [seam, size) of the file. */
static bool
half_lexer(struct halves *h, off_t start, off_t end)
{
	struct lexer *lx = h->lx, *l2 = &h->lx2;

	memset(l2, 0, sizeof *l2);
	l2->r = &h->r2;
	l2->max_field = lx->max_field;
	l2->max_columns = lx->max_columns;
	l2->max_line = lx->max_line;
	l2->fd = lx->fd;
	l2->off = start;
	l2->end = end;
	l2->delim = lx->delim;
	l2->eol = lx->eol;
	l2->part = true;
	l2->seam = SIZE_MAX;
	l2->line = l2->field_line = 1;
	atomic_init(&l2->stop, false);
	if (csv_init(&l2->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
		return false;
	if (!(l2->block = malloc(BLOCK))) {
		csv_free(&l2->p);
		return false;
	}
	return true;
}

static void
half_lexer_free(struct lexer *l2)
{
	csv_free(&l2->p);
	free(l2->block);
	batch_free(&l2->ring[0]);
}

/* Tell the second thread what it is to do (h->go, see struct halves). */
static void
halves_go(struct halves *h, int go)
{
	pthread_mutex_lock(&h->mu);
	h->go = go;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

/*
 * After each batch of the first half: once the header and the columns are
 * settled, start the second half (a wide or per-rater sheet), or hand the
 * conversion of the first half's later batches to the second thread (a
 * long form, whose criteria come row by row).
 */
static void
halves_start(struct halves *h)
{
	struct reader *r = h->r;
	struct lexer *lx = h->lx;

	if (h->go != 0 || r->status != CALIB_OK || r->classify || r->row == header_row)
		return;
	if (r->row != sheet_row) {
		/* the lexer hands batches on from here; the second thread converts them */
		lx->threaded = true;
		lx->seam = SIZE_MAX;
		halves_go(h, 2);
		return;
	}
	if (calib_store_part(r->s, &h->part) != CALIB_OK) {
		halves_go(h, -1);
		return;
	}
	half_reader(h);
	if (!h->r2.code_cache || !h->r2.byte_code ||
	    !half_lexer(h, lx->base + (off_t)h->seam, (off_t)r->size)) {
		half_reader_free(&h->r2);
		calib_store_free(h->part);
		h->part = NULL;
		halves_go(h, -1);
		return;
	}
	halves_go(h, 1);
}

/* The second thread: the second half, or the conversion of a long form's batches. */
static void
second_thread(struct halves *h)
{
	struct lexer *l2 = &h->lx2;
	enum calib_status st = CALIB_OK;
	int go;

	pthread_mutex_lock(&h->mu);
	while (h->go == 0)
		pthread_cond_wait(&h->cv, &h->mu);
	go = h->go;
	pthread_mutex_unlock(&h->mu);
	if (go == 2) {
		take_batches(h->lx);
		lex_halt(h->lx);
		return;
	}
	if (go == 1) {
		l2->block_n = lex_read(l2, l2->block, BLOCK);
		lex_run(l2);
		st = h->r2.status != CALIB_OK ? h->r2.status : l2->status;
	}
	pthread_mutex_lock(&h->mu);
	h->st2 = st;
	h->done = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

/* The second half is not taken: stop it (or never start it). */
static void
halves_drop(struct halves *h)
{
	if (h->go == 0)
		halves_go(h, -1);
	else if (h->go == 1)
		atomic_store(&h->lx2.stop, true);
}

/*
 * The first half's lexer is at the seam, with no row begun: the rows
 * before it are converted, then the second half is taken when it can be
 * (see "two halves"). True when it was: the input is read.
 */
static bool
at_seam(struct lexer *lx)
{
	struct halves *h = lx->halves;
	struct reader *r = lx->r;
	bool row_start = lx->p.pstate == CSV_ROW_NOT_BEGUN && lx->nf == 0;
	uint32_t shift;
	enum calib_status st;

	lx->seam = SIZE_MAX;
	/* the first batch must end as reading on would end it: it classifies the columns */
	if (h->go == 0)
		halves_go(h, -1);
	if (lx->ring[lx->tail].n_rows > 0 && !lx->threaded)
		hand_on(lx);
	if (h->go != 1 || !row_start || r->status != CALIB_OK || lx->status != CALIB_OK ||
	    lx->halted) {
		halves_drop(h);
		return false;
	}
	pthread_mutex_lock(&h->mu);
	while (!h->done)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
	shift = lx->line - 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(lx->line - 1);
	if (h->st2 != CALIB_OK)
		return false;
	st = calib_store_join(r->s, h->part, shift, (int)r->o->duplicates, r->o->threads);
	if (st == CALIB_EINPUT)
		return false;
	if (st != CALIB_OK) {
		fail(r, st, 0, 0, "out of memory");
		return true;
	}
	r->n_rows += h->r2.n_rows;
	if (r->o->halved)
		*r->o->halved = true;
	return true;
}

/* The two threads of a reading in halves: 0 reads the first half (the caller's), 1 the second. */
static void
halves_stage(void *arg, size_t i, unsigned w)
{
	struct halves *h = arg;

	(void)w;
	if (i == 1) {
		second_thread(h);
		return;
	}
	lex_run(h->lx);
	if (h->go != 2) /* (a long form's batches: the second thread is converting them) */
		halves_drop(h);
}

/* A byte limit given (0: the default), at most CALIB_MAX_CEILING. */
static size_t
limit(size_t given, size_t dflt)
{
	size_t v = given ? given : dflt;
	return v < CALIB_MAX_CEILING ? v : CALIB_MAX_CEILING;
}

/*
 * The seam of an input of `size` bytes at offset base of the file fd: the
 * offset (from base) just past the first '\n' at or after
 * CALIB_SEAM_AT(size), or 0 when there is none in the block there.
 */
static size_t
find_seam(int fd, off_t base, size_t size)
{
	char buf[4096];
	size_t at = CALIB_SEAM_AT(size);

	while (at < size && at < CALIB_SEAM_AT(size) + BLOCK) {
		ssize_t k = pread(fd, buf, sizeof buf, base + (off_t)at);
		const char *nl;
		if (k <= 0)
			return 0;
		if ((nl = memchr(buf, '\n', (size_t)k))) {
			at += (size_t)(nl - buf) + 1;
			return at < size ? at : 0;
		}
		at += (size_t)k;
	}
	return 0;
}

/* Read in two halves (see "two halves"), the lexer set up for the first. */
static void
parse_halves(struct reader *r, struct lexer *lx)
{
	struct halves h;

	memset(&h, 0, sizeof h);
	h.r = r;
	h.lx = lx;
	h.seam = lx->seam;
	lx->halves = &h;
	pthread_mutex_init(&h.mu, NULL);
	pthread_cond_init(&h.cv, NULL);
	/* a long form's batches go to the second thread as in the two-stage pipeline */
	pthread_mutex_init(&lx->mu, NULL);
	pthread_cond_init(&lx->ready, NULL);
	pthread_cond_init(&lx->room, NULL);
	if (!calib_parallel_together(2, halves_stage, &h)) {
		lx->halves = NULL;
		lx->seam = SIZE_MAX;
		lex_run(lx);
	}
	lx->halves = NULL;
	if (h.go == 1) {
		half_lexer_free(&h.lx2);
		half_reader_free(&h.r2);
	}
	calib_store_free(h.part);
	pthread_mutex_destroy(&lx->mu);
	pthread_cond_destroy(&lx->ready);
	pthread_cond_destroy(&lx->room);
	pthread_mutex_destroy(&h.mu);
	pthread_cond_destroy(&h.cv);
}

/*
 * Read fp through the lexer into the reader's row handlers. When
 * `may_thread`: a regular file of split_min bytes or more in two halves
 * at once (see "two halves"); another input larger than one block with
 * the lexer on a thread of its own (see "CSV plumbing").
 */
static enum calib_status
parse_stream(struct reader *r, FILE *fp, bool may_thread)
{
	struct lexer lx;
	size_t i, split_min = r->o->split_min ? r->o->split_min : CALIB_SPLIT_MIN;
	off_t base;
	bool halves;

	memset(&lx, 0, sizeof lx);
	lx.r = r;
	lx.max_field = limit(r->o->max_field, CALIB_MAX_FIELD);
	lx.max_columns = r->o->max_columns ? r->o->max_columns : CALIB_MAX_COLUMNS;
	lx.max_line = limit(r->o->max_line, CALIB_MAX_LINE);
	lx.fp = fp;
	lx.fd = fileno(fp);
	lx.seam = SIZE_MAX;
	lx.line = lx.field_line = 1;
	atomic_init(&lx.stop, false);
	r->fp = fp;
	if (csv_init(&lx.p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL))
		return fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
	if (!(lx.block = malloc(BLOCK))) {
		csv_free(&lx.p);
		return fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
	}
	base = ftello(fp);
	lx.block_n = fread(lx.block, 1, BLOCK, fp);
	{
		struct stat st;
		r->size = fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
	}
	lx.delim = input_delimiter(r, lx.block, lx.block_n);
	/* old Mac files end lines with CR alone */
	lx.eol = !memchr(lx.block, '\n', lx.block_n) && memchr(lx.block, '\r', lx.block_n) ? '\r'
	                                                                                   : '\n';
	/* bytes that are no text at all: say what they are (header code would see bad UTF-8) */
	if (calib_read_compressed(lx.block, lx.block_n)) {
		fail(r, CALIB_EINPUT, 0, 0, CALIB_READ_COMPRESSED "%s",
		     calib_read_compressed(lx.block, lx.block_n));
		csv_free(&lx.p);
		free(lx.block);
		return r->status;
	}
	/* decimal commas: asked for, or in a ';'-delimited input (see read_number) */
	r->decimal = r->o->decimal ? r->o->decimal : lx.delim == ';' ? 0 : '.';
	r->lexer = &lx;
	/* the seam is a '\n' */
	halves = may_thread && r->o->threads != 1 && lx.eol == '\n' &&
	         base >= 0 && r->size > (size_t)base && r->size - (size_t)base >= split_min;
	if (halves && (lx.seam = find_seam(lx.fd, base, r->size - (size_t)base)) > 0) {
		lx.base = base;
		parse_halves(r, &lx);
	} else if (may_thread && r->o->threads != 1 && lx.block_n == BLOCK) {
		lx.seam = SIZE_MAX;
		pthread_mutex_init(&lx.mu, NULL);
		pthread_cond_init(&lx.ready, NULL);
		pthread_cond_init(&lx.room, NULL);
		/* set before the thread starts: the thread reads it */
		lx.threaded = true;
		if (!calib_parallel_together(2, pipeline, &lx))
			lx.threaded = false;
		pthread_mutex_destroy(&lx.mu);
		pthread_cond_destroy(&lx.ready);
		pthread_cond_destroy(&lx.room);
		if (!lx.threaded && !lx.done)
			lex_run(&lx);
	} else {
		lx.seam = SIZE_MAX;
		lex_run(&lx);
	}
	r->lexer = NULL;
	if (r->status == CALIB_OK && lx.status != CALIB_OK)
		fail(r, lx.status, lx.err_line, lx.err_col, "%s", lx.msg);
	csv_free(&lx.p);
	free(lx.block);
	for (i = 0; i < N_BATCHES; i++)
		batch_free(&lx.ring[i]);
	return r->status;
}

const char *
calib_read_compressed(const void *head, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *tool;
	} known[] = {{"\x1f\x8b", 2, "zcat"},
		     {"\xfd" "7zXZ\0", 6, "xzcat"},
		     {"\x28\xb5\x2f\xfd", 4, "zstdcat"}};

	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (n >= known[i].len && memcmp(head, known[i].magic, known[i].len) == 0)
			return known[i].tool;
	return NULL;
}

/* ---- header ---- */

/* The first column named want (compared by calib_column_same), or SIZE_MAX. */
static size_t
find_col(const struct reader *r, const char *want)
{
	size_t j, n = strlen(want);

	for (j = 0; j < r->nf; j++)
		if (calib_column_same(ftext(r, j), r->f[j].len, want, n))
			return j;
	return SIZE_MAX;
}

/*
 * Whether s[0..len), the k-th of a list whose first k are all different,
 * equals one of them (ASCII case folded when fold): *earlier receives its
 * index, or SIZE_MAX. Each is interned once into *seen (made on first use,
 * freed by the caller), so a list of n costs O(n), not O(n^2): its ids
 * count from 0 in order, so an id names the list index it was first seen
 * at. CALIB_OK or CALIB_ENOMEM.
 */
static enum calib_status
seen_before(struct calib_names **seen, const char *s, size_t len, bool fold, size_t k,
	    size_t *earlier)
{
	char *low = NULL;
	uint32_t id;
	enum calib_status st;

	if (!*seen && !(*seen = calib_names_alloc()))
		return CALIB_ENOMEM;
	if (fold) {
		if (!(low = malloc(len + 1)))
			return CALIB_ENOMEM;
		for (size_t i = 0; i < len; i++)
			low[i] = (char)tolower((unsigned char)s[i]);
		low[len] = '\0';
		s = low;
	}
	st = calib_names_intern(*seen, s, len, &id);
	free(low);
	*earlier = st == CALIB_OK && id < k ? id : SIZE_MAX;
	return st;
}

static bool
check_header_names(struct reader *r)
{
	struct calib_names *seen = NULL;
	size_t i, j;
	char a[128];
	bool ok = true;

	for (j = 0; j < r->nf && ok; j++) {
		if (!check_name(r, j, "column name", false))
			ok = false;
		else if (seen_before(&seen, ftext(r, j), r->f[j].len, true, j, &i) != CALIB_OK) {
			fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
			ok = false;
		} else if (i != SIZE_MAX) {
			fail(r, CALIB_EINPUT, fline(r, j), j + 1,
			     "duplicate column %s (also column %zu)",
			     shown(a, sizeof a, ftext(r, j), r->f[j].len), i + 1);
			ok = false;
		}
	}
	calib_names_free(seen);
	return ok;
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
		/* once per criterion, at its first row: not once per row */
		if (!r->unknown && !(r->unknown = calib_names_alloc())) {
			fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
			return CALIB_NONE;
		}
		if (calib_names_find(r->unknown, name, len) != CALIB_NONE)
			return CALIB_NONE;
		if (calib_names_intern(r->unknown, name, len, &id) != CALIB_OK) {
			fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
			return CALIB_NONE;
		}
		bad(r, line, col, "criterion %s is not in the rubric", shown(a, sizeof a, name, len));
		return CALIB_NONE;
	}
	if (calib_store_criterion(r->s, name, len, &id) != CALIB_OK) {
		fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
		return CALIB_NONE;
	}
	return id;
}

/* Note how column j of this input is used (see columns.h). */
static bool
note_column(struct reader *r, size_t j, enum calib_column_use use, enum calib_role role,
            uint32_t crit)
{
	struct calib_store *s = r->s;

	if (!s->columns && !(s->columns = calib_columns_alloc()))
		return fail(r, CALIB_ENOMEM, 0, 0, "out of memory"), false;
	if (calib_columns_add(s->columns, r->file, j + 1, ftext(r, j), r->f[j].len, use, role,
	                      crit) != CALIB_OK)
		return fail(r, CALIB_ENOMEM, 0, 0, "out of memory"), false;
	return true;
}

/*
 * The columns that could be role's: named as given (an option), or else
 * by the alias table. *col is the first, *other a second (SIZE_MAX: none).
 */
static void
role_cols(const struct reader *r, enum calib_role role, const char *given, size_t *col,
          size_t *other)
{
	size_t j;

	*col = *other = SIZE_MAX;
	for (j = 0; j < r->nf && *other == SIZE_MAX; j++) {
		const char *t = ftext(r, j);
		size_t len = r->f[j].len;
		if (given ? !calib_column_same(t, len, given, strlen(given))
		          : calib_column_role(t, len) != role)
			continue;
		if (*col == SIZE_MAX)
			*col = j;
		else
			*other = j;
	}
}

/* Two columns could be role's: an error that names both and the option. */
static void
two_candidates(struct reader *r, enum calib_role role, size_t a, size_t b)
{
	char x[128], y[128];

	fail(r, CALIB_EINPUT, fline(r, b), b + 1,
	     "two columns could be the %s: %s (column %zu) and %s (column %zu); name one with %s",
	     calib_role_name(role), shown(x, sizeof x, ftext(r, a), r->f[a].len), a + 1,
	     shown(y, sizeof y, ftext(r, b), r->f[b].len), b + 1, calib_role_option(role));
}

/* No column for role: an error that lists the header's columns and names the option. */
static void
no_role_col(struct reader *r, enum calib_role role, const char *given, const char *form)
{
	char msg[sizeof r->err->msg], a[128];
	size_t j, o;
	int w;

	if (given)
		w = snprintf(msg, sizeof msg, "no column %s (%s)%s among ",
		             shown(a, sizeof a, given, strlen(given)), calib_role_option(role), form);
	else
		w = snprintf(msg, sizeof msg, "no %s column%s among ", calib_role_name(role), form);
	o = w > 0 ? (size_t)w : 0;
	for (j = 0; j < r->nf && o < sizeof msg; j++) {
		if (o + 200 > sizeof msg) {
			o += (size_t)snprintf(msg + o, sizeof msg - o, ", ...");
			break;
		}
		w = snprintf(msg + o, sizeof msg - o, "%s%s", j ? ", " : "",
		             shown(a, 64, ftext(r, j), r->f[j].len));
		o += w > 0 ? (size_t)w : 0;
	}
	if (o < sizeof msg && given)
		snprintf(msg + o, sizeof msg - o, ": correct %s", calib_role_option(role));
	else if (o < sizeof msg)
		snprintf(msg + o, sizeof msg - o, ": name it with %s (known names: %s)",
		         calib_role_option(role), calib_role_aliases(role));
	fail(r, CALIB_EINPUT, fline(r, 0), 0, "%s", msg);
}

/* Is column j one of the trailing columns without a name (their values must be empty)? */
static bool
trailing_empty(const struct reader *r, size_t j)
{
	return j >= r->n_named;
}

/*
 * How column j of a wide or per-rater sheet is used when it is not a
 * role's: a criterion, or left out (trailing and empty, --ignore, not in
 * --criteria, not in the rubric).
 */
static enum calib_column_use
sheet_column_use(struct reader *r, size_t j)
{
	const char *t = ftext(r, j);
	size_t len = r->f[j].len;

	if (trailing_empty(r, j))
		return CALIB_USE_EMPTY;
	if (calib_column_listed(r->o->ignore, t, len))
		return CALIB_USE_IGNORED;
	if (r->o->criteria && !calib_column_listed(r->o->criteria, t, len))
		return CALIB_USE_NOT_CHOSEN;
	if (r->rubric && calib_store_find_criterion(r->s, t, len) == CALIB_NONE)
		return CALIB_USE_NOT_IN_RUBRIC;
	return CALIB_USE_CRITERION;
}

/* The record of column j of this input (a wide or per-rater sheet). */
static struct calib_column *
column_of(const struct reader *r, size_t j)
{
	return &r->s->columns->v[r->note0 + j];
}

/* Nothing to score: an error that says what was left out and why. */
static void
no_criteria(struct reader *r)
{
	char left[256];
	const struct calib_columns *c = r->s->columns;
	struct calib_columns mine = {c->v + r->note0, c->n - r->note0, 0};

	if (calib_columns_left_out(&mine, left, sizeof left))
		fail(r, CALIB_EINPUT, r->header_line, 0,
		     "no criterion columns in the header (left out: %s)", left);
	else
		fail(r, CALIB_EINPUT, r->header_line, 0, "no criterion columns in the header");
}

/*
 * The criteria of a wide or per-rater sheet, once it is known which
 * columns they are: the id of each, two spellings of one criterion in one
 * header being an error.
 */
static bool
take_columns(struct reader *r)
{
	size_t i, j;

	r->classify = false;
	r->n_scored = 0;
	for (j = 0; j < r->n_cols; j++) {
		struct calib_column *c = column_of(r, j);
		uint32_t crit;
		if (c->use != CALIB_USE_CRITERION)
			continue;
		crit = criterion_id(r, c->name, strlen(c->name), r->header_line, j + 1);
		if (crit == CALIB_NONE)
			return false;
		for (i = 0; i < j; i++)
			if (r->col_crit[i] == crit) {
				char a[128], b[128];
				const char *x = column_of(r, i)->name;
				fail(r, CALIB_EINPUT, r->header_line, j + 1,
				     "columns %s (column %zu) and %s are one criterion",
				     shown(a, sizeof a, x, strlen(x)), i + 1,
				     shown(b, sizeof b, c->name, strlen(c->name)));
				return false;
			}
		column_of(r, j)->criterion = crit;
		r->col_crit[j] = crit;
		r->n_scored++;
	}
	if (r->n_scored == 0) {
		no_criteria(r);
		return false;
	}
	return true;
}

/* What the first rows show of one column (see classify). */
struct sample {
	size_t filled, numbers;
	bool text;      /* more than half the filled cells are not numbers */
	bool dates;     /* every filled cell looks like a date */
	bool long_text; /* a value of more than five words or 60 bytes */
	bool shared;    /* two rows of one call both hold a value */
	bool varies;    /* ... and they differ */
	size_t distinct;
	const char *value[CALIB_LABELS_MAX_LEVELS + 1]; /* the first distinct values */
	size_t n_value;
	uint64_t seen[256]; /* hashes of the distinct values (0: free) */
};

static uint64_t
hash_text(const char *s, size_t len, uint64_t h)
{
	for (size_t k = 0; k < len; k++)
		h = (h ^ (unsigned char)s[k]) * 1099511628211u;
	return h;
}

/* A cell's text without the spaces around it; false when it holds no score. */
static bool
sample_cell(const struct reader *r, const char *t, const char **v, size_t *len)
{
	size_t n = strlen(t);

	while (n > 0 && t[0] == ' ')
		t++, n--;
	while (n > 0 && t[n - 1] == ' ')
		n--;
	*v = t;
	*len = n;
	return n > 0 && !is_token(&r->missing, t, n) && !is_token(&r->na, t, n);
}

/* Words of s[0..len) (runs of bytes between spaces). */
static size_t
words(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t k = 0; k < len; k++)
		n += s[k] != ' ' && (k == 0 || s[k - 1] == ' ');
	return n;
}

/*
 * Count v[0..len) among the distinct values of x when it is new (a hash
 * set of 256 at most); the first few are kept as their cells' text raw.
 */
static void
sample_distinct(struct sample *x, const char *v, size_t len, const char *raw)
{
	uint64_t h = hash_text(v, len, 14695981039346656037u) | 1;
	size_t k = (size_t)(h >> 56);

	for (size_t probe = 0; probe < 256; probe++, k = (k + 1) % 256) {
		if (x->seen[k] == h)
			return;
		if (x->seen[k] == 0) {
			x->seen[k] = h;
			x->distinct++;
			if (x->n_value < CALIB_LABELS_MAX_LEVELS + 1)
				x->value[x->n_value++] = raw;
			return;
		}
	}
}

/* Are the distinct values of x a recognised label set (scores, not metadata)? */
static bool
label_set(const struct sample *x)
{
	size_t rank[CALIB_LABELS_MAX_LEVELS + 1];

	return x->distinct <= CALIB_LABELS_MAX_LEVELS &&
	       calib_labels_match(x->value, x->n_value, rank) != CALIB_LABELS_NONE;
}

/*
 * Without a rubric, tell the criteria of a wide or per-rater sheet from
 * its metadata and free text, by the rows of the batch from row `from`
 * (text at b->text + off): at most BATCH_ROWS rows or BATCH_TEXT bytes,
 * the whole of most calibration sessions. A column not named by
 * --criteria whose filled cells are mostly not numbers is
 *   metadata when each value looks like a date, or its name is one QA
 *   exports give metadata (calib_column_kind), or two raters of a call
 *   each gave it a value and no call's values differ, unless its values
 *   are a recognised label set (then they are scores that agree);
 *   free text when its name is a comment's, or a value has more than five
 *   words or 60 bytes, or more than 10 distinct values make up more than
 *   half its filled cells;
 * a criterion otherwise. The column records say which; then take_columns.
 */
static void
classify(struct reader *r, const struct batch *b, size_t from, size_t off)
{
	size_t nc = r->n_cols, j, k, n_groups = 0, cap = 64, t;
	struct sample *x = calloc(nc, sizeof *x);
	uint64_t *group_key = NULL, *first = NULL;
	size_t *text_col = NULL, n_text = 0, *row_group = NULL;
	const char *p;

	if (!x)
		goto nomem;
	while (cap < 2 * (b->n_rows - from) + 2)
		cap *= 2;
	/* pass 1: numbers, dates, lengths, distinct values */
	p = b->text + off;
	for (k = from; k < b->n_rows; k++) {
		for (j = 0; j < b->row[k].nf; j++) {
			const char *v;
			size_t len;
			double d;
			bool pct;
			int why;
			struct sample *c = &x[j];
			if (b->row[k].nf == nc && j < r->n_named &&
			    column_of(r, j)->use == CALIB_USE_CRITERION &&
			    sample_cell(r, p, &v, &len)) {
				c->dates = c->filled == 0 ? calib_column_date_like(v, len)
				                          : c->dates && calib_column_date_like(v, len);
				c->filled++;
				/* "85%", "4,5" and an ambiguous "1,234" are numbers too */
				why = read_number(r, v, len, &d, &pct);
				c->numbers += why == 0 || why == NUM_AMBIGUOUS || why == NUM_POINT;
				c->long_text |= len > 60 || words(v, len) > 5;
				sample_distinct(c, v, len, p);
			}
			p += strlen(p) + 1;
		}
	}
	for (j = 0; j < nc; j++)
		x[j].text = x[j].filled > 0 && 2 * x[j].numbers < x[j].filled;
	/* pass 2, for the columns of text: does a call's value differ between its raters? */
	if (!(text_col = malloc(nc * sizeof *text_col)) ||
	    !(group_key = calloc(cap, sizeof *group_key)) ||
	    !(row_group = malloc((b->n_rows - from + 1) * sizeof *row_group)))
		goto nomem;
	for (j = 0; j < nc; j++)
		if (x[j].text)
			text_col[n_text++] = j;
	p = b->text + off;
	for (k = from; k < b->n_rows; k++) {
		const char *call = NULL, *ses = "";
		const char *q = p;
		for (j = 0; j < b->row[k].nf; j++) {
			if (j == r->call_col)
				call = q;
			if (j == r->session_col)
				ses = q;
			q += strlen(q) + 1;
		}
		row_group[k - from] = SIZE_MAX;
		if (b->row[k].nf == nc && call) {
			uint64_t h = hash_text(call, strlen(call) + 1,
			                       hash_text(ses, strlen(ses) + 1, 14695981039346656037u)) |
			             1;
			size_t g = (size_t)(h % cap);
			while (group_key[g] && group_key[g] != h)
				g = (g + 1) % cap;
			if (!group_key[g]) {
				group_key[g] = h;
				n_groups++;
			}
			row_group[k - from] = g;
		}
		p = q;
	}
	if (n_text > 0 && !(first = calloc(cap * n_text, sizeof *first)))
		goto nomem;
	p = b->text + off;
	for (k = from; k < b->n_rows; k++) {
		size_t g = row_group[k - from];
		const char *q = p;
		for (j = 0, t = 0; j < b->row[k].nf; j++) {
			const char *v;
			size_t len;
			if (t < n_text && text_col[t] == j) {
				if (g != SIZE_MAX && sample_cell(r, q, &v, &len)) {
					uint64_t h = hash_text(v, len, 14695981039346656037u) | 1;
					uint64_t *f = &first[g * n_text + t];
					if (*f == 0)
						*f = h;
					else {
						x[j].shared = true;
						x[j].varies |= *f != h;
					}
				}
				t++;
			}
			q += strlen(q) + 1;
		}
		p = q;
	}
	for (t = 0; t < n_text; t++) {
		struct sample *c = &x[text_col[t]];
		struct calib_column *col = column_of(r, text_col[t]);
		enum calib_column_use kind = calib_column_kind(col->name, strlen(col->name));
		if (c->dates || kind == CALIB_USE_METADATA)
			col->use = CALIB_USE_METADATA;
		else if (kind == CALIB_USE_FREE_TEXT || c->long_text ||
		         (c->distinct > 10 && 2 * c->distinct > c->filled))
			col->use = CALIB_USE_FREE_TEXT;
		else if (c->shared && !c->varies && !label_set(c))
			col->use = CALIB_USE_METADATA;
	}
	free(x);
	free(text_col);
	free(group_key);
	free(row_group);
	free(first);
	take_columns(r);
	return;
nomem:
	free(x);
	free(text_col);
	free(group_key);
	free(row_group);
	free(first);
	fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
}

static void
header_row(struct reader *r)
{
	const struct calib_read_opts *o = r->o;
	const char *given[CALIB_N_ROLES] = {NULL};
	size_t col[CALIB_N_ROLES], other[CALIB_N_ROLES], j, nf = r->nf;
	enum calib_role role;
	bool long_form;

	given[CALIB_ROLE_CALL] = o->call_col;
	given[CALIB_ROLE_RATER] = o->rater_col;
	given[CALIB_ROLE_SESSION] = o->session_col;
	given[CALIB_ROLE_CRITERION] = o->criterion_col;
	given[CALIB_ROLE_SCORE] = o->score_col;
	/* trailing columns without a name (a delimiter at the end of each line) */
	r->n_cols = nf;
	for (r->n_named = nf; r->n_named > 1 && r->f[r->n_named - 1].len == 0; r->n_named--)
		;
	r->nf = r->n_named;
	if (!check_header_names(r)) {
		stop(r);
		return;
	}
	for (role = CALIB_ROLE_CALL; role < CALIB_N_ROLES; role++)
		role_cols(r, role, given[role], &col[role], &other[role]);
	if (o->agent) {
		/* routine evaluations: the agent stands where the session does */
		role_cols(r, CALIB_ROLE_AGENT, o->agent_col, &col[CALIB_ROLE_SESSION],
		          &other[CALIB_ROLE_SESSION]);
		if (other[CALIB_ROLE_SESSION] != SIZE_MAX) {
			two_candidates(r, CALIB_ROLE_AGENT, col[CALIB_ROLE_SESSION],
			               other[CALIB_ROLE_SESSION]);
			return;
		}
		if (col[CALIB_ROLE_SESSION] == SIZE_MAX) {
			no_role_col(r, CALIB_ROLE_AGENT, o->agent_col, "");
			return;
		}
	}
	r->call_col = col[CALIB_ROLE_CALL];
	r->rater_col = col[CALIB_ROLE_RATER];
	r->session_col = col[CALIB_ROLE_SESSION];
	r->crit_col = col[CALIB_ROLE_CRITERION];
	r->score_col = col[CALIB_ROLE_SCORE];
	r->layout = o->layout;
	if (r->layout == CALIB_LAYOUT_AUTO) {
		if (r->crit_col != SIZE_MAX && r->score_col != SIZE_MAX)
			r->layout = CALIB_LAYOUT_LONG;
		else if (r->rater_col != SIZE_MAX)
			r->layout = CALIB_LAYOUT_SHEET;
		else
			r->layout = CALIB_LAYOUT_RATER;
	}
	long_form = r->layout == CALIB_LAYOUT_LONG;
	/* an answer key: every row is one rater's, whatever a rater column says */
	if (o->as_rater && r->layout != CALIB_LAYOUT_RATER) {
		r->rater_len = strlen(o->as_rater);
		if (!(r->rater = malloc(r->rater_len + 1))) {
			fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
			return;
		}
		memcpy(r->rater, o->as_rater, r->rater_len + 1);
	}
	/* the criterion and score of a wide sheet are criteria like any other */
	for (role = CALIB_ROLE_CALL; role < CALIB_N_ROLES; role++)
		if (other[role] != SIZE_MAX &&
		    (long_form || (role != CALIB_ROLE_CRITERION && role != CALIB_ROLE_SCORE))) {
			two_candidates(r, role, col[role], other[role]);
			return;
		}
	if (r->call_col == SIZE_MAX) {
		no_role_col(r, CALIB_ROLE_CALL, o->call_col, "");
		return;
	}
	if (r->layout != CALIB_LAYOUT_RATER && r->rater_col == SIZE_MAX) {
		no_role_col(r, CALIB_ROLE_RATER, o->rater_col, "");
		return;
	}
	if (long_form) {
		if (r->crit_col == SIZE_MAX || r->score_col == SIZE_MAX) {
			role = r->crit_col == SIZE_MAX ? CALIB_ROLE_CRITERION : CALIB_ROLE_SCORE;
			no_role_col(r, role, given[role], " in a long sheet");
			return;
		}
		for (j = 0; j < r->nf; j++) {
			for (role = CALIB_ROLE_CALL; role < CALIB_N_ROLES && col[role] != j; role++)
				;
			if (!note_column(r, j, role < CALIB_N_ROLES ? CALIB_USE_ROLE : CALIB_USE_EXTRA,
			                 role < CALIB_N_ROLES ? role : CALIB_ROLE_NONE, CALIB_NONE))
				return;
		}
		goto trailing;
	}
	r->crit_col = r->score_col = SIZE_MAX;
	if (r->layout == CALIB_LAYOUT_RATER) {
		const char *b;
		size_t len;
		if (r->rater_col != SIZE_MAX) {
			fail(r, CALIB_EINPUT, fline(r, r->rater_col), r->rater_col + 1,
			     "a per-rater sheet has no \"%s\" column",
			     o->rater_col ? o->rater_col : "rater");
			return;
		}
		/* --rater names standard input only; a file is named by its name */
		bool is_stdin = strcmp(r->name, "-") == 0 || strcmp(r->name, "<stdin>") == 0;
		if (o->as_rater) {
			b = o->as_rater;
			len = strlen(b);
		} else if (o->rater && is_stdin) {
			b = o->rater;
			len = strlen(b);
		} else if (is_stdin) {
			fail(r, CALIB_EINPUT, fline(r, 0), 0,
			     "no \"%s\" column: give the rater of standard input with --rater",
			     o->rater_col ? o->rater_col : "rater");
			return;
		} else
			b = base_name(r->name, &len);
		if (len == 0 || !utf8_valid((const unsigned char *)b, len, &j)) {
			fail(r, CALIB_EINPUT, fline(r, 0), 0, "unusable rater name from %s",
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
	r->nf = nf;
	r->col_crit = malloc(nf * sizeof *r->col_crit);
	if (!r->col_crit) {
		fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
		return;
	}
	r->header_line = fline(r, 0);
	r->note0 = r->s->columns ? r->s->columns->n : 0;
	for (j = 0; j < nf; j++) {
		enum calib_column_use use;
		r->col_crit[j] = CALIB_NONE;
		if (j == r->call_col || j == r->rater_col || j == r->session_col) {
			role = j == r->call_col    ? CALIB_ROLE_CALL
			       : j == r->rater_col ? CALIB_ROLE_RATER
			                           : CALIB_ROLE_SESSION;
			if (!note_column(r, j, CALIB_USE_ROLE, role, CALIB_NONE))
				return;
			continue;
		}
		use = sheet_column_use(r, j);
		r->n_scored += use == CALIB_USE_CRITERION;
		if (!note_column(r, j, use, CALIB_ROLE_NONE, CALIB_NONE))
			return;
	}
	if (r->n_scored == 0) {
		no_criteria(r);
		return;
	}
	/* without a rubric the first rows say which columns are scores (see classify) */
	for (j = 0; j < nf && !r->rubric; j++)
		if (column_of(r, j)->use == CALIB_USE_CRITERION &&
		    !calib_column_listed(o->criteria, ftext(r, j), r->f[j].len))
			r->classify = true;
	if (!r->classify && !take_columns(r))
		return;
	r->row = sheet_row;
	r->peek = sheet_peek;
	return;
trailing:
	/* the long form's trailing columns without a name */
	for (j = r->n_named; j < nf; j++) {
		r->nf = nf;
		if (!note_column(r, j, CALIB_USE_EMPTY, CALIB_ROLE_NONE, CALIB_NONE))
			return;
	}
	r->nf = nf;
	r->row = long_row;
}

/* ---- data rows ---- */

/* Code of the score in field j for criterion crit (see cell_code). */
static bool
cell_text_code(struct reader *r, size_t j, uint32_t crit, uint16_t *code)
{
	const struct field *f = &r->f[j];
	char *t = r->buf + f->off;
	size_t len = f->len, raw_len = len;
	struct code_slot *slot = NULL;
	uint16_t *byte = NULL;
	const struct calib_criterion *c;
	struct calib_error se; /* the store's message, apart from r->err */
	enum calib_status st;
	char a[128];
	double v;
	int why;
	bool pct;

	/* a one-byte score (the most common) of one of the first criteria: a table */
	if (len == 1 && crit < BYTE_CRITS) {
		byte = &r->byte_code[crit * 256 + (unsigned char)t[0]];
		if (*byte) {
			*code = *byte;
			return true;
		}
	}
	/* a short text seen before in this criterion: its code at once */
	else if (len > 0 && len <= 8) {
		uint64_t key = 0;
		/* built in a register: a memcpy to the stack stalls the load after it */
		for (size_t i = 0; i < len; i++)
			key |= (uint64_t)(unsigned char)t[i] << (8 * i);
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
	calib_error_clear(&se);
	if (c->labelled && !c->declared && read_number(r, t, len, &v, &pct) == 0) {
		return bad(r, fline(r, j), j + 1, "criterion %s: score %s is a number among labels",
		           shown(a, 64, c->name, strlen(c->name)),
		           shown(a + 64, sizeof a - 64, t, len));
	} else if (c->labelled) {
		st = calib_store_label_code(r->s, crit, t, len, code, &se);
	} else if ((why = read_number(r, t, len, &v, &pct)) == 0) {
		st = calib_store_value_code(r->s, crit, v, code, &se);
		if (pct)
			r->s->criteria[crit].percent = true;
		if (memchr(t, ',', len))
			r->s->criteria[crit].decimal_comma = true;
	} else {
		char pb[200];
		const char *problem = read_problem(r, t, len, why, pb, sizeof pb);
		/* a first label makes an undeclared criterion labelled */
		if (c->n_levels > 0 || c->declared ||
		    strncmp(problem, "is not a number", 15) != 0 ||
		    strchr("0123456789+-.", t[0]) != NULL)
			return bad(r, fline(r, j), j + 1, "criterion %s: score %s %s",
			           shown(a, 64, c->name, strlen(c->name)),
			           shown(a + 64, sizeof a - 64, t, len), problem);
		if (!check_name(r, j, "label", false))
			return false;
		st = calib_store_label_code(r->s, crit, t, len, code, &se);
	}
	if (st == CALIB_EINPUT)
		return bad(r, fline(r, j), j + 1, "%s", se.msg);
	if (st != CALIB_OK) {
		fail(r, st, fline(r, j), j + 1, "%s", st == CALIB_ENOMEM ? "out of memory" : se.msg);
		return false;
	}
cache:
	if (byte)
		*byte = *code;
	if (slot) {
		slot->code = *code;
		slot->len = (uint8_t)raw_len;
	}
	return true;
}

/* Code of the score in field j for criterion crit; N/A where the rubric allows none is an error. */
static bool
cell_code(struct reader *r, size_t j, uint32_t crit, uint16_t *code)
{
	const struct calib_criterion *c = &r->s->criteria[crit];
	char a[128];

	if (!cell_text_code(r, j, crit, code))
		return false;
	if (*code == CALIB_CODE_NA && c->no_na)
		return bad(r, fline(r, j), j + 1,
			   "criterion %s: N/A is not allowed (the rubric's na column says no)",
			   shown(a, sizeof a, c->name, strlen(c->name)));
	return true;
}

/* Do the names of the current row's evaluation equal those of eval? */
static bool
row_is_eval(const struct reader *r, uint32_t eval)
{
	const struct calib_store *s = r->s;
	uint32_t item = s->eval_item[eval];
	const char *ses = r->ses;
	size_t ses_len = r->ses_len;
	const char *want;

	/* an empty session cell takes the input's session, as a row without one */
	if (r->session_col != SIZE_MAX && r->f[r->session_col].len > 0) {
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
	return strcmp(want, r->rater_col != SIZE_MAX && !r->o->as_rater ? ftext(r, r->rater_col)
	                                                                : r->rater) == 0;
}

static void
find_row(struct reader *r)
{
	const char *name = r->s->criteria[r->find_crit].name;
	size_t j;

	if (r->n_rows == 0 || r->nf != r->n_cols)
		return; /* the header, or a row the first pass already accepted */
	if (fline(r, 0) >= r->find_before) {
		r->status = CALIB_ELIMIT; /* not found: stop */
		return;
	}
	if (!row_is_eval(r, r->find_eval))
		return;
	j = r->crit_col;
	if (r->layout == CALIB_LAYOUT_LONG) {
		if (!calib_column_same(ftext(r, j), r->f[j].len, name, strlen(name)))
			return;
	} else {
		for (j = 0; j < r->nf && r->col_crit[j] != r->find_crit; j++)
			;
		if (j == r->nf)
			return;
	}
	r->found = fline(r, j);
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

	if (r->lexer)
		lex_halt(r->lexer); /* the input is read again from here */
	if (!r->fp || fseek(r->fp, 0, SEEK_SET) != 0)
		return 0;
	f = *r;
	f.err = NULL;
	f.status = CALIB_OK;
	f.n_rows = 0;
	f.row = find_row;
	f.find_eval = eval;
	f.find_crit = crit;
	f.find_before = before;
	f.found = 0;
	parse_stream(&f, r->fp, false);
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
	return calib_store_eval_file(r->s, eval) != r->file;
}

/* A second rating `prev` of (eval, crit), now replaced: settle it by the policy. */
static bool __attribute__((noinline))
duplicate(struct reader *r, uint32_t eval, uint32_t crit, uint16_t prev, size_t j)
{
	const struct calib_store *s = r->s;
	char a[128], b[128], c[128], d[128];

	if (r->o->duplicates == CALIB_DUP_LAST)
		return true;
	if (r->o->duplicates == CALIB_DUP_FIRST) {
		calib_code_swap(&r->s->criteria[crit], eval, prev);
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
		const char *file = s->files[calib_store_eval_file(s, eval)], *first = "first at";
		unsigned long line = first_line(r, eval, crit, fline(r, 0));
		if (line)
			file = r->name;
		else if (r->layout == CALIB_LAYOUT_LONG || eval_merged(r, eval)) {
			/* the first rating's own line is not known: name its evaluation's */
			line = calib_store_eval_line(s, eval);
			first = "its evaluation begins at";
		} else
			line = calib_store_eval_line(s, eval);
		if (r->o->as_rater)
			fail(r, CALIB_EINPUT, fline(r, j), j + 1,
			     "%s key score of %s for call %s%s (%s %s:%lu)",
			     prev == calib_code(&s->criteria[crit], eval) ? "second" : "conflicting",
			     shown(a, sizeof a, cn, strlen(cn)),
			     shown(b, sizeof b, call, strlen(call)), in_ses, first, file, line);
		else
			fail(r, CALIB_EINPUT, fline(r, j), j + 1,
			     "duplicate rating of %s for call %s by rater %s%s (%s %s:%lu)",
			     shown(a, sizeof a, cn, strlen(cn)),
			     shown(b, sizeof b, call, strlen(call)),
			     shown(c, sizeof c, rat, strlen(rat)), in_ses, first, file, line);
	}
	return false;
}

/* Record code (as calib_store_put does, without a call per rating). */
static inline __attribute__((always_inline)) bool
put(struct reader *r, uint32_t eval, uint32_t crit, uint16_t code, size_t j)
{
	uint16_t prev = calib_code_swap(&r->s->criteria[crit], eval, code);

	return prev == CALIB_CODE_ABSENT || duplicate(r, eval, crit, prev, j);
}

/* The id of rater name s[0..len), field j (SIZE_MAX: not from the row). */
static bool
rater_id(struct reader *r, const char *name, size_t len, size_t j, uint32_t *id)
{
	struct rater_slot *slot;
	uint32_t h = 2166136261u;
	size_t k;

	for (k = 0; k < len; k++)
		h = (h ^ (unsigned char)name[k]) * 16777619u;
	slot = &r->rater_cache[h % RATER_CACHE];
	if (slot->name && slot->len == len && memcmp(slot->name, name, len) == 0) {
		*id = slot->id;
		return true;
	}
	if (j != SIZE_MAX && !check_name(r, j, "rater", false))
		return false;
	if (calib_names_intern(r->s->raters, name, len, id) != CALIB_OK)
		return fail(r, CALIB_ENOMEM, 0, 0, "out of memory"), false;
	slot->name = calib_names_get(r->s->raters, *id);
	slot->len = len;
	slot->id = *id;
	return true;
}

/*
 * The evaluation of the current row. Rows of one call follow one another:
 * the item of the previous row is kept with its names, and rater names go
 * through a small cache, so most rows need no lookup by name.
 */
static bool
row_eval(struct reader *r, uint32_t *eval)
{
	const char *ses = r->ses;
	size_t ses_len = r->ses_len;
	const char *rat = r->rater, *call = ftext(r, r->call_col);
	size_t rat_len = r->rater_len, call_len = r->f[r->call_col].len, klen;
	size_t rat_col = r->o->as_rater ? SIZE_MAX : r->rater_col;
	unsigned long line = fline(r, 0);
	enum calib_status st;
	uint32_t sid, cid, rid;
	bool created, same;

	if (rat_col != SIZE_MAX) {
		rat = ftext(r, rat_col);
		rat_len = r->f[rat_col].len;
	}
	/* an empty session cell takes the input's session, as a row without one */
	if (r->session_col != SIZE_MAX && r->f[r->session_col].len > 0) {
		ses = ftext(r, r->session_col);
		ses_len = r->f[r->session_col].len;
	}
	/* the same session and call as the previous row: the same item */
	klen = ses_len + call_len + 1;
	same = r->last_key && klen == r->last_key_len && memcmp(r->last_key, ses, ses_len) == 0 &&
	       r->last_key[ses_len] == '\0' &&
	       memcmp(r->last_key + ses_len + 1, call, call_len) == 0;
	if (!same && !check_name(r, r->call_col, "call", false))
		return false;
	if (!rater_id(r, rat, rat_len, rat_col, &rid))
		return false;
	if (!same) {
		if (r->session_col != SIZE_MAX && !check_name(r, r->session_col, "session", true))
			return false;
		if (calib_names_intern(r->s->sessions, ses, ses_len, &sid) != CALIB_OK ||
		    calib_names_intern(r->s->calls, call, call_len, &cid) != CALIB_OK ||
		    calib_store_item(r->s, sid, cid, &r->last_item) != CALIB_OK)
			return fail(r, CALIB_ENOMEM, 0, 0, "out of memory"), false;
		if (klen > r->last_key_cap) {
			char *k = realloc(r->last_key, klen);
			if (!k)
				return fail(r, CALIB_ENOMEM, 0, 0, "out of memory"), false;
			r->last_key = k;
			r->last_key_cap = klen;
		}
		memcpy(r->last_key, ses, ses_len);
		r->last_key[ses_len] = '\0';
		memcpy(r->last_key + ses_len + 1, call, call_len);
		r->last_key_len = klen;
	}
	st = calib_store_eval_of(r->s, r->last_item, rid, r->file,
				 line > UINT32_MAX ? UINT32_MAX : (uint32_t)line, eval, &created);
	if (st == CALIB_ENOMEM)
		return fail(r, st, 0, 0, "out of memory"), false;
	else if (st != CALIB_OK)
		return fail(r, st, line, r->call_col + 1, "too many evaluations"), false;
	return true;
}

static bool
check_width(struct reader *r)
{
	if (r->nf == r->n_cols)
		return true;
	return bad(r, fline(r, 0), (r->nf < r->n_cols ? r->nf : r->n_cols) + 1,
	           "row has %zu field%s, the header %zu", r->nf, r->nf == 1 ? "" : "s",
	           r->n_cols);
}

/* The trailing columns without a name hold no value. */
static bool
check_trailing(struct reader *r)
{
	char a[128];

	for (size_t j = r->n_named; j < r->nf; j++)
		if (r->f[j].len > 0)
			return bad(r, fline(r, j), j + 1, "value %s in a column without a name",
			           shown(a, sizeof a, ftext(r, j), r->f[j].len));
	return true;
}

/*
 * The next row's call, when it is not this row's: its place in the calls'
 * table fetched while this row is handled (a new call is a miss in a
 * table of a million).
 */
static void
sheet_peek(struct reader *r, const char *next, const uint32_t *len, size_t nf)
{
	size_t c = r->call_col;

	if (c >= nf || c >= r->nf)
		return;
	for (size_t j = 0; j < c; j++)
		next += len[j] + 1;
	if (len[c] != r->f[c].len || memcmp(next, ftext(r, c), len[c]) != 0)
		calib_names_prefetch(r->s->calls, next, len[c]);
}

static void
sheet_row(struct reader *r)
{
	uint32_t eval;
	uint16_t code;
	size_t j;

	if (!check_width(r) || !check_trailing(r) || !row_eval(r, &eval))
		return;
	for (j = 0; j < r->nf; j++) {
		uint32_t crit = r->col_crit[j];
		if (crit == CALIB_NONE)
			continue;
		/* a bad cell is left out, and the row read on */
		if (!cell_code(r, j, crit, &code)) {
			if (r->status != CALIB_OK)
				return;
			continue;
		}
		if (!put(r, eval, crit, code, j))
			return;
	}
}

/* The id a long row's criterion is cached under when --criteria or --ignore leaves it out. */
#define CRIT_LEFT_OUT (CALIB_NONE - 1)

/*
 * Leave out the long form's criterion in field j when --ignore names it or
 * --criteria does not; the first time in this input it is noted.
 */
static bool
long_left_out(struct reader *r, size_t j)
{
	const char *name = ftext(r, j);
	size_t len = r->f[j].len;
	enum calib_column_use use;
	const struct calib_columns *c = r->s->columns;

	if (calib_column_listed(r->o->ignore, name, len))
		use = CALIB_USE_IGNORED;
	else if (r->o->criteria && !calib_column_listed(r->o->criteria, name, len))
		use = CALIB_USE_NOT_CHOSEN;
	else
		return false;
	for (size_t k = c ? c->n : 0; k-- > 0 && c->v[k].file == r->file;)
		if (c->v[k].use == use && strcmp(c->v[k].name, name) == 0)
			return true;
	note_column(r, j, use, CALIB_ROLE_NONE, CALIB_NONE);
	return true;
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

	if (!check_width(r) || !check_trailing(r))
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
		if (long_left_out(r, j))
			crit = CRIT_LEFT_OUT;
		else if ((crit = criterion_id(r, name, len, fline(r, j), j + 1)) == CALIB_NONE)
			return;
		if (r->status != CALIB_OK)
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
	if (crit == CRIT_LEFT_OUT || !row_eval(r, &eval))
		return;
	if (!cell_code(r, r->score_col, crit, &code))
		return;
	put(r, eval, crit, code, r->score_col);
}

static void
reader_free(struct reader *r)
{
	free(r->f);
	free(r->col_crit);
	free(r->rater);
	calib_names_free(r->unknown);
	free(r->code_cache);
	free(r->byte_code);
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
	if (o->halved)
		*o->halved = false;
	r.ses = o->session ? o->session : "";
	r.ses_len = strlen(r.ses);
	if (o->session_from_name && strcmp(name, "-") != 0 && strcmp(name, "<stdin>") != 0)
		r.ses = base_name(name, &r.ses_len);
	if ((st = split_tokens(&r, &r.missing, o->missing, "missing")) != CALIB_OK ||
	    (st = split_tokens(&r, &r.na, o->na, "N/A")) != CALIB_OK)
		return st;
	for (i = 0; i < s->n_criteria; i++)
		if (s->criteria[i].declared)
			r.rubric = true;
	if (calib_store_add_file(s, name, &r.file) != CALIB_OK)
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	r.code_cache = calloc(CODE_CACHE, sizeof *r.code_cache);
	r.byte_code = calloc(BYTE_CRITS * 256, sizeof *r.byte_code);
	if (!r.code_cache || !r.byte_code) {
		reader_free(&r);
		return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	r.row = header_row;
	s->finished = false; /* put() writes codes directly */
	st = parse_stream(&r, fp, true);
	if (st == CALIB_OK && r.classify && !take_columns(&r))
		st = r.status;
	if (st == CALIB_OK && r.n_errors > 0)
		st = err->status; /* rows with errors, read past */
	if (st == CALIB_OK && r.n_rows == 0)
		st = fail(&r, CALIB_EINPUT, 1, 0, "empty input: no header line");
	reader_free(&r);
	return st;
}

/* ---- rubric ---- */

/*
 * The number in column col of a rubric row, dflt when the cell is empty.
 * With `share`, a percentage is a share: "30%" is 0.3 (a weight).
 */
static bool
rubric_number(struct reader *r, size_t col, double *v, double dflt, bool share)
{
	const struct field *f;
	char a[128], pb[200];
	bool pct = false;
	int why;

	*v = dflt;
	if (col == SIZE_MAX || r->f[col].len == 0)
		return true;
	f = &r->f[col];
	why = read_number(r, ftext(r, col), f->len, v, share ? &pct : NULL);
	if (why) {
		bad(r, fline(r, col), col + 1, "%s %s",
		     shown(a, sizeof a, ftext(r, col), f->len),
		     read_problem(r, ftext(r, col), f->len, why, pb, sizeof pb));
		return false;
	}
	if (pct)
		*v /= 100;
	return true;
}

/*
 * The word in column col of a rubric row, among words[0..n) (compared
 * case-insensitively): its index, dflt when the column is absent or the
 * cell empty, or -1 after a located error listing `choices`.
 */
static int
rubric_word(struct reader *r, size_t col, const char *const *words, int n, int dflt,
	    const char *what, const char *choices)
{
	const char *t;
	char a[128];

	if (col == SIZE_MAX || r->f[col].len == 0)
		return dflt;
	t = ftext(r, col);
	for (int k = 0; k < n; k++)
		if (strcasecmp(t, words[k]) == 0)
			return k;
	bad(r, fline(r, col), col + 1, "%s %s is not %s", what,
	    shown(a, sizeof a, t, r->f[col].len), choices);
	return -1;
}

/*
 * The scorecard columns of a rubric row (section, critical, na) for the
 * criterion just declared: a critical criterion needs a lowest level, the
 * score that fails it.
 */
static bool
rubric_scorecard(struct reader *r, uint32_t id, bool labelled, size_t n_levels, double mn)
{
	static const char *const critical[] = { "no", "yes", "section" };
	static const char *const na[] = { "no", "yes" };
	const struct calib_criterion *c = &r->s->criteria[id];
	int crit, na_ok;
	size_t len = r->r_section != SIZE_MAX ? r->f[r->r_section].len : 0;

	if (len > 0 && !check_name(r, r->r_section, "section", false))
		return false;
	crit = rubric_word(r, r->r_critical, critical, 3, 0, "critical",
			   "yes, no or section");
	na_ok = rubric_word(r, r->r_na, na, 2, 1, "na", "yes or no");
	if (crit < 0 || na_ok < 0)
		return false;
	if (crit != CALIB_CRITICAL_NO && c->scale == CALIB_SCALE_NOMINAL)
		return bad(r, fline(r, r->r_critical), r->r_critical + 1,
			   "a critical criterion needs an ordered scale, not nominal");
	if (crit != CALIB_CRITICAL_NO && !labelled && n_levels == 0 && isnan(mn))
		return bad(r, fline(r, r->r_critical), r->r_critical + 1,
			   "a critical criterion needs levels or a min: its lowest score fails it");
	if (crit == CALIB_CRITICAL_SECTION && len == 0)
		return bad(r, fline(r, r->r_critical), r->r_critical + 1,
			   "critical section needs a section");
	if (calib_store_scorecard(r->s, id, len ? ftext(r, r->r_section) : NULL, len,
				  (enum calib_critical)crit, na_ok == 1) != CALIB_OK) {
		fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
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
	char **labels = NULL, *lv = NULL, a[128], b[128];
	struct calib_names *seen = NULL;
	bool numeric = true;
	uint32_t id;
	enum calib_status st;

	if (!check_width(r) || !check_name(r, r->r_name, "criterion", false))
		return;
	id = calib_store_find_criterion(r->s, name, name_len);
	if (id != CALIB_NONE && r->s->criteria[id].declared) {
		bad(r, fline(r, r->r_name), r->r_name + 1,
		     "criterion %s described twice", shown(a, sizeof a, name, name_len));
		return;
	}
	scale = calib_scale_parse(ftext(r, r->r_scale));
	if (scale == CALIB_SCALE_UNKNOWN) {
		bad(r, fline(r, r->r_scale), r->r_scale + 1,
		     "unknown scale %s (binary, nominal, ordinal, interval or ratio)",
		     shown(a, sizeof a, ftext(r, r->r_scale), r->f[r->r_scale].len));
		return;
	}
	if (!rubric_number(r, r->r_min, &mn, NAN, false) ||
	    !rubric_number(r, r->r_max, &mx, NAN, false) ||
	    !rubric_number(r, r->r_weight, &w, 1.0, true))
		return;
	if (mn > mx) {
		bad(r, fline(r, r->r_max), r->r_max + 1, "max is below min");
		return;
	}
	if (w < 0) {
		bad(r, fline(r, r->r_weight), r->r_weight + 1,
		     "negative weight");
		return;
	}
	if (r->r_levels != SIZE_MAX && r->f[r->r_levels].len > 0) {
		const struct field *f = &r->f[r->r_levels];
		unsigned long line = fline(r, r->r_levels), col = r->r_levels + 1;
		char *p;
		lv = malloc(f->len + 1);
		if (!lv)
			goto nomem;
		memcpy(lv, ftext(r, r->r_levels), f->len + 1);
		for (n = 1, p = lv; *p; p++)
			n += *p == '|';
		if (n > CALIB_MAX_LEVELS) {
			fail(r, CALIB_ELIMIT, line, col, "more than %u levels (%zu listed)",
			     CALIB_MAX_LEVELS, n);
			goto out;
		}
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
				bad(r, line, col, "empty level in %s",
				     shown(a, sizeof a, ftext(r, r->r_levels), f->len));
				goto out;
			}
			labels[k] = p;
			if (read_number(r, p, strlen(p), &values[k], NULL) != 0)
				numeric = false;
			/* case folded: data match labels case-insensitively */
			if (seen_before(&seen, p, strlen(p), true, k, &m) != CALIB_OK)
				goto nomem;
			if (m != SIZE_MAX) {
				if (strcmp(labels[m], p) == 0)
					bad(r, line, col, "level %s listed twice",
					    shown(a, sizeof a, p, strlen(p)));
				else
					bad(r, line, col,
					    "level %s listed twice (as %s: levels match case-insensitively)",
					    shown(a, sizeof a, p, strlen(p)),
					    shown(b, sizeof b, labels[m], strlen(labels[m])));
				goto out;
			}
			p = e ? e + 1 : p + strlen(p);
		}
		if (!numeric && (scale == CALIB_SCALE_INTERVAL || scale == CALIB_SCALE_RATIO)) {
			bad(r, line, col,
			     "labelled levels need a binary, nominal or ordinal scale");
			goto out;
		}
		if (scale == CALIB_SCALE_BINARY && n != 2) {
			bad(r, line, col,
			     "a binary scale has two levels, not %zu", n);
			goto out;
		}
	}
	if (calib_store_criterion(r->s, name, name_len, &id) != CALIB_OK)
		goto nomem;
	st = calib_store_declare(r->s, id, scale, numeric ? NULL : (const char *const *)labels,
	                         numeric ? values : NULL, n, mn, mx, w);
	if (st == CALIB_ENOMEM)
		goto nomem;
	if (st != CALIB_OK) /* the checks above leave none of these; says why, should one come */
		fail(r, st, fline(r, r->r_name), r->r_name + 1, "criterion %s: %s",
		     shown(a, sizeof a, name, name_len),
		     st == CALIB_ELIMIT ? "too many levels" : "a level listed twice");
	else
		rubric_scorecard(r, id, !numeric, n, mn);
	goto out;
nomem:
	fail(r, CALIB_ENOMEM, 0, 0, "out of memory");
out:
	calib_names_free(seen);
	free(lv);
	free(labels);
	free(values);
}

static void
rubric_header(struct reader *r)
{
	if (!check_header_names(r)) {
		stop(r);
		return;
	}
	r->n_cols = r->nf;
	r->r_name = find_col(r, "criterion");
	r->r_scale = find_col(r, "scale");
	r->r_levels = find_col(r, "levels");
	r->r_min = find_col(r, "min");
	r->r_max = find_col(r, "max");
	r->r_weight = find_col(r, "weight");
	r->r_section = find_col(r, "section");
	r->r_critical = find_col(r, "critical");
	r->r_na = find_col(r, "na");
	if (r->r_name == SIZE_MAX || r->r_scale == SIZE_MAX) {
		fail(r, CALIB_EINPUT, fline(r, 0), 0, "no \"%s\" column in the rubric header",
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
	st = parse_stream(&r, fp, false);
	if (st == CALIB_OK && r.n_errors > 0)
		st = err->status; /* rows with errors, read past */
	if (st == CALIB_OK && r.n_rows == 0)
		st = fail(&r, CALIB_EINPUT, 1, 0, "empty rubric: no header line");
	reader_free(&r);
	return st;
}
