/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IPv4 addresses and CIDR subnets, in host byte order (private to net/). */
#ifndef BERTH_NET_ADDR_H
#define BERTH_NET_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/err.h"

struct net_cidr {
	uint32_t addr;	 /* the network address (host bits zero) */
	unsigned prefix; /* 0..32 */
};

#define IPV4_STRLEN 16

/* Dotted quad, exactly four decimal parts 0..255. 0 or -EINVAL. */
int ipv4_parse(const char *s, uint32_t *ret);
/* BUF must hold IPV4_STRLEN bytes; returns BUF. */
char *ipv4_format(uint32_t a, char *buf);
/* "A.B.C.D/N" with no host bits set; pod subnets must be /8../30. */
int cidr_parse(const char *s, struct net_cidr *ret, berr *err);
uint32_t cidr_mask(unsigned prefix);
bool cidr_contains(const struct net_cidr *c, uint32_t a);
bool cidr_overlap(const struct net_cidr *a, const struct net_cidr *b);
/* An IPv6 prefix for the optional dual stack: /48 to /112. A pod's IPv6
 * address is the prefix with the host part of its IPv4 lease (10.89.0.7 ->
 * PREFIX::7), so IPv6 needs no lease of its own; the gateway is PREFIX::1. */
struct net_cidr6 {
	uint8_t addr[16];
	unsigned prefix;
};

#define IPV6_STRLEN 46
int cidr6_parse(const char *s, struct net_cidr6 *ret, berr *err);
/* PREFIX + HOST (the low 32 bits). */
void cidr6_host(const struct net_cidr6 *c, uint32_t host, uint8_t ret[16]);
char *ipv6_format(const uint8_t a[16], char *buf);

/* First and last address a pod may get (gateway = network + 1). */
static inline uint32_t cidr_gateway(const struct net_cidr *c) { return c->addr + 1; }
static inline uint32_t cidr_first(const struct net_cidr *c) { return c->addr + 2; }
static inline uint32_t cidr_last(const struct net_cidr *c) { return (c->addr | ~cidr_mask(c->prefix)) - 1; }

#endif
