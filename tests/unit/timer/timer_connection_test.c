/*
 * Tests of the timer connection's re-arming rule (pkg/timer/
 * timer_connection.h, timer_once_left_ms): a one-shot armed before its
 * server went away is armed at the new server with the time it has left,
 * rounded up, and one whose time has come is due at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "timer_connection.h"

#define MS 1000000ull

static void test_once_left_counts_down_rounded_up(void **state)
{
	(void)state;
	assert_int_equal(timer_once_left_ms(1000 * MS, 500, 1000 * MS), 500);
	assert_int_equal(timer_once_left_ms(1000 * MS, 500, 1200 * MS), 300);
	assert_int_equal(timer_once_left_ms(1000 * MS, 500, 1200 * MS + 1), 300);
	assert_int_equal(timer_once_left_ms(1000 * MS, 500, 1499 * MS + 1), 1);
}

static void test_once_whose_time_came_is_due(void **state)
{
	(void)state;
	assert_int_equal(timer_once_left_ms(1000 * MS, 500, 1500 * MS), 0);
	assert_int_equal(timer_once_left_ms(1000 * MS, 500, 9000 * MS), 0);
	assert_int_equal(timer_once_left_ms(1000 * MS, 0, 1000 * MS), 0);
}

static void test_once_far_away_does_not_overflow(void **state)
{
	(void)state;
	uint64_t left = timer_once_left_ms(1000 * MS, UINT64_MAX / 2, 1000 * MS);
	assert_true(left > UINT64_MAX / MS / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_once_left_counts_down_rounded_up),
		cmocka_unit_test(test_once_whose_time_came_is_due),
		cmocka_unit_test(test_once_far_away_does_not_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
