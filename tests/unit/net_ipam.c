// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fs.h"
#include "net/ipam.h"
#include "net/lease.h"

static char dir[64];
static struct ipam ipam = { .dirfd = -1, .lockfd = -1 };

static void open_subnet(const char *cidr)
{
	struct net_cidr c;
	berr err = { 0 };

	strcpy(dir, "/tmp/berth-unit-ipam.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(cidr_parse(cidr, &c, &err), 0, "%s", err.msg);
	cr_assert_eq(ipam_open(&ipam, dir, &c, &err), 0, "%s", err.msg);
}

static void teardown(void)
{
	ipam_close(&ipam);
	rm_rf_at(AT_FDCWD, dir);
}

static uint32_t take(void)
{
	uint32_t a = 0;
	berr err = { 0 };
	cr_assert_eq(ipam_acquire(&ipam, 0, "pod=x\nifname=y\n", &a, &err), 0, "%s", err.msg);
	return a;
}

Test(ipam, hands_out_round_robin, .fini = teardown)
{
	open_subnet("10.89.0.0/29"); /* pods: .2 .. .6 */
	cr_assert_eq(take(), 0x0a590002u);
	cr_assert_eq(take(), 0x0a590003u);
	cr_assert_eq(ipam_release(&ipam, 0x0a590002u, NULL), 0);
	/* round robin: the released .2 is not reused before the end */
	cr_assert_eq(take(), 0x0a590004u);
}

Test(ipam, reuses_released_address_after_wrapping, .fini = teardown)
{
	open_subnet("10.89.0.0/29");
	for (int i = 0; i < 5; i++)
		take();
	cr_assert_eq(ipam_release(&ipam, 0x0a590003u, NULL), 0);
	cr_assert_eq(take(), 0x0a590003u);
}

Test(ipam, reports_exhaustion, .fini = teardown)
{
	uint32_t a;
	berr err = { 0 };

	open_subnet("10.89.0.0/30"); /* pods: .2 only */
	cr_assert_eq(take(), 0x0a590002u);
	cr_assert_eq(ipam_acquire(&ipam, 0, "pod=z\nifname=z\n", &a, &err), -ENOSPC);
	cr_assert(strstr(err.msg, "No free address left in subnet 10.89.0.0/30"), "%s", err.msg);
}

Test(ipam, static_address, .fini = teardown)
{
	uint32_t a;
	berr err = { 0 };

	open_subnet("10.89.0.0/24");
	cr_assert_eq(ipam_acquire(&ipam, 0x0a590032u, "pod=s\nifname=s\n", &a, &err), 0);
	cr_assert_eq(a, 0x0a590032u);
	cr_assert_eq(ipam_acquire(&ipam, 0x0a590032u, "pod=t\nifname=t\n", &a, &err), -EADDRINUSE);
	cr_assert(strstr(err.msg, "Address 10.89.0.50 is already leased"), "%s", err.msg);
	cr_assert_eq(ipam_acquire(&ipam, 0x0a590001u, "pod=t\nifname=t\n", &a, &err), -ERANGE); /* gateway */
	cr_assert_eq(ipam_acquire(&ipam, 0x0a5900ffu, "pod=t\nifname=t\n", &a, &err), -ERANGE); /* broadcast */
	cr_assert_eq(ipam_acquire(&ipam, 0x0b000002u, "pod=t\nifname=t\n", &a, &err), -ERANGE);
}

Test(ipam, lists_whole_leases_sorted, .fini = teardown)
{
	struct ipam_entry *e = NULL;
	struct lease_info l;
	size_t n = 0;

	open_subnet("10.89.0.0/24");
	take();
	take();
	/* a stray file that is not an address is ignored */
	close(openat(ipam.dirfd, "junk", O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	cr_assert_eq(ipam_list(&ipam, &e, &n, NULL), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(e[0].addr, 0x0a590002u);
	cr_assert_eq(e[1].addr, 0x0a590003u);
	cr_assert_eq(lease_parse(e[0].content, e[0].addr, &l), 0);
	cr_assert_str_eq(l.pod, "x");
	ipam_entries_free(e, n);
}

Test(lease, round_trips_through_text)
{
	struct lease_info l = { .addr = 1, .pod = "web", .ifname = "bv12345678", .hostname = "h",
				.aliases = "a,b", .nports = 2 }, back;
	l.ports[0] = (struct net_port){ 0, 8080, 80, IPPROTO_TCP };
	l.ports[1] = (struct net_port){ 0x7f000001u, 53, 5353, IPPROTO_UDP };
	char *text = lease_format(&l);

	cr_assert_not_null(text);
	cr_assert_eq(lease_parse(text, 1, &back), 0);
	cr_assert_eq(memcmp(&l, &back, sizeof(l)), 0, "%s", text);
	free(text);
	cr_assert_eq(lease_parse("ifname=x\n", 1, &back), -EINVAL); /* no pod: not a whole lease */
	cr_assert_eq(lease_parse("", 1, &back), -EINVAL);
}
