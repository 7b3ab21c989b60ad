/*
 * Unit tests of the intrusive AVL tree (runtime/avl.h): ordered walks,
 * exact, floor and ceiling lookups, duplicates, and the balance and order
 * invariants (checked by avl_check() and against a plain array model)
 * after thousands of random inserts and removes with a fixed seed. A test
 * also proves that avl_check() notices a broken tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/avl.h>

#include <stdbool.h>
#include <stdlib.h>

struct item {
	int key;
	bool in_tree;
	struct avl_node node;
};

static int key_of(const struct avl_node *n)
{
	return container_of(n, struct item, node)->key;
}

static int compare_items(const struct avl_node *a, const struct avl_node *b)
{
	return (key_of(a) > key_of(b)) - (key_of(a) < key_of(b));
}

static int compare_key(const void *key, const struct avl_node *n)
{
	int k = *(const int *)key;
	return (k > key_of(n)) - (k < key_of(n));
}

static void walk_is_sorted(void **state)
{
	int keys[] = { 50, 20, 70, 10, 30, 60, 80, 25, 35, 5 };
	struct item items[10];
	struct avl_tree t;
	avl_init(&t, compare_items);
	assert_null(avl_first(&t));
	for (int i = 0; i < 10; i++) {
		items[i].key = keys[i];
		avl_insert(&t, &items[i].node);
		assert_int_equal(avl_check(&t, NULL), AVL_OK);
	}
	int prev = -1, n = 0;
	for (struct avl_node *x = avl_first(&t); x; x = avl_next(x), n++) {
		assert_true(key_of(x) > prev);
		prev = key_of(x);
	}
	assert_int_equal(n, 10);
	prev = 1000;
	for (struct avl_node *x = avl_last(&t); x; x = avl_prev(x)) {
		assert_true(key_of(x) < prev);
		prev = key_of(x);
	}
}

static void lookups(void **state)
{
	struct item items[5];
	struct avl_tree t;
	avl_init(&t, compare_items);
	for (int i = 0; i < 5; i++) {
		items[i].key = (i + 1) * 10; /* 10 20 30 40 50 */
		avl_insert(&t, &items[i].node);
	}
	int k = 30;
	assert_ptr_equal(avl_find(&t, &k, compare_key), &items[2].node);
	k = 35;
	assert_null(avl_find(&t, &k, compare_key));
	assert_int_equal(key_of(avl_find_floor(&t, &k, compare_key)), 30);
	assert_int_equal(key_of(avl_find_ceil(&t, &k, compare_key)), 40);
	k = 5;
	assert_null(avl_find_floor(&t, &k, compare_key));
	assert_int_equal(key_of(avl_find_ceil(&t, &k, compare_key)), 10);
	k = 55;
	assert_int_equal(key_of(avl_find_floor(&t, &k, compare_key)), 50);
	assert_null(avl_find_ceil(&t, &k, compare_key));
}

static void duplicates_keep_insertion_order(void **state)
{
	struct item items[6];
	struct avl_tree t;
	avl_init(&t, compare_items);
	for (int i = 0; i < 6; i++) {
		items[i].key = 7;
		avl_insert(&t, &items[i].node);
	}
	assert_int_equal(avl_check(&t, NULL), AVL_OK);
	int i = 0;
	for (struct avl_node *x = avl_first(&t); x; x = avl_next(x))
		assert_ptr_equal(x, &items[i++].node);
	int k = 7;
	assert_ptr_equal(avl_find(&t, &k, compare_key), &items[0].node);
	assert_ptr_equal(avl_find_floor(&t, &k, compare_key), &items[5].node);
	avl_remove(&t, &items[0].node);
	assert_ptr_equal(avl_find(&t, &k, compare_key), &items[1].node);
	assert_int_equal(avl_check(&t, NULL), AVL_OK);
}

enum { N_ITEMS = 2000, N_OPS = 20000 };

/* Random inserts and removes; after each step the tree must hold exactly
 * the items marked in_tree, be balanced and ordered. */
static void random_operations_keep_invariants(void **state)
{
	static struct item items[N_ITEMS];
	struct avl_tree t;
	avl_init(&t, compare_items);
	srand(12345);
	unsigned long in_tree = 0;
	for (int i = 0; i < N_ITEMS; i++) {
		items[i].key = rand() % 500; /* many duplicates */
		items[i].in_tree = false;
	}
	for (int op = 0; op < N_OPS; op++) {
		struct item *it = &items[rand() % N_ITEMS];
		if (it->in_tree) {
			avl_remove(&t, &it->node);
			in_tree--;
		} else {
			avl_insert(&t, &it->node);
			in_tree++;
		}
		it->in_tree = !it->in_tree;
		if (op % 97 == 0 || op == N_OPS - 1) {
			unsigned long count = 0;
			int r = avl_check(&t, &count);
			if (r != AVL_OK)
				fail_msg("after op %d: %s", op,
				         runtime_strerror(r));
			assert_int_equal(count, in_tree);
		}
	}
	/* every item in the tree is found by its key; heights stay logarithmic */
	for (int i = 0; i < N_ITEMS; i++) {
		struct avl_node *f = avl_find(&t, &items[i].key, compare_key);
		if (items[i].in_tree)
			assert_non_null(f);
	}
	assert_true(t.root == NULL || t.root->height <= 16);
	/* empty it completely */
	for (int i = 0; i < N_ITEMS; i++)
		if (items[i].in_tree)
			avl_remove(&t, &items[i].node);
	assert_null(t.root);
	assert_int_equal(avl_check(&t, NULL), AVL_OK);
}

static void check_detects_broken_trees(void **state)
{
	struct item items[3] = { { .key = 1 }, { .key = 2 }, { .key = 3 } };
	struct avl_tree t;
	avl_init(&t, compare_items);
	for (int i = 0; i < 3; i++)
		avl_insert(&t, &items[i].node);
	assert_int_equal(avl_check(&t, NULL), AVL_OK);
	items[0].key = 9; /* left leaf now orders after the root */
	assert_int_equal(avl_check(&t, NULL), AVL_ERR_ORDER);
	items[0].key = 1;
	items[1].node.height = 5;
	assert_int_equal(avl_check(&t, NULL), AVL_ERR_HEIGHT);
	items[1].node.height = 2;
	items[2].node.parent = NULL;
	assert_int_equal(avl_check(&t, NULL), AVL_ERR_LINK);
	items[2].node.parent = &items[1].node;
	/* hang the right leaf below the left leaf: heights 3/0 */
	items[1].node.child[1] = NULL;
	items[0].node.child[1] = &items[2].node;
	items[2].node.parent = &items[0].node;
	items[0].node.height = 2;
	items[1].node.height = 3;
	assert_int_equal(avl_check(&t, NULL), AVL_ERR_BALANCE);
	assert_string_equal(runtime_strerror(AVL_ERR_BALANCE),
	                    "subtree heights differ by more than one");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walk_is_sorted),
		cmocka_unit_test(lookups),
		cmocka_unit_test(duplicates_keep_insertion_order),
		cmocka_unit_test(random_operations_keep_invariants),
		cmocka_unit_test(check_detects_broken_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
