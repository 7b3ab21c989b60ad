/*
 * Tests of the terminal's rate limit (core/terminal_limit.h): lines per
 * label and in all per window, the note of what was dropped at the end of
 * a window, and the bounded table of labels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "terminal_limit.h"

#include <stdio.h>
#include <string.h>

#define SECOND TERMINAL_LIMIT_WINDOW_NS

/* What the limit reported as dropped, in order. */
struct notes {
	unsigned count;
	char label[80][SESSION_LABEL_MAX];
	unsigned dropped[80];
};

static void record(void *ctx, const char *label, unsigned dropped)
{
	struct notes *n = ctx;
	assert_true(n->count < 80);
	snprintf(n->label[n->count], SESSION_LABEL_MAX, "%s",
	         label ? label : "(further labels)");
	n->dropped[n->count++] = dropped;
}

static unsigned admit_many(struct terminal_limit *l, const char *label,
                           unsigned lines, int64_t now, struct notes *n)
{
	unsigned shown = 0;
	for (unsigned i = 0; i < lines; i++)
		shown += (unsigned)terminal_limit_admit(l, label, now, record,
		                                        n);
	return shown;
}

static void test_per_label_limit_and_note(void **state)
{
	(void)state;
	struct terminal_limit l;
	struct notes n = { 0 };
	terminal_limit_init(&l, 5, 100);
	int64_t t0 = 10 * SECOND;
	assert_int_equal(admit_many(&l, "init -> flooder", 20, t0, &n), 5);
	/* another label still gets through in the same window */
	assert_int_equal(admit_many(&l, "init -> talker", 3, t0 + 1, &n), 3);
	assert_int_equal(n.count, 0);
	/* the next window: the note first, then a fresh allowance */
	assert_int_equal(admit_many(&l, "init -> flooder", 6, t0 + SECOND, &n),
	                 5);
	assert_int_equal(n.count, 1);
	assert_string_equal(n.label[0], "init -> flooder");
	assert_int_equal(n.dropped[0], 15);
	/* a quiet label is not mentioned; flush reports the window so far */
	terminal_limit_flush(&l, t0 + SECOND + 2, record, &n);
	assert_int_equal(n.count, 2);
	assert_int_equal(n.dropped[1], 1);
	terminal_limit_flush(&l, t0 + SECOND + 3, record, &n);
	assert_int_equal(n.count, 2);
}

static void test_total_limit(void **state)
{
	(void)state;
	struct terminal_limit l;
	struct notes n = { 0 };
	terminal_limit_init(&l, 5, 12);
	char label[32];
	unsigned shown = 0;
	for (int i = 0; i < 10; i++) {
		snprintf(label, sizeof(label), "init -> c%d", i);
		shown += admit_many(&l, label, 5, SECOND, &n);
	}
	assert_int_equal(shown, 12);
	terminal_limit_flush(&l, 2 * SECOND, record, &n);
	unsigned dropped = 0;
	for (unsigned i = 0; i < n.count; i++)
		dropped += n.dropped[i];
	assert_int_equal(dropped, 50 - 12);
}

/* Ever new labels share one count once the table is full: the state is
 * bounded, and they get no more than one label would. */
static void test_table_of_labels_is_bounded(void **state)
{
	(void)state;
	struct terminal_limit l;
	struct notes n = { 0 };
	terminal_limit_init(&l, 2, 0);
	char label[32];
	unsigned shown = 0;
	for (int i = 0; i < TERMINAL_LIMIT_LABELS + 30; i++) {
		snprintf(label, sizeof(label), "init -> x -> %d", i);
		shown += admit_many(&l, label, 3, SECOND, &n);
	}
	assert_int_equal(shown, TERMINAL_LIMIT_LABELS * 2 + 2);
	terminal_limit_flush(&l, 2 * SECOND, record, &n);
	assert_int_equal(n.count, TERMINAL_LIMIT_LABELS + 1);
	assert_string_equal(n.label[TERMINAL_LIMIT_LABELS], "(further labels)");
	assert_int_equal(n.dropped[TERMINAL_LIMIT_LABELS], 30 * 3 - 2);
}

/* A clock that goes back (it should not: monotonic) starts a new window
 * rather than holding the terminal shut. */
static void test_clock_going_back_starts_a_window(void **state)
{
	(void)state;
	struct terminal_limit l;
	struct notes n = { 0 };
	terminal_limit_init(&l, 1, 0);
	assert_int_equal(admit_many(&l, "a", 3, 5 * SECOND, &n), 1);
	assert_int_equal(admit_many(&l, "a", 1, 4 * SECOND, &n), 1);
	assert_int_equal(n.count, 1);
}

static void test_no_limit(void **state)
{
	(void)state;
	struct terminal_limit l;
	struct notes n = { 0 };
	terminal_limit_init(&l, 0, 0);
	assert_int_equal(admit_many(&l, "a", 10000, SECOND, &n), 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_label_limit_and_note),
		cmocka_unit_test(test_total_limit),
		cmocka_unit_test(test_table_of_labels_is_bounded),
		cmocka_unit_test(test_clock_going_back_starts_a_window),
		cmocka_unit_test(test_no_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
