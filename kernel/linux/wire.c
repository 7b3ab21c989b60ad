/*
 * Messages on SOCK_SEQPACKET sockets: the format and the checks of
 * wire.h. Every send uses MSG_NOSIGNAL (a vanished peer is an error
 * value, never SIGPIPE) and MSG_DONTWAIT (a peer that does not read can
 * never block us); every receive uses MSG_CMSG_CLOEXEC.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "wire.h"

/* Room for one descriptor more than allowed, so that too many is seen as
 * such even when the kernel does not flag the control data truncated. */
#define WIRE_MAX_FDS (KMSG_MAX_CAPS + 1)

union wire_control {
	struct cmsghdr align;
	char buf[CMSG_SPACE(sizeof(int) * WIRE_MAX_FDS) +
	         CMSG_SPACE(sizeof(struct ucred))];
};

int wire_check(const kmsg_t *msg)
{
	if (!msg)
		return KERR_INVALID;
	if (msg->size > KMSG_MAX_BYTES || msg->cap_count > KMSG_MAX_CAPS)
		return KERR_TOO_BIG;
	for (uint32_t i = 0; i < msg->cap_count; i++) {
		if (!kcap_valid(msg->caps[i]))
			return KERR_INVALID;
	}
	return KERR_OK;
}

static int wire_sendmsg(int fd, struct iovec *iov, int iovcnt, const int *fds,
                        uint32_t nfds)
{
	union wire_control control;
	struct msghdr hdr = { .msg_iov = iov, .msg_iovlen = (size_t)iovcnt };

	if (nfds) {
		memset(&control, 0, sizeof control);
		hdr.msg_control = control.buf;
		hdr.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&hdr);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	for (;;) {
		if (sendmsg(fd, &hdr, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int wire_send(int fd, uint32_t tag, const kmsg_t *msg)
{
	int fds[KMSG_MAX_CAPS];
	struct iovec iov[2] = {
		{ .iov_base = &tag, .iov_len = sizeof tag },
		{ .iov_base = (void *)msg->data, .iov_len = msg->size },
	};

	for (uint32_t i = 0; i < msg->cap_count; i++)
		fds[i] = msg->caps[i].sel;
	return wire_sendmsg(fd, iov, msg->size ? 2 : 1, fds, msg->cap_count);
}

int wire_send_tag(int fd, uint32_t tag)
{
	struct iovec iov = { .iov_base = &tag, .iov_len = sizeof tag };

	return wire_sendmsg(fd, &iov, 1, NULL, 0);
}

int wire_send_fd(int fd, uint32_t tag, int passed)
{
	struct iovec iov = { .iov_base = &tag, .iov_len = sizeof tag };

	return wire_sendmsg(fd, &iov, 1, &passed, 1);
}

/* Takes the sender's credentials from control message `c` into *sender
 * (when the caller asked for them and they are well-formed): returns
 * whether it did. */
static int wire_take_sender(struct cmsghdr *c, pid_t *sender)
{
	struct ucred cred;

	if (!sender || c->cmsg_len != CMSG_LEN(sizeof cred))
		return 0;
	memcpy(&cred, CMSG_DATA(c), sizeof cred);
	*sender = cred.pid;
	return 1;
}

/* Collects every descriptor in the control data into fds[] and returns
 * how many, and the sender's credentials into *sender if it is not NULL
 * (-1 when none came). More than WIRE_MAX_FDS descriptors (the buffer
 * holds no more, but be sure) are closed at once; they and anything but
 * SCM_RIGHTS and asked-for SCM_CREDENTIALS make the message malformed
 * (*odd). */
static int wire_collect_fds(struct msghdr *hdr, int *fds, int *odd,
                            pid_t *sender)
{
	int n = 0;

	*odd = 0;
	if (sender)
		*sender = -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(hdr); c;
	     c = CMSG_NXTHDR(hdr, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_CREDENTIALS &&
		    wire_take_sender(c, sender))
			continue;
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			*odd = 1;
			continue;
		}
		size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < count; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
			if (n < (int)WIRE_MAX_FDS) {
				fds[n++] = fd;
			} else {
				close(fd);
				*odd = 1;
			}
		}
	}
	return n;
}

int wire_refused(int fd)
{
	uint32_t tag = 0;
	ssize_t n;
	int resets = 0;

	/* A peer that closed with our request unread leaves ECONNRESET,
	 * reported once before what it sent. */
	do
		n = recv(fd, &tag, sizeof tag, MSG_DONTWAIT);
	while (n < 0 &&
	       (errno == EINTR || (errno == ECONNRESET && resets++ == 0)));
	if (n != (ssize_t)sizeof tag)
		return 0;
	return tag == WIRE_REFUSE  ? WIRE_REFUSED
	       : tag == WIRE_LIMIT ? WIRE_LIMITED
	                           : 0;
}

int wire_hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP));
}

static void wire_close_all(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* One recvmsg() of a tag, up to `max` data bytes into `data`, and the
 * descriptors. Returns the status; on WIRE_MESSAGE, *size, fds[] and
 * *nfds are set and the caller owns the descriptors. */
static enum wire_status wire_recvmsg(int fd, uint32_t tag, void *data,
                                     size_t max, uint32_t *size, int *fds,
                                     int *nfds, pid_t *sender, int blocking)
{
	uint32_t got_tag = 0;
	union wire_control control;
	struct iovec iov[2] = {
		{ .iov_base = &got_tag, .iov_len = sizeof got_tag },
		{ .iov_base = data, .iov_len = max },
	};
	struct msghdr hdr = {
		.msg_iov = iov,
		.msg_iovlen = max ? 2 : 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof control.buf,
	};
	int flags = MSG_CMSG_CLOEXEC | (blocking ? 0 : MSG_DONTWAIT);
	ssize_t n;

	do
		n = recvmsg(fd, &hdr, flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? WIRE_EMPTY : WIRE_CLOSED;
	int odd;
	*nfds = wire_collect_fds(&hdr, fds, &odd, sender);
	if (n == 0 && *nfds == 0 && !(hdr.msg_flags & MSG_CTRUNC) &&
	    wire_hung_up(fd))
		return WIRE_CLOSED;
	if (tag == WIRE_REPLY && n == (ssize_t)sizeof got_tag && *nfds == 0 &&
	    !odd && !(hdr.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		if (got_tag == WIRE_REFUSE)
			return WIRE_REFUSED;
		if (got_tag == WIRE_LIMIT)
			return WIRE_LIMITED;
		if (got_tag == WIRE_DROP)
			return WIRE_DROPPED;
	}
	if (odd || (hdr.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    (size_t)n < sizeof got_tag || got_tag != tag) {
		wire_close_all(fds, *nfds);
		return WIRE_MALFORMED;
	}
	*size = (uint32_t)((size_t)n - sizeof got_tag);
	return WIRE_MESSAGE;
}

enum wire_status wire_recv(int fd, uint32_t tag, kmsg_t *msg, int blocking)
{
	int fds[WIRE_MAX_FDS], nfds = 0;
	uint32_t size = 0;
	enum wire_status status = wire_recvmsg(fd, tag, msg->data,
	                                       sizeof msg->data, &size, fds,
	                                       &nfds, NULL, blocking);

	if (status != WIRE_MESSAGE)
		return status;
	int bad = nfds > (int)KMSG_MAX_CAPS;
	for (int i = 0; i < nfds && !bad; i++)
		bad = kcap_type((kcap_t){ fds[i] }) == KCAP_TYPE_NONE;
	if (bad) {
		wire_close_all(fds, nfds);
		return WIRE_MALFORMED;
	}
	msg->size = size;
	msg->cap_count = (uint32_t)nfds;
	for (int i = 0; i < nfds; i++)
		msg->caps[i] = (kcap_t){ fds[i] };
	return WIRE_MESSAGE;
}

enum wire_status wire_recv_fd(int fd, uint32_t tag, int *passed, pid_t *sender)
{
	int fds[WIRE_MAX_FDS], nfds = 0;
	uint32_t size = 0;
	enum wire_status status = wire_recvmsg(fd, tag, NULL, 0, &size, fds,
	                                       &nfds, sender, 0);

	if (status != WIRE_MESSAGE)
		return status;
	if (nfds != 1 || *sender <= 0 ||
	    kcap_type((kcap_t){ fds[0] }) != KCAP_TYPE_ENDPOINT) {
		wire_close_all(fds, nfds);
		return WIRE_MALFORMED;
	}
	*passed = fds[0];
	return WIRE_MESSAGE;
}
