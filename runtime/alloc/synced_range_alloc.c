/*
 * The locked range allocator of runtime/synced_range_alloc.h: each
 * function takes the lock with a scope guard and calls the range
 * allocator.
 */
#include <runtime/synced_range_alloc.h>

#include <runtime/container_of.h>

static int synced_alloc_op(struct allocator *a, size_t size, void **out)
{
	struct synced_range_alloc *s = container_of(a,
	                                            struct synced_range_alloc,
	                                            base);
	LOCK_GUARD(&s->lock);
	return allocator_alloc(range_alloc_allocator(s->ra), size, out);
}

static void synced_free_op(struct allocator *a, void *addr, size_t size)
{
	struct synced_range_alloc *s = container_of(a,
	                                            struct synced_range_alloc,
	                                            base);
	LOCK_GUARD(&s->lock);
	allocator_free(range_alloc_allocator(s->ra), addr, size);
}

static size_t synced_consumed_op(const struct allocator *a)
{
	struct synced_range_alloc *s = container_of(a,
	                                            struct synced_range_alloc,
	                                            base);
	LOCK_GUARD(&s->lock);
	return allocator_consumed(range_alloc_allocator(s->ra));
}

static const struct allocator_ops synced_ops = {
	.alloc = synced_alloc_op,
	.free = synced_free_op,
	.consumed = synced_consumed_op,
};

void synced_range_alloc_init(struct synced_range_alloc *s,
                             struct range_alloc *ra)
{
	s->base.ops = &synced_ops;
	lock_init(&s->lock);
	s->ra = ra;
}

int synced_range_alloc_add_range(struct synced_range_alloc *s, uintptr_t base,
                                 size_t size)
{
	LOCK_GUARD(&s->lock);
	return range_alloc_add_range(s->ra, base, size);
}

int synced_range_alloc_remove_range(struct synced_range_alloc *s,
                                    uintptr_t base, size_t size)
{
	LOCK_GUARD(&s->lock);
	return range_alloc_remove_range(s->ra, base, size);
}

int synced_range_alloc_alloc_aligned(struct synced_range_alloc *s, size_t size,
                                     unsigned align_log2, uintptr_t *addr)
{
	LOCK_GUARD(&s->lock);
	return range_alloc_alloc_aligned(s->ra, size, align_log2, addr);
}

int synced_range_alloc_alloc_addr(struct synced_range_alloc *s, size_t size,
                                  uintptr_t addr)
{
	LOCK_GUARD(&s->lock);
	return range_alloc_alloc_addr(s->ra, size, addr);
}

int synced_range_alloc_free(struct synced_range_alloc *s, uintptr_t addr)
{
	LOCK_GUARD(&s->lock);
	return range_alloc_free(s->ra, addr);
}

int synced_range_alloc_block_at(struct synced_range_alloc *s, uintptr_t addr,
                                uintptr_t *base, size_t *size)
{
	LOCK_GUARD(&s->lock);
	return range_alloc_block_at(s->ra, addr, base, size);
}

size_t synced_range_alloc_avail(struct synced_range_alloc *s)
{
	LOCK_GUARD(&s->lock);
	return range_alloc_avail(s->ra);
}

int synced_range_alloc_check(struct synced_range_alloc *s, const char **what)
{
	LOCK_GUARD(&s->lock);
	return range_alloc_check(s->ra, what);
}

struct allocator *synced_range_alloc_allocator(struct synced_range_alloc *s)
{
	return &s->base;
}
