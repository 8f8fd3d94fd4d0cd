/*
 * alpha.c - calib-alpha: Krippendorff's alpha of every criterion at every
 * level of measurement that fits it, with Gwet's standard error and a
 * bootstrap over calls: its percentile interval, mean and spread, and the
 * probability that alpha falls below Krippendorff's minimum for tentative
 * conclusions, 0.667.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib/alpha.h"
#include "common_report.h"

#define DEFAULT_BOOT 1000

static const enum calib_alpha_level levels[] = { CALIB_ALPHA_NOMINAL, CALIB_ALPHA_ORDINAL,
						 CALIB_ALPHA_INTERVAL, CALIB_ALPHA_RATIO };

/*
 * Add a kripp_alpha_<level>_boot record after each alpha of the report,
 * all at once at the end (calib_report_add_all): adding each as it comes
 * would move every later record each time, quadratic in the criteria.
 */
static int
bootstrap_summaries(const struct calib_cli *cli, const struct calib_store *s,
		    const struct calib_report_opts *o, size_t boot, struct calib_report *r)
{
	size_t B = boot ? boot : DEFAULT_BOOT, *at = NULL, n_at = 0;
	struct calib_stats add;
	int status = 1;

	calib_stats_init(&add);
	for (size_t i = 0; i < r->n_rows; i++) {
		struct calib_report_row *row = &r->rows[i];
		struct calib_matrix_opts mo;
		struct calib_matrix *m = NULL;
		uint32_t crit;

		if (row->total)
			continue;
		crit = calib_store_find_criterion(s, row->criterion, strlen(row->criterion));
		calib_matrix_opts_init(&mo);
		mo.complete = o->complete;
		mo.na = o->na;
		mo.session = o->session;
		if (crit == CALIB_NONE || calib_matrix_build(s, crit, &mo, &m)) {
			calib_cli_errorf(cli, "out of memory");
			goto out;
		}
		for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
			char name[CALIB_STAT_NAME - 8];
			struct calib_alpha_boot b;
			struct calib_error err;
			struct calib_stat *st;
			const struct calib_stat *est = NULL;

			snprintf(name, sizeof name, "kripp_alpha_%s", calib_alpha_level_name(levels[l]));
			for (size_t k = row->first; k < row->first + row->count; k++)
				if (strcmp(r->stats.v[k].name, name) == 0)
					est = &r->stats.v[k];
			if (!est)
				continue;
			memset(&b, 0, sizeof b);
			if (calib_alpha_bootstrap(m, levels[l], B, o->seed, o->coef.conf, 0.667, &b,
						  &err)) {
				calib_cli_error(cli, &err);
				calib_matrix_free(m);
				goto out;
			}
			if (add.n == n_at) {
				size_t cap = n_at ? 2 * n_at : 64, *grown = realloc(at, cap * sizeof *at);
				if (grown) {
					at = grown;
					n_at = cap;
				}
			}
			if (add.n == n_at || !(st = calib_stats_push(&add, "%s_boot", name))) {
				calib_cli_errorf(cli, "out of memory");
				calib_matrix_free(m);
				goto out;
			}
			at[add.n - 1] = i;
			st->estimate = b.mean;
			st->se = b.sd;
			st->lower = b.lower;
			st->upper = b.upper;
			st->p = b.q;
			st->n_items = b.n_calls;
			st->n_raters = m->n_raters;
			if (b.note[0])
				snprintf(st->note, sizeof st->note, "%s", b.note);
			else
				snprintf(st->note, sizeof st->note,
					 "bootstrap over %zu pairable calls: %zu replicates (%zu defined), "
					 "seed %lu; p = P(alpha < 0.667)",
					 b.n_calls, b.n_boot, b.n_defined, o->seed);
		}
		calib_matrix_free(m);
	}
	if (calib_report_add_all(r, at, add.v, add.n)) {
		calib_cli_errorf(cli, "out of memory");
		goto out;
	}
	status = 0;
out:
	free(at);
	calib_stats_free(&add);
	return status;
}

static const struct report_program alpha = {
	.name = "calib-alpha",
	.usage = "usage: calib-alpha [-d C] [-r RUBRIC] [-f FORMAT] [-o FILE] [--stat LIST] [--min X]\n"
		 "                   [--boot N] [-s SEED] [OPTION...] [FILE...]\n",
	.help = "Krippendorff's alpha of every criterion at each level of measurement that\n"
		"fits it (nominal, ordinal, interval, ratio), missing scores allowed, with\n"
		"Gwet's standard error and a bootstrap over calls (1000 replicates unless\n"
		"--boot says otherwise): percentile interval, mean, spread and the\n"
		"probability that alpha is below 0.667.\n",
	.stat = "all",
	.families = CALIB_FAMILY_ALPHA,
	.detail = true,
	.extend = bootstrap_summaries,
};

int
main(int argc, char **argv)
{
	return report_main(argc, argv, &alpha);
}
