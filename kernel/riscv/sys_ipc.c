/*
 * The system calls of IPC (abi.h): endpoints, call, receive and reply in
 * both message forms, waitsets, reply+wait, registered IPC buffers. Decode and invoke as syscall.c says.
 */
#include "abi.h"
#include "arch.h"
#include "bootmod.h"
#include "console.h"
#include "ipc.h"
#include "ipcbuf.h"
#include "irq.h"
#include "kernel/kernel.h"
#include "mem.h"
#include "page.h"
#include "signal.h"
#include "stream.h"
#include "syscall_impl.h"
#include "timer.h"
#include "waitset.h"

static int decode_ep_create(struct thread *t, union sys_args *args)
{
	if (!pd_obj_room(t->pd, PD_OBJ_ENDPOINT))
		return KERR_LIMIT;
	if (!ipc_endpoint_available() || !cap_has_free_slot(&t->pd->cspace))
		return KERR_NOMEM;
	return 0;
}

static long invoke_ep_create(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	struct cap cap = { KCAP_TYPE_ENDPOINT, ipc_endpoint_create(t->pd) };
	pd_obj_charge(t->pd, PD_OBJ_ENDPOINT);
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
 * capability count in bounds, every capability one of the caller's. In
 * the caller's IPC buffer the head is read where it is and the data, at
 * most KMSG_MAX_BYTES, is there by construction (ipcbuf.h). */
static int decode_kmsg_out(struct thread *t, uintptr_t va,
                           const struct cap **xfer, unsigned *nxfer,
                           uint32_t *size)
{
	const kmsg_t *m = ipcbuf_msg(t, va);
	struct kmsg_head head;
	if (m) {
		head.size = m->size;
		head.cap_count = m->cap_count;
	} else if (msg_range_ok(t, va, sizeof head, VM_R)) {
		msg_read(t, va, &head, sizeof head);
	} else {
		return KERR_INVALID;
	}
	if (head.size > KMSG_MAX_BYTES || head.cap_count > KMSG_MAX_CAPS)
		return KERR_TOO_BIG;
	if (!m && !msg_range_ok(t, va + sizeof head, head.size, VM_R))
		return KERR_INVALID;
	for (unsigned i = 0; i < head.cap_count; i++) {
		int32_t sel = m ? m->caps[i].sel : head.caps[i].sel;
		if (!(xfer[i] = cap_lookup(&t->pd->cspace, sel)))
			return KERR_INVALID;
	}
	*nxfer = head.cap_count;
	*size = head.size;
	return 0;
}

/* Room for a whole kmsg_t at `va`, writable by the caller. */
static int decode_kmsg_in(struct thread *t, uintptr_t va)
{
	if (ipcbuf_msg(t, va))
		return 0;
	return msg_range_ok(t, va, sizeof(kmsg_t), VM_R | VM_W) ? 0
	                                                        : KERR_INVALID;
}

static int decode_mcall(struct thread *t, union sys_args *args)
{
	int err = decode_endpoint(t, 0, &args->ipc.ep);
	if (!err)
		err = decode_kmsg_out(t, arg(t, 1), args->ipc.xfer,
		                      &args->ipc.nxfer, &args->ipc.size);
	if (!err)
		err = decode_kmsg_in(t, arg(t, 2));
	args->ipc.msg_out = arg(t, 1);
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
	args->ipc.msg_out = arg(t, 0);
	return decode_kmsg_out(t, arg(t, 0), args->ipc.xfer, &args->ipc.nxfer,
	                       &args->ipc.size);
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
	pd_obj_uncharge(t->pd, PD_OBJ_ENDPOINT, 1);
	return 0;
}

static int decode_recv(struct thread *t, union sys_args *args)
{
	int err = decode_endpoint(t, 0, &args->ipc.ep);
	if (err)
		return err;
	if (!ipc_endpoint_owned_by(args->ipc.ep, t->pd))
		return KERR_DENIED;
	if (ipc_endpoint_has_receiver(args->ipc.ep) ||
	    ipc_endpoint_waitset(args->ipc.ep))
		return KERR_INVALID; /* another thread of the owner waits */
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

static int decode_ws_create(struct thread *t, union sys_args *args)
{
	if (!pd_obj_room(t->pd, PD_OBJ_WAITSET))
		return KERR_LIMIT;
	return waitset_available() ? 0 : KERR_NOMEM;
}

static long invoke_ws_create(struct thread *t, const union sys_args *args,
                             struct thread **next)
{
	pd_obj_charge(t->pd, PD_OBJ_WAITSET);
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
	pd_obj_uncharge(t->pd, PD_OBJ_WAITSET, 1);
	return 0;
}

/* The live endpoint or signal, of the caller's, or a stream end it holds,
 * that argument `i` names. */
static int decode_member(struct thread *t, unsigned i, union sys_args *args)
{
	const struct cap *c = cap_lookup(&t->pd->cspace, (int64_t)arg(t, i));
	if (!c)
		return KERR_INVALID;
	if (c->type == KCAP_TYPE_STREAM) {
		struct waitset *in = stream_waitset(c->obj);
		if (in && in->owner != t->pd)
			return KERR_DENIED; /* another holder's waitset */
	} else if (c->type == KCAP_TYPE_ENDPOINT) {
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
	enum waitset_kind kind = c->type == KCAP_TYPE_ENDPOINT
	                                 ? WAITSET_ENDPOINT
	                         : c->type == KCAP_TYPE_SIGNAL ? WAITSET_SIGNAL
	                                                       : WAITSET_STREAM;
	int busy = kind == WAITSET_ENDPOINT
	                   ? ipc_endpoint_waitset(c->obj) ||
	                             ipc_endpoint_has_receiver(c->obj)
	           : kind == WAITSET_SIGNAL
	                   ? signal_waitset(c->obj) || signal_has_waiter(c->obj)
	                   : stream_waitset(c->obj) != 0;
	if (busy)
		return KERR_INVALID; /* in a waitset already, or waited on */
	if (!waitset_has_room(args->ws.ws, kind))
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
			w->state = THREAD_BLOCKED_WS; /* nothing queued: back */
			w->ws = ws;
			ws->waiter = w;
		}
	} else if (args->ws.cap->type == KCAP_TYPE_SIGNAL) {
		signal_bind(args->ws.cap->obj, ws, args->ws.badge);
		signal_submit(args->ws.cap->obj, 0);
	} else {
		stream_bind(args->ws.cap->obj, ws, args->ws.badge);
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
	else if (args->ws.cap->type == KCAP_TYPE_SIGNAL)
		signal_unbind(args->ws.cap->obj);
	else
		stream_unbind(args->ws.cap->obj);
	return 0;
}

static int decode_ws_wait(struct thread *t, union sys_args *args)
{
	int err = decode_ws(t, args);
	if (err)
		return err;
	if (args->ws.ws->waiter)
		return KERR_INVALID; /* another thread waits on it */
	args->ws.msg = arg(t, 1);
	return decode_kmsg_in(t, args->ws.msg);
}

/* The wait on `ws` with `timeout` (ms; 0 polls, < 0 none), its message
 * going to `msg`; the result for a0 (abi.h SYS_WS_WAIT). */
static long wait_on(struct thread *t, struct waitset *ws, uintptr_t msg,
                    long timeout, struct thread **next)
{
	if (t->canceled) {
		t->canceled = 0;
		return KERR_CANCELED;
	}
	*next = waitset_wait(t, ws, msg);
	if (t->state == THREAD_RUNNABLE)
		return 0;
	if (timeout == 0) { /* a poll: nothing there */
		waitset_take_waiter(ws);
		t->state = THREAD_RUNNABLE;
		sched_note_runnable(t); /* its ready queue bit (thread.h) */
		return KERR_TIMEOUT;
	}
	t->deadline = thread_deadline(timeout);
	return 0;
}

static long invoke_ws_wait(struct thread *t, const union sys_args *args,
                           struct thread **next)
{
	return wait_on(t, args->ws.ws, args->ws.msg, (long)arg(t, 2), next);
}

/* SYS_REPLY_WAIT: SYS_MREPLY's decode for argument 3 and SYS_WS_WAIT's
 * for 0..2, both before either acts. */
static int decode_reply_wait(struct thread *t, union sys_args *args)
{
	args->rw.ws = waitset_lookup(t->pd, arg(t, 0));
	if (!args->rw.ws || args->rw.ws->waiter)
		return KERR_INVALID;
	args->rw.msg = arg(t, 1);
	args->rw.out = arg(t, 3);
	int err = decode_kmsg_in(t, args->rw.msg);
	if (!err)
		err = decode_kmsg_out(t, args->rw.out, args->rw.xfer,
		                      &args->rw.nxfer, &args->rw.size);
	return err;
}

/* The caller answered runs next unless the server has its next event at
 * once (then the server goes on, as SYS_REPLY_RECV does). */
static long invoke_reply_wait(struct thread *t, const union sys_args *args,
                              struct thread **next)
{
	struct thread *caller = ipc_reply_long(t, args->rw.out, args->rw.size,
	                                       args->rw.xfer, args->rw.nxfer);
	long result = wait_on(t, args->rw.ws, args->rw.msg, (long)arg(t, 2),
	                      next);
	if (!*next)
		*next = caller;
	return result;
}

static int decode_ipcbuf(struct thread *t, union sys_args *args)
{
	if (t->ipcbuf_base)
		return 0;
	return ipcbuf_available() && pd_ram_room(t->pd, IPCBUF_PAGES)
	               ? 0
	               : KERR_NOMEM;
}

static long invoke_ipcbuf(struct thread *t, const union sys_args *args,
                          struct thread **next)
{
	return (long)ipcbuf_register(t);
}

void sys_table_ipc(struct syscall *table)
{
	table[SYS_EP_CREATE] = (struct syscall){ decode_ep_create,
		                                 invoke_ep_create };
	table[SYS_CALL] = (struct syscall){ decode_call, invoke_call };
	table[SYS_RECV] = (struct syscall){ decode_recv, invoke_recv };
	table[SYS_REPLY] = (struct syscall){ decode_none, invoke_reply };
	table[SYS_REPLY_RECV] = (struct syscall){ decode_recv,
		                                  invoke_reply_recv };
	table[SYS_MCALL] = (struct syscall){ decode_mcall, invoke_mcall };
	table[SYS_MREPLY] = (struct syscall){ decode_mreply, invoke_mreply };
	table[SYS_REPLY_DROP] = (struct syscall){ decode_none,
		                                  invoke_reply_drop };
	table[SYS_EP_DISSOLVE] = (struct syscall){ decode_own_endpoint,
		                                   invoke_ep_dissolve };
	table[SYS_WS_CREATE] = (struct syscall){ decode_ws_create,
		                                 invoke_ws_create };
	table[SYS_WS_DESTROY] = (struct syscall){ decode_ws,
		                                  invoke_ws_destroy };
	table[SYS_WS_ADD] = (struct syscall){ decode_ws_add, invoke_ws_add };
	table[SYS_WS_REMOVE] = (struct syscall){ decode_ws_remove,
		                                 invoke_ws_remove };
	table[SYS_WS_WAIT] = (struct syscall){ decode_ws_wait, invoke_ws_wait };
	table[SYS_REPLY_WAIT] = (struct syscall){ decode_reply_wait,
		                                  invoke_reply_wait };
	table[SYS_IPCBUF] = (struct syscall){ decode_ipcbuf, invoke_ipcbuf };
}
