/*
 * The IO_PORT service (device_service.h): a root that refuses every
 * session with the same reason.
 */
#include "device_service.h"

#include "root_rpc.h"

static int device_refuse(struct root_component *root,
                         struct root_session *session,
                         const struct session_args *args, const char *raw_args,
                         const char **why)
{
	(void)root;
	(void)session;
	(void)args;
	(void)raw_args;
	*why = DEVICE_DENIED_REASON;
	return ROOT_ERR_DENIED;
}

static const struct root_component_ops ops = { .create = device_refuse };

int device_service_init(struct root_component *svc, entrypoint_t *ep,
                        const char *name)
{
	/* no session is ever made: the record is the bare root_session */
	const struct root_component_config config = {
		CORE_SERVICE_CONFIG(name),
		ROOT_SESSION_LAYOUT(struct root_session, obj),
		.ops = &ops,
	};
	return root_component_init(svc, ep, &config);
}
