/*
 * counter_client: the demo client of the Counter service (pkg/counter). It
 * exercises sessions (Timer and Counter, through its parent), signals
 * (a periodic Timer signal drives it, the Counter's signal tells it that
 * the shared page changed) and shared memory (it reads the value from the
 * page the server writes, never from a reply). Its config says how many
 * increments and how often; then it closes both sessions and exits.
 *
 * Both sessions outlive their servers (runtime/connection.h,
 * "Watching"): the Timer is a timer connection (pkg/timer/
 * timer_connection.h), re-armed at a new timer by the runtime; the
 * Counter session is watched, and when it is open again at a new counter
 * the client maps the new page and installs its signal there. Meanwhile
 * ticks do nothing: an increment needs a counter.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <runtime/cap.h>
#include <runtime/connection.h>
#include <runtime/container_of.h>
#include <runtime/dataspace.h>
#include <runtime/env.h>
#include <runtime/signal.h>

#include "counter_session_rpc.h"
#include "timer_connection.h"

struct client {
	env_t *env;
	uint64_t increments, period_ms, done;
	timer_connection_t timer;
	connection_t counter;
	struct dataspace page_ds;  /* attached read-only */
	const unsigned char *page; /* page_ds.addr; NULL: no counter */
	kcap_t changed_sig;        /* the counter's signal, kept */
	signal_dispatcher_t tick, changed;
	bool waiting;   /* logged that the counter is gone */
	uint64_t lines; /* "shared page says" lines written */
};

static uint64_t read_value(const unsigned char *page)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)page[i] << (8 * i);
	return v;
}

static void finish(struct client *c)
{
	timer_connection_trigger_periodic(&c->timer, 0);
	env_log(c->env, "done after %llu increments",
	        (unsigned long long)c->done);
	connection_close(&c->counter);
	timer_connection_close(&c->timer);
	env_exit(c->env, 0);
}

static void on_changed(signal_dispatcher_t *d, uint32_t count)
{
	struct client *c = container_of(d, struct client, changed);

	if (!c->page)
		return;
	/* numbered, so that a lost line shows as a gap (a value may be
	 * skipped without one: signals that pile up are handled once) */
	env_log(c->env, "shared page says %llu (\"%s\"), line %llu",
	        (unsigned long long)read_value(c->page),
	        (const char *)c->page + 8, (unsigned long long)++c->lines);
	if (read_value(c->page) >= c->increments)
		finish(c);
}

static void on_tick(signal_dispatcher_t *d, uint32_t count)
{
	struct client *c = container_of(d, struct client, tick);
	uint64_t value;
	int err;

	if (c->done >= c->increments)
		return;
	err = connection_ready(&c->counter) && c->page
	              ? counter_session_increment(c->counter.cap, 1, &value)
	              : KERR_REVOKED;
	if (err == KERR_REVOKED) {
		/* the counter went away: the runtime opens the session anew */
		if (!c->waiting)
			env_log(c->env, "counter gone: waiting for it");
		c->waiting = true;
		return;
	}
	if (err) {
		env_log(c->env, "increment failed: %s",
		        rpc_strerror(&counter_session_rpc, err));
		env_exit(c->env, 1);
	}
	c->done++;
}

/* Reads "increments" and "period_ms" of the config ROM, if given. */
static void read_config(struct client *c)
{
	env_rom_t rom;
	cJSON *json;

	c->increments = 3;
	c->period_ms = 100;
	if (env_rom_open(c->env, "config", &rom) || !rom.data)
		return;
	json = cJSON_ParseWithLength(rom.data, rom.size);
	if (json) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(json,
		                                                  "increments");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(json,
		                                                  "period_ms");
		if (cJSON_IsNumber(n) && n->valuedouble >= 1 &&
		    n->valuedouble <= 1e6)
			c->increments = (uint64_t)n->valuedouble;
		if (cJSON_IsNumber(p) && p->valuedouble >= 1 &&
		    p->valuedouble <= 1e6)
			c->period_ms = (uint64_t)p->valuedouble;
	} else {
		env_log(c->env, "config is no JSON: using the defaults");
	}
	cJSON_Delete(json);
	env_rom_close(&rom);
}

/* Maps the counter's shared page and installs the signal at the counter
 * session open now. */
static int attach_counter(struct client *c)
{
	kcap_t ds;
	int err;

	if (c->page)
		dataspace_release(&c->page_ds);
	c->page = NULL;
	err = counter_session_dataspace(c->counter.cap, &ds);
	if (!err)
		err = dataspace_open(&c->page_ds, ds, 4096);
	if (!err)
		err = dataspace_attach(&c->page_ds, false);
	if (err)
		return env_log(c->env, "cannot map the shared page: %s",
		               rpc_strerror(&counter_session_rpc, err)),
		       err;
	c->page = c->page_ds.addr;
	return counter_session_sigh(c->counter.cap, c->changed_sig);
}

/* The Counter session is open again at a (new) counter; on the
 * entrypoint. */
static void counter_reopened(connection_t *connection, void *ctx)
{
	struct client *c = ctx;

	(void)connection;
	if (attach_counter(c) == 0) {
		env_log(c->env, "counter back: counting on");
		c->waiting = false;
	}
}

static int connect_sessions(struct client *c)
{
	kcap_t sig;
	int err;

	err = timer_connection_open(&c->timer, c->env,
	                            "label=\"tick\", ram_quota=8K");
	if (err)
		return env_log(c->env, "no Timer: %s", runtime_strerror(err)),
		       err;
	err = connection_open(&c->counter, c->env, "Counter",
	                      "label=\"demo\", ram_quota=16K");
	if (err)
		return env_log(c->env, "no Counter: %s", runtime_strerror(err)),
		       err;
	err = signal_dispatcher_init(&c->changed, c->env->ep, on_changed,
	                             &c->changed_sig);
	if (!err)
		err = attach_counter(c);
	if (!err)
		err = connection_watch(&c->counter, counter_reopened, c);
	if (!err)
		err = signal_dispatcher_init(&c->tick, c->env->ep, on_tick,
		                             &sig);
	if (!err) {
		err = timer_connection_sigh(&c->timer, sig);
		cap_close(sig);
	}
	if (!err)
		err = timer_connection_trigger_periodic(&c->timer,
		                                        c->period_ms);
	if (err)
		env_log(c->env, "cannot install the signals: %s",
		        runtime_strerror(err));
	return err;
}

void component_construct(env_t *env)
{
	/* The client lives as long as the component. */
	static struct client client;

	client.env = env;
	read_config(&client);
	if (connect_sessions(&client))
		env_exit(env, 1);
	env_log(env, "counting to %llu every %llu ms",
	        (unsigned long long)client.increments,
	        (unsigned long long)client.period_ms);
}
