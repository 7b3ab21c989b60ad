/*
 * Unit tests of the link's frame format (pkg/remote/link/frame.c): the
 * header byte for byte, little-endian whatever the host, and hostile
 * headers refused before their payload is looked at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <remote/frame.h>

#include "frame_scan.h"

static void header_bytes_are_little_endian(void **state)
{
	frame_header_t h = { FRAME_DATA, 7, 0x01020304 }, back;
	uint8_t buf[FRAME_HEADER_BYTES];
	static const uint8_t expect[FRAME_HEADER_BYTES] = { 1, 0, 0, 0, 7, 0,
		                                            0, 0, 4, 3, 2, 1 };
	(void)state;
	h.length = 0x00010000; /* FRAME_PAYLOAD_MAX */
	frame_header_encode(&h, buf);
	assert_int_equal(buf[10], 1);
	h.length = 0x0203;
	frame_header_encode(&h, buf);
	assert_int_equal(buf[8], 3);
	assert_int_equal(buf[9], 2);
	h.length = 0x01020304;
	frame_header_encode(&h, buf);
	assert_memory_equal(buf, expect, sizeof expect);
	/* and back: only a length within the bounds of DATA decodes */
	assert_int_equal(frame_header_decode(buf, sizeof buf, &back),
	                 FRAME_BAD_LENGTH);
	h.length = 300;
	frame_header_encode(&h, buf);
	assert_int_equal(frame_header_decode(buf, sizeof buf, &back), FRAME_OK);
	assert_int_equal(back.type, FRAME_DATA);
	assert_int_equal(back.channel, 7);
	assert_int_equal(back.length, 300);
}

static enum frame_status decode(uint32_t type, uint32_t channel,
                                uint32_t length)
{
	frame_header_t h = { type, channel, length }, out = { 99, 99, 99 };
	uint8_t buf[FRAME_HEADER_BYTES];
	enum frame_status s;
	frame_header_encode(&h, buf);
	s = frame_header_decode(buf, sizeof buf, &out);
	if (s != FRAME_OK) /* a refused header leaves *out untouched */
		assert_int_equal(out.type, 99);
	return s;
}

static void hostile_headers_are_refused(void **state)
{
	(void)state;
	assert_int_equal(decode(0, 0, 1), FRAME_UNKNOWN_TYPE);
	assert_int_equal(decode(5, 0, 8), FRAME_UNKNOWN_TYPE);
	assert_int_equal(decode(0xffffffffu, 0, 1), FRAME_UNKNOWN_TYPE);
	assert_int_equal(decode(FRAME_DATA, FRAME_CHANNELS, 1),
	                 FRAME_BAD_CHANNEL);
	assert_int_equal(decode(FRAME_DATA, 0, 0), FRAME_BAD_LENGTH);
	assert_int_equal(decode(FRAME_DATA, 0, FRAME_PAYLOAD_MAX + 1),
	                 FRAME_BAD_LENGTH);
	assert_int_equal(decode(FRAME_DATA, 0, 0xffffffffu), FRAME_BAD_LENGTH);
	assert_int_equal(decode(FRAME_DATA, 0, FRAME_PAYLOAD_MAX), FRAME_OK);
	assert_int_equal(decode(FRAME_CREDIT, 0, 3), FRAME_BAD_LENGTH);
	assert_int_equal(decode(FRAME_CREDIT, 0, 5), FRAME_BAD_LENGTH);
	assert_int_equal(decode(FRAME_CREDIT, 0, 4), FRAME_OK);
	assert_int_equal(decode(FRAME_PING, 0, 7), FRAME_BAD_LENGTH);
	assert_int_equal(decode(FRAME_PONG, 0, 8), FRAME_OK);
}

static void truncated_header_needs_more(void **state)
{
	uint8_t buf[FRAME_HEADER_BYTES];
	frame_header_t h = { FRAME_DATA, 1, 10 };
	(void)state;
	frame_header_encode(&h, buf);
	for (size_t n = 0; n < FRAME_HEADER_BYTES; n++)
		assert_int_equal(frame_header_decode(buf, n, &h),
		                 FRAME_NEED_MORE);
}

static void scan_counts_whole_frames(void **state)
{
	uint8_t buf[3 * FRAME_HEADER_BYTES + 4 + 8 + 5];
	frame_header_t a = { FRAME_CREDIT, 2, 4 }, b = { FRAME_PING, 0, 8 },
		       c = { FRAME_DATA, 31, 10 };
	size_t pos = 0;
	(void)state;
	memset(buf, 0xee, sizeof buf);
	frame_header_encode(&a, buf);
	pos += FRAME_HEADER_BYTES + 4;
	frame_header_encode(&b, buf + pos);
	pos += FRAME_HEADER_BYTES + 8;
	frame_header_encode(&c, buf + pos); /* 5 of its 10 payload bytes */
	assert_int_equal(frame_scan(buf, sizeof buf), 2);
	assert_int_equal(frame_scan(buf, FRAME_HEADER_BYTES + 3), 0);
	/* a bad header after good frames makes the whole stream bad */
	c.type = 9;
	frame_header_encode(&c, buf + pos);
	assert_int_equal(frame_scan(buf, sizeof buf), FRAME_UNKNOWN_TYPE);
}

static void integers_round_trip(void **state)
{
	uint8_t b[8];
	(void)state;
	frame_put_u64(b, 0x0102030405060708ull);
	assert_int_equal(b[0], 8);
	assert_int_equal(b[7], 1);
	assert_true(frame_get_u64(b) == 0x0102030405060708ull);
	frame_put_u32(b, 0xa1b2c3d4u);
	assert_int_equal(b[0], 0xd4);
	assert_true(frame_get_u32(b) == 0xa1b2c3d4u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_bytes_are_little_endian),
		cmocka_unit_test(hostile_headers_are_refused),
		cmocka_unit_test(truncated_header_needs_more),
		cmocka_unit_test(scan_counts_whole_frames),
		cmocka_unit_test(integers_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
