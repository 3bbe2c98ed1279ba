// SPDX-License-Identifier: GPL-2.0-or-later
/* berth check [-o table|json] [-q] [--prefix DIR]: is this kernel and board
 * ready for berth? Exit 0 ready, 1 degraded, 2 cannot run (lib/check.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check.h"
#include "cli/commands.h"
#include "lib/log.h"

static void usage_check(FILE *f)
{
	fprintf(f,
		"Usage: berth check [-o table|json] [-q] [--prefix DIR]\n\n"
		"Is this kernel and board ready for berth? Each item says what its absence\n"
		"costs and how to fix it.\n\n"
		"  -o, --output FMT  table (default) or json\n"
		"  -q, --quiet       print nothing; the exit status tells\n"
		"      --prefix DIR  read DIR/proc, DIR/sys, DIR/boot... instead of the running\n"
		"                    host's (BERTH_CHECK_ROOT); nothing is tried on the kernel\n\n"
		"Exit status: 0 ready, 1 degraded (some features off), 2 cannot run,\n"
		"125 berth check itself failed.\n");
}

static const char *verdict_text(enum check_verdict v)
{
	switch (v) {
	case CHECK_READY:
		return "ready";
	case CHECK_VERDICT_DEGRADED:
		return "degraded: berth runs, some features are off";
	case CHECK_CANNOT_RUN:
		return "cannot run containers";
	}
	return "?";
}

static void print_table(const struct check_report *r, enum check_verdict v)
{
	int unknown = 0, off = 0;

	printf("Kernel %s, config %s\n", r->release[0] ? r->release : "(unknown)",
	       r->config_source[0] ? r->config_source : "not found");
	if (r->model[0])
		printf("Board %s%s%s\n", r->model, r->raspberry_pi ? ", boot options in " : "",
		       r->raspberry_pi ? r->cmdline_txt : "");
	printf("\n%-8s  %-13s  %s\n", "STATUS", "ITEM", "DETAIL");
	for (int i = 0; i < CHECK__N; i++) {
		const struct check_item *it = &r->items[i];
		printf("%-8s  %-13s  %s\n", check_status_name(it->status), it->id, it->detail);
		if (it->status == CHECK_UNKNOWN)
			unknown++;
		else if (it->status != CHECK_OK && it->need != CHECK_OPTIONAL)
			off++;
		if (it->status == CHECK_OK)
			continue;
		if (it->status != CHECK_UNKNOWN)
			printf("%-8s  %-13s  cost (%s): %s\n", "", "", check_need_name(it->need),
			       it->cost);
		if (it->fix[0])
			printf("%-8s  %-13s  fix: %s\n", "", "", it->fix);
	}
	printf("\nVerdict: %s", v == CHECK_VERDICT_DEGRADED && !off
				    ? "not confirmed: a required item could not be checked"
				    : verdict_text(v));
	if (unknown)
		printf(" (%d item%s could not be checked)", unknown, unknown == 1 ? "" : "s");
	printf("\n");
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"prefix", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct check_opts o = {.prefix = getenv("BERTH_CHECK_ROOT"),
			       .storage_root = cli->root,
			       .gunzip = check_gunzip};
	bool json = false, quiet = false;
	struct check_report *r;
	berr err;
	int c;

	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (strcmp(optarg, "json") == 0) {
				json = true;
			} else if (strcmp(optarg, "table") != 0) {
				log_error("check: -o \"%s\": expected table or json", optarg);
				return EXIT_BERTH;
			}
			break;
		case 'q':
			quiet = true;
			break;
		case 'P':
			o.prefix = optarg;
			break;
		case 'h':
			usage_check(stdout);
			return 0;
		default:
			usage_check(stderr);
			return EXIT_BERTH;
		}
	}
	if (optind < argc) {
		log_error("check: unexpected argument \"%s\"", argv[optind]);
		return EXIT_BERTH;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		log_error("check: out of memory");
		return EXIT_BERTH;
	}
	if (check_run(&o, r, &err) < 0) {
		log_error("%s", err.msg);
		free(r);
		return EXIT_BERTH;
	}
	enum check_verdict v = check_verdict(r);
	int rc = (int)v;
	if (!quiet && json)
		rc = check_print_json(r, v);
	else if (!quiet)
		print_table(r, v);
	free(r);
	return rc;
}
