/*
 * The arithmetic of a quota downgrade (README.md, "Quota downgrade"),
 * pure so that it is unit-tested without processes: what init still has
 * to take back of a running child's lowered quota, how much of that the
 * child's PD has free now, and the deadline of the yield request. Init
 * (downgrade.c) reads the PD's account, takes what yield_plan_take()
 * says, and counts the deadline down in ticks.
 *
 * Invariant: owed is what the child's PD quota exceeds its config entry
 * by; it only goes down by what was taken, or to zero when the child is
 * restarted (a new PD gets the entry's quota). A yield request is out
 * (left_ms > 0) only while something is owed, and left_ms never exceeds
 * deadline_ms; yield_plan.c asserts this (INVARIANT) in every operation.
 */
#ifndef INIT_YIELD_PLAN_H
#define INIT_YIELD_PLAN_H

#include <stdbool.h>
#include <stdint.h>

/* How long a child has to free what a yield request asks for before it
 * is restarted is the config's top-level `yield` `deadline_ms`, by
 * default RUNTIME_YIELD_DEADLINE_DEFAULT (format/runtime_config.h: 2 s,
 * long enough for a heap to give back its dataspaces and a handler to
 * drop its caches, short enough that the quota a config gave to another
 * child arrives soon). */

struct yield_amount {
	uint64_t ram, caps;
};

struct yield_plan {
	struct yield_amount owed; /* still to take back */
	uint32_t left_ms;         /* of the deadline; 0: no request out */
	uint32_t deadline_ms;     /* the whole deadline, for the log */
};

/* A lowering by `lower` (added to what is owed) and a raise by `raise`
 * of the same entry: a raise first cancels what is still owed. Returns
 * what remains to be moved to the child. */
struct yield_amount yield_plan_change(struct yield_plan *p,
                                      struct yield_amount lower,
                                      struct yield_amount raise);

/* What to take of the owed quota from a PD whose quota and use are
 * given: at most what it has free. */
struct yield_amount yield_plan_take(const struct yield_plan *p,
                                    uint64_t ram_quota, uint64_t ram_used,
                                    uint64_t caps_quota, uint64_t caps_used);

/* `taken` (as yield_plan_take said) went back; whether nothing is owed
 * any more (then the deadline is off). */
bool yield_plan_taken(struct yield_plan *p, struct yield_amount taken);

/* One tick of `tick_ms` of an outstanding request; true when its
 * deadline passed now. */
bool yield_plan_tick(struct yield_plan *p, uint32_t tick_ms);

bool yield_plan_owes(const struct yield_plan *p);

#endif
