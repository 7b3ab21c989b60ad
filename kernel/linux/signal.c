/*
 * Signal sources of the kernel interface on Linux. A source is a
 * SOCK_SEQPACKET socket pair: the receiver keeps one end (recv_fd), the
 * other end is the capability. What marks it as a signal capability is a
 * property of recv_fd (cap.h), which no holder can reach or change. The
 * receiver never writes, so a holder of the capability can only submit,
 * never receive: there is nothing on its end to read. It needs no
 * shutdown() to make sure (components are not allowed one, see
 * confine.c), so nothing a holder does to its end stops the others.
 *
 * ksignal_submit() sends one message with one 32-bit count without
 * blocking; when the receiver lags and the socket is full it waits for
 * room and sends again, so a count is never lost and the submitter blocks
 * only as long as the receiver is behind. That the capability names a
 * signal source is checked once per thread and selector and remembered,
 * like the channels of call.c: the entry is trusted while no selector has
 * been closed since (cap_close_epoch()), and after that while the
 * selector still names the same socket (one fstat). So a steady stream of
 * submits costs one send each.
 *
 * The waitset reads a source once per readiness: one recvmmsg() takes up
 * to DRAIN_BATCH queued messages, whose sum is reported as one event. It
 * never reads again to find the queue empty: epoll is level-triggered, so
 * whatever is left is reported by the next wait. Destroying the
 * source closes recv_fd: submits then fail with EPIPE, reported as
 * KERR_REVOKED. In a child after fork() recv_fd is already closed
 * (registry.h): destroying a parent's source there only frees its memory.
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

/* At most this many messages are read per readiness: enough to sum a
 * burst of submits into one event, few enough for a small stack and for a
 * holder that submits without pause never to hold the waitset. */
#define DRAIN_BATCH 16

/* How many signal capabilities a thread remembers as checked. The cache
 * is direct-mapped by selector: a thread rarely submits to more than a few
 * sources, and a miss costs only the full check. */
#define CHECKED_CAPS 16

/* A selector found to name a signal source. */
struct checked_cap {
	uint32_t sel_plus_one; /* 0: empty (thread-local storage is zeroed) */
	dev_t dev;             /* identity of the socket it named */
	ino_t ino;
	uint64_t epoch; /* cap_close_epoch() when that was so */
};

/* The calling thread's checked selectors; thread-local, so no sharing. */
static _Thread_local struct checked_cap checked_caps[CHECKED_CAPS];

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
	int err = cap_mark_signal(sv[0]);
	if (err == KERR_OK)
		err = registry_add(sv[0], REGISTRY_SIGNAL_RECV, &s->generation);
	if (err != KERR_OK) {
		close(sv[0]);
		close(sv[1]);
		free(s);
		return err;
	}
	s->recv_fd = sv[0];
	s->process = registry_process_epoch();
	*src = s;
	cap->sel = sv[1];
	return KERR_OK;
}

void ksignal_source_destroy(ksignal_source_t *src)
{
	if (!src)
		return;
	waitset_detach_signal(src);
	if (src->process == registry_process_epoch()) {
		registry_remove(src->recv_fd);
		close(src->recv_fd);
	}
	free(src);
}

static int signal_wait_writable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (poll(&p, 1, -1) < 0 && errno != EINTR)
		return kerr_from_errno(errno);
	return KERR_OK;
}

/* Whether the remembered check of `c` still holds for `sel` now, at close
 * epoch `epoch`. */
static int checked_still(struct checked_cap *c, int sel, uint64_t epoch)
{
	dev_t dev;
	ino_t ino;

	if (c->sel_plus_one != (uint32_t)sel + 1u)
		return 0;
	if (c->epoch == epoch)
		return 1;
	if (cap_identity(sel, &dev, &ino) != KERR_OK || dev != c->dev ||
	    ino != c->ino)
		return 0;
	c->epoch = epoch;
	return 1;
}

/* Checks that `cap` names a signal source, from the calling thread's
 * cache when it can. */
static int submit_check(kcap_t cap)
{
	struct checked_cap *c = &checked_caps[(uint32_t)cap.sel % CHECKED_CAPS];
	uint64_t epoch = cap_close_epoch();

	if (checked_still(c, cap.sel, epoch))
		return KERR_OK;
	c->sel_plus_one = 0;
	enum kcap_type type = kcap_type(cap);
	if (type != KCAP_TYPE_SIGNAL)
		return type == KCAP_TYPE_NONE ? KERR_INVALID : KERR_WRONG_TYPE;
	if (cap_identity(cap.sel, &c->dev, &c->ino) != KERR_OK)
		return KERR_INVALID;
	c->epoch = epoch;
	c->sel_plus_one = (uint32_t)cap.sel + 1u;
	return KERR_OK;
}

int ksignal_submit(kcap_t cap, uint32_t count)
{
	if (cap.sel < 0)
		return KERR_INVALID;
	int err = submit_check(cap);
	if (err != KERR_OK)
		return err;
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
		err = signal_wait_writable(cap.sel);
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

/* Room for the descriptors a misbehaving holder may send with a message,
 * which are closed at once. */
union signal_control {
	struct cmsghdr align;
	char buf[CMSG_SPACE(sizeof(int) * KMSG_MAX_CAPS)];
};

/* Adds the count of received message `m` to the source's carry, unless it
 * is no count. Returns 1 when the message was empty, which at the end of
 * a batch may be end-of-file. */
static int signal_take(ksignal_source_t *src, struct mmsghdr *m,
                       const uint32_t *count)
{
	int had_fds = signal_close_fds(&m->msg_hdr);

	if (m->msg_len == 0 && !had_fds)
		return 1;
	if (m->msg_len == sizeof *count && !had_fds &&
	    !(m->msg_hdr.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		src->carry += *count;
	return 0;
}

/* One recvmmsg() of up to DRAIN_BATCH queued messages into the carry. At
 * end-of-file a SOCK_SEQPACKET socket keeps returning empty messages, so
 * a batch that ends with one on a hung-up socket has reached it. */
static enum signal_drain_status signal_read(ksignal_source_t *src)
{
	uint32_t counts[DRAIN_BATCH];
	struct iovec iov[DRAIN_BATCH];
	union signal_control control[DRAIN_BATCH];
	struct mmsghdr msgs[DRAIN_BATCH];
	int n;

	memset(msgs, 0, sizeof msgs);
	memset(control, 0, sizeof control);
	for (int i = 0; i < DRAIN_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = &counts[i],
			                 .iov_len = sizeof counts[i] };
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_control = control[i].buf;
		msgs[i].msg_hdr.msg_controllen = sizeof control[i].buf;
	}
	do
		n = recvmmsg(src->recv_fd, msgs, DRAIN_BATCH,
		             MSG_DONTWAIT | MSG_CMSG_CLOEXEC, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? SIGNAL_OPEN : SIGNAL_ORPHANED;
	int last_empty = 0;
	for (int i = 0; i < n; i++)
		last_empty = signal_take(src, &msgs[i], &counts[i]);
	if (last_empty && wire_hung_up(src->recv_fd))
		return SIGNAL_ORPHANED;
	return SIGNAL_OPEN;
}

enum signal_drain_status signal_drain(ksignal_source_t *src, uint32_t *count)
{
	enum signal_drain_status status = SIGNAL_OPEN;

	/* A carry over UINT32_MAX is reported first; one read adds at most
	 * DRAIN_BATCH * 2^32, so the carry cannot overflow. */
	if (src->carry <= UINT32_MAX)
		status = signal_read(src);
	uint64_t now = src->carry < UINT32_MAX ? src->carry : UINT32_MAX;
	src->carry -= now;
	*count = (uint32_t)now;
	return status;
}
