/*
 * Core's LOG service (log_service.h): one session object per client, each
 * remembering the label it was opened with; write() hands the line to the
 * target's log output.
 */
#include "log_service.h"

#include "log_rpc.h"
#include "root_rpc.h"

struct log_session {
	struct root_session base; /* first member */
	struct log_service *service;
};

static int op_write(rpc_object_t *self, const char *line)
{
	struct log_session *session = (struct log_session *)self;
	target_log(session->service->target, session->base.label, line);
	return 0;
}

static const struct log_ops log_ops = { .write = op_write };

static int log_create(struct root_component *root, struct root_session *base,
                      const struct session_args *args, const char *raw_args,
                      const char **why)
{
	(void)args;
	(void)raw_args;
	(void)why;
	struct log_session *session = (struct log_session *)base;
	session->service = (struct log_service *)root;
	return 0;
}

static const struct root_component_ops ops = { .create = log_create };

int log_service_init(struct log_service *s, entrypoint_t *ep,
                     struct target *target)
{
	static const struct root_component_config config = {
		CORE_SERVICE_CONFIG("LOG"),
		.iface = &log_rpc,
		.session_ops = &log_ops,
		ROOT_SESSION_LAYOUT(struct log_session, base),
		.ops = &ops,
	};
	s->target = target;
	return root_component_init(&s->base, ep, &config);
}

void log_service_dissolve(struct log_service *s)
{
	root_component_dissolve(&s->base);
}
