// SPDX-License-Identifier: GPL-2.0-or-later
/* berth daemon: one thread, one epoll loop over a signalfd, the shims'
 * pidfds and sync pipes, timerfds (back-off, grace, probes), inotify on the
 * pods directory and the control socket. No polling, no sleeps. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "supervisor/daemon.h"
#include "supervisor/objects.h"
#include "supervisor/dns.h"
#include "supervisor/podnet.h"
#include "supervisor/service.h"
#include "runtime/container.h"
#include "supervisor/sv.h"

uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int sv_watch_add(struct sv *sv, struct watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };
	if (epoll_ctl(sv->epfd, EPOLL_CTL_ADD, w->fd, &ev) < 0)
		return -errno;
	return 0;
}

void sv_watch_del(struct sv *sv, struct watch *w)
{
	if (w->fd < 0)
		return;
	epoll_ctl(sv->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	closep(&w->fd);
}

int sv_timer_arm(struct sv *sv, struct watch *w, enum watch_kind kind, void *obj, uint64_t ms)
{
	if (w->fd < 0) {
		w->fd = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK | TFD_CLOEXEC);
		if (w->fd < 0)
			return -errno;
		w->kind = kind;
		w->obj = obj;
		int r = sv_watch_add(sv, w, EPOLLIN);
		if (r < 0) {
			closep(&w->fd);
			return r;
		}
	}
	if (ms == 0)
		ms = 0; /* it_value 0 would disarm: use 1 ns */
	struct itimerspec its = { .it_value = { .tv_sec = (time_t)(ms / 1000),
						 .tv_nsec = (long)(ms % 1000) * 1000000 } };
	if (ms == 0)
		its.it_value.tv_nsec = 1;
	return timerfd_settime(w->fd, 0, &its, NULL) < 0 ? -errno : 0;
}

void sv_timer_disarm(struct watch *w)
{
	if (w->fd < 0)
		return;
	struct itimerspec its = { 0 };
	timerfd_settime(w->fd, 0, &its, NULL);
}

/* Objects are freed after the batch of events that may still point to them. */
void sv_defer_free(struct sv *sv, void (*fn)(void *), void *p)
{
	if (sv->ndead == sv->cap_dead) {
		size_t cap = sv->cap_dead ? sv->cap_dead * 2 : 16;
		struct dead *d = realloc(sv->dead, cap * sizeof(*d));
		if (NEVER(!d))
			return; /* leak rather than crash */
		sv->dead = d;
		sv->cap_dead = cap;
	}
	sv->dead[sv->ndead++] = (struct dead){ fn, p };
}

void sv_free_dead(struct sv *sv)
{
	for (size_t i = 0; i < sv->ndead; i++)
		sv->dead[i].fn(sv->dead[i].p);
	sv->ndead = 0;
}

void pod_event(struct pod *pod, const char *fmt, ...)
{
	struct pod_event *e = &pod->events[pod->nevents++ % POD_EVENTS];
	va_list ap;
	e->when = time(NULL);
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
	log_info("pod %s: %s", pod->name, e->what);
}

unsigned long long sv_proc_start(pid_t pid)
{
	return proc_start_time(pid);
}

bool sv_proc_alive(pid_t pid, unsigned long long start)
{
	return pid > 0 && start && sv_proc_start(pid) == start;
}

static int setup_signals(struct sv *sv, berr *err)
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return berr_errno(err, errno, "Block signals");
	signal(SIGPIPE, SIG_IGN);
	sv->sig = (struct watch){ W_SIGNAL, signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC), NULL };
	if (sv->sig.fd < 0)
		return berr_errno(err, errno, "Create signalfd");
	return sv_watch_add(sv, &sv->sig, EPOLLIN);
}

static int setup_inotify(struct sv *sv, berr *err)
{
	int r = mkdir_p(sv->pods_dir, 0755, err);
	if (r < 0)
		return r;
	sv->ino = (struct watch){ W_INOTIFY, inotify_init1(IN_NONBLOCK | IN_CLOEXEC), NULL };
	if (sv->ino.fd < 0)
		return berr_errno(err, errno, "Create inotify");
	if (inotify_add_watch(sv->ino.fd, sv->pods_dir,
			      IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF) < 0)
		return berr_errno(err, errno, "Watch \"%s\"", sv->pods_dir);
	return sv_watch_add(sv, &sv->ino, EPOLLIN);
}

static void on_signal(struct sv *sv)
{
	struct signalfd_siginfo si;
	while (read(sv->sig.fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			if (!sv->stopping) {
				log_info("Stopping every pod (signal %u)", si.ssi_signo);
				sv->stopping = true;
				sv_stop_all(sv);
			}
			break;
		case SIGHUP:
			sv->dirty_reconcile = true;
			break;
		case SIGQUIT:
			/* an upgrade: the next daemon adopts every pod, as after a crash */
			if (!sv->stopping) {
				log_info("Exiting, every pod left running for the next daemon");
				sv->leaving = true;
			}
			break;
		}
	}
}

static void on_inotify(struct sv *sv)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	while (read(sv->ino.fd, buf, sizeof(buf)) > 0)
		sv->dirty_reconcile = true;
}

static void dispatch(struct sv *sv, struct watch *w, uint32_t events)
{
	if (w->fd < 0)
		return; /* closed by an earlier event of this batch */
	switch (w->kind) {
	case W_SIGNAL:
		on_signal(sv);
		break;
	case W_INOTIFY:
		on_inotify(sv);
		break;
	case W_LISTEN:
		control_on_listen(sv);
		break;
	case W_CLIENT:
		control_on_client(sv, w);
		break;
	case W_SHIM_PIDFD:
		ctr_on_shim_exit(sv, w->obj);
		break;
	case W_SHIM_SYNC:
		ctr_on_shim_sync(sv, w->obj);
		break;
	case W_CTR_TIMER: {
		uint64_t x;
		if (read(w->fd, &x, sizeof(x)) == sizeof(x))
			ctr_on_timer(sv, w->obj);
		break;
	}
	case W_PROBE_TIMER: {
		uint64_t x;
		if (read(w->fd, &x, sizeof(x)) == sizeof(x))
			probe_on_timer(sv, w->obj);
		break;
	}
	case W_PROBE_SOCK:
		probe_on_sock(sv, w->obj, events);
		break;
	case W_PROBE_PIDFD:
		probe_on_pidfd(sv, w->obj);
		break;
	case W_HOLDER_PIDFD:
		holder_on_exit(sv, w->obj);
		break;
	case W_DNS:
		dns_on_query(sv);
		break;
	case W_DNS_UP:
		dns_on_reply(sv);
		break;
	case W_WATCHDOG:
		watchdog_pet(sv);
		break;
	}
}

static void reconcile_now(struct sv *sv)
{
	berr err = { 0 };
	sv->dirty_reconcile = false;
	if (sv->stopping)
		return;
	if (sv_reconcile(sv, &err) < 0)
		log_error("%s", err.msg);
	svc_reconcile(sv);
}

void sd_notify_send(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	if (!path || !*path || (path[0] != '/' && path[0] != '@'))
		return;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	if (len >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa,
	       (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
}

static int sv_init(struct sv *sv, const struct daemon_opts *o, berr *err)
{
	*sv = (struct sv){ .root = o->root, .run_dir = o->run_dir, .pods_dir = o->pods_dir };
	sv->sig.fd = sv->ino.fd = sv->listen.fd = sv->wd_fd = sv->wd_timer.fd = -1;
	if (asprintf(&sv->state_dir, "%s/supervisor", o->run_dir) < 0 ||
	    asprintf(&sv->sock_path, "%s/berthd.sock", o->run_dir) < 0)
		return berr_fail(err, ENOMEM, "Out of memory");
	if (o->log_dir)
		sv->log_dir = strdup(o->log_dir);
	else if (asprintf(&sv->log_dir, "%s/logs", o->run_dir) < 0)
		sv->log_dir = NULL;
	if (!sv->log_dir)
		return berr_fail(err, ENOMEM, "Out of memory");
	char exits[PATH_MAX];
	snprintf(exits, sizeof(exits), "%s/exits", sv->state_dir);
	int r = mkdir_p(exits, 0700, err);
	if (r == 0) {
		snprintf(exits, sizeof(exits), "%s/replicas", sv->state_dir);
		r = mkdir_p(exits, 0700, err);
	}
	if (r < 0)
		return r;
	sv->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sv->epfd < 0)
		return berr_errno(err, errno, "Create epoll");
	/* the watchdog before the socket (a bad device leaves nothing behind)
	 * and before the pods come up, which is petted through (watchdog_kick) */
	if ((r = setup_signals(sv, err)) < 0 || (r = setup_inotify(sv, err)) < 0 ||
	    (r = watchdog_open(sv, o->watchdog, o->watchdog_timeout_s ?: 15, err)) < 0)
		return r;
	berr oerr = { 0 };
	if (sv_objects_init(sv, &oerr) < 0) /* pods without secrets still run */
		log_warn("%s: containers that mount secrets will not start", oerr.msg);
	if ((r = control_listen(sv, err)) < 0)
		watchdog_close(sv);
	return r;
}

int daemon_run(const struct daemon_opts *o, berr *err)
{
	static struct sv sv;
	int r = sv_init(&sv, o, err);
	if (r < 0)
		return r;
	if (podnet_owner_check(&sv, err) < 0) {
		unlink(sv.sock_path);
		return -err->code;
	}
	dns_start(&sv);
	state_adopt(&sv);
	char **previous = state_adopt_names(&sv);
	watchdog_kick(&sv);
	reconcile_now(&sv);
	watchdog_kick(&sv);
	if (previous)
		podnet_reconcile(&sv, previous);
	watchdog_kick(&sv);
	strv_free(previous);
	sd_notify_send("READY=1\nSTATUS=Supervising pods");
	if (o->ready_fd >= 0) {
		if (write(o->ready_fd, "1", 1) < 0) {
			/* the parent is gone: nothing to tell */
		}
		close(o->ready_fd);
	}
	log_info("Supervising pods in \"%s\" (control socket \"%s\")", sv.pods_dir, sv.sock_path);
	while (!sv.leaving && !(sv.stopping && sv_all_stopped(&sv))) {
		struct epoll_event evs[32];
		int n = epoll_wait(sv.epfd, evs, 32, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return berr_errno(err, errno, "epoll_wait");
		}
		for (int i = 0; i < n; i++)
			dispatch(&sv, evs[i].data.ptr, evs[i].events);
		sv_free_dead(&sv);
		if (sv.dirty_reconcile)
			reconcile_now(&sv);
		sv_rollout(&sv);
		podnet_sync_endpoints(&sv);
		svc_sync(&sv);
	}
	unlink(sv.sock_path);
	dns_stop(&sv);
	watchdog_close(&sv);
	if (!sv.leaving)
		log_info("Every pod stopped");
	return 0;
}
