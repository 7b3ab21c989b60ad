/*
 * Threads of libruntime (runtime/thread.h): a named wrapper around the
 * kernel's threads that remembers entry, argument and stack size. The
 * struct thread is read by the new thread, so it must stay in place until
 * thread_join().
 */
#include <runtime/thread.h>

#include <runtime/str.h>

#include "wait_queue.h"

/* Runs the entry, then waits until no waker still holds on to this
 * thread (see wait_queue.h), so that joining it frees nothing in use. */
static void thread_main(void *arg)
{
	struct thread *thread = arg;
	thread->entry(thread->arg);
	wait_queue_quiesce();
}

int thread_start(struct thread *thread, const char *name, size_t stack_size,
                 void (*entry)(void *arg), void *arg)
{
	if (!thread || !entry)
		return KERR_INVALID;
	*thread = (struct thread){ .stack_size = stack_size,
		                   .entry = entry,
		                   .arg = arg };
	str_copy(thread->name, name ? name : "", sizeof thread->name);
	kthread_t *kt;
	int r = kthread_create(&kt, thread->name, stack_size, thread_main,
	                       thread);
	if (r)
		return r;
	thread->kthread = kt;
	return 0;
}

int thread_join(struct thread *thread)
{
	if (!thread || !thread->kthread)
		return KERR_INVALID;
	int r = kthread_join(thread->kthread);
	if (r == 0)
		thread->kthread = NULL;
	return r;
}

void thread_cancel_blocking(struct thread *thread)
{
	if (thread && thread->kthread)
		kthread_cancel_blocking(thread->kthread);
}

const char *thread_name(const struct thread *thread)
{
	return thread->name;
}
