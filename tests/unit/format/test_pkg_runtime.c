/*
 * Unit tests of a pkg's runtime file as libformat reads it
 * (format/pkg_runtime.h, runtime/format/README.md "The pkg runtime file"):
 * the model of a valid file, the exact message of each invalid one, and
 * hostile input (every truncation, NUL bytes, oversized lists) refused
 * without a crash. The depot side is tested in tests/unit/depot/test_pkg.c
 * and test_install.c, which check that the depot refuses with these words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/pkg_runtime.h"

static enum runtime_config_status parse(const char *json,
                                        struct pkg_runtime **out,
                                        struct runtime_config_error *error)
{
	return pkg_runtime_parse(json, strlen(json), out, error);
}

static void test_full_file_gives_model(void **state)
{
	(void)state;
	struct pkg_runtime *runtime = NULL;
	struct runtime_config_error error;

	assert_int_equal(
		parse("{\"binary\": \"hello\", \"ram\": \"2M\", \"caps\": 100,\n"
	              " \"config\": {\"greeting\": \"hi\", \"n\": [1, 2]},\n"
	              " \"requires\": [\"Timer\", \"LOG\"], \"provides\": [\"Hello\"],\n"
	              " \"roms\": [\"hello.cfg\"]}\n",
	              &runtime, &error),
		RUNTIME_CONFIG_OK);
	assert_non_null(runtime);
	assert_string_equal(runtime->binary, "hello");
	assert_int_equal(runtime->ram, 2 * 1024 * 1024);
	assert_int_equal(runtime->caps, 100);
	assert_string_equal(runtime->config,
	                    "{\"greeting\":\"hi\",\"n\":[1,2]}");
	assert_int_equal(runtime->requires.count, 2);
	assert_string_equal(runtime->requires.names[0], "Timer");
	assert_string_equal(runtime->requires.names[1], "LOG");
	assert_int_equal(runtime->provides.count, 1);
	assert_string_equal(runtime->provides.names[0], "Hello");
	assert_int_equal(runtime->roms.count, 1);
	assert_string_equal(runtime->roms.names[0], "hello.cfg");
	pkg_runtime_free(runtime);
}

static void test_minimal_file_gives_empty_lists(void **state)
{
	(void)state;
	struct pkg_runtime *runtime = NULL;
	struct runtime_config_error error;

	assert_int_equal(
		parse("{\"binary\": \"x\", \"ram\": 4096, \"caps\": 1}",
	              &runtime, &error),
		RUNTIME_CONFIG_OK);
	assert_int_equal(runtime->ram, 4096);
	assert_null(runtime->config);
	assert_int_equal(runtime->requires.count, 0);
	assert_int_equal(runtime->provides.count, 0);
	assert_int_equal(runtime->roms.count, 0);
	pkg_runtime_free(runtime);
}

/* Validation only: out NULL. */
static void test_validate_without_model(void **state)
{
	(void)state;
	struct runtime_config_error error;

	assert_int_equal(
		parse("{\"binary\": \"x\", \"ram\": \"1K\", \"caps\": 2}", NULL,
	              &error),
		RUNTIME_CONFIG_OK);
	assert_int_equal(parse("{\"binary\": \"x\", \"ram\": \"1K\"}", NULL,
	                       &error),
	                 RUNTIME_CONFIG_INVALID);
}

struct error_case {
	const char *json;
	enum runtime_config_status status;
	const char *message;
};

#define OK_HEAD "{\"binary\": \"x\", \"ram\": \"1M\", \"caps\": 1, "

static const struct error_case cases[] = {
	{ "", RUNTIME_CONFIG_BAD_JSON, "line 1, column 1: invalid JSON" },
	{ "{\"binary\": \"x\"", RUNTIME_CONFIG_BAD_JSON,
	  "line 1, column 14: invalid JSON" },
	{ "{} trailing", RUNTIME_CONFIG_BAD_JSON,
	  "line 1, column 4: unexpected text after the JSON document" },
	{ "[1, 2]", RUNTIME_CONFIG_INVALID,
	  "a pkg runtime file must be a JSON object" },
	{ "{\"ram\": \"2M\", \"caps\": 1}", RUNTIME_CONFIG_INVALID,
	  "\"binary\" is missing (the ROM name of the executable)" },
	{ "{\"binary\": \"x\", \"caps\": 1}", RUNTIME_CONFIG_INVALID,
	  "\"ram\" is missing (bytes, or a size like \"2M\")" },
	{ "{\"binary\": \"x\", \"ram\": \"1M\"}", RUNTIME_CONFIG_INVALID,
	  "\"caps\" is missing (a whole number of capabilities)" },
	{ "{\"binary\": 3, \"ram\": \"1M\", \"caps\": 1}",
	  RUNTIME_CONFIG_INVALID, "\"binary\" must be a string" },
	{ "{\"binary\": \"\", \"ram\": \"1M\", \"caps\": 1}",
	  RUNTIME_CONFIG_INVALID, "\"binary\" must not be empty" },
	{ "{\"binary\": \"..\", \"ram\": \"1M\", \"caps\": 1}",
	  RUNTIME_CONFIG_INVALID, "\"binary\" may not be \"..\"" },
	{ "{\"binary\": \"a/b\", \"ram\": \"1M\", \"caps\": 1}",
	  RUNTIME_CONFIG_INVALID,
	  "\"binary\" value \"a/b\" may hold only A-Z, a-z, 0-9, '_', '.' and '-'" },
	{ "{\"binary\": \"x\", \"ram\": \"1X\", \"caps\": 1}",
	  RUNTIME_CONFIG_INVALID, "ram \"1X\": unknown size suffix" },
	{ "{\"binary\": \"x\", \"ram\": \"lots\", \"caps\": 1}",
	  RUNTIME_CONFIG_INVALID,
	  "ram \"lots\": not a size (digits with an optional K, M or G)" },
	{ "{\"binary\": \"x\", \"ram\": -5, \"caps\": 1}",
	  RUNTIME_CONFIG_INVALID,
	  "\"ram\" must be a whole number from 0 to 281474976710656" },
	{ "{\"binary\": \"x\", \"ram\": \"0\", \"caps\": 1}",
	  RUNTIME_CONFIG_INVALID, "\"ram\" must be more than 0 bytes" },
	{ "{\"binary\": \"x\", \"ram\": \"262145G\", \"caps\": 1}",
	  RUNTIME_CONFIG_INVALID,
	  "ram \"262145G\": more than 281474976710656 bytes" },
	{ "{\"binary\": \"x\", \"ram\": \"1M\", \"caps\": 1.5}",
	  RUNTIME_CONFIG_INVALID,
	  "\"caps\" must be a whole number from 0 to 4294967295" },
	{ "{\"binary\": \"x\", \"ram\": \"1M\", \"caps\": 0}",
	  RUNTIME_CONFIG_INVALID, "\"caps\" must be more than 0" },
	{ OK_HEAD "\"config\": []}", RUNTIME_CONFIG_INVALID,
	  "\"config\" must be an object" },
	{ OK_HEAD "\"requires\": [1]}", RUNTIME_CONFIG_INVALID,
	  "\"requires[0]\" must be a string" },
	{ OK_HEAD "\"requires\": [\"LOG\", \"LOG\"]}", RUNTIME_CONFIG_INVALID,
	  "\"requires\" lists \"LOG\" twice" },
	{ OK_HEAD "\"provides\": \"Timer\"}", RUNTIME_CONFIG_INVALID,
	  "\"provides\" must be a list of service names" },
	{ OK_HEAD "\"roms\": [\"a b\"]}", RUNTIME_CONFIG_INVALID,
	  "\"roms[0]\" value \"a b\" may hold only A-Z, a-z, 0-9, '_', '.' and '-'" },
	{ OK_HEAD "\"roms\": {}}", RUNTIME_CONFIG_INVALID,
	  "\"roms\" must be a list of ROM names" },
	{ OK_HEAD "\"romz\": []}", RUNTIME_CONFIG_INVALID,
	  "unknown field \"romz\"" },
	{ OK_HEAD "\"caps\": 2}", RUNTIME_CONFIG_INVALID,
	  "field \"caps\" given twice" },
};

static void test_errors_have_exact_messages(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkg_runtime *runtime = (struct pkg_runtime *)&runtime;
		struct runtime_config_error error;
		enum runtime_config_status status = parse(cases[i].json,
		                                          &runtime, &error);
		if (status != cases[i].status ||
		    strcmp(error.message, cases[i].message) != 0)
			fail_msg(
				"%s: status %d, message '%s'; expected %d, '%s'",
				cases[i].json, status, error.message,
				cases[i].status, cases[i].message);
		assert_null(runtime);
	}
}

/* Every prefix of a valid file is refused with a message, never a crash. */
static void test_truncations_refused(void **state)
{
	(void)state;
	const char *json =
		"{\"binary\": \"hello\", \"ram\": \"2M\", \"caps\": 100, "
		"\"config\": {\"a\": [1]}, \"requires\": [\"Timer\"]}";
	for (size_t n = 0; n < strlen(json); n++) {
		struct pkg_runtime *runtime = NULL;
		struct runtime_config_error error;
		assert_int_not_equal(pkg_runtime_parse(json, n, &runtime,
		                                       &error),
		                     RUNTIME_CONFIG_OK);
		assert_null(runtime);
		assert_true(error.message[0] != '\0');
	}
}

static void test_nul_bytes_refused(void **state)
{
	(void)state;
	static const char json[] =
		"{\"binary\": \"x\0y\", \"ram\": 1, \"caps\": 1}";
	struct runtime_config_error error;

	assert_int_equal(pkg_runtime_parse(json, sizeof(json) - 1, NULL,
	                                   &error),
	                 RUNTIME_CONFIG_BAD_JSON);
	assert_string_equal(error.message,
	                    "line 1, column 14: NUL byte in the document");
	assert_int_equal(
		parse("{\"binary\": \"x\\u0000y\", \"ram\": 1, \"caps\": 1}",
	              NULL, &error),
		RUNTIME_CONFIG_BAD_JSON);
}

static void test_too_many_roms_refused(void **state)
{
	(void)state;
	size_t size = 64 + (PKG_RUNTIME_ROMS_MAX + 1) * 12;
	char *json = malloc(size);
	size_t used = (size_t)snprintf(json, size, OK_HEAD "\"roms\": [");
	struct runtime_config_error error;

	assert_non_null(json);
	for (int i = 0; i <= PKG_RUNTIME_ROMS_MAX; i++)
		used += (size_t)snprintf(json + used, size - used, "%s\"r%d\"",
		                         i ? "," : "", i);
	snprintf(json + used, size - used, "]}");
	assert_int_equal(parse(json, NULL, &error), RUNTIME_CONFIG_INVALID);
	assert_string_equal(error.message, "\"roms\" has more than 256 ROMs");
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_file_gives_model),
		cmocka_unit_test(test_minimal_file_gives_empty_lists),
		cmocka_unit_test(test_validate_without_model),
		cmocka_unit_test(test_errors_have_exact_messages),
		cmocka_unit_test(test_truncations_refused),
		cmocka_unit_test(test_nul_bytes_refused),
		cmocka_unit_test(test_too_many_roms_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
