/*
 * rpc-probe: the client of the remote RPC scenarios (tests/scenarios/70-*).
 * It opens a Counter session (again every 200 ms until one is there) and
 * uses it (pkg/counter's interface) as any client
 * would, through whatever its parent routes it to: it maps the session's
 * dataspace, gives the session a signal context, and increments every
 * 200 ms on a thread of its own, logging each reply and its round trip. The signal handler
 * logs the running total of signal counts and what the shared page says.
 * A failed call is logged with its words; the probe then reopens the
 * session (the runtime's reconnection path) every 200 ms until that works
 * and starts over with the new session's page and signal.
 */
#include <runtime/cap.h>
#include <runtime/clock.h>
#include <runtime/connection.h>
#include <runtime/container_of.h>
#include <runtime/dataspace.h>
#include <runtime/env.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

#include "counter_session_rpc.h"

#define PAGE 4096u

struct probe {
	env_t *env;
	connection_t counter;
	struct dataspace page; /* attached read-only */
	signal_dispatcher_t changed;
	kcap_t changed_cap;
	uint64_t signals;        /* counts summed, this session */
	signal_receiver_t *idle; /* the driver's, to pause on */
	struct thread driver;
};

static uint64_t page_value(const struct probe *p)
{
	const unsigned char *b = p->page.addr;
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static void on_changed(signal_dispatcher_t *d, uint32_t count)
{
	struct probe *p = container_of(d, struct probe, changed);
	p->signals += count;
	if (p->page.addr)
		env_log(p->env, "signals %llu, page says %llu (\"%s\")",
		        (unsigned long long)p->signals,
		        (unsigned long long)page_value(p),
		        (const char *)p->page.addr + 8);
}

/* Maps the session's page and installs the signal; 0 or an error. */
static int attach(struct probe *p)
{
	kcap_t ds;
	int err = counter_session_dataspace(p->counter.cap, &ds);
	dataspace_release(&p->page);
	if (!err)
		err = dataspace_open(&p->page, ds, PAGE);
	if (!err)
		err = dataspace_attach(&p->page, false);
	if (!err)
		err = counter_session_sigh(p->counter.cap, p->changed_cap);
	if (err)
		env_log(p->env, "cannot attach to the counter: %s",
		        rpc_strerror(&counter_session_rpc, err));
	else
		env_log(p->env, "attached: page says %llu",
		        (unsigned long long)page_value(p));
	return err;
}

static void pause_ms(struct probe *p, int ms)
{
	signal_t sig;
	signal_receiver_wait(p->idle, &sig, ms); /* nothing submits: a pause */
}

static void drive(void *arg)
{
	struct probe *p = arg;
	int attached = 0;
	int logged = 0;
	static signal_context_t quiet; /* never submitted: waits are pauses */
	kcap_t quiet_cap;
	if (signal_receiver_create(&p->idle) ||
	    signal_receiver_manage(p->idle, &quiet, &quiet_cap))
		return;
	while (connection_open(&p->counter, p->env, "Counter",
	                       "label=\"probe\", ram_quota=16K") != 0) {
		if (!logged++)
			env_log(p->env, "no Counter yet: trying again");
		pause_ms(p, 200);
	}
	for (;;) {
		uint64_t value;
		int err;
		pause_ms(p, 200);
		if (!attached) {
			attached = attach(p) == 0;
			continue;
		}
		uint64_t start = clock_now_ns();
		err = counter_session_increment(p->counter.cap, 1, &value);
		if (!err) {
			env_log(p->env, "increment -> %llu in %llu us",
			        (unsigned long long)value,
			        (unsigned long long)((clock_now_ns() - start) /
			                             1000u));
			continue;
		}
		env_log(p->env, "increment failed: %s",
		        rpc_strerror(&counter_session_rpc, err));
		while (connection_reopen(&p->counter) != 0)
			pause_ms(p, 200);
		env_log(p->env, "session reopened");
		p->signals = 0;
		attached = 0;
	}
}

void component_construct(env_t *env)
{
	static struct probe p; /* lives as long as the component */
	int err;
	p.env = env;
	p.page = DATASPACE_EMPTY;
	err = signal_dispatcher_init(&p.changed, env->ep, on_changed,
	                             &p.changed_cap);
	if (!err)
		err = thread_start(&p.driver, "driver", (size_t)128 * 1024,
		                   drive, &p);
	if (err) {
		env_log(env, "cannot start: %s", runtime_strerror(err));
		env_exit(env, 1);
	}
}
