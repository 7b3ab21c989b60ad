/*
 * Safe string handling for libruntime: bounded formatting into a fixed
 * buffer and bounded copy, compare and length helpers (Genode's
 * util/string.h and snprintf). Every function takes the size of the
 * destination buffer, never writes past it, always leaves a terminated
 * string when the size is at least 1, and says when the result was cut.
 */
#ifndef RUNTIME_STR_H
#define RUNTIME_STR_H

#include <runtime/error.h>
#include <stdarg.h>
#include <stddef.h>

enum str_err {
	STR_ERR_TRUNCATED = RUNTIME_ERR_STR_BASE,
	/* the result did not fit; a prefix was kept */
	STR_ERR_INVALID, /* no buffer (size 0 or NULL) or a bad format */
};

/* Formats like printf into buf[size]. Returns the length written (without
 * the terminator), STR_ERR_TRUNCATED when the text was cut to size - 1
 * characters, or STR_ERR_INVALID. */
int str_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int str_vformat(char *buf, size_t size, const char *fmt, va_list args)
	__attribute__((format(printf, 3, 0)));

/* Appends formatted text after the string already in buf[size] (which must
 * be terminated within size). Returns the new total length or an error as
 * str_format(); on truncation the buffer holds the cut text. */
int str_append_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Copies src into dst[size]. Returns the length copied, STR_ERR_TRUNCATED
 * when src was cut to size - 1 characters, or STR_ERR_INVALID. */
int str_copy(char *dst, const char *src, size_t size);

/* Length of s, but at most max (s need not be terminated within max). */
size_t str_length(const char *s, size_t max);

/* Compares at most max characters, like strncmp: < 0, 0, > 0. */
int str_compare(const char *a, const char *b, size_t max);

/* Whether s begins with prefix. */
int str_starts_with(const char *s, const char *prefix);

#endif /* RUNTIME_STR_H */
