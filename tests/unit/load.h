/*
 * load.h - a finished store for a unit test, read with the default
 * reading options from files (load) or from text (load_text). A rubric
 * is read first when given (not NULL). The test ends with status 1 when
 * they do not load. Header-only, as tap.h; the store is the caller's.
 */
#ifndef CALIB_TEST_LOAD_H
#define CALIB_TEST_LOAD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/reader.h"
#include "calib/store.h"

/* The store of sheet (and rubric) open as streams, named so in messages. */
static inline struct calib_store *
load_streams(FILE *sheet, const char *sheet_name, FILE *rubric, const char *rubric_name)
{
	struct calib_store *s = calib_store_alloc();
	struct calib_read_opts ro;
	struct calib_error err;

	calib_error_clear(&err);
	calib_read_opts_init(&ro);
	if (!s || !sheet || (rubric_name && !rubric) ||
	    (rubric && calib_read_rubric(s, rubric, rubric_name, &ro, &err)) ||
	    calib_read(s, sheet, sheet_name, &ro, &err) || calib_store_finish(s)) {
		fprintf(stderr, "# cannot load %s: %s\n", sheet_name, err.msg);
		exit(1);
	}
	if (rubric)
		fclose(rubric);
	fclose(sheet);
	return s;
}

/* The store of the files at sheet and rubric (NULL: none). */
static inline struct calib_store *
load(const char *sheet, const char *rubric)
{
	return load_streams(fopen(sheet, "r"), sheet, rubric ? fopen(rubric, "r") : NULL,
	                    rubric);
}

/* The store of the texts sheet and rubric (NULL: none). */
static inline struct calib_store *
load_text(const char *sheet, const char *rubric)
{
	return load_streams(fmemopen((void *)sheet, strlen(sheet), "r"), "sheet",
	                    rubric ? fmemopen((void *)rubric, strlen(rubric), "r") : NULL,
	                    rubric ? "rubric" : NULL);
}

#endif
