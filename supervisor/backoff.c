// SPDX-License-Identifier: GPL-2.0-or-later
#include "supervisor/backoff.h"

void backoff_init(struct backoff *b, uint64_t base_ms, uint64_t max_ms, uint64_t reset_ms)
{
	*b = (struct backoff){ .base_ms = base_ms, .max_ms = max_ms, .reset_ms = reset_ms };
}

uint64_t backoff_next(struct backoff *b, uint64_t started_ms, uint64_t now_ms)
{
	if (now_ms >= started_ms && now_ms - started_ms >= b->reset_ms)
		b->failures = 0;
	unsigned n = b->failures;
	if (b->failures < 64)
		b->failures++;
	if (n == 0)
		return 0;
	uint64_t d = b->base_ms;
	for (unsigned i = 1; i < n && d < b->max_ms; i++)
		d *= 2;
	return d < b->max_ms ? d : b->max_ms;
}

bool restart_wanted(enum restart_policy policy, int status)
{
	switch (policy) {
	case RESTART_ALWAYS:
		return true;
	case RESTART_ON_FAILURE:
		return status != 0;
	case RESTART_NEVER:
		return false;
	}
	return false;
}
