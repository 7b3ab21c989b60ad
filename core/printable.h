/*
 * Printable text: the one rule by which core turns bytes a component
 * chose (a LOG line, a line of its stdout or stderr, its label) into text
 * that is safe on a terminal and in a log file, so that no component can
 * move the cursor, clear the screen or forge another's line:
 *   - control characters (C0, DEL, and C1 in UTF-8 form) become '?';
 *   - every byte that is not part of a valid UTF-8 character (NUL
 *     included; overlong forms, surrogates, code points above U+10FFFF)
 *     becomes '?', one per byte;
 *   - valid UTF-8 characters stay as they are.
 * The result is never longer than the input.
 */
#ifndef CORE_PRINTABLE_H
#define CORE_PRINTABLE_H

#include <stddef.h>

/* Makes the n bytes at text printable, in place; returns the new length
 * (<= n). text[result] is not written: callers terminate it. */
size_t printable_sanitize(char *text, size_t n);

/* How long the UTF-8 character is that byte c starts: 2..4, or 0 when c
 * starts none (ASCII, a continuation byte, or a byte UTF-8 never uses). */
size_t printable_lead_length(unsigned char c);

/* How many of the n bytes at s belong to the UTF-8 character started at
 * s[0], up to its full length; 0 if s[0] starts none or a byte breaks it. */
size_t printable_valid_prefix(const unsigned char *s, size_t n);

#endif
