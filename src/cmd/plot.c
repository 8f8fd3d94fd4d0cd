/*
 * plot.c - calib-plot: per-criterion disagreement plots drawn by gnuplot,
 * built by the library's plot builders (plots.h), from the score sheets or
 * from calib-agree's records read back (results.h):
 *
 *   agreement     the chosen coefficient per criterion with its CI, sorted
 *                 worst to best, over the interpretation bands
 *   spread        every rater's score per call and criterion
 *   heatmap       rater x criterion mean deviation from the reference of
 *                 calib-raters (median or mean of the others, or an expert)
 *   bland-altman  difference against mean, per rater, for a points criterion
 *                 (Bland & Altman 1986, Lancet i:307-310: bias and limits of
 *                 agreement bias +- z(0.975) SD; the limits' intervals of
 *                 Bland & Altman 1999, through calib_raters_limits)
 *   plan          per criterion the width of its interval against the number
 *                 of calls, as calib-plan plans them
 *
 * Every name from the input reaches the script only through the quoting
 * functions of calib/plot.h; data go in numeric datablocks.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib/plot.h"
#include "calib/plots.h"
#include "calib/raters.h"
#include "calib/registry.h"
#include "calib/report.h"
#include "calib/results.h"
#include "common.h"

static const char usage[] =
        "usage: calib-plot agreement|spread|heatmap|bland-altman|plan [-d C] [-r RUBRIC]\n"
        "                  [-o FILE] [-t TERMINAL] [--size WxH] [--script] [--title TEXT]\n"
        "                  [--stat NAME] [--min X] [--criterion NAME] [--consensus C]\n"
        "                  [--expert NAME] [--key FILE|consensus] [--width W]\n"
        "                  [OPTION...] [FILE...]\n";

static const char help[] =
        "Plots of where raters disagree, drawn by gnuplot:\n"
        "  agreement     per criterion the chance-corrected coefficient with its\n"
        "                confidence interval, worst first, over the interpretation\n"
        "                bands; reads score sheets, or calib-agree's or calib-kappa's\n"
        "                output (CSV, TSV or JSON)\n"
        "  spread        each call's scores from every rater, per criterion\n"
        "  heatmap       rater x criterion: mean deviation from the consensus of the\n"
        "                others (or --expert, --key), as calib-raters measures it\n"
        "                (positive: more lenient, negative: more severe)\n"
        "  bland-altman  per rater, difference from the consensus (or --expert, --key)\n"
        "                against the mean, with bias and limits of agreement and\n"
        "                their confidence intervals\n"
        "  plan          per criterion the width of its interval against the number\n"
        "                of calls, as calib-plan plans them, with the target --width\n"
        "Without -o the plot is text on standard output (gnuplot's dumb terminal).\n";

static const char options_help[] =
        "  -o, --output FILE       write the plot to FILE (all or nothing); the\n"
        "                          extension .png .svg .pdf or .txt picks the terminal\n"
        "  -t, --terminal T        png, svg, pdf or dumb (default: from -o, else dumb)\n"
        "      --size WxH          pixels (default 1280x720), characters for dumb\n"
        "                          (default 100x30); without it the plot grows\n"
        "                          with the criteria and raters it shows\n"
        "      --script            print the gnuplot script instead of running gnuplot\n"
        "      --title TEXT        name of the session in titles (default: the file\n"
        "                          name, or \"N files\" for several)\n"
        "      --stat NAME         agreement: the statistic to plot (default: each\n"
        "                          criterion's headline, as calib-agree --min judges)\n"
        "      --min X             agreement: draw a threshold line at X\n"
        "  -s, --seed S            agreement: seed of the bootstrap (1000 replicates)\n"
        "                          that gives a headline without an analytic CI one\n"
        "                          (default 1)\n"
        "      --criterion NAME    spread, bland-altman: only this criterion\n"
        "      --consensus C       heatmap, bland-altman: median (default) or mean of\n"
        "                          the other raters, as in calib-raters\n"
        "      --expert NAME       heatmap, bland-altman: compare with this rater, not\n"
        "                          the consensus of the others\n"
        "      --key FILE          heatmap, bland-altman: compare with an answer key, as\n"
        "                          calib-raters --key (FILE, or consensus)\n"
        "      --width W           plan: the target width of the interval (a line)\n"
        "  -h, --help              print this help and exit\n"
        "  -V, --version           print the version and exit\n";

static const char environment_help[] =
        "\nEnvironment: CALIB_GNUPLOT names the gnuplot program (default gnuplot).\n";

enum {
	OPT_SIZE = CALIB_OPT_FIRST_PROGRAM,
	OPT_SCRIPT,
	OPT_TITLE,
	OPT_STAT,
	OPT_MIN,
	OPT_CRITERION,
	OPT_EXPERT,
	OPT_CONSENSUS,
	OPT_KEY,
	OPT_WIDTH
};

static const struct option longopts[] = {CALIB_CLI_READ_LONGOPTS,
                                         {"output", required_argument, NULL, 'o'},
                                         {"terminal", required_argument, NULL, 't'},
                                         {"size", required_argument, NULL, OPT_SIZE},
                                         {"script", no_argument, NULL, OPT_SCRIPT},
                                         {"title", required_argument, NULL, OPT_TITLE},
                                         {"stat", required_argument, NULL, OPT_STAT},
                                         {"min", required_argument, NULL, OPT_MIN},
                                         {"seed", required_argument, NULL, 's'},
                                         {"criterion", required_argument, NULL, OPT_CRITERION},
                                         {"expert", required_argument, NULL, OPT_EXPERT},
                                         {"key", required_argument, NULL, OPT_KEY},
                                         {"consensus", required_argument, NULL, OPT_CONSENSUS},
                                         {"width", required_argument, NULL, OPT_WIDTH},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};

/* What the command line asks for besides the plot's own options. */
struct args {
	struct calib_plots_opts o;
	enum calib_plot_terminal term;
	bool term_given, script;
	const char *output; /* -o, NULL: standard output */
	unsigned w, h;      /* --size, 0 x 0: the plot's own */
	char **files;       /* the inputs (argv's) */
	size_t nfiles;
	char files_name[32]; /* the title of several files: "N files" */
};

/* What a plot is drawn from: a store, and the agreement plot's entries. */
struct input {
	struct calib_store *store; /* NULL when calib-agree's records were read */
	struct calib_report *rep;  /* agreement from a store: the analysis */
	struct calib_plots_entries en;
};

/* ---- options ---- */

/*
 * The options in argv into a (the kind and files not yet): -1 to go on,
 * else the exit status (after --help, --version or a usage error).
 */
static int
parse_options(struct calib_cli *cli, int argc, char **argv, struct args *a)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "ho:s:t:V", longopts,
	                        NULL)) != -1) {
		switch (calib_cli_read_opt(cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		switch (c) {
		case 'o':
			a->output = optarg;
			break;
		case 't':
			if (calib_cli_terminal(cli, optarg, &a->term))
				return 2;
			a->term_given = true;
			break;
		case OPT_SIZE:
			if (!calib_plot_size_parse(optarg, &a->w, &a->h))
				return calib_cli_usage_error(cli,
				                             "option --size: '%s' is not WxH "
				                             "with numbers from 10 to 20000",
				                             optarg);
			break;
		case OPT_SCRIPT:
			a->script = true;
			break;
		case 's':
			if (calib_cli_seed(cli, optarg, &a->o.seed))
				return 2;
			break;
		case OPT_TITLE:
			a->o.title = optarg;
			break;
		case OPT_STAT:
			if (!calib_registry_known(optarg) || strcmp(optarg, "all") == 0 ||
			    strchr(optarg, ','))
				return calib_cli_usage_error(
				        cli, "option --stat: unknown statistic '%s'", optarg);
			a->o.stat = optarg;
			break;
		case OPT_MIN:
			if (calib_cli_double(cli, "--min", optarg, -1, 1, &a->o.min))
				return 2;
			break;
		case OPT_CRITERION:
			a->o.criterion = optarg;
			break;
		case OPT_EXPERT:
			if (!*optarg)
				return calib_cli_usage_error(cli,
				                             "option --expert: empty name");
			a->o.expert = optarg;
			break;
		case OPT_KEY:
			if (!*optarg)
				return calib_cli_usage_error(cli,
				                             "option --key: empty file name");
			a->o.key = optarg;
			break;
		case OPT_CONSENSUS:
			if (calib_cli_consensus(cli, optarg, &a->o.consensus))
				return 2;
			a->o.consensus_given = true;
			break;
		case OPT_WIDTH:
			if (calib_cli_double(cli, "--width", optarg, 0.001, 4, &a->o.width))
				return 2;
			break;
		case 'h':
			/* the reading options first, as every calib program lists them */
			printf("%s\n%s\nOptions:\n" CALIB_CLI_READ_HELP "%s%s", usage, help,
			       options_help, environment_help);
			return calib_cli_close_stdout(cli);
		case 'V':
			return calib_cli_version(cli);
		default:
			return calib_cli_bad_option(cli, c, argv);
		}
	}
	return -1;
}

/*
 * The session's name for titles: --title, else the one file's base name,
 * or "N files" for several (buf holds it).
 */
static const char *
session_name(const char *given, char *const *files, size_t n, char *buf, size_t size)
{
	const char *slash;

	if (given)
		return given;
	if (n > 1) {
		snprintf(buf, size, "%zu files", n);
		return buf;
	}
	if (n == 0 || strcmp(files[0], "-") == 0)
		return "";
	slash = strrchr(files[0], '/');
	return slash ? slash + 1 : files[0];
}

/*
 * The kind of plot and the files after the options (argv[optind..argc)),
 * and the options checked together: -1 to go on, else 2 (usage error).
 */
static int
parse_operands(const struct calib_cli *cli, int argc, char **argv, struct args *a)
{
	static const struct {
		const char *name;
		enum calib_plots_kind kind;
	} kinds[] = {{"agreement", CALIB_PLOTS_AGREEMENT},
	             {"spread", CALIB_PLOTS_SPREAD},
	             {"heatmap", CALIB_PLOTS_HEATMAP},
	             {"bland-altman", CALIB_PLOTS_BLAND_ALTMAN},
	             {"plan", CALIB_PLOTS_PLAN}};
	struct calib_plots_opts *o = &a->o;
	size_t k = 0;

	if (optind >= argc)
		return calib_cli_usage_error(cli, "missing the kind of plot");
	while (k < sizeof kinds / sizeof kinds[0] && strcmp(argv[optind], kinds[k].name) != 0)
		k++;
	if (k == sizeof kinds / sizeof kinds[0])
		return calib_cli_usage_error(cli, "unknown kind of plot '%s'", argv[optind]);
	o->kind = kinds[k].kind;
	optind++;
	if ((o->expert || o->key || o->consensus_given) &&
	    (o->kind == CALIB_PLOTS_AGREEMENT || o->kind == CALIB_PLOTS_SPREAD))
		return calib_cli_usage_error(cli,
		                             "option --%s: only for heatmap and bland-altman",
		                             o->expert ? "expert"
		                             : o->key  ? "key"
		                                       : "consensus");
	if (o->kind == CALIB_PLOTS_PLAN && isnan(o->width))
		return calib_cli_usage_error(cli, "plan: give the target --width");
	if (o->kind != CALIB_PLOTS_PLAN && !isnan(o->width))
		return calib_cli_usage_error(cli, "option --width: only for plan");
	if (o->expert && o->key)
		return calib_cli_usage_error(cli, "--key and --expert: give one reference");
	if (a->output && strcmp(a->output, "-") == 0)
		a->output = NULL;
	if (!a->term_given && a->output && !calib_plot_terminal_from_path(a->output, &a->term))
		return calib_cli_usage_error(
		        cli, "option -o: cannot tell the terminal from '%s': use --terminal",
		        a->output);
	if (!a->script && calib_plot_terminal_binary(a->term) &&
	    calib_cli_is_terminal(a->output))
		return calib_cli_usage_error(
		        cli,
		        "a %s plot is binary: not written to a terminal (use -o "
		        "FILE or redirect standard output)",
		        calib_plot_terminal_name(a->term));
	o->dumb = a->term == CALIB_PLOT_DUMB;
	a->files = argv + optind;
	a->nfiles = (size_t)(argc - optind);
	o->title = session_name(o->title, a->files, a->nfiles, a->files_name,
	                        sizeof a->files_name);
	return -1;
}

/* ---- reading ---- */

/*
 * The agreement plot's one input (name, "-": standard input): calib-agree's
 * or calib-kappa's records (CSV, TSV or JSON) into in->en, else a score
 * sheet into in->store, as calib_cli_load. It is read once into memory
 * (standard input or a FIFO cannot be read again) and looked at. 0, or 1
 * with the message printed.
 */
static int
load_one(const struct calib_cli *cli, const char *name, const char *stat, struct input *in)
{
	FILE *fp = strcmp(name, "-") == 0 ? stdin : fopen(name, "r");
	struct calib_results *r = NULL;
	struct calib_error err;
	char *buf;
	size_t len = 0;
	int st = 1;

	if (!fp) {
		calib_cli_errorf(cli, "%s: %s", name, strerror(errno));
		return 1;
	}
	buf = calib_cli_read_all(fp, &len);
	if (fp != stdin)
		fclose(fp);
	if (!buf) {
		calib_cli_errorf(cli, "%s: %s", name, strerror(errno ? errno : ENOMEM));
		return 1;
	}
	if (!calib_results_sniff(buf, len)) {
		/* fmemopen refuses a size of 0: one byte, read away */
		if (!(fp = fmemopen(buf, len ? len : 1, "r")))
			calib_cli_errorf(cli, "%s", strerror(errno));
		else {
			if (len == 0)
				fgetc(fp);
			st = calib_cli_load_stream(cli, fp, name, &in->store);
			fclose(fp);
		}
		free(buf);
		return st;
	}
	if (fp == stdin)
		name = "<stdin>";
	calib_error_clear(&err);
	if (calib_results_parse(buf, len, name, &r, &err))
		calib_cli_error(cli, &err);
	else if (calib_plots_from_results(r, stat, &in->en))
		calib_cli_errorf(cli, "out of memory");
	else if (in->en.n == 0)
		calib_cli_errorf(cli, "%s: no %s records", name, stat ? stat : "coefficient");
	else
		st = 0;
	calib_results_free(r);
	free(buf);
	return st;
}

/*
 * The inputs of the plot a asks for into in: calib-agree's records or a
 * sheet (agreement of one input), else the sheets, with the answer key
 * when --key names one. What was left out is said on standard error (a
 * plot has no notes). 0, or 1 with the message printed.
 */
static int
load(const struct calib_cli *cli, struct args *a, struct input *in)
{
	if (a->o.kind == CALIB_PLOTS_AGREEMENT && a->nfiles <= 1) {
		if (load_one(cli, a->nfiles ? a->files[0] : "-", a->o.stat, in))
			return 1;
	} else if (a->o.key) {
		if (calib_cli_load_key(cli, a->files, a->nfiles, a->o.key, &in->store,
		                       &a->o.expert_id, NULL))
			return 1;
	} else if (calib_cli_load(cli, a->files, a->nfiles, &in->store))
		return 1;
	if (in->store && calib_cli_left_out(cli, in->store, NULL))
		return calib_cli_fail(cli, NULL);
	return 0;
}

/*
 * The agreement plot's entries from the store: the analysis calib-agree
 * runs, each row's headline (or --stat), by rubric section. 0, or 1 with
 * the message printed.
 */
static int
agreement_entries(const struct calib_cli *cli, const struct calib_plots_opts *o,
                  struct input *in)
{
	struct calib_report_opts ro;
	struct calib_error err;

	calib_report_opts_init(&ro);
	ro.stat = o->stat;
	ro.seed = o->seed;
	calib_error_clear(&err);
	if (calib_report_run(in->store, &ro, &in->rep, &err))
		return calib_cli_fail(cli, &err);
	if (calib_plots_from_report(in->rep, &in->en))
		return calib_cli_fail(cli, NULL);
	calib_plots_by_section(in->store, &in->en);
	if (in->en.n == 0) {
		calib_cli_errorf(cli, "no criterion has %s",
		                 o->stat ? o->stat : "a coefficient");
		return 1;
	}
	return 0;
}

/* ---- drawing ---- */

/* The --criterion named into *ci; 0, or 1 with the message printed. */
static int
find_criterion(const struct calib_cli *cli, const struct calib_store *s, const char *name,
               uint32_t *ci)
{
	if ((*ci = calib_store_find_criterion(s, name, strlen(name))) != CALIB_NONE)
		return 0;
	calib_cli_errorf(cli, "--criterion: no criterion '%s' in the input", name);
	return 1;
}

/* The spread of --criterion, or of every criterion. *st: the builder's status. */
static int
draw_spread(const struct calib_cli *cli, struct calib_plot *p, const struct calib_store *s,
            const struct calib_plots_opts *o, enum calib_status *st)
{
	uint32_t one, *all;

	if (o->criterion) {
		if (find_criterion(cli, s, o->criterion, &one))
			return 1;
		*st = calib_plots_spread(p, s, o, &one, 1);
		return 0;
	}
	if (!(all = malloc((s->n_criteria ? s->n_criteria : 1) * sizeof *all))) {
		*st = CALIB_ENOMEM;
		return 0;
	}
	for (size_t k = 0; k < s->n_criteria; k++)
		all[k] = (uint32_t)k;
	*st = calib_plots_spread(p, s, o, all, s->n_criteria);
	free(all);
	return 0;
}

/* Bland-Altman of --criterion, else of calib_plots_ba_criterion's. *st as draw_spread. */
static int
draw_bland_altman(const struct calib_cli *cli, struct calib_plot *p,
                  const struct calib_store *s, const struct calib_plots_opts *o,
                  enum calib_status *st)
{
	uint32_t ci;
	size_t left_out = 0;

	if (o->criterion) {
		if (find_criterion(cli, s, o->criterion, &ci))
			return 1;
	} else if ((ci = calib_plots_ba_criterion(s)) == CALIB_NONE) {
		calib_cli_errorf(cli,
		                 "bland-altman: no criterion is scored in points; name one "
		                 "with --criterion");
		return 1;
	}
	*st = calib_plots_bland_altman(p, s, o, ci, &left_out);
	if (*st == CALIB_OK && left_out)
		calib_cli_errorf(cli,
		                 "bland-altman: %zu of %zu raters not shown; the %d with the "
		                 "largest |bias| are drawn",
		                 left_out, left_out + CALIB_PLOTS_BA_PAGE, CALIB_PLOTS_BA_PAGE);
	if (*st == CALIB_EARG) {
		calib_cli_errorf(cli, "bland-altman: no call has two scores to compare");
		return 1;
	}
	return 0;
}

/* The plot o asks for, from in, appended to p. 0, or 1 with the message printed. */
static int
draw(const struct calib_cli *cli, struct calib_plot *p, struct input *in,
     const struct calib_plots_opts *o)
{
	struct calib_error err;
	enum calib_status st = CALIB_OK;

	switch (o->kind) {
	case CALIB_PLOTS_AGREEMENT:
		st = calib_plots_agreement(p, &in->en, o);
		break;
	case CALIB_PLOTS_PLAN:
		calib_error_clear(&err);
		if ((st = calib_plots_plan(p, in->store, o, &err)) == CALIB_EARG)
			return calib_cli_fail(cli, &err);
		break;
	case CALIB_PLOTS_HEATMAP:
		st = calib_plots_heatmap(p, in->store, o);
		break;
	case CALIB_PLOTS_SPREAD:
		if (draw_spread(cli, p, in->store, o, &st))
			return 1;
		break;
	case CALIB_PLOTS_BLAND_ALTMAN:
		if (draw_bland_altman(cli, p, in->store, o, &st))
			return 1;
		break;
	}
	if (st) {
		calib_cli_errorf(cli, "out of memory");
		return 1;
	}
	return 0;
}

/*
 * The plot p out: its script on standard output (--script; a closed pipe
 * ends quietly), else gnuplot's output to a->output. 0, or 1 printed.
 */
static int
emit(const struct calib_cli *cli, const struct calib_plot *p, const struct args *a)
{
	struct calib_error err;

	calib_error_clear(&err);
	if (a->script) {
		if (calib_plot_write_script(p, stdout, a->output, &err) == CALIB_OK ||
		    errno == EPIPE)
			return 0;
	} else if (calib_plot_run(p, a->output, &err) == CALIB_OK)
		return 0;
	calib_cli_error(cli, &err);
	return 1;
}

int
main(int argc, char **argv)
{
	struct calib_cli cli;
	struct args a = {.o = {.min = NAN,
	                       .width = NAN,
	                       .seed = 1,
	                       .consensus = CALIB_CONSENSUS_MEDIAN,
	                       .expert_id = CALIB_NONE},
	                 .term = CALIB_PLOT_DUMB};
	struct input in = {0};
	struct calib_plot *p = NULL;
	int status = 1, r;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-plot", usage);
	if ((r = parse_options(&cli, argc, argv, &a)) >= 0 ||
	    (r = parse_operands(&cli, argc, argv, &a)) >= 0)
		return r;
	if (load(&cli, &a, &in))
		goto out;
	if (in.store && a.o.kind == CALIB_PLOTS_AGREEMENT && agreement_entries(&cli, &a.o, &in))
		goto out;
	if (a.o.expert &&
	    (a.o.expert_id = calib_names_find(in.store->raters, a.o.expert,
	                                      strlen(a.o.expert))) == CALIB_NONE) {
		calib_cli_errorf(&cli, "--expert: no rater '%s' in the input", a.o.expert);
		goto out;
	}
	if (!(p = calib_plot_alloc(a.term, a.w, a.h)) || calib_plot_style(p)) {
		calib_cli_errorf(&cli, "out of memory");
		goto out;
	}
	if (draw(&cli, p, &in, &a.o) == 0)
		status = emit(&cli, p, &a);
out:
	calib_plots_entries_free(&in.en);
	calib_plot_free(p);
	calib_report_free(in.rep);
	calib_store_free(in.store);
	return status ? status : calib_cli_close_stdout(&cli);
}
