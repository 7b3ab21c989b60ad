/*
 * The client side of the parent's two-step session protocol (env.h):
 * register a session signal, file the request, wait for the signal while
 * the parent says `pending`, take the capability. A signal receiver of the
 * calling thread is made per request, so the protocol works from any
 * thread; the lock keeps the parent's one session-signal registration
 * consistent when threads open sessions at the same time, and afterwards
 * the session watch's signal (reconnect.c) is registered again.
 */
#include "env_private.h"

#include "parent_rpc.h"

#include <runtime/arg_string.h>
#include <runtime/signal.h>
#include <runtime/str.h>

#include <string.h>

int env_session_args(const char *args, char out[ENV_SESSION_ARGS_MAX + 1],
                     uint64_t *ram_quota, uint64_t *cap_quota)
{
	if (str_copy(out, args, ENV_SESSION_ARGS_MAX + 1) < 0)
		return PARENT_ERR_INVALID;
	size_t size = ENV_SESSION_ARGS_MAX + 1;
	int rc = arg_string_get_size(out, size, "ram_quota", ram_quota);
	if (rc == ARG_ERR_NOT_FOUND)
		rc = arg_string_set(out, size, "ram_quota",
		                    ENV_DEFAULT_RAM_QUOTA);
	if (rc == ARG_OK)
		rc = arg_string_get_size(out, size, "ram_quota", ram_quota);
	if (rc != ARG_OK)
		return PARENT_ERR_INVALID;
	rc = arg_string_get_unsigned(out, size, "cap_quota", cap_quota);
	if (rc == ARG_ERR_NOT_FOUND)
		rc = arg_string_set(out, size, "cap_quota",
		                    ENV_DEFAULT_CAP_QUOTA);
	if (rc == ARG_OK)
		rc = arg_string_get_unsigned(out, size, "cap_quota", cap_quota);
	return rc == ARG_OK ? 0 : PARENT_ERR_INVALID;
}

/* Waits for the session's answer, bounded by ENV_SESSION_TIMEOUT_MS. */
static int await_session(env_t *env, signal_receiver_t *rx, uint32_t id,
                         kcap_t *cap)
{
	uint64_t deadline = kclock_ns() +
	                    (uint64_t)ENV_SESSION_TIMEOUT_MS * 1000000u;
	for (;;) {
		int rc = parent_session_cap(env->parent, id, cap);
		if (rc != PARENT_ERR_PENDING)
			return rc;
		uint64_t now = kclock_ns();
		if (now >= deadline)
			break;
		signal_t sig;
		rc = signal_receiver_wait(rx, &sig,
		                          (int)((deadline - now) / 1000000u) +
		                                  1);
		if (rc != 0 && rc != KERR_TIMEOUT)
			return rc;
	}
	(void)parent_close(env->parent, id);
	return PARENT_ERR_UNRESPONSIVE;
}

static int request(env_t *env, signal_receiver_t *rx, const char *service,
                   const char *args, kcap_t *cap, uint32_t *id)
{
	signal_context_t ctx;
	kcap_t sigh;
	int rc = signal_receiver_manage(rx, &ctx, &sigh);
	if (rc != 0)
		return rc;
	rc = parent_session_sigh(env->parent, sigh);
	uint32_t filed = 0;
	*cap = KCAP_INVALID;
	if (rc == 0)
		rc = parent_session_now(env->parent, service, args, &filed,
		                        cap);
	if (rc == 0 && !kcap_valid(*cap))
		rc = await_session(env, rx, filed, cap);
	if (rc == 0)
		*id = filed;
	kcap_close(sigh);
	signal_receiver_dissolve(rx, &ctx);
	return rc;
}

int env_session_request(env_t *env, const char *service, const char *full,
                        kcap_t *cap, uint32_t *id)
{
	signal_receiver_t *rx;
	int rc = signal_receiver_create(&rx);
	if (rc != 0)
		return rc;
	lock_acquire(&env->priv->session_lock);
	rc = request(env, rx, service, full, cap, id);
	/* the session watch's signal again (reconnect.c): the parent submits
	 * it at once, so what the request's own signal got meanwhile is
	 * looked at */
	kcap_t watch = env->priv->reconnect.session_cap;
	if (kcap_valid(watch))
		(void)parent_session_sigh(env->parent, watch);
	lock_release(&env->priv->session_lock);
	signal_receiver_destroy(rx);
	return rc;
}

int env_session(env_t *env, const char *service, const char *args, kcap_t *cap,
                uint32_t *id)
{
	char full[ENV_SESSION_ARGS_MAX + 1];
	uint64_t ram_quota, cap_quota;
	int rc = env_session_args(args, full, &ram_quota, &cap_quota);

	if (rc != 0)
		return rc;
	/* short of quota: ask the parent, wait, try again (resource.c) */
	do
		rc = env_session_request(env, service, full, cap, id);
	while (rc != 0 && env_resource_pay(env, rc, ram_quota, cap_quota) == 0);
	return rc;
}

int env_close(env_t *env, uint32_t id)
{
	return parent_close(env->parent, id);
}

int env_upgrade(env_t *env, uint32_t id, uint64_t ram_quota, uint64_t cap_quota)
{
	char args[ENV_SESSION_ARGS_MAX + 1] = "";
	int rc;
	if (arg_string_set_unsigned(args, sizeof(args), "ram_quota",
	                            ram_quota) ||
	    arg_string_set_unsigned(args, sizeof(args), "cap_quota", cap_quota))
		return PARENT_ERR_INVALID;
	/* short of quota: ask the parent, wait, try again (resource.c) */
	do
		rc = parent_upgrade(env->parent, id, args);
	while (rc != 0 && env_resource_pay(env, rc, ram_quota, cap_quota) == 0);
	return rc;
}
