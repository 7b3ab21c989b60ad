/*
 * Tests of the crash vocabulary both platforms share (runtime/fault_words.h):
 * one class phrase reads a linux signal and a riscv exception of the same
 * kind alike, the platform's code follows, a code of no class or an
 * unknown one keeps its number.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <runtime/fault_words.h>

#include <signal.h>
#include <string.h>

static void test_signal_words(void **state)
{
	(void)state;
	char out[96];
	fault_words_in(KFAULT_SIGNAL, SIGSEGV, out, sizeof(out));
	assert_string_equal(out,
	                    "an invalid memory access (signal 11, SIGSEGV)");
	fault_words_in(KFAULT_SIGNAL, SIGILL, out, sizeof(out));
	assert_string_equal(out, "an illegal instruction (signal 4, SIGILL)");
	fault_words_in(KFAULT_SIGNAL, SIGABRT, out, sizeof(out));
	assert_string_equal(out, "abort() (signal 6, SIGABRT)");
	fault_words_in(KFAULT_SIGNAL, SIGKILL, out, sizeof(out));
	assert_string_equal(out, "signal 9 (SIGKILL)");
	fault_words_in(KFAULT_SIGNAL, 99, out, sizeof(out));
	assert_string_equal(out, "signal 99 (unknown)");
}

static void test_exception_words(void **state)
{
	(void)state;
	char out[96];
	fault_words_in(KFAULT_EXCEPTION, 15, out, sizeof(out));
	assert_string_equal(
		out,
		"an invalid memory access (exception 15, store page fault)");
	fault_words_in(KFAULT_EXCEPTION, 13, out, sizeof(out));
	assert_string_equal(
		out,
		"an invalid memory access (exception 13, load page fault)");
	fault_words_in(KFAULT_EXCEPTION, 2, out, sizeof(out));
	assert_string_equal(
		out,
		"an illegal instruction (exception 2, illegal instruction)");
	fault_words_in(KFAULT_EXCEPTION, 3, out, sizeof(out));
	assert_string_equal(out,
	                    "abort() or a signal (exception 3, breakpoint)");
	fault_words_in(KFAULT_EXCEPTION, 9, out, sizeof(out));
	assert_string_equal(out, "exception 9 (killed by its creator)");
	fault_words_in(KFAULT_EXCEPTION, 14, out, sizeof(out));
	assert_string_equal(out, "exception 14 (unknown)");
	fault_words_in(KFAULT_EXCEPTION, -1, out, sizeof(out));
	assert_string_equal(out, "exception -1 (unknown)");
}

/* What a scenario's pattern relies on: the same class phrase first on
 * both platforms for an invalid memory access. */
static void test_one_pattern_reads_both(void **state)
{
	(void)state;
	static const char phrase[] = "an invalid memory access (";
	char linux_words[96], riscv_words[96];
	fault_words_in(KFAULT_SIGNAL, SIGSEGV, linux_words,
	               sizeof(linux_words));
	for (int cause = 0; cause < 16; cause++) {
		fault_words_in(KFAULT_EXCEPTION, cause, riscv_words,
		               sizeof(riscv_words));
		int memory = cause == 1 || cause == 5 || cause == 7 ||
		             cause == 12 || cause == 13 || cause == 15;
		assert_int_equal(memory, strncmp(riscv_words, phrase,
		                                 strlen(phrase)) == 0);
	}
	assert_memory_equal(linux_words, phrase, strlen(phrase));
}

/* A buffer too small holds the cut text, terminated. */
static void test_small_buffer_cut(void **state)
{
	(void)state;
	char out[8];
	fault_words_in(KFAULT_EXCEPTION, 15, out, sizeof(out));
	assert_string_equal(out, "an inva");
}

/* The number alone, init's words: linux's as they always read, riscv's
 * cause named. */
static void test_number_words(void **state)
{
	(void)state;
	char out[64];
	fault_number_in(KFAULT_SIGNAL, SIGSEGV, out, sizeof(out));
	assert_string_equal(out, "signal 11");
	fault_number_in(KFAULT_SIGNAL, 99, out, sizeof(out));
	assert_string_equal(out, "signal 99");
	fault_number_in(KFAULT_EXCEPTION, 13, out, sizeof(out));
	assert_string_equal(out, "exception 13, load page fault");
	fault_number_in(KFAULT_EXCEPTION, 3, out, sizeof(out));
	assert_string_equal(out, "exception 3, breakpoint");
	fault_number_in(KFAULT_EXCEPTION, 14, out, sizeof(out));
	assert_string_equal(out, "exception 14, unknown");
}

/* This platform's (the host's, linux) numbering is the signals'. */
static void test_platform_numbering(void **state)
{
	(void)state;
	char out[96], in[96];
	fault_words(SIGABRT, out, sizeof(out));
	fault_words_in(KFAULT_SIGNAL, SIGABRT, in, sizeof(in));
	assert_string_equal(out, in);
	fault_number(SIGABRT, out, sizeof(out));
	assert_string_equal(out, "signal 6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_words),
		cmocka_unit_test(test_exception_words),
		cmocka_unit_test(test_one_pattern_reads_both),
		cmocka_unit_test(test_small_buffer_cut),
		cmocka_unit_test(test_number_words),
		cmocka_unit_test(test_platform_numbering),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
