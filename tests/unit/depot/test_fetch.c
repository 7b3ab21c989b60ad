/*
 * Unit tests of the transfer and closure-install paths that need no
 * server (the end-to-end suite tests/depot runs them against nginx):
 * missing mirrors, unreachable servers, a .part already complete from an
 * earlier run, a .part another transfer holds, the cleanup of the download
 * cache, and the trust callback refusing an archive before any byte is
 * fetched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "depot/depot.h"
#include "testutil.h"

static void test_no_mirror_is_usage_error(void **state)
{
	(void)state;
	struct depot_target t = { .path = "a.tar.zst",
		                  .dest = "/tmp/x",
		                  .length = 1 };
	struct depot_fetch_options o = { 0 };
	assert_int_equal(depot_fetch(&o, &t, 1), DEPOT_E_USAGE);
	assert_int_equal(t.result, DEPOT_E_USAGE);
}

static void test_same_dest_twice_refused(void **state)
{
	(void)state;
	const char *mirrors[] = { "http://127.0.0.1:1" };
	struct depot_fetch_options o = { .mirrors = mirrors,
		                         .mirror_count = 1 };
	struct depot_target t[2] = {
		{ .path = "a", .dest = "/tmp/depot-same", .length = 1 },
		{ .path = "b", .dest = "/tmp/depot-same", .length = 1 },
	};
	assert_int_equal(depot_fetch(&o, t, 2), DEPOT_E_USAGE);
	assert_int_equal(t[1].result, DEPOT_E_USAGE);
	assert_string_equal(t[1].diag.subject, "/tmp/depot-same");
}

static void test_unreachable_server(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char dest[4096];
	snprintf(dest, sizeof dest, "%s/out", dir);
	/* Port 1 on localhost: nothing listens there. */
	const char *mirrors[] = { "http://127.0.0.1:1" };
	struct depot_fetch_options o = { .mirrors = mirrors,
		                         .mirror_count = 1,
		                         .connect_timeout_s = 5 };
	struct depot_target t = { .path = "a.tar.zst",
		                  .dest = dest,
		                  .length = 10 };
	assert_int_equal(depot_fetch(&o, &t, 1), DEPOT_E_NETWORK);
	assert_string_equal(t.diag.subject, "http://127.0.0.1:1/a.tar.zst");
	assert_false(tu_exists(dir, "out"));
	assert_false(tu_exists(dir, "out.part")); /* nothing to resume */
	tu_rmdir(dir);
}

/* A complete, matching .part from an interrupted run is used as is. */
static void test_complete_part_needs_no_server(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char dest[4096];
	snprintf(dest, sizeof dest, "%s/out", dir);
	tu_write(dir, "out.part", "hello\n");
	const char *mirrors[] = { "http://127.0.0.1:1" };
	struct depot_fetch_options o = { .mirrors = mirrors,
		                         .mirror_count = 1 };
	struct depot_target t = { .path = "a", .dest = dest, .length = 6 };
	EVP_Digest("hello\n", 6, t.sha256, NULL, EVP_sha256(), NULL);
	assert_int_equal(depot_fetch(&o, &t, 1), DEPOT_OK);
	assert_string_equal(tu_read(dir, "out"), "hello\n");
	assert_false(tu_exists(dir, "out.part"));
	/* A complete .part with the wrong content is not accepted. */
	tu_write(dir, "out.part", "HELLO\n");
	assert_int_equal(depot_fetch(&o, &t, 1), DEPOT_E_NETWORK);
	assert_false(tu_exists(dir, "out.part")); /* refused bytes go */
	tu_rmdir(dir);
}

/* A .part another transfer holds (flock) is neither written nor removed. */
static void test_held_part_refused(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char dest[4096];
	snprintf(dest, sizeof dest, "%s/out", dir);
	tu_write(dir, "out.part", "hel");
	int fd = open(tu_path(dir, "out.part"), O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	const char *mirrors[] = { "http://127.0.0.1:1" };
	struct depot_fetch_options o = { .mirrors = mirrors,
		                         .mirror_count = 1 };
	struct depot_target t = { .path = "a", .dest = dest, .length = 6 };
	EVP_Digest("hello\n", 6, t.sha256, NULL, EVP_sha256(), NULL);
	assert_int_equal(depot_fetch(&o, &t, 1), DEPOT_E_IO);
	assert_non_null(strstr(t.diag.detail, "another depot process"));
	assert_string_equal(tu_read(dir, "out.part"), "hel");
	close(fd);
	tu_rmdir(dir);
}

struct reported {
	int count;
	char last[256];
};

static void note(void *ctx, const char *path)
{
	struct reported *r = ctx;
	r->count++;
	snprintf(r->last, sizeof r->last, "%s", path);
}

/* Cleanup removes the files no transfer holds and the directories that
 * become empty; a dry run only reports; a held .part stays. */
static void test_download_cleanup(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct reported r = { 0 };
	struct depot_diag diag = { 0 };
	/* No download cache at all: nothing to do. */
	assert_int_equal(depot_download_cleanup(depot, 1, note, &r, &diag),
	                 DEPOT_OK);
	assert_int_equal(r.count, 0);
	tu_write(depot, ".download/alice/raw/x/1.tar.zst.part", "stale");
	tu_write(depot, ".download/bob/raw/y/2.tar.zst.part", "held");
	int fd = open(tu_path(depot, ".download/bob/raw/y/2.tar.zst.part"),
	              O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_int_equal(depot_download_cleanup(depot, 0, note, &r, &diag),
	                 DEPOT_OK);
	assert_int_equal(r.count, 1);
	assert_string_equal(r.last, ".download/alice/raw/x/1.tar.zst.part");
	assert_true(tu_exists(depot, ".download/alice/raw/x/1.tar.zst.part"));
	r.count = 0;
	assert_int_equal(depot_download_cleanup(depot, 1, note, &r, &diag),
	                 DEPOT_OK);
	assert_int_equal(r.count, 1);
	assert_false(tu_exists(depot, ".download/alice"));
	assert_string_equal(tu_read(depot,
	                            ".download/bob/raw/y/2.tar.zst.part"),
	                    "held");
	close(fd);
	r.count = 0;
	assert_int_equal(depot_download_cleanup(depot, 1, note, &r, &diag),
	                 DEPOT_OK);
	assert_int_equal(r.count, 1);
	assert_int_equal(tu_count(tu_path(depot, ".download")), 0);
	tu_rmdir(depot);
}

static int refuse_all(void *ctx, const struct depot_name *name,
                      uint64_t *length, uint8_t sha256[DEPOT_SHA256_LEN],
                      struct depot_limits *limits, struct depot_diag *diag)
{
	(void)length;
	(void)sha256;
	(void)limits;
	(*(int *)ctx)++;
	depot_name_format(name, diag->subject);
	return DEPOT_E_UNTRUSTED;
}

static void test_closure_asks_trust_first(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	int asked = 0;
	const char *mirrors[] = { "http://127.0.0.1:1" };
	struct depot_fetch_options o = { .mirrors = mirrors,
		                         .mirror_count = 1 };
	struct depot_name root;
	struct depot_diag diag;
	depot_name_parse("alice/pkg/app/1", &root, NULL);
	assert_int_equal(depot_install_closure(depot, &root, "x86_64", &o, NULL,
	                                       refuse_all, &asked, &diag),
	                 DEPOT_E_UNTRUSTED);
	assert_int_equal(asked, 1);
	assert_string_equal(diag.subject, "alice/pkg/app/1");
	assert_false(depot_installed(depot, &root));
	/* Nothing lacking: nothing asked, nothing fetched. Each archive
	 * with its manifest, which the install checks it against. */
	tu_write(depot, "alice/pkg/app/1/archives", "alice/raw/r/1\n");
	tu_write(depot, "alice/pkg/app/1.manifest",
	         "f 644 9f3de9c3475dc1a10f2f"
	         "fc065865d1d909c45be8b4c0aa0b2e1e83492909f839 archives\n");
	tu_write(depot, "alice/raw/r/1/data", "");
	tu_write(depot, "alice/raw/r/1.manifest",
	         "f 644 e3b0c44298fc1c149afb"
	         "f4c8996fb92427ae41e4649b934ca495991b7852b855 data\n");
	asked = 0;
	assert_int_equal(depot_install_closure(depot, &root, "x86_64", &o, NULL,
	                                       refuse_all, &asked, &diag),
	                 DEPOT_OK);
	assert_int_equal(asked, 0);
	tu_rmdir(depot);
}

/* A damaged installed archive counts as lacking: the install asks the
 * trust callback for it (to fetch it again) and, when that fails, leaves
 * the damaged copy where it was. */
static void test_closure_refetches_damaged(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	int asked = 0;
	const char *mirrors[] = { "http://127.0.0.1:1" };
	struct depot_fetch_options o = { .mirrors = mirrors,
		                         .mirror_count = 1 };
	struct depot_name root, raw;
	struct depot_diag diag;
	depot_name_parse("alice/pkg/app/1", &root, NULL);
	depot_name_parse("alice/raw/r/1", &raw, NULL);
	tu_write(depot, "alice/pkg/app/1/archives", "alice/raw/r/1\n");
	tu_write(depot, "alice/pkg/app/1.manifest",
	         "f 644 9f3de9c3475dc1a10f2f"
	         "fc065865d1d909c45be8b4c0aa0b2e1e83492909f839 archives\n");
	tu_write(depot, "alice/raw/r/1/data", "changed");
	tu_write(depot, "alice/raw/r/1.manifest",
	         "f 644 e3b0c44298fc1c149afb"
	         "f4c8996fb92427ae41e4649b934ca495991b7852b855 data\n");
	assert_int_equal(depot_install_closure(depot, &root, "x86_64", &o, NULL,
	                                       refuse_all, &asked, &diag),
	                 DEPOT_E_UNTRUSTED);
	assert_int_equal(asked, 1);
	assert_string_equal(diag.subject, "alice/raw/r/1");
	assert_true(depot_installed(depot, &raw));
	assert_string_equal(tu_read(depot, "alice/raw/r/1/data"), "changed");
	tu_rmdir(depot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_mirror_is_usage_error),
		cmocka_unit_test(test_same_dest_twice_refused),
		cmocka_unit_test(test_unreachable_server),
		cmocka_unit_test(test_complete_part_needs_no_server),
		cmocka_unit_test(test_held_part_refused),
		cmocka_unit_test(test_download_cleanup),
		cmocka_unit_test(test_closure_asks_trust_first),
		cmocka_unit_test(test_closure_refetches_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
