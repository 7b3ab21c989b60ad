/*
 * The counting semaphore of runtime/semaphore.h. Invariant: count > 0
 * only while nobody waits; up() with waiters hands its unit to the first
 * waiter instead of counting it.
 */
#include <runtime/invariant.h>
#include <runtime/semaphore.h>

#include "wait_queue.h"

/* For INVARIANT, with the guard held: the invariant above. */
static bool semaphore_ok(const struct semaphore *sem)
{
	return sem->count == 0 || fifo_empty(&sem->waiters);
}

void semaphore_init(struct semaphore *sem, unsigned long count)
{
	spinlock_init(&sem->guard);
	sem->count = count;
	fifo_init(&sem->waiters);
}

void semaphore_up(struct semaphore *sem)
{
	struct wake wake;
	spinlock_acquire(&sem->guard);
	if (!wait_queue_grant_first(&sem->waiters, &wake))
		sem->count++;
	INVARIANT(semaphore_ok(sem));
	spinlock_release(&sem->guard);
	wait_queue_wake(&wake);
}

static int down(struct semaphore *sem, bool cancelable)
{
	spinlock_acquire(&sem->guard);
	INVARIANT(semaphore_ok(sem));
	if (sem->count > 0) {
		sem->count--;
		spinlock_release(&sem->guard);
		return 0;
	}
	return wait_queue_block(&sem->guard, &sem->waiters, cancelable);
}

void semaphore_down(struct semaphore *sem)
{
	down(sem, false);
}

int semaphore_down_cancelable(struct semaphore *sem)
{
	return down(sem, true);
}

bool semaphore_try_down(struct semaphore *sem)
{
	spinlock_acquire(&sem->guard);
	bool taken = sem->count > 0;
	if (taken)
		sem->count--;
	INVARIANT(semaphore_ok(sem));
	spinlock_release(&sem->guard);
	return taken;
}

unsigned long semaphore_count(struct semaphore *sem)
{
	spinlock_acquire(&sem->guard);
	unsigned long n = sem->count;
	spinlock_release(&sem->guard);
	return n;
}
