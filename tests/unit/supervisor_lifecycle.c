// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>

#include "supervisor/backoff.h"
#include "supervisor/lifecycle.h"

static void step(enum lc_state *s, enum lc_event e, enum lc_state want, enum lc_action act)
{
	struct lc_step r = lifecycle_step(*s, e);
	cr_assert_eq(r.next, want, "%s + %s -> %s, expected %s", lc_state_name(*s), lc_event_name(e),
		     lc_state_name(r.next), lc_state_name(want));
	cr_assert_eq(r.action, act, "%s + %s: action %s, expected %s", lc_state_name(*s),
		     lc_event_name(e), lc_action_name(r.action), lc_action_name(act));
	*s = r.next;
}

Test(lifecycle, normal_life_start_ready_stop)
{
	enum lc_state s = LC_PENDING;
	step(&s, EV_START, LC_STARTING, ACT_CREATE);
	step(&s, EV_STARTUP_OK, LC_RUNNING, ACT_START_PROBES);
	step(&s, EV_READY, LC_READY, ACT_MARK_READY);
	step(&s, EV_UNREADY, LC_RUNNING, ACT_MARK_UNREADY);
	step(&s, EV_READY, LC_READY, ACT_MARK_READY);
	step(&s, EV_STOP, LC_TERMINATING, ACT_STOP);
	step(&s, EV_GRACE_EXPIRED, LC_TERMINATING, ACT_KILL);
	step(&s, EV_EXIT, LC_EXITED, ACT_EXITED);
	step(&s, EV_STOP, LC_EXITED, ACT_REMOVE);
}

Test(lifecycle, crash_and_restart_through_backoff)
{
	enum lc_state s = LC_READY;
	step(&s, EV_EXIT, LC_EXITED, ACT_EXITED);
	step(&s, EV_SCHEDULE, LC_PENDING, ACT_ARM_BACKOFF);
	step(&s, EV_START, LC_STARTING, ACT_CREATE);
	step(&s, EV_START_FAILED, LC_EXITED, ACT_EXITED);
	step(&s, EV_SCHEDULE, LC_PENDING, ACT_ARM_BACKOFF);
	step(&s, EV_STOP, LC_EXITED, ACT_REMOVE);
}

Test(lifecycle, liveness_and_startup_failures_stop_the_container)
{
	enum lc_state s = LC_STARTING;
	step(&s, EV_LIVENESS_FAIL, LC_TERMINATING, ACT_STOP);
	step(&s, EV_LIVENESS_FAIL, LC_TERMINATING, ACT_NONE);
	step(&s, EV_STOP, LC_TERMINATING, ACT_NONE);
	step(&s, EV_EXIT, LC_EXITED, ACT_EXITED);
	s = LC_RUNNING;
	step(&s, EV_LIVENESS_FAIL, LC_TERMINATING, ACT_STOP);
	s = LC_READY;
	step(&s, EV_LIVENESS_FAIL, LC_TERMINATING, ACT_STOP);
}

Test(lifecycle, probes_are_gated_until_startup)
{
	enum lc_state s = LC_STARTING;
	step(&s, EV_READY, LC_STARTING, ACT_NONE);
	step(&s, EV_UNREADY, LC_STARTING, ACT_NONE);
	step(&s, EV_STARTUP_OK, LC_RUNNING, ACT_START_PROBES);
	step(&s, EV_STARTUP_OK, LC_RUNNING, ACT_NONE);
}

/* Every cell: events that do not apply change nothing; nothing leaves a
 * state except through the table. */
Test(lifecycle, table_is_total_and_sane)
{
	for (int st = 0; st < LC_STATE_COUNT; st++)
		for (int ev = 0; ev < LC_EVENT_COUNT; ev++) {
			struct lc_step r = lifecycle_step(st, ev);
			cr_assert_lt(r.next, LC_STATE_COUNT);
			if (r.action == ACT_NONE)
				cr_assert_eq(r.next, st, "%s + %s moves without an action", lc_state_name(st),
					     lc_event_name(ev));
			if (ev == EV_EXIT && st != LC_PENDING && st != LC_EXITED)
				cr_assert_eq(r.next, LC_EXITED);
			if (ev == EV_STOP)
				cr_assert(r.next == LC_TERMINATING || r.next == LC_EXITED);
		}
	struct lc_step bad = lifecycle_step(LC_STATE_COUNT, EV_START);
	cr_assert_eq(bad.action, ACT_NONE);
}

Test(backoff, first_restart_immediate_then_doubling_to_cap)
{
	struct backoff b;
	backoff_init(&b, 1000, 8000, 60000);
	uint64_t t = 100000; /* an injected clock: each run lasts 5 s */
	uint64_t want[] = { 0, 1000, 2000, 4000, 8000, 8000, 8000 };
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t d = backoff_next(&b, t, t + 5000);
		cr_assert_eq(d, want[i], "restart %zu: %llu", i, (unsigned long long)d);
		t += 5000 + d;
	}
}

Test(backoff, resets_after_stable_running)
{
	struct backoff b;
	backoff_init(&b, 500, 300000, 10000);
	cr_assert_eq(backoff_next(&b, 0, 10), 0);
	cr_assert_eq(backoff_next(&b, 10, 20), 500);
	cr_assert_eq(backoff_next(&b, 520, 600), 1000);
	/* ran 10 s: the sequence starts again */
	cr_assert_eq(backoff_next(&b, 1600, 11600), 0);
	cr_assert_eq(backoff_next(&b, 11600, 11700), 500);
}

Test(backoff, never_overflows)
{
	struct backoff b;
	backoff_init(&b, 1000, UINT64_MAX / 2, UINT64_MAX);
	uint64_t d = 0;
	for (int i = 0; i < 200; i++)
		d = backoff_next(&b, 0, 1);
	cr_assert_leq(d, UINT64_MAX / 2);
	cr_assert_gt(d, 0);
}

Test(backoff, restart_policies)
{
	cr_assert(restart_wanted(RESTART_ALWAYS, 0));
	cr_assert(restart_wanted(RESTART_ALWAYS, 1));
	cr_assert(!restart_wanted(RESTART_ON_FAILURE, 0));
	cr_assert(restart_wanted(RESTART_ON_FAILURE, 137));
	cr_assert(!restart_wanted(RESTART_NEVER, 1));
	cr_assert(!restart_wanted(RESTART_NEVER, 0));
}
