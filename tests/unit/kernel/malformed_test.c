/*
 * Malformed traffic against the kernel interface on Linux, in both
 * directions. A hostile client speaks the wire format of wire.h by hand
 * to a running test server: garbage, empty, oversized and truncated
 * messages, too many descriptors and descriptors of the wrong kind, on the
 * endpoint socket and on a channel of its own. The server must go on
 * serving a well-behaved client and must not keep any descriptor of the
 * hostile traffic. A hostile server, in turn, sends malformed replies: the
 * caller gets KERR_MALFORMED and keeps no descriptor either.
 */
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"
#include "ksupport.h"

/* The tags of kernel/linux/wire.h, as a hand-written peer must know them. */
#define TAG_OPEN    0x6e65706fu
#define TAG_REQUEST 0x71657272u
#define TAG_REPLY   0x6c706572u

/* Sends `len` bytes and `nfds` descriptors as one message on `sock`. */
static void raw_send(int sock, const void *data, size_t len, const int *fds,
                     int nfds)
{
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 16)];
	} c;
	struct msghdr hdr = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nfds) {
		memset(&c, 0, sizeof c);
		hdr.msg_control = c.buf;
		hdr.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&hdr);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nfds);
	}
	assert_true(sendmsg(sock, &hdr, MSG_NOSIGNAL) >= 0);
}

/* Opens a channel to the object by hand; returns the caller end. */
static int raw_open_channel(kcap_t cap)
{
	int sv[2];
	uint32_t tag = TAG_OPEN;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	                            sv),
	                 0);
	raw_send(cap.sel, &tag, sizeof tag, &sv[1], 1);
	close(sv[1]);
	return sv[0];
}

/* Whether the server closed the channel (end-of-file within 5 s). */
static int raw_channel_closed(int chan)
{
	struct pollfd p = { .fd = chan, .events = POLLIN };
	char buf[16];

	if (poll(&p, 1, 5000) != 1)
		return 0;
	return recv(chan, buf, sizeof buf, MSG_DONTWAIT) == 0;
}

/* Waits until the server has as many descriptors as `expected` (it closes
 * dropped channels asynchronously); returns the last count seen. */
static uint32_t server_fds_settle(kcap_t cap, uint32_t expected)
{
	kmsg_t reply;
	uint32_t fds = 0;

	for (int i = 0; i < 200; i++) {
		assert_int_equal(test_call(cap, 'K', NULL, 0, &reply, 5000), 0);
		memcpy(&fds, reply.data, sizeof fds);
		if (fds == expected)
			break;
		usleep(10000);
	}
	return fds;
}

static void assert_still_serving(kcap_t cap)
{
	kmsg_t reply;

	assert_int_equal(test_call(cap, 'E', "ok", 2, &reply, 5000), 0);
	assert_memory_equal(reply.data, "Eok", 3);
}

static void *call_once(void *arg)
{
	kmsg_t reply;

	*(int *)((kcap_t *)arg + 1) = test_call(*(kcap_t *)arg, 'E', "t", 1,
	                                        &reply, 5000);
	return NULL;
}

/* A call from a new thread goes through a new channel, whose opening
 * queues behind everything sent on the endpoint socket before: when it
 * returns, the server has handled all of that. */
static void assert_serving_new_caller(kcap_t cap)
{
	struct {
		kcap_t cap;
		int result;
	} arg = { cap, -100 };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, call_once, &arg), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(arg.result, 0);
}

static void test_garbage_on_endpoint_socket(void **state)
{
	struct test_server s;
	kmsg_t reply;
	static uint8_t big[3 * KMSG_MAX_BYTES];
	uint32_t tag = TAG_OPEN;
	int pipefd[2], sv[2], sv2[2], many[6];

	alarm(60);
	test_server_spawn(&s);
	assert_int_equal(test_call(s.cap, 'K', NULL, 0, &reply, 5000), 0);
	uint32_t baseline;
	memcpy(&baseline, reply.data, sizeof baseline);
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv2), 0);
	for (int i = 0; i < 6; i++)
		many[i] = sv[1];

	raw_send(s.cap.sel, "garbage!", 8, NULL, 0);      /* no tag, no fd */
	raw_send(s.cap.sel, "", 0, NULL, 0);              /* empty */
	raw_send(s.cap.sel, &tag, sizeof tag, NULL, 0);   /* opening, no fd */
	raw_send(s.cap.sel, &tag, 2, &sv[1], 1);          /* truncated tag */
	raw_send(s.cap.sel, big, sizeof big, &sv[1], 1);  /* oversized */
	raw_send(s.cap.sel, &tag, sizeof tag, pipefd, 1); /* wrong kind */
	raw_send(s.cap.sel, &tag, sizeof tag, many, 6);   /* too many fds */
	int two[2] = { sv[1], sv2[1] };
	raw_send(s.cap.sel, &tag, sizeof tag, two, 2); /* two channels */
	raw_send(s.cap.sel, "\x01\x02\x03\x04\x05", 5, &sv[1], 1); /* bad tag */

	assert_serving_new_caller(s.cap);
	assert_still_serving(s.cap);
	/* Not one of the descriptors sent stayed with the server: the peers
	 * of sv[1] and sv2[1] see end-of-file once they are gone. */
	close(sv[1]);
	close(sv2[1]);
	close(pipefd[0]);
	assert_true(raw_channel_closed(sv[0]));
	assert_true(raw_channel_closed(sv2[0]));
	uint8_t b = 0;
	assert_int_equal(write(pipefd[1], &b, 1), -1); /* no reader left */
	close(pipefd[1]);
	close(sv[0]);
	close(sv2[0]);
	/* The new caller's thread exited: its channel goes too. */
	assert_int_equal(server_fds_settle(s.cap, baseline), baseline);
	test_server_stop(&s);
	alarm(0);
}

/* Sends `what` on a fresh hand-made channel and checks that the server
 * closed the channel and still serves. */
static void channel_abuse(kcap_t cap, const void *data, size_t len,
                          const int *fds, int nfds)
{
	int chan = raw_open_channel(cap);

	raw_send(chan, data, len, fds, nfds);
	assert_true(raw_channel_closed(chan));
	close(chan);
	assert_still_serving(cap);
}

static void test_garbage_on_channel(void **state)
{
	struct test_server s;
	kmsg_t reply;
	static uint8_t big[2 * KMSG_MAX_BYTES];
	uint8_t req[8];
	uint32_t tag = TAG_REQUEST;
	int pipefd[2], caps[KMSG_MAX_CAPS + 1];
	kendpoint_t *ep;
	kcap_t mine;

	alarm(60);
	test_server_spawn(&s);
	assert_int_equal(kendpoint_create(&ep, &mine), 0);
	assert_int_equal(test_call(s.cap, 'K', NULL, 0, &reply, 5000), 0);
	uint32_t baseline;
	memcpy(&baseline, reply.data, sizeof baseline);

	/* A well-formed request by hand works: the protocol is right. */
	int chan = raw_open_channel(s.cap);
	memcpy(req, &tag, sizeof tag);
	memcpy(req + 4, "Eraw", 4);
	raw_send(chan, req, sizeof req, NULL, 0);
	uint8_t answer[16];
	assert_int_equal(recv(chan, answer, sizeof answer, 0), 8);
	assert_memory_equal(answer + 4, "Eraw", 4);
	close(chan);

	memcpy(big, &tag, sizeof tag);
	channel_abuse(s.cap, big, sizeof big, NULL, 0); /* oversized */
	channel_abuse(s.cap, "", 0, NULL, 0);           /* empty */
	channel_abuse(s.cap, &tag, 3, NULL, 0);         /* truncated */
	channel_abuse(s.cap, "junkjunk", 8, NULL, 0);   /* bad tag */
	assert_int_equal(pipe(pipefd), 0);
	channel_abuse(s.cap, &tag, sizeof tag, pipefd, 1); /* wrong kind */
	for (int i = 0; i <= (int)KMSG_MAX_CAPS; i++)
		caps[i] = mine.sel;
	channel_abuse(s.cap, &tag, sizeof tag, caps, KMSG_MAX_CAPS + 1);
	close(pipefd[0]);
	uint8_t b = 0;
	assert_int_equal(write(pipefd[1], &b, 1), -1); /* no reader left */
	close(pipefd[1]);

	assert_int_equal(server_fds_settle(s.cap, baseline), baseline);
	kendpoint_dissolve(ep);
	kcap_close(mine);
	test_server_stop(&s);
	alarm(0);
}

/* A hostile server on a hand-made endpoint: it reads the channel opening
 * and the request, then answers with `reply` and `nfds` descriptors. */
struct hostile {
	kcap_t cap;
	int result;
};

static void hostile_caller(void *arg)
{
	struct hostile *h = arg;
	kmsg_t reply;

	reply.size = 12345;
	h->result = test_call(h->cap, 'E', "x", 1, &reply, 5000);
	if (h->result != 0)
		assert_int_equal(reply.size, 12345); /* left untouched */
	for (uint32_t i = 0; h->result == 0 && i < reply.cap_count; i++)
		kcap_close(reply.caps[i]);
}

static void hostile_reply(const void *data, size_t len, const int *fds,
                          int nfds, int expected)
{
	int sv[2];
	struct hostile h;
	kthread_t *t;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	                            sv),
	                 0);
	int before = test_count_fds();
	h.cap = (kcap_t){ sv[1] };
	assert_int_equal(kthread_create(&t, "caller", 0, hostile_caller, &h),
	                 0);
	int chan = test_recv_fd(sv[0]);
	assert_true(chan >= 0);
	uint8_t req[64];
	assert_true(recv(chan, req, sizeof req, 0) > 0);
	raw_send(chan, data, len, fds, nfds);
	assert_int_equal(kthread_join(t), 0);
	assert_int_equal(h.result, expected);
	close(chan);
	/* The caller thread's channel and anything sent with the reply are
	 * gone with it. */
	assert_int_equal(test_count_fds(), before);
	close(sv[0]);
	close(sv[1]);
}

static void test_malformed_replies(void **state)
{
	uint32_t tag = TAG_REPLY, wrong = TAG_REQUEST;
	static uint8_t big[2 * KMSG_MAX_BYTES];
	int pipefd[2], many[KMSG_MAX_CAPS + 1];
	kendpoint_t *ep;
	kcap_t mine;

	alarm(60);
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(kendpoint_create(&ep, &mine), 0);
	for (int i = 0; i <= (int)KMSG_MAX_CAPS; i++)
		many[i] = mine.sel;
	memcpy(big, &tag, sizeof tag);

	hostile_reply(&tag, sizeof tag, NULL, 0, 0); /* well-formed */
	hostile_reply(&wrong, sizeof wrong, NULL, 0, KERR_MALFORMED);
	hostile_reply(&tag, 2, NULL, 0, KERR_MALFORMED);
	hostile_reply("", 0, NULL, 0, KERR_MALFORMED);
	hostile_reply(big, sizeof big, NULL, 0, KERR_MALFORMED);
	hostile_reply(&tag, sizeof tag, pipefd, 1, KERR_MALFORMED);
	hostile_reply(&tag, sizeof tag, many, KMSG_MAX_CAPS + 1,
	              KERR_MALFORMED);
	hostile_reply(&tag, sizeof tag, many, KMSG_MAX_CAPS, 0);
	kendpoint_dissolve(ep);
	kcap_close(mine);
	close(pipefd[0]);
	close(pipefd[1]);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garbage_on_endpoint_socket),
		cmocka_unit_test(test_garbage_on_channel),
		cmocka_unit_test(test_malformed_replies),
	};
	signal(SIGPIPE, SIG_IGN); /* for the raw write()s of the tests */
	return cmocka_run_group_tests_name("kernel_malformed", tests, NULL,
	                                   NULL);
}
