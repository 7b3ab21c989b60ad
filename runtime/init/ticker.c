/*
 * Init's ticker (ticker.h): the thread that sleeps a tick at a time while
 * ticks are wanted, and the signal that runs the tick on the entrypoint.
 */
#include "ticker.h"

#include <string.h>

#include <runtime/container_of.h>

#define TICKER_STACK ((size_t)64 * 1024u)

static void tick(signal_dispatcher_t *d, uint32_t count)
{
	struct init_ticker *t = container_of(d, struct init_ticker, tick);

	(void)count; /* ticks that piled up count once: time runs slow */
	t->on_tick(t);
}

/* Waits to be wanted, then sleeps and submits a tick until it is not
 * wanted any more. The receiver has no context, so nothing but the
 * timeout ends its wait. Without a receiver the ticks come at once (time
 * runs fast, which only shortens back-offs; logged). */
static void ticker_entry(void *arg)
{
	struct init_ticker *t = arg;
	signal_receiver_t *sleeper = NULL;
	signal_t none;

	if (signal_receiver_create(&sleeper)) {
		env_log(t->env,
		        "ticker: no timer, so restart back-offs are not timed");
		sleeper = NULL;
	}
	for (;;) {
		semaphore_down(&t->wake);
		while (__atomic_load_n(&t->wanted, __ATOMIC_ACQUIRE)) {
			if (sleeper)
				signal_receiver_wait(sleeper, &none,
				                     (int)INIT_TICK_MS);
			signal_transmitter_submit(&t->tick_tx, 1);
		}
	}
}

int init_ticker_start(struct init_ticker *t, env_t *env,
                      void (*on_tick)(struct init_ticker *t))
{
	int err;

	memset(t, 0, sizeof(*t));
	t->env = env;
	t->on_tick = on_tick;
	t->tick_cap = KCAP_INVALID;
	semaphore_init(&t->wake, 0);
	err = signal_dispatcher_init(&t->tick, env->ep, tick, &t->tick_cap);
	if (err)
		return err;
	signal_transmitter_init(&t->tick_tx, t->tick_cap);
	return thread_start(&t->thread, "init-ticker", TICKER_STACK,
	                    ticker_entry, t);
}

void init_ticker_want(struct init_ticker *t)
{
	/* an up only when the thread may be waiting for one; an extra up
	 * after a quick rest-and-want costs at most one empty tick */
	if (!__atomic_exchange_n(&t->wanted, true, __ATOMIC_ACQ_REL))
		semaphore_up(&t->wake);
}

void init_ticker_rest(struct init_ticker *t)
{
	__atomic_store_n(&t->wanted, false, __ATOMIC_RELEASE);
}
