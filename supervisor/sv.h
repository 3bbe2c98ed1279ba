/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The daemon's internal model, shared by the files of supervisor/ only.
 *
 *   struct sv          the daemon: epoll loop, paths, pods
 *   struct pod         one pod spec file -> desired replicas
 *   struct replica     POD-N: a sandbox holder (net/ipc/uts) + containers
 *   struct ctr         one container of a replica: lifecycle state, shim,
 *                      back-off, probes
 *
 * Every fd the loop watches is registered with a struct watch naming what
 * it belongs to; the loop dispatches on watch->kind. */
#ifndef BERTH_SUPERVISOR_SV_H
#define BERTH_SUPERVISOR_SV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "lib/err.h"
#include "supervisor/backoff.h"
#include "supervisor/lifecycle.h"
#include "supervisor/podspec.h"

enum watch_kind {
	W_SIGNAL,
	W_INOTIFY,
	W_LISTEN,
	W_CLIENT,
	W_SHIM_PIDFD,	/* a container's shim exited: the container is gone */
	W_SHIM_SYNC,	/* the shim reports "started PID" or an error */
	W_CTR_TIMER,	/* back-off or stop grace */
	W_PROBE_TIMER,
	W_PROBE_SOCK,
	W_PROBE_PIDFD,
	W_HOLDER_PIDFD,	/* a replica's sandbox holder exited */
	W_WATCHDOG,	/* time to pet the watchdog(s) */
	W_DNS,		/* a pod's DNS query (supervisor/dns.c) */
	W_DNS_UP,	/* a board resolver's answer to a relayed query */
};

struct watch {
	enum watch_kind kind;
	int fd;
	void *obj;
};

struct ctr;

/* A pod spec shared by the pod and its replicas: a replica being removed
 * after a change keeps the spec it was made from. */
struct spec_ref {
	int refs;
	struct pod_spec *spec;
};
struct spec_ref *spec_ref_new(struct pod_spec *spec);
struct spec_ref *spec_ref_get(struct spec_ref *r);
void spec_ref_put(struct spec_ref *r);

struct probe_rt {
	struct ctr *ctr;
	enum probe_kind kind;
	const struct probe_spec *spec;	/* points into ctr->spec */
	bool armed;
	struct watch timer;		/* timerfd: next check, or timeout of the running one */
	struct watch sock;		/* http/tcp check in flight (fd -1 when none) */
	struct watch pidfd;		/* exec check in flight */
	pid_t exec_pid;
	bool in_flight, sent;
	char buf[128];
	size_t blen;
	unsigned successes, failures;
	uint64_t started_ms;
	char last_error[96];
};

enum ctr_timer_use { CT_NONE, CT_BACKOFF, CT_GRACE };

struct ctr {
	struct replica *rep;
	char *name;
	char id[80];			/* REPLICA-NAME: the runtime's container id */
	struct container_spec *spec;	/* points into rep->pod->spec (replaced on reload) */
	enum lc_state state;
	bool ready;
	bool remove;			/* stopping for good (scale down, delete, shutdown) */
	bool recreate;			/* stopping to start again with a new spec */
	bool stop_pending;		/* stop asked before the shim reported the pid */
	bool restart_now;		/* berth restart: next start without back-off */
	bool start_failed;		/* the shim reported an error */
	bool gone;			/* removed: waits for its replica to go */
	bool limits_warned;
	struct watch shim_pidfd;
	struct watch shim_sync;
	pid_t shim_pid;
	unsigned long long shim_start;
	pid_t pid;			/* container's pid 1 on the host, 0 = unknown */
	uint64_t started_ms;		/* CLOCK_BOOTTIME */
	time_t started_wall;		/* display only */
	unsigned restarts;
	bool has_exit;
	int exit_code;
	char reason[24];		/* Completed, Error, OOMKilled, StartError */
	struct backoff backoff;
	struct watch timer;
	enum ctr_timer_use timer_use;
	uint64_t next_start_ms;		/* when a back-off is armed */
	uint64_t backoff_ms;		/* the back-off chosen for it (events) */
	struct probe_rt probes[PROBE_KIND_COUNT];
};

struct replica {
	struct pod *pod;
	struct spec_ref *sref;		/* the containers' specs point into it */
	unsigned index;
	char name[POD_NAME_MAX + 8];
	pid_t holder_pid;
	unsigned long long holder_start;
	struct watch holder_pidfd;
	int netns_fd;			/* the pod's network namespace, for probes */
	bool removing;			/* stop every container, then drop the replica */
	bool dead;			/* dropped: freed after this batch of events */
	bool attached;			/* net_attach done */
	uint32_t addr;			/* its address on the bridge (host order; 0 = none) */
	char hosts_path[256], resolv_path[256]; /* from the lease, bound over /etc */
	struct ctr *ctrs;
	size_t nctrs;
};

#define POD_EVENTS 32
struct pod_event {
	time_t when;
	char what[160];
};

struct pod {
	char *name;
	char *file;			/* pods dir file it comes from */
	struct spec_ref *sref;
	struct pod_spec *spec;		/* = sref->spec, the current one */
	unsigned desired;		/* spec->replicas or the scale override */
	bool scaled;			/* desired comes from berth scale */
	bool deleting;			/* the file is gone: stop everything, then forget */
	struct replica **reps;
	size_t nreps;
	struct pod_event events[POD_EVENTS];
	unsigned nevents;		/* total ever added; ring index = n % POD_EVENTS */
	struct replica *rolling;	/* rollout: the replica last moved to the new spec */
	bool rollout;			/* a rollout is under way (for its "done" event) */
	uint64_t ep_sig;		/* published ports: the ready set they point at */
	bool ep_known;			/* ep_sig is what the NAT table holds */
};

struct dead {
	void (*fn)(void *);
	void *p;
};

struct sv {
	const char *root, *run_dir, *pods_dir;
	char *log_dir, *state_dir, *sock_path;
	int epfd;
	struct watch sig, ino, listen;
	struct pod **pods;
	size_t npods;
	bool stopping;			/* SIGTERM: stop all pods, then exit */
	bool leaving;			/* SIGQUIT: exit, pods left running for the next daemon */
	bool dirty_reconcile;
	struct adopt_rec **adopt;	/* replicas found at start, not yet claimed */
	size_t nadopt;
	struct dead *dead;
	size_t ndead, cap_dead;
	int wd_fd;			/* hardware watchdog (-1: none) */
	unsigned wd_timeout_s;
	uint64_t wd_sd_usec;		/* systemd's WATCHDOG_USEC (0: none) */
	struct watch wd_timer;
	struct svc **svcs;		/* services (supervisor/service.c) */
	size_t nsvcs;
	bool svc_synced;		/* the service table holds svcs[]'s endpoints */
	char dns_addr[16];		/* the DNS responder's address ("" = off) */
	uint64_t ns_sig;		/* namespace isolation: the members it holds */
	bool ns_known;
	bool ns_none;			/* no isolation tables (one namespace) */
};

/* daemon.c */
uint64_t now_ms(void);
int sv_watch_add(struct sv *sv, struct watch *w, uint32_t events);
void sv_watch_del(struct sv *sv, struct watch *w);
/* Arm W's timerfd (created on first use) to fire once after MS (0 = at once). */
int sv_timer_arm(struct sv *sv, struct watch *w, enum watch_kind kind, void *obj, uint64_t ms);
void sv_timer_disarm(struct watch *w);
void sv_defer_free(struct sv *sv, void (*fn)(void *), void *p);
void sv_free_dead(struct sv *sv);
void pod_event(struct pod *pod, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* sd_notify without libsystemd: MSG as one datagram to $NOTIFY_SOCKET. */
void sd_notify_send(const char *msg);

/* watchdog.c: --watchdog DEVICE (hardware) and systemd's WatchdogSec= */
int watchdog_open(struct sv *sv, const char *dev, unsigned timeout_s, berr *err);
void watchdog_pet(struct sv *sv);	/* its timer fired */
void watchdog_kick(struct sv *sv);	/* pet now (long work outside the loop) */
void watchdog_close(struct sv *sv);

/* reconcile.c */
int sv_reconcile(struct sv *sv, berr *err);
/* Every container of REP ready (and REP not going away). */
bool sv_replica_ready(const struct replica *rep);
/* Rolling updates: move the next replica of each pod whose spec changed
 * onto the new spec once the one moved before is ready (daemon loop). */
void sv_rollout(struct sv *sv);
void sv_replica_maybe_gone(struct sv *sv, struct replica *rep);
void sv_replica_remove(struct sv *sv, struct replica *rep);
struct pod *sv_pod_find(struct sv *sv, const char *name);
int sv_scale(struct sv *sv, struct pod *pod, unsigned n, berr *err);
void sv_pod_restart(struct sv *sv, struct pod *pod);
void sv_stop_all(struct sv *sv);
bool sv_all_stopped(const struct sv *sv);

/* instance.c: the lifecycle actions */
void ctr_event(struct sv *sv, struct ctr *c, enum lc_event ev);
void ctr_on_shim_sync(struct sv *sv, struct ctr *c);
void ctr_on_shim_exit(struct sv *sv, struct ctr *c);
void ctr_on_timer(struct sv *sv, struct ctr *c);
void ctr_release(struct sv *sv, struct ctr *c);
/* A container found running by state_adopt (shim_pid/shim_start/pid set). */
void ctr_adopted(struct sv *sv, struct ctr *c);

/* probe.c */
void probes_arm(struct sv *sv, struct ctr *c, bool startup_only);
void probes_disarm(struct sv *sv, struct ctr *c);
void probe_on_timer(struct sv *sv, struct probe_rt *p);
void probe_on_sock(struct sv *sv, struct probe_rt *p, uint32_t events);
void probe_on_pidfd(struct sv *sv, struct probe_rt *p);

/* holder.c: the replica's sandbox */
int holder_start(struct sv *sv, struct replica *rep, berr *err);
void holder_stop(struct sv *sv, struct replica *rep);
void holder_on_exit(struct sv *sv, struct replica *rep);
int holder_adopt(struct sv *sv, struct replica *rep);

/* state.c: what a restarted daemon needs to adopt */
void state_save_replica(struct sv *sv, struct replica *rep);
void state_remove_replica(struct sv *sv, struct replica *rep);
int state_adopt(struct sv *sv);
/* The names of the replicas found by state_adopt (NULL-terminated, the
 * caller's; NULL when out of memory). */
char **state_adopt_names(const struct sv *sv);
/* Take over REP from a record of a previous daemon: true when adopted. */
bool state_adopt_replica(struct sv *sv, struct replica *rep);
/* Stop what the previous daemon ran and no spec wants any more. */
void state_adopt_finish(struct sv *sv);

/* control.c */
int control_listen(struct sv *sv, berr *err);
void control_on_listen(struct sv *sv);
void control_on_client(struct sv *sv, struct watch *w);

/* procs: pid + start time as a reuse-proof process identity */
unsigned long long sv_proc_start(pid_t pid);
bool sv_proc_alive(pid_t pid, unsigned long long start);

#endif
