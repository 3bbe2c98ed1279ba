/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OCI runtime-spec config.json -> struct bspec (runtime/spec.h).
 *
 * Strict: every key the translator does not know is an error naming the
 * field by its JSON path ("linux.intelRdt is not supported by berth"); only
 * annotations are free-form. Pure translation: no container is touched, so
 * this file is unit-tested (tests/unit/cli_oci_config.c). */
#ifndef BERTH_CLI_OCI_CONFIG_H
#define BERTH_CLI_OCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/err.h"
#include "runtime/spec.h"

enum oci_hook_kind {
	OCI_HOOK_PRESTART,
	OCI_HOOK_CREATE_RUNTIME,
	OCI_HOOK_CREATE_CONTAINER,
	OCI_HOOK_START_CONTAINER,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	OCI_HOOK_COUNT
};

struct oci_hook {
	char *path;
	char **args; /* NULL = { path } */
	char **env;
	int timeout; /* seconds, 0 = none */
};

struct oci_config {
	struct bspec *spec;
	struct oci_hook *hooks[OCI_HOOK_COUNT];
	size_t nhooks[OCI_HOOK_COUNT];
	char *oci_version;
	int umask; /* process.user.umask, -1 when not given */
	bool has_process; /* config.json has "process" (OPTIONAL until start) */
};

/* JSON key of each hook kind ("prestart", "createRuntime", ...). */
const char *oci_hook_name(enum oci_hook_kind k);

/* Translate config.json TEXT (LEN bytes). BUNDLE is the absolute bundle
 * directory: a relative root.path is resolved against it. ERR names the
 * offending field. Caller owns *ret (oci_config_free). */
int oci_config_parse(const char *text, size_t len, const char *bundle, struct oci_config **ret,
		     berr *err);
/* A process object alone (exec --process FILE): fills PROC, which the
 * caller has zeroed or prefilled; fields absent from the JSON keep their
 * value. *RET_UMASK is set when process.user.umask is given. */
int oci_process_parse(const char *text, size_t len, struct bspec_process *proc, int *ret_umask,
		      berr *err);
void oci_config_free(struct oci_config *cfg);

/* Capability name ("CAP_SYS_ADMIN" or "SYS_ADMIN", any case) -> number, -1 if unknown. */
int oci_cap_from_name(const char *name);
const char *oci_cap_name(int cap); /* "CAP_CHOWN"; NULL when unknown */
int oci_cap_last(void);		   /* highest number in the table */

/* cpu shares (cgroup v1, 2..262144) -> cpu.weight (1..10000), runc/crun 1.8 formula. */
int64_t oci_cpu_shares_to_weight(uint64_t shares);

#endif
