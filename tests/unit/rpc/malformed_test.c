/*
 * Hostile requests against a running counter server (in another process):
 * raw kernel messages with a bad opcode, the wrong interface id, truncated
 * arguments, an over-long string, a NUL inside a string, a wrong number of
 * capabilities and trailing bytes. Each must be answered with an error
 * status, and the server must keep serving well-formed calls afterwards.
 * This is the one place that builds messages by hand, on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "counter_server.h"
#include "test_proc.h"

struct fixture {
	pid_t pid;
	kcap_t cap;
};

static int setup_server(void **state)
{
	static struct fixture f;
	if (spawn_counter_server(&f.pid, &f.cap))
		return -1;
	*state = &f;
	return 0;
}

static int teardown_server(void **state)
{
	struct fixture *f = *state;
	stop_child(f->pid);
	kcap_close(f->cap);
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A request header for the counter interface with `opcode`. */
static kmsg_t header(uint32_t id, uint32_t opcode)
{
	kmsg_t msg = { .size = 8, .cap_count = 0 };
	put32(msg.data, id);
	put32(msg.data + 4, opcode);
	return msg;
}

static void append(kmsg_t *msg, const void *bytes, uint32_t len)
{
	memcpy(msg->data + msg->size, bytes, len);
	msg->size += len;
}

/* Sends a raw request; returns the reply's status word. */
static uint32_t raw_call(kcap_t cap, const kmsg_t *request)
{
	kmsg_t reply;
	uint32_t status = 0;
	assert_int_equal(kipc_call(cap, request, &reply, 10000), 0);
	assert_int_equal(reply.size, 4); /* a bare status, nothing more */
	assert_int_equal(reply.cap_count, 0);
	for (int i = 0; i < 4; i++)
		status |= (uint32_t)reply.data[i] << (8 * i);
	return status;
}

static void assert_still_serving(kcap_t cap)
{
	uint64_t total = 0, before = 0;
	assert_int_equal(counter_get(cap, &before), 0);
	assert_int_equal(counter_add(cap, 1, &total), 0);
	assert_int_equal(total, before + 1);
}

static void test_bad_opcode(void **state)
{
	struct fixture *f = *state;
	kmsg_t msg = header(COUNTER_RPC_ID, 13);
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_INVALID_OPCODE);
	msg = header(COUNTER_RPC_ID, 0xffffffffu);
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_INVALID_OPCODE);
	assert_still_serving(f->cap);
}

static void test_wrong_interface(void **state)
{
	struct fixture *f = *state;
	kmsg_t msg = header(COUNTER_RPC_ID ^ 1, COUNTER_OP_GET);
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_WRONG_INTERFACE);
	assert_still_serving(f->cap);
}

static void test_truncated_arguments(void **state)
{
	struct fixture *f = *state;
	static const uint8_t half_u64[4] = { 1, 0, 0, 0 };
	kmsg_t msg = header(COUNTER_RPC_ID, COUNTER_OP_ADD);
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);
	append(&msg, half_u64, sizeof half_u64);
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);
	msg.size = 3; /* not even a header */
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);
	assert_still_serving(f->cap);
}

static void test_over_long_and_bad_strings(void **state)
{
	struct fixture *f = *state;
	uint8_t len[4];
	char text[COUNTER_ECHO_STRING_TEXT_MAX + 1];
	kmsg_t msg = header(COUNTER_RPC_ID, COUNTER_OP_ECHO_STRING);
	memset(text, 'a', sizeof text);
	put32(len, sizeof text); /* one over the bound */
	append(&msg, len, 4);
	append(&msg, text, sizeof text);
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);

	msg = header(COUNTER_RPC_ID, COUNTER_OP_ECHO_STRING);
	put32(len, 1000); /* more than the message holds */
	append(&msg, len, 4);
	append(&msg, "abc", 3);
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);

	msg = header(COUNTER_RPC_ID, COUNTER_OP_ECHO_STRING);
	put32(len, 3);
	append(&msg, len, 4);
	append(&msg, "a\0b", 3); /* NUL inside */
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);
	assert_still_serving(f->cap);
}

static void test_wrong_capability_count(void **state)
{
	struct fixture *f = *state;
	uint8_t index[4];
	uint64_t value;
	kcap_t made, fetched;
	kmsg_t msg;

	assert_int_equal(counter_make(f->cap, &made), 0);
	/* store references capability 0, but none is attached */
	msg = header(COUNTER_RPC_ID, COUNTER_OP_STORE);
	put32(index, 0);
	append(&msg, index, 4);
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);
	/* get takes no capability, one is attached */
	msg = header(COUNTER_RPC_ID, COUNTER_OP_GET);
	msg.caps[0] = made;
	msg.cap_count = 1;
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);
	/* store with two attached but one referenced */
	msg = header(COUNTER_RPC_ID, COUNTER_OP_STORE);
	append(&msg, index, 4);
	msg.caps[0] = made;
	msg.caps[1] = made;
	msg.cap_count = 2;
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);
	/* the rejected requests stored nothing */
	assert_int_equal(counter_fetch(f->cap, &fetched),
	                 COUNTER_ERR_NO_CAPABILITY);
	assert_int_equal(counter_get(made, &value), 0);
	kcap_close(made);
	assert_still_serving(f->cap);
}

static void test_trailing_bytes(void **state)
{
	struct fixture *f = *state;
	static const uint8_t extra = 0;
	kmsg_t msg = header(COUNTER_RPC_ID, COUNTER_OP_GET);
	append(&msg, &extra, 1);
	assert_int_equal(raw_call(f->cap, &msg), RPC_ERR_MALFORMED_REQUEST);
	assert_still_serving(f->cap);
}

static void test_well_formed_raw_request_is_served(void **state)
{
	struct fixture *f = *state;
	kmsg_t msg = header(COUNTER_RPC_ID, COUNTER_OP_GET), reply;
	assert_int_equal(kipc_call(f->cap, &msg, &reply, 10000), 0);
	assert_int_equal(reply.size, 12); /* status and a u64 */
	assert_int_equal(reply.data[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_formed_raw_request_is_served),
		cmocka_unit_test(test_bad_opcode),
		cmocka_unit_test(test_wrong_interface),
		cmocka_unit_test(test_truncated_arguments),
		cmocka_unit_test(test_over_long_and_bad_strings),
		cmocka_unit_test(test_wrong_capability_count),
		cmocka_unit_test(test_trailing_bytes),
	};
	alarm(60);
	return cmocka_run_group_tests_name("rpc_malformed", tests, setup_server,
	                                   teardown_server);
}
