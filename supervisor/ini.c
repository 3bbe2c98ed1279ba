// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <iniparser.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"
#include "supervisor/ini.h"

struct ini {
	dictionary *d;
	char **sections;
};

/* iniparser reports syntax errors through a global printf-like callback;
 * the daemon is single-threaded, so a static buffer is enough. */
static char ini_errbuf[256];

static int ini_error_cb(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(ini_errbuf, sizeof(ini_errbuf), fmt, ap);
	va_end(ap);
	return n;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Join continuation lines (ending in a backslash) into one logical line.
 * Returns the next line start; *ret_first is the 1-based first line. */
static char *next_logical_line(char **cursor, unsigned *lineno, unsigned *ret_first)
{
	char *p = *cursor;
	if (!*p)
		return NULL;
	*ret_first = ++*lineno;
	char *line = p, *w = p;
	for (;;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t end = len;
		while (end && isspace((unsigned char)p[end - 1]))
			end--;
		bool cont = end && p[end - 1] == '\\' && nl;
		size_t keep = cont ? end - 1 : len;
		memmove(w, p, keep);
		w += keep;
		if (!nl) {
			p += len;
			break;
		}
		p = nl + 1;
		if (!cont)
			break;
		++*lineno;
	}
	*w = '\0';
	*cursor = p;
	return line;
}

struct seen {
	char **sections;     /* "name" */
	char **keys;	     /* "section\nkey" */
};

static int prescan_line(const char *file, char *line, unsigned n, char **cur_section,
			struct seen *seen, berr *err)
{
	char *s = trim(line);
	if (!*s || *s == ';' || *s == '#')
		return 0;
	if (*s == '[') {
		char *close = strchr(s, ']');
		if (!close)
			return berr_fail(err, EINVAL, "%s: line %u: \"%s\": missing ]", file, n, s);
		*close = '\0';
		char *name = trim(s + 1);
		lower(name);
		if (!*name)
			return berr_fail(err, EINVAL, "%s: line %u: empty section name", file, n);
		for (size_t i = 0; seen->sections && seen->sections[i]; i++)
			if (strcmp(seen->sections[i], name) == 0)
				return berr_fail(err, EINVAL, "%s: line %u: [%s] appears twice", file, n,
						 name);
		if (strv_add(&seen->sections, name) < 0)
			return berr_fail(err, ENOMEM, "Out of memory");
		*cur_section = seen->sections[strv_length(seen->sections) - 1];
		return 0;
	}
	char *eq = strchr(s, '=');
	if (!eq)
		return berr_fail(err, EINVAL, "%s: line %u: \"%s\" is neither [section] nor key = value",
				 file, n, s);
	*eq = '\0';
	char *key = trim(s);
	lower(key);
	if (!*key)
		return berr_fail(err, EINVAL, "%s: line %u: missing key before =", file, n);
	if (!*cur_section)
		return berr_fail(err, EINVAL, "%s: line %u: %s: key outside of any [section]", file, n,
				 key);
	if (strchr(key, ':'))
		return berr_fail(err, EINVAL, "%s: line %u: %s: ':' is not allowed in a key", file, n,
				 key);
	_cleanup_free_ char *full = NULL;
	if (asprintf(&full, "%s\n%s", *cur_section, key) < 0)
		return berr_fail(err, ENOMEM, "Out of memory");
	for (size_t i = 0; seen->keys && seen->keys[i]; i++)
		if (strcmp(seen->keys[i], full) == 0)
			return berr_fail(err, EINVAL,
					 "%s: line %u: [%s] %s: key appears twice (write a list on one line, "
					 "see docs/pod-spec.md)",
					 file, n, *cur_section, key);
	if (strv_push(&seen->keys, TAKE_PTR(full)) < 0)
		return berr_fail(err, ENOMEM, "Out of memory");
	return 0;
}

static int prescan(const char *file, char *buf, berr *err)
{
	struct seen seen = { 0 };
	char *cur_section = NULL, *cursor = buf, *line;
	unsigned lineno = 0, first;
	int r = 0;

	while (r == 0 && (line = next_logical_line(&cursor, &lineno, &first)))
		r = prescan_line(file, line, first, &cur_section, &seen, err);
	strv_free(seen.sections);
	strv_free(seen.keys);
	return r;
}

static int load_sections(struct ini *ini, berr *err)
{
	int n = iniparser_getnsec(ini->d);
	for (int i = 0; i < n; i++) {
		const char *s = iniparser_getsecname(ini->d, i);
		if (!s)
			continue;
		if (strv_add(&ini->sections, s) < 0)
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	return 0;
}

int ini_load(const char *path, struct ini **ret, berr *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r = read_file_at(AT_FDCWD, path, INI_MAX_FILE_SIZE, &buf, &len, err);
	if (r < 0)
		return r;
	if (strlen(buf) != len)
		return berr_fail(err, EINVAL, "%s: contains a NUL byte", path);
	r = prescan(path, buf, err);
	if (r < 0)
		return r;

	struct ini *ini = calloc(1, sizeof(*ini));
	if (!ini)
		return berr_fail(err, ENOMEM, "Out of memory");
	ini_errbuf[0] = '\0';
	iniparser_set_error_callback(ini_error_cb);
	ini->d = iniparser_load(path);
	if (!ini->d) {
		char *nl = strchr(ini_errbuf, '\n');
		if (nl)
			*nl = '\0';
		free(ini);
		return berr_fail(err, EINVAL, "%s: cannot be parsed%s%s", path, ini_errbuf[0] ? ": " : "",
				 ini_errbuf);
	}
	r = load_sections(ini, err);
	if (r < 0) {
		ini_free(ini);
		return r;
	}
	*ret = ini;
	return 0;
}

void ini_free(struct ini *ini)
{
	if (!ini)
		return;
	if (ini->d)
		iniparser_freedict(ini->d);
	strv_free(ini->sections);
	free(ini);
}

size_t ini_nsections(const struct ini *ini)
{
	return strv_length(ini->sections);
}

const char *ini_section(const struct ini *ini, size_t i)
{
	return i < ini_nsections(ini) ? ini->sections[i] : NULL;
}

int ini_keys(const struct ini *ini, const char *section, char ***ret)
{
	char **out = NULL;
	if (!iniparser_find_entry(ini->d, section)) {
		*ret = NULL;
		return 0;
	}
	int n = iniparser_getsecnkeys(ini->d, section);
	if (n <= 0) {
		*ret = NULL;
		return 0;
	}
	_cleanup_free_ const char **keys = calloc((size_t)n, sizeof(*keys));
	if (!keys || !iniparser_getseckeys(ini->d, section, keys))
		return -ENOMEM;
	size_t plen = strlen(section) + 1;
	for (int i = 0; i < n; i++) {
		if (!keys[i] || strlen(keys[i]) < plen)
			continue;
		if (strv_add(&out, keys[i] + plen) < 0) {
			strv_free(out);
			return -ENOMEM;
		}
	}
	*ret = out;
	return 0;
}

const char *ini_get(const struct ini *ini, const char *section, const char *key)
{
	char full[512];
	if ((size_t)snprintf(full, sizeof(full), "%s:%s", section, key) >= sizeof(full))
		return NULL;
	if (!iniparser_find_entry(ini->d, full))
		return NULL;
	return iniparser_getstring(ini->d, full, NULL);
}
