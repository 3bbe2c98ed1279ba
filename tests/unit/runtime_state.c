// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "runtime/internal.h"

static char *args[] = {"/bin/sh", "-c", "echo a\\b\nc", NULL};
static char *ann[] = {"k=v", "multi=line\nvalue", NULL};

static struct container_state sample(void)
{
	return (struct container_state){
	    .id = "web-1",
	    .status = CONTAINER_RUNNING,
	    .pid = 4242,
	    .start_time = 1234567,
	    .bundle = "/srv/bundle",
	    .rootfs = "/var/lib/berth/containers/web-1/merged",
	    .cgroup_path = "berth/web-1",
	    .created = 1700000000,
	    .exit_status = 137,
	    .exited = true,
	    .oom_killed = true,
	    .remove_on_exit = true,
	    .monitor_pid = 99,
	    .monitor_start = 777,
	    .args = args,
	    .annotations = ann,
	    .caps = {0xa80425fb, 0xa80425fb, 0xa80425fb, 1, 2},
	    .no_new_privs = true,
	    .seccomp_mode = BSECCOMP_UNCONFINED,
	    .uid = 1000,
	    .gid = 1001,
	    .userns = true,
	    .owned_dirs = "/var/lib/berth/containers/web-1",
	};
}

Test(state, round_trips_every_field)
{
	struct container_state in = sample(), *out;
	char *text = state_format(&in);
	berr err = {0};
	cr_assert_not_null(text);
	cr_assert_eq(state_parse(text, &out, &err), 0, "%s", err.msg);
	cr_assert_str_eq(out->id, "web-1");
	cr_assert_eq(out->status, CONTAINER_RUNNING);
	cr_assert_eq(out->pid, 4242);
	cr_assert_eq(out->start_time, 1234567);
	cr_assert_str_eq(out->bundle, in.bundle);
	cr_assert_str_eq(out->rootfs, in.rootfs);
	cr_assert_str_eq(out->cgroup_path, in.cgroup_path);
	cr_assert_eq(out->created, in.created);
	cr_assert(out->exited);
	cr_assert_eq(out->exit_status, 137);
	cr_assert(out->oom_killed && out->remove_on_exit && out->no_new_privs && out->userns);
	cr_assert_eq(out->monitor_pid, 99);
	cr_assert_eq(out->monitor_start, 777);
	cr_assert_str_eq(out->args[2], "echo a\\b\nc", "escaped newline and backslash");
	cr_assert_null(out->args[3]);
	cr_assert_str_eq(out->annotations[1], "multi=line\nvalue");
	cr_assert_eq(out->caps.bounding, 0xa80425fb);
	cr_assert_eq(out->caps.inheritable, 1);
	cr_assert_eq(out->caps.ambient, 2);
	cr_assert_eq(out->seccomp_mode, BSECCOMP_UNCONFINED);
	cr_assert_eq(out->uid, 1000);
	cr_assert_eq(out->gid, 1001);
	cr_assert_str_eq(out->owned_dirs, in.owned_dirs);
	container_state_free(out);
	free(text);
}

Test(state, not_exited_has_no_status_and_unknown_keys_are_ignored)
{
	struct container_state *out;
	berr err = {0};
	cr_assert_eq(state_parse("id=a\nfuture_key=1\nstatus=created\npid=5\n", &out, &err), 0);
	cr_assert(!out->exited);
	cr_assert_eq(out->status, CONTAINER_CREATED);
	cr_assert_null(out->cgroup_path);
	container_state_free(out);
	cr_assert_lt(state_parse("pid=5\n", &out, &err), 0, "a state without id");
}

Test(state, save_then_load_detects_a_dead_pid)
{
	char dir[] = "/tmp/berth-state-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	berr err = {0};
	int rootfd = state_root_open(dir, true, &err);
	cr_assert_geq(rootfd, 0, "%s", err.msg);
	cr_assert_eq(mkdirat(rootfd, "web-1", 0700), 0);
	struct container_state in = sample(), *out;
	in.exited = false;
	in.pid = getpid();
	in.start_time = proc_start_time(getpid());
	cr_assert_neq(in.start_time, 0);
	cr_assert_eq(state_save(rootfd, &in, &err), 0, "%s", err.msg);
	cr_assert_eq(container_state_load(dir, "web-1", &out, &err), 0, "%s", err.msg);
	cr_assert_eq(out->status, CONTAINER_RUNNING, "our own pid is alive");
	container_state_free(out);
	in.start_time += 1; /* same pid, another process */
	cr_assert_eq(state_save(rootfd, &in, &err), 0);
	cr_assert_eq(container_state_load(dir, "web-1", &out, &err), 0);
	cr_assert_eq(out->status, CONTAINER_STOPPED, "pid reuse must read as stopped");
	container_state_free(out);
	cr_assert_eq(container_state_load(dir, "nope", &out, &err), -ENOENT);
	cr_assert(strstr(err.msg, "nope"));
	struct container_state **list;
	cr_assert_eq(container_state_list(dir, &list, &err), 0);
	cr_assert_str_eq(list[0]->id, "web-1");
	cr_assert_null(list[1]);
	container_state_list_free(list);
	close(rootfd);
	rm_rf_at(AT_FDCWD, dir);
}

Test(state, container_names)
{
	cr_assert(container_id_valid("a"));
	cr_assert(container_id_valid("web-1.prod_x"));
	cr_assert(!container_id_valid(""));
	cr_assert(!container_id_valid("-x"));
	cr_assert(!container_id_valid("a/b"));
	cr_assert(!container_id_valid(".."));
	cr_assert(!container_id_valid("a b"));
	char long_name[70];
	memset(long_name, 'a', 65);
	long_name[65] = '\0';
	cr_assert(!container_id_valid(long_name));
	char id[13];
	container_id_random(id);
	cr_assert_eq(strlen(id), 12);
	cr_assert(container_id_valid(id));
}
