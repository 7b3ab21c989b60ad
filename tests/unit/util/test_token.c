/*
 * Unit tests of the tokenizer (runtime/token.h): each token type, quoted
 * strings with escapes, unterminated strings, and the bound on the text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/token.h>

#include <string.h>

static void splits_mixed_text(void **state)
{
	const char *text = "ram_quota = 16K, label=\"a, b\";";
	enum token_type expect[] = {
		TOKEN_IDENT,      TOKEN_WHITESPACE, TOKEN_DELIM,
		TOKEN_WHITESPACE, TOKEN_NUMBER,     TOKEN_DELIM,
		TOKEN_WHITESPACE, TOKEN_IDENT,      TOKEN_DELIM,
		TOKEN_STRING,     TOKEN_DELIM,      TOKEN_END,
	};
	struct token t = token_first(text, strlen(text));
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		assert_int_equal(t.type, expect[i]);
		t = token_next(t);
	}
	assert_int_equal(t.type, TOKEN_END);
	assert_int_equal(token_next(t).type, TOKEN_END);
}

static void token_text_and_copy(void **state)
{
	const char *text = "0x1f rest";
	struct token t = token_first(text, strlen(text));
	assert_int_equal(t.type, TOKEN_NUMBER);
	assert_true(token_equals(t, "0x1f"));
	assert_false(token_equals(t, "0x1"));
	char buf[5];
	assert_int_equal(token_copy(t, buf, sizeof buf), 4);
	assert_string_equal(buf, "0x1f");
	assert_int_equal(token_copy(t, buf, 4), -1);
	assert_string_equal(buf, "");
	t = token_skip_whitespace(token_next(t));
	assert_true(token_equals(t, "rest"));
}

static void quoted_string_with_escapes(void **state)
{
	const char *text = "\"say \\\"hi\\\", c:\\\\\" tail";
	struct token t = token_first(text, strlen(text));
	assert_int_equal(t.type, TOKEN_STRING);
	char buf[32];
	assert_int_equal(token_copy_unquoted(t, buf, sizeof buf), 13);
	assert_string_equal(buf, "say \"hi\", c:\\");
	assert_int_equal(token_copy_unquoted(t, buf, 5), -1);
	assert_string_equal(buf, "");
	t = token_next(t);
	assert_int_equal(t.type, TOKEN_WHITESPACE);
}

static void unterminated_string_is_flagged(void **state)
{
	const char *text = "\"never closed, x=1";
	struct token t = token_first(text, strlen(text));
	assert_int_equal(t.type, TOKEN_UNTERMINATED);
	assert_int_equal(t.len, strlen(text));
	char buf[64];
	assert_int_equal(token_copy_unquoted(t, buf, sizeof buf), -1);
	assert_int_equal(token_next(t).type, TOKEN_END);
}

static void escaped_final_quote_does_not_close(void **state)
{
	const char *text = "\"abc\\\"";
	assert_int_equal(token_first(text, strlen(text)).type,
	                 TOKEN_UNTERMINATED);
}

static void bound_is_respected(void **state)
{
	/* the text is not terminated: scanning must stop at max_len */
	char raw[6] = { 'a', 'b', 'c', ' ', '"', 'x' };
	struct token t = token_first(raw, sizeof raw);
	assert_int_equal(t.type, TOKEN_IDENT);
	assert_int_equal(t.len, 3);
	t = token_next(token_next(t));
	assert_int_equal(t.type, TOKEN_UNTERMINATED);
	assert_int_equal(t.len, 2);
	assert_int_equal(token_next(t).type, TOKEN_END);
	assert_int_equal(token_first(raw, 0).type, TOKEN_END);
	assert_int_equal(token_first(NULL, 10).type, TOKEN_END);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(splits_mixed_text),
		cmocka_unit_test(token_text_and_copy),
		cmocka_unit_test(quoted_string_with_escapes),
		cmocka_unit_test(unterminated_string_is_flagged),
		cmocka_unit_test(escaped_final_quote_does_not_close),
		cmocka_unit_test(bound_is_respected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
