// SPDX-License-Identifier: GPL-2.0-or-later
/* exec: a new process inside a running container. The parent joins the
 * container's pid namespace for its children only, clones straight into
 * the container's cgroup; the child joins the other namespaces, becomes
 * the requested user with the requested capabilities and seccomp filter,
 * and is non-dumpable until execve (CVE-2019-5736). */
#include <fcntl.h>
#include <linux/sched.h>
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
#include "lib/strv.h"
#include "runtime/cgroup.h"
#include "runtime/internal.h"
#include "runtime/seccomp.h"

static const struct {
	int flag;
	const char *name;
} join_order[] = {
    /* the user namespace last: berth makes it after the others (container.c) */
    {CLONE_NEWIPC, "ipc"},	 {CLONE_NEWUTS, "uts"}, {CLONE_NEWNET, "net"},
    {CLONE_NEWCGROUP, "cgroup"}, {CLONE_NEWNS, "mnt"},	{CLONE_NEWUSER, "user"},
};

struct exec_ctx {
	const struct bspec_process *proc;
	const struct container_opts *opts;
	const struct seccomp_prog *prog;
	int nsfd[ARRAY_SIZE(join_order)];
	int sock;
	int rootfd; /* /proc/PID/root of a container in our own mount namespace, else -1 */
};

/* fd of /proc/PID/ns/NAME, or -1 when we are already in that namespace. */
static int open_ns(pid_t pid, const char *name, berr *err)
{
	char p[64], self[64];
	struct stat a, b;
	snprintf(p, sizeof(p), "/proc/%d/ns/%s", pid, name);
	snprintf(self, sizeof(self), "/proc/self/ns/%s", name);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return berr_errno(err, errno, "Open \"%s\"", p);
	if (fstat(fd, &a) == 0 && stat(self, &b) == 0 && a.st_ino == b.st_ino &&
	    a.st_dev == b.st_dev) {
		close(fd);
		return -1;
	}
	return fd;
}

static int exec_child_setup(struct exec_ctx *x, berr *err)
{
	int r, master = -1, slave = -1;
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++)
		if (x->nsfd[i] >= 0 && setns(x->nsfd[i], join_order[i].flag) < 0)
			return berr_errno(err, errno, "Join the container's %s namespace",
					  join_order[i].name);
	if (x->rootfd >= 0 && (fchdir(x->rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0))
		return berr_errno(err, errno, "Enter the container's root");
	if ((r = process_setup_stdio(x->opts->stdio, err)) < 0)
		return r;
	if (x->proc->terminal) {
		/* the parent hands the master on (the console socket is a host path) */
		if ((r = pty_open(&master, &slave, err)) < 0 || (r = pty_make_controlling(slave, err)) < 0)
			return r;
	}
	r = sync_send(x->sock, SYNC_READY, 0, NULL, master);
	if (master >= 0)
		close(master);
	if (r < 0)
		return berr_errno(err, -r, "Report ready");
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	process_reset_signals();
	if ((r = process_apply_limits(x->proc, err)) < 0 ||
	    (r = process_apply_security(x->proc, x->prog, err)) < 0 ||
	    (r = process_enter_cwd(x->proc, err)) < 0)
		return r;
	process_cloexec_from(3 + x->opts->preserve_fds);
	return 0;
}

static __attribute__((noreturn)) void exec_child(struct exec_ctx *x)
{
	berr err = {0};
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (exec_child_setup(x, &err) < 0) {
		sync_send_error(x->sock, &err);
		_exit(125);
	}
	_exit(process_exec(x->proc));
}

static pid_t exec_clone(int cgfd, int *ret_pidfd)
{
	struct clone_args ca = {
	    .flags = CLONE_PIDFD, .pidfd = (uint64_t)(uintptr_t)ret_pidfd, .exit_signal = SIGCHLD};
	if (cgfd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgfd;
	}
	long pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0 && errno == ENOSYS)
		pid = syscall(SYS_clone, (unsigned long)(CLONE_PIDFD | SIGCHLD), 0, ret_pidfd, NULL,
			      0);
	return (pid_t)pid;
}

static int exec_spawn(struct exec_ctx *x, const struct container_state *st, struct cgroup *cg,
		      pid_t *ret_pid, int *ret_pidfd, berr *err)
{
	int sp[2], pidfd = -1;
	_cleanup_close_ int pidns = open_ns(st->pid, "pid", err);
	if (pidns < 0 && err->code)
		return -err->code;
	_cleanup_close_ int saved = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
	if (saved < 0)
		return berr_errno(err, errno, "Open own pid namespace");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return berr_errno(err, errno, "socketpair");
	x->sock = sp[1];
	if (pidns >= 0 && setns(pidns, CLONE_NEWPID) < 0) {
		close(sp[0]), close(sp[1]);
		return berr_errno(err, errno, "Join the container's pid namespace");
	}
	pid_t pid = exec_clone(cg ? cgroup_fd(cg) : -1, &pidfd);
	if (pid < 0 && cg && errno != ENOSYS) {
		pid = exec_clone(-1, &pidfd);
		if (pid > 0) {
			berr e2;
			cgroup_enter(cg, pid, &e2);
		}
	}
	if (pid == 0)
		exec_child(x);
	int e = errno;
	if (pidns >= 0)
		setns(saved, CLONE_NEWPID);
	close(sp[1]);
	if (pid < 0) {
		close(sp[0]);
		return berr_errno(err, e, "Create the exec process");
	}
	*ret_pid = pid;
	*ret_pidfd = pidfd;
	return sp[0];
}

static int load_saved_seccomp(const char *run_dir, const char *id, struct seccomp_prog **ret,
			      berr *err)
{
	_cleanup_close_ int rootfd = state_root_open(run_dir, false, err);
	if (rootfd < 0)
		return rootfd;
	_cleanup_close_ int cfd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cfd < 0)
		return berr_errno(err, errno, "Open the state of \"%s\"", id);
	int r = seccomp_prog_load(cfd, SECCOMP_SAVED, ret, err);
	if (r < 0)
		berr_prefix(err, "Container \"%s\"", id);
	return r;
}

int container_exec(const char *run_dir, const char *id, const struct bspec_process *proc,
		   const struct container_opts *opts, pid_t *ret_pid, int *ret_pidfd,
		   int *ret_pty_master, berr *err)
{
	struct container_state *st = NULL;
	struct seccomp_prog *prog = NULL;
	struct cgroup *cg = NULL;
	struct exec_ctx x = {.proc = proc, .opts = opts, .sock = -1, .rootfd = -1};
	int r, sock = -1, pidfd = -1, master = -1;
	_cleanup_close_ int cpidfd = -1; /* pins the container's pid 1 while we join */
	pid_t pid = 0;

	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++)
		x.nsfd[i] = -1;
	if (!proc->args || !proc->args[0])
		return berr_fail(err, EINVAL, "No command given");
	if ((r = container_state_load(run_dir, id, &st, err)) < 0)
		return r;
	if (st->status != CONTAINER_RUNNING) {
		r = berr_fail(err, EINVAL, "Container \"%s\" is not running", id);
		goto out;
	}
	cpidfd = state_pidfd(st, err);
	if (cpidfd < 0) {
		r = cpidfd;
		goto out;
	}
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++) {
		berr e2 = {0};
		x.nsfd[i] = open_ns(st->pid, join_order[i].name, &e2);
		if (x.nsfd[i] < 0 && e2.code) {
			r = berr_fail(err, e2.code, "%s", e2.msg);
			goto out;
		}
	}
	if (st->host_mounts) {
		/* no mount namespace to join: its root is a chroot */
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d/root", st->pid);
		x.rootfd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (x.rootfd < 0) {
			r = berr_errno(err, errno, "Open \"%s\"", p);
			goto out;
		}
	}
	if (proc->seccomp_mode == BSECCOMP_CUSTOM && !proc->seccomp)
		r = load_saved_seccomp(run_dir, id, &prog, err); /* the container's own */
	else
		r = seccomp_prepare(proc, &prog, err);
	if (r < 0)
		goto out;
	x.prog = prog;
	if (st->cgroup_path && (r = cgroup_open(st->cgroup_path, &cg, err)) < 0)
		goto out;
	berr_clear(err);
	sock = exec_spawn(&x, st, cg, &pid, &pidfd, err);
	if (sock < 0) {
		r = sock;
		goto out;
	}
	if ((r = sync_expect(sock, SYNC_READY, &master, err)) < 0)
		goto out_kill;
	if (master >= 0 && opts->console_socket) {
		if ((r = pty_send_to_socket(opts->console_socket, master, err)) < 0)
			goto out_kill;
		close(master);
		master = -1;
	}
	struct sync_msg m;
	if (sync_recv(sock, &m, NULL) == 0 && m.type == SYNC_ERROR) {
		r = berr_fail(err, m.code > 0 ? m.code : EIO, "%s", m.msg);
		goto out_kill;
	}
	if (ret_pid)
		*ret_pid = pid;
	if (ret_pidfd)
		*ret_pidfd = TAKE_FD(pidfd);
	if (ret_pty_master)
		*ret_pty_master = TAKE_FD(master);
	r = 0;
	goto out;
out_kill:
	if (pidfd >= 0) {
		siginfo_t si;
		sys_pidfd_send_signal(pidfd, SIGKILL);
		waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED);
	}
out:
	if (sock >= 0)
		close(sock);
	if (pidfd >= 0)
		close(pidfd);
	if (master >= 0)
		close(master);
	for (size_t i = 0; i < ARRAY_SIZE(join_order); i++)
		if (x.nsfd[i] >= 0)
			close(x.nsfd[i]);
	if (x.rootfd >= 0)
		close(x.rootfd);
	cgroup_free(cg);
	seccomp_prog_free(prog);
	container_state_free(st);
	return r;
}

int container_exec_process(const struct container_state *st, char *const *args,
			   struct bspec_process **ret, berr *err)
{
	struct bspec_process *p = calloc(1, sizeof(*p));
	if (!p)
		return berr_errno(err, ENOMEM, "exec");
	p->args = strv_dup(args);
	p->cwd = strdup("/");
	if (!p->args || !p->cwd ||
	    strv_add(&p->env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") <
		0) {
		container_process_free(p);
		return berr_errno(err, ENOMEM, "exec");
	}
	p->uid = st->uid;
	p->gid = st->gid;
	p->caps = st->caps;
	p->no_new_privs = st->no_new_privs;
	/* BSECCOMP_CUSTOM without a profile: container_exec installs the
	 * program saved at create */
	p->seccomp_mode = st->seccomp_mode;
	*ret = p;
	return 0;
}

void container_process_free(struct bspec_process *p)
{
	if (!p)
		return;
	strv_free(p->args);
	strv_free(p->env);
	free(p->cwd);
	free(p->groups);
	free(p->rlimits);
	free(p->apparmor_profile);
	free(p->selinux_label);
	free(p);
}
