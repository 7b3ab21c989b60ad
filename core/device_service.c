/*
 * The device services on the linux platform (device_service.h): a root
 * that refuses every session with the same reason.
 */
#include "device_service.h"

#include "root_rpc.h"

static int device_open(struct core_service *svc,
                       const struct session_args *args, const char *raw_args,
                       kcap_t *cap, const char **why)
{
	(void)svc; (void)args; (void)raw_args; (void)cap;
	*why = DEVICE_DENIED_REASON;
	return ROOT_ERR_DENIED;
}

static int device_no_session(struct core_service *svc, kcap_t session)
{
	(void)svc; (void)session;
	return ROOT_ERR_UNKNOWN;
}

static int device_upgrade(struct core_service *svc, kcap_t session,
                          uint64_t ram, uint64_t caps)
{
	(void)ram; (void)caps;
	return device_no_session(svc, session);
}

static const struct core_service_ops ops = {
	.session = device_open, .upgrade = device_upgrade,
	.close = device_no_session,
};

int device_service_init(struct core_service *svc, entrypoint_t *ep,
                        const char *name)
{
	return core_service_init(svc, ep, name, &ops);
}
