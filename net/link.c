// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_bridge.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/strv.h"
#include "net/dl_nl.h"
#include "net/link.h"

static int nl_errno(int r)
{
	switch (-r) {
	case NLE_EXIST: return EEXIST;
	case NLE_NODEV: return ENODEV;
	case NLE_OBJ_NOTFOUND: return ENOENT;
	case NLE_PERM: return EPERM;
	case NLE_NOMEM: return ENOMEM;
	case NLE_BUSY: return EBUSY;
	case NLE_INVAL: return EINVAL;
	case NLE_RANGE: return ERANGE;
	case NLE_NOADDR: return EADDRNOTAVAIL;
	case NLE_OPNOTSUPP: return EOPNOTSUPP;
	default: return EIO;
	}
}

#define nl_fail(err, r, fmt, ...)                                                                  \
	berr_fail(err, nl_errno(r), fmt ": %s", ##__VA_ARGS__, nl_geterror(r))

static void linkp(struct rtnl_link **l) { if (*l) rtnl_link_put(*l); }
static void addrp(struct nl_addr **a) { if (*a) nl_addr_put(*a); }
#define _cleanup_link_ _cleanup_(linkp)
#define _cleanup_addr_ _cleanup_(addrp)

void nlx_freep(struct nl_sock **sk)
{
	if (*sk)
		nl_socket_free(*sk);
}

int nlx_open(int netns_fd, struct nl_sock **ret, berr *err)
{
	_cleanup_nl_ struct nl_sock *sk = NULL;
	_cleanup_close_ int self = -1;
	int r = nl_dl_open(err);

	if (r < 0)
		return r;
	sk = nl_socket_alloc();
	if (!sk)
		return berr_fail(err, ENOMEM, "Allocate a netlink socket");
	if (netns_fd >= 0) {
		self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0)
			return berr_errno(err, errno, "Open \"/proc/thread-self/ns/net\"");
		if (setns(netns_fd, CLONE_NEWNET) < 0)
			return berr_errno(err, errno, "Enter the pod's network namespace");
	}
	r = nl_connect(sk, NETLINK_ROUTE);
	if (self >= 0 && setns(self, CLONE_NEWNET) < 0)
		abort(); /* cannot happen: we came from there; never run on in the wrong namespace */
	if (r < 0)
		return nl_fail(err, r, "Connect to rtnetlink");
	*ret = TAKE_PTR(sk);
	return 0;
}

int link_lookup(struct nl_sock *sk, const char *name, int *ret_ifindex, bool *ret_is_bridge,
		berr *err)
{
	_cleanup_link_ struct rtnl_link *link = NULL;
	int r = rtnl_link_get_kernel(sk, 0, name, &link);

	if (r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV) {
		*ret_ifindex = 0;
		return 0;
	}
	if (r < 0)
		return nl_fail(err, r, "Look up link \"%s\"", name);
	*ret_ifindex = rtnl_link_get_ifindex(link);
	if (ret_is_bridge) {
		const char *type = rtnl_link_get_type(link);
		*ret_is_bridge = type && strcmp(type, "bridge") == 0;
	}
	return 0;
}

static int addr_build(uint32_t a, unsigned prefix, struct nl_addr **ret)
{
	uint32_t be = htonl(a);
	struct nl_addr *na = nl_addr_build(AF_INET, &be, sizeof(be));

	if (!na)
		return -NLE_NOMEM;
	nl_addr_set_prefixlen(na, (int)prefix);
	*ret = na;
	return 0;
}

static int addr_add(struct nl_sock *sk, int ifindex, uint32_t a, unsigned prefix)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	_cleanup_addr_ struct nl_addr *local = NULL, *brd = NULL;
	int r;

	if (!ra)
		return -NLE_NOMEM;
	r = addr_build(a, prefix, &local);
	if (r == 0)
		r = addr_build(a | ~cidr_mask(prefix), 32, &brd);
	if (r == 0) {
		rtnl_addr_set_ifindex(ra, ifindex);
		rtnl_addr_set_local(ra, local);
		rtnl_addr_set_broadcast(ra, brd);
		r = rtnl_addr_add(sk, ra, 0);
	}
	rtnl_addr_put(ra);
	return r;
}

int link_bridge_create(struct nl_sock *sk, const char *name, uint32_t gw, unsigned prefix,
		       unsigned mtu, int *ret_ifindex, berr *err)
{
	_cleanup_link_ struct rtnl_link *br = rtnl_link_bridge_alloc();
	_cleanup_addr_ struct nl_addr *mac = NULL;
	uint8_t hw[6] = { 0x0a, 0x58, gw >> 24, gw >> 16, gw >> 8, gw };
	int r, ifindex;

	if (!br || !(mac = nl_addr_build(AF_LLC, hw, sizeof(hw))))
		return berr_fail(err, ENOMEM, "Out of memory");
	rtnl_link_set_name(br, name);
	rtnl_link_set_mtu(br, mtu);
	rtnl_link_set_addr(br, mac);
	rtnl_link_set_flags(br, IFF_UP);
	r = rtnl_link_add(sk, br, NLM_F_CREATE | NLM_F_EXCL);
	if (r < 0)
		return nl_fail(err, r, "Create bridge \"%s\"", name);
	r = link_lookup(sk, name, &ifindex, NULL, err);
	if (r == 0 && ifindex == 0)
		r = berr_fail(err, ENODEV, "Bridge \"%s\" vanished after creation", name);
	if (r == 0) {
		r = addr_add(sk, ifindex, gw, prefix);
		if (r < 0)
			r = nl_fail(err, r, "Add the gateway address to bridge \"%s\"", name);
	}
	if (r < 0) {
		link_delete(sk, name, NULL);
		return r;
	}
	*ret_ifindex = ifindex;
	return 0;
}

int link_veth_create(struct nl_sock *sk, const char *host, int master, const char *peer,
		     int netns_fd, unsigned mtu, berr *err)
{
	_cleanup_link_ struct rtnl_link *veth = rtnl_link_veth_alloc();
	_cleanup_link_ struct rtnl_link *p = NULL;
	int r;

	if (!veth)
		return berr_fail(err, ENOMEM, "Out of memory");
	p = rtnl_link_veth_get_peer(veth);
	rtnl_link_set_name(veth, host);
	rtnl_link_set_master(veth, master);
	rtnl_link_set_mtu(veth, mtu);
	rtnl_link_set_flags(veth, IFF_UP);
	rtnl_link_set_name(p, peer);
	rtnl_link_set_mtu(p, mtu);
	/* the peer cannot be born up: its other end does not exist yet (ENOTCONN) */
	rtnl_link_set_ns_fd(p, netns_fd);
	r = rtnl_link_add(sk, veth, NLM_F_CREATE | NLM_F_EXCL);
	if (r < 0)
		return nl_fail(err, r, "Create veth \"%s\"", host);
	return 0;
}

int link_set_hairpin(struct nl_sock *sk, int ifindex, berr *err)
{
	struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE, .ifi_index = ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_SETLINK, 0);
	struct nlattr *pi;
	int r = -NLE_NOMEM;

	if (!msg)
		goto out;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    !(pi = nla_nest_start(msg, IFLA_PROTINFO | NLA_F_NESTED)) ||
	    nla_put_u8(msg, IFLA_BRPORT_MODE, 1) < 0) {
		nlmsg_free(msg);
		goto out;
	}
	nla_nest_end(msg, pi);
	r = nl_send_sync(sk, msg); /* frees msg */
out:
	return r < 0 ? nl_fail(err, r, "Set hairpin mode on link %d", ifindex) : 0;
}

int link_delete(struct nl_sock *sk, const char *name, berr *err)
{
	_cleanup_link_ struct rtnl_link *link = rtnl_link_alloc();
	int r;

	if (!link)
		return berr_fail(err, ENOMEM, "Out of memory");
	rtnl_link_set_name(link, name);
	r = rtnl_link_delete(sk, link);
	if (r < 0 && r != -NLE_NODEV && r != -NLE_OBJ_NOTFOUND)
		return nl_fail(err, r, "Delete link \"%s\"", name);
	return 0;
}

static int link_up_index(struct nl_sock *sk, int ifindex)
{
	_cleanup_link_ struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();

	if (!orig || !chg)
		return -NLE_NOMEM;
	rtnl_link_set_ifindex(orig, ifindex);
	rtnl_link_set_flags(chg, IFF_UP);
	return rtnl_link_change(sk, orig, chg, 0);
}

int link_alias_set(struct nl_sock *sk, int ifindex, const char *alias, berr *err)
{
	_cleanup_link_ struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();
	int r;

	if (!orig || !chg)
		return berr_fail(err, ENOMEM, "Out of memory");
	rtnl_link_set_ifindex(orig, ifindex);
	rtnl_link_set_ifalias(chg, alias);
	r = rtnl_link_change(sk, orig, chg, 0);
	return r < 0 ? nl_fail(err, r, "Set the alias of link %d", ifindex) : 0;
}

int link_alias_get(struct nl_sock *sk, const char *name, char *buf, size_t len, berr *err)
{
	_cleanup_link_ struct rtnl_link *link = NULL;
	int r = rtnl_link_get_kernel(sk, 0, name, &link);

	if (r < 0)
		return nl_fail(err, r, "Look up link \"%s\"", name);
	const char *a = rtnl_link_get_ifalias(link);
	snprintf(buf, len, "%s", a ? a : "");
	return 0;
}

/* An IPv4 route to DST/PREFIX out of IFINDEX, through GW when it is not 0.
 * Returns 0 or a negative libnl error. */
static int route_add(struct nl_sock *sk, int ifindex, uint32_t dst_addr, unsigned prefix,
		     uint32_t gw, int flags)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	_cleanup_addr_ struct nl_addr *dst = NULL, *via = NULL;
	int r;

	if (!rt || !nh) {
		r = -NLE_NOMEM;
		goto out;
	}
	r = addr_build(dst_addr, prefix, &dst);
	if (r == 0 && gw)
		r = addr_build(gw, 32, &via);
	if (r < 0)
		goto out;
	rtnl_route_set_family(rt, AF_INET);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_dst(rt, dst);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (via)
		rtnl_route_nh_set_gateway(nh, via);
	rtnl_route_add_nexthop(rt, TAKE_PTR(nh));
	r = rtnl_route_add(sk, rt, NLM_F_CREATE | flags);
out:
	if (nh)
		rtnl_route_nh_free(nh);
	if (rt)
		rtnl_route_put(rt);
	return r;
}

int link_route_add(struct nl_sock *sk, int ifindex, const struct net_cidr *c, berr *err)
{
	int r = route_add(sk, ifindex, c->addr, c->prefix, 0, NLM_F_REPLACE);
	return r < 0 ? nl_fail(err, r, "Add the route to the service subnet") : 0;
}

int link_pod_setup(struct nl_sock *podsk, const char *ifname, uint32_t addr, unsigned prefix,
		   uint32_t gw, berr *err)
{
	int ifindex, r;

	r = link_up_index(podsk, 1); /* lo is always ifindex 1 */
	if (r < 0)
		return nl_fail(err, r, "Set lo up in the pod");
	r = link_lookup(podsk, ifname, &ifindex, NULL, err);
	if (r < 0)
		return r;
	if (ifindex == 0)
		return berr_fail(err, ENODEV, "No \"%s\" in the pod's namespace", ifname);
	r = link_up_index(podsk, ifindex);
	if (r < 0)
		return nl_fail(err, r, "Set \"%s\" up in the pod", ifname);
	r = addr_add(podsk, ifindex, addr, prefix);
	if (r < 0)
		return nl_fail(err, r, "Add the pod's address on \"%s\"", ifname);
	r = route_add(podsk, ifindex, 0, 0, gw, NLM_F_EXCL);
	if (r < 0)
		return nl_fail(err, r, "Add the pod's default route");
	return 0;
}

int link_ifindex(struct nl_sock *sk, const char *name, int *ret, berr *err)
{
	int r = link_lookup(sk, name, ret, NULL, err);
	if (r == 0 && *ret == 0)
		r = berr_fail(err, ENODEV, "No link \"%s\"", name);
	return r;
}

int link_addr6_add(struct nl_sock *sk, int ifindex, const uint8_t a[16], unsigned prefix,
		   const uint8_t *gw, berr *err)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	_cleanup_addr_ struct nl_addr *local = nl_addr_build(AF_INET6, a, 16);
	int r = -NLE_NOMEM;

	if (ra && local) {
		nl_addr_set_prefixlen(local, (int)prefix);
		rtnl_addr_set_ifindex(ra, ifindex);
		rtnl_addr_set_local(ra, local);
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
		r = rtnl_addr_add(sk, ra, 0);
	}
	if (ra)
		rtnl_addr_put(ra);
	if (r < 0)
		return nl_fail(err, r, "Add an IPv6 address on link %d", ifindex);
	if (!gw)
		return 0;

	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	_cleanup_addr_ struct nl_addr *dst = nl_addr_build(AF_INET6, (uint8_t[16]){ 0 }, 16);
	_cleanup_addr_ struct nl_addr *via = nl_addr_build(AF_INET6, gw, 16);
	r = -NLE_NOMEM;
	if (rt && nh && dst && via) {
		nl_addr_set_prefixlen(dst, 0);
		rtnl_route_set_family(rt, AF_INET6);
		rtnl_route_set_table(rt, RT_TABLE_MAIN);
		rtnl_route_set_dst(rt, dst);
		rtnl_route_nh_set_ifindex(nh, ifindex);
		rtnl_route_nh_set_gateway(nh, via);
		rtnl_route_add_nexthop(rt, nh);
		nh = NULL;
		r = rtnl_route_add(sk, rt, NLM_F_CREATE | NLM_F_EXCL);
	}
	if (nh)
		rtnl_route_nh_free(nh);
	if (rt)
		rtnl_route_put(rt);
	return r < 0 ? nl_fail(err, r, "Add the pod's IPv6 default route") : 0;
}

struct overlap_ctx {
	const struct net_cidr *c;
	int except;
	uint32_t hit;
	unsigned hit_prefix;
	bool found;
};

static void route_overlap_cb(struct nl_object *obj, void *arg)
{
	struct rtnl_route *rt = (struct rtnl_route *)obj;
	struct overlap_ctx *ctx = arg;
	struct nl_addr *dst = rtnl_route_get_dst(rt);
	struct net_cidr rc;
	uint32_t be;

	if (ctx->found || rtnl_route_get_table(rt) != RT_TABLE_MAIN || !dst ||
	    nl_addr_get_family(dst) != AF_INET || nl_addr_get_prefixlen(dst) == 0)
		return;
	if (rtnl_route_get_nnexthops(rt) > 0 &&
	    rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(rt, 0)) == ctx->except)
		return;
	memcpy(&be, nl_addr_get_binary_addr(dst), sizeof(be));
	rc.prefix = (unsigned)nl_addr_get_prefixlen(dst);
	rc.addr = ntohl(be) & cidr_mask(rc.prefix);
	if (cidr_overlap(&rc, ctx->c)) {
		ctx->found = true;
		ctx->hit = rc.addr;
		ctx->hit_prefix = rc.prefix;
	}
}

int route_check_overlap(struct nl_sock *sk, const struct net_cidr *c, int except_ifindex, berr *err)
{
	struct nl_cache *cache = NULL;
	struct overlap_ctx ctx = { .c = c, .except = except_ifindex };
	char a[IPV4_STRLEN], b[IPV4_STRLEN];
	int r = rtnl_route_alloc_cache(sk, AF_INET, 0, &cache);

	if (r < 0)
		return nl_fail(err, r, "List the host's routes");
	nl_cache_foreach(cache, route_overlap_cb, &ctx);
	nl_cache_free(cache);
	if (ctx.found)
		return berr_fail(err, EADDRINUSE, "Subnet %s/%u overlaps the host route %s/%u",
				 ipv4_format(c->addr, a), c->prefix, ipv4_format(ctx.hit, b), ctx.hit_prefix);
	return 0;
}

struct ports_ctx {
	int master;
	char **names;
	int r;
};

static void port_cb(struct nl_object *obj, void *arg)
{
	struct rtnl_link *l = (struct rtnl_link *)obj;
	struct ports_ctx *ctx = arg;

	if (ctx->r == 0 && rtnl_link_get_master(l) == ctx->master)
		ctx->r = strv_add(&ctx->names, rtnl_link_get_name(l));
}

int link_list_ports(struct nl_sock *sk, int master, char ***ret, berr *err)
{
	struct nl_cache *cache = NULL;
	struct ports_ctx ctx = { .master = master };
	int r = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);

	if (r < 0)
		return nl_fail(err, r, "List links");
	nl_cache_foreach(cache, port_cb, &ctx);
	nl_cache_free(cache);
	if (ctx.r < 0) {
		strv_free(ctx.names);
		return berr_fail(err, ENOMEM, "Out of memory");
	}
	*ret = ctx.names;
	return 0;
}
