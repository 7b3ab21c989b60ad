/*
 * Thread: a thread of the component (Genode's Thread) with a name, a stack
 * size and an entry function, on the kernel's kthread_create(). Blocking
 * operations of the runtime (lock_acquire_cancelable(),
 * semaphore_down_cancelable(), waiting in an RPC entrypoint) can be
 * canceled from another thread with thread_cancel_blocking(), Genode's
 * cancel_blocking: the blocked call returns KERR_CANCELED once.
 */
#ifndef RUNTIME_THREAD_H
#define RUNTIME_THREAD_H

#include <kernel/kernel.h>

#include <stddef.h>

enum { THREAD_NAME_MAX = 32 };

struct thread {
	kthread_t *kthread; /* NULL until started, again after join */
	char name[THREAD_NAME_MAX];
	size_t stack_size;
	void (*entry)(void *arg);
	void *arg;
};

/* Starts a thread running entry(arg) on a stack of `stack_size` bytes
 * (0: the platform default). A longer name is cut to THREAD_NAME_MAX - 1.
 * 0, KERR_INVALID (no entry, or `thread` already running) or the
 * kernel's error. `thread` must stay in place until thread_join(). */
int thread_start(struct thread *thread, const char *name, size_t stack_size,
                 void (*entry)(void *arg), void *arg);

/* Waits until the thread's entry returned. KERR_INVALID when it was never
 * started or was joined already. */
int thread_join(struct thread *thread);

/* Makes the thread's current or next blocking operation return
 * KERR_CANCELED (cancelable operations) or re-block (the others). */
void thread_cancel_blocking(struct thread *thread);

const char *thread_name(const struct thread *thread);

#endif /* RUNTIME_THREAD_H */
