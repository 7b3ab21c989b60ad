/*
 * A link stream over a socket descriptor (remote/stream.h), for host
 * programs and tests: non-blocking recv/send and poll() for the waits;
 * MSG_NOSIGNAL, so a closed peer is an error rather than SIGPIPE.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <remote/link.h>
#include <remote/stream.h>

#include "tls.h"

struct fd_stream {
	int fd;
};

static int wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t deadline = timeout_ms < 0 ? -1 : tls_now_ms() + timeout_ms;
	for (;;) {
		int left = -1, n;
		if (deadline >= 0) {
			int64_t now = tls_now_ms();
			left = now >= deadline ? 0 : (int)(deadline - now);
		}
		n = poll(&p, 1, left);
		if (n > 0)
			return 0;
		if (n == 0)
			return LINK_ERR_TIMEOUT;
		if (errno != EINTR)
			return LINK_ERR_IO;
	}
}

static long fd_read(void *ctx, void *buf, size_t n, int timeout_ms)
{
	struct fd_stream *s = ctx;
	for (;;) {
		ssize_t got = recv(s->fd, buf, n, MSG_DONTWAIT);
		int rc;
		if (got >= 0)
			return got;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return errno == ECONNRESET ? LINK_ERR_CLOSED
			                           : LINK_ERR_IO;
		if ((rc = wait_fd(s->fd, POLLIN, timeout_ms)) != 0)
			return rc;
	}
}

static long fd_write(void *ctx, const void *buf, size_t n, int timeout_ms)
{
	struct fd_stream *s = ctx;
	for (;;) {
		ssize_t put = send(s->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		int rc;
		if (put >= 0)
			return put;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return errno == EPIPE || errno == ECONNRESET
			               ? LINK_ERR_CLOSED
			               : LINK_ERR_IO;
		if ((rc = wait_fd(s->fd, POLLOUT, timeout_ms)) != 0)
			return rc;
	}
}

static int fd_wait(void *ctx, int timeout_ms)
{
	struct fd_stream *s = ctx;
	int rc = wait_fd(s->fd, POLLIN, timeout_ms);
	return rc ? rc : 1;
}

static void fd_close(void *ctx)
{
	struct fd_stream *s = ctx;
	close(s->fd);
	free(s);
}

int stream_fd(int fd, link_stream_t *out)
{
	struct fd_stream *s = malloc(sizeof *s);
	if (!s) {
		close(fd);
		return -1;
	}
	s->fd = fd;
	*out = (link_stream_t){ s, fd_read, fd_write, fd_close, fd_wait };
	// cppcheck-suppress memleak ; fd_close() frees it
	return 0;
}
