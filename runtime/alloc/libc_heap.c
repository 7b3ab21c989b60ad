/*
 * The C library heap behind the allocator interface (runtime/allocator.h),
 * and the words for the ALLOC_* errors. This is the bottom of every
 * allocator stack in a component until the RAM-dataspace heap exists.
 */
#include <runtime/allocator.h>

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Global because there is one C library heap per process, and so one
 * account of it; atomic because any thread may allocate.
 */
static atomic_size_t heap_consumed;

static int heap_alloc(struct allocator *a, size_t size, void **out)
{
	if (size == 0 || size > SIZE_MAX / 2)
		return ALLOC_ERR_INVALID;
	void *p = malloc(size);
	if (!p)
		return ALLOC_ERR_OUT_OF_MEMORY;
	atomic_fetch_add(&heap_consumed, size);
	*out = p;
	return ALLOC_OK;
}

static void heap_free(struct allocator *a, void *addr, size_t size)
{
	if (!addr)
		return;
	atomic_fetch_sub(&heap_consumed, size);
	free(addr);
}

static size_t heap_consumed_bytes(const struct allocator *a)
{
	return atomic_load(&heap_consumed);
}

static const struct allocator_ops heap_ops = {
	.alloc = heap_alloc,
	.free = heap_free,
	.consumed = heap_consumed_bytes,
};

/* Immutable after initialisation: only its ops pointer. */
static struct allocator heap = { .ops = &heap_ops };

struct allocator *heap_allocator(void)
{
	return &heap;
}
