/*
 * test_report_add.c - adding records to a report's rows: calib_report_add
 * one at a time and calib_report_add_all in one pass give the same report,
 * rows of no records and rows given nothing included, and a large report
 * stays in order (calib-alpha adds four records to each of 12,500 rows).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/report.h"
#include "tap.h"

/* A report of n rows, row i with count[i] records named "r<i>.<k>". */
static struct calib_report *
report_of(size_t n, const size_t *count)
{
	struct calib_report *r = calloc(1, sizeof *r);

	if (!r || !(r->rows = calloc(n, sizeof *r->rows)))
		exit(1);
	r->n_rows = n;
	calib_stats_init(&r->stats);
	for (size_t i = 0; i < n; i++) {
		r->rows[i].first = r->stats.n;
		r->rows[i].count = count[i];
		for (size_t k = 0; k < count[i]; k++)
			if (!calib_stats_push(&r->stats, "r%zu.%zu", i, k))
				exit(1);
	}
	return r;
}

/* Whether a and b hold the same rows and records, by name. */
static bool
same(const struct calib_report *a, const struct calib_report *b)
{
	if (a->n_rows != b->n_rows || a->stats.n != b->stats.n)
		return false;
	for (size_t i = 0; i < a->n_rows; i++)
		if (a->rows[i].first != b->rows[i].first || a->rows[i].count != b->rows[i].count)
			return false;
	for (size_t k = 0; k < a->stats.n; k++)
		if (strcmp(a->stats.v[k].name, b->stats.v[k].name) != 0)
			return false;
	return true;
}

/* Whether every record of row i is named "r<i>.*" and the rows follow each other. */
static bool
in_order(const struct calib_report *r)
{
	size_t at = 0;
	char want[32];

	for (size_t i = 0; i < r->n_rows; i++) {
		if (r->rows[i].first != at)
			return false;
		snprintf(want, sizeof want, "r%zu.", i);
		for (size_t k = at; k < at + r->rows[i].count; k++)
			if (strncmp(r->stats.v[k].name, want, strlen(want)) != 0)
				return false;
		at += r->rows[i].count;
	}
	return at == r->stats.n;
}

int
main(void)
{
	static const size_t count[] = {2, 0, 3, 1, 0};
	static const size_t rows[] = {0, 0, 1, 2, 4, 4, 4};
	struct calib_stat add[7];
	struct calib_report *one = report_of(5, count), *all = report_of(5, count), *big;
	size_t n = 12500, *cnt = calloc(n, sizeof *cnt), *at = calloc(4 * n, sizeof *at);
	struct calib_stat *many = calloc(4 * n, sizeof *many);

	if (!cnt || !at || !many)
		return 1;
	for (size_t k = 0; k < 7; k++) {
		memset(&add[k], 0, sizeof add[k]);
		snprintf(add[k].name, sizeof add[k].name, "r%zu.new%zu", rows[k], k);
		add[k].estimate = 0.5 + (double)k;
		ok(calib_report_add(one, rows[k], &add[k]) == CALIB_OK, "add %zu to row %zu", k,
		   rows[k]);
	}
	ok(calib_report_add_all(all, rows, add, 7) == CALIB_OK, "add_all of 7");
	ok(same(one, all), "add_all equals adding one at a time");
	ok(in_order(all), "every row keeps its records together and in row order");
	is_string(all->stats.v[all->rows[2].first + 3].name, "r2.new3",
		  "a row's new record follows its old ones");
	is_double(all->stats.v[all->rows[2].first + 3].estimate, 3.5, 0,
		  "and is a copy of it, numbers included");
	is_long((long)all->rows[4].count, 3, "a row of none gets its three");
	ok(calib_report_add_all(all, rows, add, 0) == CALIB_OK && same(one, all),
	   "adding none changes nothing");

	for (size_t i = 0; i < n; i++)
		cnt[i] = 1 + i % 3;
	big = report_of(n, cnt);
	for (size_t k = 0; k < 4 * n; k++) {
		at[k] = k / 4;
		snprintf(many[k].name, sizeof many[k].name, "r%zu.boot%zu", k / 4, k % 4);
	}
	ok(calib_report_add_all(big, at, many, 4 * n) == CALIB_OK && in_order(big),
	   "12,500 rows given four records each stay in order");
	is_string(big->stats.v[big->rows[n - 1].first + big->rows[n - 1].count - 1].name,
		  "r12499.boot3", "the last row ends with its last new record");

	calib_report_free(one);
	calib_report_free(all);
	calib_report_free(big);
	free(cnt);
	free(at);
	free(many);
	return tap_done();
}
