/*
 * Unit tests of `depot publish` and `depot timestamp` in libdepot
 * (publish.c): the public tree's layout (archives by name and by
 * consistent-snapshot name, TUF metadata naming each archive), new
 * versions, and that every refusal (missing key, changed content of a
 * published version, threshold not met) leaves the tree exactly as it was
 * and no staging copy behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/file.h>

#include "testutil.h"
#include "trustutil.h"

static int setup(void **state)
{
	*state = tw_new();
	return 0;
}

static int teardown(void **state)
{
	tw_free(*state);
	return 0;
}

static char *slurp(const char *dir, const char *rel)
{
	char *copy = strdup(tu_read(dir, rel));
	assert_non_null(copy);
	return copy;
}

static void test_layout(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	const char *names[] = { "alice/raw/data/1", "alice/bin/x86_64/tool/2" };
	uint8_t hash[DEPOT_SHA256_LEN];
	char hex[DEPOT_SHA256_HEX], rel[256];
	tw_archive(w, names[0], "data one");
	tw_archive(w, names[1], "tool two");
	assert_int_equal(tw_publish(w, names, 2, &diag), DEPOT_OK);
	assert_true(tu_exists(w->tree, "metadata/1.root.json"));
	assert_true(tu_exists(w->tree, "metadata/root.json"));
	assert_true(tu_exists(w->tree, "metadata/timestamp.json"));
	assert_true(tu_exists(w->tree, "metadata/1.alice.json"));
	assert_true(tu_exists(w->tree, "targets/alice/raw/data/1.tar.zst"));
	assert_true(tu_exists(w->tree,
	                      "targets/alice/bin/x86_64/tool/2.tar.zst"));
	assert_int_equal(
		depot_sha256_file(tu_path(w->tree,
	                                  "targets/alice/raw/data/1.tar.zst"),
	                          hash, NULL, &diag),
		DEPOT_OK);
	depot_sha256_hex(hash, hex);
	snprintf(rel, sizeof rel, "targets/alice/raw/data/%s.1.tar.zst", hex);
	assert_true(tu_exists(w->tree, rel));
	/* the user's role lists the archive's full name and its sha256 */
	const char *role = tu_read(w->tree, "metadata/1.alice.json");
	assert_non_null(strstr(role, "\"alice/raw/data/1.tar.zst\""));
	assert_non_null(strstr(role, "\"alice/bin/x86_64/tool/2.tar.zst\""));
	assert_non_null(strstr(role, hex));
	assert_false(tw_staging_left(w));
}

static void test_new_version_adds(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	const char *first[] = { "alice/raw/data/1" };
	const char *second[] = { "alice/raw/data/2" };
	tw_archive(w, first[0], "one");
	assert_int_equal(tw_publish(w, first, 1, &diag), DEPOT_OK);
	tw_archive(w, second[0], "two");
	assert_int_equal(tw_publish(w, second, 1, &diag), DEPOT_OK);
	/* both versions stay listed; the role has a new version */
	const char *role = tu_read(w->tree, "metadata/2.alice.json");
	assert_non_null(strstr(role, "\"alice/raw/data/1.tar.zst\""));
	assert_non_null(strstr(role, "\"alice/raw/data/2.tar.zst\""));
	assert_true(tu_exists(w->tree, "targets/alice/raw/data/1.tar.zst"));
	assert_true(tu_exists(w->tree, "metadata/1.alice.json"));
	/* publishing the same archive again is fine */
	assert_int_equal(tw_publish(w, second, 1, &diag), DEPOT_OK);
}

static void test_changed_content_of_a_version_refused(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	const char *names[] = { "alice/raw/data/1" };
	tw_archive(w, names[0], "one");
	assert_int_equal(tw_publish(w, names, 1, &diag), DEPOT_OK);
	char *before = slurp(w->tree, "metadata/timestamp.json");
	tw_archive(w, names[0], "other content");
	assert_int_equal(tw_publish(w, names, 1, &diag), DEPOT_E_EXISTS);
	assert_string_equal(diag.subject, "alice/raw/data/1");
	assert_non_null(strstr(diag.detail, "bump the version"));
	assert_string_equal(tu_read(w->tree, "metadata/timestamp.json"),
	                    before);
	assert_false(tw_staging_left(w));
	free(before);
}

static void test_missing_user_key_refused(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	const char *names[] = { "bob/raw/data/1" };
	tw_archive(w, names[0], "bob's");
	assert_int_equal(tw_publish(w, names, 1, &diag), DEPOT_E_SIGNING);
	assert_non_null(strstr(diag.detail, "depot keygen"));
	assert_non_null(strstr(diag.detail, "/bob"));
	assert_false(tu_exists(w->dir, "tree"));
	assert_false(tw_staging_left(w));
}

static void test_missing_archive_refused(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	const char *names[] = { "alice/raw/none/1" };
	assert_int_equal(tw_publish(w, names, 1, &diag), DEPOT_E_IO);
	assert_non_null(strstr(diag.subject, "alice/raw/none/1.tar.zst"));
	assert_false(tu_exists(w->dir, "tree"));
	assert_false(tw_staging_left(w));
}

static void test_new_repository_needs_top_keys(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	assert_int_equal(unlink(tu_path(w->keys, "snapshot.key")), 0);
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_E_SIGNING);
	assert_non_null(strstr(diag.detail, "snapshot key"));
	assert_false(tu_exists(w->dir, "tree"));
}

static void test_threshold_not_met_leaves_tree(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_OK);
	char *before = slurp(w->tree, "metadata/timestamp.json");
	/* threshold 2 for timestamp, one key: nothing can be signed */
	w->o.threshold_timestamp = 2;
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_E_SIGNING);
	assert_non_null(strstr(diag.detail, "signatures below threshold"));
	assert_string_equal(tu_read(w->tree, "metadata/timestamp.json"),
	                    before);
	assert_false(tu_exists(w->tree, "metadata/2.root.json"));
	assert_false(tw_staging_left(w));
	/* with a second key it works, and root is rotated */
	tw_keygen(w, "timestamp-2", NULL);
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_OK);
	assert_true(tu_exists(w->tree, "metadata/2.root.json"));
	free(before);
}

static void test_root_threshold_two(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	struct depot_root_info info;
	char root2[600];
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_OK);
	tw_keygen(w, "root-2", NULL);
	w->o.threshold_root = 2;
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_OK);
	/* the rotated root names both keys, threshold 2, and verifies by
	 * itself (what a new client imports) */
	snprintf(root2, sizeof root2, "%s/metadata/2.root.json", w->tree);
	assert_int_equal(depot_trust_import(w->depot, "default", root2, &info,
	                                    &diag),
	                 DEPOT_OK);
	assert_int_equal(info.version, 2);
	assert_int_equal(info.threshold, 2);
	assert_int_equal(info.key_count, 2);
	/* later publishes sign with both root keys found in the directory */
	w->o.threshold_root = 0;
	const char *names[] = { "alice/raw/data/1" };
	tw_archive(w, names[0], "one");
	assert_int_equal(tw_publish(w, names, 1, &diag), DEPOT_OK);
	/* without the second root key a root change cannot be signed */
	assert_int_equal(unlink(tu_path(w->keys, "root-2.key")), 0);
	w->o.threshold_root = 1;
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_E_SIGNING);
	assert_false(tu_exists(w->tree, "metadata/3.root.json"));
}

static void test_timestamp_resign(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_OK);
	char *before = slurp(w->tree, "metadata/timestamp.json");
	assert_int_equal(depot_publish_timestamp(w->tree, &w->k, 0, &diag),
	                 DEPOT_OK);
	assert_string_not_equal(tu_read(w->tree, "metadata/timestamp.json"),
	                        before);
	free(before);
	/* without the timestamp key nothing is signed */
	before = slurp(w->tree, "metadata/timestamp.json");
	assert_int_equal(unlink(tu_path(w->keys, "timestamp.key")), 0);
	assert_int_equal(depot_publish_timestamp(w->tree, &w->k, 0, &diag),
	                 DEPOT_E_SIGNING);
	assert_string_equal(tu_read(w->tree, "metadata/timestamp.json"),
	                    before);
	free(before);
	/* no repository there */
	assert_int_equal(depot_publish_timestamp(w->dir, &w->k, 0, &diag),
	                 DEPOT_E_SIGNING);
}

static void test_concurrent_publish_refused(void **state)
{
	struct world *w = *state;
	struct depot_diag diag = { 0 };
	char lock[600];
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_OK);
	snprintf(lock, sizeof lock, "%s.lock", w->tree);
	int fd = open(lock, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0); /* another run */
	assert_int_equal(tw_publish(w, NULL, 0, &diag), DEPOT_E_USAGE);
	assert_non_null(strstr(diag.detail, "another publish"));
	assert_int_equal(depot_publish_timestamp(w->tree, &w->k, 0, &diag),
	                 DEPOT_E_USAGE);
	close(fd);
	assert_int_equal(depot_publish_timestamp(w->tree, &w->k, 0, &diag),
	                 DEPOT_OK);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_layout),
		T(test_new_version_adds),
		T(test_changed_content_of_a_version_refused),
		T(test_missing_user_key_refused),
		T(test_missing_archive_refused),
		T(test_new_repository_needs_top_keys),
		T(test_threshold_not_met_leaves_tree),
		T(test_root_threshold_two),
		T(test_timestamp_resign),
		T(test_concurrent_publish_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
