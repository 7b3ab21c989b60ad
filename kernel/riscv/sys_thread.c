/*
 * The system calls of threads and signals (abi.h): thread create, exit,
 * self, join, yield, name; park, unpark, cancel; signal create, submit,
 * wait, destroy. Decode and invoke as syscall.c says.
 */
#include "abi.h"
#include "arch.h"
#include "bootmod.h"
#include "console.h"
#include "ipc.h"
#include "irq.h"
#include "kernel/kernel.h"
#include "mem.h"
#include "page.h"
#include "signal.h"
#include "syscall_impl.h"
#include "timer.h"
#include "waitset.h"

/* The entry must be executable and the top of the stack writable by the
 * caller; a bad sp or entry would only fault the new thread, but refusing
 * it here gives the caller the error. */
static int decode_thread_create(struct thread *t, union sys_args *args)
{
	uintptr_t entry = arg(t, 0), sp = arg(t, 1);
	if (sp % 16 || !vm_user_range_ok(&t->pd->space, entry, 4, VM_X) ||
	    !vm_user_range_ok(&t->pd->space, sp - 16, 16, VM_R | VM_W))
		return KERR_INVALID;
	if (!pd_obj_room(t->pd, PD_OBJ_THREAD))
		return KERR_LIMIT;
	if (!thread_available())
		return KERR_NOMEM;
	args->thread.entry = entry;
	args->thread.sp = sp;
	args->thread.arg = arg(t, 2);
	return 0;
}

static long invoke_thread_create(struct thread *t, const union sys_args *args,
                                 struct thread **next)
{
	thread_create(t->pd, args->thread.entry, args->thread.sp,
	              args->thread.arg);
	return 0;
}

static long invoke_thread_exit(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	thread_exit(t);
	return 0;
}

/* SYS_THREAD_NAME: the name's bytes that are kept, readable by the
 * caller, copied in. */
static int decode_thread_name(struct thread *t, union sys_args *args)
{
	uintptr_t va = arg(t, 0);
	size_t len = arg(t, 1);
	if (len > THREAD_NAME_MAX - 1)
		len = THREAD_NAME_MAX - 1;
	if (len && !vm_user_range_ok(&t->pd->space, va, len, VM_R))
		return KERR_INVALID;
	if (len)
		vm_read_user(&t->pd->space, va, args->name.name, len);
	args->name.len = len;
	return 0;
}

static long invoke_thread_name(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	thread_set_name(t, args->name.name, args->name.len);
	return 0;
}

static int decode_signal_create(struct thread *t, union sys_args *args)
{
	if (!pd_obj_room(t->pd, PD_OBJ_SIGNAL))
		return KERR_LIMIT;
	if (!signal_available() || !cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	return 0;
}

static long invoke_signal_create(struct thread *t, const union sys_args *args,
                                 struct thread **next)
{
	struct cap cap = { KCAP_TYPE_SIGNAL, signal_create(t->pd) };
	pd_obj_charge(t->pd, PD_OBJ_SIGNAL);
	return cap_insert(&t->pd->cspace, cap);
}

/* The live signal that argument 0 names in the caller's space. */
static int decode_signal(struct thread *t, union sys_args *args)
{
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0));
	if (!c)
		return KERR_INVALID;
	if (c->type != KCAP_TYPE_SIGNAL)
		return KERR_WRONG_TYPE;
	if (!signal_alive(c->obj))
		return KERR_REVOKED;
	args->signal.sig = c->obj;
	args->signal.count = (uint32_t)arg(t, 1);
	return 0;
}

static long invoke_signal_submit(struct thread *t, const union sys_args *args,
                                 struct thread **next)
{
	signal_submit(args->signal.sig, args->signal.count);
	return 0;
}

static int decode_signal_wait(struct thread *t, union sys_args *args)
{
	int err = decode_signal(t, args);
	if (err)
		return err;
	if (!signal_owned_by(args->signal.sig, t->pd))
		return KERR_DENIED;
	if (signal_has_waiter(args->signal.sig) ||
	    signal_waitset(args->signal.sig))
		return KERR_INVALID; /* another thread of the owner waits */
	return 0;
}

int decode_own_signal(struct thread *t, union sys_args *args)
{
	int err = decode_signal(t, args);
	if (!err && !signal_owned_by(args->signal.sig, t->pd))
		err = KERR_DENIED;
	return err;
}

static long invoke_signal_destroy(struct thread *t, const union sys_args *args,
                                  struct thread **next)
{
	signal_destroy(args->signal.sig);
	pd_obj_uncharge(t->pd, PD_OBJ_SIGNAL, 1);
	return 0;
}

static long invoke_park_ticket(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	return t->ticket;
}

static int decode_park(struct thread *t, union sys_args *args)
{
	args->tid.ticket = arg(t, 0);
	return 0;
}

static long invoke_park(struct thread *t, const union sys_args *args,
                        struct thread **next)
{
	if (t->canceled) {
		t->canceled = 0;
		return KERR_CANCELED;
	}
	if (t->ticket == args->tid.ticket)
		t->state = THREAD_BLOCKED_PARK;
	return 0;
}

/* A thread of the caller's domain by tid; a stale tid names none (0). */
static int decode_tid(struct thread *t, union sys_args *args)
{
	args->tid.t = thread_of_tid(t->pd, arg(t, 0));
	return 0;
}

static long invoke_unpark(struct thread *t, const union sys_args *args,
                          struct thread **next)
{
	struct thread *u = args->tid.t;
	if (!u)
		return 0;
	u->ticket++;
	if (u->state == THREAD_BLOCKED_PARK)
		thread_wake(u, 0);
	return 0;
}

static long invoke_cancel(struct thread *t, const union sys_args *args,
                          struct thread **next)
{
	struct thread *u = args->tid.t;
	if (!u)
		return 0;
	if (u->state == THREAD_BLOCKED_WS)
		waitset_take_waiter(u->ws);
	if (u->state == THREAD_BLOCKED_WS || u->state == THREAD_BLOCKED_PARK)
		thread_wake(u, KERR_CANCELED);
	else
		u->canceled = 1;
	return 0;
}

static long invoke_thread_self(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	return thread_tid(t);
}

static long invoke_thread_join(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	if (args->tid.t && args->tid.t != t) {
		t->join = thread_tid(args->tid.t);
		t->state = THREAD_BLOCKED_JOIN;
	}
	return 0;
}

static long invoke_yield(struct thread *t, const union sys_args *args,
                         struct thread **next)
{
	*next = next_runnable(t); /* the highest runnable (thread.h) */
	return 0;
}

static long invoke_signal_wait(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	signal_wait(t, args->signal.sig);
	return (long)t->frame.x[REG_A0];
}

/* SYS_PRIORITY: the root's, for a domain it holds (pd.h's) or its own,
 * one live thread of it or all, a level below PRIO_LEVELS. */
static int decode_priority(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	int64_t id = (int64_t)arg(t, 0), tid = (int64_t)arg(t, 1);
	uint64_t level = arg(t, 2);
	args->prio.pd = id == -1 ? t->pd : pd_of_id((uint64_t)id);
	if (!args->prio.pd || args->prio.pd->state != PD_RUNNING ||
	    level >= PRIO_LEVELS)
		return KERR_INVALID;
	args->prio.t = 0;
	if (tid != -1 &&
	    !(args->prio.t = thread_of_tid(args->prio.pd, (uint64_t)tid)))
		return KERR_INVALID;
	args->prio.level = (unsigned)level;
	return 0;
}

/* The scheduler looks again when the call returns (sched_run): a thread
 * lowered below another runnable one gives way then. */
static long invoke_priority(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	if (args->prio.t)
		thread_set_priority(args->prio.t, args->prio.level);
	else
		pd_set_priority(args->prio.pd, args->prio.level);
	return 0;
}

void sys_table_thread(struct syscall *table)
{
	table[SYS_THREAD_CREATE] = (struct syscall){ decode_thread_create,
		                                     invoke_thread_create };
	table[SYS_THREAD_EXIT] = (struct syscall){ decode_none,
		                                   invoke_thread_exit };
	table[SYS_SIGNAL_CREATE] = (struct syscall){ decode_signal_create,
		                                     invoke_signal_create };
	table[SYS_SIGNAL_SUBMIT] = (struct syscall){ decode_signal,
		                                     invoke_signal_submit };
	table[SYS_SIGNAL_WAIT] = (struct syscall){ decode_signal_wait,
		                                   invoke_signal_wait };
	table[SYS_SIGNAL_DESTROY] = (struct syscall){ decode_own_signal,
		                                      invoke_signal_destroy };
	table[SYS_PARK_TICKET] = (struct syscall){ decode_none,
		                                   invoke_park_ticket };
	table[SYS_PARK] = (struct syscall){ decode_park, invoke_park };
	table[SYS_UNPARK] = (struct syscall){ decode_tid, invoke_unpark };
	table[SYS_CANCEL] = (struct syscall){ decode_tid, invoke_cancel };
	table[SYS_THREAD_SELF] = (struct syscall){ decode_none,
		                                   invoke_thread_self };
	table[SYS_THREAD_JOIN] = (struct syscall){ decode_tid,
		                                   invoke_thread_join };
	table[SYS_YIELD] = (struct syscall){ decode_none, invoke_yield };
	table[SYS_THREAD_NAME] = (struct syscall){ decode_thread_name,
		                                   invoke_thread_name };
	table[SYS_PRIORITY] = (struct syscall){ decode_priority,
		                                invoke_priority };
}
