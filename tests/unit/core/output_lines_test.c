/*
 * Tests of the line splitter and sanitizer of domain output
 * (core/output_lines.h): lines that span reads, empty lines, the split of
 * an overlong line (never inside a UTF-8 character), the last line flushed
 * at the end of the stream, and what becomes '?': control characters,
 * C1 controls, NUL, bytes that are no UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "output_lines.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* The lines handed out, in order. */
struct seen {
	unsigned count;
	char lines[8][OUTPUT_LINE_MAX + 1];
};

/* Every line handed out: within the limit, valid UTF-8 (as the C
 * library's decoder sees it), no control character. */
static void collect(void *arg, const char *line)
{
	struct seen *seen = arg;
	assert_true(seen->count < 8);
	assert_true(strlen(line) <= OUTPUT_LINE_MAX);
	assert_true(mbstowcs(NULL, line, 0) != (size_t)-1);
	for (const unsigned char *c = (const unsigned char *)line; *c; c++)
		assert_true(*c >= 0x20 && *c != 0x7f &&
		            !(c[0] == 0xc2 && c[1] >= 0x80 && c[1] < 0xa0));
	strcpy(seen->lines[seen->count++], line);
}

/* A splitter and what it handed out; fresh for every test. */
struct run {
	struct output_lines lines;
	struct seen seen;
};

static int setup(void **state)
{
	static struct run run;
	memset(&run, 0, sizeof(run));
	output_lines_init(&run.lines);
	*state = &run;
	return 0;
}

static void feed(struct run *r, const char *bytes, size_t size)
{
	output_lines_feed(&r->lines, bytes, size, collect, &r->seen);
}

static void feed_text(struct run *r, const char *text)
{
	feed(r, text, strlen(text));
}

static void finish(struct run *r)
{
	output_lines_finish(&r->lines, collect, &r->seen);
}

static void test_lines_may_span_reads(void **state)
{
	struct run *r = *state;
	feed_text(r, "hel");
	assert_int_equal(r->seen.count, 0);
	feed_text(r, "lo\nwor");
	assert_int_equal(r->seen.count, 1);
	feed_text(r, "ld\nagain\n");
	assert_int_equal(r->seen.count, 3);
	assert_string_equal(r->seen.lines[0], "hello");
	assert_string_equal(r->seen.lines[1], "world");
	assert_string_equal(r->seen.lines[2], "again");
}

static void test_empty_lines_are_lines(void **state)
{
	struct run *r = *state;
	feed_text(r, "\n\nx\n");
	assert_int_equal(r->seen.count, 3);
	assert_string_equal(r->seen.lines[0], "");
	assert_string_equal(r->seen.lines[1], "");
	assert_string_equal(r->seen.lines[2], "x");
}

static void test_last_line_is_flushed_at_the_end(void **state)
{
	struct run *r = *state;
	feed_text(r, "done\nno newline");
	assert_int_equal(r->seen.count, 1);
	finish(r);
	assert_int_equal(r->seen.count, 2);
	assert_string_equal(r->seen.lines[1], "no newline");
	/* nothing pending: the end adds no line, not even an empty one */
	finish(r);
	feed_text(r, "whole\n");
	finish(r);
	assert_int_equal(r->seen.count, 3);
	assert_string_equal(r->seen.lines[2], "whole");
}

static void test_overlong_line_is_split(void **state)
{
	struct run *r = *state;
	char text[OUTPUT_LINE_MAX * 2 + 10];
	memset(text, 'a', OUTPUT_LINE_MAX);
	memset(text + OUTPUT_LINE_MAX, 'b', OUTPUT_LINE_MAX);
	memcpy(text + 2 * OUTPUT_LINE_MAX, "ccc\n", 4);
	feed(r, text, 2 * OUTPUT_LINE_MAX + 4);
	assert_int_equal(r->seen.count, 3);
	assert_int_equal(strlen(r->seen.lines[0]), OUTPUT_LINE_MAX);
	assert_int_equal(strspn(r->seen.lines[0], "a"), OUTPUT_LINE_MAX);
	assert_int_equal(strspn(r->seen.lines[1], "b"), OUTPUT_LINE_MAX);
	assert_string_equal(r->seen.lines[2], "ccc");
}

static void test_line_of_exactly_the_limit_is_not_split(void **state)
{
	struct run *r = *state;
	char text[OUTPUT_LINE_MAX + 1];
	memset(text, 'a', OUTPUT_LINE_MAX);
	text[OUTPUT_LINE_MAX] = '\n';
	feed(r, text, sizeof(text));
	assert_int_equal(r->seen.count, 1);
	assert_int_equal(strlen(r->seen.lines[0]), OUTPUT_LINE_MAX);
}

static void test_split_keeps_utf8_characters_whole(void **state)
{
	struct run *r = *state;
	/* "€" (3 bytes) straddles the limit: it moves to the second piece */
	char text[OUTPUT_LINE_MAX + 8];
	memset(text, 'a', OUTPUT_LINE_MAX - 1);
	memcpy(text + OUTPUT_LINE_MAX - 1,
	       "\xe2\x82\xac"
	       "z\n",
	       5);
	feed(r, text, OUTPUT_LINE_MAX + 4);
	assert_int_equal(r->seen.count, 2);
	assert_int_equal(strlen(r->seen.lines[0]), OUTPUT_LINE_MAX - 1);
	assert_string_equal(r->seen.lines[1], "\xe2\x82\xac"
	                                      "z");
}

static void test_utf8_across_reads_is_kept(void **state)
{
	struct run *r = *state;
	feed_text(r, "gr\xc3");
	feed_text(r, "\xbc\xc3\x9f \xf0\x9f\x98");
	feed_text(r, "\x80\n");
	assert_int_equal(r->seen.count, 1);
	assert_string_equal(r->seen.lines[0],
	                    "gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80");
}

static void test_control_characters_become_question_marks(void **state)
{
	struct run *r = *state;
	feed_text(r, "a\tb\rc\x1b[2Jd\x7f"
	             "e\n");
	/* C1 controls in UTF-8 form: U+0085 and U+009B (CSI) */
	feed_text(r, "x\xc2\x85y\xc2\x9bz\xc2\xa0!\n");
	assert_int_equal(r->seen.count, 2);
	assert_string_equal(r->seen.lines[0], "a?b?c?[2Jd?e");
	assert_string_equal(r->seen.lines[1], "x?y?z\xc2\xa0!");
}

static void test_nul_is_shown_and_does_not_cut_the_line(void **state)
{
	struct run *r = *state;
	feed(r, "before\0after\n", 13);
	assert_int_equal(r->seen.count, 1);
	assert_string_equal(r->seen.lines[0], "before?after");
}

static void test_invalid_bytes_become_question_marks(void **state)
{
	struct run *r = *state;
	/* stray continuation, never-used bytes, a broken sequence, an
	 * overlong '/', a surrogate, beyond U+10FFFF */
	feed_text(r, "a\x80"
	             "b\xff\xfe"
	             "c\xc3(d\xc0\xaf"
	             "e\xed\xa0\x80"
	             "f\xf4\x90\x80\x80"
	             "g\n");
	assert_int_equal(r->seen.count, 1);
	assert_string_equal(r->seen.lines[0], "a?b??c?(d??e???f????g");
}

static void test_truncated_character_at_the_end_is_shown(void **state)
{
	struct run *r = *state;
	feed_text(r, "cut \xe2\x82");
	finish(r);
	assert_int_equal(r->seen.count, 1);
	assert_string_equal(r->seen.lines[0], "cut ??");
}

static void test_random_bytes_never_break_a_line(void **state)
{
	struct run *r = *state;
	srand(7);
	for (int round = 0; round < 2000; round++) {
		unsigned char bytes[64];
		for (size_t i = 0; i < sizeof(bytes); i++) {
			bytes[i] = (unsigned char)rand();
			if (bytes[i] == '\n')
				bytes[i] = 0x85;
		}
		feed(r, (const char *)bytes, sizeof(bytes));
		r->seen.count = 0; /* collect() checks each line */
	}
	finish(r);
}

/* collect() checks lines with the C library's UTF-8 decoder. */
static int use_utf8(void **state)
{
	(void)state;
	return setlocale(LC_CTYPE, "C.UTF-8") ? 0 : -1;
}

int main(void)
{
#define T(name) cmocka_unit_test_setup(name, setup)
	const struct CMUnitTest tests[] = {
		T(test_lines_may_span_reads),
		T(test_empty_lines_are_lines),
		T(test_last_line_is_flushed_at_the_end),
		T(test_overlong_line_is_split),
		T(test_line_of_exactly_the_limit_is_not_split),
		T(test_split_keeps_utf8_characters_whole),
		T(test_utf8_across_reads_is_kept),
		T(test_control_characters_become_question_marks),
		T(test_nul_is_shown_and_does_not_cut_the_line),
		T(test_invalid_bytes_become_question_marks),
		T(test_truncated_character_at_the_end_is_shown),
		T(test_random_bytes_never_break_a_line),
	};
	return cmocka_run_group_tests(tests, use_utf8, NULL);
}
