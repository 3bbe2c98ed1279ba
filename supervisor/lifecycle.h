/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The lifecycle of one container instance, as an explicit state machine
 * (s6-supervise style): a table of state x event -> (next state, action).
 * The daemon feeds events and performs the actions; nothing else changes
 * an instance's state.
 *
 *   pending --start--> starting --startup ok--> running <--ready/unready--> ready
 *      ^                  |  \                      |                         |
 *      |               exit|  stop/liveness fail    +----- exit / stop --------+
 *   schedule              v     v
 *      +------------- exited <--exit-- terminating --grace expired--> (KILL)
 */
#ifndef BERTH_SUPERVISOR_LIFECYCLE_H
#define BERTH_SUPERVISOR_LIFECYCLE_H

enum lc_state { LC_PENDING, LC_STARTING, LC_RUNNING, LC_READY, LC_TERMINATING, LC_EXITED, LC_STATE_COUNT };

enum lc_event {
	EV_START,	   /* start now (first start, or the back-off timer fired) */
	EV_START_FAILED,   /* the runtime could not create it */
	EV_STARTUP_OK,	   /* startup probe passed (or there is none) */
	EV_READY,	   /* readiness passed (or there is none) */
	EV_UNREADY,	   /* readiness failed failure-threshold times */
	EV_LIVENESS_FAIL,  /* liveness (or startup) failed failure-threshold times */
	EV_STOP,	   /* delete, scale down, spec change, daemon shutdown */
	EV_GRACE_EXPIRED,  /* stop grace period over */
	EV_EXIT,	   /* the container's pid 1 is gone */
	EV_SCHEDULE,	   /* the restart policy wants another start */
	LC_EVENT_COUNT
};

enum lc_action {
	ACT_NONE,	   /* nothing to do (event ignored in this state) */
	ACT_CREATE,	   /* create and start the container, arm the startup probe */
	ACT_START_PROBES,  /* arm liveness and readiness probes */
	ACT_MARK_READY,
	ACT_MARK_UNREADY,
	ACT_STOP,	   /* send the stop signal, arm the grace timer */
	ACT_KILL,	   /* SIGKILL everything in the container */
	ACT_EXITED,	   /* record exit status; apply the restart policy */
	ACT_ARM_BACKOFF,   /* arm the back-off timer for the next start */
	ACT_REMOVE,	   /* stopped on purpose: clean up, forget the instance */
};

struct lc_step {
	enum lc_state next;
	enum lc_action action;
};

/* The transition for EVENT in STATE. Events that make no sense in a state
 * leave it unchanged with ACT_NONE. */
struct lc_step lifecycle_step(enum lc_state state, enum lc_event event);
const char *lc_state_name(enum lc_state s);
const char *lc_event_name(enum lc_event e);
const char *lc_action_name(enum lc_action a);

#endif
