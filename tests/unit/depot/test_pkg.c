/*
 * Unit tests of archive names (depot/lib/name.c) and of the pkg files
 * (pkg.c): the runtime file's schema with a clear error per violation, the
 * archives list, and hostile input that must be refused, never crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "depot/depot.h"
#include "format/pkg_runtime.h"

static void test_names_parse_and_format(void **state)
{
	(void)state;
	struct depot_name n;
	char text[DEPOT_NAME_MAX];
	assert_int_equal(depot_name_parse("alice/src/hello/2026-11-21", &n,
	                                  NULL),
	                 DEPOT_OK);
	assert_string_equal(n.kind, "src");
	assert_string_equal(n.arch, "");
	depot_name_format(&n, text);
	assert_string_equal(text, "alice/src/hello/2026-11-21");
	assert_int_equal(depot_name_parse("alice/bin/x86_64/hello/1.0", &n,
	                                  NULL),
	                 DEPOT_OK);
	assert_string_equal(n.arch, "x86_64");
	depot_name_format(&n, text);
	assert_string_equal(text, "alice/bin/x86_64/hello/1.0");
}

static void test_bad_names_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"alice",
		"alice/src/hello",
		"alice/src/hello/1/extra",
		"alice/bin/hello/1",
		"alice/xyz/hello/1",
		"alice/src/../1",
		"/alice/src/hello/1",
		"alice/src/hello/1/",
		"alice//src/hello",
		"alice/src/.hidden/1",
		"al ice/src/hello/1",
		"alice/src/h\n/1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct depot_name n;
		struct depot_diag diag;
		if (depot_name_parse(bad[i], &n, &diag) != DEPOT_E_NAME)
			fail_msg("accepted '%s'", bad[i]);
		assert_string_equal(diag.subject, bad[i]);
	}
}

static int validate(const char *json, struct depot_diag *diag)
{
	return depot_runtime_validate(json, strlen(json), diag);
}

static void test_runtime_valid(void **state)
{
	(void)state;
	struct depot_diag diag;
	assert_int_equal(validate("{\"binary\": \"hello\", \"ram\": \"2M\", "
	                          "\"caps\": 100, \"config\": {\"a\": 1}, "
	                          "\"requires\": [\"Timer\", \"LOG\"], "
	                          "\"provides\": [\"Hello\"], "
	                          "\"roms\": [\"hello.cfg\"]}\n",
	                          &diag),
	                 DEPOT_OK);
	assert_int_equal(validate("{\"binary\": \"x\", \"ram\": 4096, "
	                          "\"caps\": 1}",
	                          &diag),
	                 DEPOT_OK);
}

struct bad_runtime {
	const char *json;
	const char *field; /* what the message must name */
};

/* Every refusal carries libformat's message (format/pkg_runtime.h) word for
 * word, so the depot and init say the same thing about the same file. */
static void test_runtime_errors_name_the_key(void **state)
{
	(void)state;
	static const struct bad_runtime cases[] = {
		{ "{\"ram\": \"2M\", \"caps\": 1}", "binary" },
		{ "{\"binary\": \"x\", \"caps\": 1}", "ram" },
		{ "{\"binary\": \"x\", \"ram\": \"1M\"}", "caps" },
		{ "{\"binary\": 3, \"ram\": \"1M\", \"caps\": 1}", "binary" },
		{ "{\"binary\": \"a/b\", \"ram\": \"1M\", \"caps\": 1}",
		  "binary" },
		{ "{\"binary\": \"x\", \"ram\": \"1X\", \"caps\": 1}", "ram" },
		{ "{\"binary\": \"x\", \"ram\": -5, \"caps\": 1}", "ram" },
		{ "{\"binary\": \"x\", \"ram\": \"0\", \"caps\": 1}", "ram" },
		{ "{\"binary\": \"x\", \"ram\": \"1M\", \"caps\": 1.5}",
		  "caps" },
		{ "{\"binary\": \"x\", \"ram\": \"1M\", \"caps\": 0}", "caps" },
		{ "{\"binary\": \"x\", \"ram\": \"1M\", \"caps\": 1, "
		  "\"config\": []}",
		  "config" },
		{ "{\"binary\": \"x\", \"ram\": \"1M\", \"caps\": 1, "
		  "\"requires\": [1]}",
		  "requires" },
		{ "{\"binary\": \"x\", \"ram\": \"1M\", \"caps\": 1, "
		  "\"provides\": \"Timer\"}",
		  "provides" },
		{ "{\"binary\": \"x\", \"ram\": \"1M\", \"caps\": 1, "
		  "\"romz\": []}",
		  "romz" },
		{ "[1, 2]", "JSON object" },
		{ "{\"binary\": \"x\"", "invalid JSON" },
		{ "{} trailing", "after the JSON document" },
		{ "", "invalid JSON" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct depot_diag diag;
		struct runtime_config_error error;
		const char *json = cases[i].json;
		if (validate(json, &diag) != DEPOT_E_RUNTIME)
			fail_msg("accepted %s", json);
		assert_string_equal(diag.subject, "runtime");
		if (!strstr(diag.detail, cases[i].field))
			fail_msg("'%s' does not name %s", diag.detail,
			         cases[i].field);
		assert_int_not_equal(pkg_runtime_parse(json, strlen(json), NULL,
		                                       &error),
		                     RUNTIME_CONFIG_OK);
		assert_string_equal(diag.detail, error.message);
	}
}

/* Hostile input: every prefix of a valid file is refused cleanly. */
static void test_runtime_truncations(void **state)
{
	(void)state;
	const char *json = "{\"binary\": \"hello\", \"ram\": \"2M\", "
			   "\"caps\": 100, \"requires\": [\"Timer\"]}";
	for (size_t n = 0; n < strlen(json); n++) {
		struct depot_diag diag;
		assert_int_equal(depot_runtime_validate(json, n, &diag),
		                 DEPOT_E_RUNTIME);
	}
}

static int collect(void *ctx, const struct depot_name *name)
{
	char *out = ctx;
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	strcat(out, text);
	strcat(out, ";");
	return DEPOT_OK;
}

static void test_archives_list(void **state)
{
	(void)state;
	char got[1024] = "";
	const char *list = "# what hello needs\nalice/src/hello/1\n\n"
			   "  bob/raw/fonts/2  \nalice/pkg/base/3";
	struct depot_diag diag;
	assert_int_equal(depot_archives_parse(list, strlen(list), collect, got,
	                                      &diag),
	                 DEPOT_OK);
	assert_string_equal(got, "alice/src/hello/1;bob/raw/fonts/2;"
	                         "alice/pkg/base/3;");
	const char *bad = "alice/src/hello/1\n\nalice/src/../2\n";
	got[0] = '\0';
	assert_int_equal(depot_archives_parse(bad, strlen(bad), collect, got,
	                                      &diag),
	                 DEPOT_E_ARCHIVES_LIST);
	assert_non_null(strstr(diag.detail, "line 3"));
	const char nul[] = "alice/src/a/1\0alice/src/b/1\n";
	assert_int_equal(depot_archives_parse(nul, sizeof nul - 1, collect, got,
	                                      &diag),
	                 DEPOT_E_ARCHIVES_LIST);
}

static void test_strerror_covers_every_code(void **state)
{
	(void)state;
	for (int code = DEPOT_E_NOMEM; code < DEPOT_E_LAST; code++) {
		const char *words = depot_strerror(code);
		assert_non_null(words);
		assert_string_not_equal(words, "unknown error");
		assert_true(words[0] >= 'a' && words[0] <= 'z');
	}
	assert_string_equal(depot_strerror(DEPOT_E_LAST), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_parse_and_format),
		cmocka_unit_test(test_bad_names_refused),
		cmocka_unit_test(test_runtime_valid),
		cmocka_unit_test(test_runtime_errors_name_the_key),
		cmocka_unit_test(test_runtime_truncations),
		cmocka_unit_test(test_archives_list),
		cmocka_unit_test(test_strerror_covers_every_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
