/*
 * Two link streams (pkg/remote/link/include/remote/stream.h) joined in
 * memory, for two threads of one domain: what one end writes the other
 * reads. OpenSSL on riscv is built without threads (mk/openssl-riscv.mk),
 * so the pair is also the one lock that lets only one of the two threads
 * run at a time: each holds stream_pair_enter() while it uses OpenSSL and
 * the link, and the lock passes to the other thread only while one waits
 * in its stream for bytes or room.
 */
#ifndef TESTS_RISCV_STREAM_PAIR_H
#define TESTS_RISCV_STREAM_PAIR_H

#include <remote/stream.h>

struct stream_pair;

/* A pair and its two ends (a's writes are b's reads and back). 0, or -1
 * when out of memory. An end's close() ends its direction (the other end
 * reads the end of the stream) and drops what the other end writes from
 * then on, as a socket's peer would: the writer learns of the close by
 * reading. */
int stream_pair_make(struct stream_pair **pair, link_stream_t *a,
                     link_stream_t *b);

/* The calling thread runs (blocks until the other thread waits or left). */
void stream_pair_enter(struct stream_pair *pair);

/* The calling thread stops running; the other one may go on. */
void stream_pair_leave(struct stream_pair *pair);

/* Frees the pair once neither thread uses its ends. */
void stream_pair_free(struct stream_pair *pair);

#endif /* TESTS_RISCV_STREAM_PAIR_H */
