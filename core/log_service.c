/*
 * Core's LOG service (log_service.h): one session object per client, each
 * remembering the label it was opened with; write() hands the line to the
 * target's log output.
 */
#include "log_service.h"

#include "log_rpc.h"
#include "root_rpc.h"

#include <runtime/str.h>

#include <stdlib.h>

struct log_session {
	rpc_object_t        obj;       /* first member */
	struct log_service *service;
	struct log_session *next;
	kcap_t              cap;
	char                label[SESSION_LABEL_MAX];
};

static int op_write(rpc_object_t *self, const char *line)
{
	struct log_session *session = (struct log_session *)self;
	target_log(session->service->target, session->label, line);
	return 0;
}

static const struct log_ops log_ops = { .write = op_write };

static struct log_service *log_service_of(struct core_service *svc)
{
	return (struct log_service *)svc;
}

static int log_open(struct core_service *svc, const struct session_args *args,
                    const char *raw_args, kcap_t *cap, const char **why)
{
	(void)raw_args;
	struct log_service *s = log_service_of(svc);
	struct log_session *session = calloc(1, sizeof(*session));
	if (!session) {
		*why = "core is out of memory";
		return ROOT_ERR_OUT_OF_RAM;
	}
	session->service = s;
	str_copy(session->label, args->label, sizeof(session->label));
	if (log_manage(svc->ep, &session->obj, &log_ops, &session->cap) != 0) {
		free(session);
		*why = "core cannot serve another session";
		return ROOT_ERR_DENIED;
	}
	session->next = s->sessions;
	s->sessions = session;
	*cap = session->cap;
	return 0;
}

static int log_upgrade(struct core_service *svc, kcap_t cap, uint64_t ram,
                       uint64_t caps)
{
	(void)ram; (void)caps;
	return core_session_lookup(svc->ep, cap, &log_rpc) ? 0 : ROOT_ERR_UNKNOWN;
}

static void log_session_free(struct log_session *session)
{
	entrypoint_dissolve(&session->obj);
	kcap_close(session->cap);
	free(session);
}

static int log_close(struct core_service *svc, kcap_t cap)
{
	struct log_service *s = log_service_of(svc);
	rpc_object_t *obj = core_session_lookup(svc->ep, cap, &log_rpc);
	if (!obj)
		return ROOT_ERR_UNKNOWN;
	for (struct log_session **at = &s->sessions; *at; at = &(*at)->next) {
		if (&(*at)->obj == obj) {
			struct log_session *session = *at;
			*at = session->next;
			log_session_free(session);
			return 0;
		}
	}
	return ROOT_ERR_UNKNOWN;
}

static const struct core_service_ops ops = {
	.session = log_open, .upgrade = log_upgrade, .close = log_close,
};

int log_service_init(struct log_service *s, entrypoint_t *ep,
                     struct target *target)
{
	s->target = target;
	s->sessions = NULL;
	return core_service_init(&s->base, ep, "LOG", &ops);
}

void log_service_dissolve(struct log_service *s)
{
	while (s->sessions) {
		struct log_session *session = s->sessions;
		s->sessions = session->next;
		log_session_free(session);
	}
	core_service_dissolve(&s->base);
}
