/*
 * html.h - the meeting page of calib-report: one self-contained HTML
 * file (no external CSS, script, font or image) of a session's agreement,
 * disputes agenda and raters, with a summary in plain words made from the
 * same records as calib-agree, calib-disputes and calib-raters.
 *
 * Every text from the inputs (criteria, raters, calls, sessions, labels,
 * titles, file names) goes through calib_html_put(): control bytes and
 * invalid UTF-8 become \xNN as on a terminal (calib_escape), then & < > "
 * and ' become character references, so that no name can open a tag, an
 * attribute or a script.
 *
 * Ownership: the page borrows everything it is given; nothing here keeps
 * a pointer after returning. Nothing here prints to stderr or exits.
 */
#ifndef CALIB_HTML_H
#define CALIB_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "calib/disputes.h"
#include "calib/drift.h"
#include "calib/error.h"
#include "calib/raters.h"
#include "calib/report.h"
#include "calib/store.h"
#include "calib/table.h"

/*
 * s escaped for HTML text and attribute values (see above), written into
 * buf of size n like snprintf (never cut inside a reference or an
 * escape). Returns the length of the whole escaped text. buf may be NULL
 * when n is 0. Cannot fail.
 */
size_t calib_html_escape(char *buf, size_t n, const char *s);

/* Write s escaped as calib_html_escape does to fp. Write errors stay in ferror(fp). */
void calib_html_put(FILE *fp, const char *s);

/*
 * Write t as an HTML <table> (its title as the caption, its footer lines
 * as a list after it), cells as the aligned table shows them; numbers
 * right-aligned. extra, when not NULL, adds an empty last column so
 * headed (the meeting's "decision"); the columns whose headings are
 * among skip[] (NULL-terminated, or NULL for none) are left out. Write
 * errors stay in ferror(fp).
 */
void calib_html_table(FILE *fp, const struct calib_table *t, const char *extra,
                      const char *const *skip);

/*
 * The command line of the appendix, as one would type it again: prog,
 * then argv[1..argc) separated by spaces, each argument with anything
 * but letters, digits and -_./=,:%+@ (or empty) in single quotes, a
 * quote inside as '\''. A new string the caller frees, or NULL when out
 * of memory.
 */
char *calib_html_command_line(const char *prog, int argc, char *const *argv);

/* One input file of the page's appendix. */
struct calib_html_input {
	const char *name; /* as given ("-": standard input) */
	bool summed;      /* the checksum below was taken (not for standard input) */
	uint32_t cksum;   /* POSIX cksum(1) CRC of the file (checksum.h) */
	uint64_t size;    /* its size in bytes */
};

/* One plot of the page: an SVG drawn by plots.h's builders, or why not. */
struct calib_html_plot {
	const char *caption; /* what it shows (escaped) */
	const char *svg;     /* the SVG document, or NULL: not drawn */
	size_t len;          /* its length in bytes */
	const char *note;    /* why it was not drawn (escaped), or NULL */
};

struct calib_html_page {
	const char *title;                     /* from the user (escaped) or NULL */
	const struct calib_store *store;       /* the session, without a key */
	const struct calib_report *report;     /* calib_report_run on store */
	const struct calib_disputes *disputes; /* calib_disputes_run on store */
	const struct calib_table *agenda;      /* calib_disputes_cells of disputes */
	const struct calib_raters *raters;     /* calib_raters_run (on rstore) */
	const struct calib_store *rstore;      /* the store raters refers to (with the key) */
	const char *reference;                 /* what raters compares with, in words */
	bool calibration;                      /* a key or expert: calibration scores */
	double min;                            /* --min, or NAN */
	const struct calib_html_input *inputs; /* the sheets, then the rubric and key */
	size_t n_inputs;
	const char *version; /* calib's version */
	const char *command; /* the command line, as typed */
	unsigned long seed;
	const struct calib_html_plot *plots; /* the page's plots, or NULL */
	size_t n_plots;
	/* calib-report --history: the sessions over time, or drift NULL (no such part) */
	const struct calib_drift *drift;        /* calib_drift_run on every session */
	const struct calib_drift_alert *alerts; /* calib_drift_alerts of its latest session */
	size_t n_alerts;
	double max_drop;                          /* --max-drop, or NAN */
	const struct calib_html_plot *drift_plot; /* the drift chart, or NULL */
};

/*
 * Write the whole page to fp. CALIB_OK, or CALIB_ENOMEM; write errors
 * stay in ferror(fp) for the caller's commit.
 */
enum calib_status calib_html_report(FILE *fp, const struct calib_html_page *p);

/*
 * The plain-language summary of the page, as HTML paragraphs (names
 * escaped), written to fp. What it says and how it chooses: calib-report(1),
 * "The summary". Write errors stay in ferror(fp).
 */
void calib_html_summary(FILE *fp, const struct calib_html_page *p);

#endif
