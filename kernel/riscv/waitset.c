/*
 * Waitsets (waitset.h), from a fixed pool like endpoints (ipc.c); the
 * pool is global state with a reason: one kernel. What a waitset holds
 * is recorded on the endpoints and signals (their ws and badge), so
 * adding costs nothing here and a wait scans the two pools.
 */
#include "frame.h"
#include "ipc.h"
#include "kernel/kernel.h"
#include "panic.h"
#include "signal.h"
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
			waitsets[i] = (struct waitset){ .alive = 1, .owner = owner };
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

void waitset_destroy(struct waitset *ws)
{
	KASSERT(ws->alive);
	ipc_unbind_all(ws);
	signal_unbind_all(ws);
	struct thread *w = waitset_take_waiter(ws);
	if (w)
		thread_wake(w, KERR_INVALID);
	ws->alive = 0;
	ws->owner = 0;
}

struct thread *waitset_wait(struct thread *t, struct waitset *ws, uintptr_t msg_in)
{
	KASSERT(ws->alive && ws->owner == t->pd && !ws->waiter);
	ipc_reply_drop(t);
	t->long_form = 1;
	t->msg_in = msg_in;
	uint64_t badge = 0, count = signal_take_pending(ws, &badge);
	if (count) {
		t->frame.x[REG_A1] = KEVENT_SIGNAL;
		t->frame.x[REG_A2] = badge;
		t->frame.x[REG_A3] = count;
		thread_wake(t, 0);
		return t;
	}
	if (ipc_take_queued(ws, t))
		return t;
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

void waitset_dissolve_owned(const struct pd *pd)
{
	for (unsigned i = 0; i < WAITSET_MAX; i++)
		if (waitsets[i].alive && waitsets[i].owner == pd)
			waitset_destroy(&waitsets[i]);
}
