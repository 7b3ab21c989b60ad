/*
 * The line splitter of domain output (output_lines.h): bytes are
 * collected until '\n' or until the line is full; a line is made
 * printable (printable.h) as it is handed out, so that a pending line
 * keeps its raw bytes (a UTF-8 character may arrive in two reads).
 */
#include "output_lines.h"
#include "printable.h"

#include <string.h>

void output_lines_init(struct output_lines *lines)
{
	lines->len = 0;
}

static void emit_line(const char *raw, size_t n, output_line_fn *emit,
                      void *arg)
{
	char line[OUTPUT_LINE_MAX + 1];
	memcpy(line, raw, n);
	line[printable_sanitize(line, n)] = '\0';
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
		if (printable_lead_length(c) > k &&
		    printable_valid_prefix(s + lines->len - k, k) == k)
			return k;
		if ((c & 0xc0) != 0x80)
			return 0; /* ASCII or a complete character's lead */
	}
	return 0;
}

/* The pending line is full and goes on: hands out what fits. */
static void split(struct output_lines *lines, output_line_fn *emit, void *arg)
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
