/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IPAM as CNI host-local does it: one file per leased address in a
 * directory, named by the address, created atomically (written to a temp
 * file, then link()ed to its name: EEXIST is "taken"), the whole directory
 * serialised by flock on DIR/lock, and a last_reserved file for round-robin
 * allocation. A lease file is never partial, so a crash leaves either no
 * lease or a whole one, which net_reconcile() judges. Files are not fsynced:
 * after a power loss every pod is gone and reconcile frees its lease
 * anyway. Private to net/. */
#ifndef BERTH_NET_IPAM_H
#define BERTH_NET_IPAM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "net/addr.h"

struct ipam {
	int dirfd;  /* DIR */
	int lockfd; /* DIR/lock, held with LOCK_EX while open */
	struct net_cidr cidr;
};

struct ipam_entry {
	uint32_t addr;
	char *content; /* the lease file's text */
};

/* Create DIR (0700) if needed, lock it. ipam_close() unlocks. */
int ipam_open(struct ipam *ipam, const char *dir, const struct net_cidr *cidr, berr *err);
void ipam_close(struct ipam *ipam);

/* Lease WANT (0 = the next free address after the last reserved one) with
 * CONTENT. -EADDRINUSE (WANT taken), -ERANGE (WANT outside the subnet),
 * -ENOSPC (exhausted). */
int ipam_acquire(struct ipam *ipam, uint32_t want, const char *content, uint32_t *ret_addr,
		 berr *err);
int ipam_release(struct ipam *ipam, uint32_t addr, berr *err);

/* All leases, sorted by address. Caller frees with ipam_entries_free(). */
int ipam_list(struct ipam *ipam, struct ipam_entry **ret, size_t *ret_n, berr *err);
void ipam_entries_free(struct ipam_entry *e, size_t n);

#endif
