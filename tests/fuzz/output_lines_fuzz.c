/*
 * Fuzz target of the line splitter and sanitizer of domain output
 * (core/output_lines.h): arbitrary bytes as a component's stderr. The
 * first byte chooses the size of the reads the rest arrives in. Every line
 * handed out must be within OUTPUT_LINE_MAX bytes, valid UTF-8 and free of
 * control characters, and the lines must not depend on where the reads
 * cut the stream: fed at once, the same bytes give the same lines.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <grow/grow.h>

#include "output_lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The lines of one run, joined with '\n'. */
struct lines_seen {
	char *text;
	size_t len, size;
};

/* Whether `line` is valid UTF-8 with no C0, DEL or C1 control. */
static int printable(const unsigned char *s)
{
	while (*s) {
		size_t n = *s < 0x80                  ? 1
		           : *s >= 0xc2 && *s <= 0xdf ? 2
		           : *s >= 0xe0 && *s <= 0xef ? 3
		           : *s >= 0xf0 && *s <= 0xf4 ? 4
		                                      : 0;
		if (n == 0 || *s < 0x20 || *s == 0x7f ||
		    (s[0] == 0xc2 && s[1] < 0xa0))
			return 0;
		for (size_t i = 1; i < n; i++)
			if ((s[i] & 0xc0) != 0x80)
				return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) ||
		    (s[0] == 0xed && s[1] > 0x9f) ||
		    (s[0] == 0xf0 && s[1] < 0x90) ||
		    (s[0] == 0xf4 && s[1] > 0x8f))
			return 0;
		s += n;
	}
	return 1;
}

static void collect(void *arg, const char *line)
{
	struct lines_seen *seen = arg;
	size_t len = strlen(line);
	if (len > OUTPUT_LINE_MAX || !printable((const unsigned char *)line))
		abort();
	char *grown = grow_array(seen->text, &seen->size, seen->len + len + 1,
	                         1);
	if (!grown)
		abort();
	seen->text = grown;
	memcpy(seen->text + seen->len, line, len);
	seen->len += len;
	seen->text[seen->len++] = '\n';
}

static void run(const uint8_t *data, size_t size, size_t chunk,
                struct lines_seen *seen)
{
	struct output_lines lines;
	output_lines_init(&lines);
	for (size_t at = 0; at < size; at += chunk)
		output_lines_feed(&lines, data + at,
		                  size - at < chunk ? size - at : chunk,
		                  collect, seen);
	output_lines_finish(&lines, collect, seen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t chunk = (size_t)data[0] % 64 + 1;
	struct lines_seen in_reads = { 0 }, at_once = { 0 };
	run(data + 1, size - 1, chunk, &in_reads);
	run(data + 1, size - 1, size, &at_once);
	if (in_reads.len != at_once.len ||
	    (in_reads.len && memcmp(in_reads.text, at_once.text, in_reads.len)))
		abort();
	free(in_reads.text);
	free(at_once.text);
	return 0;
}
