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
 * runtime does this by itself, retrying the call once, for the sessions it
 * manages: the component's LOG session (env_log) and ROM modules
 * (env_rom_t); users of other connections decide themselves.
 *
 * A connection belongs to one thread at a time; the functions may be
 * called from any thread, the entrypoint's handlers included.
 */
#ifndef RUNTIME_CONNECTION_H
#define RUNTIME_CONNECTION_H

#include <stdint.h>

#include <kernel/kernel.h>

struct env;   /* runtime/env.h, which includes this header */

#define CONNECTION_SERVICE_MAX 32u   /* bytes without NUL (parent.rpc) */
#define CONNECTION_ARGS_MAX    400u  /* the argument string, without NUL */

typedef struct connection {
	struct env *env;
	char      service[CONNECTION_SERVICE_MAX + 1];  /* "": closed for good */
	char      args[CONNECTION_ARGS_MAX + 1];  /* as asked, quotas filled in */
	kcap_t    cap;        /* the session capability; KCAP_INVALID: closed */
	uint32_t  id;         /* the parent's id of the session */
	uint64_t  ram_quota;  /* donated so far, session request included */
	uint64_t  cap_quota;
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
 * to the component. Safe to call twice. */
void connection_close(connection_t *c);

#endif /* RUNTIME_CONNECTION_H */
