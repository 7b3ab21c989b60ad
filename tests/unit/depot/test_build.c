/*
 * Unit tests of depot builds' pure parts (depot/lib/build_description.c,
 * depot_newest_version in build.c): the build description a src archive
 * carries, parsed into uses, make targets and outputs, and every malformed
 * or hostile line refused with its line number (`use bin/<name> <dir>`
 * among them); the newest version of an archive in a depot, a bin
 * archive's of its arch; a build that uses a bin archive of its own arch; and the bounds of a build's make (build_sandbox.h):
 * a hostile Makefile that tries to read and write outside, reach a server
 * on 127.0.0.1, see the builder's environment, outlive the build or run
 * for ever. Real builds are tested end to end by tests/recipes/run-suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "depot/build.h"
#include "httpd.h"
#include "testutil.h"

static int parse(const char *text, struct depot_build_description *d,
                 struct depot_diag *diag)
{
	return depot_build_description_parse(text, strlen(text), d, diag);
}

static void test_description_parsed(void **state)
{
	(void)state;
	struct depot_build_description d;
	struct depot_diag diag;
	assert_int_equal(parse("# how to build\nuse api/runtime\n"
	                       "  use src/make  \n\nmake build/release/bin/x\n"
	                       "output build/release/bin/x x\n"
	                       "output share/x.cfg etc/x.cfg\r\n",
	                       &d, &diag),
	                 DEPOT_OK);
	assert_int_equal(d.use_count, 2);
	assert_string_equal(d.uses[0].kind, "api");
	assert_string_equal(d.uses[0].name, "runtime");
	assert_string_equal(d.uses[1].kind, "src");
	assert_string_equal(d.uses[1].name, "make");
	assert_int_equal(d.target_count, 1);
	assert_string_equal(d.targets[0], "build/release/bin/x");
	assert_int_equal(d.output_count, 2);
	assert_string_equal(d.outputs[1].path, "share/x.cfg");
	assert_string_equal(d.outputs[1].archive_path, "etc/x.cfg");
	assert_string_equal(d.uses[0].dir, "");
	assert_int_equal(parse("use bin/openssl_riscv build/openssl_riscv\n"
	                       "make t\noutput t t\n",
	                       &d, &diag),
	                 DEPOT_OK);
	assert_int_equal(d.use_count, 1);
	assert_string_equal(d.uses[0].kind, "bin");
	assert_string_equal(d.uses[0].name, "openssl_riscv");
	assert_string_equal(d.uses[0].dir, "build/openssl_riscv");
}

static void test_bad_lines_refused_with_line_number(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"use runtime",         /* no kind */
		"use bin/x",           /* a bin archive needs its directory */
		"use bin/riscv64/x d", /* the arch is the depot's to pick */
		"use bin/x ../d",      /* leaves the tree */
		"use bin/x /d",        /* absolute */
		"use bin/x a/./d",     /* '.' component */
		"use bin/x d e",       /* too many words */
		"use pkg/x d",         /* a pkg is not build input */
		"use api/x d",         /* only a bin archive goes elsewhere */
		"use pkg/x",           /* a pkg is not build input */
		"use src/../x",        /* not a name */
		"use src/a b",         /* a directory for a src archive */
		"make /etc/passwd",    /* absolute */
		"make ../x",           /* leaves the tree */
		"make a/./b",          /* '.' component */
		"make a//b",           /* empty component */
		"make a$(shell)",      /* a character make would expand */
		"output x",            /* no archive path */
		"output x ../y",       /* leaves the archive */
		"compile x",           /* unknown statement */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[256];
		struct depot_build_description d;
		struct depot_diag diag;
		snprintf(text, sizeof text, "make t\noutput t t\n%s\n", bad[i]);
		if (parse(text, &d, &diag) != DEPOT_E_RECIPE)
			fail_msg("accepted '%s'", bad[i]);
		assert_string_equal(diag.subject, "build");
		assert_non_null(strstr(diag.detail, "line 3:"));
	}
}

static void test_needs_make_and_output(void **state)
{
	(void)state;
	struct depot_build_description d;
	struct depot_diag diag;
	assert_int_equal(parse("use src/make\nmake t\n", &d, &diag),
	                 DEPOT_E_RECIPE);
	assert_non_null(strstr(diag.detail, "at least one"));
	assert_int_equal(parse("output t t\n", &d, &diag), DEPOT_E_RECIPE);
	assert_int_equal(parse("", &d, &diag), DEPOT_E_RECIPE);
}

static void test_hostile_descriptions(void **state)
{
	(void)state;
	struct depot_build_description d;
	struct depot_diag diag;
	static const char nul[] = "make t\0\noutput t t\n";
	assert_int_equal(depot_build_description_parse(nul, sizeof nul - 1, &d,
	                                               &diag),
	                 DEPOT_E_RECIPE);
	/* More statements than the limits allow. */
	size_t size = (size_t)64 * (DEPOT_BUILD_USES_MAX + 2);
	char *many = malloc(size);
	assert_non_null(many);
	size_t used = (size_t)snprintf(many, size, "make t\noutput t t\n");
	for (int i = 0; i <= DEPOT_BUILD_USES_MAX; i++)
		used += (size_t)snprintf(many + used, size - used,
		                         "use src/n%d\n", i);
	assert_int_equal(parse(many, &d, &diag), DEPOT_E_RECIPE);
	free(many);
	/* A path longer than the limit. */
	char long_path[DEPOT_BUILD_PATH_MAX + 32];
	snprintf(long_path, sizeof long_path, "make %0*d\noutput t t\n",
	         DEPOT_BUILD_PATH_MAX, 0);
	assert_int_equal(parse(long_path, &d, &diag), DEPOT_E_RECIPE);
}

static void test_newest_version(void **state)
{
	(void)state;
	char version[DEPOT_PART_MAX];
	struct depot_name name = { .user = "u", .kind = "src", .name = "x" };
	struct depot_diag diag;
	char *depot = tu_tmpdir();
	assert_int_equal(depot_newest_version(depot, &name, version, &diag),
	                 DEPOT_E_NOT_INSTALLED);
	assert_string_equal(diag.subject, "u/src/x");
	tu_write(depot, "u/src/x/2026-11-21.tar.zst", "a");
	tu_write(depot, "u/src/x/2026-11-21b.tar.zst", "b");
	tu_write(depot, "u/src/x/2026-11-21a/file", "c");
	tu_write(depot, "u/src/x/2026-11-21a.manifest", "d");
	tu_write(depot, "u/src/x/.hidden.tar.zst", "e");
	assert_int_equal(depot_newest_version(depot, &name, version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-21b");
	tu_write(depot, "u/src/x/2026-11-22/file", "f");
	assert_int_equal(depot_newest_version(depot, &name, version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2026-11-22");
	/* A bin archive by its arch: another arch's versions do not count,
	 * and the refusal names the build that makes one. */
	struct depot_name bin = {
		.user = "u", .kind = "bin", .arch = "a1", .name = "x"
	};
	tu_write(depot, "u/bin/a2/x/3.tar.zst", "g");
	assert_int_equal(depot_newest_version(depot, &bin, version, &diag),
	                 DEPOT_E_NOT_INSTALLED);
	assert_string_equal(diag.subject, "u/bin/a1/x");
	assert_non_null(strstr(diag.detail, "depot build --arch a1 u src/x"));
	tu_write(depot, "u/bin/a1/x/2.tar.zst", "h");
	assert_int_equal(depot_newest_version(depot, &bin, version, &diag),
	                 DEPOT_OK);
	assert_string_equal(version, "2");
	tu_rmdir(depot);
}

/* Makes src archive u/src/evil/1 in `depot` (as `depot create` would):
 * a build description making `out`, and `makefile` as its Makefile. */
static void evil_archive(const char *depot, const char *makefile)
{
	char *src = tu_tmpdir();
	char path[4096], archive[4096];
	struct depot_diag diag;
	tu_write(src, "recipes/src/evil/build", "make out\noutput out out\n");
	tu_write(src, "Makefile", makefile);
	struct depot_content *c = depot_content_new();
	assert_non_null(c);
	static const char *const files[] = { "recipes/src/evil/build",
		                             "Makefile" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", src, files[i]);
		assert_int_equal(depot_content_add(c, path, files[i], &diag),
		                 DEPOT_OK);
	}
	snprintf(archive, sizeof archive, "%s/u/src/evil/1.tar.zst", depot);
	tu_write(depot, "u/src/evil/.keep", "");
	assert_int_equal(depot_archive_create(c, archive, &diag), DEPOT_OK);
	depot_content_free(c);
	tu_rmdir(src);
}

static int build_evil(const char *depot, unsigned timeout_s,
                      struct depot_diag *diag)
{
	struct depot_name src, bin;
	struct depot_build_options options = { .quiet = 1,
		                               .timeout_s = timeout_s };
	assert_int_equal(depot_name_parse("u/src/evil/1", &src, NULL),
	                 DEPOT_OK);
	return depot_build(depot, &src, &options, &bin, diag);
}

/* Whether a process runs whose command line holds `word`. */
static int process_with(const char *word)
{
	DIR *proc = opendir("/proc");
	struct dirent *d;
	int found = 0;
	assert_non_null(proc);
	while (!found && (d = readdir(proc))) {
		char path[300], cmdline[256] = "";
		snprintf(path, sizeof path, "/proc/%s/cmdline", d->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t n = fread(cmdline, 1, sizeof cmdline - 1, f);
		fclose(f);
		for (size_t i = 0; i + 1 < n; i++)
			if (cmdline[i] == '\0')
				cmdline[i] = ' ';
		found = strstr(cmdline, word) != NULL;
	}
	closedir(proc);
	return found;
}

/* The Makefile of an archive is hostile code run with the builder's uid:
 * each probe must fail, and the build (whose outputs say what the probes
 * saw) still succeeds. Fails without build_sandbox_enter. */
static void test_makefile_is_confined(void **state)
{
	(void)state;
	char *depot = tu_tmpdir(), *outside = tu_tmpdir();
	char makefile[4096];
	struct depot_diag diag;
	tu_write(outside, "key", "secret key\n");
	tu_write(outside, "probe", "server reached\n");
	struct httpd *server = httpd_start(outside);
	setenv("DEPOT_TEST_SECRET", "builder's token", 1);
	snprintf(
		makefile, sizeof makefile,
		"out:\n"
		"\t@echo \"env=$$DEPOT_TEST_SECRET home=$$HOME\" > out\n"
		"\t@cat %s/key >> out 2>/dev/null || echo read=refused >> out\n"
		"\t@(echo x > %s/written) 2>/dev/null || echo write=refused >> out\n"
		"\t@curl -s --max-time 5 http://127.0.0.1:%d/probe >> out || "
		"echo net=refused >> out\n"
		"\t@sh -c 'sleep 4242.25' > /dev/null 2>&1 &\n",
		outside, outside, httpd_port(server));
	evil_archive(depot, makefile);
	int err = build_evil(depot, 0, &diag);
	unsetenv("DEPOT_TEST_SECRET");
	httpd_stop(server);
	if (err)
		fail_msg("build failed: %s: %s", diag.subject, diag.detail);
	struct utsname uts;
	char built[300];
	assert_int_equal(uname(&uts), 0);
	snprintf(built, sizeof built, "u/bin/%s/evil/1/out", uts.machine);
	const char *out = tu_read(depot, built);
	assert_non_null(out);
	if (!strstr(out, "env= home=") || !strstr(out, "read=refused") ||
	    !strstr(out, "write=refused") || !strstr(out, "net=refused") ||
	    strstr(out, "secret") || strstr(out, "reached"))
		fail_msg("the Makefile got out:\n%s", out);
	assert_false(tu_exists(outside, "written"));
	assert_false(process_with("sleep 4242.25"));
	tu_rmdir(outside);
	tu_rmdir(depot);
}

/* A make that never ends is killed at the build's wall-clock bound,
 * with everything it started. */
static void test_endless_make_is_killed(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	evil_archive(depot, "out:\n\t@sleep 4243.25 & sleep 4243.5\n");
	time_t start = time(NULL);
	assert_int_equal(build_evil(depot, 1, &diag), DEPOT_E_BUILD);
	assert_true(time(NULL) - start < 10);
	assert_non_null(strstr(diag.detail,
	                       "ran longer than 1 s and was killed"));
	assert_false(process_with("sleep 4243"));
	tu_rmdir(depot);
}

/* A build for another arch reads build.<arch> (a cross build), is
 * refused without one, and gets the tree's prefix map for the tree's other
 * compilers; an arch must be a name part. */
static void test_cross_build_reads_its_description(void **state)
{
	(void)state;
	char *depot = tu_tmpdir(), *src = tu_tmpdir();
	char path[4096], archive[4096];
	struct depot_diag diag;
	tu_write(src, "recipes/src/cross/build",
	         "make host\noutput host host\n");
	tu_write(src, "recipes/src/cross/build.otherarch",
	         "make target\noutput target target\n");
	tu_write(src, "Makefile",
	         "host:\n\t@echo host > host\n"
	         "target:\n\t@echo '$(FILE_PREFIX_MAP)' > target\n");
	struct depot_content *c = depot_content_new();
	assert_non_null(c);
	static const char *const files[] = {
		"recipes/src/cross/build", "recipes/src/cross/build.otherarch",
		"Makefile"
	};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", src, files[i]);
		assert_int_equal(depot_content_add(c, path, files[i], &diag),
		                 DEPOT_OK);
	}
	snprintf(archive, sizeof archive, "%s/u/src/cross/1.tar.zst", depot);
	tu_write(depot, "u/src/cross/.keep", "");
	assert_int_equal(depot_archive_create(c, archive, &diag), DEPOT_OK);
	depot_content_free(c);

	struct depot_name name, bin;
	struct depot_build_options options = { .quiet = 1,
		                               .arch = "otherarch" };
	assert_int_equal(depot_name_parse("u/src/cross/1", &name, NULL),
	                 DEPOT_OK);
	int err = depot_build(depot, &name, &options, &bin, &diag);
	if (err)
		fail_msg("cross build failed: %s: %s", diag.subject,
		         diag.detail);
	assert_string_equal(bin.arch, "otherarch");
	const char *target = tu_read(depot, "u/bin/otherarch/cross/1/target");
	assert_non_null(target);
	assert_non_null(strstr(target, "-ffile-prefix-map="));
	assert_false(tu_exists(depot, "u/bin/otherarch/cross/1/host"));

	options.arch = "nodescription";
	assert_int_equal(depot_build(depot, &name, &options, &bin, &diag),
	                 DEPOT_E_RECIPE);
	assert_non_null(strstr(diag.detail,
	                       "recipes/src/cross/build.nodescription"));
	assert_false(tu_exists(depot, "u/bin/nodescription"));
	options.arch = "../up";
	assert_int_equal(depot_build(depot, &name, &options, &bin, &diag),
	                 DEPOT_E_USAGE);
	tu_rmdir(src);
	tu_rmdir(depot);
}

/* Archive file `archive` (beneath `depot`) holding the files of `files`
 * (pairs of path and content, NULL-terminated) as `depot create` would. */
static void make_archive(const char *depot, const char *archive,
                         const char *const *files)
{
	char *src = tu_tmpdir();
	char path[4096], file[4096], keep[4096];
	struct depot_diag diag;
	struct depot_content *c = depot_content_new();
	assert_non_null(c);
	for (size_t i = 0; files[i]; i += 2) {
		tu_write(src, files[i], files[i + 1]);
		snprintf(path, sizeof path, "%s/%s", src, files[i]);
		assert_int_equal(depot_content_add(c, path, files[i], &diag),
		                 DEPOT_OK);
	}
	snprintf(keep, sizeof keep, "%s/.keep", archive);
	tu_write(depot, keep, "");
	snprintf(file, sizeof file, "%s/%s.tar.zst", depot, archive);
	assert_int_equal(depot_archive_create(c, file, &diag), DEPOT_OK);
	depot_content_free(c);
	tu_rmdir(src);
}

/* `use bin/<name> <dir>`: the bin archive of the arch being built goes
 * into <dir> and the build reads it there; a build for an arch whose bin
 * archive the depot lacks is refused, naming the build that makes it,
 * though another arch's is there; a <dir> the tree holds already is
 * refused. */
static void test_build_uses_bin_of_its_arch(void **state)
{
	(void)state;
	char *depot = tu_tmpdir();
	struct depot_diag diag;
	struct depot_name name, bin;
	struct utsname uts;
	char host[300];
	assert_int_equal(uname(&uts), 0);
	static const char *const lib_a1[] = { "lib.a", "a1 library\n",
		                              "include/lib.h", "a1 header\n",
		                              NULL };
	static const char *const lib_a2[] = { "lib.a", "a2 library\n", NULL };
	make_archive(depot, "u/bin/a1/lib/1", lib_a1);
	make_archive(depot, "u/bin/a2/lib/1", lib_a2);
	static const char *const user[] = {
		"recipes/src/user/build",
		"use bin/lib deps/lib\nmake out\noutput out out\n",
		"recipes/src/user/build.a1",
		"use bin/lib deps/lib\nmake out\noutput out out\n",
		"recipes/src/user/build.a2",
		"use bin/lib recipes\nmake out\noutput out out\n",
		"Makefile",
		"out:\n\tcat deps/lib/lib.a deps/lib/include/lib.h > out\n",
		NULL
	};
	make_archive(depot, "u/src/user/1", user);
	assert_int_equal(depot_name_parse("u/src/user/1", &name, NULL),
	                 DEPOT_OK);
	struct depot_build_options options = { .quiet = 1, .arch = "a1" };
	int err = depot_build(depot, &name, &options, &bin, &diag);
	if (err)
		fail_msg("build failed: %s: %s", diag.subject, diag.detail);
	assert_string_equal(tu_read(depot, "u/bin/a1/user/1/out"),
	                    "a1 library\na1 header\n");

	options.arch = NULL; /* the host's: no bin/<host>/lib in the depot */
	assert_int_equal(depot_build(depot, &name, &options, &bin, &diag),
	                 DEPOT_E_NOT_INSTALLED);
	snprintf(host, sizeof host, "u/bin/%s/lib", uts.machine);
	assert_string_equal(diag.subject, host);
	assert_non_null(strstr(diag.detail, "depot build --arch"));
	snprintf(host, sizeof host, "u/bin/%s/user", uts.machine);
	assert_false(tu_exists(depot, host));

	options.arch = "a2"; /* into recipes/, which the src archive made */
	assert_int_equal(depot_build(depot, &name, &options, &bin, &diag),
	                 DEPOT_E_RECIPE);
	assert_non_null(strstr(diag.detail, "holds recipes already"));
	assert_false(tu_exists(depot, "u/bin/a2/user"));
	tu_rmdir(depot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_description_parsed),
		cmocka_unit_test(test_bad_lines_refused_with_line_number),
		cmocka_unit_test(test_needs_make_and_output),
		cmocka_unit_test(test_hostile_descriptions),
		cmocka_unit_test(test_newest_version),
		cmocka_unit_test(test_makefile_is_confined),
		cmocka_unit_test(test_endless_make_is_killed),
		cmocka_unit_test(test_cross_build_reads_its_description),
		cmocka_unit_test(test_build_uses_bin_of_its_arch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
