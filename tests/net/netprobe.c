// SPDX-License-Identifier: GPL-2.0-or-later
/* netprobe: UDP and name checks for the network tests, static, because the
 * QEMU VMs have only busybox (whose nc has no UDP).
 *
 *   netprobe udp-serve PORT        answer each datagram with "echo:PAYLOAD"
 *   netprobe udp-send HOST PORT MSG  send MSG, print the answer (2 s timeout, 3 tries)
 *   netprobe resolve NAME          print NAME's IPv4 address (getaddrinfo: /etc/hosts)
 *   netprobe dns-serve ADDR A      a DNS server on ADDR:53 answering every A query with A
 *                                  (and NODATA to others): the board's resolver in tests
 *   netprobe veth NAME PEER NSFILE a veth pair, PEER born in NSFILE's namespace
 *                                  (busybox ip cannot move links between namespaces)
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int resolve(const char *name, struct sockaddr_in *sa)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res = NULL;

	if (getaddrinfo(name, NULL, &hints, &res) != 0 || !res)
		return -1;
	memcpy(sa, res->ai_addr, sizeof(*sa));
	freeaddrinfo(res);
	return 0;
}

static int udp_serve(int port)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	char buf[1024], out[1100];

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("udp-serve");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			continue;
		buf[n] = '\0';
		int m = snprintf(out, sizeof(out), "echo:%s", buf);
		sendto(fd, out, (size_t)m, 0, (struct sockaddr *)&from, fl);
	}
}

static int udp_send(const char *host, int port, const char *msg)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa;
	char buf[1200];

	if (fd < 0 || resolve(host, &sa) < 0) {
		fprintf(stderr, "udp-send: cannot resolve %s\n", host);
		return 1;
	}
	sa.sin_port = htons(port);
	for (int i = 0; i < 3; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sa, sizeof(sa));
		if (poll(&p, 1, 2000) == 1) {
			ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
			if (n >= 0) {
				buf[n] = '\0';
				printf("%s\n", buf);
				return 0;
			}
		}
	}
	fprintf(stderr, "udp-send: no answer from %s:%d\n", host, port);
	return 1;
}

struct req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char buf[512];
};

static struct rtattr *attr(struct req *r, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));
	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	if (data)
		memcpy(RTA_DATA(a), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void attr_end(struct req *r, struct rtattr *a)
{
	a->rta_len = (unsigned short)((char *)r + r->nh.nlmsg_len - (char *)a);
}

static int veth(const char *name, const char *peer, const char *nsfile)
{
	struct req r = { .nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
				 .nlmsg_type = RTM_NEWLINK,
				 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL } };
	struct ifinfomsg pifi = { 0 };
	char ans[1024];
	int nsfd = open(nsfile, O_RDONLY), fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);

	if (nsfd < 0 || fd < 0) {
		perror("veth");
		return 1;
	}
	attr(&r, IFLA_IFNAME, name, strlen(name) + 1);
	struct rtattr *li = attr(&r, IFLA_LINKINFO, NULL, 0);
	attr(&r, IFLA_INFO_KIND, "veth", 5);
	struct rtattr *data = attr(&r, IFLA_INFO_DATA, NULL, 0);
	struct rtattr *pa = attr(&r, VETH_INFO_PEER, &pifi, sizeof(pifi));
	attr(&r, IFLA_IFNAME, peer, strlen(peer) + 1);
	attr(&r, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	attr_end(&r, pa);
	attr_end(&r, data);
	attr_end(&r, li);
	if (send(fd, &r, r.nh.nlmsg_len, 0) < 0 || recv(fd, ans, sizeof(ans), 0) < 0) {
		perror("veth: netlink");
		return 1;
	}
	struct nlmsgerr *e = NLMSG_DATA((struct nlmsghdr *)ans);
	if (((struct nlmsghdr *)ans)->nlmsg_type == NLMSG_ERROR && e->error) {
		fprintf(stderr, "veth %s: %s\n", name, strerror(-e->error));
		return 1;
	}
	return 0;
}

static int dns_serve(const char *addr, const char *a)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
	struct in_addr ans;
	unsigned char q[512];

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1 || inet_pton(AF_INET, a, &ans) != 1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("dns-serve");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, q, sizeof(q) - 16, 0, (struct sockaddr *)&from, &fl);
		size_t off = 12;
		if (n < 17)
			continue;
		while (off < (size_t)n && q[off])
			off += q[off] + 1;
		off += 5; /* the root label, QTYPE, QCLASS */
		if (off > (size_t)n)
			continue;
		q[2] = 0x81;
		q[3] = 0x80;
		q[6] = q[7] = q[8] = q[9] = q[10] = q[11] = 0;
		if (q[off - 3] == 1) { /* A */
			unsigned char rr[16] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4 };
			memcpy(rr + 12, &ans, 4);
			memcpy(q + off, rr, 16);
			off += 16;
			q[7] = 1;
		}
		sendto(fd, q, off, 0, (struct sockaddr *)&from, fl);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;

	if (argc == 3 && strcmp(argv[1], "udp-serve") == 0)
		return udp_serve(atoi(argv[2]));
	if (argc == 5 && strcmp(argv[1], "udp-send") == 0)
		return udp_send(argv[2], atoi(argv[3]), argv[4]);
	if (argc == 3 && strcmp(argv[1], "resolve") == 0) {
		if (resolve(argv[2], &sa) < 0) {
			fprintf(stderr, "resolve: %s: not found\n", argv[2]);
			return 1;
		}
		printf("%s\n", inet_ntoa(sa.sin_addr));
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "dns-serve") == 0)
		return dns_serve(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "veth") == 0)
		return veth(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: netprobe veth NAME PEER NSFILE | udp-serve PORT | udp-send HOST PORT MSG | resolve NAME\n");
	return 2;
}
