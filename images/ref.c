// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/digest.h"
#include "images/ref.h"
#include "lib/cleanup.h"

static bool repo_valid(const char *s)
{
	if (!*s || strlen(s) > 255 || *s == '/' || s[strlen(s) - 1] == '/')
		return false;
	for (const char *p = s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			continue;
		if (strchr("._-/", *p) && p != s && !strchr("._-/", p[-1]))
			continue;
		if (*p == '_' && p != s && p[-1] == '_') /* "__" is allowed */
			continue;
		return false;
	}
	return true;
}

static bool tag_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 128 || *s == '.' || *s == '-')
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '.' || *p == '-'))
			return false;
	return true;
}

static bool host_valid(const char *s)
{
	const char *c = strchr(s, ':');
	if (*s != '[' && c && strchr(c + 1, ':'))
		return false; /* one port at most (IPv6 literals come in brackets) */
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']'))
			return false;
	return *s != '\0';
}

void ref_free(struct image_ref *r)
{
	free(r->registry);
	free(r->repo);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

int ref_parse(const char *s, struct image_ref *ret, berr *err)
{
	_cleanup_free_ char *buf = strdup(s ? s : "");
	struct image_ref r = { 0 };
	char *name, *at, *slash, *colon;

	if (!buf)
		return berr_errno(err, ENOMEM, "Reference");
	name = buf;
	at = strchr(name, '@');
	if (at) {
		*at = '\0';
		if (!digest_valid(at + 1))
			return berr_fail(err, EINVAL, "Invalid reference \"%s\": bad digest", s);
		r.digest = strdup(at + 1);
	}
	slash = strchr(name, '/');
	if (slash && (memchr(name, '.', (size_t)(slash - name)) || memchr(name, ':', (size_t)(slash - name)) ||
		      strncmp(name, "localhost/", 10) == 0)) {
		*slash = '\0';
		r.registry = strdup(name);
		name = slash + 1;
	} else {
		r.registry = strdup(REF_DEFAULT_REGISTRY);
	}
	colon = strrchr(name, ':');
	if (colon) {
		*colon = '\0';
		r.tag = strdup(colon + 1);
	} else if (!r.digest) {
		r.tag = strdup("latest");
	}
	if (strcmp(r.registry ? r.registry : "", "index.docker.io") == 0) {
		free(r.registry);
		r.registry = strdup(REF_DEFAULT_REGISTRY);
	}
	if (r.registry && strcmp(r.registry, REF_DEFAULT_REGISTRY) == 0 && !strchr(name, '/')) {
		if (asprintf(&r.repo, "library/%s", name) < 0)
			r.repo = NULL;
	} else {
		r.repo = strdup(name);
	}
	if (!r.registry || !r.repo || (!r.tag && !r.digest)) {
		ref_free(&r);
		return berr_errno(err, ENOMEM, "Reference");
	}
	if (!host_valid(r.registry) || !repo_valid(r.repo) || (r.tag && !tag_valid(r.tag))) {
		ref_free(&r);
		return berr_fail(err, EINVAL, "Invalid reference \"%s\"", s);
	}
	*ret = r;
	return 0;
}

char *ref_name(const struct image_ref *r)
{
	const char *repo = r->repo;
	char *out;
	bool hub = strcmp(r->registry, REF_DEFAULT_REGISTRY) == 0;

	/* the familiar form, as Docker's: "library/" goes only for one-part
	 * names; a first part that would read as a host keeps "docker.io/" */
	if (hub && strncmp(repo, "library/", 8) == 0 && !strchr(repo + 8, '/'))
		repo = repo + 8;
	size_t first = strcspn(repo, "/");
	if (hub && repo[first] == '/' &&
	    (memchr(repo, '.', first) || memchr(repo, ':', first) || !strncmp(repo, "localhost/", 10)))
		hub = false;
	if (asprintf(&out, "%s%s%s%s%s", hub ? "" : r->registry, hub ? "" : "/", repo,
		     r->tag ? ":" : "@", r->tag ? r->tag : r->digest) < 0)
		return NULL;
	return out;
}

char *ref_normalize(const char *s, berr *err)
{
	struct image_ref r;

	if (ref_parse(s, &r, err) < 0)
		return NULL;
	char *n = ref_name(&r);
	ref_free(&r);
	if (!n)
		berr_errno(err, ENOMEM, "Reference");
	return n;
}
