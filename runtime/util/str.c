/*
 * Bounded string formatting and helpers of runtime/str.h. Formatting uses
 * the C library's vsnprintf, which is bounded already; this file turns its
 * "would have written n" result into an explicit truncation error and
 * guards the size arguments.
 */
#include <runtime/str.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

int str_vformat(char *buf, size_t size, const char *fmt, va_list args)
{
	if (!buf || size == 0 || !fmt)
		return STR_ERR_INVALID;
	int n = vsnprintf(buf, size, fmt, args); // NOLINT(clang-analyzer-valist.Uninitialized): the va_list is started with va_start before this call
	if (n < 0) {
		buf[0] = '\0';
		return STR_ERR_INVALID;
	}
	if ((size_t)n >= size)
		return STR_ERR_TRUNCATED;
	return n;
}

int str_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	int r = str_vformat(buf, size, fmt, args);
	va_end(args);
	return r;
}

int str_append_format(char *buf, size_t size, const char *fmt, ...)
{
	if (!buf || size == 0)
		return STR_ERR_INVALID;
	size_t used = str_length(buf, size);
	if (used == size)
		return STR_ERR_INVALID; /* not terminated within size */
	if (used == size - 1)
		return fmt && fmt[0] ? STR_ERR_TRUNCATED : (int)used;
	va_list args;
	va_start(args, fmt);
	int r = str_vformat(buf + used, size - used, fmt, args);
	va_end(args);
	if (r < 0)
		return r;
	if (used + (size_t)r > INT_MAX)
		return STR_ERR_TRUNCATED;
	return (int)(used + (size_t)r);
}

int str_copy(char *dst, const char *src, size_t size)
{
	if (!dst || size == 0 || !src)
		return STR_ERR_INVALID;
	size_t len = str_length(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return STR_ERR_TRUNCATED;
	}
	memcpy(dst, src, len + 1);
	return len > INT_MAX ? STR_ERR_TRUNCATED : (int)len;
}

size_t str_length(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int str_compare(const char *a, const char *b, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		unsigned char ca = (unsigned char)a[i],
			      cb = (unsigned char)b[i];
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (!ca)
			return 0;
	}
	return 0;
}

int str_starts_with(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return str_compare(s, prefix, n) == 0;
}
