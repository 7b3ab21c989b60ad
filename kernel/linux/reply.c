/*
 * Answering requests on Linux: kipc_reply() and kipc_reply_drop(). A reply
 * token names the server end of the caller's private channel and the
 * generation the registry gave it, so a token that is stale (the caller
 * went away and the descriptor was reused) or already used answers
 * nobody. May be called from any thread of the server.
 *
 * A dropped request is answered with a bare WIRE_DROP, on which the
 * caller fails with KERR_REVOKED and closes its channel; the waitset then
 * sees end-of-file and closes the server end. A channel whose reply or
 * drop could not be sent (the caller is gone, or does not read its
 * replies) is ended in the registry: the waitset closes it on its
 * end-of-file or its next request. No shutdown() is needed, so components
 * are not allowed one (confine.c): with it, a holder of a capability
 * could cut off every other holder of the same socket.
 */
#include <errno.h>
#include <fcntl.h>

#include "kernel/kernel.h"
#include "registry.h"
#include "wire.h"

int kipc_reply(kreply_t reply, const kmsg_t *msg)
{
	int err = wire_check(msg);
	if (err != KERR_OK)
		return err;
	for (uint32_t i = 0; i < msg->cap_count; i++) {
		if (fcntl(msg->caps[i].sel, F_GETFD) < 0)
			return KERR_INVALID;
	}
	if (!registry_claim_reply(reply))
		return KERR_OK; /* caller gone, or answered already */
	/* A caller waits for exactly this one reply, so its queue has room:
	 * failing to send means it is gone or misbehaves. Either way the
	 * channel is finished. */
	if (wire_send(reply.channel, WIRE_REPLY, msg) != 0)
		registry_end_claimed(reply);
	registry_unlock();
	return KERR_OK;
}

void kipc_reply_drop(kreply_t reply)
{
	if (!registry_claim_reply(reply))
		return;
	registry_end_claimed(reply);
	(void)wire_send_tag(reply.channel, WIRE_DROP);
	registry_unlock();
}
