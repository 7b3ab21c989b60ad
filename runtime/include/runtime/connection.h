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
 * A connection belongs to one thread at a time; the functions may be
 * called from any thread, the entrypoint's handlers included.
 */
#ifndef RUNTIME_CONNECTION_H
#define RUNTIME_CONNECTION_H

#include <stdint.h>

#include <kernel/kernel.h>

struct env;   /* runtime/env.h, which includes this header */

typedef struct connection {
	struct env *env;
	kcap_t    cap;        /* the session capability; KCAP_INVALID: closed */
	uint32_t  id;         /* the parent's id of the session */
	uint64_t  ram_quota;  /* donated so far, session request included */
	uint64_t  cap_quota;
} connection_t;

/* Opens a session at `service`. On failure the connection is closed
 * (cap invalid) and the status says why (env_strerror()). */
int connection_open(connection_t *c, struct env *env, const char *service,
                    const char *args);

/* Donates `ram` more bytes and `caps` more capabilities to the open
 * session. PARENT_ERR_OUT_OF_RAM/_CAPS when the component has not that
 * much; the session stays as it was then. */
int connection_upgrade(connection_t *c, uint64_t ram, uint64_t caps);

/* Closes the session (if open) and its capability; the quota goes back
 * to the component. Safe to call twice. */
void connection_close(connection_t *c);

#endif /* RUNTIME_CONNECTION_H */
