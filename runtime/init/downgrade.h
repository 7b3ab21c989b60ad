/*
 * Quota downgrade without restart (README.md, "Quota downgrade"): a
 * config that lowers a running child's `ram` or `caps` first takes back
 * what the child's PD has free (child_downgrade, parent.downgrade of its
 * PD session at core), then, for the rest, sends the child a yield
 * request (child_yield); libruntime's heap gives back its free dataspaces
 * and the component's yield handler frees more. Each answer of the child
 * and each tick take back what is free by then. What is not back within
 * the config's `yield` deadline (2 s by default) is taken by restarting
 * the child, and init logs why. Entrypoint thread only.
 */
#ifndef INIT_DOWNGRADE_H
#define INIT_DOWNGRADE_H

#include <stdbool.h>

#include "yield_plan.h"

struct init;
struct init_child;

/* The running child's entry (already the new one) was lowered by
 * `lower` and raised by `raise`; returns what remains to be moved to the
 * child of the raise (a raise first cancels what is still owed). */
struct yield_amount init_downgrade_change(struct init *init,
                                          struct init_child *ic,
                                          struct yield_amount lower,
                                          struct yield_amount raise);

/* The child answered the yield request (its policy's `yielded`). */
void init_downgrade_yielded(struct init_child *ic);

/* One tick; whether some child still owes quota (wants ticks). */
bool init_downgrade_tick(struct init *init);

#endif
