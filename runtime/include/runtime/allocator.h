/*
 * The allocator interface of libruntime (Genode's Allocator): a struct of
 * function pointers that every allocator embeds as its first member, so
 * that allocators stack (a slab takes its blocks from a backing allocator,
 * a quota guard wraps any allocator, the range allocator keeps its
 * metadata in a slab) and callers hold a `struct allocator *` without
 * knowing what is behind it.
 *
 * Sizes are passed to free() again, as in Genode, so that allocators need
 * not remember them. All allocation errors of libruntime's allocators are
 * ALLOC_ERR_* values (runtime/error.h), and runtime_strerror() says them
 * in words.
 */
#ifndef RUNTIME_ALLOCATOR_H
#define RUNTIME_ALLOCATOR_H

#include <runtime/error.h>
#include <stddef.h>

enum alloc_err {
	ALLOC_OK = 0,
	ALLOC_ERR_OUT_OF_MEMORY = RUNTIME_ERR_ALLOC_BASE,
	/* no free block or range is big enough */
	ALLOC_ERR_QUOTA_EXCEEDED, /* a quota guard's limit would be passed */
	ALLOC_ERR_INVALID,        /* zero or oversized size, bad alignment,
	                                   range that wraps around */
	ALLOC_ERR_RANGE_CONFLICT, /* range not (entirely) free, or overlaps
	                                   a range that is managed already */
	ALLOC_ERR_METADATA,       /* no memory for book-keeping */
	ALLOC_ERR_NOT_ALLOCATED,  /* free of an address never handed out */
};

struct allocator;

struct allocator_ops {
	/* Allocates `size` bytes; stores the address in *out. ALLOC_OK or an
	 * ALLOC_ERR_* value; *out is untouched on failure. */
	int (*alloc)(struct allocator *a, size_t size, void **out);
	/* Frees a block that alloc() returned, with the size it was asked for. */
	void (*free)(struct allocator *a, void *addr, size_t size);
	/* Bytes currently handed out (as this allocator counts them). */
	size_t (*consumed)(const struct allocator *a);
};

struct allocator {
	const struct allocator_ops *ops;
};

static inline int allocator_alloc(struct allocator *a, size_t size, void **out)
{
	return a->ops->alloc(a, size, out);
}

static inline void allocator_free(struct allocator *a, void *addr, size_t size)
{
	a->ops->free(a, addr, size);
}

static inline size_t allocator_consumed(const struct allocator *a)
{
	return a->ops->consumed(a);
}

/* The C library's heap as an allocator: the backing store of last resort
 * for slabs and metadata in a component. Thread-safe. Its consumed() is
 * the bytes handed out through it and not yet freed. */
struct allocator *heap_allocator(void);

#endif /* RUNTIME_ALLOCATOR_H */
