// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup.c against a real cgroup v2 hierarchy: runs only as root on a pure
 * cgroup v2 host (the QEMU VM), skips everywhere else - it never touches a
 * hybrid host's cgroups. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/cgroup.h"
#include "runtime/cgroup_internal.h"

static void need_live(void)
{
	struct statfs s;
	if (statfs("/sys/fs/cgroup", &s) < 0 || s.f_type != CGROUP2_SUPER_MAGIC)
		cr_skip_test("no pure cgroup v2 at /sys/fs/cgroup (runs in the QEMU VM)");
	if (geteuid() != 0)
		cr_skip_test("needs root");
	if (!cgroup_has_controller("memory") || !cgroup_has_controller("pids") ||
	    !cgroup_has_controller("cpu"))
		cr_skip_test("needs the memory, pids and cpu controllers");
}

static struct bspec *live_spec(const char *tag)
{
	struct bspec *s = bspec_new_default();
	char id[64];
	snprintf(id, sizeof(id), "unit-%s-%d", tag, (int)getpid());
	s->id = strdup(id);
	return s;
}

static char *cg_read(struct cgroup *cg, const char *file)
{
	static char buf[512];
	int fd = openat(cgroup_fd(cg), file, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0, "open %s", file);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* fork a child that waits for the go, is moved into CG, then runs FN */
static pid_t spawn_in(struct cgroup *cg, int (*fn)(void))
{
	int p[2];
	char c;
	cr_assert_eq(pipe(p), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(99);
		_exit(fn());
	}
	close(p[0]);
	berr err = {0};
	cr_assert_eq(cgroup_enter(cg, pid, &err), 0, "%s", err.msg);
	cr_assert_eq(write(p[1], "g", 1), 1);
	close(p[1]);
	return pid;
}

static int wait_status(pid_t pid)
{
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return st;
}

static int eat_memory(void)
{
	for (int i = 0; i < 256; i++) {
		char *p = malloc(1 << 20);
		if (!p)
			return 3;
		memset(p, 0x5a, 1 << 20);
	}
	return 0;
}

static int fork_many(void)
{
	pid_t kids[32];
	int ok = 0;
	for (int i = 0; i < 32; i++) {
		pid_t c = fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		if (c < 0)
			break;
		kids[ok++] = c;
	}
	for (int i = 0; i < ok; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	return ok;
}

static int open_devices(void)
{
	int fd = open("/dev/berth-unit-kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0 || errno != EPERM)
		return 1;
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return 2;
	return 0;
}

Test(cgroup_live, limits_are_written_and_enforced)
{
	need_live();
	struct bspec *s = live_spec("lim");
	struct cgroup *cg = NULL;
	berr err = {0};
	s->cgroup.memory_max = 16 << 20;
	s->cgroup.pids_max = 8;
	s->cgroup.cpu_quota_us = 10000;
	s->cgroup.cpu_weight = 50;
	cr_assert_eq(cgroup_create(s, &cg, &err), 0, "%s", err.msg);
	cr_assert_not_null(cg);
	char want[128];
	snprintf(want, sizeof(want), "berth/%s", s->id);
	cr_assert_str_eq(cgroup_path(cg), want);
	cr_assert_str_eq(cg_read(cg, "memory.max"), "16777216");
	cr_assert_str_eq(cg_read(cg, "memory.high"), "max");
	cr_assert_str_eq(cg_read(cg, "pids.max"), "8");
	cr_assert_str_eq(cg_read(cg, "cpu.max"), "10000 100000");
	cr_assert_str_eq(cg_read(cg, "cpu.weight"), "50");

	/* pids.max: at most 7 forks besides the child itself */
	int st = wait_status(spawn_in(cg, fork_many));
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 7, "forked: status %#x", st);

	/* memory.max: OOM kill, seen in memory.events */
	cr_assert_not(cgroup_oom_killed(cg));
	st = wait_status(spawn_in(cg, eat_memory));
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
	cr_assert(cgroup_oom_killed(cg));

	/* device rules: 1:11 is not in the default list */
	unlink("/dev/berth-unit-kmsg");
	cr_assert_eq(mknod("/dev/berth-unit-kmsg", S_IFCHR | 0600, makedev(1, 11)), 0);
	st = wait_status(spawn_in(cg, open_devices));
	unlink("/dev/berth-unit-kmsg");
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "device check %#x", st);

	cr_assert_eq(cgroup_destroy(cg, &err), 0, "%s", err.msg);
	cr_assert_eq(access(strcat(strcpy((char[256]){0}, "/sys/fs/cgroup/"), want), F_OK), -1);
	bspec_free(s);
}

static int sleep_long(void)
{
	sleep(60);
	return 0;
}

Test(cgroup_live, kill_all_and_destroy_a_busy_cgroup)
{
	need_live();
	struct bspec *s = live_spec("kill");
	struct cgroup *cg = NULL, *again = NULL;
	berr err = {0};
	cr_assert_eq(cgroup_create(s, &cg, &err), 0, "%s", err.msg);
	pid_t a = spawn_in(cg, sleep_long);
	cr_assert_eq(cgroup_kill_all(cg, &err), 0, "%s", err.msg);
	int st = wait_status(a);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* the pre-5.14 way: freeze, kill each, thaw */
	a = spawn_in(cg, sleep_long);
	cr_assert_eq(cgroup_kill_by_procs(cg, &err), 0, "%s", err.msg);
	st = wait_status(a);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	cr_assert_str_eq(cg_read(cg, "cgroup.freeze"), "0");

	/* reopen by path (exec/kill from another process), destroy with a live member */
	cr_assert_eq(cgroup_open(cgroup_path(cg), &again, &err), 0, "%s", err.msg);
	pid_t b = spawn_in(again, sleep_long);
	/* a cgroup the payload made inside its own: removed too */
	cr_assert_eq(mkdirat(cgroup_fd(cg), "inner", 0755), 0);
	cr_assert_eq(mkdirat(cgroup_fd(cg), "inner/deeper", 0755), 0);
	cgroup_free(cg);
	cr_assert_eq(cgroup_destroy(again, &err), 0, "%s", err.msg);
	st = wait_status(b);
	cr_assert(WIFSIGNALED(st));
	bspec_free(s);
}

Test(cgroup_live, failed_create_leaves_nothing)
{
	need_live();
	struct bspec *s = live_spec("fail");
	struct cgroup *cg = NULL;
	berr err = {0};
	char path[256];
	s->cgroup.path = strdup("berth-unit-fail/a/b");
	s->cgroup.cpu_weight = 100;
	s->cgroup.cpu_quota_us = 5; /* invalid: refused before anything is made */
	cr_assert_lt(cgroup_create(s, &cg, &err), 0);
	s->cgroup.cpu_quota_us = BSPEC_UNSET;
	char *bad[] = {"memory.no_such_file=1", NULL};
	s->cgroup.unified = bad; /* fails after the directories exist */
	cr_assert_lt(cgroup_create(s, &cg, &err), 0);
	cr_assert(strstr(err.msg, "memory.no_such_file"), "%s", err.msg);
	cr_assert_null(cg);
	snprintf(path, sizeof(path), "/sys/fs/cgroup/berth-unit-fail");
	cr_assert_eq(access(path, F_OK), -1, "%s left behind", path);
	s->cgroup.unified = NULL;
	bspec_free(s);
}
