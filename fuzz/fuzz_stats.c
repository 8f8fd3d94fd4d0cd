/*
 * fuzz_stats.c - libFuzzer target of the statistics on whatever the sheet
 * reader accepts: the first byte chooses the reader options (fuzz_input.h),
 * the second the analysis (bit 0 complete calls only, bits 1-2 N/A policy,
 * bit 3 the irr ICC convention, bit 4 a 200-replicate bootstrap). Every
 * statistic of every family runs on every criterion and the TOTAL, then
 * the report is written in every format. Each record must hold:
 *   - no infinite estimate, bound or standard error;
 *   - an undefined (NAN) estimate carries a note saying why (printed NA);
 *   - estimates in their coefficient's range: proportions and p-values in
 *     [0, 1] (the unanimous share in [0, 100]), chance-corrected
 *     coefficients and ICCs at most 1, unweighted Cohen's kappa, AC1,
 *     Brennan-Prediger and PABAK at least -1, bounds ordered (unless the
 *     note says psych's or irr's ICC(2,k) bounds are meaningless there).
 * A broken rule aborts (a finding).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/matrix.h"
#include "calib/reader.h"
#include "calib/report.h"
#include "calib/render.h"
#include "calib/store.h"
#include "calib/table.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EPS 1e-9

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool
ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void
bad(const struct calib_stat *st, const char *what)
{
	fprintf(stderr, "fuzz_stats: %s: %s (estimate %g, se %g, [%g, %g], p %g, note \"%s\")\n",
		st->name, what, st->estimate, st->se, st->lower, st->upper, st->p, st->note);
	abort();
}

/* The rules of the file comment, for one record. */
static void
check(const struct calib_stat *st)
{
	double e = st->estimate;
	bool z = ends(st->name, "_z"), index = starts(st->name, "prevalence_index") ||
					     starts(st->name, "bias_index");

	if (isinf(e) || isinf(st->se) || isinf(st->lower) || isinf(st->upper))
		bad(st, "infinite value");
	if (isnan(e) && st->note[0] == '\0')
		bad(st, "NA without a reason");
	if (!isnan(st->p) && (st->p < 0 || st->p > 1))
		bad(st, "p-value outside [0, 1]");
	if (!isnan(st->se) && st->se < 0)
		bad(st, "negative standard error");
	if (isnan(e) || z)
		return;
	if (!isnan(st->lower) && !isnan(st->upper) && st->lower > st->upper + EPS &&
	    !strstr(st->note, "Spearman-Brown pole") && !strstr(st->note, "bounds meaningless"))
		bad(st, "lower bound above the upper bound");
	if (strcmp(st->name, "percent_agreement_unanimous") == 0) {
		if (e < 0 || e > 100 + EPS)
			bad(st, "percentage outside [0, 100]");
		return;
	}
	if (starts(st->name, "percent_agreement") && (e < -EPS || e > 1 + EPS))
		bad(st, "proportion outside [0, 1]");
	if (index && (e < -1 - EPS || e > 1 + EPS))
		bad(st, "index outside [-1, 1]");
	if (!index && !starts(st->name, "n_") && e > 1 + EPS)
		bad(st, "coefficient above 1");
	/* weighted AC2 and kappas can fall below -1 (chance agreement over 1/2) */
	if ((strcmp(st->name, "cohen_kappa") == 0 || strcmp(st->name, "gwet_ac1") == 0 ||
	     strcmp(st->name, "brennan_prediger") == 0 || strcmp(st->name, "pabak") == 0) &&
	    e < -1 - EPS)
		bad(st, "coefficient below -1");
}

static void
write_all(const struct calib_report *r)
{
	static const enum calib_format formats[] = {CALIB_FORMAT_TABLE, CALIB_FORMAT_CSV,
						    CALIB_FORMAT_TSV, CALIB_FORMAT_JSON};
	struct calib_table *t[3] = {calib_report_tidy(r), calib_report_summary(r),
				    calib_report_detail(r)};
	FILE *null = fopen("/dev/null", "w");

	for (size_t i = 0; i < 3; i++) {
		for (size_t f = 0; null && t[i] && f < 4; f++)
			if (calib_table_write(t[i], null, formats[f], true) != CALIB_OK)
				abort();
		calib_table_free(t[i]);
	}
	if (null)
		fclose(null);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum calib_na_policy na[] = {CALIB_NA_AUTO, CALIB_NA_CATEGORY,
						  CALIB_NA_DROP, CALIB_NA_AUTO};
	struct calib_read_opts o;
	struct calib_report_opts ro;
	struct calib_report *rep = NULL;
	struct calib_error err;
	struct calib_store *s;
	FILE *fp;
	uint8_t a;

	gsl_set_error_handler_off();
	if (size < 2)
		return 0;
	fuzz_read_opts(data[0], &o);
	a = data[1];
	s = calib_store_alloc();
	fp = fuzz_stream(data + 2, size - 2);
	if (s && fp && calib_read(s, fp, "fuzz/ann.csv", &o, &err) == CALIB_OK &&
	    calib_store_finish(s) == CALIB_OK && s->n_evals > 0) {
		calib_report_opts_init(&ro);
		ro.stat = "all";
		ro.families = CALIB_FAMILY_ALL;
		ro.detail = true;
		ro.complete = a & 1u;
		ro.na = na[(a >> 1) & 3u];
		ro.coef.icc = (a & 8u) ? CALIB_ICC_IRR : CALIB_ICC_PSYCH;
		ro.boot = (a & 16u) ? 200 : 0;
		ro.seed = 1;
		ro.threads = 1;
		if (calib_report_run(s, &ro, &rep, &err) == CALIB_OK) {
			for (size_t i = 0; i < rep->stats.n; i++)
				check(&rep->stats.v[i]);
			write_all(rep);
		}
		calib_report_free(rep);
	}
	if (fp)
		fclose(fp);
	calib_store_free(s);
	return 0;
}
