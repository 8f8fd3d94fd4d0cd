/*
 * reader.h - reading score sheets and rubric files into a store.
 *
 * Three input forms (SPEC "Input forms"), detected from the header or forced:
 *   sheet: call,rater,<criterion...>[,session]   one row per evaluation
 *   long:  call,rater,criterion,score[,session]  one row per rating
 *   per-rater: call,<criterion...>[,session]     rater = file base name
 * Delimiter comma, tab or semicolon (detected from the header line unless
 * given), UTF-8 BOM and CRLF accepted. Parsing is done by libcsv.
 *
 * Ownership: options are the caller's and only read. Everything read goes
 * into the caller's store; on error the store may hold part of the file and
 * should be freed.
 */
#ifndef CALIB_READER_H
#define CALIB_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "calib/error.h"
#include "calib/store.h"

enum calib_layout {
	CALIB_LAYOUT_AUTO = 0,
	CALIB_LAYOUT_SHEET,
	CALIB_LAYOUT_LONG,
	CALIB_LAYOUT_RATER
};

enum calib_dup_policy {
	CALIB_DUP_ERROR = 0, /* same (session, call, rater, criterion) twice: error */
	CALIB_DUP_FIRST,     /* keep the first */
	CALIB_DUP_LAST       /* keep the last */
};

struct calib_read_opts {
	enum calib_layout layout;
	char delimiter;            /* 0: detect */
	char decimal;              /* decimal separator: '.' or ','; 0: '.', and ','
	                              too in a number with one comma when the
	                              delimiter is ';' (European spreadsheets) */
	const char *missing;       /* comma-separated tokens meaning "not scored"; "" always is */
	const char *na;            /* comma-separated tokens meaning N/A; default "N/A,NA,n/a" */
	const char *call_col;      /* header names (compared by calib_column_same); NULL:
	                              the alias table of columns.h */
	const char *rater_col;
	const char *session_col;
	const char *criterion_col;
	const char *score_col;
	bool agent;                /* routine evaluations: the agent column (agent_col,
	                              or an alias of the agent role) is read as the
	                              session of each row, and is required */
	const char *agent_col;
	const char *criteria;      /* comma-separated criteria to take, no others; NULL: all */
	const char *ignore;        /* comma-separated columns or criteria never taken; NULL */
	const char *rater;         /* rater name for a per-rater file on stdin */
	const char *as_rater;      /* an answer key: every row is this rater's, in any
	                              form; a rater column is read and ignored, and a
	                              second score of a (session, call, criterion) is
	                              an error by the duplicates policy; NULL: none */
	const char *session;       /* session of the rows without one (no session column,
	                              or an empty cell), or NULL: "" */
	bool session_from_name;    /* a named input's rows without a session take its base
	                              name without extension (standard input: session) */
	enum calib_dup_policy duplicates;
	size_t max_field;          /* bytes, at most CALIB_MAX_CEILING (a larger value
	                              counts as it); 0: default CALIB_MAX_FIELD */
	size_t max_columns;        /* 0: default CALIB_MAX_COLUMNS */
	struct calib_errors *errors; /* when not NULL: the located errors of rows (a score,
	                              a name, a row's width) are appended here and reading
	                              goes on past them, until the list holds errors->max;
	                              every other error is appended too and ends the
	                              input. NULL: the first error ends the input */
	size_t max_line;           /* bytes of one row (a quoted field may span lines);
	                              at most CALIB_MAX_CEILING; 0: default CALIB_MAX_LINE */
	unsigned threads;          /* 1: everything on the caller's thread; else (0 too)
	                              a regular file of split_min bytes or more is read
	                              in two halves at once, a wide or per-rater sheet
	                              each half by a thread of its own, and another
	                              input of more than one block is split into rows
	                              on a thread of its own while the caller converts
	                              them (calib_parallel_together); the store and
	                              every error are the same as with 1 thread */
	size_t split_min;          /* 0: default CALIB_SPLIT_MIN; smaller in tests */
	bool *halved;              /* when not NULL: set to whether the input was read
	                              in two halves (for tests) */
};

#define CALIB_MAX_FIELD (1u << 20)   /* 1 MiB */
#define CALIB_MAX_COLUMNS 100000u
#define CALIB_MAX_LINE (1u << 24)    /* 16 MiB */
#define CALIB_MAX_CEILING (1ul << 30) /* the largest max_field and max_line: 1 GiB */
#define CALIB_SPLIT_MIN (1u << 20)   /* 1 MiB: files read in two halves (threads) */
/*
 * A file read in two halves is cut just past the first '\n' at or after
 * this offset of its size bytes: a little past the middle. The second half
 * starts only once the first half's first batch is converted (the header
 * settled), on a thread of its own; cut at the middle, it ended 0.02-0.18 s
 * after the first on the 1M-call sheet (10 runs), at 52% they end together.
 */
#define CALIB_SEAM_AT(size) ((size) / 2 + (size) / 50)

/* Defaults as documented above. Cannot fail. */
void calib_read_opts_init(struct calib_read_opts *o);

/*
 * Read one input. name is what messages show (and, for a per-rater file,
 * where the rater name comes from); fp is read to its end and not closed.
 * Returns CALIB_OK, or an error with file:line:column filled in err (the
 * first, when o->errors collects them).
 * Warnings about usable data (e.g. a call scored by one rater only) are
 * not errors; see calib_store_finish() and the reports.
 */
enum calib_status calib_read(struct calib_store *s, FILE *fp, const char *name,
			     const struct calib_read_opts *o, struct calib_error *err);

/*
 * The tool that unpacks data starting with head[0..n) when that is the
 * magic number of gzip ("zcat"), xz ("xzcat") or zstd ("zstdcat"), none
 * of which can start UTF-8 text; NULL for anything else. Cannot fail.
 */
const char *calib_read_compressed(const void *head, size_t n);

/*
 * The start of the message of calib_read and calib_read_rubric for an
 * input that is compressed: "compressed input: use zcat" (the tool of
 * calib_read_compressed), with no location. A program completes it with
 * the file and itself (" FILE | calib-agree").
 */
#define CALIB_READ_COMPRESSED "compressed input: use "

/*
 * Read a rubric file (criterion,scale,levels,min,max,weight) and declare
 * its criteria in s. Must run before the sheets are read.
 */
enum calib_status calib_read_rubric(struct calib_store *s, FILE *fp, const char *name,
				    const struct calib_read_opts *o,
				    struct calib_error *err);

#endif
