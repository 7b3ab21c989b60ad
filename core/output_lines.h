/*
 * Output lines: turns the raw bytes a protection domain writes to its
 * standard output or error into log lines that are safe to print (core/
 * README.md, "Standard output and error"). The reader of the domains'
 * pipes (domain_output.h) keeps one splitter per pipe and feeds it what
 * each read() returns; this unit knows nothing of pipes or threads.
 *
 * Rules, so that a component cannot forge a line of another nor break the
 * log with the bytes it writes:
 *   - a line ends at '\n' (not part of the line); an empty line is a line;
 *   - a line longer than OUTPUT_LINE_MAX bytes is split into pieces of at
 *     most OUTPUT_LINE_MAX bytes, never inside a UTF-8 character;
 *   - at the end of the stream a pending partial line is a line;
 *   - control characters (C0, DEL, and C1 in UTF-8 form) become '?', as
 *     the LOG service shows them; so does every byte that is not part of a
 *     valid UTF-8 character (NUL included), one '?' per byte.
 * A line handed out is NUL-terminated, at most OUTPUT_LINE_MAX bytes.
 */
#ifndef CORE_OUTPUT_LINES_H
#define CORE_OUTPUT_LINES_H

#include <stddef.h>

/* A line's bytes before it is split; with a marker and a label it still
 * fits a LOG line (log.rpc) and target_log()'s buffer. */
#define OUTPUT_LINE_MAX 960

/* Called for each line, sanitized and NUL-terminated. */
typedef void output_line_fn(void *arg, const char *line);

struct output_lines {
	size_t len; /* bytes of the pending partial line */
	char pending[OUTPUT_LINE_MAX];
};

void output_lines_init(struct output_lines *lines);

/* Takes `size` bytes of the stream; emits every line they complete. */
void output_lines_feed(struct output_lines *lines, const void *data,
                       size_t size, output_line_fn *emit, void *arg);

/* The end of the stream: emits the pending partial line, if any. */
void output_lines_finish(struct output_lines *lines, output_line_fn *emit,
                         void *arg);

#endif
