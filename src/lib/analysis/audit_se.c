/*
 * audit_se.c - the cluster-robust (by agent) sandwich variance of the
 * evaluator effects of score = agent + evaluator + error (audit.h),
 * without the N x K design (Cameron & Miller 2015).
 *
 * By Frisch-Waugh-Lovell the evaluator effects b solve A b = D'M y with
 * D the evaluator dummies and M the projection that removes agent means,
 * A = D'M D = diag(n_e) - sum over agents g of n_g n_g' / n_g (n_g[e]:
 * evaluator e's scores of agent g, n_g their total). The partialled
 * regressors of agent g's scores, summed with the residuals, give
 * s_g[e] = the sum of the residuals of e's scores of g (the residuals sum
 * to zero within an agent), so the meat is B = sum_g s_g s_g'. A has the
 * constant vector as its null space within a connected component; the
 * effects centred to sum zero are A+ D'M y, so their variance is
 * c A+ B A+ with A+ the pseudo-inverse, got as (A + l 11'/E)^-1 - 11'/(l E)
 * (l = trace(A)/E, E the component's evaluators). c is the CR1 factor of
 * Stata and statsmodels' cov_type='cluster': G/(G-1) (N-1)/(N-K), with G
 * agents, N scores and K = agents + evaluators - components parameters.
 */
#include "calib/audit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

/* One component's E evaluators: the diagonal of A+ B A+ into var[] (A overwritten). */
static enum calib_status
component_var(size_t E, gsl_matrix *A, gsl_matrix *B, double *var)
{
	gsl_matrix *C = gsl_matrix_alloc(E, E);
	double lambda = 0;
	int rc;

	if (!C)
		return CALIB_ENOMEM;
	for (size_t i = 0; i < E; i++)
		lambda += gsl_matrix_get(A, i, i);
	lambda /= (double)E;
	for (size_t i = 0; i < E; i++)
		for (size_t j = 0; j < E; j++)
			*gsl_matrix_ptr(A, i, j) += lambda / (double)E;
	rc = gsl_linalg_cholesky_decomp1(A);
	if (!rc)
		rc = gsl_linalg_cholesky_invert(A);
	if (rc) {
		for (size_t i = 0; i < E; i++)
			var[i] = NAN;
		gsl_matrix_free(C);
		return CALIB_OK;
	}
	for (size_t i = 0; i < E; i++)
		for (size_t j = 0; j < E; j++)
			*gsl_matrix_ptr(A, i, j) -= 1 / (lambda * (double)E);
	gsl_blas_dsymm(CblasLeft, CblasUpper, 1.0, A, B, 0.0, C);
	for (size_t i = 0; i < E; i++) {
		double v = 0;
		for (size_t j = 0; j < E; j++)
			v += gsl_matrix_get(C, i, j) * gsl_matrix_get(A, j, i);
		var[i] = v;
	}
	gsl_matrix_free(C);
	return CALIB_OK;
}

enum calib_status
calib_audit_cluster_se(const uint32_t *agent, const uint32_t *evaluator, const double *y,
                       size_t n, struct calib_audit_fit *f)
{
	size_t na = f->n_agents, ne = f->n_evaluators, G = 0, K, i, j, c;
	size_t *astart = calloc(na + 2, sizeof *astart), *ecount = NULL;
	uint32_t *byagent = malloc((n + 1) * sizeof *byagent), *acomp = NULL, *loc = NULL;
	uint32_t *touched = NULL;
	double *esum = NULL, *var = NULL, factor;
	gsl_matrix *A = NULL, *B = NULL;
	enum calib_status st = CALIB_ENOMEM;

	acomp = calloc(na + 1, sizeof *acomp);
	loc = calloc(ne + 1, sizeof *loc);
	touched = malloc((ne + 1) * sizeof *touched);
	ecount = calloc(ne + 1, sizeof *ecount);
	esum = calloc(ne + 1, sizeof *esum);
	var = malloc((ne + 1) * sizeof *var);
	if (!astart || !byagent || !acomp || !loc || !touched || !ecount || !esum || !var)
		goto out;
	for (j = 0; j < ne; j++)
		f->se[j] = NAN;
	/* the scores by agent (counting sort), each agent's component */
	for (i = 0; i < n; i++) {
		astart[agent[i] + 1]++;
		acomp[agent[i]] = f->component[evaluator[i]];
	}
	for (j = 0; j < na; j++) {
		G += astart[j + 1] > 0;
		astart[j + 1] += astart[j];
	}
	{
		size_t *next = malloc((na + 1) * sizeof *next);
		if (!next)
			goto out;
		memcpy(next, astart, na * sizeof *next);
		for (i = 0; i < n; i++)
			byagent[next[agent[i]]++] = (uint32_t)i;
		free(next);
	}
	K = G; /* agents + evaluators - components */
	for (j = 0; j < ne; j++)
		K += f->n[j] > 0;
	if (G < 2 || K < f->n_components || n <= K - f->n_components) {
		st = CALIB_OK;
		goto out;
	}
	K -= f->n_components;
	factor = (double)G / (double)(G - 1) * (double)(n - 1) / (double)(n - K);
	for (c = 1; c <= f->n_components; c++) {
		size_t E = 0;
		for (j = 0; j < ne; j++)
			if (f->n[j] && f->component[j] == c)
				loc[j] = (uint32_t)E++;
		if (E < 2 || E > CALIB_AUDIT_SE_MAX)
			continue;
		A = gsl_matrix_calloc(E, E);
		B = gsl_matrix_calloc(E, E);
		if (!A || !B)
			goto out;
		for (j = 0; j < ne; j++)
			if (f->n[j] && f->component[j] == c)
				*gsl_matrix_ptr(A, loc[j], loc[j]) = (double)f->n[j];
		for (size_t g = 0; g < na; g++) {
			size_t k = 0, ng = astart[g + 1] - astart[g];
			if (!ng || acomp[g] != c)
				continue;
			for (i = astart[g]; i < astart[g + 1]; i++) {
				uint32_t o = byagent[i], e = evaluator[o];
				if (!ecount[e])
					touched[k++] = e;
				ecount[e]++;
				esum[e] += y[o] - f->agent_effect[g] - f->adjusted[e];
			}
			/* the upper triangles (loc[] rises with the evaluator's id) */
			for (size_t p = 0; p < k; p++) {
				uint32_t a = touched[p];
				double na_g = (double)ecount[a] / (double)ng, sa = esum[a];
				double *arow = A->data + loc[a] * A->tda, *brow = B->data + loc[a] * B->tda;
				for (size_t q = 0; q < k; q++) {
					uint32_t b = touched[q];
					if (loc[b] < loc[a])
						continue;
					arow[loc[b]] -= na_g * (double)ecount[b];
					brow[loc[b]] += sa * esum[b];
				}
			}
			for (size_t p = 0; p < k; p++) {
				ecount[touched[p]] = 0;
				esum[touched[p]] = 0;
			}
		}
		for (size_t r = 0; r < E; r++)
			for (size_t q = 0; q < r; q++) {
				gsl_matrix_set(A, r, q, gsl_matrix_get(A, q, r));
				gsl_matrix_set(B, r, q, gsl_matrix_get(B, q, r));
			}
		if ((st = component_var(E, A, B, var)) != CALIB_OK)
			goto out;
		st = CALIB_ENOMEM;
		for (j = 0; j < ne; j++)
			if (f->n[j] && f->component[j] == c)
				f->se[j] = var[loc[j]] >= 0 ? sqrt(factor * var[loc[j]]) : NAN;
		gsl_matrix_free(A);
		gsl_matrix_free(B);
		A = B = NULL;
	}
	st = CALIB_OK;
out:
	gsl_matrix_free(A);
	gsl_matrix_free(B);
	free(astart);
	free(byagent);
	free(acomp);
	free(loc);
	free(touched);
	free(ecount);
	free(esum);
	free(var);
	return st;
}
