/*
 * Unit test of the doubling growth of arrays (lib/grow, grow/grow.h, which
 * runtime/grow.h is): room kept when there is some, doubling through the
 * powers of two with the contents kept, the requested count honoured in one
 * step, growth amortised (n appends cost O(log n) reallocations and O(n)
 * copied elements), and the overflow refusals that leave the array and its
 * capacity as they were. Links libgrow alone: the helper needs nothing of
 * libruntime, as the host tools and the kernel platform that link it
 * require.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include <grow/grow.h>

static void grows_by_doubling(void **state)
{
	int *items = NULL;
	size_t capacity = 0;

	(void)state;
	items = grow_array(items, &capacity, 1, sizeof *items);
	assert_non_null(items);
	assert_int_equal(capacity, 1);
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

static void growth_is_amortised(void **state)
{
	enum { APPENDS = 100000 };
	unsigned *items = NULL;
	size_t capacity = 0, reallocations = 0, copied = 0;

	(void)state;
	for (size_t i = 0; i < APPENDS; i++) {
		size_t before = capacity;
		unsigned *grown = grow_array(items, &capacity, i + 1,
		                             sizeof *items);
		assert_non_null(grown);
		if (capacity != before) {
			reallocations++;
			copied += i; /* what a realloc may have to move */
		}
		items = grown;
		items[i] = (unsigned)i * 2654435761u;
	}
	/* 1 doubled to 131072 holds 100000: 18 reallocations in all, and
	 * fewer than two copied elements per append (a growth by one would
	 * copy about APPENDS / 2 per append). */
	assert_int_equal(reallocations, 18);
	assert_true(copied < 2 * APPENDS);
	assert_true(capacity < 2 * APPENDS);
	for (size_t i = 0; i < APPENDS; i++)
		assert_int_equal(items[i], (unsigned)i * 2654435761u);
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
	assert_int_equal(capacity, 4);
	same = grow_array(items, &capacity, SIZE_MAX, 2);
	assert_null(same);
	assert_int_equal(capacity, 4);
	assert_int_equal(items[0], 42);
	same = grow_array(items, &capacity, 5, SIZE_MAX / 2 + 1);
	assert_null(same);
	assert_int_equal(capacity, 4);
	assert_int_equal(items[0], 42);
	assert_null(grow_array(items, &capacity, 100, 0));
	assert_int_equal(capacity, 4);
	assert_int_equal(items[0], 42);
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_by_doubling),
		cmocka_unit_test(honours_a_large_request_at_once),
		cmocka_unit_test(growth_is_amortised),
		cmocka_unit_test(refuses_overflow_and_keeps_the_array),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
