/*
 * The intrusive AVL tree of runtime/avl.h. Nodes carry parent pointers and
 * subtree heights; after an insert or a removal the path from the changed
 * node up to the root is rebalanced with single and double rotations.
 * Removal of a node with two children swaps it, by relinking, with its
 * in-order successor (the node memory belongs to the caller, so contents
 * are never copied between nodes). The invariants of avl.h are asserted
 * (avl_check) after every insert and removal in the sanitizer build.
 */
#include <runtime/avl.h>
#include <runtime/invariant.h>

#include <stddef.h>

static int height(const struct avl_node *n)
{
	return n ? n->height : 0;
}

static void update_height(struct avl_node *n)
{
	int l = height(n->child[0]), r = height(n->child[1]);
	n->height = 1 + (l > r ? l : r);
}

static int balance_of(const struct avl_node *n)
{
	return height(n->child[1]) - height(n->child[0]); // NOLINT(clang-analyzer-core.NullDereference): callers only pass non-null nodes
}

/* The link that points at `n`: its parent's child slot or the root. */
static struct avl_node **link_to(struct avl_tree *tree, struct avl_node *n)
{
	if (!n->parent)
		return &tree->root;
	return n->parent->child[0] == n ? &n->parent->child[0]
	                                : &n->parent->child[1];
}

/* Rotates `n` down to side `dir` (0: left rotation brings child[1] up).
 * Returns the node that took n's place. */
static struct avl_node *rotate(struct avl_tree *tree, struct avl_node *n,
                               int dir)
{
	int up_side = !dir;
	struct avl_node *up = n->child[up_side];
	struct avl_node *moved = up->child[dir];

	*link_to(tree, n) = up;
	up->parent = n->parent;

	up->child[dir] = n;
	n->parent = up;

	n->child[up_side] = moved;
	if (moved)
		moved->parent = n;

	update_height(n);
	update_height(up);
	return up;
}

/* Restores the balance of `n` (whose subtrees are balanced and differ in
 * height by at most two). Returns the node now at n's position. */
static struct avl_node *rebalance_node(struct avl_tree *tree,
                                       struct avl_node *n)
{
	int b = balance_of(n);
	if (b > 1) {
		if (balance_of(n->child[1]) < 0)
			rotate(tree, n->child[1], 1);
		return rotate(tree, n, 0);
	}
	if (b < -1) {
		if (balance_of(n->child[0]) > 0)
			rotate(tree, n->child[0], 0);
		return rotate(tree, n, 1);
	}
	update_height(n);
	return n;
}

static void rebalance_upwards(struct avl_tree *tree, struct avl_node *n)
{
	while (n) {
		n = rebalance_node(tree, n);
		n = n->parent;
	}
}

void avl_init(struct avl_tree *tree, avl_compare_fn compare)
{
	tree->root = NULL;
	tree->compare = compare;
}

void avl_insert(struct avl_tree *tree, struct avl_node *node)
{
	struct avl_node *parent = NULL;
	struct avl_node **link = &tree->root;
	while (*link) {
		parent = *link;
		int side = tree->compare(node, parent) >= 0;
		link = &parent->child[side];
	}
	node->child[0] = node->child[1] = NULL;
	node->parent = parent;
	node->height = 1;
	*link = node;
	rebalance_upwards(tree, parent);
	INVARIANT(avl_check(tree, NULL) == AVL_OK);
}

static struct avl_node *leftmost(struct avl_node *n)
{
	while (n && n->child[0])
		n = n->child[0];
	return n;
}

static struct avl_node *rightmost(struct avl_node *n)
{
	while (n && n->child[1])
		n = n->child[1];
	return n;
}

/* Exchanges the tree positions of `n` and its in-order successor `s`
 * (the leftmost node of n's right subtree). */
static void swap_with_successor(struct avl_tree *tree, struct avl_node *n,
                                struct avl_node *s)
{
	struct avl_node *n_parent = n->parent;
	struct avl_node *n_left = n->child[0];
	struct avl_node *n_right = n->child[1];
	struct avl_node *s_parent = s->parent;
	struct avl_node *s_right = s->child[1];
	int n_height = n->height;

	*link_to(tree, n) = s;
	s->parent = n_parent;
	s->child[0] = n_left;
	n_left->parent = s;
	s->height = n_height;

	if (n_right == s) {
		s->child[1] = n;
		n->parent = s;
	} else {
		/* s was the left child of s_parent, somewhere below n_right */
		s_parent->child[0] = n;
		n->parent = s_parent;
		s->child[1] = n_right;
		n_right->parent = s;
	}
	n->child[0] = NULL;
	n->child[1] = s_right;
	if (s_right)
		s_right->parent = n;
}

void avl_remove(struct avl_tree *tree, struct avl_node *node)
{
	if (node->child[0] && node->child[1])
		swap_with_successor(tree, node, leftmost(node->child[1]));

	/* now `node` has at most one child */
	struct avl_node *child = node->child[0] ? node->child[0]
	                                        : node->child[1];
	struct avl_node *parent = node->parent;
	*link_to(tree, node) = child;
	if (child)
		child->parent = parent;
	node->parent = node->child[0] = node->child[1] = NULL;
	node->height = 0;
	rebalance_upwards(tree, parent);
	INVARIANT(avl_check(tree, NULL) == AVL_OK);
}

struct avl_node *avl_find(const struct avl_tree *tree, const void *key,
                          avl_key_compare_fn compare)
{
	struct avl_node *n = avl_find_ceil(tree, key, compare);
	return n && compare(key, n) == 0 ? n : NULL;
}

struct avl_node *avl_find_floor(const struct avl_tree *tree, const void *key,
                                avl_key_compare_fn compare)
{
	struct avl_node *best = NULL;
	for (struct avl_node *n = tree->root; n;) {
		if (compare(key, n) >= 0) {
			best = n;
			n = n->child[1];
		} else {
			n = n->child[0];
		}
	}
	return best;
}

struct avl_node *avl_find_ceil(const struct avl_tree *tree, const void *key,
                               avl_key_compare_fn compare)
{
	struct avl_node *best = NULL;
	for (struct avl_node *n = tree->root; n;) {
		if (compare(key, n) <= 0) {
			best = n;
			n = n->child[0];
		} else {
			n = n->child[1];
		}
	}
	return best;
}

struct avl_node *avl_first(const struct avl_tree *tree)
{
	return leftmost(tree->root);
}

struct avl_node *avl_last(const struct avl_tree *tree)
{
	return rightmost(tree->root);
}

/* The in-order neighbour of `n` on side `dir` (1: next, 0: previous). */
static struct avl_node *neighbour(const struct avl_node *n, int dir)
{
	if (n->child[dir]) {
		struct avl_node *m = n->child[dir];
		while (m->child[!dir])
			m = m->child[!dir];
		return m;
	}
	while (n->parent && n->parent->child[dir] == n)
		n = n->parent;
	return n->parent;
}

struct avl_node *avl_next(const struct avl_node *node)
{
	return neighbour(node, 1);
}

struct avl_node *avl_prev(const struct avl_node *node)
{
	return neighbour(node, 0);
}

/* Checks links, heights and balance of the subtree at `n`; returns its
 * height or a negative avl_check_result. */
static int check_subtree(const struct avl_node *n, unsigned long *count)
{
	if (!n)
		return 0;
	for (int side = 0; side < 2; side++)
		if (n->child[side] && n->child[side]->parent != n)
			return AVL_ERR_LINK;
	int l = check_subtree(n->child[0], count);
	if (l < 0)
		return l;
	int r = check_subtree(n->child[1], count);
	if (r < 0)
		return r;
	if (l - r > 1 || r - l > 1)
		return AVL_ERR_BALANCE;
	if (n->height != 1 + (l > r ? l : r))
		return AVL_ERR_HEIGHT;
	(*count)++;
	return n->height;
}

int avl_check(const struct avl_tree *tree, unsigned long *count)
{
	unsigned long nodes = 0;
	if (tree->root && tree->root->parent)
		return AVL_ERR_LINK;
	int h = check_subtree(tree->root, &nodes);
	if (h < 0)
		return h;
	const struct avl_node *prev = NULL;
	for (const struct avl_node *n = avl_first(tree); n; n = avl_next(n)) {
		if (prev && tree->compare(prev, n) > 0)
			return AVL_ERR_ORDER;
		prev = n;
	}
	if (count)
		*count = nodes;
	return AVL_OK;
}
