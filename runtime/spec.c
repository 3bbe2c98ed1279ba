// SPDX-License-Identifier: GPL-2.0-or-later
#include <linux/capability.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strv.h"
#include "spec.h"

/* Docker's default capability set (ANCHORS.md). */
static const int default_caps[] = {
	CAP_CHOWN,  CAP_DAC_OVERRIDE, CAP_FSETID,	    CAP_FOWNER,	    CAP_MKNOD,
	CAP_NET_RAW, CAP_SETGID,	 CAP_SETUID,	    CAP_SETFCAP,    CAP_SETPCAP,
	CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
};

uint64_t bspec_default_caps(void)
{
	uint64_t m = 0;
	for (size_t i = 0; i < sizeof(default_caps) / sizeof(default_caps[0]); i++)
		m |= 1ULL << default_caps[i];
	return m;
}

struct bspec *bspec_new_default(void)
{
	struct bspec *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	for (int i = 0; i < BNS_COUNT; i++)
		s->ns[i].join_fd = -1;
	s->ns[BNS_MOUNT].create = true;
	s->ns[BNS_PID].create = true;
	s->ns[BNS_UTS].create = true;
	s->ns[BNS_IPC].create = true;
	s->ns[BNS_NET].create = true;
	s->ns[BNS_CGROUP].create = true;
	s->rootfs_propagation = 0;
	uint64_t caps = bspec_default_caps();
	s->process.caps = (struct bspec_caps){ caps, caps, caps, 0, 0 };
	s->process.no_new_privs = true;
	s->process.seccomp_mode = BSECCOMP_DEFAULT;
	s->stop_signal = SIGTERM;
	s->process.cwd = strdup("/");
	if (!s->process.cwd ||
	    strv_add(&s->process.env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") < 0) {
		bspec_free(s);
		return NULL;
	}
	struct bspec_cgroup *cg = &s->cgroup;
	cg->memory_max = cg->memory_high = cg->memory_swap_max = cg->memory_low = BSPEC_UNSET;
	cg->cpu_quota_us = cg->cpu_period_us = cg->cpu_weight = BSPEC_UNSET;
	cg->pids_max = cg->io_weight = BSPEC_UNSET;
	return s;
}

static void seccomp_free(struct bspec_seccomp *sc)
{
	if (!sc)
		return;
	strv_free(sc->archs);
	for (size_t i = 0; i < sc->nrules; i++) {
		strv_free(sc->rules[i].names);
		free(sc->rules[i].args);
	}
	free(sc->rules);
	free(sc);
}

void bspec_free(struct bspec *s)
{
	if (!s)
		return;
	free(s->id);
	free(s->rootfs);
	strv_free(s->rootfs_lowers);
	free(s->rootfs_upper);
	free(s->rootfs_work);
	struct bspec_process *p = &s->process;
	strv_free(p->args);
	strv_free(p->env);
	free(p->cwd);
	free(p->groups);
	free(p->rlimits);
	seccomp_free(p->seccomp);
	free(p->apparmor_profile);
	free(p->selinux_label);
	free(s->hostname);
	free(s->domainname);
	for (int i = 0; i < BNS_COUNT; i++)
		free(s->ns[i].join_path);
	free(s->uid_map);
	free(s->gid_map);
	for (size_t i = 0; i < s->nmounts; i++) {
		free(s->mounts[i].source);
		free(s->mounts[i].target);
		free(s->mounts[i].fstype);
		free(s->mounts[i].data);
	}
	free(s->mounts);
	for (size_t i = 0; i < s->ndevices; i++)
		free(s->devices[i].path);
	free(s->devices);
	strv_free(s->masked_paths);
	strv_free(s->readonly_paths);
	free(s->etc_hostname);
	free(s->etc_hosts);
	free(s->etc_resolv_conf);
	for (size_t i = 0; i < s->nsysctls; i++) {
		free(s->sysctls[i].key);
		free(s->sysctls[i].value);
	}
	free(s->sysctls);
	free(s->cgroup.path);
	free(s->cgroup.cpuset_cpus);
	free(s->cgroup.cpuset_mems);
	free(s->cgroup.devrules);
	strv_free(s->cgroup.unified);
	strv_free(s->annotations);
	free(s);
}
