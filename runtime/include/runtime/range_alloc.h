/*
 * Best-fit range allocator (Genode's Allocator_avl): manages ranges of an
 * address space (virtual addresses, offsets, anything that is a number)
 * that are given to it with range_alloc_add_range() and taken away with
 * range_alloc_remove_range(). It hands out blocks of any size with any
 * power-of-two alignment, choosing the smallest free block that fits (best
 * fit), or a block at a requested address; freeing a block merges it with
 * free neighbours, so that freeing everything gives back the ranges that
 * were added.
 *
 * Book-keeping: one metadata record per block, free or used, kept in an
 * AVL tree ordered by address; free blocks are also kept in an AVL tree
 * ordered by size (then address), where best fit is a ceiling lookup. The
 * records come from a slab over the metadata allocator given at init.
 *
 * Invariants (verified by range_alloc_check()):
 *   - blocks never overlap and never wrap around the top of the space;
 *   - no two free blocks touch (they would have been merged);
 *   - the size tree holds exactly the free blocks;
 *   - avail is the sum of the free blocks' sizes.
 *
 * Not thread-safe; see runtime/synced_range_alloc.h for the locked form.
 */
#ifndef RUNTIME_RANGE_ALLOC_H
#define RUNTIME_RANGE_ALLOC_H

#include <runtime/allocator.h>
#include <runtime/avl.h>
#include <runtime/slab.h>

#include <stddef.h>
#include <stdint.h>

struct range_alloc {
	struct allocator base;   /* as a generic allocator: 16-byte aligned */
	struct slab meta;        /* block records */
	struct avl_tree by_addr; /* every block */
	struct avl_tree by_size; /* free blocks */
	size_t avail;            /* free bytes */
	size_t used;             /* bytes handed out */
};

struct range_alloc_stats {
	size_t avail, used;
	size_t free_blocks, used_blocks;
	size_t largest_free;
};

/* Prepares an empty allocator whose block records come from a slab over
 * `meta`. ALLOC_ERR_INVALID without a metadata allocator. */
int range_alloc_init(struct range_alloc *ra, struct allocator *meta);

/* Frees all block records. Blocks still handed out are forgotten. */
void range_alloc_destroy(struct range_alloc *ra);

/* Adds [base, base+size) as free space. ALLOC_ERR_RANGE_CONFLICT when it
 * overlaps space that is managed already (free or used). */
int range_alloc_add_range(struct range_alloc *ra, uintptr_t base, size_t size);

/* Takes [base, base+size) away for good. It must be free entirely
 * (ALLOC_ERR_RANGE_CONFLICT otherwise). */
int range_alloc_remove_range(struct range_alloc *ra, uintptr_t base,
                             size_t size);

/* Allocates `size` bytes at an address that is a multiple of
 * 2^align_log2, from the smallest free block where that fits.
 * ALLOC_ERR_OUT_OF_MEMORY when no free block fits. */
int range_alloc_alloc_aligned(struct range_alloc *ra, size_t size,
                              unsigned align_log2, uintptr_t *addr);

/* Allocates exactly [addr, addr+size). ALLOC_ERR_RANGE_CONFLICT when that
 * is not entirely free (used, or not managed at all). */
int range_alloc_alloc_addr(struct range_alloc *ra, size_t size, uintptr_t addr);

/* Frees the block that starts at `addr`. ALLOC_ERR_NOT_ALLOCATED when no
 * allocated block starts there. */
int range_alloc_free(struct range_alloc *ra, uintptr_t addr);

/* The allocated block that contains `addr`: its start and size.
 * ALLOC_ERR_NOT_ALLOCATED when `addr` is in no allocated block. */
int range_alloc_block_at(const struct range_alloc *ra, uintptr_t addr,
                         uintptr_t *base, size_t *size);

/* The first allocated block that starts at or after `from`, for walking
 * every allocation. ALLOC_ERR_NOT_ALLOCATED when there is none. */
int range_alloc_next_used(const struct range_alloc *ra, uintptr_t from,
                          uintptr_t *base, size_t *size);

size_t range_alloc_avail(const struct range_alloc *ra);

void range_alloc_stats(const struct range_alloc *ra,
                       struct range_alloc_stats *stats);

/* Verifies the invariants above. ALLOC_OK, or ALLOC_ERR_INVALID with a
 * description of the first broken invariant in *what. */
int range_alloc_check(const struct range_alloc *ra, const char **what);

/* The allocator as a generic allocator (allocations 16-byte aligned). */
struct allocator *range_alloc_allocator(struct range_alloc *ra);

#endif /* RUNTIME_RANGE_ALLOC_H */
