// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <stdlib.h>
#include <sys/mount.h>

#include "runtime/container.h"

Test(mountopts, splits_flags_propagation_and_data)
{
	unsigned long f, p;
	char *data;
	cr_assert_eq(
	    mount_options_parse("ro,nosuid,rbind,rprivate,size=64m,mode=1777", &f, &p, &data), 0);
	cr_assert_eq(f, MS_RDONLY | MS_NOSUID | MS_BIND | MS_REC);
	cr_assert_eq(p, MS_PRIVATE | MS_REC);
	cr_assert_str_eq(data, "size=64m,mode=1777");
	free(data);
}

Test(mountopts, later_options_win)
{
	unsigned long f, p;
	char *data;
	cr_assert_eq(mount_options_parse("ro,rw,noexec,exec,nodev,shared,slave", &f, &p, &data), 0);
	cr_assert_eq(f, MS_NODEV);
	cr_assert_eq(p, MS_SLAVE);
	cr_assert_null(data);
}

Test(mountopts, empty_and_null)
{
	unsigned long f = 1, p = 1;
	char *data = (char *)1;
	cr_assert_eq(mount_options_parse(NULL, &f, &p, &data), 0);
	cr_assert_eq(f, 0);
	cr_assert_eq(p, 0);
	cr_assert_null(data);
	cr_assert_eq(mount_options_parse(",,", &f, &p, &data), 0);
	cr_assert_null(data);
}

Test(mountopts, ignores_selinux_relabel)
{
	unsigned long f, p;
	char *data;
	cr_assert_eq(mount_options_parse("z,ro,Z", &f, &p, &data), 0);
	cr_assert_eq(f, MS_RDONLY);
	cr_assert_null(data);
}
