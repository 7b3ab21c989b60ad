/*
 * Tests of rpc_dispatch() (runtime/rpc/dispatch.c) without a kernel: a
 * hand-written descriptor whose invoke function misbehaves on purpose. An
 * operation that returns an undeclared status, or an out-string without a
 * terminator within its bound, gets RPC_ERR_SERVER on the wire; a
 * descriptor whose bounds do not fit the dispatch frame is refused before
 * any operation runs; a request that fails decode never reaches invoke.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <runtime/rpc.h>

static int invoked;
static int next_status;

static int invoke(const void *ops, rpc_object_t *obj, uint32_t opcode,
                  const rpc_value_t *in, rpc_value_t *out)
{
	invoked++;
	if (opcode == 1) /* fill the out-string to its end, no NUL */
		memset(out[0].buf, 'x', 9);
	else
		strcpy(out[0].buf, "ok");
	return next_status;
}

static const rpc_arg_desc_t text_out[] = { { "text", RPC_STRING, 8, NULL } };
static const rpc_arg_desc_t huge_out[] = { { "data", RPC_BYTES, 5000, NULL } };
static const rpc_func_desc_t funcs[] = {
	{ "fine", 0, 0, 1, NULL, text_out },
	{ "unterminated", 1, 0, 1, NULL, text_out },
	{ "huge", 2, 0, 1, NULL, huge_out },
};
static const rpc_error_desc_t errors[] = { { 1, "busy", "busy" } };
static const rpc_interface_t demo = {
	"demo", 0x11223344u, 3, funcs, 1, errors, invoke,
};

static uint32_t dispatch(uint32_t opcode, kmsg_t *reply)
{
	static rpc_frame_t frame;
	static const int ops;
	rpc_object_t obj = { .iface = &demo, .ops = &ops };
	kmsg_t request;
	uint32_t status = 0;
	assert_int_equal(rpc_request_encode(&demo, &funcs[opcode], NULL,
	                                    &request),
	                 0);
	rpc_dispatch(&obj, &request, reply, &frame);
	for (int i = 0; i < 4; i++)
		status |= (uint32_t)reply->data[i] << (8 * i);
	return status;
}

static void test_declared_and_undeclared_status(void **state)
{
	static const uint8_t ok_reply[] = { 0, 0, 0, 0, 2, 0, 0, 0, 'o', 'k' };
	kmsg_t reply;
	(void)state;
	next_status = 0;
	assert_int_equal(dispatch(0, &reply), 0);
	assert_int_equal(reply.size, sizeof ok_reply);
	assert_memory_equal(reply.data, ok_reply, sizeof ok_reply);
	next_status = 1; /* declared */
	assert_int_equal(dispatch(0, &reply), 1);
	assert_int_equal(reply.size, 4);
	next_status = 2; /* not declared */
	assert_int_equal(dispatch(0, &reply), RPC_ERR_SERVER);
	next_status = -5;
	assert_int_equal(dispatch(0, &reply), RPC_ERR_SERVER);
}

static void test_out_string_beyond_bound(void **state)
{
	kmsg_t reply;
	(void)state;
	next_status = 0;
	assert_int_equal(dispatch(1, &reply), RPC_ERR_SERVER);
	assert_int_equal(reply.size, 4);
}

static void test_descriptor_too_big_for_frame(void **state)
{
	kmsg_t reply;
	(void)state;
	invoked = 0;
	assert_int_equal(dispatch(2, &reply), RPC_ERR_SERVER);
	assert_int_equal(invoked, 0);
}

static void test_malformed_request_never_invokes(void **state)
{
	static rpc_frame_t frame;
	static const int ops;
	rpc_object_t obj = { .iface = &demo, .ops = &ops };
	kmsg_t request, reply;
	(void)state;
	assert_int_equal(rpc_request_encode(&demo, &funcs[0], NULL, &request),
	                 0);
	request.data[request.size++] = 0; /* trailing garbage */
	invoked = 0;
	rpc_dispatch(&obj, &request, &reply, &frame);
	assert_int_equal(invoked, 0);
	assert_int_equal(reply.size, 4);
	assert_int_equal(reply.data[0], RPC_ERR_MALFORMED_REQUEST & 0xff);
	assert_int_equal(reply.data[1], RPC_ERR_MALFORMED_REQUEST >> 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declared_and_undeclared_status),
		cmocka_unit_test(test_out_string_beyond_bound),
		cmocka_unit_test(test_descriptor_too_big_for_frame),
		cmocka_unit_test(test_malformed_request_never_invokes),
	};
	return cmocka_run_group_tests_name("rpc_dispatch", tests, NULL, NULL);
}
