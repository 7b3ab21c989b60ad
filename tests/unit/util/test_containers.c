/*
 * Unit tests of the intrusive List and FIFO (runtime/list.h,
 * runtime/fifo.h): order of insertion and removal, removal from the
 * middle, and refusal to remove what is not there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/fifo.h>
#include <runtime/list.h>

struct item {
	int value;
	struct list_elem list_elem;
	struct fifo_elem fifo_elem;
};

static int list_value(struct list_elem *e)
{
	return container_of(e, struct item, list_elem)->value;
}

static int fifo_value(struct fifo_elem *e)
{
	return container_of(e, struct item, fifo_elem)->value;
}

static void list_inserts_at_head_and_after(void **state)
{
	struct item a = { .value = 1 }, b = { .value = 2 }, c = { .value = 3 };
	struct list l;
	list_init(&l);
	assert_true(list_empty(&l));
	list_insert(&l, &a.list_elem, NULL);
	list_insert(&l, &b.list_elem, NULL);         /* b a */
	list_insert(&l, &c.list_elem, &b.list_elem); /* b c a */
	int expect[] = { 2, 3, 1 }, i = 0;
	for (struct list_elem *e = list_first(&l); e; e = list_next(e))
		assert_int_equal(list_value(e), expect[i++]);
	assert_int_equal(i, 3);
	assert_false(list_empty(&l));
}

static void list_removes_anywhere(void **state)
{
	struct item a = { .value = 1 }, b = { .value = 2 }, c = { .value = 3 };
	struct item stranger = { .value = 9 };
	struct list l;
	list_init(&l);
	list_insert(&l, &a.list_elem, NULL);
	list_insert(&l, &b.list_elem, NULL);
	list_insert(&l, &c.list_elem, NULL); /* c b a */
	assert_true(list_remove(&l, &b.list_elem));
	assert_false(list_remove(&l, &b.list_elem));
	assert_false(list_remove(&l, &stranger.list_elem));
	assert_int_equal(list_value(list_first(&l)), 3);
	assert_int_equal(list_value(list_next(list_first(&l))), 1);
	assert_true(list_remove(&l, &c.list_elem));
	assert_true(list_remove(&l, &a.list_elem));
	assert_true(list_empty(&l));
}

static void fifo_keeps_order(void **state)
{
	struct item items[5];
	struct fifo q;
	fifo_init(&q);
	assert_true(fifo_empty(&q));
	assert_null(fifo_dequeue(&q));
	for (int i = 0; i < 5; i++) {
		items[i].value = i;
		fifo_enqueue(&q, &items[i].fifo_elem);
	}
	assert_int_equal(fifo_value(fifo_head(&q)), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(fifo_value(fifo_dequeue(&q)), i);
	assert_true(fifo_empty(&q));
	assert_null(fifo_head(&q));
}

static void fifo_removes_head_middle_tail(void **state)
{
	struct item items[4];
	struct fifo q;
	fifo_init(&q);
	for (int i = 0; i < 4; i++) {
		items[i].value = i;
		fifo_enqueue(&q, &items[i].fifo_elem);
	}
	assert_true(fifo_remove(&q, &items[3].fifo_elem)); /* tail */
	assert_true(fifo_remove(&q, &items[1].fifo_elem)); /* middle */
	assert_true(fifo_remove(&q, &items[0].fifo_elem)); /* head */
	assert_false(fifo_remove(&q, &items[1].fifo_elem));
	/* the tail is right: enqueue after removals keeps order */
	fifo_enqueue(&q, &items[1].fifo_elem);
	assert_int_equal(fifo_value(fifo_dequeue(&q)), 2);
	assert_int_equal(fifo_value(fifo_dequeue(&q)), 1);
	assert_null(fifo_dequeue(&q));
	fifo_enqueue(&q, &items[0].fifo_elem);
	assert_true(fifo_remove(&q, &items[0].fifo_elem));
	assert_true(fifo_empty(&q));
	fifo_enqueue(&q, &items[2].fifo_elem);
	assert_int_equal(fifo_value(fifo_head(&q)), 2);
	assert_null(fifo_next(fifo_head(&q)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_inserts_at_head_and_after),
		cmocka_unit_test(list_removes_anywhere),
		cmocka_unit_test(fifo_keeps_order),
		cmocka_unit_test(fifo_removes_head_middle_tail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
