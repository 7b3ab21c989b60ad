/*
 * The component heap (env.h, env->heap): blocks carved by a best-fit
 * range allocator (runtime/range_alloc.h) out of RAM dataspaces that the
 * PD session allocates from the component's quota, attached into the
 * heap's own region map (runtime/region_map.h: a reserved range of the
 * address space, HEAP_SPACE bytes). When no free block fits, the heap
 * grows by one more dataspace of at least HEAP_CHUNK bytes; when the PD's
 * quota is exhausted, the heap asks the parent for the dataspace's size
 * more and waits for its answer (env_heap_ask_parent, resource.c; all
 * other allocations wait meanwhile, on the lock), then tries again;
 * alloc() fails with ALLOC_ERR_QUOTA_EXCEEDED only when the parent takes
 * no requests (core, for init) or before env_heap_ask_parent.
 * Dataspaces stay attached until the heap is destroyed (a component's heap
 * lives as long as the component; their memory goes back to the pool when
 * the PD session ends). Thread-safe (one lock).
 */
#include "env_private.h"

#include "pd_rpc.h"

#include <runtime/range_alloc.h>
#include <runtime/region_map.h>

#include <stdlib.h>

#define HEAP_CHUNK ((size_t)64 * 1024u)
#define HEAP_SPACE (1ull << 32)

struct env_heap {
	struct allocator   base;     /* first member */
	struct lock        lock;
	kcap_t             pd;
	struct region_map  space;    /* where the dataspaces are attached */
	struct range_alloc blocks;   /* the heap's blocks within them */
	kcap_t             parent;   /* asked when the quota runs out, or
	                                KCAP_INVALID: fail instead */
};

/* The size of the dataspace that holds a block of `size` bytes. */
static size_t chunk_for(size_t size)
{
	size_t page = kpage_size();

	return size < HEAP_CHUNK ? HEAP_CHUNK : (size + 2 * page - 1) / page * page;
}

/* pd_alloc, and while the quota is short, a resource request to the
 * parent (if the heap may ask) and pd_alloc again. */
static int alloc_ds(struct env_heap *h, size_t chunk, kcap_t *ds)
{
	int rc = pd_alloc(h->pd, chunk, ds);

	while ((rc == PD_ERR_OUT_OF_RAM || rc == PD_ERR_OUT_OF_CAPS) &&
	       kcap_valid(h->parent) &&
	       env_resource_request(h->parent, rc == PD_ERR_OUT_OF_RAM ? chunk : 0,
	                            rc == PD_ERR_OUT_OF_CAPS ? 1 : 0) == 0)
		rc = pd_alloc(h->pd, chunk, ds);
	return rc;
}

/* Attaches one more RAM dataspace that holds at least `size` bytes. */
static int grow(struct env_heap *h, size_t size)
{
	size_t chunk = chunk_for(size);
	kcap_t ds;
	int rc = alloc_ds(h, chunk, &ds);
	if (rc == PD_ERR_OUT_OF_RAM || rc == PD_ERR_OUT_OF_CAPS)
		return ALLOC_ERR_QUOTA_EXCEEDED;
	if (rc != 0)
		return ALLOC_ERR_OUT_OF_MEMORY;
	void *at;
	rc = region_map_attach(&h->space, ds, chunk, 0, NULL,
	                       KMEM_READ | KMEM_WRITE, &at);
	kcap_close(ds);   /* the attachment keeps the memory */
	if (rc != 0) {
		return rc == REGION_MAP_ERR_METADATA ? ALLOC_ERR_METADATA
		                             : ALLOC_ERR_OUT_OF_MEMORY;
	}
	if (range_alloc_add_range(&h->blocks, (uintptr_t)at, chunk) != ALLOC_OK) {
		region_map_detach(&h->space, at);
		return ALLOC_ERR_METADATA;
	}
	return ALLOC_OK;
}

static int heap_alloc(struct allocator *a, size_t size, void **out)
{
	struct env_heap *h = (struct env_heap *)a;
	if (size == 0)
		return ALLOC_ERR_INVALID;
	lock_acquire(&h->lock);
	uintptr_t addr;
	int rc = range_alloc_alloc_aligned(&h->blocks, size, 4, &addr);
	if (rc == ALLOC_ERR_OUT_OF_MEMORY) {
		rc = grow(h, size);
		if (rc == ALLOC_OK)
			rc = range_alloc_alloc_aligned(&h->blocks, size, 4, &addr);
	}
	lock_release(&h->lock);
	if (rc == ALLOC_OK)
		*out = (void *)addr;
	return rc;
}

static void heap_free(struct allocator *a, void *addr, size_t size)
{
	(void)size;
	struct env_heap *h = (struct env_heap *)a;
	lock_acquire(&h->lock);
	range_alloc_free(&h->blocks, (uintptr_t)addr);
	lock_release(&h->lock);
}

static size_t heap_consumed(const struct allocator *a)
{
	struct env_heap *h = (struct env_heap *)a;
	lock_acquire(&h->lock);
	size_t used = h->blocks.used;
	lock_release(&h->lock);
	return used;
}

static const struct allocator_ops heap_ops = {
	.alloc = heap_alloc, .free = heap_free, .consumed = heap_consumed,
};

int env_heap_create(struct env_heap **out, kcap_t pd)
{
	struct env_heap *h = calloc(1, sizeof(*h));
	if (!h)
		return KERR_NOMEM;
	h->base.ops = &heap_ops;
	h->pd = pd;
	h->parent = KCAP_INVALID;
	if (region_map_create(&h->space, (size_t)HEAP_SPACE, NULL) != 0) {
		free(h);
		return KERR_NOMEM;
	}
	if (range_alloc_init(&h->blocks, heap_allocator()) != ALLOC_OK) {
		region_map_destroy(&h->space);
		free(h);
		return KERR_NOMEM;
	}
	lock_init(&h->lock);
	*out = h;
	return 0;
}

void env_heap_destroy(struct env_heap *h)
{
	range_alloc_destroy(&h->blocks);
	region_map_destroy(&h->space);
	free(h);
}

void env_heap_ask_parent(struct env_heap *h, kcap_t parent)
{
	lock_acquire(&h->lock);
	h->parent = parent;
	lock_release(&h->lock);
}

struct allocator *env_heap_allocator(struct env_heap *h)
{
	return &h->base;
}
