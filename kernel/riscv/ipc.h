/*
 * Endpoints and synchronous IPC: call, receive, reply. A message comes in
 * one of two forms (abi.h): four words in registers (a2..a5) and at most
 * one capability, or the kernel interface's kmsg_t (up to KMSG_MAX_BYTES
 * and KMSG_MAX_CAPS) copied from the sender's memory into the receiver's.
 * The kernel never looks into a message. The owner of an endpoint (the
 * domain that created it) is the only one that receives on it, directly
 * (SYS_RECV, register form) or through a waitset (waitset.h, kmsg_t
 * form); everyone holding a capability to it may call.
 *
 * A call blocks the caller until a receiver takes it (BLOCKED_SEND, in the
 * endpoint's FIFO queue) and then until the receiver replies
 * (BLOCKED_REPLY). A receiver holds at most one caller to reply to (like
 * seL4's reply capability): the next request it receives drops the
 * previous one (SYS_RECV drops it at once); waiting for a signal meanwhile
 * does not.
 *
 * Invariants:
 *   - a thread is in an endpoint's queue iff it is BLOCKED_SEND on it;
 *   - t->server == s iff s->reply_to == t (one caller per server thread);
 *   - an endpoint has at most one waiting receiver, a thread of its owner,
 *     and then it is in no waitset;
 *   - a dead endpoint has an empty queue, no receiver and no waitset; its
 *     object is reused at once: every capability that named it names the
 *     tombstone from then on (a dead endpoint for good, never reused,
 *     whose references are not counted), so it has no references
 *     (refs == 0; the count of those moved is asserted to be refs).
 *     Before, a selector kept the dissolved endpoint from reuse, and a
 *     client that never closed the selectors of its closed sessions took
 *     the machine's endpoints from every server (scenario 41's reporter
 *     on riscv: core could serve no session after 187);
 *   - capabilities in flight (t->xfer[0..nxfer)) hold references of their
 *     own;
 *   - a message buffer a blocked thread names (msg_out, msg_in) is checked
 *     again before the kernel touches it, since another thread of its
 *     domain may have unmapped it meanwhile (kmem_unmap): the thread whose
 *     buffer is gone fails with KERR_INVALID, its partner is not harmed.
 */
#ifndef RISCV_IPC_H
#define RISCV_IPC_H

#include <stddef.h>
#include <stdint.h>

#include "cap.h"
#include "thread.h"

struct endpoint;
struct waitset;

/* The head of a kmsg_t (kernel/kernel.h): what the kernel reads and
 * writes of one besides the data, without a 4 KiB copy on its stack. */
struct kmsg_head {
	uint32_t size;
	uint32_t cap_count;
	kcap_t caps[KMSG_MAX_CAPS];
};
_Static_assert(sizeof(struct kmsg_head) == offsetof(kmsg_t, data),
               "kmsg_t head");
_Static_assert(offsetof(struct kmsg_head, caps) == offsetof(kmsg_t, caps),
               "kmsg_t head");

/* Whether an endpoint object is free for ipc_endpoint_create(). */
int ipc_endpoint_available(void);
/* A new endpoint owned by `owner` (the caller checked availability). */
struct endpoint *ipc_endpoint_create(struct pd *owner);
int ipc_endpoint_alive(const struct endpoint *ep);
int ipc_endpoint_owned_by(const struct endpoint *ep, const struct pd *pd);
int ipc_endpoint_has_receiver(const struct endpoint *ep);
struct waitset *ipc_endpoint_waitset(const struct endpoint *ep);

/* Reference counting by capability slots (cap.c). */
void endpoint_ref(void *ep, int delta);

/* The invoke steps; the system calls' decode steps (syscall.c) have
 * checked the endpoint is alive, the caller's right to the operation and
 * the message buffers. Each returns the thread that should run next (the
 * one just made runnable for a direct switch), or 0 to let the scheduler
 * choose. For a call in the kmsg_t form the caller's long_form, msg_out,
 * msg_size and msg_in are set. */
struct thread *ipc_call(struct thread *caller, struct endpoint *ep,
                        const struct cap *const *xfer, unsigned nxfer);
struct thread *ipc_recv(struct thread *receiver, struct endpoint *ep);
struct thread *ipc_reply(struct thread *server);
/* A reply in the kmsg_t form: `size` bytes at `msg` in the server's
 * space and the capabilities `caps`, which the caller gets copies of
 * as far as its capability space has room (KCAP_INVALID beyond). */
struct thread *ipc_reply_long(struct thread *server, uintptr_t msg,
                              uint32_t size, const struct cap *const *caps,
                              unsigned ncaps);
/* The caller `server` owes a reply sees KERR_REVOKED. */
void ipc_reply_drop(struct thread *server);

/* The fast path (seL4's idea), tried before the system-call table: a
 * SYS_CALL without a capability to an endpoint whose receiver waits in
 * the register form, and a SYS_REPLY_RECV whose caller waits in that form
 * and whose endpoint has no queued caller. Same effects as the table's
 * path; the conditions rule out every failure its decode steps check.
 * Returns the partner to switch to, or 0 (nothing done: the table
 * decides). */
struct thread *ipc_fastpath(struct thread *t);

/* The fast path of the kmsg form, which libkernel and so libruntime
 * use: a SYS_MCALL whose request (without capabilities, at most
 * IPCBUF_FIRST_BYTES) and reply buffer are the two halves of the
 * caller's IPC buffer, to an endpoint whose waitset's waiter receives
 * into its buffer's inbox and owes no reply; a SYS_REPLY_WAIT whose
 * reply (the same bounds) and inbox are the halves of the server's
 * buffer, to a caller receiving into its own inbox, on a waitset of the
 * server's that no thread waits on and where nothing is pending (the
 * server blocks), not a poll and not canceled. Same effects as the
 * table's path; the conditions rule out every failure its decode steps
 * check. Returns the thread to switch to, or 0 (nothing done). */
struct thread *ipc_fastpath_kmsg(struct thread *t);

/* Waitsets (waitset.c): adding and removing an endpoint, and the next
 * queued caller of an endpoint in `ws` delivered to `receiver` (0 if
 * none is queued). */
void ipc_endpoint_bind(struct endpoint *ep, struct waitset *ws, uint64_t badge);
void ipc_endpoint_unbind(struct endpoint *ep);
/* The next queued caller of `ep` delivered to `receiver` (1), or 0. */
int ipc_deliver_queued(struct endpoint *ep, struct thread *receiver);

/* A call of `t` whose deadline came: out of the endpoint's queue, or
 * forgotten by its server (a late reply is dropped). Nothing for other
 * states. The caller wakes `t` with KERR_TIMEOUT. */
void ipc_timeout(struct thread *t);

/* Dissolves one endpoint: queued callers see KERR_REVOKED. */
void ipc_endpoint_dissolve(struct endpoint *ep);

/* Cleanup when a domain ends: every thread of it leaves IPC (callers it
 * owed a reply see KERR_REVOKED), then every endpoint it owns dissolves
 * (queued callers see KERR_REVOKED). */
void ipc_thread_abort(struct thread *t);
unsigned ipc_dissolve_owned(const struct pd *pd);

#endif /* RISCV_IPC_H */
