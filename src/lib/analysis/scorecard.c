/*
 * scorecard.c - the TOTAL and section subtotals of every evaluation
 * (scorecard.h): points earned over points possible among the applicable
 * criteria, with weights, and critical criteria that zero a score, as QA
 * scorecards compute them (calib(7), "TOTAL score", names the public
 * descriptions this follows).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib/memory.h"
#include "calib/scorecard.h"

/* Points of a score on a 0..1 scale: declared or observed range. */
static double
unit_points(const struct calib_criterion *c, uint16_t code)
{
	double v = calib_store_code_value(c, code), lo, hi;
	if (c->labelled) {
		lo = 1;
		hi = (double)c->n_levels;
	} else {
		lo = isnan(c->min) ? c->value[0] : c->min;
		hi = isnan(c->max) ? c->value[c->n_levels - 1] : c->max;
	}
	return hi > lo ? (v - lo) / (hi - lo) : 1.0;
}

/* A criterion that counts: its codes, weight, bucket and points per level. */
struct scored {
	const uint16_t *code;
	double weight;
	size_t bucket; /* its section, or n_sections for none */
	enum calib_critical critical;
	double *points; /* per level */
	size_t n_levels;
};

/* Per bucket (section, or none) of one evaluation. */
struct tally {
	double earned, possible;
	bool missing, failed;
};

void
calib_scorecard_free(struct calib_scorecard *sc)
{
	if (!sc)
		return;
	free(sc->score);
	free(sc->flags);
	free(sc);
}

const double *
calib_scorecard_row(const struct calib_scorecard *sc, size_t row)
{
	return sc->score + row * sc->n_evals;
}

/* The scores of evaluation e from its tallies t[0..n_sections] (the last: no section). */
static void
score_eval(struct calib_scorecard *sc, size_t e, const struct tally *t, bool missing,
           bool failed, double earned, double possible)
{
	size_t n = sc->n_evals, ns = sc->n_sections;
	bool any_zeroed = false;

	for (size_t k = 0; k < ns; k++) {
		double *x = &sc->score[(1 + k) * n + e];
		sc->flags[(1 + k) * n + e] = t[k].failed ? CALIB_SCORE_ZEROED
		                             : !t[k].missing && t[k].possible == 0
		                                     ? CALIB_SCORE_NA
		                                     : 0;
		any_zeroed |= t[k].failed;
		if (t[k].failed)
			*x = 0;
		else if (t[k].missing || t[k].possible == 0)
			*x = NAN;
		else
			*x = 100.0 * t[k].earned / t[k].possible;
	}
	if (any_zeroed) {
		/* a zeroed section earns nothing of what it could */
		earned = t[ns].earned;
		for (size_t k = 0; k < ns; k++)
			earned += t[k].failed ? 0 : t[k].earned;
	}
	sc->flags[e] = failed                      ? CALIB_SCORE_ZEROED
	               : !missing && possible == 0 ? CALIB_SCORE_NA
	                                           : 0;
	sc->score[e] = failed ? 0 : missing || possible == 0 ? NAN : 100.0 * earned / possible;
}

enum calib_status
calib_scorecard_compute(const struct calib_store *s, struct calib_scorecard **out)
{
	size_t ns = calib_names_count(s->sections), n = s->n_evals, n_sc = 0, rows = 1 + ns;
	struct calib_scorecard *sc = calloc(1, sizeof *sc);
	struct scored *v = malloc((s->n_criteria ? s->n_criteria : 1) * sizeof *v);
	struct tally *t = malloc(rows * sizeof *t);

	*out = NULL;
	if (!sc || !v || !t)
		goto nomem;
	sc->n_evals = n;
	sc->n_sections = ns;
	sc->score = malloc((n ? n : 1) * rows * sizeof *sc->score);
	sc->flags = calloc((n ? n : 1) * rows, 1);
	if (!sc->score || !sc->flags)
		goto nomem;
	calib_memory_large(sc->score, n * rows * sizeof *sc->score);
	calib_memory_large(sc->flags, n * rows);
	for (size_t k = 0; k < s->n_criteria; k++) {
		const struct calib_criterion *c = &s->criteria[k];
		struct scored *p = &v[n_sc];
		if (c->n_scored == 0 || !calib_store_ordered(c))
			continue; /* levels without an order have no points */
		p->code = c->code;
		p->weight = c->weight;
		p->bucket = c->section == CALIB_NONE ? ns : c->section;
		p->critical = c->critical;
		p->n_levels = c->n_levels;
		if (!(p->points = malloc((c->n_levels ? c->n_levels : 1) * sizeof *p->points)))
			goto nomem;
		n_sc++;
		sc->critical |= c->critical != CALIB_CRITICAL_NO;
		for (size_t l = 0; l < c->n_levels; l++)
			p->points[l] = unit_points(c, (uint16_t)(CALIB_CODE_LEVEL + l));
	}
	for (size_t e = 0; e < n; e++) {
		double earned = 0, possible = 0;
		bool missing = false, failed = false;
		memset(t, 0, rows * sizeof *t);
		for (size_t k = 0; k < n_sc; k++) {
			const struct scored *p = &v[k];
			uint16_t code = p->code[e];
			size_t level = (size_t)code - CALIB_CODE_LEVEL;
			double pts;
			if (code == CALIB_CODE_NA)
				continue;
			if (code < CALIB_CODE_LEVEL) {
				missing = t[p->bucket].missing = true;
				continue;
			}
			pts = level < p->n_levels ? p->points[level] : NAN;
			if (pts == 0 && p->critical == CALIB_CRITICAL_TOTAL)
				failed = true;
			if (pts == 0 && p->critical == CALIB_CRITICAL_SECTION)
				t[p->bucket].failed = true;
			earned += p->weight * pts;
			possible += p->weight;
			t[p->bucket].earned += p->weight * pts;
			t[p->bucket].possible += p->weight;
		}
		score_eval(sc, e, t, missing, failed, earned, possible);
	}
	for (size_t k = 0; k < n_sc; k++)
		free(v[k].points);
	free(v);
	free(t);
	*out = sc;
	return CALIB_OK;
nomem:
	for (size_t k = 0; v && k < n_sc; k++)
		free(v[k].points);
	free(v);
	free(t);
	calib_scorecard_free(sc);
	return CALIB_ENOMEM;
}
