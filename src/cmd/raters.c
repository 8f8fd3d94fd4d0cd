/*
 * raters.c - calib-raters: who is out of line. Each rater against the
 * consensus of the others or an expert: bias with a CI, deviations, the
 * alignment score, agreement on nominal criteria, a test of a systematic
 * rater effect and the ranking from most lenient to most severe.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "calib/raters.h"
#include "calib/table.h"
#include "common.h"

static const char usage[] = "usage: calib-raters [-d C] [-r RUBRIC] [-f FORMAT] [-o FILE] "
                            "[--consensus C] [--expert NAME]\n"
                            "                    [--key FILE|consensus] [--pass X] "
                            "[--tolerance X[%]] [--view V]\n"
                            "                    [--pairs] [--complete-calls] [OPTION...] "
                            "[FILE...]\n";

static const char help[] =
        "Each rater against the consensus of the others (leave-one-out median or mean)\n"
        "or against an expert: signed bias (lenient or severe) with a confidence\n"
        "interval, mean absolute deviation, share of scores within a tolerance, the\n"
        "points-based alignment score weighted by the rubric, agreement on yes/no and\n"
        "nominal criteria (and Cohen's kappa against an expert), a test of whether\n"
        "raters differ systematically, and the ranking from most lenient to most severe.\n"
        "With an answer key (--key) or an expert, each rater's calibration score: the\n"
        "share of items matching the key, with a pass mark (--pass) for scripts.\n";

enum {
	OPT_CONSENSUS = CALIB_OPT_FIRST_PROGRAM,
	OPT_EXPERT,
	OPT_TOLERANCE,
	OPT_VIEW,
	OPT_PAIRS,
	OPT_CONF,
	OPT_COMPLETE,
	OPT_KEY,
	OPT_PASS
};

static const struct option longopts[] = {CALIB_CLI_READ_LONGOPTS,
                                         CALIB_CLI_OUTPUT_LONGOPTS,
                                         {"consensus", required_argument, NULL, OPT_CONSENSUS},
                                         {"expert", required_argument, NULL, OPT_EXPERT},
                                         {"key", required_argument, NULL, OPT_KEY},
                                         {"pass", required_argument, NULL, OPT_PASS},
                                         {"tolerance", required_argument, NULL, OPT_TOLERANCE},
                                         {"view", required_argument, NULL, OPT_VIEW},
                                         {"pairs", no_argument, NULL, OPT_PAIRS},
                                         {"conf", required_argument, NULL, OPT_CONF},
                                         {"complete-calls", no_argument, NULL, OPT_COMPLETE},
                                         {"threads", required_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};

static const char options_help[] = CALIB_CLI_OUTPUT_HELP
        "      --consensus C       median (default) or mean of the other raters\n"
        "      --expert NAME       compare with this rater's scores instead (benchmark)\n"
        "      --key FILE          compare with an answer key: a sheet in any input form,\n"
        "                          one score per call and criterion (a rater column is\n"
        "                          ignored); --key consensus: the raters' modal (binary,\n"
        "                          nominal) or median (ordinal, interval) answer\n"
        "      --pass X            pass mark of the calibration score (0 to 1): exit 3\n"
        "                          when a rater falls below it, naming them on stderr\n"
        "      --tolerance X[%]    within-tolerance bound: X points, or X% of each\n"
        "                          criterion's range (default 10%)\n"
        "      --view V            ranking (default), calibration (against the key or\n"
        "                          expert; the default with --key), criteria (rater x\n"
        "                          criterion), tests (rater effect per criterion) or pairs\n"
        "      --pairs             pairwise agreement matrix (same as --view pairs)\n"
        "      --conf LEVEL        confidence level of the bias interval (default 0.95)\n"
        "      --complete-calls    rater-effect tests on the calls scored by every rater\n"
        "                          (Friedman, two-way ANOVA) instead of every score\n"
        "  -j, --threads N         threads in all, 1 or 2 (default: up to 2)\n"
        "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and exit\n";

enum view { VIEW_DEFAULT, VIEW_RANKING, VIEW_CALIBRATION, VIEW_CRITERIA, VIEW_TESTS, VIEW_PAIRS };

/*
 * Name the raters below the pass mark on stderr, one line: "calib-raters:
 * below the pass mark 0.85: emma 0.712, ben 0.800". Returns 3 when there is
 * one, else 0.
 */
static int
fails(const struct calib_cli *cli, const struct calib_raters *r, const struct calib_store *s)
{
	char buf[1024];
	size_t o = 0, n = 0;
	for (size_t i = 0; i < r->n_raters; i++) {
		const struct calib_raters_summary *u = &r->sum[i];
		char *tmp = NULL;
		const char *name;
		if (u->pass != 0)
			continue;
		name = calib_escaped(calib_names_get(s->raters, u->rater), &tmp);
		if (o < sizeof buf)
			o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s %.3f", n ? ", " : "",
			                      name ? name : "?", u->calibration);
		free(tmp);
		n++;
	}
	if (!n)
		return 0;
	calib_cli_errorf(cli, "below the pass mark %g: %s", r->opts.pass, buf);
	return 3;
}

/* What the options ask for, beyond the common reading options. */
struct args {
	struct calib_raters_opts o;
	enum calib_format fmt;
	enum view view;
	const char *output, *expert, *key;
};

/* --view V into *v; 0, or 2 with a usage error printed. */
static int
parse_view(const struct calib_cli *cli, const char *arg, enum view *v)
{
	static const char *const names[] = { "ranking", "calibration", "criteria", "tests",
		                             "pairs" };
	static const enum view views[] = { VIEW_RANKING, VIEW_CALIBRATION, VIEW_CRITERIA,
		                           VIEW_TESTS, VIEW_PAIRS };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(arg, names[i]) == 0) {
			*v = views[i];
			return 0;
		}
	return calib_cli_usage_error(cli,
	                             "option --view: expected ranking, calibration, criteria, "
	                             "tests or pairs, not '%s'",
	                             arg);
}

/*
 * The options into g and cli, checked against each other: 0 to go on,
 * -1 when done (--help, --version: exit 0), else the exit status, with
 * the message printed.
 */
static int
parse_args(struct calib_cli *cli, struct args *g, int argc, char **argv)
{
	size_t threads = 0;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "f:hj:o:V", longopts,
	                        NULL)) != -1) {
		switch (calib_cli_read_opt(cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		switch (c) {
		case 'f':
			if (calib_cli_format(cli, optarg, &g->fmt))
				return 2;
			break;
		case 'o':
			g->output = optarg;
			break;
		case OPT_CONSENSUS:
			if (calib_cli_consensus(cli, optarg, &g->o.consensus))
				return 2;
			break;
		case OPT_EXPERT:
			if (!*optarg)
				return calib_cli_usage_error(cli, "option --expert: empty name");
			g->expert = optarg;
			break;
		case OPT_KEY:
			if (!*optarg)
				return calib_cli_usage_error(cli, "option --key: empty file name");
			g->key = optarg;
			break;
		case OPT_PASS:
			if (calib_cli_double(cli, "--pass", optarg, 0, 1, &g->o.pass))
				return 2;
			break;
		case OPT_TOLERANCE:
			if (calib_cli_tolerance(cli, optarg, &g->o))
				return 2;
			break;
		case OPT_VIEW:
			if (parse_view(cli, optarg, &g->view))
				return 2;
			break;
		case OPT_PAIRS:
			g->view = VIEW_PAIRS;
			break;
		case OPT_COMPLETE:
			g->o.complete = true;
			break;
		case OPT_CONF:
			if (calib_cli_double(cli, "--conf", optarg, 0.5, 0.999999, &g->o.conf))
				return 2;
			break;
		case 'j':
			if (calib_cli_size(cli, "--threads", optarg, 1, 2, &threads))
				return 2;
			g->o.threads = (unsigned)threads;
			cli->read.threads = g->o.threads;
			break;
		case 'h':
			printf("%s\n%sOptions:\n" CALIB_CLI_READ_HELP "%s", usage, help,
			       options_help);
			return calib_cli_close_stdout(cli) ? 1 : -1;
		case 'V':
			return calib_cli_version(cli) ? 1 : -1;
		default:
			return calib_cli_bad_option(cli, c, argv);
		}
	}
	if (g->key && g->expert)
		return calib_cli_usage_error(cli, "--key and --expert: give one reference");
	if ((g->view == VIEW_CALIBRATION || !isnan(g->o.pass)) && !g->key && !g->expert)
		return calib_cli_usage_error(cli, "%s: needs --key or --expert",
		                             !isnan(g->o.pass) ? "--pass" : "--view calibration");
	if (g->view == VIEW_DEFAULT)
		g->view = g->key ? VIEW_CALIBRATION : VIEW_RANKING;
	g->o.pairs = g->view == VIEW_PAIRS;
	return 0;
}

/*
 * The inputs files[0..n) into *store, with the answer key of --key when
 * given: its rater becomes g->o.expert and its description, written in
 * key_text, g->o.key. 0, or 1 with the message printed.
 */
static int
load(const struct calib_cli *cli, struct args *g, char *const *files, size_t n,
     char *key_text, size_t size, struct calib_store **store)
{
	uint32_t key_rater = CALIB_NONE;
	size_t n_tied = 0;
	char *tmp = NULL;

	if (!g->key)
		return calib_cli_load(cli, files, n, store);
	if (calib_cli_load_key(cli, files, n, g->key, store, &key_rater, &n_tied))
		return 1;
	g->o.expert = key_rater;
	if (strcmp(g->key, "consensus") == 0)
		snprintf(key_text, size,
		         "the raters' consensus: modal or median answer, %zu tie%s "
		         "went to the lower score",
		         n_tied, n_tied == 1 ? "" : "s");
	else {
		const char *shown = calib_escaped(g->key, &tmp);
		snprintf(key_text, size, "%s", shown ? shown : "?");
	}
	free(tmp);
	g->o.key = key_text;
	return 0;
}

/* The table of view v of res (NULL: out of memory). */
static struct calib_table *
view_table(const struct calib_raters *res, const struct calib_store *s, enum view v)
{
	switch (v) {
	case VIEW_CALIBRATION:
		return calib_raters_calibration(res, s);
	case VIEW_CRITERIA:
		return calib_raters_criteria(res, s);
	case VIEW_TESTS:
		return calib_raters_tests(res, s);
	case VIEW_PAIRS:
		return calib_raters_pairs(res, s);
	case VIEW_DEFAULT:
	case VIEW_RANKING:
	default:
		return calib_raters_ranking(res, s);
	}
}

int
main(int argc, char **argv)
{
	struct calib_cli cli;
	struct args g = {.fmt = calib_cli_default_format(), .view = VIEW_DEFAULT};
	struct calib_store *store = NULL;
	struct calib_raters *res = NULL;
	struct calib_table *t = NULL;
	struct calib_error err;
	char key_text[200];
	bool grouped;
	int status = 0;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-raters", usage);
	calib_raters_opts_init(&g.o);
	if ((status = parse_args(&cli, &g, argc, argv)))
		return status < 0 ? 0 : status;
	if (load(&cli, &g, argv + optind, (size_t)(argc - optind), key_text, sizeof key_text,
	         &store))
		return 1;
	if (g.expert) {
		g.o.expert = calib_names_find(store->raters, g.expert, strlen(g.expert));
		if (g.o.expert == CALIB_NONE) {
			calib_cli_errorf(&cli, "--expert: no rater named '%s' in the input",
			                 g.expert);
			status = 1;
			goto done;
		}
	}
	calib_error_clear(&err);
	if (calib_raters_run(store, &g.o, &res, &err)) {
		status = calib_cli_fail(&cli, &err);
		goto done;
	}
	/* an aligned table of the views by criterion or pair shows each first
	 * column once, and says what was left out in its footer */
	grouped = g.fmt == CALIB_FORMAT_TABLE && g.view != VIEW_RANKING &&
	          g.view != VIEW_CALIBRATION;
	if (!(t = view_table(res, store, g.view)) ||
	    calib_cli_left_out(&cli, store, grouped ? t : NULL)) {
		status = calib_cli_fail(&cli, NULL);
		goto done;
	}
	if (calib_cli_write_table(&cli, g.output, t, g.fmt, grouped))
		status = 1;
	else
		status = fails(&cli, res, store);
done:
	calib_table_free(t);
	calib_raters_free(res);
	calib_store_free(store);
	{
		int cs = calib_cli_close_stdout(&cli);
		return status ? status : cs;
	}
}
