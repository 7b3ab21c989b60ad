/*
 * Unit tests of the locked range allocator (runtime/synced_range_alloc.h):
 * the operations pass through with their meaning, and several threads
 * allocating, writing a tag into a shadow map and freeing at once never
 * get overlapping ranges and leave the allocator consistent and whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/synced_range_alloc.h>
#include <runtime/thread.h>

#include <stdatomic.h>
#include <stdlib.h>

static void passes_operations_through(void **state)
{
	struct range_alloc ra;
	assert_int_equal(range_alloc_init(&ra, heap_allocator()), ALLOC_OK);
	struct synced_range_alloc s;
	synced_range_alloc_init(&s, &ra);
	assert_int_equal(synced_range_alloc_add_range(&s, 0x1000, 0x3000),
	                 ALLOC_OK);
	assert_int_equal(synced_range_alloc_add_range(&s, 0x2000, 0x10),
	                 ALLOC_ERR_RANGE_CONFLICT);
	uintptr_t a, base;
	size_t size;
	assert_int_equal(synced_range_alloc_alloc_aligned(&s, 0x100, 12, &a),
	                 ALLOC_OK);
	assert_int_equal(a, 0x1000);
	assert_int_equal(synced_range_alloc_alloc_addr(&s, 0x100, 0x1080),
	                 ALLOC_ERR_RANGE_CONFLICT);
	assert_int_equal(synced_range_alloc_alloc_addr(&s, 0x100, 0x2000),
	                 ALLOC_OK);
	assert_int_equal(synced_range_alloc_block_at(&s, 0x20ff, &base, &size),
	                 ALLOC_OK);
	assert_int_equal(base, 0x2000);
	assert_int_equal(synced_range_alloc_remove_range(&s, 0x3000, 0x1000),
	                 ALLOC_OK);
	assert_int_equal(synced_range_alloc_avail(&s), 0x3000 - 0x200 - 0x1000);
	struct allocator *g = synced_range_alloc_allocator(&s);
	void *p;
	assert_int_equal(allocator_alloc(g, 0x10, &p), ALLOC_OK);
	assert_int_equal(allocator_consumed(g), 0x210);
	allocator_free(g, p, 0x10);
	assert_int_equal(synced_range_alloc_free(&s, a), ALLOC_OK);
	assert_int_equal(synced_range_alloc_free(&s, a),
	                 ALLOC_ERR_NOT_ALLOCATED);
	assert_int_equal(synced_range_alloc_check(&s, NULL), ALLOC_OK);
	range_alloc_destroy(&ra);
}

enum { SPACE = 1 << 14, WORKERS = 4, ROUNDS = 3000, BASE = 0x40000 };

struct shared {
	struct synced_range_alloc s;
	atomic_uchar owner[SPACE]; /* which worker holds each unit, 0: none */
	atomic_int overlaps;
};

struct worker {
	struct shared *sh;
	unsigned char id;
	unsigned seed;
};

static void hammer(void *arg)
{
	struct worker *w = arg;
	uintptr_t held[8] = { 0 };
	size_t sizes[8] = { 0 };
	for (int i = 0; i < ROUNDS; i++) {
		int slot = (int)(rand_r(&w->seed) % 8);
		if (held[slot]) {
			for (size_t k = 0; k < sizes[slot]; k++)
				atomic_store(
					&w->sh->owner[held[slot] - BASE + k],
					0);
			synced_range_alloc_free(&w->sh->s, held[slot]);
			held[slot] = 0;
			continue;
		}
		size_t size = 1 + rand_r(&w->seed) % 200;
		uintptr_t a;
		if (synced_range_alloc_alloc_aligned(&w->sh->s, size,
		                                     rand_r(&w->seed) % 6, &a))
			continue;
		for (size_t k = 0; k < size; k++) {
			unsigned char none = 0;
			if (!atomic_compare_exchange_strong(
				    &w->sh->owner[a - BASE + k], &none, w->id))
				atomic_fetch_add(&w->sh->overlaps, 1);
		}
		held[slot] = a;
		sizes[slot] = size;
	}
	for (int slot = 0; slot < 8; slot++) {
		if (!held[slot])
			continue;
		for (size_t k = 0; k < sizes[slot]; k++)
			atomic_store(&w->sh->owner[held[slot] - BASE + k], 0);
		synced_range_alloc_free(&w->sh->s, held[slot]);
	}
}

static void threads_never_get_overlapping_ranges(void **state)
{
	static struct shared sh;
	struct range_alloc ra;
	assert_int_equal(range_alloc_init(&ra, heap_allocator()), ALLOC_OK);
	synced_range_alloc_init(&sh.s, &ra);
	assert_int_equal(synced_range_alloc_add_range(&sh.s, BASE, SPACE),
	                 ALLOC_OK);
	struct worker w[WORKERS];
	struct thread t[WORKERS];
	for (int i = 0; i < WORKERS; i++) {
		w[i] = (struct worker){ .sh = &sh,
			                .id = (unsigned char)(i + 1),
			                .seed = 99u + (unsigned)i };
		assert_int_equal(thread_start(&t[i], "hammer", 0, hammer,
		                              &w[i]),
		                 0);
	}
	for (int i = 0; i < WORKERS; i++)
		assert_int_equal(thread_join(&t[i]), 0);
	assert_int_equal(atomic_load(&sh.overlaps), 0);
	const char *what;
	if (synced_range_alloc_check(&sh.s, &what) != ALLOC_OK)
		fail_msg("%s", what);
	struct range_alloc_stats st;
	range_alloc_stats(&ra, &st);
	assert_int_equal(st.free_blocks, 1);
	assert_int_equal(st.avail, SPACE);
	range_alloc_destroy(&ra);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(passes_operations_through),
		cmocka_unit_test(threads_never_get_overlapping_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
