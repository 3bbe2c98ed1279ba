// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup helpers without cgroups, the device program in an eBPF
 * interpreter, and the refusal of a non-cgroup2 host. */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "lib/strv.h"
#include "runtime/cgroup.h"
#include "runtime/cgroup_internal.h"

Test(cgroup, parses_memory_events)
{
	const char *ev = "low 0\nhigh 12\nmax 40\noom 3\noom_kill 2\noom_group_kill 0\n";
	uint64_t v = 99;
	cr_assert_eq(cgroup_parse_keyed(ev, "oom_kill", &v), 0);
	cr_assert_eq(v, 2);
	cr_assert_eq(cgroup_parse_keyed(ev, "oom", &v), 0);
	cr_assert_eq(v, 3);
	cr_assert_eq(cgroup_parse_keyed(ev, "low", &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(cgroup_parse_keyed(ev, "kill", &v), -ENOENT);
	cr_assert_eq(cgroup_parse_keyed("populated 0\nfrozen 0\n", "populated", &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(cgroup_parse_keyed("usage_usec 10\nnr_throttled 7", "nr_throttled", &v), 0);
	cr_assert_eq(v, 7);
	cr_assert_eq(cgroup_parse_keyed("oom_kill x\n", "oom_kill", &v), -EINVAL);
	cr_assert_eq(cgroup_parse_keyed("", "oom_kill", &v), -ENOENT);
}

Test(cgroup, finds_controllers_in_lists)
{
	const char *l = "cpuset cpu io memory hugetlb pids rdma misc\n";
	cr_assert(cgroup_list_has(l, "cpu"));
	cr_assert(cgroup_list_has(l, "cpuset"));
	cr_assert(cgroup_list_has(l, "misc"));
	cr_assert(cgroup_list_has(l, "memory"));
	cr_assert_not(cgroup_list_has(l, "mem"));
	cr_assert_not(cgroup_list_has("cpuset io pids\n", "cpu"));
	cr_assert_not(cgroup_list_has("", "cpu"));
}

Test(cgroup, validates_paths)
{
	cr_assert(cgroup_path_valid("berth/web-0"));
	cr_assert(cgroup_path_valid("a"));
	cr_assert_not(cgroup_path_valid("/berth"));
	cr_assert_not(cgroup_path_valid("berth/../x"));
	cr_assert_not(cgroup_path_valid("berth//x"));
	cr_assert_not(cgroup_path_valid("berth/"));
	cr_assert_not(cgroup_path_valid("./x"));
	cr_assert_not(cgroup_path_valid(""));
	cr_assert_not(cgroup_path_valid(NULL));
}

static struct bspec_cgroup no_limits(void)
{
	return (struct bspec_cgroup){.memory_max = BSPEC_UNSET,
				     .memory_high = BSPEC_UNSET,
				     .memory_swap_max = BSPEC_UNSET,
				     .memory_low = BSPEC_UNSET,
				     .cpu_quota_us = BSPEC_UNSET,
				     .cpu_period_us = BSPEC_UNSET,
				     .cpu_weight = BSPEC_UNSET,
				     .pids_max = BSPEC_UNSET,
				     .io_weight = BSPEC_UNSET};
}

Test(cgroup, names_the_controllers_limits_need)
{
	struct bspec_cgroup cg = no_limits();
	struct cgroup_need need[8];
	cr_assert_eq(cgroup_needed_controllers(&cg, need, 8), 0);
	cr_assert_not(cgroup_spec_has_limits(&cg));
	cg.memory_high = 1 << 20;
	cg.pids_max = 10;
	char *unified[] = {"memory.oom.group=1", "io.max=8:0 rbps=1", "cgroup.x=1", NULL};
	cg.unified = unified;
	size_t n = cgroup_needed_controllers(&cg, need, 8);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(need[0].controller, "memory");
	cr_assert_str_eq(need[0].what, "memory limit");
	cr_assert_str_eq(need[1].controller, "pids");
	cr_assert_str_eq(need[2].controller, "io");
	cr_assert(cgroup_spec_has_limits(&cg));
}

Test(cgroup, formats_limit_files)
{
	struct bspec_cgroup cg = no_limits();
	struct cgroup_setting s[16];
	size_t n = 99;
	berr err = {0};
	cg.memory_max = 64 << 20;
	cg.memory_high = 48 << 20;
	cg.cpu_quota_us = 50000;
	cg.cpu_weight = 100;
	cg.io_weight = 200;
	cg.pids_max = 32;
	cr_assert_eq(cgroup_limit_settings(&cg, s, 16, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 6);
	cr_assert_str_eq(s[0].file, "memory.high");
	cr_assert_str_eq(s[1].file, "memory.max");
	cr_assert_str_eq(s[1].value, "67108864");
	cr_assert_str_eq(s[2].file, "cpu.max");
	cr_assert_str_eq(s[2].value, "50000 100000");
	cr_assert_str_eq(s[3].value, "100");
	cr_assert_str_eq(s[4].value, "default 200");
	cr_assert_str_eq(s[5].file, "pids.max");
	cr_assert_str_eq(s[5].value, "32");

	cg = no_limits();
	cg.cpu_period_us = 50000; /* period only: quota stays "max" */
	cr_assert_eq(cgroup_limit_settings(&cg, s, 16, &n, &err), 0);
	cr_assert_str_eq(s[0].value, "max 50000");

	cg.cpu_quota_us = 10; /* below the kernel's 1 ms minimum */
	cr_assert_eq(cgroup_limit_settings(&cg, s, 16, &n, &err), -EINVAL);
	cr_assert(strstr(err.msg, "CPU limit"), "%s", err.msg);
	cg = no_limits();
	cg.cpu_weight = 0;
	cr_assert_eq(cgroup_limit_settings(&cg, s, 16, &n, &err), -EINVAL);
}

static bool host_is_cgroup2(void)
{
	struct statfs s;
	return statfs("/sys/fs/cgroup", &s) == 0 && s.f_type == CGROUP2_SUPER_MAGIC;
}

Test(cgroup, non_cgroup2_host_runs_without_limits_and_refuses_limits)
{
	if (host_is_cgroup2())
		cr_skip_test("pure cgroup v2 host: this checks the hybrid/v1 refusal");
	struct bspec *spec = bspec_new_default();
	struct cgroup *cg = (void *)1;
	berr err = {0};
	spec->id = strdup("unit");
	cr_assert_eq(cgroup_create(spec, &cg, &err), 0, "%s", err.msg);
	cr_assert_null(cg);
	spec->cgroup.memory_max = 64 << 20;
	cr_assert_eq(cgroup_create(spec, &cg, &err), -ENOTSUP);
	cr_assert(strstr(err.msg, "memory limit requested but the cgroup v2 memory controller is "
				  "not available"),
		  "%s", err.msg);
	cr_assert_not(cgroup_has_controller("memory"));
	struct cgroup *o = NULL;
	cr_assert_lt(cgroup_open("berth/unit", &o, &err), 0);
	bspec_free(spec);
}

/* ---- the device program, run in a small eBPF interpreter ---------------- */

static int dev_run(const struct bpf_insn *p, size_t len, char type, int major, int minor,
		   const char *acc)
{
	uint64_t r[11] = {0};
	uint32_t ctx[3];
	int a = 0;
	for (; *acc; acc++)
		a |= *acc == 'r'   ? BPF_DEVCG_ACC_READ
		     : *acc == 'w' ? BPF_DEVCG_ACC_WRITE
				   : BPF_DEVCG_ACC_MKNOD;
	ctx[0] = (uint32_t)a << 16 | (type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK);
	ctx[1] = (uint32_t)major;
	ctx[2] = (uint32_t)minor;
	for (size_t pc = 0; pc < len; pc++) {
		const struct bpf_insn *i = &p[pc];
		uint64_t src =
		    BPF_SRC(i->code) == BPF_X ? r[i->src_reg] : (uint64_t)(int64_t)i->imm;
		switch (i->code) {
		case BPF_LDX | BPF_W | BPF_MEM:
			cr_assert_eq(i->src_reg, 1);
			cr_assert(i->off >= 0 && i->off <= 8 && i->off % 4 == 0);
			r[i->dst_reg] = ctx[i->off / 4];
			break;
		case BPF_ALU | BPF_MOV | BPF_X:
			r[i->dst_reg] = (uint32_t)src;
			break;
		case BPF_ALU64 | BPF_MOV | BPF_K:
			r[i->dst_reg] = src;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			r[i->dst_reg] = (uint32_t)(r[i->dst_reg] & src);
			break;
		case BPF_ALU | BPF_RSH | BPF_K:
			r[i->dst_reg] = (uint32_t)r[i->dst_reg] >> src;
			break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if (r[i->dst_reg] != src)
				pc += i->off;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			if (r[i->dst_reg] == src)
				pc += i->off;
			break;
		case BPF_JMP | BPF_EXIT:
			return (int)r[0];
		default:
			cr_assert_fail("unexpected instruction %#x at %zu", i->code, pc);
		}
		cr_assert_lt(pc + 1, len + 1, "jump beyond the program");
	}
	cr_assert_fail("fell off the end");
	return -1;
}

static int check(struct bspec *spec, char type, int major, int minor, const char *acc)
{
	struct bspec_devrule *rules;
	struct bpf_insn *prog;
	size_t n, len;
	cr_assert_eq(cgroup_device_rules(spec, &rules, &n), 0);
	cr_assert_eq(cgroup_devices_program(rules, n, &prog, &len), 0);
	int v = dev_run(prog, len, type, major, minor, acc);
	free(rules);
	free(prog);
	return v;
}

Test(cgroup_devices, default_allow_list)
{
	struct bspec *s = bspec_new_default();
	cr_assert_eq(check(s, 'c', 1, 3, "rw"), 1);   /* null */
	cr_assert_eq(check(s, 'c', 1, 9, "r"), 1);    /* urandom */
	cr_assert_eq(check(s, 'c', 5, 2, "rw"), 1);   /* ptmx */
	cr_assert_eq(check(s, 'c', 136, 7, "rw"), 1); /* pts/7 */
	cr_assert_eq(check(s, 'c', 8, 0, "m"), 1);    /* mknod is allowed ... */
	cr_assert_eq(check(s, 'b', 8, 0, "m"), 1);
	cr_assert_eq(check(s, 'b', 8, 0, "r"), 0); /* ... opening is not */
	cr_assert_eq(check(s, 'b', 8, 0, "rm"), 0);
	cr_assert_eq(check(s, 'c', 1, 1, "r"), 0);     /* /dev/mem */
	cr_assert_eq(check(s, 'c', 226, 0, "rw"), 0);  /* dri not passed through */
	cr_assert_eq(check(s, 'c', 10, 200, "rw"), 0); /* tun */
	bspec_free(s);
}

Test(cgroup_devices, passthrough_and_rules_in_order)
{
	struct bspec *s = bspec_new_default();
	struct bspec_device devs[] = {
	    {.path = "/dev/dri/card0", .type = 'c', .major = 226, .minor = 0},
	    {.path = "/dev/fifo", .type = 'p'}};
	struct bspec_devrule rules[] = {
	    {false, 'a', -1, -1, "rwm"}, /* OCI's usual "deny all" first */
	    {true, 'c', 13, -1, "r"},	 /* input: read only */
	    {true, 'b', 7, -1, "rw"},
	    {false, 'b', 7, 3, "w"}, /* but loop3 is not writable */
	};
	s->devices = devs;
	s->ndevices = 2;
	s->cgroup.devrules = rules;
	s->cgroup.ndevrules = 4;
	cr_assert_eq(check(s, 'c', 226, 0, "rw"), 1);
	cr_assert_eq(check(s, 'c', 226, 1, "rw"), 0);
	cr_assert_eq(check(s, 'c', 1, 3, "rw"), 1); /* the defaults survive "deny all" */
	cr_assert_eq(check(s, 'c', 13, 64, "r"), 1);
	cr_assert_eq(check(s, 'c', 13, 64, "rw"), 0);
	cr_assert_eq(check(s, 'b', 7, 0, "rw"), 1);
	cr_assert_eq(check(s, 'b', 7, 3, "r"), 1);
	cr_assert_eq(check(s, 'b', 7, 3, "rw"), 0);
	cr_assert_eq(check(s, 'c', 7, 0, "r"), 0);
	s->devices = NULL;
	s->ndevices = 0;
	s->cgroup.devrules = NULL;
	s->cgroup.ndevrules = 0;
	bspec_free(s);
}

Test(cgroup_devices, kernel_verifier_accepts_the_program)
{
	struct bspec *s = bspec_new_default();
	struct bspec_devrule rules[] = {{false, 'a', -1, -1, "rwm"}, {true, 'b', 7, 3, "rw"}};
	berr err = {0};
	s->cgroup.devrules = rules;
	s->cgroup.ndevrules = 2;
	/* loading creates nothing that outlives the fd */
	int fd = cgroup_devices_load(s, &err);
	s->cgroup.devrules = NULL;
	s->cgroup.ndevrules = 0;
	bspec_free(s);
	if (fd == -EPERM)
		cr_skip_test("not allowed to load BPF programs here");
	cr_assert_geq(fd, 0, "%s", err.msg);
	close(fd);
}
