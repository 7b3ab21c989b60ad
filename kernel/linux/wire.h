/*
 * Private to the linux platform of the kernel interface: how a message
 * travels over a SOCK_SEQPACKET socket, for both the caller (call.c) and
 * the server (waitset.c, reply.c).
 *
 * On the wire a message is a 4-byte tag saying what it is (channel
 * opening, request, reply) followed by the message data; its capabilities
 * travel as SCM_RIGHTS. The tag also makes an empty message distinct from
 * end-of-file.
 *
 * Receiving is where hostile input arrives, so wire_recv() checks
 * everything: tag, size, truncation, the number of descriptors and that
 * each one is a capability of this kernel. Anything else is malformed: all
 * descriptors that came with it are closed and nothing is returned.
 */
#ifndef KERNEL_LINUX_WIRE_H
#define KERNEL_LINUX_WIRE_H

#include <stdint.h>
#include <sys/types.h>

#include "kernel/kernel.h"

enum wire_tag {
	WIRE_OPEN = 0x6e65706fu, /* carries the server end of a channel */
	WIRE_REQUEST = 0x71657272u,
	WIRE_REPLY = 0x6c706572u,
	WIRE_REFUSE = 0x75666572u, /* a bare tag: the channel was refused */
	WIRE_LIMIT = 0x696d696cu,  /* a bare tag: refused, the caller's
	                              * process has its share of channels */
	WIRE_DROP = 0x706f7264u,   /* a bare tag in place of a reply: the
	                              * server dropped the request */
};

enum wire_status {
	WIRE_MESSAGE,   /* a well-formed message was received */
	WIRE_EMPTY,     /* nothing there (non-blocking receive) */
	WIRE_CLOSED,    /* end of file or a broken connection */
	WIRE_MALFORMED, /* something arrived that is no message; dropped */
	WIRE_REFUSED,   /* expecting a reply: the server refused the channel */
	WIRE_LIMITED,   /* expecting a reply: refused, as the caller's process
	                  * has all the channels it may have to the object */
	WIRE_DROPPED,   /* expecting a reply: the server dropped the request */
};

/* Checks a message before it is sent: KERR_TOO_BIG or KERR_INVALID. */
int wire_check(const kmsg_t *msg);

/* Sends tag and message on `fd` without blocking and without SIGPIPE.
 * Returns 0 or a negative errno value (-EAGAIN when the peer's queue is
 * full, -EPIPE and friends when the peer is gone). */
int wire_send(int fd, uint32_t tag, const kmsg_t *msg);

/* Sends a bare tag with one descriptor (a channel opening). Same returns
 * as wire_send(). */
int wire_send_fd(int fd, uint32_t tag, int passed);

/* Sends a bare tag (a refusal) on `fd`. Same returns as wire_send(). */
int wire_send_tag(int fd, uint32_t tag);

/* Receives one message with tag `tag` from `fd` into *msg; `blocking`
 * chooses between waiting and returning WIRE_EMPTY. Expecting a reply, a
 * bare WIRE_REFUSE, WIRE_LIMIT or WIRE_DROP is returned as WIRE_REFUSED,
 * WIRE_LIMITED or WIRE_DROPPED. */
enum wire_status wire_recv(int fd, uint32_t tag, kmsg_t *msg, int blocking);

/* Receives a bare tag with exactly one descriptor of an endpoint socket
 * (a channel opening), without blocking; *passed receives it. `fd` must
 * pass credentials (SO_PASSCRED): *sender receives the process id of the
 * sender as the kernel vouches for it, and a message without one is
 * malformed. */
enum wire_status wire_recv_fd(int fd, uint32_t tag, int *passed, pid_t *sender);

/* Whether a bare refusal is waiting on `fd`, which is then consumed; does
 * not block. For a receive or send that failed because the peer closed:
 * it may have refused first. Returns 0 (none), WIRE_REFUSED or
 * WIRE_LIMITED. */
int wire_refused(int fd);

/* Whether the peer of `fd` has hung up. A SOCK_SEQPACKET recvmsg()
 * returns 0 both for end-of-file and for an empty message, which only a
 * hostile peer sends (ours always carry a tag); this tells them apart. */
int wire_hung_up(int fd);

#endif /* KERNEL_LINUX_WIRE_H */
