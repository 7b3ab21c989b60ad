/*
 * Re-routing the open sessions of runtime/child (child.h,
 * child_broker_reroute): after a parent changed its policy (init applied a
 * new config), every ready session of every child is asked about again,
 * with the service and the label the child sent. A session whose answer
 * now names another place (another server child, the parent instead of a
 * child, a denial, another label) is closed at its old server on a worker
 * of the broker, its donated quota goes back to the client, its record
 * fails with PARENT_ERR_ENDED and the client's session signal is
 * submitted; the client opens it anew, and the new request follows the new
 * route. Sessions whose answer is unchanged are not touched.
 */
#include "child_internal.h"

#include <stdlib.h>
#include <string.h>

#include <runtime/str.h>

#include "parent_rpc.h"

/* What the policy was asked when a ready session was opened. */
struct asked {
	uint32_t id;
	char service[SERVICE_NAME_MAX + 1];
	char client_label[CHILD_LABEL_MAX + 1];
	char label[CHILD_LABEL_MAX + 1];
	char args[CHILD_ARGS_MAX + 1]; /* as forwarded */
	enum child_route_kind kind;
	char server[CHILD_NAME_MAX + 1];
};

/* Copies the ready sessions of `c` (not its own PD) into asked[]; returns
 * how many. */
static size_t snapshot(child_t *c, struct asked *asked)
{
	size_t n = 0;

	LOCK_GUARD(&c->broker->lock);
	for (struct list_elem *e = list_first(&c->sessions);
	     e && n < CHILD_SESSIONS_MAX; e = list_next(e)) {
		const struct child_session *s =
			container_of(e, struct child_session, elem);
		if (s->state != SESSION_READY || s->own_pd)
			continue;
		asked[n].id = s->id;
		asked[n].kind = s->kind;
		str_copy(asked[n].service, s->service,
		         sizeof(asked[n].service));
		str_copy(asked[n].client_label, s->client_label,
		         sizeof(asked[n].client_label));
		str_copy(asked[n].label, s->label, sizeof(asked[n].label));
		str_copy(asked[n].args, s->args, sizeof(asked[n].args));
		str_copy(asked[n].server, s->server, sizeof(asked[n].server));
		n++;
	}
	return n;
}

/* Whether the route's arguments would change what was forwarded. */
static bool args_changed(const struct asked *a, const struct child_route *r)
{
	char args[CHILD_ARGS_MAX + 1];

	str_copy(args, a->args, sizeof(args));
	return child_route_apply_args(r, args, sizeof(args)) != 0 ||
	       strcmp(args, a->args) != 0;
}

/* Asks the policy again; false if the answer is what the session has,
 * else true with the change in words. A local service stays where it is
 * as long as the parent still serves it itself. */
static bool route_changed(child_t *c, const struct asked *a, char *why,
                          size_t size)
{
	struct child_route r;

	memset(&r, 0, sizeof(r));
	r.kind = CHILD_ROUTE_DENIED;
	r.local.root = r.local.pd = KCAP_INVALID;
	if (a->client_label[0])
		str_format(r.label, sizeof(r.label), "%s -> %s", c->name,
		           a->client_label);
	else
		str_copy(r.label, c->name, sizeof(r.label));
	c->policy.route(c->policy.ctx, c, a->service, a->client_label, &r);

	if (r.kind == CHILD_ROUTE_DENIED)
		str_format(why, size, "its route changed: now denied (%s)",
		           r.reason[0] ? r.reason : "no route");
	else if (r.kind == CHILD_ROUTE_CHILD &&
	         (a->kind != CHILD_ROUTE_CHILD ||
	          strcmp(r.server, a->server) != 0))
		str_format(why, size, "its route changed: now to \"%s\"",
		           r.server);
	else if (r.kind == CHILD_ROUTE_PARENT && a->kind != CHILD_ROUTE_PARENT)
		str_copy(why, "its route changed: now to the parent", size);
	else if (r.kind == CHILD_ROUTE_LOCAL && a->kind != CHILD_ROUTE_LOCAL)
		str_copy(why, "its route changed: now served by the parent",
		         size);
	else if (strcmp(r.label, a->label) != 0)
		str_format(why, size, "its route changed: now labelled \"%s\"",
		           r.label);
	else if (r.kind != CHILD_ROUTE_LOCAL && args_changed(a, &r))
		str_copy(why,
		         "its route changed: now with other session "
		         "arguments",
		         size);
	else
		return false;
	return true;
}

/* Fails the record of a still-ready session `id` and returns a copy that
 * owns what the old server holds (its capability, provider and quota),
 * for broker_close(); NULL if the session went meanwhile. */
static struct child_session *detach(child_t *c, uint32_t id)
{
	struct child_session *gone = calloc(1, sizeof(*gone));
	struct child_session *s;
	bool taken = false;

	if (!gone)
		return NULL;
	lock_acquire(&c->broker->lock);
	s = child_find_session(c, id);
	if (s && s->state == SESSION_READY) {
		taken = true;
		*gone = *s;
		s->cap = KCAP_INVALID;
		s->provider.root = s->provider.pd = KCAP_INVALID;
		s->ram = s->caps = 0;
		s->state = SESSION_FAILED;
		s->error = PARENT_ERR_ENDED;
		s->ended = true;
		child_notify_sessions(c);
	}
	lock_release(&c->broker->lock);
	if (taken)
		broker_sessions_changed(c->broker);
	if (!taken) {
		free(gone);
		return NULL;
	}
	return gone;
}

/* Re-asks the policy for the ready sessions of `c`; how many moved. */
static unsigned reroute_child(child_t *c, struct asked *asked)
{
	size_t n = snapshot(c, asked);
	unsigned moved = 0;
	char why[CHILD_REASON_MAX];

	for (size_t i = 0; i < n; i++) {
		if (!route_changed(c, &asked[i], why, sizeof(why)))
			continue;
		struct child_session *gone = detach(c, asked[i].id);
		if (!gone)
			continue;
		broker_close(c->broker, gone); /* quota back to the client */
		if (c->policy.session_failed)
			c->policy.session_failed(c->policy.ctx, c,
			                         asked[i].service,
			                         asked[i].label,
			                         PARENT_ERR_DENIED, why);
		moved++;
	}
	return moved;
}

int child_broker_reroute(child_broker_t *b, unsigned *moved)
{
	struct asked *asked = calloc(CHILD_SESSIONS_MAX, sizeof(*asked));

	*moved = 0;
	if (!asked)
		return KERR_NOMEM;
	/* The children list changes only with child_create/child_destroy,
	 * which the precondition keeps away. */
	for (struct list_elem *e = list_first(&b->children); e;
	     e = list_next(e))
		*moved += reroute_child(container_of(e, child_t, elem), asked);
	free(asked);
	return 0;
}
