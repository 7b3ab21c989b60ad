/*
 * The wait queue of wait_queue.h: blocking with park/unpark and a grant
 * flag, and waking the first waiter in FIFO order.
 */
#include "wait_queue.h"

#include <runtime/container_of.h>

#include <stdatomic.h>

struct waiter {
	struct fifo_elem elem;
	kthread_t *thread;
	atomic_bool granted;   /* set once, under the guard, by the waker */
};

/* After a cancellation: leaves the queue unless the grant came first.
 * Returns 0 when granted, KERR_CANCELED when the wait was given up. */
static int give_up(struct spinlock *guard, struct fifo *queue, struct waiter *w)
{
	spinlock_acquire(guard);
	bool granted = atomic_load(&w->granted);
	if (!granted)
		fifo_remove(queue, &w->elem);
	spinlock_release(guard);
	return granted ? 0 : KERR_CANCELED;
}

int wait_queue_block(struct spinlock *guard, struct fifo *queue, bool cancelable)
{
	struct waiter w = { .thread = kthread_self() };
	atomic_init(&w.granted, false);
	fifo_enqueue(queue, &w.elem);
	spinlock_release(guard);
	for (;;) {
		uint32_t ticket = kthread_park_ticket();
		if (atomic_load_explicit(&w.granted, memory_order_acquire))
			return 0;
		if (kthread_park(ticket) == KERR_CANCELED && cancelable)
			return give_up(guard, queue, &w);
	}
}

struct waiter *wait_queue_grant_first(struct fifo *queue, kthread_t **thread)
{
	struct fifo_elem *e = fifo_dequeue(queue);
	if (!e)
		return NULL;
	struct waiter *w = container_of(e, struct waiter, elem);
	*thread = w->thread;   /* read before the grant frees the record */
	atomic_store_explicit(&w->granted, true, memory_order_release);
	return w;
}

void wait_queue_wake(kthread_t *thread)
{
	if (thread)
		kthread_unpark(thread);
}
