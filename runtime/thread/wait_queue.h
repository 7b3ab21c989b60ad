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
 * Known limit: between the grant and the unpark the waiter may see its
 * grant and run on; if its thread then ends and is joined before the
 * waker's unpark, that unpark names a freed kernel thread. The window is
 * a few instructions of the waker against a whole thread lifetime of the
 * waiter; closing it needs an unpark that tolerates ended threads from the
 * kernel interface.
 */
#ifndef RUNTIME_THREAD_WAIT_QUEUE_H
#define RUNTIME_THREAD_WAIT_QUEUE_H

#include <runtime/fifo.h>
#include <runtime/spinlock.h>

#include <kernel/kernel.h>

#include <stdbool.h>

/* With `guard` held: enqueues the calling thread on `queue`, releases
 * `guard` and blocks until a waker grants it. Returns 0 when granted.
 * A cancellation (kthread_cancel_blocking()) makes a `cancelable` wait
 * leave the queue and return KERR_CANCELED, unless the grant came first;
 * a wait that is not cancelable blocks again. Returns without `guard`. */
int wait_queue_block(struct spinlock *guard, struct fifo *queue, bool cancelable);

struct waiter;

/* With the guard of `queue` held: dequeues the first waiter and grants it
 * what it waits for. Returns it (and its thread in *thread), or NULL when
 * nobody waits. The caller must pass it to wait_queue_wake(). */
struct waiter *wait_queue_grant_first(struct fifo *queue, kthread_t **thread);

/* Without the guard: wakes the thread of a waiter granted by
 * wait_queue_grant_first(). Does nothing for NULL. */
void wait_queue_wake(kthread_t *thread);

#endif /* RUNTIME_THREAD_WAIT_QUEUE_H */
