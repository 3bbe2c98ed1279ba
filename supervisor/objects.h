/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The supervisor joins the store (configs, secrets, volumes) to pods:
 * references in a pod spec are checked against the store, mounted
 * objects are projected into a per-container directory with kubelet's
 * layout (..vN/ + ..data -> ..vN + KEY -> ..data/KEY), secrets on a tmpfs,
 * and a changed object is swapped in place (reload =) or rolls the pod
 * (its version is part of the container's spec hash). */
#ifndef BERTH_SUPERVISOR_OBJECTS_H
#define BERTH_SUPERVISOR_OBJECTS_H

#include <stdbool.h>

#include "lib/err.h"
#include "runtime/spec.h"
#include "store/objects.h"
#include "supervisor/podspec.h"

/* The pod's namespace ([pod] namespace =, NULL for "default"). */
static inline const char *pod_spec_ns(const struct pod_spec *p)
{
	return p->namespace ? p->namespace : OBJ_DEFAULT_NS;
}

/* Check that every config and secret POD refers to exists, and record the
 * version in use. Errors name the file, section and key. */
int podspec_store_resolve(struct pod_spec *pod, const char *root, berr *err);
/* Does POD refer to KIND ("config", "secret", "volume") NAME? */
bool pod_spec_uses(const struct pod_spec *pod, const char *kind, const char *name);

struct sv;
struct ctr;
/* RUN_DIR/secrets is a tmpfs of the daemon's (mounted once). */
int sv_objects_init(struct sv *sv, berr *err);
/* Add C's env-from variables and config/secret mounts to S (after the
 * user is known: secret files belong to the container's user). */
int sv_objects_project(struct sv *sv, struct ctr *c, struct bspec *s, berr *err);
/* C is gone: drop its projections. */
void sv_objects_release(struct sv *sv, const char *ctr_id);
/* After a store change: swap the objects of every running container with
 * reload = and signal it. */
void sv_objects_refresh(struct sv *sv);

#endif
