/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A replica's place on the pod network (network = bridge). */
#ifndef BERTH_SUPERVISOR_PODNET_H
#define BERTH_SUPERVISOR_PODNET_H

#include "lib/err.h"

struct sv;
struct replica;

/* Attach REP's network namespace (its holder's) to the bridge and publish
 * the pod's ports (owned by replica 0; podnet_sync_endpoints spreads them). */
int podnet_attach(struct sv *sv, struct replica *rep, berr *err);
void podnet_detach(struct sv *sv, struct replica *rep);
/* After a daemon restart: find the lease again (hosts/resolv paths). */
void podnet_adopt(struct sv *sv, struct replica *rep);
/* Point every pod's published ports (owned by its replica 0) at its ready
 * replicas, round-robin, where that set changed since the last call; with
 * none ready, at replica 0 alone. The daemon calls it after each batch of
 * events; an attach, detach or reconcile makes it check every pod again. */
void podnet_sync_endpoints(struct sv *sv);
/* After the first reconcile at start: free the leases, veths and NAT
 * elements a crash left behind (net_reconcile): those of PREVIOUS (the
 * replicas the previous daemon recorded) that are not replicas now, and
 * any whose namespace died; never those of a replica or of a container
 * the runtime knows. */
void podnet_reconcile(struct sv *sv, char *const *previous);

/* -EBUSY, naming it, when the network's bridge belongs to a berth with
 * another state root (a second daemon): this one must not start. */
int podnet_owner_check(struct sv *sv, berr *err);
/* Run FN(SV, ARG) in a short-lived child (libnl and libnftables stay out
 * of the daemon); its error comes back in ERR; WHO names it. */
int in_child_net(int (*fn)(struct sv *, void *, berr *), struct sv *sv, void *arg,
		 const char *who, berr *err);

#endif
