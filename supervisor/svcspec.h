/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NAME.svc files (supervisor/svcspec.c), and the daemon's record of a
 * service (supervisor/service.c). Parsing never touches the system. */
#ifndef BERTH_SUPERVISOR_SVCSPEC_H
#define BERTH_SUPERVISOR_SVCSPEC_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "net/net.h"

struct svc {
	char *name;			/* NAME, or NAME.NS outside the default namespace */
	char *ns;			/* NULL = default */
	char *file;			/* NAME.svc; NULL: a pod's own service */
	char **selector;		/* "K=V" (file services) */
	struct net_svc_port *ports;	/* NULL: every port */
	size_t nports;
	uint32_t affinity_s;
	uint32_t vip;
	uint32_t *eps;			/* what the table holds */
	size_t neps;
};

/* Parse a NAME.svc file: [service] name, namespace, selector, ports,
 * session-affinity, session-affinity-timeout. Errors name the file and
 * the key. Caller owns *ret (svc_free). */
int svc_spec_load(const char *file, struct svc **ret, berr *err);
void svc_free(struct svc *s);

#endif
