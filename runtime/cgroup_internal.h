/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup internals: pure helpers (unit-tested without cgroups) and the
 * eBPF device program. */
#ifndef BERTH_RUNTIME_CGROUP_INTERNAL_H
#define BERTH_RUNTIME_CGROUP_INTERNAL_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "runtime/spec.h"

/* "key value" lines (memory.events, cpu.stat, cgroup.events): the value of
 * KEY, or -ENOENT / -EINVAL. */
int cgroup_parse_keyed(const char *buf, const char *key, uint64_t *ret);
/* WORD is one of the blank-separated words of LIST (cgroup.controllers) */
bool cgroup_list_has(const char *list, const char *word);
/* A relative path of plain components: no "..", ".", empty or absolute. */
bool cgroup_path_valid(const char *path);

/* The controllers CG's limits need, in a fixed order ("cpu", "cpuset",
 * "io", "memory", "pids" and those named by unified keys), each with the
 * thing that asked for it ("memory limit"). Returns the count. */
struct cgroup_need {
	const char *controller;
	const char *what;
};
size_t cgroup_needed_controllers(const struct bspec_cgroup *cg, struct cgroup_need *out,
				 size_t max);

/* One cgroup interface file write: FILE and the value to write. */
struct cgroup_setting {
	const char *file;
	char value[64];
};
/* The files CG's limits write, in order; 0 on success, -EINVAL (with a
 * message) on an impossible value. Unified and cpuset strings are not
 * included (written as they are). */
int cgroup_limit_settings(const struct bspec_cgroup *cg, struct cgroup_setting *out, size_t max,
			  size_t *ret_n, berr *err);

struct cgroup;
/* cgroup_kill_all()'s fallback for kernels before 5.14 (no cgroup.kill):
 * freeze, SIGKILL each pid of cgroup.procs, thaw. */
int cgroup_kill_by_procs(const struct cgroup *cg, berr *err);

/* ---- devices (runtime/cgroup_devices.c) ---- */

/* The device rules a container gets, in evaluation order (last match
 * wins, no match = deny): spec->cgroup.devrules, then the default allow
 * list (mknod of any c/b node; rwm for null zero full random urandom tty
 * console ptmx pts/ *), then rwm for each spec->devices node (as runc, the
 * defaults and passthrough devices come last so an OCI "deny all" first
 * rule does not lock out /dev/null). Caller frees *ret. */
int cgroup_device_rules(const struct bspec *spec, struct bspec_devrule **ret, size_t *ret_n);
/* The BPF_PROG_TYPE_CGROUP_DEVICE program for RULES. Caller frees *ret. */
int cgroup_devices_program(const struct bspec_devrule *rules, size_t n, struct bpf_insn **ret,
			   size_t *ret_len);
/* Load SPEC's program (the verifier checks it); returns its fd (O_CLOEXEC)
 * or -errno. */
int cgroup_devices_load(const struct bspec *spec, berr *err);
/* Load SPEC's program and attach it to CGFD (BPF_F_ALLOW_MULTI). */
int cgroup_devices_attach(int cgfd, const struct bspec *spec, berr *err);

#endif
