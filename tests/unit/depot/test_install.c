/*
 * Unit tests of safe installation (depot/lib/extract.c, install.c,
 * staging.c, verify.c): a good archive installs with a manifest that
 * verifies; every hostile archive is refused with its own error code and
 * leaves nothing in the depot; stale staging directories are removed and
 * live ones kept; tampering is found by verify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "depot/depot.h"
#include "format/pkg_runtime.h"
#include "hostile.h"
#include "testutil.h"

/* Depot with nothing installed and no staging leftovers? */
static void assert_depot_empty(const char *depot)
{
	struct stat st;
	assert_int_equal(tu_count(tu_path(depot, ".staging")), 0);
	assert_int_not_equal(lstat(tu_path(depot, "u"), &st), 0);
}

static int install_kind(const char *depot, const char *kind,
                        const struct depot_limits *limits,
                        struct depot_diag *diag)
{
	char archive[4096];
	snprintf(archive, sizeof archive, "%s/%s.tar.zst", depot, kind);
	assert_int_equal(hostile_write(kind, archive), 0);
	struct depot_name name;
	char text[256];
	snprintf(text, sizeof text, "u/raw/%s/1", kind);
	assert_int_equal(depot_name_parse(text, &name, NULL), DEPOT_OK);
	int err = depot_install(depot, &name, archive, limits, diag);
	unlink(archive);
	return err;
}

static void test_good_archive_installs_and_verifies(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	assert_int_equal(install_kind(depot, "good", NULL, &diag), DEPOT_OK);
	assert_string_equal(tu_read(depot, "u/raw/good/1/lib/data"), "data\n");
	assert_string_equal(tu_read(depot, "u/raw/good/1/lib/same"), "data\n");
	assert_string_equal(tu_read(depot, "u/raw/good/1/lib/chain"),
	                    "a good archive\n");
	assert_true(tu_exists(depot, "u/raw/good/1/lib/via"));
	struct stat st;
	assert_int_equal(stat(tu_path(depot, "u/raw/good/1/bin/tool"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	assert_true(tu_exists(depot, "u/raw/good/1.manifest"));
	assert_int_equal(tu_count(tu_path(depot, ".staging")), 0);
	struct depot_name name;
	depot_name_parse("u/raw/good/1", &name, NULL);
	assert_true(depot_installed(depot, &name));
	assert_int_equal(depot_verify(depot, &name, &diag), DEPOT_OK);
	/* A second install of the same version is a no-op. */
	assert_int_equal(install_kind(depot, "good", NULL, &diag), DEPOT_OK);
	tu_rmdir(depot);
}

/* Extraction installs no setuid, setgid or sticky bit, nothing writable by
 * others and no owner from the archive (depot/lib/extract.c: normalize);
 * the tests run as root, where libarchive would restore all of them if
 * asked to. */
static void test_modes_and_owners_are_normalized(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		mode_t mode;
	} expected[] = {
		{ "u/raw/modes/1/setuid", S_IFREG | 0755 },
		{ "u/raw/modes/1/setgid", S_IFREG | 0755 },
		{ "u/raw/modes/1/sticky", S_IFDIR | 0755 },
		{ "u/raw/modes/1/sticky/writable", S_IFREG | 0644 },
		{ "u/raw/modes/1/same-setuid", S_IFREG | 0755 },
	};
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	mode_t mask = umask(0); /* no help from the umask */
	int err = install_kind(depot, "modes", NULL, &diag);
	umask(mask);
	assert_int_equal(err, DEPOT_OK);
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		struct stat st;
		assert_int_equal(lstat(tu_path(depot, expected[i].path), &st),
		                 0);
		if (st.st_mode != expected[i].mode)
			fail_msg("%s: mode %o, expected %o", expected[i].path,
			         (unsigned)st.st_mode,
			         (unsigned)expected[i].mode);
		assert_int_equal(st.st_uid, geteuid());
		assert_int_equal(st.st_gid, getegid());
	}
	struct depot_name name;
	depot_name_parse("u/raw/modes/1", &name, NULL);
	assert_int_equal(depot_verify(depot, &name, &diag), DEPOT_OK);
	tu_rmdir(depot);
}

/* depot_read_installed (what sculpt reads a target's pkg files with):
 * the kernel resolves beneath the root and follows no link, even one that
 * stays inside; specials and oversized files are refused. */
static void test_read_installed(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	char *text = NULL;
	size_t length = 0;
	tu_write(depot, "root/a/file", "inside\n");
	tu_write(depot, "outside", "outside\n");
	assert_int_equal(symlink("../../outside", tu_path(depot, "root/a/out")),
	                 0);
	assert_int_equal(symlink("file", tu_path(depot, "root/a/in")), 0);
	assert_int_equal(symlink("a", tu_path(depot, "root/dir")), 0);
	assert_int_equal(mkfifo(tu_path(depot, "root/a/fifo"), 0644), 0);
	char root[4096];
	snprintf(root, sizeof root, "%s/root", depot);
	assert_int_equal(depot_read_installed(root, "a/file", 64, &text,
	                                      &length, &diag),
	                 DEPOT_OK);
	assert_string_equal(text, "inside\n");
	assert_int_equal(length, 7);
	free(text);
	static const char *const links[] = { "a/out", "a/in", "dir/file",
		                             "a/../../outside", "/etc/passwd" };
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		if (depot_read_installed(root, links[i], 64, &text, &length,
		                         &diag) != DEPOT_E_LINK_ESCAPE)
			fail_msg("%s: not refused as a link", links[i]);
	assert_int_equal(depot_read_installed(root, "a/fifo", 64, &text,
	                                      &length, &diag),
	                 DEPOT_E_SPECIAL_FILE);
	assert_int_equal(depot_read_installed(root, "a", 64, &text, &length,
	                                      &diag),
	                 DEPOT_E_SPECIAL_FILE);
	assert_int_equal(depot_read_installed(root, "a/file", 6, &text, &length,
	                                      &diag),
	                 DEPOT_E_TOO_LARGE);
	assert_int_equal(depot_read_installed(root, "a/none", 64, &text,
	                                      &length, &diag),
	                 DEPOT_E_NOT_INSTALLED);
	tu_rmdir(depot);
}

/* Parent directories an archive does not list are created and recorded,
 * so the manifest still describes everything installed. */
static void test_unlisted_parent_directories(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	struct depot_name name;
	depot_name_parse("u/raw/no-dirs/1", &name, NULL);
	assert_int_equal(install_kind(depot, "no-dirs", NULL, &diag), DEPOT_OK);
	assert_string_equal(tu_read(depot, "u/raw/no-dirs/1/a/b/c"), "deep\n");
	assert_int_equal(depot_verify(depot, &name, &diag), DEPOT_OK);
	tu_rmdir(depot);
}

static void test_verify_finds_tampering(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	struct depot_name name;
	depot_name_parse("u/raw/good/1", &name, NULL);
	assert_int_equal(install_kind(depot, "good", NULL, &diag), DEPOT_OK);
	tu_write(depot, "u/raw/good/1/README", "changed\n");
	assert_int_equal(depot_verify(depot, &name, &diag), DEPOT_E_MODIFIED);
	assert_string_equal(diag.subject, "README");
	tu_write(depot, "u/raw/good/1/README", "a good archive\n");
	assert_int_equal(depot_verify(depot, &name, &diag), DEPOT_OK);
	tu_write(depot, "u/raw/good/1/extra", "x");
	assert_int_equal(depot_verify(depot, &name, &diag), DEPOT_E_MODIFIED);
	unlink(tu_path(depot, "u/raw/good/1/extra"));
	unlink(tu_path(depot, "u/raw/good/1/lib/data"));
	assert_int_equal(depot_verify(depot, &name, &diag), DEPOT_E_MODIFIED);
	assert_string_equal(diag.subject, "lib/data");
	tu_rmdir(depot);
}

static void test_remove_is_complete(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	struct depot_name name;
	depot_name_parse("u/raw/good/1", &name, NULL);
	assert_int_equal(install_kind(depot, "good", NULL, &diag), DEPOT_OK);
	assert_int_equal(depot_remove(depot, &name, &diag), DEPOT_OK);
	assert_false(depot_installed(depot, &name));
	assert_false(tu_exists(depot, "u/raw/good/1.manifest"));
	assert_int_equal(tu_count(tu_path(depot, ".staging")), 0);
	assert_int_equal(depot_remove(depot, &name, &diag),
	                 DEPOT_E_NOT_INSTALLED);
	tu_rmdir(depot);
}

struct refusal {
	const char *kind;
	int code;
};

static void test_hostile_archives_refused(void **state)
{
	(void)state;
	static const struct refusal refusals[] = {
		{ "traversal", DEPOT_E_DOTDOT },
		{ "absolute", DEPOT_E_ABSOLUTE_PATH },
		{ "symlink-escape", DEPOT_E_LINK_ESCAPE },
		{ "symlink-absolute", DEPOT_E_LINK_ESCAPE },
		{ "symlink-chain", DEPOT_E_LINK_ESCAPE },
		{ "symlink-nested", DEPOT_E_LINK_ESCAPE },
		{ "symlink-trust", DEPOT_E_LINK_ESCAPE },
		{ "symlink-dangling", DEPOT_E_LINK_ESCAPE },
		{ "below-symlink", DEPOT_E_LINK_ESCAPE },
		{ "symlink-loop", DEPOT_E_LINK_ESCAPE },
		{ "hardlink-escape", DEPOT_E_LINK_ESCAPE },
		{ "device", DEPOT_E_SPECIAL_FILE },
		{ "fifo", DEPOT_E_SPECIAL_FILE },
		{ "duplicate", DEPOT_E_BAD_ENTRY },
	};
	for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
		char *depot = tu_tmpdir();
		struct depot_diag diag;
		int err = install_kind(depot, refusals[i].kind, NULL, &diag);
		if (err != refusals[i].code)
			fail_msg("%s: got %d (%s '%s': %s)", refusals[i].kind,
			         err, depot_strerror(err), diag.subject,
			         diag.detail);
		assert_depot_empty(depot);
		tu_rmdir(depot);
	}
	struct stat st;
	assert_int_not_equal(lstat("/tmp/depot-test-absolute", &st), 0);
}

static void test_bomb_stops_at_byte_budget(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	struct depot_limits small = { .max_bytes = 1 << 20,
		                      .max_entries = 100 };
	assert_int_equal(install_kind(depot, "bomb", &small, &diag),
	                 DEPOT_E_TOO_LARGE);
	assert_depot_empty(depot);
	/* The same archive within a budget that fits installs. */
	struct depot_limits fits = { .max_bytes = 65 << 20, .max_entries = 10 };
	assert_int_equal(install_kind(depot, "bomb", &fits, &diag), DEPOT_OK);
	tu_rmdir(depot);
}

static void test_entry_limit(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	struct depot_limits few = { .max_bytes = 1 << 20, .max_entries = 100 };
	assert_int_equal(install_kind(depot, "many", &few, &diag),
	                 DEPOT_E_TOO_MANY_ENTRIES);
	assert_depot_empty(depot);
	struct depot_limits enough = { .max_bytes = 1 << 20,
		                       .max_entries = 2000 };
	assert_int_equal(install_kind(depot, "many", &enough, &diag), DEPOT_OK);
	tu_rmdir(depot);
}

static void test_garbage_file_refused(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	struct depot_name name;
	depot_name_parse("u/raw/junk/1", &name, NULL);
	tu_write(depot, "junk.tar.zst", "this is not an archive\n");
	assert_int_equal(depot_install(depot, &name,
	                               tu_path(depot, "junk.tar.zst"), NULL,
	                               &diag),
	                 DEPOT_E_ARCHIVE);
	assert_depot_empty(depot);
	tu_rmdir(depot);
}

/* A pkg archive is installed only with a valid runtime and archives. */
static void test_pkg_content_checked(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_content *c = depot_content_new();
	struct depot_diag diag;
	struct depot_name name;
	char archive[4096], src[4096];
	snprintf(archive, sizeof archive, "%s/pkg.tar.zst", depot);
	tu_write(depot, "src/runtime", "{\"binary\": \"x\", \"ram\": \"1M\"}");
	tu_write(depot, "src/archives", "alice/raw/r/1\n");
	snprintf(src, sizeof src, "%s/src", depot);
	assert_int_equal(depot_content_add(c, tu_path(src, "runtime"),
	                                   "runtime", &diag),
	                 DEPOT_OK);
	assert_int_equal(depot_content_add(c, tu_path(src, "archives"),
	                                   "archives", &diag),
	                 DEPOT_OK);
	assert_int_equal(depot_archive_create(c, archive, &diag), DEPOT_OK);
	depot_name_parse("alice/pkg/p/1", &name, NULL);
	assert_int_equal(depot_install(depot, &name, archive, NULL, &diag),
	                 DEPOT_E_RUNTIME);
	/* Refused with libformat's message for the same file, word for word. */
	assert_string_equal(diag.subject, "runtime");
	struct runtime_config_error error;
	const char *runtime = "{\"binary\": \"x\", \"ram\": \"1M\"}";
	assert_int_equal(pkg_runtime_parse(runtime, strlen(runtime), NULL,
	                                   &error),
	                 RUNTIME_CONFIG_INVALID);
	assert_string_equal(diag.detail, error.message);
	assert_false(depot_installed(depot, &name));
	/* The same archive as raw data is fine. */
	depot_name_parse("alice/raw/p/1", &name, NULL);
	assert_int_equal(depot_install(depot, &name, archive, NULL, &diag),
	                 DEPOT_OK);
	depot_content_free(c);
	tu_rmdir(depot);
}

/* .tar.xz archives (as other tools publish) are read too. */
static void test_reads_tar_xz(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	char path[4096];
	snprintf(path, sizeof path, "%s/x.tar.xz", depot);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_xz(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, "hello");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, 3);
	archive_write_header(a, e);
	archive_write_data(a, "hi\n", 3);
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
	struct depot_name name;
	struct depot_diag diag;
	depot_name_parse("u/raw/xz/1", &name, NULL);
	assert_int_equal(depot_install(depot, &name, path, NULL, &diag),
	                 DEPOT_OK);
	assert_string_equal(tu_read(depot, "u/raw/xz/1/hello"), "hi\n");
	tu_rmdir(depot);
}

static void count_report(void *ctx, const char *path)
{
	assert_string_equal(path, ".pending/u/pkg/p/1");
	(*(int *)ctx)++;
}

/* What a killed closure install left waiting in .pending is removed (and
 * reported), unless an install holds the pending lock. */
static void test_pending_cleanup(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	int reported = 0;
	tu_write(depot, ".pending/u/pkg/p/1/archives", "u/raw/r/1\n");
	tu_write(depot, ".pending/u/pkg/p/1.manifest", "");
	int lock = open(tu_path(depot, ".pending.lock"), O_RDONLY | O_CREAT,
	                0644);
	assert_true(lock >= 0);
	assert_int_equal(flock(lock, LOCK_SH), 0);
	assert_int_equal(depot_pending_cleanup(depot, 1, count_report,
	                                       &reported, &diag),
	                 DEPOT_OK);
	assert_int_equal(reported, 0);
	assert_true(tu_exists(depot, ".pending/u/pkg/p/1/archives"));
	close(lock);
	assert_int_equal(depot_pending_cleanup(depot, 0, count_report,
	                                       &reported, &diag),
	                 DEPOT_OK);
	assert_int_equal(reported, 1);
	assert_true(tu_exists(depot, ".pending/u/pkg/p/1/archives"));
	assert_int_equal(depot_pending_cleanup(depot, 1, count_report,
	                                       &reported, &diag),
	                 DEPOT_OK);
	assert_int_equal(reported, 2);
	assert_false(tu_exists(depot, ".pending"));
	tu_rmdir(depot);
}

static void test_staging_cleanup_spares_live_dirs(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	tu_write(depot, ".staging/dead/content/half", "x");
	tu_write(depot, ".staging/live/content/half", "x");
	int fd = open(tu_path(depot, ".staging/live"), O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_int_equal(depot_staging_cleanup(depot, &diag), DEPOT_OK);
	assert_false(tu_exists(depot, ".staging/dead"));
	assert_true(tu_exists(depot, ".staging/live/content/half"));
	close(fd); /* the owner "dies" */
	assert_int_equal(depot_staging_cleanup(depot, &diag), DEPOT_OK);
	assert_int_equal(tu_count(tu_path(depot, ".staging")), 0);
	tu_rmdir(depot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_archive_installs_and_verifies),
		cmocka_unit_test(test_unlisted_parent_directories),
		cmocka_unit_test(test_verify_finds_tampering),
		cmocka_unit_test(test_remove_is_complete),
		cmocka_unit_test(test_hostile_archives_refused),
		cmocka_unit_test(test_modes_and_owners_are_normalized),
		cmocka_unit_test(test_read_installed),
		cmocka_unit_test(test_bomb_stops_at_byte_budget),
		cmocka_unit_test(test_entry_limit),
		cmocka_unit_test(test_garbage_file_refused),
		cmocka_unit_test(test_pkg_content_checked),
		cmocka_unit_test(test_reads_tar_xz),
		cmocka_unit_test(test_staging_cleanup_spares_live_dirs),
		cmocka_unit_test(test_pending_cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
