/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Links, addresses and routes through libnl-route (private to net/).
 * Each call is one or two netlink round trips; no caches on the hot path. */
#ifndef BERTH_NET_LINK_H
#define BERTH_NET_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/err.h"
#include "net/addr.h"

struct nl_sock;

/* A NETLINK_ROUTE socket in the caller's namespace, or in NETNS_FD's
 * (>= 0). Free with nl_socket_free(). */
int nlx_open(int netns_fd, struct nl_sock **ret, berr *err);
void nlx_freep(struct nl_sock **sk);
#define _cleanup_nl_ __attribute__((cleanup(nlx_freep)))

/* ifindex of NAME (0 when absent); *ret_is_bridge (may be NULL). */
int link_lookup(struct nl_sock *sk, const char *name, int *ret_ifindex, bool *ret_is_bridge,
		berr *err);
/* Create bridge NAME, up, with MTU, a MAC pinned from GW (0a:58:GW) and
 * GW/PREFIX on it. Deletes what it made on failure. */
int link_bridge_create(struct nl_sock *sk, const char *name, uint32_t gw, unsigned prefix,
		       unsigned mtu, int *ret_ifindex, berr *err);
/* veth HOST (on bridge MASTER, up) + PEER born in NETNS_FD (down: it is
 * set up by link_pod_setup), in one RTM_NEWLINK. */
int link_veth_create(struct nl_sock *sk, const char *host, int master, const char *peer,
		     int netns_fd, unsigned mtu, berr *err);
int link_set_hairpin(struct nl_sock *sk, int ifindex, berr *err);
int link_delete(struct nl_sock *sk, const char *name, berr *err);
/* Inside the pod: lo and IFNAME up, ADDR/PREFIX on IFNAME, default route via GW. */
int link_pod_setup(struct nl_sock *podsk, const char *ifname, uint32_t addr, unsigned prefix,
		   uint32_t gw, berr *err);
/* IPv6: A/PREFIX on IFINDEX without duplicate address detection (the
 * address is berth's to give: usable at once), and a default route via GW
 * (NULL: none). */
int link_addr6_add(struct nl_sock *sk, int ifindex, const uint8_t a[16], unsigned prefix,
		   const uint8_t *gw, berr *err);
int link_ifindex(struct nl_sock *sk, const char *name, int *ret, berr *err);

/* -EADDRINUSE when a route of the main table other than the default and
 * the ones through EXCEPT_IFINDEX overlaps C. */
int route_check_overlap(struct nl_sock *sk, const struct net_cidr *c, int except_ifindex, berr *err);
/* The alias (IFLA_IFALIAS) of a link: berth marks its bridges with the
 * state root that owns them. */
int link_alias_set(struct nl_sock *sk, int ifindex, const char *alias, berr *err);
int link_alias_get(struct nl_sock *sk, const char *name, char *buf, size_t len, berr *err);
/* A route to C through link IFINDEX (created or replaced). */
int link_route_add(struct nl_sock *sk, int ifindex, const struct net_cidr *c, berr *err);
/* Names of the links whose master is MASTER (NULL-terminated, strv). */
int link_list_ports(struct nl_sock *sk, int master, char ***ret, berr *err);

#endif
