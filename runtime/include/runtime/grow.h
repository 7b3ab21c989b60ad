/*
 * Growing an array by doubling: the one place that computes a new
 * capacity and reallocates, with the overflow checks every hand-written
 * `realloc(p, 2 * cap * size)` needs and few had. For arrays a component
 * appends to (a table, a list of names), amortized O(1) per append.
 */
#ifndef RUNTIME_GROW_H
#define RUNTIME_GROW_H

#include <stddef.h>

/* The capacity an empty array first grows to. */
#define GROW_FIRST_CAPACITY 16u

/* Makes `items` (room for *capacity elements of `size` bytes, NULL when
 * *capacity is 0) hold at least `needed` elements. Returns the array to
 * use from now on: `items` itself when it has room, else a reallocated
 * one of twice the capacity (at least GROW_FIRST_CAPACITY, at least
 * `needed`), with *capacity updated. Returns NULL, with `items` and
 * *capacity untouched and still the caller's, when memory runs out or
 * the byte count would not fit size_t. The new elements are not
 * initialized. */
void *grow_array(void *items, size_t *capacity, size_t needed, size_t size);

#endif /* RUNTIME_GROW_H */
