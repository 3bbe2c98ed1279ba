/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The CLI side of the control socket. */
#ifndef BERTH_SUPERVISOR_CLIENT_H
#define BERTH_SUPERVISOR_CLIENT_H

#include <jansson.h>

#include "lib/err.h"

/* Send REQ to the daemon of RUN_DIR and return its reply (caller decrefs).
 * A reply with "ok": false becomes an error with the daemon's message. */
int sv_request(const char *run_dir, json_t *req, json_t **ret, berr *err);

#endif
