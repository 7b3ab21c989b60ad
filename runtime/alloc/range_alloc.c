/*
 * The best-fit range allocator of runtime/range_alloc.h.
 *
 * Every change that needs new block records takes them from the slab
 * before it touches the trees, so an operation either succeeds or fails
 * with nothing changed. A free block is split into at most three parts
 * (free before, used, free after); a freed block is merged with its free
 * address neighbours when they touch it. The invariants of range_alloc.h
 * are asserted (range_alloc_check) after every operation that changes the
 * blocks, in the sanitizer build.
 */
#include <runtime/invariant.h>
#include <runtime/range_alloc.h>

#include <stdbool.h>

enum { META_BLOCK_SIZE = 4096, GENERIC_ALIGN_LOG2 = 4 };

struct block {
	struct avl_node addr_node;
	struct avl_node size_node;
	uintptr_t base;
	size_t size;
	bool used;
};

static struct block *by_addr(const struct avl_node *n)
{
	return container_of(n, struct block, addr_node);
}

static struct block *by_size(const struct avl_node *n)
{
	return container_of(n, struct block, size_node);
}

static int cmp_uptr(uintptr_t a, uintptr_t b)
{
	return (a > b) - (a < b);
}

static int compare_addr(const struct avl_node *a, const struct avl_node *b)
{
	return cmp_uptr(by_addr(a)->base, by_addr(b)->base);
}

static int compare_size(const struct avl_node *a, const struct avl_node *b)
{
	int c = cmp_uptr(by_size(a)->size, by_size(b)->size);
	return c ? c : cmp_uptr(by_size(a)->base, by_size(b)->base);
}

static int key_addr(const void *key, const struct avl_node *n)
{
	return cmp_uptr(*(const uintptr_t *)key, by_addr(n)->base);
}

static int key_size(const void *key, const struct avl_node *n)
{
	return cmp_uptr(*(const size_t *)key, by_size(n)->size);
}

/* Whether [base, base+size) is a non-empty range that does not wrap. */
static bool range_ok(uintptr_t base, size_t size)
{
	return size > 0 && base <= UINTPTR_MAX - (size - 1);
}

/* The exclusive end of a block; 0 means "the top of the space". */
static uintptr_t end_of(const struct block *b)
{
	return b->base + b->size;
}

/* --- block records ------------------------------------------------------- */

/* Up to two spare records for a split, taken before anything changes. */
struct spares {
	struct block *b[2];
	int count;
};

static int take_spares(struct range_alloc *ra, struct spares *s, int n)
{
	s->count = 0;
	for (int i = 0; i < n; i++) {
		void *p;
		if (slab_alloc(&ra->meta, &p)) {
			while (s->count)
				slab_free(&ra->meta, s->b[--s->count]);
			return ALLOC_ERR_METADATA;
		}
		s->b[s->count++] = p;
	}
	return ALLOC_OK;
}

static struct block *use_spare(struct spares *s)
{
	return s->b[--s->count];
}

static void return_spares(struct range_alloc *ra, struct spares *s)
{
	while (s->count)
		slab_free(&ra->meta, s->b[--s->count]);
}

static void insert_block(struct range_alloc *ra, struct block *b,
                         uintptr_t base, size_t size, bool used)
{
	b->base = base;
	b->size = size;
	b->used = used;
	avl_insert(&ra->by_addr, &b->addr_node);
	if (!used)
		avl_insert(&ra->by_size, &b->size_node);
}

static void drop_block(struct range_alloc *ra, struct block *b)
{
	avl_remove(&ra->by_addr, &b->addr_node);
	if (!b->used)
		avl_remove(&ra->by_size, &b->size_node);
	slab_free(&ra->meta, b);
}

/* Merges free block `b` with the free blocks that touch it. */
static void merge_neighbours(struct range_alloc *ra, struct block *b)
{
	struct avl_node *prev = avl_prev(&b->addr_node);
	if (prev && !by_addr(prev)->used && end_of(by_addr(prev)) == b->base) {
		struct block *p = by_addr(prev);
		size_t size = b->size;
		drop_block(ra, b);
		avl_remove(&ra->by_size, &p->size_node);
		p->size += size;
		avl_insert(&ra->by_size, &p->size_node);
		b = p;
	}
	struct avl_node *next = avl_next(&b->addr_node);
	if (next && !by_addr(next)->used && end_of(b) == by_addr(next)->base) {
		size_t size = by_addr(next)->size;
		drop_block(ra, by_addr(next));
		avl_remove(&ra->by_size, &b->size_node);
		b->size += size;
		avl_insert(&ra->by_size, &b->size_node);
	}
}

/* Turns [start, start+size) of free block `b` into a used block, with the
 * free space before and after it as new free blocks made from spares. */
static void carve(struct range_alloc *ra, struct block *b, uintptr_t start,
                  size_t size, struct spares *spares)
{
	uintptr_t base = b->base;
	size_t total = b->size;
	avl_remove(&ra->by_size, &b->size_node);
	avl_remove(&ra->by_addr, &b->addr_node);
	if (start > base)
		insert_block(ra, use_spare(spares), base, start - base, false);
	size_t after = total - (start - base) - size;
	if (after)
		insert_block(ra, use_spare(spares), start + size, after, false);
	insert_block(ra, b, start, size, true);
	ra->avail -= size;
	ra->used += size;
}

/* --- the allocator ------------------------------------------------------- */

static int generic_alloc(struct allocator *a, size_t size, void **out)
{
	uintptr_t addr;
	int r = range_alloc_alloc_aligned(container_of(a, struct range_alloc,
	                                               base),
	                                  size, GENERIC_ALIGN_LOG2, &addr);
	if (r == ALLOC_OK)
		*out = (void *)addr;
	return r;
}

static void generic_free(struct allocator *a, void *addr, size_t size)
{
	range_alloc_free(container_of(a, struct range_alloc, base),
	                 (uintptr_t)addr);
}

static size_t generic_consumed(const struct allocator *a)
{
	return container_of(a, const struct range_alloc, base)->used;
}

static const struct allocator_ops range_alloc_ops = {
	.alloc = generic_alloc,
	.free = generic_free,
	.consumed = generic_consumed,
};

int range_alloc_init(struct range_alloc *ra, struct allocator *meta)
{
	if (!meta)
		return ALLOC_ERR_INVALID;
	*ra = (struct range_alloc){ .base = { .ops = &range_alloc_ops } };
	int r = slab_init(&ra->meta, sizeof(struct block), META_BLOCK_SIZE,
	                  meta);
	if (r)
		return r;
	avl_init(&ra->by_addr, compare_addr);
	avl_init(&ra->by_size, compare_size);
	return ALLOC_OK;
}

void range_alloc_destroy(struct range_alloc *ra)
{
	slab_destroy(&ra->meta);
	avl_init(&ra->by_addr, compare_addr);
	avl_init(&ra->by_size, compare_size);
	ra->avail = ra->used = 0;
}

int range_alloc_add_range(struct range_alloc *ra, uintptr_t base, size_t size)
{
	if (!range_ok(base, size))
		return ALLOC_ERR_INVALID;
	struct avl_node *f = avl_find_floor(&ra->by_addr, &base, key_addr);
	if (f && (end_of(by_addr(f)) > base || end_of(by_addr(f)) == 0))
		return ALLOC_ERR_RANGE_CONFLICT;
	struct avl_node *c = avl_find_ceil(&ra->by_addr, &base, key_addr);
	if (c && (by_addr(c)->base - base < size))
		return ALLOC_ERR_RANGE_CONFLICT;
	struct spares s;
	if (take_spares(ra, &s, 1))
		return ALLOC_ERR_METADATA;
	struct block *b = use_spare(&s);
	insert_block(ra, b, base, size, false);
	ra->avail += size;
	merge_neighbours(ra, b);
	INVARIANT(range_alloc_check(ra, NULL) == ALLOC_OK);
	return ALLOC_OK;
}

/* Whether free block `b` holds [start, start+size). */
static bool holds(const struct block *b, uintptr_t start, size_t size)
{
	return start >= b->base && start - b->base <= b->size &&
	       size <= b->size - (start - b->base);
}

int range_alloc_alloc_addr(struct range_alloc *ra, size_t size, uintptr_t addr)
{
	if (!range_ok(addr, size))
		return ALLOC_ERR_INVALID;
	struct avl_node *f = avl_find_floor(&ra->by_addr, &addr, key_addr);
	if (!f || by_addr(f)->used || !holds(by_addr(f), addr, size))
		return ALLOC_ERR_RANGE_CONFLICT;
	struct spares s;
	if (take_spares(ra, &s, 2))
		return ALLOC_ERR_METADATA;
	carve(ra, by_addr(f), addr, size, &s);
	return_spares(ra, &s);
	INVARIANT(range_alloc_check(ra, NULL) == ALLOC_OK);
	return ALLOC_OK;
}

int range_alloc_remove_range(struct range_alloc *ra, uintptr_t base,
                             size_t size)
{
	int r = range_alloc_alloc_addr(ra, size, base);
	if (r)
		return r;
	struct avl_node *n = avl_find(&ra->by_addr, &base, key_addr);
	ra->used -= size;
	drop_block(ra, by_addr(n));
	INVARIANT(range_alloc_check(ra, NULL) == ALLOC_OK);
	return ALLOC_OK;
}

/* Where an aligned block of `size` starts inside free block `b`, if it
 * fits there. */
static bool fit_aligned(const struct block *b, size_t size, uintptr_t align,
                        uintptr_t *start)
{
	uintptr_t mask = align - 1;
	if (b->base > UINTPTR_MAX - mask)
		return false;
	uintptr_t s = (b->base + mask) & ~mask;
	if (!holds(b, s, size))
		return false;
	*start = s;
	return true;
}

int range_alloc_alloc_aligned(struct range_alloc *ra, size_t size,
                              unsigned align_log2, uintptr_t *addr)
{
	if (size == 0 || align_log2 >= sizeof(uintptr_t) * 8)
		return ALLOC_ERR_INVALID;
	uintptr_t align = (uintptr_t)1 << align_log2;
	struct block *chosen = NULL;
	uintptr_t start = 0;
	/* free blocks in order of size: the first that fits is the best fit */
	for (struct avl_node *n = avl_find_ceil(&ra->by_size, &size, key_size);
	     n && !chosen; n = avl_next(n))
		if (fit_aligned(by_size(n), size, align, &start))
			chosen = by_size(n);
	if (!chosen)
		return ALLOC_ERR_OUT_OF_MEMORY;
	struct spares s;
	if (take_spares(ra, &s, 2))
		return ALLOC_ERR_METADATA;
	carve(ra, chosen, start, size, &s);
	return_spares(ra, &s);
	*addr = start;
	INVARIANT(range_alloc_check(ra, NULL) == ALLOC_OK);
	return ALLOC_OK;
}

int range_alloc_free(struct range_alloc *ra, uintptr_t addr)
{
	struct avl_node *n = avl_find(&ra->by_addr, &addr, key_addr);
	if (!n || !by_addr(n)->used)
		return ALLOC_ERR_NOT_ALLOCATED;
	struct block *b = by_addr(n);
	b->used = false;
	ra->avail += b->size;
	ra->used -= b->size;
	avl_insert(&ra->by_size, &b->size_node);
	merge_neighbours(ra, b);
	INVARIANT(range_alloc_check(ra, NULL) == ALLOC_OK);
	return ALLOC_OK;
}

int range_alloc_block_at(const struct range_alloc *ra, uintptr_t addr,
                         uintptr_t *base, size_t *size)
{
	struct avl_node *n = avl_find_floor(&ra->by_addr, &addr, key_addr);
	if (!n || !by_addr(n)->used ||
	    addr - by_addr(n)->base >= by_addr(n)->size)
		return ALLOC_ERR_NOT_ALLOCATED;
	*base = by_addr(n)->base;
	*size = by_addr(n)->size;
	return ALLOC_OK;
}

int range_alloc_next_used(const struct range_alloc *ra, uintptr_t from,
                          uintptr_t *base, size_t *size)
{
	for (struct avl_node *n = avl_find_ceil(&ra->by_addr, &from, key_addr);
	     n; n = avl_next(n)) {
		if (by_addr(n)->used) {
			*base = by_addr(n)->base;
			*size = by_addr(n)->size;
			return ALLOC_OK;
		}
	}
	return ALLOC_ERR_NOT_ALLOCATED;
}

size_t range_alloc_avail(const struct range_alloc *ra)
{
	return ra->avail;
}

void range_alloc_stats(const struct range_alloc *ra,
                       struct range_alloc_stats *st)
{
	*st = (struct range_alloc_stats){ .avail = ra->avail,
		                          .used = ra->used };
	for (struct avl_node *n = avl_first(&ra->by_addr); n; n = avl_next(n)) {
		const struct block *b = by_addr(n);
		if (b->used) {
			st->used_blocks++;
		} else {
			st->free_blocks++;
			if (b->size > st->largest_free)
				st->largest_free = b->size;
		}
	}
}

int range_alloc_check(const struct range_alloc *ra, const char **what)
{
	const char *dummy;
	if (!what)
		what = &dummy;
	unsigned long free_in_size_tree = 0, free_blocks = 0;
	if (avl_check(&ra->by_addr, NULL) ||
	    avl_check(&ra->by_size, &free_in_size_tree)) {
		*what = "an avl tree is inconsistent";
		return ALLOC_ERR_INVALID;
	}
	size_t avail = 0, used = 0;
	const struct block *prev = NULL;
	for (struct avl_node *n = avl_first(&ra->by_addr); n; n = avl_next(n)) {
		const struct block *b = by_addr(n);
		if (!range_ok(b->base, b->size)) {
			*what = "a block is empty or wraps around";
			return ALLOC_ERR_INVALID;
		}
		if (prev && (end_of(prev) == 0 || end_of(prev) > b->base)) {
			*what = "two blocks overlap";
			return ALLOC_ERR_INVALID;
		}
		if (prev && !prev->used && !b->used &&
		    end_of(prev) == b->base) {
			*what = "two free blocks touch without being merged";
			return ALLOC_ERR_INVALID;
		}
		if (b->used) {
			used += b->size;
		} else {
			avail += b->size;
			free_blocks++;
		}
		prev = b;
	}
	if (free_blocks != free_in_size_tree) {
		*what = "the size tree does not hold exactly the free blocks";
		return ALLOC_ERR_INVALID;
	}
	if (avail != ra->avail || used != ra->used) {
		*what = "avail or used does not match the blocks";
		return ALLOC_ERR_INVALID;
	}
	*what = "consistent";
	return ALLOC_OK;
}

struct allocator *range_alloc_allocator(struct range_alloc *ra)
{
	return &ra->base;
}
