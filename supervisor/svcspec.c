// SPDX-License-Identifier: GPL-2.0-or-later
/* NAME.svc files: docs/pod-spec.md ("Services") is the reference. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/strv.h"
#include "lib/units.h"
#include "supervisor/ini.h"
#include "supervisor/podspec.h"
#include "supervisor/svcspec.h"

void svc_free(struct svc *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->ns);
	free(s->file);
	strv_free(s->selector);
	free(s->ports);
	free(s->eps);
	free(s);
}

/* ---- NAME.svc files ------------------------------------------------------- */

#define SBAD(file, key, fmt, ...)                                                                  \
	berr_fail(err, EINVAL, "%s: [service] %s: " fmt, file, key, ##__VA_ARGS__)

/* "PORT[:TARGET][/tcp|/udp]" */
static int port_parse(const char *file, const char *item, struct net_svc_port *p, berr *err)
{
	char buf[32], *slash, *colon;
	int64_t a, b;

	snprintf(buf, sizeof(buf), "%s", item);
	*p = (struct net_svc_port){ .proto = IPPROTO_TCP };
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		if (strcmp(slash, "udp") == 0)
			p->proto = IPPROTO_UDP;
		else if (strcmp(slash, "tcp") != 0)
			return SBAD(file, "ports", "\"%s\": protocol is not tcp or udp", item);
	}
	colon = strchr(buf, ':');
	if (colon)
		*colon++ = '\0';
	if (parse_int64(buf, 1, 65535, &a) < 0 || (colon && parse_int64(colon, 1, 65535, &b) < 0))
		return SBAD(file, "ports", "\"%s\" is not PORT[:TARGET][/tcp|/udp] (ports 1-65535)", item);
	p->port = (uint16_t)a;
	p->target = colon ? (uint16_t)b : 0;
	return 0;
}

static int svc_keys(const struct ini *ini, const char *file, struct svc *s, berr *err)
{
	_cleanup_strv_ char **keys = NULL;
	bool affinity = false;
	uint64_t timeout_ms = POD_DEFAULT_AFFINITY_MS;

	if (ini_keys(ini, "service", &keys) < 0)
		return berr_fail(err, ENOMEM, "Out of memory");
	for (size_t i = 0; keys && keys[i]; i++) {
		const char *k = keys[i], *v = ini_get(ini, "service", k);
		if (!v)
			v = "";
		if (strcmp(k, "name") == 0) {
			if (!podspec_name_valid(v, POD_NAME_MAX))
				return SBAD(file, k, "\"%s\" is not a valid name ([a-z0-9][a-z0-9_.-]*, at most %d)",
					    v, POD_NAME_MAX);
			free(s->name);
			s->name = strdup(v);
		} else if (strcmp(k, "selector") == 0) {
			_cleanup_free_ char *bad = NULL;
			if (podspec_labels_parse(v, &s->selector, &bad) < 0)
				return SBAD(file, k, "\"%s\" is not KEY=VALUE", bad ? bad : v);
			if (!s->selector)
				return SBAD(file, k, "is empty (a service selects pods by at least one label)");
		} else if (strcmp(k, "ports") == 0) {
			_cleanup_strv_ char **w = NULL;
			if (split_words(v, &w) < 0 || !w)
				return SBAD(file, k, "is empty");
			size_t n = strv_length(w);
			s->ports = calloc(n, sizeof(*s->ports));
			if (!s->ports)
				return berr_fail(err, ENOMEM, "Out of memory");
			for (size_t j = 0; j < n; j++) {
				int r = port_parse(file, w[j], &s->ports[j], err);
				if (r < 0)
					return r;
				for (size_t m = 0; m < j; m++)
					if (s->ports[m].port == s->ports[j].port &&
					    s->ports[m].proto == s->ports[j].proto)
						return SBAD(file, k, "\"%s\" is listed twice", w[j]);
			}
			s->nports = n;
		} else if (strcmp(k, "namespace") == 0) {
			if (!podspec_namespace_valid(v))
				return SBAD(file, k, "\"%s\" is not a DNS label ([a-z0-9]([a-z0-9-]*[a-z0-9])?, at most 63)", v);
			free(s->ns);
			s->ns = strcmp(v, "default") ? strdup(v) : NULL;
		} else if (strcmp(k, "session-affinity") == 0) {
			if (strcmp(v, "client-ip") && strcmp(v, "none"))
				return SBAD(file, k, "\"%s\" is not one of none, client-ip", v);
			affinity = v[0] == 'c';
		} else if (strcmp(k, "session-affinity-timeout") == 0) {
			if (parse_duration_ms(v, &timeout_ms) < 0 || timeout_ms < 1000 ||
			    timeout_ms > 86400000ULL)
				return SBAD(file, k, "\"%s\" is not a duration from 1s to 24h", v);
		} else {
			return SBAD(file, k, "unknown key");
		}
	}
	if (!s->selector)
		return berr_fail(err, EINVAL, "%s: [service] selector: missing", file);
	s->affinity_s = affinity ? (uint32_t)(timeout_ms / 1000) : 0;
	return 0;
}

/* "dir/NAME.svc" -> NAME */
static int svc_name_from_file(const char *file, struct svc *s, berr *err)
{
	const char *b = strrchr(file, '/');
	b = b ? b + 1 : file;
	size_t n = strlen(b) - 4;
	char name[POD_NAME_MAX + 1];
	if (n > POD_NAME_MAX)
		return berr_fail(err, EINVAL, "%s: [service] name: missing, and the file name is too long", file);
	snprintf(name, sizeof(name), "%.*s", (int)n, b);
	if (!podspec_name_valid(name, POD_NAME_MAX))
		return berr_fail(err, EINVAL, "%s: [service] name: missing, and \"%s\" is not a valid name",
				 file, name);
	s->name = strdup(name);
	return 0;
}

int svc_spec_load(const char *file, struct svc **ret, berr *err)
{
	struct ini *ini = NULL;
	int r = ini_load(file, &ini, err);
	if (r < 0)
		return r;
	struct svc *s = calloc(1, sizeof(*s));
	if (!s) {
		ini_free(ini);
		return berr_fail(err, ENOMEM, "Out of memory");
	}
	for (size_t i = 0; r == 0 && i < ini_nsections(ini); i++)
		if (strcmp(ini_section(ini, i), "service") != 0)
			r = berr_fail(err, EINVAL, "%s: [%s]: unknown section (a service file has [service])",
				      file, ini_section(ini, i));
	if (r == 0 && ini_nsections(ini) == 0)
		r = berr_fail(err, EINVAL, "%s: no [service] section", file);
	if (r == 0)
		r = svc_keys(ini, file, s, err);
	if (r == 0 && !s->name)
		r = svc_name_from_file(file, s, err);
	if (r == 0 && s->name && s->ns) {
		char *q = NULL;
		if (asprintf(&q, "%s.%s", s->name, s->ns) < 0)
			r = berr_fail(err, ENOMEM, "Out of memory");
		else if (strlen(q) > POD_NAME_MAX)
			r = berr_fail(err, EINVAL, "%s: [service] namespace: \"%s\" is longer than %d characters",
				      file, q, POD_NAME_MAX);
		if (r == 0) {
			free(s->name);
			s->name = q;
		} else {
			free(q);
		}
	}
	if (r == 0 && (!s->name || !(s->file = strdup(file))))
		r = berr_fail(err, ENOMEM, "Out of memory");
	ini_free(ini);
	if (r < 0) {
		svc_free(s);
		return r;
	}
	*ret = s;
	return 0;
}
