/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Services of the daemon (supervisor/service.c): a pod's own, and those of
 * NAME.svc files that select pods by label. */
#ifndef BERTH_SUPERVISOR_SERVICE_H
#define BERTH_SUPERVISOR_SERVICE_H

#include <stddef.h>

#include "lib/err.h"

struct sv;
struct svc;

/* The services wanted now (pods and .svc files); after each reconcile. */
void svc_reconcile(struct sv *sv);
/* Point each service at its ready endpoints where they changed: one
 * nftables transaction (the daemon's loop, after each batch of events). */
void svc_sync(struct sv *sv);
void svc_free_all(struct sv *sv);
const struct svc *svc_lookup(const struct sv *sv, const char *name);
/* "NAME VIP N endpoints[ affinity=client-ip]" */
void svc_describe(const struct svc *s, char *buf, size_t len);

#endif
