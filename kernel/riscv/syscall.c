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
#include "irq.h"
#include "mem.h"
#include "kernel/kernel.h"
#include "signal.h"
#include "syscall.h"
#include "page.h"
#include "timer.h"
#include "waitset.h"

union sys_args {
	struct { char buf[SYS_PRINT_MAX]; size_t len; } print;
	uint32_t exit_status;
	struct { struct endpoint *ep; const struct cap *xfer[KMSG_MAX_CAPS];
	         unsigned nxfer; uintptr_t msg_out, msg_in; uint32_t size; } ipc;
	struct { struct waitset *ws; const struct cap *cap; uint64_t badge;
	         uintptr_t msg; } ws;
	struct { struct thread *t; uint64_t ticket; } tid;
	struct { struct mem *mem; size_t first, pages; uintptr_t va, phys;
	         unsigned perm; int mapping; } mem;
	struct { uint64_t irq; struct signal *sig; } irq;
	struct { const struct bootmod *mod; const struct cap *caps[PD_BOOT_CAPS_MAX];
	         unsigned ncaps; struct signal *exit; struct pd *pd; } pdi;
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
	args->ipc.nxfer = 0;
	if (xfer == -1)
		return 0;
	if (!(args->ipc.xfer[0] = cap_lookup(&t->pd->cspace, xfer)))
		return KERR_INVALID;
	args->ipc.nxfer = 1;
	return 0;
}

static long invoke_call(struct thread *t, const union sys_args *args,
                        struct thread **next)
{
	t->long_form = 0;
	*next = ipc_call(t, args->ipc.ep, args->ipc.xfer, args->ipc.nxfer);
	return 0;
}

/* A kmsg_t at `va` to be sent: its head and data readable, its size and
 * capability count in bounds, every capability one of the caller's. */
static int decode_kmsg_out(struct thread *t, uintptr_t va, union sys_args *args)
{
	struct kmsg_head head;
	if (!vm_user_range_ok(&t->pd->space, va, sizeof head, VM_R))
		return KERR_INVALID;
	vm_read_user(&t->pd->space, va, &head, sizeof head);
	if (head.size > KMSG_MAX_BYTES || head.cap_count > KMSG_MAX_CAPS)
		return KERR_TOO_BIG;
	if (!vm_user_range_ok(&t->pd->space, va + sizeof head, head.size, VM_R))
		return KERR_INVALID;
	for (unsigned i = 0; i < head.cap_count; i++)
		if (!(args->ipc.xfer[i] = cap_lookup(&t->pd->cspace, head.caps[i].sel)))
			return KERR_INVALID;
	args->ipc.nxfer = head.cap_count;
	args->ipc.size = head.size;
	args->ipc.msg_out = va;
	return 0;
}

/* Room for a whole kmsg_t at `va`, writable by the caller. */
static int decode_kmsg_in(struct thread *t, uintptr_t va)
{
	return vm_user_range_ok(&t->pd->space, va, sizeof(kmsg_t), VM_R | VM_W) ?
	       0 : KERR_INVALID;
}

static int decode_mcall(struct thread *t, union sys_args *args)
{
	int err = decode_endpoint(t, 0, &args->ipc.ep);
	if (!err)
		err = decode_kmsg_out(t, arg(t, 1), args);
	if (!err)
		err = decode_kmsg_in(t, arg(t, 2));
	args->ipc.msg_in = arg(t, 2);
	return err;
}

static long invoke_mcall(struct thread *t, const union sys_args *args,
                         struct thread **next)
{
	t->long_form = 1;
	t->msg_out = args->ipc.msg_out;
	t->msg_size = args->ipc.size;
	t->msg_in = args->ipc.msg_in;
	*next = ipc_call(t, args->ipc.ep, args->ipc.xfer, args->ipc.nxfer);
	if (t->state != THREAD_RUNNABLE)
		t->deadline = thread_deadline((long)arg(t, 3));
	return 0;
}

static int decode_mreply(struct thread *t, union sys_args *args)
{
	return decode_kmsg_out(t, arg(t, 0), args);
}

static long invoke_mreply(struct thread *t, const union sys_args *args,
                          struct thread **next)
{
	*next = ipc_reply_long(t, args->ipc.msg_out, args->ipc.size,
	                       args->ipc.xfer, args->ipc.nxfer);
	return 0;
}

static long invoke_reply_drop(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	ipc_reply_drop(t);
	return 0;
}

/* An endpoint the caller owns. */
static int decode_own_endpoint(struct thread *t, union sys_args *args)
{
	int err = decode_endpoint(t, 0, &args->ipc.ep);
	if (!err && !ipc_endpoint_owned_by(args->ipc.ep, t->pd))
		err = KERR_DENIED;
	return err;
}

static long invoke_ep_dissolve(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	ipc_endpoint_dissolve(args->ipc.ep);
	return 0;
}

static int decode_recv(struct thread *t, union sys_args *args)
{
	int err = decode_endpoint(t, 0, &args->ipc.ep);
	if (err)
		return err;
	if (!ipc_endpoint_owned_by(args->ipc.ep, t->pd))
		return KERR_DENIED;
	if (ipc_endpoint_has_receiver(args->ipc.ep) || ipc_endpoint_waitset(args->ipc.ep))
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
	const struct cap *caps[1] = { args->pd.boot_cap };
	int err = pd_create(args->pd.mod->name, args->pd.mod->data, args->pd.mod->size,
	                    caps, args->pd.boot_cap ? 1 : 0, 0, &why);
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
	if (signal_has_waiter(args->signal.sig) || signal_waitset(args->signal.sig))
		return KERR_INVALID;   /* another thread of the owner waits */
	return 0;
}

static int decode_own_signal(struct thread *t, union sys_args *args)
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
	return 0;
}

static int decode_ws_create(struct thread *t, union sys_args *args)
{
	return waitset_available() ? 0 : KERR_NOMEM;
}

static long invoke_ws_create(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	return waitset_create(t->pd);
}

static int decode_ws(struct thread *t, union sys_args *args)
{
	args->ws.ws = waitset_lookup(t->pd, arg(t, 0));
	return args->ws.ws ? 0 : KERR_INVALID;
}

static long invoke_ws_destroy(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	waitset_destroy(args->ws.ws);
	return 0;
}

/* The live endpoint or signal, of the caller's, that argument `i` names. */
static int decode_member(struct thread *t, unsigned i, union sys_args *args)
{
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, i));
	if (!c)
		return KERR_INVALID;
	if (c->type == KCAP_TYPE_ENDPOINT) {
		if (!ipc_endpoint_alive(c->obj))
			return KERR_REVOKED;
		if (!ipc_endpoint_owned_by(c->obj, t->pd))
			return KERR_DENIED;
	} else if (c->type == KCAP_TYPE_SIGNAL) {
		if (!signal_alive(c->obj))
			return KERR_REVOKED;
		if (!signal_owned_by(c->obj, t->pd))
			return KERR_DENIED;
	} else {
		return KERR_WRONG_TYPE;
	}
	args->ws.cap = c;
	return 0;
}

static int decode_ws_add(struct thread *t, union sys_args *args)
{
	int err = decode_ws(t, args);
	if (!err)
		err = decode_member(t, 1, args);
	if (err)
		return err;
	const struct cap *c = args->ws.cap;
	int endpoint = c->type == KCAP_TYPE_ENDPOINT;
	if (endpoint ? ipc_endpoint_waitset(c->obj) || ipc_endpoint_has_receiver(c->obj) :
	    signal_waitset(c->obj) || signal_has_waiter(c->obj))
		return KERR_INVALID;   /* in a waitset already, or waited on */
	if (!waitset_has_room(args->ws.ws, endpoint))
		return KERR_NOMEM;
	args->ws.badge = arg(t, 2);
	return 0;
}

/* Adding while another thread waits on the waitset: what is pending on
 * the endpoint or signal now goes to the waiter. */
static long invoke_ws_add(struct thread *t, const union sys_args *args,
                          struct thread **next)
{
	struct waitset *ws = args->ws.ws;
	if (args->ws.cap->type == KCAP_TYPE_ENDPOINT) {
		ipc_endpoint_bind(args->ws.cap->obj, ws, args->ws.badge);
		struct thread *w = waitset_take_waiter(ws);
		if (w && !waitset_take_queued(ws, w)) {
			w->state = THREAD_BLOCKED_WS;   /* nothing queued: back */
			w->ws = ws;
			ws->waiter = w;
		}
	} else {
		signal_bind(args->ws.cap->obj, ws, args->ws.badge);
		signal_submit(args->ws.cap->obj, 0);
	}
	return 0;
}

static int decode_ws_remove(struct thread *t, union sys_args *args)
{
	return decode_member(t, 0, args);
}

static long invoke_ws_remove(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	if (args->ws.cap->type == KCAP_TYPE_ENDPOINT)
		ipc_endpoint_unbind(args->ws.cap->obj);
	else
		signal_unbind(args->ws.cap->obj);
	return 0;
}

static int decode_ws_wait(struct thread *t, union sys_args *args)
{
	int err = decode_ws(t, args);
	if (err)
		return err;
	if (args->ws.ws->waiter)
		return KERR_INVALID;   /* another thread waits on it */
	args->ws.msg = arg(t, 1);
	return decode_kmsg_in(t, args->ws.msg);
}

static long invoke_ws_wait(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	if (t->canceled) {
		t->canceled = 0;
		return KERR_CANCELED;
	}
	long timeout = (long)arg(t, 2);
	*next = waitset_wait(t, args->ws.ws, args->ws.msg);
	if (t->state == THREAD_RUNNABLE)
		return 0;
	if (timeout == 0) {   /* a poll: nothing there */
		waitset_take_waiter(args->ws.ws);
		t->state = THREAD_RUNNABLE;
		return KERR_TIMEOUT;
	}
	t->deadline = thread_deadline(timeout);
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
	*next = next_runnable(t);
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

static int decode_mem_create(struct thread *t, union sys_args *args)
{
	uint64_t size = arg(t, 0);
	if (size == 0 || size > MEM_MAX_PAGES * PAGE_SIZE)
		return KERR_INVALID;
	args->mem.pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!mem_available(args->mem.pages) || !cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	return 0;
}

static long invoke_mem_create(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	struct cap cap = { KCAP_TYPE_MEMORY, mem_create(args->mem.pages) };
	return cap_insert(&t->pd->cspace, cap);
}

/* The memory object argument `i` names in the caller's space. */
static int decode_mem(struct thread *t, unsigned i, union sys_args *args)
{
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, i));
	if (!c)
		return KERR_INVALID;
	if (c->type != KCAP_TYPE_MEMORY)
		return KERR_WRONG_TYPE;
	args->mem.mem = c->obj;
	return 0;
}

static int decode_mem_size(struct thread *t, union sys_args *args)
{
	return decode_mem(t, 0, args);
}

static long invoke_mem_size(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	return (long)mem_size(args->mem.mem);
}

static int decode_mem_seal(struct thread *t, union sys_args *args)
{
	int err = decode_mem(t, 0, args);
	if (!err && mem_has_writable_mapping(args->mem.mem))
		err = KERR_DENIED;
	return err;
}

static long invoke_mem_seal(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	mem_seal(args->mem.mem);
	return 0;
}

/* kernel.h's KMEM_* into page permissions: readable always, never W+X,
 * no W on a sealed object. */
static int decode_perm(uint64_t flags, const struct mem *m, unsigned *perm)
{
	if (flags & ~(uint64_t)(KMEM_READ | KMEM_WRITE | KMEM_EXEC))
		return KERR_INVALID;
	if ((flags & KMEM_WRITE) && (flags & KMEM_EXEC))
		return KERR_DENIED;
	if ((flags & KMEM_WRITE) && mem_sealed(m))
		return KERR_DENIED;
	*perm = VM_R | (flags & KMEM_WRITE ? VM_W : 0) | (flags & KMEM_EXEC ? VM_X : 0);
	return 0;
}

static int decode_mem_map(struct thread *t, union sys_args *args)
{
	int err = decode_mem(t, 0, args);
	if (err)
		return err;
	uint64_t offset = arg(t, 1), size = arg(t, 2), va = arg(t, 4);
	if (offset % PAGE_SIZE || size == 0 || size % PAGE_SIZE || va % PAGE_SIZE ||
	    offset > mem_size(args->mem.mem) || size > mem_size(args->mem.mem) - offset)
		return KERR_INVALID;
	err = decode_perm(arg(t, 3), args->mem.mem, &args->mem.perm);
	if (err)
		return err;
	if (!vm_user_range_free(&t->pd->space, va, size))
		return KERR_INVALID;
	args->mem.pages = size / PAGE_SIZE;
	if (!mem_map_slot_free(t->pd) ||
	    page_free_count() < vm_tables_needed(args->mem.pages))
		return KERR_NOMEM;
	args->mem.first = offset / PAGE_SIZE;
	args->mem.va = va;
	return 0;
}

static long invoke_mem_map(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	mem_map(t->pd, args->mem.mem, args->mem.first, args->mem.pages,
	        args->mem.va, args->mem.perm);
	return 0;
}

static int decode_mem_unmap(struct thread *t, union sys_args *args)
{
	args->mem.mapping = mem_mapping_at(t->pd, arg(t, 0), arg(t, 1));
	return args->mem.mapping < 0 ? KERR_INVALID : 0;
}

static long invoke_mem_unmap(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	mem_unmap(t->pd, args->mem.mapping);
	return 0;
}

static int decode_iomem_create(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	uint64_t phys = arg(t, 0), size = arg(t, 1);
	if (!mem_device_range_ok(phys, size))
		return KERR_DENIED;
	if (!mem_available(0) || !cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	args->mem.phys = phys;
	args->mem.pages = size / PAGE_SIZE;
	return 0;
}

static long invoke_iomem_create(struct thread *t, const union sys_args *args,
                                struct thread **next)
{
	struct cap cap = { KCAP_TYPE_MEMORY, mem_create_device(args->mem.phys, args->mem.pages) };
	return cap_insert(&t->pd->cspace, cap);
}

static int decode_irq_bind(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->irq.irq = arg(t, 0);
	if (!irq_valid(args->irq.irq) || irq_bound(args->irq.irq))
		return KERR_INVALID;
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 1));
	if (!c)
		return KERR_INVALID;
	if (c->type != KCAP_TYPE_SIGNAL)
		return KERR_WRONG_TYPE;
	if (!signal_alive(c->obj))
		return KERR_REVOKED;
	args->irq.sig = c->obj;
	return 0;
}

static long invoke_irq_bind(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	irq_bind(args->irq.irq, args->irq.sig);
	return 0;
}

static long invoke_irq_ack(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	irq_ack(args->signal.sig);
	return 0;
}

static int decode_bootmod_mem(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->pdi.mod = bootmod_get(arg(t, 0));
	if (!args->pdi.mod || (uintptr_t)args->pdi.mod->data % PAGE_SIZE)
		return KERR_INVALID;
	if (!mem_available(0) || !cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	return 0;
}

static long invoke_bootmod_mem(struct thread *t, const union sys_args *args,
                               struct thread **next)
{
	struct cap cap = { KCAP_TYPE_MEMORY, mem_create_image(args->pdi.mod) };
	return cap_insert(&t->pd->cspace, cap);
}

static int decode_pd_create_image(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 0));
	if (!c)
		return KERR_INVALID;
	if (c->type != KCAP_TYPE_MEMORY)
		return KERR_WRONG_TYPE;
	if (!(args->pdi.mod = mem_image(c->obj)))
		return KERR_INVALID;   /* only boot modules start, for now */
	uint64_t count = arg(t, 2);
	int32_t sels[PD_BOOT_CAPS_MAX];
	if (count > PD_BOOT_CAPS_MAX ||
	    !vm_user_range_ok(&t->pd->space, arg(t, 1), count * sizeof sels[0], VM_R))
		return KERR_INVALID;
	vm_read_user(&t->pd->space, arg(t, 1), sels, count * sizeof sels[0]);
	for (unsigned i = 0; i < count; i++)
		if (!(args->pdi.caps[i] = cap_lookup(&t->pd->cspace, sels[i])))
			return KERR_INVALID;
	args->pdi.ncaps = (unsigned)count;
	args->pdi.exit = 0;
	if ((int64_t)arg(t, 3) != -1) {
		const struct cap *s = cap_lookup(&t->pd->cspace, (int64_t)arg(t, 3));
		if (!s)
			return KERR_INVALID;
		if (s->type != KCAP_TYPE_SIGNAL)
			return KERR_WRONG_TYPE;
		if (!signal_alive(s->obj))
			return KERR_REVOKED;
		args->pdi.exit = s->obj;
	}
	return 0;
}

/* pd_create() is itself split; its failure is the decode part's answer. */
static long invoke_pd_create_image(struct thread *t, const union sys_args *args,
                                   struct thread **next)
{
	const struct bootmod *m = args->pdi.mod;
	const char *why = "";
	struct pd *pd;
	int err = pd_create(m->name, m->data, m->size, args->pdi.caps, args->pdi.ncaps,
	                    &pd, &why);
	if (err) {
		kprintf("kernel: domain %s not created: %s\n", m->name, why);
		return err;
	}
	pd->held = 1;
	if (args->pdi.exit) {
		pd->exit_signal = args->pdi.exit;
		signal_ref(pd->exit_signal, 1);
	}
	return pd_id(pd);
}

/* A domain of the root's by id. */
static int decode_pd_id(struct thread *t, union sys_args *args)
{
	if (!pd_is_root(t->pd))
		return KERR_DENIED;
	args->pdi.pd = pd_of_id(arg(t, 0));
	return args->pdi.pd ? 0 : KERR_INVALID;
}

static long invoke_pd_kill(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	if (args->pdi.pd->state == PD_RUNNING)
		pd_kill(args->pdi.pd);
	return 0;
}

static long invoke_pd_state(struct thread *t, const union sys_args *args,
                            struct thread **next)
{
	const struct pd *pd = args->pdi.pd;
	if (pd->state == PD_RUNNING)
		return -1;
	return (long)(pd->status | (pd->killed ? 256u : 0u));
}

static long invoke_pd_wait(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	if (args->pdi.pd->state != PD_RUNNING)
		return 0;
	long timeout = (long)arg(t, 1);
	if (timeout == 0)
		return KERR_TIMEOUT;
	t->join = pd_id(args->pdi.pd);
	t->state = THREAD_BLOCKED_PD;
	t->deadline = thread_deadline(timeout);
	return 0;
}

static int decode_pd_release(struct thread *t, union sys_args *args)
{
	int err = decode_pd_id(t, args);
	if (!err && args->pdi.pd->state == PD_RUNNING)
		err = KERR_INVALID;   /* kill it first */
	return err;
}

static long invoke_pd_release(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	pd_release(args->pdi.pd);
	return 0;
}

static long invoke_pd_thread(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	return thread_of_tid(args->pdi.pd, arg(t, 1)) ? 0 : KERR_INVALID;
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
	[SYS_MCALL]         = { decode_mcall, invoke_mcall },
	[SYS_MREPLY]        = { decode_mreply, invoke_mreply },
	[SYS_REPLY_DROP]    = { decode_none, invoke_reply_drop },
	[SYS_EP_DISSOLVE]   = { decode_own_endpoint, invoke_ep_dissolve },
	[SYS_SIGNAL_DESTROY] = { decode_own_signal, invoke_signal_destroy },
	[SYS_WS_CREATE]     = { decode_ws_create, invoke_ws_create },
	[SYS_WS_DESTROY]    = { decode_ws, invoke_ws_destroy },
	[SYS_WS_ADD]        = { decode_ws_add, invoke_ws_add },
	[SYS_WS_REMOVE]     = { decode_ws_remove, invoke_ws_remove },
	[SYS_WS_WAIT]       = { decode_ws_wait, invoke_ws_wait },
	[SYS_PARK_TICKET]   = { decode_none, invoke_park_ticket },
	[SYS_PARK]          = { decode_park, invoke_park },
	[SYS_UNPARK]        = { decode_tid, invoke_unpark },
	[SYS_CANCEL]        = { decode_tid, invoke_cancel },
	[SYS_THREAD_SELF]   = { decode_none, invoke_thread_self },
	[SYS_THREAD_JOIN]   = { decode_tid, invoke_thread_join },
	[SYS_YIELD]         = { decode_none, invoke_yield },
	[SYS_MEM_CREATE]    = { decode_mem_create, invoke_mem_create },
	[SYS_MEM_SIZE]      = { decode_mem_size, invoke_mem_size },
	[SYS_MEM_SEAL]      = { decode_mem_seal, invoke_mem_seal },
	[SYS_MEM_MAP]       = { decode_mem_map, invoke_mem_map },
	[SYS_MEM_UNMAP]     = { decode_mem_unmap, invoke_mem_unmap },
	[SYS_IOMEM_CREATE]  = { decode_iomem_create, invoke_iomem_create },
	[SYS_IRQ_BIND]      = { decode_irq_bind, invoke_irq_bind },
	[SYS_IRQ_ACK]       = { decode_own_signal, invoke_irq_ack },
	[SYS_BOOTMOD_MEM]   = { decode_bootmod_mem, invoke_bootmod_mem },
	[SYS_PD_CREATE_IMAGE] = { decode_pd_create_image, invoke_pd_create_image },
	[SYS_PD_KILL]       = { decode_pd_id, invoke_pd_kill },
	[SYS_PD_STATE]      = { decode_pd_id, invoke_pd_state },
	[SYS_PD_WAIT]       = { decode_pd_id, invoke_pd_wait },
	[SYS_PD_RELEASE]    = { decode_pd_release, invoke_pd_release },
	[SYS_PD_THREAD]     = { decode_pd_id, invoke_pd_thread },
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
