/*
 * AVL tree: an intrusive, self-balancing binary search tree (Genode's
 * Avl_tree), the associative array under the range allocator and other
 * book-keeping. The node (struct avl_node) is embedded in the object that is
 * stored; container_of() leads back to it. The tree is generic: its order is
 * given by a compare callback over two nodes, and lookups take a key and a
 * key-compare callback, so one object can sit in several trees at once
 * (keyed by address and by size, say).
 *
 * Invariants (verified by avl_check()):
 *   order    an in-order walk visits nodes in non-decreasing compare order;
 *            equal nodes are allowed and keep their insertion order;
 *   balance  the heights of the two subtrees of every node differ by at
 *            most one, and every node's stored height is 1 + the larger
 *            height of its subtrees;
 *   links    every child's parent pointer names its parent.
 *
 * Insert and remove are O(log n), as are find, find_floor and find_ceil;
 * first/next walk the tree in order. Not thread-safe.
 */
#ifndef RUNTIME_AVL_H
#define RUNTIME_AVL_H

#include <runtime/error.h>
#include <runtime/container_of.h>

struct avl_node {
	struct avl_node *child[2]; /* [0] smaller, [1] greater or equal */
	struct avl_node *parent;
	int height; /* leaf: 1 */
};

/* < 0, 0, > 0 as `a` orders before, equal to, after `b`. */
typedef int (*avl_compare_fn)(const struct avl_node *a,
                              const struct avl_node *b);

/* < 0, 0, > 0 as `key` orders before, equal to, after `node`. */
typedef int (*avl_key_compare_fn)(const void *key, const struct avl_node *node);

struct avl_tree {
	struct avl_node *root;
	avl_compare_fn compare;
};

enum avl_check_result {
	AVL_OK = 0,
	AVL_ERR_ORDER = RUNTIME_ERR_AVL_BASE,
	/* an in-order neighbour compares greater */
	AVL_ERR_BALANCE, /* subtree heights differ by more than one */
	AVL_ERR_HEIGHT,  /* a stored height is wrong */
	AVL_ERR_LINK,    /* a parent pointer is wrong */
};

void avl_init(struct avl_tree *tree, avl_compare_fn compare);

/* Inserts `node`, which must be in no tree. An equal node goes after the
 * equal nodes already present. */
void avl_insert(struct avl_tree *tree, struct avl_node *node);

/* Removes `node`, which must be in `tree`. */
void avl_remove(struct avl_tree *tree, struct avl_node *node);

/* The first node equal to `key`, or NULL. */
struct avl_node *avl_find(const struct avl_tree *tree, const void *key,
                          avl_key_compare_fn compare);

/* The last node that orders before or equal to `key`, or NULL. */
struct avl_node *avl_find_floor(const struct avl_tree *tree, const void *key,
                                avl_key_compare_fn compare);

/* The first node that orders after or equal to `key`, or NULL. */
struct avl_node *avl_find_ceil(const struct avl_tree *tree, const void *key,
                               avl_key_compare_fn compare);

/* In-order walk: the smallest node, the next / previous one, NULL at the
 * end. */
struct avl_node *avl_first(const struct avl_tree *tree);
struct avl_node *avl_last(const struct avl_tree *tree);
struct avl_node *avl_next(const struct avl_node *node);
struct avl_node *avl_prev(const struct avl_node *node);

/* Verifies the invariants above over the whole tree. Returns AVL_OK or the
 * first broken invariant found; with `count` non-NULL stores the number of
 * nodes. */
int avl_check(const struct avl_tree *tree, unsigned long *count);

#endif /* RUNTIME_AVL_H */
