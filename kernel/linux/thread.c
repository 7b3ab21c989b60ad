/*
 * Threads of the kernel interface on Linux: pthreads behind kthread_t, the
 * park/unpark primitive the runtime builds its locks on, and cancellation
 * of a blocked thread.
 *
 * Park/unpark is a 32-bit futex word per thread. kthread_park_ticket()
 * reads it; kthread_unpark() increments it and wakes the futex;
 * kthread_park(ticket) sleeps only while the word still equals the ticket,
 * so an unpark between taking the ticket and parking is never lost.
 *
 * Cancellation is a flag plus two wake-ups: the futex word (for a parked
 * thread) and an eventfd that waitsets put in their epoll set (for a thread
 * in kwaitset_wait). Whoever blocks consumes the flag; a wake-up left
 * behind without a flag is a spurious one, which callers tolerate. The
 * child of a fork() gets an eventfd of its own on first use: sharing the
 * parent's, it would drain wake-ups meant for the parent's thread.
 *
 * kthread_self() works on every thread: a thread not started by
 * kthread_create() (the main thread, threads of other libraries) gets its
 * kthread_t lazily on first use, freed by a pthread key destructor when the
 * thread exits. Threads from kthread_create() are freed by kthread_join().
 *
 * "Freed" means given back to a pool of records that is never returned to
 * the allocator: a kthread_t pointer stays valid memory for the life of
 * the process, so kthread_unpark() on a thread that has exited or been
 * joined cannot touch freed memory. At worst the record serves a newer
 * thread by then, which sees a spurious wake-up, and park/unpark allows
 * those. The pool holds as many records as threads were ever alive at
 * once.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "error.h"
#include "thread.h"

struct kthread {
	pthread_t pthread;
	char name[32];
	atomic_uint park_word;
	atomic_int cancel_pending;
	atomic_int cancel_fd; /* -1 until a waitset asks for it */
	int joinable;         /* made by kthread_create() */
	void (*entry)(void *arg);
	void *arg;
	kthread_t *next_free; /* in the pool of gone threads */
};

/* The calling thread's kthread_t; thread-local, so no sharing. */
static _Thread_local kthread_t *current;

/* Installs the fork handler below once per process, at the first cancel
 * eventfd. */
static pthread_once_t cancel_atfork_once = PTHREAD_ONCE_INIT;

/* Key whose destructor frees the lazily made kthread_t of a thread that
 * kthread_create() did not start. Process-wide because pthread keys are;
 * set once under pthread_once. */
static pthread_key_t adopted_key;
static pthread_once_t adopted_key_once = PTHREAD_ONCE_INIT;

/* Records of threads that are gone, for the next thread to take (see the
 * top of this file). Process-wide because kthread_t pointers are; guarded
 * by `lock`, which a fork() handler holds across the fork so a child
 * never inherits it locked. */
static struct {
	pthread_mutex_t lock;
	kthread_t *free; /* linked through next_free */
	pthread_once_t atfork_once;
} pool = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.atfork_once = PTHREAD_ONCE_INIT,
};

static void pool_lock(void)
{
	pthread_mutex_lock(&pool.lock);
}
static void pool_unlock(void)
{
	pthread_mutex_unlock(&pool.lock);
}

static void pool_install_atfork(void)
{
	pthread_atfork(pool_lock, pool_unlock, pool_unlock);
}

/* A record from the pool, or a new one. Its park word keeps counting
 * where the last thread left it: a ticket is only ever compared with the
 * word of the same thread, so no value is special. */
static kthread_t *thread_alloc(const char *name)
{
	pthread_once(&pool.atfork_once, pool_install_atfork);
	pool_lock();
	kthread_t *t = pool.free;
	if (t)
		pool.free = t->next_free;
	pool_unlock();
	if (!t) {
		t = calloc(1, sizeof *t);
		if (!t)
			return NULL;
		atomic_init(&t->park_word, 0);
		atomic_init(&t->cancel_fd, -1);
	}
	t->next_free = NULL;
	t->joinable = 0;
	t->entry = NULL;
	t->arg = NULL;
	atomic_store(&t->cancel_pending, 0);
	snprintf(t->name, sizeof t->name, "%s", name ? name : "");
	return t;
}

/* Gives the record back to the pool. An unpark through a stale pointer
 * may still bump its park word, which is harmless (see above). */
static void thread_free(kthread_t *t)
{
	int fd = atomic_exchange(&t->cancel_fd, -1);

	if (fd >= 0)
		close(fd);
	pool_lock();
	t->next_free = pool.free;
	pool.free = t;
	pool_unlock();
}

static void adopted_thread_exit(void *arg)
{
	if (current == arg)
		current = NULL;
	thread_free(arg);
}

static void adopted_key_create(void)
{
	if (pthread_key_create(&adopted_key, adopted_thread_exit) != 0)
		abort(); /* only at the first kthread_self(); nothing to run on */
}

kthread_t *kthread_self(void)
{
	if (current)
		return current;
	pthread_once(&adopted_key_once, adopted_key_create);
	kthread_t *t = thread_alloc("");
	if (!t)
		abort(); /* kthread_self() cannot fail by contract */
	t->pthread = pthread_self();
	pthread_getname_np(t->pthread, t->name, sizeof t->name);
	if (pthread_setspecific(adopted_key, t) != 0)
		abort();
	current = t;
	return t;
}

const char *kthread_name(const kthread_t *thread)
{
	return thread ? thread->name : "";
}

uint32_t kthread_native_id(void)
{
	return (uint32_t)gettid();
}

static void *thread_start(void *arg)
{
	kthread_t *t = arg;
	char short_name[16]; /* Linux keeps 15 characters of a thread name */

	current = t;
	memcpy(short_name, t->name, sizeof short_name - 1);
	short_name[sizeof short_name - 1] = '\0';
	pthread_setname_np(pthread_self(), short_name);
	t->entry(t->arg);
	return NULL;
}

/* A stack size pthreads accepts: at least PTHREAD_STACK_MIN, whole pages. */
static size_t stack_size_for(size_t wanted)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (wanted < (size_t)PTHREAD_STACK_MIN)
		wanted = (size_t)PTHREAD_STACK_MIN;
	return (wanted + page - 1) / page * page;
}

int kthread_create(kthread_t **thread, const char *name, size_t stack_size,
                   void (*entry)(void *arg), void *arg)
{
	if (!thread || !entry)
		return KERR_INVALID;
	kthread_t *t = thread_alloc(name);
	if (!t)
		return KERR_NOMEM;
	t->entry = entry;
	t->arg = arg;
	t->joinable = 1;

	pthread_attr_t attr;
	int err = pthread_attr_init(&attr);
	if (err == 0 && stack_size)
		err = pthread_attr_setstacksize(&attr,
		                                stack_size_for(stack_size));
	if (err == 0)
		err = pthread_create(&t->pthread, &attr, thread_start, t);
	pthread_attr_destroy(&attr);
	if (err != 0) {
		thread_free(t);
		return kerr_from_errno(err);
	}
	*thread = t;
	return KERR_OK;
}

int kthread_join(kthread_t *thread)
{
	if (!thread || !thread->joinable || thread == current)
		return KERR_INVALID;
	int err = pthread_join(thread->pthread, NULL);
	if (err != 0)
		return kerr_from_errno(err);
	thread_free(thread);
	return KERR_OK;
}

static long futex(atomic_uint *word, int op, uint32_t value)
{
	return syscall(SYS_futex, word, op, value, NULL, NULL, 0);
}

uint32_t kthread_park_ticket(void)
{
	return atomic_load(&kthread_self()->park_word);
}

int kthread_take_cancel(kthread_t *thread)
{
	if (!atomic_exchange(&thread->cancel_pending, 0))
		return 0;
	int fd = atomic_load(&thread->cancel_fd);
	uint64_t count;
	if (fd >= 0 && read(fd, &count, sizeof count) < 0) {
		/* EAGAIN: the canceler has not written yet, or a waitset
		 * already drained it; its wake-up will be spurious. */
	}
	return 1;
}

_Noreturn void kthread_retire(void)
{
	for (;;)
		kthread_park(kthread_park_ticket());
}

int kthread_park(uint32_t ticket)
{
	kthread_t *self = kthread_self();

	if (kthread_take_cancel(self))
		return KERR_CANCELED;
	if (atomic_load(&self->park_word) == ticket)
		futex(&self->park_word, FUTEX_WAIT_PRIVATE, ticket);
	if (kthread_take_cancel(self))
		return KERR_CANCELED;
	return KERR_OK;
}

void kthread_unpark(kthread_t *thread)
{
	if (!thread)
		return;
	atomic_fetch_add(&thread->park_word, 1);
	futex(&thread->park_word, FUTEX_WAKE_PRIVATE, 1);
}

void kthread_cancel_blocking(kthread_t *thread)
{
	if (!thread)
		return;
	atomic_store(&thread->cancel_pending, 1);
	kthread_unpark(thread);
	int fd = atomic_load(&thread->cancel_fd);
	uint64_t one = 1;
	if (fd >= 0 && write(fd, &one, sizeof one) < 0) {
		/* EAGAIN at a counter of 2^64-2 wake-ups: still awake. */
	}
}

/* In the child after fork(): the one thread left lets go of the cancel
 * eventfd it shares with its original in the parent. */
static void cancel_fork_child(void)
{
	if (!current)
		return;
	int fd = atomic_exchange(&current->cancel_fd, -1);
	if (fd >= 0)
		close(fd);
}

static void cancel_install_atfork(void)
{
	pthread_atfork(NULL, NULL, cancel_fork_child);
}

int kthread_cancel_fd(kthread_t *thread, int *fd)
{
	int have = atomic_load(&thread->cancel_fd);

	pthread_once(&cancel_atfork_once, cancel_install_atfork);
	if (have < 0) {
		have = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (have < 0)
			return kerr_from_errno(errno);
		atomic_store(&thread->cancel_fd, have);
	}
	*fd = have;
	return KERR_OK;
}

int kthread_pin(unsigned cpu)
{
	cpu_set_t set;

	if (cpu >= CPU_SETSIZE)
		return KERR_INVALID;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof set, &set) != 0)
		return errno == EINVAL ? KERR_INVALID : KERR_DENIED;
	return KERR_OK;
}
