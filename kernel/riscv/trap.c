/*
 * Trap handling in C, called by entry.S: trap_user() for everything that
 * happens while U-mode runs (system calls, the timer, faults), and
 * trap_kernel() for a trap in the kernel itself, which is always a bug.
 *
 * A fault of a user thread (page fault, illegal instruction, misaligned
 * access, anything that is not an ecall) ends its domain with status
 * 128 + scause and one console line naming the cause, address and pc.
 */
#include "abi.h"
#include "arch.h"
#include "console.h"
#include "frame.h"
#include "ipc.h"
#include "irq.h"
#include "panic.h"
#include "syscall.h"
#include "thread.h"
#include "timer.h"

_Noreturn void trap_user(struct frame *f);
_Noreturn void trap_kernel(uint64_t scause, uint64_t sepc, uint64_t stval);

static const char *exception_name(uint64_t cause)
{
	static const char *const names[] = {
		"instruction misaligned",
		"instruction access fault",
		"illegal instruction",
		"breakpoint",
		"load misaligned",
		"load access fault",
		"store misaligned",
		"store access fault",
		"ecall from U-mode",
		"ecall from S-mode",
		"reserved",
		"ecall from M-mode",
		"instruction page fault",
		"load page fault",
		"reserved",
		"store page fault",
	};
	return cause < sizeof names / sizeof names[0] ? names[cause]
	                                              : "unknown";
}

static void user_fault(struct thread *t)
{
	const struct frame *f = &t->frame;
	kprintf("kernel: domain %s killed: %s at %p, pc %p\n", t->pd->name,
	        exception_name(f->scause), (void *)f->stval, (void *)f->sepc);
	pd_end(t->pd, 128u + (uint32_t)(f->scause & 127u));
}

_Noreturn void trap_user(struct frame *f)
{
	struct thread *t = thread_current();
	KASSERT(f == &t->frame && !(f->sstatus & SSTATUS_SPP));
	if (f->scause & SCAUSE_INTERRUPT) {
		uint64_t irq = f->scause & ~SCAUSE_INTERRUPT;
		if (irq == IRQ_S_EXTERNAL)
			sched_run(0, irq_handle()); /* the driver first */
		if (irq != IRQ_S_TIMER)
			PANIC("unexpected interrupt");
		timer_tick();
		thread_timeouts();
		sched_run(1, 0);
	}
	if (f->scause == EXC_ECALL_U) {
		f->sepc += 4;
		uint64_t nr = f->x[REG_A7];
		struct thread *next = 0;
		if (nr == SYS_MCALL || nr == SYS_REPLY_WAIT)
			next = ipc_fastpath_kmsg(t);
		else if (nr == SYS_CALL || nr == SYS_REPLY_RECV)
			next = ipc_fastpath(t);
		if (next)
			sched_switch(next);
		sched_run(0, syscall_dispatch(t));
	}
	user_fault(t);
	sched_run(1, 0);
}

_Noreturn void trap_kernel(uint64_t scause, uint64_t sepc, uint64_t stval)
{
	kprintf("kernel: trap in the kernel: scause %lx (%s) sepc %lx stval %lx\n",
	        scause, exception_name(scause & 127u), sepc, stval);
	PANIC("trap in the kernel");
}
