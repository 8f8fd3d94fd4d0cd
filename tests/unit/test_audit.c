/*
 * test_audit.c - the evaluator effects of routine evaluations (audit.h):
 * against the least-squares fit of the dummy-coded design solved here by
 * its normal equations (gsl_linalg) and against exact values
 * (tests/reference/audit_small.txt, from audit_small.py); the components
 * of a split graph; and a seeded simulation with known severities and a
 * confounded assignment, where the adjusted ranking recovers the truth
 * and the raw one does not. The packed sweeps against the plain ones,
 * bit for bit, and calib_audit_table on one thread and on two.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "calib/audit.h"
#include "calib/columns.h"
#include "calib/reader.h"
#include "calib/store.h"
#include "calib/table.h"
#include "tap.h"

/* tests/sheets/audit-small.csv: agents ann bob cy, evaluators eve max zoe. */
static const uint32_t small_agent[] = {0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 1, 2};
static const uint32_t small_eval[] = {0, 0, 1, 1, 1, 2, 2, 0, 2, 2, 0, 1};
static const double small_greeting[] = {4, 5, 3, 2, 3, 4, 5, 5, 4, 5, 3, 4};

/* The least-squares evaluator effects, sum zero, from the normal equations. */
static void
normal_equations(const uint32_t *ag, const uint32_t *ev, const double *y, size_t n, size_t na,
                 size_t ne, double *effect)
{
	size_t p = 1 + (na - 1) + (ne - 1), i, j, k;
	gsl_matrix *xtx = gsl_matrix_calloc(p, p);
	gsl_vector *xty = gsl_vector_calloc(p), *beta = gsl_vector_alloc(p);
	gsl_permutation *perm = gsl_permutation_alloc(p);
	double *x = calloc(p, sizeof *x), mean = 0;
	int sign;

	for (i = 0; i < n; i++) {
		memset(x, 0, p * sizeof *x);
		x[0] = 1;
		if (ag[i] > 0)
			x[ag[i]] = 1;
		if (ev[i] > 0)
			x[na - 1 + ev[i]] = 1;
		for (j = 0; j < p; j++) {
			for (k = 0; k < p; k++)
				*gsl_matrix_ptr(xtx, j, k) += x[j] * x[k];
			*gsl_vector_ptr(xty, j) += x[j] * y[i];
		}
	}
	gsl_linalg_LU_decomp(xtx, perm, &sign);
	gsl_linalg_LU_solve(xtx, perm, xty, beta);
	effect[0] = 0;
	for (j = 1; j < ne; j++)
		effect[j] = gsl_vector_get(beta, na - 1 + j);
	for (j = 0; j < ne; j++)
		mean += effect[j] / (double)ne;
	for (j = 0; j < ne; j++)
		effect[j] -= mean;
	free(x);
	gsl_matrix_free(xtx);
	gsl_vector_free(xty);
	gsl_vector_free(beta);
	gsl_permutation_free(perm);
}

static void
small_design(void)
{
	struct calib_audit_fit f;
	double want[3];

	ok(calib_audit_fit(small_agent, small_eval, small_greeting, 12, 3, 3, 0.95, &f) ==
	           CALIB_OK,
	   "small design fitted");
	normal_equations(small_agent, small_eval, small_greeting, 12, 3, 3, want);
	for (size_t j = 0; j < 3; j++)
		is_double(f.adjusted[j], want[j], 1e-9, "evaluator %zu: normal equations", j);
	/* tests/reference/audit_small.txt, greeting: 4/15, -11/15, 7/15 */
	is_double(f.adjusted[0], 4.0 / 15, 1e-9, "eve: exact reference 4/15");
	is_double(f.adjusted[1], -11.0 / 15, 1e-9, "max: exact reference -11/15");
	is_double(f.adjusted[2], 7.0 / 15, 1e-9, "zoe: exact reference 7/15");
	/* raw: eve's mean 4.25, max's 3, zoe's 4.5; their mean 47/12 */
	is_double(f.raw[0], 4.25 - 47.0 / 12, 1e-12, "eve: raw deviation");
	is_long((long)f.n_components, 1, "one component");
	is_long((long)f.n_agent_of[1], 3, "max scored three agents");
	ok(f.se[0] > 0 && f.lo[0] < f.adjusted[0] && f.hi[0] > f.adjusted[0] && f.p[0] > 0 &&
	           f.p[0] <= 1,
	   "interval around the effect, p in (0, 1]");
	calib_audit_fit_free(&f);
}

/* Two teams that never share an evaluator: two components, each centred. */
static void
split_graph(void)
{
	static const uint32_t ag[] = {0, 0, 1, 1, 2, 2, 3, 3};
	static const uint32_t ev[] = {0, 1, 0, 1, 2, 3, 2, 3};
	static const double y[] = {3, 4, 2, 4, 5, 5, 4, 3};
	struct calib_audit_fit f;
	double want[2];

	ok(calib_audit_fit(ag, ev, y, 8, 4, 4, 0.95, &f) == CALIB_OK, "split design fitted");
	is_long((long)f.n_components, 2, "two components");
	ok(f.component[0] == 1 && f.component[1] == 1 && f.component[2] == 2 &&
	           f.component[3] == 2,
	   "evaluators labelled by component");
	is_double(f.adjusted[0] + f.adjusted[1], 0, 1e-9, "component 1 sums to zero");
	is_double(f.adjusted[2] + f.adjusted[3], 0, 1e-9, "component 2 sums to zero");
	normal_equations(ag, ev, y, 4, 2, 2, want);
	is_double(f.adjusted[1], want[1], 1e-9, "component 1 as fitted alone");
	calib_audit_fit_free(&f);
}

/* An evaluator who scored one agent has no standard error. */
static void
one_agent(void)
{
	static const uint32_t ag[] = {0, 0, 1, 1, 0};
	static const uint32_t ev[] = {0, 0, 1, 1, 1};
	static const double y[] = {3, 4, 2, 4, 5};
	struct calib_audit_fit f;

	ok(calib_audit_fit(ag, ev, y, 5, 2, 2, 0.95, &f) == CALIB_OK, "fitted");
	ok(isnan(f.se[0]) && isnan(f.p[0]), "one agent scored: no standard error");
	calib_audit_fit_free(&f);
}

/*
 * The simulation: 40 evaluators of known effects, 800 agents; agents are
 * ranked by ability and the most lenient evaluators get the weakest
 * agents (80% of each agent's calls go to the evaluator of their ability
 * block, the rest to anyone), so the raw means hide the severity.
 */
#define SIM_EVAL   40
#define SIM_AGENTS 800
#define SIM_CALLS  12

static void
simulation(void)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t n = SIM_AGENTS * SIM_CALLS, i = 0;
	uint32_t *ag = malloc(n * sizeof *ag), *ev = malloc(n * sizeof *ev);
	double *y = malloc(n * sizeof *y), truth[SIM_EVAL], ability[SIM_AGENTS];
	struct calib_audit_fit f;
	double r_adj, r_raw;

	gsl_rng_set(rng, 20260522);
	for (size_t j = 0; j < SIM_EVAL; j++)
		truth[j] =
		        -1 + 2 * (double)j /
		                     (SIM_EVAL - 1); /* evaluator j: j-th most lenient last */
	for (size_t a = 0; a < SIM_AGENTS; a++)
		ability[a] = 3 * (double)a / SIM_AGENTS + gsl_ran_gaussian(rng, 0.3);
	for (size_t a = 0; a < SIM_AGENTS; a++) {
		/* the strongest agents (a large) go to the harshest evaluators (j small) */
		size_t home = SIM_EVAL - 1 - a * SIM_EVAL / SIM_AGENTS;
		for (size_t k = 0; k < SIM_CALLS; k++, i++) {
			size_t j = gsl_rng_uniform(rng) < 0.8
			                   ? home
			                   : gsl_rng_uniform_int(rng, SIM_EVAL);
			ag[i] = (uint32_t)a;
			ev[i] = (uint32_t)j;
			y[i] = ability[a] + truth[j] + gsl_ran_gaussian(rng, 0.5);
		}
	}
	ok(calib_audit_fit(ag, ev, y, n, SIM_AGENTS, SIM_EVAL, 0.95, &f) == CALIB_OK,
	   "simulation fitted");
	r_adj = calib_audit_spearman(f.adjusted, truth, SIM_EVAL);
	r_raw = calib_audit_spearman(f.raw, truth, SIM_EVAL);
	printf("# Spearman with the true severities: adjusted %.4f, raw %.4f\n", r_adj, r_raw);
	ok(r_adj > 0.95, "the adjusted ranking recovers the truth (%.3f)", r_adj);
	ok(r_raw < 0.3, "the raw ranking does not (%.3f)", r_raw);
	calib_audit_fit_free(&f);
	free(ag);
	free(ev);
	free(y);
	gsl_rng_free(rng);
}

/* Do two fits hold the same effects, bit for bit? */
static int
same_fit(const struct calib_audit_fit *a, const struct calib_audit_fit *b, size_t na)
{
	size_t ne = a->n_evaluators, d = ne * sizeof(double);

	return ne == b->n_evaluators && a->iterations == b->iterations &&
	       a->n_components == b->n_components &&
	       memcmp(a->agent_effect, b->agent_effect, na * sizeof(double)) == 0 &&
	       memcmp(a->adjusted, b->adjusted, d) == 0 && memcmp(a->raw, b->raw, d) == 0 &&
	       memcmp(a->se, b->se, d) == 0 && memcmp(a->lo, b->lo, d) == 0 &&
	       memcmp(a->hi, b->hi, d) == 0 && memcmp(a->p, b->p, d) == 0 &&
	       memcmp(a->n_agent_of, b->n_agent_of, ne * sizeof(size_t)) == 0 &&
	       memcmp(a->component, b->component, ne * sizeof(uint32_t)) == 0;
}

/*
 * The sweeps read the observations packed (16-bit ids, each score as an
 * index into the distinct scores) when they fit; with more than 65536
 * agents declared (the extra ones without scores change nothing in the
 * model) they read them as given. The same effects, bit for bit: scores
 * of a 1-5 scale, then 70,000 distinct scores (more than the packing
 * holds).
 */
static void
packed_same_bits(void)
{
	enum { NA = 300, NE = 20, NOBS = 70000 };
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	uint32_t *ag = malloc(NOBS * sizeof *ag), *ev = malloc(NOBS * sizeof *ev);
	double *y = malloc(NOBS * sizeof *y);
	struct calib_audit_fit f1, f2;

	gsl_rng_set(rng, 7);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < NOBS; i++) {
			size_t a = gsl_rng_uniform_int(rng, NA);
			size_t j = gsl_rng_uniform(rng) < 0.8 ? NE - 1 - a * NE / NA
			                                      : gsl_rng_uniform_int(rng, NE);
			double v = 1 + 3.0 * (double)a / NA + 0.1 * (double)j +
			           gsl_ran_gaussian(rng, 0.8);
			ag[i] = (uint32_t)a;
			ev[i] = (uint32_t)j;
			y[i] = pass == 0 ? fmin(5, fmax(1, round(v))) : v;
		}
		ok(calib_audit_fit(ag, ev, y, NOBS, NA, NE, 0.95, &f1) == CALIB_OK &&
		           calib_audit_fit(ag, ev, y, NOBS, 70000, NE, 0.95, &f2) == CALIB_OK,
		   "%s: both fitted", pass == 0 ? "1-5 scores" : "distinct scores");
		ok(same_fit(&f1, &f2, NA), "%s: packed and plain sweeps agree bit for bit",
		   pass == 0 ? "1-5 scores" : "distinct scores");
		calib_audit_fit_free(&f1);
		calib_audit_fit_free(&f2);
	}
	free(ag);
	free(ev);
	free(y);
	gsl_rng_free(rng);
}

/* calib_audit_table: the same table, to the last digit, on one thread and on two. */
static void
threads_same_table(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts ro;
	struct calib_error err;
	FILE *fp = fopen("data/routine-2026.csv", "r");
	struct calib_table *t1, *t2;
	char *b1 = NULL, *b2 = NULL;
	size_t n1 = 0, n2 = 0;
	FILE *m1 = open_memstream(&b1, &n1), *m2 = open_memstream(&b2, &n2);

	calib_read_opts_init(&ro);
	ro.agent = true;
	ok(fp && calib_read(s, fp, "routine-2026.csv", &ro, &err) == CALIB_OK &&
	           calib_store_finish(s) == CALIB_OK,
	   "the routine year read");
	t1 = calib_audit_table(s, 0.95, 1, &err);
	t2 = calib_audit_table(s, 0.95, 2, &err);
	ok(t1 && t2 && calib_table_write(t1, m1, CALIB_FORMAT_CSV, false) == CALIB_OK &&
	           calib_table_write(t2, m2, CALIB_FORMAT_CSV, false) == CALIB_OK,
	   "audited on one thread and on two");
	fclose(m1);
	fclose(m2);
	ok(n1 > 1000 && n1 == n2 && memcmp(b1, b2, n1) == 0, "the same table (%zu bytes)", n1);
	free(b1);
	free(b2);
	calib_table_free(t1);
	calib_table_free(t2);
	if (fp)
		fclose(fp);
	calib_store_free(s);
}

/* The agent column's names in the alias table. */
static void
agent_aliases(void)
{
	static const char *const names[] = {"agent", "Employee", "advisor", "REP", "agent_"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		ok(calib_column_role(names[i], strlen(names[i])) == CALIB_ROLE_AGENT,
		   "'%s' names the agent", names[i]);
	ok(calib_column_role("agent id", 8) == CALIB_ROLE_NONE, "'agent id' does not");
	is_string(calib_role_option(CALIB_ROLE_AGENT), "--agent-col", "the agent's option");
}

int
main(void)
{
	agent_aliases();
	small_design();
	split_graph();
	one_agent();
	simulation();
	packed_same_bits();
	threads_same_table();
	return tap_done();
}
