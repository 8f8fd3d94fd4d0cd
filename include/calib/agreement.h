/*
 * agreement.h - the chance-corrected agreement family of Gwet (2014):
 * percent agreement (unweighted and weighted), Fleiss' kappa (Gwet's
 * generalisation, with the Fleiss-Nee-Landis null test and per-category
 * kappas), Conger's kappa, Gwet's AC1 and AC2 and Brennan-Prediger, each
 * with the linearised standard error of Gwet (2008, 2014) as irrCAC gives
 * it, t-based bounds and the t-test p-value.
 *
 * Ownership: the matrix and options are the caller's and only read; the
 * records are appended to the caller's list.
 */
#ifndef CALIB_AGREEMENT_H
#define CALIB_AGREEMENT_H

#include "calib/coef.h"
#include "calib/error.h"
#include "calib/matrix.h"
#include "calib/stat.h"

/*
 * Append to out, in this order, the records
 *   percent_agreement, percent_agreement_linear, percent_agreement_quadratic,
 *   percent_agreement_ordinal, [percent_agreement_custom],
 *   percent_agreement_unanimous, fleiss_kappa, fleiss_kappa_z,
 *   fleiss_kappa_cat:<v> (one per category used on the complete calls),
 *   conger_kappa, gwet_ac1, gwet_ac2_linear, gwet_ac2_quadratic,
 *   gwet_ac2_ordinal, [gwet_ac2_custom], brennan_prediger
 * (the custom ones when o->custom_w is set); when o->want is set, the
 * weighted percent agreements, AC2s and Conger's kappa it does not name are
 * left out (not computed). Every score of m is used, as
 * irrCAC does; percent_agreement_unanimous, fleiss_kappa_z and the
 * per-category kappas are defined on the calls scored by every rater of m
 * and say in their note when calls were left out. Undefined values are NAN
 * with a note. o may be NULL (defaults).
 *
 * Returns CALIB_OK; CALIB_ENOMEM (records pushed so far stay in out);
 * CALIB_EARG when o->conf is not in (0, 1) or the custom weights do not fit
 * m (order differs from m->n_levels, or calib_weights_check refuses them),
 * with the reason in err (may be NULL).
 */
enum calib_status calib_agreement_compute(const struct calib_matrix *m,
                                          const struct calib_coef_opts *o,
                                          struct calib_stats *out, struct calib_error *err);

/*
 * Per-call sufficient statistics of the family for a bootstrap over calls:
 * each call's agreement under every weighting used and its category shares,
 * so that a replicate costs O(scores of the drawn calls) with no matrix
 * built. A replicate's estimates equal, to the last bit, those of
 * calib_agreement_compute() on calib_matrix_resample(m, rows, n) with the
 * same options, for percent_agreement[_linear|_quadratic|_ordinal|_custom],
 * fleiss_kappa, gwet_ac1, gwet_ac2_*, brennan_prediger and
 * percent_agreement_unanimous.
 *
 * calib_agreement_calls_build: CALIB_OK, CALIB_ENOMEM or CALIB_EARG (as
 * calib_agreement_compute); *out is NULL on error. The matrix must outlive
 * the calls; free with calib_agreement_calls_free() (NULL harmless).
 */
struct calib_agreement_calls;

enum calib_status calib_agreement_calls_build(const struct calib_matrix *m,
                                              const struct calib_coef_opts *o,
                                              struct calib_agreement_calls **out,
                                              struct calib_error *err);
void calib_agreement_calls_free(struct calib_agreement_calls *c);

/*
 * Estimates on the calls rows[0..n) (indices into the matrix, repeats
 * allowed); rows NULL: every call once (n is then the matrix's calls).
 * times NULL: each listed call once; else rows[t] counts times[t] times
 * (a bootstrap's draw of patterns: calib_matrix_patterns).
 */
void calib_agreement_calls_resample(struct calib_agreement_calls *c, const size_t *rows,
                                    const unsigned *times, size_t n);

/*
 * The number under which the calls give statistic name, looked up once
 * before the replicates; -1 when they do not replicate it. Cannot fail.
 */
int calib_agreement_calls_pick(const struct calib_agreement_calls *c, const char *name);

/*
 * The last resample's estimate of the statistic pick (a number
 * calib_agreement_calls_pick gave for c, not -1), NAN when undefined.
 */
double calib_agreement_calls_estimate(const struct calib_agreement_calls *c, int pick);

#endif
