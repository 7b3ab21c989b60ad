/*
 * Semaphore: a counting semaphore (Genode's Semaphore) built on the
 * kernel's park/unpark. up() adds a unit or hands it straight to the
 * longest waiter; down() takes a unit or waits for one in FIFO order.
 *
 * semaphore_down() is not cancelable (a cancellation is consumed and the
 * thread waits again); semaphore_down_cancelable() returns KERR_CANCELED
 * without a unit when another thread calls thread_cancel_blocking() on it.
 */
#ifndef RUNTIME_SEMAPHORE_H
#define RUNTIME_SEMAPHORE_H

#include <runtime/fifo.h>
#include <runtime/spinlock.h>

#include <stdbool.h>

struct semaphore {
	struct spinlock guard; /* guards count and waiters */
	unsigned long count;
	struct fifo waiters;
};

void semaphore_init(struct semaphore *sem, unsigned long count);

void semaphore_up(struct semaphore *sem);
void semaphore_down(struct semaphore *sem);

/* 0 when a unit was taken, KERR_CANCELED when canceled first. */
int semaphore_down_cancelable(struct semaphore *sem);

/* Takes a unit if one is there; never blocks. */
bool semaphore_try_down(struct semaphore *sem);

/* Units available now (a snapshot). */
unsigned long semaphore_count(struct semaphore *sem);

#endif /* RUNTIME_SEMAPHORE_H */
