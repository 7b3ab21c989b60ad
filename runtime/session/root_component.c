/*
 * The root component of runtime/root_component.h: the root.rpc operations
 * every server shares, in the decode/invoke shape. Decoding (arguments,
 * cost) changes nothing; creating allocates the server's session struct,
 * lets the server set it up, then serves it; closing undoes the same
 * steps in reverse. Runs on the entrypoint thread only.
 */
#include <runtime/root_component.h>

#include <runtime/invariant.h>
#include <runtime/str.h>

#include <string.h>

#include "root_rpc.h"

static struct root_component *root_of(rpc_object_t *self)
{
	return container_of(self, struct root_component, obj);
}

static void *record_of(struct root_session *s)
{
	return (char *)s - s->root->config.session_offset;
}

/* For INVARIANT: the invariants of the header for one session of `rc`
 * (who pays: the donation covers the cost and the guard's limit is the
 * rest of it; capabilities: a served session has a valid one). */
static bool session_ok(const struct root_component *rc,
                       const struct root_session *s)
{
	const struct root_component_config *c = &rc->config;
	if (s->root != rc || !kcap_valid(s->cap) ||
	    s->ram_quota < c->ram_cost || s->cap_quota < c->cap_cost)
		return false;
	uint64_t beyond = s->ram_quota - c->ram_cost;
	size_t limit = beyond > SIZE_MAX ? SIZE_MAX : (size_t)beyond;
	return quota_guard_limit(&s->guard) == limit &&
	       quota_guard_consumed(&s->guard) <= limit;
}

/* --- decode ------------------------------------------------------------ */

/* Says in rc->reason that `given` of `quota` falls short of `cost`. */
static int short_of(struct root_component *rc, const char *quota,
                    const char *unit, uint64_t given, uint64_t cost, int err,
                    const char **why)
{
	str_format(rc->reason, sizeof(rc->reason),
	           "%s of %llu%s does not cover a %s session (%llu at least)",
	           quota, (unsigned long long)given, unit, rc->config.name,
	           (unsigned long long)cost);
	*why = rc->reason;
	return err;
}

/* Checks that the donation covers the fixed session cost. */
static int check_cost(struct root_component *rc,
                      const struct session_args *args, const char **why)
{
	const struct root_component_config *c = &rc->config;
	if (args->ram_quota < c->ram_cost)
		return short_of(rc, "ram_quota", " bytes", args->ram_quota,
		                c->ram_cost, ROOT_ERR_OUT_OF_RAM, why);
	if (args->cap_quota < c->cap_cost)
		return short_of(rc, "cap_quota", "", args->cap_quota,
		                c->cap_cost, ROOT_ERR_OUT_OF_CAPS, why);
	return 0;
}

/* --- invoke ------------------------------------------------------------ */

static struct root_session *session_alloc(struct root_component *rc)
{
	const struct root_component_config *c = &rc->config;
	void *record;
	if (allocator_alloc(c->heap, c->session_size, &record) != ALLOC_OK)
		return NULL;
	memset(record, 0, c->session_size);
	return (struct root_session *)(void *)((char *)record +
	                                       c->session_offset);
}

static void session_free(struct root_session *s)
{
	struct root_component *rc = s->root;
	allocator_free(rc->config.heap, record_of(s), rc->config.session_size);
}

/* The record of a new session: guard limited by what the client gave
 * beyond the session cost. */
static void session_fill(struct root_component *rc, struct root_session *s,
                         const struct session_args *args)
{
	uint64_t beyond = args->ram_quota - rc->config.ram_cost;
	s->root = rc;
	s->cap = KCAP_INVALID;
	s->ram_quota = args->ram_quota;
	s->cap_quota = args->cap_quota;
	str_copy(s->label, args->label, sizeof(s->label));
	quota_guard_init(&s->guard, rc->config.heap,
	                 beyond > SIZE_MAX ? SIZE_MAX : (size_t)beyond);
}

int root_component_create(struct root_component *rc,
                          const struct session_args *args, const char *raw_args,
                          struct root_session **session, const char **why)
{
	const struct root_component_config *c = &rc->config;
	int err = check_cost(rc, args, why);
	if (err != 0)
		return err;
	struct root_session *s = session_alloc(rc);
	if (!s) {
		*why = "the server is out of memory for the session record";
		return ROOT_ERR_OUT_OF_RAM;
	}
	session_fill(rc, s, args);
	*why = "the server refused the session";
	err = c->ops->create ? c->ops->create(rc, s, args, raw_args, why) : 0;
	if (err != 0) {
		session_free(s);
		return err;
	}
	if (entrypoint_manage(rc->ep, &s->obj, c->iface, c->session_ops,
	                      &s->cap) != 0) {
		if (c->ops->destroy)
			c->ops->destroy(rc, s);
		session_free(s);
		*why = "the server cannot serve another session object";
		return ROOT_ERR_DENIED;
	}
	list_insert(&rc->sessions, &s->elem, NULL);
	INVARIANT(session_ok(rc, s));
	*session = s;
	return 0;
}

int root_component_open(struct root_component *rc, const char *raw_args,
                        kcap_t *cap, const char **why)
{
	struct session_args args;
	struct root_session *s;
	if (session_args_parse(raw_args, &args, why) != 0)
		return ROOT_ERR_INVALID;
	int err = root_component_create(rc, &args, raw_args, &s, why);
	if (err == 0)
		*cap = s->cap;
	return err;
}

struct root_session *root_component_lookup(struct root_component *rc,
                                           kcap_t cap)
{
	rpc_object_t *obj = NULL;
	if (!kcap_valid(cap) || !entrypoint_lookup(rc->ep, cap, &obj) ||
	    obj->iface != rc->config.iface)
		return NULL;
	/* same interface on the same entrypoint is not proof of being ours */
	for (struct list_elem *e = list_first(&rc->sessions); e;
	     e = list_next(e)) {
		struct root_session *s = container_of(e, struct root_session,
		                                      elem);
		if (&s->obj == obj)
			return s;
	}
	return NULL;
}

int root_component_upgrade(struct root_component *rc, kcap_t cap,
                           const char *raw_args)
{
	struct session_args args;
	const char *why;
	if (session_args_parse(raw_args, &args, &why) != 0)
		return ROOT_ERR_INVALID;
	struct root_session *s = root_component_lookup(rc, cap);
	if (!s)
		return ROOT_ERR_UNKNOWN;
	if (args.ram_quota > SIZE_MAX ||
	    s->ram_quota > UINT64_MAX - args.ram_quota ||
	    s->cap_quota > UINT64_MAX - args.cap_quota ||
	    quota_guard_upgrade(&s->guard, (size_t)args.ram_quota) != ALLOC_OK)
		return ROOT_ERR_INVALID;
	if (rc->config.ops->upgrade) {
		int err = rc->config.ops->upgrade(rc, s, args.ram_quota,
		                                  args.cap_quota);
		if (err != 0) {
			quota_guard_withdraw(&s->guard, (size_t)args.ram_quota);
			return err;
		}
	}
	s->ram_quota += args.ram_quota;
	s->cap_quota += args.cap_quota;
	INVARIANT(session_ok(rc, s));
	return 0;
}

int root_component_downgrade(struct root_component *rc, kcap_t cap,
                             const char *raw_args)
{
	struct session_args args;
	const char *why;
	if (session_args_parse(raw_args, &args, &why) != 0)
		return ROOT_ERR_INVALID;
	struct root_session *s = root_component_lookup(rc, cap);
	if (!s)
		return ROOT_ERR_UNKNOWN;
	if (!rc->config.ops->downgrade)
		return ROOT_ERR_DENIED;
	if (args.ram_quota > s->ram_quota - rc->config.ram_cost ||
	    args.cap_quota > s->cap_quota - rc->config.cap_cost)
		return ROOT_ERR_INVALID;
	/* decode done: the guard first, as it may refuse */
	if (quota_guard_withdraw(&s->guard, (size_t)args.ram_quota) != ALLOC_OK)
		return ROOT_ERR_OUT_OF_RAM;
	int err = rc->config.ops->downgrade(rc, s, args.ram_quota,
	                                    args.cap_quota);
	if (err != 0) {
		(void)quota_guard_upgrade(&s->guard, (size_t)args.ram_quota);
		return err;
	}
	s->ram_quota -= args.ram_quota;
	s->cap_quota -= args.cap_quota;
	INVARIANT(session_ok(rc, s));
	return 0;
}

void root_session_close(struct root_session *s)
{
	struct root_component *rc = s->root;
	INVARIANT(session_ok(rc, s));
	list_remove(&rc->sessions, &s->elem);
	entrypoint_dissolve(&s->obj);
	if (rc->config.ops->destroy)
		rc->config.ops->destroy(rc, s);
	kcap_close(s->cap);
	session_free(s);
}

int root_component_close(struct root_component *rc, kcap_t cap)
{
	struct root_session *s = root_component_lookup(rc, cap);
	if (!s)
		return ROOT_ERR_UNKNOWN;
	root_session_close(s);
	return 0;
}

/* --- the root object --------------------------------------------------- */

static int op_session(rpc_object_t *self, const char *args, kcap_t *session)
{
	const char *why;
	return root_component_open(root_of(self), args, session, &why);
}

static int op_upgrade(rpc_object_t *self, kcap_t session, const char *args)
{
	return root_component_upgrade(root_of(self), session, args);
}

static int op_close(rpc_object_t *self, kcap_t session)
{
	return root_component_close(root_of(self), session);
}

static const struct root_ops root_ops = {
	.session = op_session,
	.upgrade = op_upgrade,
	.close = op_close,
};

static int config_ok(const struct root_component_config *c)
{
	return c->name && c->ops &&
	       c->session_size >= sizeof(struct root_session) &&
	       c->session_offset <=
	               c->session_size - sizeof(struct root_session) &&
	       c->ram_cost >= c->session_size;
}

int root_component_init(struct root_component *rc, entrypoint_t *ep,
                        const struct root_component_config *config)
{
	memset(rc, 0, sizeof(*rc));
	rc->cap = KCAP_INVALID;
	list_init(&rc->sessions);
	if (!config_ok(config))
		return KERR_INVALID;
	rc->config = *config;
	if (!rc->config.heap)
		rc->config.heap = heap_allocator();
	rc->ep = ep;
	int err = root_manage(ep, &rc->obj, &root_ops, &rc->cap);
	if (err != 0)
		rc->cap = KCAP_INVALID;
	return err;
}

void root_component_dissolve(struct root_component *rc)
{
	if (kcap_valid(rc->cap)) {
		entrypoint_dissolve(&rc->obj);
		kcap_close(rc->cap);
		rc->cap = KCAP_INVALID;
	}
	while (!list_empty(&rc->sessions))
		root_session_close(container_of(list_first(&rc->sessions),
		                                struct root_session, elem));
}
