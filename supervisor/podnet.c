// SPDX-License-Identifier: GPL-2.0-or-later
#include "supervisor/podnet.h"
#include "supervisor/sv.h"

/* Until the network part is merged, a bridge pod has its own network
 * namespace with loopback only, and the pod's events say so once. */
int podnet_attach(struct sv *sv, struct replica *rep, berr *err)
{
	(void)sv;
	(void)err;
	if (rep->index == 0)
		pod_event(rep->pod, "%s: bridge networking is not available in this build: loopback only",
			  rep->name);
	return 0;
}

void podnet_detach(struct sv *sv, struct replica *rep)
{
	(void)sv;
	(void)rep;
}
