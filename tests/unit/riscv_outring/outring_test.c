/*
 * The output ring of a riscv domain (kernel/riscv/outring.h): bytes come
 * out in the order they went in, across the wrap; it is bounded, and a
 * writer learns how much fits, so nothing is ever overwritten; its
 * invariant holds after every step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../../kernel/riscv/outring.h"

#include <string.h>

static struct outring ring;

static int setup(void **state)
{
	(void)state;
	memset(&ring, 0, sizeof(ring));
	return 0;
}

static void empty_at_first(void **state)
{
	(void)state;
	assert_true(outring_ok(&ring));
	assert_int_equal(outring_used(&ring), 0);
	assert_int_equal(outring_room(&ring), OUTRING_SIZE);
}

static void bytes_in_order(void **state)
{
	(void)state;
	char out[16];
	outring_put(&ring, "hello ", 6);
	outring_put(&ring, "world", 5);
	assert_int_equal(outring_used(&ring), 11);
	outring_take(&ring, out, 4);
	assert_memory_equal(out, "hell", 4);
	outring_take(&ring, out, 7);
	assert_memory_equal(out, "o world", 7);
	assert_int_equal(outring_used(&ring), 0);
	assert_true(outring_ok(&ring));
}

/* A stream many times the ring's size, written in odd pieces as far as
 * room allows and read in other pieces: every byte once, in order. */
static void wraps_without_loss(void **state)
{
	(void)state;
	enum { TOTAL = OUTRING_SIZE * 7 + 123 };
	static char in[TOTAL], out[TOTAL];
	for (size_t i = 0; i < TOTAL; i++)
		in[i] = (char)(i * 7 + i / 251);
	size_t put = 0, got = 0;
	while (got < TOTAL) {
		size_t want = (put * 13 + 1000) % 3001 + 1;
		if (want > TOTAL - put)
			want = TOTAL - put;
		size_t n = want < outring_room(&ring) ? want
		                                      : outring_room(&ring);
		outring_put(&ring, in + put, n);
		put += n;
		assert_true(outring_ok(&ring));
		size_t take = (got * 5 + 700) % 2003 + 1;
		if (take > outring_used(&ring))
			take = outring_used(&ring);
		outring_take(&ring, out + got, take);
		got += take;
		assert_true(outring_ok(&ring));
	}
	assert_memory_equal(in, out, TOTAL);
}

/* Full means full: no room, and what is in it is what went in first. */
static void full_refuses_more(void **state)
{
	(void)state;
	static char block[OUTRING_SIZE];
	memset(block, 'a', sizeof(block));
	outring_put(&ring, "x", 1);
	char c;
	outring_take(&ring, &c, 1); /* head off zero: the next put wraps */
	outring_put(&ring, block, outring_room(&ring));
	assert_int_equal(outring_room(&ring), 0);
	assert_int_equal(outring_used(&ring), OUTRING_SIZE);
	assert_true(outring_ok(&ring));
	static char out[OUTRING_SIZE];
	outring_take(&ring, out, OUTRING_SIZE);
	assert_memory_equal(out, block, OUTRING_SIZE);
	assert_int_equal(outring_room(&ring), OUTRING_SIZE);
}

static void broken_state_noticed(void **state)
{
	(void)state;
	ring.len = OUTRING_SIZE + 1;
	assert_false(outring_ok(&ring));
	ring.len = 0;
	ring.head = OUTRING_SIZE;
	assert_false(outring_ok(&ring));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(empty_at_first, setup),
		cmocka_unit_test_setup(bytes_in_order, setup),
		cmocka_unit_test_setup(wraps_without_loss, setup),
		cmocka_unit_test_setup(full_refuses_more, setup),
		cmocka_unit_test_setup(broken_state_noticed, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
