// SPDX-License-Identifier: GPL-2.0-or-later
/* The built-in seccomp profile: Docker's (moby/profiles seccomp/default.json)
 * expressed as a struct bspec_seccomp, so the default and custom profiles go
 * through one compiler. Capability-conditional rules look at the bounding
 * set, as Docker does. */
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdlib.h>

#include "lib/cleanup.h"
#include "runtime/seccomp_internal.h"

#define N(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Allowed for everybody (Docker's first block, minus io_uring_* which Docker
 * removed in 25.0) */
static const char *const allow_base[] = {
    "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat", "capget",
    "capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64",
    "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep",
    "clock_nanosleep_time64", "close", "close_range", "connect", "copy_file_range", "creat", "dup",
    "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
    "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat",
    "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate",
    "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat",
    "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr",
    "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate",
    "ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv",
    "futex_wake", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "getegid32",
    "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getitimer",
    "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority", "getrandom",
    "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit", "get_robust_list",
    "getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid", "gettimeofday",
    "getuid", "getuid32", "getxattr", "getxattrat", "inotify_add_watch", "inotify_init",
    "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents",
    "io_pgetevents", "io_pgetevents_time64", "ioprio_get", "ioprio_set", "io_setup", "io_submit",
    "ipc", "kill", "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
    "lchown", "lchown32", "lgetxattr", "link", "linkat", "listen", "listmount", "listxattr",
    "listxattrat", "llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat",
    "lstat64", "madvise", "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret",
    "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap",
    "mmap2", "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
    "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap", "mseal",
    "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap",
    "name_to_handle_at", "nanosleep", "newfstatat", "_newselect", "open", "openat", "openat2",
    "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free",
    "pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2",
    "prlimit64", "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev",
    "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom",
    "recvmmsg", "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "removexattrat",
    "rename", "renameat", "renameat2", "restart_syscall", "riscv_hwprobe", "rmdir", "rseq",
    "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
    "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo",
    "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max",
    "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval",
    "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr", "sched_setparam",
    "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl", "semget", "semop",
    "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg",
    "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups",
    "setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32", "setresgid",
    "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit",
    "set_robust_list", "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid",
    "setuid32", "setxattr", "setxattrat", "shmat", "shmctl", "shmdt", "shmget", "shutdown",
    "sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn", "socketcall", "socketpair",
    "splice", "stat", "stat64", "statfs", "statfs64", "statmount", "statx", "symlink", "symlinkat",
    "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create",
    "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
    "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
    "timerfd_settime64", "times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname",
    "unlink", "unlinkat", "uretprobe", "utime", "utimensat", "utimensat_time64", "utimes", "vfork",
    "vmsplice", "wait4", "waitid", "waitpid", "write", "writev",
    /* arch specific: libseccomp resolves each only where it exists */
    "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush",
    "set_tls", "arch_prctl", "modify_ldt", NULL};

const char *const seccomp_default_denied[] = {"add_key",
					      "keyctl",
					      "request_key",
					      "kexec_load",
					      "kexec_file_load",
					      "init_module",
					      "finit_module",
					      "delete_module",
					      "userfaultfd",
					      "io_uring_setup",
					      "io_uring_enter",
					      "io_uring_register",
					      "swapon",
					      "swapoff",
					      "mount",
					      "umount2",
					      "unshare",
					      "setns",
					      "bpf",
					      "perf_event_open",
					      "fsopen",
					      "fsmount",
					      "fsconfig",
					      "fspick",
					      "move_mount",
					      "open_tree",
					      "mount_setattr",
					      "pivot_root",
					      "reboot",
					      "acct",
					      "iopl",
					      "ioperm",
					      "settimeofday",
					      "clock_settime",
					      "open_by_handle_at",
					      "lookup_dcookie",
					      "quotactl",
					      "syslog",
					      "vhangup",
					      "kcmp",
					      "pidfd_getfd",
					      "process_madvise",
					      "nfsservctl",
					      "create_module",
					      "get_kernel_syms",
					      "query_module",
					      "uselib",
					      "ustat",
					      "sysfs",
					      "_sysctl",
					      "vm86",
					      "vm86old",
					      NULL};

struct prof_rule {
	const char *const *names;
	int cap_incl, cap_excl; /* -1: none */
	enum bsec_action action;
	int errno_ret;
	bool has_arg;
	struct bspec_seccomp_arg arg;
};

#define ARG(i, o, v, v2) \
	.has_arg = true, .arg = {.index = (i), .op = (o), .value = (v), .value2 = (v2)}
#define NS_FLAGS                                                                                   \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
	 CLONE_NEWCGROUP)
#define AF_ALG_	  38
#define AF_VSOCK_ 40

static const struct prof_rule rules[] = {
    {allow_base, -1, -1, BSEC_ALLOW, 0, false, {0}},
    /* AF_ALG and AF_VSOCK refused: libseccomp allows one comparison per arg */
    {N("socket"), -1, -1, BSEC_ALLOW, 0, ARG(0, BSEC_OP_LT, AF_ALG_, 0)},
    {N("socket"), -1, -1, BSEC_ALLOW, 0, ARG(0, BSEC_OP_EQ, AF_ALG_ + 1, 0)},
    {N("socket"), -1, -1, BSEC_ALLOW, 0, ARG(0, BSEC_OP_GT, AF_VSOCK_, 0)},
    {N("personality"), -1, -1, BSEC_ALLOW, 0, ARG(0, BSEC_OP_EQ, 0x0, 0)},
    {N("personality"), -1, -1, BSEC_ALLOW, 0, ARG(0, BSEC_OP_EQ, 0x0008, 0)},
    {N("personality"), -1, -1, BSEC_ALLOW, 0, ARG(0, BSEC_OP_EQ, 0x20000, 0)},
    {N("personality"), -1, -1, BSEC_ALLOW, 0, ARG(0, BSEC_OP_EQ, 0x20008, 0)},
    {N("personality"), -1, -1, BSEC_ALLOW, 0, ARG(0, BSEC_OP_EQ, 0xffffffff, 0)},
    {N("open_by_handle_at"), CAP_DAC_READ_SEARCH, -1, BSEC_ALLOW, 0, false, {0}},
    {N("bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
       "lookup_dcookie", "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr", "mount",
       "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
       "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare"),
     CAP_SYS_ADMIN,
     -1,
     BSEC_ALLOW,
     0,
     false,
     {0}},
    {N("clone"), -1, CAP_SYS_ADMIN, BSEC_ALLOW, 0, ARG(0, BSEC_OP_MASKED_EQ, NS_FLAGS, 0)},
    {N("clone3"), -1, CAP_SYS_ADMIN, BSEC_ERRNO, ENOSYS, false, {0}},
    {N("reboot"), CAP_SYS_BOOT, -1, BSEC_ALLOW, 0, false, {0}},
    {N("chroot"), CAP_SYS_CHROOT, -1, BSEC_ALLOW, 0, false, {0}},
    {N("delete_module", "init_module", "finit_module"),
     CAP_SYS_MODULE,
     -1,
     BSEC_ALLOW,
     0,
     false,
     {0}},
    {N("acct"), CAP_SYS_PACCT, -1, BSEC_ALLOW, 0, false, {0}},
    {N("kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"),
     CAP_SYS_PTRACE,
     -1,
     BSEC_ALLOW,
     0,
     false,
     {0}},
    {N("iopl", "ioperm"), CAP_SYS_RAWIO, -1, BSEC_ALLOW, 0, false, {0}},
    {N("settimeofday", "stime", "clock_settime", "clock_settime64"),
     CAP_SYS_TIME,
     -1,
     BSEC_ALLOW,
     0,
     false,
     {0}},
    {N("vhangup"), CAP_SYS_TTY_CONFIG, -1, BSEC_ALLOW, 0, false, {0}},
    {N("get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"),
     CAP_SYS_NICE,
     -1,
     BSEC_ALLOW,
     0,
     false,
     {0}},
    {N("syslog"), CAP_SYSLOG, -1, BSEC_ALLOW, 0, false, {0}},
    {N("bpf"), CAP_BPF, -1, BSEC_ALLOW, 0, false, {0}},
    {N("perf_event_open"), CAP_PERFMON, -1, BSEC_ALLOW, 0, false, {0}},
};

/* ptrace and friends for everybody, but only where ptrace cannot be used to
 * bypass seccomp (kernel >= 4.8) */
static const char *const allow_ptrace[] = {"process_vm_readv", "process_vm_writev", "ptrace", NULL};

static bool has_cap(uint64_t bounding, int cap)
{
	return cap >= 0 && cap < 64 && (bounding & (1ULL << cap));
}

static bool rule_applies(const struct prof_rule *r, uint64_t bounding)
{
	if (r->cap_incl >= 0 && !has_cap(bounding, r->cap_incl))
		return false;
	if (r->cap_excl >= 0 && has_cap(bounding, r->cap_excl))
		return false;
	return true;
}

static void add_rule(struct bspec_seccomp *sc, const char *const *names, enum bsec_action action,
		     int errno_ret, const struct bspec_seccomp_arg *arg)
{
	struct bspec_seccomp_rule *r = &sc->rules[sc->nrules++];
	r->names = (char **)names; /* static tables: see seccomp_default_profile_free() */
	r->action = action;
	r->errno_ret = errno_ret;
	if (arg) {
		r->args = (struct bspec_seccomp_arg *)arg;
		r->nargs = 1;
	}
}

uint64_t seccomp_profile_cap_mask(void)
{
	uint64_t m = 0;
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		if (rules[i].cap_incl >= 0)
			m |= 1ULL << rules[i].cap_incl;
		if (rules[i].cap_excl >= 0)
			m |= 1ULL << rules[i].cap_excl;
	}
	return m;
}

struct bspec_seccomp *seccomp_default_profile(uint64_t bounding, bool ptrace_ok)
{
	struct bspec_seccomp *sc = calloc(1, sizeof(*sc));
	if (!sc)
		return NULL;
	sc->rules = calloc(ARRAY_SIZE(rules) + 2, sizeof(*sc->rules));
	if (!sc->rules) {
		free(sc);
		return NULL;
	}
	sc->default_action = BSEC_ERRNO;
	sc->default_errno = EPERM;
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		const struct prof_rule *r = &rules[i];
		if (rule_applies(r, bounding))
			add_rule(sc, r->names, r->action, r->errno_ret,
				 r->has_arg ? &r->arg : NULL);
	}
	if (ptrace_ok)
		add_rule(sc, allow_ptrace, BSEC_ALLOW, 0, NULL);
	/* Named for the ENOSYS stub's "highest known syscall"; same action as
	 * the default, so the compiler adds no rule for them. */
	add_rule(sc, seccomp_default_denied, BSEC_ERRNO, EPERM, NULL);
	return sc;
}

void seccomp_default_profile_free(struct bspec_seccomp *sc)
{
	if (!sc)
		return;
	free(sc->rules);
	free(sc);
}
