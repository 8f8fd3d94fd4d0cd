/*
 * test_plan.c - the planning formulas and the simulation (plan.h).
 *
 * Published figures reproduced here, each where it was read:
 *  - Bonett (2002), Statistics in Medicine 21, 1331-1335, the worked
 *    example: four raters, an expected ICC of 0.85 and a 95% interval
 *    0.2 wide need 19.2 subjects (20), and 20 subjects give a width
 *    "close to 0.2". The figures as quoted in the documentation and
 *    tests of the R package presize (prec_icc, R/correlation_measures.R
 *    and tests/testthat/test-correlation_measures.R, "icc (Bonett
 *    example)"), which implements the same equation 3.
 *  - presize's test "icc": rho 0.5, k 3, n 50 give a width of 0.3233102.
 * No published worked example of a confidence-interval width for Cohen's
 * kappa was found; the Fleiss-Cohen-Everitt variance is checked against
 * the Bloch & Kraemer (1989) closed form it reduces to when both raters
 * have the same share of "yes", and against the simulation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "calib/plan.h"
#include "tap.h"

/* A design of statistic stat, expected x, k raters, two levels of shares p. */
static void
design(struct calib_plan_design *d, const char *stat, double x, size_t k, const double *share)
{
	calib_plan_design_init(d);
	d->stat = stat;
	d->expected = x;
	d->n_raters = k;
	d->share = share;
	if (stat[0] == 'i')
		d->scale = CALIB_SCALE_INTERVAL;
}

static void
bonett(void)
{
	double n = calib_plan_bonett_calls(0.85, 4, 0.2, 0.95);

	is_double(round(n * 10) / 10, 19.2, 1e-12, "Bonett (2002) example: 19.2 calls");
	is_double(ceil(n), 20, 0, "Bonett (2002) example: 20 calls after rounding up");
	is_double(round(calib_plan_bonett_width(0.85, 4, 20, 0.95) * 10) / 10, 0.2, 1e-12,
	          "Bonett (2002) example: 20 calls give a width close to 0.2");
	is_double(calib_plan_bonett_width(0.5, 3, 50, 0.95), 0.3233102, 1e-6,
	          "presize's test: rho 0.5, k 3, n 50 give 0.3233102");
	/* the paper's two-rater correction: 5 rho more when rho >= 0.7 */
	is_double(calib_plan_bonett_calls(0.8, 2, 0.2, 0.95) -
	                  (8 * pow(gsl_cdf_ugaussian_Pinv(0.975), 2) * 0.04 * 1.8 * 1.8 /
	                           (2 * 0.04) +
	                   1),
	          4.0, 1e-9, "two raters and rho 0.8: 5 rho = 4 calls added");
	is_double(calib_plan_bonett_width(0.8, 2, calib_plan_bonett_calls(0.8, 2, 0.25, 0.95),
	                                  0.95),
	          0.25, 1e-12, "Bonett: width and calls are inverses (with the correction)");
	ok(isnan(calib_plan_bonett_calls(0.5, 1, 0.2, 0.95)), "Bonett: one rater is NAN");
}

static void
kappa(void)
{
	for (double k = 0.1; k < 0.95; k += 0.2)
		for (double p = 0.1; p < 0.6; p += 0.2) {
			double bk = (1 - k) *
			            ((1 - k) * (1 - 2 * k) + k * (2 - k) / (2 * p * (1 - p)));
			is_double(calib_plan_kappa_variance(k, p), bk, 1e-12,
			          "Fleiss-Cohen-Everitt variance is Bloch-Kraemer's at kappa "
			          "%.1f, "
			          "p %.1f",
			          k, p);
		}
	is_double(calib_plan_kappa_width(0.6, 0.3, calib_plan_kappa_calls(0.6, 0.3, 0.3, 0.95),
	                                 0.95),
	          0.3, 1e-12, "kappa: width and calls are inverses");
	ok(isnan(calib_plan_kappa_variance(0.5, 0)), "kappa: a share of 0 is NAN");
}

/* The simulation of calib's own estimators agrees with the closed form. */
static void
against_simulation(void)
{
	static const double share[2] = {0.7, 0.3};
	struct calib_plan_design d;
	struct calib_plan_sim sim;
	struct calib_error e;
	const char *forms[] = {"icc1", "icc3"};

	calib_error_clear(&e);
	for (size_t i = 0; i < 2; i++) {
		design(&d, forms[i], 0.6, 4, NULL);
		ok(calib_plan_simulate(&d, 60, 0.25, 400, 1, &sim, &e) == CALIB_OK,
		   "%s simulated", forms[i]);
		is_double(sim.median_width, calib_plan_bonett_width(0.6, 4, 60, 0.95), 0.05,
		          "%s: median simulated width within 5%% of Bonett's", forms[i]);
		is_double(sim.median_estimate, 0.6, 0.05,
		          "%s: the model gives the expected ICC", forms[i]);
	}
	design(&d, "cohen_kappa", 0.6, 2, share);
	ok(calib_plan_simulate(&d, 150, calib_plan_kappa_width(0.6, 0.3, 150, 0.95), 400, 1,
	                       &sim, &e) == CALIB_OK,
	   "kappa simulated");
	is_double(sim.median_width, calib_plan_kappa_width(0.6, 0.3, 150, 0.95), 0.05,
	          "cohen_kappa: median simulated width within 5%% of Fleiss-Cohen-Everitt's");
	is_double(sim.median_estimate, 0.6, 0.05, "cohen_kappa: the model gives the kappa");
	ok(sim.share_within > 0.3 && sim.share_within < 0.7,
	   "cohen_kappa: about half the intervals are within the closed form's width (%g)",
	   sim.share_within);
}

/* The latent-class model hits the expected value of each kind of coefficient. */
static void
model(void)
{
	static const double skew[2] = {0.1, 0.9};
	static const double five[5] = {0.05, 0.1, 0.2, 0.4, 0.25};
	struct {
		const char *stat;
		size_t k;
		const double *share;
		size_t q;
		double x;
	} cases[] = {
	        {"gwet_ac1", 5, skew, 2, 0.9},
	        {"fleiss_kappa", 5, skew, 2, 0.5},
	        {"gwet_ac2_ordinal", 4, five, 5, 0.6},
	        {"kripp_alpha_nominal", 4, five, 5, 0.6},
	        {"percent_agreement", 3, skew, 2, 0.9},
	        {"brennan_prediger", 3, NULL, 2, 0.5},
	        {"icc2", 5, NULL, 2, 0.7},
	        {"kripp_alpha_interval", 3, NULL, 2, 0.7},
	};
	struct calib_plan_design d;
	struct calib_plan_sim sim;
	struct calib_error e;

	calib_error_clear(&e);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		design(&d, cases[i].stat, cases[i].x, cases[i].k, cases[i].share);
		d.n_levels = cases[i].q;
		if (cases[i].q == 5)
			d.scale = CALIB_SCALE_ORDINAL;
		ok(calib_plan_simulate(&d, 1000, NAN, 21, 7, &sim, &e) == CALIB_OK,
		   "%s simulated", cases[i].stat);
		is_double(sim.median_estimate, cases[i].x, 0.03,
		          "%s: 1000 simulated calls give the expected %g", cases[i].stat,
		          cases[i].x);
		ok(isnan(sim.share_within), "%s: no target, no share", cases[i].stat);
	}
	design(&d, "gwet_ac1", 0.5, 5, (const double[]){0.05, 0.95});
	is_double(calib_plan_chance(&d), 0.895, 1e-3,
	          "AC1 at 95%% of one category: chance alone gives 0.895");
	design(&d, "fleiss_kappa", 0.5, 5, NULL);
	is_double(calib_plan_chance(&d), 0, 0, "kappa: chance gives 0");
}

static void
runs(void)
{
	struct calib_plan_design d;
	struct calib_plan_opts o;
	struct calib_plan_result r, r2;
	struct calib_error e;

	calib_error_clear(&e);
	calib_plan_opts_init(&o);
	o.width = 0.2;
	design(&d, "icc1", 0.85, 4, NULL);
	ok(calib_plan_run(&d, &o, &r, &e) == CALIB_OK, "plan icc1");
	is_long((long)r.n_calls, 20, "plan icc1: Bonett's 20 calls");
	is_string(r.method, "bonett2002", "plan icc1: by the closed form");
	o.method = CALIB_PLAN_SIMULATE;
	o.replicates = 100;
	ok(calib_plan_run(&d, &o, &r2, &e) == CALIB_OK, "plan icc1 by simulation");
	ok(r2.n_calls >= 17 && r2.n_calls <= 23,
	   "plan icc1: the simulation needs about Bonett's 20 calls (%zu)", r2.n_calls);
	ok(r2.width <= 0.2 && r2.share >= 0.5 - 1e-12,
	   "plan icc1: at those calls the median width is within the target");
	ok(calib_plan_run(&d, &o, &r, &e) == CALIB_OK && r.n_calls == r2.n_calls &&
	           r.width == r2.width,
	   "plan icc1: the same seed, the same plan");
	o.calls = 20;
	o.width = NAN;
	ok(calib_plan_run(&d, &o, &r, &e) == CALIB_OK && r.n_calls == 20 && isnan(r.share),
	   "calls given: the width, no share without a target");
	o.calls = 0;
	o.width = 0.01;
	o.max_calls = 50;
	ok(calib_plan_run(&d, &o, &r, &e) == CALIB_OK && r.n_calls == 0,
	   "a target beyond max_calls: no number of calls");
	ok(strncmp(r.note, "more than 50 calls (median width 0.1", 36) == 0 &&
	           r.width != r.width,
	   "and its note says the width 50 calls give (%s)", r.note);
}

static void
errors(void)
{
	struct calib_plan_design d;
	struct calib_plan_opts o;
	struct calib_plan_result r;
	struct calib_error e;
	static const double bad[2] = {0.5, 0.6};

	calib_plan_opts_init(&o);
	o.width = 0.2;
#define REFUSED(what, want)                                                                    \
	do {                                                                                   \
		calib_error_clear(&e);                                                         \
		ok(calib_plan_run(&d, &o, &r, &e) == CALIB_EARG, "refused: %s", what);         \
		is_string(e.msg, want, "message: %s", what);                                   \
	} while (0)
	design(&d, "bogus", 0.5, 3, NULL);
	REFUSED("unknown statistic", "bogus is not a coefficient calib computes");
	design(&d, "prevalence_index", 0.5, 3, NULL);
	REFUSED("an index", "prevalence_index is not a coefficient calib computes");
	design(&d, "cohen_kappa", 0.5, 3, NULL);
	REFUSED("Cohen with three",
	        "cohen_kappa is for two raters, not 3 (fleiss_kappa is for more)");
	design(&d, "icc2", 1, 3, NULL);
	REFUSED("expected 1",
	        "an expected icc2 of 1 cannot be planned: it must be at least 0 and below 1");
	design(&d, "fleiss_kappa", 0.5, 3, bad);
	REFUSED("shares", "the categories' shares add up to 1.1, not 1");
	design(&d, "gwet_ac1", 0.5, 5, (const double[]){0.05, 0.95});
	REFUSED("below chance", "an expected gwet_ac1 of 0.5 is below the 0.895 that chance "
	                        "alone gives with these shares");
	design(&d, "kripp_alpha_ordinal", 0.5, 3, NULL);
	REFUSED("no analytic interval",
	        "kripp_alpha_ordinal has no analytic interval (calib-agree bootstraps it): plan "
	        "another coefficient of the criterion");
	design(&d, "gwet_ac2_custom", 0.5, 3, NULL);
	REFUSED("custom weights",
	        "gwet_ac2_custom cannot be planned: no model gives it a value");
	design(&d, "fleiss_kappa", 0.5, 1, NULL);
	REFUSED("one rater", "agreement needs at least two raters");
	design(&d, "fleiss_kappa", 0.5, 3, NULL);
	o.method = CALIB_PLAN_CLOSED;
	REFUSED("no closed form",
	        "no closed form for fleiss_kappa: Bonett (2002) covers icc1 and icc3, Fleiss, "
	        "Cohen & Everitt (1969) cohen_kappa with two raters on a binary criterion");
	o.method = CALIB_PLAN_AUTO;
	o.width = NAN;
	REFUSED("no target", "a plan needs a target width or a number of calls");
#undef REFUSED
}

/* A session given by options: the defaults that follow from each other. */
static void
given(void)
{
	struct calib_plan_given g;
	struct calib_plan_design d;
	struct calib_error err;

	memset(&g, 0, sizeof g);
	g.scale = CALIB_SCALE_UNKNOWN;
	g.n_raters = 3;
	g.expected = 0.6;
	g.conf = 0.9;
	calib_error_clear(&err);
	ok(calib_plan_design_given(&d, &g, &err) == CALIB_OK, "given: nothing but the rest");
	is_string(d.stat, "gwet_ac1", "given: no scale, no stat: the binary headline");
	ok(d.scale == CALIB_SCALE_BINARY && d.n_levels == 2 && !d.share,
	   "given: binary, two levels, equal shares");
	ok(d.n_raters == 3 && d.expected == 0.6 && d.conf == 0.9,
	   "given: raters, expected and level copied");

	g.scale = CALIB_SCALE_ORDINAL;
	calib_plan_design_given(&d, &g, &err);
	is_string(d.stat, "gwet_ac2_ordinal", "given: ordinal scale: its headline");
	is_long((long)d.n_levels, 5, "given: ordinal scale: five levels");
	g.scale = CALIB_SCALE_INTERVAL;
	calib_plan_design_given(&d, &g, &err);
	is_string(d.stat, "icc2", "given: interval scale: icc2");

	g.scale = CALIB_SCALE_UNKNOWN;
	g.stat = "cohen_kappa_linear";
	calib_plan_design_given(&d, &g, &err);
	ok(d.scale == CALIB_SCALE_ORDINAL && d.n_levels == 5,
	   "given: a linear-weighted kappa: ordinal, five levels");
	g.stat = "icc1";
	calib_plan_design_given(&d, &g, &err);
	ok(d.scale == CALIB_SCALE_INTERVAL, "given: icc1: interval");
	g.stat = "kripp_alpha_ratio";
	calib_plan_design_given(&d, &g, &err);
	ok(d.scale == CALIB_SCALE_RATIO, "given: ratio alpha: ratio");
	g.stat = "fleiss_kappa";
	g.n_levels = 3;
	calib_plan_design_given(&d, &g, &err);
	ok(d.scale == CALIB_SCALE_NOMINAL && d.n_levels == 3,
	   "given: three levels of a kappa: nominal");

	g.n_levels = 0;
	g.share[0] = 0.3;
	g.n_shares = 1;
	ok(calib_plan_design_given(&d, &g, &err) == CALIB_OK && d.n_levels == 2 &&
	           d.share == g.share && g.n_shares == 2,
	   "given: one share: two levels, the design's shares are g's");
	is_double(d.share[0], 0.7, 1e-12, "given: one share p: the first 1 - p");
	is_double(d.share[1], 0.3, 1e-12, "given: one share p: the last p");
	ok(d.scale == CALIB_SCALE_BINARY, "given: two shares of a kappa: binary");

	g.share[0] = 0.2;
	g.share[1] = 0.3;
	g.share[2] = 0.5;
	g.n_shares = 3;
	calib_plan_design_given(&d, &g, &err);
	ok(d.n_levels == 3 && d.scale == CALIB_SCALE_NOMINAL, "given: three shares: three levels");

	g.n_levels = 4;
	ok(calib_plan_design_given(&d, &g, &err) == CALIB_EARG, "given: 3 shares, 4 levels refused");
	is_string(err.msg, "3 shares for 4 categories", "given: the mismatch said");
	g.n_shares = 1;
	g.n_levels = 3;
	calib_error_clear(&err);
	ok(calib_plan_design_given(&d, &g, &err) == CALIB_EARG,
	   "given: one share with three levels refused");
	is_string(err.msg, "one share is for two categories; give 3", "given: what to give said");
}

int
main(void)
{
	gsl_set_error_handler_off();
	bonett();
	kappa();
	against_simulation();
	model();
	runs();
	errors();
	given();
	return tap_done();
}
