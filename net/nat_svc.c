// SPDX-License-Identifier: GPL-2.0-or-later
/* Services in nftables, as kube-proxy's nftables mode does them: table
 * "ip berthsvc_NETWORK", owned by the daemon alone (the NAT table of the
 * network is rebuilt by others; this one is not).
 *
 *   map vport { VIP . PROTO . PORT : goto s_KEY }   services with ports
 *   map vip   { VIP : goto s_KEY }                  services of every port
 *   chain s_KEY   [ip saddr @a_KEY_EP goto e_KEY_EP]... (affinity)
 *                 numgen random mod N vmap { 0 : goto e_KEY_EP, ... }
 *   chain e_KEY_EP [update @a_KEY_EP { ip saddr }] dnat to EP[:TARGET]
 *
 * prerouting (pods) and output (the board) jump to "services" for the
 * service subnet. A packet still addressed to the service subnet after
 * them (no endpoint, or a port the service does not serve) meets the
 * filter chains of forward and output, which reject it: a TCP reset or an
 * ICMP port unreachable, never a silent drop. Masquerade of pod-to-VIP
 * traffic (so the answer comes back through the host, and a pod reaching
 * itself through its own VIP works) is the network's NAT table's rule for
 * DNATed traffic leaving on the bridge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/nat.h"

static const char *proto_name(uint8_t p)
{
	return p == IPPROTO_UDP ? "udp" : "tcp";
}

static bool has(const uint32_t *v, size_t n, uint32_t a)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == a)
			return true;
	return false;
}

/* chain, set and key names: "s_KEY", "e_KEY_EP", "a_KEY_EP" (EP in hex) */
static void svc_sets_add(FILE *f, const char *t, const struct net_service *s, uint32_t ep)
{
	if (s->affinity_s)
		fprintf(f,
			"add set ip %s a_%s_%08x { type ipv4_addr; flags dynamic,timeout; timeout %us; }\n",
			t, s->key, ep, s->affinity_s);
}

static void ep_add(FILE *f, const char *t, const struct net_service *s, uint32_t ep)
{
	char a[IPV4_STRLEN];

	ipv4_format(ep, a);
	svc_sets_add(f, t, s, ep);
	fprintf(f, "add chain ip %s e_%s_%08x\n", t, s->key, ep);
	if (s->affinity_s)
		fprintf(f, "add rule ip %s e_%s_%08x update @a_%s_%08x { ip saddr }\n", t, s->key, ep,
			s->key, ep);
	for (size_t i = 0; i < s->nports; i++)
		if (s->ports[i].target && s->ports[i].target != s->ports[i].port)
			fprintf(f, "add rule ip %s e_%s_%08x meta l4proto %s th dport %u dnat ip to %s:%u\n",
				t, s->key, ep, proto_name(s->ports[i].proto), s->ports[i].port, a,
				s->ports[i].target);
	fprintf(f, "add rule ip %s e_%s_%08x dnat ip to %s\n", t, s->key, ep, a);
}

static void ep_delete(FILE *f, const char *t, const struct net_service *s, uint32_t ep)
{
	fprintf(f, "flush chain ip %1$s e_%2$s_%3$08x\ndelete chain ip %1$s e_%2$s_%3$08x\n", t, s->key,
		ep);
	if (s->affinity_s)
		fprintf(f, "delete set ip %s a_%s_%08x\n", t, s->key, ep);
}

/* the rules of s_KEY (the chain exists and is empty) */
static void svc_rules(FILE *f, const char *t, const struct net_service *s)
{
	if (s->neps == 0)
		return; /* falls through: refused by the filter chains */
	for (size_t i = 0; s->affinity_s && i < s->neps; i++)
		fprintf(f, "add rule ip %1$s s_%2$s ip saddr @a_%2$s_%3$08x goto e_%2$s_%3$08x\n", t,
			s->key, s->eps[i]);
	if (s->neps == 1) {
		fprintf(f, "add rule ip %1$s s_%2$s goto e_%2$s_%3$08x\n", t, s->key, s->eps[0]);
		return;
	}
	fprintf(f, "add rule ip %s s_%s numgen random mod %zu vmap {", t, s->key, s->neps);
	for (size_t i = 0; i < s->neps; i++)
		fprintf(f, "%s %zu : goto e_%s_%08x", i ? "," : "", i, s->key, s->eps[i]);
	fputs(" }\n", f);
}

static void svc_add(FILE *f, const char *t, const struct net_service *s)
{
	char vip[IPV4_STRLEN];

	ipv4_format(s->vip, vip);
	fprintf(f, "add chain ip %s s_%s\n", t, s->key);
	for (size_t i = 0; i < s->neps; i++)
		ep_add(f, t, s, s->eps[i]);
	svc_rules(f, t, s);
	if (s->nports == 0) {
		fprintf(f, "add element ip %s vip { %s : goto s_%s }\n", t, vip, s->key);
		return;
	}
	fprintf(f, "add element ip %s vport {", t);
	for (size_t i = 0; i < s->nports; i++)
		fprintf(f, "%s %s . %s . %u : goto s_%s", i ? "," : "", vip,
			proto_name(s->ports[i].proto), s->ports[i].port, s->key);
	fputs(" }\n", f);
}

static void svc_table(FILE *f, const char *t, const struct net_cidr *c)
{
	char net[IPV4_STRLEN];

	ipv4_format(c->addr, net);
	fprintf(f,
		"add table ip %1$s\ndelete table ip %1$s\n"
		"table ip %1$s {\n"
		" map vport { type ipv4_addr . inet_proto . inet_service : verdict; }\n"
		" map vip { type ipv4_addr : verdict; }\n"
		" chain services {\n"
		"  meta l4proto { tcp, udp } ip daddr . meta l4proto . th dport vmap @vport\n"
		"  meta l4proto { tcp, udp } ip daddr vmap @vip\n"
		" }\n"
		" chain prerouting { type nat hook prerouting priority dstnat; policy accept;\n"
		"  ip daddr %2$s/%3$u jump services\n }\n"
		" chain output { type nat hook output priority -100; policy accept;\n"
		"  ip daddr %2$s/%3$u jump services\n }\n"
		" chain refuse {\n"
		"  meta l4proto tcp reject with tcp reset\n"
		"  reject\n"
		" }\n"
		" chain forward { type filter hook forward priority filter; policy accept;\n"
		"  ip daddr %2$s/%3$u jump refuse\n }\n"
		" chain out { type filter hook output priority filter; policy accept;\n"
		"  ip daddr %2$s/%3$u jump refuse\n }\n"
		"}\n",
		t, net, c->prefix);
}

static int svc_cmd(const char *network, FILE **ret_f, char **buf, size_t *len, char *table,
		   size_t tlen, berr *err)
{
	if (snprintf(table, tlen, "berthsvc_%s", network) >= (int)tlen)
		return berr_fail(err, ENAMETOOLONG, "Network name \"%s\" is too long", network);
	*ret_f = open_memstream(buf, len);
	return *ret_f ? 0 : berr_fail(err, ENOMEM, "Out of memory");
}

static int svc_run(FILE *f, char **buf, const char *what, berr *err)
{
	/* fclose sets *buf */
	int r = fclose(f) != 0 ? berr_fail(err, ENOMEM, "Out of memory") : nat_run(*buf, what, err);
	free(*buf);
	return r;
}

int nat_svc_reset(const char *network, const struct net_cidr *c, const struct net_service *s,
		  size_t n, berr *err)
{
	char t[64], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r = svc_cmd(network, &f, &buf, &len, t, sizeof(t), err);

	if (r < 0)
		return r;
	svc_table(f, t, c);
	for (size_t i = 0; i < n; i++)
		svc_add(f, t, &s[i]);
	return svc_run(f, &buf, "Set up services", err);
}

int nat_svc_update(const char *network, const struct net_service *s, size_t n, berr *err)
{
	char t[64], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r = svc_cmd(network, &f, &buf, &len, t, sizeof(t), err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		const struct net_service *v = &s[i];
		fprintf(f, "flush chain ip %s s_%s\n", t, v->key);
		for (size_t j = 0; j < v->nold; j++)
			if (!has(v->eps, v->neps, v->old_eps[j]))
				ep_delete(f, t, v, v->old_eps[j]);
		for (size_t j = 0; j < v->neps; j++)
			if (!has(v->old_eps, v->nold, v->eps[j]))
				ep_add(f, t, v, v->eps[j]);
		svc_rules(f, t, v);
	}
	return svc_run(f, &buf, "Set the endpoints of services", err);
}

int nat_svc_delete(const char *network, berr *err)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "add table ip berthsvc_%1$s\ndelete table ip berthsvc_%1$s\n",
		 network);
	return nat_run(cmd, "Remove the service table", err);
}

/* Namespaces: tables "ip berthns_NETWORK" and "bridge berthns_NETWORK",
 * replaced whole (they hold only sets of pod addresses): a pod of one
 * namespace reaching a pod of another, directly on the bridge (bridge
 * family: dropped, the bridge family cannot reject on every kernel) or
 * through a service address (ip family, after DNAT: rejected), is
 * stopped. Published ports (DNAT from a local address) stay open to all. */
static void ns_sets(FILE *f, const uint32_t *addrs, const unsigned *nsidx, size_t n, unsigned nns)
{
	char a[IPV4_STRLEN];

	for (unsigned k = 0; k <= nns; k++) {
		bool any = false;
		if (k == nns)
			fputs(" set pods { type ipv4_addr;", f);
		else
			fprintf(f, " set ns%u { type ipv4_addr;", k);
		for (size_t i = 0; i < n; i++)
			if (k == nns || nsidx[i] == k) {
				fprintf(f, "%s %s", any ? "," : " elements = {", ipv4_format(addrs[i], a));
				any = true;
			}
		fputs(any ? " }; }\n" : " }\n", f);
	}
	fputs(" chain isolate {\n", f);
	for (unsigned k = 0; k < nns; k++)
		fprintf(f, "  ip saddr @ns%1$u ip daddr != @ns%1$u %2$s\n", k, "VERDICT");
	fputs(" }\n", f);
}

int nat_ns_isolate(const char *network, const struct net_cidr *svc, const uint32_t *addrs,
		   const unsigned *nsidx, size_t n, unsigned nns, berr *err)
{
	char t[64], *buf = NULL, *sets = NULL, net[IPV4_STRLEN];
	size_t len = 0, slen = 0;
	FILE *f, *g;
	int r = svc_cmd(network, &f, &buf, &len, t, sizeof(t), err);

	if (r < 0)
		return r;
	snprintf(t, sizeof(t), "berthns_%s", network);
	fprintf(f, "add table ip %1$s\ndelete table ip %1$s\nadd table bridge %1$s\ndelete table bridge %1$s\n", t);
	if (nns < 2)
		return svc_run(f, &buf, "Isolate namespaces", err); /* nothing to keep apart */
	g = open_memstream(&sets, &slen);
	if (!g) {
		fclose(f);
		free(buf);
		return berr_fail(err, ENOMEM, "Out of memory");
	}
	ns_sets(g, addrs, nsidx, n, nns);
	fclose(g);
	/* the same sets in both tables; the verdict differs */
	for (int fam = 0; fam < 2; fam++) {
		fprintf(f, "table %s %s {\n", fam ? "bridge" : "ip", t);
		for (const char *p = sets; *p;) {
			const char *v = strstr(p, "VERDICT");
			if (!v) {
				fputs(p, f);
				break;
			}
			fprintf(f, "%.*s%s", (int)(v - p), p, fam ? "drop" : "reject");
			p = v + 7;
		}
		if (fam)
			fputs(" chain prerouting { type filter hook prerouting priority filter; policy accept;\n"
			      "  ip saddr @pods ip daddr @pods jump isolate\n }\n}\n", f);
		else
			fprintf(f, " chain forward { type filter hook forward priority filter - 1; policy accept;\n"
				   "  ct original ip daddr %s/%u ip saddr @pods ip daddr @pods jump isolate\n }\n}\n",
				ipv4_format(svc->addr, net), svc->prefix);
	}
	free(sets);
	return svc_run(f, &buf, "Isolate namespaces", err);
}
