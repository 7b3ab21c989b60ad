/*
 * Link streams over stream capabilities (remote/stream_cap.h): the
 * kernel's KERR_* become the link's LINK_ERR_*. The wait is the
 * receiver's: the stream is watched as one more of its contexts, so
 * the link thread sleeps until the peer sent bytes or someone submitted
 * a signal to it, and never wakes for nothing.
 */
#include <stdlib.h>

#include <remote/link.h>
#include <runtime/cap.h>
#include <runtime/stream.h>
#include <remote/stream_cap.h>

struct cap_stream {
	kcap_t cap;
	signal_receiver_t *rx;     /* NULL: no wait */
	signal_context_t readable; /* the stream's name in rx */
};

static long link_result(long r)
{
	if (r >= 0)
		return r;
	if (r == KERR_TIMEOUT)
		return LINK_ERR_TIMEOUT;
	return r == KERR_REVOKED ? LINK_ERR_CLOSED : LINK_ERR_IO;
}

static long on_read(void *ctx, void *buf, size_t n, int timeout_ms)
{
	struct cap_stream *s = ctx;
	return link_result(stream_read(s->cap, buf, n, timeout_ms));
}

static long on_write(void *ctx, const void *buf, size_t n, int timeout_ms)
{
	struct cap_stream *s = ctx;
	return link_result(stream_write(s->cap, buf, n, timeout_ms));
}

static int on_wait(void *ctx, int timeout_ms)
{
	struct cap_stream *s = ctx;
	signal_t sig;
	int rc = signal_receiver_wait(s->rx, &sig, timeout_ms);
	if (rc == KERR_TIMEOUT)
		return LINK_ERR_TIMEOUT;
	if (rc)
		return LINK_ERR_IO;
	return sig.context == &s->readable ? 1 : 0;
}

static void on_close(void *ctx)
{
	struct cap_stream *s = ctx;
	if (s->rx)
		signal_receiver_unwatch_stream(s->rx, s->cap);
	cap_close(s->cap);
	free(s);
}

int stream_cap(kcap_t cap, signal_receiver_t *rx, link_stream_t *out)
{
	struct cap_stream *s = malloc(sizeof *s);
	if (!s || (rx && signal_receiver_watch_stream(rx, &s->readable, cap))) {
		free(s);
		cap_close(cap);
		return -1;
	}
	s->cap = cap;
	s->rx = rx;
	*out = (link_stream_t){ s, on_read, on_write, on_close,
		                rx ? on_wait : NULL };
	// cppcheck-suppress memleak ; on_close() frees it
	return 0;
}
