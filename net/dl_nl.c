// SPDX-License-Identifier: GPL-2.0-or-later
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#define BERTH_NET_DL_NL_H_IMPL
#include "lib/dl.h"
#include "net/dl_nl.h"

struct nl_syms nl_syms;

static const char *const names[] = {
	"nl_addr_build",
	"nl_addr_get_binary_addr",
	"nl_addr_get_family",
	"nl_addr_get_prefixlen",
	"nl_addr_put",
	"nl_addr_set_prefixlen",
	"nl_cache_foreach",
	"nl_cache_free",
	"nl_connect",
	"nl_geterror",
	"nl_send_sync",
	"nl_socket_alloc",
	"nl_socket_free",
	"nla_nest_end",
	"nla_nest_start",
	"nla_put_u8",
	"nlmsg_alloc_simple",
	"nlmsg_append",
	"nlmsg_free",
	"rtnl_addr_add",
	"rtnl_addr_alloc",
	"rtnl_addr_put",
	"rtnl_addr_set_broadcast",
	"rtnl_addr_set_flags",
	"rtnl_addr_set_ifindex",
	"rtnl_addr_set_local",
	"rtnl_link_add",
	"rtnl_link_alloc",
	"rtnl_link_alloc_cache",
	"rtnl_link_bridge_alloc",
	"rtnl_link_change",
	"rtnl_link_delete",
	"rtnl_link_get_ifalias",
	"rtnl_link_get_ifindex",
	"rtnl_link_get_kernel",
	"rtnl_link_get_master",
	"rtnl_link_get_name",
	"rtnl_link_get_type",
	"rtnl_link_put",
	"rtnl_link_set_addr",
	"rtnl_link_set_flags",
	"rtnl_link_set_ifalias",
	"rtnl_link_set_ifindex",
	"rtnl_link_set_master",
	"rtnl_link_set_mtu",
	"rtnl_link_set_name",
	"rtnl_link_set_ns_fd",
	"rtnl_link_veth_alloc",
	"rtnl_link_veth_get_peer",
	"rtnl_route_add",
	"rtnl_route_add_nexthop",
	"rtnl_route_alloc",
	"rtnl_route_alloc_cache",
	"rtnl_route_get_dst",
	"rtnl_route_get_nnexthops",
	"rtnl_route_get_table",
	"rtnl_route_nexthop_n",
	"rtnl_route_nh_alloc",
	"rtnl_route_nh_free",
	"rtnl_route_nh_get_ifindex",
	"rtnl_route_nh_set_gateway",
	"rtnl_route_nh_set_ifindex",
	"rtnl_route_put",
	"rtnl_route_set_dst",
	"rtnl_route_set_family",
	"rtnl_route_set_table",
};

int nl_dl_open(berr *err)
{
	static struct dl_lib lib = { .soname = "libnl-route-3.so.200", DL_LIB_TABLE(names, nl_syms) };
	DL_LIB_CHECK(names, nl_syms);
	return dl_lib_open(&lib, err);
}
