/*
 * Unit tests for libtuf's strict JSON reader and OLPC canonical writer:
 * canonical vectors (key order by code point, unicode, escaping, integers),
 * unknown fields kept through metadata parsing, and hostile input (deep
 * nesting, huge numbers, duplicate keys, invalid UTF-8) refused cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tuf.h"

static void expect_canonical(const char *in, const char *want)
{
	unsigned char *out;
	size_t len;
	struct tuf_error e = { 0 };
	int rc = tuf_canonicalize((const unsigned char *)in, strlen(in), &out,
	                          &len, &e);
	if (rc)
		fail_msg("'%s' refused: %s", in, e.message);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(out, want, len);
	free(out);
}

static void expect_refused(const char *in, size_t len, const char *reason)
{
	unsigned char *out = NULL;
	size_t out_len;
	struct tuf_error e = { 0 };
	assert_int_equal(tuf_canonicalize((const unsigned char *)in, len, &out,
	                                  &out_len, &e),
	                 TUF_E_JSON);
	assert_null(out);
	assert_int_equal(e.code, TUF_E_JSON);
	if (reason && !strstr(e.message, reason))
		fail_msg("message '%s' does not mention '%s'", e.message,
		         reason);
}

static void test_sorts_keys_and_drops_whitespace(void **state)
{
	(void)state;
	expect_canonical(
		" { \"b\" : 1 ,\n \"a\" : [ true , false , null ], \"c\":{\"y\":-5,\"x\":0}} ",
		"{\"a\":[true,false,null],\"b\":1,\"c\":{\"x\":0,\"y\":-5}}");
	expect_canonical("{\"ab\":1,\"a\":2,\"\":3}",
	                 "{\"\":3,\"a\":2,\"ab\":1}");
	expect_canonical("-0", "0");
	expect_canonical("9223372036854775807", "9223372036854775807");
	expect_canonical("-9223372036854775808", "-9223372036854775808");
}

static void test_orders_unicode_keys_by_code_point(void **state)
{
	(void)state;
	/* z U+007A < e-acute U+00E9 < fullwidth z U+FF5A < U+1F600 (a UTF-16
     * order would put U+1F600 before U+FF5A). */
	expect_canonical(
		"{\"\\ud83d\\ude00\":1,\"\xef\xbd\x9a\":2,\"\\u00e9\":3,\"z\":4}",
		"{\"z\":4,\"\xc3\xa9\":3,\"\xef\xbd\x9a\":2,\"\xf0\x9f\x98\x80\":1}");
}

static void test_escapes_only_quote_and_backslash(void **state)
{
	(void)state;
	expect_canonical("[\"a\\\"b\\\\c\\n\\t\\/\\u0001\\u00e9\"]",
	                 "[\"a\\\"b\\\\c\n\t/\x01\xc3\xa9\"]");
	expect_canonical("\"caf\xc3\xa9 \xe2\x82\xac\"",
	                 "\"caf\xc3\xa9 \xe2\x82\xac\"");
}

static void test_refuses_duplicate_keys(void **state)
{
	(void)state;
	const char *dup = "{\"a\":1,\"b\":2,\"a\":3}";
	expect_refused(dup, strlen(dup), "duplicate key");
}

static void test_refuses_non_integers_and_huge_numbers(void **state)
{
	(void)state;
	expect_refused("1.5", 3, "non-integer");
	expect_refused("1e3", 3, "non-integer");
	expect_refused("9223372036854775808", 19, "range");
	expect_refused("-9223372036854775809", 20, "range");
	expect_refused("123456789012345678901234567890", 30, "range");
	expect_refused("012", 3, "leading zero");
}

static void test_refuses_invalid_utf8(void **state)
{
	(void)state;
	expect_refused("\"\xff\"", 3, "UTF-8");
	expect_refused("\"\xc0\xaf\"", 4, "UTF-8");     /* overlong '/' */
	expect_refused("\"\xed\xa0\x80\"", 5, "UTF-8"); /* encoded surrogate */
	expect_refused("\"\xe2\x82\"", 4, "UTF-8");     /* truncated */
	expect_refused("\"\\ud800\"", 8, "surrogate");
	expect_refused("\"\\udc00x\"", 9, "surrogate");
	expect_refused("\"a\nb\"", 5, "control");
}

static void test_refuses_deep_nesting(void **state)
{
	(void)state;
	size_t n = 100000;
	char *deep = malloc(2 * n);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	expect_refused(deep, 2 * n, "nesting");
	free(deep);
	char ok[40];
	memset(ok, '[', 20);
	memset(ok + 20, ']', 20);
	unsigned char *out;
	size_t len;
	assert_int_equal(tuf_canonicalize((unsigned char *)ok, 40, &out, &len,
	                                  NULL),
	                 TUF_OK);
	free(out);
}

static void test_refuses_truncated_and_trailing(void **state)
{
	(void)state;
	expect_refused("{\"a\":1", 6, NULL);
	expect_refused("{\"a\":1}x", 8, "trailing");
	expect_refused("", 0, NULL);
	expect_refused("[1,]", 4, NULL);
	expect_refused("{\"a\"1}", 6, NULL);
	expect_refused("\"\\x\"", 4, "escape");
	expect_refused("tru", 3, NULL);
	expect_refused("[1]\0", 4, "trailing");
}

static const char metadata_with_unknown_fields[] =
	"{\"signatures\":[],\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"1.0.31\","
	"\"version\":3,\"expires\":\"2030-01-01T00:00:00Z\",\"zz_custom\":{\"b\":[1,2],\"a\":\"x\"},"
	"\"meta\":{\"snapshot.json\":{\"version\":2,\"x-extra\":true}}}}";

static void test_metadata_keeps_unknown_fields(void **state)
{
	(void)state;
	const char *type = NULL;
	struct tuf_error e = { 0 };
	assert_int_equal(
		tuf_metadata_check((const unsigned char *)
	                                   metadata_with_unknown_fields,
	                           strlen(metadata_with_unknown_fields), &type,
	                           &e),
		TUF_OK);
	assert_string_equal(type, "timestamp");
	unsigned char *out;
	size_t len;
	assert_int_equal(tuf_canonicalize((const unsigned char *)
	                                          metadata_with_unknown_fields,
	                                  strlen(metadata_with_unknown_fields),
	                                  &out, &len, NULL),
	                 TUF_OK);
	assert_non_null(memmem(out, len,
	                       "\"zz_custom\":{\"a\":\"x\",\"b\":[1,2]}", 31));
	assert_non_null(memmem(out, len, "\"x-extra\":true", 14));
	free(out);
}

static void test_metadata_shape_is_checked(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"signatures\":[],\"signed\":{\"_type\":\"bogus\",\"spec_version\":\"1.0.0\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{}}}",
		"{\"signatures\":[],\"signed\":{\"_type\":\"snapshot\",\"spec_version\":\"2.0.0\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{}}}",
		"{\"signatures\":[],\"signed\":{\"_type\":\"snapshot\",\"spec_version\":\"1.0.0\",\"version\":0,\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{}}}",
		"{\"signatures\":[],\"signed\":{\"_type\":\"snapshot\",\"spec_version\":\"1.0.0\",\"version\":1,\"expires\":\"2030-01-01 00:00:00\",\"meta\":{}}}",
		"{\"signatures\":[],\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"1.0.0\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{}}}",
		"{\"signatures\":[{\"keyid\":\"a\",\"sig\":\"\"},{\"keyid\":\"a\",\"sig\":\"\"}],\"signed\":{\"_type\":\"snapshot\",\"spec_version\":\"1.0.0\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{}}}",
		"{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0.0\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{\"a\":{\"length\":1,\"hashes\":{}}}}}",
		"{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0.0\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{},\"delegations\":{\"keys\":{},\"roles\":[{\"name\":\"root\",\"keyids\":[],\"threshold\":1,\"terminating\":false,\"paths\":[]}]}}}",
		"{\"signatures\":[],\"signed\":{\"_type\":\"targets\",\"spec_version\":\"1.0.0\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"targets\":{},\"delegations\":{\"keys\":{},\"roles\":[{\"name\":\"a\",\"keyids\":[],\"threshold\":1,\"terminating\":false,\"paths\":[],\"path_hash_prefixes\":[]}]}}}",
		"{\"signatures\":[],\"signed\":{\"_type\":\"root\",\"spec_version\":\"1.0.0\",\"version\":1,\"expires\":\"2030-01-01T00:00:00Z\",\"keys\":{},\"roles\":{\"root\":{\"keyids\":[\"a\",\"a\"],\"threshold\":1},\"targets\":{\"keyids\":[],\"threshold\":1},\"snapshot\":{\"keyids\":[],\"threshold\":1},\"timestamp\":{\"keyids\":[],\"threshold\":1}}}}",
		"[]",
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		struct tuf_error e = { 0 };
		int rc = tuf_metadata_check((const unsigned char *)bad[k],
		                            strlen(bad[k]), NULL, &e);
		if (rc != TUF_E_METADATA)
			fail_msg("case %zu: got %d (%s)", k, rc, e.message);
	}
}

static void test_strerror_names_every_code(void **state)
{
	(void)state;
	for (int c = 0; c < TUF_E_COUNT; c++)
		assert_string_not_equal(tuf_strerror(c), "unknown error");
	assert_string_equal(tuf_strerror(TUF_E_COUNT), "unknown error");
	assert_non_null(strstr(tuf_strerror(TUF_E_ROLLBACK), "rollback"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorts_keys_and_drops_whitespace),
		cmocka_unit_test(test_orders_unicode_keys_by_code_point),
		cmocka_unit_test(test_escapes_only_quote_and_backslash),
		cmocka_unit_test(test_refuses_duplicate_keys),
		cmocka_unit_test(test_refuses_non_integers_and_huge_numbers),
		cmocka_unit_test(test_refuses_invalid_utf8),
		cmocka_unit_test(test_refuses_deep_nesting),
		cmocka_unit_test(test_refuses_truncated_and_trailing),
		cmocka_unit_test(test_metadata_keeps_unknown_fields),
		cmocka_unit_test(test_metadata_shape_is_checked),
		cmocka_unit_test(test_strerror_names_every_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
