/*
 * What a link runs on: a connected byte stream, given as operations so
 * that the same link code runs in a host program over a socket
 * (stream_fd()) and in a component over a stream capability from core's
 * Net service (kernel.h kstream_read/kstream_write; the proxies' adapter).
 */
#ifndef REMOTE_STREAM_H
#define REMOTE_STREAM_H

#include <stddef.h>

typedef struct link_stream {
	void *ctx;
	/* 1..n bytes read or written, 0 at the end of the stream (read),
	 * LINK_ERR_TIMEOUT when nothing moved within timeout_ms (< 0: wait
	 * for ever), another negative LINK_ERR_* when the stream failed */
	long (*read)(void *ctx, void *buf, size_t n, int timeout_ms);
	long (*write)(void *ctx, const void *buf, size_t n, int timeout_ms);
	void (*close)(void *ctx);
	/* Optional (NULL: the stream cannot wait, link_wait() refuses it):
	 * waits until the stream has bytes to read, its end or an error (1),
	 * or its waker fired (0: whatever the stream's maker named as waker,
	 * e.g. a signal to the link thread), or timeout_ms passed
	 * (LINK_ERR_TIMEOUT; < 0: never); another negative LINK_ERR_* when
	 * the wait itself failed. */
	int (*wait)(void *ctx, int timeout_ms);
} link_stream_t;

/* A stream over a connected socket descriptor (taken: closed by close()).
 * It waits for its descriptor only (it has no waker). 0, or -1 when out
 * of memory (fd is closed then too). */
int stream_fd(int fd, link_stream_t *out);

#endif /* REMOTE_STREAM_H */
