/*
 * Waitsets: what a server thread blocks on (kernel/kernel.h's kwaitset_t).
 * Endpoints and signals of the owner, and stream ends it holds, are added
 * to one, each with a badge (the kernel interface's cookie) that comes
 * back with the event; a thread of the owner waits on it for the next
 * request, signal count or readable stream. Requests
 * arrive in the kmsg_t form (abi.h). Waitsets are named by their index in
 * the pool; the decode steps check the caller's domain owns the one named.
 *
 * Invariants:
 *   - a waitset has at most one waiting thread, of its owner, BLOCKED_WS
 *     with t->ws pointing back;
 *   - while a thread waits, no endpoint added has a queued caller and no
 *     signal added has a count (either would have woken it);
 *   - an endpoint or signal is in at most one waitset, of its owner, and
 *     then in that waitset's member list (ep->ws == ws iff ep is listed),
 *     which is what a wait scans;
 *   - a stream end is in at most one waitset, listed there likewise;
 *   - `ready` counts the members with something pending: endpoints whose
 *     queue is not empty, signals whose count is not 0 and stream ends
 *     that are readable (stream.h; reported for as long as they are,
 *     so a wait with one returns at once). Each change of
 *     either between empty and not, and each adding and removing, notes
 *     it (waitset_note_ready); a wait with `ready` 0 blocks without a scan
 *     (while a thread waits it is 0, between system calls), and a scan
 *     that finds nothing asserts it is 0.
 */
#ifndef RISCV_WAITSET_H
#define RISCV_WAITSET_H

#include <stdint.h>

#include "panic.h"
#include "thread.h"

#define WAITSET_PER_PD 3u /* an entrypoint's, and two more (README.md) */
#define WAITSET_MAX (WAITSET_PER_PD * PD_MAX)
#define WAITSET_MEMBERS 64u   /* endpoints, signals and streams, each */

struct endpoint;
struct signal;
struct stream_end;

struct waitset {
	int alive;
	const struct pd *owner;
	struct thread *waiter;
	struct endpoint *ep[WAITSET_MEMBERS];
	struct signal *sig[WAITSET_MEMBERS];
	struct stream_end *st[WAITSET_MEMBERS];
	unsigned neps, nsigs, nsts;
	unsigned ready; /* members with something pending (above) */
};

/* A member of `ws` (if not 0) has something pending now (+1) or no
 * longer (-1): its queue or count went from empty to not or back. */
static inline void waitset_note_ready(struct waitset *ws, int delta)
{
	if (!ws)
		return;
	KASSERT(delta > 0 || ws->ready > 0);
	ws->ready += (unsigned)delta;
}

int waitset_available(void);
/* A new waitset of `owner` (the caller checked availability); its id. */
int waitset_create(const struct pd *owner);
/* The live waitset of `pd` that `id` names, or 0. */
struct waitset *waitset_lookup(const struct pd *pd, uint64_t id);

/* The member lists: room for one more (decode), adding, forgetting (the
 * endpoint's or signal's own unbinding calls it). */
enum waitset_kind { WAITSET_ENDPOINT, WAITSET_SIGNAL, WAITSET_STREAM };
int waitset_has_room(const struct waitset *ws, enum waitset_kind kind);
void waitset_list_endpoint(struct waitset *ws, struct endpoint *ep);
void waitset_list_signal(struct waitset *ws, struct signal *s);
void waitset_list_stream(struct waitset *ws, struct stream_end *e);
void waitset_forget_endpoint(struct waitset *ws, const struct endpoint *ep);
void waitset_forget_signal(struct waitset *ws, const struct signal *s);
void waitset_forget_stream(struct waitset *ws, const struct stream_end *e);

/* A queued caller of a member endpoint delivered to `receiver`, who
 * then runs with it: `receiver`, or 0 if none is queued. */
struct thread *waitset_take_queued(struct waitset *ws, struct thread *receiver);

/* Removes what was added and wakes a waiter with KERR_INVALID. */
void waitset_destroy(struct waitset *ws);

/* Takes the waiting thread off the waitset (it is about to get an event)
 * and returns it, or 0 if none waits. */
struct thread *waitset_take_waiter(struct waitset *ws);

/* The wait itself: a signal count or a queued request at once, else `t`
 * blocks with its message going to msg_in. Returns the thread to run. */
struct thread *waitset_wait(struct thread *t, struct waitset *ws,
                            uintptr_t msg_in);

void waitset_thread_abort(struct thread *t);
unsigned waitset_dissolve_owned(const struct pd *pd);

#endif /* RISCV_WAITSET_H */
