/*
 * Unit tests of the bounded string helpers (runtime/str.h): formatting that
 * fits, formatting that is cut (always terminated, reported), appending,
 * copying, comparing and measuring.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/str.h>

#include <string.h>

static void format_fits(void **state)
{
	char buf[16];
	assert_int_equal(str_format(buf, sizeof buf, "%s-%d", "ram", 42), 6);
	assert_string_equal(buf, "ram-42");
}

static void format_truncates_and_terminates(void **state)
{
	char buf[8];
	memset(buf, 'x', sizeof buf);
	assert_int_equal(str_format(buf, sizeof buf, "%s", "0123456789"),
	                 STR_ERR_TRUNCATED);
	assert_string_equal(buf, "0123456");
	/* exactly size - 1 characters fit */
	assert_int_equal(str_format(buf, sizeof buf, "%s", "0123456"), 7);
}

static void format_rejects_no_buffer(void **state)
{
	char buf[1] = { 'x' };
	assert_int_equal(str_format(buf, 0, "abc"), STR_ERR_INVALID);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(str_format(NULL, 10, "abc"), STR_ERR_INVALID);
	assert_int_equal(str_format(buf, 1, "abc"), STR_ERR_TRUNCATED);
	assert_int_equal(buf[0], '\0');
}

static void append_builds_and_truncates(void **state)
{
	char buf[12] = "";
	assert_int_equal(str_append_format(buf, sizeof buf, "a=%d", 1), 3);
	assert_int_equal(str_append_format(buf, sizeof buf, ", b=%d", 2), 8);
	assert_string_equal(buf, "a=1, b=2");
	assert_int_equal(str_append_format(buf, sizeof buf, ", c=%d", 3),
	                 STR_ERR_TRUNCATED);
	assert_string_equal(buf, "a=1, b=2, c");
	assert_int_equal(str_append_format(buf, sizeof buf, "more"),
	                 STR_ERR_TRUNCATED);
	assert_string_equal(buf, "a=1, b=2, c");
}

static void append_refuses_unterminated_buffer(void **state)
{
	char buf[4] = { 'a', 'b', 'c', 'd' };
	assert_int_equal(str_append_format(buf, sizeof buf, "x"),
	                 STR_ERR_INVALID);
}

static void copy_fits_and_truncates(void **state)
{
	char buf[5];
	assert_int_equal(str_copy(buf, "abcd", sizeof buf), 4);
	assert_string_equal(buf, "abcd");
	assert_int_equal(str_copy(buf, "abcde", sizeof buf), STR_ERR_TRUNCATED);
	assert_string_equal(buf, "abcd");
	assert_int_equal(str_copy(buf, "x", 0), STR_ERR_INVALID);
}

static void length_is_bounded(void **state)
{
	char raw[3] = { 'a', 'b', 'c' }; /* not terminated */
	assert_int_equal(str_length(raw, sizeof raw), 3);
	assert_int_equal(str_length("ab", 10), 2);
}

static void compare_is_bounded(void **state)
{
	assert_int_equal(str_compare("label", "label", 10), 0);
	assert_true(str_compare("abc", "abd", 10) < 0);
	assert_true(str_compare("abd", "abc", 10) > 0);
	assert_int_equal(str_compare("abcX", "abcY", 3), 0);
	assert_true(str_compare("ab", "abc", 10) < 0);
	assert_true(str_starts_with("init -> hello", "init"));
	assert_false(str_starts_with("ini", "init"));
}

static void errors_have_words(void **state)
{
	assert_string_equal(runtime_strerror(STR_ERR_TRUNCATED),
	                    "string truncated to fit the buffer");
	assert_string_equal(runtime_strerror(STR_ERR_INVALID + 1),
	                    "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_fits),
		cmocka_unit_test(format_truncates_and_terminates),
		cmocka_unit_test(format_rejects_no_buffer),
		cmocka_unit_test(append_builds_and_truncates),
		cmocka_unit_test(append_refuses_unterminated_buffer),
		cmocka_unit_test(copy_fits_and_truncates),
		cmocka_unit_test(length_is_bounded),
		cmocka_unit_test(compare_is_bounded),
		cmocka_unit_test(errors_have_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
