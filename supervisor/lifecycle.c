// SPDX-License-Identifier: GPL-2.0-or-later
#include "lib/cleanup.h"
#include "supervisor/lifecycle.h"

#define T(s, a) { LC_##s, ACT_##a }
#define NOP(s) { LC_##s, ACT_NONE }

/* Rows: states; columns: events in enum order:
 * START, START_FAILED, STARTUP_OK, READY, UNREADY, LIVENESS_FAIL, STOP,
 * GRACE_EXPIRED, EXIT, SCHEDULE */
static const struct lc_step table[LC_STATE_COUNT][LC_EVENT_COUNT] = {
	[LC_PENDING] = { T(STARTING, CREATE), NOP(PENDING), NOP(PENDING), NOP(PENDING),
			 NOP(PENDING), NOP(PENDING), T(EXITED, REMOVE), NOP(PENDING),
			 NOP(PENDING), NOP(PENDING) },
	[LC_STARTING] = { NOP(STARTING), T(EXITED, EXITED), T(RUNNING, START_PROBES),
			  NOP(STARTING), NOP(STARTING), T(TERMINATING, STOP), T(TERMINATING, STOP),
			  NOP(STARTING), T(EXITED, EXITED), NOP(STARTING) },
	[LC_RUNNING] = { NOP(RUNNING), NOP(RUNNING), NOP(RUNNING), T(READY, MARK_READY),
			 NOP(RUNNING), T(TERMINATING, STOP), T(TERMINATING, STOP), NOP(RUNNING),
			 T(EXITED, EXITED), NOP(RUNNING) },
	[LC_READY] = { NOP(READY), NOP(READY), NOP(READY), NOP(READY), T(RUNNING, MARK_UNREADY),
		       T(TERMINATING, STOP), T(TERMINATING, STOP), NOP(READY), T(EXITED, EXITED),
		       NOP(READY) },
	[LC_TERMINATING] = { NOP(TERMINATING), NOP(TERMINATING), NOP(TERMINATING),
			     NOP(TERMINATING), NOP(TERMINATING), NOP(TERMINATING),
			     NOP(TERMINATING), T(TERMINATING, KILL), T(EXITED, EXITED),
			     NOP(TERMINATING) },
	[LC_EXITED] = { T(STARTING, CREATE), NOP(EXITED), NOP(EXITED), NOP(EXITED), NOP(EXITED),
			NOP(EXITED), T(EXITED, REMOVE), NOP(EXITED), NOP(EXITED),
			T(PENDING, ARM_BACKOFF) },
};

struct lc_step lifecycle_step(enum lc_state state, enum lc_event event)
{
	if (NEVER((unsigned)state >= LC_STATE_COUNT || (unsigned)event >= LC_EVENT_COUNT))
		return (struct lc_step){ state, ACT_NONE };
	return table[state][event];
}

const char *lc_state_name(enum lc_state s)
{
	static const char *n[] = { "pending", "starting", "running", "ready", "terminating", "exited" };
	return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "?";
}

const char *lc_event_name(enum lc_event e)
{
	static const char *n[] = { "start", "start-failed", "startup-ok", "ready", "unready",
				   "liveness-fail", "stop", "grace-expired", "exit", "schedule" };
	return (unsigned)e < ARRAY_SIZE(n) ? n[e] : "?";
}

const char *lc_action_name(enum lc_action a)
{
	static const char *n[] = { "none", "create", "start-probes", "mark-ready", "mark-unready",
				   "stop", "kill", "exited", "arm-backoff", "remove" };
	return (unsigned)a < ARRAY_SIZE(n) ? n[a] : "?";
}
