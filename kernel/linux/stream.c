/*
 * Streams of the kernel interface on Linux (kernel.h, "streams"): a
 * stream capability is a TCP socket that core connected (its Net
 * service) and passed on like any capability. A component reads and
 * writes it with recv()/send() and waits with poll(), which its seccomp
 * policy allows; it cannot make one (socket() and connect() are refused),
 * so the peers it reaches are the ones core's policy gave it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "kernel/kernel.h"
#include "error.h"

/* Waits until the stream is ready for `events`: 0, or a KERR_*. */
static int stream_wait(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t deadline = timeout_ms < 0 ? -1
	                                  : (int64_t)(kclock_ns() / 1000000) +
	                                            timeout_ms;
	for (;;) {
		int left = -1, n;
		if (deadline >= 0) {
			int64_t now = (int64_t)(kclock_ns() / 1000000);
			left = now >= deadline ? 0 : (int)(deadline - now);
		}
		n = poll(&p, 1, left);
		if (n > 0)
			return 0; /* ready, or an error the next call reports */
		if (n == 0)
			return KERR_TIMEOUT;
		if (errno != EINTR)
			return kerr_from_errno(errno);
	}
}

/* A failed connection is the stream's peer gone: KERR_REVOKED, as for a
 * dead server. */
static long stream_error(int err)
{
	switch (err) {
	case ECONNREFUSED:
	case ECONNRESET:
	case ECONNABORTED:
	case EPIPE:
	case ETIMEDOUT:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ENOTCONN:
	case ENETDOWN:
	case EHOSTDOWN:
		return KERR_REVOKED;
	default:
		return kerr_from_errno(err);
	}
}

long kstream_read(kcap_t cap, void *buf, size_t n, int timeout_ms)
{
	if (kcap_type(cap) != KCAP_TYPE_STREAM)
		return KERR_WRONG_TYPE;
	if (!buf || n == 0)
		return KERR_INVALID;
	for (;;) {
		ssize_t got = recv(cap.sel, buf, n, MSG_DONTWAIT);
		int rc;
		if (got >= 0)
			return got;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return stream_error(errno);
		rc = stream_wait(cap.sel, POLLIN, timeout_ms);
		if (rc)
			return rc;
	}
}

long kstream_write(kcap_t cap, const void *buf, size_t n, int timeout_ms)
{
	if (kcap_type(cap) != KCAP_TYPE_STREAM)
		return KERR_WRONG_TYPE;
	if (!buf || n == 0)
		return KERR_INVALID;
	for (;;) {
		/* MSG_NOSIGNAL: a closed peer is an error, never SIGPIPE */
		ssize_t put = send(cap.sel, buf, n,
		                   MSG_DONTWAIT | MSG_NOSIGNAL);
		int rc;
		if (put >= 0)
			return put;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return stream_error(errno);
		rc = stream_wait(cap.sel, POLLOUT, timeout_ms);
		if (rc)
			return rc;
	}
}
