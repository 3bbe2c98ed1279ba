// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/names.h"

static const struct names_pod pods[] = {
	{ 0x0a590002u, "web", "frontend", "www,site", NULL },
	{ 0x0a590003u, "db", NULL, NULL, NULL },
	{ 0x0a590004u, "cache", "cache", "", "" },
};

Test(hosts, lists_self_first_then_the_others)
{
	char *h = names_hosts_render("berth", pods, 3, 1);

	cr_assert_not_null(h);
	cr_assert(strstr(h, "127.0.0.1\tlocalhost\n"));
	cr_assert(strstr(h, "::1\tlocalhost"));
	const char *self = strstr(h, "10.89.0.3\tdb\n"), *web = strstr(h, "10.89.0.2\tweb frontend www site\n");
	cr_assert(self && web, "%s", h);
	cr_assert_lt(self, web);
	/* a hostname equal to the pod name is not repeated */
	cr_assert(strstr(h, "10.89.0.4\tcache\n"), "%s", h);
	free(h);
}

Test(hosts, lists_ipv6_addresses_too)
{
	const struct names_pod p = { 0x0a590002u, "web", NULL, "www", "fd89::2" };
	char *h = names_hosts_render("berth", &p, 1, (size_t)-1);

	cr_assert(strstr(h, "10.89.0.2\tweb www\n"), "%s", h);
	cr_assert(strstr(h, "fd89::2\tweb www\n"), "%s", h);
	free(h);
}

Test(hosts, without_self)
{
	char *h = names_hosts_render("berth", pods, 1, (size_t)-1);

	cr_assert(strstr(h, "10.89.0.2\tweb frontend www site\n"), "%s", h);
	free(h);
}

static char *resolv_of(const char *text)
{
	char path[] = "/tmp/berth-unit-resolv.XXXXXX";
	int fd = mkstemp(path);
	char *out = NULL;
	berr err = { 0 };

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cr_assert_eq(names_resolv_render(path, NULL, &out, &err), 0, "%s", err.msg);
	unlink(path);
	return out;
}

Test(resolv, drops_loopback_nameservers)
{
	char *r = resolv_of("# comment\nnameserver 127.0.0.53\nnameserver 192.0.2.53\n"
			    "nameserver ::1\nsearch lan example\noptions edns0 trust-ad\nsortlist x\n");

	cr_assert_not(strstr(r, "127.0.0.53"), "%s", r);
	cr_assert_not(strstr(r, "::1"), "%s", r);
	cr_assert(strstr(r, "nameserver 192.0.2.53\n"), "%s", r);
	cr_assert(strstr(r, "search lan example\n"), "%s", r);
	cr_assert(strstr(r, "options edns0 trust-ad\n"), "%s", r);
	cr_assert_not(strstr(r, "sortlist"), "%s", r);
	free(r);
}

Test(resolv, says_why_when_only_loopback_nameservers)
{
	char *r = resolv_of("nameserver 127.0.0.53\nsearch lan\n");

	cr_assert_not(strstr(r, "\nnameserver "), "%s", r);
	cr_assert(strstr(r, "all on loopback"), "%s", r);
	cr_assert(strstr(r, "search lan\n"), "%s", r);
	free(r);
}

Test(resolv, keeps_at_most_three_nameservers)
{
	char *r = resolv_of("nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\n"
			    "nameserver 192.0.2.4\n");

	cr_assert(strstr(r, "192.0.2.3"), "%s", r);
	cr_assert_not(strstr(r, "192.0.2.4"), "%s", r);
	free(r);
}

Test(resolv, missing_host_file_is_empty)
{
	char *r = NULL;

	cr_assert_eq(names_resolv_render("/nonexistent/resolv.conf", NULL, &r, NULL), 0);
	cr_assert_not(strstr(r, "\nnameserver "), "%s", r);
	free(r);
}

#include "net/net.h"

/* a query for NAME, type TYPE (1 A, 28 AAAA), id 0x1234, RD */
static size_t query(uint8_t *q, const char *name, uint16_t type)
{
	size_t off = 12;
	memset(q, 0, 12);
	q[0] = 0x12, q[1] = 0x34, q[2] = 0x01, q[5] = 1;
	while (*name) {
		size_t l = strcspn(name, ".");
		q[off++] = (uint8_t)l;
		memcpy(q + off, name, l);
		off += l;
		name += l + (name[l] == '.');
	}
	q[off++] = 0;
	q[off++] = 0, q[off++] = (uint8_t)type, q[off++] = 0, q[off++] = 1;
	return off;
}

static const char hosts_text[] = "127.0.0.1\tlocalhost\n10.89.0.2\tweb-0 web-0.default\n"
				 "10.89.1.2\tweb web.default\n";
static char *const domains[] = { "default", "dev", NULL };

Test(dns, answers_berth_names_from_the_hosts_file)
{
	uint8_t q[512], a[512];
	size_t n = query(q, "Web.Default", 1), len = 0;
	cr_assert_eq(net_dns_answer(q, n, hosts_text, domains, a, sizeof(a), &len), 1);
	cr_assert_eq(a[0], 0x12);
	cr_assert_eq(a[1], 0x34);
	cr_assert_eq(a[3] & 0x0f, 0, "NOERROR");
	cr_assert_eq(a[7], 1, "one answer");
	cr_assert_eq(len, n + 16);
	cr_assert_eq(memcmp(a + len - 4, (uint8_t[]){ 10, 89, 1, 2 }, 4), 0);
	/* AAAA of an IPv4-only name: NODATA, at once */
	n = query(q, "web-0", 28);
	cr_assert_eq(net_dns_answer(q, n, hosts_text, domains, a, sizeof(a), &len), 1);
	cr_assert_eq(a[3] & 0x0f, 0);
	cr_assert_eq(a[7], 0);
}

Test(dns, unknown_berth_names_are_nxdomain_others_are_forwarded)
{
	uint8_t q[512], a[512];
	size_t n, len = 0;
	n = query(q, "nosuch", 1);
	cr_assert_eq(net_dns_answer(q, n, hosts_text, domains, a, sizeof(a), &len), 1);
	cr_assert_eq(a[3] & 0x0f, 3, "NXDOMAIN");
	n = query(q, "nosuch.dev", 1);
	cr_assert_eq(net_dns_answer(q, n, hosts_text, domains, a, sizeof(a), &len), 1);
	cr_assert_eq(a[3] & 0x0f, 3);
	n = query(q, "example.org", 1);
	cr_assert_eq(net_dns_answer(q, n, hosts_text, domains, a, sizeof(a), &len), 0, "not ours");
	cr_assert_eq(net_dns_error(q, n, a, sizeof(a), &len), 0);
	cr_assert_eq(a[3] & 0x0f, 2, "SERVFAIL");
	/* not a query: a reply, or two questions */
	q[2] |= 0x80;
	cr_assert_eq(net_dns_answer(q, n, hosts_text, domains, a, sizeof(a), &len), -EINVAL);
	cr_assert_eq(net_dns_answer(q, 5, hosts_text, domains, a, sizeof(a), &len), -EINVAL);
}
