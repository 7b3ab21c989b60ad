/*
 * Unit tests of the quota guard (runtime/quota_guard.h): allocation up to
 * the limit, refusal past it without asking the backing allocator,
 * accounting on free, upgrade and withdrawal, and stacking with another
 * allocator through the generic interface.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/quota_guard.h>
#include <runtime/slab.h>

#include "test_backing.h"

#include <stdint.h>

static void refuses_past_the_limit(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct quota_guard g;
	quota_guard_init(&g, &back.base, 1000);
	void *a, *b, *c = (void *)7;
	assert_int_equal(quota_guard_alloc(&g, 600, &a), ALLOC_OK);
	assert_int_equal(quota_guard_alloc(&g, 400, &b),
	                 ALLOC_OK); /* exactly */
	assert_int_equal(quota_guard_consumed(&g), 1000);
	assert_int_equal(quota_guard_avail(&g), 0);
	long allocs = back.allocs;
	assert_int_equal(quota_guard_alloc(&g, 1, &c),
	                 ALLOC_ERR_QUOTA_EXCEEDED);
	assert_int_equal(back.allocs, allocs); /* backing never asked */
	assert_ptr_equal(c, (void *)7);
	quota_guard_free(&g, b, 400);
	assert_int_equal(quota_guard_consumed(&g), 600);
	assert_int_equal(quota_guard_alloc(&g, 401, &c),
	                 ALLOC_ERR_QUOTA_EXCEEDED);
	assert_int_equal(quota_guard_alloc(&g, 400, &c), ALLOC_OK);
	quota_guard_free(&g, a, 600);
	quota_guard_free(&g, c, 400);
	assert_int_equal(quota_guard_consumed(&g), 0);
	assert_int_equal(back.live_blocks, 0);
}

static void huge_request_does_not_wrap(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct quota_guard g;
	quota_guard_init(&g, &back.base, 100);
	void *a;
	assert_int_equal(quota_guard_alloc(&g, 50, &a), ALLOC_OK);
	void *b;
	assert_int_equal(quota_guard_alloc(&g, SIZE_MAX, &b),
	                 ALLOC_ERR_QUOTA_EXCEEDED);
	assert_int_equal(quota_guard_alloc(&g, SIZE_MAX - 20, &b),
	                 ALLOC_ERR_QUOTA_EXCEEDED);
	quota_guard_free(&g, a, 50);
}

static void upgrade_and_withdraw(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct quota_guard g;
	quota_guard_init(&g, &back.base, 100);
	void *a, *b;
	assert_int_equal(quota_guard_alloc(&g, 100, &a), ALLOC_OK);
	assert_int_equal(quota_guard_alloc(&g, 50, &b),
	                 ALLOC_ERR_QUOTA_EXCEEDED);
	assert_int_equal(quota_guard_upgrade(&g, 50), ALLOC_OK);
	assert_int_equal(quota_guard_limit(&g), 150);
	assert_int_equal(quota_guard_alloc(&g, 50, &b), ALLOC_OK);
	assert_int_equal(quota_guard_upgrade(&g, SIZE_MAX), ALLOC_ERR_INVALID);
	assert_int_equal(quota_guard_limit(&g), 150);
	assert_int_equal(quota_guard_withdraw(&g, 1), ALLOC_ERR_QUOTA_EXCEEDED);
	quota_guard_free(&g, b, 50);
	assert_int_equal(quota_guard_withdraw(&g, 50), ALLOC_OK);
	assert_int_equal(quota_guard_limit(&g), 100);
	quota_guard_free(&g, a, 100);
}

static void backing_failure_is_not_counted(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct quota_guard g;
	quota_guard_init(&g, &back.base, 100);
	back.fail_after = 0;
	void *a;
	assert_int_equal(quota_guard_alloc(&g, 10, &a),
	                 ALLOC_ERR_OUT_OF_MEMORY);
	assert_int_equal(quota_guard_consumed(&g), 0);
}

static void stacks_as_generic_allocator(void **state)
{
	/* a slab whose blocks come through a guard: the guard limits blocks */
	struct test_backing back;
	test_backing_init(&back);
	struct quota_guard g;
	quota_guard_init(&g, &back.base, 2 * 512);
	struct slab s;
	assert_int_equal(slab_init(&s, 64, 512, quota_guard_allocator(&g)),
	                 ALLOC_OK);
	void *objs[64];
	int n = 0;
	int r;
	while ((r = slab_alloc(&s, &objs[n])) == ALLOC_OK)
		n++;
	assert_int_equal(r, ALLOC_ERR_QUOTA_EXCEEDED);
	assert_int_equal(n, (int)(2 * s.entries_per_block));
	assert_int_equal(allocator_consumed(quota_guard_allocator(&g)), 1024);
	slab_destroy(&s);
	assert_int_equal(quota_guard_consumed(&g), 0);
	assert_int_equal(back.live_blocks, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuses_past_the_limit),
		cmocka_unit_test(huge_request_does_not_wrap),
		cmocka_unit_test(upgrade_and_withdraw),
		cmocka_unit_test(backing_failure_is_not_counted),
		cmocka_unit_test(stacks_as_generic_allocator),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
