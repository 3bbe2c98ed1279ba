/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An image reference of a pod spec -> lower dirs + image config defaults. */
#ifndef BERTH_SUPERVISOR_IMAGE_H
#define BERTH_SUPERVISOR_IMAGE_H

#include "lib/err.h"
#include "supervisor/podspec.h"

/* REF is an absolute rootfs directory, or (with the image store) a name,
 * digest or ID prefix. Fills IMG (image_defaults_clear). */
int sv_image_resolve(const char *root, const char *ref, struct image_defaults *img, berr *err);
void image_defaults_clear(struct image_defaults *img);

/* Image references of pod NAME in the store (holder "pod.NAME.CONTAINER"),
 * so `berth image rm`/`prune` keep what a pod uses: added for NEW's
 * containers, dropped for OLD's containers that NEW no longer has (NEW NULL:
 * the pod is gone). Written only when a spec changes, never per restart.
 * Best effort: a message in ERR, nothing fails. */
int sv_image_refs(const char *root, const char *name, const struct pod_spec *old,
		  const struct pod_spec *new, berr *err);

#endif
