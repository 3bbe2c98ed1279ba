// SPDX-License-Identifier: GPL-2.0-or-later
/* Services: every pod on the bridge has one of its own (its name, every
 * port, its replicas), and each NAME.svc file in the pods directory adds
 * one that selects pods by label. Each gets a stable address (VIP) and a
 * name in the network's hosts file (net_service_vips), and nftables rules
 * that balance new connections over the ready replicas (net/nat_svc.c).
 *
 * The daemon keeps what the table holds (each service's endpoints): an
 * endpoint change (readiness, a replica gone, a selector edited) is one
 * transaction over the services that changed (net_services_update); a
 * service added, removed or redefined rebuilds the table
 * (net_services_reset), as does the first sync after a start. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/kconfig.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "lib/units.h"
#include "net/net.h"
#include "supervisor/ini.h"
#include "supervisor/podnet.h"
#include "supervisor/service.h"
#include "supervisor/svcspec.h"
#include "supervisor/sv.h"


void svc_free_all(struct sv *sv)
{
	for (size_t i = 0; i < sv->nsvcs; i++)
		svc_free(sv->svcs[i]);
	free(sv->svcs);
	sv->svcs = NULL;
	sv->nsvcs = 0;
}


/* ---- the desired services --------------------------------------------------- */

static struct svc *pod_service(const struct pod *pod)
{
	struct svc *s = calloc(1, sizeof(*s));
	if (!s || !(s->name = strdup(pod->name))) {
		free(s);
		return NULL;
	}
	s->affinity_s = pod->spec->affinity ? (uint32_t)(pod->spec->affinity_timeout_ms / 1000) : 0;
	if (pod->spec->namespace && !(s->ns = strdup(pod->spec->namespace))) {
		svc_free(s);
		return NULL;
	}
	return s;
}

static bool ports_equal(const struct svc *a, const struct svc *b)
{
	return a->nports == b->nports &&
	       (a->nports == 0 || memcmp(a->ports, b->ports, a->nports * sizeof(*a->ports)) == 0);
}

/* same rules apart from the endpoints (a selector change is an endpoint change) */
static bool svc_same_shape(const struct svc *a, const struct svc *b)
{
	return strcmp(a->name, b->name) == 0 && (a->file == NULL) == (b->file == NULL) &&
	       strcmp(podspec_ns(a->ns), podspec_ns(b->ns)) == 0 &&
	       ports_equal(a, b) && a->affinity_s == b->affinity_s;
}

static struct svc *svc_find(struct svc **v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i]->name, name) == 0)
			return v[i];
	return NULL;
}

static void cfg_of(const struct sv *sv, struct net_config *cfg)
{
	*cfg = (struct net_config){ .root = sv->root, .run_dir = sv->run_dir,
				    .dns = sv->dns_addr[0] ? sv->dns_addr : NULL };
}

/* the length of S's name without its ".NS" */
static size_t short_len(const struct svc *s)
{
	return strlen(s->name) - (s->ns ? strlen(s->ns) + 1 : 0);
}

/* give each of V its VIP (and the hosts file its names) */
static int svc_vips(struct sv *sv, struct svc **v, size_t n, berr *err)
{
	struct net_config cfg;
	_cleanup_strv_ char **keys = calloc(n + 1, sizeof(char *));
	_cleanup_strv_ char **names = calloc(n + 1, sizeof(char *));
	_cleanup_free_ char **nss = calloc(n + 1, sizeof(char *));
	_cleanup_free_ uint32_t *vips = calloc(n + 1, sizeof(*vips));
	if (!keys || !names || !vips || !nss)
		return berr_fail(err, ENOMEM, "Out of memory");
	for (size_t i = 0; i < n; i++) {
		const char *ns = podspec_ns(v[i]->ns);
		nss[i] = (char *)ns;
		if (!(keys[i] = strdup(v[i]->name)) ||
		    asprintf(&names[i], "%.*s,%.*s.%s", (int)short_len(v[i]), v[i]->name,
			     (int)short_len(v[i]), v[i]->name, ns) < 0)
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	cfg_of(sv, &cfg);
	int r = net_service_vips(&cfg, keys, names, nss, vips, err);
	for (size_t i = 0; r == 0 && i < n; i++)
		v[i]->vip = vips[i];
	return r;
}

static void svc_load_dir(struct sv *sv, struct svc ***v, size_t *n)
{
	struct dirent **de = NULL;
	int nd = scandir(sv->pods_dir, &de, NULL, alphasort);
	for (int i = 0; i < nd; i++) {
		const char *nm = de[i]->d_name;
		size_t len = strlen(nm);
		_cleanup_free_ char *file = NULL;
		struct svc *s = NULL;
		berr err = { 0 };
		if (nm[0] == '.' || len <= 4 || strcmp(nm + len - 4, ".svc") != 0 ||
		    asprintf(&file, "%s/%s", sv->pods_dir, nm) < 0) {
			free(de[i]);
			continue;
		}
		free(de[i]);
		if (svc_spec_load(file, &s, &err) < 0) {
			log_error("%s (not applied)", err.msg);
			continue;
		}
		struct svc *other = svc_find(*v, *n, s->name);
		if (other) {
			if (other->file)
				log_error("%s: [service] name: \"%s\" is already used by %s (not applied)", file,
					  s->name, other->file);
			else
				log_error("%s: [service] name: \"%s\" is already the service of pod %s (not applied)",
					  file, s->name, s->name);
			svc_free(s);
			continue;
		}
		struct svc **nv = realloc(*v, (*n + 1) * sizeof(**v));
		if (!nv) {
			svc_free(s);
			continue;
		}
		*v = nv;
		(*v)[(*n)++] = s;
	}
	free(de);
}

void svc_reconcile(struct sv *sv)
{
	if (!IS_ENABLED(CONFIG_NET) || !IS_ENABLED(CONFIG_NET_NAT))
		return;
	struct svc **v = NULL;
	size_t n = 0;
	for (size_t i = 0; i < sv->npods; i++) {
		const struct pod *pod = sv->pods[i];
		if (pod->deleting || pod->spec->network != PODNET_BRIDGE)
			continue;
		struct svc *s = pod_service(pod);
		struct svc **nv = s ? realloc(v, (n + 1) * sizeof(*v)) : NULL;
		if (!nv) {
			svc_free(s);
			continue;
		}
		v = nv;
		v[n++] = s;
	}
	svc_load_dir(sv, &v, &n);
	/* the same shape as before: keep what the table holds */
	bool reset = n != sv->nsvcs || !sv->svc_synced;
	for (size_t i = 0; i < n; i++) {
		struct svc *old = svc_find(sv->svcs, sv->nsvcs, v[i]->name);
		if (!old || !svc_same_shape(old, v[i])) {
			reset = true;
			continue;
		}
		v[i]->eps = TAKE_PTR(old->eps);
		v[i]->neps = old->neps;
		v[i]->vip = old->vip;
	}
	berr err = { 0 };
	if (reset && svc_vips(sv, v, n, &err) < 0) {
		log_error("Services: %s", err.msg);
		for (size_t i = 0; i < n; i++)
			svc_free(v[i]);
		free(v);
		return;
	}
	svc_free_all(sv);
	sv->svcs = v;
	sv->nsvcs = n;
	if (reset)
		sv->svc_synced = false;
}

/* ---- endpoints ---------------------------------------------------------------- */

static bool labels_match(char *const *labels, char *const *selector)
{
	for (size_t i = 0; selector && selector[i]; i++) {
		bool found = false;
		for (size_t j = 0; labels && labels[j] && !found; j++)
			found = strcmp(labels[j], selector[i]) == 0;
		if (!found)
			return false;
	}
	return true;
}

static bool rep_ready(const struct replica *rep)
{
	return rep->attached && !rep->dead && rep->addr && sv_replica_ready(rep);
}

/* S's ready endpoints now, in pod then replica order; caller frees */
static uint32_t *svc_endpoints(const struct sv *sv, const struct svc *s, size_t *ret_n)
{
	size_t cap = 0, n = 0;
	for (size_t i = 0; i < sv->npods; i++)
		cap += sv->pods[i]->nreps;
	uint32_t *eps = calloc(cap + 1, sizeof(*eps));
	if (!eps)
		return NULL;
	for (size_t i = 0; i < sv->npods; i++) {
		const struct pod *pod = sv->pods[i];
		if (pod->deleting || pod->spec->network != PODNET_BRIDGE)
			continue;
		if (strcmp(podspec_ns(pod->spec->namespace), podspec_ns(s->ns)) != 0)
			continue;
		if (s->file ? !labels_match(pod->spec->labels, s->selector) : strcmp(pod->name, s->name) != 0)
			continue;
		for (size_t j = 0; j < pod->nreps; j++)
			if (rep_ready(pod->reps[j]))
				eps[n++] = pod->reps[j]->addr;
	}
	*ret_n = n;
	return eps;
}

static bool eps_equal(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
}

struct sync_arg {
	struct net_service *v;
	size_t n;
	bool reset;
};

static int sync_child(struct sv *sv, void *arg, berr *err)
{
	struct sync_arg *a = arg;
	struct net_config cfg;
	cfg_of(sv, &cfg);
	return a->reset ? net_services_reset(&cfg, a->v, a->n, err)
			: net_services_update(&cfg, a->v, a->n, err);
}

static void svc_event(struct sv *sv, const struct svc *s, const uint32_t *eps, size_t n)
{
	char list[200] = "", a[INET_ADDRSTRLEN];
	size_t len = 0;
	for (size_t i = 0; i < n && len < sizeof(list); i++) {
		struct in_addr in = { htonl(eps[i]) };
		inet_ntop(AF_INET, &in, a, sizeof(a));
		len += (size_t)snprintf(list + len, sizeof(list) - len, " %s", a);
	}
	struct pod *pod = s->file ? NULL : sv_pod_find(sv, s->name);
	if (pod)
		pod_event(pod, "service %s -> %s", s->name, n ? list + 1 : "no endpoint (refused)");
	else
		log_info("Service %s -> %s", s->name, n ? list + 1 : "no endpoint (refused)");
}

struct iso_arg {
	uint32_t *addrs;
	unsigned *nsidx;
	size_t n;
	unsigned nns;
};

static int isolate_child(struct sv *sv, void *arg, berr *err)
{
	struct iso_arg *a = arg;
	struct net_config cfg;
	cfg_of(sv, &cfg);
	return net_namespaces_isolate(&cfg, a->addrs, a->nsidx, a->n, a->nns, err);
}

/* namespace isolation: rewritten when a replica's address or namespace
 * set changes (attach, detach), not on readiness */
static void ns_sync(struct sv *sv)
{
	size_t cap = 1;
	for (size_t i = 0; i < sv->npods; i++)
		cap += sv->pods[i]->nreps;
	_cleanup_free_ uint32_t *addrs = calloc(cap, sizeof(*addrs));
	_cleanup_free_ unsigned *nsidx = calloc(cap, sizeof(*nsidx));
	_cleanup_free_ const char **names = calloc(cap, sizeof(*names));
	uint64_t sig = 0xcbf29ce484222325ULL;
	size_t n = 0;
	unsigned nns = 0;
	if (!addrs || !nsidx || !names)
		return;
	for (size_t i = 0; i < sv->npods; i++) {
		const struct pod *pod = sv->pods[i];
		const char *ns = podspec_ns(pod->spec->namespace);
		unsigned k = 0;
		while (k < nns && strcmp(names[k], ns) != 0)
			k++;
		for (size_t j = 0; j < pod->nreps; j++) {
			const struct replica *rep = pod->reps[j];
			if (!rep->attached || rep->dead || !rep->addr)
				continue;
			if (k == nns)
				names[nns++] = ns;
			addrs[n] = rep->addr;
			nsidx[n++] = k;
			sig = (sig ^ rep->addr) * 0x100000001b3ULL;
			for (const char *c = ns; *c; c++)
				sig = (sig ^ (unsigned char)*c) * 0x100000001b3ULL;
		}
	}
	if (sv->ns_known && sv->ns_sig == sig)
		return;
	sv->ns_sig = sig;
	sv->ns_known = true; /* a failure is retried on the next change */
	/* one namespace: no rules, and none to remove once they are gone */
	if (nns < 2 && sv->ns_none)
		return;
	struct iso_arg arg = { addrs, nsidx, n, nns };
	berr err = { 0 };
	if (in_child_net(isolate_child, sv, &arg, "namespaces", &err) < 0)
		log_error("Namespaces: %s", err.msg);
	else
		sv->ns_none = nns < 2;
}

void svc_sync(struct sv *sv)
{
	if (IS_ENABLED(CONFIG_NET) && IS_ENABLED(CONFIG_NET_NAT))
		ns_sync(sv);
	if (!IS_ENABLED(CONFIG_NET) || !IS_ENABLED(CONFIG_NET_NAT) ||
	    (sv->nsvcs == 0 && sv->svc_synced))
		return;
	size_t n = sv->nsvcs, nch = 0;
	_cleanup_free_ struct net_service *v = calloc(n + 1, sizeof(*v));
	_cleanup_free_ uint32_t **now = calloc(n + 1, sizeof(*now));
	_cleanup_free_ size_t *nnow = calloc(n + 1, sizeof(*nnow));
	_cleanup_free_ size_t *idx = calloc(n + 1, sizeof(*idx));
	if (!v || !now || !nnow || !idx)
		return;
	bool reset = !sv->svc_synced;
	for (size_t i = 0; i < n; i++) {
		struct svc *s = sv->svcs[i];
		now[i] = svc_endpoints(sv, s, &nnow[i]);
		if (!now[i])
			goto out;
		if (!reset && eps_equal(now[i], nnow[i], s->eps, s->neps))
			continue;
		v[nch] = (struct net_service){ .key = s->name, .vip = s->vip, .ports = s->ports,
					       .nports = s->nports, .affinity_s = s->affinity_s,
					       .eps = now[i], .neps = nnow[i], .old_eps = s->eps,
					       .nold = s->neps };
		idx[nch++] = i;
	}
	if (nch == 0 && !reset)
		goto out;
	struct sync_arg arg = { v, nch, reset };
	berr err = { 0 };
	if (in_child_net(sync_child, sv, &arg, "services", &err) < 0) {
		log_error("Services: %s", err.msg);
		/* the table may not hold what we think: rebuild it on the next change */
		sv->svc_synced = false;
		goto out;
	}
	sv->svc_synced = true;
	for (size_t j = 0; j < nch; j++) {
		struct svc *s = sv->svcs[idx[j]];
		bool moved = !eps_equal(now[idx[j]], nnow[idx[j]], s->eps, s->neps);
		free(s->eps);
		s->eps = TAKE_PTR(now[idx[j]]);
		s->neps = nnow[idx[j]];
		if (moved || reset)
			svc_event(sv, s, s->eps, s->neps);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(now[i]);
}

const struct svc *svc_lookup(const struct sv *sv, const char *name)
{
	return svc_find(sv->svcs, sv->nsvcs, name);
}

void svc_describe(const struct svc *s, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];
	struct in_addr in = { htonl(s->vip) };
	inet_ntop(AF_INET, &in, a, sizeof(a));
	snprintf(buf, len, "%s %s %zu endpoint%s%s", s->name, a, s->neps, s->neps == 1 ? "" : "s",
		 s->affinity_s ? " affinity=client-ip" : "");
}
