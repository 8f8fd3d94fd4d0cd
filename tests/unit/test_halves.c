/*
 * test_halves.c - unit tests of reading a file in two halves (reader.c's
 * "two halves", calib_store_part and calib_store_join): each input is read
 * from a real file once on one thread and once in halves, and the two
 * stores must be equal field by field (names, items, evaluations with their
 * lines, levels in their order, codes), the errors equal, and the halves
 * taken exactly where they can be: the seam at a row's start, not inside a
 * quoted field, not cutting the first batch, no error or duplicate in the
 * second half.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/reader.h"
#include "calib/store.h"
#include "tap.h"

/* A growing text. */
struct text {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!t->s && !(t->s = malloc(t->cap = 1 << 16)))
		exit(1);
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap ? 2 * t->cap : 1 << 16;
		if (!(t->s = realloc(t->s, t->cap)))
			exit(1);
	}
	t->len += (size_t)n;
}

/*
 * Make the reader's seam (just past the first '\n' at or after
 * CALIB_SEAM_AT of the file's size) fall just past t->s[p], a '\n':
 * spaces, which an unquoted field loses, at the start of the first data
 * row while it would fall past p (each moves p one on and the seam about
 * half of one), then blank lines at the end while it would fall at or
 * before the '\n' that ends the row before p's.
 */
static void
seam_at(struct text *t, size_t p)
{
	size_t h = (size_t)(strchr(t->s, '\n') - t->s) + 1, q = p;

	while (CALIB_SEAM_AT(t->len) > p) {
		size_t k = 2 * (CALIB_SEAM_AT(t->len) - p) + 1;
		if (t->cap < t->len + k + 1 && !(t->s = realloc(t->s, t->cap = t->len + k + 1)))
			exit(1);
		memmove(t->s + h + k, t->s + h, t->len - h + 1);
		memset(t->s + h, ' ', k);
		t->len += k;
		p += k;
	}
	while (q > 0 && t->s[q - 1] != '\n')
		q--;
	while (CALIB_SEAM_AT(t->len) + 1 <= q)
		add(t, "\n");
}

/* One reading: its store, status, first error, error list and whether it was halved. */
struct run {
	struct calib_store *s;
	enum calib_status st;
	struct calib_error err;
	struct calib_errors errs;
	bool halved;
};

/* Read text from a file: in halves when split (any size will do), else on one thread. */
static void
run(struct run *x, const struct text *t, bool split, enum calib_dup_policy dup,
    const char *before)
{
	struct calib_read_opts o;
	FILE *fp = tmpfile();

	memset(x, 0, sizeof *x);
	x->errs.max = 20;
	x->s = calib_store_alloc();
	calib_read_opts_init(&o);
	o.duplicates = dup;
	o.errors = &x->errs;
	if (before) { /* another input read first */
		FILE *b = tmpfile();
		fputs(before, b);
		rewind(b);
		o.threads = 1;
		calib_read(x->s, b, "before.csv", &o, &x->err);
		fclose(b);
	}
	o.threads = split ? 2 : 1;
	o.split_min = 1;
	o.halved = &x->halved;
	fwrite(t->s, 1, t->len, fp);
	rewind(fp);
	x->st = calib_read(x->s, fp, "h.csv", &o, &x->err);
	fclose(fp);
}

static void
run_free(struct run *x)
{
	calib_store_free(x->s);
	calib_errors_clear(&x->errs);
}

static bool
same_names(const struct calib_names *a, const struct calib_names *b)
{
	if (calib_names_count(a) != calib_names_count(b))
		return false;
	for (uint32_t i = 0; i < calib_names_count(a); i++)
		if (strcmp(calib_names_get(a, i), calib_names_get(b, i)) != 0)
			return false;
	return true;
}

/* Are two stores equal in everything reading puts there? */
static bool
same_store(const struct calib_store *a, const struct calib_store *b)
{
	if (!same_names(a->sessions, b->sessions) || !same_names(a->calls, b->calls) ||
	    !same_names(a->raters, b->raters) || a->n_items != b->n_items ||
	    a->n_evals != b->n_evals || a->n_criteria != b->n_criteria)
		return false;
	for (size_t i = 0; i < a->n_items; i++)
		if (a->item_session[i] != b->item_session[i] || a->item_call[i] != b->item_call[i])
			return false;
	for (size_t e = 0; e < a->n_evals; e++)
		if (a->eval_item[e] != b->eval_item[e] || a->eval_rater[e] != b->eval_rater[e] ||
		    calib_store_eval_line(a, e) != calib_store_eval_line(b, e) ||
		    calib_store_eval_file(a, e) != calib_store_eval_file(b, e))
			return false;
	for (size_t c = 0; c < a->n_criteria; c++) {
		const struct calib_criterion *x = &a->criteria[c], *y = &b->criteria[c];
		if (strcmp(x->name, y->name) != 0 || x->labelled != y->labelled ||
		    x->n_levels != y->n_levels || x->percent != y->percent ||
		    x->scale != y->scale)
			return false;
		for (size_t k = 0; k < x->n_levels; k++)
			if (x->value[k] != y->value[k] ||
			    (x->labelled && strcmp(x->label[k], y->label[k]) != 0))
				return false;
		for (size_t e = 0; e < a->n_evals; e++)
			if (calib_code(x, e) != calib_code(y, e))
				return false;
	}
	return true;
}

static bool
same_errors(const struct run *a, const struct run *b)
{
	if (a->st != b->st || a->errs.n != b->errs.n)
		return false;
	if (a->st != CALIB_OK && (strcmp(a->err.msg, b->err.msg) != 0 ||
	                          a->err.line != b->err.line || a->err.column != b->err.column))
		return false;
	for (size_t i = 0; i < a->errs.n; i++)
		if (strcmp(a->errs.v[i].msg, b->errs.v[i].msg) != 0 ||
		    a->errs.v[i].line != b->errs.v[i].line ||
		    a->errs.v[i].column != b->errs.v[i].column)
			return false;
	return true;
}

/*
 * Read t both ways and compare: the stores (as read, then finished) when
 * both read it, the errors always. Returns whether it was read in halves;
 * *one receives the one-thread reading when not NULL (else it is freed).
 */
static bool
both(const struct text *t, enum calib_dup_policy dup, const char *before, const char *what,
     struct run *one)
{
	struct run a, b;
	bool halved;

	run(&a, t, false, dup, before);
	run(&b, t, true, dup, before);
	ok(!a.halved, "%s: one thread reads it in one piece", what);
	ok(same_errors(&a, &b), "%s: the same errors (%s)", what, b.err.msg);
	if (a.st == CALIB_OK && b.st == CALIB_OK) {
		ok(same_store(a.s, b.s), "%s: the same store as read", what);
		calib_store_finish(a.s);
		calib_store_finish(b.s);
		ok(same_store(a.s, b.s), "%s: the same store finished", what);
	}
	halved = b.halved;
	run_free(&b);
	if (one)
		*one = a;
	else
		run_free(&a);
	return halved;
}

/* Rows of call i/3 by raters r0..r2 (a call's rows may straddle the seam). */
static void
rows(struct text *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		add(t, "c%zu,r%zu,%zu,%zu\n", i / 3, i % 3, i % 5, (i * 7) % 4);
}

/* The offset of the '\n' that ends row i of t (the header is row 0). */
static size_t
row_end(const struct text *t, size_t i)
{
	const char *p = t->s;

	for (size_t k = 0; k <= i; k++)
		p = strchr(p, '\n') + 1;
	return (size_t)(p - 1 - t->s);
}

static void
test_seam(void)
{
	struct text t = {0};
	struct run one;

	/* exactly at a row boundary, inside a call's rows */
	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 9000);
	seam_at(&t, row_end(&t, 4501));
	ok(strchr(t.s + CALIB_SEAM_AT(t.len), '\n') == t.s + row_end(&t, 4501),
	   "seam: the first line end at the cut ends row 4501");
	ok(both(&t, CALIB_DUP_ERROR, NULL, "row boundary", &one), "row boundary: read in halves");
	is_long((long)one.s->n_evals, 9000, "row boundary: every row");
	is_long((long)calib_store_eval_line(one.s, 8999), 9001, "row boundary: the last row's line");
	run_free(&one);
	{
		/* the names the join added are found by their text, as interned ones */
		struct run x;
		size_t lost = 0;
		run(&x, &t, true, CALIB_DUP_ERROR, "call,rater,x\nc2900,r7,9\n");
		ok(x.halved && x.st == CALIB_OK, "row boundary after another input: read in halves");
		for (uint32_t i = 0; i < calib_names_count(x.s->calls); i++) {
			const char *c = calib_names_get(x.s->calls, i);
			lost += calib_names_find(x.s->calls, c, strlen(c)) != i;
		}
		for (uint32_t i = 0; i < calib_names_count(x.s->raters); i++) {
			const char *r = calib_names_get(x.s->raters, i);
			lost += calib_names_find(x.s->raters, r, strlen(r)) != i;
		}
		is_long((long)lost, 0, "row boundary: each of %zu calls and %zu raters found again",
		        calib_names_count(x.s->calls), calib_names_count(x.s->raters));
		run_free(&x);
	}

	/* the first line end at the cut a quoted newline: not a seam */
	t.len = 0;
	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 4500);
	add(&t, "\"c1500\nq\",r0,1,2\n");
	rows(&t, 4501, 9000);
	seam_at(&t, (size_t)(strstr(t.s, "c1500\nq") - t.s) + 5);
	ok(!both(&t, CALIB_DUP_ERROR, NULL, "quoted newline at the seam", NULL),
	   "quoted newline at the seam: read in one piece");

	/* a quoted newline on each side: the lines of the second half count it */
	t.len = 0;
	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 3000);
	add(&t, "\"c1000\nq\",r0,1,2\n");
	rows(&t, 3001, 6000);
	add(&t, "\"c2000\nq\",r0,1,2\n");
	rows(&t, 6001, 9000);
	ok(both(&t, CALIB_DUP_ERROR, NULL, "quoted newlines", &one), "quoted newlines: read in halves");
	is_long((long)calib_store_eval_line(one.s, 8999), 9003, "quoted newlines: the last row's line");
	run_free(&one);

	/* the seam inside the first batch, which classifies the columns */
	t.len = 0;
	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 1000);
	ok(!both(&t, CALIB_DUP_ERROR, NULL, "first batch", NULL), "first batch: read in one piece");
	free(t.s);
}

static void
test_duplicates(void)
{
	struct text t = {0};
	struct run one;
	char want[200];

	/* call c1 by rater r1 (line 6) again in the second half */
	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 8000);
	add(&t, "c1,r1,4,3\n");
	rows(&t, 8001, 9000);
	ok(!both(&t, CALIB_DUP_ERROR, NULL, "duplicate across the seam", &one),
	   "duplicate across the seam: read again in one piece");
	snprintf(want, sizeof want,
	         "duplicate rating of \"x\" for call \"c1\" by rater \"r1\" (first at h.csv:6)");
	is_string(one.err.msg, want, "duplicate across the seam: the message");
	is_long((long)one.err.line * 10 + (long)one.err.column, 80020 + 3,
	        "duplicate across the seam: at 8002:3");
	run_free(&one);
	ok(both(&t, CALIB_DUP_LAST, NULL, "duplicate, last kept", &one),
	   "duplicate, last kept: read in halves");
	is_double(calib_store_code_value(&one.s->criteria[0], calib_code(&one.s->criteria[0], 4)), 4, 0,
	          "duplicate, last kept: the second half's score");
	run_free(&one);
	ok(both(&t, CALIB_DUP_FIRST, NULL, "duplicate, first kept", NULL),
	   "duplicate, first kept: read in halves");
	/* a duplicate of an earlier input's rating */
	ok(both(&t, CALIB_DUP_LAST, "call,rater,x\nc8500,r0,9\nc1,r2,9\n", "after another input",
	        NULL),
	   "after another input: read in halves");
	t.len = 0;
	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 9000);
	ok(both(&t, CALIB_DUP_ERROR, "call,rater,z\nc2900,r2,9\n", "another input's criterion",
	        NULL),
	   "another input's criterion: read in halves");
	ok(!both(&t, CALIB_DUP_ERROR, "call,rater,x\nc2900,r2,9\n", "duplicate of another input",
	         NULL),
	   "duplicate of another input: read again in one piece");
	free(t.s);
}

static void
test_errors_and_levels(void)
{
	struct text t = {0};
	struct run one;

	/* an error in the second half: its line */
	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 7000);
	add(&t, "c7000,r0,zz,1\n");
	rows(&t, 7001, 9000);
	ok(!both(&t, CALIB_DUP_ERROR, NULL, "error in the second half", &one),
	   "error in the second half: read again in one piece");
	is_long((long)one.errs.n, 1, "error in the second half: one");
	is_long((long)one.err.line, 7002, "error in the second half: its line");
	run_free(&one);

	/* errors in both halves: all of them, in order */
	t.len = 0;
	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 3000);
	add(&t, "c3000,r0,zz,1\n");
	rows(&t, 3001, 7000);
	add(&t, "c7000,r0,1,\"q\nq\"\n");
	rows(&t, 7001, 9000);
	both(&t, CALIB_DUP_ERROR, NULL, "errors in both halves", &one);
	is_long((long)one.errs.n, 2, "errors in both halves: two");
	run_free(&one);

	/* numbers in the first half, a label in the second */
	t.len = 0;
	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 7000);
	add(&t, "c7000,r0,1,abc\n");
	rows(&t, 7001, 9000);
	ok(!both(&t, CALIB_DUP_ERROR, NULL, "a label among numbers", NULL),
	   "a label among numbers: read again in one piece");

	/* levels first seen in the second half keep their order */
	t.len = 0;
	add(&t, "call,rater,x,y\n");
	for (size_t i = 0; i < 9000; i++)
		add(&t, "c%zu,r%zu,%s,%zu\n", i / 3, i % 3,
		    i < 4500 ? (i % 2 ? "met" : "not met") : (i % 3 ? "partly" : "n/a"),
		    i < 8000 ? i % 3 : 9 - i % 5);
	ok(both(&t, CALIB_DUP_ERROR, NULL, "new levels", &one), "new levels: read in halves");
	is_long((long)one.s->criteria[0].n_levels, 3, "new levels: three labels");
	run_free(&one);

	/*
	 * Codes past a byte: x's levels pass it only in the second half, y's
	 * only in the first, z's labels in both; the join widens x's codes
	 * and takes the second half's narrow codes of y into wide ones.
	 */
	t.len = 0;
	add(&t, "call,rater,x,y,z\n");
	for (size_t i = 0; i < 9000; i++)
		add(&t, "c%zu,r%zu,%zu,%zu,L%zu\n", i / 3, i % 3, i < 4500 ? i % 5 : i % 400,
		    i < 4500 ? i % 300 : i % 7, i % 600);
	ok(both(&t, CALIB_DUP_ERROR, NULL, "wide codes", &one), "wide codes: read in halves");
	ok(one.s->criteria[0].wide_ && one.s->criteria[1].wide_ && one.s->criteria[2].wide_,
	   "wide codes: all three wide");
	is_long((long)(one.s->criteria[0].n_levels + one.s->criteria[1].n_levels +
	               one.s->criteria[2].n_levels), 400 + 300 + 600, "wide codes: their levels");
	run_free(&one);
	free(t.s);
}

static void
test_forms(void)
{
	struct text t = {0};
	struct run one;

	/* a per-rater sheet: the rater is the file's */
	add(&t, "call,x,y\n");
	for (size_t i = 0; i < 9000; i++)
		add(&t, "c%zu,%zu,%zu\n", i, i % 5, i % 3);
	ok(both(&t, CALIB_DUP_ERROR, NULL, "per-rater", NULL), "per-rater: read in halves");
	add(&t, "c10,1,1\n");
	ok(!both(&t, CALIB_DUP_ERROR, NULL, "per-rater duplicate", &one),
	   "per-rater duplicate: read again in one piece");
	is_long((long)one.err.line, 9002, "per-rater duplicate: its line");
	run_free(&one);

	/* a long form: its batches are converted on the second thread, in order */
	t.len = 0;
	add(&t, "call,rater,criterion,score\n");
	for (size_t i = 0; i < 30000; i++)
		add(&t, "c%zu,r%zu,k%zu,%zu\n", i / 6, i / 3 % 2, i % 3, i % 4);
	ok(!both(&t, CALIB_DUP_ERROR, NULL, "long form", NULL), "long form: not in halves");
	add(&t, "c7,r1,k2,zz\nc9,r0,k1,2\n");
	both(&t, CALIB_DUP_ERROR, NULL, "long form errors", &one);
	is_long((long)one.errs.n, 2, "long form errors: both");
	is_long((long)one.errs.v[1].line, 30003, "long form errors: the duplicate's line");
	run_free(&one);
	free(t.s);
}

static void
test_small(void)
{
	struct text t = {0};
	struct calib_read_opts o;
	struct calib_store *s = calib_store_alloc();
	struct calib_error err;
	bool halved = true;
	FILE *fp = tmpfile();

	add(&t, "call,rater,x,y\n");
	rows(&t, 0, 9000);
	fwrite(t.s, 1, t.len, fp);
	rewind(fp);
	calib_read_opts_init(&o);
	o.halved = &halved;
	is_long(calib_read(s, fp, "h.csv", &o, &err), CALIB_OK, "small: read");
	ok(!halved, "small: a file under CALIB_SPLIT_MIN is read in one piece");
	calib_store_free(s);
	s = calib_store_alloc();
	rewind(fp);
	o.split_min = t.len;
	is_long(calib_read(s, fp, "h.csv", &o, &err), CALIB_OK, "split_min: read");
	ok(halved, "split_min: a file of split_min bytes is read in halves");
	calib_store_free(s);
	s = calib_store_alloc();
	rewind(fp);
	o.split_min = t.len + 1;
	calib_read(s, fp, "h.csv", &o, &err);
	ok(!halved, "split_min: a file of a byte less is not");
	calib_store_free(s);
	s = calib_store_alloc();
	rewind(fp);
	o.split_min = 1;
	o.threads = 1;
	calib_read(s, fp, "h.csv", &o, &err);
	ok(!halved, "threads 1: read in one piece");
	calib_store_free(s);
	fclose(fp);
	free(t.s);
}

int
main(void)
{
	test_seam();
	test_duplicates();
	test_errors_and_levels();
	test_forms();
	test_small();
	return tap_done();
}
