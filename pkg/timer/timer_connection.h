/*
 * The client side of a Timer session (timer.rpc) that survives its
 * server: a Timer client links it beside timer.rpc (pkg/counter_client
 * does). It keeps the signal and the trigger the client set, and the
 * connection is watched (runtime/connection.h, "Watching"): when the
 * session ends (the timer was restarted or replaced, or the route moved),
 * the runtime opens it anew as soon as a server answers, and then, on the
 * entrypoint, the signal is installed there and the trigger re-armed: a
 * periodic one with its period, a pending one-shot with the time it has
 * left. A one-shot whose time passed while there was no server is
 * submitted at once (the old server may have gone before it did; a
 * client can then see it twice, never not at all). Elapsed time starts
 * again at the new server.
 */
#ifndef TIMER_CONNECTION_H
#define TIMER_CONNECTION_H

#include <stdint.h>

#include <runtime/connection.h>

struct env;

enum timer_trigger { TIMER_TRIGGER_NONE, TIMER_TRIGGER_ONCE,
                     TIMER_TRIGGER_PERIODIC };

typedef struct timer_connection {
	connection_t       connection;
	kcap_t             sigh;       /* a copy; KCAP_INVALID: none */
	enum timer_trigger trigger;
	uint64_t           ms;         /* the once delay or the period */
	uint64_t           armed_ns;   /* clock_now_ns() when it was armed */
	int                rearmed;    /* status of the last re-arm */
} timer_connection_t;

/* Opens the Timer session `label` (args as for connection_open, e.g.
 * "label=\"tick\", ram_quota=8K") and watches it. */
int timer_connection_open(timer_connection_t *t, struct env *env,
                          const char *args);

/* Installs `signal` (a copy is kept for a session opened anew). */
int timer_connection_sigh(timer_connection_t *t, kcap_t signal);

/* As timer.rpc's trigger_once and trigger_periodic (0 ms stops), kept
 * for a session opened anew. */
int timer_connection_trigger_once(timer_connection_t *t, uint64_t ms);
int timer_connection_trigger_periodic(timer_connection_t *t, uint64_t ms);

void timer_connection_close(timer_connection_t *t);

/* The time a one-shot armed at `armed_ns` for `ms` has left at `now_ns`
 * (0: its time has come), in whole milliseconds rounded up; pure. */
uint64_t timer_once_left_ms(uint64_t armed_ns, uint64_t ms, uint64_t now_ns);

#endif
