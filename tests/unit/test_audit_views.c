/*
 * test_audit_views.c - calib-audit's scale, criteria and agents views
 * (audit_views.h): the chi-square test with merged categories against
 * tables worked by hand; scale use, evaluator x criterion effects and
 * fairness per agent on tests/sheets/audit-small.csv against the exact
 * values of tests/reference/audit_views_small.txt; and a seeded
 * simulation with a planted evaluator x criterion effect (found first)
 * and a planted evaluator who keeps to the middle of the scale (flagged).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "calib/audit_views.h"
#include "calib/reader.h"
#include "calib/store.h"
#include "calib/table.h"
#include "tap.h"

static struct calib_store *
load_fp(FILE *fp, const char *name, const char *criteria)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts ro;
	struct calib_error err;

	calib_read_opts_init(&ro);
	ro.agent = true;
	ro.criteria = criteria;
	if (!fp || calib_read(s, fp, name, &ro, &err) || calib_store_finish(s)) {
		fprintf(stderr, "# cannot load %s\n", name);
		exit(1);
	}
	fclose(fp);
	return s;
}

static struct calib_store *
load(const char *sheet, const char *criteria)
{
	return load_fp(fopen(sheet, "r"), sheet, criteria);
}

static uint32_t
id(const struct calib_names *n, const char *name)
{
	return calib_names_find(n, name, strlen(name));
}

static void
views(void)
{
	enum calib_audit_view v = CALIB_AUDIT_SEVERITY;

	ok(calib_audit_view_parse("scale", &v) && v == CALIB_AUDIT_SCALE, "view scale");
	ok(calib_audit_view_parse("criteria", &v) && v == CALIB_AUDIT_CRITERIA, "view criteria");
	ok(calib_audit_view_parse("agents", &v) && v == CALIB_AUDIT_AGENTS, "view agents");
	ok(calib_audit_view_parse("severity", &v) && v == CALIB_AUDIT_SEVERITY, "view severity");
	ok(!calib_audit_view_parse("Scale", &v) && !calib_audit_view_parse("", &v),
	   "unknown views refused");
}

static void
chi2(void)
{
	/* 2 x 2: expected 20/3, 40/3 and 40/3, 80/3; chi2 = 3.75 */
	const double a1[] = {10, 10}, b1[] = {10, 30};
	/* levels 1, 2 merge (3 < 5 expected), 4, 5 merge: groups (5,10) (5,10) (10,10)
	 * of expected (6,9) (6,9) (8,12): chi2 = 2 (1/6 + 1/9) + 4/8 + 4/12 = 25/18 */
	const double a2[] = {1, 4, 5, 0, 10}, b2[] = {2, 8, 10, 5, 5};
	/* a short last group joins the one before */
	const double a3[] = {10, 10, 1}, b3[] = {10, 10, 1};
	/* too few for two groups */
	const double a4[] = {2, 2}, b4[] = {10, 10}, none[] = {0, 0};
	struct calib_audit_chi2 r;

	r = calib_audit_chi2_merged(a1, b1, 2, 5);
	is_double(r.chi2, 3.75, 1e-12, "2 x 2 chi2");
	is_long((long)r.df, 1, "2 x 2 df");
	is_double(r.p, erfc(sqrt(3.75 / 2)), 1e-9, "2 x 2 p: erfc(sqrt(chi2 / 2)) on 1 df");
	r = calib_audit_chi2_merged(a2, b2, 5, 5);
	is_long((long)r.groups, 3, "merged into 3 groups");
	is_double(r.chi2, 25.0 / 18, 1e-12, "merged chi2 25/18");
	is_double(r.p, exp(-25.0 / 36), 1e-9, "merged p: exp(-chi2 / 2) on 2 df");
	r = calib_audit_chi2_merged(a3, b3, 3, 5);
	ok(r.groups == 2 && r.df == 1 && r.chi2 == 0 && r.p == 1, "short last group merged");
	r = calib_audit_chi2_merged(a4, b4, 2, 5);
	ok(r.groups == 1 && r.df == 0 && isnan(r.chi2) && isnan(r.p), "one group: NA");
	r = calib_audit_chi2_merged(a1, none, 2, 5);
	ok(r.df == 0 && isnan(r.p), "no others: NA");
}

static const struct calib_audit_scale *
scale_of(const struct calib_audit_scales *l, uint32_t crit, uint32_t ev)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->row[i].criterion == crit && l->row[i].evaluator == ev)
			return &l->row[i];
	return NULL;
}

static void
scale_small(void)
{
	struct calib_store *s = load("tests/sheets/audit-small.csv", NULL);
	struct calib_audit_scales l;
	struct calib_error err;
	const struct calib_audit_scale *r;

	ok(calib_audit_scales(s, &l, &err) == CALIB_OK, "scales computed");
	is_long((long)l.n, 8, "two criteria: the pool and three evaluators each");
	ok(l.row[0].evaluator == CALIB_NONE && l.row[0].n == 12, "the pool first");
	r = scale_of(&l, 0, id(s->raters, "eve"));
	/* eve's greeting: 4 5 5 3; the others' 3 2 3 4 4 5 4 5 */
	ok(r && r->n == 4 && r->n_na == 0, "eve: 4 ratings, no N/A");
	ok(r && r->count[0] == 0 && r->count[1] == 1 && r->count[2] == 1 && r->count[3] == 2,
	   "eve: levels 2 3 4 5 counted 0 1 1 2");
	is_double(r->mean, 4.25, 1e-12, "eve: mean");
	is_double(r->sd, sqrt(11.0 / 12), 1e-12, "eve: sd sqrt(11/12)");
	is_double(r->sd_ratio, sqrt(77.0 / 90), 1e-12, "eve: sd over the others' sqrt(15/14)");
	is_double(r->extreme, 0.5, 1e-12, "eve: half at 2 or 5");
	ok(isnan(r->test.p) && r->test.groups == 1, "4 scores: no test");
	calib_audit_scales_free(&l);
	calib_audit_scales_free(NULL);
	calib_store_free(s);

	/* N/A: ana's greeting in audit-views.csv has 3 of 24; cal none */
	s = load("tests/sheets/audit-views.csv", NULL);
	ok(calib_audit_scales(s, &l, &err) == CALIB_OK, "scales with N/A");
	r = scale_of(&l, 0, id(s->raters, "ana"));
	ok(r && r->n == 24 && r->n_na == 3, "ana: 3 N/A of 24");
	r = scale_of(&l, 0, id(s->raters, "cal"));
	ok(r && r->n_na == 0, "cal: no N/A");
	calib_audit_scales_free(&l);
	calib_store_free(s);
}

static void
criteria_small(void)
{
	struct calib_store *s = load("tests/sheets/audit-small.csv", NULL);
	struct calib_audit_interactions l;
	struct calib_error err;
	/* tests/reference/audit_views_small.txt */
	static const struct {
		const char *ev;
		double std_g, diff_g, diff_r;
	} want[] = {
	        {"eve", 0.13063665151681325, 0.08037832597583405, -0.050595357572891964},
	        {"max", 0.3507961551334564, 0.2158384142658254, -0.1358627666745471},
	        {"zoe", -0.4814328066502699, -0.29621674024165956, 0.18645812424743902},
	};

	ok(calib_audit_interactions(s, &l, &err) == CALIB_OK, "interactions computed");
	is_long((long)l.n, 6, "3 evaluators x 2 criteria");
	ok(l.row[0].evaluator == id(s->raters, "zoe") && l.row[0].criterion == 0,
	   "largest first: zoe on greeting");
	is_double(l.row[0].sigma, sqrt(53.0 / 140), 1e-9, "greeting residual SD sqrt(53/140)");
	for (size_t i = 0; i < l.n; i++) {
		const struct calib_audit_interaction *r = &l.row[i];
		for (size_t k = 0; k < 3; k++) {
			if (r->evaluator != id(s->raters, want[k].ev))
				continue;
			is_double(r->std, r->criterion == 0 ? want[k].std_g : -want[k].std_g, 1e-9,
			          "%s criterion %u std", want[k].ev, r->criterion);
			is_double(r->difference, r->criterion == 0 ? want[k].diff_g : want[k].diff_r,
			          1e-9, "%s criterion %u difference", want[k].ev, r->criterion);
			is_double(r->z, r->difference / r->se, 1e-12, "z = difference / se");
		}
	}
	calib_audit_interactions_free(&l);
	calib_store_free(s);

	s = load("tests/sheets/audit-small.csv", "greeting");
	ok(calib_audit_interactions(s, &l, &err) == CALIB_EINPUT && l.n == 0 && !l.row,
	   "one criterion: an input error");
	is_string(err.msg,
	          "the criteria view needs two criteria or more with ordered levels and scores "
	          "that vary",
	          "one criterion: the message");
	calib_store_free(s);
}

static void
agents_small(void)
{
	struct calib_store *s = load("tests/sheets/audit-small.csv", NULL);
	struct calib_audit_agents l;
	struct calib_error err;
	uint32_t ann = id(s->sessions, "ann"), bob = id(s->sessions, "bob"),
	         cy = id(s->sessions, "cy");

	ok(calib_audit_agents(s, &l, &err) == CALIB_OK, "agents computed");
	is_long((long)l.n, 9, "two criteria and the TOTAL, three agents each");
	/* greeting, by |shift|: bob 11/60, cy 7/60, ann 4/60 */
	ok(l.row[0].agent == bob && l.row[1].agent == cy && l.row[2].agent == ann,
	   "greeting: bob, cy, ann by the size of the shift");
	is_double(l.row[0].raw, 3, 1e-12, "bob raw 3");
	is_double(l.row[0].adjusted, 191.0 / 60, 1e-9, "bob adjusted 191/60");
	is_double(l.row[0].eta2, 0.75, 1e-9, "bob eta2 3/4");
	is_double(l.row[1].adjusted, 263.0 / 60, 1e-9, "cy adjusted 263/60");
	is_double(l.row[1].eta2, 0.5, 1e-9, "cy eta2 1/2");
	is_double(l.row[2].raw, 17.0 / 4, 1e-12, "ann raw 17/4");
	is_double(l.row[2].adjusted, 251.0 / 60, 1e-9, "ann adjusted 251/60");
	is_double(l.row[2].eta2, 9.0 / 11, 1e-9, "ann eta2 9/11");
	is_double(l.row[2].shift, 251.0 / 60 - 17.0 / 4, 1e-9, "shift = adjusted - raw");
	/* 1 - (1 - eta2) (4 - 1) / (4 - 3) */
	is_double(l.row[0].eta2_adj, 0.25, 1e-9, "bob eta2_adj 1/4");
	is_double(l.row[1].eta2_adj, -0.5, 1e-9, "cy eta2_adj -1/2");
	is_double(l.row[2].eta2_adj, 5.0 / 11, 1e-9, "ann eta2_adj 5/11");
	ok(l.row[0].n == 4 && l.row[0].n_evaluators == 3, "bob: 4 scores, 3 evaluators");
	ok(l.row[3].criterion == 1 && l.row[6].criterion == CALIB_NONE, "then resolution, TOTAL");
	is_double(l.row[3 + (l.row[3].agent == bob ? 0 : 1)].eta2, 1, 1e-12,
	          "resolution: bob's scores all between evaluators");
	calib_audit_agents_free(&l);
	calib_store_free(s);
}

/*
 * 12 evaluators, 120 agents of ability over -1..1, 3 criteria on 1..5;
 * each agent 10 calls, 70% to the evaluator of their ability band
 * (confounded). Evaluator 4 is 1 point more lenient on criterion 2 only;
 * evaluator 9 keeps to the middle (a third of the spread around 3).
 */
static void
simulation(void)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	FILE *fp = tmpfile();
	struct calib_store *s;
	struct calib_audit_interactions li;
	struct calib_audit_scales ls;
	struct calib_error err;
	const size_t ne = 12, na = 120;
	size_t call = 0;
	double sev[12];

	gsl_rng_set(rng, 20261205);
	for (size_t j = 0; j < ne; j++)
		sev[j] = -0.5 + (double)j / (double)(ne - 1);
	fprintf(fp, "call,agent,evaluator,c0,c1,c2\n");
	for (size_t g = 0; g < na; g++) {
		double ability = -1 + 2 * (double)g / (double)(na - 1);
		size_t band = g * ne / na;
		for (size_t k = 0; k < 10; k++) {
			size_t j = gsl_rng_uniform(rng) < 0.7 ? band
			                                       : gsl_rng_uniform_int(rng, ne);
			fprintf(fp, "c%zu,g%zu,e%zu", call++, g, j);
			for (size_t c = 0; c < 3; c++) {
				double v = 3 + ability + sev[j] + gsl_ran_gaussian(rng, 0.8);
				if (j == 4 && c == 2)
					v += 1;
				if (j == 9)
					v = 3 + (v - 3) / 3;
				v = round(v);
				fprintf(fp, ",%d", (int)(v < 1 ? 1 : v > 5 ? 5 : v));
			}
			fprintf(fp, "\n");
		}
	}
	rewind(fp);
	s = load_fp(fp, "simulation", NULL);
	ok(calib_audit_interactions(s, &li, &err) == CALIB_OK, "simulation: interactions");
	ok(li.row[0].evaluator == id(s->raters, "e4") && li.row[0].criterion == 2 &&
	           li.row[0].std > 0,
	   "the planted effect (e4 on c2, lenient) comes first (std %.3f)", li.row[0].std);
	ok(calib_audit_scales(s, &ls, &err) == CALIB_OK, "simulation: scales");
	for (uint32_t c = 0; c < 3; c++) {
		const struct calib_audit_scale *r = scale_of(&ls, c, id(s->raters, "e9"));
		double others = INFINITY;
		for (size_t i = 0; i < ls.n; i++)
			if (ls.row[i].criterion == c && ls.row[i].evaluator != CALIB_NONE &&
			    ls.row[i].evaluator != r->evaluator && ls.row[i].sd_ratio < others)
				others = ls.row[i].sd_ratio;
		ok(r->sd_ratio < 0.6 && r->sd_ratio < others && r->test.p < 1e-6,
		   "c%u: the compressed evaluator flagged (sd_ratio %.3f, next %.3f, p %.2g)", c,
		   r->sd_ratio, others, r->test.p);
	}
	calib_audit_interactions_free(&li);
	calib_audit_scales_free(&ls);
	calib_store_free(s);
	gsl_rng_free(rng);
}

static void
tables(void)
{
	struct calib_store *s = load("tests/sheets/audit-small.csv", NULL);
	struct calib_error err;
	struct calib_table *t;

	t = calib_audit_criteria_table(s, 2, &err);
	ok(t && calib_table_n_rows(t) == 2, "criteria view: --top 2 rows");
	calib_table_free(t);
	t = calib_audit_agents_table(s, 1, &err);
	ok(t && calib_table_n_rows(t) == 3, "agents view: --top 1 per criterion and TOTAL");
	calib_table_free(t);
	t = calib_audit_scale_table(s, &err);
	/* criterion, evaluator, n, na_share, share:2..5, then 7 */
	ok(t && calib_table_n_cols(t) == 15 && calib_table_n_rows(t) == 8,
	   "scale view: one share column per level");
	calib_table_free(t);
	calib_store_free(s);
}

int
main(void)
{
	views();
	chi2();
	scale_small();
	criteria_small();
	agents_small();
	simulation();
	tables();
	return tap_done();
}
