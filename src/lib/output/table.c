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
	char **heading; /* n_cols: a column's heading in the aligned table, NULL: its name */
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
	if (t->heading)
		free_lines(t->heading, t->n_cols);
	free_lines(t->footer, t->n_footer);
	free_lines(t->title, t->n_title);
	free(t->digits);
	free(t);
}

enum calib_status
calib_table_heading(struct calib_table *t, size_t col, const char *text)
{
	char *s;

	if (!t->heading && !(t->heading = calloc(t->n_cols ? t->n_cols : 1, sizeof *t->heading)))
		return CALIB_ENOMEM;
	if (!(s = strdup(text)))
		return CALIB_ENOMEM;
	free(t->heading[col]);
	t->heading[col] = s;
	return CALIB_OK;
}

/* The name a person reads over column c of the aligned table. */
static const char *
heading(const struct calib_table *t, size_t c)
{
	return t->heading && t->heading[c] ? t->heading[c] : t->col[c];
}

size_t
calib_table_n_rows(const struct calib_table *t)
{
	return t->n_rows;
}

size_t
calib_table_n_cols(const struct calib_table *t)
{
	return t->n_cols;
}

const char *
calib_table_col_heading(const struct calib_table *t, size_t col)
{
	return heading(t, col);
}

const char *
calib_table_title_at(const struct calib_table *t, size_t i)
{
	return i < t->n_title ? t->title[i] : NULL;
}

const char *
calib_table_footer_at(const struct calib_table *t, size_t i)
{
	return i < t->n_footer ? t->footer[i] : NULL;
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

/*
 * Text of a cell for machines (full precision, through memo; na for a
 * not-available number) or people (rounded, NA).
 */
static const char *
cell_text(const struct calib_table *t, const struct cell *c, size_t col, bool human,
	  struct memo *memo, const char *na, char *buf, size_t n)
{
	if (!c->is_num)
		return c->text ? c->text : "";
	/* no output holds Inf or NaN; the records say why a number is NA */
	if (!isfinite(c->num))
		return human ? "NA" : na;
	if (!human || t->digits[col] == -2)
		return memo_format(memo, c->num, buf, n);
	if (t->digits[col] < 0)
		snprintf(buf, n, "%.0f", c->num);
	else
		snprintf(buf, n, "%.*f", t->digits[col], c->num);
	if (strncmp(buf, "-0.", 3) == 0 && strspn(buf + 3, "0") == strlen(buf + 3))
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

const char *
calib_table_cell_shown(const struct calib_table *t, size_t r, size_t c, char *buf, size_t n,
		       bool *is_num)
{
	const struct cell *x = &t->cell[r * t->n_cols + c];
	if (is_num)
		*is_num = x->is_num;
	return cell_text(t, x, c, true, NULL, "NA", buf, n);
}

/* Columns a character takes on a terminal (Unicode UAX #11, in short). */
static size_t
char_width(unsigned long cp)
{
	/* combining marks, zero-width spaces and joiners, variation selectors */
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x483 && cp <= 0x489) ||
	    (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x1dc0 && cp <= 0x1dff) ||
	    (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x20d0 && cp <= 0x20ff) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xfe20 && cp <= 0xfe2f) || cp == 0xfeff)
		return 0;
	/* East Asian wide and fullwidth, and emoji */
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
	    (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

/*
 * Width of s[0..len) on a terminal. With fit, *fit is the length in bytes
 * of the longest prefix at most max columns wide (whole characters).
 */
static size_t
text_width(const char *s, size_t len, size_t max, size_t *fit)
{
	size_t w = 0, i = 0;

	if (fit)
		*fit = len;
	while (i < len) {
		unsigned long cp;
		size_t k = calib_utf8_char(s + i, len - i, &cp), cw = k ? char_width(cp) : 1;
		if (fit && w + cw > max) {
			*fit = i;
			fit = NULL;
		}
		w += cw;
		i += k ? k : 1;
	}
	return w;
}

size_t
calib_table_text_width(const char *s)
{
	return text_width(s, strlen(s), 0, NULL);
}

static size_t
width(const char *s)
{
	return calib_table_text_width(s);
}

/*
 * How a column gives way when a table must fit a terminal: declared once
 * per column name, for the tables of every program. Rank 0 is always
 * shown (what a row is about, the estimate, its interval, its band, the
 * alert); higher ranks leave the line first. shrink > 0 marks a name
 * column that may be shortened down to that many columns, with a key.
 */
struct fit_rule {
	const char *name;
	unsigned char rank;
	unsigned char shrink;
	bool last_part; /* shortened names keep their last "_part" (statistic variants) */
};

/* Ranks from here leave the line before any name is shortened. */
#define FIT_RANK_MINOR 3
/* Columns named by the data (calib-disputes' raters): their answers. */
#define FIT_RANK_UNKNOWN 1
/* A column with one value on every row: said once under the table. */
#define FIT_RANK_CONSTANT 8

static const struct fit_rule fit_rules[] = {
	/* what a row is about */
	{ "rank", 0, 0, false }, { "session", 0, 10, false }, { "call", 0, 10, false },
	{ "rater", 0, 10, false }, { "criterion", 0, 12, false },
	{ "statistic", 0, 14, true }, { "rater_a", 0, 8, false },
	{ "rater_b", 0, 8, false }, { "coefficient", 0, 12, true },
	/* the estimate, its interval and band, the alert */
	{ "estimate", 0, 0, false }, { "ci_lower", 0, 0, false },
	{ "ci_upper", 0, 0, false }, { "band", 0, 0, false }, { "bias", 0, 0, false },
	{ "direction", 0, 0, false }, { "disagreement", 0, 0, false },
	{ "flag", 0, 0, false },
	/* worth a place on the line */
	{ "change", 1, 0, false }, { "estimate_a", 2, 0, false },
	{ "estimate_b", 2, 0, false }, { "group_a", 2, 12, false },
	{ "group_b", 2, 12, false },
		{ "95% sure", 2, 0, false }, { "mode", 2, 0, false }, { "within", 2, 0, false },
	{ "alignment", 2, 0, false }, { "agreement", 2, 0, false },
	{ "kappa", 2, 0, false }, { "change_lower", 1, 0, false },
	{ "change_upper", 1, 0, false }, { "slope", 2, 0, false },
	{ "worst_criterion", 2, 12, false },
	/* details: under the row first */
	{ "max", 3, 0, false }, { "scale", 3, 0, false }, { "calls", 3, 0, false },
	{ "se", 3, 0, false }, { "p_holm", 3, 0, false }, { "mad", 3, 0, false },
	{ "consensus", 3, 0, false }, 		{ "raters", 4, 0, false },
	{ "p", 4, 0, false }, { "n_calls", 4, 0, false }, { "n", 4, 0, false },
	{ "spread", 4, 0, false }, { "slope_se", 4, 0, false },
	{ "n_disputed", 4, 0, false }, { "n_calls_a", 4, 0, false },
	{ "n_calls_b", 4, 0, false }, { "unscored", 5, 0, false }, { "n/a", 5, 0, false },
	{ "n_raters", 5, 0, false }, { "n_na", 5, 0, false }, { "n_scores", 5, 0, false },
	{ "n_answers", 5, 0, false }, { "n_slope", 5, 0, false },
	{ "n_cells", 5, 0, false }, { "n_shared", 5, 0, false }, { "test", 6, 0, false },
	{ "df", 6, 0, false }, { "df1", 6, 0, false }, { "df2", 6, 0, false },
	{ "n_distinct", 6, 0, false }, { "n_noref", 6, 0, false },
	/* calib-audit's views: who, the adjusted estimate and what flags a row stay */
	{ "evaluator", 0, 10, false }, { "agent", 0, 10, false },
	{ "adjusted", 0, 0, false }, { "std", 0, 0, false }, { "shift", 0, 0, false },
	{ "sd_ratio", 0, 0, false }, { "raw", 1, 0, false }, { "difference", 1, 0, false },
	{ "eta2", 2, 0, false }, { "eta2_adj", 1, 0, false }, { "na_share", 1, 0, false }, { "effect", 2, 0, false },
	{ "overall", 2, 0, false }, { "z", 2, 0, false }, { "extreme", 2, 0, false },
	{ "mean", 2, 0, false }, { "sd", 2, 0, false }, { "chi2", 3, 0, false },
	{ "component", 5, 0, false }, { "agents", 5, 0, false }, { "evaluators", 5, 0, false },
	/* free text, the widest: under the row as soon as anything must go */
	{ "note", 9, 0, false }, { "notes", 9, 0, false },
};

static struct fit_rule
fit_rule(const char *col)
{
	size_t n = strlen(col);

	for (size_t i = 0; i < sizeof fit_rules / sizeof fit_rules[0]; i++)
		if (strcmp(col, fit_rules[i].name) == 0)
			return fit_rules[i];
	/* calib-agree's interval, named by its level ("95% CI") */
	if (n > 3 && strcmp(col + n - 3, " CI") == 0)
		return (struct fit_rule){ col, 0, 0, false };
	return (struct fit_rule){ col, FIT_RANK_UNKNOWN, 0, false };
}

/* A table's layout on the line: the columns shown and their widths. */
struct layout {
	size_t n;
	char *const *col; /* the column names */
	size_t *w;       /* width as shown */
	size_t *natural; /* width of the widest cell */
	size_t *least;   /* a name column's least width; 0: never shortened */
	unsigned char *rank;
	bool *last_part; /* shortened names keep their last "_part" */
	bool *shown;
	bool *constant; /* one value on every row (of two or more) */
	bool fitted;    /* a column left the line or a name was shortened */
	size_t n_rows;
	size_t *cell_w; /* width of each cell shown (n_rows x n; 0: blank in its group) */
};

static size_t
line_width(const struct layout *l, const size_t *w)
{
	size_t sum = 0, k = 0;

	for (size_t c = 0; c < l->n; c++)
		if (l->shown[c]) {
			sum += w[c] ? w[c] : l->w[c];
			k++;
		}
	return k ? sum + 2 * (k - 1) : 0;
}

/* The shown column of rank at least min that leaves first, or n. */
static size_t
next_to_hide(const struct layout *l, unsigned min)
{
	size_t best = l->n;

	for (size_t c = 0; c < l->n; c++)
		if (l->shown[c] && l->rank[c] >= min && l->rank[c] > 0 &&
		    (best == l->n || l->rank[c] >= l->rank[best]))
			best = c;
	return best;
}

/*
 * The suffix of a column that is one of a pair shown together or not at
 * all: an interval's ends (x_lower, x_upper) or a comparison's sides
 * (x_a, x_b); its partner's suffix in *other. 0 when none.
 */
static size_t
pair_suffix(const char *name, const char **other)
{
	static const char *const pairs[][2] = { { "_lower", "_upper" }, { "_a", "_b" } };
	size_t n = strlen(name);

	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 2; k++) {
			size_t m = strlen(pairs[i][k]);
			if (n > m && strcmp(name + n - m, pairs[i][k]) == 0) {
				*other = pairs[i][1 - k];
				return m;
			}
		}
	return 0;
}

/* Hide column c, and its partner when it is one of a pair. */
static void
hide(struct layout *l, size_t c)
{
	const char *name = l->col[c], *other;
	size_t m = pair_suffix(name, &other), stem = strlen(name) - m;

	l->shown[c] = false;
	if (!m)
		return;
	for (size_t d = 0; d < l->n; d++)
		if (d != c && strncmp(l->col[d], name, stem) == 0 &&
		    strcmp(l->col[d] + stem, other) == 0)
			l->shown[d] = false;
}

/*
 * Make l no wider than width: long names capped at a quarter of the line,
 * minor columns hidden, then important ones only while the names at their
 * shortest would not fit, then names shortened one column at a time where
 * that shortens the fewest cells (the widest column on a tie); what room
 * is left goes back to the shortened names.
 */
static void
fit_layout(struct layout *l, size_t width)
{
	size_t cap = width / 4, c;

	if (line_width(l, l->natural) <= width)
		return;
	l->fitted = true;
	for (c = 0; c < l->n; c++)
		if (l->least[c] && l->w[c] > cap)
			l->w[c] = cap > l->least[c] ? cap : l->least[c];
	while (line_width(l, l->w) > width && (c = next_to_hide(l, FIT_RANK_MINOR)) < l->n)
		hide(l, c);
	while (line_width(l, l->least) > width && (c = next_to_hide(l, 1)) < l->n)
		hide(l, c);
	while (line_width(l, l->w) > width) {
		size_t best = l->n, best_cost = 0;
		for (c = 0; c < l->n; c++) {
			size_t cost = 0;
			if (!l->shown[c] || !l->least[c] || l->w[c] <= l->least[c])
				continue;
			/* the cells one column less would shorten: as few as can be */
			for (size_t r = 0; r < l->n_rows; r++)
				cost += l->cell_w[r * l->n + c] == l->w[c];
			if (best == l->n || cost < best_cost ||
			    (cost == best_cost && l->w[c] > l->w[best])) {
				best = c;
				best_cost = cost;
			}
		}
		if (best == l->n)
			break;
		l->w[best]--;
	}
	for (c = 0; c < l->n; c++)
		if (l->shown[c] && l->w[c] < l->natural[c]) {
			size_t used = line_width(l, l->w), room = used < width ? width - used : 0;
			size_t more = l->natural[c] - l->w[c];
			l->w[c] += more < room ? more : room;
		}
}

/* Names shortened in a table, each with its tag "~N" (N = index + 1). */
struct keys {
	char **name;
	size_t n, cap;
};

/* Tag number of name, added when new; 0 when out of memory. */
static size_t
key_of(struct keys *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->name[i], name) == 0)
			return i + 1;
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 8;
		char **v = realloc(k->name, cap * sizeof *v);
		if (!v)
			return 0;
		k->name = v;
		k->cap = cap;
	}
	if (!(k->name[k->n] = strdup(name)))
		return 0;
	return ++k->n;
}

/*
 * Print s in w columns, right-aligned when right, or, when wider,
 * shortened to a prefix and its key's tag "~N" (and the last "_part"
 * when last_part). Returns the spaces that
 * pad a left-aligned cell, for the caller to print before what follows
 * (so that no line ends in spaces it does not need); SIZE_MAX when out
 * of memory.
 */
static size_t
put_cell(FILE *fp, const char *s, size_t w, bool right, bool last_part, struct keys *keys)
{
	size_t sw = width(s), fit, key, tw;
	const char *suffix;
	char tag[24];

	if (sw <= w) {
		if (right)
			fprintf(fp, "%*s", (int)(w - sw), "");
		fputs(s, fp);
		return right ? 0 : w - sw;
	}
	if (!(key = key_of(keys, s)))
		return SIZE_MAX;
	tw = (size_t)snprintf(tag, sizeof tag, "~%zu", key);
	if (tw >= w) {
		fputs(tag, fp);
		return 0;
	}
	/* the last part of a name_with_parts tells variants apart: kept when
	 * six columns of the beginning still fit before it */
	suffix = last_part ? strrchr(s, '_') : NULL;
	sw = suffix && suffix != s ? width(suffix) : SIZE_MAX;
	if (sw == SIZE_MAX || sw + tw + 6 > w) {
		suffix = "";
		sw = 0;
	}
	text_width(s, strlen(s), w - tw - sw, &fit);
	fprintf(fp, "%.*s%s%s", (int)fit, s, tag, suffix);
	return w - tw - sw - text_width(s, fit, 0, NULL);
}

/*
 * A space where a line may not break, in text put_wrapped prints (no
 * text reaches it with control bytes unescaped).
 */
#define NBSP '\001'

/*
 * Print text wrapped at width: the first line indented by first columns,
 * the others by rest; breaks at spaces (not at NBSP, printed as a space),
 * and inside a word longer than a line. The text's own leading spaces
 * are kept.
 */
static void
put_wrapped(FILE *fp, const char *s, size_t width, size_t first, size_t rest)
{
	size_t col;
	bool empty = true, lead = true;

	if (rest + 16 > width)
		rest = 0;
	if (first + 16 > width)
		first = 0;
	col = first;
	fprintf(fp, "%*s", (int)first, "");
	while (*s) {
		size_t sp = strspn(s, " "), len, ww;
		const char *word = s + sp;
		if (!*word)
			break;
		len = strcspn(word, " ");
		ww = text_width(word, len, 0, NULL);
		/* a word longer than a line is broken where it stands */
		if (!empty && col + sp + ww > width && rest + ww <= width) {
			fprintf(fp, "\n%*s", (int)rest, "");
			col = rest;
		} else if (!empty || lead) {
			fprintf(fp, "%*s", (int)sp, "");
			col += sp;
		}
		lead = false;
		while (col + ww > width) {
			size_t fit;
			unsigned long cp;
			text_width(word, len, width > col ? width - col : 0, &fit);
			if (fit == 0) { /* not one character fits: take one anyway */
				fit = calib_utf8_char(word, len, &cp);
				fit = fit ? fit : 1;
			}
			for (size_t i = 0; i < fit; i++)
				fputc(word[i] == NBSP ? ' ' : word[i], fp);
			fprintf(fp, "\n%*s", (int)rest, "");
			word += fit;
			len -= fit;
			ww = text_width(word, len, 0, NULL);
			col = rest;
		}
		for (size_t i = 0; i < len; i++)
			fputc(word[i] == NBSP ? ' ' : word[i], fp);
		col += ww;
		empty = false;
		s = word + len;
	}
	fputc('\n', fp);
}

/*
 * Print s and a newline, wrapped at width when width > 0 (continued lines
 * indented by rest). Names come from input files, so the aligned table
 * escapes them as messages do (calib_escaped): no name can drive the
 * terminal. -1 when out of memory.
 */
static int
put_line(FILE *fp, const char *s, size_t width, size_t rest)
{
	char *tmp;
	const char *v = calib_escaped(s, &tmp);

	if (!v)
		return -1;
	if (width && calib_table_text_width(v) > width)
		put_wrapped(fp, v, width, 0, rest);
	else
		fprintf(fp, "%s\n", v);
	free(tmp);
	return 0;
}

/* Cell (r, c) as the aligned table shows it, escaped (*tmp as calib_escaped). */
static const char *
shown_text(const struct calib_table *t, size_t r, size_t c, char *buf, size_t n, char **tmp)
{
	return calib_escaped(cell_text(t, &t->cell[r * t->n_cols + c], c, true, NULL, "NA", buf, n),
			     tmp);
}

/* Append "sep" and s to the growing text *out of length *len; -1 when out of memory. */
static int
append(char **out, size_t *len, const char *sep, const char *s)
{
	size_t add = strlen(sep) + strlen(s);
	char *grown = realloc(*out, *len + add + 1);

	if (!grown)
		return -1;
	*out = grown;
	sprintf(grown + *len, "%s%s", sep, s);
	*len += add;
	return 0;
}

/*
 * The cells of row r that left the line, as "name: value" pairs, in *out
 * (the caller frees; NULL when every such cell is empty or NA): those of
 * the columns with one value on every row when constants, else the
 * others. -1 when out of memory.
 */
static int
moved_cells(const struct calib_table *t, const struct layout *l, size_t r, char **out,
	    bool constants)
{
	char buf[64], *tmp, *tmp2;
	size_t len = 0;

	*out = NULL;
	for (size_t c = 0; c < t->n_cols; c++) {
		const struct cell *x = &t->cell[r * t->n_cols + c];
		const char *v, *name;
		int bad;
		if (l->shown[c] || l->constant[c] != constants ||
		    (x->is_num ? isnan(x->num) : !x->text || !*x->text))
			continue;
		if (!(v = shown_text(t, r, c, buf, sizeof buf, &tmp)))
			goto nomem;
		name = calib_escaped(heading(t, c), &tmp2);
		bad = !name || append(out, &len, len ? "  " : "", name) ||
		      append(out, &len, ": ", v);
		free(tmp);
		free(tmp2);
		if (bad)
			goto nomem;
		/* a pair breaks across lines only inside a long text */
		for (char *p = *out + len - strlen(v) - strlen(name) - 2,
			  *end = text_width(v, strlen(v), 0, NULL) > 20 ? *out + len - strlen(v) : *out + len;
		     p < end; p++)
			if (*p == ' ')
				*p = NBSP;
	}
	return 0;
nomem:
	free(*out);
	*out = NULL;
	return -1;
}

/* Under a fitted table: the key of shortened names, and which columns moved. */
static int
write_fit_notes(const struct calib_table *t, const struct layout *l, const struct keys *keys,
		FILE *fp, size_t fit_width)
{
	char *names = NULL, *tmp, tag[24];
	size_t len = 0;
	const char *s;

	for (size_t i = 0; i < keys->n; i++) {
		char *line = NULL;
		size_t ll = 0;
		snprintf(tag, sizeof tag, "~%zu:", i + 1);
		if (append(&line, &ll, tag, " ") || append(&line, &ll, "", keys->name[i])) {
			free(line);
			return -1;
		}
		put_wrapped(fp, line, fit_width, 0, 4);
		free(line);
	}
	if (t->n_rows && moved_cells(t, l, 0, &names, true))
		return -1;
	if (names) {
		char *line = NULL;
		size_t ll = 0;
		if (append(&line, &ll, "every row: ", names)) {
			free(names);
			return -1;
		}
		put_wrapped(fp, line, fit_width, 0, 2);
		free(line);
		free(names);
		names = NULL;
	}
	for (size_t c = 0; c < t->n_cols; c++) {
		if (l->shown[c] || l->constant[c])
			continue;
		if (!(s = calib_escaped(heading(t, c), &tmp)) || append(&names, &len, len ? ", " : "", s)) {
			free(tmp);
			free(names);
			return -1;
		}
		free(tmp);
	}
	if (names) {
		char *line = NULL;
		size_t ll = 0;
		snprintf(tag, sizeof tag, "(%zu columns: ", fit_width);
		if (append(&line, &ll, tag, names) ||
		    append(&line, &ll, "", " under the rows; --wide: one line per row)")) {
			free(line);
			free(names);
			return -1;
		}
		put_wrapped(fp, line, fit_width, 0, 2);
		free(line);
		free(names);
	} else
		fprintf(fp, "(%zu columns: --wide: one line per row)\n", fit_width);
	return 0;
}

/* Whether two cells hold the same value. */
static bool
same_cell(const struct cell *a, const struct cell *b)
{
	if (a->is_num != b->is_num)
		return false;
	if (a->is_num)
		return a->num == b->num || (isnan(a->num) && isnan(b->num));
	return strcmp(a->text ? a->text : "", b->text ? b->text : "") == 0;
}

/* Whether row r > 0 has the text of the row before in column 0 (shown blank when grouped). */
static bool
same_group(const struct calib_table *t, size_t r)
{
	const struct cell *x = &t->cell[r * t->n_cols], *y = &t->cell[(r - 1) * t->n_cols];
	return !x->is_num && x->text && y->text && strcmp(x->text, y->text) == 0;
}

/*
 * Print one line of the table: the column names (r == SIZE_MAX) or row r.
 * trim: no spaces at the end of the line (a fitted table); else the last
 * column alone is not padded, as tables always were.
 */
static int
write_row(const struct calib_table *t, const struct layout *l, const bool *numeric, size_t r,
	  bool group_first, bool trim, struct keys *keys, FILE *fp)
{
	bool first = true;
	char buf[64], *tmp;
	const char *s;
	size_t pad = 0;

	for (size_t c = 0, last; c < t->n_cols; c++) {
		const struct cell *x = r == SIZE_MAX ? NULL : &t->cell[r * t->n_cols + c];
		if (!l->shown[c])
			continue;
		for (last = c + 1; last < t->n_cols && !l->shown[last]; last++)
			;
		s = x ? cell_text(t, x, c, true, NULL, "NA", buf, sizeof buf) : heading(t, c);
		if (x && c == 0 && group_first && r > 0 && same_group(t, r))
			s = "";
		if (!(s = calib_escaped(s, &tmp)))
			return -1;
		if (trim && !*s && !(x ? x->is_num : numeric[c])) {
			/* an empty text cell: only padding, owed if something follows */
			pad += (first ? 0 : 2) + l->w[c];
			first = false;
			free(tmp);
			continue;
		}
		fprintf(fp, "%*s", (int)(pad + (first ? 0 : 2)), "");
		first = false;
		pad = put_cell(fp, s, l->w[c], x ? x->is_num : numeric[c], l->last_part[c], keys);
		free(tmp);
		if (pad == SIZE_MAX)
			return -1;
		if (!trim && last < t->n_cols) {
			fprintf(fp, "%*s", (int)pad, "");
			pad = 0;
		}
	}
	fputc('\n', fp);
	return 0;
}

static int
write_table(const struct calib_table *t, FILE *fp, bool group_first, size_t fit_width)
{
	size_t n = t->n_cols ? t->n_cols : 1, indent = 0;
	struct layout l = { t->n_cols,
			    t->col,
			    calloc(n, sizeof(size_t)),
			    calloc(n, sizeof(size_t)),
			    calloc(n, sizeof(size_t)),
			    calloc(n, 1),
			    calloc(n, sizeof(bool)),
			    calloc(n, sizeof(bool)),
			    calloc(n, sizeof(bool)),
			    false,
			    t->n_rows,
			    fit_width ? calloc(t->n_rows ? t->n_rows * n : 1, sizeof(size_t)) : NULL };
	struct keys keys = { NULL, 0, 0 };
	char buf[64], *tmp = NULL, *moved = NULL;
	bool *numeric = calloc(n, sizeof *numeric);
	const char *s;
	int rc = -1;

	if (!l.w || !l.natural || !l.least || !l.rank || !l.last_part || !l.shown || !l.constant ||
	    !numeric ||
	    (fit_width && !l.cell_w))
		goto out;
	for (size_t c = 0; c < t->n_cols; c++) {
		struct fit_rule rule = fit_rule(t->col[c]);
		if (!(s = calib_escaped(heading(t, c), &tmp)))
			goto out;
		l.natural[c] = width(s);
		free(tmp);
		l.rank[c] = rule.rank;
		l.last_part[c] = rule.last_part;
		/* a name column is never shortened below its own name */
		l.least[c] = rule.shrink > l.natural[c] ? rule.shrink : l.natural[c];
		l.least[c] = rule.shrink ? l.least[c] : 0;
		l.shown[c] = true;
	}
	for (size_t r = 0; r < t->n_rows; r++)
		for (size_t c = 0; c < t->n_cols; c++) {
			size_t cw;
			if (!(s = shown_text(t, r, c, buf, sizeof buf, &tmp)))
				goto out;
			cw = width(s);
			free(tmp);
			if (cw > l.natural[c])
				l.natural[c] = cw;
			/* a repeated group name is shown blank */
			if (l.cell_w && !(c == 0 && group_first && r > 0 &&
					  same_group(t, r)))
				l.cell_w[r * n + c] = cw;
			numeric[c] |= t->cell[r * t->n_cols + c].is_num;
		}
	for (size_t c = 0; c < t->n_cols; c++) {
		l.w[c] = l.natural[c];
		if (l.least[c] >= l.natural[c] || numeric[c])
			l.least[c] = 0;
		/* a column of one value costs one line under the table, not one a row */
		l.constant[c] = t->n_rows > 1;
		for (size_t r = 1; r < t->n_rows && l.constant[c]; r++)
			l.constant[c] = same_cell(&t->cell[c], &t->cell[r * t->n_cols + c]);
		if (l.constant[c] && l.rank[c] > 0 && l.rank[c] < FIT_RANK_CONSTANT)
			l.rank[c] = FIT_RANK_CONSTANT;
	}
	if (fit_width)
		fit_layout(&l, fit_width);
	/* lines under a row start past the row's first column */
	for (size_t c = 0; c < t->n_cols && !indent; c++)
		if (l.shown[c])
			indent = l.w[c] + 4;
	if (indent > fit_width / 3)
		indent = fit_width / 3;
	for (size_t i = 0; i < t->n_title; i++)
		if (put_line(fp, t->title[i], fit_width, 2))
			goto out;
	if (write_row(t, &l, numeric, SIZE_MAX, false, l.fitted, &keys, fp))
		goto out;
	for (size_t r = 0; r < t->n_rows; r++) {
		if (write_row(t, &l, numeric, r, group_first, l.fitted, &keys, fp))
			goto out;
		if (!l.fitted)
			continue;
		if (moved_cells(t, &l, r, &moved, false))
			goto out;
		if (moved)
			put_wrapped(fp, moved, fit_width, indent, indent + 2);
		free(moved);
		moved = NULL;
	}
	if (l.fitted && write_fit_notes(t, &l, &keys, fp, fit_width))
		goto out;
	for (size_t i = 0; i < t->n_footer; i++)
		if (put_line(fp, t->footer[i], fit_width, 2))
			goto out;
	rc = 0;
out:
	for (size_t i = 0; i < keys.n; i++)
		free(keys.name[i]);
	free(keys.name);
	free(l.w);
	free(l.natural);
	free(l.least);
	free(l.rank);
	free(l.last_part);
	free(l.shown);
	free(l.constant);
	free(l.cell_w);
	free(numeric);
	if (rc)
		errno = ENOMEM;
	return rc;
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
			if (!x->is_num && (!x->text || !*x->text))
				fputs("null", fp); /* an absent band, note, flag or score */
			else if (!x->is_num)
				write_json_string(fp, x->text);
			else if (!isfinite(x->num))
				fputs("null", fp);
			else
				fputs(memo_format(memo, x->num, buf, sizeof buf), fp);
		}
		fputs("}", fp);
	}
	fputs(t->n_rows ? "\n]\n" : "]\n", fp);
}

static enum calib_status write_all(const struct calib_table *t, FILE *fp, enum calib_format f,
				   bool group_first, size_t width, const char *na);

enum calib_status
calib_table_write(const struct calib_table *t, FILE *fp, enum calib_format f, bool group_first)
{
	return calib_table_write_fit(t, fp, f, group_first, 0);
}

enum calib_status
calib_table_write_fit(const struct calib_table *t, FILE *fp, enum calib_format f,
		      bool group_first, size_t width)
{
	return write_all(t, fp, f, group_first, width, "NA");
}

enum calib_status
calib_table_write_na(const struct calib_table *t, FILE *fp, enum calib_format f,
		     bool group_first, const char *na)
{
	return write_all(t, fp, f, group_first, 0, na);
}

static enum calib_status
write_all(const struct calib_table *t, FILE *fp, enum calib_format f, bool group_first,
	  size_t width, const char *na)
{
	char buf[64];
	/* without room for the memo every number is formatted, as it would be */
	struct memo *memo = f == CALIB_FORMAT_TABLE || t->n_rows < 2
				    ? NULL
				    : calloc((size_t)1 << MEMO_BITS, sizeof *memo);

	errno = 0;
	if (f == CALIB_FORMAT_TABLE) {
		if (write_table(t, fp, group_first, width))
			return CALIB_EIO;
	} else if (f == CALIB_FORMAT_JSON) {
		write_json(t, fp, memo);
	} else {
		for (size_t r = 0; r <= t->n_rows; r++)
			for (size_t c = 0; c < t->n_cols; c++) {
				const char *s = r == 0 ? t->col[c]
						       : cell_text(t, &t->cell[(r - 1) * t->n_cols + c],
								   c, false, memo, na, buf, sizeof buf);
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
