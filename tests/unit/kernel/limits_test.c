/*
 * Resource limits of the kernel interface on Linux against hostile
 * clients. A hostile process speaks the wire format (kernel/linux/wire.h)
 * by hand and opens channel after channel to a test server: the server
 * gives it KENDPOINT_MAX_CLIENT_CHANNELS and refuses the rest, while other
 * clients still get channels; a well-behaved caller at its share gets
 * KERR_LIMIT. Several hostile processes together fill the endpoint: the
 * server keeps KENDPOINT_MAX_CHANNELS and refuses the rest, a channel
 * opened before the flood goes on working, a well-behaved caller that
 * needs a new channel gets KERR_NOMEM, and once the hostile processes are
 * gone new channels are taken again. And a client that sends a second
 * request on a channel before the reply to its first loses the channel:
 * a server holds at most one unanswered request per channel; and so does
 * one that sends on after its request was dropped.
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
#define TAG_LIMIT   0x696d696cu
#define TAG_DROP    0x706f7264u

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
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr hdr = { .msg_iov = &iov,
		              .msg_iovlen = 1,
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

/* What a hostile child found: how many channels were served, and the
 * tag of the refusal that stopped it. */
struct flood_result {
	uint32_t served;
	uint32_t refusal;
};

/* The hostile child: opens channels and makes a request on each until one
 * is refused, writes what it found to `report`, and holds its channels
 * until `hold` is closed. Returns the exit status. */
static int hostile_flood(kcap_t cap, int report, int hold)
{
	static int chans[FLOOD];
	struct flood_result r = { 0, 0 };
	char byte;

	for (unsigned i = 0; i < FLOOD && !r.refusal; i++) {
		chans[i] = raw_open_channel(cap);
		if (chans[i] < 0)
			return 2;
		/* A refused channel may be closed before the request goes;
		 * the refusal is still there to read. */
		raw_request(chans[i], "Ex", 2);
		uint32_t tag = raw_answer_tag(chans[i]);
		if (tag == TAG_REPLY)
			r.served++;
		else if ((tag == TAG_REFUSE || tag == TAG_LIMIT) &&
		         raw_answer_tag(chans[i]) == 0)
			r.refusal = tag;
		else
			return 3;
	}
	if (write(report, &r, sizeof r) != (ssize_t)sizeof r)
		return 4;
	if (read(hold, &byte, 1) != 0)
		return 5;
	return r.refusal ? 0 : 6;
}

/* A hostile child that has flooded the server and holds its channels
 * until flood_end(). */
struct flood {
	pid_t pid;
	int hold; /* closing it lets the child go */
	struct flood_result result;
};

static void flood_begin(struct flood *f, kcap_t cap)
{
	int report[2], hold[2];

	assert_int_equal(pipe(report), 0);
	assert_int_equal(pipe(hold), 0);
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid == 0) {
		alarm(30); /* not inherited; no child outlives a failed test */
		close(report[0]);
		close(hold[1]);
		_exit(hostile_flood(cap, report[1], hold[0]));
	}
	close(report[1]);
	close(hold[0]);
	assert_int_equal(read(report[0], &f->result, sizeof f->result),
	                 sizeof f->result);
	close(report[0]);
	f->hold = hold[1];
}

static void flood_end(struct flood *f)
{
	close(f->hold);
	assert_int_equal(test_reap(f->pid, 10), 0);
}

static uint32_t server_fds(kcap_t cap)
{
	kmsg_t reply;
	uint32_t fds;

	assert_int_equal(test_call(cap, 'K', NULL, 0, &reply, 5000), 0);
	memcpy(&fds, reply.data, sizeof fds);
	return fds;
}

/* Waits until the server has given back the channels of clients that
 * went away (it closes them as it sees their end-of-file). */
static void wait_server_fds(kcap_t cap, uint32_t fds)
{
	for (int i = 0; i < 500 && server_fds(cap) != fds; i++)
		usleep(10000);
	assert_int_equal(server_fds(cap), fds);
}

/* One hostile process takes its share of the channels and no more: the
 * kernel's word on who opens a channel, not the client's, decides. Other
 * clients go on opening channels. */
static void test_one_client_cannot_take_every_channel(void **state)
{
	struct test_server s;
	struct flood f;
	kmsg_t reply;
	kcap_t copy;

	test_server_spawn(&s);
	uint32_t baseline = server_fds(s.cap);
	flood_begin(&f, s.cap);
	assert_int_equal(f.result.served, KENDPOINT_MAX_CLIENT_CHANNELS);
	assert_int_equal(f.result.refusal, TAG_LIMIT);

	/* Another client opens a new channel and is served. */
	assert_int_equal(kcap_copy(s.cap, &copy), 0);
	assert_int_equal(test_call(copy, 'E', "b", 1, &reply, 5000), 0);
	assert_memory_equal(reply.data, "Eb", 2);
	kcap_close(copy);

	flood_end(&f);
	wait_server_fds(s.cap, baseline);
	test_server_stop(&s);
}

/* A well-behaved process that needs more channels than its share gets
 * KERR_LIMIT, and a channel again once it gives one back. */
static void test_client_at_its_share_gets_a_clear_error(void **state)
{
	struct test_server s;
	static kcap_t copies[KENDPOINT_MAX_CLIENT_CHANNELS];
	kmsg_t reply;

	test_server_spawn(&s);
	uint32_t baseline = server_fds(s.cap); /* s.cap holds a channel */
	for (unsigned i = 0; i + 1 < KENDPOINT_MAX_CLIENT_CHANNELS; i++) {
		assert_int_equal(kcap_copy(s.cap, &copies[i]), 0);
		assert_int_equal(test_call(copies[i], 'E', "a", 1, &reply,
		                           5000),
		                 0);
	}
	kcap_t last;
	assert_int_equal(kcap_copy(s.cap, &last), 0);
	assert_int_equal(test_call(last, 'E', "z", 1, &reply, 5000),
	                 KERR_LIMIT);
	assert_string_equal(kerr_str(KERR_LIMIT),
	                    "this process has its share of channels already");

	/* Giving back one channel makes room for another. */
	kcap_close(copies[0]);
	wait_server_fds(s.cap, baseline + KENDPOINT_MAX_CLIENT_CHANNELS - 2);
	assert_int_equal(test_call(last, 'E', "z", 1, &reply, 5000), 0);
	assert_memory_equal(reply.data, "Ez", 2);

	kcap_close(last);
	for (unsigned i = 1; i + 1 < KENDPOINT_MAX_CLIENT_CHANNELS; i++)
		kcap_close(copies[i]);
	test_server_stop(&s);
}

/* Hostile processes together fill the endpoint: the server keeps
 * KENDPOINT_MAX_CHANNELS and refuses the rest, a channel opened before
 * the flood goes on working, a well-behaved caller that needs a new
 * channel gets KERR_NOMEM, and once the hostile processes are gone new
 * channels are taken again. */
#define FLOODERS (KENDPOINT_MAX_CHANNELS / KENDPOINT_MAX_CLIENT_CHANNELS)

static void test_channel_limit_against_hostile_clients(void **state)
{
	struct test_server s;
	struct flood f[FLOODERS];
	kmsg_t reply;
	kcap_t copy;
	uint32_t served = 0;

	test_server_spawn(&s);
	/* This thread's channel, open before the flood. */
	uint32_t baseline = server_fds(s.cap);
	for (unsigned i = 0; i < FLOODERS; i++) {
		flood_begin(&f[i], s.cap);
		served += f[i].result.served;
		assert_int_equal(f[i].result.refusal,
		                 i + 1 < FLOODERS ? TAG_LIMIT : TAG_REFUSE);
	}
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

	/* The hostile processes go: their channels are given back. The
	 * last goes first, since each holds the earlier ones' hold pipes. */
	for (unsigned i = FLOODERS; i-- > 0;)
		flood_end(&f[i]);
	wait_server_fds(s.cap, baseline);
	assert_int_equal(test_call(copy, 'E', "c", 1, &reply, 5000), 0);
	assert_memory_equal(reply.data, "Ec", 2);
	kcap_close(copy);
	test_server_stop(&s);
}

/* An endpoint served by this thread's waitset, for tests that play the
 * server by hand. */
struct local_endpoint {
	kwaitset_t *ws;
	kendpoint_t *ep;
	kcap_t cap;
};

/* Makes the endpoint, opens a channel to it by hand, sends request "E0"
 * and receives it into *ev and *msg; returns the channel. */
static int local_begin(struct local_endpoint *l, kevent_t *ev, kmsg_t *msg)
{
	assert_int_equal(kwaitset_create(&l->ws), 0);
	assert_int_equal(kendpoint_create(&l->ep, &l->cap), 0);
	assert_int_equal(kwaitset_add_endpoint(l->ws, l->ep, NULL), 0);
	int chan = raw_open_channel(l->cap);
	assert_true(chan >= 0);
	assert_int_equal(raw_request(chan, "E0", 2), 0);
	assert_int_equal(kwaitset_wait(l->ws, ev, msg, 5000), 0);
	return chan;
}

static void local_end(struct local_endpoint *l, int chan)
{
	close(chan);
	kwaitset_destroy(l->ws);
	kendpoint_dissolve(l->ep);
	kcap_close(l->cap);
}

static void test_second_request_before_the_reply_closes_the_channel(
	void **state)
{
	struct local_endpoint l;
	kevent_t ev;
	static kmsg_t msg, reply;
	char byte;

	/* A well-behaved request on a hand-made channel is answered. */
	int chan = local_begin(&l, &ev, &msg);
	reply.size = 0;
	reply.cap_count = 0;
	assert_int_equal(kipc_reply(ev.reply, &reply), 0);
	assert_int_equal(raw_answer_tag(chan), TAG_REPLY);

	/* Two at once: the first is taken, the second ends the channel. */
	assert_int_equal(raw_request(chan, "E1", 2), 0);
	assert_int_equal(raw_request(chan, "E2", 2), 0);
	assert_int_equal(kwaitset_wait(l.ws, &ev, &msg, 5000), 0);
	assert_memory_equal(msg.data, "E1", 2);
	kreply_t first = ev.reply;
	assert_int_equal(kwaitset_wait(l.ws, &ev, &msg, 0), KERR_TIMEOUT);
	assert_int_equal(kipc_reply(first, &reply), 0); /* answers nobody */
	assert_int_equal(recv(chan, &byte, 1, MSG_DONTWAIT), 0);
	local_end(&l, chan);
}

/* A dropped request is answered with a bare drop tag, which a
 * well-behaved caller takes as the end of its channel; one that sends
 * on regardless loses the channel. No shutdown() is needed for either. */
static void test_caller_that_ignores_a_drop_loses_the_channel(void **state)
{
	struct local_endpoint l;
	kevent_t ev;
	static kmsg_t msg;
	char byte;

	int chan = local_begin(&l, &ev, &msg);
	kipc_reply_drop(ev.reply);
	assert_int_equal(raw_answer_tag(chan), TAG_DROP);

	assert_int_equal(raw_request(chan, "E1", 2), 0);
	assert_int_equal(kwaitset_wait(l.ws, &ev, &msg, 0), KERR_TIMEOUT);
	assert_int_equal(recv(chan, &byte, 1, MSG_DONTWAIT), 0);
	local_end(&l, chan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_client_cannot_take_every_channel),
		cmocka_unit_test(test_client_at_its_share_gets_a_clear_error),
		cmocka_unit_test(test_channel_limit_against_hostile_clients),
		cmocka_unit_test(
			test_second_request_before_the_reply_closes_the_channel),
		cmocka_unit_test(
			test_caller_that_ignores_a_drop_loses_the_channel),
	};

	return cmocka_run_group_tests(tests, setup_alarm, teardown_alarm);
}
