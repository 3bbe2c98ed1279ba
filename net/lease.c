// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/addr.h"
#include "net/lease.h"

static int lease_port(const char *v, struct net_port *p)
{
	char proto[8], ip[IPV4_STRLEN];
	unsigned hp, cp;

	if (sscanf(v, "%7s %15s %u %u", proto, ip, &hp, &cp) != 4 || hp == 0 || hp > 65535 ||
	    cp == 0 || cp > 65535 || ipv4_parse(ip, &p->host_ip) < 0)
		return -EINVAL;
	if (strcmp(proto, "tcp") == 0)
		p->proto = IPPROTO_TCP;
	else if (strcmp(proto, "udp") == 0)
		p->proto = IPPROTO_UDP;
	else
		return -EINVAL;
	p->host_port = (uint16_t)hp;
	p->port = (uint16_t)cp;
	return 0;
}

static void set(char *dst, size_t len, const char *v, size_t vlen)
{
	snprintf(dst, len, "%.*s", (int)vlen, v);
}

int lease_parse(const char *text, uint32_t addr, struct lease_info *ret)
{
	struct lease_info l = { .addr = addr };

	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		const char *eq = memchr(p, '=', len);
		if (eq) {
			size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
			const char *v = eq + 1;
			char vbuf[128];
			if (klen == 3 && !memcmp(p, "pod", 3))
				set(l.pod, sizeof(l.pod), v, vlen);
			else if (klen == 6 && !memcmp(p, "ifname", 6))
				set(l.ifname, sizeof(l.ifname), v, vlen);
			else if (klen == 8 && !memcmp(p, "hostname", 8))
				set(l.hostname, sizeof(l.hostname), v, vlen);
			else if (klen == 7 && !memcmp(p, "aliases", 7))
				set(l.aliases, sizeof(l.aliases), v, vlen);
			else if (klen == 2 && !memcmp(p, "ns", 2))
				set(l.ns, sizeof(l.ns), v, vlen);
			else if (klen == 4 && !memcmp(p, "port", 4) && l.nports < LEASE_PORTS_MAX) {
				set(vbuf, sizeof(vbuf), v, vlen);
				if (lease_port(vbuf, &l.ports[l.nports]) == 0)
					l.nports++;
			}
		}
		p += len + (p[len] == '\n');
	}
	if (!l.pod[0] || !l.ifname[0])
		return -EINVAL;
	*ret = l;
	return 0;
}

char *lease_format(const struct lease_info *l)
{
	char *buf = NULL, ip[IPV4_STRLEN];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "pod=%s\nifname=%s\n", l->pod, l->ifname);
	if (l->hostname[0])
		fprintf(f, "hostname=%s\n", l->hostname);
	if (l->aliases[0])
		fprintf(f, "aliases=%s\n", l->aliases);
	if (l->ns[0])
		fprintf(f, "ns=%s\n", l->ns);
	for (size_t i = 0; i < l->nports; i++) {
		const struct net_port *p = &l->ports[i];
		fprintf(f, "port=%s %s %u %u\n", p->proto == IPPROTO_UDP ? "udp" : "tcp",
			ipv4_format(p->host_ip, ip), p->host_port, p->port);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
