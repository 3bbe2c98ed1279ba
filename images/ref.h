/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Image references: "busybox", "busybox:1.36", "docker.io/library/busybox",
 * "127.0.0.1:5000/team/app:v2", "app@sha256:...". */
#ifndef BERTH_IMAGES_REF_H
#define BERTH_IMAGES_REF_H

#include "lib/err.h"

#define REF_DEFAULT_REGISTRY "docker.io"

struct image_ref {
	char *registry;	/* "docker.io", "127.0.0.1:5000" */
	char *repo;	/* "library/busybox", "team/app" */
	char *tag;	/* "latest" when neither tag nor digest is given */
	char *digest;	/* NULL or "sha256:..." */
};

int ref_parse(const char *s, struct image_ref *ret, berr *err);
void ref_free(struct image_ref *r);
/* The short name records use: "busybox:latest", "team/app:v2" (docker.io),
 * "127.0.0.1:5000/team/app:v2", "app@sha256:..." when only a digest. malloc'd. */
char *ref_name(const struct image_ref *r);
/* ref_parse + ref_name; NULL (and ERR) when S is not a valid reference. */
char *ref_normalize(const char *s, berr *err);

#endif
