/*
 * Endpoints and call/receive/reply (ipc.h). Endpoint objects come from a
 * fixed pool (EP_MAX) until kernel memory is handed out as untyped memory
 * (README.md); the pool is global state with a reason: one kernel.
 */
#include "ipc.h"
#include "frame.h"
#include "kernel/kernel.h"
#include "panic.h"
#include "signal.h"

#define EP_MAX 32u
#define NO_CAP ((uint64_t)(int64_t)-1)

struct endpoint {
	int alive;
	unsigned refs;
	const struct pd *owner;
	struct thread *receiver;
	struct thread *head, *tail;   /* callers in BLOCKED_SEND, FIFO */
};

static struct endpoint endpoints[EP_MAX];

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

int ipc_endpoint_alive(const struct endpoint *ep) { return ep->alive; }

int ipc_endpoint_owned_by(const struct endpoint *ep, const struct pd *pd)
{
	return ep->owner == pd;
}

int ipc_endpoint_has_receiver(const struct endpoint *ep)
{
	return ep->receiver != 0;
}

void endpoint_ref(void *obj, int delta)
{
	struct endpoint *ep = obj;
	KASSERT(delta > 0 || ep->refs > 0);
	ep->refs += (unsigned)delta;
}

static void xfer_ref(const struct cap *c, int delta)
{
	if (c->type == KCAP_TYPE_ENDPOINT)
		endpoint_ref(c->obj, delta);
	else if (c->type == KCAP_TYPE_SIGNAL)
		signal_ref(c->obj, delta);
}

static void drop_xfer(struct thread *t)
{
	xfer_ref(&t->xfer, -1);
	t->xfer = (struct cap){ KCAP_TYPE_NONE, 0 };
}

/* Wakes `t` from a blocking IPC operation with an error. */
static void fail(struct thread *t, int err)
{
	t->frame.x[REG_A0] = (uint64_t)(int64_t)err;
	t->frame.x[REG_A1] = NO_CAP;
	drop_xfer(t);
	t->ep = 0;
	t->state = THREAD_RUNNABLE;
}

/* Copies the four message words and moves the capability in flight. */
static void transfer(struct thread *from, struct thread *to)
{
	for (unsigned i = REG_A2; i <= REG_A5; i++)
		to->frame.x[i] = from->frame.x[i];
	to->frame.x[REG_A0] = 0;
	to->frame.x[REG_A1] = NO_CAP;
	if (from->xfer.type != KCAP_TYPE_NONE) {
		if (cap_has_free_slot(&to->pd->cspace))
			to->frame.x[REG_A1] = (uint64_t)(int64_t)cap_insert(&to->pd->cspace, from->xfer);
		else
			to->frame.x[REG_A1] = (uint64_t)(int64_t)KERR_NOMEM;
		drop_xfer(from);
	}
}

/* `caller`'s request reaches `receiver`, who now owes it the reply. */
static void deliver(struct thread *caller, struct thread *receiver)
{
	transfer(caller, receiver);
	caller->state = THREAD_BLOCKED_REPLY;
	caller->ep = 0;
	caller->server = receiver;
	receiver->reply_to = caller;
	receiver->ep = 0;
	receiver->state = THREAD_RUNNABLE;
}

struct thread *ipc_call(struct thread *caller, struct endpoint *ep,
                        const struct cap *xfer)
{
	KASSERT(ep->alive && caller->xfer.type == KCAP_TYPE_NONE);
	if (xfer) {
		caller->xfer = *xfer;
		xfer_ref(xfer, 1);
	}
	struct thread *r = ep->receiver;
	if (r) {
		ep->receiver = 0;
		deliver(caller, r);
		return r;
	}
	caller->state = THREAD_BLOCKED_SEND;
	caller->ep = ep;
	caller->next = 0;
	if (ep->tail)
		ep->tail->next = caller;
	else
		ep->head = caller;
	ep->tail = caller;
	return 0;
}

/* Drops the caller `server` owes a reply, who sees KERR_REVOKED. */
static void drop_reply(struct thread *server)
{
	struct thread *c = server->reply_to;
	if (!c)
		return;
	KASSERT(c->server == server && c->state == THREAD_BLOCKED_REPLY);
	c->server = 0;
	server->reply_to = 0;
	fail(c, KERR_REVOKED);
}

struct thread *ipc_recv(struct thread *receiver, struct endpoint *ep)
{
	KASSERT(ep->alive && ep->owner == receiver->pd && !ep->receiver);
	drop_reply(receiver);
	struct thread *c = ep->head;
	if (c) {
		ep->head = c->next;
		if (!ep->head)
			ep->tail = 0;
		c->next = 0;
		deliver(c, receiver);
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
		return 0;   /* the caller has gone: not an error */
	KASSERT(c->server == server && c->state == THREAD_BLOCKED_REPLY);
	for (unsigned i = REG_A2; i <= REG_A5; i++)
		c->frame.x[i] = server->frame.x[i];
	c->frame.x[REG_A0] = 0;
	c->frame.x[REG_A1] = NO_CAP;
	c->server = 0;
	c->state = THREAD_RUNNABLE;
	server->reply_to = 0;
	return c;
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
	t->next = 0;
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
	drop_reply(t);
	drop_xfer(t);
	t->ep = 0;
}

void ipc_dissolve_owned(const struct pd *pd)
{
	for (unsigned i = 0; i < EP_MAX; i++) {
		struct endpoint *ep = &endpoints[i];
		if (!ep->alive || ep->owner != pd)
			continue;
		while (ep->head) {
			struct thread *c = ep->head;
			unqueue(ep, c);
			fail(c, KERR_REVOKED);
		}
		if (ep->receiver)
			ep->receiver->ep = 0;
		ep->receiver = 0;
		ep->alive = 0;
		ep->owner = 0;
	}
}
