/*
 * Tests of the attached dataspace (runtime/dataspace.h): allocated from a
 * (fake) PD session and given back on release, opened from a capability
 * another side handed out and shared with it, and every misuse refused
 * with KERR_INVALID, leaving nothing behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <runtime/cap.h>
#include <runtime/dataspace.h>

#include "fakes.h"

enum { PD_RAM = 1 << 20, SIZE = 8192 };

struct fixture {
	entrypoint_t *ep;
	struct fake_pd pd;
};

static int setup(void **state)
{
	static struct fixture f;

	assert_int_equal(entrypoint_create(&f.ep, "dataspace"), 0);
	assert_int_equal(fake_pd_start(&f.pd, f.ep, PD_RAM, 10), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->pd.ram, PD_RAM); /* every allocation went back */
	fake_pd_stop(&f->pd);
	entrypoint_destroy(f->ep);
	return 0;
}

static void test_alloc_attach_release_gives_the_ram_back(void **state)
{
	struct fixture *f = *state;
	struct dataspace ds;

	assert_int_equal(dataspace_alloc(&ds, f->pd.cap, SIZE), 0);
	assert_true(dataspace_valid(&ds));
	assert_null(ds.addr);
	assert_true(f->pd.ram <= PD_RAM - SIZE);
	assert_int_equal(dataspace_attach(&ds, true), 0);
	assert_non_null(ds.addr);
	assert_int_equal(((unsigned char *)ds.addr)[SIZE - 1], 0);
	memset(ds.addr, 0xab, SIZE);
	dataspace_detach(&ds);
	assert_null(ds.addr);
	assert_true(dataspace_valid(&ds));
	dataspace_release(&ds);
	assert_false(dataspace_valid(&ds));
	dataspace_release(&ds); /* empty: nothing to do */
}

static void test_opened_copy_shares_the_content(void **state)
{
	struct fixture *f = *state;
	struct dataspace mine, theirs;
	kcap_t handed;

	assert_int_equal(dataspace_alloc(&mine, f->pd.cap, SIZE), 0);
	assert_int_equal(dataspace_attach(&mine, true), 0);
	memcpy(mine.addr, "shared", sizeof "shared");
	assert_int_equal(cap_copy(mine.cap, &handed), 0);
	assert_int_equal(dataspace_open(&theirs, handed, SIZE), 0);
	assert_int_equal(dataspace_attach(&theirs, false), 0);
	assert_string_equal(theirs.addr, "shared");
	dataspace_release(&theirs); /* opened: no RAM to give back */
	assert_string_equal(mine.addr, "shared");
	dataspace_release(&mine);
}

static void test_misuse_is_refused(void **state)
{
	struct fixture *f = *state;
	struct dataspace ds;

	assert_int_equal(dataspace_alloc(&ds, f->pd.cap, 0), KERR_INVALID);
	assert_false(dataspace_valid(&ds));
	assert_int_equal(dataspace_alloc(&ds, KCAP_INVALID, SIZE),
	                 KERR_INVALID);
	assert_int_equal(dataspace_open(&ds, KCAP_INVALID, SIZE), KERR_INVALID);
	assert_int_equal(dataspace_attach(&ds, false), KERR_INVALID);
	assert_int_equal(dataspace_alloc(&ds, f->pd.cap, SIZE), 0);
	assert_int_equal(dataspace_attach(&ds, false), 0);
	assert_int_equal(dataspace_attach(&ds, false), KERR_INVALID);
	dataspace_release(&ds);
	/* more than the PD has: the PD's error, nothing held */
	assert_int_not_equal(dataspace_alloc(&ds, f->pd.cap,
	                                     (size_t)2 * PD_RAM),
	                     0);
	assert_false(dataspace_valid(&ds));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_attach_release_gives_the_ram_back),
		cmocka_unit_test(test_opened_copy_shares_the_content),
		cmocka_unit_test(test_misuse_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
