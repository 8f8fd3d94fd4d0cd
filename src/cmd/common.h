/*
 * common.h - what every calib program shares: the common reading options,
 * loading the inputs into a finished store, error and usage messages,
 * strict numeric option values, atomic output files and a checked stdout.
 *
 * A program uses it with getopt_long like this:
 *
 *	static const struct option longopts[] = {
 *		CALIB_CLI_READ_LONGOPTS,
 *		{"check", no_argument, NULL, 'c'},
 *		{"help", no_argument, NULL, 'h'},
 *		{"version", no_argument, NULL, 'V'},
 *		{NULL, 0, NULL, 0}
 *	};
 *	struct calib_cli cli;
 *	calib_cli_init(&cli, "calib-x", usage);
 *	opterr = 0;
 *	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "chV",
 *				longopts, NULL)) != -1) {
 *		switch (calib_cli_read_opt(&cli, c, optarg)) {
 *		case 1: continue;           (a common option, handled)
 *		case -1: return 2;          (bad value, usage printed)
 *		}
 *		switch (c) {
 *		... program's own options ...
 *		default: return calib_cli_bad_option(&cli, c, argv);
 *		}
 *	}
 *	if (calib_cli_load(&cli, argv + optind, argc - optind, &store))
 *		return 1;                   (message printed)
 *	... write to stdout or through calib_cli_out ...
 *	return calib_cli_close_stdout(&cli);
 *
 * Ownership: struct calib_cli lives in main() and borrows the option
 * strings from argv; the store returned by calib_cli_load is the caller's
 * (calib_store_free). Every function that prints writes to stderr only.
 */
#ifndef CALIB_CMD_COMMON_H
#define CALIB_CMD_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "calib/coef.h"
#include "calib/error.h"
#include "calib/matrix.h"
#include "calib/outfile.h"
#include "calib/plot.h"
#include "calib/raters.h"
#include "calib/reader.h"
#include "calib/sessions.h"
#include "calib/store.h"
#include "calib/table.h"

/* Long-only common options get codes above any character. */
enum {
	CALIB_OPT_LAYOUT = 0x100,
	CALIB_OPT_MISSING,
	CALIB_OPT_NA,
	CALIB_OPT_CALL_COL,
	CALIB_OPT_RATER_COL,
	CALIB_OPT_SESSION_COL,
	CALIB_OPT_CRITERION_COL,
	CALIB_OPT_SCORE_COL,
	CALIB_OPT_RATER,
	CALIB_OPT_SESSION,
	CALIB_OPT_DUPLICATES,
	CALIB_OPT_MAX_FIELD,
	CALIB_OPT_MAX_COLUMNS,
	CALIB_OPT_MAX_LINE,
	CALIB_OPT_DECIMAL,
	CALIB_OPT_CRITERIA,
	CALIB_OPT_IGNORE,
	CALIB_OPT_MAX_ERRORS,
	CALIB_OPT_WIDE,
	CALIB_OPT_NA_TOKEN,
	CALIB_OPT_FIRST_PROGRAM /* programs number their long-only options from here */
};

/* Short options of the common reading options, for getopt's optstring. */
#define CALIB_CLI_READ_SHORTOPTS "d:r:"

/* clang-format off */
/* The common reading options' entries of a getopt_long table. */
#define CALIB_CLI_READ_LONGOPTS                                                   \
	{"delimiter", required_argument, NULL, 'd'},                              \
	{"rubric", required_argument, NULL, 'r'},                                 \
	{"layout", required_argument, NULL, CALIB_OPT_LAYOUT},                    \
	{"missing", required_argument, NULL, CALIB_OPT_MISSING},                  \
	{"na", required_argument, NULL, CALIB_OPT_NA},                            \
	{"call-col", required_argument, NULL, CALIB_OPT_CALL_COL},                \
	{"rater-col", required_argument, NULL, CALIB_OPT_RATER_COL},              \
	{"session-col", required_argument, NULL, CALIB_OPT_SESSION_COL},          \
	{"criterion-col", required_argument, NULL, CALIB_OPT_CRITERION_COL},      \
	{"score-col", required_argument, NULL, CALIB_OPT_SCORE_COL},              \
	{"rater", required_argument, NULL, CALIB_OPT_RATER},                      \
	{"session", required_argument, NULL, CALIB_OPT_SESSION},                  \
	{"duplicates", required_argument, NULL, CALIB_OPT_DUPLICATES},            \
	{"max-field", required_argument, NULL, CALIB_OPT_MAX_FIELD},              \
	{"max-columns", required_argument, NULL, CALIB_OPT_MAX_COLUMNS},          \
	{"max-line", required_argument, NULL, CALIB_OPT_MAX_LINE},                \
	{"decimal", required_argument, NULL, CALIB_OPT_DECIMAL},                  \
	{"criteria", required_argument, NULL, CALIB_OPT_CRITERIA},                \
	{"ignore", required_argument, NULL, CALIB_OPT_IGNORE},                    \
	{"max-errors", required_argument, NULL, CALIB_OPT_MAX_ERRORS}

/* Help text of the common reading options, for --help and the man pages. */
#define CALIB_CLI_READ_HELP                                                                    \
	"  -d, --delimiter C       field delimiter: ',', ';', '|' or 'tab' (default: from\n"  \
	"                          the header: the most frequent of ',', ';' and tab)\n"     \
	"      --decimal C         decimal separator: '.' or ',' (default '.', and ',' in\n"       \
	"                            a number with one comma when the delimiter is ';')\n"     \
	"  -r, --rubric FILE       rubric: criterion,scale,levels,min,max,weight\n"               \
	"      --layout L          sheet, long or rater (default: from the header)\n"             \
	"      --missing TOKENS    comma-separated scores meaning \"not scored\" (and empty)\n"     \
	"      --na TOKENS         scores meaning \"not applicable\" (default N/A,NA,n/a)\n"        \
	"      --call-col NAME     column of the call (default: call or an alias of\n"          \
	"                          calib(7)); likewise --rater-col NAME,\n"                     \
	"                          --session-col NAME, --criterion-col NAME, --score-col NAME\n" \
	"      --criteria LIST     comma-separated criteria to take, no others\n"                 \
	"      --ignore LIST       comma-separated columns or criteria never to take\n"          \
	"      --rater NAME        rater of a per-rater sheet read from standard input\n"         \
	"      --session LABEL     session of every rating without a session column\n"            \
	"      --duplicates P      error, first or last (default error)\n"                        \
	"      --max-field BYTES   longest field (default 1048576); likewise\n"                  \
	"      --max-columns N       most columns (100000), --max-line BYTES (16777216)\n"   \
	"      --max-errors N      report up to N errors of the inputs (default 20)\n"
/* clang-format on */

struct calib_cli {
	const char *prog;  /* "calib-sheet": the prefix of every message */
	const char *usage; /* the usage lines, printed after a usage error */
	struct calib_read_opts read;
	const char *rubric; /* -r FILE, or NULL */
	size_t max_errors;  /* --max-errors: located input errors shown before giving up */
	bool wide;          /* --wide: a table's rows each on one line, whatever the width */
	const char *na_token; /* --na-token: not available in CSV and TSV ("NA") */
};

/* Set defaults. prog and usage must outlive cli. Cannot fail. */
void calib_cli_init(struct calib_cli *cli, const char *prog, const char *usage);

/*
 * Handle getopt_long's result c with argument arg when it is a common
 * reading option (or --wide or --na-token of the output options): 1 handled, 0 not a common option (the caller's turn),
 * -1 bad value (message and usage printed to stderr: exit 2). getopt's own
 * '?' is not handled here.
 */
int calib_cli_read_opt(struct calib_cli *cli, int c, const char *arg);

/*
 * Read the rubric (when given) and every input (files[0..n); none or "-"
 * means standard input) into a new store and finish it. On success *out
 * is the store (the caller frees it) and 0 is returned; on failure the
 * message is printed ("prog: file:line:col: msg") and 1 returned, with
 * *out NULL. An input without any rating at all is an error.
 */
int calib_cli_load(const struct calib_cli *cli, char *const *files, size_t n,
                   struct calib_store **out);

/*
 * calib_cli_load, then the answer key at key (a sheet in any input form,
 * "-" standard input) read into the same store as one more rater: every
 * row is the key's whatever a rater column says, and a second score of a
 * (session, call, criterion) is a located error; a key without a session
 * column, read once per session of the inputs, answers for its calls in
 * every one. The key's rater name is
 * "key" ("key-2", ... when an input has a rater so named); its id goes
 * to *key_rater. A key without any score is an error. key "consensus"
 * makes the key of the raters' consensus instead
 * (calib_raters_consensus_key), the number of scores a tie decided in
 * *n_tied (may be NULL; 0 for a file).
 */
int calib_cli_load_key(const struct calib_cli *cli, char *const *files, size_t n,
                       const char *key, struct calib_store **out, uint32_t *key_rater,
                       size_t *n_tied);

/*
 * The name the answer key goes by among the raters of s, into buf (n
 * bytes, 16 or more): "key", or "key-2", "key-3", ... when a rater of
 * the inputs is so named already. Cannot fail.
 */
void calib_cli_key_name(const struct calib_store *s, char *buf, size_t n);

/*
 * calib_cli_load of one input open already: fp, named name ("-": standard
 * input), read from where it stands and left open (the caller closes it).
 */
int calib_cli_load_stream(const struct calib_cli *cli, FILE *fp, const char *name,
                          struct calib_store **out);

/*
 * All that is left of fp, read into a new buffer (the caller frees it)
 * of *len bytes, so that an input that cannot be read twice (standard
 * input, a FIFO) can be looked at before it is parsed. NULL on a read
 * error (errno says which) or when out of memory (errno may be 0).
 */
char *calib_cli_read_all(FILE *fp, size_t *len);

/*
 * Say which columns of the inputs were left out of the scores (columns.h):
 * a footer line of t when t is not NULL (a table for people), else a note
 * "prog: left out: ..." on stderr. Nothing when none was. CALIB_OK or
 * CALIB_ENOMEM.
 */
enum calib_status calib_cli_left_out(const struct calib_cli *cli, const struct calib_store *s,
                                     struct calib_table *t);

/* Print "prog: file:line:col: msg" for e. Cannot fail. */
void calib_cli_error(const struct calib_cli *cli, const struct calib_error *e);

/*
 * Print the error e of reading path ("-": standard input) as
 * calib_cli_error does; a compressed input gets the command that reads
 * it ("prog: f.csv.gz: compressed input: use zcat f.csv.gz | prog", for
 * the rubric "... >rubric.csv, then -r rubric.csv"). Cannot fail.
 */
void calib_cli_read_error(const struct calib_cli *cli, const struct calib_error *e,
                          const char *path, bool rubric);

/*
 * Report the failure of a library call that filled e, as calib_cli_error
 * does ("prog: file:line:col: msg", the location kept), or "prog: out of
 * memory" when e is NULL or holds no message (a failed allocation sets
 * none). Returns 1, the exit status. Cannot fail.
 */
int calib_cli_fail(const struct calib_cli *cli, const struct calib_error *e);

/* Print "prog: msg" (printf-style) to stderr. Cannot fail. */
void calib_cli_errorf(const struct calib_cli *cli, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Print "prog: msg" and the usage to stderr; returns 2 (the exit status). */
int calib_cli_usage_error(const struct calib_cli *cli, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/*
 * Report getopt_long's '?' (unknown option) or ':' (missing value) as a
 * usage error naming the option; returns 2. Programs set opterr = 0 and
 * start their optstring with ':' so that getopt prints nothing itself (it
 * would name argv[0], not the program).
 */
int calib_cli_bad_option(const struct calib_cli *cli, int c, char *const *argv);

/* Print "PROG (calib) VERSION" to stdout; returns the exit status of that. */
int calib_cli_version(const struct calib_cli *cli);

/*
 * Strict numeric option values: the whole of arg must be a finite decimal
 * number within [lo, hi] (an integer for _size). On failure a message
 * naming opt ("--min") and the usage are printed and -1 is returned (exit
 * 2); 0 on success.
 */
int calib_cli_double(const struct calib_cli *cli, const char *opt, const char *arg, double lo,
                     double hi, double *v);
int calib_cli_size(const struct calib_cli *cli, const char *opt, const char *arg, size_t lo,
                   size_t hi, size_t *v);

/* -s/--seed: a bootstrap seed, 0 to 4294967295, into *seed; 0, or -1 as calib_cli_size. */
int calib_cli_seed(const struct calib_cli *cli, const char *arg, unsigned long *seed);

/*
 * An output written all or nothing (calib/outfile.h): for a regular file
 * (or none yet), a temporary file beside the file a symbolic link names,
 * fsync'ed and renamed over it by calib_cli_out_commit; a device, FIFO or
 * terminal written directly; for NULL or "-", standard output (committed
 * by calib_cli_close_stdout at the end).
 */
struct calib_cli_out {
	FILE *fp;
	struct calib_outfile of;
};

/* Open out for path; 0, or 1 with the message printed. */
int calib_cli_out_open(const struct calib_cli *cli, struct calib_cli_out *out,
                       const char *path);
/* Flush, close and rename into place; 0, or 1 with the message printed (nothing left). */
int calib_cli_out_commit(const struct calib_cli *cli, struct calib_cli_out *out);
/* Give up: close and remove the temporary file. Harmless on stdout. */
void calib_cli_out_abort(struct calib_cli_out *out);

/*
 * Flush and close standard output at the end of main. Returns 0, or 1
 * with a message when a write failed; a closed pipe (EPIPE) ends quietly
 * with 0 (calib_cli_init ignores SIGPIPE, so that such a write fails and
 * the program goes on to here). Call it as `return status ? status : calib_cli_close_stdout(cli)`.
 */
int calib_cli_close_stdout(const struct calib_cli *cli);

/*
 * Is standard output a pipe or socket that nobody reads any more? Then a
 * failed write to it is a closed pipe (| head), not an error. Cannot fail.
 */
bool calib_cli_stdout_closed(void);

/* The output options every program that prints a table shares. */
#define CALIB_CLI_OUTPUT_LONGOPTS                                 \
	{"format", required_argument, NULL, 'f'},                 \
	{"output", required_argument, NULL, 'o'},                 \
	{"wide", no_argument, NULL, CALIB_OPT_WIDE},                \
	{"na-token", required_argument, NULL, CALIB_OPT_NA_TOKEN}

/* Help text of the output options. */
#define CALIB_CLI_OUTPUT_HELP                                                                 \
	"  -f, --format F          table, csv, tsv or json (default: table on a terminal,\n"   \
	"                          csv otherwise; page a table with -f table | less -S)\n"     \
	"  -o, --output FILE       write to FILE (all or nothing), not standard output\n"      \
	"      --wide              a table's rows on one line each, however wide (else a\n"    \
	"                          table fits $COLUMNS or the terminal)\n"                     \
	"      --na-token TOKEN    not-available values in CSV and TSV (default NA)\n"

/*
 * Whether an output path (NULL or "-": standard output) is a terminal, so
 * that a binary plot is refused rather than written to a screen. A named
 * character device is opened (without becoming the controlling terminal)
 * to ask. Cannot fail: false when it cannot tell.
 */
bool calib_cli_is_terminal(const char *path);

/* Table when standard output is a terminal, CSV otherwise (SPEC). Cannot fail. */
enum calib_format calib_cli_default_format(void);

/*
 * The width an aligned table written to fp must fit (0: no limit): none
 * with --wide; else $COLUMNS when it is a positive number, so that
 * "COLUMNS=80 calib-agree -f table | less" fits too; else the width of
 * the terminal fp writes to (TIOCGWINSZ; 80 when it does not say); else
 * (a file or pipe) no limit. Cannot fail.
 */
size_t calib_cli_table_width(const struct calib_cli *cli, FILE *fp);

/*
 * Option values shared by several programs: -f/--format, --na-policy
 * (auto, category, drop), --icc-convention (psych, irr). 0, or -1 with a
 * usage error printed (exit 2).
 */
int calib_cli_format(const struct calib_cli *cli, const char *arg, enum calib_format *f);
/*
 * -t/--terminal of calib-plot and of calib-drift's and calib-audit's
 * charts: png, svg, pdf or dumb.
 */
int calib_cli_terminal(const struct calib_cli *cli, const char *arg,
                       enum calib_plot_terminal *term);
/*
 * --chart FILE of calib-drift and calib-audit (file NULL: none): without
 * --terminal (have_term false) the terminal from the file's extension
 * into *term; a binary chart is not written to a terminal unless script.
 * 0, or 2 with a usage error printed.
 */
int calib_cli_chart_file(const struct calib_cli *cli, const char *file, bool script,
                         bool have_term, enum calib_plot_terminal *term);
/* --consensus (mean, median) of calib-raters, calib-disputes and calib-plot. */
int calib_cli_consensus(const struct calib_cli *cli, const char *arg, enum calib_consensus *c);
int calib_cli_na_policy(const struct calib_cli *cli, const char *arg, enum calib_na_policy *p);
/* --tolerance X or X% of calib-raters and calib-drift --by rater, into o. */
int calib_cli_tolerance(const struct calib_cli *cli, const char *arg,
                        struct calib_raters_opts *o);
int calib_cli_icc_convention(const struct calib_cli *cli, const char *arg,
			     enum calib_icc_convention *c);

/*
 * --alert-on: "interval" (an alert fires on what the whole interval shows)
 * or "estimate" (on the estimate alone). 0, or -1 with a usage error.
 */
int calib_cli_alert_on(const struct calib_cli *cli, const char *arg, bool *on_estimate);

/*
 * The interval of an alert's coefficient as text in buf ("(95% CI 0.101
 * to 0.380)", or "(no CI...)"); returns buf. Cannot fail.
 */
const char *calib_cli_interval_text(char *buf, size_t n, double lower, double upper, double conf,
				    bool on_estimate);

/*
 * Write t in format f to path (NULL or "-": standard output), all or
 * nothing. group_first as in calib_table_write. 0, or 1 with the message
 * printed and no file left behind.
 */
int calib_cli_write_table(const struct calib_cli *cli, const char *path,
			  const struct calib_table *t, enum calib_format f, bool group_first);

/*
 * Sessions over time, as calib-drift and calib-report --history read
 * them (sessions.h): --session-from (name, column) and --order (given,
 * date, name), 0 or -1 with a usage error printed; --date-format, 0 or
 * -1 likewise.
 */
int calib_cli_session_from(const struct calib_cli *cli, const char *arg,
                           enum calib_session_from *from);
int calib_cli_session_order(const struct calib_cli *cli, const char *arg,
                            enum calib_session_order *order);
int calib_cli_date_format(const struct calib_cli *cli, const char *arg);

/*
 * Load files[0..n) with sessions as from says (calib_cli_load, or
 * calib_cli_load_key with key unless key is NULL or "consensus"), check
 * them (calib_sessions_check) and put them in order (calib_sessions_arrange
 * with order and date_format; the footer's words in *how). A note on the
 * order goes to stderr. 0 with the store in *out, or 1 (printed) with *out
 * NULL.
 */
int calib_cli_load_sessions(struct calib_cli *cli, enum calib_session_from from,
                            enum calib_session_order order, const char *date_format,
                            char *const *files, size_t n, const char *key, uint32_t *key_rater,
                            const char **how, struct calib_store **out);

#endif
