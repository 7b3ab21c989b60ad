/*
 * The slab allocator of runtime/slab.h.
 *
 * Layout of a block: a struct slab_block header, then entries_per_block
 * entries of entry_size bytes. An entry is a 16-byte header (which block it
 * belongs to while it is in use, NULL while it is free) and the object.
 * Free objects of a block form a list through their first word.
 *
 * Invariant: in slab->blocks every block with a free entry comes before
 * every full block, so allocation looks at the head only; block_count and
 * free_entries are the count of blocks and the sum of their free entries
 * (in_order(), asserted after every change).
 */
#include <runtime/invariant.h>
#include <runtime/slab.h>

#include <runtime/container_of.h>

#include <stdbool.h>
#include <stdint.h>

enum { ENTRY_ALIGN = 16, ENTRY_HEADER = 16 };

struct slab_block {
	struct slab_block *prev, *next;
	struct slab *slab;
	size_t free_count;
	void *free_list; /* free objects, linked through their first word */
	_Alignas(ENTRY_ALIGN) unsigned char entries[];
};

struct entry_header {
	struct slab_block *block; /* NULL while the entry is free */
};

static size_t round_up(size_t v, size_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static struct entry_header *header_of(void *object)
{
	return (struct entry_header *)(void *)((unsigned char *)object -
	                                       ENTRY_HEADER);
}

static void unlink_block(struct slab *s, struct slab_block *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		s->blocks = b->next;
	if (b->next)
		b->next->prev = b->prev;
	else
		s->last = b->prev;
	b->prev = b->next = NULL;
}

static void push_front(struct slab *s, struct slab_block *b)
{
	b->prev = NULL;
	b->next = s->blocks;
	if (s->blocks)
		s->blocks->prev = b;
	else
		s->last = b;
	s->blocks = b;
}

static void push_back(struct slab *s, struct slab_block *b)
{
	b->next = NULL;
	b->prev = s->last;
	if (s->last)
		s->last->next = b;
	else
		s->blocks = b;
	s->last = b;
}

static int add_block(struct slab *s)
{
	void *mem;
	int r = allocator_alloc(s->backing, s->block_size, &mem);
	if (r)
		return r;
	struct slab_block *b = mem;
	b->slab = s;
	b->free_count = s->entries_per_block;
	b->free_list = NULL;
	for (size_t i = s->entries_per_block; i-- > 0;) {
		unsigned char *entry = b->entries + i * s->entry_size;
		((struct entry_header *)(void *)entry)->block = NULL;
		void **object = (void **)(void *)(entry + ENTRY_HEADER);
		*object = b->free_list;
		b->free_list = object;
	}
	push_front(s, b);
	s->block_count++;
	s->free_entries += s->entries_per_block;
	return ALLOC_OK;
}

static int slab_alloc_op(struct allocator *a, size_t size, void **out)
{
	struct slab *s = container_of(a, struct slab, base);
	if (size == 0 || size > s->object_size)
		return ALLOC_ERR_INVALID;
	return slab_alloc(s, out);
}

static void slab_free_op(struct allocator *a, void *addr, size_t size)
{
	slab_free(container_of(a, struct slab, base), addr);
}

static size_t slab_consumed_op(const struct allocator *a)
{
	const struct slab *s = container_of(a, const struct slab, base);
	return s->block_count * s->block_size;
}

static const struct allocator_ops slab_ops = {
	.alloc = slab_alloc_op,
	.free = slab_free_op,
	.consumed = slab_consumed_op,
};

int slab_init(struct slab *slab, size_t object_size, size_t block_size,
              struct allocator *backing)
{
	if (object_size == 0 || object_size > SIZE_MAX / 4 || !backing)
		return ALLOC_ERR_INVALID;
	size_t payload = round_up(object_size < sizeof(void *) ? sizeof(void *)
	                                                       : object_size,
	                          ENTRY_ALIGN);
	size_t entry = ENTRY_HEADER + payload;
	size_t header = sizeof(struct slab_block);
	if (block_size < header || (block_size - header) / entry == 0)
		return ALLOC_ERR_INVALID;
	*slab = (struct slab){
		.base = { .ops = &slab_ops },
		.backing = backing,
		.object_size = object_size,
		.entry_size = entry,
		.block_size = block_size,
		.entries_per_block = (block_size - header) / entry,
	};
	return ALLOC_OK;
}

void slab_destroy(struct slab *slab)
{
	while (slab->blocks) {
		struct slab_block *b = slab->blocks;
		unlink_block(slab, b);
		allocator_free(slab->backing, b, slab->block_size);
	}
	slab->block_count = slab->used = slab->free_entries = 0;
}

static bool in_order(const struct slab *s)
{
	size_t blocks = 0, free_entries = 0;
	bool full_seen = false;
	for (const struct slab_block *b = s->blocks; b; b = b->next) {
		if (b->free_count && full_seen)
			return false;
		full_seen = full_seen || b->free_count == 0;
		blocks++;
		free_entries += b->free_count;
	}
	return blocks == s->block_count && free_entries == s->free_entries;
}

int slab_alloc(struct slab *slab, void **object)
{
	if (!slab->blocks || slab->blocks->free_count == 0) {
		int r = add_block(slab);
		if (r)
			return r;
	}
	struct slab_block *b = slab->blocks;
	void **obj = b->free_list;
	b->free_list = *obj; // NOLINT(clang-analyzer-core.NullDereference): add_block leaves a block with free objects at the head
	b->free_count--;
	header_of(obj)->block = b;
	slab->free_entries--;
	slab->used++;
	if (b->free_count == 0) { /* full blocks go behind the others */
		unlink_block(slab, b);
		push_back(slab, b);
	}
	INVARIANT(in_order(slab));
	*object = obj;
	return ALLOC_OK;
}

int slab_free(struct slab *slab, void *object)
{
	if (!object)
		return ALLOC_ERR_NOT_ALLOCATED;
	struct entry_header *h = header_of(object);
	struct slab_block *b = h->block;
	if (!b || b->slab != slab)
		return ALLOC_ERR_NOT_ALLOCATED;
	h->block = NULL;
	*(void **)object = b->free_list;
	b->free_list = object;
	slab->free_entries++;
	slab->used--;
	if (b->free_count++ == 0) { /* it has a free entry now: to the front */
		unlink_block(slab, b);
		push_front(slab, b);
	}
	/* a wholly free block goes back unless it is the only spare */
	if (b->free_count == slab->entries_per_block &&
	    slab->free_entries > slab->entries_per_block) {
		unlink_block(slab, b);
		slab->block_count--;
		slab->free_entries -= slab->entries_per_block;
		allocator_free(slab->backing, b, slab->block_size);
	}
	INVARIANT(in_order(slab));
	return ALLOC_OK;
}

struct allocator *slab_allocator(struct slab *slab)
{
	return &slab->base;
}

size_t slab_used_objects(const struct slab *slab)
{
	return slab->used;
}

size_t slab_block_count(const struct slab *slab)
{
	return slab->block_count;
}
