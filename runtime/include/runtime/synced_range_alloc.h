/*
 * Synced range allocator (Genode's Synced_range_allocator): a range
 * allocator behind a lock, for allocators that several threads share (an
 * address space's region map, core's physical memory). Every operation of
 * runtime/range_alloc.h is here with the same meaning, taken under the
 * lock; the wrapped allocator must not be used directly meanwhile.
 */
#ifndef RUNTIME_SYNCED_RANGE_ALLOC_H
#define RUNTIME_SYNCED_RANGE_ALLOC_H

#include <runtime/lock.h>
#include <runtime/range_alloc.h>

struct synced_range_alloc {
	struct allocator base; /* as a generic allocator, locked */
	struct lock lock;
	struct range_alloc *ra;
};

void synced_range_alloc_init(struct synced_range_alloc *s,
                             struct range_alloc *ra);

int synced_range_alloc_add_range(struct synced_range_alloc *s, uintptr_t base,
                                 size_t size);
int synced_range_alloc_remove_range(struct synced_range_alloc *s,
                                    uintptr_t base, size_t size);
int synced_range_alloc_alloc_aligned(struct synced_range_alloc *s, size_t size,
                                     unsigned align_log2, uintptr_t *addr);
int synced_range_alloc_alloc_addr(struct synced_range_alloc *s, size_t size,
                                  uintptr_t addr);
int synced_range_alloc_free(struct synced_range_alloc *s, uintptr_t addr);
int synced_range_alloc_block_at(struct synced_range_alloc *s, uintptr_t addr,
                                uintptr_t *base, size_t *size);
size_t synced_range_alloc_avail(struct synced_range_alloc *s);

/* Runs range_alloc_check() under the lock. */
int synced_range_alloc_check(struct synced_range_alloc *s, const char **what);

struct allocator *synced_range_alloc_allocator(struct synced_range_alloc *s);

#endif /* RUNTIME_SYNCED_RANGE_ALLOC_H */
