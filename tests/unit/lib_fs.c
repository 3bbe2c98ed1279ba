// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"

static char dir[64];
static int dfd = -1;

static void setup(void)
{
	strcpy(dir, "/tmp/berth-unit-fs.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(dfd, 0);
}

static void teardown(void)
{
	close(dfd);
	rm_rf_at(AT_FDCWD, dir);
}

TestSuite(fs, .init = setup, .fini = teardown);

Test(fs, atomic_write_replaces_content)
{
	berr err = { 0 };
	char *buf = NULL;
	cr_assert_eq(write_file_atomic(dfd, "f", "one", 3, 0600, &err), 0);
	cr_assert_eq(write_file_atomic(dfd, "f", "two!", 4, 0600, &err), 0);
	cr_assert_eq(read_file_at(dfd, "f", 100, &buf, NULL, &err), 0);
	cr_assert_str_eq(buf, "two!");
	free(buf);
}

Test(fs, read_file_respects_max)
{
	berr err = { 0 };
	char *buf = NULL;
	cr_assert_eq(write_file_atomic(dfd, "big", "0123456789", 10, 0600, &err), 0);
	cr_assert_eq(read_file_at(dfd, "big", 5, &buf, NULL, &err), -EFBIG);
	cr_assert_null(buf);
	cr_assert(strstr(err.msg, "big") != NULL);
}

static void check_stays_inside(int root, const char *path)
{
	int fd = safe_openat(root, path, O_RDONLY, 0);
	cr_assert_geq(fd, 0, "open %s: %d", path, fd);
	char buf[32] = "";
	cr_assert_gt(read(fd, buf, sizeof(buf) - 1), 0);
	cr_assert_str_eq(buf, "inside", "%s escaped the root", path);
	close(fd);
}

Test(fs, safe_openat_never_leaves_the_root)
{
	berr err = { 0 };
	cr_assert_eq(mkdirat(dfd, "root", 0755), 0);
	int root = openat(dfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cr_assert_eq(mkdirat(root, "etc", 0755), 0);
	cr_assert_eq(write_file_atomic(root, "etc/passwd", "inside", 6, 0644, &err), 0);
	/* hostile links: absolute, dot-dot, through a directory link */
	cr_assert_eq(symlinkat("/etc/passwd", root, "abs"), 0);
	cr_assert_eq(symlinkat("../../../../etc/passwd", root, "up"), 0);
	cr_assert_eq(symlinkat("/", root, "slash"), 0);
	check_stays_inside(root, "abs");
	check_stays_inside(root, "up");
	check_stays_inside(root, "slash/etc/passwd");
	check_stays_inside(root, "/../../etc/passwd");
	close(root);
}

Test(fs, safe_mkdirat_p_creates_inside_through_symlinks)
{
	cr_assert_eq(mkdirat(dfd, "root", 0755), 0);
	int root = openat(dfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* a link pointing at the host's /tmp must land inside the root */
	cr_assert_eq(symlinkat("/tmp", root, "evil"), 0);
	int fd = safe_mkdirat_p(root, "evil/a/b", 0755);
	cr_assert_geq(fd, 0);
	close(fd);
	struct stat st;
	cr_assert_eq(fstatat(root, "tmp/a/b", &st, 0), 0, "not created inside the root");
	close(root);
}

Test(strv, split_trims_and_drops_empty)
{
	_cleanup_strv_ char **v = strv_split(" a, b ,,c ", ",");
	cr_assert_eq(strv_length(v), 3);
	cr_assert_str_eq(v[0], "a");
	cr_assert_str_eq(v[1], "b");
	cr_assert_str_eq(v[2], "c");
}
