/*
 * Unit tests of init's restart policy (runtime/init/restart_policy.c):
 * which ends restart under each policy, the back-off schedule, its cap,
 * and giving up after a full streak.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "restart_policy.h"

static void test_never_restarts_nothing(void **state)
{
	(void)state;
	assert_int_equal(restart_decide(RUNTIME_RESTART_NEVER, true, 11, 0)
	                         .step,
	                 RESTART_STEP_NONE);
	assert_int_equal(restart_decide(RUNTIME_RESTART_NEVER, false, 1, 0)
	                         .step,
	                 RESTART_STEP_NONE);
	assert_int_equal(restart_decide(RUNTIME_RESTART_NEVER, false, 0, 0)
	                         .step,
	                 RESTART_STEP_NONE);
}

static void test_on_failure_restarts_faults_and_nonzero_exits(void **state)
{
	struct restart_decision d = restart_decide(RUNTIME_RESTART_ON_FAILURE,
	                                           true, 11, 0);

	(void)state;
	assert_int_equal(d.step, RESTART_STEP_AFTER);
	assert_int_equal(d.delay_ms, RESTART_BACKOFF_FIRST_MS);
	d = restart_decide(RUNTIME_RESTART_ON_FAILURE, false, 3, 1);
	assert_int_equal(d.step, RESTART_STEP_AFTER);
	assert_int_equal(d.delay_ms, 2 * RESTART_BACKOFF_FIRST_MS);
	assert_int_equal(restart_decide(RUNTIME_RESTART_ON_FAILURE, false, 0, 0)
	                         .step,
	                 RESTART_STEP_NONE);
}

static void test_always_restarts_a_clean_exit(void **state)
{
	struct restart_decision d = restart_decide(RUNTIME_RESTART_ALWAYS,
	                                           false, 0, 2);

	(void)state;
	assert_int_equal(d.step, RESTART_STEP_AFTER);
	assert_int_equal(d.delay_ms, 4 * RESTART_BACKOFF_FIRST_MS);
}

static void test_backoff_doubles_up_to_its_cap(void **state)
{
	uint32_t expected = RESTART_BACKOFF_FIRST_MS;

	(void)state;
	/* every streak the policy restarts after: the back-off it waits */
	for (uint32_t streak = 0; streak < RESTART_STREAK_MAX; streak++) {
		struct restart_decision d =
			restart_decide(RUNTIME_RESTART_ON_FAILURE, true, 1,
		                       streak);
		assert_int_equal(d.step, RESTART_STEP_AFTER);
		assert_int_equal(d.delay_ms, expected);
		assert_true(d.delay_ms <= RESTART_BACKOFF_MAX_MS);
		expected = expected * 2 < RESTART_BACKOFF_MAX_MS
		                   ? expected * 2
		                   : RESTART_BACKOFF_MAX_MS;
	}
}

static void test_full_streak_gives_up(void **state)
{
	(void)state;
	assert_int_equal(restart_decide(RUNTIME_RESTART_ON_FAILURE, true, 11,
	                                RESTART_STREAK_MAX - 1)
	                         .step,
	                 RESTART_STEP_AFTER);
	assert_int_equal(restart_decide(RUNTIME_RESTART_ON_FAILURE, true, 11,
	                                RESTART_STREAK_MAX)
	                         .step,
	                 RESTART_STEP_GIVE_UP);
	assert_int_equal(restart_decide(RUNTIME_RESTART_ALWAYS, false, 0,
	                                RESTART_STREAK_MAX)
	                         .step,
	                 RESTART_STEP_GIVE_UP);
	/* a policy that would not restart does not give up either */
	assert_int_equal(restart_decide(RUNTIME_RESTART_ON_FAILURE, false, 0,
	                                RESTART_STREAK_MAX)
	                         .step,
	                 RESTART_STEP_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_never_restarts_nothing),
		cmocka_unit_test(
			test_on_failure_restarts_faults_and_nonzero_exits),
		cmocka_unit_test(test_always_restarts_a_clean_exit),
		cmocka_unit_test(test_backoff_doubles_up_to_its_cap),
		cmocka_unit_test(test_full_streak_gives_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
