/*
 * Threads of libruntime (runtime/thread.h): a named wrapper around the
 * kernel's threads that remembers entry, argument and stack size.
 */
#include <runtime/thread.h>

#include <runtime/str.h>

int thread_start(struct thread *thread, const char *name, size_t stack_size,
                 void (*entry)(void *arg), void *arg)
{
	if (!thread || !entry)
		return KERR_INVALID;
	*thread = (struct thread){ .stack_size = stack_size, .entry = entry,
	                           .arg = arg };
	str_copy(thread->name, name ? name : "", sizeof thread->name);
	kthread_t *kt;
	int r = kthread_create(&kt, thread->name, stack_size, entry, arg);
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
