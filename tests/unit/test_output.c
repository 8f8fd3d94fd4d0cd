/*
 * test_output.c - result tables in every format, interpretation bands and
 * Gwet's benchmarking, and the report engine on a small hand-made store.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "calib/band.h"
#include "calib/render.h"
#include "calib/table.h"
#include "tap.h"

/* Write t in format f into a string (caller frees). */
static char *
render(const struct calib_table *t, enum calib_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	calib_table_write(t, fp, f, true);
	fclose(fp);
	return buf;
}

static void
test_table(void)
{
	const char *cols[] = { "name", "value", "n" };
	const int digits[] = { 0, 2, -1 };
	struct calib_table *t = calib_table_alloc(cols, 3, digits);
	char *s;

	calib_table_row(t);
	calib_table_text(t, 0, "a,\"b\"");
	calib_table_num(t, 1, 1.0 / 3);
	calib_table_num(t, 2, 12);
	calib_table_row(t);
	calib_table_text(t, 0, "tab\there");
	calib_table_num(t, 1, NAN);
	calib_table_num(t, 2, INFINITY);
	calib_table_footer(t, "assumed: %s", "nothing");
	is_long((long)calib_table_n_rows(t), 2, "two rows");

	s = render(t, CALIB_FORMAT_CSV);
	is_string(s, "name,value,n\n\"a,\"\"b\"\"\",0.3333333333333333,12\ntab\there,NA,NA\n",
		  "csv: quoted names, full precision, NA for NAN and Inf");
	free(s);
	s = render(t, CALIB_FORMAT_TSV);
	is_string(s, "name\tvalue\tn\na,\"b\"\t0.3333333333333333\t12\ntab\\there\tNA\tNA\n",
		  "tsv: tabs escaped");
	free(s);
	s = render(t, CALIB_FORMAT_JSON);
	is_string(s,
		  "[\n {\"name\": \"a,\\\"b\\\"\", \"value\": 0.3333333333333333, \"n\": 12},\n"
		  " {\"name\": \"tab\\there\", \"value\": null, \"n\": null}\n]\n",
		  "json: strings escaped, NaN null");
	free(s);
	s = render(t, CALIB_FORMAT_TABLE);
	is_string(s,
		  "name         value   n\n"
		  "a,\"b\"         0.33  12\n"
		  "tab\\x09here     NA  NA\n"
		  "assumed: nothing\n",
		  "table: aligned, rounded, footer, a tab in a name escaped");
	free(s);
	calib_table_free(t);
	{
		enum calib_format f;
		ok(calib_format_parse("json", &f) && f == CALIB_FORMAT_JSON, "format parse");
		ok(!calib_format_parse("xml", &f), "unknown format");
	}
}

static void
test_bands(void)
{
	enum calib_band_scheme lk = calib_band_scheme_for("fleiss_kappa");
	is_long(lk, CALIB_BANDS_LANDIS_KOCH, "kappa: Landis-Koch");
	is_long(calib_band_scheme_for("icc2k"), CALIB_BANDS_KOO_LI, "ICC: Koo-Li");
	is_long(calib_band_scheme_for("kripp_alpha_ordinal"), CALIB_BANDS_KRIPPENDORFF, "alpha");
	is_long(calib_band_scheme_for("percent_agreement"), CALIB_BANDS_NONE, "no band for PA");
	is_long(calib_band_scheme_for("cohen_kappa_z"), CALIB_BANDS_NONE, "no band for a z test");
	is_string(calib_band_name(lk, -0.1), "poor", "LK: below 0 poor");
	is_string(calib_band_name(lk, 0), "slight", "LK: 0 slight");
	is_string(calib_band_name(lk, 0.2), "slight", "LK: 0.20 slight (upper bound included)");
	is_string(calib_band_name(lk, 0.4), "fair", "LK: 0.40 fair");
	is_string(calib_band_name(lk, 0.41), "moderate", "LK: 0.41 moderate");
	is_string(calib_band_name(lk, 0.81), "almost perfect", "LK: 0.81 almost perfect");
	is_string(calib_band_name(CALIB_BANDS_KOO_LI, 0.75), "good", "Koo-Li: 0.75 good");
	is_string(calib_band_name(CALIB_BANDS_KOO_LI, 0.49), "poor", "Koo-Li: 0.49 poor");
	is_string(calib_band_name(CALIB_BANDS_KRIPPENDORFF, 0.667), "tentative", "alpha 0.667");
	is_string(calib_band_name(CALIB_BANDS_KRIPPENDORFF, 0.8), "reliable", "alpha 0.800");
	is_string(calib_band_name(lk, NAN), "", "NA has no band");
	/* P(kappa > 0.6) = Q((0.6-0.7)/0.05) = 0.977 >= 0.95: substantial */
	is_string(calib_band_benchmark(lk, 0.7, 0.05, 0.95), "substantial", "benchmark 0.7 +- 0.05");
	/* P(kappa > 0.6) = 0.84, P(> 0.4) = 0.9998: moderate */
	is_string(calib_band_benchmark(lk, 0.7, 0.1, 0.95), "moderate", "benchmark 0.7 +- 0.1");
	is_string(calib_band_benchmark(lk, 0.7, NAN, 0.95), "", "benchmark without se");
	{
		static const double lk_edge[] = { 0.0, 0.2, 0.4, 0.6, 0.8 };
		static const enum calib_band_scheme all[] = { CALIB_BANDS_LANDIS_KOCH,
							      CALIB_BANDS_KOO_LI,
							      CALIB_BANDS_KRIPPENDORFF };
		size_t n = 99;
		const struct calib_band *b = calib_band_edges(lk, &n);
		is_long((long)n, 6, "Landis-Koch: six bands");
		ok(isinf(b[0].lower) && b[0].lower < 0, "the first band starts at -inf");
		is_string(b[0].name, "poor", "worst first");
		for (size_t i = 1; i < 6; i++)
			is_double(b[i].lower, lk_edge[i - 1], 0, "Landis-Koch edge");
		is_string(b[5].name, "almost perfect", "best last");
		b = calib_band_edges(CALIB_BANDS_KRIPPENDORFF, &n);
		ok(n == 3 && b[1].lower == 0.667 && b[2].lower == 0.8, "Krippendorff: 0.667, 0.800");
		b = calib_band_edges(CALIB_BANDS_KOO_LI, &n);
		ok(n == 4 && b[1].lower == 0.5 && b[3].lower == 0.9, "Koo-Li: 0.5 .. 0.9");
		ok(calib_band_edges(CALIB_BANDS_NONE, &n) == NULL && n == 0, "no scheme, no bands");
		/* every edge is where calib_band_name changes its answer */
		for (size_t k = 0; k < 3; k++) {
			b = calib_band_edges(all[k], &n);
			for (size_t i = 1; i < n; i++) {
				double x = b[i].lower;
				is_string(calib_band_name(all[k], nextafter(x, 2)), b[i].name,
					  "above an edge: its band");
				is_string(calib_band_name(all[k], nextafter(x, -2)), b[i - 1].name,
					  "below an edge: the band before");
			}
		}
	}
}

static void
test_report(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_report_opts o;
	struct calib_report *r = NULL;
	struct calib_error err;
	uint32_t crit;
	/* 4 calls x 2 raters, 0/1: agree on 3 of 4 (a = 2, d = 1, b = 1) */
	const double x[4][2] = { { 1, 1 }, { 1, 1 }, { 0, 0 }, { 1, 0 } };

	calib_store_criterion(s, "greeting", 8, &crit);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 2; j++) {
			char call[8], rater[8];
			uint32_t e;
			bool created;
			uint16_t code;
			snprintf(call, sizeof call, "c%d", i);
			snprintf(rater, sizeof rater, "r%d", j);
			calib_store_eval(s, NULL, 0, call, strlen(call), rater, 2, 0, 1, &e, &created);
			calib_store_value_code(s, crit, x[i][j], &code, &err);
			calib_store_put(s, e, crit, code, NULL);
		}
	calib_store_finish(s);
	calib_report_opts_init(&o);
	is_long(calib_report_run(s, &o, &r, &err), CALIB_OK, "report runs");
	is_long((long)r->n_rows, 1, "one criterion, no TOTAL for a single criterion");
	is_long(r->rows[0].scale, CALIB_SCALE_BINARY, "0/1 inferred binary");
	is_string(calib_registry_defaults(CALIB_SCALE_BINARY, 2),
		  "gwet_ac1,cohen_kappa,pabak,percent_agreement", "binary defaults, two raters");
	{
		const struct calib_stat *ac1 = &r->stats.v[r->rows[0].first];
		const struct calib_stat *k = ac1 + 1;
		const struct calib_stat *pa = ac1 + 3;
		is_string(ac1->name, "gwet_ac1", "defaults in order: the headline AC1 first");
		is_long((long)r->rows[0].headline, 0, "the row names it as its headline");
		is_string(pa->name, "percent_agreement", "percent agreement last");
		is_double(pa->estimate, 0.75, 1e-12, "percent agreement 3/4");
		is_string(k->name, "cohen_kappa", "Cohen's kappa beside AC1");
		/* po = 3/4, pe = (3/4)(1/2) + (1/4)(1/2) = 1/2, kappa = 1/2 */
		is_double(k->estimate, 0.5, 1e-12, "kappa (0.75 - 0.5) / 0.5");
		ok(strstr(k->note, "only 4 calls") != NULL, "few calls warned: %s", k->note);
	}
	calib_report_free(r);

	o.stat = "nonsense";
	is_long(calib_report_run(s, &o, &r, &err), CALIB_EARG, "unknown statistic refused");
	is_string(err.msg, "unknown statistic 'nonsense'", "its message");
	ok(r == NULL, "nothing returned on error");

	o.stat = "cohen_kappa";
	o.boot = 200;
	o.seed = 3;
	calib_report_run(s, &o, &r, &err);
	{
		const struct calib_stat *k = &r->stats.v[r->rows[0].first];
		ok(k->lower <= k->estimate && k->estimate <= k->upper, "bootstrap CI holds the estimate");
		ok(strstr(k->note, "200 replicates") != NULL, "bootstrap named in the note");
		double lo = k->lower;
		calib_report_free(r);
		calib_report_run(s, &o, &r, &err);
		is_double(r->stats.v[r->rows[0].first].lower, lo, 0, "same seed, same bootstrap");
	}
	{
		struct calib_table *t = calib_report_tidy(r);
		char *csv = render(t, CALIB_FORMAT_CSV);
		const char *want = "criterion,statistic,estimate,se,ci_lower,ci_upper,test,df1,df2,p,"
				   "n_calls,n_raters,band,note,scale\ngreeting,n_calls,4,NA,";
		const char *eol = strchr(csv + strlen(want), '\n');
		ok(strncmp(csv, want, strlen(want)) == 0,
		   "tidy csv starts with the header and the n_calls record");
		ok(eol && eol - csv > 7 && strncmp(eol - 7, ",binary", 7) == 0,
		   "the record ends with the criterion's scale");
		free(csv);
		calib_table_free(t);
	}
	calib_report_free(r);
	calib_report_free(NULL);
	calib_store_free(s);
}

/* Write t as a table fitted to width into a string (caller frees). */
static char *
render_fit(const struct calib_table *t, size_t width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	calib_table_write_fit(t, fp, CALIB_FORMAT_TABLE, true, width);
	fclose(fp);
	return buf;
}

/* The widest line of s, in display columns. */
static size_t
widest(const char *s)
{
	size_t max = 0;
	char line[1024];

	while (*s) {
		size_t n = strcspn(s, "\n");
		snprintf(line, sizeof line, "%.*s", (int)n, s);
		if (calib_table_text_width(line) > max)
			max = calib_table_text_width(line);
		s += n + (s[n] == '\n');
	}
	return max;
}

static void
test_fit(void)
{
	const char *cols[] = { "criterion", "statistic", "estimate", "se", "ci_lower",
			       "ci_upper", "n_calls", "band", "note", "scale" };
	const int digits[] = { 0, 0, 3, 3, 3, 3, -1, 0, 0, 0 };
	struct calib_table *t = calib_table_alloc(cols, 10, digits);
	const char *crit[] = { "a_criterion_with_a_name_far_too_long_for_any_terminal_line",
			       "short" };
	char *wide, *fit, *unlimited;

	ok(calib_table_text_width("abc") == 3, "width: ASCII");
	ok(calib_table_text_width("\xe9\xa1\xa7\xe5\xae\xa2") == 4, "width: two CJK characters, two columns each");
	ok(calib_table_text_width("e\xcc\x81t\xc3\xa9") == 3, "width: a combining accent takes none");
	ok(calib_table_text_width("a\xff") == 2, "width: an invalid byte counts one");
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < 2; k++) {
			calib_table_row(t);
			calib_table_text(t, 0, "%s", crit[i]);
			calib_table_text(t, 1, "%s", k ? "gwet_ac1" : "fleiss_kappa");
			calib_table_num(t, 2, 0.5 + (double)k / 10);
			calib_table_num(t, 3, 0.1 + (double)i / 10);
			calib_table_num(t, 4, 0.2);
			calib_table_num(t, 5, k ? NAN : 0.9);
			calib_table_num(t, 6, 12);
			calib_table_text(t, 9, "%s", "same");
			calib_table_text(t, 7, "%s", "moderate");
			calib_table_text(t, 8, "%s", k ? "" : "a note long enough to wrap onto the next line of a narrow terminal");
		}
	calib_table_footer(t, "a footer line that is longer than forty columns and wraps");
	unlimited = render(t, CALIB_FORMAT_TABLE);
	wide = render_fit(t, 1000);
	fit = render_fit(t, 70);
	ok(strcmp(unlimited, wide) == 0, "a table that fits is written as without a width");
	ok(widest(fit) <= 70, "fitted to 70 columns (widest %zu)", widest(fit));
	ok(strstr(fit, "criterion") == fit && strstr(fit, "estimate") && strstr(fit, "ci_lower") &&
		   strstr(fit, "ci_upper") && strstr(fit, "band\n"),
	   "the row names, estimate, interval and band stay on the line");
	ok(strstr(fit, "\n" "                    se: 0.100  note: a note") != NULL &&
		   strstr(fit, "\n" "                    se: 0.200\n") != NULL,
	   "moved columns under the row as name: value, empty cells left out");
	ok(strstr(fit, "\nevery row: n_calls: 12  scale: same\n") != NULL && !strstr(fit, "  n_calls: 12  "),
	   "a column of one value said once under the table, not under every row");
	ok(strstr(fit, "\na_criterion_wi~1  fleiss_kappa ") != NULL,
	   "the long name shortened with its tag");
	ok(strstr(fit, "\n~1: a_criterion_with_a_name_far_too_long_for_any_terminal_line\n") != NULL,
	   "its key under the table");
	ok(strstr(fit, "(70 columns: se, note under the rows; --wide: one line per row)\n") != NULL,
	   "a line says which columns moved");
	ok(strstr(fit, "a footer line that is longer than forty columns and wraps\n") != NULL,
	   "a footer that fits stays one line");
	free(fit);
	fit = render_fit(t, 40);
	ok(strstr(fit, "\na footer line that is longer than forty\n  columns and wraps\n") != NULL,
	   "a footer wider than the line wraps, continued with an indent");
	ok(strstr(fit, "ci_upper  band") != NULL, "at 40 columns the interval and band still stay");
	free(fit);
	free(wide);
	free(unlimited);
	calib_table_free(t);
}

int
main(void)
{
	gsl_set_error_handler_off();
	test_table();
	test_fit();
	test_bands();
	test_report();
	return tap_done();
}
