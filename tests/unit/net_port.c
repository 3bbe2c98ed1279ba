// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <string.h>

#include "net/net.h"

Test(port, parses_hostport_port)
{
	struct net_port p;
	char buf[64];

	cr_assert_eq(net_port_parse("8080:80", &p, NULL), 0);
	cr_assert_eq(p.host_ip, 0);
	cr_assert_eq(p.host_port, 8080);
	cr_assert_eq(p.port, 80);
	cr_assert_eq(p.proto, IPPROTO_TCP);
	net_port_format(&p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "0.0.0.0:8080->80/tcp");
}

Test(port, parses_host_ip_and_udp)
{
	struct net_port p;
	char buf[64];

	cr_assert_eq(net_port_parse("127.0.0.1:5353:53/udp", &p, NULL), 0);
	cr_assert_eq(p.host_ip, 0x7f000001u);
	cr_assert_eq(p.host_port, 5353);
	cr_assert_eq(p.port, 53);
	cr_assert_eq(p.proto, IPPROTO_UDP);
	net_port_format(&p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "127.0.0.1:5353->53/udp");
	cr_assert_eq(net_port_parse("1:65535/tcp", &p, NULL), 0);
	cr_assert_eq(p.port, 65535);
}

Test(port, rejects_bad_specs)
{
	static const struct {
		const char *s, *msg;
	} bad[] = {
		{ "80", "is not [HOSTIP:]HOSTPORT:PORT" },
		{ "65536:80", "out of range" },
		{ "8080:0", "out of range" },
		{ "0:80", "out of range" },
		{ "99999999:80", "is not [HOSTIP:]HOSTPORT:PORT" },
		{ "8080:80/sctp", "protocol \"sctp\"" },
		{ "8080:80/", "protocol \"\"" },
		{ "1.2.3:8080:80", "is not an IPv4 address" },
		{ ":8080:80", "is not an IPv4 address" },
		{ "a:b", "is not [HOSTIP:]HOSTPORT:PORT" },
		{ "8080:-1", "is not [HOSTIP:]HOSTPORT:PORT" },
		{ "", "is not [HOSTIP:]HOSTPORT:PORT" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct net_port p;
		berr err = { 0 };
		cr_assert_lt(net_port_parse(bad[i].s, &p, &err), 0, "%s", bad[i].s);
		cr_assert(strstr(err.msg, bad[i].msg), "%s: %s", bad[i].s, err.msg);
	}
}
