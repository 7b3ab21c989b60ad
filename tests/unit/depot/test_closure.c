/*
 * Unit tests of closures (depot/lib/closure.c) and listing (list.c) over a
 * depot laid out by hand: dependency-first order, each archive once, src
 * mapped to bin/<arch>, nested pkgs, cycles named, missing pkgs reported.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "depot/depot.h"
#include "testutil.h"

static void pkg(const char *depot, const char *name, const char *archives)
{
	char rel[512];
	snprintf(rel, sizeof rel, "%s/archives", name);
	tu_write(depot, rel, archives);
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

static int closure(const char *depot, const char *root, char *out,
                   struct depot_diag *diag)
{
	struct depot_name name;
	assert_int_equal(depot_name_parse(root, &name, NULL), DEPOT_OK);
	out[0] = '\0';
	return depot_closure(depot, &name, "x86_64", collect, out, diag);
}

static void test_closure_order_and_mapping(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	char got[2048];
	struct depot_diag diag;
	pkg(depot, "alice/pkg/app/1",
	    "alice/src/hello/1\nalice/raw/fonts/1\n"
	    "alice/pkg/base/1\n");
	pkg(depot, "alice/pkg/base/1",
	    "alice/src/core/1\nalice/api/x/1\n"
	    "alice/raw/fonts/1\n");
	assert_int_equal(closure(depot, "alice/pkg/app/1", got, &diag),
	                 DEPOT_OK);
	assert_string_equal(got, "alice/bin/x86_64/hello/1;alice/raw/fonts/1;"
	                         "alice/bin/x86_64/core/1;alice/api/x/1;"
	                         "alice/pkg/base/1;alice/pkg/app/1;");
	tu_rmdir(depot);
}

static void test_cycle_is_named(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	char got[2048];
	struct depot_diag diag;
	pkg(depot, "alice/pkg/top/1", "alice/pkg/a/1\n");
	pkg(depot, "alice/pkg/a/1", "alice/raw/r/1\nalice/pkg/b/1\n");
	pkg(depot, "alice/pkg/b/1", "alice/pkg/a/1\n");
	assert_int_equal(closure(depot, "alice/pkg/top/1", got, &diag),
	                 DEPOT_E_CYCLE);
	assert_string_equal(diag.detail, "alice/pkg/a/1 -> alice/pkg/b/1 -> "
	                                 "alice/pkg/a/1");
	pkg(depot, "alice/pkg/self/1", "alice/pkg/self/1\n");
	assert_int_equal(closure(depot, "alice/pkg/self/1", got, &diag),
	                 DEPOT_E_CYCLE);
	tu_rmdir(depot);
}

static void test_missing_nested_pkg(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	char got[2048];
	struct depot_diag diag;
	pkg(depot, "alice/pkg/app/1", "alice/pkg/gone/3\n");
	assert_int_equal(closure(depot, "alice/pkg/app/1", got, &diag),
	                 DEPOT_E_NOT_INSTALLED);
	assert_string_equal(diag.subject, "alice/pkg/gone/3");
	pkg(depot, "alice/pkg/bad/1", "not a name\n");
	assert_int_equal(closure(depot, "alice/pkg/bad/1", got, &diag),
	                 DEPOT_E_ARCHIVES_LIST);
	assert_int_equal(closure(depot, "alice/src/app/1", got, &diag),
	                 DEPOT_E_USAGE);
	tu_rmdir(depot);
}

static void test_newest_version_when_none_given(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	char got[2048];
	struct depot_diag diag;
	pkg(depot, "alice/pkg/app/2026-01-01", "alice/raw/old/1\n");
	pkg(depot, "alice/pkg/app/2026-11-21", "alice/raw/new/1\n");
	tu_write(depot, "alice/pkg/app/2026-12-01.tar.zst", "not installed");
	struct depot_name name;
	assert_int_equal(depot_name_parse("alice/pkg/app/x", &name, NULL), 0);
	name.version[0] = '\0';
	assert_int_equal(depot_closure(depot, &name, "x86_64", collect, got,
	                               &diag),
	                 DEPOT_OK);
	assert_string_equal(got, "alice/raw/new/1;alice/pkg/app/2026-11-21;");
	assert_int_equal(depot_name_parse("alice/pkg/none/x", &name, NULL), 0);
	name.version[0] = '\0';
	assert_int_equal(depot_closure(depot, &name, "x86_64", collect, got,
	                               &diag),
	                 DEPOT_E_NOT_INSTALLED);
	tu_rmdir(depot);
}

static void test_list_sorted_and_skips_non_archives(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	char got[2048] = "";
	struct depot_diag diag;
	mkdir(tu_path(depot, "bob"), 0755);
	tu_write(depot, "bob/raw/b/1/f", "");
	tu_write(depot, "alice/bin/x86_64/hello/1/hello", "");
	tu_write(depot, "alice/src/hello/1/main.c", "");
	tu_write(depot, "alice/src/hello/1.manifest", "");
	tu_write(depot, "alice/src/hello/2.tar.zst", "");
	tu_write(depot, "alice/weird/x/1/f", "");
	tu_write(depot, ".staging/abc/content/f", "");
	assert_int_equal(depot_list(depot, collect, got, &diag), DEPOT_OK);
	assert_string_equal(got, "alice/bin/x86_64/hello/1;alice/src/hello/1;"
	                         "bob/raw/b/1;");
	tu_rmdir(depot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closure_order_and_mapping),
		cmocka_unit_test(test_cycle_is_named),
		cmocka_unit_test(test_missing_nested_pkg),
		cmocka_unit_test(test_newest_version_when_none_given),
		cmocka_unit_test(test_list_sorted_and_skips_non_archives),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
