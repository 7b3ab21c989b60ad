/*
 * Tests of the session watch's rules (runtime/env/reconnect_rule.h): the
 * back-off before a client asks again for a session that found no
 * server, and which answers of the parent mean that a session ended.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <kernel/kernel.h>

#include "parent_rpc.h"
#include "reconnect_rule.h"

static void test_backoff_doubles_up_to_its_limit(void **state)
{
	(void)state;
	const uint32_t expected[] = { 100, 200, 400, 800, 1600, 2000, 2000 };
	uint32_t ms = 0;
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		ms = reconnect_backoff_next(ms);
		assert_int_equal(ms, expected[i]);
	}
	/* an odd wait still ends at the limit, never beyond */
	assert_int_equal(reconnect_backoff_next(1999), RECONNECT_MAX_MS);
	assert_int_equal(reconnect_backoff_next(UINT32_MAX), RECONNECT_MAX_MS);
	assert_int_equal(reconnect_backoff_next(1), RECONNECT_FIRST_MS);
}

static void test_parent_errors_end_a_session_kernel_errors_do_not(void **state)
{
	(void)state;
	assert_false(reconnect_session_ended(0));
	assert_true(
		reconnect_session_ended(PARENT_ERR_DENIED)); /* moved, gone */
	assert_true(reconnect_session_ended(PARENT_ERR_UNKNOWN)); /* closed */
	assert_true(reconnect_session_ended(PARENT_ERR_UNRESPONSIVE));
	assert_false(reconnect_session_ended(KERR_TIMEOUT));
	assert_false(reconnect_session_ended(KERR_REVOKED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_doubles_up_to_its_limit),
		cmocka_unit_test(
			test_parent_errors_end_a_session_kernel_errors_do_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
