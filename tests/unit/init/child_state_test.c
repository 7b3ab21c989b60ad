/*
 * Unit tests of a child's state block in init (runtime/init/child_state.c):
 * ids count up over init's lifetime and are never given twice, a restart
 * keeps the id and counts, each state carries exactly what it says (an
 * exit code only when exited, a reason only when incomplete or failed),
 * and a child that could not start may be tried again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "child_state.h"

static void ids_count_up_and_never_repeat(void **state)
{
	struct init_child_state a, b, c;
	uint64_t counter = 0;

	(void)state;
	init_child_state_begin(&a, &counter);
	init_child_state_begin(&b, &counter);
	/* b is removed, an entry of the same name added again */
	init_child_state_begin(&c, &counter);
	assert_int_equal(a.id, 1);
	assert_int_equal(b.id, 2);
	assert_int_equal(c.id, 3);
	assert_int_equal(counter, 3);
	assert_int_equal(c.state, INIT_CHILD_STARTING);
	assert_int_equal(c.restarts, 0);
}

static void runs_exits_and_restarts(void **state)
{
	struct init_child_state s;
	uint64_t counter = 41;

	(void)state;
	init_child_state_begin(&s, &counter);
	init_child_state_starting(&s);
	assert_int_equal(s.state, INIT_CHILD_STARTING);
	init_child_state_running(&s);
	assert_int_equal(s.state, INIT_CHILD_RUNNING);
	assert_false(s.has_exit_code);
	init_child_state_exited(&s, 3);
	assert_int_equal(s.state, INIT_CHILD_EXITED);
	assert_true(s.has_exit_code);
	assert_int_equal(s.exit_code, 3);
	assert_string_equal(s.reason, "");

	init_child_state_restarting(&s);
	assert_int_equal(s.state, INIT_CHILD_RESTARTING);
	assert_int_equal(s.restarts, 1);
	assert_false(s.has_exit_code);
	init_child_state_starting(&s); /* start_child's call: stays */
	assert_int_equal(s.state, INIT_CHILD_RESTARTING);
	init_child_state_running(&s);
	init_child_state_restarting(&s);
	init_child_state_running(&s);
	assert_int_equal(s.restarts, 2);
	assert_int_equal(s.id, 42);
}

static void reasons_for_incomplete_and_failed(void **state)
{
	struct init_child_state s;
	uint64_t counter = 0;

	(void)state;
	init_child_state_begin(&s, &counter);
	init_child_state_incomplete(&s, "archive %s is missing", "a/raw/b/1");
	assert_int_equal(s.state, INIT_CHILD_INCOMPLETE);
	assert_string_equal(s.reason, "archive a/raw/b/1 is missing");

	init_child_state_starting(&s); /* the next config tries again */
	assert_int_equal(s.state, INIT_CHILD_STARTING);
	assert_string_equal(s.reason, "");
	init_child_state_failed(&s, "cannot start: %s", "no ROM");
	assert_int_equal(s.state, INIT_CHILD_FAILED);
	assert_string_equal(s.reason, "cannot start: no ROM");

	init_child_state_starting(&s);
	init_child_state_running(&s);
	init_child_state_failed(&s, "died of a fault (signal %d)", 11);
	assert_string_equal(s.reason, "died of a fault (signal 11)");
	assert_false(s.has_exit_code);
}

static void long_reasons_are_cut(void **state)
{
	struct init_child_state s;
	char long_text[2 * INIT_CHILD_REASON_MAX];
	uint64_t counter = 0;

	(void)state;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	init_child_state_begin(&s, &counter);
	init_child_state_failed(&s, "%s", long_text);
	assert_int_equal(strlen(s.reason), INIT_CHILD_REASON_MAX - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_count_up_and_never_repeat),
		cmocka_unit_test(runs_exits_and_restarts),
		cmocka_unit_test(reasons_for_incomplete_and_failed),
		cmocka_unit_test(long_reasons_are_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
