/*
 * Growing an array by doubling: the one place in the project that computes
 * a new capacity and reallocates, with the overflow checks every
 * hand-written `realloc(p, 2 * cap * size)` needs and few had. For arrays
 * a program appends to (a table, a list of names, a byte buffer):
 * amortized O(1) per append, about log2(n) reallocations for n. An empty
 * array grows to the smallest power of two that holds what is needed, so
 * the many one- or two-element arrays of a parsed document cost no more
 * than they hold (libtuf's JSON reader makes millions of them from
 * hostile input before any signature is checked).
 *
 * lib/grow depends on nothing but the C library, so both sides link it:
 * the kernel platform, libruntime (runtime/grow.h is this header), rpcgen,
 * and the host tools (libdepot, libtuf, depot, sculpt), which never link
 * libruntime. Errors are return values; it never aborts.
 */
#ifndef GROW_GROW_H
#define GROW_GROW_H

#include <stddef.h>

/* Makes `items` (room for *capacity elements of `size` bytes, NULL when
 * *capacity is 0) hold at least `needed` elements. Returns the array to
 * use from now on: `items` itself when it has room, else a reallocated
 * one whose capacity is *capacity (1 when 0) doubled until it holds
 * `needed` (capped at the largest count that fits size_t), with
 * *capacity updated. Returns NULL, with `items` and
 * *capacity untouched and still the caller's, when memory runs out, when
 * `size` is 0 or when the byte count would not fit size_t. The new
 * elements are not initialized. */
void *grow_array(void *items, size_t *capacity, size_t needed, size_t size);

#endif /* GROW_GROW_H */
