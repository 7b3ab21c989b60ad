/*
 * The parent object of runtime/child: the parent interface (parent.rpc)
 * that a parent serves for each of its children, on its entrypoint. Every
 * operation is quick: it checks its arguments (decode), then changes the
 * child's session table or hands the slow part to a worker of the broker
 * (broker.c). Nothing here waits for a server.
 */
#include "child_internal.h"

#include <stdlib.h>
#include <string.h>

#include <runtime/arg_string.h>
#include <runtime/error.h>
#include <runtime/invariant.h>
#include <runtime/str.h>

#include "parent_rpc.h"

static child_t *child_of(rpc_object_t *self)
{
	return container_of(self, child_t, parent_obj);
}

struct child_session *child_find_session(child_t *c, uint32_t id)
{
	for (struct list_elem *e = list_first(&c->sessions); e;
	     e = list_next(e)) {
		struct child_session *s = container_of(e, struct child_session,
		                                       elem);
		if (s->id == id)
			return s;
	}
	return NULL;
}

/* ram_quota and cap_quota of an argument string (absent: 0). */
static int donation(const char *args, size_t size, uint64_t *ram,
                    uint64_t *caps)
{
	int err = arg_string_get_size(args, size, "ram_quota", ram);

	if (err == ARG_ERR_NOT_FOUND)
		*ram = 0;
	else if (err)
		return PARENT_ERR_INVALID;
	err = arg_string_get_unsigned(args, size, "cap_quota", caps);
	if (err == ARG_ERR_NOT_FOUND)
		*caps = 0;
	else if (err)
		return PARENT_ERR_INVALID;
	return 0;
}

static int op_session_sigh(rpc_object_t *self, kcap_t signal)
{
	child_t *c = child_of(self);
	kcap_t copy = KCAP_INVALID;

	if (kcap_valid(signal) && kcap_copy(signal, &copy))
		return PARENT_ERR_INVALID;
	LOCK_GUARD(&c->broker->lock);
	kcap_close(c->session_sigh);
	c->session_sigh = copy;
	child_notify_sessions(c);
	return 0;
}

static void refuse(child_t *c, const char *service, const char *label,
                   int error, const char *reason)
{
	if (c->policy.session_failed)
		c->policy.session_failed(c->policy.ctx, c, service, label,
		                         error, reason);
}

/* Decides where the request goes and fills in the session; 0 or a
 * PARENT_ERR_* (then the session is to be freed). */
static int route_session(child_t *c, struct child_session *s, const char *label)
{
	struct child_route route;

	memset(&route, 0, sizeof(route));
	route.kind = CHILD_ROUTE_DENIED;
	route.local.root = route.local.pd = KCAP_INVALID;
	if (label[0])
		str_format(route.label, sizeof(route.label), "%s -> %s",
		           c->name, label);
	else
		str_copy(route.label, c->name, sizeof(route.label));
	c->policy.route(c->policy.ctx, c, s->service, label, &route);
	str_copy(s->label, route.label, sizeof(s->label));
	str_copy(s->client_label, label, sizeof(s->client_label));

	if (route.kind == CHILD_ROUTE_DENIED) {
		refuse(c, s->service, s->label, PARENT_ERR_DENIED,
		       route.reason[0] ? route.reason : "no route");
		return PARENT_ERR_DENIED;
	}
	if (child_route_apply_args(&route, s->args, sizeof(s->args))) {
		refuse(c, s->service, s->label, PARENT_ERR_INVALID,
		       "the session arguments do not fit with the label and the "
		       "parent's arguments");
		return PARENT_ERR_INVALID;
	}
	s->kind = route.kind;
	str_copy(s->server, route.server, sizeof(s->server));
	if (route.kind == CHILD_ROUTE_LOCAL &&
	    ((kcap_valid(route.local.root) &&
	      kcap_copy(route.local.root, &s->provider.root)) ||
	     (kcap_valid(route.local.pd) &&
	      kcap_copy(route.local.pd, &s->provider.pd))))
		return PARENT_ERR_DENIED;
	return 0;
}

static struct child_session *new_session(child_t *c, const char *service,
                                         const char *args)
{
	struct child_session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->child = c;
	s->cap = KCAP_INVALID;
	s->provider.root = s->provider.pd = KCAP_INVALID;
	s->parent_id = CHILD_NO_ID;
	str_copy(s->service, service, sizeof(s->service));
	str_copy(s->args, args, sizeof(s->args));
	return s;
}

/* The child's own PD, as the PD session of its environment. */
static int own_pd_session(child_t *c, struct child_session *s)
{
	if (kcap_copy(c->pd, &s->cap))
		return PARENT_ERR_DENIED;
	s->own_pd = true;
	s->state = SESSION_READY;
	return 0;
}

static int op_session(rpc_object_t *self, const char *service, const char *args,
                      uint32_t *id)
{
	child_t *c = child_of(self);
	child_broker_t *b = c->broker;
	char label[CHILD_LABEL_MAX + 1] = "";
	struct child_session *s;
	int status;

	if (!service_name_valid(service) ||
	    arg_string_validate(args, CHILD_ARGS_MAX + 1))
		return PARENT_ERR_INVALID;
	status = arg_string_get_string(args, CHILD_ARGS_MAX + 1, "label", label,
	                               sizeof(label));
	if (status && status != ARG_ERR_NOT_FOUND)
		return PARENT_ERR_INVALID;
	s = new_session(c, service, args);
	if (!s)
		return PARENT_ERR_DENIED;
	status = donation(args, CHILD_ARGS_MAX + 1, &s->ram, &s->caps);
	if (!status && !strcmp(service, "PD") && !label[0])
		status = own_pd_session(c, s);
	else if (!status)
		status = route_session(c, s, label);
	s->own_cpu = !strcmp(service, "CPU") && !label[0];
	if (status) {
		session_free(s);
		return status;
	}

	lock_acquire(&b->lock);
	const char *too_many = c->session_count >= CHILD_SESSIONS_MAX
	                               ? "too many sessions"
	                       : s->state == SESSION_PENDING &&
	                                       c->pending >= CHILD_PENDING_MAX
	                               ? "too many pending session requests"
	                               : NULL;
	if (too_many) {
		lock_release(&b->lock);
		refuse(c, service, s->label, PARENT_ERR_DENIED, too_many);
		session_free(s);
		return PARENT_ERR_DENIED;
	}
	s->id = c->next_id++;
	list_insert(&c->sessions, &s->elem, NULL);
	c->session_count++;
	if (s->state == SESSION_PENDING)
		c->pending++;
	INVARIANT(child_sessions_ok(c));
	lock_release(&b->lock);

	int no_worker = s->state == SESSION_PENDING ? broker_open(b, s) : 0;
	if (no_worker) {
		/* Said, or the child only sees a refusal nothing explains
		 * (riscv's kernel has a fixed pool of threads, kernel/riscv/
		 * README.md, "Quotas"). */
		char why[CHILD_REASON_MAX];
		str_format(why, sizeof(why), "no worker thread to open it: %s",
		           runtime_strerror(no_worker));
		lock_acquire(&b->lock);
		list_remove(&c->sessions, &s->elem);
		c->session_count--;
		c->pending--;
		INVARIANT(child_sessions_ok(c));
		lock_release(&b->lock);
		refuse(c, service, s->label, PARENT_ERR_DENIED, why);
		session_free(s);
		return PARENT_ERR_DENIED;
	}
	*id = s->id;
	broker_sessions_changed(b);
	return 0;
}

/* A session the child's request made ready at once (its own PD) comes
 * with the id; a routed one is pending on a worker, so the child waits
 * for its session signal as after op_session. */
static int op_session_now(rpc_object_t *self, const char *service,
                          const char *args, uint32_t *id, kcap_t *session)
{
	child_t *c = child_of(self);
	int status = op_session(self, service, args, id);
	struct child_session *s;

	*session = KCAP_INVALID;
	if (status)
		return status;
	lock_acquire(&c->broker->lock);
	s = child_find_session(c, *id);
	if (s && s->state == SESSION_READY)
		*session =
			s->cap; /* the reply carries a copy; the record keeps it */
	lock_release(&c->broker->lock);
	return 0;
}

static int op_session_cap(rpc_object_t *self, uint32_t id, kcap_t *session)
{
	child_t *c = child_of(self);
	struct child_session *s;
	int status;

	lock_acquire(&c->broker->lock);
	s = child_find_session(c, id);
	if (!s)
		status = PARENT_ERR_UNKNOWN;
	else if (s->state == SESSION_PENDING)
		status = PARENT_ERR_PENDING;
	else if (s->state == SESSION_FAILED)
		status = s->error;
	else {
		*session =
			s->cap; /* the reply carries a copy; the record keeps it */
		status = 0;
	}
	if (s && s->state == SESSION_FAILED) {
		list_remove(&c->sessions, &s->elem);
		c->session_count--;
	} else
		s = NULL;
	INVARIANT(child_sessions_ok(c));
	lock_release(&c->broker->lock);
	if (s) {
		session_free(s);
		broker_sessions_changed(c->broker);
	}
	return status;
}

static int op_upgrade(rpc_object_t *self, uint32_t id, const char *args)
{
	child_t *c = child_of(self);
	char reason[CHILD_REASON_MAX];
	struct child_session *s;
	uint64_t ram, caps;
	int status;

	if (arg_string_validate(args, PARENT_UPGRADE_ARGS_MAX + 1) ||
	    donation(args, PARENT_UPGRADE_ARGS_MAX + 1, &ram, &caps))
		return PARENT_ERR_INVALID;
	lock_acquire(&c->broker->lock);
	s = child_find_session(c, id);
	status = !s                            ? PARENT_ERR_UNKNOWN
	         : s->state == SESSION_PENDING ? PARENT_ERR_PENDING
	         : s->state == SESSION_FAILED  ? s->error
	                                       : 0;
	lock_release(&c->broker->lock);
	/* A ready session changes only on this thread: no lock needed below. */
	if (status || s->own_pd)
		return status;
	status = broker_move_quota(c->pd, s->provider.pd, ram, caps, reason,
	                           sizeof(reason));
	if (status)
		return status;
	s->ram += ram;
	s->caps += caps;
	broker_upgrade(c->broker, s, args);
	return 0;
}

static int op_close(rpc_object_t *self, uint32_t id)
{
	child_t *c = child_of(self);
	child_broker_t *b = c->broker;
	struct child_session *s;
	bool close_now = false;

	lock_acquire(&b->lock);
	s = child_find_session(c, id);
	if (s) {
		list_remove(&c->sessions, &s->elem);
		c->session_count--;
		if (s->state == SESSION_PENDING)
			s->close_requested =
				true; /* its worker closes and frees */
		else
			close_now = true;
	}
	INVARIANT(child_sessions_ok(c));
	lock_release(&b->lock);
	if (!s)
		return PARENT_ERR_UNKNOWN;
	broker_sessions_changed(b);
	if (close_now && s->state == SESSION_READY && !s->own_pd)
		broker_close(b, s);
	else if (close_now)
		session_free(s);
	return 0;
}

static int op_announce(rpc_object_t *self, const char *service, kcap_t root)
{
	child_t *c = child_of(self);
	struct service_provider provider = { .root = root, .pd = c->pd };

	if (!kcap_valid(root))
		return PARENT_ERR_INVALID;
	switch (service_registry_add(c->broker->registry, service, c->name,
	                             &provider)) {
	case SERVICE_OK:
		return 0;
	case SERVICE_ERR_EXISTS:
		return PARENT_ERR_EXISTS;
	case SERVICE_ERR_INVALID:
		return PARENT_ERR_INVALID;
	default:
		return PARENT_ERR_DENIED;
	}
}

void child_report_exit(child_t *c, bool fault, int code)
{
	if (c->exit_reported)
		return;
	c->exit_reported = true;
	if (c->policy.exited)
		c->policy.exited(c->policy.ctx, c, fault, code);
}

static int op_exit(rpc_object_t *self, int32_t code)
{
	child_report_exit(child_of(self), false, code);
	return 0;
}

/* Heartbeats (child_heartbeat, child.h): both run on the entrypoint, as
 * child_heartbeat does, so the fields need no lock. */
static int op_heartbeat_sigh(rpc_object_t *self, kcap_t signal)
{
	child_t *c = child_of(self);
	kcap_t copy = KCAP_INVALID;

	if (kcap_valid(signal) && kcap_copy(signal, &copy))
		return PARENT_ERR_INVALID;
	kcap_close(c->heartbeat_sigh);
	c->heartbeat_sigh = copy;
	c->heartbeat_asked = false;
	return 0;
}

static int op_heartbeat_response(rpc_object_t *self)
{
	child_of(self)->heartbeat_answered = true;
	return 0;
}

/* Resource requests (child_resource_request, child.h); on the
 * entrypoint, as the policy callback and child_resource_answer. */
static int op_resource_avail_sigh(rpc_object_t *self, kcap_t signal)
{
	child_t *c = child_of(self);
	kcap_t copy = KCAP_INVALID;

	if (kcap_valid(signal) && kcap_copy(signal, &copy))
		return PARENT_ERR_INVALID;
	kcap_close(c->resource_sigh);
	c->resource_sigh = copy;
	return 0;
}

static int op_resource_request(rpc_object_t *self, const char *args)
{
	child_t *c = child_of(self);
	uint64_t ram, caps;

	if (arg_string_validate(args, PARENT_RESOURCE_REQUEST_ARGS_MAX + 1) ||
	    donation(args, PARENT_RESOURCE_REQUEST_ARGS_MAX + 1, &ram, &caps) ||
	    (ram == 0 && caps == 0))
		return PARENT_ERR_INVALID;
	c->resource_pending = true;
	c->resource_ram = ram;
	c->resource_caps = caps;
	if (c->policy.resource_requested)
		c->policy.resource_requested(c->policy.ctx, c, ram, caps);
	return 0;
}

/* Yield requests (child_yield, child.h); on the entrypoint, as
 * child_yield and the policy callback. */
static int op_yield_sigh(rpc_object_t *self, kcap_t signal)
{
	child_t *c = child_of(self);
	kcap_t copy = KCAP_INVALID;

	if (kcap_valid(signal) && kcap_copy(signal, &copy))
		return PARENT_ERR_INVALID;
	kcap_close(c->yield_sigh);
	c->yield_sigh = copy;
	return 0;
}

static int op_yield_request(rpc_object_t *self, uint64_t *ram, uint64_t *caps)
{
	child_t *c = child_of(self);

	*ram = c->yield_ram;
	*caps = c->yield_caps;
	return 0;
}

static int op_yield_response(rpc_object_t *self)
{
	child_t *c = child_of(self);

	if ((c->yield_ram || c->yield_caps) && c->policy.yielded)
		c->policy.yielded(c->policy.ctx, c);
	return 0;
}

const struct parent_ops child_parent_ops = {
	.session_sigh = op_session_sigh,
	.session = op_session,
	.session_cap = op_session_cap,
	.session_now = op_session_now,
	.upgrade = op_upgrade,
	.close = op_close,
	.announce = op_announce,
	.exit = op_exit,
	.heartbeat_sigh = op_heartbeat_sigh,
	.heartbeat_response = op_heartbeat_response,
	.resource_avail_sigh = op_resource_avail_sigh,
	.resource_request = op_resource_request,
	.yield_sigh = op_yield_sigh,
	.yield_request = op_yield_request,
	.yield_response = op_yield_response,
};
