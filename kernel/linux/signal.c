/*
 * Signal sources of the kernel interface on Linux. A source is a
 * SOCK_STREAM socket pair: the receiver keeps one end (recv_fd), the other
 * end is the capability. The receiver shuts down its sending direction and
 * never writes, so a holder of the capability can only submit, never
 * receive: there is nothing on its end to read.
 *
 * ksignal_submit() writes one 32-bit count without blocking; when the
 * receiver lags and the socket is full it waits for room and writes again,
 * so a count is never lost and the submitter blocks only as long as the
 * receiver is behind. A stream (rather than a datagram socket, whose queue
 * holds ten messages) lets the receiver drain a thousand counts with one
 * read. Destroying the source closes recv_fd: submits then fail with EPIPE,
 * reported as KERR_REVOKED.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "error.h"
#include "registry.h"
#include "signal.h"
#include "waitset.h"

int ksignal_source_create(ksignal_source_t **src, kcap_t *cap)
{
	int sv[2];

	if (!src || !cap)
		return KERR_INVALID;
	ksignal_source_t *s = calloc(1, sizeof *s);
	if (!s)
		return KERR_NOMEM;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		int err = kerr_from_errno(errno);
		free(s);
		return err;
	}
	shutdown(sv[0], SHUT_WR);
	shutdown(sv[1], SHUT_RD);
	int err = registry_add(sv[0], REGISTRY_SIGNAL_RECV, &s->generation);
	if (err != KERR_OK) {
		close(sv[0]);
		close(sv[1]);
		free(s);
		return err;
	}
	s->recv_fd = sv[0];
	*src = s;
	cap->sel = sv[1];
	return KERR_OK;
}

void ksignal_source_destroy(ksignal_source_t *src)
{
	if (!src)
		return;
	waitset_detach_signal(src);
	registry_remove(src->recv_fd);
	close(src->recv_fd);
	free(src);
}

static int signal_wait_writable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (poll(&p, 1, -1) < 0 && errno != EINTR)
		return kerr_from_errno(errno);
	return KERR_OK;
}

int ksignal_submit(kcap_t cap, uint32_t count)
{
	if (kcap_type(cap) != KCAP_TYPE_SIGNAL)
		return cap.sel < 0 || kcap_type(cap) == KCAP_TYPE_NONE
		       ? KERR_INVALID : KERR_WRONG_TYPE;
	if (count == 0)
		return KERR_OK;
	for (;;) {
		ssize_t n = send(cap.sel, &count, sizeof count,
		                 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == (ssize_t)sizeof count)
			return KERR_OK;
		if (n >= 0)
			return KERR_MALFORMED; /* a unix stream never splits 4 bytes */
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return kerr_from_errno(errno);
		int err = signal_wait_writable(cap.sel);
		if (err != KERR_OK)
			return err;
	}
}

/* Adds the whole counts in buf[0, len) to src->carry, keeping a trailing
 * part of a count in src->partial. */
static void signal_add_counts(ksignal_source_t *src, const uint8_t *buf,
                              size_t len)
{
	for (size_t i = 0; i < len; i++) {
		src->partial[src->partial_len++] = buf[i];
		if (src->partial_len == sizeof src->partial) {
			uint32_t c;
			memcpy(&c, src->partial, sizeof c);
			src->carry += c;
			src->partial_len = 0;
		}
	}
}

enum signal_drain_status signal_drain(ksignal_source_t *src, uint32_t *count)
{
	uint8_t buf[4096];
	enum signal_drain_status status = SIGNAL_OPEN;

	/* Each read adds at most 1024 * UINT32_MAX: no overflow of carry
	 * before it is handed out below. The bounded number of reads keeps a
	 * holder that submits without pause from holding the waitset here;
	 * what is left keeps the socket readable for the next wait. */
	for (int reads = 0; reads < 16 && src->carry <= UINT32_MAX; reads++) {
		ssize_t n = recv(src->recv_fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			status = SIGNAL_ORPHANED;
		if (n <= 0)
			break;
		signal_add_counts(src, buf, (size_t)n);
	}
	uint64_t now = src->carry < UINT32_MAX ? src->carry : UINT32_MAX;
	src->carry -= now;
	*count = (uint32_t)now;
	return status;
}
