/*
 * Streams (stream.h), from a fixed pool of pairs like endpoints (ipc.c);
 * the pool is global state with a reason: one kernel. A ring's frames
 * come from the frame allocator when the pair is made and are charged
 * to its creator (the root: core's Net service) until both ends are
 * closed; the kernel reaches them by their physical address, which its
 * own space maps as it is (vm.h).
 */
#include "stream.h"

#include "frame.h"
#include "kernel/kernel.h"
#include "page.h"
#include "panic.h"
#include "vm.h"
#include "waitset.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n);

struct stream_end {
	unsigned refs; /* capabilities naming it; 0: closed */
	struct stream_pair *pair;
	/* The bytes flowing to this end: written by the other, read here. */
	uintptr_t frame[STREAM_RING_PAGES];
	uint32_t head, len;
	struct thread *reader, *writer; /* blocked on it (stream.h) */
	struct waitset *ws;             /* the waitset it is in, or 0 */
	uint64_t badge;
	int noted; /* counted in ws->ready (stream.h) */
};

struct stream_pair {
	int used;
	int failed;
	struct pd *owner; /* charged for the rings, or 0 */
	struct stream_end end[2];
};

static struct stream_pair pairs[STREAM_MAX];

static int end_ok(const struct stream_end *e)
{
	if (e->head >= STREAM_RING_SIZE || e->len > STREAM_RING_SIZE)
		return 0;
	if (e->reader && (e->reader->state != THREAD_BLOCKED_STREAM ||
	                  e->reader->stream != e))
		return 0;
	if (e->writer && (e->writer->state != THREAD_BLOCKED_STREAM ||
	                  e->writer->stream != e))
		return 0;
	if (!e->refs && (e->len || e->ws || e->reader || e->writer))
		return 0;
	return !e->noted || e->ws;
}

/* stream.h's invariants for the pair of `e`. */
static int pair_ok(const struct stream_end *e)
{
	const struct stream_pair *p = e->pair;
	return p->used && (p->end[0].refs || p->end[1].refs) &&
	       end_ok(&p->end[0]) && end_ok(&p->end[1]);
}

int stream_available(void)
{
	for (unsigned i = 0; i < STREAM_MAX; i++)
		if (!pairs[i].used)
			return 1;
	return 0;
}

struct stream_end *stream_create(struct pd *owner)
{
	for (unsigned i = 0; i < STREAM_MAX; i++) {
		struct stream_pair *p = &pairs[i];
		if (p->used)
			continue;
		*p = (struct stream_pair){ .used = 1, .owner = owner };
		for (unsigned e = 0; e < 2; e++) {
			p->end[e].pair = p;
			for (unsigned f = 0; f < STREAM_RING_PAGES; f++) {
				p->end[e].frame[f] = page_alloc();
				KASSERT(p->end[e].frame[f]);
			}
		}
		pd_charge(owner, STREAM_PAIR_FRAMES);
		return &p->end[0];
	}
	PANIC("stream_create without a free pair");
}

struct stream_end *stream_peer(const struct stream_end *e)
{
	struct stream_pair *p = e->pair;
	return &p->end[e == &p->end[0]];
}

int stream_failed(const struct stream_end *e)
{
	return e->pair->failed;
}

int stream_peer_closed(const struct stream_end *e)
{
	return stream_peer(e)->refs == 0;
}

size_t stream_readable(const struct stream_end *e)
{
	return e->len;
}

size_t stream_room(const struct stream_end *e)
{
	return STREAM_RING_SIZE - stream_peer(e)->len;
}

int stream_has_reader(const struct stream_end *e)
{
	return e->reader != 0;
}

int stream_has_writer(const struct stream_end *e)
{
	return e->writer != 0;
}

int stream_owned_by(const struct stream_end *e, const struct pd *pd)
{
	return e->pair->owner == pd;
}

/* Whether a read of `e` would return at once: bytes, the end, the
 * failure (kernel.h: what a waitset reports as KEVENT_STREAM). */
static int readable(const struct stream_end *e)
{
	return e->len || stream_peer_closed(e) || e->pair->failed;
}

/* A thread blocked on a stream call runs the call again (stream.h):
 * back to its ecall (4 bytes, there is no compressed form), its
 * argument registers as they were. */
static void restart(struct thread *t)
{
	KASSERT(t->state == THREAD_BLOCKED_STREAM);
	t->stream = 0;
	t->frame.sepc -= 4;
	t->state = THREAD_RUNNABLE;
	t->deadline = 0;
	sched_note_runnable(t);
}

static void restart_reader(struct stream_end *e)
{
	if (e->reader)
		restart(e->reader);
	e->reader = 0;
}

static void restart_writer(struct stream_end *e)
{
	if (e->writer)
		restart(e->writer);
	e->writer = 0;
}

/* After a change that may make `e` readable or no longer: its count in
 * its waitset's `ready`, the waitset's waiter told, a reader woken. */
static void changed(struct stream_end *e)
{
	int now = e->refs && readable(e);
	if (e->ws && now != e->noted) {
		waitset_note_ready(e->ws, now ? 1 : -1);
		e->noted = now;
	}
	if (!now)
		return;
	restart_reader(e);
	struct thread *w = e->ws ? waitset_take_waiter(e->ws) : 0;
	if (w) {
		w->frame.x[REG_A1] = KEVENT_STREAM;
		w->frame.x[REG_A2] = e->badge;
		w->frame.x[REG_A3] = 1;
		thread_wake(w, 0);
	}
}

/* The ring position `pos` of `e` in the kernel's space. */
static char *ring_at(const struct stream_end *e, uint32_t pos)
{
	return (char *)(e->frame[pos / PAGE_SIZE] + pos % PAGE_SIZE);
}

/* Copies n bytes between the ring of `e` from position `pos` and user
 * memory at va, a piece at a time: each piece within one user page and
 * one ring frame. `to_user` says the direction. */
static void copy_ring(const struct stream_end *e, uint32_t pos,
                      const struct vm_space *space, uintptr_t va, size_t n,
                      int to_user)
{
	while (n) {
		size_t piece = PAGE_SIZE - va % PAGE_SIZE;
		size_t in_frame = PAGE_SIZE - pos % PAGE_SIZE;
		piece = piece < in_frame ? piece : in_frame;
		piece = piece < n ? piece : n;
		char *user = (char *)vm_user_to_kernel(space, va);
		KASSERT(user);
		if (to_user)
			memcpy(user, ring_at(e, pos), piece);
		else
			memcpy(ring_at(e, pos), user, piece);
		pos = (uint32_t)((pos + piece) % STREAM_RING_SIZE);
		va += piece;
		n -= piece;
	}
}

void stream_read(struct stream_end *e, const struct vm_space *space,
                 uintptr_t va, size_t n)
{
	KASSERT(pair_ok(e) && e->refs && n <= e->len);
	copy_ring(e, e->head, space, va, n, 1);
	e->head = (uint32_t)((e->head + n) % STREAM_RING_SIZE);
	e->len -= (uint32_t)n;
	restart_writer(stream_peer(e)); /* room now */
	changed(e);
	KASSERT(pair_ok(e));
}

void stream_write(struct stream_end *e, const struct vm_space *space,
                  uintptr_t va, size_t n)
{
	struct stream_end *to = stream_peer(e);
	KASSERT(pair_ok(e) && e->refs && to->refs &&
	        n <= STREAM_RING_SIZE - to->len);
	copy_ring(to, (uint32_t)((to->head + to->len) % STREAM_RING_SIZE),
	          space, va, n, 0);
	to->len += (uint32_t)n;
	changed(to);
	KASSERT(pair_ok(e));
}

void stream_block_reader(struct stream_end *e, struct thread *t)
{
	KASSERT(!e->reader && !readable(e) && t->state == THREAD_RUNNABLE);
	t->state = THREAD_BLOCKED_STREAM;
	t->stream = e;
	e->reader = t;
}

void stream_block_writer(struct stream_end *e, struct thread *t)
{
	KASSERT(!e->writer && stream_room(e) == 0 &&
	        t->state == THREAD_RUNNABLE);
	t->state = THREAD_BLOCKED_STREAM;
	t->stream = e;
	e->writer = t;
}

void stream_fail(struct stream_end *e)
{
	struct stream_pair *p = e->pair;
	p->failed = 1;
	for (unsigned i = 0; i < 2; i++) {
		restart_writer(&p->end[i]);
		changed(&p->end[i]);
	}
	KASSERT(pair_ok(e));
}

struct waitset *stream_waitset(const struct stream_end *e)
{
	return e->ws;
}

void stream_bind(struct stream_end *e, struct waitset *ws, uint64_t badge)
{
	KASSERT(e->refs && !e->ws);
	e->ws = ws;
	e->badge = badge;
	e->noted = 0;
	waitset_list_stream(ws, e);
	changed(e);
}

void stream_unbind(struct stream_end *e)
{
	if (!e->ws)
		return;
	if (e->noted)
		waitset_note_ready(e->ws, -1);
	waitset_forget_stream(e->ws, e);
	e->ws = 0;
	e->badge = 0;
	e->noted = 0;
}

int stream_event(const struct stream_end *e, uint64_t *badge)
{
	*badge = e->badge;
	return e->noted;
}

/* The last capability of `e` went: it closes (stream.h). A thread of a
 * holder still blocked on it runs its call again and finds no stream. */
static void close_end(struct stream_end *e)
{
	struct stream_pair *p = e->pair;
	stream_unbind(e);
	restart_reader(e);
	restart_writer(e);
	e->len = 0;
	e->head = 0;
	struct stream_end *peer = stream_peer(e);
	restart_writer(peer); /* its writes fail now */
	changed(peer);        /* it reads the end */
	if (peer->refs) {
		KASSERT(pair_ok(e));
		return;
	}
	for (unsigned i = 0; i < 2; i++)
		for (unsigned f = 0; f < STREAM_RING_PAGES; f++)
			page_free(p->end[i].frame[f]);
	if (p->owner)
		pd_uncharge(p->owner, STREAM_PAIR_FRAMES);
	*p = (struct stream_pair){ 0 };
}

void stream_ref(void *obj, int delta)
{
	struct stream_end *e = obj;
	KASSERT(delta > 0 || e->refs > 0);
	e->refs += (unsigned)delta;
	if (!e->refs)
		close_end(e);
}

void stream_thread_abort(struct thread *t)
{
	struct stream_end *e = t->stream;
	if (t->state == THREAD_BLOCKED_STREAM) {
		if (e->reader == t)
			e->reader = 0;
		if (e->writer == t)
			e->writer = 0;
	}
	t->stream = 0;
}

void stream_disown_all(struct pd *pd)
{
	for (unsigned i = 0; i < STREAM_MAX; i++)
		if (pairs[i].used && pairs[i].owner == pd) {
			pd_uncharge(pd, STREAM_PAIR_FRAMES);
			pairs[i].owner = 0;
		}
}
