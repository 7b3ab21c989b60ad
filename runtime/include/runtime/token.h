/*
 * Token: a tokenizer for structured text such as session argument strings
 * (Genode's Token). A token is a view into the caller's text, never a copy:
 * its start, its length and its type. Scanning never reads past the end of
 * the text, which is the first NUL or `max_len` characters, whichever comes
 * first, so unterminated input is safe.
 *
 * Token types:
 *   TOKEN_IDENT        a letter or '_', then letters, digits, '_'
 *   TOKEN_NUMBER       a digit, then letters, digits, '.' (12, 0x1f, 16K)
 *   TOKEN_STRING       "..." with \" and \\ as escapes, quotes included
 *   TOKEN_UNTERMINATED a '"' whose closing quote never comes (an error)
 *   TOKEN_DELIM        any other single printable character (= , ; ...)
 *   TOKEN_WHITESPACE   a run of space, tab, CR, LF
 *   TOKEN_END          the end of the text
 */
#ifndef RUNTIME_TOKEN_H
#define RUNTIME_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

enum token_type {
	TOKEN_END,
	TOKEN_IDENT,
	TOKEN_NUMBER,
	TOKEN_STRING,
	TOKEN_UNTERMINATED,
	TOKEN_DELIM,
	TOKEN_WHITESPACE,
};

struct token {
	const char *start; /* first character of the token */
	size_t len;        /* characters in the token */
	size_t remaining;  /* characters from start to the end of the text */
	enum token_type type;
};

/* The first token of text[0..max_len). */
struct token token_first(const char *text, size_t max_len);

/* The token after `t` (TOKEN_END stays TOKEN_END). */
struct token token_next(struct token t);

/* `t` itself, or the token after it when `t` is whitespace. */
struct token token_skip_whitespace(struct token t);

/* Whether the token's text is exactly `text`. */
bool token_equals(struct token t, const char *text);

/* Copies the token's raw text into dst[size], terminated. Returns its length
 * or -1 when it does not fit (dst then holds the empty string). */
int token_copy(struct token t, char *dst, size_t size);

/* For a TOKEN_STRING: copies the content between the quotes, with escapes
 * resolved, into dst[size]. Returns its length, or -1 when the token is no
 * complete string or the content does not fit (dst then holds ""). */
int token_copy_unquoted(struct token t, char *dst, size_t size);

#endif /* RUNTIME_TOKEN_H */
