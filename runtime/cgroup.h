/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup v2: one cgroup per container. Only a pure cgroup v2 mount at
 * /sys/fs/cgroup counts; on a hybrid or v1 host a container with no limit
 * requested runs without a cgroup, and a requested limit is an error that
 * names the missing controller. */
#ifndef BERTH_RUNTIME_CGROUP_H
#define BERTH_RUNTIME_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "lib/err.h"
#include "runtime/spec.h"

struct cgroup; /* one container's cgroup (owns an O_DIRECTORY fd) */

/* Create SPEC's cgroup (spec->cgroup.path, or CONFIG_DEFAULT_CGROUP_PARENT/ID
 * under the cgroup2 mount), enabling the needed controllers on the way
 * down, writing every requested limit and installing the eBPF device
 * program (spec->cgroup.devrules plus spec->devices, with the default
 * allow list). On any error nothing is left behind. *ret is NULL when the
 * host has no usable cgroup v2 and SPEC requests no limit. Caller owns *ret. */
int cgroup_create(const struct bspec *spec, struct cgroup **ret, berr *err);
/* true when SPEC asks for any limit or device rule (so a missing cgroup v2
 * is an error rather than a silent degrade) */
bool cgroup_spec_has_limits(const struct bspec_cgroup *cg);
/* Reopen an existing cgroup by its path relative to the cgroup2 mount (for
 * exec, kill and delete from another process). */
int cgroup_open(const char *path, struct cgroup **ret, berr *err);
/* O_DIRECTORY fd for clone3(CLONE_INTO_CGROUP); owned by CG. */
int cgroup_fd(const struct cgroup *cg);
/* Path relative to the cgroup2 mount, e.g. "berth/web-0"; owned by CG. */
const char *cgroup_path(const struct cgroup *cg);
/* Move PID in (fallback when clone3 lacks CLONE_INTO_CGROUP, and exec). */
int cgroup_enter(const struct cgroup *cg, pid_t pid, berr *err);
/* memory.events oom_kill > 0 */
bool cgroup_oom_killed(const struct cgroup *cg);
/* SIGKILL every process in it (cgroup.kill, or freeze + a cgroup.procs loop). */
int cgroup_kill_all(const struct cgroup *cg, berr *err);
/* Kill what is left, wait until empty (inotify on cgroup.events, no
 * polling; gives up after 10 s), rmdir. Frees CG (also on error). NULL is
 * fine. */
int cgroup_destroy(struct cgroup *cg, berr *err);
void cgroup_free(struct cgroup *cg);
/* true when /sys/fs/cgroup is cgroup2 and CONTROLLER is available there */
bool cgroup_has_controller(const char *controller);

#endif
