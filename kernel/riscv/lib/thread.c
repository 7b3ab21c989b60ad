/*
 * Threads, park/unpark and cancellation (kernel/kernel.h) over the
 * kernel's threads: SYS_THREAD_CREATE starts a thread at thread_main()
 * on a stack this file allocates, which first points tp at a TLS block
 * of its own (picolibc's errno and the library's per-thread state live
 * there; the layout comes from component.ld), then learns its tid, gives
 * the kernel its name (SYS_THREAD_NAME: the name core's usage report
 * shows with the thread's switch count, as linux names its threads) and
 * runs the entry. Park tickets, unpark, cancel and join are the kernel's
 * (SYS_PARK_TICKET .. SYS_THREAD_JOIN), by tid.
 *
 * Records are never freed, only reused after a join (free list under a
 * lock), so kthread_unpark() on a joined thread is at most a spurious
 * wake-up of whichever thread has the record by then, as kernel.h allows.
 */
#include "lib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/lock.h>

#define DEFAULT_STACK ((size_t)64 * 1024u)

/* The main thread's record, and the calling thread's (thread-local). */
static struct kthread main_thread = { .name = "main", .tid = -1 };
static _Thread_local struct kthread *self;

/* Reusable records; the lock is picolibc's kind (libc.c). */
static struct kthread *free_records;
static struct __lock records_lock;

/* component.ld: the TLS image (.tdata to copy, then .tbss to zero). */
extern char __tdata_start[], __tdata_end[], __tls_end[];

struct kthread *kthread_self(void)
{
	if (!self) { /* only the main thread starts without it */
		self = &main_thread;
		atomic_store(&main_thread.tid,
		             sys_call2(SYS_THREAD_SELF, 0, 0));
	}
	return self;
}

long lib_self_tid(void)
{
	return atomic_load(&kthread_self()->tid);
}

const char *kthread_name(const kthread_t *thread)
{
	return thread->name;
}

uint32_t kthread_native_id(void)
{
	return (uint32_t)lib_self_tid();
}

static void *tls_block(void)
{
	/* Linker symbols of one image, compared as addresses. */
	uintptr_t start = (uintptr_t)__tdata_start;
	size_t size = (uintptr_t)__tls_end - start;
	char *tls = aligned_alloc(16, (size + 15) & ~(size_t)15);
	if (tls) {
		size_t data = (uintptr_t)__tdata_end - start;
		memcpy(tls, __tdata_start, data);
		memset(tls + data, 0, size - data);
	}
	return tls;
}

/* A new thread's first code: nothing may touch thread-local data
 * before tp is set. */
static void thread_main(long arg)
{
	struct kthread *t = (struct kthread *)arg;
	__asm__ volatile("mv tp, %0" ::"r"(t->tls) : "memory");
	self = t;
	atomic_store(&t->tid, sys_call2(SYS_THREAD_SELF, 0, 0));
	sys_call2(SYS_THREAD_NAME, (long)t->name, (long)strlen(t->name));
	if (atomic_exchange(&t->cancel, 0))
		sys_call2(SYS_CANCEL, atomic_load(&t->tid), 0);
	t->entry(t->arg);
	fflush(NULL); /* its unfinished lines are its own (libc.c) */
	sys_thread_exit();
}

static struct kthread *record(void)
{
	__retarget_lock_acquire(&records_lock);
	struct kthread *t = free_records;
	if (t)
		free_records = t->free_next;
	__retarget_lock_release(&records_lock);
	return t ? t : malloc(sizeof *t);
}

static void give_back(struct kthread *t)
{
	free(t->stack);
	free(t->tls);
	t->stack = t->tls = NULL;
	__retarget_lock_acquire(&records_lock);
	t->free_next = free_records;
	free_records = t;
	__retarget_lock_release(&records_lock);
}

int kthread_create(kthread_t **thread, const char *name, size_t stack_size,
                   void (*entry)(void *arg), void *arg)
{
	kthread_self(); /* the creator knows its own tid from now on */
	size_t size = ((stack_size ? stack_size : DEFAULT_STACK) + 15) &
	              ~(size_t)15;
	struct kthread *t = record();
	if (!t)
		return KERR_NOMEM;
	*t = (struct kthread){ .entry = entry, .arg = arg, .tid = -1 };
	strncpy(t->name, name ? name : "", sizeof t->name - 1);
	t->stack = aligned_alloc(16, size);
	t->tls = tls_block();
	long err = t->stack && t->tls ? 0 : KERR_NOMEM;
	if (!err)
		err = sys_thread_create(thread_main, (char *)t->stack + size,
		                        (long)t);
	if (err) {
		give_back(t);
		return (int)err;
	}
	*thread = t;
	return 0;
}

int kthread_join(kthread_t *thread)
{
	long tid;
	/* Not yet run: it learns its tid first thing once it does. */
	while ((tid = atomic_load(&thread->tid)) < 0)
		sys_call2(SYS_YIELD, 0, 0);
	long err = sys_call2(SYS_THREAD_JOIN, tid, 0);
	if (err < 0)
		return (int)err;
	give_back(thread);
	return 0;
}

uint32_t kthread_park_ticket(void)
{
	return (uint32_t)sys_call2(SYS_PARK_TICKET, 0, 0);
}

int kthread_park(uint32_t ticket)
{
	long err = sys_call2(SYS_PARK, ticket, 0);
	return err == KERR_CANCELED ? KERR_CANCELED : 0;
}

void kthread_unpark(kthread_t *thread)
{
	/* No tid yet: it has not run, so it has taken no ticket either. */
	long tid = atomic_load(&thread->tid);
	if (tid >= 0)
		sys_call2(SYS_UNPARK, tid, 0);
}

void kthread_cancel_blocking(kthread_t *thread)
{
	atomic_store(&thread->cancel, 1);
	long tid = atomic_load(&thread->tid);
	if (tid >= 0 && atomic_exchange(&thread->cancel, 0))
		sys_call2(SYS_CANCEL, tid, 0);
}

/* The kernel's thread ends (the domain's last one would end the domain
 * with 0, but a component's entrypoint thread outlives its main thread);
 * its record, stack and TLS block stay, as nothing joins it. */
_Noreturn void kthread_retire(void)
{
	fflush(NULL); /* its unfinished lines are its own (libc.c) */
	sys_thread_exit();
}

int kthread_pin(unsigned cpu)
{
	(void)cpu;
	return KERR_DENIED; /* one hart (README.md) */
}
