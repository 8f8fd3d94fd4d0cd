/*
 * bare_parse.c - the baseline of the benchmark: parse a CSV file with
 * libcsv and do nothing with the fields but count them. No program reading
 * the same file can be faster than this by much, so every figure of
 * `make bench` is also given as a ratio to it.
 *
 *   bare_parse FILE
 */
#include <stdio.h>
#include <stdlib.h>

#include <csv.h>

static size_t fields, rows;

static void
on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	(void)data;
	fields++;
}

static void
on_row(int c, void *data)
{
	(void)c;
	(void)data;
	rows++;
}

int
main(int argc, char **argv)
{
	static char buf[1 << 20];
	struct csv_parser p;
	FILE *fp;
	size_t n;

	if (argc != 2 || !(fp = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: bare_parse FILE\n");
		return 2;
	}
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
		return 1;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n) {
			fprintf(stderr, "bare_parse: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_row, NULL);
	csv_free(&p);
	fclose(fp);
	printf("%zu rows, %zu fields\n", rows, fields);
	return 0;
}
