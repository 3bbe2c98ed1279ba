// SPDX-License-Identifier: GPL-2.0-or-later
/* berth daemon, and the pod commands: apply, validate, get, describe,
 * delete, logs, scale, restart, rollout. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "lib/log.h"
#include "supervisor/podspec.h"

static int cmd_validate(int argc, char **argv)
{
	int rc = 0;
	if (argc < 2) {
		log_error("Usage: berth validate FILE...");
		return EXIT_BERTH;
	}
	for (int i = 1; i < argc; i++) {
		struct pod_spec *pod = NULL;
		berr err = { 0 };
		if (pod_spec_load(argv[i], &pod, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			rc = 1;
			continue;
		}
		printf("%s: pod %s, %u replica%s, %zu container%s\n", argv[i], pod->name, pod->replicas,
		       pod->replicas == 1 ? "" : "s", pod->ncontainers, pod->ncontainers == 1 ? "" : "s");
		pod_spec_free(pod);
	}
	return rc;
}

int cmd_daemon(struct cli *cli, int argc, char **argv)
{
	log_error("\"%s\" is not implemented yet", argv[0]);
	return EXIT_BERTH;
}

int cmd_pod(struct cli *cli, int argc, char **argv)
{
	if (strcmp(argv[0], "validate") == 0)
		return cmd_validate(argc, argv);
	log_error("\"%s\" is not implemented yet", argv[0]);
	return EXIT_BERTH;
}
