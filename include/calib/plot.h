/*
 * plot.h - gnuplot scripts built safely, and gnuplot run without a shell.
 *
 * A struct calib_plot is a growing gnuplot script plus its terminal
 * settings. Program text (commands calib writes itself) is appended with
 * calib_plot_code(); text that comes from input files (names of criteria,
 * raters, calls, sessions, titles) is appended ONLY through
 * calib_plot_string(), calib_plot_label(), calib_plot_cmd() or
 * calib_plot_array(), which emit gnuplot single-quoted string literals with
 * every ' doubled and every control byte replaced: single quotes are the
 * one string form in which gnuplot performs no backquote (shell) or @macro
 * substitution and no backslash escapes. Data go into numeric-only
 * datablocks ($name << EOD): a data line can never equal the terminator or
 * carry a command. The terminal is always set `noenhanced`, so "rater_1"
 * stays "rater_1".
 *
 * calib_plot_write_script() prints the whole script (for --script);
 * calib_plot_run() feeds it to gnuplot on a pipe, with the output written
 * to a temporary file beside the final path and renamed into place only
 * when gnuplot succeeded.
 *
 * Ownership: calib_plot_alloc() returns an object the caller frees with
 * calib_plot_free() (NULL harmless); every appending function copies what
 * it is given. Strings returned by calib_plot_quote() and
 * calib_plot_shorten() are the caller's to free(). The colour and
 * terminal-name functions return static strings. Nothing here prints.
 */
#ifndef CALIB_PLOT_H
#define CALIB_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "calib/error.h"

enum calib_plot_terminal {
	CALIB_PLOT_DUMB = 0, /* text in the terminal (gnuplot's dumb terminal) */
	CALIB_PLOT_PNG,      /* pngcairo */
	CALIB_PLOT_SVG,      /* svg */
	CALIB_PLOT_PDF       /* pdfcairo */
};

/* Default sizes: png and svg 1280x720 pixels; pdf the same pixels at 128
 * per inch (10 x 5.625 in); dumb 100x30 characters. */
#define CALIB_PLOT_DEFAULT_W 1280u
#define CALIB_PLOT_DEFAULT_H 720u

/* "dumb", "png", "svg", "pdf". Cannot fail. */
const char *calib_plot_terminal_name(enum calib_plot_terminal t);

/* Parse "png", "svg", "pdf" or "dumb" (case-insensitive); false if none. */
bool calib_plot_terminal_parse(const char *name, enum calib_plot_terminal *t);

/* Whether terminal t writes binary data (png, pdf), which is never for a
 * terminal's screen; dumb and svg write text. Cannot fail. */
bool calib_plot_terminal_binary(enum calib_plot_terminal t);

/* The terminal a file name asks for by its extension (.png .svg .pdf,
 * case-insensitive; .txt means dumb); false when the extension says nothing. */
bool calib_plot_terminal_from_path(const char *path, enum calib_plot_terminal *t);

/* Default width and height of a terminal (see above). Cannot fail. */
void calib_plot_default_size(enum calib_plot_terminal t, unsigned *w, unsigned *h);

/*
 * Parse a size "WxH" (two integers in [10, 20000]; pixels, characters for
 * dumb, pixels at 128 per inch for pdf). false on anything else.
 */
bool calib_plot_size_parse(const char *s, unsigned *w, unsigned *h);

struct calib_plot;

/*
 * A page of n small multiples (gnuplot's multiplot layout), in the units
 * of the terminal's size (pixels; characters for dumb). The caller sets
 * the room around the panels (left, right, top, bottom: outer margins;
 * xgap, ygap: between panels, where their tic labels and titles go);
 * calib_plot_grid_fit chooses the rows and columns and the panels' size.
 */
struct calib_plot_grid {
	double left, right, top, bottom, xgap, ygap; /* set by the caller */
	size_t rows, cols;                           /* set by calib_plot_grid_fit */
	double plot_w, plot_h; /* each panel's plot area, from the final size */
};

/*
 * A new, empty script for terminal t of size w x h (0 for either: the
 * terminal's default). NULL when out of memory.
 */
struct calib_plot *calib_plot_alloc(enum calib_plot_terminal t, unsigned w, unsigned h);
void calib_plot_free(struct calib_plot *p);

enum calib_plot_terminal calib_plot_terminal(const struct calib_plot *p);
void calib_plot_size(const struct calib_plot *p, unsigned *w, unsigned *h);

/*
 * Make room for the content: when the size is the terminal's default
 * (calib_plot_alloc was given 0 for it), grow the width to at least w and
 * the height to at least h (pixels; characters for dumb; at most 20000),
 * so that 50 criteria or 30 raters stay legible. A size the user chose is
 * kept as it is. Cannot fail.
 */
void calib_plot_fit(struct calib_plot *p, unsigned w, unsigned h);

/*
 * Lay out n panels in at most max_cols columns (1 to 6 by n: 1, 2 up to 4
 * panels, 3 up to 9 (4 for 7 or 8), 4 up to 16, 5 up to 25, then 6), grow
 * the plot (calib_plot_fit) so that each plot area is at least min_w x
 * min_h with g's room around them, and set g's rows, cols, plot_w and
 * plot_h from the resulting size. Cannot fail.
 */
void calib_plot_grid_fit(struct calib_plot *p, struct calib_plot_grid *g, size_t n,
                         size_t max_cols, double min_w, double min_h);

/*
 * Append `set multiplot layout R,C margins ... spacing ...` for g (margins
 * and gaps as fractions of the size), up to and including " title " when
 * titled (the caller appends the title string and the rest of the line),
 * else the whole line. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_plot_grid_begin(struct calib_plot *p, const struct calib_plot_grid *g,
                                        bool titled);

/*
 * Append program text written by calib itself (printf-style; numbers are
 * formatted in the C locale since calib never sets LC_NUMERIC). NEVER pass
 * text from input through this, not even as a %s argument: use the
 * functions below. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_plot_code(struct calib_plot *p, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/*
 * Append untrusted text s as one single-quoted gnuplot string literal:
 * every ' doubled, every control byte (below 0x20, and 0x7f) replaced by a
 * space, invalid UTF-8 bytes by '?'. NULL counts as "". CALIB_OK or
 * CALIB_ENOMEM.
 */
enum calib_status calib_plot_string(struct calib_plot *p, const char *s);

/*
 * Like calib_plot_string, but first shortened and wrapped for a tick label
 * or key entry with calib_plot_shorten(s, width, lines): the lines are
 * joined as 'line1'."\n".'line2' (a string expression, still free of any
 * substitution). width 0: no wrapping.
 */
enum calib_status calib_plot_label(struct calib_plot *p, const char *s, size_t width,
                                   size_t lines);

/*
 * Append trusted prefix, the untrusted s as a string literal (as
 * calib_plot_string), then trusted suffix: calib_plot_cmd(p, "set title ",
 * name, "\n"). prefix and suffix may be NULL. CALIB_OK or CALIB_ENOMEM.
 */
enum calib_status calib_plot_cmd(struct calib_plot *p, const char *prefix, const char *s,
                                 const char *suffix);

/*
 * Define a gnuplot string array `name[1..n]` holding the untrusted strings
 * v[0..n) as labels (each through calib_plot_label with width and lines),
 * for `xtic(name[int($1)])` or `labels`. name must be a plain identifier
 * ([A-Za-z_][A-Za-z0-9_]*, else CALIB_EARG); n 0 defines nothing.
 * CALIB_OK, CALIB_EARG or CALIB_ENOMEM.
 */
enum calib_status calib_plot_array(struct calib_plot *p, const char *name, const char *const *v,
                                   size_t n, size_t width, size_t lines);

/*
 * Numeric datablocks. calib_plot_data_begin starts `$name << EOD` (name
 * an identifier as above, else CALIB_EARG); calib_plot_data_row appends one
 * line of n numbers (%.17g; a non-finite value is written NaN, which
 * gnuplot treats as undefined); an empty row (n 0) separates blocks for
 * `index`/pm3d; calib_plot_data_end closes it with EOD. CALIB_OK,
 * CALIB_EARG or CALIB_ENOMEM.
 */
enum calib_status calib_plot_data_begin(struct calib_plot *p, const char *name);
enum calib_status calib_plot_data_row(struct calib_plot *p, const double *v, size_t n);
enum calib_status calib_plot_data_end(struct calib_plot *p);

/*
 * Okabe & Ito's (2008) colour-blind-safe palette as "#RRGGBB", without
 * black, yellow (too pale on white for lines) late: orange, sky blue,
 * bluish green, blue, vermillion, reddish purple, yellow, grey; i wraps
 * around. Cannot fail.
 */
const char *calib_plot_colour(size_t i);
#define CALIB_PLOT_N_COLOURS 8u

/*
 * Append `set palette defined (...)`: a diverging blue - white -
 * vermillion palette that is white at 0 when the colour range is
 * symmetric (set cbrange [-m:m]); blue below zero, vermillion above.
 */
enum calib_status calib_plot_diverging_palette(struct calib_plot *p);

/*
 * Append the common settings: the style every calib plot shares (font,
 * grid, border, key box off, colours of lines 1..8 from calib_plot_colour).
 * Called by the programs right after calib_plot_alloc. CALIB_OK or
 * CALIB_ENOMEM.
 */
enum calib_status calib_plot_style(struct calib_plot *p);

/*
 * A legible label for a long name: control bytes become spaces; the text
 * is wrapped at '_', '-', '.', '/' and spaces (underscores become spaces)
 * into at most `lines` lines of at most `width` characters (UTF-8 code
 * points), the last one ending in "..." when text is cut. width 0 leaves
 * the text on one line, only cleaned. Lines are separated by '\n' in the
 * result. NULL when out of memory; the caller frees the result.
 */
char *calib_plot_shorten(const char *s, size_t width, size_t lines);

/*
 * s as a single-quoted gnuplot string literal (what calib_plot_string
 * appends), in a new string the caller frees; NULL when out of memory.
 */
char *calib_plot_quote(const char *s);

/*
 * Write the complete script to fp: terminal line (`set terminal pngcairo
 * size 1280,720 noenhanced ...`), `set output 'output_path'` when
 * output_path is not NULL (quoted like untrusted text), then the body.
 * CALIB_OK, or CALIB_EIO with errno's message in err.
 */
enum calib_status calib_plot_write_script(const struct calib_plot *p, FILE *fp,
                                          const char *output_path, struct calib_error *err);

/*
 * Run gnuplot on the script. gnuplot is $CALIB_GNUPLOT when set and not
 * empty (a path or a name looked up on PATH), else "gnuplot" on PATH,
 * started with posix_spawnp (no shell) with the script on its standard
 * input. output_path NULL or "-": gnuplot writes to standard output
 * (flushed before); otherwise gnuplot writes a temporary file in the same
 * folder that is renamed over output_path only when gnuplot exited 0 and
 * wrote something, and removed on any failure.
 *
 * Errors (message in err; nothing left behind):
 *   CALIB_EIO "gnuplot not found: install the Debian package gnuplot-nox"
 *   when it cannot be started; "gnuplot: <its first error line>" when it
 *   fails (exit status or signal); I/O errors on the temporary file.
 * CALIB_OK on success. SIGPIPE is ignored while the script is written
 * (and restored after). Not thread-safe (changes SIGPIPE's disposition).
 */
enum calib_status calib_plot_run(const struct calib_plot *p, const char *output_path,
                                 struct calib_error *err);

#endif
