/*
 * Timer connections (timer_connection.h): a watched Timer session that
 * remembers its signal and trigger and installs them again at a session
 * opened anew.
 */
#include "timer_connection.h"

#include <runtime/cap.h>
#include <runtime/clock.h>
#include <runtime/env.h>
#include <runtime/signal.h>

#include "timer_rpc.h"

uint64_t timer_once_left_ms(uint64_t armed_ns, uint64_t ms, uint64_t now_ns)
{
	uint64_t due_ns = ms > (UINT64_MAX - armed_ns) / 1000000u
	                ? UINT64_MAX : armed_ns + ms * 1000000u;

	if (now_ns >= due_ns)
		return 0;
	return (due_ns - now_ns + 999999u) / 1000000u;
}

static int arm(timer_connection_t *t, enum timer_trigger trigger, uint64_t ms)
{
	kcap_t cap = t->connection.cap;
	int rc = trigger == TIMER_TRIGGER_PERIODIC ? timer_trigger_periodic(cap, ms)
	       : timer_trigger_once(cap, ms);

	if (rc == 0 || !connection_ready(&t->connection)) {
		/* without a session yet: the reopened one is armed with it */
		t->trigger = ms ? trigger : TIMER_TRIGGER_NONE;
		t->ms = ms;
		t->armed_ns = clock_now_ns();
	}
	return rc;
}

/* The watched session is open again (on the entrypoint). */
static void reopened(connection_t *c, void *ctx)
{
	timer_connection_t *t = ctx;
	uint64_t left;

	(void)c;
	t->rearmed = cap_valid(t->sigh) ? timer_sigh(c->cap, t->sigh) : 0;
	if (t->rearmed != 0)
		return;
	switch (t->trigger) {
	case TIMER_TRIGGER_PERIODIC:
		t->rearmed = timer_trigger_periodic(c->cap, t->ms);
		break;
	case TIMER_TRIGGER_ONCE:
		left = timer_once_left_ms(t->armed_ns, t->ms, clock_now_ns());
		if (left == 0) {
			t->trigger = TIMER_TRIGGER_NONE;
			t->rearmed = cap_valid(t->sigh) ? signal_submit(t->sigh, 1) : 0;
		} else {
			t->rearmed = arm(t, TIMER_TRIGGER_ONCE, left);
		}
		break;
	case TIMER_TRIGGER_NONE:
		break;
	}
}

int timer_connection_open(timer_connection_t *t, env_t *env, const char *args)
{
	*t = (timer_connection_t){ .sigh = KCAP_INVALID };
	int rc = connection_open(&t->connection, env, "Timer", args);
	if (rc == 0)
		rc = connection_watch(&t->connection, reopened, t);
	if (rc != 0)
		connection_close(&t->connection);
	return rc;
}

int timer_connection_sigh(timer_connection_t *t, kcap_t signal)
{
	kcap_t copy = KCAP_INVALID;
	int rc = cap_valid(signal) ? cap_copy(signal, &copy) : 0;

	if (rc == 0)
		rc = timer_sigh(t->connection.cap, signal);
	if (rc != 0 && connection_ready(&t->connection)) {
		cap_close(copy);
		return rc;
	}
	cap_close(t->sigh);
	t->sigh = copy;
	return rc;
}

int timer_connection_trigger_once(timer_connection_t *t, uint64_t ms)
{
	return arm(t, TIMER_TRIGGER_ONCE, ms);
}

int timer_connection_trigger_periodic(timer_connection_t *t, uint64_t ms)
{
	return arm(t, TIMER_TRIGGER_PERIODIC, ms);
}

void timer_connection_close(timer_connection_t *t)
{
	connection_close(&t->connection);
	cap_close(t->sigh);
	t->sigh = KCAP_INVALID;
	t->trigger = TIMER_TRIGGER_NONE;
}
