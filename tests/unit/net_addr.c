// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <string.h>

#include "net/addr.h"

Test(cidr, parses_a_subnet)
{
	struct net_cidr c;
	berr err = { 0 };

	cr_assert_eq(cidr_parse("10.89.0.0/24", &c, &err), 0);
	cr_assert_eq(c.addr, 0x0a590000u);
	cr_assert_eq(c.prefix, 24);
	cr_assert_eq(cidr_gateway(&c), 0x0a590001u);
	cr_assert_eq(cidr_first(&c), 0x0a590002u);
	cr_assert_eq(cidr_last(&c), 0x0a5900feu);
}

Test(cidr, rejects_bad_input_with_a_message)
{
	static const struct {
		const char *s, *msg;
	} bad[] = {
		{ "10.89.0.0", "is not a CIDR" },	  { "10.89.0.0/", "bad prefix length" },
		{ "10.89.0.0/33", "bad prefix length" }, { "10.89.0.0/2x", "bad prefix length" },
		{ "10.89.0.0/123", "bad prefix length" }, { "10.89.0/24", "is not an IPv4 address" },
		{ "10.89.0.256/24", "is not an IPv4 address" }, { "010.89.0.0/24", "is not an IPv4 address" },
		{ "10.89.0.0.0/24", "is not an IPv4 address" }, { "10.89.0.1/24", "has host bits set" },
		{ "10.0.0.0/7", "prefix must be /8 to /30" }, { "10.0.0.0/31", "prefix must be /8 to /30" },
		{ "", "is not a CIDR" },		  { " 10.89.0.0/24", "is not an IPv4 address" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct net_cidr c;
		berr err = { 0 };
		cr_assert_eq(cidr_parse(bad[i].s, &c, &err), -EINVAL, "%s", bad[i].s);
		cr_assert(strstr(err.msg, bad[i].msg), "%s: %s", bad[i].s, err.msg);
	}
	cr_assert_eq(cidr_parse(NULL, &(struct net_cidr){ 0 }, NULL), -EINVAL);
}

Test(cidr, overlap_and_contains)
{
	struct net_cidr a, b, c;

	cidr_parse("10.89.0.0/24", &a, NULL);
	cidr_parse("10.0.0.0/8", &b, NULL);
	cidr_parse("10.88.0.0/16", &c, NULL);
	cr_assert(cidr_overlap(&a, &b));
	cr_assert(cidr_overlap(&b, &a));
	cr_assert_not(cidr_overlap(&a, &c));
	cr_assert(cidr_contains(&a, 0x0a5900ffu));
	cr_assert_not(cidr_contains(&a, 0x0a590100u));
}

Test(ipv4, formats_and_parses_round_trip)
{
	char buf[IPV4_STRLEN];
	uint32_t a;

	cr_assert_str_eq(ipv4_format(0xfffffffeu, buf), "255.255.255.254");
	cr_assert_eq(ipv4_parse("255.255.255.254", &a), 0);
	cr_assert_eq(a, 0xfffffffeu);
	cr_assert_eq(ipv4_parse("0.0.0.0", &a), 0);
	cr_assert_eq(a, 0);
	cr_assert_eq(ipv4_parse("1.2.3", &a), -EINVAL);
	cr_assert_eq(ipv4_parse("1.2.3.4.", &a), -EINVAL);
	cr_assert_eq(ipv4_parse("1..3.4", &a), -EINVAL);
}

Test(cidr6, parses_a_prefix_and_derives_host_addresses)
{
	struct net_cidr6 c;
	uint8_t a[16];
	char buf[IPV6_STRLEN];
	berr err = { 0 };

	cr_assert_eq(cidr6_parse("fd89:0:0:1::/64", &c, &err), 0, "%s", err.msg);
	cr_assert_eq(c.prefix, 64);
	cidr6_host(&c, 7, a);
	cr_assert_str_eq(ipv6_format(a, buf), "fd89:0:0:1::7");
	cidr6_host(&c, 0x00010203, a);
	cr_assert_str_eq(ipv6_format(a, buf), "fd89::1:0:0:1:203");
}

Test(cidr6, rejects_bad_prefixes)
{
	static const struct {
		const char *s, *msg;
	} bad[] = {
		{ "fd89::", "is not PREFIX/N" },	{ "fd89::/32", "prefix must be /48 to /112" },
		{ "fd89::/113", "prefix must be /48 to /112" }, { "fd89::/6x", "prefix must be /48 to /112" },
		{ "fd89::1/64", "has host bits set" },	{ "10.0.0.0/64", "is not an IPv6 address" },
		{ "fd89::/", "prefix must be /48 to /112" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct net_cidr6 c;
		berr err = { 0 };
		cr_assert_eq(cidr6_parse(bad[i].s, &c, &err), -EINVAL, "%s", bad[i].s);
		cr_assert(strstr(err.msg, bad[i].msg), "%s: %s", bad[i].s, err.msg);
	}
}
