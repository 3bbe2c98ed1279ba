/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libnl-route-3.so.200 (and through it libnl-3.so.200), opened on first use
 * (lib/dl.h): linked, their relocations and constructors cost every berth
 * and berth-oci start, though only network setup uses them. Include after
 * the libnl headers; nlx_open() calls nl_dl_open() before anything else.
 * Add a function here when net/link.c starts calling it: the build fails
 * until then. */
#ifndef BERTH_NET_DL_NL_H
#define BERTH_NET_DL_NL_H

#include "lib/err.h"

struct nl_syms {
	__typeof__(nl_addr_build) *nl_addr_build;
	__typeof__(nl_addr_get_binary_addr) *nl_addr_get_binary_addr;
	__typeof__(nl_addr_get_family) *nl_addr_get_family;
	__typeof__(nl_addr_get_prefixlen) *nl_addr_get_prefixlen;
	__typeof__(nl_addr_put) *nl_addr_put;
	__typeof__(nl_addr_set_prefixlen) *nl_addr_set_prefixlen;
	__typeof__(nl_cache_foreach) *nl_cache_foreach;
	__typeof__(nl_cache_free) *nl_cache_free;
	__typeof__(nl_connect) *nl_connect;
	__typeof__(nl_geterror) *nl_geterror;
	__typeof__(nl_send_sync) *nl_send_sync;
	__typeof__(nl_socket_alloc) *nl_socket_alloc;
	__typeof__(nl_socket_free) *nl_socket_free;
	__typeof__(nla_nest_end) *nla_nest_end;
	__typeof__(nla_nest_start) *nla_nest_start;
	__typeof__(nla_put_u8) *nla_put_u8;
	__typeof__(nlmsg_alloc_simple) *nlmsg_alloc_simple;
	__typeof__(nlmsg_append) *nlmsg_append;
	__typeof__(nlmsg_free) *nlmsg_free;
	__typeof__(rtnl_addr_add) *rtnl_addr_add;
	__typeof__(rtnl_addr_alloc) *rtnl_addr_alloc;
	__typeof__(rtnl_addr_put) *rtnl_addr_put;
	__typeof__(rtnl_addr_set_broadcast) *rtnl_addr_set_broadcast;
	__typeof__(rtnl_addr_set_flags) *rtnl_addr_set_flags;
	__typeof__(rtnl_addr_set_ifindex) *rtnl_addr_set_ifindex;
	__typeof__(rtnl_addr_set_local) *rtnl_addr_set_local;
	__typeof__(rtnl_link_add) *rtnl_link_add;
	__typeof__(rtnl_link_alloc) *rtnl_link_alloc;
	__typeof__(rtnl_link_alloc_cache) *rtnl_link_alloc_cache;
	__typeof__(rtnl_link_bridge_alloc) *rtnl_link_bridge_alloc;
	__typeof__(rtnl_link_change) *rtnl_link_change;
	__typeof__(rtnl_link_delete) *rtnl_link_delete;
	__typeof__(rtnl_link_get_ifalias) *rtnl_link_get_ifalias;
	__typeof__(rtnl_link_get_ifindex) *rtnl_link_get_ifindex;
	__typeof__(rtnl_link_get_kernel) *rtnl_link_get_kernel;
	__typeof__(rtnl_link_get_master) *rtnl_link_get_master;
	__typeof__(rtnl_link_get_name) *rtnl_link_get_name;
	__typeof__(rtnl_link_get_type) *rtnl_link_get_type;
	__typeof__(rtnl_link_put) *rtnl_link_put;
	__typeof__(rtnl_link_set_addr) *rtnl_link_set_addr;
	__typeof__(rtnl_link_set_flags) *rtnl_link_set_flags;
	__typeof__(rtnl_link_set_ifalias) *rtnl_link_set_ifalias;
	__typeof__(rtnl_link_set_ifindex) *rtnl_link_set_ifindex;
	__typeof__(rtnl_link_set_master) *rtnl_link_set_master;
	__typeof__(rtnl_link_set_mtu) *rtnl_link_set_mtu;
	__typeof__(rtnl_link_set_name) *rtnl_link_set_name;
	__typeof__(rtnl_link_set_ns_fd) *rtnl_link_set_ns_fd;
	__typeof__(rtnl_link_veth_alloc) *rtnl_link_veth_alloc;
	__typeof__(rtnl_link_veth_get_peer) *rtnl_link_veth_get_peer;
	__typeof__(rtnl_route_add) *rtnl_route_add;
	__typeof__(rtnl_route_add_nexthop) *rtnl_route_add_nexthop;
	__typeof__(rtnl_route_alloc) *rtnl_route_alloc;
	__typeof__(rtnl_route_alloc_cache) *rtnl_route_alloc_cache;
	__typeof__(rtnl_route_get_dst) *rtnl_route_get_dst;
	__typeof__(rtnl_route_get_nnexthops) *rtnl_route_get_nnexthops;
	__typeof__(rtnl_route_get_table) *rtnl_route_get_table;
	__typeof__(rtnl_route_nexthop_n) *rtnl_route_nexthop_n;
	__typeof__(rtnl_route_nh_alloc) *rtnl_route_nh_alloc;
	__typeof__(rtnl_route_nh_free) *rtnl_route_nh_free;
	__typeof__(rtnl_route_nh_get_ifindex) *rtnl_route_nh_get_ifindex;
	__typeof__(rtnl_route_nh_set_gateway) *rtnl_route_nh_set_gateway;
	__typeof__(rtnl_route_nh_set_ifindex) *rtnl_route_nh_set_ifindex;
	__typeof__(rtnl_route_put) *rtnl_route_put;
	__typeof__(rtnl_route_set_dst) *rtnl_route_set_dst;
	__typeof__(rtnl_route_set_family) *rtnl_route_set_family;
	__typeof__(rtnl_route_set_table) *rtnl_route_set_table;
};
extern struct nl_syms nl_syms;
int nl_dl_open(berr *err);

#ifndef BERTH_NET_DL_NL_H_IMPL
#define nl_addr_build (*nl_syms.nl_addr_build)
#define nl_addr_get_binary_addr (*nl_syms.nl_addr_get_binary_addr)
#define nl_addr_get_family (*nl_syms.nl_addr_get_family)
#define nl_addr_get_prefixlen (*nl_syms.nl_addr_get_prefixlen)
#define nl_addr_put (*nl_syms.nl_addr_put)
#define nl_addr_set_prefixlen (*nl_syms.nl_addr_set_prefixlen)
#define nl_cache_foreach (*nl_syms.nl_cache_foreach)
#define nl_cache_free (*nl_syms.nl_cache_free)
#define nl_connect (*nl_syms.nl_connect)
#define nl_geterror (*nl_syms.nl_geterror)
#define nl_send_sync (*nl_syms.nl_send_sync)
#define nl_socket_alloc (*nl_syms.nl_socket_alloc)
#define nl_socket_free (*nl_syms.nl_socket_free)
#define nla_nest_end (*nl_syms.nla_nest_end)
#define nla_nest_start (*nl_syms.nla_nest_start)
#define nla_put_u8 (*nl_syms.nla_put_u8)
#define nlmsg_alloc_simple (*nl_syms.nlmsg_alloc_simple)
#define nlmsg_append (*nl_syms.nlmsg_append)
#define nlmsg_free (*nl_syms.nlmsg_free)
#define rtnl_addr_add (*nl_syms.rtnl_addr_add)
#define rtnl_addr_alloc (*nl_syms.rtnl_addr_alloc)
#define rtnl_addr_put (*nl_syms.rtnl_addr_put)
#define rtnl_addr_set_broadcast (*nl_syms.rtnl_addr_set_broadcast)
#define rtnl_addr_set_flags (*nl_syms.rtnl_addr_set_flags)
#define rtnl_addr_set_ifindex (*nl_syms.rtnl_addr_set_ifindex)
#define rtnl_addr_set_local (*nl_syms.rtnl_addr_set_local)
#define rtnl_link_add (*nl_syms.rtnl_link_add)
#define rtnl_link_alloc (*nl_syms.rtnl_link_alloc)
#define rtnl_link_alloc_cache (*nl_syms.rtnl_link_alloc_cache)
#define rtnl_link_bridge_alloc (*nl_syms.rtnl_link_bridge_alloc)
#define rtnl_link_change (*nl_syms.rtnl_link_change)
#define rtnl_link_delete (*nl_syms.rtnl_link_delete)
#define rtnl_link_get_ifindex (*nl_syms.rtnl_link_get_ifindex)
#define rtnl_link_get_kernel (*nl_syms.rtnl_link_get_kernel)
#define rtnl_link_get_master (*nl_syms.rtnl_link_get_master)
#define rtnl_link_get_name (*nl_syms.rtnl_link_get_name)
#define rtnl_link_get_ifalias (*nl_syms.rtnl_link_get_ifalias)
#define rtnl_link_set_ifalias (*nl_syms.rtnl_link_set_ifalias)
#define rtnl_link_get_type (*nl_syms.rtnl_link_get_type)
#define rtnl_link_put (*nl_syms.rtnl_link_put)
#define rtnl_link_set_addr (*nl_syms.rtnl_link_set_addr)
#define rtnl_link_set_flags (*nl_syms.rtnl_link_set_flags)
#define rtnl_link_set_ifindex (*nl_syms.rtnl_link_set_ifindex)
#define rtnl_link_set_master (*nl_syms.rtnl_link_set_master)
#define rtnl_link_set_mtu (*nl_syms.rtnl_link_set_mtu)
#define rtnl_link_set_name (*nl_syms.rtnl_link_set_name)
#define rtnl_link_set_ns_fd (*nl_syms.rtnl_link_set_ns_fd)
#define rtnl_link_veth_alloc (*nl_syms.rtnl_link_veth_alloc)
#define rtnl_link_veth_get_peer (*nl_syms.rtnl_link_veth_get_peer)
#define rtnl_route_add (*nl_syms.rtnl_route_add)
#define rtnl_route_add_nexthop (*nl_syms.rtnl_route_add_nexthop)
#define rtnl_route_alloc (*nl_syms.rtnl_route_alloc)
#define rtnl_route_alloc_cache (*nl_syms.rtnl_route_alloc_cache)
#define rtnl_route_get_dst (*nl_syms.rtnl_route_get_dst)
#define rtnl_route_get_nnexthops (*nl_syms.rtnl_route_get_nnexthops)
#define rtnl_route_get_table (*nl_syms.rtnl_route_get_table)
#define rtnl_route_nexthop_n (*nl_syms.rtnl_route_nexthop_n)
#define rtnl_route_nh_alloc (*nl_syms.rtnl_route_nh_alloc)
#define rtnl_route_nh_free (*nl_syms.rtnl_route_nh_free)
#define rtnl_route_nh_get_ifindex (*nl_syms.rtnl_route_nh_get_ifindex)
#define rtnl_route_nh_set_gateway (*nl_syms.rtnl_route_nh_set_gateway)
#define rtnl_route_nh_set_ifindex (*nl_syms.rtnl_route_nh_set_ifindex)
#define rtnl_route_put (*nl_syms.rtnl_route_put)
#define rtnl_route_set_dst (*nl_syms.rtnl_route_set_dst)
#define rtnl_route_set_family (*nl_syms.rtnl_route_set_family)
#define rtnl_route_set_table (*nl_syms.rtnl_route_set_table)
#endif

#endif
