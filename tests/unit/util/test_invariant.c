/*
 * The invariants of libruntime are asserted in the sanitizer build
 * (runtime/invariant.h): data broken behind the back of the code that
 * keeps it makes the next change abort with "invariant broken", naming
 * the condition. Each case runs in a forked child; the parent checks that
 * it died of SIGABRT and what it said. (A build without RUNTIME_INVARIANTS
 * fails these tests: the corruption goes unnoticed there.)
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <runtime/avl.h>
#include <runtime/fifo.h>
#include <runtime/list.h>

/* Runs body() in a child whose stderr goes to `said`; true when the child
 * aborted and said "invariant broken: <condition>" with `condition` in it. */
static bool aborts_saying(void (*body)(void), const char *condition)
{
	char said[512] = "";
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		body();
		_exit(0);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t n;
	while ((n = read(fds[0], said + got, sizeof said - 1 - got)) > 0)
		got += (size_t)n;
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	print_message("child said: %s", said);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
	       strstr(said, "invariant broken") && strstr(said, condition);
}

struct item {
	struct avl_node node;
	int key;
};

static int compare(const struct avl_node *a, const struct avl_node *b)
{
	int x = container_of(a, struct item, node)->key;
	int y = container_of(b, struct item, node)->key;
	return (x > y) - (x < y);
}

static void corrupt_avl_then_insert(void)
{
	static struct item items[4] = {
		{ .key = 1 }, { .key = 2 }, { .key = 3 }, { .key = 4 }
	};
	struct avl_tree t;
	avl_init(&t, compare);
	for (int i = 0; i < 3; i++)
		avl_insert(&t, &items[i].node);
	items[0].key = 10; /* out of order, behind its back */
	avl_insert(&t, &items[3].node);
}

static void test_avl_insert_checks_the_tree(void **state)
{
	(void)state;
	assert_true(aborts_saying(corrupt_avl_then_insert, "avl_check"));
}

static void corrupt_fifo_then_enqueue(void)
{
	struct fifo f;
	struct fifo_elem a, b;
	fifo_init(&f);
	fifo_enqueue(&f, &a);
	f.head = NULL; /* head NULL, tail not */
	fifo_enqueue(&f, &b);
}

static void test_fifo_checks_head_and_tail(void **state)
{
	(void)state;
	assert_true(aborts_saying(corrupt_fifo_then_enqueue, "kept(fifo)"));
}

static void insert_twice(void)
{
	struct list l;
	struct list_elem e;
	list_init(&l);
	list_insert(&l, &e, NULL);
	list_insert(&l, &e, NULL); /* would make a cycle */
}

static void test_list_refuses_an_element_twice(void **state)
{
	(void)state;
	assert_true(aborts_saying(insert_twice, "holds"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_avl_insert_checks_the_tree),
		cmocka_unit_test(test_fifo_checks_head_and_tail),
		cmocka_unit_test(test_list_refuses_an_element_twice),
	};
	return cmocka_run_group_tests_name("util_invariant", tests, NULL, NULL);
}
