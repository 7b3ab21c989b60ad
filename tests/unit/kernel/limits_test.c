/*
 * Resource limits of the kernel interface on Linux against hostile
 * clients. A hostile process speaks the wire format (kernel/linux/wire.h)
 * by hand and opens channel after channel to a test server: the server
 * keeps KENDPOINT_MAX_CHANNELS of them and refuses the rest, a channel
 * opened before the flood goes on working, a well-behaved caller that
 * needs a new channel gets KERR_NOMEM, and once the hostile process is
 * gone new channels are taken again. And a client that sends a second
 * request on a channel before the reply to its first loses the channel:
 * a server holds at most one unanswered request per channel.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
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
#define TAG_REFUSE  0x75666572u

/* More than the limit, so that a missing limit shows. */
#define FLOOD (KENDPOINT_MAX_CHANNELS + 8)

static int setup_alarm(void **state)
{
	alarm(60);
	return 0;
}

static int teardown_alarm(void **state)
{
	alarm(0);
	return 0;
}

/* Sends a bare tag with one descriptor; -1 on failure. Asserts nothing:
 * it runs in the hostile child too. */
static int raw_send_tag_fd(int sock, uint32_t tag, int fd)
{
	struct iovec iov = { .iov_base = &tag, .iov_len = sizeof tag };
	union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int))]; } c;
	struct msghdr hdr = { .msg_iov = &iov, .msg_iovlen = 1,
	                      .msg_control = c.buf,
	                      .msg_controllen = sizeof c.buf };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&hdr);

	memset(&c, 0, sizeof c);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	return sendmsg(sock, &hdr, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* Opens a channel by hand; returns the caller end or -1. */
static int raw_open_channel(kcap_t cap)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	int err = raw_send_tag_fd(cap.sel, TAG_OPEN, sv[1]);
	close(sv[1]);
	if (err != 0) {
		close(sv[0]);
		return -1;
	}
	return sv[0];
}

/* Sends a request of `len` bytes on a hand-made channel. */
static int raw_request(int chan, const char *data, size_t len)
{
	uint8_t buf[16];
	uint32_t tag = TAG_REQUEST;

	memcpy(buf, &tag, sizeof tag);
	memcpy(buf + sizeof tag, data, len);
	return send(chan, buf, sizeof tag + len, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* The tag of the next message on a hand-made channel (waiting up to
 * 5 s), 0 at end-of-file, or 1 when nothing came. A server that closes
 * the channel with a request unread makes the first receive fail with
 * ECONNRESET, before what it sent. */
static uint32_t raw_answer_tag(int chan)
{
	struct pollfd p = { .fd = chan, .events = POLLIN };
	uint8_t buf[64];
	uint32_t tag = 0;

	if (poll(&p, 1, 5000) != 1)
		return 1;
	ssize_t n = recv(chan, buf, sizeof buf, MSG_DONTWAIT);
	if (n < 0 && errno == ECONNRESET)
		n = recv(chan, buf, sizeof buf, MSG_DONTWAIT);
	if (n >= (ssize_t)sizeof tag)
		memcpy(&tag, buf, sizeof tag);
	return tag;
}

/* The hostile child: opens channels and makes a request on each until one
 * is refused, writes how many were served to `report`, and holds them
 * until `hold` is closed. Returns the exit status. */
static int hostile_flood(kcap_t cap, int report, int hold)
{
	static int chans[FLOOD];
	uint32_t served = 0;
	int refused = 0;
	char byte;

	for (unsigned i = 0; i < FLOOD && !refused; i++) {
		chans[i] = raw_open_channel(cap);
		if (chans[i] < 0)
			return 2;
		/* A refused channel may be closed before the request goes;
		 * the refusal is still there to read. */
		raw_request(chans[i], "Ex", 2);
		uint32_t tag = raw_answer_tag(chans[i]);
		if (tag == TAG_REPLY)
			served++;
		else if (tag == TAG_REFUSE && raw_answer_tag(chans[i]) == 0)
			refused = 1;
		else
			return 3;
	}
	if (write(report, &served, sizeof served) != (ssize_t)sizeof served)
		return 4;
	if (read(hold, &byte, 1) != 0)
		return 5;
	return refused ? 0 : 6;
}

static uint32_t server_fds(kcap_t cap)
{
	kmsg_t reply;
	uint32_t fds;

	assert_int_equal(test_call(cap, 'K', NULL, 0, &reply, 5000), 0);
	memcpy(&fds, reply.data, sizeof fds);
	return fds;
}

static void test_channel_limit_against_a_hostile_client(void **state)
{
	struct test_server s;
	kmsg_t reply;
	kcap_t copy;
	int report[2], hold[2];
	uint32_t served = 0;

	test_server_spawn(&s);
	/* This thread's channel, open before the flood. */
	uint32_t baseline = server_fds(s.cap);
	assert_int_equal(pipe(report), 0);
	assert_int_equal(pipe(hold), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30); /* not inherited; no child outlives a failed test */
		close(report[0]);
		close(hold[1]);
		_exit(hostile_flood(s.cap, report[1], hold[0]));
	}
	close(report[1]);
	close(hold[0]);
	assert_int_equal(read(report[0], &served, sizeof served),
	                 sizeof served);
	close(report[0]);
	assert_int_equal(served, KENDPOINT_MAX_CHANNELS - 1);

	/* The open channel works; a new one is refused, and clearly so,
	 * and the refused caller can try again. */
	assert_int_equal(test_call(s.cap, 'E', "a", 1, &reply, 5000), 0);
	assert_memory_equal(reply.data, "Ea", 2);
	assert_int_equal(kcap_copy(s.cap, &copy), 0);
	assert_int_equal(test_call(copy, 'E', "b", 1, &reply, 5000),
	                 KERR_NOMEM);
	assert_int_equal(test_call(copy, 'E', "b", 1, &reply, 5000),
	                 KERR_NOMEM);
	assert_int_equal(server_fds(s.cap), baseline + served);

	/* The hostile process goes: its channels are given back. */
	close(hold[1]);
	assert_int_equal(test_reap(pid, 10), 0);
	for (int i = 0; i < 500 && server_fds(s.cap) != baseline; i++)
		usleep(10000);
	assert_int_equal(test_call(copy, 'E', "c", 1, &reply, 5000), 0);
	assert_memory_equal(reply.data, "Ec", 2);
	kcap_close(copy);
	test_server_stop(&s);
}

static void test_second_request_before_the_reply_closes_the_channel(
	void **state)
{
	kwaitset_t *ws;
	kendpoint_t *ep;
	kcap_t cap;
	kevent_t ev;
	static kmsg_t msg, reply;
	char byte;

	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kendpoint_create(&ep, &cap), 0);
	assert_int_equal(kwaitset_add_endpoint(ws, ep, NULL), 0);

	/* A well-behaved request on a hand-made channel is answered. */
	int chan = raw_open_channel(cap);
	assert_true(chan >= 0);
	assert_int_equal(raw_request(chan, "E0", 2), 0);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 5000), 0);
	reply.size = 0;
	reply.cap_count = 0;
	assert_int_equal(kipc_reply(ev.reply, &reply), 0);
	assert_int_equal(raw_answer_tag(chan), TAG_REPLY);

	/* Two at once: the first is taken, the second ends the channel. */
	assert_int_equal(raw_request(chan, "E1", 2), 0);
	assert_int_equal(raw_request(chan, "E2", 2), 0);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 5000), 0);
	assert_memory_equal(msg.data, "E1", 2);
	kreply_t first = ev.reply;
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 0), KERR_TIMEOUT);
	assert_int_equal(kipc_reply(first, &reply), 0); /* answers nobody */
	assert_int_equal(recv(chan, &byte, 1, MSG_DONTWAIT), 0);

	close(chan);
	kwaitset_destroy(ws);
	kendpoint_dissolve(ep);
	kcap_close(cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channel_limit_against_a_hostile_client),
		cmocka_unit_test(
			test_second_request_before_the_reply_closes_the_channel),
	};

	return cmocka_run_group_tests(tests, setup_alarm, teardown_alarm);
}
