/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a lease file says (private to net/): key=value lines
 *	pod=NAME  ifname=VETH  hostname=H  aliases=A,B  ns=NS  port=tcp HOSTIP HOSTPORT PORT
 */
#ifndef BERTH_NET_LEASE_H
#define BERTH_NET_LEASE_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "net/net.h"

#define LEASE_PORTS_MAX 32

struct lease_info {
	uint32_t addr;
	char pod[NET_POD_MAX + 1];
	char ifname[IF_NAMESIZE];
	char hostname[65];
	char aliases[256];
	char ns[64];	/* namespace ("" = default): which hosts file lists it */
	struct net_port ports[LEASE_PORTS_MAX];
	size_t nports;
};

/* 0, or -EINVAL when TEXT is not a whole lease (no pod= or ifname=). */
int lease_parse(const char *text, uint32_t addr, struct lease_info *ret);
/* The file text for L; caller frees; NULL on ENOMEM. */
char *lease_format(const struct lease_info *l);

#endif
