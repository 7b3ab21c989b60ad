/*
 * Init's ticker: a signal on the entrypoint every INIT_TICK_MS while some
 * part of init wants to count time (supervise.c: a restart's back-off, a
 * restarted child's time to stability). Init has no Timer session (core
 * serves none, and a Timer child would make init depend on its own
 * child), and its entrypoint must never sleep, since it answers every
 * child's parent calls; so, as for the state report's rest
 * (state_report.h), a thread of init sleeps in a signal receiver's wait
 * with a timeout and submits a signal that the entrypoint dispatches. No
 * clock is read: time is counted in ticks, so it runs a little slow
 * (each tick is at least INIT_TICK_MS), never fast.
 *
 * The thread ticks only while wanted: init_ticker_want() starts it (or
 * keeps it going), init_ticker_rest() lets it stop after the tick in
 * flight. A crash loop thus costs init one wakeup per tick, and an idle
 * init none.
 */
#ifndef INIT_TICKER_H
#define INIT_TICKER_H

#include <stdbool.h>
#include <stdint.h>

#include <runtime/env.h>
#include <runtime/semaphore.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

#define INIT_TICK_MS 50u

struct init_ticker {
	env_t *env;
	void (*on_tick)(struct init_ticker *t); /* on the entrypoint */
	signal_dispatcher_t tick;
	signal_transmitter_t tick_tx;
	kcap_t tick_cap;
	struct thread thread;
	struct semaphore wake; /* one up when the ticks start */
	bool wanted;           /* __atomic: tick on */
};

/* Sets up the signal and the thread (idle). 0 or a KERR_*. */
int init_ticker_start(struct init_ticker *t, env_t *env,
                      void (*on_tick)(struct init_ticker *t));

/* Ticks on (entrypoint). */
void init_ticker_want(struct init_ticker *t);

/* No more ticks needed (entrypoint, typically from on_tick). */
void init_ticker_rest(struct init_ticker *t);

#endif
