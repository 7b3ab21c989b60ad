/*
 * Region map (Genode's RM session, locally): the layout of a range of the
 * component's address space. The map reserves its range with the kernel
 * (kvm_reserve) so that nothing else lands there, and dataspaces (kernel
 * memory objects) are attached into it, at a chosen address or wherever a
 * free range is (found by a best-fit range allocator), and detached again;
 * a detached range goes back into the reservation (kvm_rereserve).
 *
 * Sizes and offsets are in bytes; attachments start at page boundaries and
 * cover whole pages. All functions are thread-safe (one lock per map).
 *
 * Errors are negative: RM_ERR_* below, or a KERR_* value passed on from
 * the kernel interface (a capability that is no memory object, a refused
 * mapping). runtime_strerror() says either in words.
 */
#ifndef RUNTIME_REGION_MAP_H
#define RUNTIME_REGION_MAP_H

#include <runtime/error.h>
#include <runtime/allocator.h>
#include <runtime/lock.h>
#include <runtime/range_alloc.h>

#include <kernel/kernel.h>

#include <stddef.h>
#include <stdint.h>

enum region_map_err {
	REGION_MAP_OK = 0,
	REGION_MAP_ERR_INVALID = RUNTIME_ERR_REGION_MAP_BASE,
	/* unaligned address or offset, no flags */
	REGION_MAP_ERR_OUT_OF_RANGE, /* outside the map, or past the end of
	                                   the dataspace */
	REGION_MAP_ERR_OVERLAP,      /* the chosen range holds an attachment */
	REGION_MAP_ERR_NO_SPACE,     /* no free range is large enough */
	REGION_MAP_ERR_UNKNOWN_ADDRESS, /* detach of an address not attached */
	REGION_MAP_ERR_METADATA,        /* no memory for book-keeping */
};

struct region_map {
	struct lock lock; /* guards everything below */
	uintptr_t base;
	size_t size;
	size_t page;
	struct range_alloc ranges; /* attachments are its allocated blocks */
};

/* Reserves `size` bytes (rounded up to whole pages) of address space.
 * Book-keeping comes from `meta` (heap_allocator() when NULL). */
int region_map_create(struct region_map *rm, size_t size,
                      struct allocator *meta);

/* Unmaps every attachment and releases the reservation. */
void region_map_destroy(struct region_map *rm);

/*
 * Attaches [offset, offset+size) of dataspace `ds` (the rest of it from
 * `offset` when size is 0) with access `flags` (KMEM_READ/WRITE/EXEC), at
 * `at` (page-aligned, inside the map) or, with `at` NULL, at a free
 * address; stores the address in *addr. The dataspace may be attached
 * several times; its capability stays the caller's.
 */
int region_map_attach(struct region_map *rm, kcap_t ds, size_t size,
                      size_t offset, void *at, unsigned flags, void **addr);

/* Detaches the attachment that contains `addr`; its range returns to the
 * reservation and can be attached again. */
int region_map_detach(struct region_map *rm, void *addr);

/* Where the map's range begins. */
void *region_map_base(const struct region_map *rm);

#endif /* RUNTIME_REGION_MAP_H */
