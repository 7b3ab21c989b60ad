/*
 * The counting, failure-injecting backing allocator of test_backing.h.
 */
#include "test_backing.h"

#include <runtime/container_of.h>

#include <stdlib.h>

static int backing_alloc(struct allocator *a, size_t size, void **out)
{
	struct test_backing *b = container_of(a, struct test_backing, base);
	if (b->fail_after == 0)
		return ALLOC_ERR_OUT_OF_MEMORY;
	if (b->fail_after > 0)
		b->fail_after--;
	void *p = malloc(size);
	if (!p)
		return ALLOC_ERR_OUT_OF_MEMORY;
	b->live_blocks++;
	b->allocs++;
	*out = p;
	return ALLOC_OK;
}

static void backing_free(struct allocator *a, void *addr, size_t size)
{
	struct test_backing *b = container_of(a, struct test_backing, base);
	b->live_blocks--;
	free(addr);
}

static size_t backing_consumed(const struct allocator *a)
{
	return 0;
}

static const struct allocator_ops ops = {
	.alloc = backing_alloc,
	.free = backing_free,
	.consumed = backing_consumed,
};

void test_backing_init(struct test_backing *b)
{
	*b = (struct test_backing){ .base = { .ops = &ops }, .fail_after = -1 };
}
