// SPDX-License-Identifier: GPL-2.0-or-later
/* Probes: each on its own timerfd. http and tcp checks are non-blocking
 * sockets the daemon creates inside the pod's network namespace (setns
 * there and back: no process per check); exec checks run inside the
 * container through the runtime and are watched with a pidfd. The same
 * timerfd measures the timeout of a check in flight. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/log.h"
#include "supervisor/rt.h"
#include "supervisor/sv.h"

/* A socket of the pod's network namespace (the daemon's own for host). */
static int pod_socket(struct replica *rep)
{
	if (rep->netns_fd < 0)
		return socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	_cleanup_close_ int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(rep->netns_fd, CLONE_NEWNET) < 0)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int e = errno;
	if (setns(self, CLONE_NEWNET) < 0)
		abort(); /* stuck in a pod's namespace: better die and be restarted */
	errno = e;
	return fd;
}

static void check_end(struct probe_rt *p)
{
	p->in_flight = p->sent = false;
	p->blen = 0;
}

static void check_cleanup(struct sv *sv, struct probe_rt *p)
{
	sv_watch_del(sv, &p->sock);
	if (p->pidfd.fd >= 0) {
		siginfo_t si;
		syscall(SYS_pidfd_send_signal, p->pidfd.fd, SIGKILL, NULL, 0);
		waitid(P_PIDFD, (id_t)p->pidfd.fd, &si, WEXITED);
		sv_watch_del(sv, &p->pidfd);
	}
	check_end(p);
}

static void probe_schedule(struct sv *sv, struct probe_rt *p)
{
	uint64_t now = now_ms(), due = p->started_ms + p->spec->period_ms;
	sv_timer_arm(sv, &p->timer, W_PROBE_TIMER, p, due > now ? due - now : 0);
}

/* One check's result: thresholds, then the lifecycle event. */
static void probe_result(struct sv *sv, struct probe_rt *p, bool ok, const char *why)
{
	struct ctr *c = p->ctr;
	check_cleanup(sv, p);
	if (ok) {
		p->failures = 0;
		p->successes++;
	} else {
		p->successes = 0;
		p->failures++;
		snprintf(p->last_error, sizeof(p->last_error), "%s", why);
		if (p->failures == 1 || p->failures == p->spec->failure_threshold)
			pod_event(c->rep->pod, "%s: %s probe failed (%u/%u): %s", c->id,
				  probe_kind_name(p->kind), p->failures, p->spec->failure_threshold, why);
	}
	probe_schedule(sv, p);
	switch (p->kind) {
	case PROBE_STARTUP:
		if (ok) {
			p->armed = false;
			sv_timer_disarm(&p->timer);
			ctr_event(sv, c, EV_STARTUP_OK);
		} else if (p->failures >= p->spec->failure_threshold) {
			ctr_event(sv, c, EV_LIVENESS_FAIL);
		}
		break;
	case PROBE_LIVENESS:
		if (!ok && p->failures >= p->spec->failure_threshold) {
			p->failures = 0;
			ctr_event(sv, c, EV_LIVENESS_FAIL);
		}
		break;
	case PROBE_READINESS:
		if (ok && p->successes >= p->spec->success_threshold && !c->ready)
			ctr_event(sv, c, EV_READY);
		else if (!ok && p->failures >= p->spec->failure_threshold && c->ready)
			ctr_event(sv, c, EV_UNREADY);
		break;
	default:
		break;
	}
}

static int start_net_check(struct sv *sv, struct probe_rt *p)
{
	int fd = pod_socket(p->ctr->rep);
	if (fd < 0)
		return -errno;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(p->spec->port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		int e = errno;
		close(fd);
		return -e;
	}
	p->sock = (struct watch){ W_PROBE_SOCK, fd, p };
	return sv_watch_add(sv, &p->sock, EPOLLOUT);
}

static int start_exec_check(struct sv *sv, struct probe_rt *p)
{
	struct ctr *c = p->ctr;
	struct container_state *st = NULL;
	struct bspec_process *proc = NULL;
	berr err = { 0 };
	int r = container_state_load(sv->run_dir, c->id, &st, &err);
	if (r == 0)
		r = container_exec_process(st, p->spec->exec, &proc, &err);
	container_state_free(st);
	if (r < 0)
		return r;
	struct container_opts o;
	container_opts_init(&o);
	o.run_dir = sv->run_dir;
	_cleanup_close_ int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	o.stdio[0] = o.stdio[1] = o.stdio[2] = null;
	int pidfd = -1;
	r = container_exec(sv->run_dir, c->id, proc, &o, &p->exec_pid, &pidfd, NULL, &err);
	container_process_free(proc);
	if (r < 0)
		return r;
	p->pidfd = (struct watch){ W_PROBE_PIDFD, pidfd, p };
	return sv_watch_add(sv, &p->pidfd, EPOLLIN);
}

void probe_on_timer(struct sv *sv, struct probe_rt *p)
{
	if (!p->armed)
		return;
	if (p->in_flight) {
		probe_result(sv, p, false, "timeout");
		return;
	}
	p->in_flight = true;
	p->started_ms = now_ms();
	int r = p->spec->type == PROBE_EXEC ? start_exec_check(sv, p) : start_net_check(sv, p);
	if (r < 0) {
		char why[64];
		snprintf(why, sizeof(why), "%s", strerror(-r));
		probe_result(sv, p, false, why);
		return;
	}
	sv_timer_arm(sv, &p->timer, W_PROBE_TIMER, p, p->spec->timeout_ms);
}

/* "HTTP/1.x NNN": 200-399 passes */
static void http_read(struct sv *sv, struct probe_rt *p)
{
	ssize_t n = read(p->sock.fd, p->buf + p->blen, sizeof(p->buf) - 1 - p->blen);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n > 0)
		p->blen += (size_t)n;
	p->buf[p->blen] = '\0';
	char *sp = strchr(p->buf, ' ');
	if (sp && strlen(sp) >= 4 && strncmp(p->buf, "HTTP/", 5) == 0) {
		int code = atoi(sp + 1);
		char why[32];
		snprintf(why, sizeof(why), "HTTP status %d", code);
		probe_result(sv, p, code >= 200 && code < 400, why);
	} else if (n <= 0 || p->blen >= sizeof(p->buf) - 1) {
		probe_result(sv, p, false, n < 0 ? strerror(errno) : "no HTTP status line");
	}
}

void probe_on_sock(struct sv *sv, struct probe_rt *p, uint32_t events)
{
	if (!p->sent) {
		int e = 0;
		socklen_t l = sizeof(e);
		getsockopt(p->sock.fd, SOL_SOCKET, SO_ERROR, &e, &l);
		if (e || (events & EPOLLERR)) {
			probe_result(sv, p, false, strerror(e ? e : ECONNREFUSED));
			return;
		}
		if (p->spec->type == PROBE_TCP) {
			probe_result(sv, p, true, "");
			return;
		}
		char req[512];
		int n = snprintf(req, sizeof(req),
				 "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%u\r\nUser-Agent: berth-probe\r\n"
				 "Connection: close\r\n\r\n",
				 p->spec->path ? p->spec->path : "/", p->spec->port);
		if (send(p->sock.fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
			probe_result(sv, p, false, "send failed");
			return;
		}
		p->sent = true;
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &p->sock };
		epoll_ctl(sv->epfd, EPOLL_CTL_MOD, p->sock.fd, &ev);
		return;
	}
	http_read(sv, p);
}

void probe_on_pidfd(struct sv *sv, struct probe_rt *p)
{
	siginfo_t si = { 0 };
	if (waitid(P_PIDFD, (id_t)p->pidfd.fd, &si, WEXITED | WNOHANG) < 0 || si.si_pid == 0)
		return;
	sv_watch_del(sv, &p->pidfd);
	bool ok = si.si_code == CLD_EXITED && si.si_status == 0;
	char why[48];
	snprintf(why, sizeof(why), "%s %d", si.si_code == CLD_EXITED ? "exit status" : "signal",
		 si.si_status);
	probe_result(sv, p, ok, why);
}

static void probe_arm_one(struct sv *sv, struct probe_rt *p)
{
	struct ctr *c = p->ctr;
	p->spec = &c->spec->probes[p->kind];
	if (p->spec->type == PROBE_NONE)
		return;
	p->armed = true;
	p->successes = p->failures = 0;
	p->started_ms = now_ms();
	sv_timer_arm(sv, &p->timer, W_PROBE_TIMER, p, p->spec->initial_delay_ms);
}

void probes_arm(struct sv *sv, struct ctr *c, bool startup_only)
{
	if (startup_only) {
		probe_arm_one(sv, &c->probes[PROBE_STARTUP]);
		return;
	}
	probe_arm_one(sv, &c->probes[PROBE_LIVENESS]);
	probe_arm_one(sv, &c->probes[PROBE_READINESS]);
}

void probes_disarm(struct sv *sv, struct ctr *c)
{
	for (int k = 0; k < PROBE_KIND_COUNT; k++) {
		struct probe_rt *p = &c->probes[k];
		p->armed = false;
		check_cleanup(sv, p);
		sv_timer_disarm(&p->timer);
	}
}
