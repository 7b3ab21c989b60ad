/*
 * Endpoints and call/receive/reply (ipc.h). Endpoint objects come from a
 * fixed pool (EP_MAX) until kernel memory is handed out as untyped memory
 * (README.md); the pool is global state with a reason: one kernel.
 */
#include <stddef.h>

#include "abi.h"
#include "ipc.h"
#include "ipcbuf.h"
#include "frame.h"
#include "kernel/kernel.h"
#include "panic.h"
#include "signal.h"
#include "waitset.h"

#define EP_MAX 256u
_Static_assert(PD_OBJ_SHARE_ENDPOINTS == EP_MAX / PD_OBJ_SHARE_DIVISOR,
               "a domain's share of endpoints (thread.h)");
#define NO_CAP ((uint64_t)(int64_t)-1)

struct endpoint {
	int alive;
	unsigned refs;
	const struct pd *owner;
	struct thread *receiver;
	struct thread *head, *tail; /* callers in BLOCKED_SEND, FIFO */
	struct waitset *ws;         /* the waitset it is in, or 0 */
	uint64_t badge;             /* its cookie there */
};

static struct endpoint endpoints[EP_MAX];

/* What every capability of a dissolved endpoint names (ipc.h): dead for
 * good, owned by no one, never free, its references not counted. */
static struct endpoint tombstone;

static int ep_free(const struct endpoint *ep)
{
	return !ep->alive && ep->refs == 0;
}

int ipc_endpoint_available(void)
{
	for (unsigned i = 0; i < EP_MAX; i++)
		if (ep_free(&endpoints[i]))
			return 1;
	return 0;
}

struct endpoint *ipc_endpoint_create(struct pd *owner)
{
	for (unsigned i = 0; i < EP_MAX; i++) {
		struct endpoint *ep = &endpoints[i];
		if (ep_free(ep)) {
			*ep = (struct endpoint){ .alive = 1, .owner = owner };
			return ep;
		}
	}
	PANIC("ipc_endpoint_create without a free endpoint");
}

int ipc_endpoint_alive(const struct endpoint *ep)
{
	return ep->alive;
}

int ipc_endpoint_owned_by(const struct endpoint *ep, const struct pd *pd)
{
	return ep->owner == pd;
}

int ipc_endpoint_has_receiver(const struct endpoint *ep)
{
	return ep->receiver != 0;
}

struct waitset *ipc_endpoint_waitset(const struct endpoint *ep)
{
	return ep->ws;
}

void endpoint_ref(void *obj, int delta)
{
	struct endpoint *ep = obj;
	if (ep == &tombstone)
		return;
	KASSERT(delta > 0 || ep->refs > 0);
	ep->refs += (unsigned)delta;
}

static void xfer_ref(const struct cap *c, int delta)
{
	cap_ref(*c, delta);
}

static void drop_xfer(struct thread *t)
{
	for (unsigned i = 0; i < t->nxfer; i++) {
		xfer_ref(&t->xfer[i], -1);
		t->xfer[i] = (struct cap){ KCAP_TYPE_NONE, 0 };
	}
	t->nxfer = 0;
}

/* Wakes `t` from a blocking IPC operation with an error; a1 is part of
 * the result in the register form only (abi.h). */
static void fail(struct thread *t, int err)
{
	if (!t->long_form)
		t->frame.x[REG_A1] = NO_CAP;
	drop_xfer(t);
	t->ep = 0;
	thread_wake(t, err);
}

/* A copy of `c` in `to`'s capability space: its selector, or `none` when
 * the space is full. */
static int64_t give(struct thread *to, const struct cap *c, int64_t none)
{
	if (!cap_has_free_slot(&to->pd->cspace))
		return none;
	return cap_insert(&to->pd->cspace, *c);
}

/* The register form: copies the four message words and moves the
 * capability in flight. */
static void transfer(struct thread *from, struct thread *to)
{
	for (unsigned i = REG_A2; i <= REG_A5; i++)
		to->frame.x[i] = from->frame.x[i];
	to->frame.x[REG_A0] = 0;
	to->frame.x[REG_A1] = NO_CAP;
	if (from->nxfer)
		to->frame.x[REG_A1] = (uint64_t)give(to, &from->xfer[0],
		                                     KERR_NOMEM);
	drop_xfer(from);
}

/* Writes a kmsg_t header (size, capabilities) to `va` in `to`'s space,
 * the capabilities given to `to` as far as its space has room. */
static void write_header(struct thread *to, uintptr_t va, uint32_t size,
                         const struct cap *const *caps, unsigned ncaps)
{
	kmsg_t *m = ipcbuf_msg(to, va);
	if (m) { /* in its IPC buffer: where it is */
		m->size = size;
		m->cap_count = ncaps;
		for (unsigned i = 0; i < ncaps; i++)
			m->caps[i].sel = (int32_t)give(to, caps[i], -1);
		return;
	}
	struct kmsg_head head = { .size = size, .cap_count = ncaps };
	for (unsigned i = 0; i < ncaps; i++)
		head.caps[i].sel = (int32_t)give(to, caps[i], -1);
	msg_write(to, va, &head, sizeof head);
}

/* The kmsg_t form: the caller's request into the receiver's buffer; an
 * event of the receiver's waitset (a1 kind, a2 badge). */
static void transfer_long(struct thread *from, struct thread *to,
                          uint64_t badge)
{
	const struct cap *caps[KMSG_MAX_CAPS];
	for (unsigned i = 0; i < from->nxfer; i++)
		caps[i] = &from->xfer[i];
	msg_copy(to, to->msg_in + offsetof(kmsg_t, data), from,
	         from->msg_out + offsetof(kmsg_t, data), from->msg_size);
	write_header(to, to->msg_in, from->msg_size, caps, from->nxfer);
	drop_xfer(from);
	to->frame.x[REG_A0] = 0;
	to->frame.x[REG_A1] = KEVENT_REQUEST;
	to->frame.x[REG_A2] = badge;
	to->frame.x[REG_A3] = 0;
}

/* Whether the kmsg_t buffers of a thread blocked in the kmsg form are
 * still there: its request (to send) and where its next message goes. */
static int request_there(const struct thread *t)
{
	return msg_range_ok(t, t->msg_out,
	                    sizeof(struct kmsg_head) + t->msg_size, VM_R);
}

static int inbox_there(const struct thread *t)
{
	return msg_range_ok(t, t->msg_in, sizeof(kmsg_t), VM_R | VM_W);
}

/* `caller`'s request reaches `receiver`, who now owes it the reply. */
static void deliver(struct thread *caller, struct thread *receiver,
                    uint64_t badge)
{
	KASSERT(caller->long_form == receiver->long_form);
	if (caller->long_form)
		transfer_long(caller, receiver, badge);
	else
		transfer(caller, receiver);
	ipc_reply_drop(receiver); /* one caller per server thread */
	caller->state = THREAD_BLOCKED_REPLY;
	caller->ep = 0;
	caller->server = receiver;
	receiver->reply_to = caller;
	receiver->ep = 0;
	receiver->state = THREAD_RUNNABLE;
	receiver->deadline = 0;
	sched_note_runnable(receiver);
}

static void enqueue(struct endpoint *ep, struct thread *caller)
{
	caller->state = THREAD_BLOCKED_SEND;
	caller->ep = ep;
	caller->next = 0;
	if (ep->tail) {
		ep->tail->next = caller;
	} else {
		ep->head = caller;
		waitset_note_ready(ep->ws, 1); /* the queue is not empty */
	}
	ep->tail = caller;
}

static struct thread *dequeue(struct endpoint *ep)
{
	struct thread *c = ep->head;
	if (c) {
		ep->head = c->next;
		if (!ep->head) {
			ep->tail = 0;
			waitset_note_ready(ep->ws, -1); /* the queue is empty */
		}
		c->next = 0;
	}
	return c;
}

struct thread *ipc_call(struct thread *caller, struct endpoint *ep,
                        const struct cap *const *xfer, unsigned nxfer)
{
	KASSERT(ep->alive && caller->nxfer == 0 && nxfer <= KMSG_MAX_CAPS);
	/* The receiving side's form: a waitset takes kmsg_t, SYS_RECV
	 * registers; a waiting receiver of the other form is not woken. */
	struct thread *r = ep->ws ? ep->ws->waiter : ep->receiver;
	if (r && r->long_form != caller->long_form) {
		thread_wake(caller, KERR_MALFORMED);
		return 0;
	}
	for (unsigned i = 0; i < nxfer; i++) {
		caller->xfer[i] = *xfer[i];
		xfer_ref(xfer[i], 1);
	}
	caller->nxfer = nxfer;
	if (r) {
		if (ep->ws)
			waitset_take_waiter(ep->ws);
		else
			ep->receiver = 0;
		if (!r->long_form || inbox_there(r)) {
			deliver(caller, r, ep->badge);
			return r;
		}
		thread_wake(r,
		            KERR_INVALID); /* its buffer went while it waited */
	}
	enqueue(ep, caller);
	return 0;
}

void ipc_reply_drop(struct thread *server)
{
	struct thread *c = server->reply_to;
	if (!c)
		return;
	KASSERT(c->server == server && c->state == THREAD_BLOCKED_REPLY);
	c->server = 0;
	server->reply_to = 0;
	fail(c, KERR_REVOKED);
}

/* The next queued caller of `ep` in `receiver`'s form for it; callers
 * of the other form fail with KERR_MALFORMED on the way. */
static struct thread *next_caller(struct endpoint *ep,
                                  const struct thread *receiver)
{
	struct thread *c;
	while ((c = dequeue(ep))) {
		if (c->long_form != receiver->long_form)
			fail(c, KERR_MALFORMED);
		else if (c->long_form && !request_there(c))
			fail(c,
			     KERR_INVALID); /* its buffer went while it waited */
		else
			break;
	}
	return c;
}

struct thread *ipc_recv(struct thread *receiver, struct endpoint *ep)
{
	KASSERT(ep->alive && ep->owner == receiver->pd && !ep->receiver &&
	        !ep->ws);
	ipc_reply_drop(receiver);
	receiver->long_form = 0;
	struct thread *c = next_caller(ep, receiver);
	if (c) {
		deliver(c, receiver, 0);
		return receiver;
	}
	receiver->state = THREAD_BLOCKED_RECV;
	receiver->ep = ep;
	ep->receiver = receiver;
	return 0;
}

struct thread *ipc_reply(struct thread *server)
{
	struct thread *c = server->reply_to;
	if (!c)
		return 0; /* the caller has gone: not an error */
	KASSERT(c->server == server && c->state == THREAD_BLOCKED_REPLY);
	c->server = 0;
	server->reply_to = 0;
	if (c->long_form) {
		fail(c, KERR_MALFORMED);
		return c;
	}
	for (unsigned i = REG_A2; i <= REG_A5; i++)
		c->frame.x[i] = server->frame.x[i];
	c->frame.x[REG_A1] = NO_CAP;
	thread_wake(c, 0);
	return c;
}

struct thread *ipc_reply_long(struct thread *server, uintptr_t msg,
                              uint32_t size, const struct cap *const *caps,
                              unsigned ncaps)
{
	struct thread *c = server->reply_to;
	if (!c)
		return 0;
	KASSERT(c->server == server && c->state == THREAD_BLOCKED_REPLY);
	c->server = 0;
	server->reply_to = 0;
	if (!c->long_form || !inbox_there(c)) {
		fail(c, c->long_form ? KERR_INVALID : KERR_MALFORMED);
		return c;
	}
	msg_copy(c, c->msg_in + offsetof(kmsg_t, data), server,
	         msg + offsetof(kmsg_t, data), size);
	write_header(c, c->msg_in, size, caps, ncaps);
	thread_wake(c, 0);
	return c;
}

/* Copies the four message words of the register form to `to`, who
 * gets status 0 and no capability. */
static void words(const struct thread *from, struct thread *to)
{
	uint64_t *d = &to->frame.x[REG_A0];
	const uint64_t *s = &from->frame.x[REG_A0];
	d[0] = 0;
	d[1] = NO_CAP;
	d[2] = s[2];
	d[3] = s[3];
	d[4] = s[4];
	d[5] = s[5];
}

struct thread *ipc_fastpath(struct thread *t)
{
	uint64_t nr = t->frame.x[REG_A7];
	const struct cap *c = cap_lookup(&t->pd->cspace,
	                                 (int64_t)t->frame.x[REG_A0]);
	if (!c || c->type != KCAP_TYPE_ENDPOINT || t->frame.x[REG_A1] != NO_CAP)
		return 0;
	struct endpoint *ep = c->obj;
	if (!ep->alive || ep->ws)
		return 0;
	if (nr == SYS_CALL) {
		struct thread *r = ep->receiver;
		if (!r || r->long_form)
			return 0;
		KASSERT(r->state == THREAD_BLOCKED_RECV && !r->reply_to);
		ep->receiver = 0;
		words(t, r);
		t->long_form = 0;
		t->state = THREAD_BLOCKED_REPLY;
		t->server = r;
		r->reply_to = t;
		r->ep = 0;
		r->state = THREAD_RUNNABLE;
		sched_note_runnable(r);
		return r;
	}
	struct thread *caller = t->reply_to;
	if (!caller || caller->long_form || ep->owner != t->pd ||
	    ep->receiver || ep->head)
		return 0;
	KASSERT(caller->state == THREAD_BLOCKED_REPLY && caller->server == t);
	words(t, caller);
	caller->server = 0;
	caller->state = THREAD_RUNNABLE;
	sched_note_runnable(caller);
	t->reply_to = 0;
	t->long_form = 0;
	t->state = THREAD_BLOCKED_RECV;
	t->ep = ep;
	ep->receiver = t;
	return caller;
}

/* The kmsg form's fast path (ipc.h). Each function first decides from
 * what it reads, changing nothing, whether every condition holds (the
 * decode); then it acts and cannot fail (the invoke). The messages must
 * be exactly where libkernel puts them (ipcbuf_half), without
 * capabilities and within the buffer's first frame, so the copy is
 * ipcbuf_copy_short() of the used length, frame to frame. */

/* SYS_MCALL (abi.h: a0 endpoint, a1 request, a2 reply buffer, a3
 * timeout) to an endpoint whose waitset has a waiter that owes no reply
 * and receives into its buffer's inbox: the request goes there and the
 * waiter runs with it, as ipc_call() and deliver() would do. */
static struct thread *fast_mcall(struct thread *t)
{
	const struct cap *c = cap_lookup(&t->pd->cspace,
	                                 (int64_t)t->frame.x[REG_A0]);
	if (!c || c->type != KCAP_TYPE_ENDPOINT)
		return 0;
	struct endpoint *ep = c->obj;
	struct thread *w = ep->alive && ep->ws ? ep->ws->waiter : 0;
	const kmsg_t *req = ipcbuf_half(t, t->frame.x[REG_A1], IPCBUF_OUT);
	kmsg_t *inbox = w ? ipcbuf_half(w, w->msg_in, IPCBUF_IN) : 0;
	if (!inbox || !req || w->reply_to ||
	    !ipcbuf_half(t, t->frame.x[REG_A2], IPCBUF_IN))
		return 0;
	uint32_t size = req->size;
	if (req->cap_count || size > IPCBUF_FIRST_BYTES)
		return 0;
	KASSERT(w->state == THREAD_BLOCKED_WS && w->long_form && !t->nxfer &&
	        ep->ws->ready == 0); /* waitset.h: nothing pending */
	waitset_take_waiter(ep->ws);
	ipcbuf_copy_short(inbox, req, size);
	w->frame.x[REG_A0] = 0;
	w->frame.x[REG_A1] = KEVENT_REQUEST;
	w->frame.x[REG_A2] = ep->badge;
	w->frame.x[REG_A3] = 0;
	t->long_form = 1;
	t->msg_out = t->frame.x[REG_A1];
	t->msg_size = size;
	t->msg_in = t->frame.x[REG_A2];
	t->state = THREAD_BLOCKED_REPLY;
	t->ep = 0;
	t->server = w;
	t->deadline = thread_deadline((long)t->frame.x[REG_A3]);
	w->reply_to = t;
	w->ep = 0;
	w->state = THREAD_RUNNABLE;
	w->deadline = 0;
	sched_note_runnable(w);
	return w;
}

/* SYS_REPLY_WAIT (abi.h: a0 waitset, a1 inbox, a2 timeout, a3 reply)
 * by a server owing a reply to a caller that receives into its buffer's
 * inbox, on a waitset of its own that nobody waits on and where nothing
 * is pending (so the server blocks), not a poll and not canceled: the
 * reply goes to the caller, which runs, as ipc_reply_long() and
 * waitset_wait() would do. */
static struct thread *fast_reply_wait(struct thread *t)
{
	struct waitset *ws = waitset_lookup(t->pd, t->frame.x[REG_A0]);
	long timeout = (long)t->frame.x[REG_A2];
	const kmsg_t *reply = ipcbuf_half(t, t->frame.x[REG_A3], IPCBUF_OUT);
	struct thread *c = t->reply_to;
	kmsg_t *inbox = c && c->long_form ? ipcbuf_half(c, c->msg_in, IPCBUF_IN)
	                                  : 0;
	if (!ws || ws->waiter || ws->ready || !inbox || !reply ||
	    !ipcbuf_half(t, t->frame.x[REG_A1], IPCBUF_IN) || t->canceled ||
	    timeout == 0)
		return 0;
	uint32_t size = reply->size;
	if (reply->cap_count || size > IPCBUF_FIRST_BYTES)
		return 0;
	KASSERT(c->server == t && c->state == THREAD_BLOCKED_REPLY);
	c->server = 0;
	t->reply_to = 0;
	ipcbuf_copy_short(inbox, reply, size);
	thread_wake(c, 0);
	t->long_form = 1;
	t->msg_in = t->frame.x[REG_A1];
	t->state = THREAD_BLOCKED_WS;
	t->ws = ws;
	ws->waiter = t;
	t->deadline = thread_deadline(timeout);
	return c;
}

/* Not inlined: trap_user() stays lean for every other system call. */
__attribute__((noinline)) struct thread *ipc_fastpath_kmsg(struct thread *t)
{
	return t->frame.x[REG_A7] == SYS_MCALL ? fast_mcall(t)
	                                       : fast_reply_wait(t);
}

void ipc_endpoint_bind(struct endpoint *ep, struct waitset *ws, uint64_t badge)
{
	KASSERT(ep->alive && !ep->ws && !ep->receiver &&
	        ws->owner == ep->owner);
	ep->ws = ws;
	ep->badge = badge;
	waitset_list_endpoint(ws, ep);
	if (ep->head)
		waitset_note_ready(ws, 1);
}

static void revoke_queue(struct endpoint *ep)
{
	while (ep->head)
		fail(dequeue(ep), KERR_REVOKED);
}

void ipc_endpoint_unbind(struct endpoint *ep)
{
	revoke_queue(ep);
	if (ep->ws)
		waitset_forget_endpoint(ep->ws, ep);
	ep->ws = 0;
	ep->badge = 0;
}

int ipc_deliver_queued(struct endpoint *ep, struct thread *receiver)
{
	struct thread *c = next_caller(ep, receiver);
	if (c)
		deliver(c, receiver, ep->badge);
	return c != 0;
}

static void unqueue(struct endpoint *ep, struct thread *t)
{
	struct thread **p = &ep->head, *prev = 0;
	while (*p && *p != t) {
		prev = *p;
		p = &(*p)->next;
	}
	KASSERT(*p == t);
	*p = t->next;
	if (ep->tail == t)
		ep->tail = prev;
	if (!ep->head)
		waitset_note_ready(ep->ws, -1); /* the queue is empty */
	t->next = 0;
}

void ipc_timeout(struct thread *t)
{
	if (t->state == THREAD_BLOCKED_SEND)
		unqueue(t->ep, t);
	if (t->state == THREAD_BLOCKED_REPLY) {
		t->server->reply_to = 0;
		t->server = 0;
	}
	drop_xfer(t);
	t->ep = 0;
}

void ipc_thread_abort(struct thread *t)
{
	if (t->state == THREAD_BLOCKED_SEND)
		unqueue(t->ep, t);
	if (t->state == THREAD_BLOCKED_RECV)
		t->ep->receiver = 0;
	if (t->state == THREAD_BLOCKED_REPLY) {
		t->server->reply_to = 0;
		t->server = 0;
	}
	ipc_reply_drop(t);
	drop_xfer(t);
	t->ep = 0;
}

void ipc_endpoint_dissolve(struct endpoint *ep)
{
	KASSERT(ep->alive);
	revoke_queue(ep);
	if (ep->receiver)
		fail(ep->receiver, KERR_REVOKED);
	ep->receiver = 0;
	ipc_endpoint_unbind(ep);
	ep->alive = 0;
	ep->owner = 0;
	if (ep->refs) {
		KASSERT(caps_retarget(ep, &tombstone, ep->refs) == ep->refs);
		ep->refs = 0;
	}
}

unsigned ipc_dissolve_owned(const struct pd *pd)
{
	unsigned count = 0;
	for (unsigned i = 0; i < EP_MAX; i++) {
		struct endpoint *ep = &endpoints[i];
		if (!ep->alive || ep->owner != pd)
			continue;
		/* The owner's threads are gone: its receiver is no one's. */
		if (ep->receiver)
			ep->receiver->ep = 0;
		ep->receiver = 0;
		ipc_endpoint_dissolve(ep);
		count++;
	}
	return count;
}
