// SPDX-License-Identifier: GPL-2.0-or-later
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dl.h"
#include "net/nat.h"

/* libnftables.so.1 opened on first use (lib/dl.h): linked, it and its
 * libraries (nftnl, xtables, gmp, mnl) cost every berth and berth-oci start,
 * though only network setup and teardown use it. */
static struct {
	__typeof__(nft_ctx_new) *nft_ctx_new;
	__typeof__(nft_ctx_free) *nft_ctx_free;
	__typeof__(nft_ctx_buffer_output) *nft_ctx_buffer_output;
	__typeof__(nft_ctx_buffer_error) *nft_ctx_buffer_error;
	__typeof__(nft_ctx_get_output_buffer) *nft_ctx_get_output_buffer;
	__typeof__(nft_ctx_get_error_buffer) *nft_ctx_get_error_buffer;
	__typeof__(nft_run_cmd_from_buffer) *nft_run_cmd_from_buffer;
} nft;
static const char *const nft_names[] = {
    "nft_ctx_new",		 "nft_ctx_free",	     "nft_ctx_buffer_output",
    "nft_ctx_buffer_error",	 "nft_ctx_get_output_buffer", "nft_ctx_get_error_buffer",
    "nft_run_cmd_from_buffer",
};
#define nft_ctx_new		  (*nft.nft_ctx_new)
#define nft_ctx_free		  (*nft.nft_ctx_free)
#define nft_ctx_buffer_output	  (*nft.nft_ctx_buffer_output)
#define nft_ctx_buffer_error	  (*nft.nft_ctx_buffer_error)
#define nft_ctx_get_output_buffer (*nft.nft_ctx_get_output_buffer)
#define nft_ctx_get_error_buffer  (*nft.nft_ctx_get_error_buffer)
#define nft_run_cmd_from_buffer	  (*nft.nft_run_cmd_from_buffer)

static int nft_open(const char *what, berr *err)
{
	static struct dl_lib lib = { .soname = "libnftables.so.1", DL_LIB_TABLE(nft_names, nft) };
	DL_LIB_CHECK(nft_names, nft);
	if (dl_lib_open(&lib, err) < 0)
		return berr_prefix(err, "%s", what);
	return 0;
}

int nat_run(const char *cmd, const char *what, berr *err)
{
	struct nft_ctx *ctx;
	int r = nft_open(what, err);

	if (r < 0)
		return r;
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx)
		return berr_fail(err, ENOMEM, "%s: cannot create an nftables context", what);
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	r = nft_run_cmd_from_buffer(ctx, cmd);
	if (r != 0) {
		const char *msg = nft_ctx_get_error_buffer(ctx);
		if (!msg || !*msg)
			msg = "failed";
		r = berr_fail(err, EIO, "%s: nftables: %.*s", what, (int)strcspn(msg, "\n"), msg);
	}
	nft_ctx_free(ctx);
	return r;
}

/* Each published port is a chain of its own, "svc_PROTO_HOSTPORT" (plus
 * "_HOSTIP" in hex when bound to one address), reached through a verdict
 * map keyed by the host port; its one rule DNATs to the pod, or, once the
 * supervisor has set the port's endpoints, round-robin over them
 * (numgen inc), as kube-proxy's nftables mode does. */
static void svc_chain(char *buf, size_t len, const struct net_port *p)
{
	const char *proto = p->proto == IPPROTO_UDP ? "udp" : "tcp";
	if (p->host_ip)
		snprintf(buf, len, "svc_%s_%u_%08x", proto, p->host_port, p->host_ip);
	else
		snprintf(buf, len, "svc_%s_%u", proto, p->host_port);
}

static void svc_key(FILE *f, const struct net_port *p)
{
	const char *proto = p->proto == IPPROTO_UDP ? "udp" : "tcp";
	char host[IPV4_STRLEN];
	if (p->host_ip)
		fprintf(f, "pub_%s_ip { %s . %u", proto, ipv4_format(p->host_ip, host), p->host_port);
	else
		fprintf(f, "pub_%s { %u", proto, p->host_port);
}

/* the DNAT rule of P's chain: to ADDRS[0..N-1] (N >= 1) */
static void svc_rule(FILE *f, const char *table, const struct net_port *p, const uint32_t *addrs,
		     size_t n)
{
	const char *proto = p->proto == IPPROTO_UDP ? "udp" : "tcp";
	char chain[64], a[IPV4_STRLEN];

	svc_chain(chain, sizeof(chain), p);
	fprintf(f, "add rule ip %s %s meta l4proto %s dnat ip to ", table, chain, proto);
	if (n == 1) {
		fprintf(f, "%s:%u\n", ipv4_format(addrs[0], a), p->port);
		return;
	}
	fprintf(f, "numgen inc mod %zu map {", n);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s %zu : %s . %u", i ? "," : "", i, ipv4_format(addrs[i], a), p->port);
	fputs(" }\n", f);
}

static void nat_elements(FILE *f, bool add, const char *table, const struct nat_entry *e, size_t n)
{
	char chain[64];

	for (size_t i = 0; i < n; i++) {
		const struct net_port *p = &e[i].port;
		svc_chain(chain, sizeof(chain), p);
		if (add) {
			fprintf(f, "add chain ip %s %s\n", table, chain);
			svc_rule(f, table, p, &e[i].pod_addr, 1);
			fprintf(f, "add element ip %s ", table);
			svc_key(f, p);
			fprintf(f, " : jump %s }\n", chain);
		} else {
			fprintf(f, "delete element ip %s ", table);
			svc_key(f, p);
			fprintf(f, " }\nflush chain ip %1$s %2$s\ndelete chain ip %1$s %2$s\n", table,
				chain);
		}
	}
}

/* The whole table: replaced in one transaction (add + delete + define). */
static void nat_table(FILE *f, const char *table, const struct net_cidr *c, const char *bridge)
{
	char net[IPV4_STRLEN], gw[IPV4_STRLEN];

	ipv4_format(c->addr, net);
	fprintf(f,
		"add table ip %1$s\ndelete table ip %1$s\n"
		"table ip %1$s {\n"
		" map pub_tcp { type inet_service : verdict; }\n"
		" map pub_udp { type inet_service : verdict; }\n"
		" map pub_tcp_ip { type ipv4_addr . inet_service : verdict; }\n"
		" map pub_udp_ip { type ipv4_addr . inet_service : verdict; }\n"
		" chain publish {\n"
		"  ip daddr . tcp dport vmap @pub_tcp_ip\n"
		"  ip daddr . udp dport vmap @pub_udp_ip\n"
		"  tcp dport vmap @pub_tcp\n"
		"  udp dport vmap @pub_udp\n"
		" }\n"
		" chain prerouting { type nat hook prerouting priority dstnat; policy accept;\n"
		"  fib daddr type local jump publish\n }\n"
		" chain output { type nat hook output priority -100; policy accept;\n"
		"  fib daddr type local jump publish\n }\n"
		/* with br_netfilter on (bridge-nf-call-iptables=1, the common
		 * default), bridged pod-to-pod packets would go through conntrack
		 * and these nat chains: skip them. Traffic to the gateway (routed:
		 * NAT, published ports, hairpin) is not matched. */
		" chain bridged { type filter hook prerouting priority raw; policy accept;\n"
		"  iifname \"%4$s\" ip saddr %2$s/%3$u ip daddr %2$s/%3$u ip daddr != %5$s notrack\n"
		/* route_localnet on the bridge (for published ports on
		 * 127.0.0.1) must not let pods reach the board's loopback
		 * services (CVE-2020-8558) */
		"  iifname \"%4$s\" ip daddr 127.0.0.0/8 drop\n"
		" }\n"
		" chain postrouting { type nat hook postrouting priority srcnat; policy accept;\n"
		"  ip saddr %2$s/%3$u ip daddr != %2$s/%3$u masquerade\n"
		"  oifname \"%4$s\" ct status dnat ip saddr { 127.0.0.0/8, %2$s/%3$u } masquerade\n"
		" }\n"
		"}\n",
		table, net, c->prefix, bridge, ipv4_format(cidr_gateway(c), gw));
}

static int table_name(const char *network, char *buf, size_t len)
{
	return snprintf(buf, len, "berth_%s", network) >= (int)len ? -ENAMETOOLONG : 0;
}

/* IPv6: masquerade only (published ports are IPv4). Nothing at all
 * without IPv6, so a kernel without nf_tables' ip6 family works. */
static void nat_table6(FILE *f, const char *table, const struct net_cidr6 *c6)
{
	char net[IPV6_STRLEN];

	if (!c6)
		return;
	ipv6_format(c6->addr, net);
	fprintf(f,
		"add table ip6 %1$s\ndelete table ip6 %1$s\n"
		"table ip6 %1$s {\n"
		" chain postrouting { type nat hook postrouting priority srcnat; policy accept;\n"
		"  ip6 saddr %2$s/%3$u ip6 daddr != %2$s/%3$u masquerade\n"
		" }\n"
		"}\n",
		table, net, c6->prefix);
}

/* A command buffer: cmd_open, fprintf into b.f, cmd_run (which frees). */
struct cmdbuf {
	FILE *f;
	char *cmd;
	size_t len;
	char table[64];
};

static int cmd_open(struct cmdbuf *b, const char *network, berr *err)
{
	*b = (struct cmdbuf){ 0 };
	if (table_name(network, b->table, sizeof(b->table)) < 0)
		return berr_fail(err, ENAMETOOLONG, "Network name \"%s\" is too long", network);
	b->f = open_memstream(&b->cmd, &b->len);
	return b->f ? 0 : berr_fail(err, ENOMEM, "Out of memory");
}

static int cmd_run(struct cmdbuf *b, const char *what, berr *err)
{
	int r = fclose(b->f) != 0 ? berr_fail(err, ENOMEM, "Out of memory") : nat_run(b->cmd, what, err);
	free(b->cmd);
	return r;
}

int nat_setup(const char *network, const struct net_cidr *c, const struct net_cidr6 *c6,
	      const char *bridge, const struct nat_entry *e, size_t n, berr *err)
{
	struct cmdbuf b;
	int r = cmd_open(&b, network, err);

	if (r < 0)
		return r;
	nat_table(b.f, b.table, c, bridge);
	nat_table6(b.f, b.table, c6);
	nat_elements(b.f, true, b.table, e, n);
	return cmd_run(&b, "Set up NAT", err);
}

int nat_delete(const char *network, berr *err)
{
	char table[64], cmd[256];

	if (table_name(network, table, sizeof(table)) < 0)
		return berr_fail(err, ENAMETOOLONG, "Network name \"%s\" is too long", network);
	snprintf(cmd, sizeof(cmd), "add table ip6 %1$s\ndelete table ip6 %1$s\n", table);
	nat_run(cmd, "Remove the IPv6 NAT table", NULL); /* may not exist, nor the ip6 family */
	snprintf(cmd, sizeof(cmd), "add table ip %1$s\ndelete table ip %1$s\n", table);
	return nat_run(cmd, "Remove the NAT table", err);
}

int nat_ports(const char *network, bool add, const struct nat_entry *e, size_t n, berr *err)
{
	struct cmdbuf b;
	int r;

	if (n == 0)
		return 0;
	r = cmd_open(&b, network, err);
	if (r < 0)
		return r;
	nat_elements(b.f, add, b.table, e, n);
	return cmd_run(&b, add ? "Publish ports" : "Unpublish ports", err);
}

int nat_endpoints(const char *network, const struct net_port *p, size_t np, const uint32_t *addrs,
		  size_t n, berr *err)
{
	struct cmdbuf b;
	char chain[64];
	int r;

	if (n == 0)
		return berr_fail(err, EINVAL, "Published ports: no endpoint");
	if (np == 0)
		return 0;
	r = cmd_open(&b, network, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < np; i++) {
		svc_chain(chain, sizeof(chain), &p[i]);
		fprintf(b.f, "flush chain ip %s %s\n", b.table, chain);
		svc_rule(b.f, b.table, &p[i], addrs, n);
	}
	return cmd_run(&b, "Set the endpoints of published ports", err);
}

static char *nft_list(struct nft_ctx *ctx, const char *cmd)
{
	/* no table is an empty listing, not an error */
	return strdup(nft_run_cmd_from_buffer(ctx, cmd) == 0 ? nft_ctx_get_output_buffer(ctx) : "");
}

int nat_list(const char *network, char **ret, berr *err)
{
	char table[64], cmd[128];
	struct nft_ctx *ctx;
	char *v4, *v6;

	if (table_name(network, table, sizeof(table)) < 0)
		return berr_fail(err, ENAMETOOLONG, "Network name \"%s\" is too long", network);
	if (nft_open("List NAT rules", err) < 0)
		return -err->code;
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx)
		return berr_fail(err, ENOMEM, "List NAT rules: cannot create an nftables context");
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	snprintf(cmd, sizeof(cmd), "list table ip %s", table);
	v4 = nft_list(ctx, cmd);
	snprintf(cmd, sizeof(cmd), "list table ip6 %s", table);
	v6 = nft_list(ctx, cmd);
	snprintf(cmd, sizeof(cmd), "list table ip berthsvc_%s", network);
	char *sv = nft_list(ctx, cmd), *both = NULL;
	if (v6 && sv && asprintf(&both, "%s%s", v6, sv) < 0)
		both = NULL;
	free(v6);
	free(sv);
	v6 = both;
	nft_ctx_free(ctx);
	if (!v4 || !v6 || asprintf(ret, "%s%s", v4, v6) < 0) {
		free(v4);
		free(v6);
		return berr_fail(err, ENOMEM, "Out of memory");
	}
	free(v4);
	free(v6);
	return 0;
}
