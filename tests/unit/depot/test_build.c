/*
 * Unit tests of depot builds' pure parts (depot/lib/build_description.c,
 * depot_newest_version in build.c): the build description a src archive
 * carries, parsed into uses, make targets and outputs, and every malformed
 * or hostile line refused with its line number; the newest version of an
 * archive in a depot. The build itself (make in a scratch tree) is tested
 * end to end by tests/recipes/run-suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "depot/build.h"
#include "testutil.h"

static int parse(const char *text, struct depot_build_description *d,
                 struct depot_diag *diag)
{
	return depot_build_description_parse(text, strlen(text), d, diag);
}

static void test_description_parsed(void **state)
{
	(void)state;
	struct depot_build_description d;
	struct depot_diag diag;
	assert_int_equal(parse("# how to build\nuse api/runtime\n"
	                       "  use src/make  \n\nmake build/release/bin/x\n"
	                       "output build/release/bin/x x\n"
	                       "output share/x.cfg etc/x.cfg\r\n", &d, &diag),
	                 DEPOT_OK);
	assert_int_equal(d.use_count, 2);
	assert_string_equal(d.uses[0].kind, "api");
	assert_string_equal(d.uses[0].name, "runtime");
	assert_string_equal(d.uses[1].kind, "src");
	assert_string_equal(d.uses[1].name, "make");
	assert_int_equal(d.target_count, 1);
	assert_string_equal(d.targets[0], "build/release/bin/x");
	assert_int_equal(d.output_count, 2);
	assert_string_equal(d.outputs[1].path, "share/x.cfg");
	assert_string_equal(d.outputs[1].archive_path, "etc/x.cfg");
}

static void test_bad_lines_refused_with_line_number(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"use runtime",              /* no kind */
		"use bin/x",                /* bin is built, not used */
		"use pkg/x",                /* a pkg is not build input */
		"use src/../x",             /* not a name */
		"use src/a b",              /* too many words */
		"make /etc/passwd",         /* absolute */
		"make ../x",                /* leaves the tree */
		"make a/./b",               /* '.' component */
		"make a//b",                /* empty component */
		"make a$(shell)",           /* a character make would expand */
		"output x",                 /* no archive path */
		"output x ../y",            /* leaves the archive */
		"compile x",                /* unknown statement */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[256];
		struct depot_build_description d;
		struct depot_diag diag;
		snprintf(text, sizeof text, "make t\noutput t t\n%s\n", bad[i]);
		if (parse(text, &d, &diag) != DEPOT_E_RECIPE)
			fail_msg("accepted '%s'", bad[i]);
		assert_string_equal(diag.subject, "build");
		assert_non_null(strstr(diag.detail, "line 3:"));
	}
}

static void test_needs_make_and_output(void **state)
{
	(void)state;
	struct depot_build_description d;
	struct depot_diag diag;
	assert_int_equal(parse("use src/make\nmake t\n", &d, &diag),
	                 DEPOT_E_RECIPE);
	assert_non_null(strstr(diag.detail, "at least one"));
	assert_int_equal(parse("output t t\n", &d, &diag), DEPOT_E_RECIPE);
	assert_int_equal(parse("", &d, &diag), DEPOT_E_RECIPE);
}

static void test_hostile_descriptions(void **state)
{
	(void)state;
	struct depot_build_description d;
	struct depot_diag diag;
	static const char nul[] = "make t\0\noutput t t\n";
	assert_int_equal(depot_build_description_parse(nul, sizeof nul - 1, &d,
	                                               &diag), DEPOT_E_RECIPE);
	/* More statements than the limits allow. */
	size_t size = (size_t)64 * (DEPOT_BUILD_USES_MAX + 2);
	char *many = malloc(size);
	assert_non_null(many);
	size_t used = (size_t)snprintf(many, size, "make t\noutput t t\n");
	for (int i = 0; i <= DEPOT_BUILD_USES_MAX; i++)
		used += (size_t)snprintf(many + used, size - used,
		                         "use src/n%d\n", i);
	assert_int_equal(parse(many, &d, &diag), DEPOT_E_RECIPE);
	free(many);
	/* A path longer than the limit. */
	char long_path[DEPOT_BUILD_PATH_MAX + 32];
	snprintf(long_path, sizeof long_path, "make %0*d\noutput t t\n",
	         DEPOT_BUILD_PATH_MAX, 0);
	assert_int_equal(parse(long_path, &d, &diag), DEPOT_E_RECIPE);
}

static void test_newest_version(void **state)
{
	(void)state;
	char version[DEPOT_PART_MAX];
	struct depot_name name = { .user = "u", .kind = "src", .name = "x" };
	struct depot_diag diag;
	char *depot = tu_tmpdir();
	assert_int_equal(depot_newest_version(depot, &name, version, &diag),
	                 DEPOT_E_NOT_INSTALLED);
	assert_string_equal(diag.subject, "u/src/x");
	tu_write(depot, "u/src/x/2026-11-21.tar.zst", "a");
	tu_write(depot, "u/src/x/2026-11-21b.tar.zst", "b");
	tu_write(depot, "u/src/x/2026-11-21a/file", "c");
	tu_write(depot, "u/src/x/2026-11-21a.manifest", "d");
	tu_write(depot, "u/src/x/.hidden.tar.zst", "e");
	assert_int_equal(depot_newest_version(depot, &name, version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-21b");
	tu_write(depot, "u/src/x/2026-11-22/file", "f");
	assert_int_equal(depot_newest_version(depot, &name, version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-22");
	tu_rmdir(depot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_description_parsed),
		cmocka_unit_test(test_bad_lines_refused_with_line_number),
		cmocka_unit_test(test_needs_make_and_output),
		cmocka_unit_test(test_hostile_descriptions),
		cmocka_unit_test(test_newest_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
