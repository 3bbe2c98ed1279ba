// SPDX-License-Identifier: GPL-2.0-or-later
/* A replica's sandbox: a tiny process that holds the network, IPC and UTS
 * namespaces its containers join (Kubernetes' pause container, without an
 * image). It outlives a daemon killed with -9, so adopted containers keep
 * their network. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "supervisor/podnet.h"
#include "supervisor/sv.h"

static int lo_up(void)
{
	_cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	if (s < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP;
	return ioctl(s, SIOCSIFFLAGS, &ifr) < 0 ? -errno : 0;
}

static void on_sigchld(int sig)
{
	(void)sig;
}

/* pid 1 of a pod's shared pid namespace: reaps orphans, dies with its holder */
static void __attribute__((noreturn)) pidns_init(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "berth-pod-init");
	syscall(SYS_close_range, 0U, ~0U, 0U);
	signal(SIGCHLD, on_sigchld);
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		pause();
	}
}

static void __attribute__((noreturn)) holder_main(int fd, int flags, const char *hostname)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	setsid();
	prctl(PR_SET_NAME, "berth-pod");
	int e = 0;
	if (unshare(flags) < 0)
		e = errno;
	else if (sethostname(hostname, strlen(hostname)) < 0)
		e = errno;
	else if ((flags & CLONE_NEWNET) && lo_up() < 0)
		e = errno;
	if (!e && (flags & CLONE_NEWPID)) {
		pid_t pid = fork();
		if (pid == 0)
			pidns_init();
		if (pid < 0)
			e = errno;
	}
	if (write(fd, &e, sizeof(e)) != sizeof(e) || e)
		_exit(1);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup3(null, 0, 0);
		dup3(null, 1, 0);
		dup3(null, 2, 0);
	}
	syscall(SYS_close_range, 3U, ~0U, 0U);
	for (;;)
		pause();
}

static int holder_watch(struct sv *sv, struct replica *rep)
{
	int pfd = (int)syscall(SYS_pidfd_open, rep->holder_pid, 0);
	if (pfd < 0)
		return -errno;
	rep->holder_pidfd = (struct watch){ W_HOLDER_PIDFD, pfd, rep };
	sv_watch_add(sv, &rep->holder_pidfd, EPOLLIN);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)rep->holder_pid);
	if (rep->pod->spec->network != PODNET_HOST)
		rep->netns_fd = open(path, O_RDONLY | O_CLOEXEC);
	return 0;
}

int holder_adopt(struct sv *sv, struct replica *rep)
{
	int r = holder_watch(sv, rep);
	if (r == 0 && rep->pod->spec->network == PODNET_BRIDGE) {
		rep->attached = true;
		podnet_adopt(sv, rep);
	}
	return r;
}

int holder_start(struct sv *sv, struct replica *rep, berr *err)
{
	const struct pod_spec *ps = rep->pod->spec;
	int flags = CLONE_NEWIPC | CLONE_NEWUTS | (ps->network == PODNET_HOST ? 0 : CLONE_NEWNET) |
		    (ps->share_pid ? CLONE_NEWPID : 0);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return berr_errno(err, errno, "Create pipe");
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return berr_errno(err, errno, "Fork the sandbox of \"%s\"", rep->name);
	}
	if (pid == 0) {
		close(p[0]);
		holder_main(p[1], flags, ps->hostname ? ps->hostname : rep->name);
	}
	close(p[1]);
	int e = -1;
	/* blocks for the few microseconds unshare takes */
	ssize_t n = read(p[0], &e, sizeof(e));
	close(p[0]);
	if (n != sizeof(e) || e) {
		siginfo_t si;
		kill(pid, SIGKILL);
		waitid(P_PID, (id_t)pid, &si, WEXITED);
		return berr_errno(err, n == sizeof(e) ? e : EIO, "Create the namespaces of \"%s\"",
				  rep->name);
	}
	rep->holder_pid = pid;
	rep->holder_start = sv_proc_start(pid);
	int r = holder_watch(sv, rep);
	if (r < 0)
		return berr_errno(err, -r, "Watch the sandbox of \"%s\"", rep->name);
	if (ps->network == PODNET_BRIDGE) {
		r = podnet_attach(sv, rep, err);
		if (r < 0)
			return r;
		rep->attached = true;
	}
	return 0;
}

void holder_stop(struct sv *sv, struct replica *rep)
{
	if (rep->attached) {
		podnet_detach(sv, rep);
		rep->attached = false;
	}
	closep(&rep->netns_fd);
	if (rep->holder_pidfd.fd >= 0) {
		syscall(SYS_pidfd_send_signal, rep->holder_pidfd.fd, SIGKILL, NULL, 0);
		siginfo_t si;
		/* our child dies at once; an adopted one is not ours to reap (ECHILD) */
		waitid(P_PIDFD, (id_t)rep->holder_pidfd.fd, &si, WEXITED);
	}
	sv_watch_del(sv, &rep->holder_pidfd);
	rep->holder_pid = 0;
}

void holder_on_exit(struct sv *sv, struct replica *rep)
{
	siginfo_t si;
	waitid(P_PIDFD, (id_t)rep->holder_pidfd.fd, &si, WEXITED | WNOHANG);
	sv_watch_del(sv, &rep->holder_pidfd);
	rep->holder_pid = 0;
	if (rep->removing)
		return;
	pod_event(rep->pod, "%s: sandbox died: recreating the replica", rep->name);
	sv_replica_remove(sv, rep);
}
