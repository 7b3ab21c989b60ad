/*
 * Quota guard (Genode's Allocator_guard): wraps an allocator and refuses
 * allocations that would take the bytes handed out through it past a
 * limit. Servers give each client a guard over their heap, dimensioned by
 * the RAM quota the client donated, and raise the limit when the client
 * upgrades its session.
 *
 * Consumption counts the sizes requested. Not thread-safe; a guard shared
 * by threads sits behind a lock.
 */
#ifndef RUNTIME_QUOTA_GUARD_H
#define RUNTIME_QUOTA_GUARD_H

#include <runtime/allocator.h>

#include <stddef.h>

struct quota_guard {
	struct allocator base; /* the guard as a generic allocator */
	struct allocator *backing;
	size_t limit;
	size_t consumed;
};

void quota_guard_init(struct quota_guard *guard, struct allocator *backing,
                      size_t limit);

/* Allocates through the backing allocator. ALLOC_ERR_QUOTA_EXCEEDED when
 * consumed + size would pass the limit (nothing is asked of the backing
 * allocator then); its errors are passed on. */
int quota_guard_alloc(struct quota_guard *guard, size_t size, void **out);

/* Frees a block allocated through the guard, with its size. */
void quota_guard_free(struct quota_guard *guard, void *addr, size_t size);

/* Raises the limit by `amount`. ALLOC_ERR_INVALID when the limit would
 * wrap around. */
int quota_guard_upgrade(struct quota_guard *guard, size_t amount);

/* Lowers the limit by `amount` (quota handed back). ALLOC_ERR_QUOTA_EXCEEDED
 * when that would put the limit below what is consumed. */
int quota_guard_withdraw(struct quota_guard *guard, size_t amount);

size_t quota_guard_consumed(const struct quota_guard *guard);
size_t quota_guard_limit(const struct quota_guard *guard);
size_t quota_guard_avail(const struct quota_guard *guard);

struct allocator *quota_guard_allocator(struct quota_guard *guard);

#endif /* RUNTIME_QUOTA_GUARD_H */
