/*
 * Timer connections (timer_connection.h): a watched Timer session that
 * remembers its signal and trigger and installs them again at a session
 * opened anew.
 */
#include "timer_connection.h"

#include <runtime/cap.h>
#include <runtime/env.h>

#include "timer_rpc.h"

/* The watched session is open again (on the entrypoint). */
static void reopened(connection_t *c, void *ctx)
{
	timer_connection_t *t = ctx;

	t->rearmed = cap_valid(t->sigh) ? timer_sigh(c->cap, t->sigh) : 0;
	if (t->rearmed == 0 && t->period_ms)
		t->rearmed = timer_trigger_periodic(c->cap, t->period_ms);
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

int timer_connection_trigger_periodic(timer_connection_t *t, uint64_t ms)
{
	int rc = timer_trigger_periodic(t->connection.cap, ms);

	/* without a session yet: the reopened one is armed with it */
	if (rc == 0 || !connection_ready(&t->connection))
		t->period_ms = ms;
	return rc;
}

void timer_connection_close(timer_connection_t *t)
{
	connection_close(&t->connection);
	cap_close(t->sigh);
	t->sigh = KCAP_INVALID;
	t->period_ms = 0;
}
