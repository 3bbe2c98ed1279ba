// SPDX-License-Identifier: GPL-2.0-or-later
/* The last steps of a container process before execve: limits,
 * credentials, capabilities, no_new_privs, seccomp, fds, cwd, PATH lookup. */
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "lib/cleanup.h"
#include "runtime/internal.h"
#include "runtime/seccomp.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int process_apply_limits(const struct bspec_process *proc, berr *err)
{
	for (size_t i = 0; i < proc->nrlimits; i++) {
		struct rlimit rl = {proc->rlimits[i].soft, proc->rlimits[i].hard};
		if (setrlimit(proc->rlimits[i].resource, &rl) < 0)
			return berr_errno(err, errno, "setrlimit %d", proc->rlimits[i].resource);
	}
	if (proc->oom_score_adj_set) {
		char buf[16];
		int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
		int n = snprintf(buf, sizeof(buf), "%d", proc->oom_score_adj);
		if (fd < 0 || write(fd, buf, (size_t)n) < 0) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			return berr_errno(err, e, "oom_score_adj %d", proc->oom_score_adj);
		}
		close(fd);
	}
	return 0;
}

static int set_creds(const struct bspec_process *proc, berr *err)
{
	if (setgroups(proc->ngroups, proc->groups) < 0 && !(errno == EPERM && proc->ngroups == 0))
		return berr_errno(err, errno, "setgroups");
	if (setresgid(proc->gid, proc->gid, proc->gid) < 0)
		return berr_errno(err, errno, "setgid %u", (unsigned)proc->gid);
	if (setresuid(proc->uid, proc->uid, proc->uid) < 0)
		return berr_errno(err, errno, "setuid %u", (unsigned)proc->uid);
	return 0;
}

int process_apply_security(const struct bspec_process *proc, const struct seccomp_prog *prog,
			   berr *err)
{
	int r = caps_drop_bounding(proc->caps.bounding, err);
	if (r < 0)
		return r;
	/* keep the permitted set across setuid; the final sets come after */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return berr_errno(err, errno, "PR_SET_KEEPCAPS");
	if (!proc->no_new_privs && prog) {
		/* without no_new_privs the filter needs CAP_SYS_ADMIN: install while we
		 * have it (setuid clears the effective set); the profile allows the
		 * setuid/capset/prctl calls that follow */
		r = seccomp_install(prog);
		if (r < 0)
			return berr_errno(err, -r, "Install the seccomp filter");
	}
	if ((r = set_creds(proc, err)) < 0)
		return r;
	if ((r = caps_apply(&proc->caps, err)) < 0)
		return r;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return berr_errno(err, errno, "PR_SET_KEEPCAPS");
	if (proc->no_new_privs) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return berr_errno(err, errno, "Set no_new_privs");
		r = seccomp_install(prog);
		if (r < 0)
			return berr_errno(err, -r, "Install the seccomp filter");
	}
	return 0;
}

int process_enter_cwd(const struct bspec_process *proc, berr *err)
{
	const char *cwd = proc->cwd && *proc->cwd ? proc->cwd : "/";
	char buf[PATH_MAX];

	if (chdir(cwd) < 0)
		return berr_errno(err, errno, "Working directory \"%s\"", cwd);
	/* CVE-2024-21626: a cwd outside the root shows as "(unreachable)/..." */
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return berr_fail(err, EPERM, "Working directory \"%s\" is outside the container",
				 cwd);
	return 0;
}

void process_cloexec_from(int first)
{
	if (syscall(SYS_close_range, (unsigned)first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		int fd = atoi(de->d_name);
		if (de->d_name[0] != '.' && fd >= first && fd != dirfd(d))
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	if (d)
		closedir(d);
}

static const char *env_get(char *const *env, const char *key)
{
	size_t kl = strlen(key);
	for (; env && *env; env++)
		if (!strncmp(*env, key, kl) && (*env)[kl] == '=')
			return *env + kl + 1;
	return NULL;
}

static void say(const char *a, const char *b, const char *c)
{
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "berth: exec \"%s\": %s%s\n", a, b, c ? c : "");
	if (n > 0)
		(void)!write(STDERR_FILENO, buf,
			     (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

int process_exec(const struct bspec_process *proc)
{
	char *const *argv = proc->args;
	char *const *envp = proc->env;
	const char *file = argv[0];

	if (strchr(file, '/')) {
		execve(file, argv, envp);
		int e = errno;
		say(file, strerror(e), NULL);
		return e == ENOENT ? CONTAINER_EXIT_NOT_FOUND : CONTAINER_EXIT_CANNOT_EXEC;
	}
	const char *path = env_get(envp, "PATH");
	if (!path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	int seen_eacces = 0;
	char buf[PATH_MAX];
	for (const char *p = path;; p++) {
		const char *end = strchrnul(p, ':');
		int n = end == p ? snprintf(buf, sizeof(buf), "%s", file)
				 : snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), p, file);
		if (n > 0 && n < (int)sizeof(buf)) {
			execve(buf, argv, envp);
			if (errno == EACCES)
				seen_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR) {
				say(file, strerror(errno), NULL);
				return CONTAINER_EXIT_CANNOT_EXEC;
			}
		}
		if (!*end)
			break;
		p = end;
	}
	if (seen_eacces) {
		say(file, strerror(EACCES), NULL);
		return CONTAINER_EXIT_CANNOT_EXEC;
	}
	say(file, "executable file not found in $PATH", NULL);
	return CONTAINER_EXIT_NOT_FOUND;
}

int process_setup_stdio(const int stdio[3], berr *err)
{
	int tmp[3];
	for (int i = 0; i < 3; i++) {
		tmp[i] = -1;
		if (stdio[i] >= 0 && stdio[i] != i) {
			tmp[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
			if (tmp[i] < 0)
				return berr_errno(err, errno, "stdio fd %d", stdio[i]);
		}
	}
	for (int i = 0; i < 3; i++) {
		if (tmp[i] < 0)
			continue;
		if (dup2(tmp[i], i) < 0)
			return berr_errno(err, errno, "stdio fd %d", i);
		close(tmp[i]);
	}
	return 0;
}

void process_reset_signals(void)
{
	sigset_t none;
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int process_loopback_up(berr *err)
{
	struct ifreq ifr = {.ifr_name = "lo"};
	_cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return berr_errno(err, errno, "Bring up \"lo\"");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return berr_errno(err, errno, "Bring up \"lo\"");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return berr_errno(err, errno, "Bring up \"lo\"");
	return 0;
}

/* ---- --init ---- */

static pid_t init_child;

static int init_loop(const sigset_t *all)
{
	int status = 0;
	for (;;) {
		int sig;
		if (sigwait(all, &sig) != 0)
			continue;
		if (sig != SIGCHLD) {
			kill(init_child, sig);
			continue;
		}
		for (;;) {
			int st;
			pid_t p = waitpid(-1, &st, WNOHANG);
			if (p <= 0)
				break;
			if (p == init_child)
				status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			if (p == init_child) {
				/* the payload is gone: take the rest with us (kernel kills the pid
				 * ns) */
				_exit(status);
			}
		}
	}
}

int process_run_init(void)
{
	sigset_t all, old;
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGFPE);
	sigprocmask(SIG_BLOCK, &all, &old);
	init_child = fork();
	if (init_child < 0)
		return -errno;
	if (init_child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return 0;
	}
	/* the init stays berth's code: nobody in the container may reach it */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	syscall(SYS_close_range, 3U, ~0U, 0U);
	init_loop(&all);
	_exit(0);
}
