/*
 * test_plots.c - what calib-plot takes from the library before it draws:
 * calib-agree's records told from a score sheet (calib_results_sniff),
 * read back into the agreement plot's entries (calib_plots_from_results:
 * per criterion the registry's pick for its scale, or --stat), and the
 * criterion a Bland-Altman plot draws when none is named
 * (calib_plots_ba_criterion).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/plots.h"
#include "calib/results.h"
#include "load.h"
#include "tap.h"

static void
test_sniff(void)
{
	static const struct {
		const char *text;
		bool want;
		const char *what;
	} cases[] = {
	        {"criterion,statistic,estimate,se\na,n_calls,1,NA\n", true, "CSV header"},
	        {"\xef\xbb\xbf"
	         "criterion,statistic,estimate,",
	         true, "CSV header after a BOM"},
	        {"criterion\tstatistic\testimate\tse\n", true, "TSV header"},
	        {"[\n {\"criterion\": \"a\"}]", true, "JSON array"},
	        {" \r\n\t[ \n{\"criterion\":1}]", true, "JSON after white space"},
	        {"\xef\xbb\xbf[{\"criterion\"", true, "JSON after a BOM"},
	        {"criterion,statistic,estimate", false, "CSV header without the comma after"},
	        {"criterion,statistic,se,estimate,", false, "other columns"},
	        {"call,rater,criterion,score\n", false, "a long sheet"},
	        {"Criterion,statistic,estimate,", false, "case counts"},
	        {"[{\"criteria\": 1}]", false, "JSON with another first key"},
	        {"[{\"criterio", false, "JSON cut short"},
	        {"{\"criterion\": 1}", false, "JSON object, not an array"},
	        {"[\"criterion\"]", false, "JSON array of strings"},
	        {"", false, "empty"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ok(calib_results_sniff(cases[i].text, strlen(cases[i].text)) == cases[i].want,
		   "sniff: %s", cases[i].what);
	/* the length is what counts, not a terminating NUL */
	ok(!calib_results_sniff("criterion,statistic,estimate,", 20), "sniff: only len bytes");
}

static struct calib_results *
parse(const char *text)
{
	struct calib_results *r = NULL;
	struct calib_error err;

	calib_error_clear(&err);
	if (calib_results_parse(text, strlen(text), "t", &r, &err)) {
		printf("# cannot parse: %s\n", err.msg);
		exit(1);
	}
	return r;
}

static const char records[] =
        "criterion,statistic,estimate,se,ci_lower,ci_upper,n_calls,note,scale\n"
        /* binary: the headline gwet_ac1, neither first nor last */
        "a,n_calls,12,NA,NA,NA,12,scale binary,binary\n"
        "a,fleiss_kappa,0.5,0.1,0.3,0.7,12,kappa note,binary\n"
        "a,gwet_ac1,0.8,0.1,0.6,NA,12,ac1 note,binary\n"
        "a,percent_agreement,0.9,0.1,0.8,1,12,,binary\n"
        /* interval: icc2 */
        "b,kripp_alpha_interval,0.7,0.1,0.5,0.9,10,,interval\n"
        "b,icc2,0.75,NA,0.55,0.92,-3,,interval\n"
        /* a record without a statistic is passed over */
        "c,,1,,,,,,binary\n"
        /* ordinal without its headline: the first coefficient (not n_calls,
         * nor percent agreement, which is not chance-corrected) */
        "d,n_calls,5,NA,NA,NA,5,,ordinal\n"
        "d,percent_agreement,0.5,NA,NA,NA,5,,ordinal\n"
        "d,kripp_alpha_ordinal,x1,NA,NA,NA,5,,ordinal\n"
        "d,kripp_alpha_nominal,0.3,NA,NA,NA,5,,ordinal\n"
        /* a again, not next to its first records: a criterion of its own */
        "a,gwet_ac1,0.1,NA,NA,NA,3,,binary\n";

static void
test_from_results(void)
{
	struct calib_results *r = parse(records);
	struct calib_plots_entries en = {0};

	ok(calib_plots_from_results(r, NULL, &en) == 0, "records: read");
	is_long((long)en.n, 4, "records: a, b, d and a again");
	if (en.n == 4) {
		is_string(en.v[0].criterion, "a", "1st: a");
		is_string(en.v[0].stat, "gwet_ac1", "1st: the binary headline, gwet_ac1");
		is_double(en.v[0].est, 0.8, 1e-15, "1st: its estimate");
		is_double(en.v[0].lo, 0.6, 1e-15, "1st: its lower bound");
		ok(isnan(en.v[0].hi), "1st: NA upper bound is NAN");
		is_long((long)en.v[0].n_calls, 12, "1st: 12 calls");
		is_string(en.v[0].note, "ac1 note", "1st: its note");
		is_string(en.v[1].stat, "icc2", "2nd: the interval headline, icc2");
		is_long((long)en.v[1].n_calls, 0, "2nd: negative n_calls reads as 0");
		is_string(en.v[1].note, "", "2nd: empty note");
		is_string(en.v[2].criterion, "d", "3rd: d (c has no statistic)");
		is_string(en.v[2].stat, "kripp_alpha_ordinal",
		          "3rd: ordinal without gwet_ac2: the first coefficient");
		ok(isnan(en.v[2].est), "3rd: an estimate that is no number is NAN");
		is_string(en.v[3].criterion, "a", "4th: a again");
		is_double(en.v[3].est, 0.1, 1e-15, "4th: its own estimate");
	}
	calib_plots_entries_free(&en);

	memset(&en, 0, sizeof en);
	ok(calib_plots_from_results(r, "fleiss_kappa", &en) == 0, "--stat: read");
	is_long((long)en.n, 1, "--stat fleiss_kappa: only a's first records have it");
	if (en.n == 1) {
		is_string(en.v[0].stat, "fleiss_kappa", "--stat: fleiss_kappa");
		is_double(en.v[0].est, 0.5, 1e-15, "--stat: its estimate");
		is_double(en.v[0].hi, 0.7, 1e-15, "--stat: its upper bound");
	}
	calib_plots_entries_free(&en);
	calib_results_free(r);

	/* without a scale column: the headline of an unknown scale, gwet_ac1 */
	r = parse("criterion,statistic,estimate\n"
	          "x,icc2,0.3\nx,gwet_ac1,0.6\n");
	memset(&en, 0, sizeof en);
	ok(calib_plots_from_results(r, NULL, &en) == 0 && en.n == 1 &&
	           strcmp(en.v[0].stat, "gwet_ac1") == 0 && isnan(en.v[0].lo),
	   "no scale column: gwet_ac1, missing columns NAN");
	calib_plots_entries_free(&en);
	calib_results_free(r);

	/* JSON, a null estimate */
	r = parse("[{\"criterion\": \"j\", \"statistic\": \"icc2\", \"estimate\": null, "
	          "\"scale\": \"ratio\", \"n_calls\": 7}]");
	memset(&en, 0, sizeof en);
	ok(calib_plots_from_results(r, NULL, &en) == 0 && en.n == 1 && isnan(en.v[0].est) &&
	           en.v[0].n_calls == 7,
	   "JSON: null estimate NAN, n_calls 7");
	calib_plots_entries_free(&en);
	calib_results_free(r);

	/* no statistic column at all: nothing */
	r = parse("criterion,estimate\na,1\n");
	memset(&en, 0, sizeof en);
	ok(calib_plots_from_results(r, NULL, &en) == 0 && en.n == 0,
	   "no statistic column: none");
	calib_plots_entries_free(&en);
	calib_results_free(r);
}

static void
test_ba_criterion(void)
{
	static const char head[] = "criterion,scale,levels,min,max,weight\n";
	static const struct {
		const char *rubric, *sheet;
		long want;
		const char *what;
	} cases[] = {
	        {"b,binary,no|yes,,,1\no,ordinal,,1,5,1\np,interval,,0,10,1\nq,ratio,,0,10,1\n",
	         "call,rater,b,o,p,q\nc1,x,yes,2,3,4\nc1,y,no,3,4,5\n", 2,
	         "the first in points, after an ordinal one"},
	        {"b,binary,no|yes,,,1\nq,ratio,,0,10,1\np,interval,,0,10,1\n",
	         "call,rater,b,q,p\nc1,x,yes,4,3\nc1,y,no,5,4\n", 1, "ratio counts as points"},
	        {"b,binary,no|yes,,,1\no,ordinal,,1,5,1\nn,nominal,red|blue,,,1\n",
	         "call,rater,b,o,n\nc1,x,yes,2,red\nc1,y,no,3,blue\n", 1,
	         "none in points: the first ordinal one"},
	        {"b,binary,no|yes,,,1\nn,nominal,red|blue,,,1\n",
	         "call,rater,b,n\nc1,x,yes,red\nc1,y,no,blue\n", (long)CALIB_NONE,
	         "binary and nominal only: none"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char rubric[512];
		struct calib_store *s;
		snprintf(rubric, sizeof rubric, "%s%s", head, cases[i].rubric);
		s = load_text(cases[i].sheet, rubric);
		is_long((long)calib_plots_ba_criterion(s), cases[i].want, "bland-altman: %s",
		        cases[i].what);
		calib_store_free(s);
	}
}

int
main(void)
{
	test_sniff();
	test_from_results();
	test_ba_criterion();
	return tap_done();
}
