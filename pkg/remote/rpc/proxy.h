/*
 * The generic RPC proxy (pkg/remote/README.md, "RPC across"): one node's
 * half of a link that carries sessions of any interface of the
 * descriptor table (iface_table.h). Both remote_rpc_client (a server of
 * the interface on its node) and remote_rpc_server (a client of the real
 * server on its node) are this engine with a different role.
 *
 * What crosses, by the kind of capability (runtime/cap.h cap_type()):
 *  - RPC objects as references (ref_table.h): the other node serves a
 *    stand-in object on its entrypoint, with the descriptor of the
 *    interface that the IDL names for that argument (cap<IFACE>); its
 *    calls are checked against the descriptor (rpc_request_decode) and
 *    forwarded as CALL, replayed on the real object with rpc_call(),
 *    answered by REPLY. A capability of an object without cap<IFACE> in
 *    the IDL does not cross (the receiver gets none, and says so).
 *  - signal sources as references too: the stand-in is a signal context
 *    on the other node; every count submitted to it crosses as SIGNAL and
 *    is submitted to the real one (counts add up, as locally).
 *  - dataspaces as copies (at most PROXY_DS_MAX bytes): the other node
 *    holds a dataspace of its own, filled by DS messages, which the
 *    exporting node sends for what changed before every message it sends
 *    and every 100 ms. Writes on the copy's side do not go back.
 *
 * Threads. The link thread (proxy_run) alone reads and writes the link.
 * The entrypoint issues requests (OPEN, CALL, CLOSE) of this node one at a
 * time and waits for the answer; a worker thread executes the peer's
 * requests one at a time (the peer, too, has one request in flight), so
 * the link thread never blocks on a local server and a server that calls
 * back across the link finds the link served.
 *
 * Lifetime. Every reference and stand-in belongs to one session and one
 * link: closing the session drops them on both nodes, and when the link
 * goes every export is closed and every stand-in dissolved (their
 * capabilities revoked: KERR_REVOKED), the pending request fails, and
 * the client role closes its sessions so that their clients take the
 * runtime's reconnection path.
 */
#ifndef REMOTE_RPC_PROXY_H
#define REMOTE_RPC_PROXY_H

#include <stdint.h>

#include <runtime/entrypoint.h>
#include <runtime/rpc.h>
#include <runtime/signal.h>
#include <remote/link.h>

#include "proxy_wire.h"

struct proxy;

/* Where a forwarded call goes: a reference of the peer, for one session
 * of one link (epoch). */
struct proxy_target {
	struct proxy *proxy;
	struct proxy_ref ref;
	uint32_t session;
	uint32_t epoch;
};

/* The ops pointer of an object the proxy stands in for: how to find its
 * target (the object is a client session or a nested stand-in). */
struct proxy_target_of {
	struct proxy_target *(*of)(rpc_object_t *obj);
};

/* The server role: sessions at this node's parent, for the peer. */
struct proxy_server_ops {
	/* Opens session `session` with `args`; 0 and *cap (still the
	 * callee's), or non-zero and why. */
	int (*open)(void *ctx, uint32_t session, const char *args, kcap_t *cap,
	            char *why, size_t why_len);
	void (*close)(void *ctx, uint32_t session);
	void (*close_all)(void *ctx); /* the link went */
};

struct proxy_config {
	entrypoint_t *ep; /* serves the stand-ins */
	kcap_t pd;        /* pays for dataspace copies */
	/* Says a line in the log (the component's env_log). */
	void (*log)(void *log_ctx, const char *line);
	void *log_ctx;
	const char *peer; /* the peer node's name, for logs */
	const struct proxy_server_ops *server; /* NULL: the client role */
	void *ctx;
	/* Client role: the link went (link thread); revoke the sessions. */
	void (*link_down)(void *ctx);
};

/* Sets the proxy up (tables, the worker thread); 0 or a KERR_*. */
int proxy_create(struct proxy **out, const struct proxy_config *cfg);

/* The link thread's signal receiver, made at the first call (on the link
 * thread, which alone may call it): give it to stream_cap() for the
 * stream of every link this proxy runs, so that proxy_run() sleeps until
 * the peer sends or this node has something to send. NULL when out of
 * memory. */
signal_receiver_t *proxy_receiver(struct proxy *p);

/* Serves link `l` until it dies, then closes it and drops everything that
 * belonged to it (link thread). The link's stream must be one made with
 * proxy_receiver() (link_wait()); otherwise the link is closed at once,
 * with the reason said. */
void proxy_run(struct proxy *p, link_t *l);

/* Why the last link went, in words (link thread, after proxy_run()). */
const char *proxy_link_error(const struct proxy *p);

/* The interface `iface` with the proxy's forwarding invoke: what a
 * session or stand-in object of that interface is served with. */
const rpc_interface_t *proxy_iface(const rpc_interface_t *iface);

/* Client role, entrypoint thread: opens session `session` on the peer's
 * node; 0 and *target, or a KERR_* / non-zero status with why. */
int proxy_open(struct proxy *p, uint32_t session, const char *args,
               struct proxy_target *target, char *why, size_t why_len);

/* Whether `t` is of the link that is up now (its references still mean
 * something). */
int proxy_target_live(const struct proxy_target *t);

/* Client role, entrypoint thread: closes the session on the peer's node
 * and drops its references and stand-ins on both. */
void proxy_close(struct proxy *p, uint32_t session);

#endif /* REMOTE_RPC_PROXY_H */
