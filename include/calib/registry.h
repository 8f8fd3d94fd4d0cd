/*
 * registry.h - every statistic calib computes, in one table: its name,
 * the family module that computes it, its kind, its interpretation bands,
 * the range its values and bounds live in, and which statistic is the
 * headline of a criterion of each scale. Programs, the report, drift, the
 * bands and the plots ask here instead of parsing names.
 *
 * Companion records are named after their statistic: "<name>_z" (a test
 * under no agreement), "<name>_cat:<level>" (one category), "<name>_boot"
 * (a summary of bootstrap replicates). calib_registry_find() resolves them
 * to the entry of their statistic and says which companion they are.
 *
 * The headline policy (calib(7), "Headline"): Gwet's AC1 for binary and
 * nominal criteria (it does not collapse under skewed prevalence, Gwet
 * 2008; Wongpakaran et al. 2013), Gwet's AC2 with ordinal weights for
 * ordinal ones (Gwet 2014, ch. 3), ICC(2,1) for interval and ratio ones
 * (Shrout & Fleiss 1979; Koo & Li 2016). --stat overrides it.
 *
 * Ownership: entries and strings are static; nothing here allocates
 * except calib_family_run(), which appends to the caller's list.
 */
#ifndef CALIB_REGISTRY_H
#define CALIB_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "calib/band.h"
#include "calib/coef.h"
#include "calib/error.h"
#include "calib/matrix.h"
#include "calib/stat.h"
#include "calib/store.h"

/* Families of statistics, as bits: one module each. */
#define CALIB_FAMILY_AGREEMENT 1u /* percent agreement, Fleiss, Conger, Gwet, Brennan-Prediger */
#define CALIB_FAMILY_KAPPA 2u     /* Cohen, Light, PABAK */
#define CALIB_FAMILY_ALPHA 4u     /* Krippendorff */
#define CALIB_FAMILY_ICC 8u       /* intraclass correlations */
#define CALIB_FAMILY_ALL 15u


/*
 * One statistic. A record is the statistic itself when its kind
 * (struct calib_stat) equals the entry's; else it is a companion.
 */
struct calib_stat_info {
	const char *name;
	unsigned family;            /* CALIB_FAMILY_* */
	enum calib_stat_kind kind;  /* of the statistic itself (no companion kinds) */
	enum calib_band_scheme bands;
	double lower, upper;        /* the range of its values (-INFINITY: unbounded) */
	enum calib_scale scale;     /* the lowest level of measurement it assumes:
	                               nominal (categories alone), ordinal (weights,
	                               ranks), interval (distances), ratio (a zero) */
	int alpha_level;            /* Krippendorff's alpha: its enum calib_alpha_level;
	                               -1 for every other statistic */
	const char *words;          /* its name in a sentence: "ICC", "AC1", "Fleiss' kappa" */
};

/*
 * Scores x replicates up to which a headline without an analytic interval
 * gets a bootstrap one by re-running its family on resampled matrices
 * (about a second); statistics with per-call sufficient statistics
 * (agreement family, alpha, ICC, Light's kappa by patterns of scores) have
 * no such limit. Past it, Light's kappa alone draws its patterns of scores
 * by a multinomial rather than calls (report.c).
 */
#define CALIB_REGISTRY_BOOT_BUDGET 20000000u

/* Number of statistics in the registry, and the i-th (0 <= i < count). */
size_t calib_registry_count(void);
const struct calib_stat_info *calib_registry_at(size_t i);

/*
 * The entry of record name: the statistic itself, or the statistic a
 * companion belongs to, with *kind (when not NULL) the record's own kind
 * (CALIB_KIND_TEST for "fleiss_kappa_z"). NULL for a name calib does not
 * know. Cannot fail.
 */
const struct calib_stat_info *calib_registry_find(const char *name, enum calib_stat_kind *kind);

/* The statistic named exactly name[0..len) (no companion), or NULL. Cannot fail. */
const struct calib_stat_info *calib_registry_named(const char *name, size_t len);

/* Is name a statistic a user may ask for ("all" included)? Cannot fail. */
bool calib_registry_known(const char *name);

/* The family bits of record name (companions: their statistic's); 0 when unknown. */
unsigned calib_registry_family(const char *name);

/* The band scheme of record name: its statistic's for itself and its
 * per-category records, none for tests and replicate summaries. */
enum calib_band_scheme calib_registry_bands(const char *name);

/*
 * The record of statistic e itself (not a companion) among l->v[0..n),
 * matched by the entry each record carries (struct calib_stat.info), or
 * NULL. Cannot fail.
 */
const struct calib_stat *calib_registry_record(const struct calib_stats *l,
                                               const struct calib_stat_info *e);

/*
 * The level of measurement (enum calib_alpha_level) of record s when it
 * is one of Krippendorff's alphas itself, not a companion; else -1.
 * Cannot fail.
 */
int calib_registry_alpha_level(const struct calib_stat *s);

/*
 * Does record s (a statistic or a companion) read an order into the
 * levels, its scale ordinal or above? False for a record the registry
 * does not know. Cannot fail.
 */
bool calib_registry_ordered(const struct calib_stat *s);

/*
 * The coefficient that compares two raters on one criterion (calib-raters
 * --pairs): Cohen's kappa on binary and nominal criteria and on levels
 * without an order (ordered false), weighted by quadratic distances of the
 * ranks on ordinal ones, of the points on the others. Cannot fail.
 */
const struct calib_stat_info *calib_registry_pairwise(enum calib_scale scale, bool ordered);

/*
 * The headline statistic of a criterion of this scale, the same whatever
 * the number of raters so that sessions and criteria compare: gwet_ac1
 * (binary, nominal, unknown), gwet_ac2_ordinal (ordinal), icc2 (interval,
 * ratio). Cannot fail.
 */
const char *calib_registry_headline(enum calib_scale scale);

/*
 * The statistics a table shows by default for a scale, as a comma list
 * with the headline first and the kappa beside it ("gwet_ac1,cohen_kappa,
 * pabak,percent_agreement" ...). n_raters decides between Cohen's and
 * Fleiss' kappa. Cannot fail.
 */
const char *calib_registry_defaults(enum calib_scale scale, size_t n_raters);

/*
 * Which of the records names[0..n) is the headline of a criterion of this
 * scale: with stat (the user's --stat list) the first statistic of the list
 * that is among the names; else the scale's headline when among them; else
 * the first coefficient among them. n when none. Cannot fail.
 */
size_t calib_registry_pick(const char *const *names, size_t n, enum calib_scale scale,
                           const char *stat);

/*
 * Clip the bounds of record s (a statistic or a category's) to the range
 * of its statistic, saying so in its note ("CI clipped to [-1, 1]"). The
 * family modules call it on every record they make. Cannot fail.
 */
void calib_registry_clip(struct calib_stat *s);

/* calib_registry_clip on the records l->v[first .. l->n). Cannot fail. */
void calib_registry_clip_from(struct calib_stats *l, size_t first);

/*
 * What every output shows of a record: infinite numbers become NAN with
 * the field and sign in the note ("test +infinite, written NA"), then the
 * bounds are clipped as by calib_registry_clip. Cannot fail.
 */
void calib_registry_tidy(struct calib_stat *s);

/*
 * Perfect agreement on m: at least one call scored by two raters, and
 * every call's scores in one category (labelled scales) or equal (numbers).
 * Cannot fail.
 */
bool calib_registry_perfect(const struct calib_matrix *m);

/*
 * calib_registry_perfect() on the rows rows[0..n) of m (a bootstrap draw,
 * rows may repeat); rows NULL: the rows 0..n). Cannot fail.
 */
bool calib_registry_perfect_rows(const struct calib_matrix *m, const size_t *rows, size_t n);

/*
 * The headline record s of a criterion whose matrix is m: where every
 * call is scored alike and the coefficient is 0/0 (every score the same),
 * the estimate is 1 and so are its bounds, with the reason in the note.
 * Cannot fail.
 */
void calib_registry_headline_fix(struct calib_stat *s, const struct calib_matrix *m);

/*
 * Run the family modules whose bits are in mask on m, appending their
 * records to out (CALIB_OK; CALIB_ENOMEM or CALIB_EARG with err filled).
 */
enum calib_status calib_family_run(const struct calib_matrix *m, unsigned mask,
                                   const struct calib_coef_opts *co, struct calib_stats *out,
                                   struct calib_error *err);

#endif
