/*
 * The restart policy's decision and its back-off schedule
 * (restart_policy.h). Pure; the numbers are in the header.
 */
#include "restart_policy.h"

/* The back-off before the restart that follows `streak` restarts in a
 * row. */
static uint32_t restart_backoff_ms(uint32_t streak)
{
	uint32_t delay = RESTART_BACKOFF_FIRST_MS;

	/* doubled step by step, so a long streak cannot overflow the shift */
	for (uint32_t i = 0; i < streak && delay < RESTART_BACKOFF_MAX_MS; i++)
		delay *= 2;
	return delay < RESTART_BACKOFF_MAX_MS ? delay : RESTART_BACKOFF_MAX_MS;
}

struct restart_decision restart_decide(enum runtime_restart policy, bool fault,
                                       int exit_code, uint32_t streak)
{
	struct restart_decision d = { RESTART_STEP_NONE, 0 };
	bool failure = fault || exit_code != 0;

	if (policy == RUNTIME_RESTART_NEVER ||
	    (policy == RUNTIME_RESTART_ON_FAILURE && !failure))
		return d;
	if (streak >= RESTART_STREAK_MAX) {
		d.step = RESTART_STEP_GIVE_UP;
		return d;
	}
	d.step = RESTART_STEP_AFTER;
	d.delay_ms = restart_backoff_ms(streak);
	return d;
}
