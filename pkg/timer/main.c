/*
 * The timer component: serves the Timer service (timer.rpc) to any number
 * of sessions. Each session has an alarm in the alarm clock (alarm.h);
 * everything else runs on the entrypoint. Announced to the parent as
 * "Timer" once the clock runs.
 */
#include <runtime/clock.h>
#include <runtime/container_of.h>
#include <runtime/env.h>
#include <runtime/root_component.h>

#include "alarm.h"
#include "root_rpc.h"
#include "timer_rpc.h"

#define SESSION_RAM ((size_t)4 * 1024u)   /* what a session costs the server */

struct timer_server {
	env_t *env;
	struct root_component root;
	struct alarm_clock clock;
};

struct timer_session {
	struct root_session base;
	struct timer_server *server;
	uint64_t opened_ns;
	struct alarm alarm;
};

static struct timer_session *session_of(rpc_object_t *self)
{
	return container_of(root_session_of(self), struct timer_session, base);
}

static int elapsed_op(rpc_object_t *self, uint64_t *ms)
{
	*ms = (clock_now_ns() - session_of(self)->opened_ns) / 1000000u;
	return 0;
}

static int sigh_op(rpc_object_t *self, kcap_t signal)
{
	struct timer_session *s = session_of(self);

	return alarm_set_signal(&s->server->clock, &s->alarm, signal)
	               ? RPC_ERR_SERVER
	               : 0;
}

static int trigger(rpc_object_t *self, uint64_t ms, bool periodic)
{
	struct timer_session *s = session_of(self);

	if (ms && !signal_transmitter_valid(&s->alarm.signal))
		return TIMER_ERR_NO_SIGNAL;
	alarm_arm(&s->server->clock, &s->alarm, ms, periodic);
	return 0;
}

static int once_op(rpc_object_t *self, uint64_t ms)
{
	return trigger(self, ms, false);
}

static int periodic_op(rpc_object_t *self, uint64_t ms)
{
	return trigger(self, ms, true);
}

static const struct timer_ops session_ops = {
	.elapsed_ms = elapsed_op,
	.sigh = sigh_op,
	.trigger_once = once_op,
	.trigger_periodic = periodic_op,
};

static int create_session(struct root_component *root,
                          struct root_session *base,
                          const struct session_args *args, const char *raw_args,
                          const char **why)
{
	(void)args;
	(void)raw_args;
	(void)why;
	struct timer_server *server = root_component_server(root);
	struct timer_session *s = container_of(base, struct timer_session,
	                                       base);

	s->server = server;
	s->opened_ns = clock_now_ns();
	alarm_add(&server->clock, &s->alarm);
	return 0;
}

static void destroy_session(struct root_component *root,
                            struct root_session *base)
{
	struct timer_server *server = root_component_server(root);
	struct timer_session *s = container_of(base, struct timer_session,
	                                       base);

	alarm_remove(&server->clock, &s->alarm);
}

static const struct root_component_ops root_ops = {
	.create = create_session,
	.destroy = destroy_session,
};

void component_construct(env_t *env)
{
	/* The server lives as long as the component. */
	static struct timer_server server;
	const struct root_component_config config = {
		.name = "Timer",
		.iface = &timer_rpc,
		.session_ops = &session_ops,
		ROOT_SESSION_LAYOUT(struct timer_session, base),
		.ram_cost = SESSION_RAM,
		.cap_cost = 1,
		.ops = &root_ops,
		.server = &server,
	};
	int err;

	server.env = env;
	err = alarm_clock_start(&server.clock);
	if (err) {
		env_log(env, "cannot start the clock: %s",
		        runtime_strerror(err));
		env_exit(env, 1);
	}
	if (env_serve(env, &server.root, &config))
		env_exit(env, 1);
}
