/*
 * common_report.c - the shared main() of calib-agree, calib-kappa,
 * calib-icc and calib-alpha (common_report.h).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "calib/render.h"
#include "calib/table.h"
#include "common_report.h"

enum {
	OPT_STAT = CALIB_OPT_FIRST_PROGRAM,
	OPT_MIN,
	OPT_CI,
	OPT_BOOT,
	OPT_CONF,
	OPT_COMPLETE,
	OPT_NA_POLICY,
	OPT_ICC,
	OPT_WEIGHTS,
	OPT_NO_TOTAL,
	OPT_DETAIL,
	OPT_ALERT_ON
};

static const struct option longopts[] = {
	CALIB_CLI_READ_LONGOPTS,
	CALIB_CLI_OUTPUT_LONGOPTS,
	{ "stat", required_argument, NULL, OPT_STAT },
	{ "min", required_argument, NULL, OPT_MIN },
	{ "alert-on", required_argument, NULL, OPT_ALERT_ON },
	{ "ci", required_argument, NULL, OPT_CI },
	{ "boot", required_argument, NULL, OPT_BOOT },
	{ "seed", required_argument, NULL, 's' },
	{ "conf", required_argument, NULL, OPT_CONF },
	{ "complete", no_argument, NULL, OPT_COMPLETE },
	{ "na-policy", required_argument, NULL, OPT_NA_POLICY },
	{ "icc-convention", required_argument, NULL, OPT_ICC },
	{ "weights", required_argument, NULL, OPT_WEIGHTS },
	{ "no-total", no_argument, NULL, OPT_NO_TOTAL },
	{ "detail", no_argument, NULL, OPT_DETAIL },
	{ "threads", required_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/*
 * Read a q x q weight matrix: numbers separated by commas, semicolons,
 * tabs or spaces, one row a line. 0, or 1 with the message printed.
 */
static int
read_weights(const struct calib_cli *cli, const char *path, double **w, size_t *q)
{
	FILE *fp = fopen(path, "r");
	char line[8192];
	size_t n = 0, cap = 0, rows = 0, cols = 0;
	double *v = NULL;

	if (!fp) {
		calib_cli_errorf(cli, "%s: %s", path, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof line, fp)) {
		size_t in_row = 0;
		char *p = line, *end;
		rows++;
		for (;;) {
			p += strspn(p, " \t,;\r\n");
			if (!*p)
				break;
			errno = 0;
			double x = strtod(p, &end);
			if (end == p || errno || !isfinite(x) || x < 0 || x > 1) {
				calib_cli_errorf(cli, "%s:%zu:%zu: weights must be numbers from 0 to 1",
						 path, rows, (size_t)(p - line) + 1);
				goto fail;
			}
			if (n == cap) {
				double *g = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof *g);
				if (!g)
					goto fail;
				v = g;
			}
			v[n++] = x;
			in_row++;
			p = end;
		}
		if (in_row == 0) {
			rows--;
			continue;
		}
		if (cols == 0)
			cols = in_row;
		else if (in_row != cols) {
			calib_cli_errorf(cli, "%s:%zu: %zu weight%s on this row, %zu on the first",
					 path, rows, in_row, in_row == 1 ? "" : "s", cols);
			goto fail;
		}
	}
	fclose(fp);
	if (rows == 0 || rows != cols) {
		calib_cli_errorf(cli, "%s: the weights must form a square matrix", path);
		free(v);
		return 1;
	}
	*w = v;
	*q = rows;
	return 0;
fail:
	fclose(fp);
	free(v);
	return 1;
}

static void
progress(void *ctx, size_t done, size_t total)
{
	const char *prog = ctx;
	fprintf(stderr, "\r%s: %zu/%zu", prog, done, total);
	if (done == total)
		fputs("\r\033[K", stderr);
}

/* Which of the options that only some report programs take p takes. */
static bool
takes(const struct report_program *p, int opt)
{
	switch (opt) {
	case OPT_WEIGHTS:
		return (p->families & (CALIB_FAMILY_KAPPA | CALIB_FAMILY_AGREEMENT)) != 0;
	case OPT_ICC:
		return (p->families & CALIB_FAMILY_ICC) != 0;
	case OPT_DETAIL:
		return !p->detail;
	case OPT_NO_TOTAL:
		return !p->no_total;
	default:
		return true;
	}
}

/* --help: what p does and the options it takes. */
static void
help(const struct report_program *p)
{
	printf("%s\n%s\nOptions:\n" CALIB_CLI_READ_HELP CALIB_CLI_OUTPUT_HELP
	       "      --stat LIST         statistics to compute, comma-separated, or all\n"
	       "      --min X             exit 3 when a criterion's headline is below X: its\n"
	       "                          whole CI (default), or its estimate (--alert-on)\n"
	       "      --alert-on W        interval (default) or estimate: what --min judges\n"
	       "      --ci METHOD         analytic (default) or bootstrap\n",
	       p->usage, p->help);
	/* a program with its own bootstrap (calib-alpha's summaries) always draws */
	if (p->alpha_boot)
		fputs("      --boot N            bootstrap replicates (default 1000)\n", stdout);
	else
		fputs("      --boot N            bootstrap replicates (default 1000 with --ci bootstrap)\n",
		      stdout);
	fputs("  -s, --seed S            bootstrap seed (default 1)\n"
	      "      --conf LEVEL        confidence level of the intervals (default 0.95)\n"
	      "      --complete          use only calls scored by every rater\n"
	      "      --na-policy P       auto (default), category or drop: what N/A scores are\n",
	      stdout);
	if (takes(p, OPT_ICC))
		fputs("      --icc-convention C  psych (default) or irr: ICC(2) df and ICC(2,k) bounds\n",
		      stdout);
	if (takes(p, OPT_WEIGHTS))
		fputs("      --weights FILE      custom agreement weights (q x q CSV) for cohen_kappa_custom\n",
		      stdout);
	if (takes(p, OPT_NO_TOTAL))
		fputs("      --no-total          leave out the TOTAL score per call\n", stdout);
	if (takes(p, OPT_DETAIL))
		fputs("      --detail            add null-hypothesis z tests and per-category kappas\n",
		      stdout);
	fputs("  -j, --threads N         threads in all, 1 or 2 (default: up to 2)\n"
	      "  -h, --help              print this help and exit\n"
	      "  -V, --version           print the version and exit\n",
	      stdout);
}

/*
 * Does the headline s of a criterion fall below min? By the whole interval
 * (its upper bound below min) unless on_estimate, or where it has none.
 */
static bool
below(const struct calib_stat *s, double min, bool on_estimate)
{
	if (isnan(s->estimate))
		return false;
	if (on_estimate || isnan(s->upper))
		return s->estimate < min;
	return s->upper < min;
}

int
report_main(int argc, char **argv, const struct report_program *p)
{
	struct calib_cli cli;
	struct calib_report_opts o;
	struct calib_store *store = NULL;
	struct calib_report *rep = NULL;
	struct calib_table *t = NULL;
	struct calib_error err;
	enum calib_format fmt = calib_cli_default_format();
	const char *output = NULL, *weights = NULL;
	double min = NAN, *w = NULL;
	bool bootstrap = false, on_estimate = false;
	size_t boot = 0, threads = 0;
	int c, status = 0;

	gsl_set_error_handler_off();
	opterr = 0;
	calib_cli_init(&cli, p->name, p->usage);
	calib_report_opts_init(&o);
	o.stat = p->stat;
	o.families = p->families;
	o.detail = p->detail;
	o.total = !p->no_total;
	o.seed = 1;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:hj:o:s:V", longopts,
				NULL)) != -1) {
		switch (calib_cli_read_opt(&cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		if (!takes(p, c)) {
			const struct option *lo = longopts;
			while (lo->name && lo->val != c)
				lo++;
			return calib_cli_usage_error(&cli, "unknown option --%s", lo->name);
		}
		switch (c) {
		case 'f':
			if (calib_cli_format(&cli, optarg, &fmt))
				return 2;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_STAT: {
			char buf[64];
			const char *s = optarg;
			if (!*s)
				return calib_cli_usage_error(&cli, "option --stat: empty list");
			while (*s) {
				size_t n = strcspn(s, ",");
				snprintf(buf, sizeof buf, "%.*s", (int)n, s);
				if (!calib_registry_known(buf))
					return calib_cli_usage_error(&cli, "option --stat: unknown statistic '%s'",
								     buf);
				/* one family's program computes only its family's statistics */
				if (strcmp(buf, "all") != 0 &&
				    !(calib_registry_family(buf) & p->families))
					return calib_cli_usage_error(
					        &cli, "option --stat: %s is not a statistic of %s (see calib-agree)",
					        buf, p->name);
				s += n + (s[n] == ',');
			}
			o.stat = optarg;
			break;
		}
		case OPT_MIN:
			if (calib_cli_double(&cli, "--min", optarg, -1, 1, &min))
				return 2;
			break;
		case OPT_ALERT_ON:
			if (calib_cli_alert_on(&cli, optarg, &on_estimate))
				return 2;
			break;
		case OPT_CI:
			if (strcmp(optarg, "bootstrap") == 0)
				bootstrap = true;
			else if (strcmp(optarg, "analytic") == 0)
				bootstrap = false;
			else
				return calib_cli_usage_error(&cli, "option --ci: '%s' is not analytic or bootstrap",
							     optarg);
			break;
		case OPT_BOOT:
			if (calib_cli_size(&cli, "--boot", optarg, 10, 10000000, &boot))
				return 2;
			break;
		case 's':
			if (calib_cli_seed(&cli, optarg, &o.seed))
				return 2;
			break;
		case OPT_CONF:
			if (calib_cli_double(&cli, "--conf", optarg, 0.5, 0.999999, &o.coef.conf))
				return 2;
			break;
		case OPT_COMPLETE:
			o.complete = true;
			break;
		case OPT_NA_POLICY:
			if (calib_cli_na_policy(&cli, optarg, &o.na))
				return 2;
			break;
		case OPT_ICC:
			if (calib_cli_icc_convention(&cli, optarg, &o.coef.icc))
				return 2;
			break;
		case OPT_WEIGHTS:
			weights = optarg;
			break;
		case OPT_NO_TOTAL:
			o.total = false;
			break;
		case OPT_DETAIL:
			o.detail = true;
			break;
		case 'j':
			if (calib_cli_size(&cli, "--threads", optarg, 1, 2, &threads))
				return 2;
			o.threads = (unsigned)threads;
			cli.read.threads = o.threads;
			break;
		case 'h':
			help(p);
			return calib_cli_close_stdout(&cli);
		case 'V':
			return calib_cli_version(&cli);
		default:
			return calib_cli_bad_option(&cli, c, argv);
		}
	}
	if (boot && !bootstrap && !p->alpha_boot)
		return calib_cli_usage_error(&cli, "option --boot needs --ci bootstrap");
	if (bootstrap)
		o.boot = boot ? boot : 1000;
	if (p->alpha_boot)
		o.alpha_boot = boot ? boot : 1000;
	if (weights) {
		if (read_weights(&cli, weights, &w, &o.coef.custom_q))
			return 1;
		o.coef.custom_w = w;
	}
	if (isatty(STDERR_FILENO)) {
		o.progress = progress;
		o.progress_ctx = (void *)p->name;
	}
	if (calib_cli_load(&cli, argv + optind, (size_t)(argc - optind), &store)) {
		free(w);
		return 1;
	}
	calib_error_clear(&err);
	if (calib_report_run(store, &o, &rep, &err)) {
		status = calib_cli_fail(&cli, &err);
		goto out;
	}
	t = fmt == CALIB_FORMAT_TABLE ? (p->detail ? calib_report_detail(rep) : calib_report_summary(rep))
				      : calib_report_tidy(rep);
	if (!t || calib_cli_left_out(&cli, store, fmt == CALIB_FORMAT_TABLE ? t : NULL)) {
		status = calib_cli_fail(&cli, NULL);
		goto out;
	}
	if (calib_cli_write_table(&cli, output, t, fmt, fmt == CALIB_FORMAT_TABLE)) {
		status = 1;
		goto out;
	}
	if (!isnan(min))
		for (size_t i = 0; i < rep->n_rows; i++) {
			const struct calib_report_row *row = &rep->rows[i];
			const struct calib_stat *s;
			char ci[80];
			if (row->headline == SIZE_MAX)
				continue;
			s = &rep->stats.v[row->first + row->headline];
			if (!below(s, min, on_estimate))
				continue;
			fprintf(stderr, "%s: %s: %s %.3f %s is below %g\n", p->name, row->criterion,
				s->name, s->estimate,
				calib_cli_interval_text(ci, sizeof ci, s->lower, s->upper, o.coef.conf,
							on_estimate),
				min);
			status = 3;
		}
out:
	calib_table_free(t);
	calib_report_free(rep);
	calib_store_free(store);
	free(w);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status == 1 ? 1 : cs ? cs : status;
	}
}
