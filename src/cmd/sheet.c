/*
 * sheet.c - calib-sheet: read, validate and merge score sheets of any form
 * and write the canonical long form session,call,rater,criterion,score;
 * with --check, validate only and print a summary.
 */
#include <csv.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/reader.h"
#include "calib/store.h"
#include "common.h"

#define MAX_WARNINGS 10 /* per kind; then a count of the rest */

static const char usage[] =
	"usage: calib-sheet [-d C] [-r RUBRIC] [-o FILE] [--check] [OPTION...] [FILE...]\n";

static const char help[] =
	"Read, validate and merge score sheets (wide, long or one per rater) and\n"
	"write the canonical long form session,call,rater,criterion,score.\n"
	"\n"
	"  -o, --output FILE       write to FILE (all or nothing), not standard output\n"
	"  -c, --check             validate only: print a summary and warnings\n" CALIB_CLI_READ_HELP
	"  -h, --help              print this help and exit\n"
	"  -V, --version           print the version and exit\n";

/* Write one field: bare when it reads back the same, else quoted by libcsv. */
static void
put_field(FILE *fp, const char *s)
{
	size_t len = strlen(s);

	if (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t' ||
			strpbrk(s, ",\"\r\n") != NULL))
		csv_fwrite(fp, s, len);
	else
		fwrite(s, 1, len, fp);
}

static void
write_long(FILE *fp, const struct calib_store *s)
{
	char buf[512];
	size_t e, c;

	fputs("session,call,rater,criterion,score\n", fp);
	for (e = 0; e < s->n_evals; e++) {
		uint32_t item = s->eval_item[e];
		const char *ses = calib_names_get(s->sessions, s->item_session[item]);
		const char *call = calib_names_get(s->calls, s->item_call[item]);
		const char *rater = calib_names_get(s->raters, s->eval_rater[e]);
		for (c = 0; c < s->n_criteria; c++) {
			const struct calib_criterion *cr = &s->criteria[c];
			uint16_t code = cr->code[e];
			if (code == CALIB_CODE_ABSENT)
				continue;
			put_field(fp, ses);
			putc(',', fp);
			put_field(fp, call);
			putc(',', fp);
			put_field(fp, rater);
			putc(',', fp);
			put_field(fp, cr->name);
			putc(',', fp);
			put_field(fp, calib_store_code_text(cr, code, buf, sizeof buf));
			putc('\n', fp);
		}
		if (ferror(fp))
			return;
	}
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
		if (k)
			putc('|', fp);
		fputs(calib_store_code_text(c, (uint16_t)(k + CALIB_CODE_LEVEL), buf, sizeof buf),
		      fp);
	}
	if (k < c->n_levels)
		fprintf(fp, "|... (%zu levels)", c->n_levels);
}

static void
write_summary(FILE *fp, const struct calib_store *s)
{
	size_t c, ratings = 0, missing = 0, na = 0;
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
		fprintf(fp, "criterion %s: %s (%s), levels ", cr->name, calib_scale_name(cr->scale),
			cr->declared ? "rubric" : "inferred");
		print_levels(fp, cr);
		fprintf(fp, ", scored %zu, unscored %zu, n/a %zu\n", cr->n_scored, cr->n_missing,
			cr->n_na);
	}
}

/* Warnings about usable but suspicious data, on stderr. */
static void
warn(const struct calib_cli *cli, const struct calib_store *s)
{
	size_t i, c, shown = 0, more = 0;

	for (i = 0; i < s->n_items; i++) {
		uint32_t e;
		const char *ses;
		if (s->item_off[i + 1] - s->item_off[i] != 1)
			continue;
		if (shown == MAX_WARNINGS) {
			more++;
			continue;
		}
		shown++;
		e = s->item_evals[s->item_off[i]];
		ses = calib_names_get(s->sessions, s->item_session[i]);
		fprintf(stderr, "%s: %s:%lu: warning: call %s%s%s is scored by one rater only\n",
			cli->prog, s->files[s->eval_file[e]], (unsigned long)s->eval_line[e],
			calib_names_get(s->calls, s->item_call[i]), *ses ? " in session " : "", ses);
	}
	if (more)
		fprintf(stderr, "%s: warning: %zu more calls are scored by one rater only\n",
			cli->prog, more);
	for (c = 0; c < s->n_criteria; c++) {
		const struct calib_criterion *cr = &s->criteria[c];
		if (cr->n_scored == 0 && cr->n_missing + cr->n_na > 0)
			fprintf(stderr, "%s: warning: criterion %s has no scores\n", cli->prog,
				cr->name);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CALIB_CLI_READ_LONGOPTS,
		{"check", no_argument, NULL, 'c'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}};
	struct calib_cli cli;
	struct calib_cli_out out;
	struct calib_store *s;
	const char *output = NULL;
	bool check = false;
	int c, status;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-sheet", usage);
	while ((c = getopt_long(argc, argv, "Vcho:" CALIB_CLI_READ_SHORTOPTS, longopts, NULL)) !=
	       -1) {
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
			fputs(usage, stderr);
			return 2;
		}
	}
	if (calib_cli_load(&cli, argv + optind, (size_t)(argc - optind), &s))
		return 1;
	if (calib_cli_out_open(&cli, &out, output)) {
		calib_store_free(s);
		return 1;
	}
	if (check) {
		write_summary(out.fp, s);
		warn(&cli, s);
	} else
		write_long(out.fp, s);
	calib_store_free(s);
	status = calib_cli_out_commit(&cli, &out);
	if (status)
		return status;
	return calib_cli_close_stdout(&cli);
}
