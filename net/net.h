/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pod network: the public API of net/ for the CLI (`berth run
 * --network`, `berth network`) and the supervisor.
 *
 * A network is a Linux bridge (default berth0, CONFIG_NET_BRIDGE) with the
 * gateway address of a subnet (default CONFIG_NET_SUBNET), built through
 * netlink. Each pod gets one veth whose pod end (eth0) is born directly in
 * the pod's network namespace, an address leased from the subnet, a default
 * route through the bridge, masquerade for traffic leaving the subnet and
 * DNAT for its published ports (nftables table "berth_NETWORK", in-process
 * through libnftables, CONFIG_NET_NAT).
 *
 * Who owns what:
 *  - The network namespace belongs to the caller (the runtime). net_netns_new()
 *    makes one and hands back an fd; the caller gives it to the container
 *    (bspec.ns[BNS_NET].join_fd) and closes it once the container joined, so
 *    the container holds the last reference. When the container dies the
 *    kernel destroys the namespace, and with it the veth pair: net/ never
 *    deletes veths one by one on the normal path.
 *  - The lease (ROOT/net/NETWORK/lease/ADDRESS), the NAT map elements and the
 *    pod's resolv.conf (RUN_DIR/net/NETWORK/POD.resolv) and its line in the
 *    network's shared hosts file (RUN_DIR/net/NETWORK/hosts)
 *    belong to net/ and are released by net_detach(), or by net_reconcile()
 *    after a crash.
 *  - The bridge and the nftables table are shared by all pods of a network;
 *    net_reconcile() removes them when no lease is left (`berth network
 *    prune`).
 *
 * Every function returns 0 or -errno and fills ERR; on failure nothing that
 * the call created is left behind.
 */
#ifndef BERTH_NET_NET_H
#define BERTH_NET_NET_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

#define NET_NAME_MAX 32 /* network and pod names: [A-Za-z0-9][A-Za-z0-9_.-]* */
#define NET_POD_MAX 64

struct net_config {
	const char *root;	 /* state root: leases under ROOT/net/NAME/ (required) */
	const char *run_dir;	 /* hosts/resolv files under RUN_DIR/net/NAME/ (required) */
	const char *name;	 /* network name; NULL = "berth" */
	const char *bridge;	 /* NULL = CONFIG_NET_BRIDGE */
	const char *subnet;	 /* CIDR; NULL = CONFIG_NET_SUBNET */
	const char *subnet6;	 /* IPv6 prefix (/48-/112) for dual stack; NULL = none */
	unsigned mtu;		 /* 0 = 1500 */
	const char *host_resolv; /* the host's resolv.conf; NULL = /etc/resolv.conf */
	const char *service_subnet; /* CIDR of service addresses; NULL = CONFIG_NET_SERVICE_SUBNET */
	const char *dns;	 /* pods' only nameserver (the daemon's responder); NULL = the host's */
};

/* One published port: [HOSTIP:]HOSTPORT:PORT[/udp]. Addresses and ports in
 * host byte order; host_ip 0 = every local address. */
struct net_port {
	uint32_t host_ip;
	uint16_t host_port, port;
	uint8_t proto; /* IPPROTO_TCP or IPPROTO_UDP */
};

struct net_attach_opts {
	const char *static_ip;	 /* a fixed address inside the subnet; NULL = next free */
	const struct net_port *ports;
	size_t nports;
	const char *hostname;	 /* extra name for the pod in every hosts file */
	char *const *aliases;	 /* NULL-terminated extra names; may be NULL */
	const char *ns;		 /* namespace: listed in (and given) hosts.ns/NS; NULL = default */
};

/* What a pod got. All fixed-size: no ownership. */
struct net_lease {
	char pod[NET_POD_MAX + 1];
	struct in_addr addr, gateway;
	unsigned prefix;
	char addr6[46];		       /* "" without IPv6 */
	char host_ifname[IF_NAMESIZE]; /* the bridge-side veth */
	char hosts_path[256];	       /* bind-mount over /etc/hosts (read-only; shared by the network's pods) */
	char resolv_path[256];	       /* bind-mount over /etc/resolv.conf */
};

/* Give POD_NAME's namespace NETNS_FD its network (see above). Fails with a
 * clear message, leaving nothing configured, on: a name or CIDR that is not
 * valid, a subnet that overlaps a host route, a bridge name taken by a link
 * that is not a bridge, a static address outside the subnet or taken, an
 * exhausted subnet, a host port already published or bound, a pod name
 * already attached. A lease in the way (same pod name, a wanted host port,
 * a full subnet) whose pod is dead (its veth vanished with its namespace)
 * is reclaimed instead. */
int net_attach(const struct net_config *cfg, int netns_fd, const char *pod_name,
	       const struct net_attach_opts *opts, struct net_lease *ret, berr *err);

enum {
	NET_DETACH_UNLINK = 1 << 0, /* also delete the veth (the namespace lives on) */
};

/* Release POD_NAME's lease, NAT rules and resolv.conf and drop it from the
 * network's hosts file. The namespace (and so the veth) is the caller's to drop.
 * A pod that is not attached is -ENOENT. */
int net_detach(const struct net_config *cfg, const char *pod_name, unsigned flags, berr *err);

/* After a crash: free every lease whose pod is not in LIVE (NULL-terminated;
 * NULL = judge by the veth alone) or whose veth is gone (its namespace died),
 * rebuild the NAT table from the leases that remain, delete veths on the
 * bridge that no lease owns, and, when no lease is left, delete the bridge
 * and the table. *ret_freed (may be NULL) counts the leases freed. */
int net_reconcile(const struct net_config *cfg, char *const *live, unsigned *ret_freed, berr *err);

/* A new, empty network namespace (net_attach sets its lo up); *ret_fd is
 * owned by the caller (O_CLOEXEC). The calling thread's own namespace is
 * unchanged. */
int net_netns_new(int *ret_fd, berr *err);

/* Lease of POD_NAME, if attached (0, or -ENOENT). */
int net_lease_get(const struct net_config *cfg, const char *pod_name, struct net_lease *ret,
		  berr *err);

/* The settings in force for CFG's network: those it was made with (while
 * its bridge exists), else CFG's, else the defaults. */
struct net_settings {
	char name[NET_NAME_MAX], bridge[IF_NAMESIZE], subnet[24], gateway[16], subnet6[48];
	unsigned mtu;
	bool exists; /* made and not pruned */
};
int net_settings_get(const struct net_config *cfg, struct net_settings *ret, berr *err);

/* Every lease of the network, sorted by address; *ret (calloc'ed, owned by
 * the caller) has *ret_n entries. Published ports come from
 * net_lease_ports(). */
int net_lease_list(const struct net_config *cfg, struct net_lease **ret, size_t *ret_n, berr *err);
int net_lease_ports(const struct net_config *cfg, const char *pod_name, struct net_port **ret,
		    size_t *ret_n, berr *err);

/* Spread the ports OWNER published over the pods named in PODS
 * (NULL-terminated; those not attached are skipped), round-robin for new
 * connections; with none, back to OWNER alone. The supervisor calls it
 * with the ready replicas of a pod whose replica 0 owns the ports. */
int net_publish_to(const struct net_config *cfg, const char *owner, char *const *pods, berr *err);
/* Parse "[HOSTIP:]HOSTPORT:PORT[/tcp|/udp]". */
int net_port_parse(const char *s, struct net_port *ret, berr *err);
/* "0.0.0.0:8080->80/tcp" into BUF. */
void net_port_format(const struct net_port *p, char *buf, size_t len);

bool net_name_valid(const char *name, size_t max);

/* -EBUSY, naming the other berth, when CFG's bridge exists and was made by
 * a berth with another state root (a second daemon on the board). */
int net_owner_check(const struct net_config *cfg, berr *err);

/* ---- services (docs/decisions/net-services.md) ----------------------------
 * A service is a stable virtual address (VIP) from the network's service
 * subnet, a name in the network's hosts file, and nftables rules (table
 * "ip berthsvc_NETWORK") that DNAT new connections to the VIP, port by
 * port, to its ready endpoints (numgen random), with optional client-ip
 * affinity. A VIP whose service has no endpoint, or a port it does not
 * serve, is refused at once (TCP reset, ICMP port unreachable). */
struct net_svc_port {
	uint16_t port, target; /* target 0 = port */
	uint8_t proto;	       /* IPPROTO_TCP or IPPROTO_UDP */
};

struct net_service {
	const char *key;		 /* unique, [a-z0-9_.-]: names its nftables objects */
	uint32_t vip;			 /* host byte order */
	const struct net_svc_port *ports; /* NULL/0 = every TCP and UDP port */
	size_t nports;
	uint32_t affinity_s;		 /* client-ip affinity timeout; 0 = none */
	const uint32_t *eps;		 /* ready endpoints (host byte order) */
	size_t neps;
	const uint32_t *old_eps;	 /* net_services_update: what the table holds now */
	size_t nold;
};

/* The VIPs of the services named by KEYS (NULL-terminated), each with
 * NAMES[i] ("NAME,ALIAS,...") in the hosts file of namespace NSS[i] (NULL
 * or "default": the network's "hosts"; else "hosts.ns/NS"): a service keeps
 * its address for as long as it is listed (leases under ROOT/net/NETWORK/svc),
 * services not listed lose theirs. RET_VIPS[i] for KEYS[i]. */
int net_service_vips(const struct net_config *cfg, char *const *keys, char *const *names,
		     char *const *nss, uint32_t *ret_vips, berr *err);
/* Replace the whole service table with S[0..N-1] in one transaction. */
int net_services_reset(const struct net_config *cfg, const struct net_service *s, size_t n,
		       berr *err);
/* Move the endpoints of S[0..N-1] from old_eps to eps in one transaction
 * that touches only those services; open connections keep theirs. */
int net_services_update(const struct net_config *cfg, const struct net_service *s, size_t n,
			berr *err);
/* The daemon's DNS responder: answer the query Q[0..QLEN) from HOSTS (the
 * network's hosts file): 1 = answered in OUT (*ret_len bytes: the name's
 * addresses, NODATA, or NXDOMAIN for a name without a dot or under one of
 * DOMAINS that is not there), 0 = not ours (forward it), -EINVAL = not a
 * query. net_dns_error: a SERVFAIL answer to Q. */
int net_dns_answer(const uint8_t *q, size_t qlen, const char *hosts, char *const *domains, uint8_t *out,
		   size_t outlen, size_t *ret_len);
int net_dns_error(const uint8_t *q, size_t qlen, uint8_t *out, size_t outlen, size_t *ret_len);
/* Keep the namespaces apart: ADDRS[i] (a pod's address) is in namespace
 * NSIDX[i] < NNS; pods of different namespaces cannot reach each other
 * directly or through a service address (published ports stay open).
 * Replaces the whole rule set in one transaction. */
int net_namespaces_isolate(const struct net_config *cfg, const uint32_t *addrs,
			   const unsigned *nsidx, size_t n, unsigned nns, berr *err);
/* "VIP" of service KEY when it has one (0, or -ENOENT). */
int net_service_get(const struct net_config *cfg, const char *key, uint32_t *ret_vip, berr *err);

/* The network's nftables table as nft lists it ("" when there is none or
 * NAT is compiled out). Caller frees *ret. */
int net_rules(const struct net_config *cfg, char **ret, berr *err);

#endif
