// SPDX-License-Identifier: GPL-2.0-or-later
/* OCI hooks: each one gets the container state on stdin, its own args and
 * env, and a timeout. createContainer/startContainer hooks run in the
 * container's namespaces (mount, uts, ipc, net, cgroup); their path is
 * opened in the runtime's namespace first, as the spec says. */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/oci.h"
#include "lib/cleanup.h"

static void join_namespaces(pid_t pid)
{
	static const char *const names[] = { "cgroup", "ipc", "uts", "net", "mnt" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, names[i]);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(127);
		/* the same namespace as ours is fine: setns to it is a no-op */
		if (setns(fd, 0) < 0)
			_exit(127);
		close(fd);
	}
}

static void hook_child(const struct oci_hook *h, int in_fd, int exe_fd, pid_t pid, bool in_container)
{
	char *const default_args[] = { h->path, NULL };
	char *const empty_env[] = { NULL };

	if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(127);
	setsid();
	if (in_container)
		join_namespaces(pid);
	char *const *args = h->args && h->args[0] ? h->args : default_args;
	char *const *env = h->env ? h->env : empty_env;
	if (exe_fd >= 0)
		syscall(SYS_execveat, exe_fd, "", args, env, AT_EMPTY_PATH);
	else
		execve(h->path, args, env);
	_exit(127);
}

/* Wait for PID for at most TIMEOUT seconds (0 = forever); kill it after. */
static int wait_hook(pid_t pid, int timeout, int *ret_status)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int st;

	if (pfd >= 0 && timeout > 0) {
		struct pollfd p = { .fd = pfd, .events = POLLIN };
		int r;
		do
			r = poll(&p, 1, timeout * 1000);
		while (r < 0 && errno == EINTR);
		if (r == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			close(pfd);
			return -ETIMEDOUT;
		}
	}
	if (pfd >= 0)
		close(pfd);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	*ret_status = st;
	return 0;
}

static int run_one(const struct oci_hook *h, const char *name, size_t idx, const char *state,
		   pid_t pid, bool in_container, berr *err)
{
	_cleanup_close_ int exe_fd = -1;
	int pipefd[2], st = 0, r;
	pid_t child;

	if (in_container) {
		/* not O_CLOEXEC: a script's interpreter opens it via /proc/self/fd */
		exe_fd = open(h->path, O_PATH);
		if (exe_fd < 0)
			return berr_errno(err, errno, "Hook %s[%zu] \"%s\"", name, idx, h->path);
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return berr_errno(err, errno, "Hook %s[%zu]: pipe", name, idx);
	/* the state is far smaller than a pipe buffer: write it all up front */
	if (write(pipefd[1], state, strlen(state)) < 0) {
		r = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return berr_errno(err, -r, "Hook %s[%zu]: write state", name, idx);
	}
	close(pipefd[1]);
	child = fork();
	if (child == 0)
		hook_child(h, pipefd[0], exe_fd, pid, in_container);
	close(pipefd[0]);
	if (child < 0)
		return berr_errno(err, errno, "Hook %s[%zu]: fork", name, idx);
	r = wait_hook(child, h->timeout, &st);
	if (r == -ETIMEDOUT)
		return berr_fail(err, ETIMEDOUT, "Hook %s[%zu] \"%s\" timed out after %d s", name, idx,
				 h->path, h->timeout);
	if (r < 0)
		return berr_errno(err, -r, "Hook %s[%zu]: wait", name, idx);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFSIGNALED(st))
		return berr_fail(err, EIO, "Hook %s[%zu] \"%s\" was killed by signal %d", name, idx,
				 h->path, WTERMSIG(st));
	return berr_fail(err, EIO, "Hook %s[%zu] \"%s\" exited with status %d", name, idx, h->path,
			 WEXITSTATUS(st));
}

int oci_hooks_run(const struct oci_config *cfg, enum oci_hook_kind kind, const char *state_json,
		  pid_t pid, bool in_container, berr *err)
{
	for (size_t i = 0; i < cfg->nhooks[kind]; i++) {
		int r = run_one(&cfg->hooks[kind][i], oci_hook_name(kind), i, state_json, pid,
				in_container, err);
		if (r < 0)
			return r;
	}
	return 0;
}

void oci_hooks_run_warn(const struct oci_ctx *ctx, const struct oci_config *cfg,
			enum oci_hook_kind kind, const char *state_json)
{
	for (size_t i = 0; i < cfg->nhooks[kind]; i++) {
		berr err = { 0 };
		if (run_one(&cfg->hooks[kind][i], oci_hook_name(kind), i, state_json, 0, false, &err) < 0)
			oci_warn(ctx, "%s", err.msg);
	}
}
