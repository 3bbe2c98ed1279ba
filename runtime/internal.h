/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private interfaces between the runtime/ files. Nothing outside runtime/
 * includes this. */
#ifndef BERTH_RUNTIME_INTERNAL_H
#define BERTH_RUNTIME_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"
#include "lib/kconfig.h"
#include "runtime/container.h"
#include "runtime/spec.h"

struct seccomp_prog;

/* ---- sync.c: parent <-> child messages over a SOCK_SEQPACKET pair ---- */
enum sync_type {
	SYNC_MAPS_DONE = 1, /* parent -> child: uid/gid maps written */
	SYNC_READY,	    /* child -> parent: set up, waiting for GO (payload: pty master?) */
	SYNC_GO,	    /* parent -> child: exec now */
	SYNC_ERROR,	    /* child -> parent: code + message */
	SYNC_PID,	    /* grandchild pid (exec into a pid namespace) */
	SYNC_USERNS,	    /* child -> parent: user namespace made, write the maps */
};
struct sync_msg {
	int type;
	int code; /* errno for SYNC_ERROR, pid for SYNC_PID */
	char msg[BERR_MSG_MAX];
};
/* Send a message, with FD attached when >= 0. */
int sync_send(int sock, int type, int code, const char *msg, int fd);
/* Receive one message (and an attached fd into *ret_fd if not NULL, else
 * it is closed). -EPIPE on EOF. */
int sync_recv(int sock, struct sync_msg *m, int *ret_fd);
/* Receive and expect TYPE; a SYNC_ERROR becomes ERR. */
int sync_expect(int sock, int type, int *ret_fd, berr *err);
/* Child side: report ERR to the parent. */
void sync_send_error(int sock, const berr *err);

/* ---- mounts.c: everything in the container's mount namespace ---- */
/* Build the root (overlay or bind), default mounts, user mounts, devices,
 * /etc files, masked and read-only paths, sysctls, then pivot_root. */
int rootfs_setup(const struct bspec *spec, berr *err);

/* ---- process.c: the last steps before execve ---- */
/* Drop to PROC's credentials and capabilities, no_new_privs, seccomp. */
int process_apply_security(const struct bspec_process *proc, const struct seccomp_prog *prog,
			   berr *err);
/* rlimits and oom_score_adj (as root, before credentials change). */
int process_apply_limits(const struct bspec_process *proc, berr *err);
/* chdir to PROC's cwd and make sure it is inside the container root. */
int process_enter_cwd(const struct bspec_process *proc, berr *err);
/* Mark every fd >= FIRST close-on-exec. */
void process_cloexec_from(int first);
/* PATH lookup inside the container and execve; only returns on failure,
 * after printing the reason on fd 2: the exit code to use (126/127). */
int process_exec(const struct bspec_process *proc);
/* Put STDIO[0..2] (-1 = keep) on fds 0..2 (child side). */
int process_setup_stdio(const int stdio[3], berr *err);
/* Default dispositions and an empty mask (child side, before exec). */
void process_reset_signals(void);
/* Bring the loopback interface of a new network namespace up. */
int process_loopback_up(berr *err);
/* Tiny init as pid 1: fork, the child returns 0 and goes on to exec; the
 * parent forwards signals, reaps everything, and exits with the payload's
 * status. Returns only in the child (0) or on error (-errno). */
int process_run_init(void);

/* ---- caps.c ---- */
int cap_last(void);
/* Apply CAPS (bounding, then the sets, then ambient) for the current uid. */
int caps_apply(const struct bspec_caps *caps, berr *err);
int caps_drop_bounding(uint64_t keep, berr *err);

/* ---- pty.c ---- */
/* Open a pty inside the container (/dev/ptmx after pivot_root): returns the
 * master in *ret_master and the slave in *ret_slave. */
int pty_open(int *ret_master, int *ret_slave, berr *err);
/* Bind the pty of MASTER over /dev/console (our own /dev tmpfs). */
int pty_bind_console(int master, berr *err);
/* Make SLAVE the controlling terminal and stdio of this process. */
int pty_make_controlling(int slave, berr *err);
/* Send FD over the unix socket at PATH (OCI --console-socket). */
int pty_send_to_socket(const char *path, int fd, berr *err);

/* ---- state.c ---- */
/* The compiled custom seccomp program in a container's state dir (exec). */
#define SECCOMP_SAVED "seccomp.bpf"
/* RUN_DIR/containers (created 0700) as an O_DIRECTORY fd. */
int state_root_open(const char *run_dir, bool create, berr *err);
/* Write ST atomically to RUN_DIR/containers/ID/state. */
int state_save(int dirfd, const struct container_state *st, berr *err);
int state_parse(const char *text, struct container_state **ret, berr *err);
char *state_format(const struct container_state *st);
/* /proc/PID/stat starttime; 0 when the process is gone. */
/* PID alive with START? */
bool proc_alive(pid_t pid, unsigned long long start);
/* A pidfd for ST's pid 1 if it is still the same process, else -ESRCH. */
int state_pidfd(const struct container_state *st, berr *err);
/* Record an exit in the state dir of ID (best effort on a missing state). */
int state_record_exit(const char *run_dir, const char *id, int status, bool oom, berr *err);

/* ---- userns*.c (CONFIG_USERNS) ---- */
#if IS_ENABLED(CONFIG_USERNS)
/* Write SPEC's uid/gid maps for PID (parent side, before SYNC_MAPS_DONE). */
int userns_write_maps(pid_t pid, const struct bspec *spec, berr *err);
#else
static inline int userns_write_maps(pid_t pid, const struct bspec *spec, berr *err)
{
	(void)pid, (void)spec;
	return berr_fail(err, ENOTSUP,
			 "This berth was built without user namespaces (CONFIG_USERNS)");
}
#endif

/* ---- small syscall wrappers (syscalls.c) ---- */
int sys_pidfd_open(pid_t pid);
int sys_pidfd_send_signal(int pidfd, int sig);
int64_t now_realtime_s(void);

#endif
