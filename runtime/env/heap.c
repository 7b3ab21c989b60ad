/*
 * The component heap (env.h, env->heap): blocks carved by a best-fit
 * range allocator (runtime/range_alloc.h) out of RAM dataspaces that the
 * PD session allocates from the component's quota, attached into the
 * heap's own region map (runtime/region_map.h: a reserved range of the
 * address space, HEAP_SPACE bytes). When no free block fits, the heap
 * grows by one more dataspace of at least HEAP_CHUNK bytes and at least
 * an eighth of what it has (or, short of quota, the smallest that holds
 * the block).
 *
 * When the PD's quota is exhausted, the heap asks the parent for the
 * dataspace's size more and waits for its answer (env_heap_ask_parent,
 * resource.c), then tries again; alloc() fails with
 * ALLOC_ERR_QUOTA_EXCEEDED only when the parent takes no requests (core,
 * for init) or before env_heap_ask_parent. The waiting thread does not
 * hold the heap's lock meanwhile, so frees, and allocations that fit in
 * what the heap has, go on; it holds `ask_lock`, which keeps one request
 * out at a time (the parent knows one resource signal per component),
 * and a second thread short of quota waits there and tries again first.
 *
 * Each dataspace stays attached, and its capability kept, until the heap
 * gives it back: env_heap_trim() (a yield request, yield.c) returns every
 * dataspace none of whose blocks is in use to the PD, which frees its
 * quota for the parent to take back. The kept capability costs one
 * descriptor per dataspace. Thread-safe (`lock` over the blocks and the
 * dataspaces).
 */
#include "env_private.h"

#include "pd_rpc.h"

#include <runtime/range_alloc.h>
#include <runtime/region_map.h>

#include <stdlib.h>

#define HEAP_CHUNK ((size_t)64 * 1024u)
#define HEAP_SPACE (1ull << 32)

/* One RAM dataspace of the heap, attached at `at`. */
struct heap_chunk {
	struct heap_chunk *next;
	kcap_t ds;
	uintptr_t at;
	size_t size;
};

struct env_heap {
	struct allocator base; /* first member */
	struct lock lock;      /* over everything below but ask_lock */
	struct lock ask_lock;  /* held while a resource request is out */
	kcap_t pd;
	struct region_map space;   /* where the dataspaces are attached */
	struct range_alloc blocks; /* the heap's blocks within them */
	struct heap_chunk *chunks; /* every dataspace attached */
	size_t attached;           /* their bytes */
	kcap_t parent;             /* asked when the quota runs out, or
	                                KCAP_INVALID: fail instead */
};

/* The smallest dataspace that holds a block of `size` bytes. */
static size_t chunk_for(size_t size)
{
	size_t page = kpage_size();

	return size < HEAP_CHUNK ? HEAP_CHUNK
	                         : (size + 2 * page - 1) / page * page;
}

/* The dataspace the heap grows by for a block of `size` bytes: at least
 * an eighth of what it has, so that a large heap is a few dozen
 * dataspaces (each a kept capability, a descriptor; a process has 1024)
 * rather than one per HEAP_CHUNK. */
static size_t grow_by(const struct env_heap *h, size_t size)
{
	size_t page = kpage_size();
	size_t least = chunk_for(size);
	size_t eighth = h->attached / 8 / page * page;

	return eighth > least ? eighth : least;
}

/* pd_alloc of the dataspace to grow by, or, short of quota, of the
 * smallest that will do; *pd_rc is the last answer (which quota is
 * short), *chunk the size allocated. */
static int alloc_ds(struct env_heap *h, size_t size, size_t *chunk, kcap_t *ds,
                    int *pd_rc)
{
	*chunk = grow_by(h, size);
	*pd_rc = pd_alloc(h->pd, *chunk, ds);
	if ((*pd_rc == PD_ERR_OUT_OF_RAM || *pd_rc == PD_ERR_OUT_OF_CAPS) &&
	    *chunk > chunk_for(size)) {
		*chunk = chunk_for(size);
		*pd_rc = pd_alloc(h->pd, *chunk, ds);
	}
	return *pd_rc;
}

/* Attaches one more RAM dataspace that holds at least `size` bytes;
 * *pd_rc is pd_alloc's answer (which quota is short).
 * Precondition: h->lock held. */
static int grow(struct env_heap *h, size_t size, int *pd_rc)
{
	struct heap_chunk *c = calloc(1, sizeof(*c));
	size_t chunk;
	kcap_t ds;
	void *at;
	int rc;

	if (!c)
		return ALLOC_ERR_METADATA;
	rc = alloc_ds(h, size, &chunk, &ds, pd_rc);
	if (rc != 0) {
		free(c);
		return rc == PD_ERR_OUT_OF_RAM || rc == PD_ERR_OUT_OF_CAPS
		               ? ALLOC_ERR_QUOTA_EXCEEDED
		               : ALLOC_ERR_OUT_OF_MEMORY;
	}
	rc = region_map_attach(&h->space, ds, chunk, 0, NULL,
	                       KMEM_READ | KMEM_WRITE, &at);
	if (rc == 0 && range_alloc_add_range(&h->blocks, (uintptr_t)at,
	                                     chunk) != ALLOC_OK) {
		region_map_detach(&h->space, at);
		rc = REGION_MAP_ERR_METADATA;
	}
	if (rc != 0) {
		(void)pd_free(h->pd, ds);
		kcap_close(ds);
		free(c);
		return rc == REGION_MAP_ERR_METADATA ? ALLOC_ERR_METADATA
		                                     : ALLOC_ERR_OUT_OF_MEMORY;
	}
	*c = (struct heap_chunk){ h->chunks, ds, (uintptr_t)at, chunk };
	h->chunks = c;
	h->attached += chunk;
	return ALLOC_OK;
}

/* A block from what the heap has, or from one more dataspace (*pd_rc:
 * as grow's). */
static int alloc_or_grow(struct env_heap *h, size_t size, uintptr_t *addr,
                         int *pd_rc)
{
	LOCK_GUARD(&h->lock);
	int rc = range_alloc_alloc_aligned(&h->blocks, size, 4, addr);
	if (rc == ALLOC_ERR_OUT_OF_MEMORY) {
		rc = grow(h, size, pd_rc);
		if (rc == ALLOC_OK)
			rc = range_alloc_alloc_aligned(&h->blocks, size, 4,
			                               addr);
	}
	return rc;
}

static kcap_t parent_of(struct env_heap *h)
{
	LOCK_GUARD(&h->lock);
	return h->parent;
}

static int heap_alloc(struct allocator *a, size_t size, void **out)
{
	struct env_heap *h = (struct env_heap *)a;
	uintptr_t addr = 0;
	int pd_rc = 0;
	int rc;

	if (size == 0)
		return ALLOC_ERR_INVALID;
	rc = alloc_or_grow(h, size, &addr, &pd_rc);
	while (rc == ALLOC_ERR_QUOTA_EXCEEDED && kcap_valid(parent_of(h))) {
		/* one request at a time; who waited here tries again first, as
		 * the request before may have brought enough */
		lock_acquire(&h->ask_lock);
		rc = alloc_or_grow(h, size, &addr, &pd_rc);
		if (rc == ALLOC_ERR_QUOTA_EXCEEDED &&
		    env_resource_request(parent_of(h),
		                         pd_rc == PD_ERR_OUT_OF_RAM
		                                 ? chunk_for(size)
		                                 : 0,
		                         pd_rc == PD_ERR_OUT_OF_CAPS ? 1 : 0) !=
		            0) {
			lock_release(&h->ask_lock);
			break; /* the parent takes no requests */
		}
		lock_release(&h->ask_lock);
		if (rc == ALLOC_ERR_QUOTA_EXCEEDED)
			rc = alloc_or_grow(h, size, &addr, &pd_rc);
	}
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
	.alloc = heap_alloc,
	.free = heap_free,
	.consumed = heap_consumed,
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
	lock_init(&h->ask_lock);
	*out = h;
	return 0;
}

size_t env_heap_trim(struct env_heap *h)
{
	size_t freed = 0;

	LOCK_GUARD(&h->lock);
	for (struct heap_chunk **at = &h->chunks; *at;) {
		struct heap_chunk *c = *at;
		/* succeeds only when no block of the chunk is in use */
		if (range_alloc_remove_range(&h->blocks, c->at, c->size) !=
		    ALLOC_OK) {
			at = &c->next;
			continue;
		}
		*at = c->next;
		region_map_detach(&h->space, (void *)c->at);
		(void)pd_free(h->pd, c->ds);
		kcap_close(c->ds);
		freed += c->size;
		h->attached -= c->size;
		free(c);
	}
	return freed;
}

void env_heap_destroy(struct env_heap *h)
{
	while (h->chunks) {
		struct heap_chunk *c = h->chunks;
		h->chunks = c->next;
		kcap_close(c->ds);
		free(c);
	}
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
