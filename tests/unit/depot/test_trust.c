/*
 * Unit tests of the client side of trust in libdepot that need no server
 * (trust.c, fetch_buffer.c, download.c; tests/depot-trust/run-suite runs
 * the network paths against nginx): importing a root (fingerprint, key
 * ids, self-signature, one root per repository), refusing to refresh
 * without a trusted root or a mirror, and small transfers refusing other
 * protocols and unreachable servers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "trustutil.h"

static int setup(void **state)
{
	struct world *w = tw_new();
	struct depot_diag diag = { 0 };
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_OK);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	tw_free(*state);
	return 0;
}

static const char *root_of(struct world *w)
{
	static char path[600];
	snprintf(path, sizeof path, "%s/metadata/1.root.json", w->tree);
	return path;
}

static void test_import_shows_fingerprint_and_keys(void **state)
{
	struct world *w = *state;
	struct depot_root_info info;
	struct depot_diag diag = { 0 };
	uint8_t hash[DEPOT_SHA256_LEN];
	char hex[DEPOT_SHA256_HEX];
	assert_int_equal(depot_trust_import(w->depot, "default", root_of(w),
	                                    &info, &diag),
	                 DEPOT_OK);
	assert_int_equal(depot_sha256_file(root_of(w), hash, NULL, &diag), 0);
	depot_sha256_hex(hash, hex);
	assert_string_equal(info.sha256, hex);
	assert_int_equal(info.version, 1);
	assert_int_equal(info.threshold, 1);
	assert_int_equal(info.key_count, 1);
	assert_string_equal(info.keyids[0], w->root_keyid);
	assert_true(tu_exists(w->depot, ".trust/default/root.json"));
	/* the same root again: fine */
	assert_int_equal(depot_trust_import(w->depot, "default", root_of(w),
	                                    &info, &diag),
	                 DEPOT_OK);
}

static void test_import_refuses_another_root(void **state)
{
	struct world *w = *state;
	struct depot_root_info info;
	struct depot_diag diag = { 0 };
	struct world *other = tw_new();
	assert_int_equal(tw_publish(other, NULL, 0, &diag), DEPOT_OK);
	assert_int_equal(depot_trust_import(w->depot, "default", root_of(w),
	                                    &info, &diag),
	                 DEPOT_OK);
	char *before = strdup(tu_read(w->depot, ".trust/default/root.json"));
	assert_int_equal(depot_trust_import(w->depot, "default", root_of(other),
	                                    &info, &diag),
	                 DEPOT_E_EXISTS);
	assert_non_null(strstr(diag.detail, "already trusts another root"));
	assert_string_equal(tu_read(w->depot, ".trust/default/root.json"),
	                    before);
	/* under another repository name it is another repository */
	assert_int_equal(depot_trust_import(w->depot, "mirror2", root_of(other),
	                                    &info, &diag),
	                 DEPOT_OK);
	free(before);
	tw_free(other);
}

static void test_import_refuses_what_is_not_a_signed_root(void **state)
{
	struct world *w = *state;
	struct depot_root_info info;
	struct depot_diag diag = { 0 };
	char path[600];
	snprintf(path, sizeof path, "%s/metadata/timestamp.json", w->tree);
	assert_int_equal(depot_trust_import(w->depot, "default", path, &info,
	                                    &diag),
	                 DEPOT_E_METADATA);
	assert_non_null(strstr(diag.detail, "this is timestamp metadata"));
	/* a root whose signed part changed: its signature fails */
	char *text = strdup(tu_read(w->tree, "metadata/1.root.json"));
	char *v = strstr(text, "\"version\":1");
	assert_non_null(v);
	v[10] = '7';
	tu_write(w->dir, "forged.json", text);
	assert_int_equal(depot_trust_import(w->depot, "default",
	                                    tu_path(w->dir, "forged.json"),
	                                    &info, &diag),
	                 DEPOT_E_METADATA);
	assert_non_null(strstr(diag.detail, "signatures below threshold"));
	tu_write(w->dir, "garbage.json", "{\"signed\": [1, 2");
	assert_int_equal(depot_trust_import(w->depot, "default",
	                                    tu_path(w->dir, "garbage.json"),
	                                    &info, &diag),
	                 DEPOT_E_METADATA);
	assert_int_equal(depot_trust_import(w->depot, "default",
	                                    tu_path(w->dir, "none.json"), &info,
	                                    &diag),
	                 DEPOT_E_IO);
	assert_int_equal(depot_trust_import(w->depot, "../x", root_of(w), &info,
	                                    &diag),
	                 DEPOT_E_USAGE);
	assert_false(tu_exists(w->depot, ".trust/default/root.json"));
	free(text);
}

static void test_open_needs_root_and_mirror(void **state)
{
	struct world *w = *state;
	struct depot_trust *t = NULL;
	struct depot_diag diag = { 0 };
	struct depot_root_info info;
	const char *mirrors[] = { "http://127.0.0.1:1/" };
	struct depot_fetch_options o = { .mirrors = mirrors,
		                         .mirror_count = 1,
		                         .connect_timeout_s = 5 };
	assert_int_equal(depot_trust_open(&t, w->depot, "default", &o, 0,
	                                  &diag),
	                 DEPOT_E_METADATA);
	assert_non_null(strstr(diag.detail, "depot trust import"));
	assert_null(t);
	assert_int_equal(depot_trust_import(w->depot, "default", root_of(w),
	                                    &info, &diag),
	                 DEPOT_OK);
	struct depot_fetch_options none = { 0 };
	assert_int_equal(depot_trust_open(&t, w->depot, "default", &none, 0,
	                                  &diag),
	                 DEPOT_E_USAGE);
	/* nothing listens on port 1: metadata cannot be refreshed */
	assert_int_equal(depot_trust_open(&t, w->depot, "default", &o, 0,
	                                  &diag),
	                 DEPOT_E_METADATA);
	assert_non_null(strstr(diag.detail, "download failed"));
	assert_non_null(strstr(diag.detail, "127.0.0.1:1/metadata/"));
	assert_null(t);
}

static void test_download_takes_a_pkg(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	struct depot_name name;
	struct depot_fetch_options o = { 0 };
	struct depot_limits limits = depot_limits_default();
	assert_int_equal(depot_name_parse("alice/raw/data/1", &name, &diag), 0);
	assert_int_equal(depot_download(w->depot, "default", &name, "x86_64",
	                                &o, &limits, &diag),
	                 DEPOT_E_USAGE);
}

static void test_fetch_buffer_refusals(void **state)
{
	(void)state;
	struct depot_fetch_options o = { .connect_timeout_s = 5 };
	struct depot_diag diag = { 0 };
	uint8_t *data = (uint8_t *)"unset";
	size_t length = 7;
	long status = -1;
	/* only http and https */
	assert_int_equal(depot_fetch_buffer(&o, "file:///etc/passwd", 100,
	                                    &data, &length, &status, &diag),
	                 DEPOT_E_NETWORK);
	assert_null(data);
	assert_int_equal(length, 0);
	assert_string_equal(diag.subject, "file:///etc/passwd");
	assert_int_equal(depot_fetch_buffer(&o, "http://127.0.0.1:1/x", 100,
	                                    &data, &length, &status, &diag),
	                 DEPOT_E_NETWORK);
	assert_int_equal(status, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_import_shows_fingerprint_and_keys),
		T(test_import_refuses_another_root),
		T(test_import_refuses_what_is_not_a_signed_root),
		T(test_open_needs_root_and_mirror),
		T(test_download_takes_a_pkg),
		T(test_fetch_buffer_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
