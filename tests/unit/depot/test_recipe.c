/*
 * Unit tests of recipes (depot/lib/recipe.c) and pkg files (pkg.c): the
 * hash file pins content to a version; changed content without a bump is
 * refused with the command that bumps; bump picks today's date and then
 * letters; pkg recipes validate their runtime and archives files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "depot/depot.h"
#include "testutil.h"

/* 2026-11-21 12:00:00 UTC */
static const time_t today = 1795262400;

struct fixture {
	char *root;
	char recipes[4096];
	char depot[4096];
	struct depot_recipe_paths paths;
};

static int setup(void **state)
{
	static struct fixture f;
	f.root = tu_tmpdir();
	snprintf(f.recipes, sizeof f.recipes, "%s/recipes", f.root);
	snprintf(f.depot, sizeof f.depot, "%s/depot", f.root);
	f.paths = (struct depot_recipe_paths){ f.recipes, f.root };
	tu_write(f.root, "lib/hello.c", "int main(void) { return 0; }\n");
	tu_write(f.root, "lib/hello.h", "void hello(void);\n");
	tu_write(
		f.root, "recipes/src/hello/content",
		"# the hello sources\nlib/hello.c\nlib/hello.h include/hello.h\n");
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	tu_rmdir(f->root);
	return 0;
}

static void test_missing_hash_names_bump_command(void **state)
{
	struct fixture *f = *state;
	char version[DEPOT_PART_MAX], out[4096];
	uint8_t hash[DEPOT_SHA256_LEN];
	struct depot_diag diag;
	assert_int_equal(depot_recipe_check(&f->paths, "src", "hello", version,
	                                    hash, &diag),
	                 DEPOT_E_NO_HASH);
	assert_non_null(strstr(diag.detail, "depot bump src/hello"));
	assert_int_equal(depot_recipe_create(&f->paths, f->depot, "alice",
	                                     "src", "hello", out, &diag),
	                 DEPOT_E_NO_HASH);
}

static void test_bump_then_create(void **state)
{
	struct fixture *f = *state;
	char version[DEPOT_PART_MAX], out[4096];
	struct depot_diag diag;
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "hello", today,
	                                   version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-21");
	assert_int_equal(strncmp(tu_read(f->recipes, "src/hello/hash"),
	                         "2026-11-21 ", 11),
	                 0);
	assert_int_equal(depot_recipe_create(&f->paths, f->depot, "alice",
	                                     "src", "hello", out, &diag),
	                 DEPOT_OK);
	assert_true(tu_exists(f->depot, "alice/src/hello/2026-11-21.tar.zst"));
	/* Creating again with unchanged content succeeds (reproducible). */
	assert_int_equal(depot_recipe_create(&f->paths, f->depot, "alice",
	                                     "src", "hello", out, &diag),
	                 DEPOT_OK);
	/* An unchanged recipe keeps its version when bumped. */
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "hello",
	                                   today + 86400, version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-21");
}

static void test_changed_content_refused_until_bumped(void **state)
{
	struct fixture *f = *state;
	char version[DEPOT_PART_MAX], out[4096];
	uint8_t hash[DEPOT_SHA256_LEN];
	struct depot_diag diag;
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "hello", today,
	                                   version, &diag),
	                 DEPOT_OK);
	tu_write(f->root, "lib/hello.c", "int main(void) { return 1; }\n");
	assert_int_equal(depot_recipe_create(&f->paths, f->depot, "alice",
	                                     "src", "hello", out, &diag),
	                 DEPOT_E_NOT_BUMPED);
	assert_string_equal(diag.subject, "src/hello");
	assert_non_null(strstr(diag.detail, "'depot bump src/hello'"));
	/* Same day: the next version gets a letter. */
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "hello", today,
	                                   version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-21a");
	tu_write(f->root, "lib/hello.c", "int main(void) { return 2; }\n");
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "hello", today,
	                                   version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-21b");
	assert_int_equal(depot_recipe_check(&f->paths, "src", "hello", version,
	                                    hash, &diag),
	                 DEPOT_OK);
	/* Next day: the plain date again. */
	tu_write(f->root, "lib/hello.c", "int main(void) { return 3; }\n");
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "hello",
	                                   today + 86400, version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-22");
}

/* An existing archive of a version is never replaced by other content,
 * even if someone rewrites the hash file by hand. */
static void test_existing_version_immutable(void **state)
{
	struct fixture *f = *state;
	char version[DEPOT_PART_MAX], out[4096];
	struct depot_diag diag;
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "hello", today,
	                                   version, &diag),
	                 DEPOT_OK);
	assert_int_equal(depot_recipe_create(&f->paths, f->depot, "alice",
	                                     "src", "hello", out, &diag),
	                 DEPOT_OK);
	tu_write(f->root, "lib/hello.c", "changed\n");
	unlink(tu_path(f->recipes, "src/hello/hash"));
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "hello", today,
	                                   version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-21");
	assert_int_equal(depot_recipe_create(&f->paths, f->depot, "alice",
	                                     "src", "hello", out, &diag),
	                 DEPOT_E_EXISTS);
}

static void test_bad_recipes_refused(void **state)
{
	struct fixture *f = *state;
	char version[DEPOT_PART_MAX];
	struct depot_diag diag;
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "nothere", today,
	                                   version, &diag),
	                 DEPOT_E_RECIPE);
	assert_int_equal(depot_recipe_bump(&f->paths, "bin", "hello", today,
	                                   version, &diag),
	                 DEPOT_E_RECIPE);
	assert_int_equal(depot_recipe_bump(&f->paths, "src", "../x", today,
	                                   version, &diag),
	                 DEPOT_E_RECIPE);
	tu_write(f->root, "recipes/raw/bad/content", "../etc/passwd\n");
	assert_int_equal(depot_recipe_bump(&f->paths, "raw", "bad", today,
	                                   version, &diag),
	                 DEPOT_E_RECIPE);
	tu_write(f->root, "recipes/raw/gone/content", "lib/missing\n");
	assert_int_equal(depot_recipe_bump(&f->paths, "raw", "gone", today,
	                                   version, &diag),
	                 DEPOT_E_IO);
	tu_write(f->root, "recipes/raw/hash/content", "lib/hello.c\n");
	tu_write(f->root, "recipes/raw/hash/hash", "garbage\n");
	assert_int_equal(depot_recipe_bump(&f->paths, "raw", "hash", today,
	                                   version, &diag),
	                 DEPOT_E_RECIPE);
}

static void write_pkg(struct fixture *f, const char *runtime,
                      const char *archives)
{
	tu_write(f->root, "recipes/pkg/hello/README", "hello pkg\n");
	tu_write(f->root, "recipes/pkg/hello/runtime", runtime);
	tu_write(f->root, "recipes/pkg/hello/archives", archives);
}

static void test_pkg_recipe(void **state)
{
	struct fixture *f = *state;
	char version[DEPOT_PART_MAX], out[4096];
	struct depot_diag diag;
	write_pkg(f, "{\"binary\": \"hello\", \"ram\": \"2M\", \"caps\": 100}",
	          "alice/src/hello/2026-11-21\n");
	assert_int_equal(depot_recipe_bump(&f->paths, "pkg", "hello", today,
	                                   version, &diag),
	                 DEPOT_OK);
	assert_int_equal(depot_recipe_create(&f->paths, f->depot, "alice",
	                                     "pkg", "hello", out, &diag),
	                 DEPOT_OK);
	write_pkg(f, "{\"binary\": \"hello\", \"ram\": \"lots\", \"caps\": 1}",
	          "alice/src/hello/2026-11-21\n");
	assert_int_equal(depot_recipe_bump(&f->paths, "pkg", "hello", today,
	                                   version, &diag),
	                 DEPOT_E_RUNTIME);
	assert_string_equal(diag.subject, "runtime");
	assert_string_equal(diag.detail, "ram \"lots\": not a size (digits "
	                                 "with an optional K, M or G)");
	write_pkg(f, "{\"binary\": \"hello\", \"ram\": \"2M\", \"caps\": 1}",
	          "alice/src/hello\n");
	assert_int_equal(depot_recipe_bump(&f->paths, "pkg", "hello", today,
	                                   version, &diag),
	                 DEPOT_E_ARCHIVES_LIST);
	assert_non_null(strstr(diag.detail, "line 1"));
	unlink(tu_path(f->recipes, "pkg/hello/README"));
	assert_int_equal(depot_recipe_bump(&f->paths, "pkg", "hello", today,
	                                   version, &diag),
	                 DEPOT_E_IO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_missing_hash_names_bump_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bump_then_create, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
			test_changed_content_refused_until_bumped, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_existing_version_immutable,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_recipes_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_pkg_recipe, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
