/*
 * Unit tests of what init keeps of a remote proxy's link report
 * (runtime/init/remote_link_word.c): the four state words with and
 * without an error, the error dropped when the link is up, and hostile
 * reports (not JSON, truncated, an unknown word, a state of the wrong
 * type, control bytes and non-ASCII in the error, an error longer than
 * the report allows) either ignored with the last word kept, or kept in
 * a form the state report's writer accepts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "remote_route.h"

static bool take(struct remote_link_word *w, const char *text)
{
	return remote_link_word_take(w, text, strlen(text));
}

static void words_taken(void **state)
{
	struct remote_link_word w = { .link = STATE_REPORT_LINK_CONNECTING };
	(void)state;
	assert_true(take(
		&w,
		"{\"state\":\"down\",\"node\":\"a\",\"error\":\"no answer\"}"));
	assert_int_equal(w.link, STATE_REPORT_LINK_DOWN);
	assert_string_equal(w.error, "no answer");
	assert_true(take(&w, "{\"state\":\"up\",\"error\":\"stale\"}"));
	assert_int_equal(w.link, STATE_REPORT_LINK_UP);
	assert_string_equal(w.error, "");
	assert_true(take(
		&w,
		"{\"state\":\"refused\",\"error\":\"peer key sha256:00 is not pinned\"}"));
	assert_int_equal(w.link, STATE_REPORT_LINK_REFUSED);
	assert_true(take(&w, "{\"state\":\"connecting\"}"));
	assert_int_equal(w.link, STATE_REPORT_LINK_CONNECTING);
	assert_string_equal(w.error, "");
}

static void hostile_ignored(void **state)
{
	static const char *const bad[] = {
		"",
		"not json",
		"{\"state\":\"down\"",
		"{\"state\":\"sideways\"}",
		"{\"state\":3}",
		"[\"down\"]",
		"{\"error\":\"only\"}",
		"{\"state\":\"DOWN\"}",
	};
	struct remote_link_word w = { .link = STATE_REPORT_LINK_UP };
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(take(&w, bad[i]));
		assert_int_equal(w.link, STATE_REPORT_LINK_UP);
	}
	/* a report longer than its length: only `length` bytes are read */
	assert_false(remote_link_word_take(&w, "{\"state\":\"down\"}", 10));
}

static void hostile_errors_made_harmless(void **state)
{
	struct remote_link_word w = { 0 };
	char text[2048];
	(void)state;
	assert_true(take(
		&w,
		"{\"state\":\"down\",\"error\":\"a\\u0001b\\nc\\u00e9d\"}"));
	assert_string_equal(w.error, "a?b?c??d");
	snprintf(text, sizeof text, "{\"state\":\"down\",\"error\":\"%0*d\"}",
	         1500, 0);
	assert_true(take(&w, text));
	assert_int_equal(strlen(w.error), STATE_REPORT_REASON_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_taken),
		cmocka_unit_test(hostile_ignored),
		cmocka_unit_test(hostile_errors_made_harmless),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
