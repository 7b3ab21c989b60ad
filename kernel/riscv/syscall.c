/*
 * The system-call table (syscall.h). A decode function returns 0 or a
 * KERR_* value and fills `union sys_args`; it reads the caller's frame,
 * capability space and memory and changes nothing. The invoke function
 * gets only decoded arguments, cannot fail, returns the result for a0 and
 * may name the thread to switch to (an IPC partner). The number is checked
 * against the table before anything else.
 */
#include "abi.h"
#include "arch.h"
#include "bootmod.h"
#include "console.h"
#include "ipc.h"
#include "kernel/kernel.h"
#include "signal.h"
#include "syscall.h"
#include "timer.h"

union sys_args {
	struct { char buf[SYS_PRINT_MAX]; size_t len; } print;
	uint32_t exit_status;
	struct { struct endpoint *ep; const struct cap *xfer; } ipc;
	struct { const struct bootmod *mod; const struct cap *boot_cap; } pd;
	const struct cap *cap;
	struct { uintptr_t entry, sp; uint64_t arg; } thread;
	struct { struct signal *sig; uint32_t count; } signal;
	struct { const struct cap *a, *b; int64_t sel; } caps;
};

struct syscall {
	int (*decode)(struct thread *t, union sys_args *args);
	long (*invoke)(struct thread *t, const union sys_args *args,
	               struct thread **next);
};

static uint64_t arg(const struct thread *t, unsigned i)
{
	return t->frame.x[REG_A0 + i];
}

/* SYS_PRINT: the buffer must be the caller's, readable, and short. */
static int decode_print(struct thread *t, union sys_args *args)
{
	uintptr_t buf = arg(t, 0);
	size_t len = arg(t, 1);
	if (len > SYS_PRINT_MAX || !vm_user_range_ok(&t->pd->space, buf, len, VM_R))
		return KERR_INVALID;
	for (size_t i = 0; i < len; i++)
		args->print.buf[i] = *(const char *)vm_user_to_kernel(&t->pd->space, buf + i);
	args->print.len = len;
	return 0;
}

static long invoke_print(struct thread *t, const union sys_args *args,
                         struct thread **next)
{
	kprintf("[%s] ", t->pd->name);
	console_write_untrusted(args->print.buf, args->print.len);
	return (long)args->print.len;
}

static int decode_exit(struct thread *t, union sys_args *args)
{
	args->exit_status = (uint32_t)arg(t, 0) & 127u;
	return 0;
}

static long invoke_exit(struct thread *t, const union sys_args *args,
                        struct thread **next)
{
	pd_end(t->pd, args->exit_status);
	return 0;
}

static int decode_none(struct thread *t, union sys_args *args)
{
	return 0;
}

static long invoke_ticks(struct thread *t, const union sys_args *args,
                         struct thread **next)
{
	return (long)timer_ticks();
}

static int decode_ep_create(struct thread *t, union sys_args *args)
{
	if (!ipc_endpoint_available() || !cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	return 0;
}

static long invoke_ep_create(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	struct cap cap = { KCAP_TYPE_ENDPOINT, ipc_endpoint_create(t->pd) };
	return cap_insert(&t->pd->cspace, cap);
}

/* The live endpoint that argument `i` names in the caller's space. */
static int decode_endpoint(struct thread *t, unsigned i, struct endpoint **ep)
{
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, i));
	if (!c)
		return KERR_INVALID;
	if (c->type != KCAP_TYPE_ENDPOINT)
		return KERR_WRONG_TYPE;
	if (!ipc_endpoint_alive(c->obj))
		return KERR_REVOKED;
	*ep = c->obj;
	return 0;
}

static int decode_call(struct thread *t, union sys_args *args)
{
	int err = decode_endpoint(t, 0, &args->ipc.ep);
	if (err)
		return err;
	int64_t xfer = (int64_t)arg(t, 1);
	args->ipc.xfer = 0;
	if (xfer != -1 && !(args->ipc.xfer = cap_lookup(&t->pd->cspace, xfer)))
		return KERR_INVALID;
	return 0;
}

static long invoke_call(struct thread *t, const union sys_args *args,
                        struct thread **next)
{
	*next = ipc_call(t, args->ipc.ep, args->ipc.xfer);
	return 0;
}

static int decode_recv(struct thread *t, union sys_args *args)
{
	int err = decode_endpoint(t, 0, &args->ipc.ep);
	if (err)
		return err;
	if (!ipc_endpoint_owned_by(args->ipc.ep, t->pd))
		return KERR_DENIED;
	if (ipc_endpoint_has_receiver(args->ipc.ep))
		return KERR_INVALID;   /* another thread of the owner waits */
	return 0;
}

static long invoke_recv(struct thread *t, const union sys_args *args,
                        struct thread **next)
{
	*next = ipc_recv(t, args->ipc.ep);
	return 0;
}

static long invoke_reply(struct thread *t, const union sys_args *args,
                         struct thread **next)
{
	ipc_reply(t);
	return 0;
}

static long invoke_reply_recv(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	struct thread *caller = ipc_reply(t);
	struct thread *mine = ipc_recv(t, args->ipc.ep);
	*next = mine ? mine : caller;
	return 0;
}

static int decode_pd_create(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->pd.mod = bootmod_get(arg(t, 0));
	if (!args->pd.mod)
		return KERR_INVALID;
	int64_t boot_cap = (int64_t)arg(t, 1);
	args->pd.boot_cap = 0;
	if (boot_cap != -1 && !(args->pd.boot_cap = cap_lookup(&t->pd->cspace, boot_cap)))
		return KERR_INVALID;
	return 0;
}

/* pd_create() is itself split into decode and invoke; its failure is
 * the decode part's answer and changes nothing. */
static long invoke_pd_create(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	const char *why = "";
	int err = pd_create(args->pd.mod->name, args->pd.mod->data, args->pd.mod->size,
	                    args->pd.boot_cap, &why);
	if (err)
		kprintf("kernel: domain %s not created: %s\n", args->pd.mod->name, why);
	return err;
}

static long invoke_cap_type(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0));
	return c ? c->type : KCAP_TYPE_NONE;
}

/* The entry must be executable and the top of the stack writable by the
 * caller; a bad sp or entry would only fault the new thread, but refusing
 * it here gives the caller the error. */
static int decode_thread_create(struct thread *t, union sys_args *args)
{
	uintptr_t entry = arg(t, 0), sp = arg(t, 1);
	if (sp % 16 || !vm_user_range_ok(&t->pd->space, entry, 4, VM_X) ||
	    !vm_user_range_ok(&t->pd->space, sp - 16, 16, VM_R | VM_W))
		return KERR_INVALID;
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
	thread_create(t->pd, args->thread.entry, args->thread.sp, args->thread.arg);
	return 0;
}

static long invoke_thread_exit(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	thread_exit(t);
	return 0;
}

static int decode_signal_create(struct thread *t, union sys_args *args)
{
	if (!signal_available() || !cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	return 0;
}

static long invoke_signal_create(struct thread *t, const union sys_args *args,
                                 struct thread **next)
{
	struct cap cap = { KCAP_TYPE_SIGNAL, signal_create(t->pd) };
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
	if (signal_has_waiter(args->signal.sig))
		return KERR_INVALID;   /* another thread of the owner waits */
	return 0;
}

static long invoke_signal_wait(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	signal_wait(t, args->signal.sig);
	return (long)t->frame.x[REG_A0];
}

static int decode_cap_copy(struct thread *t, union sys_args *args)
{
	if (!(args->caps.a = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0))))
		return KERR_INVALID;
	if (!cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	return 0;
}

static long invoke_cap_copy(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	return cap_insert(&t->pd->cspace, *args->caps.a);
}

static int decode_cap_close(struct thread *t, union sys_args *args)
{
	args->caps.sel = (int64_t)arg(t, 0);
	if (args->caps.sel != -1 && !cap_lookup(&t->pd->cspace, args->caps.sel))
		return KERR_INVALID;
	return 0;
}

static long invoke_cap_close(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	if (args->caps.sel != -1)
		cap_clear(&t->pd->cspace, (unsigned)args->caps.sel);
	return 0;
}

static int decode_cap_same(struct thread *t, union sys_args *args)
{
	args->caps.a = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0));
	args->caps.b = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 1));
	return args->caps.a && args->caps.b ? 0 : KERR_INVALID;
}

static long invoke_cap_same(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	return args->caps.a->obj == args->caps.b->obj;
}

static const struct syscall table[SYS_COUNT] = {
	[SYS_PRINT]      = { decode_print, invoke_print },
	[SYS_EXIT]       = { decode_exit, invoke_exit },
	[SYS_TICKS]      = { decode_none, invoke_ticks },
	[SYS_EP_CREATE]  = { decode_ep_create, invoke_ep_create },
	[SYS_CALL]       = { decode_call, invoke_call },
	[SYS_RECV]       = { decode_recv, invoke_recv },
	[SYS_REPLY]      = { decode_none, invoke_reply },
	[SYS_REPLY_RECV] = { decode_recv, invoke_reply_recv },
	[SYS_PD_CREATE]  = { decode_pd_create, invoke_pd_create },
	[SYS_CAP_TYPE]   = { decode_none, invoke_cap_type },
	[SYS_THREAD_CREATE] = { decode_thread_create, invoke_thread_create },
	[SYS_THREAD_EXIT]   = { decode_none, invoke_thread_exit },
	[SYS_SIGNAL_CREATE] = { decode_signal_create, invoke_signal_create },
	[SYS_SIGNAL_SUBMIT] = { decode_signal, invoke_signal_submit },
	[SYS_SIGNAL_WAIT]   = { decode_signal_wait, invoke_signal_wait },
	[SYS_CAP_COPY]      = { decode_cap_copy, invoke_cap_copy },
	[SYS_CAP_CLOSE]     = { decode_cap_close, invoke_cap_close },
	[SYS_CAP_SAME]      = { decode_cap_same, invoke_cap_same },
};

struct thread *syscall_dispatch(struct thread *t)
{
	uint64_t nr = t->frame.x[REG_A7];
	if (nr >= SYS_COUNT) {
		t->frame.x[REG_A0] = (uint64_t)(long)KERR_INVALID;
		return 0;
	}
	union sys_args args;
	struct thread *next = 0;
	int err = table[nr].decode(t, &args);
	long result = err ? err : table[nr].invoke(t, &args, &next);
	/* A thread that blocked or ended gets its a0 when it wakes, if ever. */
	if (t->state == THREAD_RUNNABLE)
		t->frame.x[REG_A0] = (uint64_t)result;
	return next;
}
