/*
 * coef.h - options shared by every coefficient family, and the common shape
 * of a family's entry point.
 *
 * Every family module (agreement.c, kappa.c, alpha.c, icc.c, ...) exports
 *
 *   enum calib_status calib_<family>_compute(const struct calib_matrix *m,
 *                                            const struct calib_coef_opts *o,
 *                                            struct calib_stats *out,
 *                                            struct calib_error *err);
 *
 * which appends one record per statistic of the family that applies to m
 * (see stat.h for the record). Undefined values are NAN with a note, never
 * an error; the status is CALIB_ENOMEM (or CALIB_EARG for bad options) only.
 *
 * Ownership: options are the caller's and only read.
 */
#ifndef CALIB_COEF_H
#define CALIB_COEF_H

#include <stdbool.h>
#include <stddef.h>

enum calib_icc_convention {
	CALIB_ICC_PSYCH = 0, /* ICC(2) F test on (n-1)(k-1) df; ICC(2,k) bounds by Spearman-Brown */
	CALIB_ICC_IRR        /* McGraw-Wong df v for ICC(2) tests and ICC(A,k) bounds */
};

struct calib_coef_opts {
	double conf;                 /* confidence level of the bounds, default 0.95 */
	enum calib_icc_convention icc;
	const double *custom_w;      /* custom agreement weights, q x q row-major, or NULL */
	size_t custom_q;             /* their order; must equal the matrix's n_levels */
	const char *want;            /* comma list of the statistics needed, or NULL: all;
	                                a family may then leave out the records of costly
	                                statistics not in it (companions follow their base) */
};

/* Defaults: conf 0.95, psych ICC convention, no custom weights, every statistic. */
void calib_coef_opts_init(struct calib_coef_opts *o);

/*
 * Is statistic name among those o->want lists (always when o->want is
 * NULL)? A family asks before computing a costly record. Cannot fail.
 */
bool calib_coef_wants(const struct calib_coef_opts *o, const char *name);

#endif
