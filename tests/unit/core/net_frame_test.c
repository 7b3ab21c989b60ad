/*
 * Tests of the framing of connections over one byte stream
 * (core/net_frame.h): the header's bytes; a sequence of frames read
 * whole, a byte at a time and cut at every point (and every pair of
 * points), always to the same events; stale frames of an older
 * connection dropped at either end, also when this end closes in the
 * middle of a frame; every refusal, after which nothing more is taken;
 * a peer's ids that cannot grow the state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "net_frame.h"

#include <stdio.h>
#include <string.h>

/* What a decoder found, as text: "O1;" opened, "C1;" closed, "D1:abc;"
 * the bytes of connection 1 in a row (however they were cut), "R:why;"
 * refused. */
struct transcript {
	char text[16384];
	size_t len;
	int in_data; /* the last record is a D still open to more bytes */
	uint32_t data_id;
};

static void put(struct transcript *t, const char *s, size_t n)
{
	assert_true(t->len + n < sizeof(t->text));
	memcpy(t->text + t->len, s, n);
	t->len += n;
	t->text[t->len] = '\0';
}

static void record(struct transcript *t, const struct net_frame_event *ev)
{
	char word[160];
	if (ev->kind == NET_FRAME_NOTHING)
		return;
	if (ev->kind == NET_FRAME_BYTES && t->in_data && t->data_id == ev->id) {
		t->len--; /* reopen the record: drop its ';' */
		put(t, (const char *)ev->bytes, ev->len);
		put(t, ";", 1);
		return;
	}
	t->in_data = ev->kind == NET_FRAME_BYTES;
	t->data_id = ev->id;
	switch (ev->kind) {
	case NET_FRAME_OPENED:
		snprintf(word, sizeof(word), "O%u;", (unsigned)ev->id);
		break;
	case NET_FRAME_CLOSED:
		snprintf(word, sizeof(word), "C%u;", (unsigned)ev->id);
		break;
	case NET_FRAME_REFUSED:
		snprintf(word, sizeof(word), "R:%s;", ev->why);
		break;
	default:
		assert_true(ev->len > 0);
		snprintf(word, sizeof(word), "D%u:", (unsigned)ev->id);
		put(t, word, strlen(word));
		put(t, (const char *)ev->bytes, ev->len);
		put(t, ";", 1);
		return;
	}
	put(t, word, strlen(word));
}

/* Feeds data[len] as the pump does: until every byte is taken. Each
 * call takes at least one byte (linear), and payload slices lie within
 * the input. */
static void feed(struct net_frame_decoder *d, const unsigned char *data,
                 size_t len, struct transcript *t)
{
	size_t off = 0;
	while (off < len) {
		struct net_frame_event ev;
		size_t used = net_frame_decode(d, data + off, len - off, &ev);
		assert_true(used > 0 && used <= len - off);
		if (ev.kind == NET_FRAME_BYTES)
			assert_true(ev.bytes >= data + off &&
			            ev.bytes + ev.len <= data + off + used);
		assert_true(d->cur == 0 || d->cur <= d->last);
		off += used;
		record(t, &ev);
	}
}

/* A stream under construction. */
struct stream {
	unsigned char bytes[16384];
	size_t len;
};

static void frame(struct stream *s, enum net_frame_kind kind, uint32_t id,
                  const char *payload, size_t len)
{
	assert_true(s->len + NET_FRAME_HEADER + len <= sizeof(s->bytes));
	net_frame_header(s->bytes + s->len, kind, id, (uint32_t)len);
	memcpy(s->bytes + s->len + NET_FRAME_HEADER, payload, len);
	s->len += NET_FRAME_HEADER + len;
}

static void raw(struct stream *s, const void *bytes, size_t len)
{
	memcpy(s->bytes + s->len, bytes, len);
	s->len += len;
}

/* What a listening end reads of a dialling peer with two connections;
 * the second's frames come while stale ones of the first still arrive. */
static void listener_sequence(struct stream *s)
{
	frame(s, NET_FRAME_OPEN, 1, "", 0);
	frame(s, NET_FRAME_DATA, 1, "hello ", 6);
	frame(s, NET_FRAME_DATA, 1, "world", 5);
	frame(s, NET_FRAME_OPEN, 2, "", 0); /* ends 1 without its CLOSE */
	frame(s, NET_FRAME_DATA, 1, "stale", 5);
	frame(s, NET_FRAME_CLOSE, 1, "", 0);
	frame(s, NET_FRAME_DATA, 2, "x", 1);
	frame(s, NET_FRAME_CLOSE, 2, "", 0);
	frame(s, NET_FRAME_DATA, 2, "late", 4);
	frame(s, NET_FRAME_OPEN, 7, "", 0); /* ids may skip */
	frame(s, NET_FRAME_DATA, 7, "seven", 5);
}

static const char listener_expected[] =
	"O1;D1:hello world;O2;D2:x;C2;O7;D7:seven;";

static void test_header_bytes(void **state)
{
	unsigned char h[NET_FRAME_HEADER];
	(void)state;
	net_frame_header(h, NET_FRAME_DATA, 0x01020304u, 4096);
	assert_memory_equal(h, "D\0\x10\0\x01\x02\x03\x04", NET_FRAME_HEADER);
	net_frame_header(h, NET_FRAME_OPEN, 0xffffffffu, 0);
	assert_memory_equal(h, "O\0\0\0\xff\xff\xff\xff", NET_FRAME_HEADER);
	net_frame_header(h, NET_FRAME_CLOSE, 1, 0);
	assert_memory_equal(h, "C\0\0\0\0\0\0\x01", NET_FRAME_HEADER);
}

static void test_whole_and_byte_by_byte(void **state)
{
	struct stream s = { .len = 0 };
	struct net_frame_decoder d;
	struct transcript t = { .len = 0 };
	(void)state;
	listener_sequence(&s);
	net_frame_decoder_init(&d, 0);
	feed(&d, s.bytes, s.len, &t);
	assert_string_equal(t.text, listener_expected);

	memset(&t, 0, sizeof(t));
	net_frame_decoder_init(&d, 0);
	for (size_t i = 0; i < s.len; i++)
		feed(&d, s.bytes + i, 1, &t);
	assert_string_equal(t.text, listener_expected);
}

/* Cut at every pair of points i <= j: three slices, the same events. */
static void test_every_split(void **state)
{
	struct stream s = { .len = 0 };
	(void)state;
	listener_sequence(&s);
	for (size_t i = 0; i <= s.len; i++)
		for (size_t j = i; j <= s.len; j++) {
			struct net_frame_decoder d;
			struct transcript t = { .len = 0 };
			net_frame_decoder_init(&d, 0);
			feed(&d, s.bytes, i, &t);
			feed(&d, s.bytes + i, j - i, &t);
			feed(&d, s.bytes + j, s.len - j, &t);
			assert_string_equal(t.text, listener_expected);
		}
}

/* A frame of a full page cut at every point. */
static void test_full_page_every_cut(void **state)
{
	static char page[NET_FRAME_PAYLOAD_MAX];
	struct stream s = { .len = 0 };
	(void)state;
	for (size_t i = 0; i < sizeof(page); i++)
		page[i] = (char)('a' + i % 26);
	frame(&s, NET_FRAME_OPEN, 3, "", 0);
	frame(&s, NET_FRAME_DATA, 3, page, sizeof(page));
	frame(&s, NET_FRAME_CLOSE, 3, "", 0);
	for (size_t i = 0; i <= s.len; i++) {
		struct net_frame_decoder d;
		struct transcript t = { .len = 0 };
		net_frame_decoder_init(&d, 0);
		feed(&d, s.bytes, i, &t);
		feed(&d, s.bytes + i, s.len - i, &t);
		assert_int_equal(t.len, 3 + 3 + sizeof(page) + 1 + 3);
		assert_memory_equal(t.text, "O3;D3:", 6);
		assert_memory_equal(t.text + 6, page, sizeof(page));
		assert_string_equal(t.text + 6 + sizeof(page), ";C3;");
	}
}

/* The dialling end: its own OPENs, the peer's stale frames of the
 * connection it ended, its close in the middle of a frame. */
static void test_dialler_stale(void **state)
{
	struct net_frame_decoder d;
	struct transcript t = { .len = 0 };
	struct stream s = { .len = 0 };
	(void)state;
	net_frame_decoder_init(&d, 1);
	assert_int_equal(net_frame_open(&d, 1), 0);
	frame(&s, NET_FRAME_DATA, 1, "one", 3);
	feed(&d, s.bytes, s.len, &t);
	assert_int_equal(net_frame_open(&d, 2), 0); /* 1 is over */
	s.len = 0;
	frame(&s, NET_FRAME_DATA, 1, "stale", 5);
	frame(&s, NET_FRAME_CLOSE, 1, "", 0);
	frame(&s, NET_FRAME_DATA, 2, "abcdef", 6);
	feed(&d, s.bytes, s.len - 3, &t);
	net_frame_close(&d, 2); /* in the middle of the frame */
	feed(&d, s.bytes + s.len - 3, 3, &t);
	assert_string_equal(t.text, "D1:one;D2:abc;");
	/* its ids must grow; the peer's CLOSE of the open one ends it */
	assert_int_equal(net_frame_open(&d, 2), -1);
	assert_int_equal(net_frame_open(&d, 9), 0);
	s.len = 0;
	frame(&s, NET_FRAME_CLOSE, 9, "", 0);
	frame(&s, NET_FRAME_DATA, 9, "late", 4);
	feed(&d, s.bytes, s.len, &t);
	assert_string_equal(t.text, "D1:one;D2:abc;C9;");
	assert_int_equal(d.cur, 0);
}

/* Each malformed stream: one REFUSED with its reason, every byte taken,
 * and nothing found after it, not even a good frame. */
static void expect_refused(int dials, uint32_t opened, const struct stream *s,
                           const char *why)
{
	struct net_frame_decoder d;
	struct transcript t = { .len = 0 };
	struct stream good = { .len = 0 };
	char expected[200];
	net_frame_decoder_init(&d, dials);
	if (dials && opened)
		assert_int_equal(net_frame_open(&d, opened), 0);
	feed(&d, s->bytes, s->len, &t);
	snprintf(expected, sizeof(expected), "R:%s;", why);
	assert_string_equal(t.text, expected);
	assert_non_null(d.refused);
	frame(&good, NET_FRAME_DATA, 1, "x", 1);
	feed(&d, good.bytes, good.len, &t);
	assert_string_equal(t.text, expected);
	assert_int_equal(net_frame_open(&d, 100), -1);
}

static void test_refusals(void **state)
{
	struct stream s;
	unsigned char h[NET_FRAME_HEADER];
	(void)state;

	s.len = 0;
	raw(&s, "garbage!", 8);
	expect_refused(0, 0, &s, "a frame of an unknown kind");
	s.len = 0; /* said at the first byte, no header waited for */
	raw(&s, "\0", 1);
	expect_refused(1, 1, &s, "a frame of an unknown kind");

	s.len = 0;
	net_frame_header(h, NET_FRAME_OPEN, 1, 0);
	h[1] = 1;
	raw(&s, h, sizeof(h));
	expect_refused(0, 0, &s, "a frame's reserved byte is not 0");

	s.len = 0;
	frame(&s, NET_FRAME_OPEN, 1, "", 0);
	net_frame_header(h, NET_FRAME_DATA, 1, 0);
	h[2] = 0x10, h[3] = 0x01; /* 4097 */
	raw(&s, h, sizeof(h));
	struct net_frame_decoder d;
	struct transcript t = { .len = 0 };
	net_frame_decoder_init(&d, 0);
	feed(&d, s.bytes, s.len, &t);
	assert_string_equal(t.text, "O1;R:a frame is longer than one page;");
	h[2] = h[3] = 0xff;
	s.len = 0;
	raw(&s, h, sizeof(h));
	expect_refused(1, 1, &s, "a frame is longer than one page");

	s.len = 0;
	net_frame_header(h, NET_FRAME_DATA, 1, 0);
	raw(&s, h, sizeof(h));
	expect_refused(1, 1, &s, "a DATA frame is empty");

	s.len = 0;
	net_frame_header(h, NET_FRAME_OPEN, 1, 0);
	h[3] = 1;
	raw(&s, h, sizeof(h));
	expect_refused(0, 0, &s, "an OPEN or CLOSE frame has a payload");
	s.len = 0;
	net_frame_header(h, NET_FRAME_CLOSE, 1, 0);
	h[3] = 1;
	raw(&s, h, sizeof(h));
	expect_refused(1, 1, &s, "an OPEN or CLOSE frame has a payload");

	s.len = 0;
	net_frame_header(h, NET_FRAME_CLOSE, 1, 0);
	h[7] = 0;
	raw(&s, h, sizeof(h));
	expect_refused(1, 1, &s, "a frame names connection 0");

	s.len = 0;
	frame(&s, NET_FRAME_OPEN, 5, "", 0);
	expect_refused(1, 1, &s, "an OPEN came from the listening end");

	s.len = 0;
	frame(&s, NET_FRAME_OPEN, 3, "", 0);
	frame(&s, NET_FRAME_OPEN, 3, "", 0);
	memset(&t, 0, sizeof(t));
	net_frame_decoder_init(&d, 0);
	feed(&d, s.bytes, s.len, &t);
	assert_string_equal(t.text, "O3;R:an OPEN's id is not above the newest "
	                            "one's;");

	s.len = 0;
	frame(&s, NET_FRAME_DATA, 2, "ghost", 5);
	expect_refused(1, 1, &s, "a frame names a connection never opened");
	s.len = 0;
	frame(&s, NET_FRAME_CLOSE, 1, "", 0);
	expect_refused(0, 0, &s, "a frame names a connection never opened");
}

/* Stale at the listening end: an id at or below the newest, not open. */
static void test_listener_stale_ids(void **state)
{
	struct net_frame_decoder d;
	struct transcript t = { .len = 0 };
	struct stream s = { .len = 0 };
	(void)state;
	frame(&s, NET_FRAME_OPEN, 5, "", 0);
	frame(&s, NET_FRAME_DATA, 3, "old", 3);
	frame(&s, NET_FRAME_CLOSE, 4, "", 0);
	frame(&s, NET_FRAME_DATA, 5, "new", 3);
	net_frame_decoder_init(&d, 0);
	feed(&d, s.bytes, s.len, &t);
	assert_string_equal(t.text, "O5;D5:new;");
	/* this end closed 5: its frames are stale now, not refused */
	net_frame_close(&d, 5);
	s.len = 0;
	frame(&s, NET_FRAME_DATA, 5, "after", 5);
	frame(&s, NET_FRAME_CLOSE, 5, "", 0);
	feed(&d, s.bytes, s.len, &t);
	assert_string_equal(t.text, "O5;D5:new;");
	assert_null(d.refused);
}

/* However many connections a peer opens, the state is the newest and
 * the open one; the top id leaves no room for another OPEN. */
static void test_hostile_ids_bounded(void **state)
{
	struct net_frame_decoder d;
	struct transcript t;
	unsigned char h[NET_FRAME_HEADER];
	(void)state;
	net_frame_decoder_init(&d, 0);
	for (uint32_t id = 1; id <= 100000; id += 3) {
		struct net_frame_event ev;
		net_frame_header(h, NET_FRAME_OPEN, id, 0);
		assert_int_equal(net_frame_decode(&d, h, sizeof(h), &ev),
		                 sizeof(h));
		assert_int_equal(ev.kind, NET_FRAME_OPENED);
		assert_int_equal(d.cur, id);
		assert_int_equal(d.last, id);
	}
	memset(&t, 0, sizeof(t));
	net_frame_header(h, NET_FRAME_OPEN, 0xffffffffu, 0);
	feed(&d, h, sizeof(h), &t);
	net_frame_header(h, NET_FRAME_OPEN, 0xfffffffeu, 0);
	feed(&d, h, sizeof(h), &t);
	assert_string_equal(t.text, "O4294967295;R:an OPEN's id is not above "
	                            "the newest one's;");

	net_frame_decoder_init(&d, 1);
	assert_int_equal(net_frame_open(&d, 0xffffffffu), 0);
	assert_int_equal(net_frame_open(&d, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_bytes),
		cmocka_unit_test(test_whole_and_byte_by_byte),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_full_page_every_cut),
		cmocka_unit_test(test_dialler_stale),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_listener_stale_ids),
		cmocka_unit_test(test_hostile_ids_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
