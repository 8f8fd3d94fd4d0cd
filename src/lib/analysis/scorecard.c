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
#include "calib/parallel.h"
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

/* What a code of a criterion adds to its evaluation's tallies. */
struct gain {
	double earned;   /* weight x points: 0 when not scored, NAN past the levels */
	double possible; /* the weight, or 0 when not scored */
	unsigned flags;  /* GAIN_* */
};

#define GAIN_MISSING 1u       /* unscored: the score is missing */
#define GAIN_ZERO_TOTAL 2u    /* no points on a critical criterion: the TOTAL is 0 */
#define GAIN_ZERO_SECTION 4u  /* ... on a section-critical one: its section is 0 */

/*
 * A criterion that counts: its codes, bucket, and per code what it adds
 * (gain[code], codes past the levels at gain[top]), so that a score is
 * one lookup, not a chain of tests.
 */
struct scored {
	const void *codes; /* the criterion's (calib_code_in) */
	bool wide;
	size_t bucket; /* its section, or n_sections for none */
	struct gain *gain;
	size_t top;    /* CALIB_CODE_LEVEL + levels */
};

/* The gains of criterion c's codes into p->gain (p->top + 1 of them). */
static void
gains(const struct calib_criterion *c, struct scored *p)
{
	for (size_t code = 0; code <= p->top; code++) {
		struct gain *g = &p->gain[code];
		double pts;
		memset(g, 0, sizeof *g);
		if (code == CALIB_CODE_NA)
			continue;
		if (code < CALIB_CODE_LEVEL) {
			g->flags = GAIN_MISSING;
			continue;
		}
		pts = code < p->top ? unit_points(c, (uint16_t)code) : NAN;
		if (pts == 0 && c->critical == CALIB_CRITICAL_TOTAL)
			g->flags |= GAIN_ZERO_TOTAL;
		if (pts == 0 && c->critical == CALIB_CRITICAL_SECTION)
			g->flags |= GAIN_ZERO_SECTION;
		g->earned = c->weight * pts;
		g->possible = c->weight;
	}
}

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

/* A scorecard being computed: the criteria that count, and one tally per worker. */
struct scoring {
	struct calib_scorecard *sc;
	const struct scored *v;
	size_t n_sc, n_parts;
	struct tally *t; /* (1 + n_sections) per worker, every stride tallies */
	size_t stride;
};

/* Tallies between two workers' (1 + n_sections): a cache line, so that neither writes to the other's. */
#define TALLY_GAP (CALIB_CACHE_LINE / sizeof(struct tally) + 1)

/*
 * The scores of part i of the evaluations (n_parts about equal ranges).
 * A code not scored adds +0 where it used to add nothing: a sum that
 * starts at +0 is never -0, so the sums are the same to the bit.
 */
static void
score_part(void *ctx, size_t i, unsigned w)
{
	const struct scoring *g = ctx;
	struct calib_scorecard *sc = g->sc;
	size_t ns = sc->n_sections, rows = 1 + ns, from, to;
	struct tally *t = g->t + w * g->stride;

	calib_parallel_range(sc->n_evals, g->n_parts, i, &from, &to);
	for (size_t e = from; e < to; e++) {
		double earned = 0, possible = 0;
		unsigned f = 0;
		if (ns > 0)
			memset(t, 0, rows * sizeof *t);
		for (size_t k = 0; k < g->n_sc; k++) {
			const struct scored *p = &g->v[k];
			uint16_t code = calib_code_in(p->codes, p->wide, e);
			const struct gain *gn = &p->gain[code < p->top ? code : p->top];
			earned += gn->earned;
			possible += gn->possible;
			f |= gn->flags;
			if (ns > 0) { /* the sections' tallies; without sections the TOTAL's is all */
				struct tally *b = &t[p->bucket];
				b->earned += gn->earned;
				b->possible += gn->possible;
				b->missing |= (gn->flags & GAIN_MISSING) != 0;
				b->failed |= (gn->flags & GAIN_ZERO_SECTION) != 0;
			}
		}
		score_eval(sc, e, t, (f & GAIN_MISSING) != 0, (f & GAIN_ZERO_TOTAL) != 0, earned,
		           possible);
	}
}

/* Evaluations per part of the scoring: enough to share among the threads as they come free. */
#define SCORE_PART (1u << 16)

enum calib_status
calib_scorecard_compute(const struct calib_store *s, unsigned threads,
                        struct calib_scorecard **out)
{
	size_t ns = calib_names_count(s->sections), n = s->n_evals, n_sc = 0, rows = 1 + ns;
	unsigned nt = calib_threads(threads);
	struct calib_scorecard *sc = calloc(1, sizeof *sc);
	struct scored *v = malloc((s->n_criteria ? s->n_criteria : 1) * sizeof *v);
	struct tally *t = malloc(nt * (rows + TALLY_GAP) * sizeof *t);
	struct scoring g;

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
		p->codes = c->codes_;
		p->wide = c->wide_;
		p->bucket = c->section == CALIB_NONE ? ns : c->section;
		p->top = CALIB_CODE_LEVEL + c->n_levels;
		if (!(p->gain = malloc((p->top + 1) * sizeof *p->gain)))
			goto nomem;
		n_sc++;
		sc->critical |= c->critical != CALIB_CRITICAL_NO;
		gains(c, p);
	}
	/* each evaluation's scores are its own: parts of them over the threads */
	g = (struct scoring){ .sc = sc, .v = v, .n_sc = n_sc, .t = t, .stride = rows + TALLY_GAP,
	                      .n_parts = n / SCORE_PART + 1 };
	calib_parallel_for(g.n_parts, nt, score_part, &g);
	for (size_t k = 0; k < n_sc; k++)
		free(v[k].gain);
	free(v);
	free(t);
	*out = sc;
	return CALIB_OK;
nomem:
	for (size_t k = 0; v && k < n_sc; k++)
		free(v[k].gain);
	free(v);
	free(t);
	calib_scorecard_free(sc);
	return CALIB_ENOMEM;
}
