/*
 * test_reader.c - unit tests of the sheet and rubric reader: every input
 * form, delimiter detection, BOM, CRLF, quoting, missing vs N/A, the
 * duplicates policy, rubric parsing and each error path with its location.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/reader.h"
#include "calib/store.h"
#include "tap.h"

/* Read text as input `name` into s. */
static enum calib_status
read_text(struct calib_store *s, const char *text, size_t len, const char *name,
          const struct calib_read_opts *o, struct calib_error *err)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	enum calib_status st;

	if (!fp)
		return CALIB_EIO;
	st = calib_read(s, fp, name, o, err);
	fclose(fp);
	return st;
}

static enum calib_status
read_rubric_text(struct calib_store *s, const char *text, struct calib_error *err)
{
	struct calib_read_opts o;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	enum calib_status st;

	calib_read_opts_init(&o);
	st = calib_read_rubric(s, fp, "rubric.csv", &o, err);
	fclose(fp);
	return st;
}

/* A fresh store holding text read with default options (plus delim). */
static struct calib_store *
load(const char *text, const char *name, struct calib_error *err, enum calib_status *st)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts o;

	calib_read_opts_init(&o);
	*st = read_text(s, text, strlen(text), name, &o, err);
	if (*st == CALIB_OK)
		calib_store_finish(s);
	return s;
}

/* Text of the rating (eval e, criterion named crit), "-" when absent. */
static const char *
rating(const struct calib_store *s, size_t e, const char *crit, char *buf, size_t n)
{
	uint32_t c = calib_store_find_criterion(s, crit, strlen(crit));
	uint16_t code;

	if (c == CALIB_NONE || e >= s->n_evals)
		return "?";
	code = calib_code(&s->criteria[c], e);
	if (code == CALIB_CODE_ABSENT)
		return "-";
	if (code == CALIB_CODE_MISSING)
		return "(missing)";
	return calib_store_code_text(&s->criteria[c], code, buf, n);
}

static const char *
eval_call(const struct calib_store *s, size_t e)
{
	return calib_names_get(s->calls, s->item_call[s->eval_item[e]]);
}

static const char *
eval_rater(const struct calib_store *s, size_t e)
{
	return calib_names_get(s->raters, s->eval_rater[e]);
}

/* Expect an error with exactly this status, line, column and message. */
static void
expect_error(const char *text, size_t len, const struct calib_read_opts *opts,
             const char *rubric, enum calib_status want, unsigned long line, unsigned long col,
             const char *msg, const char *what)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts o;
	struct calib_error err;
	enum calib_status st = CALIB_OK;

	if (opts)
		o = *opts;
	else
		calib_read_opts_init(&o);
	if (rubric)
		st = read_rubric_text(s, rubric, &err);
	if (st == CALIB_OK)
		st = read_text(s, text, len, "in.csv", &o, &err);
	is_long(st, want, "%s: status", what);
	is_long((long)err.line, (long)line, "%s: line", what);
	is_long((long)err.column, (long)col, "%s: column", what);
	is_string(err.msg, msg, "%s: message", what);
	calib_store_free(s);
}

#define ERR(text, want, line, col, msg)                                                        \
	expect_error(text, sizeof text - 1, NULL, NULL, want, line, col, msg, #want " " msg)

static void
test_forms(void)
{
	struct calib_error err;
	enum calib_status st;
	struct calib_store *s;
	char b[64];

	s = load("call,rater,empathy,greeting\nc1,ann,3,1\nc1,bob,4,0\nc2,ann,,N/A\n",
	         "wide.csv", &err, &st);
	is_long(st, CALIB_OK, "wide sheet reads");
	is_long((long)s->n_evals, 3, "wide: three evaluations");
	is_long((long)s->n_criteria, 2, "wide: two criteria");
	is_long((long)s->n_items, 2, "wide: two calls");
	is_string(eval_call(s, 1), "c1", "wide: call of evaluation 2");
	is_string(eval_rater(s, 1), "bob", "wide: rater of evaluation 2");
	is_string(rating(s, 1, "empathy", b, sizeof b), "4", "wide: bob's empathy");
	is_string(rating(s, 2, "empathy", b, sizeof b), "(missing)",
	          "wide: empty cell is missing");
	is_string(rating(s, 2, "greeting", b, sizeof b), "N/A", "wide: N/A cell");
	is_long((long)calib_store_eval_line(s, 2), 4, "wide: line of evaluation 3");
	calib_store_free(s);

	s = load("session,call,rater,criterion,score\n"
	         "s1,c1,ann,empathy,3\ns1,c1,ann,greeting,1\ns2,c1,ann,empathy,2\n",
	         "long.csv", &err, &st);
	is_long(st, CALIB_OK, "long sheet reads");
	is_long((long)s->n_evals, 2, "long: sessions make two evaluations");
	is_long((long)s->n_items, 2, "long: (session, call) items");
	is_string(rating(s, 0, "greeting", b, sizeof b), "1", "long: greeting");
	is_string(rating(s, 1, "greeting", b, sizeof b), "-", "long: absent rating");
	is_string(calib_names_get(s->sessions, s->item_session[s->eval_item[1]]), "s2",
	          "long: session name");
	calib_store_free(s);

	s = load("call,empathy\nc1,3\nc2,4\n", "dir/ann.sheet.csv", &err, &st);
	is_long(st, CALIB_OK, "per-rater sheet reads");
	is_string(eval_rater(s, 0), "ann.sheet", "per-rater: rater from the base name");
	calib_store_free(s);

	s = calib_store_alloc();
	{
		struct calib_read_opts o;
		const char *t = "call,empathy\nc1,3\n";
		calib_read_opts_init(&o);
		o.rater = "zoe";
		o.session = "2026-01";
		st = read_text(s, t, strlen(t), "<stdin>", &o, &err);
		is_long(st, CALIB_OK, "per-rater on stdin with a rater name");
		is_string(eval_rater(s, 0), "zoe", "per-rater: --rater");
		is_string(calib_names_get(s->sessions, s->item_session[0]), "2026-01",
		          "session label for the input");
		o.layout = CALIB_LAYOUT_SHEET;
		o.rater = NULL;
		st = read_text(s, t, strlen(t), "x.csv", &o, &err);
		is_long(st, CALIB_EINPUT, "forced sheet layout needs a rater column");
		is_string(err.msg,
		          "no rater column among \"call\", \"empathy\": name it with --rater-col "
		          "(known names: rater, reviewer, evaluator, grader, scorer, manager)",
		          "forced layout message");
	}
	calib_store_free(s);
}

static void
test_format(void)
{
	struct calib_error err;
	enum calib_status st;
	struct calib_store *s;
	char b[64];

	s = load("call\trater\tempathy\tgreeting\nc1\tann\t\t1\nc1\tbob\t4\t\n", "t.tsv", &err,
	         &st);
	is_long(st, CALIB_OK, "tab-delimited");
	is_string(rating(s, 0, "empathy", b, sizeof b), "(missing)", "tab: empty field kept");
	is_string(rating(s, 0, "greeting", b, sizeof b), "1", "tab: field after an empty one");
	is_string(rating(s, 1, "greeting", b, sizeof b), "(missing)", "tab: empty last field");
	calib_store_free(s);

	s = load("call;rater;\"a,b\"\nc1;ann;3\n", "semi.csv", &err, &st);
	is_long(st, CALIB_OK, "semicolon-delimited, comma inside quotes ignored");
	is_string(s->criteria[0].name, "a,b", "semicolon: criterion name with a comma");
	calib_store_free(s);

	s = load("\xef\xbb\xbf\"call\",rater,empathy\r\nc1,ann,3\r\nc1,bob,4\r\n", "bom.csv",
	         &err, &st);
	is_long(st, CALIB_OK, "BOM before a quoted header and CRLF");
	is_long((long)s->n_evals, 2, "BOM/CRLF: two evaluations");
	is_string(eval_call(s, 0), "c1", "BOM/CRLF: call without CR");
	is_long((long)calib_store_eval_line(s, 1), 3, "CRLF: line numbers");
	calib_store_free(s);

	s = load("call,rater,empathy\n\"c1, \"\"x\"\"\",\"  ann \",3\n\"multi\nline\",ann,2\n"
	         "\n\nc2 , bob ,1\n",
	         "q.csv", &err, &st);
	is_long(st, CALIB_OK, "quoted fields");
	is_string(eval_call(s, 0), "c1, \"x\"", "quoted: comma and doubled quotes");
	is_string(eval_rater(s, 0), "  ann ", "quoted: spaces kept");
	is_string(eval_call(s, 1), "multi\nline", "quoted: newline inside");
	is_long((long)calib_store_eval_line(s, 1), 3, "multi-line field: line where the row starts");
	is_string(eval_call(s, 2), "c2", "unquoted: spaces trimmed");
	is_long((long)calib_store_eval_line(s, 2), 7, "blank lines counted");
	calib_store_free(s);

	s = load("call,rater,empathy\rc1,ann,3\r\rc1,bob,4\r", "cr.csv", &err, &st);
	is_long(st, CALIB_OK, "CR line ends");
	is_long((long)s->n_evals, 2, "CR line ends: two evaluations");
	is_long((long)calib_store_eval_line(s, 1), 4, "CR line ends: line numbers");
	calib_store_free(s);

	s = load("call,rater,empathy\nc1,ann,3", "nofinal.csv", &err, &st);
	is_long(st, CALIB_OK, "no final newline");
	is_long((long)s->n_evals, 1, "no final newline: the last row is read");
	calib_store_free(s);

	s = load("call,rater,empathy\nc1,ann,3\n,,\n", "e.csv", &err, &st);
	is_long(st, CALIB_OK, "a row of empty fields is skipped");
	is_long((long)s->n_evals, 1, "empty row skipped");
	calib_store_free(s);

	s = load("call,rater,x\nc1,a,2.50\nc1,b,-0.1\nc2,a,1e2\nc2,b,+7\nc3,a,0."
	         "30000000000000004\n",
	         "n.csv", &err, &st);
	is_long(st, CALIB_OK, "numbers");
	is_string(rating(s, 0, "x", b, sizeof b), "2.5", "number 2.50");
	is_string(rating(s, 1, "x", b, sizeof b), "-0.1", "number -0.1");
	is_string(rating(s, 2, "x", b, sizeof b), "100", "number 1e2");
	is_string(rating(s, 3, "x", b, sizeof b), "7", "number +7");
	is_string(rating(s, 4, "x", b, sizeof b), "0.30000000000000004", "number round trip");
	calib_store_free(s);
}

static void
test_tokens_and_duplicates(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts o;
	struct calib_error err;
	enum calib_status st;
	const char *t = "call,rater,x\nc1,a,-\nc1,b,na\nc2,a,3\nc2,b,\"\"\nc3,a,N/A\n";
	const char *d = "call,rater,x\nc1,a,1\nc1,a,2\n";
	char b[64];

	calib_read_opts_init(&o);
	o.missing = "-,?";
	o.na = "na";
	st = read_text(s, t, strlen(t), "t.csv", &o, &err);
	is_long(st, CALIB_EINPUT, "N/A is no token when --na replaces the list");
	calib_store_free(s);

	s = calib_store_alloc();
	o.na = "na,N/A";
	st = read_text(s, t, strlen(t), "t.csv", &o, &err);
	is_long(st, CALIB_OK, "custom missing and N/A tokens");
	is_string(rating(s, 0, "x", b, sizeof b), "(missing)", "token - is missing");
	is_string(rating(s, 1, "x", b, sizeof b), "N/A", "token na is N/A");
	is_string(rating(s, 3, "x", b, sizeof b), "(missing)", "quoted empty is missing");
	calib_store_finish(s);
	is_string(rating(s, 4, "x", b, sizeof b), "N/A", "token N/A is N/A");
	is_long((long)s->criteria[0].n_missing, 2, "missing counted apart");
	is_long((long)s->criteria[0].n_na, 2, "N/A counted apart");
	is_long((long)s->criteria[0].n_scored, 1, "scores counted apart");
	calib_store_free(s);

	calib_read_opts_init(&o);
	o.duplicates = CALIB_DUP_FIRST;
	s = calib_store_alloc();
	st = read_text(s, d, strlen(d), "d.csv", &o, &err);
	is_long(st, CALIB_OK, "duplicates=first");
	is_string(rating(s, 0, "x", b, sizeof b), "1", "first kept");
	calib_store_free(s);
	o.duplicates = CALIB_DUP_LAST;
	s = calib_store_alloc();
	st = read_text(s, d, strlen(d), "d.csv", &o, &err);
	is_long(st, CALIB_OK, "duplicates=last");
	is_string(rating(s, 0, "x", b, sizeof b), "2", "last kept");
	calib_store_free(s);

	/* merging: two files each with other criteria of the same evaluations */
	s = calib_store_alloc();
	calib_read_opts_init(&o);
	st = read_text(s, "call,rater,x\nc1,a,1\n", 20, "a.csv", &o, &err);
	if (st == CALIB_OK)
		st = read_text(s, "call,rater,y\nc1,a,2\n", 20, "b.csv", &o, &err);
	is_long(st, CALIB_OK, "merge: other criteria of the same evaluation");
	is_long((long)s->n_evals, 1, "merge: one evaluation");
	is_string(rating(s, 0, "y", b, sizeof b), "2", "merge: second file's criterion");
	st = read_text(s, "call,rater,X\nc1,a,1\n", 20, "c.csv", &o, &err);
	is_long(st, CALIB_EINPUT, "merge: case-insensitive criterion duplicate");
	is_string(err.msg,
	          "duplicate rating of \"x\" for call \"c1\" by rater \"a\" (its evaluation "
	          "begins at a.csv:2)",
	          "merge: duplicate names the first file and line");
	is_string(err.file, "c.csv", "merge: error in the second file");
	calib_store_free(s);
}

static void
test_rubric(void)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts o;
	struct calib_error err;
	enum calib_status st;
	const struct calib_criterion *c;
	const char *t =
	        "call,rater,resolution,empathy,greeting\nc1,a,Yes,5,1\nc1,b,partly,1,0\n";
	char b[64];

	st = read_rubric_text(s,
	                      "criterion,scale,levels,min,max,weight,description\n"
	                      "resolution,ordinal,no | partly|yes,,,2,did it\n"
	                      "empathy,interval,,1,5,,\n"
	                      "greeting,binary,0|1,,,0.5,\n",
	                      &err);
	is_long(st, CALIB_OK, "rubric reads (extra column ignored)");
	is_long((long)s->n_criteria, 3, "rubric: three criteria");
	c = &s->criteria[0];
	ok(c->declared && c->labelled && c->levels_fixed, "rubric: labelled levels");
	is_long((long)c->n_levels, 3, "rubric: three labels");
	is_string(c->label[0], "no", "rubric: labels trimmed");
	is_double(c->weight, 2, 0, "rubric: weight");
	c = &s->criteria[1];
	is_double(c->min, 1, 0, "rubric: min");
	is_double(c->max, 5, 0, "rubric: max");
	is_double(c->weight, 1, 0, "rubric: default weight");
	is_long(c->scale, CALIB_SCALE_INTERVAL, "rubric: scale");
	c = &s->criteria[2];
	ok(!c->labelled && c->n_levels == 2, "rubric: numeric levels");
	calib_read_opts_init(&o);
	st = read_text(s, t, strlen(t), "r.csv", &o, &err);
	is_long(st, CALIB_OK, "sheet with the rubric");
	is_string(rating(s, 0, "resolution", b, sizeof b), "yes", "label matched without case");
	is_string(rating(s, 1, "resolution", b, sizeof b), "partly", "label");
	calib_store_free(s);
}

static void
test_errors(void)
{
	struct calib_read_opts o;
	const char rubric[] = "criterion,scale,levels,min,max,weight\n"
	                      "empathy,ordinal,,1,5,1\nres,nominal,no|yes,,,1\n";

	ERR("", CALIB_EINPUT, 1, 0, "empty input: no header line");
	ERR("call,rater,x\nc1,a,1\nc1,b\n", CALIB_EINPUT, 3, 3,
	    "row has 2 fields, the header 3");
	ERR("call,rater,x\nc1,a,1,2\n", CALIB_EINPUT, 2, 4, "row has 4 fields, the header 3");
	ERR("call,rater,x\nc1,a,1\n\"c2,b,2\nc3,a,1\n", CALIB_EINPUT, 3, 1,
	    "unterminated quoted field");
	ERR("call,rater,x\nc1,a\"b,1\n", CALIB_EINPUT, 2, 2,
	    "misplaced quote character in field");
	ERR("call,rater,x\nc1,\"a\"b,1\n", CALIB_EINPUT, 2, 2,
	    "misplaced quote character in field");
	ERR("call,rater,x\nc1,a\0b,1\n", CALIB_EINPUT, 2, 2, "NUL byte in field");
	ERR("call,rater,x\nc1,a\xc3(,1\n", CALIB_EINPUT, 2, 2,
	    "invalid UTF-8 in rater (byte 2)");
	ERR("call,rater,x\nc1,\xed\xa0\x80,1\n", CALIB_EINPUT, 2, 2,
	    "invalid UTF-8 in rater (byte 1)");
	ERR("call,rater,x\xc0\xaf\nc1,a,1\n", CALIB_EINPUT, 1, 3,
	    "invalid UTF-8 in column name (byte 2)");
	ERR("call,rater,x,X\nc1,a,1,2\n", CALIB_EINPUT, 1, 4,
	    "duplicate column \"X\" (also column 3)");
	ERR("id,rater,x\nc1,a,1\n", CALIB_EINPUT, 1, 0,
	    "no call column among \"id\", \"rater\", \"x\": name it with --call-col (known "
	    "names: call, call id, conversation id, interaction id, ticket id, contact id)");
	ERR("Call ID,Reviewer,Ticket ID\nc1,a,1\n", CALIB_EINPUT, 1, 3,
	    "two columns could be the call: \"Call ID\" (column 1) and \"Ticket ID\" (column 3); "
	    "name one with --call-col");
	ERR("call,rater,Verified ID,verified_id\nc1,a,1,1\n", CALIB_EINPUT, 1, 4,
	    "columns \"Verified ID\" (column 3) and \"verified_id\" are one criterion");
	ERR("call,rater,x,\nc1,a,1,2\n", CALIB_EINPUT, 2, 4,
	    "value \"2\" in a column without a name");
	ERR("Interaction ID,Grader,x,,\nc1,a,1,,\n", CALIB_OK, 0, 0, "");
	ERR("call,rater\nc1,a\n", CALIB_EINPUT, 1, 0, "no criterion columns in the header");
	ERR("call,rater,,x\nc1,a,1,2\n", CALIB_EINPUT, 1, 3, "empty column name");
	ERR("call,rater,x\n\n\n,a,1\n", CALIB_EINPUT, 4, 1, "empty call");
	ERR("call,rater,x\nc1,,1\n", CALIB_EINPUT, 2, 2, "empty rater");
	ERR("call,rater,criterion,score,note\nc1,a,x,1,\n", CALIB_OK, 0, 0, "");
	ERR("call,rater,criterion,score,\nc1,a,x,1,y\n", CALIB_EINPUT, 2, 5,
	    "value \"y\" in a column without a name");
	ERR("call,rater,criterion,score\nc1,a,,1\n", CALIB_EINPUT, 2, 3, "empty criterion");
	ERR("call,x\nc1,1\n", CALIB_OK, 0, 0, "");
	ERR("call,rater,x\nc1,a,1\nc1,b,good\n", CALIB_EINPUT, 3, 3,
	    "criterion \"x\": score \"good\" is not a number");
	ERR("call,rater,x\nc1,a,3x\n", CALIB_EINPUT, 2, 3,
	    "criterion \"x\": score \"3x\" is not a number");
	ERR("call,rater,x\nc1,a, 3\n", CALIB_OK, 0, 0, "");
	ERR("call,rater,x\nc1,a,\" 3 \"\n", CALIB_OK, 0, 0, "");
	ERR("call,rater,x\nc1,a,\"3 x\"\n", CALIB_EINPUT, 2, 3,
	    "criterion \"x\": score \"3 x\" is not a number");
	ERR("call,rater,x\nc1,a,1e400\n", CALIB_EINPUT, 2, 3,
	    "criterion \"x\": score \"1e400\" is out of range");
	ERR("call,rater,x\nc1,a,1e-400\n", CALIB_EINPUT, 2, 3,
	    "criterion \"x\": score \"1e-400\" is too small to hold (below 4.9e-324 in "
	    "magnitude: write 0)");
	/* below DBL_MIN: subnormal numbers, not out of range */
	ERR("call,rater,x\nc1,a,1e-308\nc1,b,-4e-320\n", CALIB_OK, 0, 0, "");
	/* a BOM is stripped at the start of a file only */
	ERR("\xef\xbb\xbf" "call,rater,x\nc1,a,1\n", CALIB_OK, 0, 0, "");
	ERR("call,rater,x\nc1,a,1\n\xef\xbb\xbf" "c1,b,1\n", CALIB_EINPUT, 3, 1,
	    "byte order mark (U+FEFF) past the start of the file (files joined?)");
	ERR("call,rater,x\nc1,a,\"1\n\xef\xbb\xbf\"\n", CALIB_EINPUT, 2, 3,
	    "byte order mark (U+FEFF) past the start of the file (files joined?)");
	ERR("call,rater,x\nc1,a,NaN\n", CALIB_EINPUT, 2, 3,
	    "criterion \"x\": score \"NaN\" is not a finite number");
	ERR("call,rater,x\nc1,a,inf\n", CALIB_EINPUT, 2, 3,
	    "criterion \"x\": score \"inf\" is not a finite number");
	ERR("call,rater,x\nc1,a,0x10\n", CALIB_EINPUT, 2, 3,
	    "criterion \"x\": score \"0x10\" is not a decimal number");
	ERR("call,rater,x\nc1,a,\"2,5\"\n", CALIB_EINPUT, 2, 3,
	    "criterion \"x\": score \"2,5\" is not a number (the decimal separator is a "
	    "point; --decimal , reads decimal commas)");
	ERR("call,rater,x\nc1,a,yes\nc1,b,1\n", CALIB_EINPUT, 3, 3,
	    "criterion \"x\": score \"1\" is a number among labels");
	ERR("call,rater,x\nc1,a,1\nc1,a,2\n", CALIB_EINPUT, 3, 3,
	    "duplicate rating of \"x\" for call \"c1\" by rater \"a\" (first at in.csv:2)");
	ERR("session,call,rater,criterion,score\ns,c1,a,x,1\ns,c1,a,x,2\n", CALIB_EINPUT, 3, 5,
	    "duplicate rating of \"x\" for call \"c1\" by rater \"a\" in session \"s\" "
	    "(first at in.csv:2)");
	ERR("call,rater,criterion,score\nc1,a,x,1\nc1,a,y,1\nc1,b,y,1\nc1,a,Y,2\n",
	    CALIB_EINPUT, 5, 4,
	    "duplicate rating of \"y\" for call \"c1\" by rater \"a\" (first at in.csv:3)");
	ERR("call,rater,x\n\"c1\nc1\",a,1\n\n\"c2\",b,\"x\ny\"\n", CALIB_EINPUT, 5, 3,
	    "criterion \"x\": score \"x\\x0ay\" is not a number");
	/* a field that starts on a later line than its row: its own line */
	ERR("call,rater,x\nc0,a,1\n\"c1\nc1\",a,q\n", CALIB_EINPUT, 4, 3,
	    "criterion \"x\": score \"q\" is not a number");

	calib_read_opts_init(&o);
	o.max_field = 5;
	expect_error("call,rater,x\nc1,abcdef,1\n", 25, &o, NULL, CALIB_ELIMIT, 2, 2,
	             "field longer than 5 bytes", "max_field");
	expect_error("call,rater,x\nc1,\"ab\ncdefgh\",1\n", 30, &o, NULL, CALIB_ELIMIT, 2, 2,
	             "field longer than 5 bytes", "max_field across lines");
	o.max_field = 0;
	o.max_columns = 3;
	expect_error("call,rater,x,y\nc1,a,1,2\n", 24, &o, NULL, CALIB_ELIMIT, 1, 4,
	             "more than 3 columns", "max_columns");
	calib_read_opts_init(&o);
	expect_error("call,x\nc1,1\n", 12, &o, NULL, CALIB_OK, 0, 0, "", "per-rater file");
	expect_error("call,x\nc1,1\n", 12, NULL, NULL, CALIB_OK, 0, 0, "", "per-rater default");

	expect_error("call,rater,empathy\nc1,a,6\n", 26, NULL, rubric, CALIB_EINPUT, 2, 3,
	             "score 6 outside the range of \"empathy\" (1 to 5)", "rubric range");
	expect_error("call,rater,res\nc1,a,maybe\n", 26, NULL, rubric, CALIB_EINPUT, 2, 3,
	             "\"maybe\" is not a level of \"res\" (no|yes)", "rubric label");
	expect_error("call,rater,criterion,score\nc1,a,tone,1\n", 39, NULL, rubric,
	             CALIB_EINPUT, 2, 3, "criterion \"tone\" is not in the rubric",
	             "long: criterion not in the rubric");
	expect_error("call,rater,tone\nc1,a,1\n", 23, NULL, rubric, CALIB_EINPUT, 1, 0,
	             "no criterion columns in the header (left out: tone (not in the rubric))",
	             "sheet: column not in the rubric");
	expect_error("call,rater,tone,Empathy\nc1,a,1,2\n", 33, NULL, rubric, CALIB_OK, 0, 0,
	             "", "sheet: a column not in the rubric left out");
}

static void
test_rubric_errors(void)
{
	static const struct {
		const char *text, *msg;
		unsigned long line, col;
	} cases[] = {
	        {"criterion,scale\nx,likert\n",
	         "unknown scale \"likert\" (binary, nominal, ordinal, interval or ratio)", 2,
	         2},
	        {"criterion,scale,levels\nx,binary,a|b|c\n",
	         "a binary scale has two levels, not 3", 2, 3},
	        {"criterion,scale,levels\nx,interval,low|high\n",
	         "labelled levels need a binary, nominal or ordinal scale", 2, 3},
	        {"criterion,scale,levels\nx,nominal,a||b\n", "empty level in \"a||b\"", 2, 3},
	        {"criterion,scale,levels\nx,nominal,a|b|a\n", "level \"a\" listed twice", 2, 3},
	        {"criterion,scale,min,max\nx,ordinal,5,1\n", "max is below min", 2, 4},
	        {"criterion,scale,min\nx,ordinal,low\n", "\"low\" is not a number", 2, 3},
	        {"criterion,scale,weight\nx,ordinal,-1\n", "negative weight", 2, 3},
	        {"criterion,scale\nx,ordinal\nX,nominal\n", "criterion \"X\" described twice",
	         3, 1},
	        {"criterion,levels\nx,1|2\n", "no \"scale\" column in the rubric header", 1, 0},
	        {"criterion,scale\n,ordinal\n", "empty criterion", 2, 1},
	        {"", "empty rubric: no header line", 1, 0},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct calib_store *s = calib_store_alloc();
		struct calib_error err;
		enum calib_status st = read_rubric_text(s, cases[i].text, &err);
		is_long(st, CALIB_EINPUT, "rubric error %zu: status", i);
		is_string(err.msg, cases[i].msg, "rubric error %zu: message", i);
		is_long((long)err.line, (long)cases[i].line, "rubric error %zu: line", i);
		is_long((long)err.column, (long)cases[i].col, "rubric error %zu: column", i);
		is_string(err.file, "rubric.csv", "rubric error %zu: file", i);
		calib_store_free(s);
	}
}

/* A big input crosses the 1 MiB block boundary inside rows and fields. */
static void
test_blocks(void)
{
	size_t n = 200000, i, len = 0;
	char *text = malloc(n * 40 + 64), b[64];
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts o;
	struct calib_error err;
	enum calib_status st;

	len += (size_t)sprintf(text, "call,rater,\"x\"\n");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "\"c%zu\",r%zu,%zu\r\n", i / 2, i % 2,
		                       i % 7);
	calib_read_opts_init(&o);
	st = read_text(s, text, len, "big.csv", &o, &err);
	is_long(st, CALIB_OK, "big input across blocks");
	is_long((long)s->n_evals, (long)n, "big input: every row");
	is_string(rating(s, n - 1, "x", b, sizeof b), "2", "big input: last score");
	is_long((long)calib_store_eval_line(s, n - 1), (long)n + 1, "big input: last line");
	free(text);
	calib_store_free(s);
}

/* Numbers as spreadsheets write them: decimal commas, percentages, weights. */
static void
test_numbers(void)
{
	struct calib_error err;
	struct calib_read_opts o;
	enum calib_status st;
	struct calib_store *s;
	char b[64];
	const char *semi = "call;rater;q\nc1;a;4,5\nc1;b;0,125\nc2;a;2.5\nc2;b;85 %\n";
	const char *quoted = "call,rater,q\nc1,a,\"4,5\"\nc1,b,2\n";

	s = load(semi, "semi.csv", &err, &st);
	is_long(st, CALIB_OK, "numbers: ';' input reads decimal commas without an option");
	is_string(rating(s, 0, "q", b, sizeof b), "4.5", "numbers: 4,5 is 4.5");
	is_string(rating(s, 1, "q", b, sizeof b), "0.125", "numbers: 0,125 is not ambiguous");
	is_string(rating(s, 2, "q", b, sizeof b), "2.5", "numbers: a point still reads there");
	is_string(rating(s, 3, "q", b, sizeof b), "85", "numbers: '85 %%' is 85");
	ok(s->criteria[0].percent && s->criteria[0].decimal_comma,
	   "numbers: the criterion says it had percentages and decimal commas");
	is_double(s->criteria[0].max, 100, 0, "numbers: a percent criterion is out of 100");
	calib_store_free(s);

	/* French and other locales write a no-break space before '%' */
	s = load("call;rater;q\nc1;a;85\xc2\xa0%\nc1;b;7,5\xe2\x80\xaf%\nc2;a;1\xa0%\n", "t.csv",
	         &err, &st);
	is_long(st, CALIB_EINPUT, "numbers: a lone 0xa0 is no space");
	ok(err.line == 4 && err.column == 3, "numbers: the bad one's place");
	calib_store_free(s);
	s = load("call;rater;q\nc1;a;85\xc2\xa0%\nc1;b;7,5\xe2\x80\xaf%\n", "t.csv", &err, &st);
	is_long(st, CALIB_OK, "numbers: U+00A0 and U+202F before a percent sign");
	is_string(rating(s, 0, "q", b, sizeof b), "85", "numbers: '85\\u00a0%%' is 85");
	is_string(rating(s, 1, "q", b, sizeof b), "7.5", "numbers: '7,5\\u202f%%' is 7.5");
	calib_store_free(s);

	s = load("call;rater;q\nc1;a;-1,234\n", "t.csv", &err, &st);
	is_long(st, CALIB_EINPUT, "numbers: 1,234 is ambiguous");
	is_string(err.msg,
		  "criterion \"q\": score \"-1,234\" is ambiguous: -1.234 (decimal comma) or "
		  "-1234 (thousands separator, never guessed); write -1234, or -1,2340 for -1.234",
		  "numbers: the message gives both readings");
	ok(err.line == 2 && err.column == 3, "numbers: with its place");
	calib_store_free(s);

	s = load(quoted, "t.csv", &err, &st);
	is_long(st, CALIB_EINPUT, "numbers: a ',' input keeps the point by default");
	calib_store_free(s);

	calib_read_opts_init(&o);
	o.decimal = ',';
	s = calib_store_alloc();
	is_long(read_text(s, quoted, strlen(quoted), "t.csv", &o, &err), CALIB_OK,
		"numbers: --decimal , reads a quoted decimal comma");
	calib_store_free(s);
	s = calib_store_alloc();
	is_long(read_text(s, semi, strlen(semi), "t.csv", &o, &err), CALIB_EINPUT,
		"numbers: under --decimal , a point is an error");
	is_string(err.msg,
		  "criterion \"q\": score \"2.5\" has a point, but the decimal separator is "
		  "a comma (--decimal ,)",
		  "numbers: saying why");
	calib_store_free(s);
	o.decimal = '.';
	s = calib_store_alloc();
	is_long(read_text(s, semi, strlen(semi), "t.csv", &o, &err), CALIB_EINPUT,
		"numbers: --decimal . refuses decimal commas in a ';' input");
	calib_store_free(s);

	s = calib_store_alloc();
	is_long(read_rubric_text(s, "criterion,scale,levels,min,max,weight\n"
				    "q,ordinal,,1,5,30%\nr,ordinal,,1,5,\n",
				 &err),
		CALIB_OK, "numbers: a rubric weight as a percentage");
	is_double(s->criteria[0].weight, 0.3, 1e-15, "numbers: 30%% weighs 0.3");
	is_double(s->criteria[1].weight, 1, 0, "numbers: a blank weight is 1");
	calib_store_free(s);
	s = calib_store_alloc();
	is_long(read_rubric_text(s, "criterion,scale,levels,min,max,weight\nq,ordinal,,1%,5,1\n",
				 &err),
		CALIB_EINPUT, "numbers: min is no percentage");
	calib_store_free(s);
}

/* Read text collecting its errors (at most max); the store is thrown away. */
static enum calib_status
collect(const char *text, size_t len, size_t max, struct calib_errors *l, struct calib_error *err)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts o;
	enum calib_status st;

	calib_read_opts_init(&o);
	l->max = max;
	o.errors = l;
	st = read_text(s, text, len, "e.csv", &o, err);
	calib_store_free(s);
	return st;
}

static void
test_many_errors(void)
{
	static const char five[] = "call,rater,a,b\n"
	                           "c1,x,1,2z\n"   /* 2:4 not a number */
	                           "c1,y,1\n"      /* 3:3 short row */
	                           "c2,,1,2\n"     /* 4:2 empty rater */
	                           "c2,y,1e,2\n"   /* 5:3 not a number */
	                           "c3,x,q,0x1\n"; /* 6:3 and 6:4 */
	struct calib_errors l = {NULL, 0, 0, 0};
	struct calib_error err;
	enum calib_status st;
	size_t n, i, len;
	char *big;

	st = collect(five, strlen(five), 20, &l, &err);
	is_long(st, CALIB_EINPUT, "many errors: status");
	is_long((long)l.n, 6, "many errors: every located error in one run");
	is_string(l.v[0].msg, "criterion \"b\": score \"2z\" is not a number", "many: first");
	is_long((long)l.v[0].line, 2, "many: first line");
	is_string(l.v[1].msg, "row has 3 fields, the header 4", "many: a short row");
	is_string(l.v[2].msg, "empty rater", "many: an empty rater");
	is_long((long)l.v[3].line * 10 + (long)l.v[3].column, 53, "many: fourth at 5:3");
	is_long((long)l.v[4].line * 10 + (long)l.v[4].column, 63, "many: two in one row (6:3)");
	is_string(l.v[5].msg, "criterion \"b\": score \"0x1\" is not a decimal number",
	          "many: two in one row (6:4)");
	is_string(err.msg, l.v[0].msg, "many: err holds the first");
	is_string(l.v[0].file, "e.csv", "many: the file is named");
	calib_errors_clear(&l);

	st = collect(five, strlen(five), 2, &l, &err);
	is_long(st, CALIB_EINPUT, "max errors: status");
	is_long((long)l.n, 2, "max errors: reading stops at the most asked for");
	ok(calib_errors_full(&l), "max errors: the list is full");
	calib_errors_clear(&l);

	/* a CSV syntax error ends the input after the errors before it */
	{
		static const char t[] = "call,rater,a\nc1,x,1\nc1,y,z\nc2,\"x,1\nc2,y,2\n";
		st = collect(t, strlen(t), 20, &l, &err);
	}
	is_long((long)l.n, 2, "syntax error: after a conversion error, and last");
	is_string(l.v[1].msg, "unterminated quoted field", "syntax error: its message");
	calib_errors_clear(&l);

	/* a header error ends the input */
	st = collect("call,rater,a,A\nc1,x,z\n", 23, 20, &l, &err);
	is_long((long)l.n, 1, "header error: one");
	is_long(st, CALIB_EINPUT, "header error: status");
	calib_errors_clear(&l);

	/* the threaded reader keeps the order of the file */
	n = 120000;
	big = malloc(n * 16 + 64);
	len = (size_t)sprintf(big, "call,rater,x\n");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(big + len, "c%zu,r%zu,%s\n", i / 2, i % 2,
		                       i == 1000 || i == 90000 ? "bad" : "1");
	st = collect(big, len, 20, &l, &err);
	is_long((long)l.n, 2, "threaded: both errors");
	is_long((long)l.v[0].line, 1002, "threaded: the first first");
	is_long((long)l.v[1].line, 90002, "threaded: the second second");
	calib_errors_clear(&l);
	calib_errors_clear(NULL);
	free(big);
}

int
main(void)
{
	test_forms();
	test_format();
	test_tokens_and_duplicates();
	test_rubric();
	test_errors();
	test_rubric_errors();
	test_blocks();
	test_numbers();
	test_many_errors();
	return tap_done();
}
