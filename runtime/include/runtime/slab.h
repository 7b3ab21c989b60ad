/*
 * Slab allocator (Genode's Slab): hands out objects of one fixed size,
 * carved from blocks that it takes from a backing allocator on demand.
 * A freed object is reused by the next allocation; a block whose objects
 * are all free goes back to the backing allocator, except that one spare
 * block is kept when every other block is full (so that an alloc/free
 * pair at a block boundary does not churn the backing allocator).
 *
 * Every object is aligned to 16 bytes and preceded by a small header that
 * names its block, which makes free O(1) and lets a double free, or a free
 * of another slab's object, be refused while the block it names is still
 * held (a pointer that no slab ever handed out is undefined behaviour, as
 * with free()). The backing allocator must return 16-byte aligned blocks.
 * Not thread-safe.
 */
#ifndef RUNTIME_SLAB_H
#define RUNTIME_SLAB_H

#include <runtime/allocator.h>

#include <stddef.h>

struct slab_block;

struct slab {
	struct allocator base; /* the slab as a generic allocator */
	struct allocator *backing;
	size_t object_size; /* what callers get */
	size_t entry_size;  /* header + object, rounded */
	size_t block_size;  /* bytes taken from the backing allocator */
	size_t entries_per_block;
	struct slab_block *blocks; /* blocks with free entries come first */
	struct slab_block *last;
	size_t block_count;
	size_t used;         /* objects handed out */
	size_t free_entries; /* free objects over all blocks */
};

/* Prepares a slab for objects of `object_size` bytes in blocks of
 * `block_size` bytes from `backing`. ALLOC_ERR_INVALID when a block cannot
 * hold at least one object. Takes no memory yet. */
int slab_init(struct slab *slab, size_t object_size, size_t block_size,
              struct allocator *backing);

/* Gives every block back to the backing allocator, whether its objects
 * are still in use or not. */
void slab_destroy(struct slab *slab);

int slab_alloc(struct slab *slab, void **object);

/* Frees an object of this slab. ALLOC_ERR_NOT_ALLOCATED for an object that
 * is free already or belongs to another slab. */
int slab_free(struct slab *slab, void *object);

/* The slab as a generic allocator: sizes up to object_size are served. */
struct allocator *slab_allocator(struct slab *slab);

size_t slab_used_objects(const struct slab *slab);
size_t slab_block_count(const struct slab *slab);

#endif /* RUNTIME_SLAB_H */
