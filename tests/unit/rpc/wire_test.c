/*
 * Wire-format tests of libruntime's RPC (runtime/rpc/rpc_wire.c), using the
 * descriptor rpcgen generates from counter.rpc. Encodings are compared byte
 * for byte with hand-written arrays, so a change of the format (or of the
 * interface id) cannot go unnoticed; hostile and truncated messages must be
 * rejected by decode with the right status. No kernel is involved: the
 * capability selectors here are plain numbers that are only copied.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "counter_rpc.h"

static void assert_encoded(const kmsg_t *msg, const uint8_t *expected,
                           size_t size)
{
	assert_int_equal(msg->size, size);
	assert_memory_equal(msg->data, expected, size);
}

static kmsg_t make_msg(const uint8_t *bytes, size_t size)
{
	kmsg_t msg = { .size = (uint32_t)size, .cap_count = 0 };
	memcpy(msg.data, bytes, size);
	return msg;
}

static int decode(const kmsg_t *msg)
{
	const rpc_func_desc_t *f = NULL;
	rpc_value_t in[RPC_MAX_ARGS];
	static uint8_t text[RPC_TEXT_BYTES];
	return rpc_request_decode(&counter_rpc, msg, &f, in, text);
}

static const rpc_func_desc_t *func(uint32_t opcode)
{
	return &counter_rpc.funcs[opcode];
}

static void test_add_request_bytes(void **state)
{
	static const uint8_t expected[] = {
		0x23, 0xde, 0xac, 0x9c, /* interface id: FNV-1a("counter") */
		0x00, 0x00, 0x00, 0x00, /* opcode 0: add */
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, /* delta */
	};
	rpc_value_t in[1] = { { .num = 0x0102030405060708ull } };
	kmsg_t msg;
	(void)state;
	assert_int_equal(COUNTER_RPC_ID, 0x9cacde23u);
	assert_int_equal(rpc_request_encode(&counter_rpc, func(COUNTER_OP_ADD),
	                                    in, &msg),
	                 0);
	assert_encoded(&msg, expected, sizeof expected);
	assert_int_equal(msg.cap_count, 0);
}

static void test_scalars_request_bytes(void **state)
{
	static const uint8_t expected[] = {
		0x23, 0xde, 0xac, 0x9c, 0x09, 0x00, 0x00, 0x00, 0xab, /* u8 */
		0x34, 0x12,                                           /* u16 */
		0xef, 0xbe, 0xad, 0xde,                               /* u32 */
		0xfe, 0xff, 0xff, 0xff,                         /* i32 -2 */
		0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* i64 -3 */
		0x01,                                           /* bool */
	};
	rpc_value_t in[6] = {
		{ .num = 0xab },
		{ .num = 0x1234 },
		{ .num = 0xdeadbeef },
		{ .num = (uint64_t)(int64_t)-2 },
		{ .num = (uint64_t)(int64_t)-3 },
		{ .num = 1 },
	};
	rpc_value_t back[RPC_MAX_ARGS];
	const rpc_func_desc_t *f;
	static uint8_t text[RPC_TEXT_BYTES];
	kmsg_t msg;
	(void)state;
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_SCALARS), in, &msg),
	                 0);
	assert_encoded(&msg, expected, sizeof expected);
	assert_int_equal(rpc_request_decode(&counter_rpc, &msg, &f, back, text),
	                 0);
	assert_ptr_equal(f, func(COUNTER_OP_SCALARS));
	assert_int_equal((int32_t)(int64_t)back[3].num, -2);
	assert_int_equal((int64_t)back[4].num, -3);
	assert_int_equal(back[1].num, 0x1234);
}

static void test_string_and_bytes_bytes(void **state)
{
	static const uint8_t string_req[] = {
		0x23, 0xde, 0xac, 0x9c, 0x07, 0x00, 0x00,
		0x00, 0x02, 0x00, 0x00, 0x00, 'h',  'i',
	};
	static const uint8_t bytes_req[] = {
		0x23, 0xde, 0xac, 0x9c, 0x08, 0x00, 0x00, 0x00,
		0x03, 0x00, 0x00, 0x00, 0x00, 0xff, 0x7f,
	};
	static const uint8_t payload[] = { 0x00, 0xff, 0x7f };
	rpc_value_t s[1] = { { .data = "hi" } };
	rpc_value_t b[1] = { { .data = payload, .len = 3 } };
	kmsg_t msg;
	(void)state;
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_ECHO_STRING), s,
	                                    &msg),
	                 0);
	assert_encoded(&msg, string_req, sizeof string_req);
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_ECHO_BUFFER), b,
	                                    &msg),
	                 0);
	assert_encoded(&msg, bytes_req, sizeof bytes_req);
}

static void test_cap_request_bytes(void **state)
{
	static const uint8_t present[] = {
		0x23, 0xde, 0xac, 0x9c, 0x02, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, /* index 0 of the cap array */
	};
	static const uint8_t absent[] = {
		0x23, 0xde, 0xac, 0x9c, 0x02, 0x00,
		0x00, 0x00, 0xff, 0xff, 0xff, 0xff, /* RPC_CAP_NONE */
	};
	rpc_value_t with[1] = { { .cap = { 7 } } };
	rpc_value_t without[1] = { { .cap = KCAP_INVALID } };
	kmsg_t msg;
	(void)state;
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_STORE), with, &msg),
	                 0);
	assert_encoded(&msg, present, sizeof present);
	assert_int_equal(msg.cap_count, 1);
	assert_int_equal(msg.caps[0].sel, 7);
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_STORE), without,
	                                    &msg),
	                 0);
	assert_encoded(&msg, absent, sizeof absent);
	assert_int_equal(msg.cap_count, 0);
}

static void test_reply_bytes(void **state)
{
	static const uint8_t ok[] = {
		0x00, 0x00, 0x00, 0x00, 0x2a, 0, 0, 0, 0, 0, 0, 0,
	};
	static const uint8_t error[] = { 0x01, 0x00, 0x00, 0x00 };
	rpc_value_t out[1] = { { .num = 42 } };
	rpc_value_t back[1] = { { .num = 0 } };
	kmsg_t msg;
	(void)state;
	assert_int_equal(rpc_reply_encode(func(COUNTER_OP_ADD), 0, out, &msg),
	                 0);
	assert_encoded(&msg, ok, sizeof ok);
	assert_int_equal(rpc_reply_decode(&counter_rpc, func(COUNTER_OP_ADD),
	                                  &msg, back),
	                 0);
	assert_int_equal(back[0].num, 42);
	assert_int_equal(rpc_reply_encode(func(COUNTER_OP_ADD),
	                                  COUNTER_ERR_OVERFLOW, out, &msg),
	                 0);
	assert_encoded(&msg, error, sizeof error);
	assert_int_equal(rpc_reply_decode(&counter_rpc, func(COUNTER_OP_ADD),
	                                  &msg, back),
	                 COUNTER_ERR_OVERFLOW);
}

static void test_encode_rejects_values_beyond_bounds(void **state)
{
	char long_text[80];
	uint8_t big[300] = { 0 };
	rpc_value_t s[1] = { { .data = long_text } };
	rpc_value_t b[1] = { { .data = big, .len = 257 } };
	rpc_value_t fits[1] = { { .data = big, .len = 256 } };
	rpc_value_t wide[6] = { { .num = 256 } };
	rpc_value_t not_bool[6] = { { 0 }, { 0 }, { 0 },
		                    { 0 }, { 0 }, { .num = 2 } };
	kmsg_t msg;
	(void)state;
	memset(long_text, 'x', 65);
	long_text[65] = 0;
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_ECHO_STRING), s,
	                                    &msg),
	                 RPC_ERR_BAD_ARGUMENT);
	long_text[64] = 0; /* exactly the bound: fine */
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_ECHO_STRING), s,
	                                    &msg),
	                 0);
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_ECHO_BUFFER), b,
	                                    &msg),
	                 RPC_ERR_BAD_ARGUMENT);
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_ECHO_BUFFER), fits,
	                                    &msg),
	                 0);
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_SCALARS), wide,
	                                    &msg),
	                 RPC_ERR_BAD_ARGUMENT);
	assert_int_equal(rpc_request_encode(&counter_rpc,
	                                    func(COUNTER_OP_SCALARS), not_bool,
	                                    &msg),
	                 RPC_ERR_BAD_ARGUMENT);
}

static void test_decode_accepts_valid_request(void **state)
{
	static const uint8_t req[] = {
		0x23, 0xde, 0xac, 0x9c, 0x07, 0x00, 0x00,
		0x00, 0x02, 0x00, 0x00, 0x00, 'h',  'i',
	};
	kmsg_t msg = make_msg(req, sizeof req);
	const rpc_func_desc_t *f = NULL;
	rpc_value_t in[RPC_MAX_ARGS];
	static uint8_t text[RPC_TEXT_BYTES];
	(void)state;
	assert_int_equal(rpc_request_decode(&counter_rpc, &msg, &f, in, text),
	                 0);
	assert_string_equal(in[0].data, "hi"); /* NUL-terminated on decode */
}

static void test_decode_rejects_hostile_requests(void **state)
{
	static const uint8_t wrong_id[] = {
		0x24, 0xde, 0xac, 0x9c, 1, 0, 0, 0
	};
	static const uint8_t bad_opcode[] = { 0x23, 0xde, 0xac, 0x9c,
		                              13,   0,    0,    0 };
	static const uint8_t header_only_add[] = { 0x23, 0xde, 0xac, 0x9c,
		                                   0,    0,    0,    0 };
	static const uint8_t short_header[] = { 0x23, 0xde, 0xac };
	static const uint8_t trailing[] = { 0x23, 0xde, 0xac, 0x9c, 1,
		                            0,    0,    0,    0 };
	static const uint8_t truncated_u64[] = { 0x23, 0xde, 0xac, 0x9c, 0,
		                                 0,    0,    0,    1,    2,
		                                 3,    4,    5,    6,    7 };
	static const uint8_t string_too_long[] = {
		0x23, 0xde, 0xac, 0x9c, 7, 0, 0, 0, 65, 0, 0, 0
	};
	static const uint8_t length_past_end[] = { 0x23, 0xde, 0xac, 0x9c, 7,
		                                   0,    0,    0,    5,    0,
		                                   0,    0,    'a',  'b' };
	static const uint8_t huge_length[] = { 0x23, 0xde, 0xac, 0x9c, 8,
		                               0,    0,    0,    0xff, 0xff,
		                               0xff, 0xff, 'a' };
	static const uint8_t nul_in_string[] = { 0x23, 0xde, 0xac, 0x9c, 7,
		                                 0,    0,    0,    3,    0,
		                                 0,    0,    'a',  0,    'b' };
	static const uint8_t bool_two[] = { 0x23, 0xde, 0xac, 0x9c, 9, 0, 0,
		                            0,    1,    2,    0,    3, 0, 0,
		                            0,    4,    0,    0,    0, 5, 0,
		                            0,    0,    0,    0,    0, 0, 2 };
	static const uint8_t cap_index[] = { 0x23, 0xde, 0xac, 0x9c, 2, 0,
		                             0,    0,    0,    0,    0, 0 };
	static const uint8_t cap_index_one[] = { 0x23, 0xde, 0xac, 0x9c, 2, 0,
		                                 0,    0,    1,    0,    0, 0 };
	static const uint8_t cap_none[] = {
		0x23, 0xde, 0xac, 0x9c, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff
	};
	kmsg_t msg;
	(void)state;

#define REJECT(bytes, status) do { \
	msg = make_msg(bytes, sizeof bytes); \
	assert_int_equal(decode(&msg), status); \
} while (0)
	REJECT(wrong_id, RPC_ERR_WRONG_INTERFACE);
	REJECT(bad_opcode, RPC_ERR_INVALID_OPCODE);
	REJECT(header_only_add, RPC_ERR_MALFORMED_REQUEST);
	REJECT(short_header, RPC_ERR_MALFORMED_REQUEST);
	REJECT(trailing, RPC_ERR_MALFORMED_REQUEST);
	REJECT(truncated_u64, RPC_ERR_MALFORMED_REQUEST);
	REJECT(string_too_long, RPC_ERR_MALFORMED_REQUEST);
	REJECT(length_past_end, RPC_ERR_MALFORMED_REQUEST);
	REJECT(huge_length, RPC_ERR_MALFORMED_REQUEST);
	REJECT(nul_in_string, RPC_ERR_MALFORMED_REQUEST);
	REJECT(bool_two, RPC_ERR_MALFORMED_REQUEST);
	/* a cap index but no capability in the message */
	REJECT(cap_index, RPC_ERR_MALFORMED_REQUEST);
#undef REJECT

	/* indices must be 0, 1, ... in order */
	msg = make_msg(cap_index_one, sizeof cap_index_one);
	msg.cap_count = 2;
	assert_int_equal(decode(&msg), RPC_ERR_MALFORMED_REQUEST);
	/* a capability the arguments do not reference */
	msg = make_msg(cap_none, sizeof cap_none);
	msg.cap_count = 1;
	assert_int_equal(decode(&msg), RPC_ERR_MALFORMED_REQUEST);
	msg.cap_count = 0;
	assert_int_equal(decode(&msg), 0);
	/* a header claiming more than a message holds */
	msg = make_msg(cap_none, sizeof cap_none);
	msg.size = KMSG_MAX_BYTES + 1;
	assert_int_equal(decode(&msg), RPC_ERR_MALFORMED_REQUEST);
	msg.size = sizeof cap_none;
	msg.cap_count = KMSG_MAX_CAPS + 1;
	assert_int_equal(decode(&msg), RPC_ERR_MALFORMED_REQUEST);
}

static void test_reply_decode_rejects_hostile_replies(void **state)
{
	static const uint8_t unknown_status[] = { 0x05, 0, 0, 0 };
	static const uint8_t error_with_payload[] = { 0x01, 0, 0, 0, 9 };
	static const uint8_t short_value[] = { 0, 0, 0, 0, 1, 2, 3 };
	static const uint8_t string_too_long[] = { 0, 0, 0, 0, 65, 0, 0, 0 };
	static const uint8_t generic[] = { 0x03, 0x01, 0, 0 };
	char echoed[COUNTER_ECHO_STRING_ECHOED_MAX + 1] = "untouched";
	rpc_value_t out[1] = { { .buf = echoed } };
	kmsg_t msg;
	(void)state;
	msg = make_msg(unknown_status, sizeof unknown_status);
	assert_int_equal(rpc_reply_decode(&counter_rpc, func(COUNTER_OP_ADD),
	                                  &msg, out),
	                 RPC_ERR_MALFORMED_REPLY);
	msg = make_msg(error_with_payload, sizeof error_with_payload);
	assert_int_equal(rpc_reply_decode(&counter_rpc, func(COUNTER_OP_ADD),
	                                  &msg, out),
	                 RPC_ERR_MALFORMED_REPLY);
	msg = make_msg(short_value, sizeof short_value);
	assert_int_equal(rpc_reply_decode(&counter_rpc, func(COUNTER_OP_ADD),
	                                  &msg, out),
	                 RPC_ERR_MALFORMED_REPLY);
	msg = make_msg(string_too_long, sizeof string_too_long);
	assert_int_equal(rpc_reply_decode(&counter_rpc,
	                                  func(COUNTER_OP_ECHO_STRING), &msg,
	                                  out),
	                 RPC_ERR_MALFORMED_REPLY);
	assert_string_equal(echoed, "untouched");
	msg = make_msg(generic, sizeof generic);
	assert_int_equal(rpc_reply_decode(&counter_rpc, func(COUNTER_OP_ADD),
	                                  &msg, out),
	                 RPC_ERR_MALFORMED_REQUEST);
}

static void test_descriptor(void **state)
{
	const rpc_func_desc_t *f = func(COUNTER_OP_ECHO_BUFFER);
	(void)state;
	assert_string_equal(counter_rpc.name, "counter");
	assert_int_equal(counter_rpc.func_count, 13);
	assert_string_equal(f->name, "echo_buffer");
	assert_int_equal(f->in_count, 1);
	assert_int_equal(f->in[0].type, RPC_BYTES);
	assert_int_equal(f->in[0].max, 256);
	assert_string_equal(f->out[0].name, "echoed");
	assert_int_equal(counter_rpc.error_count, 4);
	assert_string_equal(counter_rpc.errors[1].name, "empty");
	assert_string_equal(rpc_strerror(&counter_rpc, COUNTER_ERR_OVERFLOW),
	                    "the total would exceed 2^64 - 1");
	assert_string_equal(rpc_strerror(&counter_rpc, RPC_ERR_INVALID_OPCODE),
	                    "the interface has no function with this opcode");
	assert_string_equal(rpc_strerror(&counter_rpc, 77),
	                    "unknown rpc status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_request_bytes),
		cmocka_unit_test(test_scalars_request_bytes),
		cmocka_unit_test(test_string_and_bytes_bytes),
		cmocka_unit_test(test_cap_request_bytes),
		cmocka_unit_test(test_reply_bytes),
		cmocka_unit_test(test_encode_rejects_values_beyond_bounds),
		cmocka_unit_test(test_decode_accepts_valid_request),
		cmocka_unit_test(test_decode_rejects_hostile_requests),
		cmocka_unit_test(test_reply_decode_rejects_hostile_replies),
		cmocka_unit_test(test_descriptor),
	};
	return cmocka_run_group_tests_name("rpc_wire", tests, NULL, NULL);
}
