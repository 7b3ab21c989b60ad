/*
 * Supervision of init's children by their restart policy (README.md,
 * "Restart policy"): when a child's program ends on its own, init asks
 * restart_policy.c what to do and does it here, on the entrypoint, timed
 * by the ticker (ticker.h), so that a back-off never holds up init or the
 * other children: the ended child is taken down at the next tick (its
 * quota comes back, the sessions others had at it end), started again
 * when its back-off has passed, and, once it ran RESTART_STABLE_MS, its
 * streak is cleared. After a full streak it is failed, with the reason
 * in the state report, and stays down until a config change starts it.
 *
 * One `struct init_supervision` sits in every struct init_child; it is
 * read and changed on the entrypoint only.
 */
#ifndef INIT_SUPERVISE_H
#define INIT_SUPERVISE_H

#include <stdbool.h>
#include <stdint.h>

struct init;
struct init_child;

struct init_supervision {
	uint32_t streak;     /* automatic restarts in a row */
	bool waiting;        /* ended; to be taken down and restarted */
	bool reap;           /* ended for good (given up): to be taken down */
	uint32_t backoff_ms; /* waiting: what is left of the back-off */
	uint32_t up_ms;      /* running with a streak: time up so far */
};

/* The child's program ended (its policy's `exited`; entrypoint): records
 * the end in its state, logs it, and restarts or gives up by its policy. */
void init_supervise_ended(struct init_child *ic, bool fault, int code);

/* A config change starts or restarts the child afresh: no back-off is
 * pending and the streak starts again. */
void init_supervise_reset(struct init_child *ic);

/* The ticker's tick (ticker.h). */
void init_supervise_tick(struct init *init);

#endif
