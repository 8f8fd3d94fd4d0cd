/*
 * test_audit_se.c - the cluster-robust sandwich se of calib-audit's
 * evaluator effects (calib_audit_cluster_se): the effects and se of every
 * line of tests/reference/audit_se.txt (statsmodels' OLS with
 * cov_type='cluster' by agent, tests/reference/audit_se.py) to 1e-9
 * relative; a component over CALIB_AUDIT_SE_MAX evaluators gets no se;
 * and in a seeded confounded design with 20 replicates of the same
 * assignment, each evaluator's effects spread across the replicates by
 * about their se.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "calib/audit.h"
#include "calib/reader.h"
#include "calib/store.h"
#include "tap.h"

static struct calib_store *
load(const char *sheet)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts ro;
	struct calib_error err;
	FILE *fp = fopen(sheet, "r");

	calib_read_opts_init(&ro);
	ro.agent = true;
	if (!fp || calib_read(s, fp, sheet, &ro, &err) || calib_store_finish(s)) {
		fprintf(stderr, "# cannot load %s\n", sheet);
		exit(1);
	}
	fclose(fp);
	return s;
}

/* Every line "sheet criterion evaluator effect se" of the reference. */
static void
reference(void)
{
	FILE *fp = fopen("tests/reference/audit_se.txt", "r");
	char sheet[64], crit[64], ev[64], path[128], loaded[64] = "";
	double effect, se;
	struct calib_store *s = NULL;
	size_t lines = 0;

	if (!fp) {
		ok(0, "tests/reference/audit_se.txt opens");
		return;
	}
	while (fscanf(fp, "%63s %63s %63s %lf %lf", sheet, crit, ev, &effect, &se) == 5) {
		struct calib_audit_fit f;
		uint32_t c, j;

		if (strcmp(sheet, loaded)) {
			calib_store_free(s);
			snprintf(path, sizeof path, "tests/sheets/%s", sheet);
			s = load(path);
			strcpy(loaded, sheet);
		}
		c = calib_store_find_criterion(s, crit, strlen(crit));
		j = calib_names_find(s->raters, ev, strlen(ev));
		if (c == CALIB_NONE || j == CALIB_NONE ||
		    calib_audit_fit_store(s, c, 0.95, &f) != CALIB_OK) {
			ok(0, "%s %s %s fitted", sheet, crit, ev);
			continue;
		}
		is_double(f.adjusted[j], effect, 1e-9, "%s %s %s: effect as statsmodels", sheet,
		          crit, ev);
		is_double(f.se[j], se, 1e-9, "%s %s %s: cluster se as statsmodels", sheet, crit,
		          ev);
		calib_audit_fit_free(&f);
		lines++;
	}
	fclose(fp);
	calib_store_free(s);
	is_long((long)lines, 20, "every reference line compared");
}

/* CALIB_AUDIT_SE_MAX + 1 evaluators in one component, over 3 agents: no se. */
static void
too_many(void)
{
	size_t ne = CALIB_AUDIT_SE_MAX + 1, n = 2 * ne;
	uint32_t *ag = malloc(n * sizeof *ag), *ev = malloc(n * sizeof *ev);
	double *y = malloc(n * sizeof *y);
	struct calib_audit_fit f;

	for (size_t j = 0; j < ne; j++) {
		ag[2 * j] = (uint32_t)(j % 3);
		ag[2 * j + 1] = (uint32_t)((j + 1) % 3);
		ev[2 * j] = ev[2 * j + 1] = (uint32_t)j;
		y[2 * j] = (double)(j % 5);
		y[2 * j + 1] = (double)((j * 7) % 5);
	}
	ok(calib_audit_fit(ag, ev, y, n, 3, ne, 0.95, &f) == CALIB_OK, "large component fitted");
	is_long((long)f.n_components, 1, "one component");
	ok(isfinite(f.adjusted[0]) && isfinite(f.adjusted[ne - 1]), "its effects are there");
	ok(isnan(f.se[0]) && isnan(f.se[ne - 1]) && isnan(f.p[0]),
	   "but no se over %d evaluators", CALIB_AUDIT_SE_MAX);
	calib_audit_fit_free(&f);
	free(ag);
	free(ev);
	free(y);
}

#define SIM_EVAL   30
#define SIM_AGENTS 600
#define SIM_CALLS  20
#define SIM_REPS   20

/*
 * As make bench's year: 80% of an agent's calls go to the evaluator of
 * their ability band, the harshest to the strongest; the same assignment
 * scored SIM_REPS times with fresh noise (scores rounded to 1..5). Each
 * evaluator's sd of effect across the replicates over their mean se is
 * about 1 when the se is right (the approximation before gave 1.6).
 */
static void
calibration(void)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t n = SIM_AGENTS * SIM_CALLS;
	uint32_t *ag = malloc(n * sizeof *ag), *ev = malloc(n * sizeof *ev);
	double *y = malloc(n * sizeof *y), *m = malloc(n * sizeof *m);
	double eff[SIM_EVAL][SIM_REPS], se[SIM_EVAL][SIM_REPS], ratio[SIM_EVAL], mean;
	int fitted = 1;

	gsl_rng_set(rng, 20261205);
	for (size_t a = 0, i = 0; a < SIM_AGENTS; a++)
		for (size_t k = 0; k < SIM_CALLS; k++, i++) {
			size_t home = SIM_EVAL - 1 - a * SIM_EVAL / SIM_AGENTS;
			size_t j = gsl_rng_uniform(rng) < 0.8 ? home
			                                      : gsl_rng_uniform_int(rng, SIM_EVAL);
			ag[i] = (uint32_t)a;
			ev[i] = (uint32_t)j;
			m[i] = 2 + 2 * (double)a / SIM_AGENTS + ((double)j / (SIM_EVAL - 1) - 0.5);
		}
	for (size_t r = 0; r < SIM_REPS; r++) {
		struct calib_audit_fit f;
		for (size_t i = 0; i < n; i++)
			y[i] = fmin(5, fmax(1, round(m[i] + gsl_ran_gaussian(rng, 0.8))));
		if (calib_audit_fit(ag, ev, y, n, SIM_AGENTS, SIM_EVAL, 0.95, &f) != CALIB_OK) {
			fitted = 0;
			break;
		}
		for (size_t j = 0; j < SIM_EVAL; j++) {
			eff[j][r] = f.adjusted[j];
			se[j][r] = f.se[j];
		}
		calib_audit_fit_free(&f);
	}
	ok(fitted, "%d replicates fitted", SIM_REPS);
	for (size_t j = 0; fitted && j < SIM_EVAL; j++)
		ratio[j] = gsl_stats_sd(eff[j], 1, SIM_REPS) / gsl_stats_mean(se[j], 1, SIM_REPS);
	mean = fitted ? gsl_stats_mean(ratio, 1, SIM_EVAL) : NAN;
	printf("# sd of the effect across replicates / mean se: %.3f over %d evaluators\n", mean,
	       SIM_EVAL);
	ok(mean > 0.85 && mean < 1.15, "effects spread by about their se (%.3f)", mean);
	free(ag);
	free(ev);
	free(y);
	free(m);
	gsl_rng_free(rng);
}

int
main(void)
{
	gsl_set_error_handler_off();
	reference();
	too_many();
	calibration();
	return tap_done();
}
