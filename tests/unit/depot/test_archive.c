/*
 * Unit tests of reproducible archive creation (depot/lib/content.c,
 * archive_create.c): same content, same bytes; metadata that must not
 * matter does not; content that must matter does; bad paths and special
 * files are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <archive.h>
#include <archive_entry.h>

#include "depot/depot.h"
#include "testutil.h"

static void make_tree(const char *dir)
{
	tu_write(dir, "src/b.c", "int b;\n");
	tu_write(dir, "src/a.c", "int a;\n");
	tu_write(dir, "src/sub/z.h", "#define Z\n");
	tu_write(dir, "run.sh", "#!/bin/sh\n");
	chmod(tu_path(dir, "run.sh"), 0700);
}

static struct depot_content *content_of(const char *dir)
{
	struct depot_content *c = depot_content_new();
	struct depot_diag diag;
	assert_non_null(c);
	assert_int_equal(depot_content_add(c, tu_path(dir, "src"), "src",
	                                   &diag),
	                 DEPOT_OK);
	assert_int_equal(depot_content_add(c, tu_path(dir, "run.sh"),
	                                   "bin/run.sh", &diag),
	                 DEPOT_OK);
	return c;
}

static void hash_of(const char *dir, uint8_t hash[DEPOT_SHA256_LEN])
{
	struct depot_content *c = content_of(dir);
	struct depot_diag diag;
	assert_int_equal(depot_content_hash(c, hash, &diag), DEPOT_OK);
	depot_content_free(c);
}

static void file_hash(const char *path, uint8_t hash[DEPOT_SHA256_LEN])
{
	assert_int_equal(depot_sha256_file(path, hash, NULL, NULL), DEPOT_OK);
}

static void test_create_twice_is_bit_identical(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	make_tree(dir);
	struct depot_content *c = content_of(dir);
	struct depot_diag diag;
	uint8_t first[DEPOT_SHA256_LEN], second[DEPOT_SHA256_LEN];
	char out1[4096], out2[4096];
	snprintf(out1, sizeof out1, "%s/one.tar.zst", dir);
	snprintf(out2, sizeof out2, "%s/two.tar.zst", dir);
	assert_int_equal(depot_archive_create(c, out1, &diag), DEPOT_OK);
	/* Touch files and change the umask-visible bits that must not
	 * matter, then write again. */
	struct utimbuf old = { 12345, 12345 };
	utime(tu_path(dir, "src/a.c"), &old);
	chmod(tu_path(dir, "src/b.c"), 0600);
	assert_int_equal(depot_archive_create(c, out2, &diag), DEPOT_OK);
	file_hash(out1, first);
	file_hash(out2, second);
	assert_memory_equal(first, second, sizeof first);
	depot_content_free(c);
	tu_rmdir(dir);
}

/* Names longer than ustar holds need pax extended headers; those must be
 * reproducible too, and extract back to the same names. */
static void test_long_names_reproducible(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char rel[300];
	memset(rel, 'd', 150);
	memcpy(rel + 150, "/", 1);
	memset(rel + 151, 'f', 120);
	rel[271] = '\0';
	tu_write(dir, rel, "long\n");
	struct depot_content *c = depot_content_new();
	struct depot_diag diag;
	char src[4096], out1[4096], out2[4096];
	snprintf(src, sizeof src, "%s", tu_path(dir, rel));
	assert_int_equal(depot_content_add(c, src, rel, &diag), DEPOT_OK);
	snprintf(out1, sizeof out1, "%s/one.tar.zst", dir);
	snprintf(out2, sizeof out2, "%s/two.tar.zst", dir);
	assert_int_equal(depot_archive_create(c, out1, &diag), DEPOT_OK);
	utime(src, &(struct utimbuf){ 7, 7 });
	assert_int_equal(depot_archive_create(c, out2, &diag), DEPOT_OK);
	uint8_t h1[DEPOT_SHA256_LEN], h2[DEPOT_SHA256_LEN];
	file_hash(out1, h1);
	file_hash(out2, h2);
	assert_memory_equal(h1, h2, sizeof h1);
	char depot[4096];
	snprintf(depot, sizeof depot, "%s/depot", dir);
	struct depot_name name;
	depot_name_parse("u/raw/long/1", &name, NULL);
	assert_int_equal(depot_install(depot, &name, out1, NULL, &diag),
	                 DEPOT_OK);
	char installed[4096];
	snprintf(installed, sizeof installed, "u/raw/long/1/%s", rel);
	assert_string_equal(tu_read(depot, installed), "long\n");
	depot_content_free(c);
	tu_rmdir(dir);
}

/* The archive lists entries sorted, with normalized metadata. */
static void test_entries_sorted_and_normalized(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	make_tree(dir);
	struct depot_content *c = content_of(dir);
	struct depot_diag diag;
	char out[4096];
	snprintf(out, sizeof out, "%s/a.tar.zst", dir);
	assert_int_equal(depot_archive_create(c, out, &diag), DEPOT_OK);
	struct archive *a = archive_read_new();
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	assert_int_equal(archive_read_open_filename(a, out, 4096), ARCHIVE_OK);
	static const char *const expected[] = {
		"bin",     "bin/run.sh", "src",         "src/a.c",
		"src/b.c", "src/sub",    "src/sub/z.h",
	};
	struct archive_entry *e;
	size_t i = 0;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		assert_true(i < 7);
		char name[64];
		snprintf(name, sizeof name, "%s", archive_entry_pathname(e));
		if (name[strlen(name) - 1] == '/') /* tar marks directories */
			name[strlen(name) - 1] = '\0';
		assert_string_equal(name, expected[i]);
		assert_int_equal(archive_entry_mtime(e), 0);
		assert_int_equal(archive_entry_uid(e), 0);
		const char *uname = archive_entry_uname(e);
		assert_true(uname == NULL || uname[0] == '\0');
		unsigned perm = archive_entry_perm(e);
		if (strcmp(expected[i], "bin/run.sh") == 0 ||
		    archive_entry_filetype(e) == AE_IFDIR)
			assert_int_equal(perm, 0755);
		else
			assert_int_equal(perm, 0644);
		i++;
	}
	assert_int_equal(i, 7);
	archive_read_free(a);
	depot_content_free(c);
	tu_rmdir(dir);
}

static void test_hash_ignores_mtime_but_not_content(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	make_tree(dir);
	uint8_t h1[DEPOT_SHA256_LEN], h2[DEPOT_SHA256_LEN],
		h3[DEPOT_SHA256_LEN];
	hash_of(dir, h1);
	struct utimbuf old = { 99, 99 };
	utime(tu_path(dir, "src/b.c"), &old);
	hash_of(dir, h2);
	assert_memory_equal(h1, h2, sizeof h1);
	tu_write(dir, "src/b.c", "int b = 1;\n");
	hash_of(dir, h3);
	assert_memory_not_equal(h1, h3, sizeof h1);
	tu_rmdir(dir);
}

static void test_hash_sees_exec_bit_and_new_file(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	make_tree(dir);
	uint8_t h1[DEPOT_SHA256_LEN], h2[DEPOT_SHA256_LEN],
		h3[DEPOT_SHA256_LEN];
	hash_of(dir, h1);
	chmod(tu_path(dir, "src/a.c"), 0755);
	hash_of(dir, h2);
	assert_memory_not_equal(h1, h2, sizeof h1);
	tu_write(dir, "src/new.c", "");
	hash_of(dir, h3);
	assert_memory_not_equal(h2, h3, sizeof h2);
	tu_rmdir(dir);
}

static void test_bad_archive_paths_refused(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	make_tree(dir);
	struct depot_content *c = depot_content_new();
	struct depot_diag diag;
	const char *src = tu_path(dir, "run.sh");
	char source[4096];
	snprintf(source, sizeof source, "%s", src);
	assert_int_equal(depot_content_add(c, source, "/abs", &diag),
	                 DEPOT_E_ABSOLUTE_PATH);
	assert_int_equal(depot_content_add(c, source, "a/../b", &diag),
	                 DEPOT_E_DOTDOT);
	assert_int_equal(depot_content_add(c, source, "a//b", &diag),
	                 DEPOT_E_BAD_ENTRY);
	assert_int_equal(depot_content_add(c, source, "x", &diag), DEPOT_OK);
	assert_int_equal(depot_content_add(c, source, "x", &diag),
	                 DEPOT_E_BAD_ENTRY);
	assert_string_equal(diag.subject, "x");
	depot_content_free(c);
	tu_rmdir(dir);
}

static void test_special_file_refused(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	assert_int_equal(mkfifo(tu_path(dir, "fifo"), 0644), 0);
	struct depot_content *c = depot_content_new();
	struct depot_diag diag;
	char source[4096];
	snprintf(source, sizeof source, "%s", tu_path(dir, "fifo"));
	assert_int_equal(depot_content_add(c, source, "fifo", &diag),
	                 DEPOT_E_SPECIAL_FILE);
	depot_content_free(c);
	tu_rmdir(dir);
}

static void test_missing_source_is_io_error(void **state)
{
	(void)state;
	struct depot_content *c = depot_content_new();
	struct depot_diag diag;
	assert_int_equal(depot_content_add(c, "/nonexistent/depot-x", "x",
	                                   &diag),
	                 DEPOT_E_IO);
	assert_string_equal(diag.subject, "/nonexistent/depot-x");
	depot_content_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_twice_is_bit_identical),
		cmocka_unit_test(test_long_names_reproducible),
		cmocka_unit_test(test_entries_sorted_and_normalized),
		cmocka_unit_test(test_hash_ignores_mtime_but_not_content),
		cmocka_unit_test(test_hash_sees_exec_bit_and_new_file),
		cmocka_unit_test(test_bad_archive_paths_refused),
		cmocka_unit_test(test_special_file_refused),
		cmocka_unit_test(test_missing_source_is_io_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
