/*
 * Unit tests of the region map (runtime/region_map.h) on real kernel
 * memory objects: attach at a free or a chosen address, data visible
 * through two attachments of one memory object, attachment of a part with
 * an offset, detach and reattach, and the errors: overlap, out of range,
 * unaligned, past the end of the dataspace, unknown address, no space,
 * not a memory object; and that the region map's error names do not clash
 * with the RM session's (rm_rpc.h), included here too. A last test attaches and detaches from several
 * threads at once and checks that every attachment holds its own data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/region_map.h>
#include <runtime/thread.h>

/* The RM session's generated header declares RM_ERR_* of its own; both
 * must be usable in one file (see one_name_one_meaning). */
#include "rm_rpc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { MAP_PAGES = 16 };

struct fixture {
	struct region_map rm;
	size_t page;
	kcap_t ds; /* two pages */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->page = kpage_size();
	if (region_map_create(&f->rm, MAP_PAGES * f->page, NULL))
		return -1;
	if (kmem_create(2 * f->page, &f->ds))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	region_map_destroy(&f->rm);
	kcap_close(f->ds);
	free(f);
	return 0;
}

static char *page_at(struct fixture *f, size_t n)
{
	return (char *)region_map_base(&f->rm) + n * f->page;
}

static void attach_anywhere_and_share_data(void **state)
{
	struct fixture *f = *state;
	void *a, *b;
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, NULL,
	                                   KMEM_READ | KMEM_WRITE, &a),
	                 REGION_MAP_OK);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, NULL,
	                                   KMEM_READ | KMEM_WRITE, &b),
	                 REGION_MAP_OK);
	assert_ptr_not_equal(a, b);
	for (void *p = a; p == a || p == b; p = (p == a) ? b : NULL) {
		uintptr_t x = (uintptr_t)p;
		assert_true(x >= (uintptr_t)region_map_base(&f->rm));
		assert_true(x + 2 * f->page <=
		            (uintptr_t)page_at(f, MAP_PAGES));
		assert_int_equal(x % f->page, 0);
	}
	strcpy((char *)a + f->page + 10, "written through a");
	assert_string_equal((char *)b + f->page + 10, "written through a");
	strcpy((char *)b, "and back through b");
	assert_string_equal((char *)a, "and back through b");
	assert_int_equal(region_map_detach(&f->rm, a), REGION_MAP_OK);
	assert_int_equal(region_map_detach(&f->rm, b), REGION_MAP_OK);
}

static void attach_at_chosen_address(void **state)
{
	struct fixture *f = *state;
	void *a;
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, page_at(f, 4),
	                                   KMEM_READ | KMEM_WRITE, &a),
	                 REGION_MAP_OK);
	assert_ptr_equal(a, page_at(f, 4));
	/* touching neighbours are fine */
	void *b, *c;
	assert_int_equal(region_map_attach(&f->rm, f->ds, f->page, 0,
	                                   page_at(f, 3), KMEM_READ, &b),
	                 REGION_MAP_OK);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, page_at(f, 6),
	                                   KMEM_READ, &c),
	                 REGION_MAP_OK);
	page_at(f, 4)[0] = 'x';
	assert_int_equal(page_at(f, 3)[0], 'x'); /* same first page */
	assert_int_equal(page_at(f, 6)[0], 'x');
}

static void overlap_is_refused(void **state)
{
	struct fixture *f = *state;
	void *a, *b = NULL;
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, page_at(f, 4),
	                                   KMEM_READ | KMEM_WRITE, &a),
	                 REGION_MAP_OK);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, page_at(f, 4),
	                                   KMEM_READ, &b),
	                 REGION_MAP_ERR_OVERLAP);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, page_at(f, 5),
	                                   KMEM_READ, &b),
	                 REGION_MAP_ERR_OVERLAP);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, page_at(f, 3),
	                                   KMEM_READ, &b),
	                 REGION_MAP_ERR_OVERLAP);
	assert_null(b);
	/* the refused attempts did not disturb the attachment */
	page_at(f, 5)[7] = 'y';
	assert_int_equal(region_map_detach(&f->rm, page_at(f, 5) + 7),
	                 REGION_MAP_OK);
	/* and the range can be used again */
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, page_at(f, 3),
	                                   KMEM_READ, &b),
	                 REGION_MAP_OK);
	assert_int_equal(page_at(f, 4)[7], 'y'); /* ds page 1 now at page 4 */
}

static void out_of_range_and_unaligned(void **state)
{
	struct fixture *f = *state;
	void *a = NULL;
	unsigned rw = KMEM_READ | KMEM_WRITE;
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0,
	                                   page_at(f, MAP_PAGES - 1), rw, &a),
	                 REGION_MAP_ERR_OUT_OF_RANGE);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0,
	                                   page_at(f, MAP_PAGES), rw, &a),
	                 REGION_MAP_ERR_OUT_OF_RANGE);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0,
	                                   (char *)region_map_base(&f->rm) -
	                                           f->page,
	                                   rw, &a),
	                 REGION_MAP_ERR_OUT_OF_RANGE);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0,
	                                   page_at(f, 1) + 8, rw, &a),
	                 REGION_MAP_ERR_INVALID);
	/* past the end of the dataspace */
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 2 * f->page, NULL,
	                                   rw, &a),
	                 REGION_MAP_ERR_OUT_OF_RANGE);
	assert_int_equal(region_map_attach(&f->rm, f->ds, f->page + 1, f->page,
	                                   NULL, rw, &a),
	                 REGION_MAP_ERR_OUT_OF_RANGE);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 3 * f->page, 0, NULL,
	                                   rw, &a),
	                 REGION_MAP_ERR_OUT_OF_RANGE);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 8, NULL, rw, &a),
	                 REGION_MAP_ERR_INVALID);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, NULL, 0, &a),
	                 REGION_MAP_ERR_INVALID);
	assert_null(a);
}

static void offset_attaches_a_part(void **state)
{
	struct fixture *f = *state;
	void *whole, *second;
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, NULL,
	                                   KMEM_READ | KMEM_WRITE, &whole),
	                 REGION_MAP_OK);
	strcpy((char *)whole + f->page, "second page");
	assert_int_equal(region_map_attach(&f->rm, f->ds, 100, f->page, NULL,
	                                   KMEM_READ, &second),
	                 REGION_MAP_OK);
	assert_string_equal((char *)second, "second page");
	/* 100 bytes round up to one page */
	void *next;
	assert_int_equal(region_map_attach(&f->rm, f->ds, f->page, 0,
	                                   (char *)second + f->page, KMEM_READ,
	                                   &next),
	                 REGION_MAP_OK);
}

static void detach_errors(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(region_map_detach(&f->rm, page_at(f, 2)),
	                 REGION_MAP_ERR_UNKNOWN_ADDRESS);
	assert_int_equal(region_map_detach(&f->rm, NULL),
	                 REGION_MAP_ERR_UNKNOWN_ADDRESS);
	void *a;
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, NULL, KMEM_READ,
	                                   &a),
	                 REGION_MAP_OK);
	assert_int_equal(region_map_detach(&f->rm, a), REGION_MAP_OK);
	assert_int_equal(region_map_detach(&f->rm, a),
	                 REGION_MAP_ERR_UNKNOWN_ADDRESS);
	/* the hole went back into the reservation: nothing else can take it */
	assert_int_equal(kvm_rereserve(a, f->page), KERR_DENIED);
}

static void fills_up_then_no_space(void **state)
{
	struct fixture *f = *state;
	void *a[MAP_PAGES / 2];
	for (int i = 0; i < MAP_PAGES / 2; i++)
		assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, NULL,
		                                   KMEM_READ, &a[i]),
		                 REGION_MAP_OK);
	void *x;
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, NULL, KMEM_READ,
	                                   &x),
	                 REGION_MAP_ERR_NO_SPACE);
	assert_int_equal(region_map_detach(&f->rm, a[3]), REGION_MAP_OK);
	assert_int_equal(region_map_attach(&f->rm, f->ds, 0, 0, NULL, KMEM_READ,
	                                   &x),
	                 REGION_MAP_OK);
	assert_ptr_equal(x, a[3]);
}

static void not_a_memory_object(void **state)
{
	struct fixture *f = *state;
	void *a;
	int r = region_map_attach(&f->rm, KCAP_INVALID, 0, 0, NULL, KMEM_READ,
	                          &a);
	assert_true(r < 0);
	assert_string_equal(runtime_strerror(r), kerr_str(r));
	assert_string_equal(runtime_strerror(REGION_MAP_ERR_OVERLAP),
	                    "range overlaps an existing attachment");
}

/* The local region map and the RM session at core each have their own
 * error codes; a name means one thing, and the words say which. */
static void one_name_one_meaning(void **state)
{
	(void)state;
	assert_int_not_equal(REGION_MAP_ERR_OVERLAP, RM_ERR_OVERLAP);
	assert_int_not_equal(REGION_MAP_ERR_OUT_OF_RANGE, RM_ERR_OUT_OF_RANGE);
	assert_string_equal(rpc_strerror(&rm_rpc, RM_ERR_OVERLAP),
	                    "the region overlaps an attached one");
	assert_string_equal(
		runtime_strerror(REGION_MAP_ERR_OUT_OF_RANGE),
		"range lies outside the region map or the dataspace");
}

enum { WORKERS = 3, ROUNDS = 200 };

struct worker {
	struct region_map *rm;
	size_t page;
	int id;
	int errors;
};

static void attach_detach_loop(void *arg)
{
	struct worker *w = arg;
	kcap_t ds;
	if (kmem_create(w->page, &ds)) {
		w->errors++;
		return;
	}
	for (int i = 0; i < ROUNDS; i++) {
		void *a;
		if (region_map_attach(w->rm, ds, 0, 0, NULL,
		                      KMEM_READ | KMEM_WRITE, &a)) {
			w->errors++;
			continue;
		}
		*(int *)a = w->id * 100000 + i;
		if (*(volatile int *)a != w->id * 100000 + i)
			w->errors++;
		if (region_map_detach(w->rm, a))
			w->errors++;
	}
	kcap_close(ds);
}

static void concurrent_attach_detach(void **state)
{
	struct fixture *f = *state;
	struct worker w[WORKERS];
	struct thread t[WORKERS];
	for (int i = 0; i < WORKERS; i++) {
		w[i] = (struct worker){ .rm = &f->rm,
			                .page = f->page,
			                .id = i };
		assert_int_equal(thread_start(&t[i], "rm-worker", 0,
		                              attach_detach_loop, &w[i]),
		                 0);
	}
	for (int i = 0; i < WORKERS; i++) {
		assert_int_equal(thread_join(&t[i]), 0);
		assert_int_equal(w[i].errors, 0);
	}
	assert_int_equal(range_alloc_avail(&f->rm.ranges), MAP_PAGES * f->page);
}

static void create_errors(void **state)
{
	struct region_map rm;
	assert_int_equal(region_map_create(&rm, 0, NULL),
	                 REGION_MAP_ERR_INVALID);
	assert_int_equal(region_map_create(&rm, SIZE_MAX, NULL),
	                 REGION_MAP_ERR_INVALID);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(attach_anywhere_and_share_data),
		T(attach_at_chosen_address),
		T(overlap_is_refused),
		T(out_of_range_and_unaligned),
		T(offset_attaches_a_part),
		T(detach_errors),
		T(fills_up_then_no_space),
		T(not_a_memory_object),
		T(concurrent_attach_detach),
		cmocka_unit_test(create_errors),
		cmocka_unit_test(one_name_one_meaning),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
