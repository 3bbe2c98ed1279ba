// SPDX-License-Identifier: GPL-2.0-or-later
/* TEMPORARY stand-in until rt-sec's cgroup.c lands: no cgroup, limits refused. */
#include "runtime/cgroup.h"

int cgroup_create(const struct bspec *spec, struct cgroup **ret, berr *err)
{
	const struct bspec_cgroup *c = &spec->cgroup;
	*ret = NULL;
	if (c->memory_max != BSPEC_UNSET || c->memory_high != BSPEC_UNSET || c->pids_max != BSPEC_UNSET ||
	    c->cpu_quota_us != BSPEC_UNSET)
		return berr_fail(err, ENOTSUP, "No cgroup v2 on this host (temporary stub)");
	return 0;
}
int cgroup_open(const char *path, struct cgroup **ret, berr *err)
{
	(void)path, (void)ret;
	return berr_fail(err, ENOTSUP, "No cgroup support yet");
}
int cgroup_fd(const struct cgroup *cg) { (void)cg; return -1; }
const char *cgroup_path(const struct cgroup *cg) { (void)cg; return NULL; }
int cgroup_enter(const struct cgroup *cg, pid_t pid, berr *err) { (void)cg, (void)pid, (void)err; return 0; }
bool cgroup_oom_killed(const struct cgroup *cg) { (void)cg; return false; }
int cgroup_kill_all(const struct cgroup *cg, berr *err) { (void)cg, (void)err; return 0; }
int cgroup_destroy(struct cgroup *cg, berr *err) { (void)cg, (void)err; return 0; }
void cgroup_free(struct cgroup *cg) { (void)cg; }
bool cgroup_has_controller(const char *controller) { (void)controller; return false; }
