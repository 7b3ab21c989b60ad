/*
 * Root component (Genode's Root_component): the server side of a service's
 * root interface (root.rpc), written once for every server. A server tells
 * it what a session costs at least and which interface its sessions speak,
 * and supplies three callbacks (create, upgrade, destroy); the root
 * component does the rest: it serves the root object, decodes the common
 * arguments (runtime/session_args.h), checks the donated quota, allocates
 * the session record, serves the session object, finds sessions by
 * capability and closes them. Part of libruntime's session layer; core's
 * services and the servers in pkg/ all sit on it.
 *
 * A server's session struct embeds a struct root_session (the way it
 * would embed an rpc_object_t) and gets from one to the other with
 * container_of. The root component allocates the whole struct, zeroed,
 * from its heap, so it knows only the struct's size and the offset of the
 * embedded record (ROOT_SESSION_LAYOUT).
 *
 * Invariants:
 *  - Who pays. The parent has moved the client's ram_quota and cap_quota
 *    to the server's PD before session() is called and moves them back
 *    after close(). A session is created only when that donation covers
 *    the fixed session cost (ram_cost bytes, cap_cost caps), which pays
 *    for the session record and whatever the server needs per session
 *    anyway. The rest of the donated RAM (ram_quota - ram_cost, raised by
 *    every upgrade) is the limit of the session's quota guard over the
 *    component's heap: what the server allocates for that client through
 *    root_session_allocator() is counted against what the client gave and
 *    refused past it, so no client makes the server pay for it.
 *  - Capabilities. A session's capability is valid from a successful
 *    create until its close; it stays the root component's (the RPC layer
 *    sends copies). Lookup answers only for capabilities of sessions of
 *    this root component with its session interface.
 *  - Threads. Everything (the root's operations, the callbacks, lookup,
 *    close, dissolve) runs on the entrypoint thread, or while nothing else
 *    calls the component, so neither it nor its callbacks need a lock.
 *
 * Results are 0 or a ROOT_ERR_* of root.rpc (root_rpc.h); a refusal
 * comes with a reason in words.
 */
#ifndef RUNTIME_ROOT_COMPONENT_H
#define RUNTIME_ROOT_COMPONENT_H

#include <stddef.h>
#include <stdint.h>

#include <kernel/kernel.h>
#include <runtime/allocator.h>
#include <runtime/container_of.h>
#include <runtime/entrypoint.h>
#include <runtime/list.h>
#include <runtime/quota_guard.h>
#include <runtime/rpc.h>
#include <runtime/session_args.h>

#define ROOT_REASON_MAX 160u

struct root_component;

/* The part of every session the root component keeps. Its fields are the
 * root component's; servers read them. */
struct root_session {
	rpc_object_t obj; /* the session object (session iface) */
	struct root_component *root;
	kcap_t cap;               /* invokes obj; valid until close */
	struct quota_guard guard; /* the client's share of the heap */
	uint64_t ram_quota;       /* donated so far, upgrades included */
	uint64_t cap_quota;
	char label[SESSION_LABEL_MAX];
	struct list_elem elem; /* the root component's sessions */
};

struct root_component_ops {
	/* Optional (a session may be the record alone): sets up `session`
	 * (zeroed, its record filled in, not yet served) for `args`; `raw_args` holds service-specific arguments. Returns 0
	 * or a ROOT_ERR_* and then sets *why and releases what it took (the
	 * record is freed by the root component). */
	int (*create)(struct root_component *root, struct root_session *session,
	              const struct session_args *args, const char *raw_args,
	              const char **why);
	/* Optional: the client donated `ram` bytes and `caps` more; the
	 * session's guard is raised by `ram` already. 0 or a ROOT_ERR_*
	 * (then the guard is lowered again). */
	int (*upgrade)(struct root_component *root,
	               struct root_session *session, uint64_t ram,
	               uint64_t caps);
	/* Optional: the client takes `ram` bytes and `caps` back of what it
	 * donated, if the session has them free. 0, or a ROOT_ERR_* and
	 * nothing changed. Without it the service gives nothing back
	 * (root_component_downgrade answers ROOT_ERR_DENIED). */
	int (*downgrade)(struct root_component *root,
	                 struct root_session *session, uint64_t ram,
	                 uint64_t caps);
	/* Optional: releases what create and the session's life acquired.
	 * The session object is no longer served when it is called. */
	void (*destroy)(struct root_component *root,
	                struct root_session *session);
};

struct root_component_config {
	const char *name;             /* "LOG", "Timer", ... */
	const rpc_interface_t *iface; /* of the sessions */
	const void *session_ops;      /* typed ops of iface */
	size_t session_size;          /* the server's struct */
	size_t session_offset;        /* of its root_session */
	uint64_t ram_cost;            /* bytes, >= session_size */
	uint64_t cap_cost;
	const struct root_component_ops *ops;
	struct allocator *heap; /* NULL: heap_allocator() */
	void *server;           /* for the callbacks */
};

/* The size and offset fields of a config for the server's `type` whose
 * struct root_session is `member`. */
#define ROOT_SESSION_LAYOUT(type, member) \
	.session_size = sizeof(type), .session_offset = offsetof(type, member)

struct root_component {
	rpc_object_t obj; /* the root object (root.rpc) */
	struct root_component_config config;
	entrypoint_t *ep;
	kcap_t cap;                   /* invokes the root object */
	struct list sessions;         /* struct root_session */
	char reason[ROOT_REASON_MAX]; /* last refusal */
};

/* Serves the root object on `ep`; rc->cap is what the server announces.
 * 0, KERR_INVALID for a config without ops, with a session record
 * that does not fit its struct or a struct its ram_cost does not pay
 * for, or a KERR_* of entrypoint_manage(). */
int root_component_init(struct root_component *rc, entrypoint_t *ep,
                        const struct root_component_config *config);

/* Stops serving the root object, closes every session left and closes
 * the root capability. */
void root_component_dissolve(struct root_component *rc);

/* What root.session does: decodes and checks `raw_args`, then creates a
 * session. *cap stays the root component's. On refusal *why says why
 * (valid until the next request). For a parent on the same entrypoint
 * that must not call its own thread (core's parent for init). */
int root_component_open(struct root_component *rc, const char *raw_args,
                        kcap_t *cap, const char **why);

/* The invoke step alone, for arguments a caller decoded itself: checks
 * the cost, then creates; *session is the new session. */
int root_component_create(struct root_component *rc,
                          const struct session_args *args, const char *raw_args,
                          struct root_session **session, const char **why);

/* What root.upgrade does: "ram_quota=N, cap_quota=N" more for the
 * session behind `cap`. ROOT_ERR_UNKNOWN, ROOT_ERR_INVALID (malformed, or
 * a limit that would wrap around) or the upgrade callback's error. */
int root_component_upgrade(struct root_component *rc, kcap_t cap,
                           const char *raw_args);

/* Takes "ram_quota=N, cap_quota=N" of what the client donated back from
 * the session behind `cap` (a parent's parent.downgrade; not part of
 * root.rpc: only a parent that holds the server's root component in its
 * own address space, core, can do it). ROOT_ERR_UNKNOWN, ROOT_ERR_INVALID
 * (malformed, or more than was donated beyond the session's cost),
 * ROOT_ERR_DENIED (the service gives nothing back) or the downgrade
 * callback's error; on an error nothing changed. */
int root_component_downgrade(struct root_component *rc, kcap_t cap,
                             const char *raw_args);

/* What root.close does. ROOT_ERR_UNKNOWN for a capability that names no
 * session of this root component. */
int root_component_close(struct root_component *rc, kcap_t cap);

/* The session behind `cap` if it is a session of `rc` (and so of its
 * interface), else NULL. */
struct root_session *root_component_lookup(struct root_component *rc,
                                           kcap_t cap);

/* Closes a session: stops serving it, calls destroy, closes its
 * capability and frees it. */
void root_session_close(struct root_session *session);

/* The session whose object is `obj` (in a session operation: self). */
static inline struct root_session *root_session_of(rpc_object_t *obj)
{
	return container_of(obj, struct root_session, obj);
}

/* The allocator that charges the session's client (its quota guard). */
static inline struct allocator *root_session_allocator(struct root_session *s)
{
	return quota_guard_allocator(&s->guard);
}

/* The server given in the config. */
static inline void *root_component_server(const struct root_component *rc)
{
	return rc->config.server;
}

static inline const char *root_component_name(const struct root_component *rc)
{
	return rc->config.name;
}

/* The sessions, for a server that walks them (e.g. to signal them):
 *     for (struct list_elem *e = root_component_first(rc); e; e = list_next(e))
 *         ... container_of(e, struct root_session, elem) ... */
static inline struct list_elem *root_component_first(struct root_component *rc)
{
	return list_first(&rc->sessions);
}

#endif /* RUNTIME_ROOT_COMPONENT_H */
