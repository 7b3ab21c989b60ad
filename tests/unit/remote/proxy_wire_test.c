/*
 * The RPC proxy's wire protocol (pkg/remote/rpc/proxy_wire.c) and its
 * reference table (ref_table.c): messages byte for byte (little-endian,
 * fixed width), every kind round trip, hostile messages refused
 * (truncated, unknown kind, lengths and capability counts beyond their
 * bounds, unknown capability kinds, dataspace chunks outside their
 * dataspace, signals of no count, trailing bytes), and references that
 * are stale, guessed or out of range refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <remote/frame.h>

#include "proxy_wire.h"
#include "ref_table.h"

static uint8_t buf[PROXY_MSG_MAX];

static void call_bytes_and_back(void **state)
{
	struct proxy_msg m = { .kind = PROXY_CALL,
		               .tag = 7,
		               .session = 2,
		               .ref = { 3, 0x0102030405060708ull },
		               .cap_count = 1,
		               .data = (const uint8_t *)"req",
		               .len = 3 },
			 d;
	static const uint8_t want[] = {
		3, 0, 0, 0,  7, 0, 0, 0, 2, 0, 0,   0, /* kind tag session */
		3, 0, 0, 0,  8, 7, 6, 5, 4, 3, 2,   1, /* ref */
		1, 0, 0, 0,                            /* one cap */
		3, 0, 0, 0,  9, 0, 0, 0, 1, 0, 0,   0,   0,  0,
		0, 0, 0, 16, 0, 0, 3, 0, 0, 0, 'r', 'e', 'q'
	};
	(void)state;
	m.caps[0] = (struct proxy_cap){ PROXY_CAP_MEMORY, { 9, 1 }, 4096 };
	assert_int_equal(proxy_encode(&m, buf), sizeof want);
	assert_memory_equal(buf, want, sizeof want);
	assert_int_equal(proxy_decode(buf, sizeof want, &d), PROXY_OK);
	assert_int_equal(d.kind, PROXY_CALL);
	assert_int_equal(d.tag, 7);
	assert_int_equal(d.session, 2);
	assert_int_equal(d.ref.slot, 3);
	assert_true(d.ref.nonce == 0x0102030405060708ull);
	assert_int_equal(d.cap_count, 1);
	assert_int_equal(d.caps[0].kind, PROXY_CAP_MEMORY);
	assert_int_equal(d.caps[0].size, 4096);
	assert_int_equal(d.len, 3);
	assert_memory_equal(d.data, "req", 3);
}

static void every_kind_round_trip(void **state)
{
	const struct proxy_msg msgs[] = {
		{ .kind = PROXY_OPEN,
		  .tag = 1,
		  .data = (const uint8_t *)"label=\"x\"",
		  .len = 9 },
		{ .kind = PROXY_OPENED,
		  .tag = 1,
		  .status = -2,
		  .ref = { 1, 5 },
		  .data = (const uint8_t *)"why",
		  .len = 3 },
		{ .kind = PROXY_REPLY,
		  .tag = 9,
		  .status = 0,
		  .cap_count = 4,
		  .data = (const uint8_t *)"\0\0\0\0",
		  .len = 4 },
		{ .kind = PROXY_SIGNAL,
		  .ref = { 255, ~0ull },
		  .count = 0xffffffffu },
		{ .kind = PROXY_DS,
		  .ref = { 2, 3 },
		  .size = 10,
		  .offset = 6,
		  .data = (const uint8_t *)"abcd",
		  .len = 4 },
		{ .kind = PROXY_CLOSE, .session = 0xfffffffeu },
	};
	(void)state;
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		struct proxy_msg d;
		long n = proxy_encode(&msgs[i], buf);
		assert_true(n >= PROXY_HEADER_BYTES);
		assert_int_equal(proxy_decode(buf, (size_t)n, &d), PROXY_OK);
		assert_int_equal(d.kind, msgs[i].kind);
		assert_int_equal(d.tag, msgs[i].tag);
		assert_int_equal(d.session, msgs[i].session);
		assert_int_equal(d.status, msgs[i].status);
		assert_int_equal(d.count, msgs[i].count);
		assert_int_equal(d.len, msgs[i].len);
		assert_int_equal(d.cap_count, msgs[i].cap_count);
		if (d.len)
			assert_memory_equal(d.data, msgs[i].data, d.len);
		/* every shorter prefix is refused, never read beyond */
		for (long cut = 0; cut < n; cut++)
			assert_int_not_equal(proxy_decode(buf, (size_t)cut, &d),
			                     PROXY_OK);
		/* and one byte more is refused too */
		buf[n] = 0;
		assert_int_equal(proxy_decode(buf, (size_t)n + 1, &d),
		                 PROXY_TRAILING);
	}
}

static void full_call_fits(void **state)
{
	static uint8_t data[PROXY_DATA_MAX];
	struct proxy_msg m = { .kind = PROXY_CALL,
		               .cap_count = PROXY_CAPS_MAX,
		               .data = data,
		               .len = PROXY_DATA_MAX },
			 d;
	long n;
	(void)state;
	n = proxy_encode(&m, buf);
	assert_true(n > 0);
	assert_int_equal(proxy_decode(buf, (size_t)n, &d), PROXY_OK);
	m.len = PROXY_DATA_MAX + 1;
	assert_int_equal(proxy_encode(&m, buf), PROXY_BAD_LENGTH);
	m.len = 1;
	m.cap_count = PROXY_CAPS_MAX + 1;
	assert_int_equal(proxy_encode(&m, buf), PROXY_BAD_LENGTH);
	m.kind = 0;
	assert_int_equal(proxy_encode(&m, buf), PROXY_UNKNOWN_KIND);
}

/* Encodes a valid message of `kind`, then lets `patch` spoil it. */
static size_t make(uint32_t kind)
{
	struct proxy_msg m = { .kind = kind, .count = 1, .size = 8, .len = 0 };
	if (kind == PROXY_CALL || kind == PROXY_REPLY)
		m.cap_count = 1;
	return (size_t)proxy_encode(&m, buf);
}

static void hostile_messages_refused(void **state)
{
	struct proxy_msg d;
	size_t n;
	(void)state;
	/* unknown kinds */
	n = make(PROXY_CLOSE);
	buf[0] = 0;
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_UNKNOWN_KIND);
	buf[0] = 99;
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_UNKNOWN_KIND);
	/* a capability count beyond the bound (CALL: header, ref, count) */
	n = make(PROXY_CALL);
	buf[24] = PROXY_CAPS_MAX + 1;
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_LENGTH);
	/* an unknown capability kind, and a size on a signal */
	n = make(PROXY_CALL);
	buf[28] = 9;
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_CAP);
	n = make(PROXY_CALL);
	buf[28] = PROXY_CAP_SIGNAL;
	buf[44] = 1;
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_CAP);
	/* a memory capability of no size, or beyond PROXY_DS_MAX */
	n = make(PROXY_CALL);
	buf[28] = PROXY_CAP_MEMORY;
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_CAP);
	buf[47] = 0x10;
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_CAP);
	/* a data length beyond its bound, and beyond the message */
	n = make(PROXY_OPEN);
	frame_put_u32(buf + 12, PROXY_ARGS_MAX + 1);
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_LENGTH);
	frame_put_u32(buf + 12, 5);
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_TRUNCATED);
	/* a signal of no submits */
	n = make(PROXY_SIGNAL);
	buf[24] = 0;
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_COUNT);
	/* dataspace chunks outside their dataspace */
	n = make(PROXY_DS);
	frame_put_u32(buf + 28, 9); /* offset 9 of size 8 */
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_RANGE);
	frame_put_u32(buf + 24, 0); /* size 0 */
	frame_put_u32(buf + 28, 0);
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_RANGE);
	frame_put_u32(buf + 24, PROXY_DS_MAX + 1);
	assert_int_equal(proxy_decode(buf, n, &d), PROXY_BAD_RANGE);
	assert_string_equal(proxy_strerror(PROXY_BAD_RANGE),
	                    "a dataspace chunk outside its dataspace");
}

static void references(void **state)
{
	static struct ref_table t;
	struct proxy_ref r, s;
	(void)state;
	assert_int_equal(ref_alloc(&t, 0, &r), -1); /* no nonce */
	assert_int_equal(ref_alloc(&t, 0xabc, &r), 0);
	assert_int_equal(ref_find(&t, r), 0);
	s = r;
	s.nonce ^= 1; /* a guess */
	assert_int_equal(ref_find(&t, s), -1);
	s = r;
	s.slot = REF_SLOTS; /* out of range */
	assert_int_equal(ref_find(&t, s), -1);
	ref_free(&t, r.slot);
	assert_int_equal(ref_find(&t, r), -1);         /* stale */
	assert_int_equal(ref_alloc(&t, 0xdef, &s), 0); /* slot reused */
	assert_int_equal(ref_find(&t, r), -1);         /* old nonce: no */
	for (uint32_t i = 1; i < REF_SLOTS; i++)
		assert_int_equal(ref_alloc(&t, i, &s), (int)i);
	assert_int_equal(ref_alloc(&t, 1, &s), -1); /* full */
	assert_int_equal(t.used, REF_SLOTS);
	for (uint32_t i = 0; i < REF_SLOTS; i++) /* what the link going does */
		ref_free(&t, i);
	assert_int_equal(t.used, 0);
	assert_int_equal(ref_find(&t, s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(call_bytes_and_back),
		cmocka_unit_test(every_kind_round_trip),
		cmocka_unit_test(full_call_fits),
		cmocka_unit_test(hostile_messages_refused),
		cmocka_unit_test(references),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
