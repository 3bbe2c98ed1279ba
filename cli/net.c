// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until this part lands. */
#include "cli/commands.h"
#include "lib/log.h"

int cmd_network(struct cli *cli, int argc, char **argv)
{
	log_error("\"%s\" is not implemented yet", argv[0]);
	return EXIT_BERTH;
}

