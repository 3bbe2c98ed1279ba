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
