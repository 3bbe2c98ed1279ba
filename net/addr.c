// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/addr.h"

int ipv4_parse(const char *s, uint32_t *ret)
{
	uint32_t a = 0;
	int parts = 0;

	if (!s)
		return -EINVAL;
	for (const char *p = s;; p++) {
		unsigned v = 0, digits = 0;
		const char *start = p;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (unsigned)(*p++ - '0');
			if (++digits > 3)
				return -EINVAL;
		}
		if (digits == 0 || v > 255 || (digits > 1 && *start == '0'))
			return -EINVAL;
		a = a << 8 | v;
		parts++;
		if (*p == '\0')
			break;
		if (*p != '.' || parts == 4)
			return -EINVAL;
	}
	if (parts != 4)
		return -EINVAL;
	*ret = a;
	return 0;
}

char *ipv4_format(uint32_t a, char *buf)
{
	snprintf(buf, IPV4_STRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

uint32_t cidr_mask(unsigned prefix)
{
	return prefix == 0 ? 0 : ~0u << (32 - prefix);
}

int cidr_parse(const char *s, struct net_cidr *ret, berr *err)
{
	char ip[IPV4_STRLEN];
	const char *slash = s ? strchr(s, '/') : NULL;
	unsigned prefix = 0, digits = 0;
	uint32_t a;

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return berr_fail(err, EINVAL, "Subnet \"%s\" is not a CIDR (A.B.C.D/N)", s ? s : "");
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	for (const char *p = slash + 1; *p; p++) {
		if (*p < '0' || *p > '9' || ++digits > 2)
			return berr_fail(err, EINVAL, "Subnet \"%s\": bad prefix length", s);
		prefix = prefix * 10 + (unsigned)(*p - '0');
	}
	if (digits == 0 || prefix > 32)
		return berr_fail(err, EINVAL, "Subnet \"%s\": bad prefix length", s);
	if (ipv4_parse(ip, &a) < 0)
		return berr_fail(err, EINVAL, "Subnet \"%s\": \"%s\" is not an IPv4 address", s, ip);
	if (prefix < 8 || prefix > 30)
		return berr_fail(err, EINVAL, "Subnet \"%s\": prefix must be /8 to /30", s);
	if (a & ~cidr_mask(prefix))
		return berr_fail(err, EINVAL, "Subnet \"%s\" has host bits set (network address is %s)",
				 s, ipv4_format(a & cidr_mask(prefix), ip));
	ret->addr = a;
	ret->prefix = prefix;
	return 0;
}

bool cidr_contains(const struct net_cidr *c, uint32_t a)
{
	return (a & cidr_mask(c->prefix)) == c->addr;
}

bool cidr_overlap(const struct net_cidr *a, const struct net_cidr *b)
{
	unsigned p = a->prefix < b->prefix ? a->prefix : b->prefix;
	return ((a->addr ^ b->addr) & cidr_mask(p)) == 0;
}

int cidr6_parse(const char *s, struct net_cidr6 *ret, berr *err)
{
	char ip[IPV6_STRLEN];
	const char *slash = s ? strchr(s, '/') : NULL;
	char *end;
	unsigned long prefix;
	struct net_cidr6 c;

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return berr_fail(err, EINVAL, "IPv6 subnet \"%s\" is not PREFIX/N", s ? s : "");
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	prefix = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end || prefix < 48 || prefix > 112)
		return berr_fail(err, EINVAL, "IPv6 subnet \"%s\": prefix must be /48 to /112", s);
	if (inet_pton(AF_INET6, ip, c.addr) != 1)
		return berr_fail(err, EINVAL, "IPv6 subnet \"%s\": \"%s\" is not an IPv6 address", s, ip);
	for (unsigned bit = (unsigned)prefix; bit < 128; bit++)
		if (c.addr[bit / 8] & (0x80 >> (bit % 8)))
			return berr_fail(err, EINVAL, "IPv6 subnet \"%s\" has host bits set", s);
	c.prefix = (unsigned)prefix;
	*ret = c;
	return 0;
}

void cidr6_host(const struct net_cidr6 *c, uint32_t host, uint8_t ret[16])
{
	memcpy(ret, c->addr, 16);
	ret[12] |= (uint8_t)(host >> 24);
	ret[13] |= (uint8_t)(host >> 16);
	ret[14] |= (uint8_t)(host >> 8);
	ret[15] |= (uint8_t)host;
}

char *ipv6_format(const uint8_t a[16], char *buf)
{
	if (!inet_ntop(AF_INET6, a, buf, IPV6_STRLEN))
		buf[0] = '\0';
	return buf;
}
