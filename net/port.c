// SPDX-License-Identifier: GPL-2.0-or-later
/* Published port specs: [HOSTIP:]HOSTPORT:PORT[/tcp|/udp]. */
#include <stdio.h>
#include <string.h>

#include "net/addr.h"
#include "net/net.h"

static int port_number(const char *s, size_t len, uint16_t *ret)
{
	unsigned v = 0;

	if (len == 0 || len > 5)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -ERANGE;
	*ret = (uint16_t)v;
	return 0;
}

static int port_proto(const char *spec, const char *proto, uint8_t *ret, berr *err)
{
	if (!proto || strcmp(proto, "tcp") == 0)
		*ret = IPPROTO_TCP;
	else if (strcmp(proto, "udp") == 0)
		*ret = IPPROTO_UDP;
	else
		return berr_fail(err, EINVAL, "Port \"%s\": protocol \"%s\" is not tcp or udp", spec, proto);
	return 0;
}

int net_port_parse(const char *s, struct net_port *ret, berr *err)
{
	char buf[64];
	struct net_port p = { 0 };
	char *proto, *last, *mid;
	int r;

	if (!s || snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return berr_fail(err, EINVAL, "Port \"%s\" is not [HOSTIP:]HOSTPORT:PORT[/udp]", s ? s : "");
	proto = strchr(buf, '/');
	if (proto)
		*proto++ = '\0';
	r = port_proto(s, proto, &p.proto, err);
	if (r < 0)
		return r;
	last = strrchr(buf, ':');
	if (!last)
		return berr_fail(err, EINVAL, "Port \"%s\" is not [HOSTIP:]HOSTPORT:PORT[/udp]", s);
	*last++ = '\0';
	mid = strrchr(buf, ':');
	if (mid) {
		*mid++ = '\0';
		if (ipv4_parse(buf, &p.host_ip) < 0)
			return berr_fail(err, EINVAL, "Port \"%s\": \"%s\" is not an IPv4 address", s, buf);
	} else {
		mid = buf;
	}
	r = port_number(mid, strlen(mid), &p.host_port);
	if (r == 0)
		r = port_number(last, strlen(last), &p.port);
	if (r == -ERANGE)
		return berr_fail(err, ERANGE, "Port \"%s\": port out of range 1-65535", s);
	if (r < 0)
		return berr_fail(err, EINVAL, "Port \"%s\" is not [HOSTIP:]HOSTPORT:PORT[/udp]", s);
	*ret = p;
	return 0;
}

void net_port_format(const struct net_port *p, char *buf, size_t len)
{
	char ip[IPV4_STRLEN];

	snprintf(buf, len, "%s:%u->%u/%s", ipv4_format(p->host_ip, ip), p->host_port, p->port,
		 p->proto == IPPROTO_UDP ? "udp" : "tcp");
}
