/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The daemon's DNS responder for its pods (supervisor/dns.c). */
#ifndef BERTH_SUPERVISOR_DNS_H
#define BERTH_SUPERVISOR_DNS_H

struct sv;

/* Listen on the network's gateway, port 53, and set sv->dns_addr; when
 * that fails (a resolver of the board holds the port), say so and leave
 * the pods on the board's resolvers. */
int dns_start(struct sv *sv);
void dns_stop(struct sv *sv);
void dns_on_query(struct sv *sv);	/* a pod asked */
void dns_on_reply(struct sv *sv);	/* a board resolver answered */

#endif
