/*
 * Unit tests of the best-fit range allocator (runtime/range_alloc.h):
 * best fit, alignment, allocation at an address, coalescing, add/remove of
 * ranges, exhaustion and metadata failures. A random test (fixed seed)
 * runs thousands of allocations and frees against a shadow map of the
 * space and checks that no two handed-out ranges overlap, every alignment
 * is honoured, the internal invariants hold, and freeing everything
 * coalesces back into the one range that was added.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/range_alloc.h>

#include "test_backing.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	struct test_backing back;
	struct range_alloc ra;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	test_backing_init(&f->back);
	if (range_alloc_init(&f->ra, &f->back.base))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	range_alloc_destroy(&f->ra);
	int leaked = f->back.live_blocks != 0;
	free(f);
	return leaked ? -1 : 0;
}

static void check(struct range_alloc *ra)
{
	const char *what;
	if (range_alloc_check(ra, &what) != ALLOC_OK)
		fail_msg("range allocator broken: %s", what);
}

static void best_fit_picks_smallest_hole(void **state)
{
	struct fixture *f = *state;
	struct range_alloc *ra = &f->ra;
	/* three separate holes: 0x1000 bytes, 0x300 bytes, 0x800 bytes */
	assert_int_equal(range_alloc_add_range(ra, 0x10000, 0x1000), ALLOC_OK);
	assert_int_equal(range_alloc_add_range(ra, 0x20000, 0x300), ALLOC_OK);
	assert_int_equal(range_alloc_add_range(ra, 0x30000, 0x800), ALLOC_OK);
	uintptr_t a;
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x200, 0, &a), ALLOC_OK);
	assert_int_equal(a, 0x20000);
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x400, 0, &a), ALLOC_OK);
	assert_int_equal(a, 0x30000);
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x500, 0, &a), ALLOC_OK);
	assert_int_equal(a, 0x10000);
	assert_int_equal(range_alloc_avail(ra), 0x1b00 - 0xb00);
	check(ra);
}

static void alignment_is_honoured(void **state)
{
	struct fixture *f = *state;
	struct range_alloc *ra = &f->ra;
	assert_int_equal(range_alloc_add_range(ra, 0x1001, 0x10000), ALLOC_OK);
	uintptr_t a;
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x10, 12, &a), ALLOC_OK);
	assert_int_equal(a, 0x2000);
	assert_int_equal(range_alloc_alloc_aligned(ra, 1, 0, &a), ALLOC_OK);
	assert_int_equal(a, 0x1001); /* best fit: the small hole in front */
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x100, 15, &a),
	                 ALLOC_OK);
	assert_int_equal(a, 0x8000);
	/* the only 64K-aligned place, 0x10000, leaves 0x1001 bytes */
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x1002, 16, &a),
	                 ALLOC_ERR_OUT_OF_MEMORY);
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x1001, 16, &a),
	                 ALLOC_OK);
	assert_int_equal(a, 0x10000);
	assert_int_equal(range_alloc_alloc_aligned(ra, 1, 64, &a),
	                 ALLOC_ERR_INVALID);
	assert_int_equal(range_alloc_alloc_aligned(ra, 0, 0, &a),
	                 ALLOC_ERR_INVALID);
	check(ra);
}

static void alloc_at_address(void **state)
{
	struct fixture *f = *state;
	struct range_alloc *ra = &f->ra;
	assert_int_equal(range_alloc_add_range(ra, 0x1000, 0x4000), ALLOC_OK);
	assert_int_equal(range_alloc_alloc_addr(ra, 0x1000, 0x2000), ALLOC_OK);
	/* overlaps the used block, from either side or inside */
	assert_int_equal(range_alloc_alloc_addr(ra, 0x1000, 0x2800),
	                 ALLOC_ERR_RANGE_CONFLICT);
	assert_int_equal(range_alloc_alloc_addr(ra, 0x1001, 0x1000),
	                 ALLOC_ERR_RANGE_CONFLICT);
	assert_int_equal(range_alloc_alloc_addr(ra, 0x10, 0x2100),
	                 ALLOC_ERR_RANGE_CONFLICT);
	/* outside every range */
	assert_int_equal(range_alloc_alloc_addr(ra, 0x10, 0x800),
	                 ALLOC_ERR_RANGE_CONFLICT);
	assert_int_equal(range_alloc_alloc_addr(ra, 0x1000, 0x4800),
	                 ALLOC_ERR_RANGE_CONFLICT);
	assert_int_equal(range_alloc_alloc_addr(ra, 0x10, UINTPTR_MAX - 4),
	                 ALLOC_ERR_INVALID);
	/* touching is fine */
	assert_int_equal(range_alloc_alloc_addr(ra, 0x1000, 0x1000), ALLOC_OK);
	assert_int_equal(range_alloc_alloc_addr(ra, 0x1000, 0x3000), ALLOC_OK);
	uintptr_t base;
	size_t size;
	assert_int_equal(range_alloc_block_at(ra, 0x3fff, &base, &size),
	                 ALLOC_OK);
	assert_int_equal(base, 0x3000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(range_alloc_block_at(ra, 0x4000, &base, &size),
	                 ALLOC_ERR_NOT_ALLOCATED);
	check(ra);
}

static void free_coalesces_neighbours(void **state)
{
	struct fixture *f = *state;
	struct range_alloc *ra = &f->ra;
	assert_int_equal(range_alloc_add_range(ra, 0, 0x3000), ALLOC_OK);
	uintptr_t a, b, c;
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x1000, 0, &a),
	                 ALLOC_OK);
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x1000, 0, &b),
	                 ALLOC_OK);
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x1000, 0, &c),
	                 ALLOC_OK);
	assert_int_equal(range_alloc_avail(ra), 0);
	uintptr_t x;
	assert_int_equal(range_alloc_alloc_aligned(ra, 1, 0, &x),
	                 ALLOC_ERR_OUT_OF_MEMORY);
	assert_int_equal(range_alloc_free(ra, a), ALLOC_OK);
	assert_int_equal(range_alloc_free(ra, c), ALLOC_OK);
	struct range_alloc_stats st;
	range_alloc_stats(ra, &st);
	assert_int_equal(st.free_blocks, 2);
	assert_int_equal(range_alloc_free(ra, b), ALLOC_OK); /* joins both */
	range_alloc_stats(ra, &st);
	assert_int_equal(st.free_blocks, 1);
	assert_int_equal(st.used_blocks, 0);
	assert_int_equal(st.largest_free, 0x3000);
	/* freeing twice or an unknown address is an error */
	assert_int_equal(range_alloc_free(ra, b), ALLOC_ERR_NOT_ALLOCATED);
	assert_int_equal(range_alloc_free(ra, 0x1234), ALLOC_ERR_NOT_ALLOCATED);
	check(ra);
}

static void ranges_add_merge_remove(void **state)
{
	struct fixture *f = *state;
	struct range_alloc *ra = &f->ra;
	assert_int_equal(range_alloc_add_range(ra, 0x1000, 0x1000), ALLOC_OK);
	assert_int_equal(range_alloc_add_range(ra, 0x2000, 0x1000), ALLOC_OK);
	struct range_alloc_stats st;
	range_alloc_stats(ra, &st);
	assert_int_equal(st.free_blocks, 1); /* touching ranges merge */
	assert_int_equal(range_alloc_add_range(ra, 0x2800, 0x1000),
	                 ALLOC_ERR_RANGE_CONFLICT);
	assert_int_equal(range_alloc_add_range(ra, 0x800, 0x1000),
	                 ALLOC_ERR_RANGE_CONFLICT);
	assert_int_equal(range_alloc_add_range(ra, 0x0, 0x10000),
	                 ALLOC_ERR_RANGE_CONFLICT);
	assert_int_equal(range_alloc_add_range(ra, 0x10, 0), ALLOC_ERR_INVALID);
	assert_int_equal(range_alloc_add_range(ra, UINTPTR_MAX, 2),
	                 ALLOC_ERR_INVALID);
	/* the top of the space may be managed */
	assert_int_equal(range_alloc_add_range(ra, UINTPTR_MAX - 0xfff, 0x1000),
	                 ALLOC_OK);
	assert_int_equal(range_alloc_add_range(ra, UINTPTR_MAX - 0x1f, 0x10),
	                 ALLOC_ERR_RANGE_CONFLICT);
	uintptr_t a;
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x1000, 12, &a),
	                 ALLOC_OK);
	check(ra);

	assert_int_equal(range_alloc_remove_range(ra, 0x1800, 0x1000),
	                 ALLOC_OK);
	assert_int_equal(range_alloc_avail(ra), 0x1000);
	assert_int_equal(range_alloc_remove_range(ra, 0x1000, 0x1000),
	                 ALLOC_ERR_RANGE_CONFLICT);
	assert_int_equal(range_alloc_alloc_addr(ra, 0x10, 0x1900),
	                 ALLOC_ERR_RANGE_CONFLICT);
	check(ra);
}

static void metadata_failure_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct range_alloc *ra = &f->ra;
	f->back.fail_after = 0;
	assert_int_equal(range_alloc_add_range(ra, 0, 0x1000),
	                 ALLOC_ERR_METADATA);
	f->back.fail_after = -1;
	assert_int_equal(range_alloc_add_range(ra, 0, 0x1000), ALLOC_OK);
	/* fill the one metadata block so that a split needs a new one */
	uintptr_t a;
	int n = 0;
	f->back.fail_after = 0;
	int r;
	while ((r = range_alloc_alloc_aligned(ra, 1, 0, &a)) == ALLOC_OK)
		n++;
	assert_int_equal(r, ALLOC_ERR_METADATA);
	assert_true(n > 0);
	assert_int_equal(range_alloc_avail(ra), 0x1000 - (size_t)n);
	check(ra);
	f->back.fail_after = -1;
	assert_int_equal(range_alloc_alloc_aligned(ra, 1, 0, &a), ALLOC_OK);
	check(ra);
}

static void generic_interface(void **state)
{
	struct fixture *f = *state;
	struct range_alloc *ra = &f->ra;
	assert_int_equal(range_alloc_add_range(ra, 0x1008, 0x100), ALLOC_OK);
	struct allocator *a = range_alloc_allocator(ra);
	void *p;
	assert_int_equal(allocator_alloc(a, 0x10, &p), ALLOC_OK);
	assert_int_equal((uintptr_t)p, 0x1010);
	assert_int_equal(allocator_consumed(a), 0x10);
	allocator_free(a, p, 0x10);
	assert_int_equal(allocator_consumed(a), 0);
	check(ra);
}

enum { SPACE = 1 << 16, SLOTS = 256, ROUNDS = 6000 };

struct slot {
	uintptr_t addr;
	size_t size;
	bool used;
};

/* Random allocations (aligned and at addresses) and frees against a shadow
 * map of the space. */
static void random_operations_never_overlap(void **state)
{
	struct fixture *f = *state;
	struct range_alloc *ra = &f->ra;
	const uintptr_t base = 0x100000;
	static unsigned char shadow[SPACE];
	static struct slot slots[SLOTS];
	memset(shadow, 0, sizeof shadow);
	memset(slots, 0, sizeof slots);
	assert_int_equal(range_alloc_add_range(ra, base, SPACE), ALLOC_OK);
	srand(777);
	size_t in_use = 0;
	for (int round = 0; round < ROUNDS; round++) {
		struct slot *s = &slots[rand() % SLOTS];
		if (s->used) {
			assert_int_equal(range_alloc_free(ra, s->addr),
			                 ALLOC_OK);
			memset(shadow + (s->addr - base), 0, s->size);
			in_use -= s->size;
			s->used = false;
		} else {
			size_t size = 1 + (size_t)rand() % 1024;
			uintptr_t addr;
			int r;
			unsigned align = (unsigned)rand() % 10;
			if (rand() % 4 == 0) {
				addr = base + (uintptr_t)rand() % SPACE;
				r = range_alloc_alloc_addr(ra, size, addr);
				bool free_there = addr - base + size <= SPACE &&
				                  !memchr(shadow +
				                                  (addr - base),
				                          1, size);
				assert_int_equal(r == ALLOC_OK, free_there);
				align = 0;
			} else {
				r = range_alloc_alloc_aligned(ra, size, align,
				                              &addr);
				assert_true(r == ALLOC_OK ||
				            r == ALLOC_ERR_OUT_OF_MEMORY);
			}
			if (r == ALLOC_OK) {
				assert_true(addr >= base &&
				            addr - base + size <= SPACE);
				assert_int_equal(addr & (((uintptr_t)1
				                          << align) -
				                         1),
				                 0);
				assert_null(memchr(shadow + (addr - base), 1,
				                   size));
				memset(shadow + (addr - base), 1, size);
				*s = (struct slot){ addr, size, true };
				in_use += size;
			}
		}
		assert_int_equal(range_alloc_avail(ra), SPACE - in_use);
		if (round % 64 == 0)
			check(ra);
	}
	check(ra);
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].used)
			assert_int_equal(range_alloc_free(ra, slots[i].addr),
			                 ALLOC_OK);
	struct range_alloc_stats st;
	range_alloc_stats(ra, &st);
	assert_int_equal(st.free_blocks, 1);
	assert_int_equal(st.used_blocks, 0);
	assert_int_equal(st.largest_free, SPACE);
	check(ra);
}

static void exhaustion_then_recovery(void **state)
{
	struct fixture *f = *state;
	struct range_alloc *ra = &f->ra;
	assert_int_equal(range_alloc_add_range(ra, 0x10000, 0x10000), ALLOC_OK);
	uintptr_t addrs[16], x;
	for (int i = 0; i < 16; i++)
		assert_int_equal(range_alloc_alloc_aligned(ra, 0x1000, 12,
		                                           &addrs[i]),
		                 ALLOC_OK);
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x1000, 12, &x),
	                 ALLOC_ERR_OUT_OF_MEMORY);
	assert_int_equal(range_alloc_free(ra, addrs[7]), ALLOC_OK);
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x1001, 0, &x),
	                 ALLOC_ERR_OUT_OF_MEMORY);
	assert_int_equal(range_alloc_alloc_aligned(ra, 0x1000, 12, &x),
	                 ALLOC_OK);
	assert_int_equal(x, addrs[7]);
	check(ra);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(best_fit_picks_smallest_hole,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(alignment_is_honoured, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(alloc_at_address, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(free_coalesces_neighbours,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(ranges_add_merge_remove, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
			metadata_failure_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(generic_interface, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(random_operations_never_overlap,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(exhaustion_then_recovery, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
