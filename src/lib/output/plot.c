/*
 * plot.c - gnuplot scripts built safely, and gnuplot run without a shell.
 *
 * Untrusted text only ever reaches the script as a single-quoted gnuplot
 * string: gnuplot performs backquote (shell) and @macro substitution on
 * a command line except inside single quotes, and a single-quoted string
 * knows no escape but '' for a quote. Control bytes are replaced because a
 * newline would end the command and start a new one (a "!" line runs a
 * shell command). Datablocks carry numbers only, so no data line can equal
 * the terminator. See the gnuplot 5.4 manual, "substitution" and "quotes".
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calib/outfile.h"
#include "calib/plot.h"

extern char **environ;

struct calib_plot {
	enum calib_plot_terminal term;
	unsigned w, h;
	bool fixed_w, fixed_h; /* chosen by the user: calib_plot_fit keeps it */
	char *buf; /* the script body */
	size_t len, cap;
};

static const char *const term_names[] = {"dumb", "png", "svg", "pdf"};

const char *
calib_plot_terminal_name(enum calib_plot_terminal t)
{
	return (size_t)t < sizeof term_names / sizeof term_names[0] ? term_names[t] : "dumb";
}

bool
calib_plot_terminal_parse(const char *name, enum calib_plot_terminal *t)
{
	for (size_t i = 0; i < sizeof term_names / sizeof term_names[0]; i++)
		if (strcasecmp(name, term_names[i]) == 0) {
			*t = (enum calib_plot_terminal)i;
			return true;
		}
	return false;
}

bool
calib_plot_terminal_binary(enum calib_plot_terminal t)
{
	return t == CALIB_PLOT_PNG || t == CALIB_PLOT_PDF;
}

bool
calib_plot_terminal_from_path(const char *path, enum calib_plot_terminal *t)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash))
		return false;
	if (strcasecmp(dot, ".txt") == 0) {
		*t = CALIB_PLOT_DUMB;
		return true;
	}
	if (strcasecmp(dot, ".dumb") == 0)
		return false;
	return calib_plot_terminal_parse(dot + 1, t);
}

void
calib_plot_default_size(enum calib_plot_terminal t, unsigned *w, unsigned *h)
{
	if (t == CALIB_PLOT_DUMB) {
		*w = 100;
		*h = 30;
	} else {
		*w = CALIB_PLOT_DEFAULT_W;
		*h = CALIB_PLOT_DEFAULT_H;
	}
}

/* A whole decimal number in [10, 20000] from s up to end; false otherwise. */
static bool
parse_dim(const char *s, const char *end, unsigned *v)
{
	unsigned long x = 0;

	if (s == end || end - s > 5)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		x = x * 10 + (unsigned long)(*s - '0');
	}
	if (x < 10 || x > 20000)
		return false;
	*v = (unsigned)x;
	return true;
}

bool
calib_plot_size_parse(const char *s, unsigned *w, unsigned *h)
{
	const char *x = strpbrk(s, "xX,");
	unsigned a, b;

	if (!x || !parse_dim(s, x, &a) || !parse_dim(x + 1, x + 1 + strlen(x + 1), &b))
		return false;
	*w = a;
	*h = b;
	return true;
}

struct calib_plot *
calib_plot_alloc(enum calib_plot_terminal t, unsigned w, unsigned h)
{
	struct calib_plot *p = calloc(1, sizeof *p);
	unsigned dw, dh;

	if (!p)
		return NULL;
	calib_plot_default_size(t, &dw, &dh);
	p->term = t;
	p->w = w ? w : dw;
	p->h = h ? h : dh;
	p->fixed_w = w != 0;
	p->fixed_h = h != 0;
	return p;
}

void
calib_plot_free(struct calib_plot *p)
{
	if (!p)
		return;
	free(p->buf);
	free(p);
}

enum calib_plot_terminal
calib_plot_terminal(const struct calib_plot *p)
{
	return p->term;
}

void
calib_plot_size(const struct calib_plot *p, unsigned *w, unsigned *h)
{
	*w = p->w;
	*h = p->h;
}

void
calib_plot_fit(struct calib_plot *p, unsigned w, unsigned h)
{
	if (!p->fixed_w && w > p->w)
		p->w = w < 20000 ? w : 20000;
	if (!p->fixed_h && h > p->h)
		p->h = h < 20000 ? h : 20000;
}

void
calib_plot_grid_fit(struct calib_plot *p, struct calib_plot_grid *g, size_t n, size_t max_cols,
                    double min_w, double min_h)
{
	size_t c = n <= 1 ? 1 : n <= 4 ? 2 : n <= 9 ? 3 : n <= 16 ? 4 : n <= 25 ? 5 : 6;
	double need_w, need_h;

	if (n > 6 && n <= 8)
		c = 4;
	if (max_cols && c > max_cols)
		c = max_cols;
	g->cols = c;
	g->rows = n ? (n + c - 1) / c : 1;
	need_w = g->left + g->right + (double)c * min_w + (double)(c - 1) * g->xgap;
	need_h = g->top + g->bottom + (double)g->rows * min_h + (double)(g->rows - 1) * g->ygap;
	calib_plot_fit(p, (unsigned)fmin(20000, ceil(need_w)), (unsigned)fmin(20000, ceil(need_h)));
	g->plot_w = ((double)p->w - g->left - g->right - (double)(c - 1) * g->xgap) / (double)c;
	g->plot_h = ((double)p->h - g->top - g->bottom - (double)(g->rows - 1) * g->ygap) /
	            (double)g->rows;
}

enum calib_status
calib_plot_grid_begin(struct calib_plot *p, const struct calib_plot_grid *g, bool titled)
{
	double w = p->w, h = p->h;

	return calib_plot_code(p,
	                       "set multiplot layout %zu,%zu margins %.4f,%.4f,%.4f,%.4f "
	                       "spacing %.4f,%.4f%s",
	                       g->rows, g->cols, g->left / w, 1 - g->right / w, g->bottom / h,
	                       1 - g->top / h, g->xgap / w, g->ygap / h,
	                       titled ? " title " : "\n");
}

/* Make room for n more bytes and a NUL. */
static enum calib_status
reserve(struct calib_plot *p, size_t n)
{
	if (p->len + n + 1 > p->cap) {
		size_t cap = p->cap ? p->cap : 4096;
		char *b;
		while (cap < p->len + n + 1)
			cap *= 2;
		if (!(b = realloc(p->buf, cap)))
			return CALIB_ENOMEM;
		p->buf = b;
		p->cap = cap;
	}
	return CALIB_OK;
}

static enum calib_status
append(struct calib_plot *p, const char *s, size_t n)
{
	if (reserve(p, n))
		return CALIB_ENOMEM;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
	return CALIB_OK;
}

enum calib_status
calib_plot_code(struct calib_plot *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(p, (size_t)n))
		return CALIB_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(p->buf + p->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	p->len += (size_t)n;
	return CALIB_OK;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned long cp;

	/* a NUL is no continuation byte: nothing past the string is read */
	return calib_utf8_char((const char *)s, 4, &cp);
}

/*
 * Write s[0..len) as the inside of a single-quoted literal into out (NULL:
 * only count); returns the number of bytes. C1 controls (U+0080 to
 * U+009F), which some terminals obey in the dumb terminal's output, count
 * as control bytes. A NUL ends s early.
 */
static size_t
quote_body(const char *s, size_t len, char *out)
{
	const unsigned char *u = (const unsigned char *)s, *end = u + len;
	size_t n = 0, k;

	while (u < end && *u) {
		if (*u == '\'') {
			if (out)
				out[n] = '\'', out[n + 1] = '\'';
			n += 2;
			u++;
		} else if (*u < 0x20 || *u == 0x7f) {
			if (out)
				out[n] = ' ';
			n++;
			u++;
		} else if ((k = utf8_len(u)) == 0 || u + k > end) {
			if (out)
				out[n] = '?';
			n++;
			u++;
		} else if (k == 2 && u[0] == 0xc2 && u[1] < 0xa0) {
			if (out)
				out[n] = ' ';
			n++;
			u += 2;
		} else {
			if (out)
				memcpy(out + n, u, k);
			n += k;
			u += k;
		}
	}
	return n;
}

/*
 * Write s as a gnuplot string expression into out (NULL: only count);
 * returns the number of bytes. gnuplot 5.4 reads '' as a quote inside a
 * single-quoted string only after another character: '''x' is the empty
 * string '' then 'x', and 'a''''b' breaks too. So a run of apostrophes at
 * the start or of two or more goes in a double-quoted string of octal
 * escapes, concatenated with the single-quoted rest: "\047\047".'x''y'.
 * No apostrophe stands outside single quotes, where it would upset
 * gnuplot's search for @macros (which skips single-quoted text), and the
 * escapes hold no backquote or @ to substitute.
 */
static size_t
quote_expr(const char *s, char *out)
{
	size_t n = 0, i = 0, len = strlen(s);

	if (len == 0) {
		if (out)
			memcpy(out, "''", 2);
		return 2;
	}
	while (i < len) {
		size_t run = strspn(s + i, "'"), j, body;
		if (i > 0) {
			if (out)
				out[n] = '.';
			n++;
		}
		if (run > 0) {
			/* here a run starts a piece: one apostrophe or more */
			if (out) {
				out[n] = '"';
				for (size_t k = 0; k < run; k++)
					memcpy(out + n + 1 + 4 * k, "\\047", 4);
				out[n + 4 * run + 1] = '"';
			}
			n += 4 * run + 2;
			i += run;
			continue;
		}
		/* a literal up to a run of two apostrophes or more, or the end */
		for (j = i; j < len; j++)
			if (s[j] == '\'' && s[j + 1] == '\'')
				break;
		body = quote_body(s + i, j - i, out ? out + n + 1 : NULL);
		if (out) {
			out[n] = '\'';
			out[n + body + 1] = '\'';
		}
		n += body + 2;
		i = j;
	}
	return n;
}

char *
calib_plot_quote(const char *s)
{
	size_t n;
	char *q;

	if (!s)
		s = "";
	n = quote_expr(s, NULL);
	if (!(q = malloc(n + 1)))
		return NULL;
	quote_expr(s, q);
	q[n] = '\0';
	return q;
}

enum calib_status
calib_plot_string(struct calib_plot *p, const char *s)
{
	size_t n;

	if (!s)
		s = "";
	n = quote_expr(s, NULL);
	if (reserve(p, n))
		return CALIB_ENOMEM;
	quote_expr(s, p->buf + p->len);
	p->len += n;
	p->buf[p->len] = '\0';
	return CALIB_OK;
}

enum calib_status
calib_plot_cmd(struct calib_plot *p, const char *prefix, const char *s, const char *suffix)
{
	if ((prefix && append(p, prefix, strlen(prefix))) || calib_plot_string(p, s) ||
	    (suffix && append(p, suffix, strlen(suffix))))
		return CALIB_ENOMEM;
	return CALIB_OK;
}

/* Number of code points in s[0..n) (valid UTF-8). */
static size_t
cp_count(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Byte length of the first k code points of s[0..n). */
static size_t
cp_bytes(const char *s, size_t n, size_t k)
{
	size_t i = 0;

	while (i < n && k) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		k--;
	}
	return i;
}

/* Append s[i..e) to out at *o with every run of spaces made one. */
static void
copy_words(char *out, size_t *o, const char *s, size_t i, size_t e)
{
	for (; i < e; i++)
		if (s[i] != ' ' || (i + 1 < e && s[i + 1] != ' '))
			out[(*o)++] = s[i];
}

char *
calib_plot_shorten(const char *s, size_t width, size_t lines)
{
	const unsigned char *u;
	char *clean, *out;
	size_t n = 0, k, o = 0, line = 0, i = 0;

	if (!s)
		s = "";
	/* clean: control bytes -> space, invalid UTF-8 -> '?', '_' -> ' ' when wrapping */
	if (!(clean = malloc(strlen(s) + 1)))
		return NULL;
	for (u = (const unsigned char *)s; *u;) {
		if (*u < 0x20 || *u == 0x7f || (width && *u == '_')) {
			clean[n++] = ' ';
			u++;
		} else if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] < 0xa0) {
			clean[n++] = ' '; /* a C1 control, as quote_body */
			u += 2;
		} else if ((k = utf8_len(u)) == 0) {
			clean[n++] = '?';
			u++;
		} else {
			memcpy(clean + n, u, k);
			n += k;
			u += k;
		}
	}
	clean[n] = '\0';
	if (!width)
		return clean;
	if (lines == 0)
		lines = 1;
	/* room: every byte, a newline per line, and "..." */
	if (!(out = malloc(n + lines + 4))) {
		free(clean);
		return NULL;
	}
	while (i < n && clean[i] == ' ')
		i++;
	while (i < n) {
		/* greedy: whole words while they fit; a longer word is cut */
		size_t end = i, used = 0;
		while (end < n) {
			size_t w = end, wl;
			while (w < n && clean[w] == ' ')
				w++;
			wl = w;
			while (wl < n && clean[wl] != ' ')
				wl++;
			if (w >= n)
				break;
			if (used + (used ? 1 : 0) + cp_count(clean + w, wl - w) > width) {
				if (used == 0)
					end = w + cp_bytes(clean + w, wl - w, width);
				break;
			}
			used += (used ? 1 : 0) + cp_count(clean + w, wl - w);
			end = wl;
		}
		while (end < n && clean[end] == ' ' && end == i)
			end++;
		if (line > 0)
			out[o++] = '\n';
		{
			size_t rest = end;
			while (rest < n && clean[rest] == ' ')
				rest++;
			if (line + 1 == lines && rest < n) {
				/* the last line: what fits of the rest, then "..." */
				size_t take = width > 3 ? width - 3 : 0;
				size_t e = cp_count(clean + i, end - i) + 3 <= width
				                   ? end
				                   : i + cp_bytes(clean + i, n - i, take);
				while (e > i && clean[e - 1] == ' ')
					e--;
				copy_words(out, &o, clean, i, e);
				memcpy(out + o, "...", 3);
				o += 3;
				break;
			}
			copy_words(out, &o, clean, i, end);
			i = rest;
		}
		line++;
	}
	out[o] = '\0';
	free(clean);
	return out;
}

enum calib_status
calib_plot_label(struct calib_plot *p, const char *s, size_t width, size_t lines)
{
	char *t = calib_plot_shorten(s, width, lines), *line, *nl;
	enum calib_status st = CALIB_OK;

	if (!t)
		return CALIB_ENOMEM;
	for (line = t;; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (line != t && append(p, ".\"\\n\".", 6))
			st = CALIB_ENOMEM;
		if (!st)
			st = calib_plot_string(p, line);
		if (!nl || st)
			break;
	}
	free(t);
	return st;
}

/* Is name a plain gnuplot identifier? */
static bool
is_ident(const char *name)
{
	if (!name ||
	    !((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') || *name == '_'))
		return false;
	for (; *name; name++)
		if (!((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') ||
		      (*name >= '0' && *name <= '9') || *name == '_'))
			return false;
	return true;
}

enum calib_status
calib_plot_array(struct calib_plot *p, const char *name, const char *const *v, size_t n,
                 size_t width, size_t lines)
{
	if (!is_ident(name))
		return CALIB_EARG;
	if (n == 0)
		return CALIB_OK;
	if (calib_plot_code(p, "array %s[%zu]\n", name, n))
		return CALIB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (calib_plot_code(p, "%s[%zu] = ", name, i + 1) ||
		    calib_plot_label(p, v[i], width, lines) || append(p, "\n", 1))
			return CALIB_ENOMEM;
	return CALIB_OK;
}

enum calib_status
calib_plot_data_begin(struct calib_plot *p, const char *name)
{
	if (!is_ident(name))
		return CALIB_EARG;
	return calib_plot_code(p, "$%s << EOD\n", name);
}

enum calib_status
calib_plot_data_row(struct calib_plot *p, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum calib_status st =
		        isfinite(v[i]) ? calib_plot_code(p, "%s%.17g", i ? " " : "", v[i])
		                       : calib_plot_code(p, "%sNaN", i ? " " : "");
		if (st)
			return st;
	}
	return append(p, "\n", 1);
}

enum calib_status
calib_plot_data_end(struct calib_plot *p)
{
	return append(p, "EOD\n", 4);
}

static const char *const okabe_ito[CALIB_PLOT_N_COLOURS] = {
        "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#999999",
};

const char *
calib_plot_colour(size_t i)
{
	return okabe_ito[i % CALIB_PLOT_N_COLOURS];
}

enum calib_status
calib_plot_diverging_palette(struct calib_plot *p)
{
	return calib_plot_code(
	        p, "set palette defined (-1 '#0072B2', -0.5 '#8CBEDD', 0 '#FFFFFF', "
	           "0.5 '#EFA77F', 1 '#D55E00')\n");
}

enum calib_status
calib_plot_style(struct calib_plot *p)
{
	if (calib_plot_code(p, "set encoding utf8\nset termoption noenhanced\n"
	                       "set datafile missing NaN\nset key noautotitle\n"))
		return CALIB_ENOMEM;
	if (p->term != CALIB_PLOT_DUMB &&
	    calib_plot_code(p, "set border 3 lc rgb '#555555'\nset tics nomirror\n"
	                       "set grid lc rgb '#DDDDDD' lw 1\n"))
		return CALIB_ENOMEM;
	for (size_t i = 0; i < CALIB_PLOT_N_COLOURS; i++)
		if (calib_plot_code(p, "set linetype %zu lc rgb '%s' lw 2 pt 7 ps 1.3\n", i + 1,
		                    calib_plot_colour(i)))
			return CALIB_ENOMEM;
	return calib_plot_code(p, "set linetype cycle %u\n", CALIB_PLOT_N_COLOURS);
}

/* The terminal line of the script into buf. */
static void
terminal_line(const struct calib_plot *p, char *buf, size_t n)
{
	switch (p->term) {
	case CALIB_PLOT_PNG:
		snprintf(buf, n, "set terminal pngcairo size %u,%u noenhanced font 'Sans,%u'\n",
		         p->w, p->h, p->h >= 600 ? 14u : 10u);
		break;
	case CALIB_PLOT_SVG:
		snprintf(buf, n,
		         "set terminal svg size %u,%u noenhanced font 'Sans,%u' background "
		         "'#FFFFFF'\n",
		         p->w, p->h, p->h >= 600 ? 14u : 10u);
		break;
	case CALIB_PLOT_PDF:
		snprintf(buf, n,
		         "set terminal pdfcairo size %.3fin,%.3fin noenhanced font 'Sans,10'\n",
		         p->w / 128.0, p->h / 128.0);
		break;
	case CALIB_PLOT_DUMB:
	default:
		snprintf(buf, n, "set terminal dumb size %u,%u noenhanced\n", p->w, p->h);
		break;
	}
}

/*
 * Refuse an output path gnuplot would not get as it is: control bytes and
 * invalid UTF-8 are what quoting replaces. CALIB_OK or CALIB_EARG.
 */
static enum calib_status
check_path(const char *path, struct calib_error *err)
{
	size_t len = strlen(path);
	char shown[300];

	if (calib_escape(NULL, 0, path, len, 0) == len)
		return CALIB_OK;
	calib_escape(shown, sizeof shown, path, len, CALIB_ESCAPE_QUOTE);
	return calib_error_set(err, CALIB_EARG, NULL, 0, 0,
	                       "%s: control bytes and invalid UTF-8 are not allowed in a "
	                       "plot's file name",
	                       shown);
}

enum calib_status
calib_plot_write_script(const struct calib_plot *p, FILE *fp, const char *output_path,
                        struct calib_error *err)
{
	char term[256];
	char *q = NULL;
	enum calib_status st;

	terminal_line(p, term, sizeof term);
	if (output_path && strcmp(output_path, "-") != 0) {
		if ((st = check_path(output_path, err)))
			return st;
		if (!(q = calib_plot_quote(output_path)))
			return calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	}
	fputs(term, fp);
	if (q)
		fprintf(fp, "set output %s\n", q);
	if (p->len)
		fwrite(p->buf, 1, p->len, fp);
	fputs(q ? "unset output\n" : "", fp);
	free(q);
	if (fflush(fp) != 0 || ferror(fp))
		return calib_error_set(err, CALIB_EIO, NULL, 0, 0, "writing the script: %s",
		                       strerror(errno));
	return CALIB_OK;
}

/* Write all of buf to fd; 0 or an errno value. */
static int
write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The first line of gnuplot's messages that says what went wrong: the
 * line after a "line N:" marker, or the first line with text.
 */
static void
first_error(FILE *fp, char *out, size_t n)
{
	char line[512], prev[512] = "";

	out[0] = '\0';
	rewind(fp);
	while (fgets(line, sizeof line, fp)) {
		char *s = line, *e;
		line[strcspn(line, "\r\n")] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || strcmp(s, "^") == 0)
			continue;
		if ((e = strstr(s, "line ")) && strchr(e, ':') &&
		    (e == s || strncmp(s, "\"", 1) == 0)) {
			snprintf(out, n, "%.300s", s);
			return;
		}
		if (!strstr(s, "gnuplot>") && !prev[0])
			snprintf(prev, sizeof prev, "%.300s", s);
	}
	snprintf(out, n, "%.300s", prev);
}

/* Does s[0..n) contain the text w? */
static bool
contains(const unsigned char *s, size_t n, const char *w)
{
	size_t len = strlen(w);
	for (size_t i = 0; i + len <= n; i++)
		if (memcmp(s + i, w, len) == 0)
			return true;
	return false;
}

/*
 * Does gnuplot's output fp end as a complete file of its kind? gnuplot
 * exits 0 even when its writes failed (a full disk), so the end is read:
 * PNG's IEND chunk, SVG's closing tag, PDF's %%EOF marker. The dumb
 * terminal's text has no end mark: anything counts.
 */
static bool
output_complete(FILE *fp, enum calib_plot_terminal t)
{
	static const unsigned char iend[] = { 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
	unsigned char tail[64];
	size_t n;
	long size;

	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0)
		return false;
	if (fseek(fp, size > (long)sizeof tail ? size - (long)sizeof tail : 0, SEEK_SET) != 0)
		return false;
	n = fread(tail, 1, sizeof tail, fp);
	switch (t) {
	case CALIB_PLOT_PNG:
		return n >= sizeof iend && memcmp(tail + n - sizeof iend, iend, sizeof iend) == 0;
	case CALIB_PLOT_SVG:
		return contains(tail, n, "</svg>");
	case CALIB_PLOT_PDF:
		return contains(tail, n, "%%EOF");
	default:
		return true;
	}
}

/* Copy all of in (from its start) to out; 0, or an errno value. */
static int
copy_file(FILE *in, FILE *out)
{
	char buf[65536];
	size_t n;

	rewind(in);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return errno ? errno : EIO;
	return ferror(in) ? (errno ? errno : EIO) : 0;
}

enum calib_status
calib_plot_run(const struct calib_plot *p, const char *output_path, struct calib_error *err)
{
	const char *prog = getenv("CALIB_GNUPLOT");
	char *argv[3], msg[400];
	int pipefd[2] = {-1, -1}, status = 0, rc, werr, e;
	FILE *errf = NULL, *outf = NULL, *script = NULL;
	char *sbuf = NULL;
	size_t slen = 0;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def, held;
	struct sigaction ign, old;
	struct calib_outfile of;
	pid_t pid;
	enum calib_status st = CALIB_OK;

	if (!prog || !*prog)
		prog = "gnuplot";
	if (output_path && strcmp(output_path, "-") == 0)
		output_path = NULL;
	if (output_path && (st = check_path(output_path, err)))
		return st;
	/* the whole script in memory, so gnuplot's stdin gets it in one go */
	if (!(script = open_memstream(&sbuf, &slen))) {
		st = calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	if ((st = calib_plot_write_script(p, script, NULL, err)))
		goto out;
	fclose(script);
	script = NULL;
	/*
	 * gnuplot writes to its standard output, an unnamed temporary file:
	 * the path is never in the script, a failed or killed gnuplot leaves
	 * nothing, and calib copies a complete plot to where it goes with
	 * every write checked.
	 */
	if (!(errf = tmpfile()) || !(outf = tmpfile())) {
		st = calib_error_set(err, CALIB_EIO, NULL, 0, 0, "temporary file: %s",
		                     strerror(errno));
		goto out;
	}
	if (pipe(pipefd) != 0) {
		st = calib_error_set(err, CALIB_EIO, NULL, 0, 0, "pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[0], 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(outf), 1);
	posix_spawn_file_actions_adddup2(&fa, fileno(errf), 2);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	posix_spawnattr_init(&attr);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &def);
	argv[0] = (char *)prog;
	argv[1] = (char *)"-";
	argv[2] = NULL;
	/*
	 * A SIGINT, SIGTERM or SIGHUP that ends calib ends gnuplot too: they
	 * wait until gnuplot is registered, and gnuplot starts with the mask
	 * calib had before.
	 */
	calib_outfile_signals_hold(&held);
	posix_spawnattr_setsigmask(&attr, &held);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawnp(&pid, prog, &fa, &attr, argv, environ);
	if (rc == 0)
		calib_outfile_cleanup_child(pid);
	calib_outfile_signals_release(&held);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(pipefd[0]);
	pipefd[0] = -1;
	if (rc != 0) {
		/* only a missing program is "not found": memory, permissions... say so */
		if (rc == ENOENT)
			st = calib_error_set(
			        err, CALIB_EIO, NULL, 0, 0,
			        "gnuplot not found: install the Debian package gnuplot-nox");
		else
			st = calib_error_set(err, CALIB_EIO, NULL, 0, 0, "cannot start %s: %s",
			                     prog, strerror(rc));
		goto out;
	}
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	werr = write_all(pipefd[1], sbuf, slen);
	close(pipefd[1]);
	pipefd[1] = -1;
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			calib_outfile_cleanup_child(0);
			st = calib_error_set(err, CALIB_EIO, NULL, 0, 0,
			                     "waiting for gnuplot: %s", strerror(errno));
			goto out;
		}
	calib_outfile_cleanup_child(0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		/*
		 * An exec failure that the spawn could not report, or the
		 * dynamic loader's (which says why, as under a memory limit:
		 * "failed to map segment").
		 */
		first_error(errf, msg, sizeof msg);
		if (msg[0]) {
			size_t n = strlen(prog);
			const char *why = strncmp(msg, prog, n) == 0 && strncmp(msg + n, ": ", 2) == 0
			                          ? msg + n + 2 : msg;
			st = calib_error_set(err, CALIB_EIO, NULL, 0, 0, "cannot start %s: %s",
			                     prog, why);
		} else
			st = calib_error_set(
			        err, CALIB_EIO, NULL, 0, 0,
			        "gnuplot not found: install the Debian package gnuplot-nox");
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		first_error(errf, msg, sizeof msg);
		if (!msg[0]) {
			if (WIFSIGNALED(status))
				snprintf(msg, sizeof msg, "killed by signal %d",
				         WTERMSIG(status));
			else
				snprintf(msg, sizeof msg, "exit status %d",
				         WEXITSTATUS(status));
		}
		st = calib_error_set(err, CALIB_EIO, NULL, 0, 0, "gnuplot: %s", msg);
		goto out;
	}
	if (werr && werr != EPIPE) {
		st = calib_error_set(err, CALIB_EIO, NULL, 0, 0, "writing to gnuplot: %s",
		                     strerror(werr));
		goto out;
	}
	if (fseek(outf, 0, SEEK_END) != 0 || ftell(outf) <= 0) {
		first_error(errf, msg, sizeof msg);
		st = calib_error_set(err, CALIB_EIO, NULL, 0, 0, "gnuplot: %s",
		                     msg[0] ? msg : "no output written");
		goto out;
	}
	if (!output_complete(outf, p->term)) {
		st = calib_error_set(err, CALIB_EIO, output_path, 0, 0,
		                     "gnuplot wrote an incomplete file (is the disk full?)");
		goto out;
	}
	/* the plot is whole: now, and only now, to where it goes */
	if ((st = calib_outfile_open(&of, output_path, err)))
		goto out;
	/* standard output's errors stay in ferror(stdout), checked at exit */
	if ((e = copy_file(outf, of.fp)) != 0 && of.kind != CALIB_OUTFILE_STDOUT) {
		calib_outfile_abort(&of);
		st = calib_error_set(err, CALIB_EIO, output_path, 0, 0, "%s", strerror(e));
		goto out;
	}
	st = calib_outfile_commit(&of, err);
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (script)
		fclose(script);
	free(sbuf);
	if (errf)
		fclose(errf);
	if (outf)
		fclose(outf);
	return st;
}
