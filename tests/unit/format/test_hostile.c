/*
 * Hostile input to the runtime configuration's parser: deep nesting, huge
 * numbers, every field with every wrong JSON type, overlong names, megabyte
 * strings, too many entries, NUL bytes, and a randomized mutation run with a
 * fixed seed. Each must end in a clear error (or, for a mutation that stays
 * valid, a model that round-trips), never a crash; ASan and UBSan watch.
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

struct parse_result {
	enum runtime_config_status status;
	struct runtime_config_error error;
};

/* Parses `length` bytes and checks the all-or-nothing contract. */
static struct parse_result parse_bytes(const char *text, size_t length)
{
	struct parse_result result;
	struct runtime_config *config = NULL;

	result.status = runtime_config_parse(text, length, &config,
	                                     &result.error);
	if (result.status == RUNTIME_CONFIG_OK) {
		assert_non_null(config);
		assert_string_equal(result.error.message, "");
	} else {
		assert_null(config);
		assert_true(strlen(result.error.message) > 0);
	}
	runtime_config_free(config);
	return result;
}

static struct parse_result parse_text(const char *text)
{
	return parse_bytes(text, strlen(text));
}

/* A string of `count` copies of `piece` between `head` and `tail`. */
static char *repeated(const char *head, const char *piece, size_t count,
                      const char *tail)
{
	size_t piece_length = strlen(piece);
	size_t length = strlen(head) + piece_length * count + strlen(tail);
	char *text = malloc(length + 1);

	assert_non_null(text);
	strcpy(text, head);
	char *cursor = text + strlen(head);
	for (size_t i = 0; i < count; i++, cursor += piece_length)
		memcpy(cursor, piece, piece_length);
	strcpy(cursor, tail);
	return text;
}

static void test_deep_nesting_is_refused(void **state)
{
	char *arrays = repeated("", "[", 100000, "");
	char *objects = repeated(
		"{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1,"
		" \"config\": ",
		"{\"a\": ", 5000, "");

	assert_string_equal(parse_text(arrays).error.message,
	                    "line 1, column 65: nested more than 64 deep");
	assert_int_equal(parse_text(objects).status, RUNTIME_CONFIG_BAD_JSON);
	free(arrays);
	free(objects);
}

/* A child whose config nests `levels` objects, inside the three levels of
 * the document, the start list and the child. */
static char *config_nested(size_t levels)
{
	char *head = repeated(
		"{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1,"
		" \"config\": ",
		"{\"a\": ", levels, "1");
	char *text = repeated(head, "}", levels, "}]}");

	free(head);
	return text;
}

static void test_nesting_limit_is_exact(void **state)
{
	char *deepest = config_nested(RUNTIME_NESTING_MAX - 3);
	char *too_deep = config_nested(RUNTIME_NESTING_MAX - 2);

	assert_int_equal(parse_text(deepest).status, RUNTIME_CONFIG_OK);
	assert_int_equal(parse_text(too_deep).status, RUNTIME_CONFIG_BAD_JSON);
	assert_non_null(strstr(parse_text(too_deep).error.message,
	                       "nested more than 64 deep"));
	free(deepest);
	free(too_deep);
}

static void test_huge_numbers_are_refused(void **state)
{
	const char *documents[] = {
		"{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1e308}]}",
		"{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": -1e999}]}",
		"{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1, \"caps\": 1e999}]}",
		"{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 18446744073709551616}]}",
		"{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1, \"caps\": 1e-999}]}",
		"{\"report\": {\"delay_ms\": 9007199254740993}}",
	};

	for (size_t i = 0; i < sizeof(documents) / sizeof(documents[0]); i++) {
		struct parse_result result = parse_text(documents[i]);
		if (i == 4) /* 1e-999 is 0, a valid number of caps */
			assert_int_equal(result.status, RUNTIME_CONFIG_OK);
		else
			assert_int_equal(result.status, RUNTIME_CONFIG_INVALID);
	}
}

/* Documents with a hole "%s" where a value goes, and the type it needs. */
static const struct {
	const char *document;
	const char *right_type;
} holes[] = {
	{ "{\"version\": %s}", "string" },
	{ "{\"parent_provides\": %s}", "array" },
	{ "{\"parent_provides\": [%s]}", "string" },
	{ "{\"default_route\": %s}", "array" },
	{ "{\"default_route\": [%s]}", "object" },
	{ "{\"default_route\": [{\"service\": %s, \"to\": \"parent\"}]}",
	  "string" },
	{ "{\"default_route\": [{\"service\": \"*\", \"label\": %s, \"to\": \"parent\"}]}",
	  "string" },
	{ "{\"default_route\": [{\"service\": \"*\", \"label_prefix\": %s, \"to\": \"parent\"}]}",
	  "string" },
	{ "{\"default_route\": [{\"service\": \"*\", \"label_suffix\": %s, \"to\": \"parent\"}]}",
	  "string" },
	{ "{\"default_route\": [{\"service\": \"*\", \"label_last\": %s, \"to\": \"parent\"}]}",
	  "string" },
	{ "{\"default_route\": [{\"service\": \"*\", \"to\": %s}]}", "string" },
	{ "{\"report\": %s}", "object" },
	{ "{\"report\": {\"delay_ms\": %s}}", "number" },
	{ "{\"start\": %s}", "array" },
	{ "{\"start\": [%s]}", "object" },
	{ "{\"start\": [{\"name\": %s, \"binary\": \"b\", \"ram\": 1}]}",
	  "string" },
	{ "{\"start\": [{\"name\": \"a\", \"binary\": %s, \"ram\": 1}]}",
	  "string" },
	{ "{\"start\": [{\"name\": \"a\", \"pkg\": %s, \"ram\": 1}]}",
	  "string" },
	{ "{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": %s}]}",
	  "number string" },
	{ "{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1, \"caps\": %s}]}",
	  "number" },
	{ "{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1, \"provides\": %s}]}",
	  "array" },
	{ "{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1, \"route\": %s}]}",
	  "array" },
	{ "{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1, \"config\": %s}]}",
	  "object" },
	{ "{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1, \"version\": %s}]}",
	  "string" },
};

static const struct {
	const char *json;
	const char *type;
} values[] = {
	{ "null", "null" }, { "true", "bool" },
	{ "7", "number" },  { "\"7\"", "string" },
	{ "[]", "array" },  { "[1, {}]", "array" },
	{ "{}", "object" }, { "{\"x\": [1]}", "object" },
};

/* Writes `document` with its "%s" replaced by `value`. */
static void fill_hole(char *text, size_t size, const char *document,
                      const char *value)
{
	const char *hole = strstr(document, "%s");

	assert_non_null(hole);
	snprintf(text, size, "%.*s%s%s", (int)(hole - document), document,
	         value, hole + 2);
}

static void test_every_field_with_every_wrong_type(void **state)
{
	char text[512];

	for (size_t h = 0; h < sizeof(holes) / sizeof(holes[0]); h++) {
		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]);
		     v++) {
			if (strstr(holes[h].right_type, values[v].type) != NULL)
				continue;
			fill_hole(text, sizeof(text), holes[h].document,
			          values[v].json);
			struct parse_result result = parse_text(text);
			if (result.status != RUNTIME_CONFIG_INVALID)
				fail_msg("%s was not refused", text);
		}
	}
}

static void test_overlong_strings_are_refused(void **state)
{
	const size_t megabyte = 1000000;
	char *name = repeated("{\"start\": [{\"name\": \"", "a", megabyte,
	                      "\"}]}");
	char *label = repeated(
		"{\"default_route\": [{\"service\": \"*\", \"label\": \"", "x",
		megabyte, "\", \"to\": \"parent\"}]}");
	char *config = repeated(
		"{\"start\": [{\"name\": \"a\", \"binary\": \"b\", \"ram\": 1,"
		" \"config\": {\"s\": \"",
		"y", 100000, "\"}}]}");
	char *key = repeated("{\"", "k", megabyte, "\": 1}");

	assert_string_equal(parse_text(name).error.message,
	                    "start[0]: \"name\" is longer than 64 bytes");
	assert_string_equal(
		parse_text(label).error.message,
		"default_route[0]: \"label\" is longer than 256 bytes");
	assert_string_equal(
		parse_text(config).error.message,
		"start[0] \"a\": \"config\" is longer than 65536 bytes as canonical JSON");
	struct parse_result result = parse_text(key);
	assert_int_equal(result.status, RUNTIME_CONFIG_INVALID);
	assert_true(strlen(result.error.message) < 100);
	free(name);
	free(label);
	free(config);
	free(key);
}

static void test_oversized_document_is_refused(void **state)
{
	char *text = repeated("{\"version\": \"", " ", RUNTIME_CONFIG_INPUT_MAX,
	                      "\"}");

	char expected[128];

	snprintf(expected, sizeof(expected),
	         "configuration is %zu bytes, more than the 1048576 allowed",
	         strlen(text));
	assert_string_equal(parse_text(text).error.message, expected);
	free(text);
}

static void test_too_many_entries_are_refused(void **state)
{
	char *children = repeated("{\"start\": [", "{}, ", RUNTIME_CHILDREN_MAX,
	                          "{}]}");
	char *rules = repeated("{\"default_route\": [", "{}, ",
	                       RUNTIME_RULES_MAX, "{}]}");
	char *services = repeated("{\"parent_provides\": [", "\"A\", ",
	                          RUNTIME_SERVICES_MAX, "\"B\"]}");

	assert_string_equal(parse_text(children).error.message,
	                    "\"start\" has more than 1024 children");
	assert_string_equal(parse_text(rules).error.message,
	                    "\"default_route\" has more than 256 rules");
	assert_string_equal(parse_text(services).error.message,
	                    "\"parent_provides\" has more than 64 services");
	free(children);
	free(rules);
	free(services);
}

static void test_nul_bytes_are_refused(void **state)
{
	const char inside[] = "{\"version\": \"a\0b\"}";
	const char after[] = "{}\0";
	const char escaped[] = "{\"version\": \"a\\u0000b\"}";
	const char escaped_backslash[] = "{\"version\": \"a\\\\u0000b\"}";

	assert_string_equal(parse_bytes(inside, sizeof(inside) - 1)
	                            .error.message,
	                    "line 1, column 15: NUL byte in the document");
	assert_string_equal(parse_bytes(after, sizeof(after) - 1).error.message,
	                    "line 1, column 3: NUL byte in the document");
	/* An escaped NUL would cut the string short: refused. */
	assert_string_equal(parse_text(escaped).error.message,
	                    "line 1, column 15: \\u0000 (NUL) in a string");
	/* An escaped backslash followed by "u0000" is just text. */
	assert_int_equal(parse_text(escaped_backslash).status,
	                 RUNTIME_CONFIG_OK);
}

/* xorshift64: a local, seeded generator, so every run mutates the same way. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static const char seed_document[] =
	"{\"version\": \"7\", \"parent_provides\": [\"ROM\", \"LOG\", \"PD\", \"CPU\", \"RM\"],"
	" \"default_route\": [{\"service\": \"*\", \"to\": \"parent\"}],"
	" \"report\": {\"delay_ms\": 100}, \"start\": ["
	" {\"name\": \"timer\", \"binary\": \"timer\", \"ram\": \"1M\", \"caps\": 100,"
	"  \"provides\": [\"Timer\"]},"
	" {\"name\": \"hello\", \"pkg\": \"alice/pkg/hello/2026-11-21\", \"ram\": \"2M\","
	"  \"route\": [{\"service\": \"Timer\", \"to\": \"timer\"},"
	"   {\"service\": \"LOG\", \"label_prefix\": \"hello\", \"label_last\": \"x\","
	"    \"to\": \"any-child\"}], \"config\": {\"greeting\": \"hi\", \"n\": [1, 2.5]}}]}";

/* Replaces, inserts or deletes a few bytes, or cuts the text short. */
static size_t mutate(char *text, size_t length, size_t capacity,
                     uint64_t *random)
{
	static const char interesting[] =
		"{}[]\",:0123456789.-eE\\ KMGQ*\n\x01\xff";
	size_t edits = 1 + next_random(random) % 4;

	for (size_t e = 0; e < edits && length > 0; e++) {
		size_t at = next_random(random) % length;
		char byte = interesting[next_random(random) %
		                        (sizeof(interesting) - 1)];
		switch (next_random(random) % 4) {
		case 0:
			text[at] = byte;
			break;
		case 1:
			if (length < capacity) {
				memmove(text + at + 1, text + at, length - at);
				text[at] = byte;
				length++;
			}
			break;
		case 2:
			memmove(text + at, text + at + 1, length - at - 1);
			length--;
			break;
		default:
			length = at;
			break;
		}
	}
	return length;
}

/* A valid configuration must serialise and parse back to the same text. */
static void check_round_trip(const char *text, size_t length)
{
	struct runtime_config *config = NULL;
	struct runtime_config *again = NULL;
	struct runtime_config_error error;

	if (runtime_config_parse(text, length, &config, &error) !=
	    RUNTIME_CONFIG_OK)
		return;
	char *canonical = runtime_config_to_json(config);
	assert_non_null(canonical);
	assert_int_equal(runtime_config_parse(canonical, strlen(canonical),
	                                      &again, &error),
	                 RUNTIME_CONFIG_OK);
	char *canonical_again = runtime_config_to_json(again);
	assert_string_equal(canonical, canonical_again);
	free(canonical);
	free(canonical_again);
	runtime_config_free(config);
	runtime_config_free(again);
}

static void test_randomized_mutations(void **state)
{
	uint64_t random = UINT64_C(0x9e3779b97f4a7c15);
	const size_t capacity = sizeof(seed_document) + 64;
	size_t valid = 0;

	for (int round = 0; round < 4000; round++) {
		char *text = malloc(capacity);
		assert_non_null(text);
		memcpy(text, seed_document, sizeof(seed_document) - 1);
		size_t length = mutate(text, sizeof(seed_document) - 1,
		                       capacity, &random);
		struct parse_result result = parse_bytes(text, length);
		if (result.status == RUNTIME_CONFIG_OK) {
			valid++;
			check_round_trip(text, length);
		}
		free(text);
	}
	/* The mutations reach both sides: some stay valid, most do not. */
	assert_true(valid > 0);
	assert_true(valid < 4000);
}

static void test_random_bytes(void **state)
{
	uint64_t random = UINT64_C(12345);
	char text[256];

	for (int round = 0; round < 2000; round++) {
		size_t length = next_random(&random) % sizeof(text);
		for (size_t i = 0; i < length; i++)
			text[i] = (char)next_random(&random);
		assert_int_not_equal(parse_bytes(text, length).status,
		                     RUNTIME_CONFIG_OK);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deep_nesting_is_refused),
		cmocka_unit_test(test_nesting_limit_is_exact),
		cmocka_unit_test(test_huge_numbers_are_refused),
		cmocka_unit_test(test_every_field_with_every_wrong_type),
		cmocka_unit_test(test_overlong_strings_are_refused),
		cmocka_unit_test(test_oversized_document_is_refused),
		cmocka_unit_test(test_too_many_entries_are_refused),
		cmocka_unit_test(test_nul_bytes_are_refused),
		cmocka_unit_test(test_randomized_mutations),
		cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
