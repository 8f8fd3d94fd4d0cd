/*
 * audit.c - evaluator effects from routine evaluations (audit.h): the
 * two-way fixed-effects model fitted by alternating projections, the
 * connected components of the evaluator-agent graph by union-find, and
 * the table of calib-audit.
 */
#include "calib/audit.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "calib/parallel.h"
#include "calib/totals.h"
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

/*
 * The sweeps' data, packed and sorted: each agent's observations together
 * (their evaluator and score), and each evaluator's (their agent and
 * score), in the order of the input within each, with 16-bit ids and each
 * score as a 16-bit index into its distinct values. A sweep then sums each
 * agent's (evaluator's) terms in registers, four agents at a time, where
 * the input order scatters them over memory; the terms are the same
 * doubles added in the same order, so the effects are the same to the
 * last bit.
 */
struct packed {
	size_t *astart, *estart; /* where each agent's (evaluator's) observations start */
	uint16_t *ae, *ac;       /* by agent: the evaluator, the index of the score */
	uint16_t *ea, *ec;       /* by evaluator: the agent, the index of the score */
	double *value;           /* the distinct scores */
};

#define PACK_MAX   65536u
#define PACK_SLOTS (2 * PACK_MAX)

static void
pack_free(struct packed *pk)
{
	free(pk->astart);
	free(pk->estart);
	free(pk->ae);
	free(pk->ac);
	free(pk->ea);
	free(pk->ec);
	free(pk->value);
	memset(pk, 0, sizeof *pk);
}

/*
 * Pack the n observations into pk. false (pk empty) when they do not fit:
 * more than PACK_MAX agents, evaluators or distinct scores, or no memory;
 * the sweeps then read the arrays as given.
 */
static bool
pack(const uint32_t *agent, const uint32_t *evaluator, const double *y, size_t n, size_t na,
     size_t ne, struct packed *pk)
{
	uint32_t *slot = NULL; /* open addressing on the scores' bits: index + 1, 0 empty */
	size_t nv = 0;

	memset(pk, 0, sizeof *pk);
	if (na > PACK_MAX || ne > PACK_MAX)
		return false;
	pk->astart = calloc(na + 1, sizeof *pk->astart);
	pk->estart = calloc(ne + 1, sizeof *pk->estart);
	pk->ae = malloc((n + 1) * sizeof *pk->ae);
	pk->ac = malloc((n + 1) * sizeof *pk->ac);
	pk->ea = malloc((n + 1) * sizeof *pk->ea);
	pk->ec = malloc((n + 1) * sizeof *pk->ec);
	pk->value = malloc(PACK_MAX * sizeof *pk->value);
	slot = calloc(PACK_SLOTS, sizeof *slot);
	if (!pk->astart || !pk->estart || !pk->ae || !pk->ac || !pk->ea || !pk->ec ||
	    !pk->value || !slot)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		pk->astart[agent[i]]++;
		pk->estart[evaluator[i]]++;
	}
	/* counting sorts, stable: start[] from counts to offsets, then filled */
	for (size_t j = 0, at = 0; j <= na; j++) {
		size_t c = j < na ? pk->astart[j] : 0;
		pk->astart[j] = at;
		at += c;
	}
	for (size_t j = 0, at = 0; j <= ne; j++) {
		size_t c = j < ne ? pk->estart[j] : 0;
		pk->estart[j] = at;
		at += c;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t bits;
		size_t h, ai, ei;
		memcpy(&bits, &y[i], sizeof bits);
		h = (size_t)((bits * 0x9E3779B97F4A7C15u) >> 47) & (PACK_SLOTS - 1);
		while (slot[h] && memcmp(&pk->value[slot[h] - 1], &y[i], sizeof y[i]) != 0)
			h = (h + 1) & (PACK_SLOTS - 1);
		if (!slot[h]) {
			if (nv == PACK_MAX)
				goto fail;
			pk->value[nv++] = y[i];
			slot[h] = (uint32_t)nv;
		}
		ai = pk->astart[agent[i]]++;
		ei = pk->estart[evaluator[i]]++;
		pk->ae[ai] = (uint16_t)evaluator[i];
		pk->ac[ai] = pk->ec[ei] = (uint16_t)(slot[h] - 1);
		pk->ea[ei] = (uint16_t)agent[i];
	}
	/* each start moved to the next one's: shift back */
	memmove(pk->astart + 1, pk->astart, na * sizeof *pk->astart);
	memmove(pk->estart + 1, pk->estart, ne * sizeof *pk->estart);
	pk->astart[0] = pk->estart[0] = 0;
	free(slot);
	return true;
fail:
	free(slot);
	pack_free(pk);
	return false;
}

/*
 * sum[g] for g < m: the sum of value[code[i]] - effect[other[i]] over g's
 * observations start[g] <= i < start[g + 1], in that order, from 0. Four
 * groups at a time, so that four chains of additions run side by side.
 */
static void
group_sums(const size_t *start, const uint16_t *other, const uint16_t *code,
           const double *value, const double *effect, size_t m, double *sum)
{
	size_t g = 0;

	for (; g + 4 <= m; g += 4) {
		size_t i0 = start[g], i1 = start[g + 1], i2 = start[g + 2], i3 = start[g + 3];
		size_t k = start[g + 1] - i0, t;
		double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
		for (size_t q = 1; q < 4; q++)
			if (start[g + q + 1] - start[g + q] < k)
				k = start[g + q + 1] - start[g + q];
		for (t = 0; t < k; t++) {
			s0 += value[code[i0 + t]] - effect[other[i0 + t]];
			s1 += value[code[i1 + t]] - effect[other[i1 + t]];
			s2 += value[code[i2 + t]] - effect[other[i2 + t]];
			s3 += value[code[i3 + t]] - effect[other[i3 + t]];
		}
		for (t = i0 + k; t < start[g + 1]; t++)
			s0 += value[code[t]] - effect[other[t]];
		for (t = i1 + k; t < start[g + 2]; t++)
			s1 += value[code[t]] - effect[other[t]];
		for (t = i2 + k; t < start[g + 3]; t++)
			s2 += value[code[t]] - effect[other[t]];
		for (t = i3 + k; t < start[g + 4]; t++)
			s3 += value[code[t]] - effect[other[t]];
		sum[g] = s0;
		sum[g + 1] = s1;
		sum[g + 2] = s2;
		sum[g + 3] = s3;
	}
	for (; g < m; g++) {
		double s0 = 0;
		for (size_t t = start[g]; t < start[g + 1]; t++)
			s0 += value[code[t]] - effect[other[t]];
		sum[g] = s0;
	}
}

/*
 * Per evaluator j with scores f->n_agent_of[j], the agents scored. 0, or 1
 * when out of memory.
 */
static int
pair_sums(const uint32_t *agent, const uint32_t *evaluator, size_t n, const size_t *acount,
          struct calib_audit_fit *f)
{
	size_t na = f->n_agents, ne = f->n_evaluators, i, j;
	/* counting sort by evaluator, then within one by agent (stable by a second pass) */
	size_t *start = calloc(ne + 1, sizeof *start);
	size_t *astart = calloc(na + 1, sizeof *astart);
	uint32_t *tmp = malloc((n + 1) * sizeof *tmp);
	uint32_t *order = malloc((n + 1) * sizeof *order);

	if (!start || !astart || !tmp || !order) {
		free(start);
		free(astart);
		free(tmp);
		free(order);
		return 1;
	}
	for (i = 0, j = 0; j < na; j++) {
		astart[j] = i;
		i += acount[j];
	}
	for (i = 0; i < n; i++)
		tmp[astart[agent[i]]++] = (uint32_t)i;
	for (i = 0, j = 0; j < ne; j++) {
		start[j] = i;
		i += f->n[j];
	}
	for (i = 0; i < n; i++)
		order[start[evaluator[tmp[i]]]++] = tmp[i];
	for (i = 0; i < n;) {
		uint32_t e = evaluator[order[i]];
		size_t g_count = 0;
		while (i < n && evaluator[order[i]] == e) {
			uint32_t g = agent[order[i]];
			while (i < n && evaluator[order[i]] == e && agent[order[i]] == g)
				i++;
			g_count++;
		}
		f->n_agent_of[e] = g_count;
	}
	free(start);
	free(astart);
	free(tmp);
	free(order);
	return 0;
}

/* pair_sums from the packed data. */
static int
pair_sums_packed(const struct packed *pk, struct calib_audit_fit *f)
{
	size_t na = f->n_agents;
	size_t *m = calloc(na + 1, sizeof *m);

	if (!m)
		return 1;
	for (size_t e = 0; e < f->n_evaluators; e++) {
		size_t g_count = 0;
		if (pk->estart[e] == pk->estart[e + 1])
			continue;
		for (size_t t = pk->estart[e]; t < pk->estart[e + 1]; t++)
			m[pk->ea[t]]++;
		for (size_t g = 0; g < na; g++) {
			if (!m[g])
				continue;
			g_count++;
			m[g] = 0;
		}
		f->n_agent_of[e] = g_count;
	}
	free(m);
	return 0;
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
	size_t *acount = NULL, *ccount = NULL, i, j, sweep;
	uint32_t *agent_comp = NULL;
	enum calib_status st = CALIB_ENOMEM;
	double ss = 0, s2;
	size_t df_resid;
	struct packed pk = {0};
	bool packed;

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
	packed = pack(agent, evaluator, y, n, na, ne, &pk);
	for (sweep = 1; sweep <= SWEEPS_MAX; sweep++) {
		double change = 0, scale = 0;
		memset(asum, 0, na * sizeof *asum);
		if (packed)
			group_sums(pk.astart, pk.ae, pk.ac, pk.value, f->adjusted, na, asum);
		else
			for (i = 0; i < n; i++)
				asum[agent[i]] += y[i] - f->adjusted[evaluator[i]];
		for (j = 0; j < na; j++)
			f->agent_effect[j] = acount[j] ? asum[j] / (double)acount[j] : 0;
		memset(bsum, 0, ne * sizeof *bsum);
		if (packed)
			group_sums(pk.estart, pk.ea, pk.ec, pk.value, f->agent_effect, ne, bsum);
		else
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
	/* residuals */
	for (i = 0; i < n; i++) {
		double r = y[i] - f->agent_effect[agent[i]] - f->adjusted[evaluator[i]];
		ss += r * r;
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
	if (packed ? pair_sums_packed(&pk, f) : pair_sums(agent, evaluator, n, acount, f))
		goto out;
	if ((st = calib_audit_cluster_se(agent, evaluator, y, n, f)) != CALIB_OK)
		goto out;
	st = CALIB_ENOMEM;
	for (j = 0; j < ne; j++) {
		size_t g_count = f->n_agent_of[j];
		double df = (double)g_count - 1, q;
		if (!f->n[j])
			continue;
		if (g_count < 2 || isnan(s2) || isnan(f->se[j])) {
			f->se[j] = f->lo[j] = f->hi[j] = f->p[j] = NAN;
			continue;
		}
		q = gsl_cdf_tdist_Pinv(0.5 + conf / 2, df);
		f->lo[j] = f->adjusted[j] - q * f->se[j];
		f->hi[j] = f->adjusted[j] + q * f->se[j];
		f->p[j] = f->se[j] > 0 ? 2 * gsl_cdf_tdist_Q(fabs(f->adjusted[j]) / f->se[j], df)
		                       : NAN;
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
	pack_free(&pk);
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

void
calib_audit_obs_free(struct calib_audit_obs *o)
{
	free(o->agent);
	free(o->ev);
	free(o->y);
	free(o->score);
}

enum calib_status
calib_audit_obs_alloc(struct calib_audit_obs *o, size_t n_evals)
{
	o->agent = malloc((n_evals + 1) * sizeof *o->agent);
	o->ev = malloc((n_evals + 1) * sizeof *o->ev);
	o->y = malloc((n_evals + 1) * sizeof *o->y);
	o->score = malloc((n_evals + 1) * sizeof *o->score);
	o->n = 0;
	if (o->agent && o->ev && o->y && o->score)
		return CALIB_OK;
	calib_audit_obs_free(o);
	memset(o, 0, sizeof *o);
	return CALIB_ENOMEM;
}

void
calib_audit_obs_gather(const struct calib_store *s, uint32_t c, const double *total,
                       struct calib_audit_obs *o)
{
	const double *score = total;

	if (c != CALIB_NONE) {
		const struct calib_criterion *cr = &s->criteria[c];
		for (size_t e = 0; e < s->n_evals; e++)
			o->score[e] = calib_store_code_value(cr, calib_code(cr, e));
		score = o->score;
	}
	o->n = 0;
	for (size_t e = 0; e < s->n_evals; e++) {
		if (isnan(score[e]))
			continue;
		o->agent[o->n] = s->item_session[s->eval_item[e]];
		o->ev[o->n] = s->eval_rater[e];
		o->y[o->n++] = score[e];
	}
}

enum calib_status
calib_audit_obs_fit(const struct calib_store *s, const struct calib_audit_obs *o, double conf,
                    struct calib_audit_fit *f)
{
	return calib_audit_fit(o->agent, o->ev, o->y, o->n, calib_names_count(s->sessions),
	                       calib_names_count(s->raters), conf, f);
}

enum calib_status
calib_audit_fit_store(const struct calib_store *s, uint32_t c, double conf,
                      struct calib_audit_fit *f)
{
	struct calib_audit_obs o;
	double *total = NULL;
	enum calib_status st = CALIB_ENOMEM;

	memset(f, 0, sizeof *f);
	if (c == CALIB_NONE ? !calib_report_total_applies(s)
	                    : c >= s->n_criteria || s->criteria[c].scale == CALIB_SCALE_NOMINAL)
		return CALIB_EARG;
	if (calib_audit_obs_alloc(&o, s->n_evals))
		return CALIB_ENOMEM;
	if (c != CALIB_NONE || (total = calib_report_totals(s, 1))) {
		calib_audit_obs_gather(s, c, total, &o);
		st = calib_audit_obs_fit(s, &o, conf, f);
	}
	free(total);
	calib_audit_obs_free(&o);
	return st;
}

/* The fits of calib_audit_table, run side by side (calib_parallel_for). */
struct fits {
	const struct calib_store *s;
	double conf;
	const uint32_t *crit;         /* per fit: the criterion, or CALIB_NONE for the TOTAL */
	const double *total;          /* the TOTAL's scores */
	struct calib_audit_obs *obs;  /* per worker */
	struct calib_audit_fit *fit;  /* per fit */
	enum calib_status *st;        /* per fit */
};

static void
fit_one(void *ctx, size_t i, unsigned w)
{
	struct fits *x = ctx;

	calib_audit_obs_gather(x->s, x->crit[i], x->total, &x->obs[w]);
	x->st[i] = calib_audit_obs_fit(x->s, &x->obs[w], x->conf, &x->fit[i]);
}

struct calib_table *
calib_audit_table(const struct calib_store *s, double conf, unsigned threads,
                  struct calib_error *err)
{
	static const char *const cols[] = {"criterion", "evaluator", "component", "n",
	                                   "agents",    "raw",       "adjusted",  "se",
	                                   "ci_lower",  "ci_upper",  "p"};
	static const int digits[] = {0, 0, -1, -1, -1, 3, 3, 3, 3, 3, 3};
	struct calib_table *t = calib_table_alloc(cols, 11, digits);
	unsigned nt = calib_threads(threads);
	uint32_t *crit = malloc((s->n_criteria + 1) * sizeof *crit);
	struct calib_audit_fit *fit = calloc(s->n_criteria + 1, sizeof *fit);
	enum calib_status *fst = calloc(s->n_criteria + 1, sizeof *fst);
	struct calib_audit_obs *work = calloc(nt, sizeof *work);
	double *total = NULL;
	enum calib_status st = CALIB_ENOMEM;
	size_t split = 0, fitted = 0;
	struct fits x = {s, conf, crit, NULL, work, fit, fst};

	if (!t || !crit || !fit || !fst || !work)
		goto out;
	for (size_t c = 0; c < s->n_criteria; c++)
		if (s->criteria[c].scale != CALIB_SCALE_NOMINAL)
			crit[fitted++] = (uint32_t)c;
	if (calib_report_total_applies(s)) {
		if (!(total = calib_report_totals(s, nt)))
			goto out;
		x.total = total;
		crit[fitted++] = CALIB_NONE;
	}
	for (unsigned w = 0; w < nt; w++)
		if (calib_audit_obs_alloc(&work[w], s->n_evals))
			goto out;
	/* criteria side by side, each fit its own; the rows in the criteria's order */
	calib_parallel_for(fitted, nt, fit_one, &x);
	for (size_t i = 0; i < fitted; i++)
		if ((st = fst[i]))
			goto out;
	for (size_t i = 0; i < fitted; i++) {
		if (fit[i].n_components > split)
			split = fit[i].n_components;
		if ((st = add_rows(t, s, crit[i] == CALIB_NONE ? "TOTAL" : s->criteria[crit[i]].name,
		                   &fit[i])))
			goto out;
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
	for (unsigned w = 0; work && w < nt; w++)
		calib_audit_obs_free(&work[w]);
	for (size_t i = 0; fit && i < fitted; i++)
		calib_audit_fit_free(&fit[i]);
	free(work);
	free(total);
	free(crit);
	free(fit);
	free(fst);
	if (st != CALIB_OK) {
		if (st == CALIB_ENOMEM)
			calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
		calib_table_free(t);
		return NULL;
	}
	return t;
}
