// SPDX-License-Identifier: GPL-2.0-or-later
/* The daemon's DNS responder for its pods (docs/decisions/net-service-names.md):
 * UDP on the bridge's gateway address, port 53. Names of the network's
 * hosts file (services, replicas) answer at once from it, any other name
 * without a dot (or under a berth namespace) is NXDOMAIN at once, and the
 * rest is relayed to the board's own resolvers (its /etc/resolv.conf, read
 * from the daemon's namespace, so a stub on 127.0.0.53 works too); with
 * none that can be reached, SERVFAIL at once. No timers: a relayed query
 * whose answer never comes is forgotten when its slot is reused. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/kconfig.h"
#include "lib/log.h"
#include "net/net.h"
#include "supervisor/dns.h"
#include "supervisor/sv.h"

#define PENDING 64
#define UPSTREAM_MAX 3

static struct {
	struct watch listen, up;
	struct {
		bool used;
		uint16_t id, client_id;
		struct sockaddr_in client;
	} p[PENDING];
	uint16_t next;
	char hosts[512];
} dns = { .listen = { W_DNS, -1, NULL }, .up = { W_DNS_UP, -1, NULL } };

static int udp_socket(void)
{
	return socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int dns_start(struct sv *sv)
{
	if (!IS_ENABLED(CONFIG_NET))
		return 0;
	struct net_config cfg = { .root = sv->root, .run_dir = sv->run_dir };
	struct net_settings st;
	berr err = { 0 };
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
	int one = 1;
	if (net_settings_get(&cfg, &st, &err) < 0 || inet_pton(AF_INET, st.gateway, &sa.sin_addr) != 1) {
		log_warn("DNS responder off: %s; pods use the board's resolvers", err.msg);
		return 0;
	}
	snprintf(dns.hosts, sizeof(dns.hosts), "%s/net/%s/hosts", sv->run_dir, st.name);
	dns.listen.fd = udp_socket();
	dns.up.fd = udp_socket();
	/* the gateway address appears with the bridge, at the first attach */
	if (dns.listen.fd < 0 || dns.up.fd < 0 ||
	    setsockopt(dns.listen.fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one)) < 0 ||
	    bind(dns.listen.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    sv_watch_add(sv, &dns.listen, EPOLLIN) < 0 || sv_watch_add(sv, &dns.up, EPOLLIN) < 0) {
		log_warn("DNS responder off: %s:53: %s; pods use the board's resolvers", st.gateway,
			 strerror(errno));
		dns_stop(sv);
		return 0;
	}
	snprintf(sv->dns_addr, sizeof(sv->dns_addr), "%s", st.gateway);
	return 0;
}

void dns_stop(struct sv *sv)
{
	if (dns.listen.fd >= 0)
		sv_watch_del(sv, &dns.listen);
	if (dns.up.fd >= 0)
		sv_watch_del(sv, &dns.up);
	closep(&dns.listen.fd);
	closep(&dns.up.fd);
	sv->dns_addr[0] = '\0';
}

/* relay Q to the board's nameservers; false when none took it */
static bool relay(const uint8_t *q, size_t len, const struct sockaddr_in *from)
{
	_cleanup_free_ char *text = NULL;
	uint8_t buf[512];
	unsigned sent = 0;

	if (len > sizeof(buf) || read_file_at(AT_FDCWD, "/etc/resolv.conf", 64 * 1024, &text, NULL, NULL) < 0)
		return false;
	uint16_t id = dns.next++;
	unsigned slot = id % PENDING;
	memcpy(buf, q, len);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	for (char *l = strtok(text, "\n"); l && sent < UPSTREAM_MAX; l = strtok(NULL, "\n")) {
		char ns[64];
		struct sockaddr_in up = { .sin_family = AF_INET, .sin_port = htons(53) };
		if (sscanf(l, " nameserver %63s", ns) != 1 || inet_pton(AF_INET, ns, &up.sin_addr) != 1)
			continue;
		if (sendto(dns.up.fd, buf, len, 0, (struct sockaddr *)&up, sizeof(up)) == (ssize_t)len)
			sent++;
	}
	if (!sent)
		return false;
	dns.p[slot].used = true;
	dns.p[slot].id = id;
	dns.p[slot].client_id = (uint16_t)(q[0] << 8 | q[1]);
	dns.p[slot].client = *from;
	return true;
}

void dns_on_query(struct sv *sv)
{
	uint8_t q[512], out[512];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n;

	if (!IS_ENABLED(CONFIG_NET))
		return;
	while ((n = recvfrom(dns.listen.fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl)) > 0) {
		_cleanup_free_ char *hosts = NULL;
		_cleanup_free_ char **domains = calloc(sv->npods + 2, sizeof(char *));
		char path[600];
		size_t olen = 0, nd = 0;
		if (!domains)
			continue;
		/* the asker's namespace picks the hosts file; every namespace's
		 * names are ours */
		const char *ns = NULL;
		domains[nd++] = "default";
		for (size_t i = 0; i < sv->npods; i++) {
			const struct pod *pod = sv->pods[i];
			bool seen = false;
			for (size_t j = 0; pod->spec->namespace && j < nd; j++)
				seen |= strcmp(domains[j], pod->spec->namespace) == 0;
			if (pod->spec->namespace && !seen)
				domains[nd++] = pod->spec->namespace;
			for (size_t j = 0; j < pod->nreps; j++)
				if (pod->reps[j]->addr == ntohl(from.sin_addr.s_addr))
					ns = pod->spec->namespace;
		}
		snprintf(path, sizeof(path), ns ? "%s.ns/%s" : "%s", dns.hosts, ns);
		if (read_file_at(AT_FDCWD, path, 1 << 20, &hosts, NULL, NULL) < 0)
			hosts = NULL;
		int r = net_dns_answer(q, (size_t)n, hosts ? hosts : "", domains, out, sizeof(out), &olen);
		if (r == 0 && relay(q, (size_t)n, &from))
			continue;
		if (r == 0)
			r = net_dns_error(q, (size_t)n, out, sizeof(out), &olen) == 0;
		if (r > 0)
			sendto(dns.listen.fd, out, olen, 0, (struct sockaddr *)&from, fl);
		fl = sizeof(from);
	}
}

void dns_on_reply(struct sv *sv)
{
	uint8_t a[512];
	ssize_t n;

	while ((n = recv(dns.up.fd, a, sizeof(a), 0)) > 0) {
		if (n < 12)
			continue;
		uint16_t id = (uint16_t)(a[0] << 8 | a[1]);
		unsigned slot = id % PENDING;
		if (!dns.p[slot].used || dns.p[slot].id != id)
			continue; /* a late or second answer */
		dns.p[slot].used = false;
		a[0] = (uint8_t)(dns.p[slot].client_id >> 8);
		a[1] = (uint8_t)dns.p[slot].client_id;
		sendto(dns.listen.fd, a, (size_t)n, 0, (struct sockaddr *)&dns.p[slot].client,
		       sizeof(dns.p[slot].client));
	}
}
