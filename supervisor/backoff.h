/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Restart back-off: the first restart is immediate, then BASE, 2*BASE,
 * 4*BASE... up to MAX; a container that ran RESET or longer before it
 * exited starts the sequence again. Pure arithmetic on a clock the caller
 * passes in (milliseconds of CLOCK_BOOTTIME in the daemon, anything in tests). */
#ifndef BERTH_SUPERVISOR_BACKOFF_H
#define BERTH_SUPERVISOR_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

#include "supervisor/podspec.h"

struct backoff {
	uint64_t base_ms, max_ms, reset_ms;
	unsigned failures;	/* restarts since the last reset */
};

void backoff_init(struct backoff *b, uint64_t base_ms, uint64_t max_ms, uint64_t reset_ms);
/* A container started at STARTED_MS exited at NOW_MS: the delay before the
 * next start, in ms. Advances the sequence. */
uint64_t backoff_next(struct backoff *b, uint64_t started_ms, uint64_t now_ms);

/* Does POLICY restart a container that exited with STATUS? */
bool restart_wanted(enum restart_policy policy, int status);

#endif
