/*
 * Unit test of the doubling growth of arrays (runtime/grow.h): room kept
 * when there is some, doubling from the first capacity, the requested
 * count honoured in one step, and the overflow refusals that leave the
 * array and its capacity as they were.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include <runtime/grow.h>

static void grows_by_doubling(void **state)
{
	int *items = NULL;
	size_t capacity = 0;

	(void)state;
	items = grow_array(items, &capacity, 1, sizeof *items);
	assert_non_null(items);
	assert_int_equal(capacity, GROW_FIRST_CAPACITY);
	for (size_t i = 0; i < 1000; i++) {
		size_t before = capacity;
		int *grown = grow_array(items, &capacity, i + 1, sizeof *items);
		assert_non_null(grown);
		items = grown;
		items[i] = (int)i;
		if (i + 1 <= before)
			assert_int_equal(capacity, before);
		else
			assert_int_equal(capacity, 2 * before);
	}
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(items[i], (int)i);
	free(items);
}

static void honours_a_large_request_at_once(void **state)
{
	size_t capacity = 0;
	char *items = grow_array(NULL, &capacity, 1000, 1);

	(void)state;
	assert_non_null(items);
	assert_true(capacity >= 1000);
	assert_int_equal(capacity, 1024);
	free(items);
}

static void refuses_overflow_and_keeps_the_array(void **state)
{
	size_t capacity = 0;
	long *items = grow_array(NULL, &capacity, 4, sizeof *items);
	long *same;

	(void)state;
	assert_non_null(items);
	items[0] = 42;
	same = grow_array(items, &capacity, SIZE_MAX / sizeof *items + 1,
	                  sizeof *items);
	assert_null(same);
	assert_int_equal(capacity, GROW_FIRST_CAPACITY);
	same = grow_array(items, &capacity, SIZE_MAX, 2);
	assert_null(same);
	assert_int_equal(capacity, GROW_FIRST_CAPACITY);
	assert_int_equal(items[0], 42);
	assert_null(grow_array(items, &capacity, 100, 0));
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_by_doubling),
		cmocka_unit_test(honours_a_large_request_at_once),
		cmocka_unit_test(refuses_overflow_and_keeps_the_array),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
