/*
 * A connection: the client's side of one session (the seed's Connection).
 *
 * connection_open() asks the parent for a session at a service with an
 * argument string (label, ram_quota, cap_quota and service-specific
 * ones; missing quotas get env.h's defaults) and remembers what the
 * component donated for it. The donated quota is the session's: it pays
 * for what the server keeps for this client. When the server answers an
 * operation with its interface's "out of RAM/caps" error, the client
 * donates more with connection_upgrade() and retries; the parent moves
 * the quota to the server and tells it (root.rpc upgrade).
 * connection_close() ends the session and the parent gives all donated
 * quota back to the component.
 *
 * A session can end under the client: its server went away (a server
 * child was removed or restarted) or the parent moved it (init closes the
 * sessions whose route a new config changed, child.h
 * child_broker_reroute()). Calls on its capability then fail with
 * KERR_REVOKED. connection_reopen() opens it anew through the parent with
 * the same service, arguments and quota (the donation so far, upgrades
 * included); the parent routes the new request as it routes now. The
 * runtime does this by itself, retrying the call, for the sessions it
 * manages: the component's LOG session (env_log, up to 4 reopens per
 * line) and ROM modules (env_rom_t, once per call). A request whose
 * session ended before the client took it (PARENT_ERR_ENDED: a config
 * applied meanwhile moved it, or its server went) is asked again, up to
 * 4 requests per open or reopen.
 *
 * Watching: libruntime keeps a session signal registered with the parent
 * and handles it on the entrypoint (runtime/env/reconnect.c), so it
 * learns at once, not at the next call, that a session ended. A
 * connection given to connection_watch() is then closed and requested
 * anew without blocking the entrypoint; while no server answers (the
 * server is gone and no other route leads to one) the request is filed
 * again after a back-off (runtime/env/reconnect_rule.h), for as long as
 * it takes, and once the new session is there `reopened` runs on the
 * entrypoint, for the component to set up what the session held
 * (signals, triggers, its last report). Meanwhile `cap` is KCAP_INVALID
 * (connection_ready() says so) and calls on it fail. ROM modules with a signal
 * (env_rom_sigh) and report connections (runtime/report_connection.h)
 * are watched this way by the runtime itself.
 *
 * A connection belongs to one thread at a time; the functions may be
 * called from any thread, the entrypoint's handlers included. A watched
 * connection is reopened on the entrypoint: use it there (or make sure
 * the entrypoint handles nothing while another thread uses it).
 */
#ifndef RUNTIME_CONNECTION_H
#define RUNTIME_CONNECTION_H

#include <stdbool.h>
#include <stdint.h>

#include <kernel/kernel.h>
#include <runtime/list.h>

struct env; /* runtime/env.h, which includes this header */

#define CONNECTION_SERVICE_MAX 32u   /* bytes without NUL (parent.rpc) */
#define CONNECTION_ARGS_MAX    400u  /* the argument string, without NUL */

typedef struct connection {
	struct env *env;
	char service[CONNECTION_SERVICE_MAX + 1]; /* "": closed for good */
	char args[CONNECTION_ARGS_MAX + 1]; /* as asked, quotas filled in */
	kcap_t cap;         /* the session capability; KCAP_INVALID: closed */
	uint32_t id;        /* the parent's id of the session */
	uint64_t ram_quota; /* donated so far, session request included */
	uint64_t cap_quota;
	/* connection_watch(): kept by runtime/env/reconnect.c under its lock */
	struct list_elem watch_elem;
	void (*reopened)(struct connection *c, void *ctx);
	void *reopened_ctx;
	bool watched;
	bool pending;        /* `id` is a filed request, not yet answered */
	bool due;            /* reopened, its callback not yet run */
	uint32_t backoff_ms; /* the wait before the next request; 0: none */
	uint64_t retry_ns;   /* kclock_ns() when the next request is filed */
} connection_t;

/* Opens a session at `service`. On failure the connection is closed
 * (cap invalid) and the status says why (runtime_strerror()). */
int connection_open(connection_t *c, struct env *env, const char *service,
                    const char *args);

/* Donates `ram` more bytes and `caps` more capabilities to the open
 * session. PARENT_ERR_OUT_OF_RAM/_CAPS when the component has not that
 * much; the session stays as it was then. */
int connection_upgrade(connection_t *c, uint64_t ram, uint64_t caps);

/* Closes the session at the parent (if it still has it) and its
 * capability, and opens it anew: same service, same arguments, the quota
 * donated so far. On failure the connection stays closed (cap invalid,
 * quota 0) and a later connection_reopen() may try again; a connection
 * closed with connection_close() (or never opened) is PARENT_ERR_UNKNOWN. */
int connection_reopen(connection_t *c);

/* Closes the session (if open) and its capability; the quota goes back
 * to the component; a watched connection is no longer watched. Safe to
 * call twice. */
void connection_close(connection_t *c);

/* Watches the open connection `c` (above): when its session ends, the
 * runtime requests it anew, as long as it takes, and calls
 * reopened(c, ctx) on the entrypoint once it is open again. `c` must stay
 * where it is until connection_close() or connection_unwatch(). 0, or
 * PARENT_ERR_UNKNOWN for a closed connection. */
int connection_watch(connection_t *c,
                     void (*reopened)(connection_t *c, void *ctx), void *ctx);

/* Stops watching `c` (a request still filed for it is withdrawn). */
void connection_unwatch(connection_t *c);

/* Whether `c` has a session now (a watched one may be waiting for its
 * new server). */
static inline bool connection_ready(const connection_t *c)
{
	return kcap_valid(c->cap);
}

#endif /* RUNTIME_CONNECTION_H */
