/*
 * The wait queue of wait_queue.h: blocking with park/unpark and a grant
 * flag, waking the first waiter in FIFO order, and the per-thread count of
 * wakers still on their way that keeps a woken thread's kernel object
 * alive until their unpark is done.
 */
#include "wait_queue.h"

#include <runtime/container_of.h>

struct waiter {
	struct fifo_elem elem;
	kthread_t *thread;
	atomic_uint *in_flight;
	atomic_bool granted; /* set once, under the guard, by the waker */
};

/*
 * Wakers on their way to unpark this thread. Thread-local because each
 * thread has its own; mutable by other threads (through the pointer in a
 * waiter record) because that is how wakers announce themselves.
 */
static _Thread_local atomic_uint wakes_in_flight;

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

int wait_queue_block(struct spinlock *guard, struct fifo *queue,
                     bool cancelable)
{
	struct waiter w = { .thread = kthread_self(),
		            .in_flight = &wakes_in_flight };
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

bool wait_queue_grant_first(struct fifo *queue, struct wake *wake)
{
	*wake = (struct wake){ NULL, NULL };
	struct fifo_elem *e = fifo_dequeue(queue);
	if (!e)
		return false;
	struct waiter *w = container_of(e, struct waiter, elem);
	*wake = (struct wake){ w->thread, w->in_flight };
	atomic_fetch_add(wake->in_flight, 1);
	atomic_store_explicit(&w->granted, true, memory_order_release);
	return true;
}

void wait_queue_wake(const struct wake *wake)
{
	if (!wake->thread)
		return;
	kthread_unpark(wake->thread);
	atomic_fetch_sub_explicit(wake->in_flight, 1, memory_order_release);
}

void wait_queue_quiesce(void)
{
	while (atomic_load_explicit(&wakes_in_flight, memory_order_acquire)) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
}
