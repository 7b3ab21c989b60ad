/*
 * Unit tests of session-argument strings (runtime/arg_string.h): lookups
 * of strings, numbers and sizes; set, set_quoted and remove; and hostile
 * input: malformed syntax, unterminated buffers, overflowing numbers,
 * results that do not fit, and random byte strings (fixed seed), which
 * must give errors and never a crash or an access outside the buffer
 * (ASan watches every test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/arg_string.h>

#include <stdlib.h>
#include <string.h>

static const char *args =
	"label=\"init -> hello, world\", ram_quota=16K , cap_quota = 0x10,"
	"  name=timer";

static void gets_strings(void **state)
{
	char buf[64];
	assert_int_equal(arg_string_get_string(args, strlen(args) + 1, "label",
	                                       buf, sizeof buf),
	                 ARG_OK);
	assert_string_equal(buf, "init -> hello, world");
	assert_int_equal(arg_string_get_string(args, strlen(args) + 1, "name",
	                                       buf, sizeof buf),
	                 ARG_OK);
	assert_string_equal(buf, "timer");
	assert_int_equal(arg_string_get_string(args, strlen(args) + 1,
	                                       "ram_quota", buf, sizeof buf),
	                 ARG_OK);
	assert_string_equal(buf, "16K");
}

static void missing_tag_and_prefix_tag(void **state)
{
	char buf[16];
	uint64_t v;
	assert_int_equal(arg_string_get_string(args, strlen(args) + 1, "nope",
	                                       buf, sizeof buf),
	                 ARG_ERR_NOT_FOUND);
	/* "ram" is a prefix of "ram_quota", not the same tag */
	assert_int_equal(arg_string_get_size(args, strlen(args) + 1, "ram", &v),
	                 ARG_ERR_NOT_FOUND);
}

static void gets_numbers_and_sizes(void **state)
{
	uint64_t v = 0;
	assert_int_equal(arg_string_get_size(args, strlen(args) + 1,
	                                     "ram_quota", &v),
	                 ARG_OK);
	assert_int_equal(v, 16384);
	assert_int_equal(arg_string_get_unsigned(args, strlen(args) + 1,
	                                         "cap_quota", &v),
	                 ARG_OK);
	assert_int_equal(v, 16);
	/* K is a size suffix, not a digit */
	assert_int_equal(arg_string_get_unsigned(args, strlen(args) + 1,
	                                         "ram_quota", &v),
	                 ARG_ERR_NOT_A_NUMBER);
	const char *s = "a=2M, b=3G, c=1g, d=7";
	assert_int_equal(arg_string_get_size(s, strlen(s) + 1, "a", &v),
	                 ARG_OK);
	assert_int_equal(v, 2u << 20);
	assert_int_equal(arg_string_get_size(s, strlen(s) + 1, "b", &v),
	                 ARG_OK);
	assert_int_equal(v, 3ull << 30);
	assert_int_equal(arg_string_get_size(s, strlen(s) + 1, "c", &v),
	                 ARG_OK);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(arg_string_get_size(s, strlen(s) + 1, "d", &v),
	                 ARG_OK);
	assert_int_equal(v, 7);
}

static void bad_numbers(void **state)
{
	const char *s = "a=18446744073709551616, b=17179869184G, c=12ab, "
			"d=\"5\", e=0x, f=18446744073709551615";
	size_t n = strlen(s) + 1;
	uint64_t v = 99;
	assert_int_equal(arg_string_get_unsigned(s, n, "a", &v), ARG_ERR_RANGE);
	assert_int_equal(arg_string_get_size(s, n, "b", &v), ARG_ERR_RANGE);
	assert_int_equal(arg_string_get_size(s, n, "c", &v),
	                 ARG_ERR_NOT_A_NUMBER);
	assert_int_equal(arg_string_get_size(s, n, "d", &v),
	                 ARG_ERR_NOT_A_NUMBER);
	assert_int_equal(arg_string_get_size(s, n, "e", &v),
	                 ARG_ERR_NOT_A_NUMBER);
	assert_int_equal(v, 99); /* untouched on failure */
	assert_int_equal(arg_string_get_unsigned(s, n, "f", &v), ARG_OK);
	assert_true(v == UINT64_MAX);
}

static void malformed_strings_are_errors(void **state)
{
	const char *bad[] = {
		"label=\"unterminated, ram_quota=1",
		"=5",
		"a=1,,b=2",
		"a=1,",
		"a=",
		"a",
		" , ",
		"1a=2",
		"a=1, b",
		"a=1, =2",
		"a= ,b=1",
		"\"x\"=1",
		"a=1,\"",
		"a=\"x\",",
	};
	char buf[16];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t n = strlen(bad[i]) + 1;
		int expect = ARG_ERR_MALFORMED;
		assert_int_equal(arg_string_validate(bad[i], n), expect);
		assert_int_equal(arg_string_get_string(bad[i], n, "a", buf,
		                                       sizeof buf),
		                 expect);
	}
}

static void values_may_hold_spaces_and_equals(void **state)
{
	const char *s = "a=x y = z, b=1";
	char buf[16];
	assert_int_equal(arg_string_get_string(s, strlen(s) + 1, "a", buf,
	                                       sizeof buf),
	                 ARG_OK);
	assert_string_equal(buf, "x y = z");
}

static void empty_string_has_no_arguments(void **state)
{
	char buf[8];
	assert_int_equal(arg_string_validate("", 1), ARG_OK);
	assert_int_equal(arg_string_validate("   ", 4), ARG_OK);
	assert_int_equal(arg_string_get_string("", 1, "a", buf, sizeof buf),
	                 ARG_ERR_NOT_FOUND);
}

static void unterminated_buffer_is_refused(void **state)
{
	char raw[8];
	memcpy(raw, "a=123456", 8); /* no NUL within 8 bytes */
	uint64_t v;
	assert_int_equal(arg_string_validate(raw, sizeof raw),
	                 ARG_ERR_UNTERMINATED);
	assert_int_equal(arg_string_get_unsigned(raw, sizeof raw, "a", &v),
	                 ARG_ERR_UNTERMINATED);
	assert_int_equal(arg_string_remove(raw, sizeof raw, "a"),
	                 ARG_ERR_UNTERMINATED);
	assert_int_equal(arg_string_set(raw, sizeof raw, "b", "1"),
	                 ARG_ERR_UNTERMINATED);
	assert_int_equal(arg_string_validate(NULL, 8), ARG_ERR_UNTERMINATED);
}

static void output_buffer_too_small(void **state)
{
	char buf[5] = "zzzz";
	assert_int_equal(arg_string_get_string(args, strlen(args) + 1, "label",
	                                       buf, sizeof buf),
	                 ARG_ERR_NO_SPACE);
	assert_string_equal(buf, "");
	assert_int_equal(arg_string_get_string(args, strlen(args) + 1, "name",
	                                       buf, 5),
	                 ARG_ERR_NO_SPACE);
	char fits[6];
	assert_int_equal(arg_string_get_string(args, strlen(args) + 1, "name",
	                                       fits, sizeof fits),
	                 ARG_OK);
	assert_string_equal(fits, "timer");
}

static void set_appends_and_replaces(void **state)
{
	char s[64] = "ram_quota=4K, label=\"x\"";
	assert_int_equal(arg_string_set(s, sizeof s, "cap_quota", "3"), ARG_OK);
	assert_string_equal(s, "ram_quota=4K, label=\"x\", cap_quota=3");
	assert_int_equal(arg_string_set(s, sizeof s, "ram_quota", "8K"),
	                 ARG_OK);
	assert_string_equal(s, "label=\"x\", cap_quota=3, ram_quota=8K");
	uint64_t v;
	assert_int_equal(arg_string_get_size(s, sizeof s, "ram_quota", &v),
	                 ARG_OK);
	assert_int_equal(v, 8192);
	assert_int_equal(arg_string_set_unsigned(s, sizeof s, "cap_quota", 12),
	                 ARG_OK);
	assert_string_equal(s, "label=\"x\", ram_quota=8K, cap_quota=12");

	char e[16] = "";
	assert_int_equal(arg_string_set(e, sizeof e, "a", "1"), ARG_OK);
	assert_string_equal(e, "a=1");
}

static void set_removes_duplicates(void **state)
{
	char s[64] = "a=1, b=2, a=3";
	assert_int_equal(arg_string_set(s, sizeof s, "a", "4"), ARG_OK);
	assert_string_equal(s, "b=2, a=4");
}

static void set_quoted_escapes(void **state)
{
	char s[64] = "a=1";
	assert_int_equal(arg_string_set_quoted(s, sizeof s, "label",
	                                       "x, \"y\" \\z"),
	                 ARG_OK);
	assert_string_equal(s, "a=1, label=\"x, \\\"y\\\" \\\\z\"");
	char buf[32];
	assert_int_equal(arg_string_get_string(s, sizeof s, "label", buf,
	                                       sizeof buf),
	                 ARG_OK);
	assert_string_equal(buf, "x, \"y\" \\z");
}

static void set_refuses_bad_input_and_keeps_string(void **state)
{
	char s[20] = "a=1, b=2";
	assert_int_equal(arg_string_set(s, sizeof s, "", "1"), ARG_ERR_BAD_TAG);
	assert_int_equal(arg_string_set(s, sizeof s, "x y", "1"),
	                 ARG_ERR_BAD_TAG);
	assert_int_equal(arg_string_set(s, sizeof s, "c", ""),
	                 ARG_ERR_BAD_VALUE);
	assert_int_equal(arg_string_set(s, sizeof s, "c", "1,2"),
	                 ARG_ERR_BAD_VALUE);
	assert_int_equal(arg_string_set(s, sizeof s, "c", "\"open"),
	                 ARG_ERR_BAD_VALUE);
	assert_int_equal(arg_string_set(s, sizeof s, "c", " 1"),
	                 ARG_ERR_BAD_VALUE);
	assert_int_equal(arg_string_set(s, sizeof s, "c", NULL),
	                 ARG_ERR_BAD_VALUE);
	/* "a=1, b=2, c=123456789" needs 22 bytes */
	assert_int_equal(arg_string_set(s, sizeof s, "c", "123456789"),
	                 ARG_ERR_NO_SPACE);
	assert_string_equal(s, "a=1, b=2");
	/* replacing a value frees room: "b=2, a=1234567890" is 18 + 1 */
	assert_int_equal(arg_string_set(s, sizeof s, "a", "1234567890"),
	                 ARG_OK);
	assert_string_equal(s, "b=2, a=1234567890");

	char m[20] = "a=\"open, b=2";
	assert_int_equal(arg_string_set(m, sizeof m, "c", "1"),
	                 ARG_ERR_MALFORMED);
	assert_string_equal(m, "a=\"open, b=2");
}

static void remove_every_position(void **state)
{
	char s[64] = "  a=1, b=\"x,y\" ,c=3";
	assert_int_equal(arg_string_remove(s, sizeof s, "b"), ARG_OK);
	assert_string_equal(s, "a=1 ,c=3");
	assert_int_equal(arg_string_remove(s, sizeof s, "a"), ARG_OK);
	assert_string_equal(s, "c=3");
	assert_int_equal(arg_string_remove(s, sizeof s, "c"), ARG_OK);
	assert_string_equal(s, "");
	assert_int_equal(arg_string_remove(s, sizeof s, "c"),
	                 ARG_ERR_NOT_FOUND);

	char d[32] = "x=1, y=2, x=3";
	assert_int_equal(arg_string_remove(d, sizeof d, "x"), ARG_OK);
	assert_string_equal(d, "y=2");
	char keep[32] = "  y=2";
	assert_int_equal(arg_string_remove(keep, sizeof keep, "x"),
	                 ARG_ERR_NOT_FOUND);
	assert_string_equal(keep, "  y=2");
	assert_int_equal(arg_string_remove(keep, sizeof keep, "1x"),
	                 ARG_ERR_BAD_TAG);
}

/* Random byte strings and random mutations of a valid string: every
 * operation must return (an error or success) inside the buffer. */
static void random_input_never_crashes(void **state)
{
	static const char alphabet[] = "ab=,\" \\xK09_\t";
	srand(4711);
	for (int round = 0; round < 20000; round++) {
		size_t size = 1 + (size_t)rand() % 40;
		char *buf = malloc(size);
		assert_non_null(buf);
		for (size_t i = 0; i < size; i++) {
			int r = rand();
			buf[i] = (r & 1) ? alphabet[r %
			                            (int)(sizeof alphabet - 1)]
			                 : (char)(r >> 8);
		}
		if (round & 1)
			buf[size - 1] = '\0';
		char out[8];
		uint64_t v;
		int r = arg_string_validate(buf, size);
		assert_true(r == ARG_OK || r == ARG_ERR_MALFORMED ||
		            r == ARG_ERR_UNTERMINATED);
		arg_string_get_string(buf, size, "a", out, sizeof out);
		arg_string_get_size(buf, size, "b", &v);
		arg_string_set(buf, size, "a", "\"v,w\"");
		arg_string_set_quoted(buf, size, "b", "q\"");
		arg_string_remove(buf, size, "a");
		/* whatever succeeded left a valid string behind */
		if (r == ARG_OK)
			assert_int_equal(arg_string_validate(buf, size),
			                 ARG_OK);
		free(buf);
	}
}

static void errors_have_words(void **state)
{
	assert_string_equal(runtime_strerror(ARG_ERR_NOT_FOUND),
	                    "no argument with this tag");
	assert_string_equal(runtime_strerror(RUNTIME_ERR_ARG_BASE +
	                                     RUNTIME_ERR_SPAN - 1),
	                    "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gets_strings),
		cmocka_unit_test(missing_tag_and_prefix_tag),
		cmocka_unit_test(gets_numbers_and_sizes),
		cmocka_unit_test(bad_numbers),
		cmocka_unit_test(malformed_strings_are_errors),
		cmocka_unit_test(values_may_hold_spaces_and_equals),
		cmocka_unit_test(empty_string_has_no_arguments),
		cmocka_unit_test(unterminated_buffer_is_refused),
		cmocka_unit_test(output_buffer_too_small),
		cmocka_unit_test(set_appends_and_replaces),
		cmocka_unit_test(set_removes_duplicates),
		cmocka_unit_test(set_quoted_escapes),
		cmocka_unit_test(set_refuses_bad_input_and_keeps_string),
		cmocka_unit_test(remove_every_position),
		cmocka_unit_test(random_input_never_crashes),
		cmocka_unit_test(errors_have_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
