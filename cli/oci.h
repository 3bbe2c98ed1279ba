/* SPDX-License-Identifier: GPL-2.0-or-later */
/* berth-oci internals: shared by cli/oci*.c only. */
#ifndef BERTH_CLI_OCI_H
#define BERTH_CLI_OCI_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/oci_config.h"
#include "lib/err.h"
#include "runtime/container.h"

#define OCI_SPEC_VERSION "1.1.0"
#define OCI_EXIT_FAIL 1 /* runc exits 1 on any error */

struct oci_ctx {
	const char *prog;     /* "berth-oci" or "berth oci" */
	char *root;	      /* --root: the runtime's state directory */
	const char *log_path; /* --log */
	bool log_json;	      /* --log-format json */
	bool debug;
	bool no_cgroups;      /* --cgroup-manager disabled */
};

/* One error line on stderr and, with --log, in the log file in the
 * requested format. Returns OCI_EXIT_FAIL. */
int oci_fail(const struct oci_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void oci_warn(const struct oci_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void oci_debug(const struct oci_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* PID exited but was not reaped yet */
bool oci_pid_is_zombie(pid_t pid);
/* container_state_load() plus: a zombie payload counts as stopped. */
int oci_state_load(const struct oci_ctx *ctx, const char *id, struct container_state **ret,
		   berr *err);

/* State JSON as `runc state` prints it; STATUS overrides the recorded one
 * when not NULL (hooks get "creating"/"stopped"). Caller frees. */
char *oci_state_json(const struct container_state *st, const char *status, bool pretty);

/* The copy of config.json kept for start/delete (hooks): ROOT/configs/ID.json */
int oci_saved_config_write(const struct oci_ctx *ctx, const char *id, const char *text, size_t len,
			   berr *err);
int oci_saved_config_load(const struct oci_ctx *ctx, const char *id, struct oci_config **ret,
			  berr *err);
void oci_saved_config_remove(const struct oci_ctx *ctx, const char *id);

/* Run the hooks of KIND in order; with IN_CONTAINER they run in the
 * namespaces of PID (the path is opened in the runtime's namespace first).
 * Stops at the first failure. */
int oci_hooks_run(const struct oci_config *cfg, enum oci_hook_kind kind, const char *state_json,
		  pid_t pid, bool in_container, berr *err);

/* poststart/poststop: every hook runs; a failure is a warning (OCI lifecycle). */
void oci_hooks_run_warn(const struct oci_ctx *ctx, const struct oci_config *cfg,
			enum oci_hook_kind kind, const char *state_json);

int oci_cmd_create(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_run(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_start(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_state(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_kill(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_delete(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_exec(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_list(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_ps(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_features(struct oci_ctx *ctx, int argc, char **argv);
int oci_cmd_spec(struct oci_ctx *ctx, int argc, char **argv);

/* Send the pty MASTER to the unix socket PATH (SCM_RIGHTS). */
int oci_console_send(const char *path, int master, berr *err);

/* signal name ("KILL", "SIGKILL", "9") -> number, -1 if unknown */
int oci_parse_signal(const char *s);

#endif
