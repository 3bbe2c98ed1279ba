// SPDX-License-Identifier: GPL-2.0-or-later
/* The answers of the daemon's DNS responder (docs/decisions/net-service-names.md):
 * names of the network's hosts file (services, replicas) answer from it;
 * any other name without a dot, or under a berth namespace, is NXDOMAIN at
 * once; everything else is for the board's resolvers. Pure: no sockets. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "net/addr.h"
#include "net/net.h"

#define DNS_HDR 12
#define T_A 1
#define T_AAAA 28
#define RCODE_NXDOMAIN 3
#define RCODE_SERVFAIL 2

/* QNAME at Q+12 as "a.b.c" (lower case) into NAME; the offset after QTYPE
 * and QCLASS, or 0 when the query is not one we read. */
static size_t qname_read(const uint8_t *q, size_t len, char *name, size_t nlen, uint16_t *ret_type,
			 uint16_t *ret_class)
{
	size_t off = DNS_HDR, o = 0;

	for (;;) {
		if (off >= len)
			return 0;
		uint8_t l = q[off++];
		if (l == 0)
			break;
		if (l > 63 || off + l > len || o + l + 2 > nlen)
			return 0; /* compression pointers never appear in a question we read */
		if (o)
			name[o++] = '.';
		for (uint8_t i = 0; i < l; i++)
			name[o++] = (char)tolower(q[off + i]);
		off += l;
	}
	name[o] = '\0';
	if (off + 4 > len)
		return 0;
	*ret_type = (uint16_t)(q[off] << 8 | q[off + 1]);
	*ret_class = (uint16_t)(q[off + 2] << 8 | q[off + 3]);
	return off + 4;
}

/* the addresses of NAME in HOSTS (one "ADDR NAME..." per line); how many */
static size_t hosts_find(const char *hosts, const char *name, bool v6, uint8_t (*ret)[16], size_t max,
			 bool *ret_known)
{
	size_t n = 0;

	for (const char *l = hosts; l && *l;) {
		size_t len = strcspn(l, "\n");
		char line[512], *save = NULL, *addr, *w;
		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1), l);
		l += len + (l[len] == '\n');
		if (line[0] == '#' || !(addr = strtok_r(line, " \t", &save)))
			continue;
		bool match = false;
		while (!match && (w = strtok_r(NULL, " \t", &save)))
			match = strcasecmp(w, name) == 0;
		if (!match || strcmp(name, "localhost") == 0)
			continue;
		*ret_known = true;
		uint8_t a[16];
		if (n < max && inet_pton(v6 ? AF_INET6 : AF_INET, addr, a) == 1)
			memcpy(ret[n++], a, v6 ? 16 : 4);
	}
	return n;
}

static bool ours(const char *name, char *const *domains)
{
	if (!strchr(name, '.'))
		return true;
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; domains && domains[i]; i++)
		if (strcasecmp(dot + 1, domains[i]) == 0)
			return true;
	return false;
}

int net_dns_answer(const uint8_t *q, size_t qlen, const char *hosts, char *const *domains, uint8_t *out,
		   size_t outlen, size_t *ret_len)
{
	char name[256];
	uint16_t type, class;
	uint8_t addrs[16][16];
	bool known = false;
	size_t end, n, off;

	if (qlen < DNS_HDR || (q[2] & 0x80) || (q[2] & 0x78) || q[4] != 0 || q[5] != 1)
		return -EINVAL; /* a reply, another opcode, or not exactly one question */
	end = qname_read(q, qlen, name, sizeof(name), &type, &class);
	if (!end || end > outlen)
		return -EINVAL;
	n = class == 1 && (type == T_A || type == T_AAAA)
		    ? hosts_find(hosts, name, type == T_AAAA, addrs, 16, &known)
		    : 0;
	if (!known)
		hosts_find(hosts, name, false, addrs, 0, &known);
	if (!known && !ours(name, domains))
		return 0; /* for the board's resolvers */
	memcpy(out, q, end);
	out[2] = 0x84 | (q[2] & 0x01); /* QR, AA, RD as asked */
	out[3] = 0x80 | (known ? 0 : RCODE_NXDOMAIN); /* RA */
	memset(out + 6, 0, 6);
	off = end;
	for (size_t i = 0; i < n; i++) {
		size_t alen = type == T_AAAA ? 16 : 4;
		if (off + 12 + alen > outlen)
			break;
		uint8_t rr[12] = { 0xc0, DNS_HDR, 0, (uint8_t)type, 0, 1, 0, 0, 0, 5, 0, (uint8_t)alen };
		memcpy(out + off, rr, 12);
		memcpy(out + off + 12, addrs[i], alen);
		off += 12 + alen;
		out[7]++;
	}
	*ret_len = off;
	return 1;
}

int net_dns_error(const uint8_t *q, size_t qlen, uint8_t *out, size_t outlen, size_t *ret_len)
{
	char name[256];
	uint16_t type, class;
	size_t end = qlen >= DNS_HDR ? qname_read(q, qlen, name, sizeof(name), &type, &class) : 0;

	if (!end || end > outlen)
		return -EINVAL;
	memcpy(out, q, end);
	out[2] = 0x80 | (q[2] & 0x01);
	out[3] = 0x80 | RCODE_SERVFAIL;
	memset(out + 6, 0, 6);
	*ret_len = end;
	return 0;
}
