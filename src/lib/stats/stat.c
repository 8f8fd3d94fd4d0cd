/*
 * stat.c - the list of result records (stat.h) and the shared option
 * defaults of the coefficient families (coef.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib/coef.h"
#include "calib/registry.h"
#include "calib/stat.h"

void
calib_coef_opts_init(struct calib_coef_opts *o)
{
	o->conf = 0.95;
	o->icc = CALIB_ICC_PSYCH;
	o->custom_w = NULL;
	o->custom_q = 0;
	o->want = NULL;
}

bool
calib_coef_wants(const struct calib_coef_opts *o, const char *name)
{
	size_t len = strlen(name);

	if (!o->want)
		return true;
	for (const char *p = o->want; *p;) {
		size_t n = strcspn(p, ",");
		if (n == len && strncmp(p, name, n) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

void
calib_stats_init(struct calib_stats *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void
calib_stats_clear(struct calib_stats *l)
{
	l->n = 0;
}

void
calib_stats_free(struct calib_stats *l)
{
	if (!l)
		return;
	free(l->v);
	calib_stats_init(l);
}

struct calib_stat *
calib_stats_push(struct calib_stats *l, const char *fmt, ...)
{
	struct calib_stat *s;
	va_list ap;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct calib_stat *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	s = &l->v[l->n++];
	va_start(ap, fmt);
	vsnprintf(s->name, sizeof s->name, fmt, ap);
	va_end(ap);
	s->estimate = s->se = s->lower = s->upper = NAN;
	s->test = s->df1 = s->df2 = s->p = NAN;
	s->n_items = s->n_raters = 0;
	s->note[0] = '\0';
	s->kind = CALIB_KIND_COEFFICIENT;
	s->info = calib_registry_find(s->name, &s->kind);
	return s;
}

const struct calib_stat *
calib_stats_find(const struct calib_stats *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

void
calib_stat_note(struct calib_stat *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->note, sizeof s->note, fmt, ap);
	va_end(ap);
}

void
calib_stat_note_add(struct calib_stat *s, const char *fmt, ...)
{
	size_t len = strlen(s->note);
	va_list ap;

	if (len && len + 2 < sizeof s->note) {
		memcpy(s->note + len, "; ", 3);
		len += 2;
	}
	if (len >= sizeof s->note - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(s->note + len, sizeof s->note - len, fmt, ap);
	va_end(ap);
}
