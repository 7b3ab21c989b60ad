/*
 * Fuzz target of the kernel's message decoding on Linux (kernel/linux/
 * wire.c): whatever a hostile peer can put on a SOCK_SEQPACKET socket, as
 * wire_recv (requests and replies, on every channel) and wire_recv_fd
 * (channel openings, with credentials) receive it. The input chooses the
 * tag and the bytes, how many descriptors ride along as SCM_RIGHTS (up to
 * 7, more than a message may carry) and of which kind (a socket that is a
 * capability of this kernel, a pipe, a plain memory file that is none).
 *
 * What must hold, else the target aborts: a message accepted has at most
 * KMSG_MAX_BYTES of data and KMSG_MAX_CAPS capabilities, exactly the bytes
 * that were sent after the tag, and only descriptors that are capabilities;
 * a channel opening carries exactly one endpoint socket and the sender's
 * process id; and whatever the verdict, no descriptor is left open that
 * the caller does not own (every refused message's descriptors closed).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kernel/kernel.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	FDS_MAX = 7,        /* more than KMSG_MAX_CAPS + 1: the excess path */
	PAYLOAD_MAX = 8192, /* twice KMSG_MAX_BYTES: the truncation path */
	FD_SCAN = 256,      /* descriptors checked for leaks */
};

/* The sockets a run sends on and receives from, and the descriptors open
 * before the first run: made once, as libFuzzer calls the target many
 * times in one process. plain[] receives requests and replies, creds[]
 * channel openings (SO_PASSCRED, as an endpoint's socket has it). */
static int plain[2] = { -1, -1 }, creds[2] = { -1, -1 };
static int channel[2] = { -1, -1 }; /* what a passed capability names */
static unsigned char open_before[FD_SCAN];

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void setup(void)
{
	int on = 1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, plain) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, creds) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) <
	            0 ||
	    setsockopt(creds[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) < 0)
		abort();
	for (int fd = 0; fd < FD_SCAN; fd++)
		open_before[fd] = (unsigned char)is_open(fd);
}

/* A descriptor of kind `kind`: 0 and 3 a seqpacket socket with a peer (a
 * capability of this kernel: an endpoint's channel), 1 a pipe, 2 a memory
 * file that is not sealed (no memory object of this kernel). */
static int make_fd(unsigned kind)
{
	int pair[2], fd;
	switch (kind) {
	case 1:
		if (pipe2(pair, O_CLOEXEC) < 0)
			abort();
		close(pair[1]);
		return pair[0];
	case 2:
		if ((fd = memfd_create("fuzz", MFD_CLOEXEC)) < 0)
			abort();
		return fd;
	default:
		if ((fd = fcntl(channel[0], F_DUPFD_CLOEXEC, 0)) < 0)
			abort();
		return fd;
	}
}

/* Sends tag and payload with `count` descriptors of the kinds in `kinds`
 * (two bits each); our copies are closed at once, so only the copies in
 * flight remain. Returns whether the kernel took the message. */
static int send_raw(int fd, const uint8_t *bytes, size_t length, unsigned count,
                    unsigned kinds)
{
	int fds[FDS_MAX];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * FDS_MAX)];
	} control;
	struct iovec iov = { .iov_base = (void *)bytes, .iov_len = length };
	struct msghdr hdr = { .msg_iov = &iov, .msg_iovlen = 1 };

	for (unsigned i = 0; i < count; i++)
		fds[i] = make_fd((kinds >> (2 * i)) & 3);
	if (count) {
		memset(&control, 0, sizeof control);
		hdr.msg_control = control.buf;
		hdr.msg_controllen = CMSG_SPACE(sizeof(int) * count);
		struct cmsghdr *c = CMSG_FIRSTHDR(&hdr);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * count);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * count);
	}
	int sent = sendmsg(fd, &hdr, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0;
	for (unsigned i = 0; i < count; i++)
		close(fds[i]);
	return sent;
}

/* Empties a socket's queue (a message the receiver left, e.g. after an
 * error), closing what it carried. */
static void drain(int fd)
{
	char buf[PAYLOAD_MAX + 8];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 16) + CMSG_SPACE(64)];
	} control;
	for (;;) {
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
		struct msghdr hdr = { .msg_iov = &iov,
			              .msg_iovlen = 1,
			              .msg_control = control.buf,
			              .msg_controllen = sizeof control.buf };
		if (recvmsg(fd, &hdr, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) < 0)
			return;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&hdr); c;
		     c = CMSG_NXTHDR(&hdr, c)) {
			if (c->cmsg_level != SOL_SOCKET ||
			    c->cmsg_type != SCM_RIGHTS)
				continue;
			size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t i = 0; i < n; i++) {
				int passed;
				memcpy(&passed, CMSG_DATA(c) + i * sizeof(int),
				       sizeof passed);
				close(passed);
			}
		}
	}
}

/* No descriptor is open now that was not open before the first run. */
static void check_no_leak(void)
{
	for (int fd = 0; fd < FD_SCAN; fd++)
		if (is_open(fd) && !open_before[fd])
			abort();
}

static void check_message(const kmsg_t *msg, size_t sent_data)
{
	if (msg->size > KMSG_MAX_BYTES || msg->cap_count > KMSG_MAX_CAPS ||
	    msg->size != sent_data)
		abort();
	for (uint32_t i = 0; i < msg->cap_count; i++) {
		if (kcap_type(msg->caps[i]) == KCAP_TYPE_NONE)
			abort();
		close(msg->caps[i].sel);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kmsg_t msg;
	if (plain[0] < 0)
		setup();
	if (size < 3)
		return 0;
	unsigned mode = data[0], count = data[1] % (FDS_MAX + 1);
	unsigned kinds = data[2] | (unsigned)data[1] << 8;
	data += 3;
	size -= 3;
	if (size > PAYLOAD_MAX)
		size = PAYLOAD_MAX;

	/* mode bit 0: a reply is expected (refusal tags count), bit 1: a
	 * channel opening, bit 2: the input's first bytes are the tag as
	 * sent, else the expected tag comes first (a well-formed frame) */
	uint32_t expected = mode & 1 ? WIRE_REPLY : WIRE_REQUEST;
	if (mode & 2)
		expected = WIRE_OPEN;
	uint8_t frame[PAYLOAD_MAX + 4];
	size_t length;
	if (mode & 4) {
		memcpy(frame, data, size);
		length = size;
	} else {
		memcpy(frame, &expected, sizeof expected);
		memcpy(frame + sizeof expected, data, size);
		length = size + sizeof expected;
	}
	int *pair = mode & 2 ? creds : plain;
	if (send_raw(pair[0], frame, length, count, kinds)) {
		uint32_t tag = 0;
		memcpy(&tag, frame, length < sizeof tag ? length : sizeof tag);
		if (mode & 2) {
			int passed = -1;
			pid_t sender = 0;
			if (wire_recv_fd(pair[1], expected, &passed, &sender) ==
			    WIRE_MESSAGE) {
				if (sender <= 0 ||
				    kcap_type((kcap_t){ passed }) !=
				            KCAP_TYPE_ENDPOINT ||
				    tag != expected || length != sizeof tag)
					abort();
				close(passed);
			}
		} else if (wire_recv(pair[1], expected, &msg, 0) ==
		           WIRE_MESSAGE) {
			if (tag != expected || length < sizeof tag)
				abort();
			check_message(&msg, length - sizeof tag);
		}
	}
	drain(pair[1]);
	check_no_leak();
	return 0;
}
