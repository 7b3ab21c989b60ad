/*
 * The client side of a Timer session (timer.rpc) that survives its
 * server: a Timer client links it beside timer.rpc (pkg/counter_client
 * does). It keeps the signal and the trigger the client set, and the
 * connection is watched (runtime/connection.h, "Watching"): when the
 * session ends (the timer was restarted or replaced, or the route moved),
 * the runtime opens it anew as soon as a server answers, and then, on the
 * entrypoint, the signal is installed there and the periodic trigger
 * re-armed with its period; elapsed time starts again at the new server.
 * A one-shot is not offered: no client arms one (timer.rpc's trigger_once
 * is there for those that talk to the session directly).
 */
#ifndef TIMER_CONNECTION_H
#define TIMER_CONNECTION_H

#include <stdint.h>

#include <runtime/connection.h>

struct env;

typedef struct timer_connection {
	connection_t connection;
	kcap_t sigh;        /* a copy; KCAP_INVALID: none */
	uint64_t period_ms; /* 0: not triggered */
	int rearmed;        /* status of the last re-arm */
} timer_connection_t;

/* Opens the Timer session `label` (args as for connection_open, e.g.
 * "label=\"tick\", ram_quota=8K") and watches it. */
int timer_connection_open(timer_connection_t *t, struct env *env,
                          const char *args);

/* Installs `signal` (a copy is kept for a session opened anew). */
int timer_connection_sigh(timer_connection_t *t, kcap_t signal);

/* As timer.rpc's trigger_periodic (0 ms stops), kept for a session
 * opened anew. */
int timer_connection_trigger_periodic(timer_connection_t *t, uint64_t ms);

void timer_connection_close(timer_connection_t *t);

#endif
