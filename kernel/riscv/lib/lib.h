/*
 * libkernel for riscv: the kernel interface (kernel/include/kernel/
 * kernel.h) for user programs of the riscv kernel, over its system calls
 * (../abi.h, ../user/sys.h), built with picolibc. This private header is
 * shared by the library's rooms: one concept per file (ipc.c, waitset.c,
 * thread.c, ...), and libc.c, the hooks picolibc asks of its platform.
 *
 * The library keeps no state the kernel could keep instead: selectors,
 * waitsets, park tickets and tids are the kernel's; what is here is the
 * user-side records kernel.h hands out as pointers.
 */
#ifndef RISCV_LIB_H
#define RISCV_LIB_H

#include <kernel/kernel.h>

#include <stdatomic.h>

/* A reply without capabilities that kipc_reply() has put into the
 * thread's IPC buffer and held back, so that the thread's next wait sends
 * it and waits in one system call (SYS_REPLY_WAIT, ipc.c). Any other
 * system call of the thread sends it first (SYS_BEFORE, ../user/sys.h),
 * so it is late by no more than the thread's own code between the two. */
extern _Thread_local int lib_reply_held;
void lib_reply_send(void);
#define SYS_BEFORE() do { if (lib_reply_held) lib_reply_send(); } while (0)

#include "../user/sys.h"

/* A thread as kernel.h's kthread_t. Records are reused (never freed),
 * so a late kthread_unpark() reaches valid memory (kernel.h). */
struct kthread {
	char name[32];
	void (*entry)(void *arg);
	void *arg;
	void *stack, *tls; /* the library's allocations, freed by join */
	atomic_long tid;   /* the kernel's tid; -1 until it has run */
	atomic_int cancel; /* a cancel that came before the tid */
	struct kthread *free_next;
};

/* picolibc's lock (its sys/lock.h leaves struct __lock to the
 * platform): the owning thread's record and a depth for the recursive
 * kind; waiting yields the hart (libc.c). */
struct __lock {
	atomic_uintptr_t owner;
	unsigned depth;
};

/* The calling thread's tid, without a system call (thread.c). */
long lib_self_tid(void);

/* The owner's selector of an endpoint or signal source, which the
 * kernel's waitset calls name (ipc.c, waitset.c). */
kcap_t lib_endpoint_selector(const kendpoint_t *ep);

/* The calling thread's registered IPC buffer (SYS_IPCBUF, registered on
 * the first call), or 0 when the kernel had no frames for it: messages
 * then go from and to the caller's own memory. Its kmsg_t to receive
 * comes first, the one to send at lib_ipcbuf_out(). */
kmsg_t *lib_ipcbuf(void);
static inline kmsg_t *lib_ipcbuf_out(kmsg_t *buf)
{
	return (kmsg_t *)((char *)buf + 8192);
}

/* Copies a message's head and its `size` data bytes (no more). */
void lib_msg_copy(kmsg_t *to, const kmsg_t *from);

/* A reply token for the request the calling thread has just received
 * (ipc.c); the previous one is void from now on. */
kreply_t lib_reply_token(void);

#endif /* RISCV_LIB_H */
