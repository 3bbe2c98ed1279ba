// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

size_t strv_length(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

int strv_push(char ***v, char *s)
{
	size_t n = strv_length(*v);
	char **nv = realloc(*v, (n + 2) * sizeof(char *));
	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	nv[n] = s;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

int strv_add(char ***v, const char *s)
{
	char *c = strdup(s);
	if (!c)
		return -ENOMEM;
	return strv_push(v, c);
}

char **strv_dup(char *const *v)
{
	size_t n = strv_length(v);
	char **r = calloc(n + 1, sizeof(char *));
	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		r[i] = strdup(v[i]);
		if (!r[i]) {
			strv_free(r);
			return NULL;
		}
	}
	return r;
}

void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

char **strv_split(const char *s, const char *sep)
{
	char **v = calloc(1, sizeof(char *));
	if (!v)
		return NULL;
	while (s && *s) {
		size_t n = strcspn(s, sep);
		const char *b = s, *e = s + n;
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (e > b && strv_push(&v, strndup(b, (size_t)(e - b))) < 0) {
			strv_free(v);
			return NULL;
		}
		s += n;
		if (*s)
			s++;
	}
	return v;
}
