/*
 * Unit tests of libformat's runtime configuration (format/runtime_config.h):
 * valid documents (the example of DESIGN.md), defaults, size suffixes, the
 * canonical serialisation and its round trip, and the quota check. Error
 * messages of invalid documents are in test_errors.c, hostile input in
 * test_hostile.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/runtime_config.h"

static const char design_example[] =
	"{\n"
	"  \"version\": \"7\",\n"
	"  \"parent_provides\": [\"ROM\", \"LOG\", \"PD\", \"CPU\", \"RM\"],\n"
	"  \"default_route\": [{\"service\": \"*\", \"to\": \"parent\"}],\n"
	"  \"report\": {\"delay_ms\": 100},\n"
	"  \"start\": [\n"
	"    {\"name\": \"timer\", \"binary\": \"timer\", \"ram\": \"1M\", \"caps\": 100,\n"
	"     \"provides\": [\"Timer\"]},\n"
	"    {\"name\": \"hello\", \"pkg\": \"alice/pkg/hello/2026-11-21\", \"ram\": \"2M\",\n"
	"     \"route\": [{\"service\": \"Timer\", \"to\": \"timer\"},\n"
	"               {\"service\": \"LOG\", \"label_prefix\": \"hello\", \"to\": \"parent\"}],\n"
	"     \"config\": {\"greeting\": \"hi\"}}\n"
	"  ]\n"
	"}\n";

static const char design_canonical[] =
	"{\"version\":\"7\",\"parent_provides\":[\"ROM\",\"LOG\",\"PD\",\"CPU\",\"RM\"],"
	"\"default_route\":[{\"service\":\"*\",\"to\":\"parent\"}],"
	"\"report\":{\"delay_ms\":100},"
	"\"start\":[{\"name\":\"timer\",\"binary\":\"timer\",\"ram\":1048576,\"caps\":100,"
	"\"provides\":[\"Timer\"]},"
	"{\"name\":\"hello\",\"pkg\":\"alice/pkg/hello/2026-11-21\",\"ram\":2097152,"
	"\"route\":[{\"service\":\"Timer\",\"to\":\"timer\"},"
	"{\"service\":\"LOG\",\"label_prefix\":\"hello\",\"to\":\"parent\"}],"
	"\"config\":{\"greeting\":\"hi\"}}]}";

static struct runtime_config *parse_ok(const char *text)
{
	struct runtime_config *config = NULL;
	struct runtime_config_error error;
	enum runtime_config_status status =
		runtime_config_parse(text, strlen(text), &config, &error);
	if (status != RUNTIME_CONFIG_OK)
		fail_msg("unexpected error: %s", error.message);
	assert_non_null(config);
	return config;
}

static void test_design_example_top_level(void **state)
{
	struct runtime_config *config = parse_ok(design_example);

	assert_string_equal(config->version, "7");
	assert_int_equal(config->parent_provides.count, 5);
	assert_string_equal(config->parent_provides.names[0], "ROM");
	assert_string_equal(config->parent_provides.names[4], "RM");
	assert_int_equal(config->default_route.count, 1);
	assert_string_equal(config->default_route.rules[0].service, "*");
	assert_int_equal(config->default_route.rules[0].to, RUNTIME_TO_PARENT);
	assert_true(config->report);
	assert_int_equal(config->report_delay_ms, 100);
	assert_int_equal(config->start_count, 2);
	runtime_config_free(config);
}

static void test_design_example_children(void **state)
{
	struct runtime_config *config = parse_ok(design_example);
	const struct runtime_child *timer = runtime_config_find_child(config,
	                                                              "timer");
	const struct runtime_child *hello = runtime_config_find_child(config,
	                                                              "hello");

	assert_ptr_equal(timer, &config->start[0]);
	assert_string_equal(timer->binary, "timer");
	assert_null(timer->pkg);
	assert_int_equal(timer->ram, 1048576);
	assert_int_equal(timer->caps, 100);
	assert_true(runtime_name_list_has(&timer->provides, "Timer"));
	assert_false(runtime_name_list_has(&timer->provides, "LOG"));
	assert_null(timer->config);

	assert_ptr_equal(hello, &config->start[1]);
	assert_null(hello->binary);
	assert_string_equal(hello->pkg, "alice/pkg/hello/2026-11-21");
	assert_int_equal(hello->ram, 2097152);
	assert_true(hello->ram_given);
	/* a pkg entry without caps or provides: its runtime file gives them */
	assert_false(hello->caps_given);
	assert_int_equal(hello->caps, 0);
	assert_false(hello->provides_given);
	assert_int_equal(hello->route.count, 2);
	assert_int_equal(hello->route.rules[0].to, RUNTIME_TO_CHILD);
	assert_string_equal(hello->route.rules[0].child, "timer");
	assert_string_equal(hello->route.rules[1].label_prefix, "hello");
	assert_null(hello->route.rules[1].label);
	assert_string_equal(hello->config, "{\"greeting\":\"hi\"}");
	assert_null(runtime_config_find_child(config, "nobody"));
	runtime_config_free(config);
}

static void test_empty_object_is_an_empty_configuration(void **state)
{
	struct runtime_config *config = parse_ok("  {}  \n");

	assert_null(config->version);
	assert_int_equal(config->parent_provides.count, 0);
	assert_int_equal(config->default_route.count, 0);
	assert_false(config->report);
	assert_int_equal(config->start_count, 0);
	runtime_config_free(config);
}

static void test_input_need_not_be_nul_terminated(void **state)
{
	/* Only the first two bytes belong to the document. */
	const char text[] = { '{', '}', 'x', 'x' };
	struct runtime_config *config = NULL;
	struct runtime_config_error error;

	assert_int_equal(runtime_config_parse(text, 2, &config, &error),
	                 RUNTIME_CONFIG_OK);
	runtime_config_free(config);
	assert_int_equal(runtime_config_parse(text, 3, &config, &error),
	                 RUNTIME_CONFIG_BAD_JSON);
	assert_null(config);
}

static void test_all_route_fields(void **state)
{
	struct runtime_config *config = parse_ok(
		"{\"start\": [{\"name\": \"a.b_c-1\", \"binary\": \"a\", \"ram\": 4096, \"caps\": 0,"
		" \"version\": \"2\", \"route\": [{\"service\": \"LOG\", \"label\": \"a -> x\","
		" \"label_prefix\": \"a\", \"label_suffix\": \"x\", \"label_last\": \"x\","
		" \"to\": \"any-child\"}]}]}");
	const struct runtime_route_rule *rule =
		&config->start[0].route.rules[0];

	assert_string_equal(config->start[0].name, "a.b_c-1");
	assert_string_equal(config->start[0].version, "2");
	assert_int_equal(config->start[0].caps, 0);
	assert_string_equal(rule->service, "LOG");
	assert_string_equal(rule->label, "a -> x");
	assert_string_equal(rule->label_prefix, "a");
	assert_string_equal(rule->label_suffix, "x");
	assert_string_equal(rule->label_last, "x");
	assert_int_equal(rule->to, RUNTIME_TO_ANY_CHILD);
	assert_null(rule->child);
	runtime_config_free(config);
}

/* The ram of a one-child configuration with the given "ram" JSON value. */
static uint64_t ram_of(const char *ram_json)
{
	char text[256];
	snprintf(
		text, sizeof(text),
		"{\"start\": [{\"name\": \"a\", \"binary\": \"a\", \"ram\": %s}]}",
		ram_json);
	struct runtime_config *config = parse_ok(text);
	uint64_t ram = config->start[0].ram;
	runtime_config_free(config);
	return ram;
}

static void test_size_suffixes(void **state)
{
	assert_int_equal(ram_of("\"0\""), 0);
	assert_int_equal(ram_of("\"12\""), 12);
	assert_int_equal(ram_of("\"3K\""), 3 * 1024);
	assert_int_equal(ram_of("\"2M\""), 2 * 1024 * 1024);
	assert_int_equal(ram_of("\"5G\""), UINT64_C(5) << 30);
	assert_int_equal(ram_of("\"262144G\""), RUNTIME_RAM_MAX);
	assert_int_equal(ram_of("4096"), 4096);
	assert_int_equal(ram_of("4096.0"), 4096);
	assert_int_equal(ram_of("281474976710656"), RUNTIME_RAM_MAX);
}

static void test_canonical_text_of_the_design_example(void **state)
{
	struct runtime_config *config = parse_ok(design_example);
	char *text = runtime_config_to_json(config);

	assert_non_null(text);
	assert_string_equal(text, design_canonical);
	free(text);
	runtime_config_free(config);
}

static void test_round_trip(void **state)
{
	const char *documents[] = {
		design_example,
		"{}",
		"{\"start\": [{\"name\": \"a.b_c-1\", \"binary\": \"a\", \"ram\": 4096, \"caps\": 0,"
		" \"version\": \"2\", \"provides\": [\"X\", \"Y\"], \"route\": [{\"service\": \"LOG\","
		" \"label\": \"a -> \\\"q\\\"\", \"label_prefix\": \"\", \"label_suffix\": \"x\","
		" \"label_last\": \"x\", \"to\": \"any-child\"}], \"config\": {\"n\": [1, 2.5, null,"
		" true, {\"deep\": {}}], \"s\": \"\\u00e9\\n\"}}]}",
	};

	for (size_t i = 0; i < sizeof(documents) / sizeof(documents[0]); i++) {
		struct runtime_config *first = parse_ok(documents[i]);
		char *first_text = runtime_config_to_json(first);
		assert_non_null(first_text);
		struct runtime_config *second = parse_ok(first_text);
		char *second_text = runtime_config_to_json(second);
		assert_non_null(second_text);
		assert_string_equal(first_text, second_text);
		assert_int_equal(first->start_count, second->start_count);
		for (size_t c = 0; c < first->start_count; c++) {
			assert_string_equal(first->start[c].name,
			                    second->start[c].name);
			assert_int_equal(first->start[c].ram,
			                 second->start[c].ram);
			assert_int_equal(first->start[c].caps,
			                 second->start[c].caps);
		}
		free(first_text);
		free(second_text);
		runtime_config_free(first);
		runtime_config_free(second);
	}
}

static void test_round_trip_keeps_config_text_verbatim(void **state)
{
	struct runtime_config *config = parse_ok(
		"{\"start\": [{\"name\": \"a\", \"binary\": \"a\", \"ram\": 1,"
		" \"config\": { \"b\" : [ 1 , 2 ], \"a\" : { } } }]}");
	char *text = runtime_config_to_json(config);

	/* Key order is kept, whitespace goes. */
	assert_string_equal(config->start[0].config, "{\"b\":[1,2],\"a\":{}}");
	assert_non_null(strstr(text, "\"config\":{\"b\":[1,2],\"a\":{}}"));
	free(text);
	runtime_config_free(config);
}

static void test_quota_fits_exactly(void **state)
{
	struct runtime_config *config = parse_ok(design_example);
	struct runtime_config_error error;

	assert_int_equal(runtime_config_check_quota(config, 3 << 20, 150,
	                                            &error),
	                 RUNTIME_CONFIG_OK);
	assert_string_equal(error.message, "");
	runtime_config_free(config);
}

static void test_quota_ram_short_names_the_child(void **state)
{
	struct runtime_config *config = parse_ok(design_example);
	struct runtime_config_error error;

	assert_int_equal(runtime_config_check_quota(config, (3 << 20) - 1, 150,
	                                            &error),
	                 RUNTIME_CONFIG_OVER_QUOTA);
	assert_string_equal(
		error.message,
		"start[1] \"hello\": needs 2097152 bytes of ram but only 2097151 "
		"of init's 3145727 are left");
	assert_int_equal(runtime_config_check_quota(config, 0, 150, &error),
	                 RUNTIME_CONFIG_OVER_QUOTA);
	assert_string_equal(
		error.message,
		"start[0] \"timer\": needs 1048576 bytes of ram but only 0 "
		"of init's 0 are left");
	runtime_config_free(config);
}

static void test_quota_caps_short_names_the_child(void **state)
{
	struct runtime_config *config = parse_ok(design_example);
	struct runtime_config_error error;

	assert_int_equal(runtime_config_check_quota(config, 3 << 20, 99,
	                                            &error),
	                 RUNTIME_CONFIG_OVER_QUOTA);
	assert_string_equal(
		error.message,
		"start[0] \"timer\": needs 100 caps but only 99 of init's 99 are left");
	runtime_config_free(config);
}

static void test_quota_sums_do_not_overflow(void **state)
{
	struct runtime_config *config = parse_ok(
		"{\"start\": [{\"name\": \"a\", \"binary\": \"a\", \"ram\": \"262144G\"},"
		"             {\"name\": \"b\", \"binary\": \"a\", \"ram\": \"262144G\"}]}");
	struct runtime_config_error error;

	assert_int_equal(runtime_config_check_quota(config, UINT64_MAX,
	                                            UINT64_MAX, &error),
	                 RUNTIME_CONFIG_OK);
	assert_int_equal(runtime_config_check_quota(config,
	                                            RUNTIME_RAM_MAX * 2 - 1,
	                                            UINT64_MAX, &error),
	                 RUNTIME_CONFIG_OVER_QUOTA);
	assert_non_null(strstr(error.message, "start[1] \"b\""));
	runtime_config_free(config);
}

/* The restart policy: "never" by default and left out of the canonical
 * text, the other two kept. */
static void test_restart_policy(void **state)
{
	struct runtime_config *config = parse_ok(
		"{\"start\": [{\"name\": \"a\", \"binary\": \"a\", \"ram\": 1},"
		" {\"name\": \"b\", \"binary\": \"a\", \"ram\": 1, \"restart\": \"never\"},"
		" {\"name\": \"c\", \"binary\": \"a\", \"ram\": 1, \"restart\": \"on-failure\"},"
		" {\"name\": \"d\", \"binary\": \"a\", \"ram\": 1, \"restart\": \"always\"}]}");
	char *text = runtime_config_to_json(config);

	assert_int_equal(config->start[0].restart, RUNTIME_RESTART_NEVER);
	assert_int_equal(config->start[1].restart, RUNTIME_RESTART_NEVER);
	assert_int_equal(config->start[2].restart, RUNTIME_RESTART_ON_FAILURE);
	assert_int_equal(config->start[3].restart, RUNTIME_RESTART_ALWAYS);
	assert_non_null(text);
	assert_string_equal(
		text,
		"{\"parent_provides\":[],\"default_route\":[],\"start\":["
		"{\"name\":\"a\",\"binary\":\"a\",\"ram\":1,\"caps\":50},"
		"{\"name\":\"b\",\"binary\":\"a\",\"ram\":1,\"caps\":50},"
		"{\"name\":\"c\",\"binary\":\"a\",\"ram\":1,\"caps\":50,\"restart\":\"on-failure\"},"
		"{\"name\":\"d\",\"binary\":\"a\",\"ram\":1,\"caps\":50,\"restart\":\"always\"}]}");
	free(text);
	runtime_config_free(config);
}

/* Heartbeats: the top-level rate and a child's restart_after_skipped,
 * both kept by the canonical text. */
static void test_heartbeat(void **state)
{
	struct runtime_config *config = parse_ok(
		"{\"heartbeat\": {\"rate_ms\": 250}, \"start\": [{\"name\": \"a\","
		" \"binary\": \"a\", \"ram\": 1, \"restart_after_skipped\": 3}]}");
	char *text = runtime_config_to_json(config);

	assert_int_equal(config->heartbeat_rate_ms, 250);
	assert_int_equal(config->start[0].restart_after_skipped, 3);
	assert_non_null(text);
	assert_string_equal(
		text,
		"{\"parent_provides\":[],\"default_route\":[],\"heartbeat\":{\"rate_ms\":250},"
		"\"start\":[{\"name\":\"a\",\"binary\":\"a\",\"ram\":1,\"caps\":50,"
		"\"restart_after_skipped\":3}]}");
	free(text);
	runtime_config_free(config);
}

/* The yield deadline: kept by the canonical text; absent, not written. */
static void test_yield_deadline(void **state)
{
	struct runtime_config *config =
		parse_ok("{\"yield\": {\"deadline_ms\": 750}, \"start\": []}");
	char *text = runtime_config_to_json(config);

	(void)state;
	assert_int_equal(config->yield_deadline_ms, 750);
	assert_non_null(text);
	assert_string_equal(
		text,
		"{\"parent_provides\":[],\"default_route\":[],\"yield\":{\"deadline_ms\":750},"
		"\"start\":[]}");
	free(text);
	runtime_config_free(config);
	config = parse_ok("{\"start\": []}");
	assert_int_equal(config->yield_deadline_ms, 0);
	runtime_config_free(config);
}

static void test_service_name_validity(void **state)
{
	assert_true(runtime_service_name_is_valid("File_system"));
	assert_true(runtime_service_name_is_valid("a.b-c"));
	assert_false(runtime_service_name_is_valid(""));
	assert_false(runtime_service_name_is_valid("*"));
	assert_false(runtime_service_name_is_valid("L O G"));
	char name[RUNTIME_NAME_MAX + 2];
	memset(name, 'S', RUNTIME_NAME_MAX);
	name[RUNTIME_NAME_MAX] = '\0';
	assert_true(runtime_service_name_is_valid(name));
	name[RUNTIME_NAME_MAX] = 'S';
	name[RUNTIME_NAME_MAX + 1] = '\0';
	assert_false(runtime_service_name_is_valid(name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_example_top_level),
		cmocka_unit_test(test_design_example_children),
		cmocka_unit_test(test_empty_object_is_an_empty_configuration),
		cmocka_unit_test(test_input_need_not_be_nul_terminated),
		cmocka_unit_test(test_all_route_fields),
		cmocka_unit_test(test_size_suffixes),
		cmocka_unit_test(test_canonical_text_of_the_design_example),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_yield_deadline),
		cmocka_unit_test(test_round_trip_keeps_config_text_verbatim),
		cmocka_unit_test(test_quota_fits_exactly),
		cmocka_unit_test(test_quota_ram_short_names_the_child),
		cmocka_unit_test(test_quota_caps_short_names_the_child),
		cmocka_unit_test(test_quota_sums_do_not_overflow),
		cmocka_unit_test(test_restart_policy),
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_service_name_validity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
