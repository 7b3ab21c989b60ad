/*
 * Core's Entropy service (entropy_service.h). Why a service and not a
 * seed handed to each component at its start: a seed needs a generator
 * in every component to stretch it (OpenSSL's own DRBG would do, but
 * every other user of getentropy() would need one too), and a seed
 * handed to every domain is randomness nobody routed; a session is
 * routed, denied and closed like any other, and its bytes come straight
 * from the device, so no component's randomness can be predicted from
 * another's. The cost is one call to core per getentropy() (OpenSSL asks
 * once per seed or reseed, 48 bytes or so).
 *
 * The device is read on core's entrypoint: a request waits for the
 * device's interrupt, bounded by VIRTIO_RNG_WAIT_MS (virtio_rng.h).
 */
#include "entropy_service.h"

#include "core_platform.h"
#include "entropy.h"
#include "entropy_rpc.h"
#include "root_rpc.h"

#include <stdio.h>
#include <unistd.h>

/* Fills data with `length` bytes of the device (core's getentropy()). */
static int op_read(rpc_object_t *self, uint32_t length, void *data,
                   uint32_t *data_len)
{
	(void)self;
	if (length > ENTROPY_READ_DATA_MAX)
		return ENTROPY_ERR_TOO_LONG;
	if (getentropy(data, length) != 0)
		return ENTROPY_ERR_FAILED;
	*data_len = length;
	return 0;
}

static const struct entropy_ops entropy_ops = { .read = op_read };

static int entropy_create(struct root_component *root,
                          struct root_session *session,
                          const struct session_args *args, const char *raw_args,
                          const char **why)
{
	struct entropy_service *s = (struct entropy_service *)root;
	(void)session;
	(void)args;
	(void)raw_args;
	if (!s->denied[0])
		return 0;
	*why = s->denied;
	return ROOT_ERR_DENIED;
}

static const struct root_component_ops ops = { .create = entropy_create };

int entropy_service_init(struct entropy_service *s, entrypoint_t *ep,
                         struct target *target)
{
	static const struct root_component_config config = {
		CORE_SERVICE_CONFIG("Entropy"),
		.iface = &entropy_rpc,
		.session_ops = &entropy_ops,
		ROOT_SESSION_LAYOUT(struct root_session, obj),
		.ops = &ops,
	};
	char why[ROOT_REASON_MAX - 32];
	s->denied[0] = '\0';
	if (entropy_start(why, sizeof why) != 0) {
		snprintf(s->denied, sizeof s->denied, "no entropy source: %s",
		         why);
		target_logf(target,
		            "the Entropy service has no entropy source: %s",
		            why);
	}
	return root_component_init(&s->base, ep, &config);
}

void entropy_service_dissolve(struct entropy_service *s)
{
	root_component_dissolve(&s->base);
}
