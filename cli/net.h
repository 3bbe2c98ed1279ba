/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `berth run --network/-p` hook (cli/run.c calls it) and the
 * `berth network` command. See docs/net.md.
 *
 * Use in cli/run.c, after the spec is filled and before container_run():
 *
 *	struct net_run *nr = NULL;
 *	r = net_run_setup(cli, &(struct net_run_opts){ .name = id, .network = mode,
 *			  .publish = publish, .join_pid = pid_of_NAME_for_container_mode },
 *			  spec, &nr, &err);        // fills spec->ns[BNS_NET], etc_hosts, etc_resolv_conf
 *	r = container_run(spec, ...);
 *	net_run_started(nr);                // closes our netns fd: the container holds the last reference
 *	if (r < 0) net_run_teardown(cli, nr);  // creation failed: release lease and rules
 *	...
 *	when the container is removed (rm, --rm): net_run_release(cli, id)
 *	net_run_free(nr);
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
