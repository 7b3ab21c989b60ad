/*
 * The lock of runtime/lock.h. The spinlock guards `owner` and the wait
 * queue; a release with waiters makes the first waiter the owner before
 * it wakes (a direct hand-over), so the lock is never free while someone
 * waits for it and waiters are served in FIFO order.
 */
#include <runtime/lock.h>

#include "wait_queue.h"

void lock_init(struct lock *lock)
{
	spinlock_init(&lock->guard);
	lock->owner = NULL;
	fifo_init(&lock->waiters);
}

static int acquire(struct lock *lock, bool cancelable)
{
	kthread_t *self = kthread_self();
	spinlock_acquire(&lock->guard);
	if (!lock->owner) {
		lock->owner = self;
		spinlock_release(&lock->guard);
		return 0;
	}
	/* on success the releaser made us the owner */
	return wait_queue_block(&lock->guard, &lock->waiters, cancelable);
}

void lock_acquire(struct lock *lock)
{
	acquire(lock, false);
}

int lock_acquire_cancelable(struct lock *lock)
{
	return acquire(lock, true);
}

bool lock_try_acquire(struct lock *lock)
{
	kthread_t *self = kthread_self();
	spinlock_acquire(&lock->guard);
	bool taken = !lock->owner;
	if (taken)
		lock->owner = self;
	spinlock_release(&lock->guard);
	return taken;
}

int lock_release(struct lock *lock)
{
	kthread_t *self = kthread_self();
	spinlock_acquire(&lock->guard);
	if (lock->owner != self) {
		spinlock_release(&lock->guard);
		return KERR_DENIED;
	}
	struct wake wake;
	wait_queue_grant_first(&lock->waiters, &wake);
	lock->owner = wake.thread;
	spinlock_release(&lock->guard);
	wait_queue_wake(&wake);
	return 0;
}

bool lock_owned(struct lock *lock)
{
	kthread_t *self = kthread_self();
	spinlock_acquire(&lock->guard);
	bool mine = lock->owner == self;
	spinlock_release(&lock->guard);
	return mine;
}
