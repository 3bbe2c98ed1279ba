// SPDX-License-Identifier: GPL-2.0-or-later
/* network = bridge through net/: each replica's namespace (held by its
 * sandbox holder) gets a veth on the bridge, an address, /etc/hosts and
 * /etc/resolv.conf. The pod's published ports belong to replica 0's lease
 * (reserved, checked and cleaned up with it) and lead, round-robin for new
 * connections, to the replicas that are ready (podnet_sync_endpoints). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/kconfig.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "net/net.h"
#include "supervisor/rt.h"
#include "supervisor/podnet.h"
#include "supervisor/sv.h"

static void cfg_of(const struct sv *sv, struct net_config *cfg)
{
	*cfg = (struct net_config){ .root = sv->root, .run_dir = sv->run_dir,
				    .dns = sv->dns_addr[0] ? sv->dns_addr : NULL };
}

static void endpoints_invalidate(struct sv *sv)
{
	for (size_t i = 0; i < sv->npods; i++)
		sv->pods[i]->ep_known = false;
}

static void keep_lease(struct replica *rep, const struct net_lease *l)
{
	snprintf(rep->hosts_path, sizeof(rep->hosts_path), "%s", l->hosts_path);
	snprintf(rep->resolv_path, sizeof(rep->resolv_path), "%s", l->resolv_path);
	rep->addr = ntohl(l->addr.s_addr);
}

/* Run FN(SV, ARG) in a short-lived child: libnl, libnftables and its
 * caches (about 1.5 MiB) stay out of the daemon, which waits the
 * milliseconds it takes. The child's error comes back through a pipe; WHO
 * (a replica or the network) names it when the child dies. */
int in_child_net(int (*fn)(struct sv *, void *, berr *), struct sv *sv, void *arg,
		 const char *who, berr *err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return berr_errno(err, errno, "Network of \"%s\": pipe", who);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return berr_errno(err, errno, "Network of \"%s\": fork", who);
	}
	if (pid == 0) {
		berr e = { 0 };
		close(p[0]);
		if (fn(sv, arg, &e) < 0) {
			if (write(p[1], &e, sizeof(e)) != sizeof(e))
				_exit(2);
			_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	berr e = { 0 };
	ssize_t n = read(p[0], &e, sizeof(e));
	close(p[0]);
	siginfo_t si;
	while (waitid(P_PID, (id_t)pid, &si, WEXITED) < 0 && errno == EINTR)
		;
	if (si.si_code == CLD_EXITED && si.si_status == 0)
		return 0;
	if (n == sizeof(e) && e.code > 0) {
		*err = e;
		return -e.code;
	}
	return berr_fail(err, EIO, "Network of \"%s\": the helper died (status %d)", who,
			 si.si_status);
}

static int attach_child(struct sv *sv, void *arg, berr *err)
{
	struct replica *rep = arg;
	const struct pod_spec *ps = rep->pod->spec;
	struct net_config cfg;
	struct net_lease lease;
	size_t n = rep->index == 0 ? ps->nports : 0;
	struct net_port ports[n ? n : 1];
	cfg_of(sv, &cfg);
	for (size_t i = 0; i < n; i++) {
		int r = net_port_parse(ps->ports[i].text, &ports[i], err);
		if (r < 0)
			return r;
	}
	/* NAME-N and NAME-N.NS (the daemon's name of a replica outside the
	 * default namespace is NAME.NS-N) */
	const char *ns = podspec_ns(ps->namespace);
	char alias[POD_NAME_MAX + 24], alias2[POD_NAME_MAX + 88];
	size_t base = strlen(ps->name) - (ps->namespace ? strlen(ns) + 1 : 0);
	snprintf(alias, sizeof(alias), "%.*s-%u", (int)base, ps->name, rep->index);
	snprintf(alias2, sizeof(alias2), "%s.%s", alias, ns);
	char *aliases[] = { alias2, ps->namespace ? alias : NULL, NULL };
	struct net_attach_opts o = { .ports = ports, .nports = n, .hostname = ps->hostname,
				     .aliases = aliases, .ns = ps->namespace };
	/* a stale lease of a replica of the same name (a crash): drop it */
	berr ignored = { 0 };
	net_detach(&cfg, rep->name, 0, &ignored);
	return net_attach(&cfg, rep->netns_fd, rep->name, &o, &lease, err);
}

static int attach(struct sv *sv, struct replica *rep, berr *err)
{
	struct net_config cfg;
	struct net_lease lease;
	size_t n = rep->index == 0 ? rep->pod->spec->nports : 0;
	int r = in_child_net(attach_child, sv, rep, rep->name, err);
	cfg_of(sv, &cfg);
	if (r == 0)
		r = net_lease_get(&cfg, rep->name, &lease, err);
	if (r < 0)
		return r;
	keep_lease(rep, &lease);
	if (n)
		pod_event(rep->pod, "%s: address %s, %zu published port%s", rep->name,
			  inet_ntoa(lease.addr), n, n == 1 ? "" : "s");
	return 0;
}

int podnet_attach(struct sv *sv, struct replica *rep, berr *err)
{
	if (IS_ENABLED(CONFIG_NET)) {
		endpoints_invalidate(sv);
		return attach(sv, rep, err);
	}
	if (rep->index == 0)
		pod_event(rep->pod, "%s: this berth has no networking: loopback only", rep->name);
	return 0;
}

void podnet_adopt(struct sv *sv, struct replica *rep)
{
	if (!IS_ENABLED(CONFIG_NET))
		return;
	struct net_config cfg;
	struct net_lease lease;
	berr err = { 0 };
	cfg_of(sv, &cfg);
	if (net_lease_get(&cfg, rep->name, &lease, &err) == 0)
		keep_lease(rep, &lease);
}

static int detach_child(struct sv *sv, void *arg, berr *err)
{
	struct replica *rep = arg;
	struct net_config cfg;
	cfg_of(sv, &cfg);
	int r = net_detach(&cfg, rep->name, 0, err);
	return r < 0 && err->code == ENOENT ? 0 : r;
}

void podnet_detach(struct sv *sv, struct replica *rep)
{
	if (!IS_ENABLED(CONFIG_NET))
		return;
	endpoints_invalidate(sv);
	berr err = { 0 };
	if (in_child_net(detach_child, sv, rep, rep->name, &err) < 0)
		pod_event(rep->pod, "%s: network: %s", rep->name, err.msg);
	rep->hosts_path[0] = rep->resolv_path[0] = '\0';
	rep->addr = 0;
}

static bool has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Everything that may own a lease now: the daemon's replicas (adopted or
 * just started), every container the runtime knows (`berth run` names its
 * lease after the container id), and every lease that is not the previous
 * daemon's (a `berth run` between its network setup and its state file,
 * `berth network attach`): net_reconcile judges those by their veth alone.
 * So what is freed regardless of its veth is only a replica of the previous
 * daemon that no longer exists. NULL on error. */
static char **live_set(struct sv *sv, const struct net_config *cfg, char *const *previous)
{
	struct container_state **list = NULL;
	struct net_lease *leases = NULL;
	size_t n = 0;
	berr err = { 0 };
	char **live = calloc(1, sizeof(*live));
	bool ok = live != NULL;
	for (size_t i = 0; ok && i < sv->npods; i++)
		for (size_t j = 0; ok && j < sv->pods[i]->nreps; j++)
			if (!sv->pods[i]->reps[j]->dead)
				ok = strv_add(&live, sv->pods[i]->reps[j]->name) >= 0;
	if (ok && (container_state_list(sv->run_dir, &list, &err) < 0 ||
		   net_lease_list(cfg, &leases, &n, &err) < 0)) {
		log_warn("Network reconcile skipped: %s", err.msg);
		ok = false;
	}
	for (size_t i = 0; ok && list && list[i]; i++)
		ok = strv_add(&live, list[i]->id) >= 0;
	for (size_t i = 0; ok && i < n; i++)
		if (!has(previous, leases[i].pod))
			ok = strv_add(&live, leases[i].pod) >= 0;
	container_state_list_free(list);
	free(leases);
	if (!ok) {
		strv_free(live);
		return NULL;
	}
	return live;
}

/* in the child: ARG is the live set */
static int reconcile_child(struct sv *sv, void *arg, berr *err)
{
	struct net_config cfg;
	unsigned freed = 0;
	cfg_of(sv, &cfg);
	int r = net_reconcile(&cfg, arg, &freed, err);
	if (r == 0 && freed)
		log_info("Freed %u stale network lease%s", freed, freed == 1 ? "" : "s");
	return r;
}

void podnet_reconcile(struct sv *sv, char *const *previous)
{
	if (!IS_ENABLED(CONFIG_NET))
		return;
	struct net_config cfg;
	char dir[512];
	cfg_of(sv, &cfg);
	/* never used on this board: nothing to clean, nothing to load */
	snprintf(dir, sizeof(dir), "%s/net/berth", sv->root);
	if (access(dir, F_OK) < 0)
		return;
	_cleanup_strv_ char **live = live_set(sv, &cfg, previous);
	if (!live)
		return;
	endpoints_invalidate(sv); /* a rebuilt table points each port at its owner */
	berr err = { 0 };
	if (in_child_net(reconcile_child, sv, live, "berth", &err) < 0)
		log_warn("Network reconcile: %s", err.msg);
}

/* ---- published ports over the ready replicas ---------------------------- */

static bool replica_ready(const struct replica *rep)
{
	return rep->attached && sv_replica_ready(rep);
}

static struct replica *ports_owner(const struct pod *pod)
{
	for (size_t i = 0; i < pod->nreps; i++) {
		struct replica *rep = pod->reps[i];
		if (rep->index == 0 && rep->attached && !rep->dead)
			return rep;
	}
	return NULL;
}

/* in the child: ARG is the owner */
static int publish_child(struct sv *sv, void *arg, berr *err)
{
	struct replica *rep = arg;
	const struct pod *pod = rep->pod;
	struct net_config cfg;
	_cleanup_free_ char **names = calloc(pod->nreps + 1, sizeof(*names));
	size_t n = 0;
	if (!names)
		return berr_fail(err, ENOMEM, "Out of memory");
	for (size_t i = 0; i < pod->nreps; i++)
		if (replica_ready(pod->reps[i]))
			names[n++] = pod->reps[i]->name;
	cfg_of(sv, &cfg);
	return net_publish_to(&cfg, rep->name, names, err);
}

void podnet_sync_endpoints(struct sv *sv)
{
	if (!IS_ENABLED(CONFIG_NET) || !IS_ENABLED(CONFIG_NET_NAT))
		return;
	for (size_t i = 0; i < sv->npods; i++) {
		struct pod *pod = sv->pods[i];
		if (pod->spec->network != PODNET_BRIDGE || pod->spec->nports == 0)
			continue;
		struct replica *owner = ports_owner(pod);
		if (!owner) {
			pod->ep_known = false;
			continue;
		}
		/* FNV-1a over the ready replicas' names, in index order */
		uint64_t sig = 0xcbf29ce484222325ULL;
		char list[256] = "";
		size_t n = 0, len = 0;
		for (size_t j = 0; j < pod->nreps; j++) {
			const struct replica *rep = pod->reps[j];
			if (!replica_ready(rep))
				continue;
			for (const char *c = rep->name; *c; c++)
				sig = (sig ^ (unsigned char)*c) * 0x100000001b3ULL;
			sig = (sig ^ ' ') * 0x100000001b3ULL;
			if (len < sizeof(list))
				len += (size_t)snprintf(list + len, sizeof(list) - len, " %s", rep->name);
			n++;
		}
		if (pod->ep_known && pod->ep_sig == sig)
			continue;
		pod->ep_sig = sig;
		pod->ep_known = true; /* a failure is retried on the next change */
		berr err = { 0 };
		if (in_child_net(publish_child, sv, owner, owner->name, &err) < 0)
			pod_event(pod, "published ports: %s", err.msg);
		else if (n)
			pod_event(pod, "published ports -> ready:%s", list);
		else
			pod_event(pod, "published ports -> %s (no replica ready)", owner->name);
	}
}

static int owner_child(struct sv *sv, void *arg, berr *err)
{
	struct net_config cfg;
	cfg_of(sv, &cfg);
	return net_owner_check(&cfg, err);
}

int podnet_owner_check(struct sv *sv, berr *err)
{
	if (!IS_ENABLED(CONFIG_NET))
		return 0;
	return in_child_net(owner_child, sv, NULL, "berth", err);
}
