/*
 * The in-memory stream pair of stream_pair.h: a ring per direction, the
 * pair's lock held by the thread that runs, and a semaphore per waiting
 * side. A reader of an empty ring (or a writer to a full one) notes that
 * it waits, releases the lock and sleeps on its semaphore; the other
 * thread, which then holds the lock, wakes it when it wrote (read) or
 * closed. Both marks are set and looked at under the lock, so no wake-up
 * is lost. The streams ignore their timeouts but 0 (a look that must not
 * wait): the peer is in the same domain and answers or closes; a link
 * that waited for a peer that never answers would hang this test, which
 * the suite's boot limit ends.
 */
#include "stream_pair.h"

#include <remote/link.h>

#include <runtime/lock.h>
#include <runtime/semaphore.h>

#include <stdlib.h>
#include <string.h>

/* Bytes a direction holds: two windows of a channel (remote/link.h),
 * more than a side sends before it reads. A writer to a full ring waits
 * for its reader; a link writes without reading while it has credit, so
 * two sides that both sent more than the ring holds would wait for each
 * other, as two programs would on a socket's buffers. */
#define RING (2u * LINK_WINDOW)

struct ring {
	unsigned char bytes[RING];
	size_t head, len; /* the oldest byte, how many */
	int closed;       /* the writer closed: no more bytes */
	int reader_gone;  /* the reader closed: bytes are dropped */
	int reader_waits, writer_waits;
	struct semaphore readable, writable;
};

struct end {
	struct stream_pair *pair;
	struct ring *in, *out;
};

struct stream_pair {
	struct lock lock; /* held by the thread that runs */
	struct ring ab, ba;
	struct end a, b;
};

void stream_pair_enter(struct stream_pair *pair)
{
	lock_acquire(&pair->lock);
}

void stream_pair_leave(struct stream_pair *pair)
{
	lock_release(&pair->lock);
}

/* Sleeps on `sem` with the lock released; *waits marks it for the other
 * thread. */
static void sleep_on(struct stream_pair *pair, int *waits,
                     struct semaphore *sem)
{
	*waits = 1;
	lock_release(&pair->lock);
	semaphore_down(sem);
	lock_acquire(&pair->lock);
}

static void wake(int *waits, struct semaphore *sem)
{
	if (*waits) {
		*waits = 0;
		semaphore_up(sem);
	}
}

static long end_read(void *ctx, void *buf, size_t n, int timeout_ms)
{
	struct end *e = ctx;
	struct ring *r = e->in;
	while (r->len == 0 && !r->closed) {
		if (timeout_ms == 0)
			return LINK_ERR_TIMEOUT;
		sleep_on(e->pair, &r->reader_waits, &r->readable);
	}
	size_t got = 0;
	while (got < n && r->len > 0) {
		size_t run = RING - r->head;
		if (run > r->len)
			run = r->len;
		if (run > n - got)
			run = n - got;
		memcpy((unsigned char *)buf + got, r->bytes + r->head, run);
		r->head = (r->head + run) % RING;
		r->len -= run;
		got += run;
	}
	if (got > 0)
		wake(&r->writer_waits, &r->writable);
	return (long)got; /* 0: closed and drained */
}

static long end_write(void *ctx, const void *buf, size_t n, int timeout_ms)
{
	struct end *e = ctx;
	struct ring *r = e->out;
	if (r->closed)
		return LINK_ERR_IO;
	if (r->reader_gone)
		return (long)n; /* as a socket's buffer takes them */
	while (r->len == RING && !r->reader_gone) {
		if (timeout_ms == 0)
			return LINK_ERR_TIMEOUT;
		sleep_on(e->pair, &r->writer_waits, &r->writable);
	}
	size_t put = r->reader_gone ? n : 0;
	while (put < n && r->len < RING) {
		size_t tail = (r->head + r->len) % RING;
		size_t run = RING - tail;
		if (run > RING - r->len)
			run = RING - r->len;
		if (run > n - put)
			run = n - put;
		memcpy(r->bytes + tail, (const unsigned char *)buf + put, run);
		r->len += run;
		put += run;
	}
	wake(&r->reader_waits, &r->readable);
	return (long)put;
}

static void end_close(void *ctx)
{
	struct end *e = ctx;
	e->out->closed = 1;
	wake(&e->out->reader_waits, &e->out->readable);
	/* the peer's writes from now on go nowhere, as bytes sent to a
	 * socket whose peer closed do; one that waits for room goes on */
	e->in->reader_gone = 1;
	wake(&e->in->writer_waits, &e->in->writable);
}

static void ring_init(struct ring *r)
{
	semaphore_init(&r->readable, 0);
	semaphore_init(&r->writable, 0);
}

static link_stream_t end_stream(struct end *e)
{
	return (link_stream_t){ .ctx = e,
		                .read = end_read,
		                .write = end_write,
		                .close = end_close,
		                .wait = NULL };
}

int stream_pair_make(struct stream_pair **pair, link_stream_t *a,
                     link_stream_t *b)
{
	struct stream_pair *p = calloc(1, sizeof(*p));
	if (!p)
		return -1;
	lock_init(&p->lock);
	ring_init(&p->ab);
	ring_init(&p->ba);
	p->a = (struct end){ p, &p->ba, &p->ab };
	p->b = (struct end){ p, &p->ab, &p->ba };
	*a = end_stream(&p->a);
	*b = end_stream(&p->b);
	*pair = p;
	return 0;
}

void stream_pair_free(struct stream_pair *pair)
{
	free(pair);
}
