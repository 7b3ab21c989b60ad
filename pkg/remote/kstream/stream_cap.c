/*
 * Link streams over stream capabilities (remote/stream_cap.h): the
 * kernel's KERR_* become the link's LINK_ERR_*.
 */
#include <stdlib.h>

#include <remote/link.h>
#include <runtime/cap.h>
#include <runtime/stream.h>
#include <remote/stream_cap.h>

struct cap_stream { kcap_t cap; };

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

static void on_close(void *ctx)
{
	struct cap_stream *s = ctx;
	cap_close(s->cap);
	free(s);
}

int stream_cap(kcap_t cap, link_stream_t *out)
{
	struct cap_stream *s = malloc(sizeof *s);
	if (!s) {
		cap_close(cap);
		return -1;
	}
	s->cap = cap;
	*out = (link_stream_t){ s, on_read, on_write, on_close };
	// cppcheck-suppress memleak ; on_close() frees it
	return 0;
}
