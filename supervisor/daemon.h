/* SPDX-License-Identifier: GPL-2.0-or-later */
/* berth daemon: keeps the pods of a directory running (docs/berthd.md). */
#ifndef BERTH_SUPERVISOR_DAEMON_H
#define BERTH_SUPERVISOR_DAEMON_H

#include <stdbool.h>

#include "lib/err.h"

struct daemon_opts {
	const char *root;	/* state root (images, volumes) */
	const char *run_dir;	/* runtime state, control socket, logs */
	const char *pods_dir;	/* *.pod specs */
	const char *log_dir;	/* NULL = RUN_DIR/logs */
	int ready_fd;		/* written and closed once serving (-1: none) */
	const char *watchdog;	/* hardware watchdog device, NULL = none */
	unsigned watchdog_timeout_s; /* 0 = 15 */
};

/* Run until SIGTERM/SIGINT has stopped every pod. */
int daemon_run(const struct daemon_opts *o, berr *err);

#endif
