/*
 * In-process tests of the entrypoint (runtime/entrypoint.h): managing and
 * dissolving objects from a foreign thread, re-managing, recognising own
 * capabilities, and refusing misuse. The client here is the test's main
 * thread, the server the entrypoint thread of the same process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "counter_server.h"

static void test_manage_call_dissolve(void **state)
{
	struct counter_server s;
	kcap_t cap, again;
	uint64_t value = 0;
	rpc_object_t *found = NULL;
	(void)state;
	assert_int_equal(counter_server_start(&s, &cap), 0);
	assert_int_equal(counter_add(cap, 3, &value), 0);
	assert_int_equal(value, 3);
	assert_true(entrypoint_lookup(s.ep, cap, &found));
	assert_ptr_equal(found, &s.main.rpc);

	entrypoint_dissolve(&s.main.rpc);
	assert_int_equal(counter_get(cap, &value), KERR_REVOKED);
	assert_false(entrypoint_lookup(s.ep, cap, &found));

	/* the same object can be served again, under a new capability */
	assert_int_equal(counter_manage(s.ep, &s.main.rpc, &counter_server_ops,
	                                &again),
	                 0);
	assert_int_equal(counter_get(again, &value), 0);
	assert_int_equal(value, 3);
	assert_int_equal(counter_get(cap, &value), KERR_REVOKED);
	kcap_close(cap);
	counter_server_stop(&s);
	assert_int_equal(counter_get(again, &value), KERR_REVOKED);
	kcap_close(again);
}

static void test_misuse_is_refused(void **state)
{
	struct counter_server s;
	kcap_t cap, other_cap, unused;
	kendpoint_t *other;
	rpc_object_t *found = NULL;
	(void)state;
	assert_int_equal(counter_server_start(&s, &cap), 0);
	/* an object is managed once */
	assert_int_equal(counter_manage(s.ep, &s.main.rpc, &counter_server_ops,
	                                &unused),
	                 KERR_INVALID);
	/* no ops, no object */
	assert_int_equal(entrypoint_manage(s.ep, &s.made[0].rpc, &counter_rpc,
	                                   NULL, &unused),
	                 KERR_INVALID);
	/* a capability of somebody else's endpoint is not ours */
	assert_int_equal(kendpoint_create(&other, &other_cap), 0);
	assert_false(entrypoint_lookup(s.ep, other_cap, &found));
	kendpoint_dissolve(other);
	kcap_close(other_cap);
	kcap_close(cap);
	counter_server_stop(&s);
}

static void test_operations_that_leave_ops_null(void **state)
{
	static const struct counter_ops only_get = { .get = NULL };
	struct counter_server s;
	rpc_object_t partial = { 0 };
	kcap_t cap, partial_cap;
	uint64_t value;
	(void)state;
	assert_int_equal(counter_server_start(&s, &cap), 0);
	assert_int_equal(counter_manage(s.ep, &partial, &only_get,
	                                &partial_cap),
	                 0);
	assert_int_equal(counter_get(partial_cap, &value),
	                 RPC_ERR_INVALID_OPCODE);
	entrypoint_dissolve(&partial);
	kcap_close(partial_cap);
	kcap_close(cap);
	counter_server_stop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manage_call_dissolve),
		cmocka_unit_test(test_misuse_is_refused),
		cmocka_unit_test(test_operations_that_leave_ops_null),
	};
	alarm(60);
	return cmocka_run_group_tests_name("entrypoint", tests, NULL, NULL);
}
