/*
 * Signals (signal.h), from a fixed pool like endpoints (ipc.c); the pool
 * is global state with a reason: one kernel.
 */
#include "frame.h"
#include "irq.h"
#include "kernel/kernel.h"
#include "panic.h"
#include "signal.h"
#include "thread.h"
#include "waitset.h"

#define SIGNAL_MAX 256u
_Static_assert(PD_OBJ_SHARE_SIGNALS == SIGNAL_MAX / PD_OBJ_SHARE_DIVISOR,
               "a domain's share of signals (thread.h)");

struct signal {
	int alive;
	unsigned refs;
	const struct pd *owner;
	uint64_t count;
	struct thread *waiter;
	struct waitset *ws; /* the waitset it is in, or 0 */
	uint64_t badge;     /* its cookie there */
};

static struct signal signals[SIGNAL_MAX];

static int sig_free(const struct signal *s)
{
	return !s->alive && s->refs == 0;
}

int signal_available(void)
{
	for (unsigned i = 0; i < SIGNAL_MAX; i++)
		if (sig_free(&signals[i]))
			return 1;
	return 0;
}

struct signal *signal_create(const struct pd *owner)
{
	for (unsigned i = 0; i < SIGNAL_MAX; i++) {
		if (sig_free(&signals[i])) {
			signals[i] = (struct signal){ .alive = 1,
				                      .owner = owner };
			return &signals[i];
		}
	}
	PANIC("signal_create without a free signal");
}

int signal_alive(const struct signal *s)
{
	return s->alive;
}
int signal_owned_by(const struct signal *s, const struct pd *pd)
{
	return s->owner == pd;
}
int signal_has_waiter(const struct signal *s)
{
	return s->waiter != 0;
}

void signal_ref(void *obj, int delta)
{
	struct signal *s = obj;
	KASSERT(delta > 0 || s->refs > 0);
	s->refs += (unsigned)delta;
}

/* Sets the count of a signal in a waitset, telling the waitset when it
 * becomes pending or no longer is (waitset.h's `ready`): every change
 * of such a count goes through here. A signal outside waitsets (the
 * direct wait of signal_wait, whose decode refuses one in a waitset)
 * has its count set as it is. */
static void set_count(struct signal *s, uint64_t count)
{
	if (!s->count != !count)
		waitset_note_ready(s->ws, count ? 1 : -1);
	s->count = count;
}

/* Counts saturate rather than wrap: a count is "at least this many". */
static uint64_t add_count(uint64_t a, uint32_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* A submit to a signal in a waitset: the waitset's waiter gets the
 * count (this submit's, or with SYS_WS_ADD's submit of 0 what was
 * pending when the signal was added), or it stays pending. */
static struct thread *submit_to_waitset(struct signal *s, uint64_t total)
{
	struct thread *w = total ? waitset_take_waiter(s->ws) : 0;
	if (!w) {
		set_count(s, total);
		return 0;
	}
	set_count(s, 0);
	w->frame.x[REG_A1] = KEVENT_SIGNAL;
	w->frame.x[REG_A2] = s->badge;
	w->frame.x[REG_A3] = total;
	thread_wake(w, 0);
	return w;
}

struct thread *signal_submit(struct signal *s, uint32_t count)
{
	KASSERT(s->alive);
	if (s->ws)
		return submit_to_waitset(s, add_count(s->count, count));
	s->count = add_count(s->count, count);
	struct thread *w = s->waiter;
	if (!w || s->count == 0)
		return 0;
	KASSERT(w->state == THREAD_BLOCKED_SIGNAL);
	w->frame.x[REG_A0] = s->count;
	s->count = 0;
	s->waiter = 0;
	w->signal = 0;
	w->state = THREAD_RUNNABLE;
	sched_note_runnable(w);
	return w;
}

void signal_wait(struct thread *t, struct signal *s)
{
	KASSERT(s->alive && s->owner == t->pd && !s->waiter);
	if (s->count) {
		t->frame.x[REG_A0] = s->count;
		s->count = 0;
		return;
	}
	t->state = THREAD_BLOCKED_SIGNAL;
	t->signal = s;
	s->waiter = t;
}

void signal_bind(struct signal *s, struct waitset *ws, uint64_t badge)
{
	KASSERT(s->alive && !s->ws && !s->waiter && ws->owner == s->owner);
	s->ws = ws;
	s->badge = badge;
	waitset_list_signal(ws, s);
	if (s->count)
		waitset_note_ready(ws, 1);
}

void signal_unbind(struct signal *s)
{
	if (s->ws && s->count)
		waitset_note_ready(s->ws, -1);
	if (s->ws)
		waitset_forget_signal(s->ws, s);
	s->ws = 0;
	s->badge = 0;
}

struct waitset *signal_waitset(const struct signal *s)
{
	return s->ws;
}

uint64_t signal_take(struct signal *s, uint64_t *badge)
{
	uint64_t count = s->count;
	set_count(s, 0);
	*badge = s->badge;
	return count;
}

void signal_destroy(struct signal *s)
{
	KASSERT(s->alive);
	if (s->waiter) {
		s->waiter->signal = 0;
		thread_wake(s->waiter, KERR_REVOKED);
	}
	signal_unbind(s);
	irq_signal_gone(s);
	*s = (struct signal){ .refs = s->refs };
}

void signal_thread_abort(struct thread *t)
{
	if (t->state == THREAD_BLOCKED_SIGNAL)
		t->signal->waiter = 0;
	t->signal = 0;
}

unsigned signal_dissolve_owned(const struct pd *pd)
{
	unsigned count = 0;
	for (unsigned i = 0; i < SIGNAL_MAX; i++) {
		struct signal *s = &signals[i];
		if (s->alive && s->owner == pd) {
			signal_unbind(s);
			irq_signal_gone(s);
			*s = (struct signal){ .refs = s->refs };
			count++;
		}
	}
	return count;
}
