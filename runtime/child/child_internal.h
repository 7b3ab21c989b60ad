/*
 * Private structures of runtime/child, shared by its rooms: the broker
 * (broker.c: workers and the slow steps of a session), the parent object
 * served per child (parent_object.c) and the child's life cycle (child.c).
 *
 * Invariants, kept under broker->lock:
 *   - a session is in its child's list from parent.session() until
 *     parent.close() (or child_destroy) takes it out; after that exactly one
 *     party frees it: the open worker if it was still pending
 *     (close_requested), a close worker if it was ready, the closer at once
 *     if it had failed;
 *   - while a session is SESSION_PENDING only its open worker writes its
 *     fields; the entrypoint reads nothing but state (inspect.c also
 *     reads service, label, kind and server, which are set before the
 *     session is filed and never written by the worker);
 *   - `ram` and `caps` of a session are the quota that sits at
 *     provider.pd on the client's behalf and goes back on close;
 *   - a child's session_count is the length of its `sessions`, at most
 *     CHILD_SESSIONS_MAX, and every session there is the child's and not
 *     close_requested; its `pending` counts its SESSION_PENDING sessions,
 *     those in the list and those closed while pending whose open worker
 *     still runs, at most CHILD_PENDING_MAX. child_sessions_ok() checks
 *     this (INVARIANT, runtime/invariant.h) wherever the list changes.
 */
#ifndef RUNTIME_CHILD_INTERNAL_H
#define RUNTIME_CHILD_INTERNAL_H

#include <runtime/child.h>
#include <runtime/container_of.h>
#include <runtime/list.h>
#include <runtime/lock.h>
#include <runtime/signal.h>

struct child_broker {
	entrypoint_t *ep;
	const struct child_host *host;
	struct service_registry *registry;
	int timeout_ms;
	void (*sessions_changed)(void *ctx); /* or NULL (child.h) */
	void *sessions_changed_ctx;
	struct lock lock;    /* guards the workers and every child's sessions */
	struct list workers; /* struct worker, running or finished */
	struct list children; /* struct child, from child_create() to
	                           child_destroy(); under lock */
};

enum session_state { SESSION_PENDING, SESSION_READY, SESSION_FAILED };

struct child_session {
	struct list_elem elem; /* in child->sessions */
	child_t *child;
	uint32_t id;
	enum session_state state;
	bool close_requested; /* closed while pending */
	bool own_pd;          /* "PD": the child's own PD */
	bool own_cpu;         /* "CPU" with an empty label: to be
	                                       bound to the child's PD */
	int error;            /* SESSION_FAILED: PARENT_ERR_* */
	bool ended;           /* SESSION_FAILED after it was
	                                       ready: its server went away or
	                                       its route changed */
	char service[SERVICE_NAME_MAX + 1];
	char label[CHILD_LABEL_MAX + 1];        /* as the server sees it */
	char client_label[CHILD_LABEL_MAX + 1]; /* as the child sent it */
	char args[CHILD_ARGS_MAX + 1];          /* with that label */
	enum child_route_kind kind;
	char server[CHILD_NAME_MAX + 1];  /* CHILD_ROUTE_CHILD */
	struct service_provider provider; /* root (not for PARENT), quota PD */
	uint32_t parent_id;               /* CHILD_ROUTE_PARENT: id at host */
	kcap_t cap;                       /* SESSION_READY */
	uint64_t ram, caps;               /* donated, sitting at provider.pd */
};

struct child {
	rpc_object_t parent_obj; /* the parent interface for it */
	child_broker_t *broker;
	struct list_elem elem; /* in broker->children */
	char name[CHILD_NAME_MAX + 1];
	struct child_policy policy;
	kcap_t pd;
	uint32_t pd_id;
	kcap_t parent_cap;
	kcap_t session_sigh;  /* under broker->lock */
	struct list sessions; /* under broker->lock */
	uint32_t next_id;
	unsigned pending;       /* under broker->lock */
	unsigned session_count; /* in `sessions`, under the lock */
	signal_dispatcher_t exit_dispatcher;
	bool exit_watched;
	bool exit_reported; /* entrypoint thread only */
	/* heartbeats (child_heartbeat), entrypoint thread only */
	kcap_t heartbeat_sigh;   /* the child's, or KCAP_INVALID */
	bool heartbeat_asked;    /* a request is out */
	bool heartbeat_answered; /* ... and was answered */
	/* resource requests (child_resource_request), entrypoint thread only */
	kcap_t resource_sigh; /* the child's, or KCAP_INVALID */
	bool resource_pending;
	uint64_t resource_ram, resource_caps; /* what it asked for */
	/* yield requests (child_yield), entrypoint thread only */
	kcap_t yield_sigh;              /* the child's, or KCAP_INVALID */
	uint64_t yield_ram, yield_caps; /* what the parent wants freed */
};

#define CHILD_NO_ID 0xffffffffu

/* --- broker.c ------------------------------------------------------------- */

/* Runs the open steps of a pending session on a worker. 0 or KERR_*. */
int broker_open(child_broker_t *b, struct child_session *s);

/* Closes a ready session at its server and moves its quota back to the
 * client, on a worker; frees the session. */
void broker_close(child_broker_t *b, struct child_session *s);

/* Tells the server of a ready session about an upgrade, on a worker. */
void broker_upgrade(child_broker_t *b, struct child_session *s,
                    const char *args);

/* Waits until no worker on a session of `c` runs (each ends by its
 * deadline); workers of other children run on. */
void broker_drain_child(child_broker_t *b, const child_t *c);

/* Moves quota between PD sessions; 0 or a PARENT_ERR_*, with words. */
int broker_move_quota(kcap_t from, kcap_t to, uint64_t ram, uint64_t caps,
                      char *reason, size_t reason_size);

/* Finds the session `id` of `c`. Precondition: broker->lock held. */
struct child_session *child_find_session(child_t *c, uint32_t id);

/* Frees a session that no worker uses any more. */
void session_free(struct child_session *s);

/* For INVARIANT: whether `c`'s session list and its counters keep the
 * invariant above (a walk). Precondition: broker->lock held. Inline, as
 * the release build compiles INVARIANT's condition but never calls it. */
static inline bool child_sessions_ok(const child_t *c)
{
	unsigned count = 0, pending = 0;
	for (const struct list_elem *e = list_first(&c->sessions); e;
	     e = list_next(e)) {
		const struct child_session *s =
			container_of(e, struct child_session, elem);
		if (s->child != c || s->close_requested)
			return false;
		count++;
		pending += s->state == SESSION_PENDING;
	}
	return count == c->session_count && count <= CHILD_SESSIONS_MAX &&
	       pending <= c->pending && c->pending <= CHILD_PENDING_MAX;
}

/* Submits the child's session signal. Precondition: broker->lock held. */
void child_notify_sessions(child_t *c);

/* --- route_args.c --------------------------------------------------------- */

/* Sets the route's label and its arguments on the argument string
 * args[size]; 0, or PARENT_ERR_INVALID when they do not fit (args is then
 * unusable). Applying the same route twice gives the same string. */
int child_route_apply_args(const struct child_route *route, char *args,
                           size_t size);

/* Tells the broker's user that sessions changed (child.h,
 * sessions_changed); any thread, lock held or not. */
void broker_sessions_changed(child_broker_t *b);

/* --- parent_object.c ---------------------------------------------------- */

extern const struct parent_ops child_parent_ops;

/* Reports the end of a child to its policy, once. Entrypoint thread. */
void child_report_exit(child_t *c, bool fault, int code);

#endif /* RUNTIME_CHILD_INTERNAL_H */
