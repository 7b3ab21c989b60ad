/*
 * The component's side of yield requests (parent.rpc yield_sigh,
 * yield_request, yield_response; env.h env_yield_handler): a signal
 * handled on the entrypoint, registered with the parent at start-up. Each
 * request is handled in three steps: the component's handler frees what
 * it can spare, the heap gives back its wholly free dataspaces (which
 * turns freed blocks into free quota of the PD), and the parent is told,
 * so it can take the free quota back at once. On the entrypoint, because
 * the handler touches the component's own state, which its other
 * handlers touch there too.
 */
#include "env_private.h"

#include "parent_rpc.h"

static void yield_requested(void *arg, uint32_t count)
{
	env_t *env = arg;
	struct env_private *priv = env->priv;
	uint64_t ram = 0, caps = 0;
	env_yield_fn fn;
	void *ctx;

	(void)count; /* requests that piled up are one: ask what is wanted */
	if (parent_yield_request(env->parent, &ram, &caps) || (!ram && !caps))
		return; /* withdrawn meanwhile */
	lock_acquire(&priv->yield_lock);
	fn = priv->yield_fn;
	ctx = priv->yield_ctx;
	lock_release(&priv->yield_lock);
	if (fn)
		fn(ctx, ram, caps);
	(void)env_heap_trim(priv->heap);
	(void)parent_yield_response(env->parent);
}

void env_yield_handler(env_t *env, env_yield_fn fn, void *ctx)
{
	struct env_private *priv = env->priv;

	lock_acquire(&priv->yield_lock);
	priv->yield_fn = fn;
	priv->yield_ctx = ctx;
	lock_release(&priv->yield_lock);
}

void env_yield_start(env_t *env)
{
	kcap_t cap;

	lock_init(&env->priv->yield_lock);
	if (entrypoint_manage_signal(env->ep, &env->priv->yield,
	                             yield_requested, env, &cap))
		return; /* not asked: a parent that lowers the quota restarts */
	/* core, init's parent, does not ask: its answer is no error */
	(void)parent_yield_sigh(env->parent, cap);
	kcap_close(cap);
}
