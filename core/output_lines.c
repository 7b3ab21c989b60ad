/*
 * The line splitter and sanitizer of domain output (output_lines.h): bytes
 * are collected until '\n' or until the line is full; a line is sanitized
 * as it is handed out, so that a pending line keeps its raw bytes (a UTF-8
 * character may arrive in two reads).
 */
#include "output_lines.h"

#include <string.h>

void output_lines_init(struct output_lines *lines)
{
	lines->len = 0;
}

/* How long the UTF-8 character is that byte c starts: 2..4, or 0 when c
 * starts none (ASCII, a continuation byte, or a byte UTF-8 never uses). */
static size_t lead_length(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Whether b may follow the lead byte: a continuation byte, narrowed after
 * some leads so that overlong forms, surrogates and code points above
 * U+10FFFF are refused. */
static int may_follow(unsigned char lead, unsigned char b)
{
	switch (lead) {
	case 0xe0: return b >= 0xa0 && b <= 0xbf;
	case 0xed: return b >= 0x80 && b <= 0x9f;
	case 0xf0: return b >= 0x90 && b <= 0xbf;
	case 0xf4: return b >= 0x80 && b <= 0x8f;
	default:   return b >= 0x80 && b <= 0xbf;
	}
}

/* How many of the n bytes at s belong to the UTF-8 character started at
 * s[0], up to its full length; 0 if s[0] starts none or a byte breaks it. */
static size_t valid_prefix(const unsigned char *s, size_t n)
{
	size_t want = lead_length(s[0]);
	if (want == 0)
		return 0;
	size_t i = 1;
	for (; i < want && i < n; i++) {
		int ok = i == 1 ? may_follow(s[0], s[1]) : (s[i] & 0xc0) == 0x80;
		if (!ok)
			return 0;
	}
	return i;
}

/* Copies n raw bytes to out (room for n + 1) as a printable line. */
static void sanitize(const unsigned char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : lead_length(c);
		if (c < 0x80) {
			out[o++] = (char)(c < 0x20 || c == 0x7f ? '?' : c);
		} else if (len == 0 || valid_prefix(s + i, n - i) != len) {
			out[o++] = '?';
			len = 1;
		} else if (c == 0xc2 && s[i + 1] < 0xa0) {
			out[o++] = '?';   /* a C1 control character, U+0080..U+009F */
		} else {
			memcpy(out + o, s + i, len);
			o += len;
		}
		i += len;
	}
	out[o] = '\0';
}

static void emit_line(const char *raw, size_t n, output_line_fn *emit,
                      void *arg)
{
	char line[OUTPUT_LINE_MAX + 1];
	sanitize((const unsigned char *)raw, n, line);
	emit(arg, line);
}

/* How many bytes at the end of the full pending line are the valid start
 * of a UTF-8 character that is not complete yet (0..3): they move to the
 * next piece, so that a split never cuts a character. */
static size_t incomplete_tail(const struct output_lines *lines)
{
	const unsigned char *s = (const unsigned char *)lines->pending;
	for (size_t k = 1; k <= 3 && k <= lines->len; k++) {
		unsigned char c = s[lines->len - k];
		if (lead_length(c) > k &&
		    valid_prefix(s + lines->len - k, k) == k)
			return k;
		if ((c & 0xc0) != 0x80)
			return 0;   /* ASCII or a complete character's lead */
	}
	return 0;
}

/* The pending line is full and goes on: hands out what fits. */
static void split(struct output_lines *lines, output_line_fn *emit,
                  void *arg)
{
	size_t carry = incomplete_tail(lines);
	size_t piece = lines->len - carry;
	emit_line(lines->pending, piece, emit, arg);
	memmove(lines->pending, lines->pending + piece, carry);
	lines->len = carry;
}

void output_lines_feed(struct output_lines *lines, const void *data,
                       size_t size, output_line_fn *emit, void *arg)
{
	const char *bytes = data;
	for (size_t i = 0; i < size; i++) {
		if (bytes[i] == '\n') {
			emit_line(lines->pending, lines->len, emit, arg);
			lines->len = 0;
			continue;
		}
		if (lines->len == OUTPUT_LINE_MAX)
			split(lines, emit, arg);
		lines->pending[lines->len++] = bytes[i];
	}
}

void output_lines_finish(struct output_lines *lines, output_line_fn *emit,
                         void *arg)
{
	if (lines->len > 0)
		emit_line(lines->pending, lines->len, emit, arg);
	lines->len = 0;
}
