/*
 * kappa.h - the Cohen family on one criterion's matrix: Cohen's kappa for
 * two raters (unweighted, weighted on score values, weighted on ranks,
 * custom weights) with Fleiss-Cohen-Everitt standard errors and z tests,
 * the prevalence and bias indices and PABAK of a binary criterion, and
 * Light's kappa (mean pairwise Cohen's kappa) for any number of raters.
 *
 * Ownership: the matrix and options are the caller's and only read; the
 * records are appended to the caller's list. Nothing is kept between calls.
 */
#ifndef CALIB_KAPPA_H
#define CALIB_KAPPA_H

#include "calib/coef.h"
#include "calib/error.h"
#include "calib/matrix.h"
#include "calib/stat.h"

/*
 * Append the Cohen family's records for matrix m to out.
 *
 * With exactly two raters (columns), on the calls both scored:
 *   cohen_kappa, cohen_kappa_linear, cohen_kappa_quadratic (weights on the
 *   distinct score values observed on those calls), cohen_kappa_linear_rank,
 *   cohen_kappa_quadratic_rank (weights on their ranks 1..q), and
 *   cohen_kappa_custom when o->custom_w is set (q x q agreement weights over
 *   the matrix's categories, q = m->n_levels). Each record has estimate, se,
 *   lower/upper (normal bounds at o->conf, clipped to [-1, 1]), test = z and
 *   p of the null test; each is followed by "<name>_z" (estimate z, se the
 *   null standard error, p two-sided).
 *   When m has two categories also prevalence_index = (a - d)/n,
 *   bias_index = (b - c)/n and pabak = 2 p_o - 1, where a (d) counts the
 *   calls both raters put in the first (second) category, b the calls the
 *   first column put in the first category and the second column in the
 *   second, c the reverse.
 * With fewer than two raters the cohen_kappa record is pushed as NAN with
 * a note.
 * For any number of raters: light_kappa, on the calls scored by every
 * rater (NAN with a note when undefined).
 *
 * Undefined values are NAN with a reason in the note. Returns CALIB_OK;
 * CALIB_EARG (message in err, which may be NULL) when o->conf is not in
 * (0, 1) or the custom weights are not q x q or not valid weights;
 * CALIB_ENOMEM when out of memory (records pushed so far stay in out).
 */
enum calib_status calib_kappa_compute(const struct calib_matrix *m,
                                      const struct calib_coef_opts *o, struct calib_stats *out,
                                      struct calib_error *err);

/*
 * Light's kappa replicated from calls grouped by their scores (one pattern
 * per distinct vector of the raters' categories among the calls every rater
 * scored): a replicate counts how often each pattern was drawn and builds
 * each pair's agreement and chance from those counts, O(patterns x pairs)
 * after O(drawn calls) to count them, never a matrix. Counts are integers,
 * so the value equals calib_kappa_compute()'s light_kappa on the resampled
 * matrix exactly.
 * build: CALIB_OK or CALIB_ENOMEM (*out NULL).
 * resample: rows[t] (t < n) the drawn calls, each times[t] often (times NULL:
 * once; rows NULL: call t). estimate: the last resample's light_kappa, NAN
 * when undefined. Cannot fail.
 */
struct calib_light_calls;
enum calib_status calib_light_calls_build(const struct calib_matrix *m,
                                          struct calib_light_calls **out);
void calib_light_calls_resample(struct calib_light_calls *c, const size_t *rows,
                                const unsigned *times, size_t n);
double calib_light_calls_estimate(const struct calib_light_calls *c);
/*
 * For drawing patterns instead of calls: share[p] the calls of pattern p,
 * share[n_pat] those not scored by every rater (room for n_items + 1);
 * returns n_pat + 1. resample_patterns: pattern p drawn times[p] times
 * (times[n_pat], the incomplete calls, counts for nothing). Cannot fail.
 */
size_t calib_light_calls_patterns(const struct calib_light_calls *c, double *share);
void calib_light_calls_resample_patterns(struct calib_light_calls *c, const unsigned *times);
void calib_light_calls_free(struct calib_light_calls *c);

#endif
