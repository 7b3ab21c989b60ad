/*
 * The entrypoint of libruntime: one thread that serves many RPC objects and
 * dispatches signals to their handlers, all over one kernel waitset, so a
 * server's code runs on one thread and needs no locking of its own.
 *
 * Objects are managed and dissolved from any thread. From a foreign thread
 * the entrypoint thread itself does the work (the call waits for it), so an
 * object is never dissolved while one of its operations runs; from inside an
 * operation or handler (on the entrypoint thread) it happens at once.
 * After entrypoint_dissolve() returns, no operation of the object runs any
 * more and every capability to it is revoked: calls fail with KERR_REVOKED.
 */
#ifndef RUNTIME_ENTRYPOINT_H
#define RUNTIME_ENTRYPOINT_H

#include <stdint.h>

#include <kernel/kernel.h>
#include <runtime/rpc.h>

/* Starts an entrypoint thread named `name`; 0 or a KERR_*. */
int entrypoint_create(entrypoint_t **ep, const char *name);

/* Stops the thread and frees the entrypoint. Every object and signal
 * handler must have been dissolved before. */
void entrypoint_destroy(entrypoint_t *ep);

/*
 * Serves `obj` with `ops` (the typed ops struct of `iface`, as rpcgen
 * generates it; the NAME_manage() helper of a generated header fills in
 * both). On success *cap is a capability invoking the object; it is the
 * caller's, and stays valid (or rather: revoked) after dissolve until
 * closed.
 */
int entrypoint_manage(entrypoint_t *ep, rpc_object_t *obj,
                      const rpc_interface_t *iface, const void *ops,
                      kcap_t *cap);

/* Revokes the object's capabilities and stops serving it. */
void entrypoint_dissolve(rpc_object_t *obj);

/* Whether `cap` invokes an object of `ep` (then *obj is that object). The
 * way a server recognises one of its own objects handed back to it. Only
 * meaningful on the entrypoint thread, or while nothing dissolves. */
int entrypoint_lookup(entrypoint_t *ep, kcap_t cap, rpc_object_t **obj);

/*
 * A signal source whose signals the entrypoint dispatches: handler(arg,
 * count) runs on the entrypoint thread with the number of submits since its
 * last call. Used by the signal dispatcher of runtime/signal.h.
 */
typedef struct entrypoint_signal {
	void (*handler)(void *arg, uint32_t count);
	void *arg;
	entrypoint_t *ep;
	ksignal_source_t *source;
} entrypoint_signal_t;

/* Starts dispatching: *cap is a capability that submits to it (the
 * caller's to close). */
int entrypoint_manage_signal(entrypoint_t *ep, entrypoint_signal_t *sig,
                             void (*handler)(void *arg, uint32_t count),
                             void *arg, kcap_t *cap);

/* Stops dispatching and destroys the source: submits fail with
 * KERR_REVOKED. */
void entrypoint_dissolve_signal(entrypoint_signal_t *sig);

#endif /* RUNTIME_ENTRYPOINT_H */
