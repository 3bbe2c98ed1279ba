/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `berth run IMAGE` and the supervisor: fill a container spec from an image
 * in the store. Only with CONFIG_IMAGES; otherwise the stubs say so. */
#ifndef BERTH_CLI_IMAGE_H
#define BERTH_CLI_IMAGE_H

#include "cli/commands.h"
#include "lib/err.h"
#include "runtime/spec.h"

struct cli;

#if IS_ENABLED(CONFIG_IMAGES)
/* Fill SPEC from image REF. Call it after bspec_new_default() and after
 * setting spec->id and, if the user gave a command, spec->process.args;
 * apply the user's -e/-w/-u flags afterwards (they win).
 *
 *  - rootfs: spec->rootfs_lowers = the image's layer dirs (top first),
 *    spec->rootfs_upper/rootfs_work = ROOT/containers/ID/{upper,work}
 *    (created, 0700 parent), spec->rootfs = ROOT/containers/ID/rootfs (the
 *    overlay mount point, created);
 *  - process.args: ENTRYPOINT (or ENTRYPOINT_OVERRIDE when non-NULL; "" =
 *    none) followed by spec->process.args if set, else by the image's Cmd;
 *  - process.env: the image's Env over the defaults (same key: image wins);
 *  - process.cwd: WorkingDir; uid/gid/groups: User looked up in the image;
 *    HOME from the image's passwd when the env has none; stop_signal:
 *    StopSignal;
 *  - a reference ROOT/images/refs/ID keeps the image from rm and prune
 *    until image_release_spec().
 * Errors leave SPEC partly filled; the caller frees it as usual. */
int image_fill_spec(struct cli *cli, const char *ref, const char *entrypoint_override,
		    struct bspec *spec, berr *err);

/* Look USER ("name[:group]" or "uid[:gid]") up in the image of SPEC
 * (spec->rootfs_lowers) and set process uid/gid/groups: for `-u`. */
int image_spec_user(struct bspec *spec, const char *user, berr *err);

/* The container ID is gone: drop its image reference and remove
 * ROOT/containers/ID/{upper,work,rootfs} (and the dir when empty).
 * Idempotent. */
int image_release_spec(struct cli *cli, const char *id, berr *err);
#else
static inline int image_fill_spec(struct cli *cli, const char *ref, const char *ep,
				  struct bspec *spec, berr *err)
{
	(void)cli, (void)ref, (void)ep, (void)spec;
	return berr_fail(err, ENOTSUP, "This berth was built without the image store (CONFIG_IMAGES)");
}
static inline int image_spec_user(struct bspec *spec, const char *user, berr *err)
{
	(void)spec, (void)user;
	return berr_fail(err, ENOTSUP, "This berth was built without the image store (CONFIG_IMAGES)");
}
static inline int image_release_spec(struct cli *cli, const char *id, berr *err)
{
	(void)cli, (void)id, (void)err;
	return 0;
}
#endif

#endif
