/*
 * Waitsets (waitset.h), from a fixed pool like endpoints (ipc.c); the
 * pool is global state with a reason: one kernel. What a waitset holds
 * is recorded on the endpoints and signals (their ws and badge) and in
 * its member lists, which a wait scans only when its `ready` count says
 * something is pending (the count is kept by ipc.c and signal.c, where
 * queues and counts change).
 */
#include "frame.h"
#include "ipc.h"
#include "kernel/kernel.h"
#include "panic.h"
#include "signal.h"
#include "stream.h"
#include "waitset.h"

static struct waitset waitsets[WAITSET_MAX];

int waitset_available(void)
{
	for (unsigned i = 0; i < WAITSET_MAX; i++)
		if (!waitsets[i].alive)
			return 1;
	return 0;
}

int waitset_create(const struct pd *owner)
{
	for (unsigned i = 0; i < WAITSET_MAX; i++) {
		if (!waitsets[i].alive) {
			waitsets[i] = (struct waitset){ .alive = 1,
				                        .owner = owner };
			return (int)i;
		}
	}
	PANIC("waitset_create without a free waitset");
}

struct waitset *waitset_lookup(const struct pd *pd, uint64_t id)
{
	if (id >= WAITSET_MAX)
		return 0;
	struct waitset *ws = &waitsets[id];
	return ws->alive && ws->owner == pd ? ws : 0;
}

struct thread *waitset_take_waiter(struct waitset *ws)
{
	struct thread *w = ws->waiter;
	if (w) {
		KASSERT(w->state == THREAD_BLOCKED_WS && w->ws == ws);
		ws->waiter = 0;
		w->ws = 0;
	}
	return w;
}

int waitset_has_room(const struct waitset *ws, enum waitset_kind kind)
{
	unsigned n = kind == WAITSET_ENDPOINT ? ws->neps
	             : kind == WAITSET_SIGNAL ? ws->nsigs
	                                      : ws->nsts;
	return n < WAITSET_MEMBERS;
}

void waitset_list_endpoint(struct waitset *ws, struct endpoint *ep)
{
	KASSERT(ws->neps < WAITSET_MEMBERS);
	ws->ep[ws->neps++] = ep;
}

void waitset_list_signal(struct waitset *ws, struct signal *s)
{
	KASSERT(ws->nsigs < WAITSET_MEMBERS);
	ws->sig[ws->nsigs++] = s;
}

void waitset_list_stream(struct waitset *ws, struct stream_end *e)
{
	KASSERT(ws->nsts < WAITSET_MEMBERS);
	ws->st[ws->nsts++] = e;
}

void waitset_forget_endpoint(struct waitset *ws, const struct endpoint *ep)
{
	for (unsigned i = 0; i < ws->neps; i++)
		if (ws->ep[i] == ep) {
			ws->ep[i] = ws->ep[--ws->neps];
			return;
		}
	PANIC("an endpoint's waitset does not list it");
}

void waitset_forget_signal(struct waitset *ws, const struct signal *s)
{
	for (unsigned i = 0; i < ws->nsigs; i++)
		if (ws->sig[i] == s) {
			ws->sig[i] = ws->sig[--ws->nsigs];
			return;
		}
	PANIC("a signal's waitset does not list it");
}

void waitset_forget_stream(struct waitset *ws, const struct stream_end *e)
{
	for (unsigned i = 0; i < ws->nsts; i++)
		if (ws->st[i] == e) {
			ws->st[i] = ws->st[--ws->nsts];
			return;
		}
	PANIC("a stream's waitset does not list it");
}

struct thread *waitset_take_queued(struct waitset *ws, struct thread *receiver)
{
	for (unsigned i = 0; i < ws->neps; i++)
		if (ipc_deliver_queued(ws->ep[i], receiver))
			return receiver;
	return 0;
}

/* The first count pending on a member signal, taken; 0 if none. */
static uint64_t take_signal(const struct waitset *ws, uint64_t *badge)
{
	for (unsigned i = 0; i < ws->nsigs; i++) {
		uint64_t count = signal_take(ws->sig[i], badge);
		if (count)
			return count;
	}
	return 0;
}

void waitset_destroy(struct waitset *ws)
{
	KASSERT(ws->alive);
	while (ws->neps)
		ipc_endpoint_unbind(ws->ep[0]);
	while (ws->nsigs)
		signal_unbind(ws->sig[0]);
	while (ws->nsts)
		stream_unbind(ws->st[0]);
	KASSERT(ws->ready == 0); /* every member removed, with its note */
	struct thread *w = waitset_take_waiter(ws);
	if (w)
		thread_wake(w, KERR_INVALID);
	*ws = (struct waitset){ 0 };
}

struct thread *waitset_wait(struct thread *t, struct waitset *ws,
                            uintptr_t msg_in)
{
	KASSERT(ws->alive && ws->owner == t->pd && !ws->waiter);
	/* A pending caller stays: a handler may wait for a signal before it
	 * answers; only the next request delivered drops it (ipc.c). */
	t->long_form = 1;
	t->msg_in = msg_in;
	if (ws->ready) { /* something is pending: scan the members */
		uint64_t badge = 0, count = take_signal(ws, &badge);
		if (count) {
			t->frame.x[REG_A1] = KEVENT_SIGNAL;
			t->frame.x[REG_A2] = badge;
			t->frame.x[REG_A3] = count;
			thread_wake(t, 0);
			return t;
		}
		if (waitset_take_queued(ws, t))
			return t;
		for (unsigned i = 0; i < ws->nsts; i++)
			if (stream_event(ws->st[i], &badge)) {
				/* reported, not taken: it lasts (waitset.h) */
				t->frame.x[REG_A1] = KEVENT_STREAM;
				t->frame.x[REG_A2] = badge;
				t->frame.x[REG_A3] = 1;
				thread_wake(t, 0);
				return t;
			}
		KASSERT(ws->ready == 0); /* waitset.h: the scan found nothing */
	}
	t->state = THREAD_BLOCKED_WS;
	t->ws = ws;
	ws->waiter = t;
	return 0;
}

void waitset_thread_abort(struct thread *t)
{
	if (t->state == THREAD_BLOCKED_WS)
		waitset_take_waiter(t->ws);
	t->ws = 0;
}

unsigned waitset_dissolve_owned(const struct pd *pd)
{
	unsigned count = 0;
	for (unsigned i = 0; i < WAITSET_MAX; i++)
		if (waitsets[i].alive && waitsets[i].owner == pd) {
			waitset_destroy(&waitsets[i]);
			count++;
		}
	return count;
}
