/*
 * Lock: a mutual-exclusion lock (Genode's Lock/Mutex) built on the
 * kernel's park/unpark. An uncontended acquire and release touch only a
 * spinlock-guarded word; contended acquirers wait in FIFO order and are
 * handed the lock directly by the releasing thread, so nobody starves.
 *
 * lock_acquire() is not cancelable: when another thread calls
 * thread_cancel_blocking() on a thread blocked in it, the cancellation is
 * consumed and the thread blocks again, as Genode's Lock does.
 * lock_acquire_cancelable() instead returns KERR_CANCELED.
 *
 * The lock is not recursive: acquiring a lock one holds blocks for ever.
 * Only the owner may release it.
 *
 *     LOCK_GUARD(&registry->lock);   // released when the scope ends
 */
#ifndef RUNTIME_LOCK_H
#define RUNTIME_LOCK_H

#include <runtime/fifo.h>
#include <runtime/spinlock.h>

#include <kernel/kernel.h>

#include <stdbool.h>

struct lock {
	struct spinlock guard; /* guards owner and waiters */
	kthread_t *owner;      /* NULL while free */
	struct fifo waiters;
};

#define LOCK_INIT { SPINLOCK_INIT, NULL, { NULL, NULL } }

void lock_init(struct lock *lock);

/* Blocks until the calling thread owns the lock. */
void lock_acquire(struct lock *lock);

/* Like lock_acquire(), but returns KERR_CANCELED, without the lock, when
 * the blocked thread is canceled. 0 when the lock was taken. */
int lock_acquire_cancelable(struct lock *lock);

/* Takes the lock if it is free; never blocks. */
bool lock_try_acquire(struct lock *lock);

/* Releases the lock, handing it to the longest waiter if there is one.
 * KERR_DENIED (and nothing changes) when the caller is not the owner. */
int lock_release(struct lock *lock);

/* Whether the calling thread owns the lock. */
bool lock_owned(struct lock *lock);

/* The scope guard: LOCK_GUARD(&l) acquires l and releases it when the
 * enclosing block is left, by whatever path. */
static inline struct lock *lock_guard_acquire_(struct lock *lock)
{
	lock_acquire(lock);
	return lock;
}

static inline void lock_guard_release_(struct lock **lock)
{
	lock_release(*lock);
}

#define LOCK_GUARD_JOIN_(a, b) a##b
#define LOCK_GUARD_NAME_(n) LOCK_GUARD_JOIN_(lock_guard_, n)
#define LOCK_GUARD(l) \
	struct lock *LOCK_GUARD_NAME_(__COUNTER__) \
	__attribute__((cleanup(lock_guard_release_), unused)) = \
		lock_guard_acquire_(l)

#endif /* RUNTIME_LOCK_H */
