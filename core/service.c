/*
 * The root object shared by every core service (service.h): one root.rpc
 * ops table whose operations decode the session arguments and hand the
 * request to the service's own operations.
 */
#include "service.h"

#include "root_rpc.h"

#include <string.h>

static struct core_service *service_of(rpc_object_t *self)
{
	return (struct core_service *)self;
}

int core_service_open(struct core_service *svc, const char *raw_args,
                      kcap_t *cap, const char **why)
{
	struct session_args args;
	if (session_args_parse(raw_args, &args, why) != 0)
		return ROOT_ERR_INVALID;
	if (args.ram_quota < CORE_SESSION_RAM_MIN) {
		*why = "ram_quota does not cover the session (4K at least)";
		return ROOT_ERR_OUT_OF_RAM;
	}
	if (args.cap_quota < CORE_SESSION_CAPS_MIN) {
		*why = "cap_quota does not cover the session (1 at least)";
		return ROOT_ERR_OUT_OF_CAPS;
	}
	return svc->ops->session(svc, &args, raw_args, cap, why);
}

int core_service_upgrade(struct core_service *svc, kcap_t session,
                         const char *raw_args)
{
	struct session_args args;
	const char *why;
	if (session_args_parse(raw_args, &args, &why) != 0)
		return ROOT_ERR_INVALID;
	return svc->ops->upgrade(svc, session, args.ram_quota, args.cap_quota);
}

int core_service_close(struct core_service *svc, kcap_t session)
{
	return svc->ops->close(svc, session);
}

static int op_session(rpc_object_t *self, const char *args, kcap_t *session)
{
	const char *why = "";
	return core_service_open(service_of(self), args, session, &why);
}

static int op_upgrade(rpc_object_t *self, kcap_t session, const char *args)
{
	return core_service_upgrade(service_of(self), session, args);
}

static int op_close(rpc_object_t *self, kcap_t session)
{
	return core_service_close(service_of(self), session);
}

static const struct root_ops root_ops = {
	.session = op_session, .upgrade = op_upgrade, .close = op_close,
};

int core_service_init(struct core_service *svc, entrypoint_t *ep,
                      const char *name, const struct core_service_ops *ops)
{
	memset(&svc->root, 0, sizeof(svc->root));
	svc->name = name;
	svc->ops = ops;
	svc->ep = ep;
	svc->root_cap = KCAP_INVALID;
	return root_manage(ep, &svc->root, &root_ops, &svc->root_cap);
}

void core_service_dissolve(struct core_service *svc)
{
	entrypoint_dissolve(&svc->root);
	kcap_close(svc->root_cap);
	svc->root_cap = KCAP_INVALID;
}

rpc_object_t *core_session_lookup(entrypoint_t *ep, kcap_t cap,
                                  const rpc_interface_t *iface)
{
	rpc_object_t *obj = NULL;
	if (!kcap_valid(cap) || !entrypoint_lookup(ep, cap, &obj) ||
	    obj->iface != iface)
		return NULL;
	return obj;
}
