/*
 * The component's side of heartbeats (parent.rpc heartbeat_sigh and
 * heartbeat_response; runtime/init/README.md, "Heartbeats"): a signal
 * handled on the entrypoint, registered with the parent, that answers
 * each request with heartbeat_response(). It runs where the component's
 * own handlers run, so a parent that gets no answer knows that the
 * entrypoint is stuck, which a thread of its own could not tell.
 */
#include "env_private.h"

#include "parent_rpc.h"

static void answer(void *arg, uint32_t count)
{
	env_t *env = arg;

	(void)count; /* requests that piled up get one answer */
	(void)parent_heartbeat_response(env->parent);
}

void env_heartbeat_start(env_t *env)
{
	kcap_t cap;

	if (entrypoint_manage_signal(env->ep, &env->priv->heartbeat, answer,
	                             env, &cap))
		return; /* no heartbeats: a watching parent sees them skipped */
	/* core, init's parent, does not ask: its answer is no error */
	(void)parent_heartbeat_sigh(env->parent, cap);
	kcap_close(cap);
}
