// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until runtime/ lands: every command says so. */
#include "cli/commands.h"
#include "lib/log.h"

#define NOT_YET(fn, name)                                                                          \
	int fn(struct cli *cli, int argc, char **argv)                                             \
	{                                                                                          \
		log_error("\"%s\" is not implemented yet", name);                                  \
		return EXIT_BERTH;                                                                 \
	}
NOT_YET(cmd_run, "run")
NOT_YET(cmd_exec, "exec")
NOT_YET(cmd_ps, "ps")
NOT_YET(cmd_stop, "stop")
NOT_YET(cmd_kill, "kill")
NOT_YET(cmd_rm, "rm")
