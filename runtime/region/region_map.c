/*
 * The region map of runtime/region_map.h. Decode, then invoke: attach
 * checks the dataspace, offset, size and address, then reserves the range
 * in the range allocator, and only then maps; a failed mapping gives the
 * range back. The range allocator's allocated blocks are the attachments,
 * so no other record is kept.
 *
 * Invariant: every attachment is a used block of rm->ranges that starts
 * at a page boundary, covers whole pages and lies within [base, base +
 * size); rm->lock is held wherever the ranges change (asserted there).
 */
#include <runtime/invariant.h>
#include <runtime/region_map.h>

static size_t round_up(size_t v, size_t page)
{
	return (v + page - 1) / page * page;
}

static unsigned log2_of(size_t power_of_two)
{
	unsigned n = 0;
	while (((size_t)1 << n) < power_of_two)
		n++;
	return n;
}

int region_map_create(struct region_map *rm, size_t size,
                      struct allocator *meta)
{
	size_t page = kpage_size();
	if (size == 0 || size > SIZE_MAX - page)
		return REGION_MAP_ERR_INVALID;
	size = round_up(size, page);
	int r = range_alloc_init(&rm->ranges, meta ? meta : heap_allocator());
	if (r)
		return REGION_MAP_ERR_METADATA;
	void *base;
	r = kvm_reserve(size, &base);
	if (r) {
		range_alloc_destroy(&rm->ranges);
		return r;
	}
	if (range_alloc_add_range(&rm->ranges, (uintptr_t)base, size)) {
		kvm_release(base, size);
		range_alloc_destroy(&rm->ranges);
		return REGION_MAP_ERR_METADATA;
	}
	lock_init(&rm->lock);
	rm->base = (uintptr_t)base;
	rm->size = size;
	rm->page = page;
	return REGION_MAP_OK;
}

void region_map_destroy(struct region_map *rm)
{
	uintptr_t at = rm->base, base;
	size_t size;
	while (range_alloc_next_used(&rm->ranges, at, &base, &size) ==
	       ALLOC_OK) {
		kmem_unmap((void *)base, size);
		at = base + size;
	}
	kvm_release((void *)rm->base, rm->size);
	range_alloc_destroy(&rm->ranges);
}

/* Checks the dataspace part; fills the size to map (whole pages). */
static int decode_dataspace(const struct region_map *rm, kcap_t ds, size_t size,
                            size_t offset, size_t *map_size)
{
	size_t ds_size;
	int r = kmem_size(ds, &ds_size);
	if (r)
		return r;
	if (offset % rm->page)
		return REGION_MAP_ERR_INVALID;
	if (offset >= ds_size)
		return REGION_MAP_ERR_OUT_OF_RANGE;
	size_t avail = ds_size - offset;
	if (size == 0)
		size = avail;
	if (size > avail ||
	    round_up(size, rm->page) > round_up(avail, rm->page))
		return REGION_MAP_ERR_OUT_OF_RANGE;
	*map_size = round_up(size, rm->page);
	return REGION_MAP_OK;
}

/* For INVARIANT: whether [addr, addr + size) may be an attachment. */
static bool attachment_ok(const struct region_map *rm, uintptr_t addr,
                          size_t size)
{
	return addr % rm->page == 0 && size % rm->page == 0 && size > 0 &&
	       addr >= rm->base && addr - rm->base <= rm->size - size;
}

/* Reserves the range for an attachment at `at` or anywhere. */
static int place(struct region_map *rm, size_t size, void *at, uintptr_t *addr)
{
	INVARIANT(lock_owned(&rm->lock));
	if (!at) {
		int r = range_alloc_alloc_aligned(&rm->ranges, size,
		                                  log2_of(rm->page), addr);
		if (r == ALLOC_ERR_OUT_OF_MEMORY)
			return REGION_MAP_ERR_NO_SPACE;
		return r ? REGION_MAP_ERR_METADATA : REGION_MAP_OK;
	}
	uintptr_t a = (uintptr_t)at;
	if (a % rm->page)
		return REGION_MAP_ERR_INVALID;
	if (a < rm->base || a - rm->base >= rm->size ||
	    size > rm->size - (a - rm->base))
		return REGION_MAP_ERR_OUT_OF_RANGE;
	int r = range_alloc_alloc_addr(&rm->ranges, size, a);
	if (r == ALLOC_ERR_RANGE_CONFLICT)
		return REGION_MAP_ERR_OVERLAP;
	if (r)
		return REGION_MAP_ERR_METADATA;
	*addr = a;
	return REGION_MAP_OK;
}

int region_map_attach(struct region_map *rm, kcap_t ds, size_t size,
                      size_t offset, void *at, unsigned flags, void **addr)
{
	if (!addr || !flags ||
	    (flags & ~(unsigned)(KMEM_READ | KMEM_WRITE | KMEM_EXEC)))
		return REGION_MAP_ERR_INVALID;
	size_t map_size;
	int r = decode_dataspace(rm, ds, size, offset, &map_size);
	if (r)
		return r;
	LOCK_GUARD(&rm->lock);
	uintptr_t where;
	r = place(rm, map_size, at, &where);
	if (r)
		return r;
	void *got;
	INVARIANT(attachment_ok(rm, where, map_size));
	r = kmem_map(ds, offset, map_size, flags, (void *)where, &got);
	if (r) {
		range_alloc_free(&rm->ranges, where);
		return r;
	}
	*addr = got;
	return REGION_MAP_OK;
}

int region_map_detach(struct region_map *rm, void *addr)
{
	LOCK_GUARD(&rm->lock);
	uintptr_t base;
	size_t size;
	if (range_alloc_block_at(&rm->ranges, (uintptr_t)addr, &base, &size))
		return REGION_MAP_ERR_UNKNOWN_ADDRESS;
	INVARIANT(attachment_ok(rm, base, size));
	int r = kmem_unmap((void *)base, size);
	if (r)
		return r;
	range_alloc_free(&rm->ranges, base);
	r = kvm_rereserve((void *)base, size);
	if (r) {
		/* something else took the hole: it is no longer ours to hand out */
		range_alloc_remove_range(&rm->ranges, base, size);
		return r;
	}
	return REGION_MAP_OK;
}

void *region_map_base(const struct region_map *rm)
{
	return (void *)rm->base;
}
