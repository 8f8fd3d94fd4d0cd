/*
 * generate.c - remake the sample calibration data in data/, or write a big
 * synthetic sheet for the benchmark.
 *
 * Build and run (from the top of the source tree):
 *
 *	cc -std=c11 -O2 -o gen data/generate.c $(pkg-config --cflags --libs gsl)
 *	./gen data                        (rewrites the committed files)
 *	./gen --bench CALLS RATERS CRITERIA SEED > big.csv
 *
 * The program is standalone: it does not link libcalib. All randomness comes
 * from one gsl_rng_mt19937 seeded explicitly, so the same seed gives
 * byte-identical files on every machine with the same GSL.
 *
 * Statistical model (both modes). Every (call, criterion) has a latent
 * "true quality" q on a standard-normal scale; a rater r sees
 *
 *	y = q + leeway[criterion] bias[r] + e,	e ~ N(0, sigma[criterion])
 *
 * and writes y on the criterion's scale: binary "yes" when y > 0; ordinal
 * 1-5 as round(3 + 1.1 y); points 0-10 as round(5 + 2.2 y); both clamped.
 * The spread of q across calls against sigma sets how well raters agree on
 * a criterion; bias makes a manager lenient (> 0) or severe (< 0), and
 * leeway says how far a criterion leaves room for that: little for an
 * observable yes/no behaviour, fully for a judgement such as "specific".
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

enum { BINARY, ORD5, POINTS10 };

#define EMPTY (-1) /* not scored: written as an empty cell */
#define NA    (-2) /* not applicable: written as N/A */

#define NCRIT         8
#define NRATER        5
#define NCALL         12
#define NWEEK         12
#define MAXCALL       15
#define COACHING_WEEK 6 /* first session after the coaching (0-based) */
#ifndef SEED
#define SEED 43UL /* -DSEED=N on the cc line tries another draw */
#endif

struct criterion {
	const char *name;
	int scale;
	int weight;
	double mean;   /* mean of q: sets the prevalence of "yes" */
	double spread; /* sd of the criterion's own part of q */
	double leeway; /* share of rater bias that reaches this criterion */
	double sigma;  /* rater noise in the single session */
};

/*
 * summarised_concern is a clear-cut fact (little noise, little leeway);
 * named_impact is a judgement call (noise larger than the spread of q);
 * no_interruptions is "yes" on nearly every call, so its few "no" are
 * scattered noise: high percent agreement, kappa near zero.
 */
static const struct criterion crit[NCRIT] = {
        {"summarised_concern", BINARY, 2, 0.2, 1.2, 0.15, 0.10},
        {"no_interruptions", BINARY, 1, 1.8, 0.0, 0.20, 1.00},
        {"specific_apology", ORD5, 1, 0.0, 0.8, 1.00, 0.35},
        {"named_impact", BINARY, 1, -0.2, 0.8, 1.00, 1.10},
        {"next_steps", POINTS10, 3, 0.4, 0.8, 0.50, 0.25},
        {"lowered_pace", BINARY, 1, 0.3, 0.8, 0.20, 0.30},
        {"positive_language", ORD5, 1, 0.3, 0.8, 1.00, 0.40},
        {"structured_close", POINTS10, 2, 0.0, 0.8, 0.80, 0.35},
};
/* Criteria the model treats apart (indices into crit) */
#define NO_INTERRUPTIONS 1 /* not tied to the call's overall quality */
#define SPECIFIC_APOLOGY 2 /* improves after the coaching */
#define NAMED_IMPACT     3 /* improves after the coaching */
#define LOWERED_PACE     5 /* N/A on calls without an escalation */
#define STRUCTURED_CLOSE 7 /* drifts down over the weeks */

static const char *const rater[NRATER] = {"ana", "ben", "chloe", "dev", "emma"};
/* ben is lenient, emma severe; the others nearly unbiased */
static const double bias[NRATER] = {0.05, 0.75, -0.05, 0.10, -0.80};
/* the biases score_call uses: bias, or those of the calibration history */
static double bias_now[NRATER];

/* Calls the raters split on (indices into the session's calls) */
static const size_t contested[] = {3, 7, 10};
/* A call where it is unclear whether the customer escalated */
#define BORDERLINE 6

static int score[MAXCALL][NRATER][NCRIT];
/* the answer key of each call: the latent quality read without bias or noise */
static int key[MAXCALL][NCRIT];

static int
clampi(double v, int lo, int hi)
{
	long x = lround(v);

	return x < lo ? lo : x > hi ? hi : (int)x;
}

/* Put the latent reading y on the scale of criterion c. */
static int
to_scale(size_t c, double y)
{
	switch (crit[c].scale) {
	case BINARY:
		return y > 0.0;
	case ORD5:
		return clampi(3.0 + 1.1 * y, 1, 5);
	default:
		return clampi(5.0 + 2.2 * y, 0, 10);
	}
}

/*
 * Latent quality of one call: a call-wide component (a good agent is good
 * on most criteria) plus a criterion-specific one. no_interruptions varies
 * little between calls, which is what makes its kappa paradoxical.
 */
static void
draw_quality(gsl_rng *rng, double q[NCRIT])
{
	double overall = gsl_ran_gaussian(rng, 0.7);

	for (size_t c = 0; c < NCRIT; c++)
		q[c] = crit[c].mean + (c == NO_INTERRUPTIONS ? 0.0 : overall) +
		       gsl_ran_gaussian(rng, crit[c].spread);
}

/*
 * Score one call by every rater into score[k], with noise sigma[] and
 * leeway lee[] per criterion. escalation is 0 (none: lowered_pace is N/A
 * for all), 1 (borderline: each rater decides whether the customer
 * escalated) or 2 (clear). split != 0 makes the call contested:
 * q sits mid-scale and raters fall into two camps that read it +/- split
 * (times the leeway: camps form over judgements, not over facts).
 */
static void
score_call(gsl_rng *rng, size_t k, const double sigma[NCRIT], const double lee[NCRIT],
           int escalation, double split)
{
	double q[NCRIT];
	double camp[NRATER] = {0};

	draw_quality(rng, q);
	if (split != 0.0) {
		size_t up;

		for (size_t c = 0; c < NCRIT; c++)
			if (c != NO_INTERRUPTIONS)
				q[c] = 0.5 * (q[c] - crit[c].mean);
		do { /* at least two raters in each camp */
			up = 0;
			for (size_t r = 0; r < NRATER; r++) {
				camp[r] = gsl_rng_uniform(rng) < 0.5 ? split : -split;
				up += camp[r] > 0.0;
			}
		} while (up < 2 || up > NRATER - 2);
	}
	/* the calibrator reads every escalation, borderline ones too, as one */
	for (size_t c = 0; c < NCRIT; c++)
		key[k][c] = c == LOWERED_PACE && escalation == 0 ? NA : to_scale(c, q[c]);
	for (size_t r = 0; r < NRATER; r++) {
		int sees = escalation == 2 || (escalation == 1 && gsl_rng_uniform(rng) < 0.5);

		for (size_t c = 0; c < NCRIT; c++) {
			double y = q[c] + lee[c] * (bias_now[r] + camp[r]) +
			           gsl_ran_gaussian(rng, sigma[c]);

			score[k][r][c] = to_scale(c, y);
			if (c == LOWERED_PACE && !sees)
				score[k][r][c] = NA;
		}
	}
}

/* Escalation of a call: none 60%, borderline 10%, clear 30%. */
static int
draw_escalation(gsl_rng *rng)
{
	double u = gsl_rng_uniform(rng);

	return u < 0.6 ? 0 : u < 0.7 ? 1 : 2;
}

/* Blank n distinct scored cells among the first ncall calls. */
static void
blank_cells(gsl_rng *rng, size_t ncall, size_t n)
{
	while (n > 0) {
		size_t k = gsl_rng_uniform_int(rng, ncall);
		size_t r = gsl_rng_uniform_int(rng, NRATER);
		size_t c = gsl_rng_uniform_int(rng, NCRIT);

		if (score[k][r][c] >= 0) {
			score[k][r][c] = EMPTY;
			n--;
		}
	}
}

static void
put_score(FILE *f, size_t c, int v)
{
	if (v == NA)
		fputs(",N/A", f);
	else if (v == EMPTY)
		fputc(',', f);
	else if (crit[c].scale == BINARY)
		fputs(v ? ",yes" : ",no", f);
	else
		fprintf(f, ",%d", v);
}

static void
put_header(FILE *f, const char *lead)
{
	fputs(lead, f);
	for (size_t c = 0; c < NCRIT; c++)
		fprintf(f, ",%s", crit[c].name);
	fputc('\n', f);
}

/* Write the rows of ncall calls; session and only_rater may be NULL. */
static void
put_rows(FILE *f, const char *session, unsigned first_id, size_t ncall, const char *only_rater)
{
	for (size_t k = 0; k < ncall; k++)
		for (size_t r = 0; r < NRATER; r++) {
			if (only_rater && strcmp(only_rater, rater[r]) != 0)
				continue;
			if (session)
				fprintf(f, "%s,", session);
			fprintf(f, "CALL-%u", first_id + (unsigned)k);
			if (!only_rater)
				fprintf(f, ",%s", rater[r]);
			for (size_t c = 0; c < NCRIT; c++)
				put_score(f, c, score[k][r][c]);
			fputc('\n', f);
		}
}

static FILE *
open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static void
close_out(FILE *f, const char *name)
{
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "gen: %s: write error\n", name);
		exit(1);
	}
}

/*
 * The rubric; as a scorecard (rubric.csv's criteria with three more
 * columns): three sections, no_interruptions critical (an interruption
 * fails the call: TOTAL 0), N/A not allowed but on lowered_pace (N/A
 * without an escalation).
 */
static void
write_rubric(const char *dir, const char *name, int scorecard)
{
	static const char *const scale[] = {"binary", "ordinal", "interval"};
	static const char *const section[NCRIT] = {
	        "Listening", "Listening", "Empathy", "Empathy",
	        "Resolution", "Empathy", "Empathy", "Resolution"};
	FILE *f = open_out(dir, name);

	fputs(scorecard ? "criterion,scale,levels,min,max,weight,section,critical,na\n"
	                : "criterion,scale,levels,min,max,weight\n",
	      f);
	for (size_t c = 0; c < NCRIT; c++) {
		const struct criterion *k = &crit[c];

		if (k->scale == BINARY)
			fprintf(f, "%s,binary,no|yes,,,%d", k->name, k->weight);
		else
			fprintf(f, "%s,%s,,%d,%d,%d", k->name, scale[k->scale],
			        k->scale == ORD5 ? 1 : 0, k->scale == ORD5 ? 5 : 10, k->weight);
		if (scorecard)
			fprintf(f, ",%s,%s,%s", section[c], c == NO_INTERRUPTIONS ? "yes" : "no",
			        c == LOWERED_PACE ? "yes" : "no");
		fputc('\n', f);
	}
	close_out(f, name);
}

/*
 * The single session: 12 calls, 3 of them contested (all escalated), one
 * with a borderline escalation, 4 unscored cells.
 */
static void
write_session(gsl_rng *rng, const char *dir)
{
	double sigma[NCRIT], lee[NCRIT];
	char sub[4096];
	FILE *f;

	for (size_t c = 0; c < NCRIT; c++) {
		sigma[c] = crit[c].sigma;
		lee[c] = crit[c].leeway;
	}
	for (size_t k = 0; k < NCALL; k++) {
		double split = 0.0;
		int esc = draw_escalation(rng);

		for (size_t i = 0; i < sizeof contested / sizeof *contested; i++)
			if (contested[i] == k) {
				split = 1.3;
				esc = 2; /* disputes follow angry customers */
			}
		if (k == BORDERLINE)
			esc = 1;
		score_call(rng, k, sigma, lee, esc, split);
	}
	blank_cells(rng, NCALL, 4);

	f = open_out(dir, "session.csv");
	put_header(f, "call,rater");
	put_rows(f, NULL, 1001, NCALL, NULL);
	close_out(f, "session.csv");

	/* the answer key: a wide sheet with the calibrator as its rater */
	f = open_out(dir, "session-key.csv");
	put_header(f, "call,rater");
	for (size_t k = 0; k < NCALL; k++) {
		fprintf(f, "CALL-%u,calibrator", 1001 + (unsigned)k);
		for (size_t c = 0; c < NCRIT; c++)
			put_score(f, c, key[k][c]);
		fputc('\n', f);
	}
	close_out(f, "session-key.csv");

	snprintf(sub, sizeof sub, "%s/session-by-rater", dir);
	if (mkdir(sub, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen: %s: %s\n", sub, strerror(errno));
		exit(1);
	}
	for (size_t r = 0; r < NRATER; r++) {
		char name[64];

		snprintf(name, sizeof name, "%s.csv", rater[r]);
		f = open_out(sub, name);
		put_header(f, "call");
		put_rows(f, NULL, 1001, NCALL, rater[r]);
		close_out(f, name);
	}
}

/*
 * Twelve weekly sessions. Coaching before week COACHING_WEEK agrees what
 * counts on specific_apology and named_impact: their noise and leeway drop.
 * structured_close drifts: its noise grows every week. Other criteria keep
 * the session's model.
 */
static void
write_history(gsl_rng *rng, const char *dir)
{
	FILE *f = open_out(dir, "history.csv");
	unsigned id = 2001;

	put_header(f, "session,call,rater");
	for (int w = 0; w < NWEEK; w++) {
		struct tm tm = {.tm_year = 2026 - 1900,
		                .tm_mon = 8,
		                .tm_mday = 7 + 7 * w,
		                .tm_hour = 12,
		                .tm_isdst = -1};
		char date[16];
		double sigma[NCRIT], lee[NCRIT];
		size_t ncall = 10 + gsl_rng_uniform_int(rng, 6);
		int coached = w >= COACHING_WEEK;

		mktime(&tm); /* normalises the day; noon keeps DST out */
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		for (size_t c = 0; c < NCRIT; c++) {
			sigma[c] = crit[c].sigma;
			lee[c] = crit[c].leeway;
		}
		sigma[SPECIFIC_APOLOGY] = coached ? 0.20 : 0.90;
		sigma[NAMED_IMPACT] = coached ? 0.25 : 1.10;
		lee[SPECIFIC_APOLOGY] = lee[NAMED_IMPACT] = coached ? 0.2 : 1.0;
		sigma[STRUCTURED_CLOSE] = 0.20 + 0.12 * w;
		for (size_t k = 0; k < ncall; k++)
			score_call(rng, k, sigma, lee, draw_escalation(rng), 0.0);
		blank_cells(rng, ncall, gsl_rng_uniform_int(rng, 3));
		put_rows(f, date, id, ncall, NULL);
		id += (unsigned)ncall;
	}
	close_out(f, "history.csv");
}

/*
 * The calibration history: CAL_WEEKS weekly sessions of CAL_CALLS calls
 * each with their answer key. The managers are calibrated (biases within
 * +-0.1) until dev starts to read calls leniently in week CAL_SLIP: his
 * bias grows by CAL_SLIP_STEP a week, and his calibration score against
 * the key falls below the others' and, in the last weeks, below 0.7.
 */
#define CAL_WEEKS     10
#define CAL_CALLS     12
#define CAL_SLIP      5
#define CAL_SLIP_STEP 0.35
#define DEV           3

static void
write_calibration_history(gsl_rng *rng, const char *dir)
{
	static const double calm[NRATER] = {0.05, -0.05, 0.0, 0.05, -0.10};
	FILE *f = open_out(dir, "calibration-history.csv");
	FILE *k = open_out(dir, "calibration-history-key.csv");
	unsigned id = 3001;
	double sigma[NCRIT], lee[NCRIT];

	for (size_t c = 0; c < NCRIT; c++) {
		sigma[c] = crit[c].sigma;
		lee[c] = crit[c].leeway;
	}
	put_header(f, "session,call,rater");
	put_header(k, "session,call");
	for (int w = 0; w < CAL_WEEKS; w++) {
		struct tm tm = {.tm_year = 2026 - 1900,
		                .tm_mon = 8,
		                .tm_mday = 7 + 7 * w,
		                .tm_hour = 12,
		                .tm_isdst = -1};
		char date[16];

		mktime(&tm);
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		for (size_t r = 0; r < NRATER; r++)
			bias_now[r] = calm[r];
		if (w >= CAL_SLIP)
			bias_now[DEV] += CAL_SLIP_STEP * (w - CAL_SLIP + 1);
		for (size_t c = 0; c < CAL_CALLS; c++)
			score_call(rng, c, sigma, lee, draw_escalation(rng), 0.0);
		blank_cells(rng, CAL_CALLS, gsl_rng_uniform_int(rng, 3));
		put_rows(f, date, id, CAL_CALLS, NULL);
		for (size_t c = 0; c < CAL_CALLS; c++) {
			fprintf(k, "%s,CALL-%u", date, id + (unsigned)c);
			for (size_t j = 0; j < NCRIT; j++)
				put_score(k, j, key[c][j]);
			fputc('\n', k);
		}
		id += CAL_CALLS;
	}
	close_out(f, "calibration-history.csv");
	close_out(k, "calibration-history-key.csv");
}

/*
 * A year of routine evaluations (one evaluator per call), the input of
 * calib-audit: RT_TEAMS teams of RT_PER_TEAM employees, each evaluated
 * RT_PER_MONTH times a month in 2026 by one of RT_EVAL QA analysts. Team
 * t's employees are, on average, rt_team_level[t] better (latent quality
 * units) than the centre's, each with their own N(0, 0.35) on top; an
 * analyst reads every call with the bias rt_bias[j] (times the
 * criterion's leeway). Three times in four a call goes to the team's own
 * analyst (rt_home), and the harshest analysts look after the strongest
 * teams: their raw mean scores look average or better, and only a model
 * that takes the employees into account (calib-audit) shows them harsh.
 * The others go to the four floating analysts (6-9), who score every team.
 */
#define RT_TEAMS     6
#define RT_PER_TEAM  8
#define RT_EVAL      10
#define RT_PER_MONTH 4
#define RT_HOME      0.75

static const char *const rt_team[RT_TEAMS] = {"Billing",    "Tech Support", "Retention",
                                              "Onboarding", "Claims",       "Sales"};
static const double rt_team_level[RT_TEAMS] = {-0.6, -0.35, -0.1, 0.1, 0.35, 0.6};
static const char *const rt_analyst[RT_EVAL] = {
        "Morgan Reyes", "Priya Nair", "Tomasz Wojcik", "Amara Okafor", "Lucas Moreau",
        "Mei Tanaka",   "Oskar Lind", "Fatima Haddad", "Jonas Berg",   "Ines Duarte"};
/* the analysts of teams 0-5 in turn: the lenient ones on the weakest teams */
static const double rt_bias[RT_EVAL] = {0.7, 0.45, 0.15, -0.15, -0.45, -0.7,
                                        0.15, -0.15, 0.0, 0.05};
static const char *const rt_first[RT_TEAMS * RT_PER_TEAM] = {
        "Aisha", "Ben",    "Carla",  "Diego",  "Elena", "Farid",  "Grace", "Hugo",
        "Ivana", "Jamal",  "Kira",   "Liam",   "Maya",  "Nikos",  "Olga",  "Pedro",
        "Quinn", "Rosa",   "Sami",   "Tara",   "Umar",  "Vera",   "Wen",   "Ximena",
        "Yusuf", "Zoe",    "Anton",  "Bianca", "Cyril", "Dana",   "Emil",  "Freya",
        "Goran", "Hana",   "Idris",  "Julia",  "Kofi",  "Lena",   "Marco", "Nadia",
        "Omar",  "Paula",  "Rafael", "Sofia",  "Theo",  "Ursula", "Viktor", "Wanda"};
static const char *const rt_last[8] = {"Adams", "Brandt", "Costa", "Dubois",
                                       "Evans", "Fischer", "Garcia", "Horvat"};

struct rt_eval {
	int day;
	unsigned agent, analyst;
	unsigned long call;
	int score[NCRIT];
};

static int
rt_by_day(const void *a, const void *b)
{
	const struct rt_eval *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->agent < y->agent ? -1 : x->agent > y->agent;
}

static void
write_routine(gsl_rng *rng, const char *dir)
{
	enum { NAG = RT_TEAMS * RT_PER_TEAM, NMONTH_EVAL = NAG * RT_PER_MONTH };
	static struct rt_eval ev[NMONTH_EVAL];
	double level[NAG];
	FILE *f = open_out(dir, "routine-2026.csv");
	unsigned id = 1;

	for (size_t g = 0; g < NAG; g++)
		level[g] = rt_team_level[g / RT_PER_TEAM] + gsl_ran_gaussian(rng, 0.35);
	fputs("Evaluation ID,Interaction ID,Review Date,Team,Employee,Evaluator", f);
	for (size_t c = 0; c < NCRIT; c++)
		fprintf(f, ",%s", crit[c].name);
	fputc('\n', f);
	for (int m = 0; m < 12; m++) {
		for (size_t i = 0; i < NMONTH_EVAL; i++) {
			struct rt_eval *e = &ev[i];
			size_t g = i / RT_PER_MONTH, t = g / RT_PER_TEAM;
			double q[NCRIT];
			int esc = draw_escalation(rng);

			e->agent = (unsigned)g;
			e->day = 1 + (int)gsl_rng_uniform_int(rng, 28);
			e->analyst = gsl_rng_uniform(rng) < RT_HOME
			                     ? (unsigned)t
			                     : RT_TEAMS + (unsigned)gsl_rng_uniform_int(rng, 4);
			e->call = 4000000 + gsl_rng_uniform_int(rng, 6000000);
			draw_quality(rng, q);
			for (size_t c = 0; c < NCRIT; c++) {
				double y = q[c] + (c == NO_INTERRUPTIONS ? 0.3 : 1.0) * level[g] +
				           crit[c].leeway * rt_bias[e->analyst] +
				           gsl_ran_gaussian(rng, crit[c].sigma);
				e->score[c] = c == LOWERED_PACE && esc == 0 ? NA : to_scale(c, y);
				if (gsl_rng_uniform(rng) < 0.004)
					e->score[c] = EMPTY;
			}
		}
		qsort(ev, NMONTH_EVAL, sizeof *ev, rt_by_day);
		for (size_t i = 0; i < NMONTH_EVAL; i++) {
			const struct rt_eval *e = &ev[i];
			fprintf(f, "EV-26-%05u,INT-%lu,2026-%02d-%02d,%s,%s %s,%s", id++, e->call,
			        m + 1, e->day, rt_team[e->agent / RT_PER_TEAM], rt_first[e->agent],
			        rt_last[e->agent % 8], rt_analyst[e->analyst]);
			for (size_t c = 0; c < NCRIT; c++)
				put_score(f, c, e->score[c]);
			fputc('\n', f);
		}
	}
	close_out(f, "routine-2026.csv");
}

/* Append the decimal digits of v to p; return the new end. */
static char *
put_uint(char *p, unsigned long v)
{
	char tmp[24];
	size_t n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static unsigned long
parse_count(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "gen: %s: not a number: %s\n", what, s);
		exit(2);
	}
	return v;
}

/*
 * Benchmark sheet: `call,rater,c1..cK`, criteria cycling through 0/1, 1-5
 * and 0-10, rater bias N(0, 0.3), noise 0.5, about 2% empty cells. Rows are
 * formatted by hand into a buffer: printf per number would dominate.
 */
static int
bench(unsigned long ncall, unsigned long nrater, unsigned long ncrit, unsigned long seed)
{
	static char obuf[1 << 20];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *b = malloc(nrater * sizeof *b);
	double *q = malloc(ncrit * sizeof *q);
	char *line = malloc(64 + 4 * ncrit);

	if (!rng || !b || !q || !line) {
		fputs("gen: out of memory\n", stderr);
		return 1;
	}
	gsl_rng_set(rng, seed);
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	fputs("call,rater", stdout);
	for (unsigned long c = 0; c < ncrit; c++)
		printf(",c%lu", c + 1);
	putchar('\n');
	for (unsigned long r = 0; r < nrater; r++)
		b[r] = gsl_ran_gaussian_ziggurat(rng, 0.3);
	for (unsigned long k = 0; k < ncall; k++) {
		for (unsigned long c = 0; c < ncrit; c++)
			q[c] = gsl_ran_gaussian_ziggurat(rng, 1.0);
		for (unsigned long r = 0; r < nrater; r++) {
			char *p = line;

			memcpy(p, "CALL-", 5);
			p = put_uint(p + 5, k + 1);
			memcpy(p, ",r", 2);
			p = put_uint(p + 2, r + 1);
			for (unsigned long c = 0; c < ncrit; c++) {
				double y = q[c] + b[r] + gsl_ran_gaussian_ziggurat(rng, 0.5);
				int v = c % 3 == 0   ? y > 0.0
				        : c % 3 == 1 ? clampi(3.0 + 1.1 * y, 1, 5)
				                     : clampi(5.0 + 2.2 * y, 0, 10);

				*p++ = ',';
				if (gsl_rng_uniform(rng) >= 0.02)
					p = put_uint(p, (unsigned long)v);
			}
			*p++ = '\n';
			fwrite(line, 1, (size_t)(p - line), stdout);
		}
	}
	free(line);
	free(q);
	free(b);
	gsl_rng_free(rng);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("gen: write error\n", stderr);
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	gsl_rng *rng;

	if (argc == 6 && strcmp(argv[1], "--bench") == 0) {
		unsigned long nrater = parse_count(argv[3], "RATERS");
		unsigned long ncrit = parse_count(argv[4], "CRITERIA");

		if (nrater == 0 || ncrit == 0 || ncrit > 100000) {
			fputs("gen: RATERS and CRITERIA must be 1 or more "
			      "(CRITERIA at most 100000)\n",
			      stderr);
			return 2;
		}
		return bench(parse_count(argv[2], "CALLS"), nrater, ncrit,
		             parse_count(argv[5], "SEED"));
	}
	if (argc != 2 || argv[1][0] == '-') {
		fputs("usage: gen DIR\n"
		      "       gen --bench CALLS RATERS CRITERIA SEED\n",
		      stderr);
		return 2;
	}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng)
		return 1;
	gsl_rng_set(rng, SEED);
	memcpy(bias_now, bias, sizeof bias_now);
	write_rubric(argv[1], "rubric.csv", 0);
	write_rubric(argv[1], "scorecard.csv", 1);
	write_session(rng, argv[1]);
	write_history(rng, argv[1]);
	write_calibration_history(rng, argv[1]);
	write_routine(rng, argv[1]);
	gsl_rng_free(rng);
	return 0;
}
