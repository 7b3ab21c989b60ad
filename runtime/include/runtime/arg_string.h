/*
 * Arg_string: session arguments as Genode writes them, a comma-separated
 * sequence of `tag=value` assignments:
 *
 *     label="init -> hello", ram_quota=16K, cap_quota=10
 *
 * A tag is an identifier. A value is everything up to the next comma that
 * is not inside a quoted string; quoted values ("...", with \" and \\ as
 * escapes) may contain commas. Whitespace around tags, '=' and values is
 * ignored. The empty string has no arguments.
 *
 * Every operation takes the size of the caller's buffer and stays inside
 * it: a string that is not terminated within that size, a missing tag or
 * value, a missing '=', an unterminated quote or a trailing comma is
 * ARG_ERR_MALFORMED or ARG_ERR_UNTERMINATED, never a crash. Operations that
 * change the string leave it untouched when they fail.
 */
#ifndef RUNTIME_ARG_STRING_H
#define RUNTIME_ARG_STRING_H

#include <runtime/error.h>
#include <stddef.h>
#include <stdint.h>

enum arg_err {
	ARG_OK = 0,
	ARG_ERR_NOT_FOUND = RUNTIME_ERR_ARG_BASE,
	/* no argument with this tag */
	ARG_ERR_MALFORMED,    /* the argument string breaks the syntax */
	ARG_ERR_UNTERMINATED, /* no terminating NUL within the buffer */
	ARG_ERR_NO_SPACE,     /* the result does not fit the buffer */
	ARG_ERR_NOT_A_NUMBER, /* the value is no (suffixed) number */
	ARG_ERR_RANGE,        /* the number does not fit 64 bits */
	ARG_ERR_BAD_TAG,      /* a tag given to set/remove is no identifier */
	ARG_ERR_BAD_VALUE,    /* a value given to set is empty, has a
	                               comma outside quotes or an open quote */
};

/* ARG_OK when args[0..size) is a well-formed argument string. */
int arg_string_validate(const char *args, size_t size);

/* Copies the value of `tag` into dst[dst_size]. A quoted value is
 * unquoted (escapes resolved); any other value is copied as written.
 * ARG_ERR_NO_SPACE when it does not fit (dst then holds ""). */
int arg_string_get_string(const char *args, size_t size, const char *tag,
                          char *dst, size_t dst_size);

/* The value of `tag` as an unsigned number: decimal or 0x-hexadecimal. */
int arg_string_get_unsigned(const char *args, size_t size, const char *tag,
                            uint64_t *value);

/* Like arg_string_get_unsigned(), and the number may end in K, M or G
 * (binary multiples: 16K is 16384), as in ram_quota=16M. */
int arg_string_get_size(const char *args, size_t size, const char *tag,
                        uint64_t *value);

/* Sets `tag` to `value`, which is taken as written (a number, a word, or a
 * quoted string): every existing assignment of `tag` is removed and
 * `tag=value` appended. */
int arg_string_set(char *args, size_t size, const char *tag, const char *value);

/* Sets `tag` to the text `text`, quoting it and escaping '"' and '\'. */
int arg_string_set_quoted(char *args, size_t size, const char *tag,
                          const char *text);

/* Sets `tag` to a decimal number. */
int arg_string_set_unsigned(char *args, size_t size, const char *tag,
                            uint64_t value);

/* Removes every assignment of `tag`. ARG_ERR_NOT_FOUND when there was none. */
int arg_string_remove(char *args, size_t size, const char *tag);

#endif /* RUNTIME_ARG_STRING_H */
