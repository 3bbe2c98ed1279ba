/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One container's lifecycle: the public API of runtime/ for the CLI
 * (`berth run/exec/ps/stop/kill/rm`), the OCI front end (`berth-oci
 * create/start/state/kill/delete/exec/list`) and the supervisor.
 *
 * Lifecycle (OCI states):
 *
 *   container_create()  -> "created": namespaces (the user namespace
 *                          last), cgroup, rootfs, mounts, pivot_root,
 *                          hostname, limits and the pty are set up; the
 *                          container's process is blocked on the exec fifo.
 *                          After start it drops to the spec's credentials,
 *                          capabilities, no_new_privs and seccomp, and
 *                          execs. State is written to
 *                          RUN_DIR/containers/ID/state.
 *   container_start()   -> "running": releases the blocked process. May be
 *                          called from ANOTHER process than the creator (it
 *                          opens the exec fifo RUN_DIR/containers/ID/exec.fifo,
 *                          as runc does).
 *   container_wait()    -> "stopped": exit status via the pidfd; records it
 *                          in the state file.
 *   container_delete()  -> kills what is left (force), destroys the cgroup,
 *                          removes the overlay upper/work dirs berth created
 *                          and the state directory.
 *
 * container_run() is create + start in one go without the fifo (the fast
 * path of `berth run`).
 *
 * Who watches a detached container: container_run_detached() (see
 * docs/decisions/runtime-monitor.md). A tiny process, child of nobody
 * interesting (setsid, reparented to init or the nearest subreaper), that
 * is the real parent of the container's pid 1, holds its pidfd, writes the
 * exit status into the state atomically and removes the container when
 * asked to (--rm). Its pid and start time are in the state
 * (monitor_pid/monitor_start) so a restarted supervisor can find it again.
 *
 * Processes of berth that enter a container are non-dumpable until
 * execve; commands that create or enter containers call
 * runtime_protect_exe() first (CVE-2019-5736).
 *
 * No host mount is ever created: the overlay and every other mount is made
 * inside the container's own mount namespace, which dies with its last
 * process. Exceptions the caller asks for: a joined mount namespace (set up
 * and pivoted like a new one), and an inherited one (spec->ns[BNS_MOUNT]
 * neither created nor joined, OCI only): the mounts are stacked on a bind
 * of rootfs in the caller's namespace, the payload is chroot'ed, and
 * container_delete() detaches the bind (state host_mounts).
 *
 * Errors: every function returns 0 or -errno and fills ERR with a one-line
 * message naming the item and the cause; errors that happen inside the
 * container's process while it is being set up travel back over the sync
 * socket, so the message is the real cause. On failure of
 * container_create()/container_run() nothing is left behind (no state, no
 * cgroup, no process, no mount).
 */
#ifndef BERTH_RUNTIME_CONTAINER_H
#define BERTH_RUNTIME_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"
#include "runtime/spec.h"

/* Exit codes of a payload that could not be started (as Docker/sh). */
#define CONTAINER_EXIT_CANNOT_EXEC 126
#define CONTAINER_EXIT_NOT_FOUND   127

enum container_status {
	CONTAINER_CREATING,
	CONTAINER_CREATED,
	CONTAINER_RUNNING,
	CONTAINER_STOPPED,
};

/* How the caller wants the container started. All fields optional (zero
 * them, then set what you need; fds default to -1 via container_opts_init). */
struct container_opts {
	const char *run_dir; /* state root; required. State in RUN_DIR/containers/ID */
	const char *bundle;  /* recorded in the state (OCI); may be NULL */
	int stdio[3];	     /* payload's stdin/stdout/stderr; -1 = the caller's own */
	int preserve_fds;    /* keep fds 3..3+N-1 open in the payload (OCI --preserve-fds) */
	/* Terminal (spec->process.terminal): the pty master goes to
	 * console_socket (OCI: a unix socket path, master sent with SCM_RIGHTS)
	 * or, when NULL, back to the caller in container->pty_master. */
	const char *console_socket;
	bool create_only;     /* container_create: stop at "created" (the exec fifo) */
	bool detached;	      /* nobody will wait in this process: no SIGCHLD games */
	const char *pid_file; /* write the payload's host pid here (OCI --pid-file) */
	bool remove_on_exit;  /* recorded in the state: the monitor deletes it (--rm) */
	/* A directory the caller made for this container (overlay upper, work
	 * and mount point). Ownership passes to the runtime: it is removed by
	 * container_delete(), and by container_create() when that fails. */
	const char *owned_dir;
};

void container_opts_init(struct container_opts *opts);

/* A container this process created (or opened). Owned by the caller,
 * released with container_free() (which closes fds but does not kill). */
struct container {
	char *id;
	char *run_dir;
	pid_t pid;		       /* host pid of the container's pid 1 */
	int pidfd;		       /* pidfd of pid (O_CLOEXEC); -1 when not available */
	int pty_master;		       /* pty master when terminal and no console socket, else -1 */
	struct cgroup *cgroup;	       /* NULL when the host has no usable cgroup v2 */
	unsigned long long start_time; /* /proc/PID/stat field 22 (pid reuse guard) */
};

/* Create SPEC's container; see the lifecycle above. SPEC is only read and
 * may be freed after return. *ret is owned by the caller. */
int container_create(const struct bspec *spec, const struct container_opts *opts,
		     struct container **ret, berr *err);
/* Release a container created with create_only, from any process. */
int container_start(const char *run_dir, const char *id, berr *err);
/* create + start without the fifo (what `berth run` does). */
int container_run(const struct bspec *spec, const struct container_opts *opts,
		  struct container **ret, berr *err);

/* Wait for C's pid 1 (pidfd; only the parent can reap it). *ret_status is
 * the exit code, or 128+signal; *ret_oom is true when the cgroup saw an OOM
 * kill (ret_oom may be NULL). The result is recorded in the state file. */
int container_wait(struct container *c, int *ret_status, bool *ret_oom, berr *err);
void container_free(struct container *c);

/* Send SIG to the container's pid 1, or with ALL to every process in it
 * (cgroup.kill for SIGKILL when there is a cgroup, else its pid namespace
 * goes with pid 1). A stopped container is -ESRCH with a clear message. */
int container_kill(const char *run_dir, const char *id, int sig, bool all, berr *err);

/* Remove a stopped container: cgroup, overlay dirs berth made, state.
 * FORCE kills a running one first (SIGKILL) and waits for it to die. */
int container_delete(const char *run_dir, const char *id, bool force, berr *err);

/* Run PROC inside the running container ID: joins all its namespaces (the
 * user namespace first), its cgroup, and applies PROC's credentials, caps,
 * no_new_privs and seccomp; the joining process is non-dumpable until
 * execve (CVE-2019-5736). Use container_exec_process() to start from the
 * container's own security settings. ret_pid and ret_pidfd (either may be
 * NULL) are the new process; the caller reaps it. ret_pty_master when
 * proc->terminal and no console socket (else -1; may be NULL). */
int container_exec(const char *run_dir, const char *id, const struct bspec_process *proc,
		   const struct container_opts *opts, pid_t *ret_pid, int *ret_pidfd,
		   int *ret_pty_master, berr *err);

/* What was recorded about a container, plus its live status. */
struct container_state {
	char *id;
	enum container_status status;
	pid_t pid;		       /* 0 when never started */
	unsigned long long start_time; /* of pid, for reuse detection */
	char *bundle;
	char *rootfs;
	char *cgroup_path; /* relative to the cgroup2 mount; NULL = none */
	int64_t created;   /* CLOCK_REALTIME seconds (display only) */
	int exit_status;   /* valid when status == STOPPED and exited */
	bool exited;	   /* exit_status was recorded */
	bool oom_killed;
	bool remove_on_exit; /* --rm */
	pid_t monitor_pid;   /* 0 = none */
	unsigned long long monitor_start;
	char **args;	    /* the payload's argv (display) */
	char **annotations; /* "k=v" */
	/* security of the container's pid 1, reused by exec */
	struct bspec_caps caps;
	bool no_new_privs;
	enum bspec_seccomp_mode seccomp_mode;
	uid_t uid;
	gid_t gid;
	bool userns;	  /* has its own user namespace */
	/* shares the runtime's mount namespace (OCI: no "mount" entry): its
	 * mounts are stacked on a bind of rootfs there, detached at delete */
	bool host_mounts;
	char *owned_dirs; /* dir berth created for the overlay (removed on delete); NULL = none */
};

/* Load ID's state and compute its live status (pid alive with the same
 * start time?). -ENOENT with "No such container: ID" when absent.
 * Caller owns *ret (container_state_free). */
int container_state_load(const char *run_dir, const char *id, struct container_state **ret,
			 berr *err);
/* All containers under RUN_DIR, sorted by id; *ret is NULL-terminated and
 * owned by the caller (container_state_list_free). */
int container_state_list(const char *run_dir, struct container_state ***ret, berr *err);
void container_state_free(struct container_state *st);
void container_state_list_free(struct container_state **list);
const char *container_status_name(enum container_status s); /* "created", "running"... */

/* A bspec_process for exec that carries the container's own security
 * settings (caps, nnp, seccomp mode, uid/gid) and its PATH; ARGS copied.
 * Caller owns *ret (free with container_process_free). */
int container_exec_process(const struct container_state *st, char *const *args,
			   struct bspec_process **ret, berr *err);
void container_process_free(struct bspec_process *p);

/* Detached mode: fork a monitor that runs SPEC, waits for it and records
 * the exit status (deleting the container when opts->remove_on_exit). Returns
 * once the container is running (or failed to start: ERR holds the real
 * cause and nothing is left). The monitor's stdio is /dev/null; the
 * payload's is opts->stdio (default /dev/null). */
int container_run_detached(const struct bspec *spec, const struct container_opts *opts,
			   pid_t *ret_pid, berr *err);

/* CVE-2019-5736: call first thing in every command that creates or
 * enters a container (run, exec, OCI create/run/exec, the daemon). When
 * berth's binary is on a writable mount and this process is not already a
 * sealed memfd copy, re-executes this process (same argv and environment)
 * from a sealed memfd copy of itself: it does not return then. Returns 0
 * when nothing had to be done (read-only binary: no cost), or -errno. */
int runtime_protect_exe(berr *err);

/* Start time of PID (field 22 of /proc/PID/stat), 0 when gone or a zombie:
 * with the pid it names a process without pid-reuse confusion. */
unsigned long long proc_start_time(pid_t pid);
bool runtime_exe_is_protected(void);

/* Helpers for the front ends (CLI flags, OCI config.json). */
/* "CAP_NET_ADMIN", "net_admin" (any case), or "ALL" (-> -1). 0 or -EINVAL. */
int cap_parse_name(const char *name, int *ret_cap);
/* "CAP_CHOWN" for 0; NULL when unknown. Static storage. */
const char *cap_name_of(int cap);
/* Split mount options ("ro,nosuid,rbind,rprivate,size=64m,mode=1777") into
 * MS_* flags, propagation (MS_PRIVATE|MS_REC...; 0 = none given) and the
 * remaining file-system data (NULL when none; caller frees). 0 or -ENOMEM. */
int mount_options_parse(const char *opts, unsigned long *ret_flags, unsigned long *ret_prop,
			char **ret_data);

/* Validate a container name: [A-Za-z0-9][A-Za-z0-9_.-]{0,63}. */
bool container_id_valid(const char *id);
/* Generate a random 12-hex-digit id into BUF. */
void container_id_random(char buf[static 13]);

#endif
