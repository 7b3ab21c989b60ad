/*
 * Private to runtime/thread/: the two pieces that the lock and the
 * semaphore share. A spinlock (a test-and-set flag) guards the few words
 * of state of a lock or semaphore for a handful of instructions; a wait
 * queue is a FIFO of threads blocked on it, each parked with the kernel's
 * park/unpark primitive until a waker grants it what it waits for.
 *
 * Protocol: a waiter enqueues itself under the spinlock and parks. A
 * waker dequeues the first waiter under the spinlock and marks it granted
 * (wait_queue_grant_first()); after releasing the spinlock it unparks the
 * waiter's thread (wait_queue_wake()), which is its last touch of anything
 * the waiter owns. The unpark is a system call and stays out of the
 * spinlock, and a woken waiter never waits for its waker: both would make
 * a woken thread spin while its preempted waker holds what it needs.
 *
 * Lifetime: between the grant and the unpark the waiter may see its grant
 * and run on. So that its thread is not freed under the waker's unpark,
 * the waker counts itself in the waiter thread's wakes-in-flight counter
 * (thread-local, found through the waiter record under the spinlock)
 * until its unpark is done, and a thread started by thread_start() waits
 * for that counter to drop to zero before it ends (wait_queue_quiesce()).
 * Threads made with kthread_create() directly lack that last step; for
 * them the window is the few instructions between a grant and its unpark.
 */
#ifndef RUNTIME_THREAD_WAIT_QUEUE_H
#define RUNTIME_THREAD_WAIT_QUEUE_H

#include <runtime/fifo.h>
#include <runtime/spinlock.h>

#include <kernel/kernel.h>

#include <stdatomic.h>
#include <stdbool.h>

/* With `guard` held: enqueues the calling thread on `queue`, releases
 * `guard` and blocks until a waker grants it. Returns 0 when granted.
 * A cancellation (kthread_cancel_blocking()) makes a `cancelable` wait
 * leave the queue and return KERR_CANCELED, unless the grant came first;
 * a wait that is not cancelable blocks again. Returns without `guard`. */
int wait_queue_block(struct spinlock *guard, struct fifo *queue,
                     bool cancelable);

/* What a waker needs to wake a granted waiter, taken from the waiter
 * record before the grant (after which the record may be gone). */
struct wake {
	kthread_t *thread;
	atomic_uint *in_flight; /* the waiter thread's wakes in flight */
};

/* With the guard of `queue` held: dequeues the first waiter, grants it
 * what it waits for and fills *wake. Returns false when nobody waits
 * (*wake then names no thread). The caller must call wait_queue_wake(). */
bool wait_queue_grant_first(struct fifo *queue, struct wake *wake);

/* Without the guard: wakes a waiter granted by wait_queue_grant_first().
 * Does nothing when it granted nobody. */
void wait_queue_wake(const struct wake *wake);

/* Waits until no waker is still on its way to wake the calling thread;
 * a thread calls it last, before it ends. */
void wait_queue_quiesce(void);

#endif /* RUNTIME_THREAD_WAIT_QUEUE_H */
