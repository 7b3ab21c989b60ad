/*
 * Unit tests of the runtime configuration's validation errors: one invalid
 * document per case, each with the exact status and message a person reads
 * (format/runtime_config.h, runtime/format/README.md). Every case is a
 * cmocka test of its own, named after what it breaks; each checks too that
 * nothing is handed out on failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "format/runtime_config.h"

struct error_case {
	const char *name;
	const char *json;
	enum runtime_config_status status;
	const char *message;
};

#define INVALID RUNTIME_CONFIG_INVALID
#define BAD_JSON RUNTIME_CONFIG_BAD_JSON
/* A child with everything it needs, for cases that break something else. */
#define CHILD(name) "{\"name\": \"" name "\", \"binary\": \"b\", \"ram\": 1"

static const struct error_case cases[] = {
	/* Malformed JSON, with line and column. */
	{ "empty_input", "", BAD_JSON, "line 1, column 1: invalid JSON" },
	{ "truncated_json", "{\"start\": [", BAD_JSON,
	  "line 1, column 11: invalid JSON" },
	{ "bad_json_on_line_3", "{\n  \"version\": \"1\",\n  \"start\": [}\n",
	  BAD_JSON, "line 3, column 13: invalid JSON" },
	{ "text_after_document", "{} x", BAD_JSON,
	  "line 1, column 4: unexpected text after the JSON document" },
	{ "nested_too_deep",
	  "{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1, \"config\": "
	  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]}",
	  BAD_JSON, "line 1, column 122: nested more than 64 deep" },
	{ "brackets_in_strings_do_not_nest",
	  "{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"config\": {\"s\": "
	  "\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[\"}}]}",
	  INVALID,
	  "start[0] \"a\": \"ram\" is missing (bytes, or a size like \"2M\")" },
	/* Top level. */
	{ "not_an_object", "[]", INVALID,
	  "the configuration must be a JSON object" },
	{ "unknown_top_field", "{\"strat\": []}", INVALID,
	  "unknown field \"strat\"" },
	{ "repeated_top_field", "{\"start\": [], \"start\": []}", INVALID,
	  "field \"start\" given twice" },
	{ "version_not_string", "{\"version\": 7}", INVALID,
	  "\"version\" must be a string" },
	{ "version_empty", "{\"version\": \"\"}", INVALID,
	  "\"version\" must not be empty" },
	{ "parent_provides_not_list", "{\"parent_provides\": \"LOG\"}", INVALID,
	  "\"parent_provides\" must be a list of service names" },
	{ "parent_provides_bad_name",
	  "{\"parent_provides\": [\"LOG\", \"R O M\"]}", INVALID,
	  "\"parent_provides[1]\" value \"R O M\" may hold only A-Z, a-z, 0-9, '_', '.' and '-'" },
	{ "parent_provides_twice", "{\"parent_provides\": [\"LOG\", \"LOG\"]}",
	  INVALID, "\"parent_provides\" lists \"LOG\" twice" },
	{ "default_route_not_list", "{\"default_route\": {}}", INVALID,
	  "\"default_route\" must be a list of route rules" },
	{ "report_not_object", "{\"report\": 100}", INVALID,
	  "\"report\" must be an object like {\"delay_ms\": 100}" },
	{ "report_unknown_field", "{\"report\": {\"delay\": 100}}", INVALID,
	  "report: unknown field \"delay\"" },
	{ "report_delay_missing", "{\"report\": {}}", INVALID,
	  "report: \"delay_ms\" is missing (milliseconds, 0 to 60000)" },
	{ "report_delay_too_long", "{\"report\": {\"delay_ms\": 60001}}",
	  INVALID,
	  "report: \"delay_ms\" must be a whole number from 0 to 60000" },
	{ "start_not_list", "{\"start\": {}}", INVALID,
	  "\"start\" must be a list of children" },
	/* A start entry on its own. */
	{ "start_entry_not_object", "{\"start\": [1]}", INVALID,
	  "start[0]: a start entry must be an object" },
	{ "name_missing", "{\"start\": [{\"binary\": \"b\", \"ram\": 1}]}",
	  INVALID, "start[0]: \"name\" is missing" },
	{ "name_not_string", "{\"start\": [{\"name\": 42}]}", INVALID,
	  "start[0]: \"name\" must be a string" },
	{ "name_empty", "{\"start\": [{\"name\": \"\"}]}", INVALID,
	  "start[0]: \"name\" must not be empty" },
	{ "name_upper_case", "{\"start\": [{\"name\": \"Hello\"}]}", INVALID,
	  "start[0]: \"name\" value \"Hello\" may hold only a-z, 0-9, '_', '.' and '-'" },
	{ "name_too_long",
	  "{\"start\": [{\"name\": "
	  "\"a234567890123456789012345678901234567890123456789012345678901234x\"}]}",
	  INVALID, "start[0]: \"name\" is longer than 64 bytes" },
	{ "name_dot_dot", "{\"start\": [{\"name\": \"..\"}]}", INVALID,
	  "start[0]: \"name\" may not be \"..\"" },
	{ "name_reserved_parent", "{\"start\": [{\"name\": \"parent\"}]}",
	  INVALID, "start[0]: name \"parent\" is reserved for route targets" },
	{ "name_reserved_any_child", "{\"start\": [{\"name\": \"any-child\"}]}",
	  INVALID,
	  "start[0]: name \"any-child\" is reserved for route targets" },
	{ "unknown_child_field", "{\"start\": [" CHILD("a") ", \"rout\": []}]}",
	  INVALID, "start[0] \"a\": unknown field \"rout\"" },
	{ "repeated_child_field", "{\"start\": [" CHILD("a") ", \"ram\": 2}]}",
	  INVALID, "start[0] \"a\": field \"ram\" given twice" },
	{ "neither_binary_nor_pkg",
	  "{\"start\": [{\"name\": \"a\", \"ram\": 1}]}", INVALID,
	  "start[0] \"a\": needs \"binary\" or \"pkg\"" },
	{ "binary_of_bad_pkg",
	  "{\"start\": [" CHILD("a") ", \"pkg\": \"u/raw/a/1\"}]}", INVALID,
	  "start[0] \"a\": pkg \"u/raw/a/1\": not of the form \"user/pkg/name/version\"" },
	{ "binary_with_slash",
	  "{\"start\": [{\"name\": \"a\", \"binary\": \"../a\"}]}", INVALID,
	  "start[0] \"a\": \"binary\" value \"../a\" may hold only A-Z, a-z, 0-9, '_', '.' and '-'" },
	{ "binary_dot_dot",
	  "{\"start\": [{\"name\": \"a\", \"binary\": \"..\"}]}", INVALID,
	  "start[0] \"a\": \"binary\" may not be \"..\"" },
	{ "pkg_dot_dot_part",
	  "{\"start\": [{\"name\": \"a\", \"pkg\": \"alice/pkg/../1\"}]}",
	  INVALID,
	  "start[0] \"a\": pkg \"alice/pkg/../1\": not of the form \"user/pkg/name/version\"" },
	{ "pkg_not_a_pkg_archive",
	  "{\"start\": [{\"name\": \"a\", \"pkg\": \"alice/src/a/1\"}]}",
	  INVALID,
	  "start[0] \"a\": pkg \"alice/src/a/1\": not of the form \"user/pkg/name/version\"" },
	{ "pkg_without_version",
	  "{\"start\": [{\"name\": \"a\", \"pkg\": \"alice/pkg/a\"}]}", INVALID,
	  "start[0] \"a\": pkg \"alice/pkg/a\": not of the form \"user/pkg/name/version\"" },
	{ "pkg_empty_part",
	  "{\"start\": [{\"name\": \"a\", \"pkg\": \"alice/pkg//1\"}]}",
	  INVALID,
	  "start[0] \"a\": pkg \"alice/pkg//1\": not of the form \"user/pkg/name/version\"" },
	{ "pkg_extra_part",
	  "{\"start\": [{\"name\": \"a\", \"pkg\": \"alice/pkg/a/1/x\"}]}",
	  INVALID,
	  "start[0] \"a\": pkg \"alice/pkg/a/1/x\": not of the form \"user/pkg/name/version\"" },
	{ "pkg_bad_character",
	  "{\"start\": [{\"name\": \"a\", \"pkg\": \"al ice/pkg/a/1\"}]}",
	  INVALID,
	  "start[0] \"a\": pkg \"al ice/pkg/a/1\": not of the form \"user/pkg/name/version\"" },
	{ "ram_missing", "{\"start\": [{\"name\": \"a\", \"binary\": \"b\"}]}",
	  INVALID,
	  "start[0] \"a\": \"ram\" is missing (bytes, or a size like \"2M\")" },
	{ "ram_unknown_suffix",
	  "{\"start\": [" CHILD(
		  "ok") "}, {\"name\": \"x\", \"binary\": \"b\", \"ram\": \"12Q\"}]}",
	  INVALID, "start[1] \"x\": ram \"12Q\": unknown size suffix" },
	{ "ram_lower_case_suffix",
	  "{\"start\": [{\"name\": \"x\", \"ram\": \"12k\"}]}", INVALID,
	  "start[0] \"x\": ram \"12k\": unknown size suffix" },
	{ "ram_fraction", "{\"start\": [{\"name\": \"x\", \"ram\": \"2.5M\"}]}",
	  INVALID,
	  "start[0] \"x\": ram \"2.5M\": not a size (digits with an optional K, M or G)" },
	{ "ram_empty", "{\"start\": [{\"name\": \"x\", \"ram\": \"\"}]}",
	  INVALID,
	  "start[0] \"x\": ram \"\": not a size (digits with an optional K, M or G)" },
	{ "ram_suffix_only", "{\"start\": [{\"name\": \"x\", \"ram\": \"M\"}]}",
	  INVALID,
	  "start[0] \"x\": ram \"M\": not a size (digits with an optional K, M or G)" },
	{ "ram_negative_text",
	  "{\"start\": [{\"name\": \"x\", \"ram\": \"-1\"}]}", INVALID,
	  "start[0] \"x\": ram \"-1\": not a size (digits with an optional K, M or G)" },
	{ "ram_too_large_text",
	  "{\"start\": [{\"name\": \"x\", \"ram\": \"262145G\"}]}", INVALID,
	  "start[0] \"x\": ram \"262145G\": more than 281474976710656 bytes" },
	{ "ram_too_many_digits",
	  "{\"start\": [{\"name\": \"x\", \"ram\": \"99999999999999999999999999\"}]}",
	  INVALID,
	  "start[0] \"x\": ram \"99999999999999999999999999\": more than 281474976710656 bytes" },
	{ "ram_negative_number",
	  "{\"start\": [{\"name\": \"x\", \"ram\": -1}]}", INVALID,
	  "start[0] \"x\": \"ram\" must be a whole number from 0 to 281474976710656" },
	{ "ram_fraction_number",
	  "{\"start\": [{\"name\": \"x\", \"ram\": 1.5}]}", INVALID,
	  "start[0] \"x\": \"ram\" must be a whole number from 0 to 281474976710656" },
	{ "ram_huge_number", "{\"start\": [{\"name\": \"x\", \"ram\": 1e999}]}",
	  INVALID,
	  "start[0] \"x\": \"ram\" must be a whole number from 0 to 281474976710656" },
	{ "ram_wrong_type", "{\"start\": [{\"name\": \"x\", \"ram\": true}]}",
	  INVALID,
	  "start[0] \"x\": \"ram\" must be a number of bytes or a string like \"2M\"" },
	{ "caps_negative", "{\"start\": [" CHILD("a") ", \"caps\": -1}]}",
	  INVALID,
	  "start[0] \"a\": \"caps\" must be a whole number from 0 to 4294967295" },
	{ "caps_too_large",
	  "{\"start\": [" CHILD("a") ", \"caps\": 4294967296}]}", INVALID,
	  "start[0] \"a\": \"caps\" must be a whole number from 0 to 4294967295" },
	{ "caps_as_string", "{\"start\": [" CHILD("a") ", \"caps\": \"10\"}]}",
	  INVALID, "start[0] \"a\": \"caps\" must be a number" },
	{ "provides_not_list",
	  "{\"start\": [" CHILD("a") ", \"provides\": \"Timer\"}]}", INVALID,
	  "start[0] \"a\": \"provides\" must be a list of service names" },
	{ "provides_not_strings",
	  "{\"start\": [" CHILD("a") ", \"provides\": [1]}]}", INVALID,
	  "start[0] \"a\": \"provides[0]\" must be a string" },
	{ "provides_twice",
	  "{\"start\": [" CHILD("a") ", \"provides\": [\"T\", \"T\"]}]}",
	  INVALID, "start[0] \"a\": \"provides\" lists \"T\" twice" },
	{ "config_not_object",
	  "{\"start\": [" CHILD("a") ", \"config\": \"greeting=hi\"}]}",
	  INVALID, "start[0] \"a\": \"config\" must be an object" },
	{ "child_restart_not_string",
	  "{\"start\": [" CHILD("a") ", \"restart\": true}]}", INVALID,
	  "start[0] \"a\": \"restart\" must be \"never\", \"on-failure\" or \"always\"" },
	{ "child_restart_unknown",
	  "{\"start\": [" CHILD("a") ", \"restart\": \"onfailure\"}]}", INVALID,
	  "start[0] \"a\": restart \"onfailure\": not \"never\", \"on-failure\" or \"always\"" },
	{ "child_restart_after_skipped_zero",
	  "{\"heartbeat\": {\"rate_ms\": 100}, \"start\": [" CHILD(
		  "a") ", \"restart_after_skipped\": 0}]}",
	  INVALID,
	  "start[0] \"a\": \"restart_after_skipped\" must be at least 1 (leave it out to never restart)" },
	{ "child_restart_after_skipped_without_heartbeat",
	  "{\"start\": [" CHILD("a") ", \"restart_after_skipped\": 3}]}",
	  INVALID,
	  "start[0] \"a\": \"restart_after_skipped\" needs heartbeats: add {\"heartbeat\": {\"rate_ms\": ...}} at the top level" },
	{ "heartbeat_not_object", "{\"heartbeat\": 100}", INVALID,
	  "\"heartbeat\" must be an object like {\"rate_ms\": 1000}" },
	{ "heartbeat_rate_missing", "{\"heartbeat\": {}}", INVALID,
	  "heartbeat: \"rate_ms\" is missing (milliseconds, 50 to 3600000)" },
	{ "heartbeat_rate_too_small", "{\"heartbeat\": {\"rate_ms\": 10}}",
	  INVALID, "heartbeat: \"rate_ms\" must be at least 50" },
	{ "heartbeat_unknown_field", "{\"heartbeat\": {\"rate\": 100}}",
	  INVALID, "heartbeat: unknown field \"rate\"" },
	{ "yield_not_object", "{\"yield\": 100}", INVALID,
	  "\"yield\" must be an object like {\"deadline_ms\": 2000}" },
	{ "yield_deadline_missing", "{\"yield\": {}}", INVALID,
	  "yield: \"deadline_ms\" is missing (milliseconds, 50 to 600000)" },
	{ "yield_deadline_too_small", "{\"yield\": {\"deadline_ms\": 10}}",
	  INVALID, "yield: \"deadline_ms\" must be at least 50" },
	{ "yield_deadline_too_large", "{\"yield\": {\"deadline_ms\": 600001}}",
	  INVALID,
	  "yield: \"deadline_ms\" must be a whole number from 0 to 600000" },
	{ "child_version_not_string",
	  "{\"start\": [" CHILD("a") ", \"version\": 2}]}", INVALID,
	  "start[0] \"a\": \"version\" must be a string" },
	/* Route rules on their own. */
	{ "route_not_list", "{\"start\": [" CHILD("a") ", \"route\": {}}]}",
	  INVALID, "start[0] \"a\": \"route\" must be a list of route rules" },
	{ "rule_not_object",
	  "{\"start\": [" CHILD("a") ", \"route\": [\"LOG\"]}]}", INVALID,
	  "start[0] \"a\": route[0]: a route rule must be an object" },
	{ "rule_unknown_field",
	  "{\"start\": [" CHILD(
		  "a") ", \"route\": [{\"service\": \"LOG\", \"lable\": \"x\","
	               " \"to\": \"parent\"}]}]}",
	  INVALID, "start[0] \"a\": route[0]: unknown field \"lable\"" },
	{ "rule_service_missing", "{\"default_route\": [{\"to\": \"parent\"}]}",
	  INVALID,
	  "default_route[0]: \"service\" is missing (a service name or \"*\")" },
	{ "rule_service_bad",
	  "{\"default_route\": [{\"service\": \"**\", \"to\": \"parent\"}]}",
	  INVALID,
	  "default_route[0]: \"service\" value \"**\" may hold only A-Z, a-z, 0-9, '_', '.' and '-'" },
	{ "rule_to_missing", "{\"default_route\": [{\"service\": \"LOG\"}]}",
	  INVALID,
	  "default_route[0]: \"to\" is missing (\"parent\", \"any-child\" or a child name)" },
	{ "rule_to_empty",
	  "{\"default_route\": [{\"service\": \"LOG\", \"to\": \"\"}]}",
	  INVALID,
	  "default_route[0]: \"to\" must be \"parent\", \"any-child\" or a child name" },
	{ "rule_to_not_string",
	  "{\"default_route\": [{\"service\": \"LOG\", \"to\": 1}]}", INVALID,
	  "default_route[0]: \"to\" must be a string" },
	{ "rule_label_not_string",
	  "{\"default_route\": [{\"service\": \"LOG\", \"label_last\": [], \"to\": \"parent\"}]}",
	  INVALID, "default_route[0]: \"label_last\" must be a string" },
	{ "rule_label_control_character",
	  "{\"default_route\": [{\"service\": \"LOG\", \"label\": \"a\\nb\", \"to\": \"parent\"}]}",
	  INVALID,
	  "default_route[0]: \"label\" value \"a?b\" may hold only printable UTF-8 (no control characters, C1 included, and no invalid bytes)" },
	/* What needs the whole document. */
	{ "duplicate_start_name",
	  "{\"start\": [" CHILD("timer") "}, " CHILD("a") "}, " CHILD(
		  "b") "}, " CHILD("timer") "}]}",
	  INVALID, "duplicate start name \"timer\" (start[0] and start[3])" },
	{ "route_to_unknown_child",
	  "{\"start\": [" CHILD("timer") ", \"provides\": [\"Timer\"]}, " CHILD(
		  "a") "}, " CHILD("hello") ", \"route\": [{\"service\": \"Timer\", \"to\": \"tmer\"}]}]}",
	  INVALID,
	  "start[2] \"hello\": route[0]: unknown child \"tmer\" in \"to\"" },
	{ "default_route_to_unknown_child",
	  "{\"default_route\": [{\"service\": \"*\", \"to\": \"nobody\"}]}",
	  INVALID, "default_route[0]: unknown child \"nobody\" in \"to\"" },
	{ "route_to_itself",
	  "{\"start\": [" CHILD(
		  "a") ", \"provides\": [\"X\"], \"route\": [{\"service\": \"X\","
	               " \"to\": \"a\"}]}]}",
	  INVALID, "start[0] \"a\": route[0]: \"to\" names the child itself" },
	{ "route_to_child_without_service",
	  "{\"start\": [" CHILD("timer") "}, " CHILD(
		  "hello") ", \"route\": [{\"service\": \"Timer\","
	                   " \"to\": \"timer\"}]}]}",
	  INVALID,
	  "start[1] \"hello\": route[0]: child \"timer\" does not provide \"Timer\"" },
	{ "route_to_parent_without_service",
	  "{\"parent_provides\": [\"LOG\"], \"default_route\": [{\"service\": \"LOG\", \"to\": "
	  "\"parent\"}, {\"service\": \"Timer\", \"to\": \"parent\"}]}",
	  INVALID,
	  "default_route[1]: \"Timer\" is routed to the parent, which does not provide it "
	  "(see \"parent_provides\")" },
};

static void run_case(void **state)
{
	const struct error_case *c = *state;
	struct runtime_config *config = (struct runtime_config *)1;
	struct runtime_config_error error;

	enum runtime_config_status status =
		runtime_config_parse(c->json, strlen(c->json), &config, &error);
	assert_string_equal(error.message, c->message);
	assert_int_equal(status, c->status);
	assert_null(config);
}

int main(void)
{
	enum { count = sizeof(cases) / sizeof(cases[0]) };
	struct CMUnitTest tests[count];

	for (size_t i = 0; i < count; i++)
		tests[i] = (struct CMUnitTest){
			.name = cases[i].name,
			.test_func = run_case,
			.initial_state = (void *)&cases[i]
		};
	return _cmocka_run_group_tests("format_errors", tests, count, NULL,
	                               NULL);
}
