/*
 * Unit tests of the slab allocator (runtime/slab.h): objects are distinct,
 * aligned and usable; freed objects are reused; blocks come from and go
 * back to the backing allocator; backing failures, oversized requests,
 * double frees and foreign objects are errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/slab.h>

#include "test_backing.h"

#include <stdint.h>
#include <string.h>

static void objects_are_distinct_aligned_usable(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct slab s;
	assert_int_equal(slab_init(&s, 40, 1024, &back.base), ALLOC_OK);
	void *objs[100];
	for (int i = 0; i < 100; i++) {
		assert_int_equal(slab_alloc(&s, &objs[i]), ALLOC_OK);
		assert_int_equal((uintptr_t)objs[i] % 16, 0);
		memset(objs[i], i, 40); /* ASan checks the bounds */
	}
	for (int i = 0; i < 100; i++)
		for (int j = 0; j < 40; j++)
			assert_int_equal(((unsigned char *)objs[i])[j], i);
	assert_int_equal(slab_used_objects(&s), 100);
	assert_true(slab_block_count(&s) > 1);
	assert_int_equal(back.live_blocks, (long)slab_block_count(&s));
	for (int i = 0; i < 100; i++)
		assert_int_equal(slab_free(&s, objs[i]), ALLOC_OK);
	assert_int_equal(slab_used_objects(&s), 0);
	assert_int_equal(slab_block_count(&s), 1); /* one spare kept */
	slab_destroy(&s);
	assert_int_equal(back.live_blocks, 0);
}

static void freed_objects_are_reused(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct slab s;
	assert_int_equal(slab_init(&s, 24, 512, &back.base), ALLOC_OK);
	void *a, *b, *c;
	assert_int_equal(slab_alloc(&s, &a), ALLOC_OK);
	assert_int_equal(slab_alloc(&s, &b), ALLOC_OK);
	assert_int_equal(slab_free(&s, a), ALLOC_OK);
	assert_int_equal(slab_alloc(&s, &c), ALLOC_OK);
	assert_ptr_equal(a, c);
	long allocs = back.allocs;
	for (int round = 0; round < 1000; round++) {
		assert_int_equal(slab_free(&s, c), ALLOC_OK);
		assert_int_equal(slab_alloc(&s, &c), ALLOC_OK);
	}
	assert_int_equal(back.allocs, allocs); /* no new blocks needed */
	slab_destroy(&s);
	assert_int_equal(back.live_blocks, 0);
}

static void spare_block_avoids_churn_at_boundary(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct slab s;
	assert_int_equal(slab_init(&s, 16, 256, &back.base), ALLOC_OK);
	size_t per_block = s.entries_per_block;
	void *objs[64];
	assert_true(per_block < 64);
	for (size_t i = 0; i < per_block; i++)
		assert_int_equal(slab_alloc(&s, &objs[i]), ALLOC_OK);
	void *extra;
	for (int round = 0; round < 10; round++) {
		assert_int_equal(slab_alloc(&s, &extra), ALLOC_OK);
		assert_int_equal(slab_free(&s, extra), ALLOC_OK);
	}
	assert_int_equal(back.allocs, 2);
	slab_destroy(&s);
}

static void backing_failure_is_reported(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct slab s;
	assert_int_equal(slab_init(&s, 16, 256, &back.base), ALLOC_OK);
	back.fail_after = 0;
	void *p = (void *)1;
	assert_int_equal(slab_alloc(&s, &p), ALLOC_ERR_OUT_OF_MEMORY);
	assert_ptr_equal(p, (void *)1);
	back.fail_after = -1;
	assert_int_equal(slab_alloc(&s, &p), ALLOC_OK);
	slab_destroy(&s);
}

static void bad_configuration_is_refused(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct slab s;
	assert_int_equal(slab_init(&s, 0, 4096, &back.base), ALLOC_ERR_INVALID);
	assert_int_equal(slab_init(&s, 4096, 4096, &back.base),
	                 ALLOC_ERR_INVALID);
	assert_int_equal(slab_init(&s, 16, 8, &back.base), ALLOC_ERR_INVALID);
	assert_int_equal(slab_init(&s, 16, 4096, NULL), ALLOC_ERR_INVALID);
}

static void double_free_and_foreign_objects(void **state)
{
	struct test_backing back;
	test_backing_init(&back);
	struct slab s1, s2;
	assert_int_equal(slab_init(&s1, 32, 1024, &back.base), ALLOC_OK);
	assert_int_equal(slab_init(&s2, 32, 1024, &back.base), ALLOC_OK);
	void *a, *b, *keep;
	assert_int_equal(slab_alloc(&s1, &keep), ALLOC_OK);
	assert_int_equal(slab_alloc(&s1, &a), ALLOC_OK);
	assert_int_equal(slab_alloc(&s2, &b), ALLOC_OK);
	assert_int_equal(slab_free(&s2, a), ALLOC_ERR_NOT_ALLOCATED);
	assert_int_equal(slab_free(&s1, a), ALLOC_OK);
	assert_int_equal(slab_free(&s1, a), ALLOC_ERR_NOT_ALLOCATED);
	assert_int_equal(slab_free(&s1, NULL), ALLOC_ERR_NOT_ALLOCATED);
	assert_int_equal(slab_used_objects(&s1), 1);
	slab_destroy(&s1);
	slab_destroy(&s2);
	assert_int_equal(back.live_blocks, 0);
}

static void generic_interface(void **state)
{
	struct slab s;
	assert_int_equal(slab_init(&s, 48, 4096, heap_allocator()), ALLOC_OK);
	struct allocator *a = slab_allocator(&s);
	void *p;
	assert_int_equal(allocator_alloc(a, 49, &p), ALLOC_ERR_INVALID);
	assert_int_equal(allocator_alloc(a, 0, &p), ALLOC_ERR_INVALID);
	assert_int_equal(allocator_alloc(a, 48, &p), ALLOC_OK);
	assert_int_equal(allocator_consumed(a), 4096);
	allocator_free(a, p, 48);
	assert_int_equal(slab_used_objects(&s), 0);
	slab_destroy(&s);
	assert_int_equal(allocator_consumed(heap_allocator()), 0);
	assert_string_equal(runtime_strerror(ALLOC_ERR_NOT_ALLOCATED),
	                    "address was not allocated");
	assert_string_equal(runtime_strerror(ALLOC_ERR_NOT_ALLOCATED + 1),
	                    "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(objects_are_distinct_aligned_usable),
		cmocka_unit_test(freed_objects_are_reused),
		cmocka_unit_test(spare_block_avoids_churn_at_boundary),
		cmocka_unit_test(backing_failure_is_reported),
		cmocka_unit_test(bad_configuration_is_refused),
		cmocka_unit_test(double_free_and_foreign_objects),
		cmocka_unit_test(generic_interface),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
