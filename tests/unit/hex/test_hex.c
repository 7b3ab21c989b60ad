/*
 * Unit test of lib/hex (hex/hex.h): digits of both cases and nothing else,
 * encoding to lowercase with its NUL, a round trip of every byte value, and
 * the refusals of decoding (a non-digit anywhere, a text shorter than asked)
 * that leave the output untouched and never read past the text's NUL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hex/hex.h>

static void digits_of_both_cases(void **state)
{
	(void)state;
	assert_int_equal(hex_digit_value('0'), 0);
	assert_int_equal(hex_digit_value('9'), 9);
	assert_int_equal(hex_digit_value('a'), 10);
	assert_int_equal(hex_digit_value('F'), 15);
	const char *none = "gG/:@`\x7f \n";
	for (const char *c = none; *c; c++)
		assert_int_equal(hex_digit_value(*c), -1);
	assert_int_equal(hex_digit_value('\0'), -1);
	assert_int_equal(hex_digit_value((char)0xc3), -1);
}

static void every_byte_round_trips(void **state)
{
	uint8_t bytes[256], back[256];
	char text[2 * 256 + 1];

	(void)state;
	for (int i = 0; i < 256; i++)
		bytes[i] = (uint8_t)i;
	hex_encode(bytes, sizeof bytes, text);
	assert_int_equal(strlen(text), 512);
	assert_memory_equal(text, "000102", 6);
	assert_string_equal(text + 500, "fafbfcfdfeff");
	assert_true(hex_decode(text, sizeof back, back));
	assert_memory_equal(bytes, back, sizeof bytes);
}

static void uppercase_is_read(void **state)
{
	uint8_t out[2];

	(void)state;
	assert_true(hex_decode("AbCd", 2, out));
	assert_int_equal(out[0], 0xab);
	assert_int_equal(out[1], 0xcd);
}

static void refusals_leave_output_untouched(void **state)
{
	uint8_t out[4] = { 1, 2, 3, 4 };
	static const uint8_t before[4] = { 1, 2, 3, 4 };

	(void)state;
	assert_false(hex_decode("0011223x", 4, out)); /* last digit */
	assert_memory_equal(out, before, 4);
	assert_false(hex_decode("x0112233", 4, out)); /* first digit */
	assert_memory_equal(out, before, 4);
	assert_false(hex_decode("001122", 4, out)); /* short: stops at NUL */
	assert_memory_equal(out, before, 4);
	assert_false(hex_decode("", 1, out));
	assert_memory_equal(out, before, 4);
}

static void reads_no_further_than_asked(void **state)
{
	uint8_t out[1];

	(void)state;
	/* What follows the digits is the caller's to judge. */
	assert_true(hex_decode("7fzz", 1, out));
	assert_int_equal(out[0], 0x7f);
	assert_true(hex_decode("anything", 0, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(digits_of_both_cases),
		cmocka_unit_test(every_byte_round_trips),
		cmocka_unit_test(uppercase_is_read),
		cmocka_unit_test(refusals_leave_output_untouched),
		cmocka_unit_test(reads_no_further_than_asked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
