// SPDX-License-Identifier: GPL-2.0-or-later
/* One container instance: the lifecycle table's actions. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/kconfig.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "runtime/cgroup.h"
#include "supervisor/image.h"
#include "supervisor/objects.h"
#include "supervisor/rt.h"
#include "supervisor/shim.h"
#include "supervisor/sv.h"

static void exits_dir(const struct sv *sv, char *buf, size_t len)
{
	snprintf(buf, len, "%s/exits", sv->state_dir);
}

/* Limits the host cannot apply are dropped, and the pod's events say so
 * (a Pi without cgroup_enable=memory is a normal board). */
static void degrade_limits(struct ctr *c, struct bspec *s)
{
	struct bspec_cgroup *cg = &s->cgroup;
	char dropped[32] = "";
	if ((cg->memory_max != BSPEC_UNSET || cg->memory_high != BSPEC_UNSET) &&
	    !cgroup_has_controller("memory")) {
		cg->memory_max = cg->memory_high = BSPEC_UNSET;
		strcat(dropped, " memory");
	}
	if ((cg->cpu_quota_us != BSPEC_UNSET || cg->cpu_weight != BSPEC_UNSET) &&
	    !cgroup_has_controller("cpu")) {
		cg->cpu_quota_us = cg->cpu_period_us = cg->cpu_weight = BSPEC_UNSET;
		strcat(dropped, " cpu");
	}
	if (cg->pids_max != BSPEC_UNSET && !cgroup_has_controller("pids")) {
		cg->pids_max = BSPEC_UNSET;
		strcat(dropped, " pids");
	}
	if (dropped[0] && !c->limits_warned) {
		c->limits_warned = true;
		pod_event(c->rep->pod, "%s: limits not applied (no cgroup v2 controller):%s", c->id,
			  dropped);
	}
}

static int join_sandbox(struct ctr *c, struct bspec *s)
{
	static const struct {
		enum bspec_ns_type t;
		const char *name;
	} nss[] = { { BNS_NET, "net" }, { BNS_IPC, "ipc" }, { BNS_UTS, "uts" } };
	const struct replica *rep = c->rep;
	for (size_t i = 0; i < ARRAY_SIZE(nss); i++) {
		struct bspec_ns *ns = &s->ns[nss[i].t];
		ns->create = false;
		if (nss[i].t == BNS_NET && rep->pod->spec->network == PODNET_HOST)
			continue; /* the board's network */
		if (asprintf(&ns->join_path, "/proc/%d/ns/%s", (int)rep->holder_pid, nss[i].name) < 0)
			return -ENOMEM;
	}
	if (rep->pod->spec->share_pid) {
		/* the holder's children live in the pod's pid namespace */
		struct bspec_ns *ns = &s->ns[BNS_PID];
		ns->create = false;
		if (asprintf(&ns->join_path, "/proc/%d/ns/pid_for_children", (int)rep->holder_pid) < 0)
			return -ENOMEM;
	}
	free(s->hostname); /* the holder set it in the shared UTS namespace */
	s->hostname = NULL;
	if (rep->hosts_path[0] && !(s->etc_hosts = strdup(rep->hosts_path)))
		return -ENOMEM;
	if (rep->resolv_path[0] && !(s->etc_resolv_conf = strdup(rep->resolv_path)))
		return -ENOMEM;
	return 0;
}

/* ROOT/containers/ID/{upper,work,merged}: a fresh writable layer per start. */
static int overlay_dirs(struct sv *sv, struct ctr *c, struct bspec *s, char **ret_owned, berr *err)
{
	_cleanup_free_ char *base = NULL, *owned = NULL;
	if (asprintf(&base, "%s/containers", sv->root) < 0 || asprintf(&owned, "%s/%s", base, c->id) < 0)
		return -ENOMEM;
	int r = mkdir_p(base, 0700, err);
	if (r < 0)
		return r;
	_cleanup_close_ int bfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (bfd < 0)
		return berr_errno(err, errno, "Open \"%s\"", base);
	rm_rf_at(bfd, c->id); /* left over by a crash */
	if (mkdir(owned, 0700) < 0)
		return berr_errno(err, errno, "Create \"%s\"", owned);
	if (asprintf(&s->rootfs_upper, "%s/upper", owned) < 0 ||
	    asprintf(&s->rootfs_work, "%s/work", owned) < 0)
		return -ENOMEM;
	free(s->rootfs);
	if (asprintf(&s->rootfs, "%s/merged", owned) < 0) {
		s->rootfs = NULL;
		return -ENOMEM;
	}
	if (mkdir(s->rootfs_upper, 0755) < 0 || mkdir(s->rootfs_work, 0700) < 0 ||
	    mkdir(s->rootfs, 0755) < 0) {
		r = berr_errno(err, errno, "Create the overlay dirs in \"%s\"", owned);
		rm_rf_at(bfd, c->id);
		return r;
	}
	*ret_owned = TAKE_PTR(owned);
	return 0;
}

static int build_spec(struct sv *sv, struct ctr *c, struct bspec **ret, char **ret_owned, berr *err)
{
	struct image_defaults img = { 0 };
	int r = sv_image_resolve(sv->root, c->spec->image, &img, err);
	if (r < 0)
		return r;
	struct bspec *s = NULL;
	r = pod_spec_fill_bspec(c->rep->pod->spec, c->spec, c->rep->name, &img, sv->root, &s, err);
	if (r == 0 && !img.lowers && img.rootfs) {
		/* a plain directory: an overlay on top keeps it pristine */
		strv_free(s->rootfs_lowers);
		s->rootfs_lowers = NULL;
		r = strv_add(&s->rootfs_lowers, img.rootfs);
	}
	image_defaults_clear(&img);
	if (r < 0)
		goto fail;
	if ((r = join_sandbox(c, s)) < 0 || (r = sv_objects_project(sv, c, s, err)) < 0 ||
	    (r = overlay_dirs(sv, c, s, ret_owned, err)) < 0)
		goto fail;
	free(s->id);
	s->id = strdup(c->id);
	if (!s->id) {
		r = -ENOMEM;
		goto fail;
	}
	free(s->cgroup.path);
	if (asprintf(&s->cgroup.path, "%s/%s/%s", CONFIG_DEFAULT_CGROUP_PARENT, c->rep->name, c->name) < 0)
		s->cgroup.path = NULL;
	degrade_limits(c, s);
	*ret = s;
	return 0;
fail:
	bspec_free(s);
	if (r == -ENOMEM && !err->msg[0])
		berr_fail(err, ENOMEM, "Out of memory");
	return r;
}

static void watch_init(struct watch *w, enum watch_kind k, int fd, void *obj)
{
	*w = (struct watch){ k, fd, obj };
}

static void ctr_create(struct sv *sv, struct ctr *c)
{
	berr err = { 0 };
	struct bspec *spec = NULL;
	_cleanup_free_ char *owned = NULL;
	struct pod_spec *ps = c->rep->pod->spec;
	int r = build_spec(sv, c, &spec, &owned, &err);
	if (r == 0) {
		char exits[PATH_MAX];
		exits_dir(sv, exits, sizeof(exits));
		struct shim_args a = { .run_dir = sv->run_dir, .exits_dir = exits,
				       .log_max = ps->log_max_bytes, .log_files = ps->log_files,
				       .owned_dir = owned };
		char logdir[PATH_MAX];
		snprintf(logdir, sizeof(logdir), "%s/%s", sv->log_dir, c->rep->pod->name);
		a.log_dir = logdir;
		int sync = -1;
		r = shim_spawn(spec, &a, &c->shim_pid, &sync, &err);
		bspec_free(spec);
		if (r == 0) {
			watch_init(&c->shim_sync, W_SHIM_SYNC, sync, c);
			sv_watch_add(sv, &c->shim_sync, EPOLLIN);
			int pfd = (int)syscall(SYS_pidfd_open, c->shim_pid, 0);
			watch_init(&c->shim_pidfd, W_SHIM_PIDFD, pfd, c);
			if (pfd >= 0)
				sv_watch_add(sv, &c->shim_pidfd, EPOLLIN);
			c->shim_start = sv_proc_start(c->shim_pid);
			/* a daemon killed from here on finds the shim again */
			state_save_replica(sv, c->rep);
		}
	}
	c->started_ms = now_ms();
	c->started_wall = time(NULL);
	c->pid = 0;
	if (r < 0) {
		pod_event(c->rep->pod, "%s: cannot start: %s", c->id, err.msg);
		c->has_exit = true;
		c->exit_code = 125;
		snprintf(c->reason, sizeof(c->reason), "StartError");
		ctr_event(sv, c, EV_START_FAILED);
	}
}

/* The container runs: startup probe, or straight on to the others. */
static void ctr_started(struct sv *sv, struct ctr *c, bool adopted)
{
	if (c->stop_pending) {
		c->stop_pending = false;
		ctr_event(sv, c, EV_STOP);
		return;
	}
	if (!adopted && c->spec->probes[PROBE_STARTUP].type != PROBE_NONE)
		probes_arm(sv, c, true);
	else
		ctr_event(sv, c, EV_STARTUP_OK);
}

void ctr_adopted(struct sv *sv, struct ctr *c)
{
	c->state = LC_STARTING;
	c->started_ms = now_ms();
	int pfd = (int)syscall(SYS_pidfd_open, c->shim_pid, 0);
	watch_init(&c->shim_pidfd, W_SHIM_PIDFD, pfd, c);
	watch_init(&c->shim_sync, W_SHIM_SYNC, -1, c);
	if (pfd < 0 || !sv_proc_alive(c->shim_pid, c->shim_start)) {
		closep(&c->shim_pidfd.fd);
		ctr_on_shim_exit(sv, c);
		return;
	}
	sv_watch_add(sv, &c->shim_pidfd, EPOLLIN);
	if (c->pid == 0) {
		/* the previous daemon died before the shim reported the pid */
		struct container_state *st = NULL;
		berr err = { 0 };
		if (container_state_load(sv->run_dir, c->id, &st, &err) == 0)
			c->pid = st->pid;
		container_state_free(st);
	}
	pod_event(c->rep->pod, "%s: adopted (pid %d)", c->id, (int)c->pid);
	ctr_started(sv, c, true);
}

void ctr_on_shim_sync(struct sv *sv, struct ctr *c)
{
	char buf[BERR_MSG_MAX + 16];
	ssize_t n = read(c->shim_sync.fd, buf, sizeof(buf) - 1);
	if (n < 0 && errno == EAGAIN)
		return;
	sv_watch_del(sv, &c->shim_sync);
	if (n <= 0)
		return; /* the shim died: its pidfd says the rest */
	buf[n] = '\0';
	berr err = { 0 };
	pid_t pid;
	if (shim_parse_sync(buf, &pid, &err) != 1) {
		pod_event(c->rep->pod, "%s: cannot start: %s", c->id, err.msg);
		c->start_failed = true;
		return;
	}
	c->pid = pid;
	pod_event(c->rep->pod, "%s: started (pid %d)", c->id, (int)pid);
	state_save_replica(sv, c->rep);
	ctr_started(sv, c, false);
}

void ctr_on_shim_exit(struct sv *sv, struct ctr *c)
{
	if (c->shim_pidfd.fd >= 0) {
		siginfo_t si;
		waitid(P_PIDFD, (id_t)c->shim_pidfd.fd, &si, WEXITED | WNOHANG);
	}
	/* a last report may still be in the pipe */
	if (c->shim_sync.fd >= 0)
		ctr_on_shim_sync(sv, c);
	sv_watch_del(sv, &c->shim_sync);
	sv_watch_del(sv, &c->shim_pidfd);
	probes_disarm(sv, c);
	char exits[PATH_MAX];
	exits_dir(sv, exits, sizeof(exits));
	int status;
	bool oom;
	if (shim_read_exit(exits, c->id, &status, &oom) == 0) {
		c->exit_code = status;
		snprintf(c->reason, sizeof(c->reason), "%s",
			 oom ? "OOMKilled" : status == 0 ? "Completed" : "Error");
	} else if (c->start_failed || c->pid == 0) {
		c->exit_code = 125;
		snprintf(c->reason, sizeof(c->reason), "StartError");
	} else {
		/* the shim was killed: its container may still run, without a log
		 * reader; it goes before a new one can take its id */
		berr err = { 0 };
		container_delete(sv->run_dir, c->id, true, &err);
		c->exit_code = 255;
		snprintf(c->reason, sizeof(c->reason), "Unknown");
	}
	c->start_failed = false;
	c->has_exit = true;
	c->pid = 0;
	c->shim_pid = 0;
	ctr_event(sv, c, EV_EXIT);
}

static void ctr_stop(struct sv *sv, struct ctr *c)
{
	probes_disarm(sv, c);
	c->ready = false;
	if (c->pid == 0 && c->shim_sync.fd >= 0) {
		c->stop_pending = true; /* the shim has not reported the pid yet */
		return;
	}
	int sig = c->spec->stop_signal ? c->spec->stop_signal : SIGTERM;
	berr err = { 0 };
	if (container_kill(sv->run_dir, c->id, sig, false, &err) < 0 && err.code != ESRCH)
		pod_event(c->rep->pod, "%s: stop: %s", c->id, err.msg);
	uint64_t grace = c->spec->stop_timeout_ms ?: c->rep->pod->spec->stop_grace_ms;
	c->timer_use = CT_GRACE;
	sv_timer_arm(sv, &c->timer, W_CTR_TIMER, c, grace);
}

static void ctr_kill(struct sv *sv, struct ctr *c)
{
	berr err = { 0 };
	pod_event(c->rep->pod, "%s: stop grace period over: SIGKILL", c->id);
	if (container_kill(sv->run_dir, c->id, SIGKILL, true, &err) < 0 && err.code != ESRCH)
		pod_event(c->rep->pod, "%s: kill: %s", c->id, err.msg);
}

/* After an exit: remove, recreate, or apply the restart policy. */
static void ctr_exited(struct sv *sv, struct ctr *c)
{
	c->ready = false;
	c->timer_use = CT_NONE;
	sv_timer_disarm(&c->timer);
	pod_event(c->rep->pod, "%s: exited with status %d (%s)", c->id, c->exit_code, c->reason);
	if (c->remove || sv->stopping) {
		ctr_event(sv, c, EV_STOP);
		return;
	}
	state_save_replica(sv, c->rep);
	if (c->recreate || c->restart_now) {
		c->recreate = c->restart_now = false;
		backoff_init(&c->backoff, c->backoff.base_ms, c->backoff.max_ms, c->backoff.reset_ms);
		ctr_event(sv, c, EV_START);
		return;
	}
	if (!restart_wanted(c->rep->pod->spec->restart, c->exit_code))
		return;
	const struct pod_spec *ps = c->rep->pod->spec;
	c->backoff.base_ms = ps->backoff_base_ms;
	c->backoff.max_ms = ps->backoff_max_ms;
	c->backoff.reset_ms = ps->backoff_reset_ms;
	uint64_t now = now_ms();
	uint64_t delay = backoff_next(&c->backoff, c->started_ms, now);
	c->next_start_ms = now + delay;
	c->backoff_ms = delay;
	c->restarts++;
	ctr_event(sv, c, EV_SCHEDULE);
}

static void ctr_arm_backoff(struct sv *sv, struct ctr *c)
{
	uint64_t now = now_ms();
	uint64_t delay = c->next_start_ms > now ? c->next_start_ms - now : 0;
	/* the back-off chosen, not what is left of it: on a slow board the
	 * time between choosing and arming would show in the event */
	uint64_t shown = c->backoff_ms ? c->backoff_ms : delay;
	if (delay)
		pod_event(c->rep->pod, "%s: back-off %llu.%03llus before restart %u", c->id,
			  (unsigned long long)shown / 1000, (unsigned long long)shown % 1000,
			  c->restarts);
	c->timer_use = CT_BACKOFF;
	if (sv_timer_arm(sv, &c->timer, W_CTR_TIMER, c, delay) < 0)
		ctr_event(sv, c, EV_START); /* no timer: do not leave it down */
}

static void ctr_removed(struct sv *sv, struct ctr *c)
{
	c->timer_use = CT_NONE;
	sv_timer_disarm(&c->timer);
	probes_disarm(sv, c);
	c->gone = true;
	char base[PATH_MAX];
	snprintf(base, sizeof(base), "%s/containers", sv->root);
	_cleanup_close_ int bfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (bfd >= 0)
		rm_rf_at(bfd, c->id);
	sv_objects_release(sv, c->id);
	sv_replica_maybe_gone(sv, c->rep);
}

void ctr_event(struct sv *sv, struct ctr *c, enum lc_event ev)
{
	struct lc_step st = lifecycle_step(c->state, ev);
	log_debug("%s: %s + %s -> %s (%s)", c->id, lc_state_name(c->state), lc_event_name(ev),
		  lc_state_name(st.next), lc_action_name(st.action));
	c->state = st.next;
	switch (st.action) {
	case ACT_NONE:
		break;
	case ACT_CREATE:
		ctr_create(sv, c);
		break;
	case ACT_START_PROBES:
		probes_arm(sv, c, false);
		if (c->spec->probes[PROBE_READINESS].type == PROBE_NONE)
			ctr_event(sv, c, EV_READY);
		break;
	case ACT_MARK_READY:
		c->ready = true;
		break;
	case ACT_MARK_UNREADY:
		c->ready = false;
		pod_event(c->rep->pod, "%s: not ready", c->id);
		break;
	case ACT_STOP:
		ctr_stop(sv, c);
		break;
	case ACT_KILL:
		ctr_kill(sv, c);
		break;
	case ACT_EXITED:
		ctr_exited(sv, c);
		break;
	case ACT_ARM_BACKOFF:
		ctr_arm_backoff(sv, c);
		break;
	case ACT_REMOVE:
		ctr_removed(sv, c);
		break;
	}
}

void ctr_on_timer(struct sv *sv, struct ctr *c)
{
	enum ctr_timer_use use = c->timer_use;
	c->timer_use = CT_NONE;
	if (use == CT_BACKOFF)
		ctr_event(sv, c, EV_START);
	else if (use == CT_GRACE)
		ctr_event(sv, c, EV_GRACE_EXPIRED);
}

void ctr_release(struct sv *sv, struct ctr *c)
{
	probes_disarm(sv, c);
	for (int k = 0; k < PROBE_KIND_COUNT; k++)
		sv_watch_del(sv, &c->probes[k].timer);
	sv_watch_del(sv, &c->timer);
	sv_watch_del(sv, &c->shim_sync);
	sv_watch_del(sv, &c->shim_pidfd);
}
