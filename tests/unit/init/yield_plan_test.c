/*
 * Unit tests of the arithmetic of a quota downgrade
 * (runtime/init/yield_plan.c): owed quota, what a PD has free of it, a
 * raise that first cancels what is owed, the deadline counted in ticks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "yield_plan.h"

static struct yield_amount amount(uint64_t ram, uint64_t caps)
{
	return (struct yield_amount){ ram, caps };
}

static void test_free_quota_is_taken_up_to_what_is_owed(void **state)
{
	struct yield_plan p = { .left_ms = 0 };
	struct yield_amount rest, take;

	(void)state;
	rest = yield_plan_change(&p, amount(4096, 10), amount(0, 0));
	assert_int_equal(rest.ram, 0);
	assert_int_equal(rest.caps, 0);
	assert_true(yield_plan_owes(&p));
	/* a PD with more free than owed: only what is owed */
	take = yield_plan_take(&p, 100000, 1000, 500, 20);
	assert_int_equal(take.ram, 4096);
	assert_int_equal(take.caps, 10);
	assert_true(yield_plan_taken(&p, take));
	assert_false(yield_plan_owes(&p));
}

static void test_a_used_pd_gives_what_it_has_free(void **state)
{
	struct yield_plan p = { .left_ms = 0 };
	struct yield_amount take;

	(void)state;
	yield_plan_change(&p, amount(8192, 5), amount(0, 0));
	take = yield_plan_take(&p, 10000, 7000, 100, 98);
	assert_int_equal(take.ram, 3000);
	assert_int_equal(take.caps, 2);
	assert_false(yield_plan_taken(&p, take));
	assert_int_equal(p.owed.ram, 5192);
	assert_int_equal(p.owed.caps, 3);
	/* over-used (quota below use): nothing free, nothing taken */
	take = yield_plan_take(&p, 1000, 2000, 10, 20);
	assert_int_equal(take.ram, 0);
	assert_int_equal(take.caps, 0);
}

static void test_a_raise_cancels_what_is_owed_first(void **state)
{
	struct yield_plan p = { .left_ms = 0 };
	struct yield_amount rest;

	(void)state;
	yield_plan_change(&p, amount(1000, 4), amount(0, 0));
	p.deadline_ms = p.left_ms = 500; /* as init's ask() starts it */
	rest = yield_plan_change(&p, amount(0, 0), amount(300, 10));
	assert_int_equal(rest.ram, 0);  /* all of it cancels owed ram */
	assert_int_equal(rest.caps, 6); /* 4 cancel, 6 go to the child */
	assert_int_equal(p.owed.ram, 700);
	assert_int_equal(p.owed.caps, 0);
	assert_int_equal(p.left_ms, 500); /* still owes: the deadline runs */
	rest = yield_plan_change(&p, amount(0, 0), amount(700, 0));
	assert_int_equal(rest.ram, 0);
	assert_false(yield_plan_owes(&p));
	assert_int_equal(p.left_ms, 0); /* nothing owed: no deadline */
}

static void test_the_deadline_passes_once(void **state)
{
	struct yield_plan p = { .owed = { 1, 0 },
		                .left_ms = 120,
		                .deadline_ms = 120 };

	(void)state;
	assert_false(yield_plan_tick(&p, 50));
	assert_false(yield_plan_tick(&p, 50));
	assert_true(yield_plan_tick(&p, 50));  /* 120 ms: the third tick */
	assert_false(yield_plan_tick(&p, 50)); /* no request out any more */
	p.left_ms = 0;
	assert_false(yield_plan_tick(&p, 50));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_quota_is_taken_up_to_what_is_owed),
		cmocka_unit_test(test_a_used_pd_gives_what_it_has_free),
		cmocka_unit_test(test_a_raise_cancels_what_is_owed_first),
		cmocka_unit_test(test_the_deadline_passes_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
