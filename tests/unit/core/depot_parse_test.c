/*
 * Tests of the pure parts of core's depot ROMs: archive names
 * (archive_name.h), the decode step of a ROM request (rom_request.h),
 * manifests taken as hostile (manifest.h) and the depot-index text
 * (depot_index.h). The search for init in a base pkg's archives file
 * goes through base_boot_image (depot_rom_test.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "archive_name.h"
#include "depot_index.h"
#include "manifest.h"
#include "rom_request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int served(const char *name)
{
	const char *why = NULL;
	int rc = archive_name_check_served(name, &why);
	assert_true(rc == 0 || (why && *why));
	return rc == 0;
}

static void test_archive_names(void **state)
{
	(void)state;
	assert_true(served("project/bin/x86_64/init/2026-11-21e"));
	assert_true(served("project/raw/demo_config/1.0"));
	assert_true(served("alice/pkg/hello/2026-11-21"));
	assert_true(served("a_b/pkg/c-d/1.2.3"));
	/* src and api are valid names, not served */
	assert_false(served("project/src/init/2026-11-21e"));
	assert_false(served("project/api/runtime/1"));
	struct archive_name n;
	const char *why;
	assert_int_equal(archive_name_parse("project/src/init/V", &n, &why), 0);
	assert_string_equal(n.kind, "src");
	assert_string_equal(n.arch, "");
	/* paths, dots, odd shapes */
	const char *bad[] = {
		"",
		"/",
		"../../etc/pkg/x/1",
		"/project/pkg/x/1",
		"project/pkg/x/1/",
		"project//x/1",
		"project/pkg/../1",
		"project/pkg/x/..",
		"./pkg/x/1",
		"project/pkg/.hidden/1",
		"project/pkg/x",
		"project/bin/x/1",
		"project/pkg/x/1/2",
		"project/bin/a/x/1/2",
		"project/other/x/1",
		"project/pkg/x y/1",
		"project/pkg/x\n/1",
		"project/pkg/x+y/1",
		"project\\pkg/x/1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_false(served(bad[i]));
	char long_part[ARCHIVE_PART_MAX + 2], name[200];
	memset(long_part, 'a', sizeof(long_part) - 1);
	long_part[sizeof(long_part) - 1] = '\0';
	snprintf(name, sizeof(name), "u/pkg/%s/1", long_part);
	assert_false(served(name));
	long_part[ARCHIVE_PART_MAX] = '\0';
	snprintf(name, sizeof(name), "u/pkg/%s/1", long_part);
	assert_true(served(name));
	/* round trip */
	char text[ARCHIVE_NAME_MAX + 1];
	assert_int_equal(archive_name_parse("u/bin/x86_64/n/v", &n, &why), 0);
	archive_name_format(&n, text);
	assert_string_equal(text, "u/bin/x86_64/n/v");
}

static int decode(const char *args, const char *name, struct rom_request *r)
{
	const char *why = NULL;
	int rc = rom_request_decode(args, name, r, &why);
	assert_true(rc == 0 || (why && *why));
	return rc;
}

static void test_rom_requests(void **state)
{
	(void)state;
	struct rom_request r;
	assert_int_equal(decode("label=\"init -> x -> hello\"", "hello", &r),
	                 0);
	assert_int_equal(r.from, ROM_FROM_CONFIG);
	assert_string_equal(r.archive, "");
	assert_int_equal(decode("label=\"hello\", rom_from=\"config\"", "hello",
	                        &r),
	                 0);
	assert_int_equal(r.from, ROM_FROM_CONFIG);
	assert_int_equal(decode("label=\"hello\", rom_from=boot", "hello", &r),
	                 0);
	assert_int_equal(r.from, ROM_FROM_BOOT);
	assert_int_equal(decode("label=\"hello\", rom_from=\"depot\", archive="
	                        "\"u/bin/x86_64/hello/1\"",
	                        "hello", &r),
	                 0);
	assert_int_equal(r.from, ROM_FROM_DEPOT);
	assert_string_equal(r.archive, "u/bin/x86_64/hello/1");
	assert_string_equal(r.name, "hello");
	assert_int_equal(decode("label=\"index\", rom_from=\"depot-index\", "
	                        "archive=\"u/pkg/hello/1\"",
	                        "index", &r),
	                 0);
	assert_int_equal(r.from, ROM_FROM_DEPOT_INDEX);
	/* refused */
	const char *bad[] = {
		"rom_from=\"disk\"",
		"rom_from=\"\"",
		"rom_from=\"DEPOT\"",
		"rom_from=\"depot\"", /* no archive */
		"rom_from=\"depot-index\"",
		"archive=\"u/pkg/hello/1\"", /* archive for config */
		"rom_from=\"boot\", archive=\"u/pkg/hello/1\"",
		"rom_from=\"depot\", archive=\"../u/pkg/hello/1\"",
		"rom_from=\"depot\", archive=\"/etc/pkg/hello/1\"",
		"rom_from=\"depot\", archive=\"u/src/hello/1\"",
		"rom_from=\"depot\", archive=\"u/api/hello/1\"",
		"rom_from=\"depot\", archive=\"u/pkg/hello\"",
		"rom_from=\"depot\", archive=\"u/pkg/hello/1\" x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(decode(bad[i], "hello", &r), -1);
		assert_string_equal(r.archive, "");
	}
	/* names that are no module names, for every kind */
	const char *depot = "rom_from=\"depot\", archive=\"u/pkg/hello/1\"";
	assert_int_equal(decode(depot, "..", &r), -1);
	assert_int_equal(decode(depot, ".manifest", &r), -1);
	assert_int_equal(decode(depot, "a/b", &r), -1);
	assert_int_equal(decode(depot, "", &r), -1);
	assert_int_equal(decode("", "../x", &r), -1);
	/* an archive argument too long for any archive name */
	char args[600];
	snprintf(args, sizeof(args), "rom_from=\"depot\", archive=\"%0400d\"",
	         0);
	assert_int_equal(decode(args, "x", &r), -1);
	/* sameness */
	struct rom_request a, b;
	assert_int_equal(decode(depot, "x", &a), 0);
	assert_int_equal(decode(depot, "x", &b), 0);
	assert_true(rom_request_same(&a, &b));
	assert_int_equal(decode("rom_from=\"depot\", archive=\"u/pkg/hello/2\"",
	                        "x", &b),
	                 0);
	assert_false(rom_request_same(&a, &b));
	assert_int_equal(decode("", "x", &b), 0);
	assert_false(rom_request_same(&a, &b));
	assert_int_equal(decode(depot, "y", &b), 0);
	assert_false(rom_request_same(&a, &b));
	/* one index per archive, whatever the label */
	const char *index =
		"rom_from=\"depot-index\", archive=\"u/pkg/hello/1\"";
	assert_int_equal(decode(index, "x", &a), 0);
	assert_int_equal(decode(index, "y", &b), 0);
	assert_true(rom_request_same(&a, &b));
	assert_int_equal(
		decode("rom_from=\"depot-index\", archive=\"u/pkg/hello/2\"",
	               "x", &b),
		0);
	assert_false(rom_request_same(&a, &b));
}

static int parse(const char *text, struct manifest *m, char *why)
{
	return manifest_parse(text, strlen(text), m, why, 256);
}

static void test_manifest_of_an_archive(void **state)
{
	(void)state;
	const char *text = "d 0755 - lib\n"
			   "f 0755 " HASH_A " init\n"
			   "f 0644 " HASH_B " lib/x.so\n"
			   "l 0777 " HASH_B " link\n"
			   "f 0644 " HASH_B " .hidden\n"
			   "f 0644 " HASH_B " README\n";
	struct manifest m;
	char why[256];
	assert_int_equal(parse(text, &m, why), 0);
	assert_int_equal(m.count, 2); /* init, README: top-level files */
	assert_string_equal(m.files[0].name, "init");
	assert_string_equal(m.files[1].name, "README");
	const struct manifest_file *f = manifest_find(&m, "init");
	assert_non_null(f);
	assert_string_equal(f->sha256, HASH_A);
	assert_null(manifest_find(&m, "lib"));  /* a directory */
	assert_null(manifest_find(&m, "link")); /* a link */
	assert_null(manifest_find(&m, "x.so")); /* not top-level */
	assert_null(manifest_find(&m, "lib/x.so"));
	assert_null(manifest_find(&m, ".hidden"));
	manifest_free(&m);
	assert_int_equal(parse("", &m, why), 0); /* an empty archive */
	assert_int_equal(m.count, 0);
	manifest_free(&m);
}

static void expect_malformed(const char *text, size_t len, const char *words)
{
	struct manifest m;
	char why[256] = "";
	assert_int_equal(manifest_parse(text, len, &m, why, sizeof(why)), -1);
	assert_null(m.text);
	assert_null(m.files);
	if (!strstr(why, words))
		fail_msg("'%s' does not say '%s'", why, words);
}

static void test_hostile_manifests(void **state)
{
	(void)state;
	const char *lines[] = {
		"f 0644 " HASH_A " /etc/passwd\n",
		"f 0644 " HASH_A " ../init\n",
		"f 0644 " HASH_A " a/../../init\n",
		"f 0644 " HASH_A " a//b\n",
		"f 0644 " HASH_A " ./init\n",
		"f 0644 " HASH_A " \n",
		"f 0644 " HASH_A "\n",
		"f 0644 - init\n",           /* a file without hash */
		"d 0755 " HASH_A " dir\n",   /* a directory with one */
		"f 0644 " HASH_A "0 init\n", /* 65 digits */
		"f 0644 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "
		"init\n",
		"f 0648 " HASH_A " init\n",
		"f 644 " HASH_A " init\n",
		"x 0644 " HASH_A " init\n",
		"f  0644 " HASH_A " init\n",
		"f 0644 " HASH_A " in\tit\n",
		"\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++)
		expect_malformed(lines[i], strlen(lines[i]),
		                 "line 1 of the manifest");
	/* the second line is the bad one */
	const char *two = "f 0644 " HASH_A " init\nf 0644 " HASH_A " ..\n";
	expect_malformed(two, strlen(two), "line 2 of the manifest");
	/* no newline at the end: cut short */
	const char *cut = "f 0644 " HASH_A " init";
	expect_malformed(cut, strlen(cut), "cut short");
	/* a NUL byte inside */
	const char nul[] = "f 0644 " HASH_A " in\0it\n";
	expect_malformed(nul, sizeof(nul) - 1, "NUL");
	/* a file listed twice, even far apart */
	char *dup = malloc((size_t)200 * 80);
	size_t len = 0;
	len += (size_t)sprintf(dup + len, "f 0644 %s twice\n", HASH_A);
	for (int i = 0; i < 100; i++)
		len += (size_t)sprintf(dup + len, "f 0644 %s f%d\n", HASH_B, i);
	len += (size_t)sprintf(dup + len, "f 0755 %s twice\n", HASH_B);
	expect_malformed(dup, len, "lists file 'twice' twice");
	free(dup);
	/* huge: refused before anything is copied */
	size_t huge_len = MANIFEST_MAX + 1;
	char *huge = malloc(huge_len);
	memset(huge, '\n', huge_len);
	expect_malformed(huge, huge_len, "larger than 1 MiB");
	free(huge);
}

static void test_large_manifest_is_linear(void **state)
{
	(void)state;
	/* about 1 MiB of distinct top-level files parses (and in time: the
	 * duplicate check sorts once) */
	size_t line = 7 + 64 + 1 + 8 + 1;
	size_t n = MANIFEST_MAX / line;
	char *text = malloc(n * line + 1);
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "f 0644 %s %08zu\n", HASH_A,
		                       i);
	struct manifest m;
	char why[256];
	assert_int_equal(manifest_parse(text, len, &m, why, sizeof(why)), 0);
	assert_int_equal(m.count, n);
	assert_non_null(manifest_find(&m, "00000007"));
	manifest_free(&m);
	free(text);
}

static void test_index_text(void **state)
{
	(void)state;
	struct manifest m;
	char why[256];
	const char *text = "f 0755 " HASH_A " init\nd 0755 - d\n"
			   "f 0644 " HASH_B " README\n";
	assert_int_equal(parse(text, &m, why), 0);
	char *out = malloc(DEPOT_INDEX_MAX);
	size_t len = depot_index_text(DEPOT_INDEX_INSTALLED, NULL, &m, out);
	assert_int_equal(len, strlen("installed\ninit\nREADME\n"));
	assert_memory_equal(out, "installed\ninit\nREADME\n", len);
	len = depot_index_text(DEPOT_INDEX_MISSING, NULL, &m, out);
	assert_memory_equal(out, "missing\n", len);
	assert_int_equal(len, 8);
	len = depot_index_text(DEPOT_INDEX_DAMAGED, "file init\ndiffers", &m,
	                       out);
	const char *damaged = "damaged file init?differs\ninit\nREADME\n";
	assert_int_equal(len, strlen(damaged));
	assert_memory_equal(out, damaged, len);
	len = depot_index_text(DEPOT_INDEX_DAMAGED, "no manifest", NULL, out);
	assert_memory_equal(out, "damaged no manifest\n", len);
	manifest_free(&m);
	/* a list beyond 64 KiB: damaged, and bounded */
	size_t n = 2000;
	char *big = malloc(n * 140);
	size_t big_len = 0;
	for (size_t i = 0; i < n; i++)
		big_len += (size_t)sprintf(big + big_len, "f 0644 %s %060zu\n",
		                           HASH_A, i);
	assert_int_equal(manifest_parse(big, big_len, &m, why, sizeof(why)), 0);
	len = depot_index_text(DEPOT_INDEX_INSTALLED, NULL, &m, out);
	assert_true(len <= DEPOT_INDEX_MAX);
	const char *over = "damaged its list of files is larger than 64 KiB\n";
	assert_int_equal(len, strlen(over));
	assert_memory_equal(out, over, len);
	manifest_free(&m);
	free(big);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_archive_names),
		cmocka_unit_test(test_rom_requests),
		cmocka_unit_test(test_manifest_of_an_archive),
		cmocka_unit_test(test_hostile_manifests),
		cmocka_unit_test(test_large_manifest_is_linear),
		cmocka_unit_test(test_index_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
