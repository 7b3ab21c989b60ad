/*
 * The timer component: serves the Timer service (timer.rpc) to any number
 * of sessions. Each session has an alarm in the alarm clock (alarm.h);
 * everything else runs on the entrypoint. Announced to the parent as
 * "Timer" once the clock runs.
 */
#include <stdlib.h>

#include <runtime/arg_string.h>
#include <runtime/container_of.h>
#include <runtime/env.h>

#include "alarm.h"
#include "parent_rpc.h"
#include "root_rpc.h"
#include "timer_rpc.h"

#define SESSION_RAM ((size_t)4 * 1024u)   /* what a session costs the server */

struct timer_server {
	env_t *env;
	rpc_object_t root;
	kcap_t root_cap;
	struct alarm_clock clock;
};

struct timer_session {
	rpc_object_t obj;
	struct timer_server *server;
	kcap_t cap;
	uint64_t opened_ns;
	struct alarm alarm;
};

static struct timer_session *session_of(rpc_object_t *self)
{
	return container_of(self, struct timer_session, obj);
}

static int elapsed_op(rpc_object_t *self, uint64_t *ms)
{
	*ms = (kclock_ns() - session_of(self)->opened_ns) / 1000000u;
	return 0;
}

static int sigh_op(rpc_object_t *self, kcap_t signal)
{
	struct timer_session *s = session_of(self);

	return alarm_set_signal(&s->server->clock, &s->alarm, signal)
	       ? RPC_ERR_SERVER : 0;
}

static int trigger(rpc_object_t *self, uint64_t ms, bool periodic)
{
	struct timer_session *s = session_of(self);

	if (ms && !kcap_valid(s->alarm.signal))
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

static int root_session_op(rpc_object_t *self, const char *args, kcap_t *cap)
{
	struct timer_server *server = container_of(self, struct timer_server, root);
	uint64_t ram = 0;
	struct timer_session *s;

	if (arg_string_get_size(args, ROOT_SESSION_ARGS_MAX + 1, "ram_quota", &ram) ||
	    ram < SESSION_RAM)
		return ROOT_ERR_OUT_OF_RAM;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ROOT_ERR_OUT_OF_RAM;
	s->server = server;
	s->opened_ns = kclock_ns();
	alarm_add(&server->clock, &s->alarm);
	if (timer_manage(self->ep, &s->obj, &session_ops, &s->cap)) {
		alarm_remove(&server->clock, &s->alarm);
		free(s);
		return ROOT_ERR_DENIED;
	}
	*cap = s->cap;
	return 0;
}

static struct timer_session *lookup(rpc_object_t *root, kcap_t cap)
{
	rpc_object_t *found;

	if (!entrypoint_lookup(root->ep, cap, &found) || found->iface != &timer_rpc)
		return NULL;
	return session_of(found);
}

static int root_close_op(rpc_object_t *self, kcap_t cap)
{
	struct timer_server *server = container_of(self, struct timer_server, root);
	struct timer_session *s = lookup(self, cap);

	if (!s)
		return ROOT_ERR_UNKNOWN;
	alarm_remove(&server->clock, &s->alarm);
	entrypoint_dissolve(&s->obj);
	kcap_close(s->cap);
	free(s);
	return 0;
}

static int root_upgrade_op(rpc_object_t *self, kcap_t cap, const char *args)
{
	return lookup(self, cap) ? 0 : ROOT_ERR_UNKNOWN;
}

static const struct root_ops root_ops = {
	.session = root_session_op,
	.upgrade = root_upgrade_op,
	.close = root_close_op,
};

void component_construct(env_t *env)
{
	/* The server lives as long as the component. */
	static struct timer_server server;
	int err;

	server.env = env;
	err = alarm_clock_start(&server.clock);
	if (!err)
		err = root_manage(env->ep, &server.root, &root_ops, &server.root_cap);
	if (!err)
		err = parent_announce(env->parent, "Timer", server.root_cap);
	if (err) {
		env_log(env, "cannot serve Timer: %s", env_strerror(err));
		env_exit(env, 1);
	}
}
