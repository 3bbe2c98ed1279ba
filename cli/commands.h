/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Commands of the multi-call binary. A command whose part is compiled out
 * gets a static inline stub that says which option removed it. */
#ifndef BERTH_CLI_COMMANDS_H
#define BERTH_CLI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/kconfig.h"

/* Exit codes, as Docker's: 125 berth failed, 126 cannot execute, 127 not found. */
#define EXIT_BERTH 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127

struct cli {
	const char *prog;     /* "berth", "berth-oci" */
	const char *root;     /* --root / BERTH_ROOT */
	const char *run_dir;  /* --run-dir / BERTH_RUN_DIR */
	const char *ns;	      /* -n / --namespace (NULL = default) */
	bool all_ns;	      /* -A / --all-namespaces (get) */
};

/* The daemon's name of pod NAME in cli->ns: NAME, or NAME.NS outside the
 * default namespace ("POD/CTR": the pod part). Returns BUF. */
const char *cli_qualify(const struct cli *cli, const char *name, char *buf, size_t len);

typedef int (*cli_fn)(struct cli *cli, int argc, char **argv);

int cli_disabled(const char *what, const char *option);

/* runtime: always built */
int cmd_run(struct cli *cli, int argc, char **argv);
int cmd_exec(struct cli *cli, int argc, char **argv);
int cmd_ps(struct cli *cli, int argc, char **argv);
int cmd_stop(struct cli *cli, int argc, char **argv);
int cmd_kill(struct cli *cli, int argc, char **argv);
int cmd_rm(struct cli *cli, int argc, char **argv);

#define CLI_STUB(fn, what, opt)                                                                    \
	static inline int fn(struct cli *cli, int argc, char **argv)                               \
	{                                                                                          \
		(void)cli, (void)argc, (void)argv;                                                 \
		return cli_disabled(what, opt);                                                    \
	}

#if IS_ENABLED(CONFIG_IMAGES)
int cmd_image(struct cli *cli, int argc, char **argv);
#else
CLI_STUB(cmd_image, "the image store", "CONFIG_IMAGES")
#endif

#if IS_ENABLED(CONFIG_STORE)
int cmd_store_obj(struct cli *cli, int argc, char **argv); /* config, secret */
int cmd_volume(struct cli *cli, int argc, char **argv);
#else
CLI_STUB(cmd_store_obj, "configs and secrets", "CONFIG_STORE")
CLI_STUB(cmd_volume, "volumes", "CONFIG_STORE")
#endif

#if IS_ENABLED(CONFIG_OCI)
int cmd_oci(struct cli *cli, int argc, char **argv);
#else
CLI_STUB(cmd_oci, "the OCI runtime interface", "CONFIG_OCI")
#endif

#if IS_ENABLED(CONFIG_NET)
int cmd_network(struct cli *cli, int argc, char **argv);
#else
CLI_STUB(cmd_network, "networking", "CONFIG_NET")
#endif

#if IS_ENABLED(CONFIG_CHECK)
int cmd_check(struct cli *cli, int argc, char **argv);
#else
CLI_STUB(cmd_check, "berth check", "CONFIG_CHECK")
#endif

#if IS_ENABLED(CONFIG_SUPERVISOR)
int cmd_daemon(struct cli *cli, int argc, char **argv);
int cmd_pod(struct cli *cli, int argc, char **argv); /* apply/get/describe/delete/logs/scale/... */
#else
CLI_STUB(cmd_daemon, "the supervisor", "CONFIG_SUPERVISOR")
CLI_STUB(cmd_pod, "the supervisor", "CONFIG_SUPERVISOR")
#endif

#endif
