/*
 * A resource request of the component (env_private.h; parent.rpc
 * resource_avail_sigh and resource_request): the heap, short of quota,
 * asks the parent for more and blocks the calling thread until the
 * parent answers, instead of failing. The answer is a signal to a
 * receiver of the waiting thread's own, so the entrypoint need not be
 * free for it (the heap may be short on the entrypoint itself).
 */
#include "env_private.h"

#include "parent_rpc.h"

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

int env_resource_request(kcap_t parent, uint64_t ram, uint64_t caps)
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
