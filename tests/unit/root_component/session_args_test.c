/*
 * Tests of the decode step every session request goes through
 * (runtime/session_args.h): the common arguments, refusals of malformed
 * ones, and the " -> " label helpers core, init and servers share.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/session_args.h>

#include <string.h>

static void test_arguments_are_decoded(void **state)
{
	(void)state;
	struct session_args a;
	const char *why = NULL;
	assert_int_equal(
		session_args_parse(
			"label=\"init -> hello\", ram_quota=16K, cap_quota=10",
			&a, &why),
		0);
	assert_string_equal(a.label, "init -> hello");
	assert_int_equal(a.ram_quota, 16384);
	assert_int_equal(a.cap_quota, 10);
	assert_int_equal(session_args_parse("", &a, &why), 0);
	assert_string_equal(a.label, "");
	assert_int_equal(a.ram_quota, 0);
}

static void test_malformed_arguments_are_refused(void **state)
{
	(void)state;
	struct session_args a = { .ram_quota = 77 };
	const char *why = NULL;
	const char *bad[] = {
		"label=\"open", "ram_quota=lots",
		"cap_quota=-1", "=3",
		"label=\"x\",", "ram_quota=99999999999999999999",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		why = NULL;
		assert_int_equal(session_args_parse(bad[i], &a, &why), -1);
		assert_non_null(why);
		assert_int_equal(a.ram_quota, 77); /* untouched */
	}
	char long_label[400];
	memset(long_label, 'x', sizeof(long_label));
	memcpy(long_label, "label=", 6);
	long_label[sizeof(long_label) - 1] = '\0';
	assert_int_equal(session_args_parse(long_label, &a, &why), -1);
	assert_string_equal(why, "the label is too long");
}

static void test_label_elements(void **state)
{
	(void)state;
	char first[16];
	session_label_first("init -> hello -> config", first, sizeof(first));
	assert_string_equal(first, "init");
	session_label_first("core", first, sizeof(first));
	assert_string_equal(first, "core");
	session_label_first("averyverylongcomponentname -> x", first,
	                    sizeof(first));
	assert_int_equal(strlen(first), sizeof(first) - 1);
	assert_string_equal(session_label_last("init -> hello -> config"),
	                    "config");
	assert_string_equal(session_label_last("config"), "config");
	assert_string_equal(session_label_last(""), "");
}

static void test_label_prefix(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(session_label_prefix("init", "hello", out,
	                                      sizeof(out)),
	                 0);
	assert_string_equal(out, "init -> hello");
	assert_int_equal(session_label_prefix("init", "", out, sizeof(out)), 0);
	assert_string_equal(out, "init");
	assert_int_equal(session_label_prefix(
				 "init",
				 "a label that cannot fit in thirty-two bytes",
				 out, sizeof(out)),
	                 -1);
}

static void test_label_walk(void **state)
{
	(void)state;
	const char *label = "init -> hello ->  -> config";
	const char *expect[] = { "init", "hello", "", "config" };
	const char *next;
	size_t n = 0;
	for (const char *e = label; e; e = next) {
		size_t len = session_label_element(e, &next);
		assert_true(n < 4);
		assert_int_equal(len, strlen(expect[n]));
		assert_memory_equal(e, expect[n], len);
		n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(session_label_element("", &next), 0);
	assert_null(next);
	/* an arrow without its spaces is no separator */
	assert_string_equal(session_label_last("a->b"), "a->b");
	assert_string_equal(session_label_last("a -> "), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arguments_are_decoded),
		cmocka_unit_test(test_malformed_arguments_are_refused),
		cmocka_unit_test(test_label_elements),
		cmocka_unit_test(test_label_prefix),
		cmocka_unit_test(test_label_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
