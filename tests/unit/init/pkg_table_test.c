/*
 * Unit tests of what init makes of a pkg (runtime/init/pkg_table.c): core's
 * index of an archive (installed, missing, damaged; file names, the ones
 * no label could name skipped; hostile text refused), the archive a ROM
 * resolves to (the first of the search list that holds it, in the pkg's
 * order), and whether the pkg can start, with the words init logs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkg_table.h"

static const char runtime[] =
	"{\"binary\": \"hello\", \"ram\": \"1M\", \"caps\": 10,"
	" \"roms\": [\"font\"]}";
static const char archives[] =
	"alice/src/hello/1\nbob/raw/fonts/2\nalice/api/x/1\n"
	"bob/raw/more/3\n";

static struct pkg_table *table_with(const char *first, const char *second,
                                    const char *third)
{
	char error[PKG_PROBLEM_MAX];
	struct pkg_table *t = pkg_table_new("alice/pkg/hello/1", runtime,
	                                    strlen(runtime), archives,
	                                    strlen(archives), "x86_64", error,
	                                    sizeof(error));
	const char *texts[3] = { first, second, third };

	if (!t)
		fail_msg("%s", error);
	assert_int_equal(t->archives.count, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(pkg_index_parse(texts[i], strlen(texts[i]),
		                                 &t->indexes[i], error,
		                                 sizeof(error)),
		                 0);
	return t;
}

static void test_index_parse(void **state)
{
	(void)state;
	struct pkg_index index;
	char error[PKG_PROBLEM_MAX];
	const char *text =
		"installed\nhello\n../etc\n.hidden\nwith space\nREADME\n";

	assert_int_equal(pkg_index_parse(text, strlen(text), &index, error,
	                                 sizeof(error)),
	                 0);
	assert_int_equal(index.state, PKG_INDEX_INSTALLED);
	assert_int_equal(index.files.count, 2);
	assert_string_equal(index.files.names[0], "README"); /* sorted */
	assert_string_equal(index.files.names[1], "hello");
	pkg_index_clear(&index);
	text = "damaged hello: sha256 differs";
	assert_int_equal(pkg_index_parse(text, strlen(text), &index, error,
	                                 sizeof(error)),
	                 0);
	assert_int_equal(index.state, PKG_INDEX_DAMAGED);
	assert_string_equal(index.why, "hello: sha256 differs");
	pkg_index_clear(&index);
	assert_int_equal(pkg_index_parse("missing", 7, &index, error,
	                                 sizeof(error)),
	                 0);
	assert_int_equal(index.state, PKG_INDEX_MISSING);
	assert_int_equal(pkg_index_parse("installedx\n", 11, &index, error,
	                                 sizeof(error)),
	                 -1);
	assert_non_null(strstr(error, "starts with neither"));
	assert_int_equal(pkg_index_parse("installed\0x", 11, &index, error,
	                                 sizeof(error)),
	                 -1);
	assert_int_equal(pkg_index_parse("", 0, &index, error, sizeof(error)),
	                 -1);
	assert_int_equal(pkg_index_parse(text, PKG_INDEX_MAX + 1, &index, error,
	                                 sizeof(error)),
	                 -1);
	assert_int_equal(index.files.count, 0);
}

static void test_rom_resolves_to_the_first_archive_holding_it(void **state)
{
	struct pkg_table *t = table_with("installed\nhello\nfont\n",
	                                 "installed\nfont\nlogo\n",
	                                 "installed\nlogo\nextra\n");
	char problem[PKG_PROBLEM_MAX];

	(void)state;
	assert_string_equal(t->archives.names[0], "alice/bin/x86_64/hello/1");
	assert_string_equal(pkg_table_find(t, "hello"),
	                    "alice/bin/x86_64/hello/1");
	assert_string_equal(pkg_table_find(t, "font"),
	                    "alice/bin/x86_64/hello/1");
	assert_string_equal(pkg_table_find(t, "logo"), "bob/raw/fonts/2");
	assert_string_equal(pkg_table_find(t, "extra"), "bob/raw/more/3");
	assert_null(pkg_table_find(t, "init.config"));
	assert_null(pkg_table_find(t, "runtime"));
	assert_true(pkg_table_ready(t, problem, sizeof(problem)));
	pkg_table_free(t);
}

static void test_missing_archive_names_it_and_the_command(void **state)
{
	struct pkg_table *t = table_with("installed\nhello\nfont\n",
	                                 "missing\n", "installed\n");
	char problem[PKG_PROBLEM_MAX];

	(void)state;
	assert_false(pkg_table_ready(t, problem, sizeof(problem)));
	assert_string_equal(
		problem,
		"archive bob/raw/fonts/2 is missing: install it with "
		"'depot --depot TARGET/depot download alice/pkg/hello/1'");
	assert_null(pkg_table_find(t, "nothing"));
	pkg_table_free(t);
}

static void test_damaged_archive_names_it(void **state)
{
	struct pkg_table *t = table_with("damaged hello: size differs",
	                                 "installed\n", "installed\n");
	char problem[PKG_PROBLEM_MAX];

	(void)state;
	assert_false(pkg_table_ready(t, problem, sizeof(problem)));
	assert_non_null(strstr(problem,
	                       "archive alice/bin/x86_64/hello/1 is damaged "
	                       "(hello: size differs)"));
	/* a damaged archive serves nothing */
	assert_null(pkg_table_find(t, "hello"));
	pkg_table_free(t);
}

static void test_binary_or_rom_in_no_archive(void **state)
{
	struct pkg_table *t = table_with("installed\nfont\n", "installed\n",
	                                 "installed\n");
	char problem[PKG_PROBLEM_MAX];

	(void)state;
	assert_false(pkg_table_ready(t, problem, sizeof(problem)));
	assert_non_null(strstr(problem,
	                       "its binary \"hello\" is in none of pkg "
	                       "alice/pkg/hello/1's archives"));
	pkg_table_free(t);
	t = table_with("installed\nhello\n", "installed\n", "installed\n");
	assert_false(pkg_table_ready(t, problem, sizeof(problem)));
	assert_non_null(strstr(problem, "ROM \"font\" is in none"));
	pkg_table_free(t);
}

static void test_bad_pkg_files_are_refused(void **state)
{
	char error[PKG_PROBLEM_MAX];

	(void)state;
	assert_null(pkg_table_new("a/pkg/b/1", "{}", 2, archives,
	                          strlen(archives), "x86_64", error,
	                          sizeof(error)));
	assert_non_null(strstr(
		error, "its runtime file is invalid: \"binary\" is missing"));
	assert_null(pkg_table_new("a/pkg/b/1", runtime, strlen(runtime),
	                          "a/src/../1", 10, "x86_64", error,
	                          sizeof(error)));
	assert_non_null(strstr(error, "its archives file is invalid: line 1"));
}

static void test_rom_names(void **state)
{
	(void)state;
	assert_true(pkg_rom_name_is_valid("hello"));
	assert_true(pkg_rom_name_is_valid("a.b-c_D9"));
	assert_false(pkg_rom_name_is_valid(""));
	assert_false(pkg_rom_name_is_valid(".."));
	assert_false(pkg_rom_name_is_valid(".x"));
	assert_false(pkg_rom_name_is_valid("a/b"));
	assert_false(pkg_rom_name_is_valid("a b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_parse),
		cmocka_unit_test(
			test_rom_resolves_to_the_first_archive_holding_it),
		cmocka_unit_test(test_missing_archive_names_it_and_the_command),
		cmocka_unit_test(test_damaged_archive_names_it),
		cmocka_unit_test(test_binary_or_rom_in_no_archive),
		cmocka_unit_test(test_bad_pkg_files_are_refused),
		cmocka_unit_test(test_rom_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
