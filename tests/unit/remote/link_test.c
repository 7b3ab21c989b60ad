/*
 * Unit tests of the remote link (pkg/remote/link): two nodes in one
 * process, each on one end of a socketpair, the second in a thread. Covers
 * the TLS pinning (a wrong key refused on both sides), messages round trip,
 * hostile frames written by a peer that speaks TLS directly (tls.h),
 * credit exhaustion that blocks the sender while the receiver holds no
 * more than a window, identities through PEM, and reconnection.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <remote/identity.h>
#include <remote/link.h>
#include <remote/reconnect.h>
#include <remote/stream.h>

#include "tls.h"

static identity_t *node_a, *node_b, *stranger;

/* What the thread of the second node does, and what it found. */
struct peer {
	int fd;
	identity_t *self;
	identity_pin_t pin; /* whom it accepts */
	void (*script)(struct peer *p, link_t *l);
	int open_rc;
	int result;
	char err[320];
	pthread_t thread;
	uint8_t buf[FRAME_PAYLOAD_MAX];
};

static identity_pin_t pin_of(const identity_t *id, const char *name)
{
	identity_pin_t p;
	memset(&p, 0, sizeof p);
	snprintf(p.name, sizeof p.name, "%s", name);
	identity_fingerprint(id, p.fp);
	return p;
}

static void *peer_main(void *arg)
{
	struct peer *p = arg;
	link_config_t cfg = { p->self, &p->pin, 1, 1, 5000, 0, 0 };
	link_t *l;
	link_stream_t stream;
	assert_int_equal(stream_fd(p->fd, &stream), 0);
	p->open_rc = link_open(&l, &stream, &cfg, p->err, sizeof p->err);
	if (p->open_rc == 0) {
		if (p->script)
			p->script(p, l);
		link_close(l);
	}
	return NULL;
}

static void start_peer(struct peer *p, int fd, identity_t *self,
                       const identity_t *accepts,
                       void (*script)(struct peer *, link_t *))
{
	memset(p, 0, sizeof *p);
	p->fd = fd;
	p->self = self;
	p->pin = pin_of(accepts, "a");
	p->script = script;
	assert_int_equal(pthread_create(&p->thread, NULL, peer_main, p), 0);
}

static int open_a_keepalive(int fd, const identity_t *accepts, link_t **l,
                            char *err, size_t errlen, int idle_ms, int dead_ms)
{
	identity_pin_t pin = pin_of(accepts, "b");
	link_config_t cfg = { node_a, &pin, 1, 0, 5000, idle_ms, dead_ms };
	link_stream_t stream;
	assert_int_equal(stream_fd(fd, &stream), 0);
	return link_open(l, &stream, &cfg, err, errlen);
}

static int open_a(int fd, const identity_t *accepts, link_t **l, char *err,
                  size_t errlen)
{
	return open_a_keepalive(fd, accepts, l, err, errlen, 0, 0);
}

static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

/* --- scripts of the second node ----------------------------------------- */

/* Echoes every message on its channel until the link ends. */
static void echo(struct peer *p, link_t *l)
{
	uint32_t ch, len;
	while ((p->result = link_recv(l, &ch, p->buf, &len, 5000)) == 0)
		if ((p->result = link_send(l, ch, p->buf, len, 5000)) != 0)
			break;
}

/* Reads nothing for a while, then everything. */
static volatile int drain_now;
static void slow_reader(struct peer *p, link_t *l)
{
	uint32_t ch, len, total = 0;
	while (!drain_now)
		usleep(1000);
	while (total < 3 * LINK_WINDOW &&
	       (p->result = link_recv(l, &ch, p->buf, &len, 5000)) == 0)
		total += len;
	if (!p->result)
		p->result = (int)(total / 1024);
}

/* --- tests ---------------------------------------------------------------- */

static void messages_round_trip(void **state)
{
	int sv[2];
	struct peer p;
	link_t *l;
	char err[320];
	uint8_t msg[1000], back[FRAME_PAYLOAD_MAX];
	uint32_t ch, len;
	(void)state;
	pair(sv);
	start_peer(&p, sv[1], node_b, node_a, echo);
	assert_int_equal(open_a(sv[0], node_b, &l, err, sizeof err), 0);
	for (uint32_t i = 0; i < 20; i++) {
		uint32_t n = 1 + i * 50;
		memset(msg, (int)i, n);
		assert_int_equal(link_send(l, i % FRAME_CHANNELS, msg, n, 5000),
		                 0);
		assert_int_equal(link_recv(l, &ch, back, &len, 5000), 0);
		assert_int_equal(ch, i % FRAME_CHANNELS);
		assert_int_equal(len, n);
		assert_memory_equal(back, msg, n);
	}
	/* a full-size message, and arguments out of range refused */
	static uint8_t big[FRAME_PAYLOAD_MAX];
	memset(big, 0x5a, sizeof big);
	assert_int_equal(link_send(l, 3, big, sizeof big, 5000), 0);
	assert_int_equal(link_recv(l, &ch, back, &len, 5000), 0);
	assert_int_equal(len, FRAME_PAYLOAD_MAX);
	assert_int_equal(link_send(l, 3, big, 0, 0), LINK_ERR_ARGUMENT);
	assert_int_equal(link_send(l, FRAME_CHANNELS, big, 1, 0),
	                 LINK_ERR_ARGUMENT);
	link_close(l);
	pthread_join(p.thread, NULL);
	assert_int_equal(p.result, LINK_ERR_CLOSED);
}

static void wrong_peer_key_is_refused(void **state)
{
	int sv[2];
	struct peer p;
	link_t *l = NULL;
	char err[320] = "", fp[IDENTITY_FP_TEXT];
	uint8_t raw[IDENTITY_FP_BYTES];
	(void)state;
	/* b accepts a, but the stranger dials it with its own key */
	pair(sv);
	start_peer(&p, sv[1], node_b, node_a, echo);
	{
		identity_pin_t pin = pin_of(node_b, "b");
		link_config_t cfg = { stranger, &pin, 1, 0, 5000, 0, 0 };
		link_stream_t stream;
		int rc;
		assert_int_equal(stream_fd(sv[0], &stream), 0);
		rc = link_open(&l, &stream, &cfg, err, sizeof err);
		assert_int_equal(rc, LINK_ERR_PEER);
	}
	assert_null(l);
	pthread_join(p.thread, NULL);
	assert_int_equal(p.open_rc, LINK_ERR_PEER);
	identity_fingerprint(stranger, raw);
	identity_fp_format(raw, fp);
	assert_non_null(strstr(p.err, fp)); /* b names the key it refused */
	assert_non_null(strstr(err, "refused this node's key"));

	/* a dials b but pinned the stranger's key for b: a refuses b */
	pair(sv);
	start_peer(&p, sv[1], node_b, node_a, echo);
	assert_int_equal(open_a(sv[0], stranger, &l, err, sizeof err),
	                 LINK_ERR_PEER);
	assert_non_null(strstr(err, "is not pinned"));
	pthread_join(p.thread, NULL);
	assert_int_not_equal(p.open_rc, 0);
}

/* A hostile node b: speaks TLS itself, answers the first ping, then sends
 * `bytes` raw. The honest node a must refuse and say why. */
struct hostile {
	int fd;
	const uint8_t *bytes;
	size_t len;
	int rc;
	int hold_ms;
};

static void *hostile_main(void *arg)
{
	struct hostile *h = arg;
	identity_pin_t pin = pin_of(node_a, "a"), peer;
	tls_conn_t *c;
	uint8_t ping[FRAME_HEADER_BYTES + 8], pong[FRAME_HEADER_BYTES + 8];
	frame_header_t ph = { FRAME_PONG, 0, 8 };
	char err[320];
	size_t got = 0;
	int64_t deadline = tls_now_ms() + 5000;
	link_stream_t stream;
	if (stream_fd(h->fd, &stream) != 0) {
		h->rc = -1;
		return NULL;
	}
	h->rc = tls_open(&c, &stream, 1, node_b, &pin, 1, &peer, deadline, err,
	                 sizeof err);
	if (h->rc)
		return NULL;
	while (got < sizeof ping) {
		long n = tls_read_some(c, ping + got, sizeof ping - got,
		                       deadline, err, sizeof err);
		if (n < 0) {
			h->rc = (int)n;
			tls_close(c);
			return NULL;
		}
		got += (size_t)n;
	}
	frame_header_encode(&ph, pong);
	memcpy(pong + FRAME_HEADER_BYTES, ping + FRAME_HEADER_BYTES, 8);
	h->rc = tls_write_all(c, pong, sizeof pong, deadline, err, sizeof err);
	if (!h->rc && h->len)
		h->rc = tls_write_all(c, h->bytes, h->len, deadline, err,
		                      sizeof err);
	/* let a read what it got before the connection ends */
	usleep(1000u * (unsigned)(h->hold_ms ? h->hold_ms : 100));
	tls_close(c);
	return NULL;
}

static int against_hostile(const uint8_t *bytes, size_t len, char *why,
                           size_t n)
{
	int sv[2], rc;
	pthread_t t;
	link_t *l;
	uint8_t buf[FRAME_PAYLOAD_MAX];
	uint32_t ch, got;
	struct hostile h = { 0, bytes, len, 0, 0 };
	char err[320];
	pair(sv);
	h.fd = sv[1];
	assert_int_equal(pthread_create(&t, NULL, hostile_main, &h), 0);
	assert_int_equal(open_a(sv[0], node_b, &l, err, sizeof err), 0);
	rc = link_recv(l, &ch, buf, &got, 5000);
	snprintf(why, n, "%s", link_error(l));
	/* once dead, always dead: the next call says the same */
	assert_int_equal(link_send(l, 0, buf, 1, 0), rc);
	link_close(l);
	pthread_join(t, NULL);
	assert_int_equal(h.rc, 0);
	return rc;
}

static size_t put_frame(uint8_t *out, uint32_t type, uint32_t ch, uint32_t len)
{
	frame_header_t h = { type, ch, len };
	frame_header_encode(&h, out);
	memset(out + FRAME_HEADER_BYTES, 0x41, len);
	return FRAME_HEADER_BYTES + len;
}

static void hostile_frames_are_refused(void **state)
{
	static uint8_t bytes[4 * LINK_WINDOW];
	char why[320];
	size_t n;
	(void)state;

	n = put_frame(bytes, FRAME_DATA, 0, 0);
	frame_put_u32(bytes + 8, FRAME_PAYLOAD_MAX + 1); /* oversized */
	assert_int_equal(against_hostile(bytes, n, why, sizeof why),
	                 LINK_ERR_PROTOCOL);
	assert_non_null(strstr(why, "length outside the bounds"));

	n = put_frame(bytes, 77, 0, 4); /* unknown type */
	assert_int_equal(against_hostile(bytes, n, why, sizeof why),
	                 LINK_ERR_PROTOCOL);
	assert_non_null(strstr(why, "unknown type"));

	n = put_frame(bytes, FRAME_DATA, 40, 4); /* no such channel */
	assert_int_equal(against_hostile(bytes, n, why, sizeof why),
	                 LINK_ERR_PROTOCOL);

	n = put_frame(bytes, FRAME_DATA, 1, 100); /* truncated */
	assert_int_equal(against_hostile(bytes, n - 30, why, sizeof why),
	                 LINK_ERR_PROTOCOL);
	assert_non_null(strstr(why, "ended inside a frame"));

	n = put_frame(bytes, FRAME_CREDIT, 0, 4); /* credit not owed */
	frame_put_u32(bytes + FRAME_HEADER_BYTES, 1);
	assert_int_equal(against_hostile(bytes, n, why, sizeof why),
	                 LINK_ERR_PROTOCOL);
	assert_non_null(strstr(why, "does not owe"));
}

/* A peer that sends beyond the window is cut off, and node a never holds
 * more than one window of its messages: a waits for credit on channel 5
 * (so it reads, and queues what comes on channel 2, without consuming). */
static void flooding_beyond_credit_kills_link(void **state)
{
	static uint8_t bytes[4 * (FRAME_HEADER_BYTES + FRAME_PAYLOAD_MAX)];
	static uint8_t big[FRAME_PAYLOAD_MAX];
	int sv[2];
	pthread_t t;
	link_t *l;
	size_t n = 0;
	struct hostile h = { 0, bytes, 0, 0, 0 };
	char err[320];
	(void)state;
	for (int i = 0; i < 4; i++)
		n += put_frame(bytes + n, FRAME_DATA, 2, FRAME_PAYLOAD_MAX);
	h.len = n;
	pair(sv);
	h.fd = sv[1];
	assert_int_equal(pthread_create(&t, NULL, hostile_main, &h), 0);
	assert_int_equal(open_a(sv[0], node_b, &l, err, sizeof err), 0);
	assert_int_equal(link_send(l, 5, big, sizeof big, 5000), 0);
	assert_int_equal(link_send(l, 5, big, sizeof big, 5000), 0);
	assert_int_equal(link_send(l, 5, big, 1, 5000), LINK_ERR_PROTOCOL);
	assert_non_null(strstr(link_error(l), "beyond its credit"));
	link_close(l);
	pthread_join(t, NULL);
}

static void credit_exhaustion_blocks_sender(void **state)
{
	int sv[2];
	struct peer p;
	link_t *l;
	char err[320];
	static uint8_t chunk[16384];
	uint32_t sent = 0;
	int rc;
	(void)state;
	drain_now = 0;
	pair(sv);
	start_peer(&p, sv[1], node_b, node_a, slow_reader);
	assert_int_equal(open_a(sv[0], node_b, &l, err, sizeof err), 0);
	/* b reads nothing: a can send exactly one window, then waits */
	while ((rc = link_send(l, 5, chunk, sizeof chunk, 200)) == 0)
		sent += sizeof chunk;
	assert_int_equal(rc, LINK_ERR_TIMEOUT);
	assert_int_equal(sent, LINK_WINDOW);
	assert_int_equal(link_send(l, 5, chunk, 1, 0),
	                 LINK_ERR_TIMEOUT); /* no credit */
	/* other channels have credit of their own */
	assert_int_equal(link_send(l, 6, chunk, 1, 200), 0);
	sent += 1;
	/* b drains; a's sends go through again */
	drain_now = 1;
	while (sent < 3 * LINK_WINDOW) {
		assert_int_equal(link_send(l, 5, chunk, sizeof chunk, 5000), 0);
		sent += sizeof chunk;
	}
	pthread_join(p.thread, NULL);
	assert_int_equal(p.result, (int)(3 * LINK_WINDOW / 1024));
	link_close(l);
}

/* A peer that answers the handshake and then nothing (a machine gone
 * without FIN or RST) is declared dead by the keepalive. */
/* A peer that says nothing after the handshake is declared dead within
 * dead_ms, by a thread in link_recv() or (by_wait) in link_wait(). */
static void silent_peer_is_dead(int by_wait)
{
	int sv[2];
	pthread_t t;
	link_t *l;
	uint8_t buf[FRAME_PAYLOAD_MAX];
	uint32_t ch, len;
	struct hostile h = { 0, NULL, 0, 0, 3000 };
	char err[320];
	int64_t start;
	pair(sv);
	h.fd = sv[1];
	assert_int_equal(pthread_create(&t, NULL, hostile_main, &h), 0);
	assert_int_equal(open_a_keepalive(sv[0], node_b, &l, err, sizeof err,
	                                  100, 400),
	                 0);
	start = tls_now_ms();
	assert_int_equal(by_wait ? link_wait(l, -1)
	                         : link_recv(l, &ch, buf, &len, -1),
	                 LINK_ERR_IO);
	assert_true(tls_now_ms() - start < 2000);
	assert_non_null(strstr(link_error(l), "keepalive"));
	link_close(l);
	pthread_join(t, NULL);
}

static void keepalive_notices_silent_peer(void **state)
{
	(void)state;
	silent_peer_is_dead(0);
}

/* link_wait() on a silent peer: declared dead from inside the wait. */
static void wait_notices_silent_peer(void **state)
{
	(void)state;
	silent_peer_is_dead(1);
}

/* A live peer answers the keepalive: a quiet link stays up, in
 * link_recv() and in link_wait(). */
static void keepalive_keeps_live_link(void **state)
{
	int sv[2];
	struct peer p;
	link_t *l;
	uint8_t buf[FRAME_PAYLOAD_MAX];
	uint32_t ch, len;
	char err[320];
	(void)state;
	pair(sv);
	start_peer(&p, sv[1], node_b, node_a, echo);
	assert_int_equal(open_a_keepalive(sv[0], node_b, &l, err, sizeof err,
	                                  100, 400),
	                 0);
	assert_int_equal(link_recv(l, &ch, buf, &len, 1500), LINK_ERR_TIMEOUT);
	assert_int_equal(link_send(l, 4, "still", 5, 1000), 0);
	assert_int_equal(link_recv(l, &ch, buf, &len, 1000), 0);
	assert_memory_equal(buf, "still", 5);
	/* link_wait(): the same while asleep; a message wakes it (1), and
	 * is then received without waiting */
	assert_int_equal(link_wait(l, 0), LINK_ERR_TIMEOUT);
	assert_int_equal(link_wait(l, 1000), LINK_ERR_TIMEOUT);
	assert_int_equal(link_send(l, 7, "wake", 4, 1000), 0);
	assert_int_equal(link_wait(l, 5000), 1);
	assert_int_equal(link_recv(l, &ch, buf, &len, 0), 0);
	assert_int_equal(ch, 7);
	assert_memory_equal(buf, "wake", 4);
	link_close(l);
	pthread_join(p.thread, NULL);
}

static void identity_survives_pem(void **state)
{
	char *key, *cert, err[320];
	identity_t *back;
	uint8_t a[IDENTITY_FP_BYTES], b[IDENTITY_FP_BYTES];
	char text[IDENTITY_FP_TEXT];
	(void)state;
	assert_int_equal(identity_to_pem(node_a, &key, &cert), 0);
	assert_int_equal(identity_from_pem(&back, key, strlen(key), cert,
	                                   strlen(cert), err, sizeof err),
	                 0);
	identity_fingerprint(node_a, a);
	identity_fingerprint(back, b);
	assert_memory_equal(a, b, sizeof a);
	identity_free(back);
	/* a certificate of another key is refused */
	{
		char *key2, *cert2;
		assert_int_equal(identity_to_pem(node_b, &key2, &cert2), 0);
		assert_int_equal(identity_from_pem(&back, key, strlen(key),
		                                   cert2, strlen(cert2), err,
		                                   sizeof err),
		                 -1);
		assert_non_null(strstr(err, "not for this key"));
		assert_int_equal(identity_from_pem(&back, "junk", 4, cert2,
		                                   strlen(cert2), err,
		                                   sizeof err),
		                 -1);
		free(key2);
		free(cert2);
	}
	free(key);
	free(cert);
	/* fingerprints as text */
	identity_fp_format(a, text);
	assert_int_equal(strlen(text), IDENTITY_FP_TEXT - 1);
	memset(b, 0, sizeof b);
	assert_int_equal(identity_fp_parse(text, b), 0);
	assert_memory_equal(a, b, sizeof a);
	text[20] = 'g';
	assert_int_equal(identity_fp_parse(text, b), -1);
	assert_int_equal(identity_fp_parse("sha256:00", b), -1);
	assert_int_equal(identity_fp_parse("md5:", b), -1);
}

static void backoff_doubles_to_its_cap(void **state)
{
	(void)state;
	assert_int_equal(backoff_delay(100, 5000, 1), 100);
	assert_int_equal(backoff_delay(100, 5000, 2), 200);
	assert_int_equal(backoff_delay(100, 5000, 6), 3200);
	assert_int_equal(backoff_delay(100, 5000, 7), 5000);
	assert_int_equal(backoff_delay(100, 5000, 4000000), 5000);
	assert_int_equal(backoff_delay(7, 7, 3), 7);
}

/* Dials fail `failures` times, then give one end of a pair whose other end
 * an echoing node b serves. */
struct dial_ctx {
	unsigned failures, calls;
	uint32_t slept[16];
	unsigned naps;
	struct peer peer;
};

static int test_dial(void *ctx, link_stream_t *out, char *err, size_t errlen)
{
	struct dial_ctx *d = ctx;
	int sv[2];
	if (d->calls++ < d->failures) {
		snprintf(err, errlen, "connection refused (test)");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return -1;
	start_peer(&d->peer, sv[1], node_b, node_a, echo);
	return stream_fd(sv[0], out);
}

static void test_sleep(void *ctx, uint32_t ms)
{
	struct dial_ctx *d = ctx;
	if (d->naps < 16)
		d->slept[d->naps++] = ms;
}

static void reconnects_with_backoff(void **state)
{
	struct dial_ctx d;
	identity_pin_t pin = pin_of(node_b, "b");
	link_config_t cfg = { node_a, &pin, 1, 0, 5000, 0, 0 };
	link_dialer_t dialer = { test_dial, test_sleep, NULL, &d, 50, 300, 0 };
	link_t *l;
	char err[320];
	uint8_t buf[FRAME_PAYLOAD_MAX];
	uint32_t ch, len;
	(void)state;
	memset(&d, 0, sizeof d);
	d.failures = 4;
	assert_int_equal(link_connect(&l, &dialer, &cfg, err, sizeof err), 0);
	assert_int_equal(d.naps, 4);
	assert_int_equal(d.slept[0], 50);
	assert_int_equal(d.slept[1], 100);
	assert_int_equal(d.slept[2], 200);
	assert_int_equal(d.slept[3], 300);
	assert_int_equal(link_send(l, 0, "x", 1, 5000), 0);
	assert_int_equal(link_recv(l, &ch, buf, &len, 5000), 0);
	link_close(l);
	pthread_join(d.peer.thread, NULL);

	/* a bounded number of attempts ends with the dialler's words */
	memset(&d, 0, sizeof d);
	d.failures = 100;
	dialer.max_attempts = 3;
	assert_int_equal(link_connect(&l, &dialer, &cfg, err, sizeof err),
	                 LINK_ERR_IO);
	assert_int_equal(d.calls, 3);
	assert_non_null(strstr(err, "connection refused"));
}

static int setup(void **state)
{
	char err[320];
	(void)state;
	if (identity_generate(&node_a, "a", err, sizeof err) ||
	    identity_generate(&node_b, "b", err, sizeof err) ||
	    identity_generate(&stranger, "b", err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	identity_free(node_a);
	identity_free(node_b);
	identity_free(stranger);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(messages_round_trip),
		cmocka_unit_test(wrong_peer_key_is_refused),
		cmocka_unit_test(hostile_frames_are_refused),
		cmocka_unit_test(flooding_beyond_credit_kills_link),
		cmocka_unit_test(credit_exhaustion_blocks_sender),
		cmocka_unit_test(keepalive_notices_silent_peer),
		cmocka_unit_test(keepalive_keeps_live_link),
		cmocka_unit_test(wait_notices_silent_peer),
		cmocka_unit_test(identity_survives_pem),
		cmocka_unit_test(backoff_doubles_to_its_cap),
		cmocka_unit_test(reconnects_with_backoff),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
