/*
 * audit_views.c - calib-audit's views beyond severity (audit_views.h):
 * scale use per evaluator with Pearson's chi-square test of homogeneity
 * (Agresti 2013, Categorical Data Analysis, 3rd ed., sec. 3.2; Cochran's
 * 1954 rule of expected counts of 5 met by merging adjacent categories),
 * the evaluator x criterion effects from the per-criterion fits of
 * audit.c scaled by each criterion's residual SD, and fairness per agent
 * (the correlation ratio eta^2 of the agent's scores on their evaluators,
 * and the mean less the evaluator effects of their scores).
 */
#include "calib/audit_views.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "calib/audit.h"
#include "calib/totals.h"
#include "calib/store.h"
#include "calib/table.h"

#define MIN_EXPECTED 5.0

bool
calib_audit_view_parse(const char *s, enum calib_audit_view *v)
{
	static const char *const names[] = {"severity", "scale", "criteria", "agents"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			*v = (enum calib_audit_view)i;
			return true;
		}
	return false;
}

struct calib_audit_chi2
calib_audit_chi2_merged(const double *a, const double *b, size_t k, double min_expected)
{
	struct calib_audit_chi2 r = {NAN, NAN, 0, 0};
	double na = 0, nb = 0, total, ga = 0, gb = 0, last_a = 0, last_b = 0;
	double *ga_of = malloc((k + 1) * sizeof *ga_of), *gb_of = malloc((k + 1) * sizeof *gb_of);
	size_t groups = 0, i;

	if (!ga_of || !gb_of)
		goto out;
	for (i = 0; i < k; i++) {
		na += a[i];
		nb += b[i];
	}
	total = na + nb;
	if (na <= 0 || nb <= 0)
		goto out;
	/* close a group once both rows expect min_expected in it */
	for (i = 0; i < k; i++) {
		double col;
		ga += a[i];
		gb += b[i];
		col = ga + gb;
		if (na * col / total >= min_expected && nb * col / total >= min_expected) {
			ga_of[groups] = ga;
			gb_of[groups++] = gb;
			ga = gb = 0;
		}
	}
	last_a = ga;
	last_b = gb;
	if (last_a + last_b > 0) {
		if (groups == 0) {
			ga_of[groups] = last_a;
			gb_of[groups++] = last_b;
		} else {
			ga_of[groups - 1] += last_a;
			gb_of[groups - 1] += last_b;
		}
	}
	r.groups = groups;
	if (groups < 2)
		goto out;
	r.chi2 = 0;
	for (i = 0; i < groups; i++) {
		double col = ga_of[i] + gb_of[i], ea = na * col / total, eb = nb * col / total;
		r.chi2 += (ga_of[i] - ea) * (ga_of[i] - ea) / ea + (gb_of[i] - eb) * (gb_of[i] - eb) / eb;
	}
	r.df = groups - 1;
	r.p = gsl_cdf_chisq_Q(r.chi2, (double)r.df);
out:
	free(ga_of);
	free(gb_of);
	return r;
}

/* Residual SD of a fit: the residual sum of squares over n - parameters. */
static double
residual_sd(const struct calib_audit_obs *o, const struct calib_audit_fit *f)
{
	double ss = 0;
	size_t used = 0, df;
	char *seen = calloc(f->n_agents + 1, 1);

	if (!seen)
		return NAN;
	for (size_t i = 0; i < o->n; i++) {
		double r = o->y[i] - f->agent_effect[o->agent[i]] - f->adjusted[o->ev[i]];
		ss += r * r;
		if (!seen[o->agent[i]]) {
			seen[o->agent[i]] = 1;
			used++;
		}
	}
	free(seen);
	for (size_t j = 0; j < f->n_evaluators; j++)
		used += f->n[j] > 0;
	df = o->n + f->n_components;
	return df > used ? sqrt(ss / (double)(df - used)) : NAN;
}

static bool
audited(const struct calib_criterion *cr)
{
	return cr->scale != CALIB_SCALE_NOMINAL;
}

static enum calib_status
none_ordered(struct calib_error *err)
{
	calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
	                "no criterion with ordered levels to audit (nominal ones are left out)");
	return CALIB_EINPUT;
}

/* Mean and SD (n - 1) of values v[] counted cnt[] times; *n their number. */
static void
moments(const double *cnt, const double *v, size_t k, double *n, double *mean, double *sd)
{
	double m = 0, ss = 0;

	*n = 0;
	for (size_t i = 0; i < k; i++) {
		*n += cnt[i];
		m += cnt[i] * v[i];
	}
	m = *n > 0 ? m / *n : NAN;
	for (size_t i = 0; i < k; i++)
		ss += cnt[i] * (v[i] - m) * (v[i] - m);
	*mean = m;
	*sd = *n > 1 ? sqrt(ss / (*n - 1)) : NAN;
}

void
calib_audit_scales_free(struct calib_audit_scales *l)
{
	if (!l)
		return;
	free(l->row);
	free(l->counts_);
	memset(l, 0, sizeof *l);
}

/* One row from level counts own[0..k) and N/A own[k], pool the same. */
static void
scale_row(const struct calib_criterion *cr, const size_t *own, const size_t *pool, bool is_pool,
          struct calib_audit_scale *r)
{
	size_t k = cr->n_levels, i;
	double *a = malloc((k + 1) * sizeof *a), *b = malloc((k + 1) * sizeof *b), n, sd_b, m_b;

	r->n_na = own[k];
	r->n = own[k];
	for (i = 0; i < k; i++)
		r->n += own[i];
	r->mean = r->sd = r->sd_ratio = r->extreme = NAN;
	r->test = (struct calib_audit_chi2){NAN, NAN, 0, 0};
	if (!a || !b)
		goto out;
	for (i = 0; i <= k; i++) {
		a[i] = (double)own[i];
		b[i] = (double)(pool[i] - own[i]);
	}
	moments(a, cr->value, k, &n, &r->mean, &r->sd);
	if (k >= 3 && n > 0)
		r->extreme = (a[0] + a[k - 1]) / n;
	if (!is_pool) {
		moments(b, cr->value, k, &n, &m_b, &sd_b);
		r->sd_ratio = sd_b > 0 ? r->sd / sd_b : NAN;
		r->test = calib_audit_chi2_merged(a, b, k + 1, MIN_EXPECTED);
	}
out:
	free(a);
	free(b);
}

enum calib_status
calib_audit_scales(const struct calib_store *s, struct calib_audit_scales *out,
                   struct calib_error *err)
{
	size_t ne = calib_names_count(s->raters), n_counts = 0, used = 0, c, e, j;

	memset(out, 0, sizeof *out);
	for (c = 0; c < s->n_criteria; c++)
		if (audited(&s->criteria[c]))
			n_counts += (ne + 1) * (s->criteria[c].n_levels + 1);
	if (n_counts == 0)
		return none_ordered(err);
	out->counts_ = calloc(n_counts, sizeof *out->counts_);
	out->row = calloc((ne + 1) * s->n_criteria, sizeof *out->row);
	if (!out->counts_ || !out->row) {
		calib_audit_scales_free(out);
		calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
		return CALIB_ENOMEM;
	}
	for (c = 0; c < s->n_criteria; c++) {
		const struct calib_criterion *cr = &s->criteria[c];
		size_t k = cr->n_levels + 1;
		size_t *pool = out->counts_ + used, *own = pool + k;
		if (!audited(cr))
			continue;
		used += (ne + 1) * k;
		for (e = 0; e < s->n_evals; e++) {
			uint16_t code = calib_code(cr, e);
			size_t at = code >= CALIB_CODE_LEVEL ? code - CALIB_CODE_LEVEL
			            : code == CALIB_CODE_NA  ? k - 1
			                                     : k;
			if (at == k)
				continue;
			own[s->eval_rater[e] * k + at]++;
			pool[at]++;
		}
		for (j = 0; j <= ne; j++) {
			const size_t *cnt = j == 0 ? pool : own + (j - 1) * k;
			struct calib_audit_scale *r = &out->row[out->n];
			size_t total = 0;
			for (size_t i = 0; i < k; i++)
				total += cnt[i];
			if (j > 0 && total == 0)
				continue;
			r->criterion = (uint32_t)c;
			r->evaluator = j == 0 ? CALIB_NONE : (uint32_t)(j - 1);
			r->count = cnt;
			scale_row(cr, cnt, pool, j == 0, r);
			out->n++;
		}
	}
	return CALIB_OK;
}

void
calib_audit_interactions_free(struct calib_audit_interactions *l)
{
	if (!l)
		return;
	free(l->row);
	memset(l, 0, sizeof *l);
}

static int
cmp_interaction(const void *pa, const void *pb)
{
	const struct calib_audit_interaction *a = pa, *b = pb;
	double x = fabs(a->std), y = fabs(b->std);

	if (isnan(x) != isnan(y))
		return isnan(x) ? 1 : -1;
	if (!isnan(x) && x != y)
		return x > y ? -1 : 1;
	if (a->criterion != b->criterion)
		return a->criterion < b->criterion ? -1 : 1;
	return a->evaluator < b->evaluator ? -1 : a->evaluator > b->evaluator;
}

enum calib_status
calib_audit_interactions(const struct calib_store *s, struct calib_audit_interactions *out,
                         struct calib_error *err)
{
	size_t ne = calib_names_count(s->raters), nc = s->n_criteria, c, j, compared = 0;
	double *effect = malloc((nc * ne + 1) * sizeof *effect);
	double *se = malloc((nc * ne + 1) * sizeof *se), *sigma = malloc((nc + 1) * sizeof *sigma);
	double *overall = calloc(ne + 1, sizeof *overall);
	size_t *n = calloc(nc * ne + 1, sizeof *n), *n_crit = calloc(ne + 1, sizeof *n_crit);
	enum calib_status st = CALIB_ENOMEM;
	struct calib_audit_obs o = {0};

	memset(out, 0, sizeof *out);
	if (!effect || !se || !sigma || !overall || !n || !n_crit ||
	    calib_audit_obs_alloc(&o, s->n_evals))
		goto out;
	for (c = 0; c < nc; c++) {
		struct calib_audit_fit f;
		sigma[c] = NAN;
		if (!audited(&s->criteria[c]))
			continue;
		calib_audit_obs_gather(s, (uint32_t)c, NULL, &o);
		if ((st = calib_audit_obs_fit(s, &o, 0.95, &f)))
			goto out;
		st = CALIB_ENOMEM;
		sigma[c] = residual_sd(&o, &f);
		if (f.n_components > out->n_components)
			out->n_components = f.n_components;
		for (j = 0; j < ne; j++) {
			effect[c * ne + j] = f.adjusted[j];
			se[c * ne + j] = f.se[j];
			n[c * ne + j] = f.n[j];
		}
		calib_audit_fit_free(&f);
		if (!(sigma[c] > 0))
			continue;
		compared++;
		for (j = 0; j < ne; j++)
			if (n[c * ne + j]) {
				overall[j] += effect[c * ne + j] / sigma[c];
				n_crit[j]++;
			}
	}
	if (compared < 2) {
		calib_error_set(err, CALIB_EINPUT, NULL, 0, 0,
		                compared ? "the criteria view needs two criteria or more with "
		                           "ordered levels and scores that vary"
		                         : "no criterion with ordered levels and scores that vary "
		                           "to audit");
		st = CALIB_EINPUT;
		goto out;
	}
	if (!(out->row = malloc((compared * ne + 1) * sizeof *out->row)))
		goto out;
	for (j = 0; j < ne; j++)
		overall[j] = n_crit[j] ? overall[j] / (double)n_crit[j] : NAN;
	for (c = 0; c < nc; c++) {
		if (!(sigma[c] > 0))
			continue;
		for (j = 0; j < ne; j++) {
			struct calib_audit_interaction *r = &out->row[out->n];
			if (!n[c * ne + j])
				continue;
			r->criterion = (uint32_t)c;
			r->evaluator = (uint32_t)j;
			r->n = n[c * ne + j];
			r->effect = effect[c * ne + j];
			r->sigma = sigma[c];
			r->overall = overall[j];
			r->se = se[c * ne + j];
			if (n_crit[j] >= 2) {
				r->difference = r->effect - r->overall * r->sigma;
				r->std = r->difference / r->sigma;
				r->z = r->se > 0 ? r->difference / r->se : NAN;
			} else {
				r->difference = r->std = r->z = NAN;
			}
			out->n++;
		}
	}
	qsort(out->row, out->n, sizeof *out->row, cmp_interaction);
	st = CALIB_OK;
out:
	if (st == CALIB_ENOMEM)
		calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	if (st != CALIB_OK)
		calib_audit_interactions_free(out);
	calib_audit_obs_free(&o);
	free(effect);
	free(se);
	free(sigma);
	free(overall);
	free(n);
	free(n_crit);
	return st;
}

void
calib_audit_agents_free(struct calib_audit_agents *l)
{
	if (!l)
		return;
	free(l->row);
	memset(l, 0, sizeof *l);
}

static int
cmp_agent(const void *pa, const void *pb)
{
	const struct calib_audit_agent *a = pa, *b = pb;
	double x = fabs(a->shift), y = fabs(b->shift);

	if (x != y)
		return x > y ? -1 : 1;
	return a->agent < b->agent ? -1 : a->agent > b->agent;
}

/*
 * The rows of one fit (criterion crit) appended to out->row: the
 * observations ordered by agent and, within one, by evaluator (two stable
 * counting sorts), then each agent's groups of one evaluator.
 */
static enum calib_status
agent_rows(const struct calib_audit_obs *o, const struct calib_audit_fit *f, uint32_t crit,
           struct calib_audit_agents *out)
{
	size_t na = f->n_agents, ne = f->n_evaluators, i, j, first = out->n;
	size_t *start = calloc((na > ne ? na : ne) + 1, sizeof *start);
	uint32_t *tmp = malloc((o->n + 1) * sizeof *tmp), *ord = malloc((o->n + 1) * sizeof *ord);
	enum calib_status st = CALIB_ENOMEM;

	if (!start || !tmp || !ord)
		goto out;
	for (i = 0; i < o->n; i++)
		start[o->ev[i]]++;
	for (i = 0, j = 0; j < ne; j++) {
		size_t c = start[j];
		start[j] = i;
		i += c;
	}
	for (i = 0; i < o->n; i++)
		tmp[start[o->ev[i]]++] = (uint32_t)i;
	memset(start, 0, ((na > ne ? na : ne) + 1) * sizeof *start);
	for (i = 0; i < o->n; i++)
		start[o->agent[i]]++;
	for (i = 0, j = 0; j < na; j++) {
		size_t c = start[j];
		start[j] = i;
		i += c;
	}
	for (i = 0; i < o->n; i++)
		ord[start[o->agent[tmp[i]]]++] = tmp[i];
	for (i = 0; i < o->n;) {
		uint32_t g = o->agent[ord[i]];
		struct calib_audit_agent *r = &out->row[out->n++];
		double sum = 0, eff = 0, mean, ss_total = 0, ss_between = 0;
		size_t k, end = i;
		while (end < o->n && o->agent[ord[end]] == g) {
			sum += o->y[ord[end]];
			eff += f->adjusted[o->ev[ord[end]]];
			end++;
		}
		r->criterion = crit;
		r->agent = g;
		r->n = end - i;
		r->n_evaluators = 0;
		mean = sum / (double)r->n;
		r->raw = mean;
		r->adjusted = mean - eff / (double)r->n;
		r->shift = r->adjusted - r->raw;
		for (k = i; k < end;) {
			uint32_t e = o->ev[ord[k]];
			double gs = 0;
			size_t m = 0;
			for (; k < end && o->ev[ord[k]] == e; k++, m++) {
				double d = o->y[ord[k]] - mean;
				gs += o->y[ord[k]];
				ss_total += d * d;
			}
			gs = gs / (double)m - mean;
			ss_between += (double)m * gs * gs;
			r->n_evaluators++;
		}
		r->eta2 = r->n_evaluators >= 2 && ss_total > 0 ? ss_between / ss_total : NAN;
		r->eta2_adj = r->n > r->n_evaluators
		                      ? 1 - (1 - r->eta2) * (double)(r->n - 1) /
		                                    (double)(r->n - r->n_evaluators)
		                      : NAN;
		i = end;
	}
	qsort(out->row + first, out->n - first, sizeof *out->row, cmp_agent);
	st = CALIB_OK;
out:
	free(start);
	free(tmp);
	free(ord);
	return st;
}

enum calib_status
calib_audit_agents(const struct calib_store *s, struct calib_audit_agents *out,
                   struct calib_error *err)
{
	size_t na = calib_names_count(s->sessions), fits = 0, c;
	double *total = NULL;
	bool with_total = calib_report_total_applies(s);
	enum calib_status st = CALIB_ENOMEM;
	struct calib_audit_obs o = {0};

	memset(out, 0, sizeof *out);
	for (c = 0; c < s->n_criteria; c++)
		fits += audited(&s->criteria[c]);
	if (fits == 0)
		return none_ordered(err);
	fits += with_total;
	if (calib_audit_obs_alloc(&o, s->n_evals) ||
	    !(out->row = malloc((fits * na + 1) * sizeof *out->row)))
		goto out;
	for (c = 0; c <= s->n_criteria; c++) {
		struct calib_audit_fit f;
		if (c < s->n_criteria) {
			if (!audited(&s->criteria[c]))
				continue;
			calib_audit_obs_gather(s, (uint32_t)c, NULL, &o);
		} else {
			if (!with_total || !(total = calib_report_totals(s, 1)))
				break;
			calib_audit_obs_gather(s, CALIB_NONE, total, &o);
		}
		if ((st = calib_audit_obs_fit(s, &o, 0.95, &f)))
			goto out;
		if (f.n_components > out->n_components)
			out->n_components = f.n_components;
		st = agent_rows(&o, &f, c < s->n_criteria ? (uint32_t)c : CALIB_NONE, out);
		calib_audit_fit_free(&f);
		if (st)
			goto out;
		st = CALIB_ENOMEM;
	}
	if (!with_total || total)
		st = CALIB_OK;
out:
	if (st == CALIB_ENOMEM)
		calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	if (st != CALIB_OK)
		calib_audit_agents_free(out);
	calib_audit_obs_free(&o);
	free(total);
	return st;
}

/* The table, or NULL with err set (out of memory) after freeing it. */
static struct calib_table *
finish(struct calib_table *t, enum calib_status st, struct calib_error *err)
{
	if (st == CALIB_OK && t)
		return t;
	if (st == CALIB_OK || st == CALIB_ENOMEM)
		calib_error_set(err, CALIB_ENOMEM, NULL, 0, 0, "out of memory");
	calib_table_free(t);
	return NULL;
}

/* The note of a split evaluator-agent graph, as the severity view's. */
static enum calib_status
split_note(struct calib_table *t, size_t n_components)
{
	if (n_components < 2)
		return CALIB_OK;
	return calib_table_footer(t,
	                          "The evaluator-agent graph is split into %zu components: "
	                          "effects compare only within a component.",
	                          n_components);
}

/* Names of the levels of every audited criterion, in order of first appearance. */
static enum calib_status
level_union(const struct calib_store *s, char ***names, size_t *n)
{
	char buf[64];

	*names = NULL;
	*n = 0;
	for (size_t c = 0; c < s->n_criteria; c++) {
		const struct calib_criterion *cr = &s->criteria[c];
		if (!audited(cr))
			continue;
		for (size_t l = 0; l < cr->n_levels; l++) {
			size_t i;
			char **grown;
			calib_store_code_text(cr, (uint16_t)(CALIB_CODE_LEVEL + l), buf, sizeof buf);
			for (i = 0; i < *n && strcmp((*names)[i] + strlen("share:"), buf) != 0; i++)
				;
			if (i < *n)
				continue;
			if (!(grown = realloc(*names, (*n + 1) * sizeof *grown)))
				return CALIB_ENOMEM;
			*names = grown;
			if (!(grown[*n] = malloc(strlen("share:") + strlen(buf) + 1)))
				return CALIB_ENOMEM;
			strcpy(grown[*n], "share:");
			strcat(grown[(*n)++], buf);
		}
	}
	return CALIB_OK;
}

static enum calib_status
scale_cells(struct calib_table *t, const struct calib_store *s, const struct calib_audit_scale *r,
            char *const *levels, size_t n_levels)
{
	const struct calib_criterion *cr = &s->criteria[r->criterion];
	size_t scored = r->n - r->n_na, col = 4 + n_levels;
	enum calib_status st;
	char buf[64];

	if ((st = calib_table_row(t)) || (st = calib_table_text(t, 0, "%s", cr->name)) ||
	    (r->evaluator != CALIB_NONE &&
	     (st = calib_table_text(t, 1, "%s", calib_names_get(s->raters, r->evaluator)))) ||
	    (st = calib_table_num(t, 2, (double)r->n)) ||
	    (st = calib_table_num(t, 3, r->n ? (double)r->n_na / (double)r->n : NAN)))
		return st;
	for (size_t l = 0; l < cr->n_levels; l++) {
		size_t i;
		calib_store_code_text(cr, (uint16_t)(CALIB_CODE_LEVEL + l), buf, sizeof buf);
		for (i = 0; i < n_levels && strcmp(levels[i] + strlen("share:"), buf) != 0; i++)
			;
		if ((st = calib_table_num(t, 4 + i,
		                          scored ? (double)r->count[l] / (double)scored : NAN)))
			return st;
	}
	if ((st = calib_table_num(t, col, r->mean)) || (st = calib_table_num(t, col + 1, r->sd)) ||
	    (st = calib_table_num(t, col + 2, r->sd_ratio)) ||
	    (st = calib_table_num(t, col + 3, r->extreme)) ||
	    (st = calib_table_num(t, col + 4, r->test.chi2)) ||
	    (st = calib_table_num(t, col + 5, r->test.df ? (double)r->test.df : NAN)) ||
	    (st = calib_table_num(t, col + 6, r->test.p)))
		return st;
	return CALIB_OK;
}

struct calib_table *
calib_audit_scale_table(const struct calib_store *s, struct calib_error *err)
{
	static const char *const head[] = {"criterion", "evaluator", "n", "na_share"};
	static const char *const tail[] = {"mean",    "sd",   "sd_ratio", "extreme",
	                                   "chi2",    "df",   "p"};
	struct calib_audit_scales l;
	struct calib_table *t = NULL;
	char **levels = NULL;
	const char **cols = NULL;
	int *digits = NULL;
	size_t n_levels = 0, n_cols, i;
	enum calib_status st;

	if ((st = calib_audit_scales(s, &l, err)))
		return NULL;
	if ((st = level_union(s, &levels, &n_levels)))
		goto out;
	st = CALIB_ENOMEM;
	n_cols = 4 + n_levels + 7;
	cols = malloc(n_cols * sizeof *cols);
	digits = malloc(n_cols * sizeof *digits);
	if (!cols || !digits)
		goto out;
	for (i = 0; i < n_cols; i++) {
		cols[i] = i < 4 ? head[i] : i < 4 + n_levels ? levels[i - 4] : tail[i - 4 - n_levels];
		digits[i] = i < 2 ? 0 : i == 2 || i == n_cols - 2 ? -1 : 3;
	}
	if (!(t = calib_table_alloc(cols, n_cols, digits)))
		goto out;
	for (i = 0; i < l.n; i++)
		if ((st = scale_cells(t, s, &l.row[i], levels, n_levels)))
			goto out;
	st = calib_table_footer(
	        t, "Scale use as given, not adjusted for the agents evaluated. The row without "
	           "an evaluator is the pool of all evaluators. share:L: the share of the scores "
	           "at level L (N/A left out); na_share: N/A among the ratings; sd_ratio: sd over "
	           "the other evaluators' sd (< 1: a narrower scale); extreme: the share at the "
	           "lowest or highest level. chi2, df, p: Pearson's test of the evaluator's "
	           "levels and N/A against the other evaluators', adjacent categories merged "
	           "until every expected count is 5 or more (NA: too few ratings for two such "
	           "categories).");
out:
	if (levels)
		for (i = 0; i < n_levels; i++)
			free(levels[i]);
	free(levels);
	free(cols);
	free(digits);
	calib_audit_scales_free(&l);
	return finish(t, st, err);
}

struct calib_table *
calib_audit_criteria_table(const struct calib_store *s, size_t top, struct calib_error *err)
{
	static const char *const cols[] = {"criterion", "evaluator", "n",   "effect", "overall",
	                                   "difference", "std",      "se",  "z"};
	static const int digits[] = {0, 0, -1, 3, 3, 3, 3, 3, 3};
	struct calib_audit_interactions l;
	struct calib_table *t;
	enum calib_status st = CALIB_ENOMEM;

	if (calib_audit_interactions(s, &l, err))
		return NULL;
	if (!(t = calib_table_alloc(cols, 9, digits)))
		goto out;
	for (size_t i = 0; i < l.n && (top == 0 || i < top); i++) {
		const struct calib_audit_interaction *r = &l.row[i];
		if ((st = calib_table_row(t)) ||
		    (st = calib_table_text(t, 0, "%s", s->criteria[r->criterion].name)) ||
		    (st = calib_table_text(t, 1, "%s", calib_names_get(s->raters, r->evaluator))) ||
		    (st = calib_table_num(t, 2, (double)r->n)) ||
		    (st = calib_table_num(t, 3, r->effect)) ||
		    (st = calib_table_num(t, 4, r->overall * r->sigma)) ||
		    (st = calib_table_num(t, 5, r->difference)) ||
		    (st = calib_table_num(t, 6, r->std)) || (st = calib_table_num(t, 7, r->se)) ||
		    (st = calib_table_num(t, 8, r->z)))
			goto out;
	}
	if ((st = split_note(t, l.n_components)))
		goto out;
	st = calib_table_footer(
	        t, "effect: the evaluator's adjusted effect on the criterion (as in the severity "
	           "view); overall: their mean effect over their criteria, each in residual SDs "
	           "of its criterion, here in this criterion's units; difference = effect - "
	           "overall; std: the difference in residual SDs of the criterion (rows by its "
	           "size); z: the difference over the effect's se.");
out:
	calib_audit_interactions_free(&l);
	return finish(t, st, err);
}

struct calib_table *
calib_audit_agents_table(const struct calib_store *s, size_t top, struct calib_error *err)
{
	static const char *const cols[] = {"criterion", "agent", "n",     "evaluators",
	                                   "raw",       "adjusted", "shift", "eta2",
	                                   "eta2_adj"};
	static const int digits[] = {0, 0, -1, -1, 3, 3, 3, 3, 3};
	struct calib_audit_agents l;
	struct calib_table *t;
	enum calib_status st = CALIB_ENOMEM;
	size_t shown = 0;

	if (calib_audit_agents(s, &l, err))
		return NULL;
	if (!(t = calib_table_alloc(cols, 9, digits)))
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		const struct calib_audit_agent *r = &l.row[i];
		shown = i > 0 && r->criterion == l.row[i - 1].criterion ? shown + 1 : 1;
		if (top && shown > top)
			continue;
		if ((st = calib_table_row(t)) ||
		    (st = calib_table_text(t, 0, "%s",
		                           r->criterion == CALIB_NONE
		                                   ? "TOTAL"
		                                   : s->criteria[r->criterion].name)) ||
		    (st = calib_table_text(t, 1, "%s", calib_names_get(s->sessions, r->agent))) ||
		    (st = calib_table_num(t, 2, (double)r->n)) ||
		    (st = calib_table_num(t, 3, (double)r->n_evaluators)) ||
		    (st = calib_table_num(t, 4, r->raw)) || (st = calib_table_num(t, 5, r->adjusted)) ||
		    (st = calib_table_num(t, 6, r->shift)) || (st = calib_table_num(t, 7, r->eta2)) ||
		    (st = calib_table_num(t, 8, r->eta2_adj)))
			goto out;
	}
	if ((st = split_note(t, l.n_components)))
		goto out;
	st = calib_table_footer(
	        t, "raw: the agent's mean score; adjusted: raw minus the mean of the evaluator "
	           "effects of their scores (rows by the size of shift = adjusted - raw); eta2: "
	           "the share of the variance of their scores between their evaluators "
	           "(between-evaluator over total sum of squares); eta2_adj: eta2 corrected for "
	           "chance, 0 when who evaluated does not matter.");
out:
	calib_audit_agents_free(&l);
	return finish(t, st, err);
}
