/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `berth run --network/-p` hook and the `berth network` command. See
 * docs/net.md and docs/decisions/net-netns.md.
 *
 * How cli/run.c uses it (wired in apply_network(), run_foreground(),
 * cmd_run(); cli/ctl.c cmd_rm()):
 *
 *	r = net_run_setup(cli, &(struct net_run_opts){ .name = id, .network = mode,
 *			  .publish = p_specs, .ip = ip, .aliases = aliases,
 *			  .join_pid = pid of NAME for "container:NAME" },
 *			  spec, &o->net, &err);
 *		bridge: makes the pod's namespace, attaches it, sets
 *		spec->ns[BNS_NET].join_fd, spec->etc_hosts, spec->etc_resolv_conf
 *	container_run() / container_run_detached();
 *	net_run_started(o->net);	closes our fd: the container holds the namespace
 *	(foreground) after container_wait(): net_run_teardown(cli, o->net);
 *	(any failure before the container ran): net_run_teardown(cli, o->net);
 *	berth rm ID: net_run_release(cli, ID);	(a dead pod's lease is also
 *		reclaimed by the next attach that needs it, and by berth network prune)
 *	net_run_free(o->net);
 */
#ifndef BERTH_CLI_NET_H
#define BERTH_CLI_NET_H

#include <string.h>
#include <sys/types.h>

#include "cli/commands.h"
#include "lib/err.h"
#include "lib/kconfig.h"
#include "runtime/spec.h"

struct net_run_opts {
	const char *name;	/* container name = pod name on the network */
	const char *network;	/* "bridge" (default, NULL), "none", "host", "container:NAME" */
	char *const *publish;	/* -p specs, NULL-terminated; bridge mode only */
	const char *ip;		/* --ip, bridge mode only */
	const char *hostname;	/* --hostname: an extra name in the hosts files */
	char *const *aliases;	/* --network-alias */
	pid_t join_pid;		/* container:NAME: pid 1 of NAME, resolved by the caller */
};

struct net_run;

#if IS_ENABLED(CONFIG_NET)
int net_run_setup(struct cli *cli, const struct net_run_opts *o, struct bspec *spec,
		  struct net_run **ret, berr *err);
void net_run_started(struct net_run *nr);
int net_run_teardown(struct cli *cli, struct net_run *nr);
int net_run_release(struct cli *cli, const char *name);
void net_run_free(struct net_run *nr);
#else
/* Without CONFIG_NET: "none" (the default) and "host" only. */
static inline int net_run_setup(struct cli *cli, const struct net_run_opts *o, struct bspec *spec,
				struct net_run **ret, berr *err)
{
	*ret = NULL;
	if (!o->network || strcmp(o->network, "none") == 0)
		return 0;
	if (strcmp(o->network, "host") == 0) {
		spec->ns[BNS_NET].create = false;
		return 0;
	}
	return berr_fail(err, EOPNOTSUPP, "Network \"%s\" needs networking, and this berth was built without it (CONFIG_NET)",
			 o->network);
}
static inline void net_run_started(struct net_run *nr) {}
static inline int net_run_teardown(struct cli *cli, struct net_run *nr) { return 0; }
static inline int net_run_release(struct cli *cli, const char *name) { return 0; }
static inline void net_run_free(struct net_run *nr) {}
#endif

#endif
