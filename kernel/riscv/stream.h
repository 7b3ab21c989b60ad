/*
 * Streams (kernel/kernel.h's "streams"): a connected pair of ends, each
 * named by capabilities like any object and handed on by IPC, with a
 * bounded byte ring per direction (STREAM_RING_SIZE). What one end
 * writes, the other reads, in order. Only the root makes pairs (core's
 * Net service keeps one end and pumps it to the wire, a client gets the
 * other); the root may also mark a pair failed (a connection refused or
 * reset), after which both ends read and write KERR_REVOKED.
 *
 * An end is open while a capability names it (a slot or one in flight);
 * when the last goes, the end is closed: what was written to it is
 * dropped, the other end reads what is left and then 0 (the end of the
 * stream), and its writes fail with KERR_REVOKED. A pair is freed, its
 * rings' frames uncharged from its creator, when both ends are closed.
 *
 * A read or write that cannot go on blocks its thread on the end
 * (THREAD_BLOCKED_STREAM); what could let it go on (bytes, room, a close,
 * the failure) makes it run its system call again from the start,
 * decoded anew: a blocked call holds no checked buffer across the wait.
 *
 * Invariants (stream_ok, asserted on each change):
 *   - an end's ring holds `len` <= STREAM_RING_SIZE bytes from `head`
 *     (< STREAM_RING_SIZE), wrapping, in its frames of a used pair;
 *   - a closed end (refs 0) has no bytes, no waitset and no blocked
 *     thread; a pair with both ends closed is free (used 0);
 *   - an end's `reader` is blocked reading it, its `writer` blocked
 *     writing from it into the other end's ring, each with t->stream
 *     pointing back, at most one of each;
 *   - an end in a waitset is listed there, and counts in its `ready`
 *     exactly while it is readable (bytes, the other end closed, or
 *     failed): `noted` says whether it does.
 */
#ifndef RISCV_STREAM_H
#define RISCV_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "thread.h"

#define STREAM_MAX        32u /* pairs, for the whole machine */
#define STREAM_RING_PAGES 4u
#define STREAM_RING_SIZE  (STREAM_RING_PAGES * PAGE_SIZE) /* per direction */
/* What a pair charges its creator: both rings. */
#define STREAM_PAIR_FRAMES (2u * STREAM_RING_PAGES)

struct stream_end;
struct waitset;

/* Whether a pair can be made now: the creation's decode step. */
int stream_available(void);

/* A new pair charged to `owner`, whose ends go into slots by the caller
 * (it checked stream_available(), frames and room in the quota). */
struct stream_end *stream_create(struct pd *owner);
/* The other end of a pair. */
struct stream_end *stream_peer(const struct stream_end *e);

/* Reference counting by capability slots (cap.c); the last drop closes
 * the end. */
void stream_ref(void *e, int delta);

/* What a read or write of `e` may do now, for the decode steps:
 * KERR_REVOKED if the pair failed; the bytes readable (a read) or the
 * room in the other end's ring (a write); 0 with *ended set when the
 * other end is closed (the end of the stream for a read, KERR_REVOKED
 * for a write). */
int stream_failed(const struct stream_end *e);
int stream_peer_closed(const struct stream_end *e);
size_t stream_readable(const struct stream_end *e);
size_t stream_room(const struct stream_end *e);
int stream_has_reader(const struct stream_end *e);
int stream_has_writer(const struct stream_end *e);
int stream_owned_by(const struct stream_end *e, const struct pd *pd);

/* Copies n <= stream_readable() bytes to user memory of `space` at va
 * (checked writable), taking them; wakes the other end's writer. */
void stream_read(struct stream_end *e, const struct vm_space *space,
                 uintptr_t va, size_t n);
/* Copies n <= stream_room() bytes from user memory at va (checked
 * readable) into the other end's ring; wakes its reader and waitset. */
void stream_write(struct stream_end *e, const struct vm_space *space,
                  uintptr_t va, size_t n);

/* Blocks `t` reading or writing `e` until something changes. */
void stream_block_reader(struct stream_end *e, struct thread *t);
void stream_block_writer(struct stream_end *e, struct thread *t);

/* Marks the pair failed: both ends' blocked threads run again and see
 * KERR_REVOKED; both ends become readable (their next read says so). */
void stream_fail(struct stream_end *e);

/* Waitsets (waitset.c): in one, taken out; whether it is readable now
 * (an event to report) and its badge. */
struct waitset *stream_waitset(const struct stream_end *e);
void stream_bind(struct stream_end *e, struct waitset *ws, uint64_t badge);
void stream_unbind(struct stream_end *e);
int stream_event(const struct stream_end *e, uint64_t *badge);

/* A thread leaving a blocked stream call (its timeout, its domain's
 * end). */
void stream_thread_abort(struct thread *t);

/* The pairs charged to a domain that ends are charged to none. */
void stream_disown_all(struct pd *pd);

#endif /* RISCV_STREAM_H */
