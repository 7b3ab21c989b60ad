/*
 * The quota guard of runtime/quota_guard.h: a limit and a count of the
 * bytes handed out, in front of any allocator. Invariant: consumed never
 * exceeds limit; an allocation past it is refused before the backing
 * allocator is asked, and the limit cannot be withdrawn below consumed
 * (asserted after every change).
 */
#include <runtime/invariant.h>
#include <runtime/quota_guard.h>

#include <runtime/container_of.h>

#include <stdint.h>

static int guard_alloc_op(struct allocator *a, size_t size, void **out)
{
	return quota_guard_alloc(container_of(a, struct quota_guard, base),
	                         size, out);
}

static void guard_free_op(struct allocator *a, void *addr, size_t size)
{
	quota_guard_free(container_of(a, struct quota_guard, base), addr, size);
}

static size_t guard_consumed_op(const struct allocator *a)
{
	return container_of(a, const struct quota_guard, base)->consumed;
}

static const struct allocator_ops guard_ops = {
	.alloc = guard_alloc_op,
	.free = guard_free_op,
	.consumed = guard_consumed_op,
};

void quota_guard_init(struct quota_guard *guard, struct allocator *backing,
                      size_t limit)
{
	*guard = (struct quota_guard){
		.base = { .ops = &guard_ops },
		.backing = backing,
		.limit = limit,
	};
}

int quota_guard_alloc(struct quota_guard *guard, size_t size, void **out)
{
	if (size > guard->limit - guard->consumed)
		return ALLOC_ERR_QUOTA_EXCEEDED;
	int r = allocator_alloc(guard->backing, size, out);
	if (r == ALLOC_OK)
		guard->consumed += size;
	INVARIANT(guard->consumed <= guard->limit);
	return r;
}

void quota_guard_free(struct quota_guard *guard, void *addr, size_t size)
{
	if (!addr)
		return;
	allocator_free(guard->backing, addr, size);
	guard->consumed -= size < guard->consumed ? size : guard->consumed;
	INVARIANT(guard->consumed <= guard->limit);
}

int quota_guard_upgrade(struct quota_guard *guard, size_t amount)
{
	if (amount > SIZE_MAX - guard->limit)
		return ALLOC_ERR_INVALID;
	guard->limit += amount;
	return ALLOC_OK;
}

int quota_guard_withdraw(struct quota_guard *guard, size_t amount)
{
	if (amount > guard->limit - guard->consumed)
		return ALLOC_ERR_QUOTA_EXCEEDED;
	guard->limit -= amount;
	INVARIANT(guard->consumed <= guard->limit);
	return ALLOC_OK;
}

size_t quota_guard_consumed(const struct quota_guard *guard)
{
	return guard->consumed;
}

size_t quota_guard_limit(const struct quota_guard *guard)
{
	return guard->limit;
}

size_t quota_guard_avail(const struct quota_guard *guard)
{
	return guard->limit - guard->consumed;
}

struct allocator *quota_guard_allocator(struct quota_guard *guard)
{
	return &guard->base;
}
