/*
 * sheet.c - calib-sheet: read, validate and merge score sheets of any form
 * and write the canonical long form session,call,rater,criterion,score;
 * with --check, validate only and print a summary.
 */
#include <csv.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/columns.h"
#include "calib/reader.h"
#include "calib/scorecard.h"
#include "calib/store.h"
#include "common.h"

#define MAX_WARNINGS 10 /* per kind; then a count of the rest */

enum { OPT_TOTALS = CALIB_OPT_FIRST_PROGRAM };

static const char usage[] =
        "usage: calib-sheet [-d C] [-r RUBRIC] [-o FILE] [--check] [OPTION...] [FILE...]\n";

static const char help[] =
        "Read, validate and merge score sheets (wide, long or one per rater) and\n"
        "write the canonical long form session,call,rater,criterion,score.\n"
        "\n"
        "  -o, --output FILE       write to FILE (all or nothing), not standard output\n"
        "  -c, --check             validate only: print a summary and "
        "warnings\n"
        "      --totals            write each evaluation's scores instead:\n"
        "                          session,call,rater, a subtotal per section of the\n"
        "                          rubric, TOTAL (0..100 points; empty when none)\n" CALIB_CLI_READ_HELP "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and exit\n";

/*
 * Text of one output field: bare when it reads back the same, else quoted
 * by libcsv. Returns a malloc'ed string and its length, or NULL.
 */
static char *
field_text(const char *s, size_t *len)
{
	size_t n = strlen(s);
	char *t;

	if (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
	              strpbrk(s, ",\"\r\n") != NULL)) {
		size_t q = csv_write(NULL, 0, s, n);
		if (!(t = malloc(q + 1)))
			return NULL;
		csv_write(t, q, s, n);
		t[q] = '\0';
		*len = q;
		return t;
	}
	if (!(t = malloc(n + 1)))
		return NULL;
	memcpy(t, s, n + 1);
	*len = n;
	return t;
}

/* The output text of a criterion's name and of each of its codes. */
struct crit_text {
	char *name;
	size_t name_len;
	char **code; /* indexed by code: "" missing, "N/A", levels */
	size_t *code_len;
	size_t n_codes;
};

static void
crit_text_free(struct crit_text *t, size_t n)
{
	size_t i, k;

	for (i = 0; t && i < n; i++) {
		free(t[i].name);
		for (k = 0; t[i].code && k < t[i].n_codes; k++)
			free(t[i].code[k]);
		free(t[i].code);
		free(t[i].code_len);
	}
	free(t);
}

static struct crit_text *
crit_text_alloc(const struct calib_store *s)
{
	struct crit_text *t = calloc(s->n_criteria ? s->n_criteria : 1, sizeof *t);
	char buf[512];
	size_t i, k;

	if (!t)
		return NULL;
	for (i = 0; i < s->n_criteria; i++) {
		const struct calib_criterion *c = &s->criteria[i];
		t[i].n_codes = c->n_levels + CALIB_CODE_LEVEL;
		t[i].code = calloc(t[i].n_codes, sizeof *t[i].code);
		t[i].code_len = calloc(t[i].n_codes, sizeof *t[i].code_len);
		if (!t[i].code || !t[i].code_len ||
		    !(t[i].name = field_text(c->name, &t[i].name_len)))
			goto fail;
		for (k = CALIB_CODE_MISSING; k < t[i].n_codes; k++)
			if (!(t[i].code[k] = field_text(
			              calib_store_code_text(c, (uint16_t)k, buf, sizeof buf),
			              &t[i].code_len[k])))
				goto fail;
	}
	return t;
fail:
	crit_text_free(t, s->n_criteria);
	return NULL;
}

/* Output buffered by hand: one fwrite per 64 KiB. */
struct obuf {
	FILE *fp;
	size_t n;
	char b[1 << 16];
};

static void
ob_put(struct obuf *o, const char *s, size_t len)
{
	if (sizeof o->b - o->n < len) {
		fwrite(o->b, 1, o->n, o->fp);
		o->n = 0;
		if (len > sizeof o->b) {
			fwrite(s, 1, len, o->fp);
			return;
		}
	}
	memcpy(o->b + o->n, s, len);
	o->n += len;
}

/* Append name as an output field and a comma; -1 when out of memory. */
static int
ob_name(struct obuf *o, const char *name)
{
	size_t len = strlen(name);
	char *t;

	if (len == 0 || (name[0] != ' ' && name[0] != '\t' && name[len - 1] != ' ' &&
	                 name[len - 1] != '\t' && strpbrk(name, ",\"\r\n") == NULL)) {
		ob_put(o, name, len);
		ob_put(o, ",", 1);
		return 0;
	}
	if (!(t = field_text(name, &len)))
		return -1;
	ob_put(o, t, len);
	ob_put(o, ",", 1);
	free(t);
	return 0;
}

/* Write the canonical long form; -1 when out of memory. */
static int
write_long(FILE *fp, const struct calib_store *s)
{
	struct crit_text *t = crit_text_alloc(s);
	struct obuf *o = malloc(sizeof *o);
	char *prefix = NULL;
	size_t e, c, prefix_cap = 0;
	int rc = -1;

	if (!t || !o)
		goto out;
	o->fp = fp;
	o->n = 0;
	ob_put(o, "session,call,rater,criterion,score\n", 35);
	for (e = 0; e < s->n_evals; e++) {
		uint32_t item = s->eval_item[e];
		size_t start = o->n, plen;
		/* the prefix "session,call,rater," once per evaluation */
		if (sizeof o->b - o->n < 4096) {
			fwrite(o->b, 1, o->n, fp);
			o->n = start = 0;
		}
		if (ob_name(o, calib_names_get(s->sessions, s->item_session[item])) ||
		    ob_name(o, calib_names_get(s->calls, s->item_call[item])) ||
		    ob_name(o, calib_names_get(s->raters, s->eval_rater[e])))
			goto out;
		plen = o->n - start;
		if (plen > prefix_cap) {
			char *p = realloc(prefix, plen);
			if (!p)
				goto out;
			prefix = p;
			prefix_cap = plen;
		}
		memcpy(prefix, o->b + start, plen);
		o->n = start;
		for (c = 0; c < s->n_criteria; c++) {
			uint16_t code = calib_code(&s->criteria[c], e);
			if (code == CALIB_CODE_ABSENT)
				continue;
			ob_put(o, prefix, plen);
			ob_put(o, t[c].name, t[c].name_len);
			ob_put(o, ",", 1);
			ob_put(o, t[c].code[code], t[c].code_len[code]);
			ob_put(o, "\n", 1);
		}
		if (ferror(fp))
			break;
	}
	fwrite(o->b, 1, o->n, fp);
	rc = 0;
out:
	free(prefix);
	free(o);
	crit_text_free(t, s->n_criteria);
	return rc;
}

/*
 * The scorecard of every evaluation: session,call,rater, one column per
 * section of the rubric, TOTAL; a score without a value is empty. -1 when
 * out of memory.
 */
static int
write_totals(FILE *fp, const struct calib_store *s)
{
	struct calib_scorecard *sc;
	struct obuf *o = malloc(sizeof *o);
	size_t ns = calib_names_count(s->sections);
	char num[64];

	if (!o || calib_scorecard_compute(s, 0, &sc) != CALIB_OK) {
		free(o);
		return -1;
	}
	o->fp = fp;
	o->n = 0;
	ob_put(o, "session,call,rater,", 19);
	for (size_t k = 0; k < ns; k++)
		if (ob_name(o, calib_names_get(s->sections, (uint32_t)k)))
			goto nomem;
	ob_put(o, "TOTAL\n", 6);
	for (size_t e = 0; e < s->n_evals && !ferror(fp); e++) {
		uint32_t item = s->eval_item[e];
		if (ob_name(o, calib_names_get(s->sessions, s->item_session[item])) ||
		    ob_name(o, calib_names_get(s->calls, s->item_call[item])) ||
		    ob_name(o, calib_names_get(s->raters, s->eval_rater[e])))
			goto nomem;
		/* the sections' subtotals (rows 1..ns), then the TOTAL (row 0) */
		for (size_t k = 1; k <= ns + 1; k++) {
			double x = calib_scorecard_row(sc, k % (ns + 1))[e];
			if (!isnan(x))
				calib_format_double(x, num, sizeof num);
			else
				num[0] = '\0';
			ob_put(o, num, strlen(num));
			ob_put(o, k <= ns ? "," : "\n", 1);
		}
	}
	fwrite(o->b, 1, o->n, fp);
	free(o);
	calib_scorecard_free(sc);
	return 0;
nomem:
	free(o);
	calib_scorecard_free(sc);
	return -1;
}

/*
 * A name from the input as a summary or warning prints it: control bytes
 * and invalid UTF-8 escaped as in messages (calib_escaped), so that no
 * name drives the terminal. The copy, when one is made, goes in *tmp for
 * the caller to free; "?" when memory is short.
 */
static const char *
esc(const char *s, char **tmp)
{
	const char *v = calib_escaped(s, tmp);
	return v ? v : "?";
}

static void
print_levels(FILE *fp, const struct calib_criterion *c)
{
	char buf[512];
	size_t k;

	if (c->n_levels == 0) {
		fputs("none", fp);
		return;
	}
	for (k = 0; k < c->n_levels && k < 20; k++) {
		char *tmp;
		if (k)
			putc('|', fp);
		fputs(esc(calib_store_code_text(c, (uint16_t)(k + CALIB_CODE_LEVEL), buf,
		                                sizeof buf),
		          &tmp),
		      fp);
		free(tmp);
	}
	if (k < c->n_levels)
		fprintf(fp, "|... (%zu levels)", c->n_levels);
}

/* Per input, the columns that took a role and those left out, with why. */
static void
write_columns(FILE *fp, const struct calib_store *s)
{
	const struct calib_columns *cols = s->columns;
	size_t i, k, n;
	char *tmp;

	for (i = 0; cols && i < cols->n; i = k) {
		uint32_t file = cols->v[i].file;
		size_t scored = 0, left = 0;
		for (k = i; k < cols->n && cols->v[k].file == file; k++)
			;
		fprintf(fp, "columns of %s:", esc(s->files[file], &tmp));
		free(tmp);
		for (n = i; n < k; n++) {
			const struct calib_column *c = &cols->v[n];
			if (c->use == CALIB_USE_ROLE) {
				fprintf(fp, "%s %s \"%s\"", n > i ? "," : "",
				        calib_role_name(c->role), esc(c->name, &tmp));
				free(tmp);
			}
			scored += c->use == CALIB_USE_CRITERION;
			left += c->use != CALIB_USE_ROLE && c->use != CALIB_USE_CRITERION;
		}
		if (scored)
			fprintf(fp, ", %zu criteri%s", scored, scored == 1 ? "on" : "a");
		putc('\n', fp);
		if (!left)
			continue;
		fprintf(fp, "left out of %s:", esc(s->files[file], &tmp));
		free(tmp);
		for (n = i, left = 0; n < k; n++) {
			const struct calib_column *c = &cols->v[n];
			if (c->use == CALIB_USE_ROLE || c->use == CALIB_USE_CRITERION)
				continue;
			if (c->name[0]) {
				fprintf(fp, "%s \"%s\" (%s)", left++ ? "," : "", esc(c->name, &tmp),
				        calib_column_use_name(c->use));
				free(tmp);
			} else
				fprintf(fp, "%s column %zu (%s)", left++ ? "," : "", c->index,
				        calib_column_use_name(c->use));
		}
		putc('\n', fp);
	}
}

static void
write_summary(FILE *fp, const struct calib_store *s)
{
	size_t c, ratings = 0, missing = 0, na = 0;
	char note[160];
	size_t sessions = calib_names_count(s->sessions);

	if (calib_names_find(s->sessions, "", 0) != CALIB_NONE)
		sessions--;
	for (c = 0; c < s->n_criteria; c++) {
		const struct calib_criterion *cr = &s->criteria[c];
		ratings += cr->n_scored + cr->n_missing + cr->n_na;
		missing += cr->n_missing;
		na += cr->n_na;
	}
	fprintf(fp, "inputs: %zu\n", s->n_files);
	fprintf(fp, "sessions: %zu\n", sessions);
	fprintf(fp, "calls: %zu\n", calib_names_count(s->calls));
	fprintf(fp, "raters: %zu\n", calib_names_count(s->raters));
	fprintf(fp, "criteria: %zu\n", s->n_criteria);
	fprintf(fp, "evaluations: %zu\n", s->n_evals);
	fprintf(fp, "ratings: %zu\n", ratings);
	fprintf(fp, "unscored cells: %zu\n", missing);
	fprintf(fp, "n/a cells: %zu\n", na);
	for (c = 0; c < s->n_criteria; c++) {
		const struct calib_criterion *cr = &s->criteria[c];
		char *tmp;
		fprintf(fp, "criterion %s: %s (%s), levels ", esc(cr->name, &tmp),
		        calib_scale_name(cr->scale), cr->declared ? "rubric" : "inferred");
		free(tmp);
		print_levels(fp, cr);
		fprintf(fp, ", scored %zu, unscored %zu, n/a %zu\n", cr->n_scored,
		        cr->n_missing, cr->n_na);
		if (*calib_store_scale_note(cr, note, sizeof note))
			fprintf(fp, "criterion %s: %s\n", cr->name, note);
		if (cr->section != CALIB_NONE || cr->critical != CALIB_CRITICAL_NO || cr->no_na) {
			const char *sep = "";
			fprintf(fp, "criterion %s:", esc(cr->name, &tmp));
			free(tmp);
			if (cr->section != CALIB_NONE) {
				fprintf(fp, " section %s",
				        esc(calib_names_get(s->sections, cr->section), &tmp));
				free(tmp);
				sep = ",";
			}
			if (cr->critical != CALIB_CRITICAL_NO) {
				fprintf(fp, "%s critical (its lowest level sets %s to 0)", sep,
				        cr->critical == CALIB_CRITICAL_TOTAL ? "the TOTAL"
				                                             : "the section");
				sep = ",";
			}
			if (cr->no_na)
				fprintf(fp, "%s N/A not allowed", sep);
			putc('\n', fp);
		}
	}
	write_columns(fp, s);
}

/*
 * Raters who did not score a call of a session they scored other calls
 * of: "chiara did not score C-105", at most MAX_WARNINGS, then a count.
 */
static void
warn_skipped(const struct calib_cli *cli, const struct calib_store *s)
{
	size_t n_raters = calib_names_count(s->raters), n_ses = calib_names_count(s->sessions);
	size_t i, k, shown = 0, more = 0;
	bool *in_ses, *here;

	/* a rater x session table; too big a one says nothing worth its cost */
	if (n_raters == 0 || n_ses > SIZE_MAX / n_raters || n_raters * n_ses > (64u << 20))
		return;
	in_ses = calloc(n_raters * n_ses, sizeof *in_ses);
	here = calloc(n_raters, sizeof *here);
	if (!in_ses || !here)
		goto out;
	for (i = 0; i < s->n_evals; i++)
		in_ses[s->item_session[s->eval_item[i]] * n_raters + s->eval_rater[i]] = true;
	for (i = 0; i < s->n_items; i++) {
		const bool *want = in_ses + s->item_session[i] * n_raters;
		uint32_t e = s->item_evals[s->item_off[i]];
		const char *ses = calib_names_get(s->sessions, s->item_session[i]);
		for (k = s->item_off[i]; k < s->item_off[i + 1]; k++)
			here[s->eval_rater[s->item_evals[k]]] = true;
		for (k = 0; k < n_raters; k++) {
			if (!want[k] || here[k])
				continue;
			if (shown == MAX_WARNINGS) {
				more++;
				continue;
			}
			shown++;
			char *t1, *t2, *t3, *t4;
			fprintf(stderr, "%s: %s:%lu: warning: %s did not score %s%s%s\n", cli->prog,
			        esc(s->files[calib_store_eval_file(s, e)], &t1), (unsigned long)calib_store_eval_line(s, e),
			        esc(calib_names_get(s->raters, (uint32_t)k), &t2),
			        esc(calib_names_get(s->calls, s->item_call[i]), &t3),
			        *ses ? " in session " : "", esc(ses, &t4));
			free(t1);
			free(t2);
			free(t3);
			free(t4);
		}
		for (k = s->item_off[i]; k < s->item_off[i + 1]; k++)
			here[s->eval_rater[s->item_evals[k]]] = false;
	}
	if (more)
		fprintf(stderr, "%s: warning: %zu more calls skipped by a rater\n", cli->prog,
		        more);
out:
	free(in_ses);
	free(here);
}

/* Warnings about usable but suspicious data, on stderr. */
static void
warn(const struct calib_cli *cli, const struct calib_store *s)
{
	size_t i, c, shown = 0, more = 0;

	for (i = 0; i < s->n_items; i++) {
		uint32_t e;
		const char *ses;
		char *t1, *t2, *t3;
		if (s->item_off[i + 1] - s->item_off[i] != 1)
			continue;
		if (shown == MAX_WARNINGS) {
			more++;
			continue;
		}
		shown++;
		e = s->item_evals[s->item_off[i]];
		ses = calib_names_get(s->sessions, s->item_session[i]);
		fprintf(stderr,
		        "%s: %s:%lu: warning: call %s%s%s is scored by one rater only\n",
		        cli->prog, esc(s->files[calib_store_eval_file(s, e)], &t1),
		        (unsigned long)calib_store_eval_line(s, e),
		        esc(calib_names_get(s->calls, s->item_call[i]), &t2),
		        *ses ? " in session " : "", esc(ses, &t3));
		free(t1);
		free(t2);
		free(t3);
	}
	if (more)
		fprintf(stderr, "%s: warning: %zu more calls are scored by one rater only\n",
		        cli->prog, more);
	warn_skipped(cli, s);
	for (c = 0; c < s->n_criteria; c++) {
		const struct calib_criterion *cr = &s->criteria[c];
		char *tmp = NULL;
		if (cr->n_scored + cr->n_missing + cr->n_na == 0)
			fprintf(stderr, "%s: warning: criterion %s of the rubric is not in the sheets\n",
			        cli->prog, esc(cr->name, &tmp));
		else if (cr->n_scored == 0)
			fprintf(stderr, "%s: warning: criterion %s has no scores\n", cli->prog,
			        esc(cr->name, &tmp));
		free(tmp);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {CALIB_CLI_READ_LONGOPTS,
	                                         {"check", no_argument, NULL, 'c'},
	                                         {"totals", no_argument, NULL, OPT_TOTALS},
	                                         {"output", required_argument, NULL, 'o'},
	                                         {"help", no_argument, NULL, 'h'},
	                                         {"version", no_argument, NULL, 'V'},
	                                         {NULL, 0, NULL, 0}};
	struct calib_cli cli;
	struct calib_cli_out out;
	struct calib_store *s;
	const char *output = NULL;
	bool check = false, totals = false;
	int c, status;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-sheet", usage);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Vcho:" CALIB_CLI_READ_SHORTOPTS, longopts,
	                        NULL)) != -1) {
		switch (calib_cli_read_opt(&cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		default:
			break;
		}
		switch (c) {
		case 'c':
			check = true;
			break;
		case OPT_TOTALS:
			totals = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			fputs(help, stdout);
			return calib_cli_close_stdout(&cli);
		case 'V':
			return calib_cli_version(&cli);
		default:
			return calib_cli_bad_option(&cli, c, argv);
		}
	}
	if (check && totals)
		return calib_cli_usage_error(&cli, "--check and --totals exclude each other");
	if (calib_cli_load(&cli, argv + optind, (size_t)(argc - optind), &s))
		return 1;
	if (calib_cli_out_open(&cli, &out, output)) {
		calib_store_free(s);
		return 1;
	}
	if (check) {
		write_summary(out.fp, s);
		warn(&cli, s);
	} else if ((totals ? write_totals(out.fp, s) : write_long(out.fp, s)) != 0) {
		calib_cli_errorf(&cli, "out of memory");
		calib_store_free(s);
		calib_cli_out_abort(&out);
		return 1;
	}
	calib_store_free(s);
	status = calib_cli_out_commit(&cli, &out);
	if (status)
		return status;
	return calib_cli_close_stdout(&cli);
}
