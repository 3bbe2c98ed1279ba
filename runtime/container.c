// SPDX-License-Identifier: GPL-2.0-or-later
/* Creating a container: validation, state dir, seccomp and cgroup in the
 * parent, clone3 into new namespaces, then the child builds its world and
 * waits for GO (container_run) or for the exec fifo (container_create). */
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "runtime/cgroup.h"
#include "runtime/internal.h"
#include "runtime/seccomp.h"

static const struct {
	int flag;
	const char *name;
} ns_info[BNS_COUNT] = {
    [BNS_MOUNT] = {CLONE_NEWNS, "mnt"},	  [BNS_PID] = {CLONE_NEWPID, "pid"},
    [BNS_UTS] = {CLONE_NEWUTS, "uts"},	  [BNS_IPC] = {CLONE_NEWIPC, "ipc"},
    [BNS_NET] = {CLONE_NEWNET, "net"},	  [BNS_CGROUP] = {CLONE_NEWCGROUP, "cgroup"},
    [BNS_USER] = {CLONE_NEWUSER, "user"}, [BNS_TIME] = {CLONE_NEWTIME, "time"},
};

void container_opts_init(struct container_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->stdio[0] = opts->stdio[1] = opts->stdio[2] = -1;
}

void container_free(struct container *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->run_dir);
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->pty_master >= 0)
		close(c->pty_master);
	cgroup_free(c->cgroup);
	free(c);
}

/* ---- validation: everything that can be checked before any side effect ---- */

static bool sysctl_namespaced(const char *key, const struct bspec *spec)
{
	static const char *const ipc[] = {"kernel.msgmax", "kernel.msgmnb",	    "kernel.msgmni",
					  "kernel.sem",	   "kernel.shmall",	    "kernel.shmmax",
					  "kernel.shmmni", "kernel.shm_rmid_forced"};
	for (size_t i = 0; i < ARRAY_SIZE(ipc); i++)
		if (!strcmp(key, ipc[i]))
			return spec->ns[BNS_IPC].create;
	if (!strncmp(key, "fs.mqueue.", 10))
		return spec->ns[BNS_IPC].create;
	/* a namespace handed over by fd is one the caller made for this
	 * container (the bridge network); one joined by path may be shared */
	if (!strncmp(key, "net.", 4))
		return spec->ns[BNS_NET].create || spec->ns[BNS_NET].join_fd >= 0;
	if (!strcmp(key, "kernel.hostname") || !strcmp(key, "kernel.domainname"))
		return spec->ns[BNS_UTS].create;
	return false;
}

static int validate(const struct bspec *spec, berr *err)
{
	struct stat st;

	if (!container_id_valid(spec->id))
		return berr_fail(err, EINVAL, "Invalid container name \"%s\"",
				 spec->id ? spec->id : "");
	if (!spec->process.args || !spec->process.args[0] || !spec->process.args[0][0])
		return berr_fail(err, EINVAL, "No command given");
	if (!spec->rootfs)
		return berr_fail(err, EINVAL, "No root file system given");
	for (char **l = spec->rootfs_lowers; l && *l; l++)
		if (stat(*l, &st) < 0 || !S_ISDIR(st.st_mode))
			return berr_errno(err, errno ? errno : ENOTDIR, "Rootfs layer \"%s\"", *l);
	if (stat(spec->rootfs, &st) < 0)
		return berr_errno(err, errno, "Rootfs \"%s\"", spec->rootfs);
	if (!S_ISDIR(st.st_mode))
		return berr_fail(err, ENOTDIR, "Rootfs \"%s\" is not a directory", spec->rootfs);
	/* a joined UTS namespace is the container's own (runc does the same);
	 * the runtime's is not */
	if ((spec->hostname || spec->domainname) && !spec->ns[BNS_UTS].create &&
	    spec->ns[BNS_UTS].join_fd < 0 && !spec->ns[BNS_UTS].join_path)
		return berr_fail(err, EINVAL,
				 "Setting the hostname needs a new or joined UTS namespace");
	if (bspec_mount_ns_inherited(spec) && spec->no_pivot)
		return berr_fail(err, EINVAL,
				 "no_pivot moves the rootfs over \"/\": it needs a mount namespace");
	/* the kernel refuses a user namespace to a chroot'ed process */
	if (bspec_mount_ns_inherited(spec) && spec->ns[BNS_USER].create)
		return berr_fail(err, EINVAL,
				 "A new user namespace needs a mount namespace (created or joined)");
	if (spec->ns[BNS_USER].create && (!spec->nuid_map || !spec->ngid_map))
		return berr_fail(err, EINVAL, "A user namespace needs uid and gid maps");
	if (spec->ns[BNS_USER].create && spec->no_pivot)
		return berr_fail(err, EINVAL,
				 "A user namespace needs pivot_root (no_pivot is set)");
	if (spec->process.apparmor_profile || spec->process.selinux_label)
		return berr_fail(err, ENOTSUP, "AppArmor and SELinux labels are not supported");
	for (size_t i = 0; i < spec->nmounts; i++) {
		const struct bspec_mount *m = &spec->mounts[i];
		if (!m->target || m->target[0] != '/')
			return berr_fail(err, EINVAL, "Mount target \"%s\" is not absolute",
					 m->target ? m->target : "");
		if (m->kind == BMNT_BIND && stat(m->source, &st) < 0)
			return berr_errno(err, errno, "Mount source \"%s\"", m->source);
		if (m->kind == BMNT_OTHER && !m->fstype)
			return berr_fail(err, EINVAL, "Mount on \"%s\" has no file system type",
					 m->target);
	}
	for (size_t i = 0; i < spec->ndevices; i++) {
		const struct bspec_device *d = &spec->devices[i];
		if (!d->path || strncmp(d->path, "/dev/", 5) ||
		    (d->type != 'p' && (d->major < 0 || d->minor < 0)))
			return berr_fail(
			    err, EINVAL,
			    "Device \"%s\" is not a device path under /dev with a number",
			    d->path ? d->path : "");
	}
	for (size_t i = 0; i < spec->nsysctls; i++)
		if (!sysctl_namespaced(spec->sysctls[i].key, spec))
			return berr_fail(err, EINVAL,
					 "sysctl \"%s\" is not namespaced in this container",
					 spec->sysctls[i].key);
	for (const char *p = spec->process.cwd; p && *p; p++)
		if (spec->process.cwd[0] != '/')
			return berr_fail(err, EINVAL, "Working directory \"%s\" is not absolute",
					 spec->process.cwd);
	return 0;
}

/* ---- the child ---- */

struct child_args {
	const struct bspec *spec;
	const struct container_opts *opts;
	const struct seccomp_prog *prog;
	int sock;
	int fifo;	     /* O_PATH exec.fifo (create_only) or -1 */
	int nsfd[BNS_COUNT]; /* namespaces to join (pid is joined by the parent) */
};

static int child_join_namespaces(struct child_args *a, berr *err)
{
	static const int order[] = {BNS_USER,	BNS_IPC,  BNS_UTS,  BNS_NET,
				    BNS_CGROUP, BNS_TIME, BNS_MOUNT};
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		int t = order[i];
		if (a->nsfd[t] >= 0 && setns(a->nsfd[t], ns_info[t].flag) < 0)
			return berr_errno(err, errno, "Join the %s namespace", ns_info[t].name);
	}
	return 0;
}

/* The user namespace comes last: everything above was set up as real root
 * (host paths, devices, sysfs), then the container's root becomes an
 * unprivileged host uid through the maps the parent writes. The other
 * namespaces stay owned by the initial user namespace, so capabilities
 * in the container never reach them. */
static int child_enter_userns(struct child_args *a, berr *err)
{
	int r;
	if (unshare(CLONE_NEWUSER) < 0)
		return berr_errno(err, errno, "Create the user namespace");
	if ((r = sync_send(a->sock, SYNC_USERNS, 0, NULL, -1)) < 0)
		return berr_errno(err, -r, "Talk to the parent");
	if ((r = sync_expect(a->sock, SYNC_MAPS_DONE, NULL, err)) < 0)
		return r;
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return berr_errno(err, errno, "Become root in the user namespace");
	return 0;
}

static int child_setup(struct child_args *a, berr *err)
{
	const struct bspec *spec = a->spec;
	int r, pty_master = -1, pty_slave = -1;

	/* parent done: cgroup entered */
	if ((r = sync_expect(a->sock, SYNC_MAPS_DONE, NULL, err)) < 0)
		return r;
	if ((r = child_join_namespaces(a, err)) < 0)
		return r;
	if (spec->ns[BNS_NET].create && (r = process_loopback_up(err)) < 0)
		return r;
	if ((r = process_setup_stdio(a->opts->stdio, err)) < 0)
		return r;
	trace_phase("child: namespaces");
	if ((r = rootfs_setup(spec, err)) < 0)
		return r;
	trace_phase("child: pivot_root");
	if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0)
		return berr_errno(err, errno, "Set hostname \"%s\"", spec->hostname);
	if (spec->domainname && setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
		return berr_errno(err, errno, "Set domain name \"%s\"", spec->domainname);
	if ((r = process_apply_limits(&spec->process, err)) < 0)
		return r;
	if (spec->process.terminal) {
		/* the master goes to the parent, which hands it to the caller or to
		 * the console socket (a host path we cannot reach any more) */
		if ((r = pty_open(&pty_master, &pty_slave, err)) < 0 ||
		    (r = pty_bind_console(pty_master, err)) < 0 ||
		    (r = pty_make_controlling(pty_slave, err)) < 0)
			return r;
	}
	if (spec->ns[BNS_USER].create && (r = child_enter_userns(a, err)) < 0)
		return r;
	if (a->opts->create_only)
		prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0); /* the creator exits; we live on */
	r = sync_send(a->sock, SYNC_READY, 0, NULL, pty_master);
	if (pty_master >= 0)
		close(pty_master);
	if (r < 0)
		return berr_errno(err, -r, "Report ready");
	if (a->opts->create_only) {
		char p[64];
		snprintf(p, sizeof(p), "/proc/self/fd/%d", a->fifo);
		int fd = open(p, O_WRONLY | O_CLOEXEC); /* blocks until container_start */
		if (fd < 0 || write(fd, "0", 1) != 1)
			return berr_errno(err, errno, "Wait for start");
		close(fd);
		close(a->fifo);
	} else if ((r = sync_expect(a->sock, SYNC_GO, NULL, err)) < 0) {
		return r;
	}
	return 0;
}

static int child_finish(struct child_args *a, berr *err)
{
	const struct bspec_process *proc = &a->spec->process;
	int r;

	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0); /* the payload outlives its creator */
	process_reset_signals();
	if ((r = process_apply_security(proc, a->prog, err)) < 0)
		return r;
	if ((r = process_enter_cwd(proc, err)) < 0)
		return r;
	if (a->spec->init && (r = process_run_init()) < 0)
		return berr_errno(err, -r, "Start the init process");
	process_cloexec_from(3 + a->opts->preserve_fds);
	return 0;
}

static __attribute__((noreturn)) void child_main(struct child_args *a)
{
	berr err = {0};

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* nothing in the container may open our /proc/PID/exe (CVE-2019-5736) */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (child_setup(a, &err) < 0 || child_finish(a, &err) < 0) {
		/* nobody reads the socket any more (create_only, after start): the
		 * payload's stderr is the only place left for the message */
		if (sync_send(a->sock, SYNC_ERROR, err.code ? err.code : EIO, err.msg, -1) < 0)
			dprintf(STDERR_FILENO, "berth: %s\n", err.msg);
		_exit(125);
	}
	trace_phase("child: exec");
	_exit(process_exec(&a->spec->process));
}

/* ---- clone ---- */

static pid_t do_clone(uint64_t flags, int cgroup_fd, int *ret_pidfd)
{
	struct clone_args ca = {
	    .flags = flags | CLONE_PIDFD,
	    .pidfd = (uint64_t)(uintptr_t)ret_pidfd,
	    .exit_signal = SIGCHLD,
	};
	if (cgroup_fd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgroup_fd;
	}
	long pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0 && (errno == ENOSYS || errno == E2BIG || (errno == EINVAL && cgroup_fd >= 0))) {
		if (cgroup_fd >= 0 && errno != ENOSYS) {
			errno = EAGAIN; /* caller retries without CLONE_INTO_CGROUP */
			return -1;
		}
		/* clone(2): parent_tid (third argument on every arch) receives the pidfd */
		pid = syscall(SYS_clone, (unsigned long)(flags | CLONE_PIDFD | SIGCHLD), 0,
			      ret_pidfd, NULL, 0);
	}
	return (pid_t)pid;
}

/* ---- parent ---- */

struct create_ctx {
	const struct bspec *spec;
	const struct container_opts *opts;
	int rootfd, cfd; /* RUN_DIR/containers, its ID dir */
	bool state_dir_made;
	struct seccomp_prog *prog;
	struct cgroup *cg;
	int sock; /* parent end */
	int nsfd[BNS_COUNT];
	pid_t pid;
	int pidfd;
	int pty_master;
	int fifo;
};

static void ctx_undo(struct create_ctx *x)
{
	if (x->pidfd >= 0) {
		sys_pidfd_send_signal(x->pidfd, SIGKILL);
		siginfo_t si;
		waitid(P_PIDFD, (id_t)x->pidfd, &si, WEXITED);
	}
	if (x->cg) {
		berr e2;
		cgroup_destroy(x->cg, &e2);
		x->cg = NULL;
	}
	if (x->state_dir_made)
		rm_rf_at(x->rootfd, x->spec->id);
	if (x->opts->owned_dir) {
		_cleanup_free_ char *d = strdup(x->opts->owned_dir);
		char *slash = d ? strrchr(d, '/') : NULL;
		if (slash && slash != d) {
			*slash = '\0';
			_cleanup_close_ int pfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (pfd >= 0)
				rm_rf_at(pfd, slash + 1);
		}
	}
}

static void ctx_close(struct create_ctx *x)
{
	for (int i = 0; i < BNS_COUNT; i++)
		if (x->nsfd[i] >= 0)
			close(x->nsfd[i]);
	if (x->rootfd >= 0)
		close(x->rootfd);
	if (x->cfd >= 0)
		close(x->cfd);
	if (x->sock >= 0)
		close(x->sock);
	if (x->fifo >= 0)
		close(x->fifo);
	if (x->pidfd >= 0)
		close(x->pidfd);
	if (x->pty_master >= 0)
		close(x->pty_master);
	seccomp_prog_free(x->prog);
	cgroup_free(x->cg);
}

static int open_join_namespaces(struct create_ctx *x, berr *err)
{
	for (int t = 0; t < BNS_COUNT; t++) {
		const struct bspec_ns *ns = &x->spec->ns[t];
		if (ns->create)
			continue;
		if (ns->join_fd >= 0)
			x->nsfd[t] = fcntl(ns->join_fd, F_DUPFD_CLOEXEC, 3);
		else if (ns->join_path)
			x->nsfd[t] = open(ns->join_path, O_RDONLY | O_CLOEXEC);
		else
			continue;
		if (x->nsfd[t] < 0)
			return berr_errno(err, errno, "Open the %s namespace \"%s\"",
					  ns_info[t].name, ns->join_path ? ns->join_path : "(fd)");
	}
	return 0;
}

/* The host id of the container's root (0) in MAP; 0 when unmapped. */
static uint32_t map_root(const struct bspec_idmap *map, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (map[i].container_id == 0)
			return map[i].host_id;
	return 0;
}

static int make_state_dir(struct create_ctx *x, berr *err)
{
	x->rootfd = state_root_open(x->opts->run_dir, true, err);
	if (x->rootfd < 0)
		return x->rootfd;
	if (mkdirat(x->rootfd, x->spec->id, 0700) < 0) {
		if (errno == EEXIST)
			return berr_fail(err, EEXIST, "Container name \"%s\" is already in use",
					 x->spec->id);
		return berr_errno(err, errno, "Create the state of \"%s\"", x->spec->id);
	}
	x->state_dir_made = true;
	x->cfd = openat(x->rootfd, x->spec->id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (x->cfd < 0)
		return berr_errno(err, errno, "Open the state of \"%s\"", x->spec->id);
	if (x->opts->create_only) {
		/* 0622 and owned by the container's root (as runc): a root mapped
		 * to another host uid must still open it for writing */
		if (mkfifoat(x->cfd, "exec.fifo", 0622) < 0)
			return berr_errno(err, errno, "Create the exec fifo of \"%s\"",
					  x->spec->id);
		x->fifo = openat(x->cfd, "exec.fifo", O_PATH | O_CLOEXEC);
		if (x->fifo < 0)
			return berr_errno(err, errno, "Open the exec fifo of \"%s\"", x->spec->id);
		if (fchmodat(x->cfd, "exec.fifo", 0622, 0) < 0) /* umask */
			return berr_errno(err, errno, "chmod the exec fifo of \"%s\"",
					  x->spec->id);
		if (x->spec->ns[BNS_USER].create &&
		    fchownat(x->cfd, "exec.fifo", map_root(x->spec->uid_map, x->spec->nuid_map),
			     map_root(x->spec->gid_map, x->spec->ngid_map), AT_SYMLINK_NOFOLLOW) < 0)
			return berr_errno(err, errno, "chown the exec fifo of \"%s\"",
					  x->spec->id);
	}
	return 0;
}

static int spawn(struct create_ctx *x, berr *err)
{
	const struct bspec *spec = x->spec;
	uint64_t flags = 0;
	int sp[2];

	for (int t = 0; t < BNS_COUNT; t++)
		if (spec->ns[t].create && t != BNS_USER) /* the child makes it last */
			flags |= (uint64_t)ns_info[t].flag;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return berr_errno(err, errno, "socketpair");
	x->sock = sp[0];

	_cleanup_close_ int saved_pidns = -1;
	if (x->nsfd[BNS_PID] >= 0) {
		/* joining a pid namespace only affects children: join, clone, come back */
		saved_pidns = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
		if (saved_pidns < 0 || setns(x->nsfd[BNS_PID], CLONE_NEWPID) < 0) {
			close(sp[1]);
			return berr_errno(err, errno, "Join the pid namespace");
		}
	}
	struct child_args a = {
	    .spec = spec, .opts = x->opts, .prog = x->prog, .sock = sp[1], .fifo = x->fifo};
	memcpy(a.nsfd, x->nsfd, sizeof(a.nsfd));
	a.nsfd[BNS_PID] = -1;

	int cgfd = x->cg ? cgroup_fd(x->cg) : -1;
	pid_t pid = do_clone(flags, cgfd, &x->pidfd);
	bool enter_cgroup = false;
	if (pid < 0 && errno == EAGAIN) {
		pid = do_clone(flags, -1, &x->pidfd);
		enter_cgroup = true;
	}
	if (pid == 0)
		child_main(&a);
	int clone_errno = errno;
	if (saved_pidns >= 0)
		setns(saved_pidns, CLONE_NEWPID);
	close(sp[1]);
	if (pid < 0) {
		x->pidfd = -1;
		return berr_errno(err, clone_errno, "Create the container process");
	}
	x->pid = pid;
	trace_phase("clone");
	int r = 0;
	if (enter_cgroup)
		r = cgroup_enter(x->cg, pid, err);
	if (r < 0)
		return r;
	if ((r = sync_send(x->sock, SYNC_MAPS_DONE, 0, NULL, -1)) < 0)
		return berr_errno(err, -r, "Talk to the container process");
	return 0;
}

static int write_state(struct create_ctx *x, struct container *c, berr *err)
{
	const struct bspec *spec = x->spec;
	struct container_state st = {
	    .id = spec->id,
	    .status = x->opts->create_only ? CONTAINER_CREATED : CONTAINER_RUNNING,
	    .pid = c->pid,
	    .start_time = c->start_time,
	    .bundle = (char *)x->opts->bundle,
	    .rootfs = spec->rootfs,
	    .cgroup_path = x->cg ? (char *)cgroup_path(x->cg) : NULL,
	    .created = now_realtime_s(),
	    .remove_on_exit = x->opts->remove_on_exit,
	    .args = spec->process.args,
	    .annotations = spec->annotations,
	    .caps = spec->process.caps,
	    .no_new_privs = spec->process.no_new_privs,
	    .seccomp_mode = spec->process.seccomp_mode,
	    .uid = spec->process.uid,
	    .gid = spec->process.gid,
	    .userns = spec->ns[BNS_USER].create,
	    .host_mounts = bspec_mount_ns_inherited(spec),
	    .owned_dirs = (char *)x->opts->owned_dir,
	};
	if (x->opts->detached) {
		st.monitor_pid = getpid();
		st.monitor_start = proc_start_time(getpid());
	}
	int r = state_save(x->rootfd, &st, err);
	if (r == 0 && x->opts->pid_file) {
		char buf[32];
		int n = snprintf(buf, sizeof(buf), "%d", c->pid);
		r = write_file_atomic(AT_FDCWD, x->opts->pid_file, buf, (size_t)n, 0644, err);
	}
	return r;
}

static int create_impl(const struct bspec *spec, const struct container_opts *opts,
		       struct container **ret, berr *err)
{
	struct create_ctx x = {.spec = spec,
			       .opts = opts,
			       .rootfd = -1,
			       .cfd = -1,
			       .sock = -1,
			       .pidfd = -1,
			       .pty_master = -1,
			       .fifo = -1};
	struct container *c = NULL;
	int r;

	for (int i = 0; i < BNS_COUNT; i++)
		x.nsfd[i] = -1;
	if (!opts->run_dir)
		return berr_fail(err, EINVAL, "No run dir given");
	trace_phase("spec");
	if ((r = validate(spec, err)) < 0)
		goto fail_owned;
	if ((r = make_state_dir(&x, err)) < 0)
		goto fail;
	trace_phase("state dir");
	if ((r = seccomp_prepare(&spec->process, &x.prog, err)) < 0 ||
	    (r = open_join_namespaces(&x, err)) < 0)
		goto fail;
	/* a custom profile is not in the state: exec installs this very program */
	if (x.prog && spec->process.seccomp_mode == BSECCOMP_CUSTOM &&
	    (r = seccomp_prog_save(x.prog, x.cfd, SECCOMP_SAVED, err)) < 0)
		goto fail;
	trace_phase("seccomp compiled");
	if ((r = cgroup_create(spec, &x.cg, err)) < 0)
		goto fail;
	trace_phase("cgroup");
	if ((r = spawn(&x, err)) < 0)
		goto fail;
	if (spec->ns[BNS_USER].create) {
		if ((r = sync_expect(x.sock, SYNC_USERNS, NULL, err)) < 0 ||
		    (r = userns_write_maps(x.pid, spec, err)) < 0)
			goto fail;
		if ((r = sync_send(x.sock, SYNC_MAPS_DONE, 0, NULL, -1)) < 0) {
			r = berr_errno(err, -r, "Talk to the container process");
			goto fail;
		}
	}
	if ((r = sync_expect(x.sock, SYNC_READY, &x.pty_master, err)) < 0)
		goto fail;
	if (x.pty_master >= 0 && opts->console_socket) {
		if ((r = pty_send_to_socket(opts->console_socket, x.pty_master, err)) < 0)
			goto fail;
		close(x.pty_master);
		x.pty_master = -1;
	}
	trace_phase("child ready");
	c = calloc(1, sizeof(*c));
	if (!c || !(c->id = strdup(spec->id)) || !(c->run_dir = strdup(opts->run_dir))) {
		r = berr_errno(err, ENOMEM, "Create container");
		goto fail;
	}
	c->pid = x.pid;
	c->start_time = proc_start_time(x.pid);
	c->pidfd = -1;
	c->pty_master = -1;
	if ((r = write_state(&x, c, err)) < 0)
		goto fail;
	trace_phase("state written");
	if (!opts->create_only) {
		struct sync_msg m;
		if ((r = sync_send(x.sock, SYNC_GO, 0, NULL, -1)) < 0) {
			r = berr_errno(err, -r, "Start the container process");
			goto fail;
		}
		/* EOF: the payload was exec'd (or failed to be, with 126/127 as status) */
		r = sync_recv(x.sock, &m, NULL);
		if (r == 0 && m.type == SYNC_ERROR) {
			r = berr_fail(err, m.code > 0 ? m.code : EIO, "%s", m.msg);
			goto fail;
		}
		trace_phase("exec'd");
	}
	c->pidfd = TAKE_FD(x.pidfd);
	c->pty_master = TAKE_FD(x.pty_master);
	c->cgroup = TAKE_PTR(x.cg);
	ctx_close(&x);
	*ret = c;
	return 0;
fail:
	container_free(c);
	ctx_undo(&x);
	ctx_close(&x);
	return r;
fail_owned:
	ctx_undo(&x);
	return r;
}

int container_create(const struct bspec *spec, const struct container_opts *opts,
		     struct container **ret, berr *err)
{
	struct container_opts o = *opts;
	o.create_only = true;
	return create_impl(spec, &o, ret, err);
}

int container_run(const struct bspec *spec, const struct container_opts *opts,
		  struct container **ret, berr *err)
{
	struct container_opts o = *opts;
	o.create_only = false;
	return create_impl(spec, &o, ret, err);
}
