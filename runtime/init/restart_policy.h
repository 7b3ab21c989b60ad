/*
 * What init does when a child's program ends on its own, by the child's
 * restart policy (format/runtime_config.h, `restart`; README.md, "Restart
 * policy"): leave it ended, restart it after a back-off, or give up and
 * call it failed. Pure: supervise.c asks it and does what it says, and
 * tests/unit/init/restart_policy_test.c checks the schedule.
 *
 * The schedule: the n-th restart in a row (n counted from 0: `streak`,
 * the restarts since the child last ran stably) waits
 * RESTART_BACKOFF_FIRST_MS << n, at most RESTART_BACKOFF_MAX_MS. After
 * RESTART_STREAK_MAX restarts in a row the next end is not restarted:
 * the child is failed. A child that runs RESTART_STABLE_MS after a
 * restart has its streak cleared (supervise.c counts that time).
 */
#ifndef INIT_RESTART_POLICY_H
#define INIT_RESTART_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include <format/runtime_config.h>

#define RESTART_BACKOFF_FIRST_MS 100u
#define RESTART_BACKOFF_MAX_MS 10000u
#define RESTART_STREAK_MAX 5u
#define RESTART_STABLE_MS 10000u

enum restart_step {
	RESTART_STEP_NONE,    /* the policy leaves it ended (exited/failed) */
	RESTART_STEP_AFTER,   /* restart it after `delay_ms` */
	RESTART_STEP_GIVE_UP, /* it would restart, but the streak is full */
};

struct restart_decision {
	enum restart_step step;
	uint32_t delay_ms; /* RESTART_STEP_AFTER only */
};

/* What to do when the program ended: by a fault (`fault`) or by exit
 * with `exit_code`, after `streak` restarts in a row. */
struct restart_decision restart_decide(enum runtime_restart policy, bool fault,
                                       int exit_code, uint32_t streak);

#endif
