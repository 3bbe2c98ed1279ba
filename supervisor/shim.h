/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The per-container shim (docs/decisions/supervisor-adoption.md): a small
 * process forked by the daemon, in its own session, that
 *   - creates the container (runtime's container_run) and is its parent,
 *   - reports "ok PID" or "err MESSAGE" on the sync pipe, then closes it,
 *   - copies the container's stdout/stderr to its rotating log file,
 *   - when the container exits, writes "STATUS OOM" atomically to
 *     EXITS_DIR/ID, deletes the container, and exits.
 * It outlives a daemon killed with -9: the restarted daemon finds it by
 * pid + start time and waits for it again with a pidfd. */
#ifndef BERTH_SUPERVISOR_SHIM_H
#define BERTH_SUPERVISOR_SHIM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"
#include "runtime/spec.h"

struct shim_args {
	const char *run_dir;	/* the runtime's state root */
	const char *exits_dir;	/* where the exit record goes */
	const char *log_dir;
	uint64_t log_max;
	unsigned log_files;
	const char *owned_dir;	/* ROOT/containers/ID: the runtime removes it on delete */
};

/* Fork the shim for SPEC. *ret_sync is the read end of the sync pipe
 * (O_NONBLOCK|O_CLOEXEC); the caller owns it and reaps *ret_pid. */
int shim_spawn(const struct bspec *spec, const struct shim_args *a, pid_t *ret_pid, int *ret_sync,
	       berr *err);

/* Parse a line from the sync pipe: 1 + *ret_pid on "ok", 0 + message in
 * ERR on "err", -EAGAIN when incomplete. */
int shim_parse_sync(const char *buf, pid_t *ret_pid, berr *err);

/* Read and remove the exit record of ID: 0, -ENOENT when absent. */
int shim_read_exit(const char *exits_dir, const char *id, int *ret_status, bool *ret_oom);

#endif
