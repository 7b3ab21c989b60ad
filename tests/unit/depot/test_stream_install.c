/*
 * Unit tests of installing while downloading: depot_fetch's sink (every
 * byte in order, those of a resumed .part first; a new start when the file
 * starts over; the verdict at the end) and depot_install_closure's
 * streaming installer (stream_install.c), which extracts into staging as
 * bytes arrive and commits only verified archives. No server is needed:
 * complete .part files left by an "earlier run" are the bytes, and the
 * mirror is unreachable. The e2e suite (tests/depot) runs the same path
 * against nginx, and `make bench` measures it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "depot/depot.h"
#include "hostile.h"
#include "testutil.h"

/* A sink that records what it is told. */
struct record {
	char bytes[256];
	size_t length;
	int starts, dones, result;
};

static void rec_start(void *ctx)
{
	struct record *r = ctx;
	r->starts++;
	r->length = 0;
}

static void rec_data(void *ctx, const void *bytes, size_t length)
{
	struct record *r = ctx;
	assert_true(r->length + length <= sizeof r->bytes);
	memcpy(r->bytes + r->length, bytes, length);
	r->length += length;
}

static void rec_done(void *ctx, int result)
{
	struct record *r = ctx;
	r->dones++;
	r->result = result;
}

static void test_sink_sees_resumed_bytes_and_verdict(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char dest[4096];
	struct record r = { .result = -1 };
	struct depot_sink sink = { &r, rec_start, rec_data, rec_done };
	const char *mirrors[] = { "http://127.0.0.1:1" };
	struct depot_fetch_options o = { .mirrors = mirrors,
		                         .mirror_count = 1,
		                         .connect_timeout_s = 2 };
	struct depot_target t = { .path = "a", .length = 6, .sink = &sink };
	snprintf(dest, sizeof dest, "%s/out", dir);
	t.dest = dest;
	EVP_Digest("hello\n", 6, t.sha256, NULL, EVP_sha256(), NULL);
	tu_write(dir, "out.part", "hello\n");
	assert_int_equal(depot_fetch(&o, &t, 1), DEPOT_OK);
	assert_int_equal(r.starts, 1);
	assert_int_equal(r.length, 6);
	assert_memory_equal(r.bytes, "hello\n", 6);
	assert_int_equal(r.dones, 1);
	assert_int_equal(r.result, DEPOT_OK);
	/* Wrong bytes: the sink is told the file starts over, and the end
	 * comes with the refusal. */
	memset(&r, 0, sizeof r);
	tu_write(dir, "out.part", "HELLO\n");
	assert_int_not_equal(depot_fetch(&o, &t, 1), DEPOT_OK);
	assert_true(r.starts >= 2);
	assert_int_equal(r.length, 0);
	assert_int_equal(r.dones, 1);
	assert_int_not_equal(r.result, DEPOT_OK);
	tu_rmdir(dir);
}

/* The closure: pkg alice/pkg/p/1 needs raw alice/raw/r/1. */
#define PKG "alice/pkg/p/1"
#define RAW "alice/raw/r/1"

/* Where an interrupted download would have left them, complete, and
 * whether the trust answers a wrong sha256 for the raw archive. */
struct trusted {
	char pkg[4096];
	char raw[4096];
	int tamper;
};

static int trust_file(void *ctx, const struct depot_name *name,
                      uint64_t *length, uint8_t sha256[DEPOT_SHA256_LEN],
                      struct depot_limits *limits, struct depot_diag *diag)
{
	(void)limits;
	struct trusted *t = ctx;
	char text[DEPOT_NAME_MAX];
	depot_name_format(name, text);
	int is_raw = strcmp(text, RAW) == 0;
	if (!is_raw && strcmp(text, PKG) != 0)
		return DEPOT_E_UNTRUSTED;
	int err = depot_sha256_file(is_raw ? t->raw : t->pkg, sha256, length,
	                            diag);
	if (is_raw && t->tamper)
		sha256[0] ^= 1;
	return err;
}

/* Leaves the pkg archive and, for the raw one, archive `kind`
 * (tests/depot/hostile.h) as complete .part files. */
static void leave_parts(const char *depot, const char *kind, struct trusted *t)
{
	char src[4096];
	struct depot_diag diag;
	tu_write(depot, "src/runtime",
	         "{\"binary\": \"x\", \"ram\": \"1M\", "
	         "\"caps\": 1}");
	tu_write(depot, "src/archives", RAW "\n");
	tu_write(depot, "src/README", "p\n");
	tu_write(depot, ".download/alice/pkg/p/1.tar.zst.part", "");
	tu_write(depot, ".download/alice/raw/r/1.tar.zst.part", "");
	snprintf(t->pkg, sizeof t->pkg, "%s/.download/" PKG ".tar.zst.part",
	         depot);
	snprintf(t->raw, sizeof t->raw, "%s/.download/" RAW ".tar.zst.part",
	         depot);
	struct depot_content *c = depot_content_new();
	static const char *const files[] = { "runtime", "archives", "README" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(src, sizeof src, "%s/src/%s", depot, files[i]);
		assert_int_equal(depot_content_add(c, src, files[i], &diag),
		                 DEPOT_OK);
	}
	assert_int_equal(depot_archive_create(c, t->pkg, &diag), DEPOT_OK);
	depot_content_free(c);
	assert_int_equal(hostile_write(kind, t->raw), 0);
}

static int install(const char *depot, struct trusted *t,
                   struct depot_diag *diag)
{
	const char *mirrors[] = { "http://127.0.0.1:1" };
	struct depot_fetch_options o = { .mirrors = mirrors,
		                         .mirror_count = 1,
		                         .connect_timeout_s = 2 };
	struct depot_name root;
	depot_name_parse(PKG, &root, NULL);
	return depot_install_closure(depot, &root, "x86_64", &o, NULL,
	                             trust_file, t, diag);
}

/* Nothing is left in the staging area. */
static int staging_entries(const char *depot)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/.staging", depot);
	return tu_count(path);
}

static int raw_installed(const char *depot)
{
	struct depot_name name;
	depot_name_parse(RAW, &name, NULL);
	return depot_installed(depot, &name);
}

static void test_streamed_install_commits_verified_archive(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct trusted t = { 0 };
	struct depot_diag diag;
	struct depot_name name;
	leave_parts(depot, "good", &t);
	assert_int_equal(install(depot, &t, &diag), DEPOT_OK);
	depot_name_parse(RAW, &name, NULL);
	assert_true(depot_installed(depot, &name));
	assert_int_equal(depot_verify(depot, &name, &diag), DEPOT_OK);
	depot_name_parse(PKG, &name, NULL);
	assert_true(depot_installed(depot, &name));
	assert_int_equal(staging_entries(depot), 0);
	tu_rmdir(depot);
}

static void test_streamed_install_refuses_wrong_hash(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct trusted t = { .tamper = 1 };
	struct depot_diag diag;
	leave_parts(depot, "good", &t);
	/* The complete .part does not match: it is dropped and the
	 * (unreachable) mirror asked; nothing extracted is committed. */
	assert_int_equal(install(depot, &t, &diag), DEPOT_E_NETWORK);
	assert_false(raw_installed(depot));
	assert_int_equal(staging_entries(depot), 0);
	tu_rmdir(depot);
}

/* Verified but hostile: the extraction's refusal stops the install. */
static void test_streamed_install_refuses_hostile_archive(void **state)
{
	(void)state;
	static const char *const kinds[] = { "traversal", "symlink-escape",
		                             "device", "duplicate" };
	static const int codes[] = { DEPOT_E_DOTDOT, DEPOT_E_LINK_ESCAPE,
		                     DEPOT_E_SPECIAL_FILE, DEPOT_E_BAD_ENTRY };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char *depot = tu_tmpdir();
		struct trusted t = { 0 };
		struct depot_diag diag;
		leave_parts(depot, kinds[i], &t);
		int err = install(depot, &t, &diag);
		if (err != codes[i])
			fail_msg("%s: got %d (%s)", kinds[i], err, diag.detail);
		assert_false(raw_installed(depot));
		assert_int_equal(staging_entries(depot), 0);
		tu_rmdir(depot);
	}
}

/* Counts the staging directories made under <depot>/.staging while it
 * watches: every extraction, streamed or from a file, makes one. */
struct staging_watch {
	int fd;
};

static struct staging_watch watch_staging(const char *depot)
{
	char path[4096];
	struct staging_watch w;
	snprintf(path, sizeof path, "%s/.staging", depot);
	mkdir(path, 0755);
	w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	assert_true(w.fd >= 0);
	assert_true(inotify_add_watch(w.fd, path, IN_CREATE) >= 0);
	return w;
}

/* Extractions since the watch began; ends the watch. */
static int extractions(struct staging_watch w)
{
	char buf[4096]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	int count = 0;
	ssize_t n;
	while ((n = read(w.fd, buf, sizeof buf)) > 0)
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const void *)p;
			count += (e->mask & IN_CREATE) && (e->mask & IN_ISDIR);
			p += sizeof *e + e->len;
		}
	close(w.fd);
	return count;
}

/* Issue 12, item 4: a .part kept by an earlier run (whose bytes were
 * streamed into an extraction once, then) is never extracted again before
 * it verified. A first depot finds a kept .part of the pkg that verifies
 * and one of its raw archive (a bomb) that does not match what is signed:
 * the pkg is extracted once, from the verified file, and the raw archive
 * not at all (streaming the kept bytes again, as before the fix, would
 * extract the bomb a second time: two extractions). A second depot finds
 * both .part files verifying: each archive is extracted exactly once. */
static void test_kept_part_is_extracted_once_after_verification(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct trusted t = { .tamper = 1 };
	struct depot_diag diag;
	leave_parts(depot, "bomb", &t);
	struct staging_watch w = watch_staging(depot);
	assert_int_not_equal(install(depot, &t, &diag), DEPOT_OK);
	assert_int_equal(extractions(w), 1);
	assert_false(raw_installed(depot));

	char *again = tu_tmpdir();
	struct trusted good = { 0 };
	leave_parts(again, "good", &good);
	w = watch_staging(again);
	assert_int_equal(install(again, &good, &diag), DEPOT_OK);
	/* the pkg and its raw archive, once each */
	assert_int_equal(extractions(w), 2);
	assert_true(raw_installed(again));
	assert_int_equal(staging_entries(again), 0);
	tu_rmdir(again);
	tu_rmdir(depot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sink_sees_resumed_bytes_and_verdict),
		cmocka_unit_test(
			test_streamed_install_commits_verified_archive),
		cmocka_unit_test(test_streamed_install_refuses_wrong_hash),
		cmocka_unit_test(test_streamed_install_refuses_hostile_archive),
		cmocka_unit_test(
			test_kept_part_is_extracted_once_after_verification),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
