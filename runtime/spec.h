/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container spec: the one input of runtime/. The `run` flags (cli), pod
 * specs (supervisor) and OCI config.json (cli/oci) all fill this struct;
 * runtime/ never parses a file format itself.
 *
 * Ownership: every pointer is heap memory owned by the spec and released by
 * bspec_free(). Strings are NUL-terminated; string vectors NULL-terminated.
 * Paths inside the container (mount targets, cwd, masked paths...) are
 * always resolved under the rootfs by the runtime, never joined as strings.
 */
#ifndef BERTH_RUNTIME_SPEC_H
#define BERTH_RUNTIME_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BSPEC_UNSET (-1) /* for int64 limits and optional ints */

enum bspec_ns_type {
	BNS_MOUNT,
	BNS_PID,
	BNS_UTS,
	BNS_IPC,
	BNS_NET,
	BNS_CGROUP,
	BNS_USER,
	BNS_TIME,
	BNS_COUNT
};

struct bspec_ns {
	bool create;	 /* unshare a new one */
	char *join_path; /* or join this one (/proc/PID/ns/net, a bind-mounted nsfs file) */
	int join_fd;	 /* or join by an fd the caller owns (-1: none) */
};

struct bspec_idmap {
	uint32_t container_id, host_id, size;
};

enum bspec_mount_kind { BMNT_BIND, BMNT_TMPFS, BMNT_OTHER };

struct bspec_mount {
	enum bspec_mount_kind kind;
	char *source;	    /* host path for binds; fs source otherwise */
	char *target;	    /* absolute path inside the container */
	char *fstype;	    /* for BMNT_OTHER ("proc", "sysfs", "mqueue", ...) */
	unsigned long flags; /* MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REC|... */
	unsigned long propagation; /* MS_PRIVATE/MS_SLAVE/MS_SHARED/MS_UNBINDABLE (|MS_REC), 0 = default */
	char *data;	    /* fs options ("size=64m,mode=1777") */
	bool create_file;   /* bind of a file: create an empty file as target */
};

struct bspec_device {
	char *path;	/* inside the container, e.g. /dev/dri/card0 */
	char type;	/* 'c', 'b', 'p' (fifo); 'a' = any (rules only) */
	int64_t major, minor; /* -1 = wildcard (rules only) */
	mode_t mode;	/* file mode bits, 0 = 0666 */
	uid_t uid;
	gid_t gid;
};

/* cgroup device rule (OCI linux.resources.devices): evaluated in order, last match wins */
struct bspec_devrule {
	bool allow;
	char type; /* 'a', 'c', 'b' */
	int64_t major, minor; /* -1 = any */
	char access[4]; /* subset of "rwm" */
};

struct bspec_rlimit {
	int resource; /* RLIMIT_* */
	uint64_t soft, hard;
};

struct bspec_sysctl {
	char *key, *value; /* "net.ipv4.ip_forward", "1" */
};

/* Seccomp: actions and operators are berth's own so this header does not
 * need libseccomp. */
enum bsec_action {
	BSEC_ALLOW,
	BSEC_ERRNO,
	BSEC_KILL_THREAD,
	BSEC_KILL_PROCESS,
	BSEC_TRAP,
	BSEC_TRACE,
	BSEC_LOG,
	BSEC_NOTIFY
};
enum bsec_op { BSEC_OP_NE, BSEC_OP_LT, BSEC_OP_LE, BSEC_OP_EQ, BSEC_OP_GE, BSEC_OP_GT, BSEC_OP_MASKED_EQ };

struct bspec_seccomp_arg {
	unsigned index;
	uint64_t value, value2;
	enum bsec_op op;
};

struct bspec_seccomp_rule {
	char **names;
	enum bsec_action action;
	int errno_ret; /* for BSEC_ERRNO */
	struct bspec_seccomp_arg *args;
	size_t nargs;
};

struct bspec_seccomp {
	enum bsec_action default_action;
	int default_errno;
	char **archs;	 /* "x86_64", "aarch64", "arm", ... (libseccomp names); NULL = native */
	struct bspec_seccomp_rule *rules;
	size_t nrules;
	unsigned flags;	 /* SECCOMP_FILTER_FLAG_* */
};

enum bspec_seccomp_mode {
	BSECCOMP_DEFAULT,    /* the built-in Docker-equivalent profile */
	BSECCOMP_UNCONFINED, /* no filter */
	BSECCOMP_CUSTOM,     /* spec->seccomp */
};

struct bspec_caps {
	uint64_t bounding, effective, permitted, inheritable, ambient; /* bit N = CAP number N */
};

struct bspec_process {
	char **args;	/* args[0] looked up in PATH inside the container if no '/' */
	char **env;	/* "K=V" */
	char *cwd;	/* default "/" */
	uid_t uid;
	gid_t gid;
	gid_t *groups;	/* additional gids */
	size_t ngroups;
	bool terminal;	/* allocate a pty; the master goes back to the caller */
	bool no_new_privs;
	struct bspec_caps caps;
	struct bspec_rlimit *rlimits;
	size_t nrlimits;
	int oom_score_adj;
	bool oom_score_adj_set;
	enum bspec_seccomp_mode seccomp_mode;
	struct bspec_seccomp *seccomp; /* for BSECCOMP_CUSTOM */
	char *apparmor_profile, *selinux_label; /* accepted only when NULL (not supported) */
};

struct bspec_cgroup {
	char *path;	      /* relative to the cgroup2 mount; NULL = <parent>/<id> */
	int64_t memory_max;    /* bytes, BSPEC_UNSET = no limit */
	int64_t memory_high;
	int64_t memory_swap_max;
	int64_t memory_low;
	int64_t cpu_quota_us;  /* cpu.max quota; BSPEC_UNSET = max */
	int64_t cpu_period_us; /* default 100000 */
	int64_t cpu_weight;    /* 1..10000 */
	int64_t pids_max;
	int64_t io_weight;     /* 1..10000 */
	char *cpuset_cpus, *cpuset_mems;
	struct bspec_devrule *devrules; /* eBPF device program; NULL = default policy */
	size_t ndevrules;
	char **unified;	/* "file=value" pairs written as is (OCI linux.resources.unified) */
};

struct bspec {
	char *id;		/* container name: [A-Za-z0-9][A-Za-z0-9_.-]*, <= 64 */

	/* root filesystem: a plain directory, or an overlay */
	char *rootfs;		/* directory (or overlay mount point when lowers are set) */
	char **rootfs_lowers;	/* overlay lower dirs, top first */
	char *rootfs_upper, *rootfs_work;
	bool readonly_rootfs;
	unsigned long rootfs_propagation; /* MS_PRIVATE (default), MS_SLAVE, MS_SHARED */
	bool no_pivot;		/* MS_MOVE + chroot instead of pivot_root (initramfs) */

	struct bspec_process process;
	char *hostname, *domainname;

	struct bspec_ns ns[BNS_COUNT];
	struct bspec_idmap *uid_map, *gid_map;
	size_t nuid_map, ngid_map;

	struct bspec_mount *mounts;	/* after the defaults, in order */
	size_t nmounts;
	bool no_default_mounts;	/* OCI: only what config.json lists */
	struct bspec_device *devices;	/* nodes created (or bound) in /dev */
	size_t ndevices;

	char **masked_paths;	/* NULL = the Docker defaults; empty vector = none */
	char **readonly_paths;	/* NULL = the Docker defaults */
	bool masked_paths_set, readonly_paths_set;

	/* files the caller provides, bind-mounted read-only over /etc/... */
	char *etc_hostname, *etc_hosts, *etc_resolv_conf;

	struct bspec_sysctl *sysctls;
	size_t nsysctls;

	struct bspec_cgroup cgroup;

	bool init;		/* run a tiny init as pid 1 that reaps zombies and forwards signals */
	int stop_signal;	/* default SIGTERM */
	char **annotations;	/* "k=v", carried to state */
};

/* A spec with Docker-grade defaults: new mount/pid/uts/ipc/net/cgroup
 * namespaces, Docker's 14 capabilities, no_new_privs, the default seccomp
 * profile, default masked/read-only paths, uid 0, cwd "/", PATH/TERM/HOME
 * env, no limits. NULL on ENOMEM. */
struct bspec *bspec_new_default(void);
/* Bit mask of Docker's 14 default capabilities. */
uint64_t bspec_default_caps(void);
void bspec_free(struct bspec *spec);

/* No mount namespace created nor joined: the container shares the
 * runtime's (OCI config.json without a "mount" entry). */
static inline bool bspec_mount_ns_inherited(const struct bspec *s)
{
	return !s->ns[BNS_MOUNT].create && s->ns[BNS_MOUNT].join_fd < 0 &&
	       !s->ns[BNS_MOUNT].join_path;
}

#endif
