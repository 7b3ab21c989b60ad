/*
 * The tokenizer of runtime/token.h. Each token type has a small scanner
 * that measures how far the token reaches, bounded by the characters that
 * remain in the text.
 */
#include <runtime/token.h>

#include <string.h>

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Length of the quoted string at s[0] == '"', or 0 when it is not closed
 * within n characters. */
static size_t quoted_len(const char *s, size_t n)
{
	for (size_t i = 1; i < n && s[i]; i++) {
		if (s[i] == '\\' && i + 1 < n &&
		    (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

static size_t run_len(const char *s, size_t n, bool (*in_run)(char))
{
	size_t i = 1;
	while (i < n && s[i] && in_run(s[i]))
		i++;
	return i;
}

static bool in_ident(char c)
{
	return is_alpha(c) || is_digit(c);
}
static bool in_number(char c)
{
	return is_alpha(c) || is_digit(c) || c == '.';
}

/* Measures the token that starts at s (with n characters left). */
static struct token scan(const char *s, size_t n)
{
	struct token t = {
		.start = s, .len = 0, .remaining = n, .type = TOKEN_END
	};
	if (n == 0 || s[0] == '\0')
		return t;
	char c = s[0];
	if (is_alpha(c)) {
		t.type = TOKEN_IDENT;
		t.len = run_len(s, n, in_ident);
	} else if (is_digit(c)) {
		t.type = TOKEN_NUMBER;
		t.len = run_len(s, n, in_number);
	} else if (is_space(c)) {
		t.type = TOKEN_WHITESPACE;
		t.len = run_len(s, n, is_space);
	} else if (c == '"') {
		t.len = quoted_len(s, n);
		t.type = TOKEN_STRING;
		if (t.len == 0) {
			t.type = TOKEN_UNTERMINATED;
			t.len = strnlen(s, n);
		}
	} else {
		t.type = TOKEN_DELIM;
		t.len = 1;
	}
	return t;
}

struct token token_first(const char *text, size_t max_len)
{
	return scan(text, text ? max_len : 0);
}

struct token token_next(struct token t)
{
	if (t.type == TOKEN_END)
		return t;
	return scan(t.start + t.len, t.remaining - t.len);
}

struct token token_skip_whitespace(struct token t)
{
	return t.type == TOKEN_WHITESPACE ? token_next(t) : t;
}

bool token_equals(struct token t, const char *text)
{
	return strlen(text) == t.len && memcmp(t.start, text, t.len) == 0;
}

int token_copy(struct token t, char *dst, size_t size)
{
	if (size == 0)
		return -1;
	if (t.len >= size) {
		dst[0] = '\0';
		return -1;
	}
	memcpy(dst, t.start, t.len);
	dst[t.len] = '\0';
	return (int)t.len;
}

int token_copy_unquoted(struct token t, char *dst, size_t size)
{
	if (size == 0)
		return -1;
	dst[0] = '\0';
	if (t.type != TOKEN_STRING)
		return -1;
	size_t out = 0;
	for (size_t i = 1; i + 1 < t.len; i++) {
		char c = t.start[i];
		if (c == '\\' && i + 2 < t.len &&
		    (t.start[i + 1] == '"' || t.start[i + 1] == '\\'))
			c = t.start[++i];
		if (out + 1 >= size) {
			dst[0] = '\0';
			return -1;
		}
		dst[out++] = c;
	}
	dst[out] = '\0';
	return (int)out;
}
