/*
 * Doubling growth of arrays (grow/grow.h): the new capacity, checked
 * against overflow of the element count and of the byte count, then one
 * realloc(). Plain C library calls only, so that the kernel platform,
 * libruntime and the host tools can all link it.
 */
#include <grow/grow.h>

#include <stdint.h>
#include <stdlib.h>

/* The capacity that holds `needed`: doubling from `capacity`, or 0 when
 * no count of `size`-byte elements that large fits size_t. */
static size_t next_capacity(size_t capacity, size_t needed, size_t size)
{
	size_t limit = SIZE_MAX / size;
	size_t next = capacity ? capacity : 1;

	if (needed > limit)
		return 0;
	while (next < needed)
		next = next > limit / 2 ? limit : next * 2;
	return next > limit ? limit : next;
}

void *grow_array(void *items, size_t *capacity, size_t needed, size_t size)
{
	size_t next;
	void *grown;

	if (needed <= *capacity && items)
		return items;
	if (size == 0)
		return NULL;
	next = next_capacity(*capacity, needed, size);
	if (next == 0)
		return NULL;
	grown = realloc(items, next * size);
	if (!grown)
		return NULL;
	*capacity = next;
	return grown;
}
