/*
 * plot.c - calib-plot: per-criterion disagreement plots drawn by gnuplot.
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
 *
 * Every name from the input reaches the script only through the quoting
 * functions of calib/plot.h; data go in numeric datablocks.
 */
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "calib/band.h"
#include "calib/plan.h"
#include "calib/plot.h"
#include "calib/plots.h"
#include "calib/raters.h"
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

/* ---- calib-agree's and calib-kappa's records (CSV, TSV or JSON) ---- */

static double
num(const char *s)
{
	char *end;
	double v;

	if (!s || !*s)
		return NAN;
	v = strtod(s, &end);
	return *end ? NAN : v; /* NA, or any --na-token */
}

/* Columns of calib-agree's records that a plot reads. */
enum { F_CRIT, F_STAT, F_EST, F_LO, F_HI, F_NCALLS, F_NOTE, F_SCALE, F_N };

/* Field k (F_*) of record i of r, where col holds the columns; NULL for none. */
static const char *
cell(const struct calib_results *r, const size_t *col, size_t i, int k)
{
	return col[k] < r->n_cols ? r->cell[i * r->n_cols + col[k]] : NULL;
}

/* The entry of record i of r (col: the columns F_*). 0, or 1 when out of memory. */
static int
entry_of(const struct calib_results *r, const size_t *col, size_t i,
         struct calib_plots_entries *out)
{
	struct calib_plots_entry *e = calib_plots_entries_push(out);
#define FIELD(k) cell(r, col, i, k)

	if (!e)
		return 1;
	e->criterion = calib_plots_strdup(FIELD(F_CRIT));
	e->stat = calib_plots_strdup(FIELD(F_STAT));
	e->note = calib_plots_strdup(FIELD(F_NOTE));
	e->est = num(FIELD(F_EST));
	e->lo = num(FIELD(F_LO));
	e->hi = num(FIELD(F_HI));
	e->n_calls = (size_t)fmax(0, fmin(1e9, num(FIELD(F_NCALLS))));
#undef FIELD
	return !e->criterion || !e->stat || !e->note;
}

/*
 * Entries from calib-agree's or calib-kappa's records in buf[0..len) (CSV,
 * TSV or JSON): per criterion the record calib_registry_pick chooses for
 * the scale in its scale column (without one, the headline of an unknown
 * scale, else the first coefficient). 0, or 1 with the message printed.
 */
static int
entries_from_results(const struct calib_cli *cli, const char *name, const char *buf,
                     size_t len, const struct calib_plots_opts *o, struct calib_plots_entries *out)
{
	static const char *const names[F_N] = {"criterion", "statistic", "estimate", "ci_lower",
	                                       "ci_upper",  "n_calls",   "note",     "scale"};
	struct calib_results *r = NULL;
	struct calib_error err;
	size_t col[F_N];
	int st = 1;

	calib_error_clear(&err);
	if (calib_results_parse(buf, len, name, &r, &err)) {
		calib_cli_error(cli, &err);
		return 1;
	}
	for (int k = 0; k < F_N; k++)
		col[k] = calib_results_col(r, names[k]);
	for (size_t i = 0; i < r->n_rows;) {
		/* the records of one criterion: i .. j */
		size_t j = i, n = 0, at[64];
		enum calib_scale scale = CALIB_SCALE_UNKNOWN;
		const char *stats[64] = {0};
		const char *crit = cell(r, col, i, F_CRIT);
		if (!crit || !cell(r, col, i, F_STAT)) {
			i++;
			continue;
		}
		for (; j < r->n_rows && cell(r, col, j, F_STAT) && cell(r, col, j, F_CRIT) &&
		       strcmp(cell(r, col, j, F_CRIT), crit) == 0;
		     j++) {
			const char *sc = cell(r, col, j, F_SCALE);
			if (sc && scale == CALIB_SCALE_UNKNOWN)
				scale = calib_scale_parse(sc);
			if (n < 64) {
				at[n] = j;
				stats[n++] = cell(r, col, j, F_STAT);
			}
		}
		size_t k = calib_registry_pick(stats, n, scale, o->stat);
		if (k < n && entry_of(r, col, at[k], out)) {
			calib_cli_errorf(cli, "out of memory");
			goto out;
		}
		i = j;
	}
	if (out->n == 0) {
		calib_cli_errorf(cli, "%s: no %s records", name,
		                 o->stat ? o->stat : "coefficient");
		goto out;
	}
	st = 0;
out:
	calib_results_free(r);
	return st;
}

/* ---- reading ---- */

/* All of fp in a new buffer; NULL on a read error or out of memory. */
static char *
slurp(FILE *fp, size_t *len)
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

/*
 * Does the text hold calib-agree's or calib-kappa's records: a CSV or TSV
 * header "criterion,statistic,estimate,..." or a JSON array whose first
 * object starts with "criterion" (after a BOM and white space)?
 */
static bool
is_results(const char *b, size_t n)
{
	static const char *const heads[] = {"criterion,statistic,estimate,",
	                                    "criterion\tstatistic\testimate\t"};
	size_t i = 0;

	if (n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
		b += 3, n -= 3;
	for (size_t k = 0; k < 2; k++)
		if (n >= strlen(heads[k]) && memcmp(b, heads[k], strlen(heads[k])) == 0)
			return true;
	for (const char *want = "[{\"criterion\""; *want; want++) {
		while (i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') &&
		       *want != '"')
			i++;
		if (*want == '"') /* the key itself, whole */
			return n - i >= strlen(want) && memcmp(b + i, want, strlen(want)) == 0;
		if (i >= n || b[i] != *want)
			return false;
		i++;
	}
	return false;
}

/*
 * Read a sheet held in memory (the one input, already read: standard input
 * or a file, which may be a FIFO and cannot be read again) into a finished
 * store, as calib_cli_load. name is the input's name ("-": standard input).
 */
static int
load_buffer(const struct calib_cli *cli, const char *name, const char *buf, size_t len,
            struct calib_store **out)
{
	FILE *fp;
	int r;

	*out = NULL;
	if (!(fp = fmemopen((void *)buf, len ? len : 1, "r"))) {
		calib_cli_errorf(cli, "%s", strerror(errno));
		return 1;
	}
	if (len == 0)
		fgetc(fp);
	r = calib_cli_load_stream(cli, fp, name, out);
	fclose(fp);
	return r;
}

/* ---- main ---- */

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

int
main(int argc, char **argv)
{
	struct calib_cli cli;
	struct calib_plots_opts o = {
	        .min = NAN,
	        .width = NAN,
	        .seed = 1,
	        .consensus = CALIB_CONSENSUS_MEDIAN,
	        .expert_id = CALIB_NONE};
	struct calib_store *store = NULL;
	struct calib_report *rep = NULL;
	struct calib_plot *p = NULL;
	struct calib_plots_entries en = {0};
	struct calib_error err;
	enum calib_plot_terminal term = CALIB_PLOT_DUMB;
	bool term_given = false, script = false;
	const char *output = NULL, *kind;
	unsigned w = 0, h = 0;
	char *buf = NULL, files_name[32];
	size_t len = 0, nfiles;
	char **files;
	int c, status = 1;
	enum calib_status st;

	gsl_set_error_handler_off();
	calib_cli_init(&cli, "calib-plot", usage);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CALIB_CLI_READ_SHORTOPTS "ho:s:t:V", longopts,
	                        NULL)) != -1) {
		switch (calib_cli_read_opt(&cli, c, optarg)) {
		case 1:
			continue;
		case -1:
			return 2;
		}
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 't':
			if (!calib_plot_terminal_parse(optarg, &term))
				return calib_cli_usage_error(
				        &cli,
				        "option --terminal: '%s' is not png, svg, pdf or dumb",
				        optarg);
			term_given = true;
			break;
		case OPT_SIZE:
			if (!calib_plot_size_parse(optarg, &w, &h))
				return calib_cli_usage_error(
				        &cli,
				        "option --size: '%s' is not WxH with numbers from 10 to "
				        "20000",
				        optarg);
			break;
		case OPT_SCRIPT:
			script = true;
			break;
		case 's':
			if (calib_cli_seed(&cli, optarg, &o.seed))
				return 2;
			break;
		case OPT_TITLE:
			o.title = optarg;
			break;
		case OPT_STAT:
			if (!calib_registry_known(optarg) || strcmp(optarg, "all") == 0 ||
			    strchr(optarg, ','))
				return calib_cli_usage_error(
				        &cli, "option --stat: unknown statistic '%s'", optarg);
			o.stat = optarg;
			break;
		case OPT_MIN:
			if (calib_cli_double(&cli, "--min", optarg, -1, 1, &o.min))
				return 2;
			break;
		case OPT_CRITERION:
			o.criterion = optarg;
			break;
		case OPT_EXPERT:
			if (!*optarg)
				return calib_cli_usage_error(&cli,
				                             "option --expert: empty name");
			o.expert = optarg;
			break;
		case OPT_KEY:
			if (!*optarg)
				return calib_cli_usage_error(&cli,
				                             "option --key: empty file name");
			o.key = optarg;
			break;
		case OPT_CONSENSUS:
			if (calib_cli_consensus(&cli, optarg, &o.consensus))
				return 2;
			o.consensus_given = true;
			break;
		case OPT_WIDTH:
			if (calib_cli_double(&cli, "--width", optarg, 0.001, 4, &o.width))
				return 2;
			break;
		case 'h':
			/* the reading options first, as every calib program lists them */
			printf("%s\n%s\nOptions:\n" CALIB_CLI_READ_HELP "%s%s", usage, help,
			       options_help, environment_help);
			return calib_cli_close_stdout(&cli);
		case 'V':
			return calib_cli_version(&cli);
		default:
			return calib_cli_bad_option(&cli, c, argv);
		}
	}
	if (optind >= argc)
		return calib_cli_usage_error(&cli, "missing the kind of plot");
	kind = argv[optind++];
	if (strcmp(kind, "agreement") == 0)
		o.kind = CALIB_PLOTS_AGREEMENT;
	else if (strcmp(kind, "spread") == 0)
		o.kind = CALIB_PLOTS_SPREAD;
	else if (strcmp(kind, "heatmap") == 0)
		o.kind = CALIB_PLOTS_HEATMAP;
	else if (strcmp(kind, "bland-altman") == 0)
		o.kind = CALIB_PLOTS_BLAND_ALTMAN;
	else if (strcmp(kind, "plan") == 0)
		o.kind = CALIB_PLOTS_PLAN;
	else
		return calib_cli_usage_error(&cli, "unknown kind of plot '%s'", kind);
	if ((o.expert || o.key || o.consensus_given) &&
	    (o.kind == CALIB_PLOTS_AGREEMENT || o.kind == CALIB_PLOTS_SPREAD))
		return calib_cli_usage_error(&cli,
		                             "option --%s: only for heatmap and bland-altman",
		                             o.expert ? "expert" : o.key ? "key" : "consensus");
	if (o.kind == CALIB_PLOTS_PLAN && isnan(o.width))
		return calib_cli_usage_error(&cli, "plan: give the target --width");
	if (o.kind != CALIB_PLOTS_PLAN && !isnan(o.width))
		return calib_cli_usage_error(&cli, "option --width: only for plan");
	if (o.expert && o.key)
		return calib_cli_usage_error(&cli, "--key and --expert: give one reference");
	if (output && strcmp(output, "-") == 0)
		output = NULL;
	if (!term_given && output && !calib_plot_terminal_from_path(output, &term))
		return calib_cli_usage_error(
		        &cli, "option -o: cannot tell the terminal from '%s': use --terminal", output);
	if (!script && calib_plot_terminal_binary(term) && calib_cli_is_terminal(output))
		return calib_cli_usage_error(&cli,
		                             "a %s plot is binary: not written to a terminal (use -o "
		                             "FILE or redirect standard output)",
		                             calib_plot_terminal_name(term));
	o.dumb = term == CALIB_PLOT_DUMB;
	files = argv + optind;
	nfiles = (size_t)(argc - optind);
	o.title = session_name(o.title, files, nfiles, files_name, sizeof files_name);

	/* read: calib-agree's CSV (agreement only) or score sheets */
	if (o.kind == CALIB_PLOTS_AGREEMENT && nfiles <= 1) {
		const char *name = nfiles ? files[0] : "-";
		FILE *fp = strcmp(name, "-") == 0 ? stdin : fopen(name, "r");
		if (!fp) {
			calib_cli_errorf(&cli, "%s: %s", name, strerror(errno));
			goto out;
		}
		buf = slurp(fp, &len);
		if (fp != stdin)
			fclose(fp);
		if (!buf) {
			calib_cli_errorf(&cli, "%s: %s", name,
			                 strerror(errno ? errno : ENOMEM));
			goto out;
		}
		if (is_results(buf, len)) {
			if (entries_from_results(&cli, fp == stdin ? "<stdin>" : name, buf, len,
			                         &o, &en))
				goto out;
		} else if (load_buffer(&cli, name, buf, len, &store))
			goto out;
	} else if (o.key) {
		if (calib_cli_load_key(&cli, files, nfiles, o.key, &store, &o.expert_id, NULL))
			goto out;
	} else if (calib_cli_load(&cli, files, nfiles, &store))
		goto out;
	/* a plot has no notes: what was left out is said on standard error */
	if (store && calib_cli_left_out(&cli, store, NULL)) {
		calib_cli_fail(&cli, NULL);
		goto out;
	}

	if (store && o.kind == CALIB_PLOTS_AGREEMENT) {
		struct calib_report_opts ro;
		calib_report_opts_init(&ro);
		ro.stat = o.stat;
		ro.seed = o.seed;
		calib_error_clear(&err);
		if (calib_report_run(store, &ro, &rep, &err)) {
			calib_cli_fail(&cli, &err);
			goto out;
		}
		if (calib_plots_from_report(rep, &en)) {
			calib_cli_errorf(&cli, "out of memory");
			goto out;
		}
		calib_plots_by_section(store, &en);
		if (en.n == 0) {
			calib_cli_errorf(&cli, "no criterion has %s",
			                 o.stat ? o.stat : "a coefficient");
			goto out;
		}
	}

	if (o.expert) {
		o.expert_id = calib_names_find(store->raters, o.expert, strlen(o.expert));
		if (o.expert_id == CALIB_NONE) {
			calib_cli_errorf(&cli, "--expert: no rater '%s' in the input",
			                 o.expert);
			goto out;
		}
	}
	if (!(p = calib_plot_alloc(term, w, h)) || calib_plot_style(p)) {
		calib_cli_errorf(&cli, "out of memory");
		goto out;
	}
	switch (o.kind) {
	case CALIB_PLOTS_AGREEMENT:
		st = calib_plots_agreement(p, &en, &o);
		break;
	case CALIB_PLOTS_PLAN:
		calib_error_clear(&err);
		if ((st = calib_plots_plan(p, store, &o, &err)) == CALIB_EARG) {
			calib_cli_fail(&cli, &err);
			goto out;
		}
		break;
	case CALIB_PLOTS_HEATMAP:
		st = calib_plots_heatmap(p, store, &o);
		break;
	case CALIB_PLOTS_SPREAD: {
		uint32_t one, *all = NULL;
		size_t nc = 0;
		if (o.criterion) {
			if ((one = calib_store_find_criterion(
			             store, o.criterion, strlen(o.criterion))) == CALIB_NONE) {
				calib_cli_errorf(&cli,
				                 "--criterion: no criterion '%s' in the input",
				                 o.criterion);
				goto out;
			}
			st = calib_plots_spread(p, store, &o, &one, 1);
			break;
		}
		if (!(all = malloc((store->n_criteria ? store->n_criteria : 1) *
		                   sizeof *all))) {
			st = CALIB_ENOMEM;
			break;
		}
		for (size_t k = 0; k < store->n_criteria; k++)
			all[nc++] = (uint32_t)k;
		st = calib_plots_spread(p, store, &o, all, nc);
		free(all);
		break;
	}
	case CALIB_PLOTS_BLAND_ALTMAN:
	default: {
		uint32_t ci = CALIB_NONE;
		size_t left_out = 0;
		if (o.criterion) {
			ci = calib_store_find_criterion(store, o.criterion,
			                                strlen(o.criterion));
			if (ci == CALIB_NONE) {
				calib_cli_errorf(&cli,
				                 "--criterion: no criterion '%s' in the input",
				                 o.criterion);
				goto out;
			}
		} else {
			/* the first criterion scored in points, else the first ordinal one */
			for (size_t k = 0; k < store->n_criteria && ci == CALIB_NONE; k++)
				if (store->criteria[k].scale == CALIB_SCALE_INTERVAL ||
				    store->criteria[k].scale == CALIB_SCALE_RATIO)
					ci = (uint32_t)k;
			for (size_t k = 0; k < store->n_criteria && ci == CALIB_NONE; k++)
				if (store->criteria[k].scale == CALIB_SCALE_ORDINAL)
					ci = (uint32_t)k;
			if (ci == CALIB_NONE) {
				calib_cli_errorf(&cli, "bland-altman: no criterion is scored "
				                       "in points; name one "
				                       "with --criterion");
				goto out;
			}
		}
		st = calib_plots_bland_altman(p, store, &o, ci, &left_out);
		if (st == CALIB_OK && left_out)
			calib_cli_errorf(&cli,
			                 "bland-altman: %zu of %zu raters not shown; the %d "
			                 "with the largest |bias| are drawn",
			                 left_out, left_out + CALIB_PLOTS_BA_PAGE, CALIB_PLOTS_BA_PAGE);
		if (st == CALIB_EARG) {
			calib_cli_errorf(&cli,
			                 "bland-altman: no call has two scores to compare");
			goto out;
		}
		break;
	}
	}
	if (st) {
		calib_cli_errorf(&cli, "out of memory");
		goto out;
	}
	calib_error_clear(&err);
	if (script) {
		if (calib_plot_write_script(p, stdout, output, &err)) {
			if (errno == EPIPE)
				status = 0;
			else
				calib_cli_error(&cli, &err);
			goto out;
		}
	} else if (calib_plot_run(p, output, &err)) {
		calib_cli_error(&cli, &err);
		goto out;
	}
	status = 0;
out:
	free(buf);
	calib_plots_entries_free(&en);
	calib_plot_free(p);
	calib_report_free(rep);
	calib_store_free(store);
	return status ? status : calib_cli_close_stdout(&cli);
}
