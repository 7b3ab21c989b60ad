/*
 * Endpoints and synchronous IPC: call, receive, reply. A message is four
 * words in registers (a2..a5) and at most one capability; the kernel
 * copies it from frame to frame and never looks into it. The owner of an
 * endpoint (the domain that created it) is the only one that receives on
 * it; everyone holding a capability to it may call.
 *
 * A call blocks the caller until a receiver takes it (BLOCKED_SEND, in the
 * endpoint's FIFO queue) and then until the receiver replies
 * (BLOCKED_REPLY). A receiver holds at most one caller to reply to (like
 * seL4's reply capability): receiving again drops the previous one.
 *
 * Invariants:
 *   - a thread is in an endpoint's queue iff it is BLOCKED_SEND on it;
 *   - t->server == s iff s->reply_to == t (one caller per server thread);
 *   - an endpoint has at most one waiting receiver, a thread of its owner;
 *   - a dead endpoint has an empty queue and no receiver; its object is
 *     reused once no capability names it (refs == 0);
 *   - a capability in flight (t->xfer) holds a reference of its own.
 */
#ifndef RISCV_IPC_H
#define RISCV_IPC_H

#include <stdint.h>

#include "cap.h"
#include "thread.h"

struct endpoint;

/* Whether an endpoint object is free for ipc_endpoint_create(). */
int ipc_endpoint_available(void);
/* A new endpoint owned by `owner` (the caller checked availability). */
struct endpoint *ipc_endpoint_create(struct pd *owner);
int ipc_endpoint_alive(const struct endpoint *ep);
int ipc_endpoint_owned_by(const struct endpoint *ep, const struct pd *pd);
int ipc_endpoint_has_receiver(const struct endpoint *ep);

/* Reference counting by capability slots (cap.c). */
void endpoint_ref(void *ep, int delta);

/* The invoke steps; the system calls' decode steps (syscall.c) have
 * checked the endpoint is alive and the caller's right to the operation.
 * Each returns the thread that should run next (the one just made
 * runnable for a direct switch), or 0 to let the scheduler choose. */
struct thread *ipc_call(struct thread *caller, struct endpoint *ep,
                        const struct cap *xfer);
struct thread *ipc_recv(struct thread *receiver, struct endpoint *ep);
struct thread *ipc_reply(struct thread *server);

/* Cleanup when a domain ends: every thread of it leaves IPC (callers it
 * owed a reply see KERR_REVOKED), then every endpoint it owns dissolves
 * (queued callers see KERR_REVOKED). */
void ipc_thread_abort(struct thread *t);
void ipc_dissolve_owned(const struct pd *pd);

#endif /* RISCV_IPC_H */
