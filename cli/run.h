/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between the container commands of the CLI (run, exec, ps, stop,
 * kill, rm). */
#ifndef BERTH_CLI_RUN_H
#define BERTH_CLI_RUN_H

#include <stdbool.h>
#include <sys/types.h>

#include "lib/err.h"
#include "runtime/spec.h"

/* Until the process behind PIDFD exits, forward the usual signals to it;
 * with a pty MASTER (>= 0) relay our stdin/stdout to it in raw mode and
 * follow the window size. Does not reap. */
void cli_wait_forward(int pidfd, pid_t pid, int master);
/* Reap our child: exit status, 128+signal, or -errno. */
int cli_reap(int pidfd, pid_t pid);
/* Block the signals cli_wait_forward() handles (call before creating the
 * child so none is lost; children reset their mask). */
void cli_block_signals(void);
/* runtime_protect_exe() with the error logged: 0, or -1 (exit 125). */
int cli_protect_exe(void);
/* "KILL", "SIGKILL", "9" -> 9; -1 when unknown. */
int cli_parse_signal(const char *s);
/* -u USER[:GROUP] with names looked up in ROOTFS/etc/passwd and
 * /etc/group (resolved inside ROOTFS); fills proc uid/gid/groups and sets
 * *ret_home (malloc'ed, may be NULL). */
int cli_parse_user(const char *spec, const char *rootfs, struct bspec_process *proc,
		   char **ret_home, berr *err);

#endif
