// SPDX-License-Identifier: GPL-2.0-or-later
/* berth: one multi-call binary, selected by argv[0] or the first word:
 * berth (user CLI), berthd (= berth daemon), berth-oci (runc-compatible). */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "lib/log.h"

#ifndef BERTH_VERSION
#define BERTH_VERSION "0.1"
#endif

int cli_disabled(const char *what, const char *option)
{
	log_error("This berth was built without %s (%s is not set)", what, option);
	return EXIT_BERTH;
}

static const struct {
	const char *name;
	cli_fn fn;
	const char *help;
} commands[] = {
	{ "run", cmd_run, "Run a command in a new container" },
	{ "exec", cmd_exec, "Run a command in a running container" },
	{ "ps", cmd_ps, "List containers" },
	{ "stop", cmd_stop, "Stop containers (stop signal, grace, KILL)" },
	{ "kill", cmd_kill, "Send a signal to a container" },
	{ "rm", cmd_rm, "Remove stopped containers" },
	{ "image", cmd_image, "Manage images: load, pull, ls, inspect, tag, rm, prune, save" },
	{ "load", cmd_image, "Load an image archive (= image load)" },
	{ "pull", cmd_image, "Pull an image (= image pull)" },
	{ "images", cmd_image, "List images (= image ls)" },
	{ "network", cmd_network, "Show and clean the pod network" },
	{ "daemon", cmd_daemon, "Run the supervisor (berthd)" },
	{ "apply", cmd_pod, "Apply pod specs from a file or directory" },
	{ "validate", cmd_pod, "Check a pod spec without applying it" },
	{ "get", cmd_pod, "List pods" },
	{ "describe", cmd_pod, "Show a pod in detail with recent events" },
	{ "delete", cmd_pod, "Delete a pod" },
	{ "logs", cmd_pod, "Show a pod's logs" },
	{ "scale", cmd_pod, "Change a pod's replicas" },
	{ "restart", cmd_pod, "Restart a pod's containers" },
	{ "config", cmd_store_obj, "Manage configs: create, ls, inspect, rm" },
	{ "secret", cmd_store_obj, "Manage secrets: create, ls, inspect, rm" },
	{ "volume", cmd_volume, "Manage named volumes: ls, inspect, rm, prune" },
	{ "check", cmd_check, "Is this kernel and board ready for berth? (exit 0/1/2)" },
	{ "oci", cmd_oci, "runc-compatible OCI runtime (= berth-oci)" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: berth [--root DIR] [--run-dir DIR] [-n NAMESPACE | -A] [--debug] COMMAND [ARG...]\n\n"
		   "A container runtime and pod supervisor for small boards.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "  %-10s %s\n", "version", "Show the version and the parts built in");
	fprintf(f, "\nState: --root (BERTH_ROOT, default %s), --run-dir (BERTH_RUN_DIR, default %s)\n",
		CONFIG_DEFAULT_ROOT, CONFIG_DEFAULT_RUN_DIR);
}

static int cmd_version(void)
{
	printf("berth %s\nparts: runtime%s%s%s%s%s%s\n", BERTH_VERSION,
	       IS_ENABLED(CONFIG_SECCOMP) ? " +seccomp" : " -seccomp",
	       IS_ENABLED(CONFIG_IMAGES) ? (IS_ENABLED(CONFIG_IMAGES_PULL) ? " images +pull" : " images -pull") : "",
	       IS_ENABLED(CONFIG_NET) ? (IS_ENABLED(CONFIG_NET_NAT) ? " net +nat" : " net -nat") : "",
	       IS_ENABLED(CONFIG_SUPERVISOR) ? " supervisor" : "", IS_ENABLED(CONFIG_OCI) ? " oci" : "", IS_ENABLED(CONFIG_CHECK) ? " check" : "");
	return 0;
}

static int dispatch(struct cli *cli, int argc, char **argv)
{
	if (strcmp(argv[0], "version") == 0 || strcmp(argv[0], "--version") == 0)
		return cmd_version();
	if (strcmp(argv[0], "help") == 0) {
		usage(stdout);
		return 0;
	}
	/* berth exec POD[/CONTAINER] -- CMD: the supervisor finds the container */
	if (strcmp(argv[0], "exec") == 0 && argc > 2 &&
	    (strchr(argv[1], '/') || strcmp(argv[2], "--") == 0))
		return cmd_pod(cli, argc, argv);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return commands[i].fn(cli, argc, argv);
	log_error("Unknown command \"%s\" (see berth help)", argv[0]);
	return EXIT_BERTH;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "run-dir", required_argument, NULL, 'R' },
		{ "debug", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "all-namespaces", no_argument, NULL, 'A' },
		{ 0 },
	};
	struct cli cli = { .prog = "berth" };
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];

	cli.root = getenv("BERTH_ROOT");
	cli.run_dir = getenv("BERTH_RUN_DIR");
	if (!cli.root || !*cli.root)
		cli.root = CONFIG_DEFAULT_ROOT;
	if (!cli.run_dir || !*cli.run_dir)
		cli.run_dir = CONFIG_DEFAULT_RUN_DIR;

	if (strcmp(base, "berth-oci") == 0) {
		cli.prog = "berth-oci";
		log_init(cli.prog);
		/* runc's own global flags are parsed by the OCI front end */
		return cmd_oci(&cli, argc, argv);
	}
	log_init("berth");
	if (strcmp(base, "berthd") == 0) {
		argv[0] = "daemon";
		return cmd_daemon(&cli, argc, argv);
	}

	int c;
	while ((c = getopt_long(argc, argv, "+hDn:A", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			cli.ns = optarg;
			break;
		case 'A':
			cli.all_ns = true;
			break;
		case 'r':
			cli.root = optarg;
			break;
		case 'R':
			cli.run_dir = optarg;
			break;
		case 'D':
			log_set_level(LOG_LVL_DEBUG);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			return cmd_version();
		default:
			usage(stderr);
			return EXIT_BERTH;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_BERTH;
	}
	argc -= optind;
	argv += optind;
	optind = 0; /* full reset for the command's own getopt */
	return dispatch(&cli, argc, argv);
}
