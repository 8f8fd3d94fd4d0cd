/*
 * audit.c - evaluator effects from routine evaluations (audit.h): the
 * two-way fixed-effects model fitted by alternating projections, the
 * connected components of the evaluator-agent graph by union-find, and
 * the table of calib-audit.
 */
#include "calib/audit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "calib/report.h"
#include "calib/store.h"
#include "calib/table.h"

#define SWEEPS_MAX 100000
#define TOLERANCE  1e-14

static uint32_t
find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

void
calib_audit_fit_free(struct calib_audit_fit *f)
{
	if (!f)
		return;
	free(f->agent_effect);
	free(f->adjusted);
	free(f->raw);
	free(f->se);
	free(f->lo);
	free(f->hi);
	free(f->p);
	free(f->n);
	free(f->n_agent_of);
	free(f->component);
	memset(f, 0, sizeof *f);
}

/* The components: evaluator j's in comp[j] (1, 2, ...; 0 without scores). */
static enum calib_status
components(const uint32_t *agent, const uint32_t *evaluator, size_t n, size_t na, size_t ne,
           struct calib_audit_fit *f, uint32_t *agent_comp)
{
	uint32_t *parent = malloc((na + ne) * sizeof *parent), *label;
	size_t i;

	if (!parent)
		return CALIB_ENOMEM;
	for (i = 0; i < na + ne; i++)
		parent[i] = (uint32_t)i;
	for (i = 0; i < n; i++) {
		uint32_t a = find(parent, agent[i]),
		         b = find(parent, (uint32_t)na + evaluator[i]);
		if (a != b)
			parent[a < b ? b : a] = a < b ? a : b;
	}
	label = calloc(na + ne, sizeof *label);
	if (!label) {
		free(parent);
		return CALIB_ENOMEM;
	}
	f->n_components = 0;
	for (i = 0; i < ne; i++) {
		uint32_t r = find(parent, (uint32_t)(na + i));
		if (f->n[i] == 0) {
			f->component[i] = 0;
			continue;
		}
		if (!label[r])
			label[r] = (uint32_t)++f->n_components;
		f->component[i] = label[r];
	}
	for (i = 0; i < na; i++)
		agent_comp[i] = label[find(parent, (uint32_t)i)];
	free(parent);
	free(label);
	return CALIB_OK;
}

enum calib_status
calib_audit_fit(const uint32_t *agent, const uint32_t *evaluator, const double *y, size_t n,
                size_t na, size_t ne, double conf, struct calib_audit_fit *f)
{
	double *asum = NULL, *bsum = NULL, *rsum = NULL, *csum = NULL, *cbias = NULL;
	size_t *acount = NULL, *ccount = NULL, *pair_n = NULL, i, j, sweep;
	uint32_t *agent_comp = NULL, *order = NULL;
	enum calib_status st = CALIB_ENOMEM;
	double ss = 0, s2;
	size_t df_resid;

	memset(f, 0, sizeof *f);
	f->n_agents = na;
	f->n_evaluators = ne;
	f->n_obs = n;
	f->agent_effect = calloc(na + 1, sizeof(double));
	f->adjusted = calloc(ne + 1, sizeof(double));
	f->raw = calloc(ne + 1, sizeof(double));
	f->se = calloc(ne + 1, sizeof(double));
	f->lo = calloc(ne + 1, sizeof(double));
	f->hi = calloc(ne + 1, sizeof(double));
	f->p = calloc(ne + 1, sizeof(double));
	f->n = calloc(ne + 1, sizeof(size_t));
	f->n_agent_of = calloc(ne + 1, sizeof(size_t));
	f->component = calloc(ne + 1, sizeof(uint32_t));
	asum = calloc(na + 1, sizeof *asum);
	acount = calloc(na + 1, sizeof *acount);
	bsum = calloc(ne + 1, sizeof *bsum);
	rsum = calloc(ne + 1, sizeof *rsum);
	agent_comp = calloc(na + 1, sizeof *agent_comp);
	csum = calloc(ne + 2, sizeof *csum);
	cbias = calloc(ne + 2, sizeof *cbias);
	ccount = calloc(ne + 2, sizeof *ccount);
	if (!f->agent_effect || !f->adjusted || !f->raw || !f->se || !f->lo || !f->hi ||
	    !f->p || !f->n || !f->n_agent_of || !f->component || !asum || !acount || !bsum ||
	    !rsum || !agent_comp || !csum || !cbias || !ccount)
		goto out;
	for (i = 0; i < n; i++) {
		acount[agent[i]]++;
		f->n[evaluator[i]]++;
		rsum[evaluator[i]] += y[i];
	}
	if ((st = components(agent, evaluator, n, na, ne, f, agent_comp)) != CALIB_OK)
		goto out;
	st = CALIB_ENOMEM;
	/* alternating projections: each factor's means of what the other leaves */
	for (sweep = 1; sweep <= SWEEPS_MAX; sweep++) {
		double change = 0, scale = 0;
		memset(asum, 0, na * sizeof *asum);
		for (i = 0; i < n; i++)
			asum[agent[i]] += y[i] - f->adjusted[evaluator[i]];
		for (j = 0; j < na; j++)
			f->agent_effect[j] = acount[j] ? asum[j] / (double)acount[j] : 0;
		memset(bsum, 0, ne * sizeof *bsum);
		for (i = 0; i < n; i++)
			bsum[evaluator[i]] += y[i] - f->agent_effect[agent[i]];
		for (j = 0; j < ne; j++) {
			double b = f->n[j] ? bsum[j] / (double)f->n[j] : 0;
			if (fabs(b - f->adjusted[j]) > change)
				change = fabs(b - f->adjusted[j]);
			if (fabs(b) > scale)
				scale = fabs(b);
			f->adjusted[j] = b;
		}
		f->iterations = sweep;
		if (change <= TOLERANCE * (1 + scale))
			break;
	}
	/* centre: evaluator effects and raw means sum to zero within a component */
	for (j = 0; j < ne; j++)
		if (f->n[j]) {
			csum[f->component[j]] += f->adjusted[j];
			cbias[f->component[j]] += rsum[j] / (double)f->n[j];
			ccount[f->component[j]]++;
		}
	for (j = 0; j < ne; j++) {
		uint32_t c = f->component[j];
		if (!f->n[j]) {
			f->adjusted[j] = f->raw[j] = NAN;
			continue;
		}
		f->adjusted[j] -= csum[c] / (double)ccount[c];
		f->raw[j] = rsum[j] / (double)f->n[j] - cbias[c] / (double)ccount[c];
	}
	for (j = 0; j < na; j++)
		if (acount[j])
			f->agent_effect[j] +=
			        csum[agent_comp[j]] / (double)ccount[agent_comp[j]];
	/* residuals, and per (evaluator, agent) their sums: sort by evaluator, agent */
	order = malloc((n + 1) * sizeof *order);
	pair_n = calloc(ne + 1, sizeof *pair_n);
	if (!order || !pair_n)
		goto out;
	for (i = 0; i < n; i++) {
		double r = y[i] - f->agent_effect[agent[i]] - f->adjusted[evaluator[i]];
		ss += r * r;
	}
	{
		/* counting sort by evaluator, then within one by agent (stable by a second
		 * pass) */
		size_t *start = calloc(ne + 1, sizeof *start);
		size_t *astart = calloc(na + 1, sizeof *astart);
		uint32_t *tmp = malloc((n + 1) * sizeof *tmp);
		if (!start || !astart || !tmp) {
			free(start);
			free(astart);
			free(tmp);
			goto out;
		}
		for (i = 0, j = 0; j < na; j++) {
			size_t c = acount[j];
			astart[j] = i;
			i += c;
		}
		for (i = 0; i < n; i++)
			tmp[astart[agent[i]]++] = (uint32_t)i;
		for (i = 0, j = 0; j < ne; j++) {
			size_t c = f->n[j];
			start[j] = i;
			i += c;
		}
		for (i = 0; i < n; i++) {
			uint32_t k = tmp[i];
			order[start[evaluator[k]]++] = k;
		}
		free(start);
		free(astart);
		free(tmp);
	}
	df_resid = n + f->n_components;
	{
		size_t used_a = 0;
		for (j = 0; j < na; j++)
			used_a += acount[j] > 0;
		for (j = 0; j < ne; j++)
			used_a += f->n[j] > 0;
		df_resid = df_resid > used_a ? df_resid - used_a : 0;
	}
	s2 = df_resid ? ss / (double)df_resid : NAN;
	for (j = 0; j < ne; j++)
		ccount[j] = 0;
	for (i = 0; i < n;) {
		uint32_t e = evaluator[order[i]];
		double v1 = 0, v2 = 0, nj = (double)f->n[e];
		size_t g_count = 0;
		while (i < n && evaluator[order[i]] == e) {
			uint32_t g = agent[order[i]];
			double s = 0;
			size_t m = 0;
			while (i < n && evaluator[order[i]] == e && agent[order[i]] == g) {
				uint32_t k = order[i];
				s += y[k] - f->agent_effect[g] - f->adjusted[e];
				m++;
				i++;
			}
			v1 += s * s;
			v2 += (double)m * (double)m * s2 / (double)acount[g];
			g_count++;
		}
		f->n_agent_of[e] = g_count;
		ccount[e] = g_count;
		if (g_count < 2 || isnan(s2)) {
			f->se[e] = f->lo[e] = f->hi[e] = f->p[e] = NAN;
			continue;
		}
		v1 *= (double)g_count / (double)(g_count - 1);
		f->se[e] = sqrt((v1 + v2) / (nj * nj));
		{
			double df = (double)(g_count - 1);
			double q = gsl_cdf_tdist_Pinv(0.5 + conf / 2, df);
			f->lo[e] = f->adjusted[e] - q * f->se[e];
			f->hi[e] = f->adjusted[e] + q * f->se[e];
			f->p[e] = f->se[e] > 0
			                  ? 2 * gsl_cdf_tdist_Q(fabs(f->adjusted[e]) / f->se[e],
			                                        df)
			                  : NAN;
		}
	}
	/* alone in a component: nothing to compare with */
	memset(csum, 0, (ne + 2) * sizeof *csum);
	for (j = 0; j < ne; j++)
		if (f->n[j])
			csum[f->component[j]] += 1;
	for (j = 0; j < ne; j++)
		if (f->n[j] && csum[f->component[j]] < 2)
			f->se[j] = f->lo[j] = f->hi[j] = f->p[j] = NAN;
	st = CALIB_OK;
out:
	free(asum);
	free(acount);
	free(bsum);
	free(rsum);
	free(agent_comp);
	free(csum);
	free(cbias);
	free(ccount);
	free(order);
	free(pair_n);
	if (st != CALIB_OK)
		calib_audit_fit_free(f);
	return st;
}

double
calib_audit_spearman(const double *x, const double *y, size_t n)
{
	double *work = malloc(2 * n * sizeof *work), r;

	if (n < 2 || !work) {
		free(work);
		return NAN;
	}
	r = gsl_stats_spearman(x, 1, y, 1, n, work);
	free(work);
	return r;
}

/* Add the rows of one fit, criterion `name`, to t. */
static enum calib_status
add_rows(struct calib_table *t, const struct calib_store *s, const char *name,
         const struct calib_audit_fit *f)
{
	enum calib_status st = CALIB_OK;

	for (size_t j = 0; j < f->n_evaluators && st == CALIB_OK; j++) {
		if (!f->n[j])
			continue;
		if ((st = calib_table_row(t)) || (st = calib_table_text(t, 0, "%s", name)) ||
		    (st = calib_table_text(t, 1, "%s",
		                           calib_names_get(s->raters, (uint32_t)j))) ||
		    (st = calib_table_num(t, 2, f->component[j])) ||
		    (st = calib_table_num(t, 3, (double)f->n[j])) ||
		    (st = calib_table_num(t, 4, (double)f->n_agent_of[j])) ||
		    (st = calib_table_num(t, 5, f->raw[j])) ||
		    (st = calib_table_num(t, 6, f->adjusted[j])) ||
		    (st = calib_table_num(t, 7, f->se[j])) ||
		    (st = calib_table_num(t, 8, f->lo[j])) ||
		    (st = calib_table_num(t, 9, f->hi[j])) ||
		    (st = calib_table_num(t, 10, f->p[j])))
			break;
	}
	return st;
}

/* Fit the scores score[e] (NAN: none) of every evaluation e. */
static enum calib_status
fit_scores(const struct calib_store *s, const double *score, double conf,
           struct calib_audit_fit *f)
{
	uint32_t *agent = malloc((s->n_evals + 1) * sizeof *agent);
	uint32_t *ev = malloc((s->n_evals + 1) * sizeof *ev);
	double *y = malloc((s->n_evals + 1) * sizeof *y);
	enum calib_status st = CALIB_ENOMEM;
	size_t n = 0;

	if (agent && ev && y) {
		for (size_t e = 0; e < s->n_evals; e++) {
			if (isnan(score[e]))
				continue;
			agent[n] = s->item_session[s->eval_item[e]];
			ev[n] = s->eval_rater[e];
			y[n++] = score[e];
		}
		st = calib_audit_fit(agent, ev, y, n, calib_names_count(s->sessions),
		                     calib_names_count(s->raters), conf, f);
	}
	free(agent);
	free(ev);
	free(y);
	return st;
}

/* Fit the scores y[e] (NAN: none) of every evaluation e and add the rows. */
static enum calib_status
audit_one(struct calib_table *t, const struct calib_store *s, const char *name,
          const double *score, double conf, size_t *split)
{
	struct calib_audit_fit f;
	enum calib_status st = fit_scores(s, score, conf, &f);

	if (st == CALIB_OK) {
		if (f.n_components > *split)
			*split = f.n_components;
		st = add_rows(t, s, name, &f);
		calib_audit_fit_free(&f);
	}
	return st;
}

/* Each evaluation's score on criterion cr into score[] (NAN: none). */
static void
criterion_scores(const struct calib_store *s, const struct calib_criterion *cr, double *score)
{
	for (size_t e = 0; e < s->n_evals; e++) {
		uint16_t code = cr->code[e];
		score[e] = code >= CALIB_CODE_LEVEL ? cr->value[code - CALIB_CODE_LEVEL] : NAN;
	}
}

enum calib_status
calib_audit_fit_store(const struct calib_store *s, uint32_t c, double conf,
                      struct calib_audit_fit *f)
{
	double *score;
	enum calib_status st;

	memset(f, 0, sizeof *f);
	if (c == CALIB_NONE ? !calib_report_total_applies(s)
	                    : c >= s->n_criteria || s->criteria[c].scale == CALIB_SCALE_NOMINAL)
		return CALIB_EARG;
	if (c == CALIB_NONE)
		score = calib_report_totals(s);
	else if ((score = malloc((s->n_evals + 1) * sizeof *score)))
		criterion_scores(s, &s->criteria[c], score);
	if (!score)
		return CALIB_ENOMEM;
	st = fit_scores(s, score, conf, f);
	free(score);
	return st;
}

struct calib_table *
calib_audit_table(const struct calib_store *s, double conf, struct calib_error *err)
{
	static const char *const cols[] = {"criterion", "evaluator", "component", "n",
	                                   "agents",    "raw",       "adjusted",  "se",
	                                   "ci_lower",  "ci_upper",  "p"};
	static const int digits[] = {0, 0, -1, -1, -1, 3, 3, 3, 3, 3, 3};
	struct calib_table *t = calib_table_alloc(cols, 11, digits);
	double *score = malloc((s->n_evals + 1) * sizeof *score), *total = NULL;
	enum calib_status st = CALIB_ENOMEM;
	size_t split = 0, fitted = 0;

	if (!t || !score)
		goto out;
	for (size_t c = 0; c < s->n_criteria; c++) {
		const struct calib_criterion *cr = &s->criteria[c];
		if (cr->scale == CALIB_SCALE_NOMINAL)
			continue;
		criterion_scores(s, cr, score);
		if ((st = audit_one(t, s, cr->name, score, conf, &split)))
			goto out;
		fitted++;
	}
	if (calib_report_total_applies(s)) {
		if (!(total = calib_report_totals(s)) ||
		    (st = audit_one(t, s, "TOTAL", total, conf, &split)))
			goto out;
		fitted++;
	}
	st = CALIB_OK;
	if (fitted == 0) {
		calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
		                "no criterion with ordered levels to audit (nominal ones are "
		                "left out)");
		st = CALIB_EINPUT;
		goto out;
	}
	if (split > 1 &&
	    calib_table_footer(t,
	                       "The evaluator-agent graph is split into %zu components: "
	                       "effects compare only within a component.",
	                       split)) {
		st = CALIB_ENOMEM;
		goto out;
	}
	if (calib_table_footer(t, "raw: mean score minus the component's mean of evaluator "
	                          "means; adjusted: the evaluator effect of score = agent + "
	                          "evaluator + error (alternating projections), sum zero per "
	                          "component; > 0 lenient, < 0 harsh; se cluster-robust by "
	                          "agent.")) {
		st = CALIB_ENOMEM;
		goto out;
	}
out:
	free(score);
	free(total);
	if (st != CALIB_OK) {
		if (st == CALIB_ENOMEM)
			calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
		calib_table_free(t);
		return NULL;
	}
	return t;
}
