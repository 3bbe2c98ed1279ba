// SPDX-License-Identifier: GPL-2.0-or-later
/* start, wait, kill, delete: the operations on an existing container. */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "runtime/cgroup.h"
#include "runtime/internal.h"

/* A pidfd for ST's pid 1, only if it is still the same process. */
int state_pidfd(const struct container_state *st, berr *err)
{
	if (st->pid <= 0)
		return berr_fail(err, ESRCH, "Container \"%s\" is not running", st->id);
	int pidfd = sys_pidfd_open(st->pid);
	/* the pidfd pins the pid: checking the start time after opening is race-free */
	if (pidfd < 0 || !proc_alive(st->pid, st->start_time)) {
		if (pidfd >= 0)
			close(pidfd);
		return berr_fail(err, ESRCH, "Container \"%s\" is not running", st->id);
	}
	return pidfd;
}

int container_start(const char *run_dir, const char *id, berr *err)
{
	struct container_state *st;
	int r = container_state_load(run_dir, id, &st, err);
	if (r < 0)
		return r;
	if (st->status != CONTAINER_CREATED) {
		r = berr_fail(err, EINVAL, "Container \"%s\" is %s, not created", id,
			      container_status_name(st->status));
		container_state_free(st);
		return r;
	}
	_cleanup_close_ int pidfd = state_pidfd(st, err);
	container_state_free(st);
	if (pidfd < 0)
		return pidfd;
	_cleanup_close_ int rootfd = state_root_open(run_dir, false, err);
	if (rootfd < 0)
		return rootfd;
	_cleanup_close_ int cfd =
	    openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int fifo =
	    cfd < 0 ? -1 : openat(cfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0)
		return berr_errno(err, errno, "Open the exec fifo of \"%s\"", id);
	struct pollfd p[2] = {{.fd = fifo, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
	for (;;) {
		char c;
		if (read(fifo, &c, 1) == 1)
			break;
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return berr_errno(err, errno, "Start \"%s\"", id);
		if ((p[1].revents & POLLIN) && !(p[0].revents & POLLIN))
			return berr_fail(err, ESRCH,
					 "Container \"%s\" exited before it was started", id);
	}
	unlinkat(cfd, "exec.fifo", 0);
	return 0;
}

int container_wait(struct container *c, int *ret_status, bool *ret_oom, berr *err)
{
	siginfo_t si = {0};
	int r;

	do
		r = c->pidfd >= 0 ? waitid(P_PIDFD, (id_t)c->pidfd, &si, WEXITED)
				  : waitid(P_PID, (id_t)c->pid, &si, WEXITED);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return berr_errno(err, errno, "Wait for container \"%s\"", c->id);
	int status = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
	bool oom = c->cgroup && cgroup_oom_killed(c->cgroup);
	berr e2;
	state_record_exit(c->run_dir, c->id, status, oom, &e2); /* gone after a concurrent rm */
	*ret_status = status;
	if (ret_oom)
		*ret_oom = oom;
	return 0;
}

/* Signal every process in the pid namespace of PID (no cgroup to ask). */
static int kill_pidns(pid_t pid, int sig)
{
	char p[64];
	struct stat ns, other;
	snprintf(p, sizeof(p), "/proc/%d/ns/pid", pid);
	if (stat(p, &ns) < 0)
		return -errno;
	_cleanup_closedir_ DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		pid_t q = atoi(de->d_name);
		if (q <= 0)
			continue;
		snprintf(p, sizeof(p), "/proc/%d/ns/pid", q);
		if (stat(p, &other) == 0 && other.st_ino == ns.st_ino && other.st_dev == ns.st_dev)
			kill(q, sig);
	}
	return 0;
}

int container_kill(const char *run_dir, const char *id, int sig, bool all, berr *err)
{
	struct container_state *st;
	int r = container_state_load(run_dir, id, &st, err);
	if (r < 0)
		return r;
	int pidfd = state_pidfd(st, err);
	if (pidfd < 0) {
		container_state_free(st);
		return pidfd;
	}
	if (all && st->cgroup_path && sig == SIGKILL) {
		struct cgroup *cg;
		r = cgroup_open(st->cgroup_path, &cg, err);
		if (r == 0) {
			r = cgroup_kill_all(cg, err);
			cgroup_free(cg);
		}
	} else if (all) {
		r = kill_pidns(st->pid, sig);
		if (r < 0)
			r = berr_errno(err, -r, "Signal container \"%s\"", id);
	} else if (sys_pidfd_send_signal(pidfd, sig) < 0) {
		r = berr_errno(err, errno, "Signal container \"%s\"", id);
	}
	close(pidfd);
	container_state_free(st);
	return r;
}

static void remove_owned(const char *dir)
{
	_cleanup_free_ char *d = strdup(dir);
	char *slash = d ? strrchr(d, '/') : NULL;
	if (!slash || slash == d)
		return;
	*slash = '\0';
	_cleanup_close_ int pfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd >= 0)
		rm_rf_at(pfd, slash + 1);
}

int container_delete(const char *run_dir, const char *id, bool force, berr *err)
{
	struct container_state *st;
	int r = container_state_load(run_dir, id, &st, err);
	if (r < 0)
		return r;
	if (st->status == CONTAINER_RUNNING || st->status == CONTAINER_CREATED) {
		if (!force) {
			r = berr_fail(err, EBUSY,
				      "Container \"%s\" is %s: stop it first or force the removal",
				      id, container_status_name(st->status));
			container_state_free(st);
			return r;
		}
		int pidfd = state_pidfd(st, err);
		if (pidfd >= 0) {
			struct pollfd p = {.fd = pidfd, .events = POLLIN};
			sys_pidfd_send_signal(pidfd, SIGKILL);
			while (poll(&p, 1, -1) < 0 && errno == EINTR)
				;
			close(pidfd);
		}
	}
	if (st->cgroup_path) {
		struct cgroup *cg;
		berr e2;
		if (cgroup_open(st->cgroup_path, &cg, &e2) == 0 &&
		    (r = cgroup_destroy(cg, err)) < 0) {
			container_state_free(st);
			return r;
		}
	}
	/* the bind of rootfs (and all mounted on it) in the runtime's namespace */
	if (st->host_mounts && st->rootfs)
		umount2(st->rootfs, MNT_DETACH);
	if (st->owned_dirs)
		remove_owned(st->owned_dirs);
	container_state_free(st);
	_cleanup_close_ int rootfd = state_root_open(run_dir, false, err);
	if (rootfd < 0)
		return rootfd;
	/* exclude a monitor recording the exit right now (state_record_exit) */
	_cleanup_close_ int cfd =
	    openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (cfd >= 0)
		while (flock(cfd, LOCK_EX) < 0 && errno == EINTR)
			;
	/* a --rm monitor may be removing the same directory: retry what it
	 * emptied under us (ENOTEMPTY), and a vanished directory is success */
	for (int i = 0; i < 20; i++) {
		r = rm_rf_at(rootfd, id);
		if (r != -ENOTEMPTY)
			break;
	}
	if (r < 0)
		return berr_errno(err, -r, "Remove the state of \"%s\"", id);
	return 0;
}
