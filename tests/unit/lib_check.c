// SPDX-License-Identifier: GPL-2.0-or-later
/* The parsers behind berth check (lib/check_parse.c) */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "lib/check.h"

static const char config[] = "#\n# Automatically generated file; DO NOT EDIT.\n"
			     "CONFIG_VETH=m\n"
			     "CONFIG_VETH_EXTRA=y\n"
			     "CONFIG_BRIDGE=y\n"
			     "# CONFIG_MEMCG is not set\n"
			     "# CONFIG_MEMCG_V1 is not set\n"
			     "CONFIG_DEFAULT_HOSTNAME=\"(none)\"\n"
			     "CONFIG_HZ=250\n"
			     "CONFIG_NFT_MASQ=m";

Test(check_kconfig, reads_y_m_and_not_set)
{
	cr_assert_eq(kconfig_lookup(config, "VETH"), 'm');
	cr_assert_eq(kconfig_lookup(config, "BRIDGE"), 'y');
	cr_assert_eq(kconfig_lookup(config, "MEMCG"), 'n');
	/* the last line has no newline */
	cr_assert_eq(kconfig_lookup(config, "NFT_MASQ"), 'm');
}

Test(check_kconfig, matches_whole_names_only)
{
	cr_assert_eq(kconfig_lookup(config, "VETH_EXTRA"), 'y');
	cr_assert_eq(kconfig_lookup(config, "VET"), 'n');
	cr_assert_eq(kconfig_lookup(config, "MEMCG_V"), 'n');
	cr_assert_eq(kconfig_lookup(config, "NO_SUCH_OPTION"), 'n');
	cr_assert_eq(kconfig_lookup("", "VETH"), 'n');
}

Test(check_kconfig, other_values_are_v)
{
	cr_assert_eq(kconfig_lookup(config, "HZ"), 'v');
	cr_assert_eq(kconfig_lookup(config, "DEFAULT_HOSTNAME"), 'v');
}

/* A Raspberry Pi: the device tree's bootargs come first, cmdline.txt after */
static const char pi_cmdline[] =
    "coherent_pool=1M 8250.nr_uarts=0 snd_bcm2835.enable_headphones=0 cgroup_disable=memory "
    "numa_policy=interleave bcm2708_fb.fbwidth=1920 console=ttyS0,115200 "
    "root=PARTUUID=4e639091-02 rootfstype=ext4 fsck.repair=yes rootwait\n";

Test(check_cmdline, pi_device_tree_disables_memory)
{
	cr_assert_eq(cmdline_cgroup(pi_cmdline, "memory"), CMDLINE_CG_DISABLED);
	cr_assert_eq(cmdline_cgroup(pi_cmdline, "cpu"), CMDLINE_CG_DEFAULT);
	cr_assert_eq(cmdline_cgroup(pi_cmdline, "mem"), CMDLINE_CG_DEFAULT);
}

Test(check_cmdline, the_last_word_wins)
{
	cr_assert_eq(cmdline_cgroup("cgroup_disable=memory quiet cgroup_enable=memory", "memory"),
		     CMDLINE_CG_ENABLED);
	cr_assert_eq(cmdline_cgroup("cgroup_enable=memory cgroup_disable=memory", "memory"),
		     CMDLINE_CG_DISABLED);
	cr_assert_eq(cmdline_cgroup("cgroup_disable=cpu,memory,io", "io"), CMDLINE_CG_DISABLED);
	cr_assert_eq(cmdline_cgroup("cgroup_disable=cpu,memory,io", "cpuset"), CMDLINE_CG_DEFAULT);
	cr_assert_eq(cmdline_cgroup("cgroup_disable=cpu,memory,io", "memory"), CMDLINE_CG_DISABLED);
}

Test(check_cmdline, words_after_double_dash_belong_to_init)
{
	cr_assert_eq(cmdline_cgroup("ro -- cgroup_disable=memory", "memory"), CMDLINE_CG_DEFAULT);
}

Test(check_cmdline, values_and_quotes)
{
	char v[32];

	cr_assert(cmdline_value("a systemd.unified_cgroup_hierarchy=0 b",
				"systemd.unified_cgroup_hierarchy", v, sizeof(v)));
	cr_assert_str_eq(v, "0");
	cr_assert(cmdline_value("x=1 x=2", "x", v, sizeof(v)));
	cr_assert_str_eq(v, "2");
	cr_assert(cmdline_value("quiet splash", "quiet", v, sizeof(v)));
	cr_assert_str_eq(v, "");
	cr_assert_not(cmdline_value("quietly", "quiet", v, sizeof(v)));
	cr_assert(cmdline_value("opt=\"a b\" z", "opt", v, sizeof(v)));
	cr_assert_str_eq(v, "a b");
	/* a quoted blank does not split the word */
	cr_assert_eq(cmdline_cgroup("x=\"1 cgroup_disable=memory\"", "memory"), CMDLINE_CG_DEFAULT);
}

static const char proc_cgroups[] = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
				   "cpuset\t0\t1\t1\n"
				   "cpu\t3\t80\t1\n"
				   "memory\t0\t1\t0\n"
				   "blkio\t7\t80\t1\n"
				   "pids\t0\t90\t1\n";

Test(check_proc_cgroups, reads_hierarchy_and_enabled)
{
	int h = -1, e = -1;

	cr_assert_eq(proc_cgroups_lookup(proc_cgroups, "memory", &h, &e), 0);
	cr_assert_eq(h, 0);
	cr_assert_eq(e, 0);
	cr_assert_eq(proc_cgroups_lookup(proc_cgroups, "cpu", &h, &e), 0);
	cr_assert_eq(h, 3);
	cr_assert_eq(e, 1);
	cr_assert_eq(proc_cgroups_lookup(proc_cgroups, "blkio", &h, &e), 0);
	cr_assert_eq(h, 7);
}

Test(check_proc_cgroups, unknown_controllers)
{
	int h = 9, e = 9;

	cr_assert_eq(proc_cgroups_lookup(proc_cgroups, "io", &h, &e), -ENOENT);
	cr_assert_eq(proc_cgroups_lookup(proc_cgroups, "cpus", &h, &e), -ENOENT);
	cr_assert_eq(proc_cgroups_lookup(proc_cgroups, "subsys_name", &h, &e), -ENOENT);
	cr_assert_eq(h, 9, "output written on failure");
}

Test(check_controllers, word_lists)
{
	cr_assert(word_in_list("cpuset cpu io memory pids\n", "pids"));
	cr_assert(word_in_list("cpuset cpu io memory pids", "cpu"));
	cr_assert_not(word_in_list("cpuset io memory pids", "cpu"));
	cr_assert_not(word_in_list("", "cpu"));
	cr_assert_not(word_in_list("cpu", ""));
}

static const char mountinfo[] =
    "22 1 179:2 / / rw,noatime shared:1 - ext4 /dev/root rw\n"
    "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
    "25 22 0:23 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:4 - tmpfs tmpfs ro,mode=755\n"
    "26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:5 - cgroup2 "
    "cgroup2 rw,nsdelegate\n"
    "27 25 0:25 / /sys/fs/cgroup/memory rw,nosuid shared:9 - cgroup cgroup rw,memory\n"
    "garbage line\n"
    "30 22 179:3 / /var/lib rw,relatime shared:20 - f2fs /dev/mmcblk0p3 rw\n"
    "31 22 0:40 / /mnt/my\\040disk rw,relatime shared:21 - vfat /dev/sda1 rw\n"
    "32 30 0:41 / /var/lib/berth ro,relatime shared:22 - overlay overlay rw,lowerdir=/a\n";

Test(check_mountinfo, iterates_and_skips_bad_lines)
{
	const char *pos = mountinfo;
	struct mount_entry m;
	int n = 0;

	while (mountinfo_next(&pos, &m))
		n++;
	cr_assert_eq(n, 8);
	pos = mountinfo;
	cr_assert_eq(mountinfo_next(&pos, &m), 1);
	cr_assert_str_eq(m.mountpoint, "/");
	cr_assert_str_eq(m.fstype, "ext4");
	cr_assert_str_eq(m.source, "/dev/root");
	cr_assert_str_eq(m.options, "rw,noatime");
}

Test(check_mountinfo, exact_and_longest_prefix)
{
	struct mount_entry m;

	cr_assert_eq(mountinfo_lookup(mountinfo, "/sys/fs/cgroup", true, &m), 0);
	cr_assert_str_eq(m.fstype, "tmpfs");
	cr_assert_eq(mountinfo_lookup(mountinfo, "/var/lib/docker", false, &m), 0);
	cr_assert_str_eq(m.fstype, "f2fs");
	cr_assert_eq(mountinfo_lookup(mountinfo, "/var/libx", false, &m), 0);
	cr_assert_str_eq(m.mountpoint, "/", "a prefix that is not a whole component");
	cr_assert_eq(mountinfo_lookup(mountinfo, "/var/lib/berth/x", false, &m), 0);
	cr_assert_str_eq(m.fstype, "overlay");
	cr_assert_str_eq(m.options, "ro,relatime");
	cr_assert_eq(mountinfo_lookup(mountinfo, "/nope", true, &m), -ENOENT);
}

Test(check_mountinfo, unescapes_mount_points)
{
	struct mount_entry m;

	cr_assert_eq(mountinfo_lookup(mountinfo, "/mnt/my disk/b", false, &m), 0);
	cr_assert_str_eq(m.mountpoint, "/mnt/my disk");
	cr_assert_str_eq(m.fstype, "vfat");
}

Test(check_mountinfo, the_last_mount_on_a_point_is_visible)
{
	static const char over[] = "1 0 0:1 / / rw - ext4 a rw\n"
				   "2 1 0:2 / /sys/fs/cgroup rw - tmpfs b rw\n"
				   "3 1 0:3 / /sys/fs/cgroup rw - cgroup2 c rw\n";
	struct mount_entry m;

	cr_assert_eq(mountinfo_lookup(over, "/sys/fs/cgroup", true, &m), 0);
	cr_assert_str_eq(m.fstype, "cgroup2");
}

Test(check_kernel, versions)
{
	unsigned a = 0, b = 0;

	cr_assert_eq(kernel_version_parse("6.1.0-18-arm64", &a, &b), 0);
	cr_assert_eq(a, 6);
	cr_assert_eq(b, 1);
	cr_assert_eq(kernel_version_parse("5.10.103-v7l+", &a, &b), 0);
	cr_assert_eq(b, 10);
	cr_assert_eq(kernel_version_parse("4.19", &a, &b), 0);
	cr_assert_eq(a, 4);
	cr_assert_eq(kernel_version_parse("v6.1", &a, &b), -EINVAL);
	cr_assert_eq(kernel_version_parse("6", &a, &b), -EINVAL);
	cr_assert_eq(kernel_version_parse("6.x", &a, &b), -EINVAL);
}

Test(check_storage, overlay_upper_file_systems)
{
	cr_assert_eq(overlay_upper_fs("ext4"), CHECK_OK);
	cr_assert_eq(overlay_upper_fs("tmpfs"), CHECK_OK);
	cr_assert_eq(overlay_upper_fs("overlay"), CHECK_MISSING);
	cr_assert_eq(overlay_upper_fs("vfat"), CHECK_MISSING);
	cr_assert_eq(overlay_upper_fs("nfs4"), CHECK_MISSING);
	cr_assert_eq(overlay_upper_fs("somethingfs"), CHECK_UNKNOWN);
}
