// SPDX-License-Identifier: GPL-2.0-or-later
/* The monitor of a detached container (docs/decisions/runtime-monitor.md):
 * a forked copy of berth that is the parent of the container's pid 1,
 * waits on its pidfd, records the exit status atomically in the state and
 * removes the container when asked (--rm). Double-forked: the caller only
 * waits for the short-lived middle process, the monitor itself is
 * reparented to init (or the nearest subreaper, e.g. berthd). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "runtime/internal.h"

struct monitor_report {
	int code;  /* 0 = running */
	pid_t pid; /* the container's pid 1 */
	char msg[BERR_MSG_MAX];
};

static __attribute__((noreturn)) void monitor_main(const struct bspec *spec,
						   const struct container_opts *opts, int report)
{
	struct monitor_report rep = {0};
	struct container_opts o = *opts;
	struct container *c = NULL;
	berr err = {0};

	setsid();
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 3; i++)
		if (o.stdio[i] < 0)
			o.stdio[i] = devnull;
	o.detached = true;
	if (container_run(spec, &o, &c, &err) < 0) {
		rep.code = err.code ? err.code : EIO;
		snprintf(rep.msg, sizeof(rep.msg), "%s", err.msg);
		(void)!write(report, &rep, sizeof(rep));
		_exit(1);
	}
	rep.pid = c->pid;
	(void)!write(report, &rep, sizeof(rep));
	close(report);
	/* the monitor's own stdio must not keep the caller's terminal or pipes open */
	for (int i = 0; i < 3; i++)
		dup2(devnull, i);
	int status;
	bool oom;
	if (container_wait(c, &status, &oom, &err) == 0 && opts->remove_on_exit)
		container_delete(opts->run_dir, spec->id, true, &err);
	_exit(0);
}

int container_run_detached(const struct bspec *spec, const struct container_opts *opts,
			   pid_t *ret_pid, berr *err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return berr_errno(err, errno, "pipe");
	pid_t mid = fork();
	if (mid < 0) {
		close(p[0]), close(p[1]);
		return berr_errno(err, errno, "fork the monitor");
	}
	if (mid == 0) {
		close(p[0]);
		pid_t mon = fork();
		if (mon == 0)
			monitor_main(spec, opts, p[1]);
		_exit(mon < 0 ? 1 : 0);
	}
	close(p[1]);
	while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
		;
	struct monitor_report rep;
	ssize_t n;
	do
		n = read(p[0], &rep, sizeof(rep));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n != (ssize_t)sizeof(rep))
		return berr_fail(
		    err, EIO, "The monitor of \"%s\" died before the container started", spec->id);
	if (rep.code)
		return berr_fail(err, rep.code, "%s", rep.msg);
	if (ret_pid)
		*ret_pid = rep.pid;
	return 0;
}
