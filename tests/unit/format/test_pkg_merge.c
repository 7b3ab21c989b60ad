/*
 * Unit tests of what libformat says about a pkg child (format/pkg_runtime.h,
 * format/pkg_archives.h, runtime/format/README.md): a start entry naming a
 * pkg may leave out ram, caps, provides and config; runtime_child_apply_pkg
 * fills them in from the pkg's runtime file with the entry's own fields
 * winning; the archives file is read line by line with exact messages; and
 * the archives init searches are derived from it (src to bin of the arch,
 * raw kept, api and nested pkgs left out), in list order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/pkg_archives.h"
#include "format/pkg_runtime.h"

static struct runtime_config *config_of(const char *text)
{
	struct runtime_config *config = NULL;
	struct runtime_config_error error;

	if (runtime_config_parse(text, strlen(text), &config, &error) !=
	    RUNTIME_CONFIG_OK)
		fail_msg("%s", error.message);
	return config;
}

static struct pkg_runtime *runtime_of(const char *text)
{
	struct pkg_runtime *runtime = NULL;
	struct runtime_config_error error;

	if (pkg_runtime_parse(text, strlen(text), &runtime, &error) !=
	    RUNTIME_CONFIG_OK)
		fail_msg("%s", error.message);
	return runtime;
}

static const char hello_runtime[] =
	"{\"binary\": \"hello\", \"ram\": \"2M\", \"caps\": 80, \"provides\": [\"Hello\"],"
	" \"requires\": [\"LOG\"], \"config\": {\"greeting\": \"from the pkg\"}}";

static void test_pkg_entry_needs_no_ram(void **state)
{
	(void)state;
	struct runtime_config *config = config_of(
		"{\"start\": [{\"name\": \"hello\", \"pkg\": \"alice/pkg/hello/1\"}]}");
	const struct runtime_child *hello = &config->start[0];

	assert_false(hello->ram_given);
	assert_false(hello->caps_given);
	assert_false(hello->provides_given);
	assert_int_equal(hello->ram, 0);
	char *text = runtime_config_to_json(config);
	assert_string_equal(
		text, "{\"parent_provides\":[],\"default_route\":[],\"start\":"
		      "[{\"name\":\"hello\",\"pkg\":\"alice/pkg/hello/1\"}]}");
	free(text);
	runtime_config_free(config);
}

static void test_binary_entry_still_needs_ram(void **state)
{
	(void)state;
	struct runtime_config *config = NULL;
	struct runtime_config_error error;
	const char *text =
		"{\"start\": [{\"name\": \"t\", \"binary\": \"timer\"}]}";

	assert_int_equal(runtime_config_parse(text, strlen(text), &config,
	                                      &error),
	                 RUNTIME_CONFIG_INVALID);
	assert_string_equal(
		error.message,
		"start[0] \"t\": \"ram\" is missing (bytes, or a size like \"2M\")");
}

/* With a pkg, "binary" names which program of its archives runs (init's
 * remote proxies from a base pkg): kept through the merge and written back. */
static void test_pkg_entry_may_name_its_binary(void **state)
{
	(void)state;
	struct runtime_config *config = config_of(
		"{\"start\": [{\"name\": \"t\", \"pkg\": \"a/pkg/t/1\", \"binary\": \"other\"}]}");
	struct pkg_runtime *runtime = runtime_of(hello_runtime);
	struct runtime_child merged;
	struct runtime_config_error error;
	char *json = runtime_config_to_json(config);

	assert_non_null(strstr(json,
	                       "\"binary\":\"other\",\"pkg\":\"a/pkg/t/1\""));
	assert_int_equal(runtime_child_apply_pkg(&config->start[0], runtime,
	                                         &merged, &error),
	                 RUNTIME_CONFIG_OK);
	assert_string_equal(merged.binary, "other");
	assert_string_equal(merged.pkg, "a/pkg/t/1");
	runtime_child_clear(&merged);
	pkg_runtime_free(runtime);
	free(json);
	runtime_config_free(config);
}

static void test_route_to_pkg_without_provides_is_checked_later(void **state)
{
	(void)state;
	struct runtime_config *config = config_of(
		"{\"start\": [{\"name\": \"hello\", \"pkg\": \"alice/pkg/hello/1\"},"
		" {\"name\": \"c\", \"binary\": \"c\", \"ram\": 1,"
		"  \"route\": [{\"service\": \"Hello\", \"to\": \"hello\"}]}]}");
	runtime_config_free(config);

	/* with its own provides, the entry is checked when it is read */
	struct runtime_config_error error;
	const char *text =
		"{\"start\": [{\"name\": \"hello\", \"pkg\": \"a/pkg/h/1\", \"provides\": []},"
		" {\"name\": \"c\", \"binary\": \"c\", \"ram\": 1,"
		"  \"route\": [{\"service\": \"Hello\", \"to\": \"hello\"}]}]}";
	assert_int_equal(runtime_config_parse(text, strlen(text), &config,
	                                      &error),
	                 RUNTIME_CONFIG_INVALID);
	assert_string_equal(
		error.message,
		"start[1] \"c\": route[0]: child \"hello\" does not provide \"Hello\"");
}

static void test_merge_fills_in_from_the_runtime_file(void **state)
{
	(void)state;
	struct runtime_config *config = config_of(
		"{\"start\": [{\"name\": \"hello\", \"pkg\": \"alice/pkg/hello/1\", \"version\": \"3\","
		" \"restart\": \"always\","
		" \"route\": [{\"service\": \"LOG\", \"label_last\": \"x\", \"to\": \"parent\"}]}],"
		" \"parent_provides\": [\"LOG\"]}");
	struct pkg_runtime *runtime = runtime_of(hello_runtime);
	struct runtime_config_error error;
	struct runtime_child merged;

	assert_int_equal(runtime_child_apply_pkg(&config->start[0], runtime,
	                                         &merged, &error),
	                 RUNTIME_CONFIG_OK);
	runtime_config_free(config); /* the merged child owns its copies */
	pkg_runtime_free(runtime);
	assert_string_equal(merged.name, "hello");
	assert_string_equal(merged.pkg, "alice/pkg/hello/1");
	assert_null(merged.binary);
	assert_string_equal(merged.version, "3");
	assert_int_equal(merged.restart, RUNTIME_RESTART_ALWAYS);
	assert_int_equal(merged.ram, 2 << 20);
	assert_int_equal(merged.caps, 80);
	assert_true(merged.ram_given && merged.caps_given &&
	            merged.provides_given);
	assert_int_equal(merged.provides.count, 1);
	assert_string_equal(merged.provides.names[0], "Hello");
	assert_string_equal(merged.config, "{\"greeting\":\"from the pkg\"}");
	assert_int_equal(merged.route.count, 1);
	assert_string_equal(merged.route.rules[0].label_last, "x");
	assert_int_equal(merged.route.rules[0].to, RUNTIME_TO_PARENT);
	runtime_child_clear(&merged);
}

static void test_entry_fields_override(void **state)
{
	(void)state;
	struct runtime_config *config = config_of(
		"{\"start\": [{\"name\": \"hello\", \"pkg\": \"alice/pkg/hello/1\", \"ram\": \"1M\","
		" \"caps\": 7, \"provides\": [], \"config\": {\"greeting\": \"mine\"}}]}");
	struct pkg_runtime *runtime = runtime_of(hello_runtime);
	struct runtime_config_error error;
	struct runtime_child merged;

	assert_int_equal(runtime_child_apply_pkg(&config->start[0], runtime,
	                                         &merged, &error),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(merged.ram, 1 << 20);
	assert_int_equal(merged.caps, 7);
	assert_int_equal(merged.provides.count, 0); /* given empty: none */
	assert_string_equal(merged.config, "{\"greeting\":\"mine\"}");
	runtime_child_clear(&merged);
	runtime_config_free(config);
	pkg_runtime_free(runtime);
}

static void test_merged_figures_feed_the_quota_check(void **state)
{
	(void)state;
	struct runtime_config *config = config_of(
		"{\"start\": [{\"name\": \"hello\", \"pkg\": \"alice/pkg/hello/1\"}]}");
	struct pkg_runtime *runtime = runtime_of(hello_runtime);
	struct runtime_config_error error;
	struct runtime_child merged;

	assert_int_equal(runtime_config_check_quota(config, 1 << 20, 50,
	                                            &error),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(runtime_child_apply_pkg(&config->start[0], runtime,
	                                         &merged, &error),
	                 RUNTIME_CONFIG_OK);
	runtime_child_clear(&config->start[0]);
	config->start[0] = merged;
	assert_int_equal(runtime_config_check_quota(config, 1 << 20, 50,
	                                            &error),
	                 RUNTIME_CONFIG_OVER_QUOTA);
	assert_string_equal(
		error.message,
		"start[0] \"hello\": needs 2097152 bytes of ram but "
		"only 1048576 of init's 1048576 are left");
	runtime_config_free(config);
	pkg_runtime_free(runtime);
}

/* --- the archives file ------------------------------------------------- */

static const char archives_text[] = "# what hello needs\n"
				    "alice/src/hello/1\n"
				    "\n"
				    "  bob/raw/fonts/2  \n"
				    "alice/api/base/3\n"
				    "alice/pkg/timer/4\n"
				    "alice/bin/x86_64/tool/5\n"
				    "alice/bin/riscv64/tool/5\n"
				    "alice/src/hello/1\n"
				    "carol/src/lib+x/6\r\n";

static void test_archives_parse(void **state)
{
	(void)state;
	struct pkg_archives *list = NULL;
	struct runtime_config_error error;

	assert_int_equal(pkg_archives_parse(archives_text,
	                                    strlen(archives_text), &list,
	                                    &error),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(list->count, 8);
	assert_int_equal(list->entries[0].kind, PKG_ARCHIVE_SRC);
	assert_string_equal(list->entries[0].user, "alice");
	assert_string_equal(list->entries[0].name, "hello");
	assert_string_equal(list->entries[0].version, "1");
	assert_null(list->entries[0].arch);
	assert_int_equal(list->entries[0].line, 2);
	assert_string_equal(list->entries[1].text, "bob/raw/fonts/2");
	assert_int_equal(list->entries[1].line, 4);
	assert_int_equal(list->entries[4].kind, PKG_ARCHIVE_BIN);
	assert_string_equal(list->entries[4].arch, "x86_64");
	assert_string_equal(list->entries[4].name, "tool");
	assert_string_equal(list->entries[7].text, "carol/src/lib+x/6");
	pkg_archives_free(list);
}

static void expect_refused(const char *text, size_t length, const char *message)
{
	struct pkg_archives *list = (struct pkg_archives *)1;
	struct runtime_config_error error;

	assert_int_equal(pkg_archives_parse(text, length, &list, &error),
	                 RUNTIME_CONFIG_INVALID);
	assert_null(list);
	assert_string_equal(error.message, message);
}

static void test_archives_errors(void **state)
{
	(void)state;
	char long_line[600];

	expect_refused("a/src/b/1\n\na/src/../2\n", 22,
	               "line 3: \"a/src/../2\": part \"..\" starts with '.'");
	expect_refused(
		"a/src/b/1/2", 11,
		"line 1: \"a/src/b/1/2\": expected user/{src,api,raw,pkg}/name/version");
	expect_refused(
		"a/bin/b/1", 9,
		"line 1: \"a/bin/b/1\": expected user/bin/arch/name/version");
	expect_refused(
		"a/zip/b/1", 9,
		"line 1: \"a/zip/b/1\": expected user/{src,api,raw,pkg}/name/version");
	expect_refused(
		"a//b/1", 6,
		"line 1: \"a//b/1\": expected user/{src,api,raw,pkg}/name/version");
	expect_refused(
		"a/src/b c/1", 11,
		"line 1: \"a/src/b c/1\": part \"b c\" has characters outside [A-Za-z0-9._+-]");
	expect_refused("a/src/b/1\0a/src/c/1", 19, "contains a NUL byte");
	memset(long_line, 'x', sizeof(long_line));
	expect_refused(long_line, sizeof(long_line),
	               "line 1: longer than 480 bytes");
}

static void test_search_list(void **state)
{
	(void)state;
	struct pkg_archives *list = NULL;
	struct runtime_config_error error;
	struct runtime_name_list search;

	assert_int_equal(pkg_archives_parse(archives_text,
	                                    strlen(archives_text), &list,
	                                    &error),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(pkg_archives_search_list(list, "x86_64", &search),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(search.count, 4);
	assert_string_equal(search.names[0], "alice/bin/x86_64/hello/1");
	assert_string_equal(search.names[1], "bob/raw/fonts/2");
	assert_string_equal(search.names[2], "alice/bin/x86_64/tool/5");
	assert_string_equal(search.names[3], "carol/bin/x86_64/lib+x/6");
	runtime_name_list_clear(&search);
	assert_int_equal(pkg_archives_search_list(list, "riscv64", &search),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(search.count, 4);
	assert_string_equal(search.names[0], "alice/bin/riscv64/hello/1");
	assert_string_equal(search.names[2], "alice/bin/riscv64/tool/5");
	runtime_name_list_clear(&search);
	pkg_archives_free(list);
	assert_true(strcmp(PKG_BIN_ARCH, "x86_64") == 0 ||
	            strcmp(PKG_BIN_ARCH, "aarch64") == 0 ||
	            strcmp(PKG_BIN_ARCH, "riscv64") == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkg_entry_needs_no_ram),
		cmocka_unit_test(test_binary_entry_still_needs_ram),
		cmocka_unit_test(test_pkg_entry_may_name_its_binary),
		cmocka_unit_test(
			test_route_to_pkg_without_provides_is_checked_later),
		cmocka_unit_test(test_merge_fills_in_from_the_runtime_file),
		cmocka_unit_test(test_entry_fields_override),
		cmocka_unit_test(test_merged_figures_feed_the_quota_check),
		cmocka_unit_test(test_archives_parse),
		cmocka_unit_test(test_archives_errors),
		cmocka_unit_test(test_search_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
