/*
 * Link streams over stream capabilities (remote/stream_cap.h): the
 * kernel's KERR_* become the link's LINK_ERR_*.
 */
#include <stdlib.h>

#include <remote/link.h>
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

static long cap_read(void *ctx, void *buf, size_t n, int timeout_ms)
{
	struct cap_stream *s = ctx;
	return link_result(kstream_read(s->cap, buf, n, timeout_ms));
}

static long cap_write(void *ctx, const void *buf, size_t n, int timeout_ms)
{
	struct cap_stream *s = ctx;
	return link_result(kstream_write(s->cap, buf, n, timeout_ms));
}

static void cap_close(void *ctx)
{
	struct cap_stream *s = ctx;
	kcap_close(s->cap);
	free(s);
}

int stream_cap(kcap_t cap, link_stream_t *out)
{
	struct cap_stream *s = malloc(sizeof *s);
	if (!s) {
		kcap_close(cap);
		return -1;
	}
	s->cap = cap;
	*out = (link_stream_t){ s, cap_read, cap_write, cap_close };
	// cppcheck-suppress memleak ; cap_close() frees it
	return 0;
}
