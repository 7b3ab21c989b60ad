/*
 * Unit tests of the host's end of the control channel of core on riscv
 * (kernel/riscv/tool/control_frame.h, push_files.h): a ROM frame and an
 * archive frame byte for byte as core reads them (core/riscv/control.c,
 * control_archive.c), each bound of core's refused before anything is
 * written, and an archive's files read from a directory as core serves
 * them: top-level regular files in name order, links, subdirectories and
 * names starting with '.' left out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "control_frame.h"
#include "push_files.h"

/* SHA-256 of "hello" and of "world" (sha256sum) */
#define SHA_HELLO "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define SHA_WORLD "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7"

static struct control_archive frame; /* off the stack */

/* What `write` put into a pipe, NUL-terminated, into out. */
static size_t written(int (*write_fn)(int fd, const void *f), const void *f,
                      char *out, size_t size)
{
	int fds[2];
	size_t len = 0;
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write_fn(fds[1], f), 0);
	close(fds[1]);
	while ((n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fds[0]);
	out[len] = '\0';
	return len;
}

static int write_rom(int fd, const void *f)
{
	char why[256];

	return control_frame_write(fd, f, 1000, why, sizeof(why));
}

static int write_archive(int fd, const void *a)
{
	char why[256];

	return control_archive_write(fd, a, 1000, why, sizeof(why));
}

static void test_rom_frame(void **state)
{
	struct control_frame f = { .size = 0 };
	char why[256], out[256];

	(void)state;
	assert_int_equal(control_frame_rom(&f, "config/init.config", "hello", 5,
	                                   why, sizeof(why)),
	                 0);
	written(write_rom, &f, out, sizeof(out));
	/* cksum of "hello" is 3287646509 */
	assert_string_equal(out,
	                    "rom config/init.config 5 3287646509\nhello\n");
	assert_int_not_equal(control_frame_rom(&f, "a/b", "x", 1, why,
	                                       sizeof(why)),
	                     0);
	assert_int_not_equal(control_frame_rom(&f, ".x", "x", 1, why,
	                                       sizeof(why)),
	                     0);
	assert_int_not_equal(control_frame_rom(&f, "x", "", 0, why,
	                                       sizeof(why)),
	                     0);
	assert_non_null(strstr(why, "core takes 1 to 8388608"));
}

static void test_archive_frame(void **state)
{
	const struct control_file files[] = { { "a", "hello", 5 },
		                              { "b", "world", 5 } };
	char why[256], out[1024];

	(void)state;
	assert_int_equal(control_frame_archive(&frame, "project/raw/d/1", files,
	                                       2, why, sizeof(why)),
	                 0);
	assert_int_equal(frame.bytes, 10);
	written(write_archive, &frame, out, sizeof(out));
	assert_string_equal(out, "archive project/raw/d/1 2\n"
	                         "file a 5 " SHA_HELLO "\nhello\n"
	                         "file b 5 " SHA_WORLD "\nworld\n");
}

/* Each breaks a bound of core's: refused, with why. */
static void test_archive_refusals(void **state)
{
	static struct control_file many[CONTROL_ARCHIVE_FILES_MAX + 1];
	static char names[CONTROL_ARCHIVE_FILES_MAX + 1][8];
	const struct control_file twice[] = { { "a", "x", 1 },
		                              { "a", "y", 1 } };
	const struct control_file slash[] = { { "../x", "x", 1 } };
	const struct control_file dot[] = { { ".hidden", "x", 1 } };
	const struct control_file empty[] = { { "e", "", 0 } };
	const struct control_file space[] = { { "a b", "x", 1 } };
	char why[256], long_name[CONTROL_LINE_MAX + 8];

	(void)state;
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d/1", twice,
	                                           2, why, sizeof(why)),
	                     0);
	assert_non_null(strstr(why, "has file 'a' twice"));
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d/1", slash,
	                                           1, why, sizeof(why)),
	                     0);
	assert_non_null(strstr(why, "core cannot serve"));
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d/1", dot, 1,
	                                           why, sizeof(why)),
	                     0);
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d/1", space,
	                                           1, why, sizeof(why)),
	                     0);
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d/1", empty,
	                                           1, why, sizeof(why)),
	                     0);
	assert_non_null(strstr(why, "core takes 1 to"));
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d/1", empty,
	                                           0, why, sizeof(why)),
	                     0);
	assert_non_null(strstr(why, "0 top-level files"));
	for (unsigned i = 0; i <= CONTROL_ARCHIVE_FILES_MAX; i++) {
		snprintf(names[i], sizeof(names[i]), "f%u", i);
		many[i] = (struct control_file){ names[i], "x", 1 };
	}
	assert_int_equal(control_frame_archive(&frame, "p/raw/d/1", many,
	                                       CONTROL_ARCHIVE_FILES_MAX, why,
	                                       sizeof(why)),
	                 0);
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d/1", many,
	                                           CONTROL_ARCHIVE_FILES_MAX +
	                                                   1,
	                                           why, sizeof(why)),
	                     0);
	assert_non_null(strstr(why, "17 top-level files: core takes 1 to 16"));
	/* the name: one header word within core's line */
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d 1", many, 1,
	                                           why, sizeof(why)),
	                     0);
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d\n1", many,
	                                           1, why, sizeof(why)),
	                     0);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_not_equal(control_frame_archive(&frame, long_name, many, 1,
	                                           why, sizeof(why)),
	                     0);
	assert_int_equal(frame.count, 0);
}

/* A file over core's module limit, and archives over its table's bytes. */
static void test_archive_sizes(void **state)
{
	static struct control_file files[3];
	char why[256];
	unsigned char *big = calloc(1, CONTROL_FILE_MAX + 1);

	(void)state;
	assert_non_null(big);
	files[0] = (struct control_file){ "big", big, CONTROL_FILE_MAX + 1 };
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d/1", files,
	                                           1, why, sizeof(why)),
	                     0);
	assert_non_null(strstr(why, "'big' has 8388609 bytes"));
	for (unsigned i = 0; i < 3; i++)
		files[i] = (struct control_file){ i == 0   ? "a"
			                          : i == 1 ? "b"
			                                   : "c",
			                          big, CONTROL_FILE_MAX };
	assert_int_equal(control_frame_archive(&frame, "p/raw/d/1", files, 2,
	                                       why, sizeof(why)),
	                 0);
	assert_int_not_equal(control_frame_archive(&frame, "p/raw/d/1", files,
	                                           3, why, sizeof(why)),
	                     0);
	assert_non_null(strstr(why, "core keeps at most 16777216"));
	free(big);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_archive_read(void **state)
{
	struct control_file files[CONTROL_ARCHIVE_FILES_MAX];
	char dir[] = "/tmp/control-frame-test-XXXXXX", path[512], why[256];
	char *names[4];
	unsigned count = 99;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "b", "world");
	put(dir, "a", "hello");
	put(dir, ".hidden", "no");
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	put(path, "deep", "no");
	snprintf(path, sizeof(path), "%s/link", dir);
	assert_int_equal(symlink("a", path), 0);
	assert_int_equal(push_archive_read(dir, files, &count, why,
	                                   sizeof(why)),
	                 0);
	assert_int_equal(count, 2);
	assert_string_equal(files[0].name, "a");
	assert_int_equal(files[0].size, 5);
	assert_memory_equal(files[0].bytes, "hello", 5);
	assert_string_equal(files[1].name, "b");
	push_archive_free(files, count);
	/* more names than the caller takes: refused, nothing to free */
	assert_int_not_equal(push_archive_names(dir, names, 1, &count, why,
	                                        sizeof(why)),
	                     0);
	assert_int_equal(count, 0);
	assert_non_null(strstr(why, "more than 1 files"));
	/* a file read no further than one byte past the limit */
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub/deep", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	put(dir, "b", "");
	unsigned char *bytes;
	size_t size;
	snprintf(path, sizeof(path), "%s/b", dir);
	assert_int_equal(truncate(path, (off_t)CONTROL_FILE_MAX + 100), 0);
	assert_int_equal(push_file_read(path, 0, &bytes, &size, why,
	                                sizeof(why)),
	                 0);
	assert_int_equal(size, CONTROL_FILE_MAX + 1);
	free(bytes);
	/* a directory is no file */
	assert_int_not_equal(push_file_read(dir, 1, &bytes, &size, why,
	                                    sizeof(why)),
	                     0);
	for (const char *const *n =
	             (const char *const[]){ "a", "b", ".hidden", NULL };
	     *n; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rom_frame),
		cmocka_unit_test(test_archive_frame),
		cmocka_unit_test(test_archive_refusals),
		cmocka_unit_test(test_archive_sizes),
		cmocka_unit_test(test_archive_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
