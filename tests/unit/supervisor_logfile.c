// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "supervisor/logfile.h"

static char dir[] = "/tmp/berth-logfile-XXXXXX";

static void setup(void)
{
	strcpy(dir, "/tmp/berth-logfile-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

static off_t size_of(const char *name)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return stat(p, &st) == 0 ? st.st_size : -1;
}

TestSuite(logfile, .init = setup, .fini = teardown);

Test(logfile, writes_timestamped_lines)
{
	struct logfile lf;
	berr err = { 0 };
	cr_assert_eq(logfile_open(&lf, dir, "c", 4096, 2, true, &err), 0, "%s", err.msg);
	cr_assert_eq(logfile_write(&lf, "stdout", "hello", 5), 0);
	logfile_close(&lf);
	char p[256], buf[256] = "";
	snprintf(p, sizeof(p), "%s/c.log", dir);
	FILE *f = fopen(p, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	/* 2026-11-26T17:04:22.123456789Z stdout hello */
	cr_assert_eq(strlen(buf), 31 + strlen("stdout hello\n"), "%s", buf);
	cr_assert_eq(buf[10], 'T');
	cr_assert_eq(buf[29], 'Z');
	cr_assert_str_eq(buf + 31, "stdout hello\n");
}

Test(logfile, rotates_by_size_and_keeps_n_files)
{
	struct logfile lf;
	berr err = { 0 };
	char line[100];
	memset(line, 'x', sizeof(line));
	cr_assert_eq(logfile_open(&lf, dir, "c", 1024, 3, true, &err), 0);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(logfile_write(&lf, "stdout", line, sizeof(line)), 0);
	logfile_close(&lf);
	cr_assert_leq(size_of("c.log"), 1024);
	cr_assert_gt(size_of("c.log.1"), 900);
	cr_assert_leq(size_of("c.log.1"), 1024);
	cr_assert_gt(size_of("c.log.2"), 900);
	cr_assert_eq(size_of("c.log.3"), -1, "more files than asked");
}

Test(logfile, one_file_is_truncated_in_place)
{
	struct logfile lf;
	berr err = { 0 };
	char line[300];
	memset(line, 'y', sizeof(line));
	cr_assert_eq(logfile_open(&lf, dir, "c", 4096, 1, true, &err), 0);
	for (int i = 0; i < 50; i++)
		logfile_write(&lf, "stderr", line, sizeof(line));
	logfile_close(&lf);
	cr_assert_leq(size_of("c.log"), 4096);
	cr_assert_eq(size_of("c.log.1"), -1);
}

Test(logfile, new_run_keeps_the_previous_one)
{
	struct logfile lf;
	berr err = { 0 };
	cr_assert_eq(logfile_open(&lf, dir, "c", 200, 3, true, &err), 0);
	for (int i = 0; i < 10; i++)
		logfile_write(&lf, "stdout", "first run", 9);
	logfile_close(&lf);
	cr_assert_gt(size_of("c.log.1"), 0);
	cr_assert_eq(logfile_open(&lf, dir, "c", 200, 3, true, &err), 0);
	logfile_write(&lf, "stdout", "second", 6);
	logfile_close(&lf);
	cr_assert_gt(size_of("c.previous.log"), 0);
	cr_assert_eq(size_of("c.log.1"), -1, "pieces of the previous run were kept");
	cr_assert_lt(size_of("c.log"), 100);
	/* reopening without a new run appends */
	cr_assert_eq(logfile_open(&lf, dir, "c", 200, 3, false, &err), 0);
	logfile_write(&lf, "stdout", "more", 4);
	logfile_close(&lf);
	cr_assert_gt(size_of("c.log"), 60);
}

Test(logfile, long_lines_are_cut)
{
	struct logfile lf;
	berr err = { 0 };
	static char big[LOG_LINE_MAX * 2];
	memset(big, 'z', sizeof(big));
	cr_assert_eq(logfile_open(&lf, dir, "c", 1 << 20, 2, true, &err), 0);
	cr_assert_eq(logfile_write(&lf, "stdout", big, sizeof(big)), 0);
	logfile_close(&lf);
	cr_assert_leq(size_of("c.log"), LOG_LINE_MAX + 64);
}
