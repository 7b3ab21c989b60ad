/*
 * What a parent can tell about its children (child.h: child_requested_sessions,
 * child_served_sessions, child_quota), for init's state report. The session
 * tables are read under the broker's lock and copied out, so a caller on
 * any thread gets a consistent picture of one child without holding the
 * lock; the quota comes from the child's PD at its PD service.
 */
#include "child_internal.h"

#include <string.h>

#include <runtime/str.h>

#include "pd_rpc.h"

static enum child_session_state state_of(const struct child_session *s)
{
	switch (s->state) {
	case SESSION_PENDING:
		return CHILD_SESSION_PENDING;
	case SESSION_READY:
		return CHILD_SESSION_READY;
	case SESSION_FAILED:
		break;
	}
	return s->ended ? CHILD_SESSION_CLOSED : CHILD_SESSION_DENIED;
}

/* Copies what a reader may see of `s`. Precondition: broker->lock held,
 * which keeps a pending session's fields (its worker writes them) from
 * being read half-written: the worker sets the state under the lock, and
 * a pending session's service, label, kind and server are set before it
 * is filed. */
static void copy_info(const struct child_session *s,
                      struct child_session_info *info)
{
	memset(info, 0, sizeof(*info));
	str_copy(info->service, s->service, sizeof(info->service));
	str_copy(info->label, s->label, sizeof(info->label));
	info->kind = s->kind;
	if (s->kind == CHILD_ROUTE_CHILD)
		str_copy(info->server, s->server, sizeof(info->server));
	str_copy(info->client, s->child->name, sizeof(info->client));
	info->state = state_of(s);
}

/* Whether `s` is listed: among the requested ones (server NULL), every
 * session but the child's own PD; among those served by `server`, the
 * pending and ready ones routed to it. */
static bool listed(const struct child_session *s, const child_t *server)
{
	if (!server)
		return !s->own_pd;
	return s->state != SESSION_FAILED && s->kind == CHILD_ROUTE_CHILD &&
	       strcmp(s->server, server->name) == 0;
}

static size_t count_listed(const child_t *c, const child_t *server)
{
	size_t n = 0;

	for (struct list_elem *e = list_first(&c->sessions); e;
	     e = list_next(e))
		n += listed(container_of(e, struct child_session, elem),
		            server);
	return n;
}

/* Copies the listed sessions of `c` to the slots before *at, counting *at
 * down: the lists hold the newest first, the copy is oldest first. Slots
 * from `max` on are left out. */
static void copy_listed(const child_t *c, const child_t *server,
                        struct child_session_info *info, size_t max, size_t *at)
{
	for (struct list_elem *e = list_first(&c->sessions); e;
	     e = list_next(e)) {
		const struct child_session *s =
			container_of(e, struct child_session, elem);
		if (!listed(s, server))
			continue;
		if (--*at < max)
			copy_info(s, &info[*at]);
	}
}

size_t child_requested_sessions(child_t *c, struct child_session_info *info,
                                size_t max)
{
	size_t total, at;

	LOCK_GUARD(&c->broker->lock);
	total = at = count_listed(c, NULL);
	copy_listed(c, NULL, info, max, &at);
	return total;
}

size_t child_served_sessions(child_t *server, struct child_session_info *info,
                             size_t max)
{
	child_broker_t *b = server->broker;
	size_t total = 0, at;

	LOCK_GUARD(&b->lock);
	for (struct list_elem *e = list_first(&b->children); e;
	     e = list_next(e))
		total += count_listed(container_of(e, child_t, elem), server);
	at = total;
	for (struct list_elem *e = list_first(&b->children); e;
	     e = list_next(e))
		copy_listed(container_of(e, child_t, elem), server, info, max,
		            &at);
	return total;
}

int child_quota(const child_t *c, struct child_quota *q)
{
	memset(q, 0, sizeof(*q));
	return pd_quota(c->pd, &q->ram_quota, &q->ram_used, &q->caps_quota,
	                &q->caps_used);
}
