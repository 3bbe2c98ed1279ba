/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BERTH_CLI_PODLOGS_H
#define BERTH_CLI_PODLOGS_H

#include "cli/commands.h"

/* berth logs POD[/CTR] [-f] [--tail N] [--previous] [--timestamps] */
int cmd_logs(struct cli *cli, int argc, char **argv);

#endif
