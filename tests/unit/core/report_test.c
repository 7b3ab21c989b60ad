/*
 * Tests of core's Report service (core/report_service.h), served
 * in-process and called over RPC by the test thread: a report becomes
 * report/<label as file name> with its exact content, is replaced
 * atomically (no temp file left), an oversized report is refused and
 * leaves the file alone, the dataspace is bounded by the quota, labels
 * that could name a file outside report/ or a hidden one are refused, a
 * file lives as long as a session holds its name, and one label cannot
 * take another's file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fixture.h"
#include "report_service.h"

#include "report_rpc.h"
#include "root_rpc.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int setup(void **state)
{
	*state = fixture_create();
	return 0;
}

static int teardown(void **state)
{
	fixture_destroy(*state);
	return 0;
}

struct client {
	kcap_t session, ds;
	uint64_t size;
	char *buffer;
};

static void open_report(struct fixture *f, const char *args, struct client *c)
{
	assert_int_equal(fixture_session(&f->services.report.base, args,
	                                 &c->session),
	                 0);
	assert_int_equal(report_dataspace(c->session, &c->ds, &c->size), 0);
	void *at;
	assert_int_equal(kmem_map(c->ds, 0, (size_t)c->size,
	                          KMEM_READ | KMEM_WRITE, NULL, &at),
	                 0);
	c->buffer = at;
}

static void close_report(struct fixture *f, struct client *c)
{
	kmem_unmap(c->buffer, (size_t)c->size);
	kcap_close(c->ds);
	assert_int_equal(root_close(f->services.report.base.cap, c->session),
	                 0);
	kcap_close(c->session);
}

static int submit(struct client *c, const char *text)
{
	memcpy(c->buffer, text, strlen(text));
	return report_submit(c->session, strlen(text));
}

/* The names in report/, sorted by nothing, joined by ' '. */
static void list_reports(struct fixture *f, char *out, size_t size)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/report", f->dir);
	DIR *d = opendir(path);
	assert_non_null(d);
	out[0] = '\0';
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (out[0])
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, e->d_name, size - strlen(out) - 1);
	}
	closedir(d);
}

static void test_report_becomes_a_file(void **state)
{
	struct fixture *f = *state;
	struct client c;
	char text[256];
	open_report(f,
	            "label=\"init -> report_rom -> writer -> state\", "
	            "ram_quota=16K, cap_quota=1",
	            &c);
	assert_int_equal(c.size, 16384);
	assert_int_equal(submit(&c, "{\"counter\": 42}"), 0);
	fixture_read(f, "report/init.report_rom.writer.state", text,
	             sizeof(text));
	assert_string_equal(text, "{\"counter\": 42}");

	/* replaced whole, by a shorter one, and no temp file stays */
	assert_int_equal(submit(&c, "{}"), 0);
	fixture_read(f, "report/init.report_rom.writer.state", text,
	             sizeof(text));
	assert_string_equal(text, "{}");
	list_reports(f, text, sizeof(text));
	assert_string_equal(text, "init.report_rom.writer.state");
	close_report(f, &c);
}

static void test_oversized_report_is_refused(void **state)
{
	struct fixture *f = *state;
	struct client c;
	char text[64];
	open_report(f, "label=\"init -> big\", ram_quota=8K, cap_quota=1", &c);
	assert_int_equal(c.size, 8192);
	assert_int_equal(submit(&c, "small"), 0);
	assert_int_equal(report_submit(c.session, c.size + 1),
	                 REPORT_ERR_TOO_BIG);
	assert_int_equal(report_submit(c.session, UINT64_MAX),
	                 REPORT_ERR_TOO_BIG);
	fixture_read(f, "report/init.big", text, sizeof(text));
	assert_string_equal(text, "small");
	/* a report that fills the dataspace exactly is fine */
	memset(c.buffer, 'x', (size_t)c.size);
	assert_int_equal(report_submit(c.session, c.size), 0);
	close_report(f, &c);
}

static void test_dataspace_is_bounded(void **state)
{
	struct fixture *f = *state;
	struct client c;
	open_report(f, "label=\"init -> huge\", ram_quota=64M, cap_quota=1",
	            &c);
	assert_int_equal(c.size, REPORT_SERVICE_MAX);
	close_report(f, &c);
}

/* Through the service: a label's elements joined by '.' name the file; a
 * label that would name no file, a hidden one or one outside report/ gets
 * no session. */
static void test_labels_become_safe_names(void **state)
{
	struct fixture *f = *state;
	struct client c;
	char args[REPORT_FILE_NAME_MAX + 96], text[256];
	kcap_t cap = KCAP_INVALID;

	open_report(f, "label=\"init -> a.b -> c\", ram_quota=8K, cap_quota=1",
	            &c);
	assert_int_equal(submit(&c, "x"), 0);
	list_reports(f, text, sizeof(text));
	assert_string_equal(text, "init.a.b.c");
	close_report(f, &c);

	const char *hostile[] = {
		"",
		"init -> ..",
		"init -> .hidden",
		"init -> a/b",
		"..",
		"init ->  -> x",
		"init -> ",
		"init -> ../../etc/passwd",
		"init -> a\nb",
		"/abs",
	};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		snprintf(args, sizeof(args),
		         "label=\"%s\", ram_quota=8K, "
		         "cap_quota=1",
		         hostile[i]);
		assert_int_not_equal(fixture_session(&f->services.report.base,
		                                     args, &cap),
		                     0);
	}
	char longer[REPORT_FILE_NAME_MAX + 8];
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	snprintf(args, sizeof(args), "label=\"%s\", ram_quota=8K, cap_quota=1",
	         longer);
	assert_int_not_equal(fixture_session(&f->services.report.base, args,
	                                     &cap),
	                     0);
	list_reports(f, text, sizeof(text));
	assert_string_equal(text, "");
}

static void test_hostile_label_is_refused(void **state)
{
	struct fixture *f = *state;
	struct root_component *svc = &f->services.report.base;
	kcap_t cap = KCAP_INVALID;
	char text[256];
	assert_int_equal(fixture_session(svc,
	                                 "label=\"init -> ../escape\", "
	                                 "ram_quota=8K, cap_quota=1",
	                                 &cap),
	                 ROOT_ERR_DENIED);
	assert_int_equal(fixture_session(svc,
	                                 "label=\"init -> a/b\", "
	                                 "ram_quota=8K, cap_quota=1",
	                                 &cap),
	                 ROOT_ERR_DENIED);
	assert_int_equal(fixture_session(svc,
	                                 "label=\"init -> .x\", "
	                                 "ram_quota=8K, cap_quota=1",
	                                 &cap),
	                 ROOT_ERR_DENIED);
	list_reports(f, text, sizeof(text));
	assert_string_equal(text, "");
	char path[PATH_MAX + 16];
	struct stat st;
	snprintf(path, sizeof(path), "%s/escape", f->dir);
	assert_int_not_equal(stat(path, &st), 0);
}

/* The last session of a name to close removes the file; one that closes
 * while another of the label is open leaves it. */
static void test_report_lives_as_long_as_a_session(void **state)
{
	struct fixture *f = *state;
	struct client a, b, other;
	char text[256];
	const char *args = "label=\"init -> w -> state\", ram_quota=8K, "
			   "cap_quota=1";
	open_report(f, args, &a);
	open_report(f, args, &b);
	open_report(f, "label=\"init -> other\", ram_quota=8K, cap_quota=1",
	            &other);
	assert_int_equal(submit(&a, "from a"), 0);
	assert_int_equal(submit(&other, "other"), 0);
	close_report(f, &a);
	fixture_read(f, "report/init.w.state", text, sizeof(text));
	assert_string_equal(text, "from a");
	assert_int_equal(submit(&b, "from b"), 0);
	close_report(f, &b);
	list_reports(f, text, sizeof(text));
	assert_string_equal(text, "init.other");
	close_report(f, &other);
	list_reports(f, text, sizeof(text));
	assert_string_equal(text, "");
}

/* A client that opens, submits and closes under ever new labels leaves
 * nothing behind; one that keeps its sessions open pays for each file. */
static void test_new_labels_leave_nothing(void **state)
{
	struct fixture *f = *state;
	struct client c;
	char args[128], text[256];
	for (int i = 0; i < 200; i++) {
		snprintf(args, sizeof(args),
		         "label=\"init -> h -> r%d\", "
		         "ram_quota=64K, cap_quota=1",
		         i);
		open_report(f, args, &c);
		memset(c.buffer, 'x', (size_t)c.size);
		assert_int_equal(report_submit(c.session, c.size), 0);
		close_report(f, &c);
	}
	list_reports(f, text, sizeof(text));
	assert_string_equal(text, "");
}

/* "init -> a -> b.c" and "init -> a.b -> c" both map to init.a.b.c: the
 * first to open holds it, the second is refused and cannot replace it. */
static void test_colliding_label_is_refused(void **state)
{
	struct fixture *f = *state;
	struct root_component *svc = &f->services.report.base;
	struct client c;
	kcap_t cap = KCAP_INVALID;
	char text[64];
	open_report(f,
	            "label=\"init -> a.b -> c\", ram_quota=8K, "
	            "cap_quota=1",
	            &c);
	assert_int_equal(submit(&c, "mine"), 0);
	assert_int_equal(fixture_session(svc,
	                                 "label=\"init -> a -> b.c\", "
	                                 "ram_quota=8K, cap_quota=1",
	                                 &cap),
	                 ROOT_ERR_DENIED);
	/* the refused one removed nothing */
	fixture_read(f, "report/init.a.b.c", text, sizeof(text));
	assert_string_equal(text, "mine");
	close_report(f, &c);
}

/* Core's shutdown leaves the last reports; its next start removes them. */
static void test_shutdown_keeps_and_start_removes(void **state)
{
	struct fixture *f = *state;
	struct report_service *report = &f->services.report;
	struct client c;
	char text[64];
	open_report(f, "label=\"init -> s\", ram_quota=8K, cap_quota=1", &c);
	assert_int_equal(submit(&c, "last"), 0);
	kmem_unmap(c.buffer, (size_t)c.size);
	kcap_close(c.ds);
	report_service_dissolve(report);
	kcap_close(c.session);
	list_reports(f, text, sizeof(text));
	assert_string_equal(text, "init.s");
	assert_int_equal(report_service_init(report, f->ep, &f->target), 0);
	list_reports(f, text, sizeof(text));
	assert_string_equal(text, "");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_report_becomes_a_file),
		T(test_oversized_report_is_refused),
		T(test_dataspace_is_bounded),
		T(test_labels_become_safe_names),
		T(test_hostile_label_is_refused),
		T(test_report_lives_as_long_as_a_session),
		T(test_new_labels_leave_nothing),
		T(test_colliding_label_is_refused),
		T(test_shutdown_keeps_and_start_removes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
