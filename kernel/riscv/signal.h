/*
 * Signals: asynchronous, counting notifications without payload (the
 * kernel interface's signal sources, kernel/kernel.h). A signal belongs to
 * the domain that created it, whose threads wait on it; any holder of its
 * capability may submit. N submitted counts arrive as N, never lost: a
 * wait returns the count gathered since the last one.
 *
 * Invariants:
 *   - a signal has at most one waiting thread, of its owner, and then its
 *     count is 0 (a submit hands the count to the waiter at once); it is
 *     then in no waitset (waitset.h), whose waiter takes counts likewise;
 *   - a dead signal (its owner ended) has no waiter; its object is reused
 *     once no capability names it (refs == 0).
 */
#ifndef RISCV_SIGNAL_H
#define RISCV_SIGNAL_H

#include <stdint.h>

#include "thread.h"

struct signal;
struct waitset;

int signal_available(void);
struct signal *signal_create(const struct pd *owner);
int signal_alive(const struct signal *s);
int signal_owned_by(const struct signal *s, const struct pd *pd);
int signal_has_waiter(const struct signal *s);

/* Reference counting by capability slots (cap.c). */
void signal_ref(void *s, int delta);

/* Adds `count`; wakes and returns the waiter if there was one. */
struct thread *signal_submit(struct signal *s, uint32_t count);

/* Takes the count into t's a0 if there is one, else blocks t. */
void signal_wait(struct thread *t, struct signal *s);

/* Waitsets (waitset.c): adding, removing, taking a count. */
void signal_bind(struct signal *s, struct waitset *ws, uint64_t badge);
void signal_unbind(struct signal *s);
struct waitset *signal_waitset(const struct signal *s);
/* The count pending on `s`, taken, and its badge; 0 if none. */
uint64_t signal_take(struct signal *s, uint64_t *badge);

/* Ends one signal: a waiter sees KERR_REVOKED, later submits too. */
void signal_destroy(struct signal *s);

/* Cleanup when a domain ends (see ipc.h for the order). */
void signal_thread_abort(struct thread *t);
unsigned signal_dissolve_owned(const struct pd *pd);

#endif /* RISCV_SIGNAL_H */
