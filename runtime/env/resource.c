/*
 * A resource request of the component (env_private.h; parent.rpc
 * resource_avail_sigh and resource_request): the heap, or a session
 * request or upgrade the component cannot pay for, asks the parent for
 * more and blocks the calling thread until the parent answers, instead of
 * failing. The answer is a signal to a receiver of the waiting thread's
 * own, so the entrypoint need not be free for it (the heap may be short
 * on the entrypoint itself). One request at a time (`asking`): the parent
 * keeps one resource signal per component, which a second thread's
 * registration would replace; a process is one component, hence the
 * one static lock.
 */
#include "env_private.h"

#include "parent_rpc.h"
#include "pd_rpc.h"

#include <runtime/arg_string.h>
#include <runtime/signal.h>

static int ask(kcap_t parent, kcap_t sigh, uint64_t ram, uint64_t caps)
{
	char args[PARENT_RESOURCE_REQUEST_ARGS_MAX + 1] = "";
	int rc;

	if (arg_string_set_unsigned(args, sizeof(args), "ram_quota", ram) ||
	    arg_string_set_unsigned(args, sizeof(args), "cap_quota", caps))
		return KERR_INVALID;
	rc = parent_resource_avail_sigh(parent, sigh);
	return rc ? rc : parent_resource_request(parent, args);
}

static struct lock asking = LOCK_INIT;

static int ask_and_wait(kcap_t parent, uint64_t ram, uint64_t caps)
{
	signal_receiver_t *rx;
	signal_context_t ctx;
	signal_t sig;
	kcap_t sigh;
	int rc = signal_receiver_create(&rx);

	if (rc)
		return rc;
	rc = signal_receiver_manage(rx, &ctx, &sigh);
	if (!rc) {
		rc = ask(parent, sigh, ram, caps);
		if (!rc)
			rc = signal_receiver_wait(rx, &sig, -1);
		(void)parent_resource_avail_sigh(parent, KCAP_INVALID);
		kcap_close(sigh);
		signal_receiver_dissolve(rx, &ctx);
	}
	signal_receiver_destroy(rx);
	return rc;
}

int env_resource_request(kcap_t parent, uint64_t ram, uint64_t caps)
{
	LOCK_GUARD(&asking);
	return ask_and_wait(parent, ram, caps);
}

/* What `want` exceeds what a pool of `limit` with `used` has free by; 0
 * when it has enough. */
static uint64_t short_by(uint64_t want, uint64_t limit, uint64_t used)
{
	uint64_t avail = limit > used ? limit - used : 0;

	return want > avail ? want - avail : 0;
}

int env_resource_pay(env_t *env, int status, uint64_t ram, uint64_t caps)
{
	uint64_t ram_limit, ram_used, cap_limit, cap_used;

	if (status != PARENT_ERR_OUT_OF_RAM && status != PARENT_ERR_OUT_OF_CAPS)
		return status;
	if (pd_quota(env->pd, &ram_limit, &ram_used, &cap_limit, &cap_used))
		return status;
	ram = short_by(ram, ram_limit, ram_used);
	caps = short_by(caps, cap_limit, cap_used);
	/* the component could pay: the server wants more than was offered,
	 * which more quota at the component does not change */
	if (!ram && !caps)
		return status;
	return env_resource_request(env->parent, ram, caps) ? status : 0;
}
