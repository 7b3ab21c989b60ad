/*
 * Tests of depot files as ROMs (depot_rom.h) on a real target directory:
 * a listed file is served as a sealed copy; links, fifos, unlisted files,
 * modified files and malformed manifests are refused; the depot-index
 * text for installed, missing and damaged archives; booting from a base
 * pkg finds init in its archives file or refuses the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base_boot.h"
#include "depot_rom.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ARCHIVE "u/bin/x86_64/hello/1"

struct depot_fixture {
	char dir[64];
	char path[256]; /* scratch */
	struct target target;
};

static const char *at(struct depot_fixture *f, const char *rel)
{
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, rel);
	return f->path;
}

/* mkdir -p of a path within the target. */
static void make_dirs(struct depot_fixture *f, const char *rel)
{
	char command[300];
	snprintf(command, sizeof(command), "mkdir -p '%s'", at(f, rel));
	assert_int_equal(system(command), 0);
}

/* Renames within the target (at() has one buffer). */
static void move(struct depot_fixture *f, const char *from, const char *to)
{
	char old[256];
	snprintf(old, sizeof(old), "%s", at(f, from));
	assert_int_equal(rename(old, at(f, to)), 0);
}

static void write_file(struct depot_fixture *f, const char *rel,
                       const char *text)
{
	FILE *file = fopen(at(f, rel), "w");
	assert_non_null(file);
	fputs(text, file);
	fclose(file);
}

static void sha256_hex_of(const void *bytes, size_t size, char hex[65])
{
	unsigned char digest[32];
	unsigned len;
	EVP_Digest(bytes, size, digest, &len, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		sprintf(hex + (size_t)2 * (size_t)i, "%02x", digest[i]);
}

static void sha256_hex(const char *text, char hex[65])
{
	sha256_hex_of(text, strlen(text), hex);
}

/* An archive with files hello ("hello v1\n") and README, a directory
 * and a nested file, installed as `depot extract` leaves it. */
static int setup(void **state)
{
	struct depot_fixture *f = calloc(1, sizeof(*f));
	char err[256], hex[65], manifest[1024];
	snprintf(f->dir, sizeof(f->dir), "/tmp/core-depot.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(mkdir(at(f, "boot"), 0755), 0);
	make_dirs(f, "depot/" ARCHIVE "/lib");
	write_file(f, "depot/" ARCHIVE "/hello", "hello v1\n");
	write_file(f, "depot/" ARCHIVE "/README", "read me\n");
	write_file(f, "depot/" ARCHIVE "/lib/x", "x\n");
	size_t len = 0;
	sha256_hex("hello v1\n", hex);
	len += (size_t)sprintf(manifest + len, "f 0755 %s hello\n", hex);
	len += (size_t)sprintf(manifest + len, "d 0755 - lib\n");
	sha256_hex("x\n", hex);
	len += (size_t)sprintf(manifest + len, "f 0644 %s lib/x\n", hex);
	sha256_hex("read me\n", hex);
	sprintf(manifest + len, "f 0644 %s README\n", hex);
	write_file(f, "depot/" ARCHIVE ".manifest", manifest);
	assert_int_equal(target_open_with(&f->target, f->dir, 0, err,
	                                  sizeof(err)),
	                 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct depot_fixture *f = *state;
	char command[128];
	target_close(&f->target);
	snprintf(command, sizeof(command), "rm -rf '%s'", f->dir);
	assert_int_equal(system(command), 0);
	free(f);
	return 0;
}

static enum depot_rom_status read_rom(struct depot_fixture *f,
                                      const char *archive, const char *name,
                                      char *content, size_t size, char *why)
{
	kcap_t mem = KCAP_INVALID;
	size_t len = 0;
	enum depot_rom_status status = depot_rom_read(&f->target, archive, name,
	                                              &mem, &len, why, 512);
	if (status != DEPOT_ROM_OK)
		return status;
	void *data;
	assert_true(len < size);
	assert_int_equal(kmem_map(mem, 0, len ? len : 1, KMEM_READ, NULL,
	                          &data),
	                 0);
	memcpy(content, data, len);
	content[len] = '\0';
	kmem_unmap(data, len ? len : 1);
	/* sealed: it cannot be mapped writable */
	assert_int_not_equal(kmem_map(mem, 0, len ? len : 1,
	                              KMEM_READ | KMEM_WRITE, NULL, &data),
	                     0);
	kcap_close(mem);
	return status;
}

static int log_says(struct depot_fixture *f, const char *text)
{
	char buf[8192];
	FILE *file = fopen(at(f, "log/core.log"), "r");
	if (!file)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, file);
	fclose(file);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

static void test_listed_file_is_served(void **state)
{
	struct depot_fixture *f = *state;
	char content[64], why[512];
	assert_int_equal(read_rom(f, ARCHIVE, "hello", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_OK);
	assert_string_equal(content, "hello v1\n");
	assert_int_equal(read_rom(f, ARCHIVE, "README", content,
	                          sizeof(content), why),
	                 DEPOT_ROM_OK);
	assert_string_equal(content, "read me\n");
}

static void test_unlisted_and_missing(void **state)
{
	struct depot_fixture *f = *state;
	char content[64], why[512];
	/* on disk but not in the manifest */
	write_file(f, "depot/" ARCHIVE "/extra", "extra\n");
	assert_int_equal(read_rom(f, ARCHIVE, "extra", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_MISSING);
	assert_non_null(strstr(why, "has no file 'extra'"));
	/* a directory and a nested file are no top-level files */
	assert_int_equal(read_rom(f, ARCHIVE, "lib", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_MISSING);
	assert_int_equal(read_rom(f, "u/bin/x86_64/hello/2", "hello", content,
	                          sizeof(content), why),
	                 DEPOT_ROM_MISSING);
	assert_non_null(strstr(why, "is not installed"));
	assert_non_null(strstr(why, "depot --depot"));
	/* a directory without manifest is not installed (libdepot writes
	 * the manifest first); a manifest that is a directory is damaged */
	make_dirs(f, "depot/u/pkg/p/1");
	assert_int_equal(read_rom(f, "u/pkg/p/1", "x", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_MISSING);
	assert_non_null(strstr(why, "is not installed"));
	make_dirs(f, "depot/u/pkg/p/1.manifest");
	assert_int_equal(read_rom(f, "u/pkg/p/1", "x", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_DAMAGED);
	assert_non_null(strstr(why, "manifest cannot be read"));
}

static void test_modified_file_is_damaged(void **state)
{
	struct depot_fixture *f = *state;
	char content[64], why[512];
	write_file(f, "depot/" ARCHIVE "/hello", "hello v2\n");
	assert_int_equal(read_rom(f, ARCHIVE, "hello", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_DAMAGED);
	assert_non_null(strstr(why, "file hello differs from its manifest"));
	assert_true(
		log_says(f, "[core] depot archive " ARCHIVE " is damaged: "
	                    "file hello differs from its manifest; repair it"));
	/* the same length, one byte changed, and a longer file */
	write_file(f, "depot/" ARCHIVE "/hello", "hello v1\n\n");
	assert_int_equal(read_rom(f, ARCHIVE, "hello", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_DAMAGED);
	write_file(f, "depot/" ARCHIVE "/hello", "");
	assert_int_equal(read_rom(f, ARCHIVE, "hello", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_DAMAGED);
	unlink(at(f, "depot/" ARCHIVE "/hello"));
	assert_int_equal(read_rom(f, ARCHIVE, "hello", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_DAMAGED);
	assert_non_null(strstr(why, "file hello is missing"));
}

static void test_links_and_fifos_are_refused(void **state)
{
	struct depot_fixture *f = *state;
	char content[64], why[512], target[256];
	/* a link to outside, with the content the manifest expects */
	snprintf(target, sizeof(target), "%s/outside", f->dir);
	write_file(f, "outside", "hello v1\n");
	unlink(at(f, "depot/" ARCHIVE "/hello"));
	assert_int_equal(symlink(target, at(f, "depot/" ARCHIVE "/hello")), 0);
	assert_int_equal(read_rom(f, ARCHIVE, "hello", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_DAMAGED);
	assert_non_null(strstr(why, "no regular file"));
	/* a relative link inside the archive */
	unlink(at(f, "depot/" ARCHIVE "/hello"));
	assert_int_equal(symlink("README", at(f, "depot/" ARCHIVE "/hello")),
	                 0);
	assert_int_equal(read_rom(f, ARCHIVE, "hello", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_DAMAGED);
	/* a fifo: refused at once, core does not block in open() */
	unlink(at(f, "depot/" ARCHIVE "/hello"));
	assert_int_equal(mkfifo(at(f, "depot/" ARCHIVE "/hello"), 0644), 0);
	assert_int_equal(read_rom(f, ARCHIVE, "hello", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_DAMAGED);
	/* an archive directory that is a link to outside the depot */
	make_dirs(f, "depot/v/bin/x86_64");
	snprintf(target, sizeof(target), "%s/depot/u/bin/x86_64/hello", f->dir);
	assert_int_equal(symlink(target, at(f, "depot/v/bin/x86_64/hello")), 0);
	assert_int_equal(read_rom(f, "v/bin/x86_64/hello/1", "README", content,
	                          sizeof(content), why),
	                 DEPOT_ROM_MISSING);
	/* a manifest that is a link */
	move(f, "depot/" ARCHIVE ".manifest", "m");
	snprintf(target, sizeof(target), "%s/m", f->dir);
	assert_int_equal(symlink(target, at(f, "depot/" ARCHIVE ".manifest")),
	                 0);
	assert_int_equal(read_rom(f, ARCHIVE, "README", content,
	                          sizeof(content), why),
	                 DEPOT_ROM_DAMAGED);
}

static void test_no_depot(void **state)
{
	struct depot_fixture *f = *state;
	char content[64], why[512], err[256];
	target_close(&f->target);
	move(f, "depot", "elsewhere");
	assert_int_equal(target_open_with(&f->target, f->dir, 0, err,
	                                  sizeof(err)),
	                 0);
	assert_int_equal(f->target.depot_fd, -1);
	assert_int_equal(read_rom(f, ARCHIVE, "hello", content, sizeof(content),
	                          why),
	                 DEPOT_ROM_MISSING);
}

static void index_of(struct depot_fixture *f, const char *archive, char *text,
                     size_t size)
{
	kcap_t mem;
	size_t len;
	assert_int_equal(depot_rom_index(&f->target, archive, &mem, &len),
	                 DEPOT_ROM_OK);
	assert_true(len < size);
	void *data;
	assert_int_equal(kmem_map(mem, 0, len, KMEM_READ, NULL, &data), 0);
	memcpy(text, data, len);
	text[len] = '\0';
	kmem_unmap(data, len);
	kcap_close(mem);
}

static void test_index(void **state)
{
	struct depot_fixture *f = *state;
	char text[512];
	index_of(f, ARCHIVE, text, sizeof(text));
	assert_string_equal(text, "installed\nhello\nREADME\n");
	index_of(f, "u/bin/x86_64/hello/9", text, sizeof(text));
	assert_string_equal(text, "missing\n");
	write_file(f, "depot/" ARCHIVE "/README", "changed\n");
	index_of(f, ARCHIVE, text, sizeof(text));
	assert_string_equal(text, "damaged file README differs from its "
	                          "manifest\nhello\nREADME\n");
	write_file(f, "depot/" ARCHIVE ".manifest", "f 0644 - README\n");
	index_of(f, ARCHIVE, text, sizeof(text));
	assert_string_equal(text, "damaged line 1 of the manifest is "
	                          "malformed\n");
	unlink(at(f, "depot/" ARCHIVE ".manifest"));
	index_of(f, ARCHIVE, text, sizeof(text));
	assert_string_equal(text, "missing\n");
}

/* Installs u/pkg/base/1 with archives file text[0..len) and boots from it
 * (no init archive is installed: a found init fails at reading its
 * image, after naming it in from: " from depot archive A").
 * base_boot_image's result. */
static int boot_from(struct depot_fixture *f, const char *text, size_t len,
                     char from[ARCHIVE_NAME_MAX + 32], char *err,
                     size_t err_size)
{
	char hex[65], manifest[128];
	make_dirs(f, "depot/u/pkg/base/1");
	FILE *file = fopen(at(f, "depot/u/pkg/base/1/archives"), "w");
	assert_non_null(file);
	assert_int_equal(fwrite(text, 1, len, file), len);
	fclose(file);
	sha256_hex_of(text, len, hex);
	snprintf(manifest, sizeof(manifest), "f 0644 %s archives\n", hex);
	write_file(f, "depot/u/pkg/base/1.manifest", manifest);
	kcap_t image = KCAP_INVALID;
	int rc = base_boot_image(&f->target, "u/pkg/base/1", &image, from,
	                         ARCHIVE_NAME_MAX + 32, err, err_size);
	if (rc == 0)
		kcap_close(image);
	return rc;
}

static int boot_text(struct depot_fixture *f, const char *text,
                     char from[ARCHIVE_NAME_MAX + 32], char *err)
{
	return boot_from(f, text, strlen(text), from, err, 1024);
}

static void test_base_archives(void **state)
{
	struct depot_fixture *f = *state;
	char from[ARCHIVE_NAME_MAX + 32], err[1024];
	assert_int_equal(boot_text(f,
	                           "# the base\n\n  project/src/core/2  \n"
	                           "project/src/init/2026-11-21e\r\n"
	                           "project/src/init/3\n",
	                           from, err),
	                 -1);
	assert_string_equal(from,
	                    " from depot archive project/bin/" ARCHIVE_ARCH
	                    "/init/2026-11-21e");
	assert_non_null(strstr(err, "archive project/bin/" ARCHIVE_ARCH
	                            "/init/2026-11-21e lacks 'init'"));
	/* the last line without newline counts too */
	assert_int_equal(boot_text(f, "a/raw/x/1\nb/src/init/7", from, err),
	                 -1);
	assert_string_equal(from, " from depot archive b/bin/" ARCHIVE_ARCH
	                          "/init/7");
	/* no init: a bin or pkg entry named init is not the src archive */
	assert_int_equal(boot_text(f, "u/bin/x86_64/init/1\nu/pkg/init/1\n",
	                           from, err),
	                 -1);
	assert_non_null(strstr(err, "lists no src archive of init"));
	assert_int_equal(boot_text(f, "", from, err), -1);
	assert_non_null(strstr(err, "lists no src archive of init"));
	/* malformed lines are refused with their number, before init */
	assert_int_equal(boot_text(f, "# x\n../src/init/1\nu/src/init/1\n",
	                           from, err),
	                 -1);
	assert_non_null(strstr(err, "line 2 of the archives file of "
	                            "u/pkg/base/1 is no archive name"));
	assert_string_equal(from, "");
	char long_line[600];
	memset(long_line, 'a', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	assert_int_equal(boot_text(f, long_line, from, err), -1);
	assert_non_null(strstr(err, "line 1 of the archives file"));
	const char nul[] = "u/src/in\0it/1\n";
	assert_int_equal(boot_from(f, nul, sizeof(nul) - 1, from, err,
	                           sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "holds a NUL byte"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_listed_file_is_served,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlisted_and_missing,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_modified_file_is_damaged,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_links_and_fifos_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_depot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_archives, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
