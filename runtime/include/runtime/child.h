/*
 * Child management of libruntime (Genode's Child and Child_policy), so that
 * any component can be a parent: init uses it, and so can any other
 * component that starts components of its own.
 *
 * A child is a protection domain (a PD session at core, opened through the
 * parent's own parent, holding the child's RAM and capability quota), the
 * program started in it from an ELF ROM, and the parent object: the
 * parent interface (parent.rpc) that the parent serves for this one child
 * on its entrypoint and hands to it as its kboot_cap(0).
 *
 * Session requests of a child, step by step (core/README.md, "Sessions"):
 *
 *   1. parent.session(service, args) runs on the entrypoint. It checks the
 *      arguments, asks the policy where the request goes (child_route) with
 *      the label already prefixed "<child> -> <label>", and returns the id
 *      at once; a denial or malformed request is refused right there.
 *      A request for "PD" with an empty label is answered with the child's
 *      own PD session (its environment's PD, as core does for init);
 *      a labelled one is routed like any other (a PD for a grandchild).
 *   2. A worker thread of the broker then does the slow part: it waits
 *      (until the deadline) for the serving child to announce the service,
 *      moves ram_quota/cap_quota from the client's PD to the server's PD
 *      (pd.transfer_quota; the parent's own PD for local and parent
 *      services), and calls root.session at the server, or opens the
 *      session at its own parent, both bounded by the deadline. A server
 *      that never answers costs a worker thread until the deadline, never
 *      the entrypoint: the request fails with PARENT_ERR_UNRESPONSIVE and
 *      the quota goes back to the client.
 *   3. The worker stores the outcome and submits the child's session signal;
 *      parent.session_cap(id) hands out the capability or the error.
 *   4. parent.upgrade moves more quota (then tells the server on a worker);
 *      parent.close closes the session at the server on a worker and moves
 *      the quota back to the client.
 *
 * Threads: the policy callbacks run on the entrypoint thread (route,
 * exited) or on a worker (session_failed; for a session that ended with
 * its server, on the thread that called child_destroy()). The broker's
 * state is guarded by one lock; nothing blocks while holding it.
 */
#ifndef RUNTIME_CHILD_H
#define RUNTIME_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kernel/kernel.h>
#include <runtime/error.h>
#include <runtime/entrypoint.h>
#include <runtime/service.h>

#define CHILD_NAME_MAX   SERVICE_OWNER_MAX
#define CHILD_LABEL_MAX  400u    /* the label a server sees, without NUL */
#define CHILD_ARGS_MAX   400u    /* session arguments (parent.rpc) */
#define CHILD_REASON_MAX 256u
#define CHILD_PENDING_MAX 16u    /* pending requests per child */
#define CHILD_SESSIONS_MAX 256u  /* sessions per child, pending or open */

typedef struct child child_t;
typedef struct child_broker child_broker_t;

/*
 * What a parent needs of its own environment: its PD session (which pays
 * for its children and receives the quota of sessions at its local and
 * parent services) and a way to open, upgrade and close sessions at its own
 * parent, blocking until the answer or the deadline. Each function returns
 * 0, a PARENT_ERR_* (parent_rpc.h) or a KERR_*; they are called from worker
 * threads, several at once.
 */
struct child_host {
	kcap_t pd;
	int (*session)(void *ctx, const char *service, const char *args,
	               int timeout_ms, uint32_t *id, kcap_t *cap);
	int (*upgrade)(void *ctx, uint32_t id, const char *args);
	/* Takes quota back from the session (parent.downgrade); may be NULL
	 * when the host's parent cannot, then child_downgrade fails. */
	int (*downgrade)(void *ctx, uint32_t id, const char *args);
	void (*close)(void *ctx, uint32_t id);
	void *ctx;
};

enum child_route_kind {
	CHILD_ROUTE_DENIED,
	CHILD_ROUTE_PARENT, /* forward to the parent's own parent */
	CHILD_ROUTE_CHILD,  /* a service announced by the child `server` */
	CHILD_ROUTE_LOCAL,  /* served by the parent itself, via `local` */
};

/* An argument the parent sets on a forwarded request (key=value, the
 * value quoted), replacing the client's value of that key; with `drop`
 * the client's value is taken out instead. Init scopes ROM requests so
 * (rom_from, archive): the client's own values never reach the server. */
#define CHILD_ROUTE_ARGS 4u
#define CHILD_ROUTE_ARG_KEY_MAX 31u
#define CHILD_ROUTE_ARG_VALUE_MAX 255u

struct child_route_arg {
	char key[CHILD_ROUTE_ARG_KEY_MAX + 1]; /* "": unused */
	char value[CHILD_ROUTE_ARG_VALUE_MAX + 1];
	bool drop;
};

/* The policy's answer to a session request. */
struct child_route {
	enum child_route_kind kind;
	char server[CHILD_NAME_MAX + 1]; /* CHILD_ROUTE_CHILD */
	struct service_provider local;   /* CHILD_ROUTE_LOCAL, borrowed */
	char label[CHILD_LABEL_MAX + 1]; /* what the server sees; preset to
	                                      "<child> -> <label>" */
	char reason[CHILD_REASON_MAX];   /* CHILD_ROUTE_DENIED: why */
	struct child_route_arg args[CHILD_ROUTE_ARGS]; /* preset unused */
};

/* Sets `key` to `value` on the forwarded request (drop: takes the key
 * out). 0, or KERR_INVALID when the key is no identifier, key or value are
 * too long, or all CHILD_ROUTE_ARGS places are taken; then nothing is
 * set and a policy should deny the request. */
int child_route_set_arg(struct child_route *route, const char *key,
                        const char *value);
int child_route_drop_arg(struct child_route *route, const char *key);

struct child_policy {
	/* Decides where `child`'s request for `service` with the label it sent
	 * goes. route->kind is preset to CHILD_ROUTE_DENIED. */
	void (*route)(void *ctx, child_t *child, const char *service,
	              const char *label, struct child_route *route);
	/* The child ended: it called parent.exit(code), or its program ended
	 * (fault: killed by a fault, code the fault's number). Reported once. */
	void (*exited)(void *ctx, child_t *child, bool fault, int code);
	/* A session request of the child failed, or an open session of it
	 * ended because its server child was destroyed or its route changed
	 * (child_broker_reroute; both PARENT_ERR_DENIED);
	 * `error` is a PARENT_ERR_* and `reason` says why in words. May be
	 * NULL. */
	void (*session_failed)(void *ctx, child_t *child, const char *service,
	                       const char *label, int error,
	                       const char *reason);
	/* The child's quota ran out and it asks for `ram` bytes and `caps`
	 * capabilities more (parent.rpc resource_request); it waits until
	 * child_resource_answer(). Entrypoint. May be NULL. */
	void (*resource_requested)(void *ctx, child_t *child, uint64_t ram,
	                           uint64_t caps);
	/* The child answered a yield request (child_yield): it freed what it
	 * could. Entrypoint. May be NULL. */
	void (*yielded)(void *ctx, child_t *child);
	void *ctx;
};

struct child_broker_config {
	entrypoint_t *ep; /* serves the parent objects */
	const struct child_host *host;
	struct service_registry *registry;
	int timeout_ms; /* deadline of a session request */
	/* Optional: called whenever a session of a child is filed, changes
	 * its state or goes (what child_requested_sessions() and
	 * child_served_sessions() show changed). It runs on any thread, the
	 * workers' included, sometimes with the broker's lock held: it must
	 * only note the change (a signal submit), never call into the broker
	 * or block. */
	void (*sessions_changed)(void *ctx);
	void *sessions_changed_ctx;
};

int child_broker_create(child_broker_t **broker,
                        const struct child_broker_config *config);

/* Waits for the workers and frees the broker; its children must have been
 * destroyed. */
void child_broker_destroy(child_broker_t *broker);

/* Waits until no worker of the broker runs (each ends by its deadline). */
void child_broker_drain(child_broker_t *broker);

/* What child_spawn() needs. */
struct child_config {
	const char *name;     /* [a-z0-9_.-], at most CHILD_NAME_MAX bytes */
	const char *binary;   /* ROM module with the ELF image */
	const char *rom_args; /* further arguments of the binary's ROM
	                          session ("rom_from=\"depot\", archive=...",
	                          an argument string), or NULL */
	uint64_t ram;         /* quota moved from the parent's PD */
	uint64_t caps;
};

/*
 * Starts a child: opens its PD session through the host with the child's
 * quota as the session's ram_quota/cap_quota (the host's parent takes it
 * from the host's PD and returns it when the PD is closed), serves its parent object, opens the binary's
 * ROM, starts the program and watches for its end. On failure nothing is
 * left behind and error[] says what went wrong.
 */
int child_spawn(child_broker_t *broker, const struct child_config *config,
                const struct child_policy *policy, child_t **child, char *error,
                size_t error_size);

/*
 * The parts of child_spawn() for a parent that provides the PD itself (and
 * for tests): serves the parent object of a child named `name` whose PD
 * session is `pd` (copied) and whose PD id at the host is `pd_id` (closed
 * with the child; ~0u: not the host's).
 */
int child_create(child_broker_t *broker, const char *name, kcap_t pd,
                 uint32_t pd_id, const struct child_policy *policy,
                 child_t **child);

/* Starts the program `elf` in the child's PD with its parent object. */
int child_start(child_t *child, kcap_t elf);

/* The capability of the child's parent object (the child's kboot_cap(0));
 * it stays the child's. */
kcap_t child_parent_cap(const child_t *child);

const char *child_name(const child_t *child);

/*
 * Closes the child's sessions, withdraws its services, dissolves its parent
 * object and closes its PD (which ends its program and returns its quota).
 * The sessions other children have at it end: the quota they donated goes
 * back to them from its PD, their records fail (parent.session_cap and
 * parent.close answer PARENT_ERR_DENIED / close them at once), each client's
 * session signal is submitted and its policy's session_failed is told.
 * Waits for the broker's workers on the child's own sessions (each ends by
 * its deadline), not for those of other children.
 */
void child_destroy(child_t *child);

/*
 * After the policy changed (a parent applied a new config): asks the
 * policy's route again for every ready session of every child, with the
 * service and the label the child sent. A session whose answer differs
 * from where it is (another server child, the parent instead of a child or
 * back, a denial, another label the server would see) is closed at its old
 * server on a worker, the quota it donated goes back to the client, its
 * record fails (parent.session_cap answers PARENT_ERR_DENIED, and calls on
 * its capability fail with KERR_REVOKED once the server has closed it),
 * the client's session signal is submitted and the policy's session_failed
 * is told why ("its route changed: now to \"B\""). The client's runtime
 * opens the session anew, and that request follows the new route. A
 * request still pending keeps the route it was given (it is not re-asked
 * until the next call). Sessions whose answer is unchanged are not
 * touched; a local service stays local.
 *
 * Call it on the entrypoint thread (where route runs), not concurrently
 * with child_create() or child_destroy(). *moved says how many sessions
 * were closed; 0, or KERR_NOMEM (then nothing moved).
 */
int child_broker_reroute(child_broker_t *broker, unsigned *moved);

/*
 * Heartbeats (parent.rpc heartbeat_sigh, heartbeat_response): libruntime
 * registers a signal of each component's entrypoint with its parent and
 * answers it from there. child_heartbeat() submits that signal and says
 * what became of the previous one, so called at a steady rate it tells
 * whether the child's entrypoint still dispatches: a child whose
 * entrypoint is stuck (a handler that never returns) answers no more.
 * Entrypoint thread only (the answers arrive there as parent calls).
 */
enum child_heartbeat {
	CHILD_HEARTBEAT_ANSWERED,  /* the previous request was answered, or
	                               there was none */
	CHILD_HEARTBEAT_SKIPPED,   /* the previous request is unanswered */
	CHILD_HEARTBEAT_UNWATCHED, /* no request sent: the child registered
	                               no heartbeat signal (yet), or it ended */
};
enum child_heartbeat child_heartbeat(child_t *child);

/*
 * Resource requests: whether the child waits for more quota, and how much
 * it asked for (its last request); child_resource_answer() wakes it
 * (submits its resource_avail signal) and forgets the request. The
 * parent answers after it gave more (child_upgrade); the child then
 * finds out whether that was enough, and asks again if not. Entrypoint.
 */
bool child_resource_request(const child_t *child, uint64_t *ram,
                            uint64_t *caps);
void child_resource_answer(child_t *child);

/*
 * Gives a running child `ram` bytes and `caps` capabilities more: upgrades
 * its PD session at the host (the host's parent takes them from the host's
 * PD, and gives them back with the rest when the PD is closed). 0, a
 * PARENT_ERR_* or KERR_INVALID for a child whose PD is not the host's.
 */
int child_upgrade(child_t *child, uint64_t ram, uint64_t caps);

/*
 * Takes `ram` bytes and `caps` capabilities back from a running child's
 * PD, of what its PD has free (parent.downgrade of its PD session at the
 * host; the host's parent gives them to the host's PD, and gives back
 * only the rest when the PD is closed). 0; PARENT_ERR_OUT_OF_RAM /
 * _OUT_OF_CAPS when the PD has less free (nothing taken); PARENT_ERR_*
 * or KERR_INVALID when the host cannot take quota back (a host without
 * downgrade, a parent that does not implement it, a PD not the host's).
 */
int child_downgrade(child_t *child, uint64_t ram, uint64_t caps);

/*
 * Yield requests (parent.rpc yield_sigh, yield_request, yield_response):
 * child_yield() asks the child to free `ram` bytes and `caps`
 * capabilities of its quota (it submits the child's yield signal; the
 * child reads the amount with yield_request). Its answer calls the
 * policy's `yielded`; the parent then reads the PD's quota to see what is
 * free and takes it with child_downgrade(). child_yield(child, 0, 0)
 * withdraws the request. false when the child registered no yield signal
 * (it cannot be asked). Entrypoint thread only.
 */
bool child_yield(child_t *child, uint64_t ram, uint64_t caps);

/*
 * A struct child_host over the component's own parent capability, for any
 * component that becomes a parent: sessions are opened with
 * parent.session and parent.session_cap. The component's session signal
 * belongs to its environment, so a pending answer is polled for, with
 * growing pauses (1 ms doubling up to 32 ms) until the deadline; core
 * answers its requests at once, so this rarely waits at all. `pd` is the
 * component's own PD session (opened with an empty label).
 */
struct child_parent_host {
	struct child_host host;
	kcap_t parent;
};

int child_parent_host_init(struct child_parent_host *h, kcap_t parent);
void child_parent_host_fini(struct child_parent_host *h);

/* Opens a session at `parent` and waits for it (as above); 0, a
 * PARENT_ERR_* or a KERR_*. */
int child_parent_session(kcap_t parent, const char *service, const char *args,
                         int timeout_ms, uint32_t *id, kcap_t *cap);

/*
 * What a parent can tell about its children (init's state report): their
 * sessions and their quota, copied out under the broker's lock, so the
 * copy is consistent for one child and the caller needs no lock.
 */
enum child_session_state {
	CHILD_SESSION_PENDING, /* filed, its worker has not answered yet */
	CHILD_SESSION_READY,   /* open at its server */
	CHILD_SESSION_DENIED,  /* failed to open; the client has not taken
	                            the answer yet (routing denials are answered
	                            at once and never filed) */
	CHILD_SESSION_CLOSED,  /* was open; ended by its server's end or a
	                            route change; the client has not taken the
	                            answer yet */
};

struct child_session_info {
	char service[SERVICE_NAME_MAX + 1];
	char label[CHILD_LABEL_MAX + 1]; /* as the server sees it */
	enum child_route_kind kind;      /* where the policy routed it:
	                                       PARENT, CHILD or LOCAL */
	char server[CHILD_NAME_MAX + 1]; /* CHILD_ROUTE_CHILD: the server */
	char client[CHILD_NAME_MAX + 1]; /* the child that requested it */
	enum child_session_state state;
};

/*
 * The sessions `child` requested, in the order it asked (its own PD, the
 * environment's, is left out): at most `max` copied to info[]; returns
 * how many there are (more than `max` when some were left out).
 */
size_t child_requested_sessions(child_t *child, struct child_session_info *info,
                                size_t max);

/*
 * The sessions other children have at `child`, pending or ready (those
 * that failed are no longer at it), by client in creation order: at most
 * `max` copied to info[]; returns how many there are.
 */
size_t child_served_sessions(child_t *child, struct child_session_info *info,
                             size_t max);

/* The account of the child's PD at its PD service (pd.rpc quota): its
 * quota and what it uses, in bytes and capabilities. 0 or a PD error
 * (rpc_strerror(&pd_rpc, ..)). */
struct child_quota {
	uint64_t ram_quota, ram_used;
	uint64_t caps_quota, caps_used;
};
int child_quota(const child_t *child, struct child_quota *quota);

#endif /* RUNTIME_CHILD_H */
