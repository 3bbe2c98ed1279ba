// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/capability.h>

#include "runtime/container.h"
#include "runtime/spec.h"

Test(caps, parses_names_in_any_spelling)
{
	int c;
	cr_assert_eq(cap_parse_name("CAP_NET_ADMIN", &c), 0);
	cr_assert_eq(c, CAP_NET_ADMIN);
	cr_assert_eq(cap_parse_name("net_admin", &c), 0);
	cr_assert_eq(c, CAP_NET_ADMIN);
	cr_assert_eq(cap_parse_name("Cap_Chown", &c), 0);
	cr_assert_eq(c, CAP_CHOWN);
	cr_assert_eq(cap_parse_name("SYS_ADMIN", &c), 0);
	cr_assert_eq(c, CAP_SYS_ADMIN);
	cr_assert_eq(cap_parse_name("all", &c), 0);
	cr_assert_eq(c, -1);
}

Test(caps, rejects_unknown_and_numeric_names)
{
	int c = 42;
	cr_assert_eq(cap_parse_name("CAP_BOGUS", &c), -EINVAL);
	cr_assert_eq(cap_parse_name("", &c), -EINVAL);
	cr_assert_eq(cap_parse_name("CAP_", &c), -EINVAL);
	cr_assert_eq(cap_parse_name("12", &c), -EINVAL);
	cr_assert_eq(cap_parse_name("cap_12", &c), -EINVAL);
	cr_assert_eq(cap_parse_name("NET ADMIN", &c), -EINVAL);
	cr_assert_eq(c, 42, "output written on failure");
}

Test(caps, names_round_trip)
{
	for (int i = 0; i <= CAP_LAST_CAP; i++) {
		const char *n = cap_name_of(i);
		int back;
		cr_assert_not_null(n, "cap %d has no name", i);
		cr_assert_eq(cap_parse_name(n, &back), 0, "%s", n);
		cr_assert_eq(back, i);
	}
	cr_assert_null(cap_name_of(-1));
	cr_assert_null(cap_name_of(64));
}

Test(caps, default_set_is_dockers_14)
{
	cr_assert_eq(bspec_default_caps(), 0xa80425fbULL);
	cr_assert_eq(__builtin_popcountll(bspec_default_caps()), 14);
}
