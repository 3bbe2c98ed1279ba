/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Masquerade and published ports in nftables table "ip berth_NETWORK",
 * through libnftables in-process (CONFIG_NET_NAT). Private to net/.
 *
 * The table holds fixed rules and four verdict maps; each published port
 * is a chain "svc_PROTO_HOSTPORT[_HOSTIP]" with one DNAT rule (to the pod,
 * or round-robin over a pod's ready replicas: nat_endpoints) and a map
 * element leading to it, added and deleted by key (no rule handle is ever
 * needed):
 *   pub_tcp/pub_udp:       HOSTPORT -> jump svc_...        (any local address)
 *   pub_tcp_ip/pub_udp_ip: HOSTIP . HOSTPORT -> jump svc_...
 * prerouting and output jump to "publish" for local destinations (so the
 * ports answer from outside, from the board itself and from other pods);
 * postrouting masquerades pod traffic leaving the subnet and DNATed
 * traffic from loopback or from the subnet (localhost and hairpin). */
#ifndef BERTH_NET_NAT_H
#define BERTH_NET_NAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "lib/err.h"
#include "lib/kconfig.h"
#include "net/addr.h"
#include "net/net.h"

struct nat_entry {
	uint32_t pod_addr;
	struct net_port port;
};

#if IS_ENABLED(CONFIG_NET_NAT)
/* Create (or replace, atomically) the table with ENTRIES. */
int nat_setup(const char *network, const struct net_cidr *c, const struct net_cidr6 *c6,
	      const char *bridge, const struct nat_entry *e, size_t n, berr *err);
int nat_delete(const char *network, berr *err);
/* Add or delete map elements in one transaction. */
int nat_ports(const char *network, bool add, const struct nat_entry *e, size_t n, berr *err);
/* Point the NP published ports P (already added) at ADDRS[0..N-1], N >= 1,
 * round-robin, in one transaction; connections already open keep theirs. */
int nat_endpoints(const char *network, const struct net_port *p, size_t np, const uint32_t *addrs,
		  size_t n, berr *err);
/* The table as nft prints it ("" when absent). Caller frees *ret. */
int nat_list(const char *network, char **ret, berr *err);
/* Run nft commands CMD in one transaction. */
int nat_run(const char *cmd, const char *what, berr *err);
/* Services (nat_svc.c; net_services_reset/update in net.h). */
int nat_svc_reset(const char *network, const struct net_cidr *c, const struct net_service *s,
		  size_t n, berr *err);
int nat_svc_update(const char *network, const struct net_service *s, size_t n, berr *err);
int nat_svc_delete(const char *network, berr *err);
int nat_ns_isolate(const char *network, const struct net_cidr *svc, const uint32_t *addrs,
		   const unsigned *nsidx, size_t n, unsigned nns, berr *err);
#else
static inline int nat_ns_isolate(const char *network, const struct net_cidr *svc,
				 const uint32_t *addrs, const unsigned *nsidx, size_t n, unsigned nns,
				 berr *err)
{
	return 0;
}
static inline int nat_svc_reset(const char *network, const struct net_cidr *c,
				const struct net_service *s, size_t n, berr *err)
{
	return berr_fail(err, EOPNOTSUPP, "Services need NAT, and this berth was built without it (CONFIG_NET_NAT)");
}
static inline int nat_svc_update(const char *network, const struct net_service *s, size_t n,
				 berr *err)
{
	return nat_svc_reset(network, NULL, s, n, err);
}
static inline int nat_svc_delete(const char *network, berr *err)
{
	return 0;
}
static inline int nat_list(const char *network, char **ret, berr *err)
{
	*ret = strdup("");
	return *ret ? 0 : -ENOMEM;
}
static inline int nat_setup(const char *network, const struct net_cidr *c, const struct net_cidr6 *c6,
			    const char *bridge, const struct nat_entry *e, size_t n, berr *err)
{
	return 0;
}
static inline int nat_endpoints(const char *network, const struct net_port *p, size_t np,
				const uint32_t *addrs, size_t n, berr *err)
{
	return 0;
}
static inline int nat_delete(const char *network, berr *err)
{
	return 0;
}
static inline int nat_ports(const char *network, bool add, const struct nat_entry *e, size_t n,
			    berr *err)
{
	if (add && n > 0)
		return berr_fail(err, EOPNOTSUPP,
				 "Published ports need NAT, and this berth was built without it (CONFIG_NET_NAT)");
	return 0;
}
#endif

#endif
