// SPDX-License-Identifier: GPL-2.0-or-later
/* net_attach / net_detach / net_reconcile: the pod network's lifecycle.
 * Every change happens under the network's lease lock, so hosts files,
 * leases and NAT elements always agree. */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <netlink/netlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/kconfig.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "net/ipam.h"
#include "net/lease.h"
#include "net/link.h"
#include "net/names.h"
#include "net/nat.h"
#include "net/net.h"

#define POD_IFNAME "eth0"

struct netctx {
	const struct net_config *cfg;
	const char *name, *bridge;
	struct net_cidr cidr;
	unsigned mtu;
	char dir[PATH_MAX];	/* ROOT/net/NAME: leases */
	char etcdir[PATH_MAX];	/* RUN_DIR/net/NAME: hosts, resolv */
	struct ipam ipam;
	struct lease_info *leases;
	size_t n;
	char bridge_buf[IF_NAMESIZE], subnet_buf[24], subnet6_buf[48];
	struct net_cidr6 cidr6;
	bool v6;		/* dual stack */
	struct net_cidr svc;	/* service subnet */
	char svc_buf[24];
	char svcdir[PATH_MAX];	/* ROOT/net/NAME/svc: service address leases */
};

#define NETWORK_FILE "network" /* ROOT/net/NAME/network: bridge, subnet, mtu while it exists */

bool net_name_valid(const char *name, size_t max)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len > max || !((name[0] >= 'a' && name[0] <= 'z') ||
				       (name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= '0' && name[0] <= '9')))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == len;
}

/* The settings a network was made with (while its bridge exists): later
 * calls that do not name them get them, calls that name others are refused. */
static int ctx_saved(struct netctx *ctx, const struct net_config *cfg, berr *err)
{
	_cleanup_free_ char *text = NULL;
	char path[PATH_MAX + 16];
	unsigned mtu = 0;

	snprintf(path, sizeof(path), "%s/" NETWORK_FILE, ctx->dir);
	if (read_file_at(AT_FDCWD, path, 4096, &text, NULL, NULL) < 0)
		return 0;
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
		if (!strncmp(l, "bridge=", 7))
			snprintf(ctx->bridge_buf, sizeof(ctx->bridge_buf), "%s", l + 7);
		else if (!strncmp(l, "subnet=", 7))
			snprintf(ctx->subnet_buf, sizeof(ctx->subnet_buf), "%s", l + 7);
		else if (!strncmp(l, "subnet6=", 8))
			snprintf(ctx->subnet6_buf, sizeof(ctx->subnet6_buf), "%s", l + 8);
		else if (!strncmp(l, "service-subnet=", 15))
			snprintf(ctx->svc_buf, sizeof(ctx->svc_buf), "%s", l + 15);
		else if (!strncmp(l, "mtu=", 4))
			mtu = (unsigned)strtoul(l + 4, NULL, 10);
	}
	if (ctx->bridge_buf[0] && cfg->bridge && strcmp(cfg->bridge, ctx->bridge_buf))
		return berr_fail(err, EEXIST, "Network %s uses bridge \"%s\", not \"%s\" (prune it first to change it)",
				 ctx->name, ctx->bridge_buf, cfg->bridge);
	if (ctx->subnet_buf[0] && cfg->subnet && strcmp(cfg->subnet, ctx->subnet_buf))
		return berr_fail(err, EEXIST, "Network %s uses subnet %s, not %s (prune it first to change it)",
				 ctx->name, ctx->subnet_buf, cfg->subnet);
	if (ctx->bridge_buf[0] && cfg->subnet6 && strcmp(cfg->subnet6, ctx->subnet6_buf))
		return berr_fail(err, EEXIST, "Network %s uses IPv6 subnet \"%s\", not \"%s\" (prune it first to change it)",
				 ctx->name, ctx->subnet6_buf, cfg->subnet6);
	if (ctx->svc_buf[0] && cfg->service_subnet && strcmp(cfg->service_subnet, ctx->svc_buf))
		return berr_fail(err, EEXIST, "Network %s uses service subnet %s, not %s (prune it first to change it)",
				 ctx->name, ctx->svc_buf, cfg->service_subnet);
	if (ctx->bridge_buf[0])
		ctx->bridge = ctx->bridge_buf;
	if (mtu && !cfg->mtu)
		ctx->mtu = mtu;
	return 0;
}

static int ctx_config(struct netctx *ctx, const struct net_config *cfg, berr *err)
{
	int r;

	ctx->cfg = cfg;
	ctx->name = cfg->name ? cfg->name : "berth";
	ctx->bridge = cfg->bridge ? cfg->bridge : CONFIG_NET_BRIDGE;
	ctx->mtu = cfg->mtu ? cfg->mtu : 1500;
	ctx->ipam.dirfd = ctx->ipam.lockfd = -1;
	/* the network name becomes part of an nftables table name */
	if (!net_name_valid(ctx->name, 15) || strpbrk(ctx->name, ".-"))
		return berr_fail(err, EINVAL, "Network name \"%s\" is not [A-Za-z0-9_]{1,15}", ctx->name);
	if (!cfg->root || !cfg->run_dir)
		return berr_fail(err, EINVAL, "Network \"%s\": no state root or run directory", ctx->name);
	if (snprintf(ctx->dir, sizeof(ctx->dir), "%s/net/%s", cfg->root, ctx->name) >= (int)sizeof(ctx->dir) ||
	    snprintf(ctx->svcdir, sizeof(ctx->svcdir), "%s/net/%s/svc", cfg->root, ctx->name) >= (int)sizeof(ctx->svcdir) ||
	    snprintf(ctx->etcdir, sizeof(ctx->etcdir), "%s/net/%s", cfg->run_dir, ctx->name) >= (int)sizeof(ctx->etcdir))
		return berr_fail(err, ENAMETOOLONG, "State path of network \"%s\" is too long", ctx->name);
	r = ctx_saved(ctx, cfg, err);
	if (r < 0)
		return r;
	if (!net_name_valid(ctx->bridge, IF_NAMESIZE - 1))
		return berr_fail(err, EINVAL, "Bridge name \"%s\" is not a valid interface name", ctx->bridge);
	if (ctx->mtu < 576 || ctx->mtu > 65535)
		return berr_fail(err, EINVAL, "MTU %u is out of range 576-65535", ctx->mtu);
	r = cidr_parse(cfg->subnet ? cfg->subnet : ctx->subnet_buf[0] ? ctx->subnet_buf : CONFIG_NET_SUBNET,
		       &ctx->cidr, err);
	if (r < 0)
		return r;
	r = cidr_parse(cfg->service_subnet ? cfg->service_subnet
		       : ctx->svc_buf[0]    ? ctx->svc_buf
					    : CONFIG_NET_SERVICE_SUBNET,
		       &ctx->svc, err);
	if (r < 0)
		return berr_prefix(err, "Service subnet");
	if (cidr_overlap(&ctx->svc, &ctx->cidr))
		return berr_fail(err, EINVAL, "Service subnet of network %s overlaps its pod subnet", ctx->name);
	const char *s6 = cfg->subnet6 ? cfg->subnet6 : ctx->subnet6_buf;
	ctx->v6 = *s6 != '\0';
	return ctx->v6 ? cidr6_parse(s6, &ctx->cidr6, err) : 0;
}

/* IPv6 address of the pod with IPv4 address A (or the gateway's). */
static void ctx_addr6(const struct netctx *ctx, uint32_t a, uint8_t ret[16])
{
	cidr6_host(&ctx->cidr6, a - ctx->cidr.addr, ret);
}

static const struct net_cidr6 *ctx_c6(const struct netctx *ctx)
{
	return ctx->v6 ? &ctx->cidr6 : NULL;
}

static int ctx_save(struct netctx *ctx, berr *err)
{
	char text[256], net[IPV4_STRLEN], net6[IPV6_STRLEN];
	int n = snprintf(text, sizeof(text), "bridge=%s\nsubnet=%s/%u\nmtu=%u\n", ctx->bridge,
			 ipv4_format(ctx->cidr.addr, net), ctx->cidr.prefix, ctx->mtu);
	n += snprintf(text + n, sizeof(text) - (size_t)n, "service-subnet=%s/%u\n",
		      ipv4_format(ctx->svc.addr, net), ctx->svc.prefix);

	if (ctx->v6)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "subnet6=%s/%u\n",
			      ipv6_format(ctx->cidr6.addr, net6), ctx->cidr6.prefix);
	return write_file_atomic(ctx->ipam.dirfd, NETWORK_FILE, text, (size_t)n, 0600, err);
}

/* Lock the network and load its leases. A lease that does not parse is
 * kept aside as pod "" so reconcile frees it. */
static int ctx_open(struct netctx *ctx, const struct net_config *cfg, berr *err)
{
	struct ipam_entry *e = NULL;
	size_t n = 0;
	int r = ctx_config(ctx, cfg, err);

	if (r < 0)
		return r;
	r = ipam_open(&ctx->ipam, ctx->dir, &ctx->cidr, err);
	if (r < 0)
		return r;
	r = ipam_list(&ctx->ipam, &e, &n, err);
	if (r < 0)
		return r;
	ctx->leases = calloc(n + 1, sizeof(*ctx->leases));
	if (!ctx->leases) {
		ipam_entries_free(e, n);
		return berr_fail(err, ENOMEM, "Out of memory");
	}
	for (size_t i = 0; i < n; i++, ctx->n++)
		if (lease_parse(e[i].content, e[i].addr, &ctx->leases[ctx->n]) < 0)
			ctx->leases[ctx->n] = (struct lease_info){ .addr = e[i].addr };
	ipam_entries_free(e, n);
	return 0;
}

static void ctx_close(struct netctx *ctx)
{
	ipam_close(&ctx->ipam);
	free(ctx->leases);
	ctx->leases = NULL;
	ctx->n = 0;
}

static struct lease_info *ctx_find(struct netctx *ctx, const char *pod)
{
	for (size_t i = 0; i < ctx->n; i++)
		if (ctx->leases[i].pod[0] && strcmp(ctx->leases[i].pod, pod) == 0)
			return &ctx->leases[i];
	return NULL;
}

static void ctx_remove(struct netctx *ctx, struct lease_info *l)
{
	size_t i = (size_t)(l - ctx->leases);
	memmove(l, l + 1, (ctx->n - i - 1) * sizeof(*l));
	ctx->n--;
}

static void etc_path(const struct netctx *ctx, const char *pod, const char *ext, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s.%s", ctx->etcdir, pod, ext);
}

/* ---- service addresses: leases under ROOT/net/NAME/svc ------------------
 * Each file holds "svc=KEY" and "names=NAME,NAME..." (the host names). */
struct svc_names {
	struct names_pod *v;
	const char **ns;	/* v[i]'s namespace ("" = default) */
	struct ipam_entry *e;
	size_t n, ne;
};

static void svc_names_free(struct svc_names *sn)
{
	free(sn->v);
	free(sn->ns);
	ipam_entries_free(sn->e, sn->ne);
	*sn = (struct svc_names){ 0 };
}

/* "KEY" of a lease's TEXT, and its names (pointers into TEXT, which is cut) */
static void svc_lease_parse(char *text, char **ret_key, char **ret_names, char **ret_ns)
{
	char *save = NULL;
	*ret_key = *ret_names = NULL;
	*ret_ns = "";
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(l, "svc=", 4))
			*ret_key = l + 4;
		else if (!strncmp(l, "names=", 6))
			*ret_names = l + 6;
		else if (!strncmp(l, "ns=", 3))
			*ret_ns = l + 3;
	}
}

/* The services' names for the hosts file (none when there is no service
 * directory). -ENOMEM only. */
static int svc_names_load(struct netctx *ctx, struct svc_names *sn)
{
	struct ipam ipam = { .dirfd = -1, .lockfd = -1 };

	*sn = (struct svc_names){ 0 };
	if (access(ctx->svcdir, F_OK) < 0 || ipam_open(&ipam, ctx->svcdir, &ctx->svc, NULL) < 0)
		return 0;
	if (ipam_list(&ipam, &sn->e, &sn->ne, NULL) < 0)
		sn->ne = 0;
	ipam_close(&ipam);
	sn->v = calloc(sn->ne + 1, sizeof(*sn->v));
	sn->ns = calloc(sn->ne + 1, sizeof(*sn->ns));
	if (!sn->v || !sn->ns)
		return -ENOMEM;
	for (size_t i = 0; i < sn->ne; i++) {
		char *key, *names, *ns;
		svc_lease_parse(sn->e[i].content, &key, &names, &ns);
		sn->ns[sn->n] = ns;
		if (!key || !names || !*names)
			continue;
		char *comma = strchr(names, ',');
		if (comma)
			*comma = '\0';
		sn->v[sn->n++] = (struct names_pod){ .addr = sn->e[i].addr, .pod = names,
						     .aliases = comma ? comma + 1 : NULL };
	}
	return 0;
}

/* Rewrite the network's hosts file, shared by all its pods (in place: it
 * is bind-mounted into them); removed when no pod is left. */
#define NS_DIR "hosts.ns" /* RUN_DIR/net/NAME/hosts.ns/NS: the other namespaces' hosts files */

static bool ns_listed(const char **v, size_t n, const char *ns)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], ns) == 0)
			return true;
	return false;
}

/* hosts (default namespace) or hosts.ns/NS: the pods and services of NS */
static int hosts_write_ns(struct netctx *ctx, int dfd, const char *ns, const struct names_pod *all,
			  const char **allns, size_t n, berr *err)
{
	_cleanup_free_ struct names_pod *v = calloc(n + 1, sizeof(*v));
	_cleanup_free_ char *text = NULL;
	char name[80];
	size_t m = 0;

	if (!v)
		return berr_fail(err, ENOMEM, "Out of memory");
	for (size_t i = 0; i < n; i++)
		if (strcmp(allns[i], ns) == 0)
			v[m++] = all[i];
	snprintf(name, sizeof(name), ns[0] ? NS_DIR "/%s" : "hosts", ns);
	if (ns[0] && mkdirat(dfd, NS_DIR, 0755) < 0 && errno != EEXIST)
		return berr_errno(err, errno, "Create \"%s/" NS_DIR "\"", ctx->etcdir);
	text = names_hosts_render(ctx->name, v, m, (size_t)-1);
	if (!text)
		return berr_fail(err, ENOMEM, "Out of memory");
	return names_write_inplace(dfd, name, text, err);
}

/* Rewrite the network's hosts files (in place: they are bind-mounted into
 * the pods): "hosts" for the default namespace, "hosts.ns/NS" for each other,
 * each listing the pods and services of its namespace only. Removed when
 * their namespace has no pod nor service left. */
static int hosts_refresh(struct netctx *ctx, berr *err)
{
	struct svc_names sn = { 0 };
	_cleanup_close_ int dfd = -1;
	int r = 0;

	if (svc_names_load(ctx, &sn) < 0)
		return berr_fail(err, ENOMEM, "Out of memory");
	size_t cap = ctx->n + sn.n + 1, n = 0, nns = 0;
	_cleanup_free_ struct names_pod *all = calloc(cap, sizeof(*all));
	_cleanup_free_ const char **allns = calloc(cap, sizeof(*allns));
	_cleanup_free_ const char **nss = calloc(cap, sizeof(*nss));
	_cleanup_free_ char (*a6)[IPV6_STRLEN] = calloc(cap, IPV6_STRLEN);
	if (!all || !allns || !nss || !a6) {
		svc_names_free(&sn);
		return berr_fail(err, ENOMEM, "Out of memory");
	}
	for (size_t i = 0; i < ctx->n; i++) {
		if (!ctx->leases[i].pod[0])
			continue;
		if (ctx->v6) {
			uint8_t b[16];
			ctx_addr6(ctx, ctx->leases[i].addr, b);
			ipv6_format(b, a6[n]);
		}
		all[n] = (struct names_pod){ ctx->leases[i].addr, ctx->leases[i].pod, ctx->leases[i].hostname,
					     ctx->leases[i].aliases, a6[n] };
		allns[n++] = ctx->leases[i].ns;
	}
	for (size_t i = 0; i < sn.n; i++) {
		all[n] = sn.v[i];
		allns[n++] = sn.ns[i];
	}
	for (size_t i = 0; i < n; i++)
		if (!ns_listed(nss, nns, allns[i]))
			nss[nns++] = allns[i];
	dfd = open(ctx->etcdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 && errno == ENOENT && n > 0) {
		r = mkdir_p(ctx->etcdir, 0755, err);
		if (r == 0)
			dfd = open(ctx->etcdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (r == 0 && dfd < 0 && n > 0)
		r = berr_errno(err, errno, "Open \"%s\"", ctx->etcdir);
	for (size_t i = 0; r == 0 && i < nns; i++)
		r = hosts_write_ns(ctx, dfd, nss[i], all, allns, n, err);
	if (r == 0 && dfd >= 0 && !ns_listed(nss, nns, ""))
		unlinkat(dfd, "hosts", 0);
	if (r == 0 && dfd >= 0) {
		/* the files of namespaces with nothing left (a small directory:
		 * one file per namespace) */
		int nsfd = openat(dfd, NS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		_cleanup_(closedirp) DIR *d = nsfd >= 0 ? fdopendir(nsfd) : NULL;
		struct dirent *de;
		if (nsfd >= 0 && !d)
			close(nsfd);
		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.' && !ns_listed(nss, nns, de->d_name))
				unlinkat(dirfd(d), de->d_name, 0);
	}
	svc_names_free(&sn);
	return r;
}

static void etc_remove(const struct netctx *ctx, const char *pod)
{
	char path[PATH_MAX];

	etc_path(ctx, pod, "resolv", path, sizeof(path));
	unlink(path);
}

static int resolv_write(const struct netctx *ctx, const char *pod, berr *err)
{
	_cleanup_free_ char *text = NULL;
	char name[NET_POD_MAX + 8];
	_cleanup_close_ int dfd = -1;
	int r = names_resolv_render(ctx->cfg->host_resolv, ctx->cfg->dns, &text, err);

	if (r < 0)
		return r;
	dfd = open(ctx->etcdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return berr_errno(err, errno, "Open \"%s\"", ctx->etcdir);
	snprintf(name, sizeof(name), "%s.resolv", pod);
	return names_write_inplace(dfd, name, text, err);
}

/* Veth names derive from the network and the pod (FNV-1a), so a leftover
 * from a crash is recognised and replaced. */
static void veth_name(const struct netctx *ctx, const char *pod, char buf[IF_NAMESIZE])
{
	uint32_t h = 2166136261u;

	for (const char *p = ctx->name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h = (h ^ '/') * 16777619u;
	for (const char *p = pod; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	snprintf(buf, IF_NAMESIZE, "bv%08x", h);
}

static bool ports_clash(const struct net_port *a, const struct net_port *b)
{
	return a->proto == b->proto && a->host_port == b->host_port &&
	       (a->host_ip == 0 || b->host_ip == 0 || a->host_ip == b->host_ip);
}

/* Is P published already, or bound by a socket of the host? */
static int port_check(const struct netctx *ctx, const struct net_port *p, berr *err)
{
	char desc[64], ip[IPV4_STRLEN];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(p->host_port),
				  .sin_addr.s_addr = htonl(p->host_ip) };
	_cleanup_close_ int fd = -1;

	net_port_format(p, desc, sizeof(desc));
	for (size_t i = 0; i < ctx->n; i++)
		for (size_t j = 0; j < ctx->leases[i].nports; j++)
			if (ports_clash(p, &ctx->leases[i].ports[j]))
				return berr_fail(err, EADDRINUSE, "Host port %s:%u/%s is already published by pod \"%s\"",
						 ipv4_format(p->host_ip, ip), p->host_port,
						 p->proto == IPPROTO_UDP ? "udp" : "tcp", ctx->leases[i].pod);
	fd = socket(AF_INET, (p->proto == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return berr_errno(err, errno, "Port %s: socket", desc);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == EADDRINUSE)
			return berr_fail(err, EADDRINUSE, "Host port %s:%u/%s is already in use on the host",
					 ipv4_format(p->host_ip, ip), p->host_port,
					 p->proto == IPPROTO_UDP ? "udp" : "tcp");
		if (errno == EADDRNOTAVAIL)
			return berr_fail(err, EADDRNOTAVAIL, "Port %s: %s is not an address of the host", desc,
					 ipv4_format(p->host_ip, ip));
	}
	return 0;
}

static int opts_check(const struct netctx *ctx, const char *pod, const struct net_attach_opts *o,
		      berr *err)
{
	if (!net_name_valid(pod, NET_POD_MAX))
		return berr_fail(err, EINVAL, "Pod name \"%s\" is not valid", pod ? pod : "");
	if (o->nports > LEASE_PORTS_MAX)
		return berr_fail(err, E2BIG, "Pod \"%s\": more than %d published ports", pod, LEASE_PORTS_MAX);
	if (o->ns && (!net_name_valid(o->ns, 63) || strchr(o->ns, '.')))
		return berr_fail(err, EINVAL, "Namespace \"%s\" is not valid", o->ns);
	if (o->hostname && *o->hostname && !net_name_valid(o->hostname, 64))
		return berr_fail(err, EINVAL, "Hostname \"%s\" is not valid", o->hostname);
	for (size_t i = 0; o->aliases && o->aliases[i]; i++)
		if (!net_name_valid(o->aliases[i], 64))
			return berr_fail(err, EINVAL, "Alias \"%s\" is not valid", o->aliases[i]);
	for (size_t i = 0; i < o->nports; i++) {
		if (o->ports[i].host_port == 0 || o->ports[i].port == 0 ||
		    (o->ports[i].proto != IPPROTO_TCP && o->ports[i].proto != IPPROTO_UDP))
			return berr_fail(err, EINVAL, "Pod \"%s\": bad published port", pod);
		for (size_t j = 0; j < i; j++)
			if (ports_clash(&o->ports[i], &o->ports[j]))
				return berr_fail(err, EADDRINUSE, "Pod \"%s\": host port %u published twice", pod,
						 o->ports[i].host_port);
	}
	return 0;
}

static void lease_fill(struct lease_info *l, const char *pod, const char *ifname,
		       const struct net_attach_opts *o)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->pod, sizeof(l->pod), "%s", pod);
	snprintf(l->ifname, sizeof(l->ifname), "%s", ifname);
	if (o->hostname)
		snprintf(l->hostname, sizeof(l->hostname), "%s", o->hostname);
	for (size_t i = 0, off = 0; o->aliases && o->aliases[i]; i++) {
		int w = snprintf(l->aliases + off, sizeof(l->aliases) - off, "%s%s", i ? "," : "", o->aliases[i]);
		if (w < 0 || (size_t)w >= sizeof(l->aliases) - off)
			break;
		off += (size_t)w;
	}
	memcpy(l->ports, o->ports, o->nports * sizeof(*o->ports));
	l->nports = o->nports;
	if (o->ns && strcmp(o->ns, "default"))
		snprintf(l->ns, sizeof(l->ns), "%s", o->ns);
}

static void nat_entries(const struct lease_info *l, struct nat_entry *e)
{
	for (size_t i = 0; i < l->nports; i++)
		e[i] = (struct nat_entry){ l->addr, l->ports[i] };
}

static int sysctl_set(const char *path, berr *err)
{
	char cur[4] = "";
	_cleanup_close_ int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return berr_errno(err, errno, "Open \"%s\"", path);
	if (read(fd, cur, sizeof(cur) - 1) > 0 && cur[0] == '1')
		return 0;
	if (pwrite(fd, "1", 1, 0) != 1)
		return berr_errno(err, errno, "Write 1 to \"%s\"", path);
	return 0;
}

/* A bridge names the state root of the berth that made it (its alias):
 * a second berth with another root (a second daemon) is refused, naming
 * the first, instead of taking its addresses, veths and NAT table. A
 * bridge without the mark (older berth, made by hand) is taken as is. */
#define OWNER_PREFIX "berth root="

static int bridge_owner_check(struct netctx *ctx, struct nl_sock *sk, berr *err)
{
	char alias[PATH_MAX + 16];
	int r = link_alias_get(sk, ctx->bridge, alias, sizeof(alias), err);

	if (r < 0 || strncmp(alias, OWNER_PREFIX, strlen(OWNER_PREFIX)) != 0 ||
	    strcmp(alias + strlen(OWNER_PREFIX), ctx->cfg->root) == 0)
		return r;
	return berr_fail(err, EBUSY,
			 "Bridge \"%s\" of network %s belongs to the berth with state root \"%s\" "
			 "(another daemon); a second state root needs a network of its own",
			 ctx->bridge, ctx->name, alias + strlen(OWNER_PREFIX));
}

int net_owner_check(const struct net_config *cfg, berr *err)
{
	struct netctx ctx = { 0 };
	_cleanup_nl_ struct nl_sock *sk = NULL;
	bool is_bridge = false;
	int br = 0, r = ctx_config(&ctx, cfg, err);

	if (r == 0)
		r = nlx_open(-1, &sk, err);
	if (r == 0)
		r = link_lookup(sk, ctx.bridge, &br, &is_bridge, err);
	if (r == 0 && br && is_bridge)
		r = bridge_owner_check(&ctx, sk, err);
	return r;
}

/* The bridge, its sysctls and the NAT table; *ret_created when this call
 * made them (the caller's rollback then removes them). */
static int bridge_ensure(struct netctx *ctx, struct nl_sock *sk, int *ret_ifindex, bool *ret_created,
			 berr *err)
{
	char path[128];
	bool is_bridge = false;
	int ifindex, r;

	*ret_created = false;
	r = link_lookup(sk, ctx->bridge, &ifindex, &is_bridge, err);
	if (r < 0)
		return r;
	if (ifindex && !is_bridge)
		return berr_fail(err, EEXIST, "Link \"%s\" exists and is not a bridge", ctx->bridge);
	if (ifindex) {
		r = bridge_owner_check(ctx, sk, err);
		if (r < 0)
			return r;
		*ret_ifindex = ifindex;
		return 0;
	}
	r = route_check_overlap(sk, &ctx->cidr, 0, err);
	if (r < 0)
		return r;
	r = link_bridge_create(sk, ctx->bridge, cidr_gateway(&ctx->cidr), ctx->cidr.prefix, ctx->mtu,
			       &ifindex, err);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/route_localnet", ctx->bridge);
	r = sysctl_set("/proc/sys/net/ipv4/ip_forward", err);
	if (r == 0)
		r = sysctl_set(path, err);
	if (r == 0 && ctx->v6) {
		uint8_t gw6[16];
		ctx_addr6(ctx, cidr_gateway(&ctx->cidr), gw6);
		r = link_addr6_add(sk, ifindex, gw6, ctx->cidr6.prefix, NULL, err);
		if (r == 0)
			r = sysctl_set("/proc/sys/net/ipv6/conf/all/forwarding", err);
	}
	if (r == 0)
		r = nat_setup(ctx->name, &ctx->cidr, ctx_c6(ctx), ctx->bridge, NULL, 0, err);
	if (r == 0 && IS_ENABLED(CONFIG_NET_NAT))
		r = link_route_add(sk, ifindex, &ctx->svc, err);
	if (r == 0) {
		char alias[PATH_MAX + 16];
		snprintf(alias, sizeof(alias), OWNER_PREFIX "%s", ctx->cfg->root);
		r = link_alias_set(sk, ifindex, alias, err);
	}
	if (r == 0)
		r = ctx_save(ctx, err);
	if (r < 0) {
		nat_delete(ctx->name, NULL);
		link_delete(sk, ctx->bridge, NULL);
		return r;
	}
	*ret_ifindex = ifindex;
	*ret_created = true;
	return 0;
}

/* Test hook: BERTH_NET_STALL=PHASE stops the process (SIGSTOP) at PHASE so a
 * test can kill it mid-setup. */
static void stall_point(const char *phase)
{
	const char *s = getenv("BERTH_NET_STALL");
	if (s && strcmp(s, phase) == 0)
		raise(SIGSTOP);
}

static void lease_result(const struct netctx *ctx, const struct lease_info *l, struct net_lease *ret)
{
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->pod, sizeof(ret->pod), "%s", l->pod);
	ret->addr.s_addr = htonl(l->addr);
	ret->gateway.s_addr = htonl(cidr_gateway(&ctx->cidr));
	ret->prefix = ctx->cidr.prefix;
	if (ctx->v6) {
		uint8_t a6[16];
		ctx_addr6(ctx, l->addr, a6);
		ipv6_format(a6, ret->addr6);
	}
	snprintf(ret->host_ifname, sizeof(ret->host_ifname), "%s", l->ifname);
	if (l->ns[0])
		snprintf(ret->hosts_path, sizeof(ret->hosts_path), "%s/" NS_DIR "/%s", ctx->etcdir, l->ns);
	else
		snprintf(ret->hosts_path, sizeof(ret->hosts_path), "%s/hosts", ctx->etcdir);
	etc_path(ctx, l->pod, "resolv", ret->resolv_path, sizeof(ret->resolv_path));
}

static int attach_links(struct netctx *ctx, struct nl_sock *sk, int br, int netns_fd,
			struct lease_info *l, berr *err)
{
	_cleanup_nl_ struct nl_sock *podsk = NULL;
	int ifindex, r;

	r = link_veth_create(sk, l->ifname, br, POD_IFNAME, netns_fd, ctx->mtu, err);
	if (r == -EEXIST) { /* a leftover of a crashed attach of this pod */
		r = link_delete(sk, l->ifname, err);
		if (r == 0)
			r = link_veth_create(sk, l->ifname, br, POD_IFNAME, netns_fd, ctx->mtu, err);
	}
	if (r < 0)
		return r;
	trace_phase("net: veth");
	stall_point("veth");
	r = link_lookup(sk, l->ifname, &ifindex, NULL, err);
	if (r == 0)
		r = link_set_hairpin(sk, ifindex, err);
	if (r == 0)
		r = nlx_open(netns_fd, &podsk, err);
	if (r == 0)
		r = link_pod_setup(podsk, POD_IFNAME, l->addr, ctx->cidr.prefix, cidr_gateway(&ctx->cidr), err);
	if (r == 0 && ctx->v6) {
		uint8_t a6[16], gw6[16];
		int podif;
		ctx_addr6(ctx, l->addr, a6);
		ctx_addr6(ctx, cidr_gateway(&ctx->cidr), gw6);
		r = link_ifindex(podsk, POD_IFNAME, &podif, err);
		if (r == 0)
			r = link_addr6_add(podsk, podif, a6, ctx->cidr6.prefix, gw6, err);
	}
	if (r < 0)
		link_delete(sk, l->ifname, NULL);
	return r;
}

static int detach_locked(struct netctx *ctx, struct nl_sock *sk, struct lease_info *l, unsigned flags,
			 berr *err);
static int nat_rebuild(struct netctx *ctx, berr *err);
static int reconcile_leases(struct netctx *ctx, struct nl_sock *sk, char *const *live, berr *err);

static bool veth_gone(struct nl_sock *sk, const struct lease_info *l)
{
	int ifindex = -1;
	return link_lookup(sk, l->ifname, &ifindex, NULL, NULL) == 0 && ifindex == 0;
}

/* Leases in the way of this attach (the same pod name, a wanted host port)
 * whose pod is dead (its veth went with its namespace) are freed on the
 * spot: a container run with -d --rm, or killed, is not `berth rm`ed. */
static int reclaim_dead(struct netctx *ctx, struct nl_sock *sk, const char *pod,
			const struct net_attach_opts *o, berr *err)
{
	bool rebuild = false;
	int r;

	for (size_t i = 0; i < ctx->n;) {
		struct lease_info *l = &ctx->leases[i];
		bool in_way = l->pod[0] && strcmp(l->pod, pod) == 0;
		for (size_t j = 0; !in_way && j < l->nports; j++)
			for (size_t k = 0; !in_way && k < o->nports; k++)
				in_way = ports_clash(&l->ports[j], &o->ports[k]);
		if (!in_way || !veth_gone(sk, l)) {
			i++;
			continue;
		}
		r = detach_locked(ctx, sk, l, 0, err);
		if (r < 0)
			return r;
		rebuild |= r > 0;
	}
	return rebuild ? nat_rebuild(ctx, err) : 0;
}

int net_attach(const struct net_config *cfg, int netns_fd, const char *pod_name,
	       const struct net_attach_opts *opts, struct net_lease *ret, berr *err)
{
	static const struct net_attach_opts none;
	struct netctx ctx = { 0 };
	_cleanup_nl_ struct nl_sock *sk = NULL;
	_cleanup_free_ char *content = NULL;
	struct nat_entry nat[LEASE_PORTS_MAX];
	struct lease_info *l;
	char l_ifname[IF_NAMESIZE];
	uint32_t want = 0;
	bool created = false;
	int br = 0, r;

	if (!opts)
		opts = &none;
	r = ctx_config(&ctx, cfg, err);
	if (r == 0)
		r = opts_check(&ctx, pod_name, opts, err);
	if (r < 0)
		return r;
	if (opts->static_ip && ipv4_parse(opts->static_ip, &want) < 0)
		return berr_fail(err, EINVAL, "Address \"%s\" is not an IPv4 address", opts->static_ip);
	r = ctx_open(&ctx, cfg, err);
	if (r < 0)
		goto out;
	trace_phase("net: leases loaded");
	r = nlx_open(-1, &sk, err);
	if (r == 0)
		r = reclaim_dead(&ctx, sk, pod_name, opts, err);
	if (r < 0)
		goto out;
	if (ctx_find(&ctx, pod_name)) {
		r = berr_fail(err, EEXIST, "Pod \"%s\" is already attached to network %s", pod_name, ctx.name);
		goto out;
	}
	for (size_t i = 0; i < opts->nports; i++)
		if ((r = port_check(&ctx, &opts->ports[i], err)) < 0)
			goto out;
	r = bridge_ensure(&ctx, sk, &br, &created, err);
	if (r < 0)
		goto out;
	trace_phase("net: bridge");

	l = &ctx.leases[ctx.n]; /* ctx_open left room for one more */
	veth_name(&ctx, pod_name, l_ifname);
	lease_fill(l, pod_name, l_ifname, opts);
	content = lease_format(l);
	if (!content) {
		r = berr_fail(err, ENOMEM, "Out of memory");
		goto out_bridge;
	}
	r = ipam_acquire(&ctx.ipam, want, content, &l->addr, err);
	if (r == -ENOSPC || r == -EADDRINUSE) {
		/* full, or the wanted address taken: maybe by dead pods */
		int freed = reconcile_leases(&ctx, sk, NULL, err);
		if (freed < 0) {
			r = freed;
			goto out_bridge;
		}
		if (freed > 0) {
			l = &ctx.leases[ctx.n];
			lease_fill(l, pod_name, l_ifname, opts);
			r = nat_rebuild(&ctx, err);
			if (r == 0)
				r = ipam_acquire(&ctx.ipam, want, content, &l->addr, err);
		}
	}
	if (r < 0)
		goto out_bridge;
	ctx.n++;
	trace_phase("net: lease");
	stall_point("lease");

	r = attach_links(&ctx, sk, br, netns_fd, l, err);
	if (r < 0)
		goto out_lease;
	trace_phase("net: links");
	nat_entries(l, nat);
	r = nat_ports(ctx.name, true, nat, l->nports, err);
	if (r < 0)
		goto out_links;
	trace_phase("net: nat");
	stall_point("nat");
	r = hosts_refresh(&ctx, err);
	if (r == 0)
		r = resolv_write(&ctx, pod_name, err);
	if (r < 0)
		goto out_nat;
	trace_phase("net: names");
	lease_result(&ctx, l, ret);
	ctx_close(&ctx);
	return 0;

out_nat:
	nat_ports(ctx.name, false, nat, l->nports, NULL);
out_links:
	link_delete(sk, l->ifname, NULL);
out_lease:
	ipam_release(&ctx.ipam, l->addr, NULL);
	ctx.n--;
	etc_remove(&ctx, pod_name);
	hosts_refresh(&ctx, NULL);
out_bridge:
	if (created) {
		nat_delete(ctx.name, NULL);
		link_delete(sk, ctx.bridge, NULL);
		unlinkat(ctx.ipam.dirfd, NETWORK_FILE, 0);
	}
out:
	ctx_close(&ctx);
	return r;
}

/* Release L (lease, NAT elements, resolv.conf; its veth with
 * NET_DETACH_UNLINK) and drop it from CTX. 1 when the NAT table must be
 * rebuilt, 0, or -errno. */
static int detach_locked(struct netctx *ctx, struct nl_sock *sk, struct lease_info *l, unsigned flags,
			 berr *err)
{
	struct nat_entry nat[LEASE_PORTS_MAX];
	char pod[NET_POD_MAX + 1];
	int r;

	if ((flags & NET_DETACH_UNLINK) && sk) {
		r = link_delete(sk, l->ifname, err);
		if (r < 0)
			return r;
	}
	nat_entries(l, nat);
	/* elements already gone (a rebuilt table): the caller rebuilds */
	bool rebuild = nat_ports(ctx->name, false, nat, l->nports, NULL) < 0;
	r = ipam_release(&ctx->ipam, l->addr, err);
	if (r < 0)
		return r;
	snprintf(pod, sizeof(pod), "%s", l->pod);
	ctx_remove(ctx, l);
	if (pod[0])
		etc_remove(ctx, pod);
	return rebuild ? 1 : 0;
}

static int nat_rebuild(struct netctx *ctx, berr *err)
{
	_cleanup_free_ struct nat_entry *e = calloc(ctx->n * LEASE_PORTS_MAX + 1, sizeof(*e));
	size_t n = 0;

	if (!e)
		return berr_fail(err, ENOMEM, "Out of memory");
	for (size_t i = 0; i < ctx->n; i++) {
		nat_entries(&ctx->leases[i], e + n);
		n += ctx->leases[i].nports;
	}
	return nat_setup(ctx->name, &ctx->cidr, ctx_c6(ctx), ctx->bridge, e, n, err);
}

int net_detach(const struct net_config *cfg, const char *pod_name, unsigned flags, berr *err)
{
	struct netctx ctx = { 0 };
	_cleanup_nl_ struct nl_sock *sk = NULL;
	struct lease_info *l;
	int r = ctx_open(&ctx, cfg, err);

	if (r < 0)
		goto out;
	l = ctx_find(&ctx, pod_name);
	if (!l) {
		r = berr_fail(err, ENOENT, "Pod \"%s\" is not attached to network %s", pod_name, ctx.name);
		goto out;
	}
	if (flags & NET_DETACH_UNLINK) {
		r = nlx_open(-1, &sk, err);
		if (r < 0)
			goto out;
	}
	r = detach_locked(&ctx, sk, l, flags, err);
	if (r > 0)
		r = nat_rebuild(&ctx, err);
	if (r == 0)
		r = hosts_refresh(&ctx, err);
out:
	ctx_close(&ctx);
	return r;
}

static bool strv_has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Free the leases whose pod is not live; returns how many, or -errno. */
static int reconcile_leases(struct netctx *ctx, struct nl_sock *sk, char *const *live, berr *err)
{
	int freed = 0, ifindex, r;

	for (size_t i = 0; i < ctx->n;) {
		struct lease_info *l = &ctx->leases[i];
		bool stale = !l->pod[0] || (live && !strv_has(live, l->pod));
		if (!stale) {
			r = link_lookup(sk, l->ifname, &ifindex, NULL, err);
			if (r < 0)
				return r;
			stale = ifindex == 0; /* its namespace died, and the veth with it */
		}
		if (!stale) {
			i++;
			continue;
		}
		r = detach_locked(ctx, sk, l, NET_DETACH_UNLINK, err);
		if (r < 0)
			return r;
		freed++;
	}
	return freed;
}

int net_reconcile(const struct net_config *cfg, char *const *live, unsigned *ret_freed, berr *err)
{
	struct netctx ctx = { 0 };
	_cleanup_nl_ struct nl_sock *sk = NULL;
	_cleanup_strv_ char **ports = NULL;
	bool is_bridge = false;
	int br = 0, freed, r;

	r = ctx_open(&ctx, cfg, err);
	if (r == 0)
		r = nlx_open(-1, &sk, err);
	if (r < 0)
		goto out;
	freed = r = reconcile_leases(&ctx, sk, live, err);
	if (r < 0)
		goto out;
	r = link_lookup(sk, ctx.bridge, &br, &is_bridge, err);
	if (r < 0)
		goto out;
	if (br && is_bridge) {
		/* veths on the bridge that no lease owns: leftovers of a crash
		 * whose namespace is still held by someone */
		r = link_list_ports(sk, br, &ports, err);
		for (size_t i = 0; r == 0 && ports && ports[i]; i++) {
			bool owned = false;
			for (size_t j = 0; j < ctx.n; j++)
				owned |= strcmp(ctx.leases[j].ifname, ports[i]) == 0;
			if (!owned)
				r = link_delete(sk, ports[i], err);
		}
		if (r < 0)
			goto out;
	}
	if (ctx.n == 0) {
		/* nothing left: the network goes, as if never used */
		if (br && is_bridge)
			r = link_delete(sk, ctx.bridge, err);
		if (r == 0)
			r = nat_delete(ctx.name, err);
		if (r == 0)
			unlinkat(ctx.ipam.dirfd, NETWORK_FILE, 0);
		goto done;
	}
	if (r == 0)
		r = nat_rebuild(&ctx, err);
	if (r == 0)
		r = hosts_refresh(&ctx, err);
done:
	if (r == 0 && ret_freed)
		*ret_freed = (unsigned)freed;
out:
	ctx_close(&ctx);
	return r;
}

int net_lease_list(const struct net_config *cfg, struct net_lease **ret, size_t *ret_n, berr *err)
{
	struct netctx ctx = { 0 };
	struct net_lease *v;
	size_t n = 0;
	int r = ctx_open(&ctx, cfg, err);

	if (r < 0)
		goto out;
	v = calloc(ctx.n + 1, sizeof(*v));
	if (!v) {
		r = berr_fail(err, ENOMEM, "Out of memory");
		goto out;
	}
	for (size_t i = 0; i < ctx.n; i++)
		if (ctx.leases[i].pod[0])
			lease_result(&ctx, &ctx.leases[i], &v[n++]);
	*ret = v;
	*ret_n = n;
out:
	ctx_close(&ctx);
	return r;
}

int net_lease_get(const struct net_config *cfg, const char *pod_name, struct net_lease *ret, berr *err)
{
	struct netctx ctx = { 0 };
	struct lease_info *l;
	int r = ctx_open(&ctx, cfg, err);

	if (r == 0) {
		l = ctx_find(&ctx, pod_name);
		if (l)
			lease_result(&ctx, l, ret);
		else
			r = berr_fail(err, ENOENT, "Pod \"%s\" is not attached to network %s", pod_name, ctx.name);
	}
	ctx_close(&ctx);
	return r;
}

int net_lease_ports(const struct net_config *cfg, const char *pod_name, struct net_port **ret,
		    size_t *ret_n, berr *err)
{
	struct netctx ctx = { 0 };
	struct lease_info *l;
	int r = ctx_open(&ctx, cfg, err);

	if (r == 0) {
		l = ctx_find(&ctx, pod_name);
		if (!l)
			r = berr_fail(err, ENOENT, "Pod \"%s\" is not attached to network %s", pod_name, ctx.name);
		else if (!(*ret = calloc(l->nports + 1, sizeof(**ret))))
			r = berr_fail(err, ENOMEM, "Out of memory");
		else {
			memcpy(*ret, l->ports, l->nports * sizeof(**ret));
			*ret_n = l->nports;
		}
	}
	ctx_close(&ctx);
	return r;
}

int net_publish_to(const struct net_config *cfg, const char *owner, char *const *pods, berr *err)
{
	struct netctx ctx = { 0 };
	struct lease_info *l;
	size_t n = 0, max = 1;
	int r;

	for (char *const *p = pods; p && *p; p++)
		max++;
	_cleanup_free_ uint32_t *addrs = calloc(max, sizeof(*addrs));
	if (!addrs)
		return berr_fail(err, ENOMEM, "Out of memory");
	r = ctx_open(&ctx, cfg, err);
	if (r < 0)
		return r;
	l = ctx_find(&ctx, owner);
	if (!l) {
		r = berr_fail(err, ENOENT, "Pod \"%s\" is not attached to network %s", owner, ctx.name);
		ctx_close(&ctx);
		return r;
	}
	for (char *const *p = pods; p && *p; p++) {
		struct lease_info *e = ctx_find(&ctx, *p);
		if (e)
			addrs[n++] = e->addr;
	}
	if (n == 0)
		addrs[n++] = l->addr; /* nobody ready: the owner's own address, as before */
	r = nat_endpoints(ctx.name, l->ports, l->nports, addrs, n, err);
	ctx_close(&ctx);
	return r;
}

int net_rules(const struct net_config *cfg, char **ret, berr *err)
{
	struct netctx ctx = { 0 };
	int r = ctx_config(&ctx, cfg, err);

	return r < 0 ? r : nat_list(ctx.name, ret, err);
}

int net_settings_get(const struct net_config *cfg, struct net_settings *ret, berr *err)
{
	struct netctx ctx = { 0 };
	char a[IPV4_STRLEN];
	int r = ctx_config(&ctx, cfg, err);

	if (r < 0)
		return r;
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->name, sizeof(ret->name), "%s", ctx.name);
	snprintf(ret->bridge, sizeof(ret->bridge), "%s", ctx.bridge);
	snprintf(ret->subnet, sizeof(ret->subnet), "%s/%u", ipv4_format(ctx.cidr.addr, a), ctx.cidr.prefix);
	snprintf(ret->gateway, sizeof(ret->gateway), "%s", ipv4_format(cidr_gateway(&ctx.cidr), a));
	ret->mtu = ctx.mtu;
	if (ctx.v6) {
		char n6[IPV6_STRLEN];
		snprintf(ret->subnet6, sizeof(ret->subnet6), "%s/%u", ipv6_format(ctx.cidr6.addr, n6),
			 ctx.cidr6.prefix);
	}
	ret->exists = ctx.bridge_buf[0] != '\0';
	return 0;
}

/* ---- services -------------------------------------------------------------- */

static bool strv_index(char *const *v, const char *s, size_t *ret)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0) {
			*ret = i;
			return true;
		}
	return false;
}

static char *svc_content(const char *key, const char *names, const char *ns)
{
	char *c = NULL;
	if (ns && *ns && strcmp(ns, "default"))
		return asprintf(&c, "svc=%s\nnames=%s\nns=%s\n", key, names, ns) < 0 ? NULL : c;
	return asprintf(&c, "svc=%s\nnames=%s\n", key, names) < 0 ? NULL : c;
}

int net_service_vips(const struct net_config *cfg, char *const *keys, char *const *names,
		     char *const *nss, uint32_t *ret_vips, berr *err)
{
	struct netctx ctx = { 0 };
	struct ipam ipam = { .dirfd = -1, .lockfd = -1 };
	struct ipam_entry *e = NULL;
	size_t ne = 0, nk = 0, idx;
	bool changed = false;
	int r = ctx_open(&ctx, cfg, err);

	while (keys && keys[nk])
		nk++;
	_cleanup_free_ uint32_t *vips = calloc(nk + 1, sizeof(*vips));
	if (r == 0 && !vips)
		r = berr_fail(err, ENOMEM, "Out of memory");
	if (r == 0)
		r = ipam_open(&ipam, ctx.svcdir, &ctx.svc, err);
	if (r == 0)
		r = ipam_list(&ipam, &e, &ne, err);
	if (r < 0)
		goto out;
	/* keep the addresses of the services still listed (rewritten if their
	 * names changed), free the others */
	for (size_t i = 0; i < ne && r == 0; i++) {
		_cleanup_free_ char *want = NULL;
		bool listed = false;
		{
			_cleanup_free_ char *copy = strdup(e[i].content);
			char *key, *nm, *ns;
			if (!copy) {
				r = berr_fail(err, ENOMEM, "Out of memory");
				break;
			}
			svc_lease_parse(copy, &key, &nm, &ns);
			listed = key && strv_index(keys, key, &idx) && !vips[idx];
		}
		if (listed && !(want = svc_content(keys[idx], names[idx], nss ? nss[idx] : NULL))) {
			r = berr_fail(err, ENOMEM, "Out of memory");
			break;
		}
		if (listed && strcmp(want, e[i].content) == 0) {
			vips[idx] = e[i].addr;
			continue;
		}
		r = ipam_release(&ipam, e[i].addr, err);
		changed = true;
		if (r == 0 && listed)
			r = ipam_acquire(&ipam, e[i].addr, want, &vips[idx], err);
	}
	for (size_t i = 0; i < nk && r == 0; i++) {
		_cleanup_free_ char *content = NULL;
		if (vips[i])
			continue;
		if (!(content = svc_content(keys[i], names[i], nss ? nss[i] : NULL)))
			r = berr_fail(err, ENOMEM, "Out of memory");
		else
			r = ipam_acquire(&ipam, 0, content, &vips[i], err);
		if (r == -ENOSPC)
			r = berr_fail(err, ENOSPC, "Service subnet of network %s is full", ctx.name);
		changed = true;
	}
	ipam_close(&ipam);
	if (r == 0 && changed)
		r = hosts_refresh(&ctx, err);
	if (r == 0)
		memcpy(ret_vips, vips, nk * sizeof(*vips));
out:
	ipam_entries_free(e, ne);
	ipam_close(&ipam);
	ctx_close(&ctx);
	return r;
}

int net_service_get(const struct net_config *cfg, const char *key, uint32_t *ret_vip, berr *err)
{
	struct netctx ctx = { 0 };
	struct ipam ipam = { .dirfd = -1, .lockfd = -1 };
	struct ipam_entry *e = NULL;
	size_t ne = 0;
	int r = ctx_config(&ctx, cfg, err);

	if (r == 0 && access(ctx.svcdir, F_OK) < 0)
		return berr_fail(err, ENOENT, "No service \"%s\"", key);
	if (r == 0)
		r = ipam_open(&ipam, ctx.svcdir, &ctx.svc, err);
	if (r == 0)
		r = ipam_list(&ipam, &e, &ne, err);
	ipam_close(&ipam);
	if (r < 0)
		return r;
	r = berr_fail(err, ENOENT, "No service \"%s\"", key);
	for (size_t i = 0; i < ne; i++) {
		char *k, *nm, *ns;
		svc_lease_parse(e[i].content, &k, &nm, &ns);
		if (k && strcmp(k, key) == 0) {
			*ret_vip = e[i].addr;
			r = 0;
		}
	}
	ipam_entries_free(e, ne);
	return r;
}

/* The route to the service subnet through the bridge (when it exists):
 * without it the board itself could not reach a VIP on a board without a
 * default route, and a packet for a VIP with no endpoint would not reach
 * the filter chains that refuse it. */
static int svc_route(struct netctx *ctx, berr *err)
{
	_cleanup_nl_ struct nl_sock *sk = NULL;
	int br = 0, r = nlx_open(-1, &sk, err);

	if (r == 0)
		r = link_lookup(sk, ctx->bridge, &br, NULL, err);
	if (r == 0 && br)
		r = link_route_add(sk, br, &ctx->svc, err);
	return r;
}

int net_services_reset(const struct net_config *cfg, const struct net_service *s, size_t n,
		       berr *err)
{
	struct netctx ctx = { 0 };
	int r = ctx_config(&ctx, cfg, err);

	if (r == 0)
		r = nat_svc_reset(ctx.name, &ctx.svc, s, n, err);
	if (r == 0)
		r = svc_route(&ctx, err);
	return r;
}

int net_services_update(const struct net_config *cfg, const struct net_service *s, size_t n,
			berr *err)
{
	struct netctx ctx = { 0 };
	int r = ctx_config(&ctx, cfg, err);

	return r < 0 ? r : nat_svc_update(ctx.name, s, n, err);
}

int net_namespaces_isolate(const struct net_config *cfg, const uint32_t *addrs,
			   const unsigned *nsidx, size_t n, unsigned nns, berr *err)
{
	struct netctx ctx = { 0 };
	int r = ctx_config(&ctx, cfg, err);

	return r < 0 ? r : nat_ns_isolate(ctx.name, &ctx.svc, addrs, nsidx, n, nns, err);
}
