/*
 * Tests of report_rom's store of reports (pkg/report_rom/reports.h), with
 * the fake PD of tests/unit/child paying for the content: sessions of one
 * label share one report, a new version replaces the content, and the
 * report with its content is gone, its RAM back, once the last session
 * holding it lets go.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fakes.h"
#include "reports.h"

enum { PD_RAM = 1 << 20 };

struct fixture {
	entrypoint_t *ep;
	struct fake_pd pd;
	struct reports reports;
};

static int setup(void **state)
{
	static struct fixture f;

	assert_int_equal(entrypoint_create(&f.ep, "reports"), 0);
	assert_int_equal(fake_pd_start(&f.pd, f.ep, PD_RAM, 10), 0);
	reports_init(&f.reports, f.pd.cap);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_true(list_empty(&f->reports.entries));
	assert_int_equal(f->pd.ram, PD_RAM); /* every content went back */
	fake_pd_stop(&f->pd);
	entrypoint_destroy(f->ep);
	return 0;
}

static void test_sessions_of_a_label_share_its_report(void **state)
{
	struct fixture *f = *state;
	struct report_entry *writer = reports_get(&f->reports, "app -> state");
	struct report_entry *reader = reports_get(&f->reports, "app -> state");
	struct report_entry *other = reports_get(&f->reports, "app -> other");

	assert_non_null(writer);
	assert_ptr_equal(writer, reader);
	assert_ptr_not_equal(writer, other);
	assert_int_equal(reports_publish(&f->reports, writer, "v1", 2), 0);
	assert_int_equal(reports_publish(&f->reports, writer, "v2!", 3), 0);
	assert_int_equal(reader->version, 2);
	assert_int_equal(reader->size, 3);
	assert_true(f->pd.ram < PD_RAM);
	reports_put(&f->reports, other);
	reports_put(&f->reports, writer);
	reports_put(&f->reports, reader);
}

static void test_the_last_holder_frees_the_report(void **state)
{
	struct fixture *f = *state;
	struct report_entry *e = reports_get(&f->reports, "gone");

	assert_int_equal(reports_publish(&f->reports, e, "content", 7), 0);
	uint64_t with_content = f->pd.ram;
	assert_true(with_content < PD_RAM);
	/* a reader still holds it: the content stays */
	struct report_entry *reader = reports_get(&f->reports, "gone");
	reports_put(&f->reports, e);
	assert_int_equal(f->pd.ram, with_content);
	assert_int_equal(reader->size, 7);
	/* the last one lets go: freed, and a new session starts afresh */
	reports_put(&f->reports, reader);
	assert_int_equal(f->pd.ram, PD_RAM);
	assert_true(list_empty(&f->reports.entries));
	e = reports_get(&f->reports, "gone");
	assert_int_equal(e->version, 0);
	assert_false(dataspace_valid(&e->content));
	reports_put(&f->reports, e);
}

static void test_many_labels_cost_nothing_once_closed(void **state)
{
	struct fixture *f = *state;
	char label[32];

	/* a client that reports under ever new labels and closes each */
	for (int i = 0; i < 100; i++) {
		snprintf(label, sizeof(label), "app -> r%d", i);
		struct report_entry *e = reports_get(&f->reports, label);
		assert_int_equal(reports_publish(&f->reports, e, label,
		                                 strlen(label)),
		                 0);
		reports_put(&f->reports, e);
	}
	assert_int_equal(f->pd.ram, PD_RAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_sessions_of_a_label_share_its_report, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_the_last_holder_frees_the_report, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_many_labels_cost_nothing_once_closed, setup,
			teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
