/* SPDX-License-Identifier: GPL-2.0-or-later */
/* berth check: is this kernel and board ready for berth? Like moby's
 * contrib/check-config.sh and lxc-checkconfig, but every item says what its
 * absence costs and how to fix it on this board (on a Raspberry Pi, which
 * line of cmdline.txt). check_run() only reads files and, on the running
 * host, tries a few harmless syscalls; it never prints (the CLI formats).
 *
 * Every path is read below opts->prefix, so tests feed it fake trees
 * (proc/, sys/, boot/, lib/modules/, mount points named by proc/self/mountinfo).
 * What it cannot tell is CHECK_UNKNOWN, never CHECK_MISSING. */
#ifndef BERTH_CHECK_H
#define BERTH_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum check_status { CHECK_OK, CHECK_DEGRADED, CHECK_MISSING, CHECK_UNKNOWN };

/* How much an item matters: a required item missing means berth cannot run
 * containers; a feature missing turns a part of berth off; an optional one
 * is reported and does not change the verdict. */
enum check_need { CHECK_REQUIRED, CHECK_FEATURE, CHECK_OPTIONAL };

enum check_id {
	CHECK_KERNEL,
	CHECK_CONFIG,
	CHECK_NAMESPACES,
	CHECK_USERNS,
	CHECK_CGROUP2,
	CHECK_CG_CPU,
	CHECK_CG_MEMORY,
	CHECK_CG_IO,
	CHECK_CG_PIDS,
	CHECK_CG_CPUSET,
	CHECK_CGROUP_BPF,
	CHECK_SECCOMP,
	CHECK_OVERLAY,
	CHECK_STORAGE,
	CHECK_VETH,
	CHECK_BRIDGE,
	CHECK_NFT,
	CHECK_WATCHDOG,
	CHECK__N
};

struct check_item {
	const char *id;	   /* "cgroup.memory": stable, for -o json and scripts */
	const char *title; /* "memory controller" */
	enum check_need need;
	enum check_status status;
	const char *cost; /* what breaks without it (static text) */
	char detail[320]; /* what was seen, and where */
	char fix[480];	  /* what to do; empty when nothing to do */
};

/* Exit status of `berth check`: 0 ready, 1 degraded (a feature missing, or a
 * required item that could not be checked), 2 cannot run (a required item
 * missing). Unknown features and optional items leave the verdict alone. */
enum check_verdict { CHECK_READY = 0, CHECK_VERDICT_DEGRADED = 1, CHECK_CANNOT_RUN = 2 };

/* Decompress the gzip file PATH (at most MAX bytes out) into a NUL-terminated
 * buffer the caller frees. Supplied by the caller: the library links no
 * decompressor of its own. */
typedef int (*check_gunzip_fn)(const char *path, size_t max, char **ret_buf, size_t *ret_len,
			       berr *err);

struct check_opts {
	const char *prefix;	  /* NULL or "": the running host; else a tree read instead of / */
	const char *storage_root; /* berth's state root (--root), as seen from / */
	check_gunzip_fn gunzip;	  /* NULL: /proc/config.gz cannot be read */
};

struct check_report {
	struct check_item items[CHECK__N];
	char release[96];	 /* kernel release, "" when unknown */
	char config_source[128]; /* "/proc/config.gz", "/boot/config-6.1.0", "" */
	char model[128];	 /* device-tree model, "" when none */
	bool raspberry_pi;
	char cmdline_txt[64]; /* on a Pi: "/boot/firmware/cmdline.txt" or "/boot/cmdline.txt" */
	bool probed;	      /* syscalls were tried on the running kernel */
};

/* Fill RET. Fails only for an unusable prefix or out of memory: every item it
 * cannot tell is CHECK_UNKNOWN with the reason in its detail. */
int check_run(const struct check_opts *opts, struct check_report *ret, berr *err);
enum check_verdict check_verdict(const struct check_report *r);
const char *check_status_name(enum check_status s); /* "ok", "missing", ... */
const char *check_need_name(enum check_need n);	    /* "required", ... */

/* ---- parsers (pure: exposed for the unit tests) -------------------------- */

/* Value of CONFIG_NAME (NAME without "CONFIG_") in a kernel .config text:
 * 'y', 'm', 'n' ("is not set" or absent), or 'v' for another value. */
char kconfig_lookup(const char *text, const char *name);

/* What the kernel command line does to cgroup controller CTRL: the last of
 * cgroup_disable=LIST / cgroup_enable=LIST (Raspberry Pi kernels) naming it
 * wins. Words after "--" belong to init. */
enum cmdline_cgroup { CMDLINE_CG_DEFAULT, CMDLINE_CG_DISABLED, CMDLINE_CG_ENABLED };
enum cmdline_cgroup cmdline_cgroup(const char *cmdline, const char *ctrl);

/* The value of the last KEY=VALUE on the command line into BUF; false if
 * KEY does not appear. A bare KEY gives "". */
bool cmdline_value(const char *cmdline, const char *key, char *buf, size_t size);

/* /proc/cgroups: the hierarchy and enabled columns of controller NAME;
 * -ENOENT when the kernel does not know it. */
int proc_cgroups_lookup(const char *text, const char *name, int *ret_hierarchy, int *ret_enabled);

/* Is WORD one of the blank-separated words of LIST (cgroup.controllers)? */
bool word_in_list(const char *list, const char *word);

struct mount_entry {
	char mountpoint[256]; /* unescaped (\040 -> ' ') */
	char fstype[32];
	char source[128];
	char options[256]; /* per-mount options: "rw,nosuid,..." */
};

/* Iterate /proc/self/mountinfo: *POS starts at the text and advances; 1 with
 * RET filled, 0 at the end. Malformed lines are skipped. */
int mountinfo_next(const char **pos, struct mount_entry *ret);

/* The last mount (the visible one) whose mount point is PATH (EXACT) or the
 * longest that contains PATH; -ENOENT if none. */
int mountinfo_lookup(const char *text, const char *path, bool exact, struct mount_entry *ret);

/* "6.1.0-18-arm64" -> 6, 1; -EINVAL if it does not start with N.N */
int kernel_version_parse(const char *release, unsigned *ret_major, unsigned *ret_minor);

/* Can an overlayfs upper dir live on a file system of this type?
 * CHECK_OK, CHECK_MISSING (known not to work) or CHECK_UNKNOWN. */
enum check_status overlay_upper_fs(const char *fstype);

#endif
