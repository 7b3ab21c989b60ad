/*
 * Tests of the target directory (target.h): which names may name a module
 * of core's ROM service (the part of the decode step core adds to
 * libruntime's, tested in tests/unit/root_component), and the log files,
 * which are kept bounded by rotation without losing a line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A target directory of its own (boot/ is all target_open_with needs without flags). */
struct log_fixture {
	char dir[64];
	struct target target;
};

static int log_setup(void **state)
{
	struct log_fixture *f = calloc(1, sizeof(*f));
	char path[128], err[256];
	snprintf(f->dir, sizeof(f->dir), "/tmp/core-target.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/boot", f->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(target_open_with(&f->target, f->dir, 0, err,
	                                  sizeof(err)),
	                 0);
	*state = f;
	return 0;
}

static int log_teardown(void **state)
{
	struct log_fixture *f = *state;
	char command[128];
	target_close(&f->target);
	snprintf(command, sizeof(command), "rm -rf '%s'", f->dir);
	assert_int_equal(system(command), 0);
	free(f);
	return 0;
}

/* The size of log/NAME, or -1 when it does not exist. */
static long log_size(struct log_fixture *f, const char *name)
{
	char path[160];
	struct stat st;
	snprintf(path, sizeof(path), "%s/log/%s", f->dir, name);
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Whether log/NAME holds `text`. */
static int log_holds(struct log_fixture *f, const char *name, const char *text)
{
	char path[160], buf[4096];
	snprintf(path, sizeof(path), "%s/log/%s", f->dir, name);
	FILE *file = fopen(path, "r");
	if (!file)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, file);
	fclose(file);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

static void test_log_rotates_at_its_limit(void **state)
{
	struct log_fixture *f = *state;
	assert_int_equal(f->target.log_limit, TARGET_LOG_LIMIT_DEFAULT);
	f->target.log_limit = 200;
	char line[32];
	/* "[app -> x] line NN\n" is 19 bytes: the 11th line fills the file */
	for (int i = 10; i < 21; i++) {
		snprintf(line, sizeof(line), "line %d", i);
		target_log(&f->target, "app -> x", line);
	}
	assert_int_equal(log_size(f, "app.log"), -1);
	assert_int_equal(log_size(f, "app.log.1"), 11 * 19);
	target_log(&f->target, "app -> x", "line 21");
	assert_int_equal(log_size(f, "app.log"), 19);
	/* no line is lost: the last before the rotation is in the kept file */
	assert_true(log_holds(f, "app.log.1", "[app -> x] line 20\n"));
	assert_true(log_holds(f, "app.log", "[app -> x] line 21\n"));
	/* the next rotation drops the oldest file, the sizes stay bounded */
	for (int i = 22; i < 60; i++) {
		snprintf(line, sizeof(line), "line %d", i);
		target_log(&f->target, "app -> x", line);
		assert_true(log_size(f, "app.log") < 200);
		assert_true(log_size(f, "app.log.1") < 200 + 19);
	}
	assert_false(log_holds(f, "app.log.1", "line 21\n"));
	/* other components have files of their own */
	target_log(&f->target, "other", "hi");
	assert_int_equal(log_size(f, "other.log"),
	                 (long)strlen("[other] hi\n"));
}

/* A LOG line is made printable by the rule stdout and stderr follow
 * (core/printable.h): C0 and C1 controls, DEL and bytes that are no UTF-8
 * become '?', valid UTF-8 stays. Before, an 8-bit CSI (0x9b) and broken
 * UTF-8 reached the terminal and the log file as they came. */
static void test_log_line_is_made_printable(void **state)
{
	struct log_fixture *f = *state;
	target_log(&f->target, "app",
	           "a\x9b"
	           "2Jb\xff\xfe"
	           "c\x1b"
	           "d \xc2\x85 "
	           "\xc3\xa9 \xe2\x82\xac \xed\xa0\x80");
	assert_true(log_holds(f, "app.log",
	                      "[app] a?2Jb??c?d ? \xc3\xa9 "
	                      "\xe2\x82\xac ???\n"));
}

static void test_log_without_limit_keeps_growing(void **state)
{
	struct log_fixture *f = *state;
	f->target.log_limit = 0;
	for (int i = 0; i < 100; i++)
		target_log(&f->target, "app", "a line of the log");
	assert_int_equal(log_size(f, "app.log"), 100 * 24);
	assert_int_equal(log_size(f, "app.log.1"), -1);
}

/* Counts the lines of `file` that hold `text`. */
static int lines_with(const char *file, const char *text)
{
	char buf[2048];
	int count = 0;
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f))
		count += strstr(buf, text) != NULL;
	fclose(f);
	return count;
}

/* The terminal (stdout, redirected to a file here) takes the rate limit's
 * share of a flood and a note of the rest; the log file takes every line. */
static void test_terminal_limited_log_file_complete(void **state)
{
	struct log_fixture *f = *state;
	char out[160];
	snprintf(out, sizeof(out), "%s/terminal", f->dir);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	FILE *terminal = fopen(out, "w");
	assert_non_null(terminal);
	assert_true(dup2(fileno(terminal), STDOUT_FILENO) >= 0);
	/* one window for the whole flood, however slow the machine */
	f->target.terminal.window_ns = INT64_MAX / 2;
	for (int i = 0; i < 120; i++)
		target_log(&f->target, "app -> flooder", "flood");
	target_log(&f->target, "app -> talker", "heard");
	f->target.terminal.window_ns = 1; /* ends the window: the note */
	target_log(&f->target, "app -> talker", "after");
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	fclose(terminal);

	assert_int_equal(lines_with(out, "[app -> flooder] flood"),
	                 TERMINAL_LIMIT_PER_LABEL_DEFAULT);
	assert_int_equal(
		lines_with(
			out,
			"[core] 70 lines of app -> flooder "
			"dropped from the terminal (rate limit); log/app.log "
			"has them"),
		1);
	assert_int_equal(lines_with(out, "[app -> talker] heard"), 1);
	assert_int_equal(lines_with(out, "[app -> talker] after"), 1);
	snprintf(out, sizeof(out), "%s/log/app.log", f->dir);
	assert_int_equal(lines_with(out, "[app -> flooder] flood"), 120);
	assert_true(log_holds(f, "core.log", "70 lines of app -> flooder"));
}

static void test_module_names(void **state)
{
	(void)state;
	assert_true(target_module_name_ok("init"));
	assert_true(target_module_name_ok("init.config"));
	assert_false(target_module_name_ok(""));
	assert_false(target_module_name_ok(".."));
	assert_false(target_module_name_ok("."));
	assert_false(target_module_name_ok(".hidden"));
	assert_false(target_module_name_ok("../etc/passwd"));
	assert_false(target_module_name_ok("boot/init"));
	char long_name[TARGET_NAME_MAX + 2];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_false(target_module_name_ok(long_name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_names),
		cmocka_unit_test_setup_teardown(test_log_line_is_made_printable,
		                                log_setup, log_teardown),
		cmocka_unit_test_setup_teardown(test_log_rotates_at_its_limit,
		                                log_setup, log_teardown),
		cmocka_unit_test_setup_teardown(
			test_log_without_limit_keeps_growing, log_setup,
			log_teardown),
		cmocka_unit_test_setup_teardown(
			test_terminal_limited_log_file_complete, log_setup,
			log_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
