/*
 * Unit test of libruntime's one error space (runtime/error.h): no two
 * modules' ranges overlap, every module's codes lie in its own range, and
 * every code libruntime defines has words that are not "unknown" and that
 * no other code shares, so a message names exactly one cause.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <runtime/allocator.h>
#include <runtime/arg_string.h>
#include <runtime/elf.h>
#include <runtime/error.h>
#include <runtime/rpc.h>
#include <runtime/service.h>
#include <runtime/str.h>
#include <runtime/avl.h>

#include "parent_rpc.h"

/* The words of a code that nothing defines. */
static bool unknown(const char *words)
{
	return !strcmp(words, "unknown error") ||
	       !strcmp(words, "unknown kernel error");
}

static bool overlap(const struct runtime_error_range *a,
                    const struct runtime_error_range *b)
{
	return a->reserved_low <= b->reserved_high &&
	       b->reserved_low <= a->reserved_high;
}

static void ranges_are_disjoint(void **state)
{
	size_t n;
	const struct runtime_error_range *r = runtime_error_ranges(&n);

	(void)state;
	assert_true(n >= 10);
	for (size_t i = 0; i < n; i++) {
		assert_true(r[i].reserved_low <= r[i].reserved_high);
		assert_true(r[i].reserved_low <= r[i].low);
		assert_true(r[i].low <= r[i].high);
		assert_true(r[i].high <= r[i].reserved_high);
		assert_true(r[i].reserved_high < 0 || r[i].reserved_low > 0);
		for (size_t j = i + 1; j < n; j++)
			if (overlap(&r[i], &r[j]))
				fail_msg("ranges of %s and %s overlap",
				         r[i].module, r[j].module);
	}
}

/* The codes that collided before: each -1 of five headers, now apart. */
static void former_collisions_differ(void **state)
{
	const int codes[] = { KERR_INVALID,       ALLOC_ERR_OUT_OF_MEMORY,
		              STR_ERR_TRUNCATED,  ARG_ERR_NOT_FOUND,
		              AVL_ERR_ORDER,      SERVICE_ERR_INVALID,
		              ELF_ERR_TRUNCATED,  KERR_LIMIT,
		              ELF_ERR_NO_SEGMENTS };
	const size_t n = sizeof codes / sizeof codes[0];

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			assert_int_not_equal(codes[i], codes[j]);
			assert_string_not_equal(runtime_strerror(codes[i]),
			                        runtime_strerror(codes[j]));
		}
}

/* Every defined code of every range, and 0, has words of its own. */
static void every_code_has_distinct_words(void **state)
{
	enum { MAX_CODES = 512 };
	const char *seen[MAX_CODES];
	int seen_code[MAX_CODES];
	size_t count = 0, n;
	const struct runtime_error_range *r = runtime_error_ranges(&n);

	(void)state;
	seen[count] = runtime_strerror(0);
	seen_code[count++] = 0;
	for (size_t i = 0; i < n; i++)
		for (int code = r[i].low; code <= r[i].high; code++) {
			const char *words = runtime_strerror(code);
			assert_non_null(words);
			if (unknown(words))
				fail_msg("%s code %d has no words: %s",
				         r[i].module, code, words);
			for (size_t k = 0; k < count; k++)
				if (!strcmp(seen[k], words))
					fail_msg(
						"codes %d and %d share the words \"%s\"",
						seen_code[k], code, words);
			assert_true(count < MAX_CODES);
			seen[count] = words;
			seen_code[count++] = code;
		}
}

/* The table knows every code there is: one past a range's last is unknown,
 * and the parent interface's range ends where its declarations do. */
static void ranges_end_where_the_codes_do(void **state)
{
	size_t n;
	const struct runtime_error_range *r = runtime_error_ranges(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		/* the kernel's codes count down from -1, the others up */
		int past = r[i].high == -1 ? r[i].low - 1 : r[i].high + 1;

		if (!strcmp(r[i].module, "parent interface")) {
			assert_int_equal(r[i].high,
			                 (int)parent_rpc.error_count);
			continue;
		}
		assert_true(unknown(runtime_strerror(past)));
	}
}

static void rpc_strerror_says_declared_errors_itself(void **state)
{
	(void)state;
	assert_string_equal(rpc_strerror(&parent_rpc, PARENT_ERR_DENIED),
	                    runtime_strerror(PARENT_ERR_DENIED));
	assert_string_equal(rpc_strerror(NULL, PARENT_ERR_DENIED),
	                    "unknown rpc status");
	assert_string_equal(rpc_strerror(NULL, ARG_ERR_RANGE),
	                    runtime_strerror(ARG_ERR_RANGE));
	assert_string_equal(rpc_strerror(NULL, RPC_ERR_SERVER),
	                    runtime_strerror(RPC_ERR_SERVER));
	assert_string_equal(runtime_strerror(0x7fff), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranges_are_disjoint),
		cmocka_unit_test(former_collisions_differ),
		cmocka_unit_test(every_code_has_distinct_words),
		cmocka_unit_test(ranges_end_where_the_codes_do),
		cmocka_unit_test(rpc_strerror_says_declared_errors_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
