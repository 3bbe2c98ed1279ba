// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "units.h"

/* Parse a non-negative decimal "12" or "1.25" prefix. Returns chars used. */
static int parse_decimal(const char *s, uint64_t *ip, uint64_t *frac, uint64_t *frac_div)
{
	const char *p = s;
	uint64_t i = 0, f = 0, d = 1;

	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (i > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		i = i * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			if (d >= 1000000000000ULL)
				continue; /* ignore digits beyond 1e-12 */
			f = f * 10 + (uint64_t)(*p - '0');
			d *= 10;
		}
	}
	*ip = i;
	*frac = f;
	*frac_div = d;
	return (int)(p - s);
}

/* value * mult, with an optional fraction, overflow checked */
static int scale(uint64_t i, uint64_t f, uint64_t d, uint64_t mult, uint64_t *ret)
{
	if (mult && i > UINT64_MAX / mult)
		return -ERANGE;
	uint64_t v = i * mult;
	long double fv = (long double)f * (long double)mult / (long double)d;
	if ((long double)v + fv > (long double)UINT64_MAX)
		return -ERANGE;
	*ret = v + (uint64_t)llroundl(fv);
	return 0;
}

int parse_size(const char *s, uint64_t *ret_bytes)
{
	static const struct {
		const char *suffix;
		uint64_t mult;
	} table[] = {
		{ "", 1ULL },		{ "b", 1ULL },		{ "k", 1ULL << 10 },	{ "kb", 1ULL << 10 },
		{ "ki", 1ULL << 10 },	{ "kib", 1ULL << 10 },	{ "m", 1ULL << 20 },	{ "mb", 1ULL << 20 },
		{ "mi", 1ULL << 20 },	{ "mib", 1ULL << 20 },	{ "g", 1ULL << 30 },	{ "gb", 1ULL << 30 },
		{ "gi", 1ULL << 30 },	{ "gib", 1ULL << 30 },	{ "t", 1ULL << 40 },	{ "tb", 1ULL << 40 },
		{ "ti", 1ULL << 40 },	{ "tib", 1ULL << 40 },
	};
	uint64_t i, f, d;

	if (!s)
		return -EINVAL;
	int n = parse_decimal(s, &i, &f, &d);
	if (n < 0)
		return n;
	for (size_t k = 0; k < sizeof(table) / sizeof(table[0]); k++) {
		if (strcasecmp(s + n, table[k].suffix) == 0) {
			if (table[k].mult == 1 && f)
				return -EINVAL; /* fractional bytes */
			return scale(i, f, d, table[k].mult, ret_bytes);
		}
	}
	return -EINVAL;
}

int parse_duration_ms(const char *s, uint64_t *ret_ms)
{
	static const struct {
		const char *suffix;
		uint64_t us;
	} table[] = {
		{ "us", 1ULL },		 { "ms", 1000ULL },	    { "s", 1000000ULL },
		{ "m", 60000000ULL },	 { "min", 60000000ULL },    { "h", 3600000000ULL },
	};
	uint64_t total_us = 0;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	while (*p) {
		uint64_t i, f, d, v;
		int n = parse_decimal(p, &i, &f, &d);
		if (n < 0)
			return n;
		p += n;
		size_t sl = 0;
		while (isalpha((unsigned char)p[sl]))
			sl++;
		uint64_t mult = 0;
		if (sl == 0) {
			if (p != s + n || *p)
				return -EINVAL; /* bare number only on its own */
			mult = 1000000ULL;
		}
		for (size_t k = 0; sl && k < sizeof(table) / sizeof(table[0]); k++)
			if (strlen(table[k].suffix) == sl && strncmp(p, table[k].suffix, sl) == 0)
				mult = table[k].us;
		if (!mult)
			return -EINVAL;
		p += sl;
		if (scale(i, f, d, mult, &v) < 0 || total_us > UINT64_MAX - v)
			return -ERANGE;
		total_us += v;
	}
	*ret_ms = (total_us + 999) / 1000;
	return 0;
}

int parse_cpus(const char *s, uint64_t *ret_millicpus)
{
	uint64_t i, f, d, v;

	if (!s)
		return -EINVAL;
	int n = parse_decimal(s, &i, &f, &d);
	if (n < 0)
		return n;
	if (strcmp(s + n, "m") == 0) {
		if (f)
			return -EINVAL;
		v = i;
	} else if (s[n] == '\0') {
		if (scale(i, f, d, 1000, &v) < 0)
			return -ERANGE;
	} else {
		return -EINVAL;
	}
	if (v == 0)
		return -ERANGE;
	if (v > 1000000)
		return -ERANGE;
	*ret_millicpus = v;
	return 0;
}

int parse_int64(const char *s, int64_t min, int64_t max, int64_t *ret)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

int parse_bool(const char *s, int *ret)
{
	static const char *const yes[] = { "1", "yes", "true", "on", "y" };
	static const char *const no[] = { "0", "no", "false", "off", "n" };

	for (size_t i = 0; s && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*ret = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*ret = 0;
			return 0;
		}
	}
	return -EINVAL;
}

const char *format_size(uint64_t bytes, char buf[static 16])
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0 || v >= 100 || v == floor(v))
		snprintf(buf, 16, "%.0f%s", v, units[u]);
	else
		snprintf(buf, 16, "%.1f%s", v, units[u]);
	return buf;
}
