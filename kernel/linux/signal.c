/*
 * Signal sources of the kernel interface on Linux. A source is a
 * SOCK_SEQPACKET socket pair: the receiver keeps one end (recv_fd), the
 * other end is the capability, marked as a signal capability (cap.h). The
 * receiver shuts down its sending direction and never writes, so a holder
 * of the capability can only submit, never receive: there is nothing on
 * its end to read.
 *
 * ksignal_submit() sends one message with one 32-bit count without
 * blocking; when the receiver lags and the socket is full it waits for
 * room and sends again, so a count is never lost and the submitter blocks
 * only as long as the receiver is behind. The waitset drains the queued
 * messages of a source and reports their sum as one event. Destroying the
 * source closes recv_fd: submits then fail with EPIPE, reported as
 * KERR_REVOKED.
 *
 * Only holders of the capability send here; what is not a 4-byte count
 * (a misbehaving holder's doing) is dropped, descriptors and all.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "cap.h"
#include "error.h"
#include "registry.h"
#include "signal.h"
#include "waitset.h"
#include "wire.h"

/* At most this many messages are read per drain, so that a holder that
 * submits without pause cannot hold the waitset in one drain; what is
 * left keeps the socket readable for the next wait. */
#define DRAIN_BATCH 256

int ksignal_source_create(ksignal_source_t **src, kcap_t *cap)
{
	int sv[2];

	if (!src || !cap)
		return KERR_INVALID;
	ksignal_source_t *s = calloc(1, sizeof *s);
	if (!s)
		return KERR_NOMEM;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		int err = kerr_from_errno(errno);
		free(s);
		return err;
	}
	shutdown(sv[0], SHUT_WR);
	int err = cap_mark_signal(sv[1]);
	if (err == KERR_OK)
		err = registry_add(sv[0], REGISTRY_SIGNAL_RECV, &s->generation);
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
	enum kcap_type type = kcap_type(cap);

	if (type != KCAP_TYPE_SIGNAL)
		return type == KCAP_TYPE_NONE ? KERR_INVALID : KERR_WRONG_TYPE;
	if (count == 0)
		return KERR_OK;
	for (;;) {
		if (send(cap.sel, &count, sizeof count,
		         MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
			return KERR_OK;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return kerr_from_errno(errno);
		int err = signal_wait_writable(cap.sel);
		if (err != KERR_OK)
			return err;
	}
}

/* Closes every descriptor in the control data of a received message. */
static int signal_close_fds(struct msghdr *hdr)
{
	int any = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(hdr); c;
	     c = CMSG_NXTHDR(hdr, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof fd, sizeof fd);
			close(fd);
			any = 1;
		}
	}
	return any;
}

/* Receives one message: 1 with a count in *count, 0 for a dropped
 * message, -1 when nothing is queued, -2 at end-of-file. */
static int signal_recv_one(int fd, uint32_t *count)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * KMSG_MAX_CAPS)];
	} control;
	struct iovec iov = { .iov_base = count, .iov_len = sizeof *count };
	struct msghdr hdr = { .msg_iov = &iov, .msg_iovlen = 1,
	                      .msg_control = control.buf,
	                      .msg_controllen = sizeof control.buf };
	ssize_t n;

	do
		n = recvmsg(fd, &hdr, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? -1 : -2;
	int had_fds = signal_close_fds(&hdr);
	if (n == 0 && !had_fds && wire_hung_up(fd))
		return -2;
	if (n != (ssize_t)sizeof *count || had_fds ||
	    (hdr.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		return 0;
	return 1;
}

enum signal_drain_status signal_drain(ksignal_source_t *src, uint32_t *count)
{
	enum signal_drain_status status = SIGNAL_OPEN;

	/* DRAIN_BATCH counts add at most 2^8 * 2^32: carry cannot overflow. */
	for (int i = 0; i < DRAIN_BATCH && src->carry <= UINT32_MAX; i++) {
		uint32_t c;
		int got = signal_recv_one(src->recv_fd, &c);
		if (got == -2)
			status = SIGNAL_ORPHANED;
		if (got < 0)
			break;
		if (got == 1)
			src->carry += c;
	}
	uint64_t now = src->carry < UINT32_MAX ? src->carry : UINT32_MAX;
	src->carry -= now;
	*count = (uint32_t)now;
	return status;
}
