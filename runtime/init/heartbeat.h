/*
 * Init's heartbeats (README.md, "Heartbeats"): while the running config
 * has `heartbeat`, init asks every running child's entrypoint for a
 * heartbeat once per `rate_ms` (child_heartbeat, runtime/child: a signal
 * to the child, answered by its entrypoint with a parent call). A child
 * that has not answered by the next round skipped a heartbeat: init
 * counts the skips in a row (the state report's `skipped_heartbeats`),
 * logs the 1st, 2nd, 4th, 8th, ... skip and the first answer again, and
 * restarts the child once it skipped `restart_after_skipped` in a row.
 * The rounds are timed by the ticker (ticker.h) on the entrypoint, so a
 * stuck child holds up nothing but itself.
 *
 * Why a signal there and a call back: a signal never blocks init (a call
 * into a stuck child would hold init's entrypoint), and the child's
 * answer is a call on its own parent object, so it names the child
 * without any id, and it can be made only by a free entrypoint
 * (runtime/env/heartbeat.c answers from a signal handler there).
 */
#ifndef INIT_HEARTBEAT_H
#define INIT_HEARTBEAT_H

#include <stdbool.h>
#include <stdint.h>

struct init;

struct init_child_heartbeat {
	uint32_t skipped; /* heartbeats in a row not answered */
};

/* One tick (entrypoint): a round of heartbeats when one is due. Whether
 * the config wants ticks for heartbeats. */
bool init_heartbeat_tick(struct init *init);

/* After a config was applied: starts the ticks if it has `heartbeat`. */
void init_heartbeat_apply(struct init *init);

#endif
