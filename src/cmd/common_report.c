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

/* What the options ask beyond struct calib_report_opts. */
struct args {
	struct calib_report_opts o;
	enum calib_format fmt;
	const char *output, *weights;
	double min;       /* --min, NAN without it */
	bool bootstrap;   /* --ci bootstrap */
	bool on_estimate; /* --alert-on estimate */
	size_t boot;      /* --boot, 0 without it */
};

/* --stat's list: every name known and of p's families. 0, or 2 with the message printed. */
static int
check_stat_list(struct calib_cli *cli, const struct report_program *p, const char *list)
{
	char buf[64];
	const char *s = list;

	if (!*s)
		return calib_cli_usage_error(cli, "option --stat: empty list");
	while (*s) {
		size_t n = strcspn(s, ",");
		snprintf(buf, sizeof buf, "%.*s", (int)n, s);
		if (!calib_registry_known(buf))
			return calib_cli_usage_error(cli, "option --stat: unknown statistic '%s'", buf);
		/* one family's program computes only its family's statistics */
		if (strcmp(buf, "all") != 0 && !(calib_registry_family(buf) & p->families))
			return calib_cli_usage_error(
			        cli, "option --stat: %s is not a statistic of %s (see calib-agree)", buf,
			        p->name);
		s += n + (s[n] == ',');
	}
	return 0;
}

/*
 * One option of p's other than the reading ones: 0 to go on, -1 when done
 * (--help, --version: exit 0), else the exit status, with the message
 * printed.
 */
static int
program_opt(struct calib_cli *cli, const struct report_program *p, struct args *g, int c,
            char **argv)
{
	size_t threads;
	int st;

	if (!takes(p, c)) {
		const struct option *lo = longopts;
		while (lo->name && lo->val != c)
			lo++;
		return calib_cli_usage_error(cli, "unknown option --%s", lo->name);
	}
	switch (c) {
	case 'f':
		return calib_cli_format(cli, optarg, &g->fmt) ? 2 : 0;
	case 'o':
		g->output = optarg;
		return 0;
	case OPT_STAT:
		if ((st = check_stat_list(cli, p, optarg)))
			return st;
		g->o.stat = optarg;
		return 0;
	case OPT_MIN:
		return calib_cli_double(cli, "--min", optarg, -1, 1, &g->min) ? 2 : 0;
	case OPT_ALERT_ON:
		return calib_cli_alert_on(cli, optarg, &g->on_estimate) ? 2 : 0;
	case OPT_CI:
		if (strcmp(optarg, "bootstrap") == 0)
			g->bootstrap = true;
		else if (strcmp(optarg, "analytic") == 0)
			g->bootstrap = false;
		else
			return calib_cli_usage_error(cli, "option --ci: '%s' is not analytic or bootstrap",
			                             optarg);
		return 0;
	case OPT_BOOT:
		return calib_cli_size(cli, "--boot", optarg, 10, 10000000, &g->boot) ? 2 : 0;
	case 's':
		return calib_cli_seed(cli, optarg, &g->o.seed) ? 2 : 0;
	case OPT_CONF:
		return calib_cli_double(cli, "--conf", optarg, 0.5, 0.999999, &g->o.coef.conf) ? 2
		                                                                                 : 0;
	case OPT_COMPLETE:
		g->o.complete = true;
		return 0;
	case OPT_NA_POLICY:
		return calib_cli_na_policy(cli, optarg, &g->o.na) ? 2 : 0;
	case OPT_ICC:
		return calib_cli_icc_convention(cli, optarg, &g->o.coef.icc) ? 2 : 0;
	case OPT_WEIGHTS:
		g->weights = optarg;
		return 0;
	case OPT_NO_TOTAL:
		g->o.total = false;
		return 0;
	case OPT_DETAIL:
		g->o.detail = true;
		return 0;
	case 'j':
		if (calib_cli_size(cli, "--threads", optarg, 1, 2, &threads))
			return 2;
		g->o.threads = (unsigned)threads;
		cli->read.threads = g->o.threads;
		return 0;
	case 'h':
		help(p);
		return (st = calib_cli_close_stdout(cli)) ? st : -1;
	case 'V':
		return (st = calib_cli_version(cli)) ? st : -1;
	default:
		return calib_cli_bad_option(cli, c, argv);
	}
}

/*
 * The options into g and cli, checked against each other: 0 to go on, -1
 * when done (--help, --version: exit 0), else the exit status, with the
 * message printed.
 */
static int
parse_args(struct calib_cli *cli, const struct report_program *p, struct args *g, int argc,
           char **argv)
{
	int c, st;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:hj:o:s:V", longopts,
	                        NULL)) != -1) {
		switch (calib_cli_read_opt(cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		if ((st = program_opt(cli, p, g, c, argv)))
			return st;
	}
	if (g->boot && !g->bootstrap && !p->alpha_boot)
		return calib_cli_usage_error(cli, "option --boot needs --ci bootstrap");
	if (g->bootstrap)
		g->o.boot = g->boot ? g->boot : 1000;
	if (p->alpha_boot)
		g->o.alpha_boot = g->boot ? g->boot : 1000;
	return 0;
}

/* The headlines below --min, each said on stderr: 3 when there is one, else 0. */
static int
alerts(const struct report_program *p, const struct args *g, const struct calib_report *rep)
{
	int status = 0;

	if (isnan(g->min))
		return 0;
	for (size_t i = 0; i < rep->n_rows; i++) {
		const struct calib_report_row *row = &rep->rows[i];
		const struct calib_stat *s;
		char ci[80];
		if (row->headline == SIZE_MAX)
			continue;
		s = &rep->stats.v[row->first + row->headline];
		if (!below(s, g->min, g->on_estimate))
			continue;
		fprintf(stderr, "%s: %s: %s %.3f %s is below %g\n", p->name, row->criterion, s->name,
		        s->estimate,
		        calib_cli_interval_text(ci, sizeof ci, s->lower, s->upper, g->o.coef.conf,
		                                g->on_estimate),
		        g->min);
		status = 3;
	}
	return status;
}

int
report_main(int argc, char **argv, const struct report_program *p)
{
	struct calib_cli cli;
	struct args g = {.fmt = calib_cli_default_format(), .min = NAN};
	struct calib_store *store = NULL;
	struct calib_report *rep = NULL;
	struct calib_table *t = NULL;
	struct calib_error err;
	double *w = NULL;
	bool table;
	int status = 0;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, p->name, p->usage);
	calib_report_opts_init(&g.o);
	g.o.stat = p->stat;
	g.o.families = p->families;
	g.o.detail = p->detail;
	g.o.total = !p->no_total;
	g.o.seed = 1;
	if ((status = parse_args(&cli, p, &g, argc, argv)))
		return status < 0 ? 0 : status;
	if (g.weights) {
		if (read_weights(&cli, g.weights, &w, &g.o.coef.custom_q))
			return 1;
		g.o.coef.custom_w = w;
	}
	if (isatty(STDERR_FILENO)) {
		g.o.progress = progress;
		g.o.progress_ctx = (void *)p->name;
	}
	if (calib_cli_load(&cli, argv + optind, (size_t)(argc - optind), &store)) {
		free(w);
		return 1;
	}
	calib_error_clear(&err);
	if (calib_report_run(store, &g.o, &rep, &err)) {
		status = calib_cli_fail(&cli, &err);
		goto out;
	}
	table = g.fmt == CALIB_FORMAT_TABLE;
	t = table ? (p->detail ? calib_report_detail(rep) : calib_report_summary(rep))
	          : calib_report_tidy(rep);
	if (!t || calib_cli_left_out(&cli, store, table ? t : NULL)) {
		status = calib_cli_fail(&cli, NULL);
		goto out;
	}
	if (calib_cli_write_table(&cli, g.output, t, g.fmt, table))
		status = 1;
	else
		status = alerts(p, &g, rep);
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
