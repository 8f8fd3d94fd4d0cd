/*
 * common.c - the command-line pieces every calib program shares (see
 * common.h): common reading options, loading inputs, messages, strict
 * numeric option values, all-or-nothing output files, checked stdout.
 */
#include "common.h"

#include "calib/dates.h"
#include "calib/memory.h"

#include "calib/columns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROGRESS_BYTES (64LL << 20) /* inputs this big say that they are being read */

void
calib_cli_init(struct calib_cli *cli, const char *prog, const char *usage)
{
	memset(cli, 0, sizeof *cli);
	cli->prog = prog;
	cli->usage = usage;
	cli->max_errors = 20;
	cli->na_token = "NA";
	calib_read_opts_init(&cli->read);
	/*
	 * A closed pipe (| head) makes a write fail with EPIPE rather than
	 * kill the program with SIGPIPE (status 141, which fails `set -o
	 * pipefail` scripts): calib_cli_close_stdout ends quietly with 0, and
	 * the status a program decided (3 for a crossed threshold) stands.
	 * gnuplot starts with SIGPIPE's default action (plot.c).
	 */
	signal(SIGPIPE, SIG_IGN);
}

void
calib_cli_errorf(const struct calib_cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
calib_cli_error(const struct calib_cli *cli, const struct calib_error *e)
{
	char buf[1200];

	calib_error_format(e, buf, sizeof buf);
	fprintf(stderr, "%s: %s\n", cli->prog, buf);
}

int
calib_cli_fail(const struct calib_cli *cli, const struct calib_error *e)
{
	if (e && e->msg[0])
		calib_cli_error(cli, e);
	else
		calib_cli_errorf(cli, "out of memory");
	return 1;
}

enum calib_status
calib_cli_left_out(const struct calib_cli *cli, const struct calib_store *s,
                   struct calib_table *t)
{
	char buf[1024];

	if (!calib_columns_left_out(s->columns, buf, sizeof buf))
		return CALIB_OK;
	if (t)
		return calib_table_footer(t, "left out: %s", buf);
	fprintf(stderr, "%s: left out: %s\n", cli->prog, buf);
	return CALIB_OK;
}

int
calib_cli_usage_error(const struct calib_cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", cli->usage);
	return 2;
}

int
calib_cli_bad_option(const struct calib_cli *cli, int c, char *const *argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (c == ':')
		return calib_cli_usage_error(cli, "option %s needs a value", arg);
	if (strncmp(arg, "--", 2) == 0) {
		/* getopt_long sets optopt to a known long option given a value */
		if (optopt)
			return calib_cli_usage_error(cli, "option %.*s takes no value",
			                             (int)strcspn(arg, "="), arg);
		return calib_cli_usage_error(cli, "unknown option %s", arg);
	}
	return calib_cli_usage_error(cli, "unknown option -%c", optopt);
}

int
calib_cli_version(const struct calib_cli *cli)
{
	printf("%s (calib) %s\n", cli->prog, CALIB_VERSION);
	return calib_cli_close_stdout(cli);
}

int
calib_cli_double(const struct calib_cli *cli, const char *opt, const char *arg, double lo,
                 double hi, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(arg, &end);
	if (end == arg || *end != '\0' || errno == ERANGE || !isfinite(*v) ||
	    strpbrk(arg, "xXnN") != NULL) {
		calib_cli_usage_error(cli, "option %s: '%s' is not a number", opt, arg);
		return -1;
	}
	if (*v < lo || *v > hi) {
		calib_cli_usage_error(cli, "option %s: %s is outside %g to %g", opt, arg, lo,
		                      hi);
		return -1;
	}
	return 0;
}

int
calib_cli_seed(const struct calib_cli *cli, const char *arg, unsigned long *seed)
{
	size_t v;

	if (calib_cli_size(cli, "--seed", arg, 0, 4294967295u, &v))
		return -1;
	*seed = (unsigned long)v;
	return 0;
}

int
calib_cli_size(const struct calib_cli *cli, const char *opt, const char *arg, size_t lo,
               size_t hi, size_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(arg, &end, 10);
	if (end == arg || *end != '\0' || arg[0] == '-' || arg[0] == '+' || arg[0] == ' ') {
		calib_cli_usage_error(cli, "option %s: '%s' is not a whole number", opt, arg);
		return -1;
	}
	if (errno == ERANGE || x > SIZE_MAX || (size_t)x < lo || (size_t)x > hi) {
		calib_cli_usage_error(cli, "option %s: %s is outside %zu to %zu", opt, arg, lo,
		                      hi);
		return -1;
	}
	*v = (size_t)x;
	return 0;
}

int
calib_cli_read_opt(struct calib_cli *cli, int c, const char *arg)
{
	struct calib_read_opts *o = &cli->read;

	switch (c) {
	case 'd':
		/* only these: any other byte is likelier a mistake than a format */
		if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
			o->delimiter = '\t';
		else if (strcmp(arg, ",") == 0 || strcmp(arg, ";") == 0 || strcmp(arg, "|") == 0)
			o->delimiter = arg[0];
		else {
			calib_cli_usage_error(
			        cli, "option --delimiter: '%s' is not ',', ';', '|' or 'tab'", arg);
			return -1;
		}
		return 1;
	case CALIB_OPT_DECIMAL:
		if (strcmp(arg, ".") != 0 && strcmp(arg, ",") != 0) {
			calib_cli_usage_error(cli, "option --decimal: '%s' is not '.' or ','", arg);
			return -1;
		}
		o->decimal = arg[0];
		return 1;
	case 'r':
		cli->rubric = arg;
		return 1;
	case CALIB_OPT_WIDE:
		cli->wide = true;
		return 1;
	case CALIB_OPT_NA_TOKEN:
		/* one line, one field: a tool that reads the output must see one value */
		if (strpbrk(arg, "\n\r\t")) {
			calib_cli_usage_error(cli, "option --na-token: a token holds no tab or line break");
			return -1;
		}
		cli->na_token = arg;
		return 1;
	case CALIB_OPT_LAYOUT:
		if (strcmp(arg, "sheet") == 0)
			o->layout = CALIB_LAYOUT_SHEET;
		else if (strcmp(arg, "long") == 0)
			o->layout = CALIB_LAYOUT_LONG;
		else if (strcmp(arg, "rater") == 0)
			o->layout = CALIB_LAYOUT_RATER;
		else {
			calib_cli_usage_error(
			        cli, "option --layout: '%s' is not sheet, long or rater", arg);
			return -1;
		}
		return 1;
	case CALIB_OPT_MISSING:
		o->missing = arg;
		return 1;
	case CALIB_OPT_NA:
		o->na = arg;
		return 1;
	case CALIB_OPT_CALL_COL:
		o->call_col = arg;
		return 1;
	case CALIB_OPT_RATER_COL:
		o->rater_col = arg;
		return 1;
	case CALIB_OPT_SESSION_COL:
		o->session_col = arg;
		return 1;
	case CALIB_OPT_CRITERION_COL:
		o->criterion_col = arg;
		return 1;
	case CALIB_OPT_SCORE_COL:
		o->score_col = arg;
		return 1;
	case CALIB_OPT_MAX_ERRORS:
		return calib_cli_size(cli, "--max-errors", arg, 1, 100000, &cli->max_errors) ? -1 : 1;
	case CALIB_OPT_CRITERIA:
		o->criteria = arg;
		return 1;
	case CALIB_OPT_IGNORE:
		o->ignore = arg;
		return 1;
	case CALIB_OPT_RATER:
		o->rater = arg;
		return 1;
	case CALIB_OPT_SESSION:
		o->session = arg;
		return 1;
	case CALIB_OPT_DUPLICATES:
		if (strcmp(arg, "error") == 0)
			o->duplicates = CALIB_DUP_ERROR;
		else if (strcmp(arg, "first") == 0)
			o->duplicates = CALIB_DUP_FIRST;
		else if (strcmp(arg, "last") == 0)
			o->duplicates = CALIB_DUP_LAST;
		else {
			calib_cli_usage_error(
			        cli, "option --duplicates: '%s' is not error, first or last",
			        arg);
			return -1;
		}
		return 1;
	case CALIB_OPT_MAX_FIELD:
		return calib_cli_size(cli, "--max-field", arg, 1, CALIB_MAX_CEILING, &o->max_field) ? -1 : 1;
	case CALIB_OPT_MAX_COLUMNS:
		return calib_cli_size(cli, "--max-columns", arg, 1, SIZE_MAX, &o->max_columns) ? -1
		                                                                               : 1;
	case CALIB_OPT_MAX_LINE:
		return calib_cli_size(cli, "--max-line", arg, 1, CALIB_MAX_CEILING, &o->max_line) ? -1 : 1;
	default:
		return 0;
	}
}

/*
 * A compressed input's error (calib_read's CALIB_READ_COMPRESSED) made to
 * name the command that reads it instead, with the name as messages show
 * names; any other error is left as it is.
 */
static void
compressed_hint(const struct calib_cli *cli, struct calib_error *e, const char *path, bool rubric)
{
	size_t n = strlen(CALIB_READ_COMPRESSED);
	char msg[sizeof e->msg], *tmp = NULL;
	const char *shown;
	int w;

	if (strncmp(e->msg, CALIB_READ_COMPRESSED, n) != 0 || e->line != 0)
		return;
	shown = strcmp(path, "-") == 0 ? "FILE" : calib_escaped(path, &tmp);
	if (!shown)
		return;
	if (rubric)
		w = snprintf(msg, sizeof msg, "%s %s >rubric.csv, then -r rubric.csv", e->msg, shown);
	else
		w = snprintf(msg, sizeof msg, "%s %s | %s", e->msg, shown, cli->prog);
	if (w > 0)
		memcpy(e->msg, msg, sizeof msg);
	free(tmp);
}

void
calib_cli_read_error(const struct calib_cli *cli, const struct calib_error *e, const char *path,
                     bool rubric)
{
	struct calib_error shown = *e;

	compressed_hint(cli, &shown, path, rubric);
	calib_cli_error(cli, &shown);
}

/*
 * Read one named input ("-" = stdin) with reader (calib_read or
 * calib_read_rubric), its located errors collected in errs; from `given`
 * when not NULL (an input open already, left open). 0 ok, 1 errors in errs
 * (the next input may be read), 2 an error printed now (stop).
 */
static int
load_one(const struct calib_cli *cli, struct calib_store *s, const char *path,
         enum calib_status (*reader)(struct calib_store *, FILE *, const char *,
                                     const struct calib_read_opts *, struct calib_error *),
         struct calib_errors *errs, FILE *given)
{
	struct calib_read_opts o = cli->read;
	struct calib_error err;
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *fp = given ? given : is_stdin ? stdin : fopen(path, "rb");
	enum calib_status st;
	struct stat sb;
	size_t before = errs->n;
	int shown = 0;

	if (!fp) {
		/* in its place among the errors of the inputs read before */
		calib_error_set(&err, CALIB_EIO, NULL, 0, 0, "%s: %s", path, strerror(errno));
		if (calib_errors_add(errs, &err) != CALIB_OK)
			calib_cli_error(cli, &err);
		return 2;
	}
	/* progress for big inputs, only where someone watches */
	if (!is_stdin && isatty(STDERR_FILENO) && fstat(fileno(fp), &sb) == 0 &&
	    S_ISREG(sb.st_mode) && sb.st_size >= PROGRESS_BYTES) {
		shown = fprintf(stderr, "%s: reading %s (%lld MB)...", cli->prog, path,
		                (long long)(sb.st_size >> 20));
		fflush(stderr);
	}
	o.errors = errs;
	st = reader(s, fp, is_stdin ? "<stdin>" : path, &o, &err);
	if (shown > 0)
		fprintf(stderr, "\r%*s\r", shown, "");
	if (!is_stdin && !given)
		fclose(fp);
	if (st == CALIB_OK)
		return 0;
	for (size_t i = before; i < errs->n; i++)
		compressed_hint(cli, &errs->v[i], path, reader == calib_read_rubric);
	compressed_hint(cli, &err, path, reader == calib_read_rubric);
	if (errs->n > before && st != CALIB_ENOMEM && !calib_errors_full(errs))
		return 1;
	if (errs->n == before && calib_errors_add(errs, &err) != CALIB_OK)
		calib_cli_error(cli, &err);
	return 2;
}

/* Print the errors collected, then how many when more than one. */
static void
print_errors(const struct calib_cli *cli, const struct calib_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		calib_cli_error(cli, &errs->v[i]);
	if (errs->n > 1 && calib_errors_full(errs))
		calib_cli_errorf(cli, "%zu errors (stopped at --max-errors %zu)", errs->n, errs->max);
	else if (errs->n > 1)
		calib_cli_errorf(cli, "%zu errors", errs->n);
}

/* A name from the input as a warning prints it (calib_escaped); "?" when memory is short. */
static const char *
named(const char *s, char **tmp)
{
	const char *v = calib_escaped(s, tmp);
	return v ? v : "?";
}

/*
 * Does each name of the comma-separated list of `option` (--criteria or
 * --ignore) name something of the inputs: a criterion of s (--criteria),
 * a column or a long sheet's criterion it left out (--ignore)? A --criteria
 * name that does not is an error (a misspelt name would leave its
 * criterion out without a word), an --ignore name a warning; each names
 * the columns near it. 0, or 1 (an error printed).
 */
static int
check_listed(const struct calib_cli *cli, const struct calib_store *s, const char *option)
{
	bool ignore = strcmp(option, "--ignore") == 0;
	const char *p = ignore ? cli->read.ignore : cli->read.criteria, *e;
	const struct calib_columns *c = s->columns;
	int bad = 0;

	for (; p && *p; p = *e ? e + 1 : e) {
		char item[256], near[400] = "", *t[2] = {NULL, NULL};
		size_t len, i, o = 0;
		bool found = false;
		e = strchr(p, ',');
		e = e ? e : p + strlen(p);
		len = (size_t)(e - p);
		if (strspn(p, " \t_-") >= len)
			continue;
		for (i = 0; !ignore && i < s->n_criteria && !found; i++)
			found = calib_column_same(p, len, s->criteria[i].name, strlen(s->criteria[i].name));
		for (i = 0; ignore && c && i < c->n && !found; i++)
			found = calib_column_same(p, len, c->v[i].name, strlen(c->v[i].name));
		if (found)
			continue;
		snprintf(item, sizeof item, "%.*s", (int)(len < 255 ? len : 255), p);
		for (i = 0; c && i < c->n && o + 100 < sizeof near; i++) {
			const char *n = c->v[i].name;
			size_t k = 0;
			while (k < i && !calib_column_same(n, strlen(n), c->v[k].name, strlen(c->v[k].name)))
				k++;
			if (k == i && calib_column_near(item, n))
				o += (size_t)snprintf(near + o, sizeof near - o, "%s\"%s\"",
				                      o ? ", " : "; near: ", named(n, &t[1]));
			free(t[1]);
			t[1] = NULL;
		}
		calib_cli_errorf(cli, "%s%s: no %s \"%s\" in the inputs%s", ignore ? "warning: " : "",
		                 option, ignore ? "column or criterion" : "criterion",
		                 named(item, &t[0]), near);
		free(t[0]);
		bad |= !ignore;
	}
	return bad;
}

/* The first file whose header has criterion crit as a column, or NULL. */
static const struct calib_column *
first_column(const struct calib_columns *c, uint32_t crit)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].use == CALIB_USE_CRITERION && c->v[i].criterion == crit)
			return &c->v[i];
	return NULL;
}

/* Do criteria a and b stand together in the header of one file? */
static bool
together(const struct calib_columns *c, uint32_t a, uint32_t b)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].use == CALIB_USE_CRITERION && c->v[i].criterion == a)
			for (size_t k = 0; k < c->n; k++)
				if (c->v[k].file == c->v[i].file && c->v[k].use == CALIB_USE_CRITERION &&
				    c->v[k].criterion == b)
					return true;
	return false;
}

/*
 * Warn of near misses among the names of criteria (calib_column_near): two
 * criteria of columns that no header holds together ("Verified ID" in one
 * rater's file, "Verified identity" in another's), and a column left out
 * as not in the rubric that is near a criterion of the rubric. Up to 1000
 * criteria are compared, pair by pair.
 */
static void
warn_near_misses(const struct calib_cli *cli, const struct calib_store *s)
{
	const struct calib_columns *c = s->columns;
	size_t a, b;

	if (!c || s->n_criteria > 1000)
		return;
	for (a = 0; a < s->n_criteria; a++) {
		const struct calib_column *ca = first_column(c, (uint32_t)a);
		for (b = a + 1; ca && b < s->n_criteria; b++) {
			const struct calib_column *cb = first_column(c, (uint32_t)b);
			if (!cb || !calib_column_near(ca->name, cb->name) ||
			    together(c, (uint32_t)a, (uint32_t)b))
				continue;
			char *t[4];
			calib_cli_errorf(cli,
			                 "warning: criteria \"%s\" (%s) and \"%s\" (%s) differ only "
			                 "slightly: rename one if they are the same",
			                 named(ca->name, &t[0]), named(s->files[ca->file], &t[1]),
			                 named(cb->name, &t[2]), named(s->files[cb->file], &t[3]));
			for (size_t k = 0; k < 4; k++)
				free(t[k]);
		}
	}
	for (a = 0; a < c->n; a++) {
		if (c->v[a].use != CALIB_USE_NOT_IN_RUBRIC)
			continue;
		for (b = 0; b < s->n_criteria; b++)
			if (s->criteria[b].declared &&
			    calib_column_near(c->v[a].name, s->criteria[b].name)) {
				char *t[3];
				calib_cli_errorf(cli,
				                 "warning: column \"%s\" of %s is not in the rubric, "
				                 "but near its criterion \"%s\"",
				                 named(c->v[a].name, &t[0]),
				                 named(s->files[c->v[a].file], &t[1]),
				                 named(s->criteria[b].name, &t[2]));
				for (size_t k = 0; k < 3; k++)
					free(t[k]);
			}
	}
}

void
calib_cli_key_name(const struct calib_store *s, char *buf, size_t n)
{
	snprintf(buf, n, "key");
	for (unsigned k = 2; calib_names_find(s->raters, buf, strlen(buf)) != CALIB_NONE; k++)
		snprintf(buf, n, "key-%u", k);
}

/*
 * Is the key at path (a named file, read by a first pass into a scratch
 * store) a sheet without a session column? False when it cannot tell.
 */
static bool
key_sessionless(const struct calib_cli *kc, const char *path)
{
	struct calib_store *k;
	struct calib_read_opts o = kc->read;
	struct calib_error err;
	bool none = false;
	FILE *fp;

	if (strcmp(path, "-") == 0 || !(fp = fopen(path, "rb")))
		return false;
	o.errors = NULL;
	if ((k = calib_store_alloc()) && calib_read(k, fp, path, &o, &err) == CALIB_OK &&
	    k->columns) {
		none = true;
		for (size_t c = 0; c < k->columns->n; c++)
			none = none && !(k->columns->v[c].use == CALIB_USE_ROLE &&
			                 k->columns->v[c].role == CALIB_ROLE_SESSION);
	}
	calib_store_free(k);
	fclose(fp);
	return none;
}

/*
 * Read the answer key at path into s as the rater named by key_name, its
 * rater column ignored and a second score of a (session, call, criterion)
 * an error. 0 ok, else as load_one.
 */
static int
load_key(const struct calib_cli *cli, struct calib_store *s, const char *path, char *name,
         size_t name_n, struct calib_errors *errs)
{
	struct calib_cli kc = *cli;

	size_t n_ses = calib_names_count(s->sessions);
	int r = 0;

	calib_cli_key_name(s, name, name_n);
	kc.read.as_rater = name;
	kc.read.session_from_name = false; /* the key's sessions are the inputs' */
	kc.read.duplicates = CALIB_DUP_ERROR;
	kc.read.rater = NULL;
	if (!key_sessionless(&kc, path) || (n_ses == 1 && !*calib_names_get(s->sessions, 0)))
		return load_one(&kc, s, path, calib_read, errs, NULL);
	/* a key without sessions answers for its calls in every session */
	for (uint32_t i = 0; i < n_ses && !r; i++) {
		kc.read.session = calib_names_get(s->sessions, i);
		if (*kc.read.session)
			r = load_one(&kc, s, path, calib_read, errs, NULL);
	}
	return r;
}

/*
 * calib_cli_load, the one input files[0] read from `given` when not NULL,
 * and the answer key at key (NULL: none) read last as one more rater,
 * whose id goes to *key_rater.
 */
/* How many scores (levels or N/A) rater r gave in s. Cannot fail. */
static size_t
scores_of(const struct calib_store *s, uint32_t r)
{
	size_t n = 0;
	for (size_t e = 0; e < s->n_evals; e++)
		for (size_t j = 0; s->eval_rater[e] == r && j < s->n_criteria; j++)
			n += calib_code(&s->criteria[j], e) >= CALIB_CODE_NA;
	return n;
}

/* The bytes of the regular files among the inputs (stdin and pipes: none). */
static size_t
input_bytes(char *const *files, size_t n)
{
	size_t sum = 0;

	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (strcmp(files[i], "-") != 0 && stat(files[i], &st) == 0 && S_ISREG(st.st_mode))
			sum += (size_t)st.st_size;
	}
	return sum;
}

static int
load_all(const struct calib_cli *cli, char *const *files, size_t n, FILE *given,
         const char *key, uint32_t *key_rater, size_t *n_tied, struct calib_store **out)
{
	bool consensus = key && strcmp(key, "consensus") == 0;
	char kname[32] = "";
	struct calib_store *s = calib_store_alloc();
	static char *const dash[] = {"-"};
	struct calib_errors errs = {NULL, 0, 0, cli->max_errors};
	size_t i;
	int bad = 0;

	*out = NULL;
	if (!s) {
		calib_cli_errorf(cli, "out of memory");
		return 1;
	}
	if (n == 0) {
		files = dash;
		n = 1;
	}
	calib_memory_reuse(input_bytes(files, n));
	/* the sheets are read against the rubric: not after a bad one */
	if (cli->rubric)
		bad = load_one(cli, s, cli->rubric, calib_read_rubric, &errs, NULL) ? 2 : 0;
	for (i = 0; i < n && bad < 2; i++) {
		int r = load_one(cli, s, files[i], calib_read, &errs, given);
		bad = r > bad ? r : bad;
	}
	if (key && !consensus && bad < 2) {
		int r = load_key(cli, s, key, kname, sizeof kname, &errs);
		bad = r > bad ? r : bad;
	}
	print_errors(cli, &errs);
	calib_errors_clear(&errs);
	if (bad)
		goto fail;
	if (calib_store_finish_on(s, cli->read.threads) != CALIB_OK) {
		calib_cli_errorf(cli, "out of memory");
		goto fail;
	}
	if (check_listed(cli, s, "--criteria"))
		goto fail;
	check_listed(cli, s, "--ignore");
	if (s->n_evals == 0) {
		if (n == 1)
			calib_cli_errorf(cli, "%s: no ratings",
			                 strcmp(files[0], "-") == 0 ? "<stdin>" : files[0]);
		else
			calib_cli_errorf(cli, "no ratings in the inputs");
		goto fail;
	}
	if (consensus) {
		struct calib_error err;
		calib_cli_key_name(s, kname, sizeof kname);
		if (calib_raters_consensus_key(s, kname, key_rater, n_tied, &err)) {
			calib_cli_errorf(cli, "out of memory");
			goto fail;
		}
	} else if (key) {
		char *tmp = NULL;
		*key_rater = calib_names_find(s->raters, kname, strlen(kname));
		if (*key_rater == CALIB_NONE || scores_of(s, *key_rater) == 0) {
			calib_cli_errorf(cli, "--key %s: no key scores", named(key, &tmp));
			free(tmp);
			goto fail;
		}
		if (n_tied)
			*n_tied = 0;
	}
	warn_near_misses(cli, s);
	*out = s;
	return 0;
fail:
	calib_store_free(s);
	return 1;
}

int
calib_cli_load(const struct calib_cli *cli, char *const *files, size_t n,
               struct calib_store **out)
{
	return load_all(cli, files, n, NULL, NULL, NULL, NULL, out);
}

int
calib_cli_load_key(const struct calib_cli *cli, char *const *files, size_t n, const char *key,
                   struct calib_store **out, uint32_t *key_rater, size_t *n_tied)
{
	return load_all(cli, files, n, NULL, key, key_rater, n_tied, out);
}

int
calib_cli_load_stream(const struct calib_cli *cli, FILE *fp, const char *name,
                      struct calib_store **out)
{
	char *one[] = {(char *)name};

	return load_all(cli, one, 1, fp, NULL, NULL, NULL, out);
}

char *
calib_cli_read_all(FILE *fp, size_t *len)
{
	size_t cap = 65536, n = 0, r;
	char *b = malloc(cap), *nb;

	if (!b)
		return NULL;
	while ((r = fread(b + n, 1, cap - n, fp)) > 0) {
		n += r;
		if (n == cap) {
			if (!(nb = realloc(b, cap *= 2))) {
				free(b);
				return NULL;
			}
			b = nb;
		}
	}
	if (ferror(fp)) {
		free(b);
		return NULL;
	}
	*len = n;
	return b;
}

int
calib_cli_out_open(const struct calib_cli *cli, struct calib_cli_out *out, const char *path)
{
	struct calib_error err;

	memset(out, 0, sizeof *out);
	if (calib_outfile_open(&out->of, path, &err)) {
		calib_cli_error(cli, &err);
		return 1;
	}
	out->fp = out->of.fp;
	return 0;
}

void
calib_cli_out_abort(struct calib_cli_out *out)
{
	calib_outfile_abort(&out->of);
	out->fp = NULL;
}

int
calib_cli_out_commit(const struct calib_cli *cli, struct calib_cli_out *out)
{
	struct calib_error err;

	out->fp = NULL;
	/* standard output is flushed and checked once, by calib_cli_close_stdout */
	if (out->of.kind == CALIB_OUTFILE_STDOUT) {
		memset(&out->of, 0, sizeof out->of);
		return 0;
	}
	if (calib_outfile_commit(&out->of, &err)) {
		calib_cli_error(cli, &err);
		return 1;
	}
	return 0;
}

bool
calib_cli_stdout_closed(void)
{
	/* a pipe with no reader left polls as an error; events 0 asks only that */
	struct pollfd p = {STDOUT_FILENO, 0, 0};

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

int
calib_cli_close_stdout(const struct calib_cli *cli)
{
	int bad = fflush(stdout) != 0 || ferror(stdout);
	int e = errno;
	/* errno of the failed write may be long gone: ask the descriptor */
	bool closed = bad && (e == EPIPE || calib_cli_stdout_closed());

	if (fclose(stdout) != 0 && !bad) {
		bad = 1;
		e = errno;
		closed = e == EPIPE;
	}
	if (!bad || closed)
		return 0;
	calib_cli_errorf(cli, "write error: %s", strerror(e));
	return 1;
}

enum calib_format
calib_cli_default_format(void)
{
	return isatty(STDOUT_FILENO) ? CALIB_FORMAT_TABLE : CALIB_FORMAT_CSV;
}

bool
calib_cli_is_terminal(const char *path)
{
	struct stat sb;
	bool tty;
	int fd;

	if (!path || strcmp(path, "-") == 0)
		return isatty(STDOUT_FILENO);
	if (stat(path, &sb) != 0 || !S_ISCHR(sb.st_mode))
		return false;
	if ((fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK)) < 0)
		return false;
	tty = isatty(fd);
	close(fd);
	return tty;
}

size_t
calib_cli_table_width(const struct calib_cli *cli, FILE *fp)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	unsigned long n;
	char *end;

	if (cli->wide)
		return 0;
	if (env && *env >= '1' && *env <= '9') {
		errno = 0;
		n = strtoul(env, &end, 10);
		if (!*end && errno == 0 && n <= 100000)
			return (size_t)n;
	}
	if (!isatty(fileno(fp)))
		return 0;
	if (ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

int
calib_cli_format(const struct calib_cli *cli, const char *arg, enum calib_format *f)
{
	if (calib_format_parse(arg, f))
		return 0;
	calib_cli_usage_error(cli, "option --format: '%s' is not table, csv, tsv or json", arg);
	return -1;
}

int
calib_cli_terminal(const struct calib_cli *cli, const char *arg, enum calib_plot_terminal *term)
{
	if (calib_plot_terminal_parse(arg, term))
		return 0;
	calib_cli_usage_error(cli, "option --terminal: '%s' is not png, svg, pdf or dumb", arg);
	return -1;
}

int
calib_cli_chart_file(const struct calib_cli *cli, const char *file, bool script,
                     bool have_term, enum calib_plot_terminal *term)
{
	if (!file)
		return 0;
	if (!have_term && strcmp(file, "-") != 0 && !calib_plot_terminal_from_path(file, term))
		return calib_cli_usage_error(cli, "--chart %s: say --terminal png, svg, pdf or dumb",
		                             file);
	if (!script && calib_plot_terminal_binary(*term) && calib_cli_is_terminal(file))
		return calib_cli_usage_error(cli,
		                             "--chart: a %s chart is binary: not written to a "
		                             "terminal (name a file, or redirect standard output)",
		                             calib_plot_terminal_name(*term));
	return 0;
}

int
calib_cli_consensus(const struct calib_cli *cli, const char *arg, enum calib_consensus *c)
{
	if (strcmp(arg, "mean") == 0)
		*c = CALIB_CONSENSUS_MEAN;
	else if (strcmp(arg, "median") == 0)
		*c = CALIB_CONSENSUS_MEDIAN;
	else {
		calib_cli_usage_error(cli, "option --consensus: '%s' is not mean or median",
		                      arg);
		return -1;
	}
	return 0;
}

int
calib_cli_tolerance(const struct calib_cli *cli, const char *arg, struct calib_raters_opts *o)
{
	char buf[64];
	size_t n = strlen(arg);
	bool percent = n > 0 && arg[n - 1] == '%';

	snprintf(buf, sizeof buf, "%.*s", (int)(n - percent), arg);
	if (calib_cli_double(cli, "--tolerance", buf, 0, percent ? 100 : 100000, &o->tolerance))
		return -1;
	o->tol_percent = percent;
	return 0;
}

int
calib_cli_na_policy(const struct calib_cli *cli, const char *arg, enum calib_na_policy *p)
{
	if (strcmp(arg, "auto") == 0)
		*p = CALIB_NA_AUTO;
	else if (strcmp(arg, "category") == 0)
		*p = CALIB_NA_CATEGORY;
	else if (strcmp(arg, "drop") == 0)
		*p = CALIB_NA_DROP;
	else {
		calib_cli_usage_error(cli, "option --na-policy: '%s' is not auto, category or drop",
				      arg);
		return -1;
	}
	return 0;
}

int
calib_cli_icc_convention(const struct calib_cli *cli, const char *arg,
			 enum calib_icc_convention *c)
{
	if (strcmp(arg, "psych") == 0)
		*c = CALIB_ICC_PSYCH;
	else if (strcmp(arg, "irr") == 0)
		*c = CALIB_ICC_IRR;
	else {
		calib_cli_usage_error(cli, "option --icc-convention: '%s' is not psych or irr", arg);
		return -1;
	}
	return 0;
}

int
calib_cli_alert_on(const struct calib_cli *cli, const char *arg, bool *on_estimate)
{
	if (strcmp(arg, "interval") == 0)
		*on_estimate = false;
	else if (strcmp(arg, "estimate") == 0)
		*on_estimate = true;
	else {
		calib_cli_usage_error(cli, "option --alert-on: '%s' is not interval or estimate", arg);
		return -1;
	}
	return 0;
}

const char *
calib_cli_interval_text(char *buf, size_t n, double lower, double upper, double conf,
			bool on_estimate)
{
	if (isnan(lower) || isnan(upper))
		snprintf(buf, n, "(no CI%s)", on_estimate ? "" : ": the estimate judged");
	else
		snprintf(buf, n, "(%g%% CI %.3f to %.3f)", 100 * conf, lower, upper);
	return buf;
}

int
calib_cli_write_table(const struct calib_cli *cli, const char *path,
		      const struct calib_table *t, enum calib_format f, bool group_first)
{
	struct calib_cli_out out;

	memset(&out, 0, sizeof out);
	if (calib_cli_out_open(cli, &out, path))
		return 1;
	if (f == CALIB_FORMAT_TABLE
		    ? calib_table_write_fit(t, out.fp, f, group_first, calib_cli_table_width(cli, out.fp))
		    : calib_table_write_na(t, out.fp, f, group_first, cli->na_token)) {
		/* a closed pipe is no failure: the program's own status stands */
		if (out.of.kind == CALIB_OUTFILE_STDOUT && calib_cli_stdout_closed())
			return calib_cli_out_commit(cli, &out);
		if (out.of.path)
			calib_cli_errorf(cli, "%s: %s", path, strerror(errno));
		calib_cli_out_abort(&out);
		return 1;
	}
	return calib_cli_out_commit(cli, &out);
}

int
calib_cli_session_from(const struct calib_cli *cli, const char *arg,
                       enum calib_session_from *from)
{
	if (strcmp(arg, "name") == 0)
		*from = CALIB_SESSION_FROM_NAME;
	else if (strcmp(arg, "column") == 0)
		*from = CALIB_SESSION_FROM_COLUMN;
	else {
		calib_cli_usage_error(cli, "option --session-from: '%s' is not name or column",
		                      arg);
		return -1;
	}
	return 0;
}

int
calib_cli_session_order(const struct calib_cli *cli, const char *arg,
                        enum calib_session_order *order)
{
	if (strcmp(arg, "given") == 0)
		*order = CALIB_SESSION_ORDER_GIVEN;
	else if (strcmp(arg, "date") == 0)
		*order = CALIB_SESSION_ORDER_DATE;
	else if (strcmp(arg, "name") == 0)
		*order = CALIB_SESSION_ORDER_NAME;
	else {
		calib_cli_usage_error(cli, "option --order: '%s' is not given, date or name",
		                      arg);
		return -1;
	}
	return 0;
}

int
calib_cli_date_format(const struct calib_cli *cli, const char *arg)
{
	struct calib_error e;

	if (calib_dates_check_format(arg, &e)) {
		calib_cli_usage_error(cli, "option --date-format: %s", e.msg);
		return -1;
	}
	return 0;
}

int
calib_cli_load_sessions(struct calib_cli *cli, enum calib_session_from from,
                        enum calib_session_order order, const char *date_format,
                        char *const *files, size_t n, const char *key, uint32_t *key_rater,
                        const char **how, struct calib_store **out)
{
	struct calib_error err;
	char note[300];

	calib_error_clear(&err);
	*out = NULL;
	if (calib_sessions_prepare(&cli->read, from, files, n, &err))
		return calib_cli_fail(cli, &err);
	if (key && strcmp(key, "consensus") != 0
	            ? calib_cli_load_key(cli, files, n, key, out, key_rater, NULL)
	            : calib_cli_load(cli, files, n, out))
		return 1;
	if (!calib_sessions_check(*out, from, cli->read.session, key,
	                          key ? *key_rater : CALIB_NONE, &err)) {
		enum calib_status st = calib_sessions_arrange(*out, order, date_format,
		                                              (int)cli->read.duplicates, how,
		                                              note, sizeof note, &err);
		if (note[0])
			calib_cli_errorf(cli, "%s", note);
		if (!st)
			return 0;
	}
	calib_store_free(*out);
	*out = NULL;
	return calib_cli_fail(cli, &err);
}
