/*
 * riscv-console's decoder and files (kernel/riscv/tool/console_decode.h,
 * host_files.h): text as `tr -d '\r'` made it, frames exact (bodies with
 * newlines and carriage returns through OpenSBI's "\r\n"), and hostile
 * frames refused with one reason each: truncated, bad checks, huge
 * sizes, times out of range, unknown kinds, names with '/' or "..", IDs
 * told twice. A report file is dated by its frame's guest time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cksum.h"
#include "console_decode.h"
#include "host_files.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the decoder handed on, as text: "L:line", "F:kind time arg size
 * body", "R:why", one a line. */
struct seen {
	char text[1 << 16];
	size_t len;
	unsigned lines, frames, refused;
	struct host_files *files; /* when set, frames go there too */
	char why[512];
};

static void add(struct seen *s, const char *tag, const char *text, size_t len)
{
	int n = snprintf(s->text + s->len, sizeof(s->text) - s->len, "%s%.*s\n",
	                 tag, (int)len, text);
	assert_true(n > 0 && (size_t)n < sizeof(s->text) - s->len);
	s->len += (size_t)n;
}

static void on_line(void *ctx, const char *line, size_t len)
{
	struct seen *s = ctx;
	assert_int_equal(strlen(line), len);
	s->lines++;
	add(s, "L:", line, len);
}

static void on_frame(void *ctx, const struct frame *f)
{
	static const char *const kinds[] = { "report", "unreport", "domain",
		                             "ended", "log" };
	struct seen *s = ctx;
	char head[400];
	s->frames++;
	snprintf(head, sizeof(head), "F:%s %llu %s %zu ", kinds[f->kind],
	         (unsigned long long)f->time_ns, f->arg, f->size);
	add(s, head, (const char *)f->body, f->size);
	if (s->files &&
	    host_files_frame(s->files, f, s->why, sizeof(s->why)) != 0)
		add(s, "R:", s->why, strlen(s->why));
}

static void on_refused(void *ctx, const char *why)
{
	struct seen *s = ctx;
	s->refused++;
	add(s, "R:", why, strlen(why));
}

struct fixture {
	struct console_decoder *d;
	struct seen seen;
	uint64_t time_ns; /* the guest's clock feed_frame puts in */
	char dir[64];
	struct host_files files;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->time_ns = 42;
	f->d = malloc(sizeof(*f->d));
	assert_non_null(f->d);
	const struct console_events ev = { on_line, on_frame, on_refused,
		                           &f->seen };
	console_decoder_init(f->d, &ev);
	snprintf(f->dir, sizeof(f->dir), "/tmp/rvreport-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];
	if (f->seen.files)
		host_files_close(&f->files);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f->d);
	free(f);
	return 0;
}

static void feed(struct fixture *f, const char *bytes, size_t len)
{
	console_decode(f->d, bytes, len);
}

#define FEED(f, lit) feed((f), (lit), sizeof(lit) - 1)

/* Feeds a frame as core writes it and OpenSBI passes it: "\r\n" for
 * each '\n', the body's included; sent at f->time_ns. `check` 0: the
 * right one. */
static void feed_frame(struct fixture *f, const char *kind, const char *arg,
                       const char *body, size_t size, unsigned long check)
{
	char head[600];
	if (!check)
		check = cksum_finish(cksum_update(CKSUM_START, body, size),
		                     size);
	snprintf(head, sizeof(head), "\r\n%c%s %llu %s %zu %lu\r\n", FRAME_MARK,
	         kind, (unsigned long long)f->time_ns, arg, size, check);
	feed(f, head, strlen(head));
	for (size_t i = 0; i < size; i++) {
		if (body[i] == '\n')
			feed(f, "\r", 1);
		feed(f, body + i, 1);
	}
}

static void expect(struct fixture *f, const char *want)
{
	f->seen.text[f->seen.len] = '\0';
	assert_string_equal(f->seen.text, want);
}

/* --- the decoder ------------------------------------------------------- */

static void text_as_tr_made_it(void **state)
{
	struct fixture *f = *state;
	FEED(f, "kernel: one\r\n\r\n[core] tw\ro\r\nlast");
	console_decode_end(f->d);
	expect(f, "L:kernel: one\nL:\nL:[core] two\nL:last\n");
}

static void frame_body_exact(void **state)
{
	struct fixture *f = *state;
	static const char body[] = "{\"a\": 1}\n\r\nx\r \001report 1 y 1 2\n";
	FEED(f, "before\r\n");
	feed_frame(f, "report", "init.state", body, sizeof(body) - 1, 0);
	FEED(f, "after\r\n");
	console_decode_end(f->d);
	char want[256];
	snprintf(want, sizeof(want),
	         "L:before\nF:report 42 init.state %zu %s\nL:after\n",
	         sizeof(body) - 1, body);
	expect(f, want);
}

/* The frames' virtio console (raw): no firmware adds '\r' there, so a
 * body's "\r\n" is the report's own and stays; a frame core cut when the
 * host stopped reading, its rest paid as zeros (core/riscv/host_frames.c),
 * is refused for its check, and the frame after it is read in step. */
static void raw_stream_keeps_every_byte(void **state)
{
	struct fixture *f = *state;
	static const char body[] = "a\r\nb\r\n";
	char head[128], cut[128];
	f->d->raw = 1;
	uint32_t check = cksum_finish(cksum_update(CKSUM_START, body,
	                                           sizeof(body) - 1),
	                              sizeof(body) - 1);
	snprintf(head, sizeof(head), "[core] one\n\n%creport 7 r %zu %lu\n",
	         FRAME_MARK, sizeof(body) - 1, (unsigned long)check);
	feed(f, head, strlen(head));
	feed(f, body, sizeof(body) - 1);
	snprintf(cut, sizeof(cut), "\n%creport 8 r 6 %lu\nab", FRAME_MARK,
	         (unsigned long)check);
	feed(f, cut, strlen(cut));
	feed(f, "\0\0\0\0", 4);
	FEED(f, "[core] 1 frames and lines to the host lost\n");
	feed(f, head + 11, strlen(head + 11));
	feed(f, body, sizeof(body) - 1);
	console_decode_end(f->d);
	char want[512];
	snprintf(want, sizeof(want),
	         "L:[core] one\nF:report 7 r %zu %s\n"
	         "R:frame refused: r: its check differs\n"
	         "L:[core] 1 frames and lines to the host lost\n"
	         "F:report 7 r %zu %s\n",
	         sizeof(body) - 1, body, sizeof(body) - 1, body);
	expect(f, want);
}

static void frame_ends_an_open_line(void **state)
{
	struct fixture *f = *state;
	FEED(f, "[core] cut off");
	feed_frame(f, "ended", "7", "", 0, 0);
	FEED(f, "[x] next\r\n");
	console_decode_end(f->d);
	expect(f, "L:[core] cut off\nF:ended 42 7 0 \nL:[x] next\n");
}

/* A harness waits for the machine's last line: it goes out at its
 * newline, not when (if ever) the next byte comes. */
static void line_out_at_its_newline(void **state)
{
	struct fixture *f = *state;
	FEED(f, "[core] [init] no child started\r\n");
	expect(f, "L:[core] [init] no child started\n");
	FEED(f, "\r\n"); /* an empty line waits: a frame's newline? */
	expect(f, "L:[core] [init] no child started\n");
	FEED(f, "x\r\n");
	expect(f, "L:[core] [init] no child started\nL:\nL:x\n");
}

static void mark_inside_a_line_is_text(void **state)
{
	struct fixture *f = *state;
	FEED(f, "[\001report 1 a 0 4294967295\r\n");
	console_decode_end(f->d);
	assert_int_equal(f->seen.frames, 0);
	assert_int_equal(f->seen.lines, 1);
}

static void bad_check_refused_and_skipped(void **state)
{
	struct fixture *f = *state;
	feed_frame(f, "report", "r", "abc", 3, 12345);
	FEED(f, "text\r\n");
	console_decode_end(f->d);
	expect(f, "R:frame refused: r: its check differs\nL:text\n");
}

static void hostile_headers_refused(void **state)
{
	struct fixture *f = *state;
	static const char *const headers[] = {
		"report 1 r 2000000 1",       /* over FRAME_BODY_MAX */
		"report 1 r 99999999999 1",   /* too many digits */
		"report 1 r 1 99999999999",   /* check over 32 bits */
		"report 1 r -1 1",            /* no decimal */
		"launch 1 r 0 4294967295",    /* unknown kind */
		"report 1 0 4294967295",      /* four words: no name */
		"report r 0 4294967295",      /* four: no time */
		"report 0 4294967295",        /* three words */
		"report",                     /* one */
		"domain 1 0 0 4294967295",    /* ID 0 */
		"domain 1 x1 0 4294967295",   /* ID no decimal */
		"ended 1 3 5 1",              /* a body where none belongs */
		"report 1 a\tb 0 4294967295", /* unprintable name */
		/* times: past FRAME_TIME_MAX, more digits than 64 bits
		 * hold, a sign, none, not decimal */
		"report 1000000000000000001 r 0 4294967295",
		"report 18446744073709551617 r 0 4294967295",
		"report -1 r 0 4294967295",
		"report  r 0 4294967295",
		"report 1e9 r 0 4294967295",
	};
	char line[300];
	for (size_t i = 0; i < sizeof(headers) / sizeof(*headers); i++) {
		snprintf(line, sizeof(line), "\r\n%c%s\r\n", FRAME_MARK,
		         headers[i]);
		feed(f, line, strlen(line));
	}
	/* longer than FRAME_HEADER_MAX */
	char big[FRAME_HEADER_MAX + 100];
	memset(big, 'a', sizeof(big));
	big[0] = '\n';
	big[1] = FRAME_MARK;
	feed(f, big, sizeof(big));
	FEED(f, "\r\nstill here\r\n");
	console_decode_end(f->d);
	assert_int_equal(f->seen.frames, 0);
	assert_int_equal(f->seen.refused,
	                 sizeof(headers) / sizeof(*headers) + 1);
	assert_non_null(strstr(f->seen.text, "R:frame refused: a header too "
	                                     "long\nL:still here\n"));
	assert_non_null(strstr(f->seen.text, "an unknown kind"));
	assert_non_null(strstr(f->seen.text, "R:frame refused: a time that "
	                                     "is no decimal up to "
	                                     "FRAME_TIME_MAX\n"));
	assert_non_null(strstr(f->seen.text, "not five words"));
}

/* The time's range: 0 and FRAME_TIME_MAX are taken, the name after the
 * time may hold spaces. */
static void times_in_range_taken(void **state)
{
	struct fixture *f = *state;
	f->time_ns = 0;
	feed_frame(f, "report", "a b", "x", 1, 0);
	f->time_ns = FRAME_TIME_MAX;
	feed_frame(f, "ended", "3", "", 0, 0);
	console_decode_end(f->d);
	expect(f, "F:report 0 a b 1 x\nF:ended 1000000000000000000 3 0 \n");
}

static void truncated_frames_refused(void **state)
{
	struct fixture *f = *state;
	char head[64];
	snprintf(head, sizeof(head), "\n%creport 1 r 10 1\nabc", FRAME_MARK);
	feed(f, head, strlen(head));
	console_decode_end(f->d);
	snprintf(head, sizeof(head), "\n%creport 1 r 1", FRAME_MARK);
	feed(f, head, strlen(head));
	console_decode_end(f->d);
	expect(f, "R:frame refused: r: the input ended in its body\n"
	          "R:frame refused: the input ended in its header\n");
}

static void long_lines_in_pieces(void **state)
{
	struct fixture *f = *state;
	static char text[CONSOLE_LINE_MAX * 2 + 10];
	memset(text, 'x', sizeof(text));
	feed(f, text, sizeof(text));
	console_decode_end(f->d);
	assert_int_equal(f->seen.lines, 3);
}

/* --- the files --------------------------------------------------------- */

static void open_files(struct fixture *f, uint64_t limit)
{
	char why[256];
	assert_int_equal(host_files_open(&f->files, f->dir, limit, why,
	                                 sizeof(why)),
	                 0);
	f->seen.files = &f->files;
}

static char *read_in(struct fixture *f, const char *rel)
{
	static char buf[8192];
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	FILE *in = fopen(path, "r");
	if (!in)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = '\0';
	return buf;
}

static void reports_written_and_removed(void **state)
{
	struct fixture *f = *state;
	open_files(f, 0);
	feed_frame(f, "report", "init.state", "one\ntwo", 7, 0);
	assert_string_equal(read_in(f, "report/init.state"), "one\ntwo");
	assert_null(read_in(f, "report/.init.state.tmp"));
	feed_frame(f, "report", "init.state", "", 0, 0);
	assert_string_equal(read_in(f, "report/init.state"), "");
	feed_frame(f, "unreport", "init.state", "", 0, 0);
	assert_null(read_in(f, "report/init.state"));
	assert_int_equal(f->seen.refused, 0);
}

static struct timespec modified(struct fixture *f, const char *rel)
{
	struct stat st;
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	assert_int_equal(stat(path, &st), 0);
	return st.st_mtim;
}

static int64_t ns_between(struct timespec a, struct timespec b)
{
	return (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 +
	       (b.tv_nsec - a.tv_nsec);
}

/* A report file is modified at the machine's start plus its frame's
 * guest time, whatever the host's clock says when it is written: two
 * writes 1.5 s apart in guest time are 1.5 s apart on the host, though
 * the host wrote them at once. */
static void reports_dated_by_guest_time(void **state)
{
	struct fixture *f = *state;
	open_files(f, 0);
	f->time_ns = 5000000000u + 999999999u; /* nanoseconds carry */
	feed_frame(f, "report", "init.state", "one", 3, 0);
	struct timespec first = modified(f, "report/init.state");
	assert_int_equal(ns_between(f->files.start, first),
	                 (int64_t)f->time_ns);
	f->time_ns += 1500000000u;
	feed_frame(f, "report", "init.state", "two", 3, 0);
	struct timespec second = modified(f, "report/init.state");
	assert_int_equal(ns_between(first, second), 1500000000);
	f->time_ns = FRAME_TIME_MAX;
	feed_frame(f, "report", "far", "x", 1, 0);
	assert_int_equal(ns_between(f->files.start, modified(f, "report/far")),
	                 (int64_t)FRAME_TIME_MAX);
	assert_int_equal(f->seen.refused, 0);
	assert_null(strstr(f->seen.text, "R:"));
}

static void hostile_report_names_refused(void **state)
{
	struct fixture *f = *state;
	open_files(f, 0);
	static const char *const names[] = { "../evil", "a/b",     "..",
		                             ".",       ".hidden", "/abs" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		feed_frame(f, "report", names[i], "x", 1, 0);
	feed_frame(f, "unreport", "../x", "", 0, 0);
	/* every one refused, nothing outside report/ */
	unsigned refusals = 0;
	for (const char *p = f->seen.text; (p = strstr(p, "R:")); p++)
		refusals++;
	assert_int_equal(refusals, sizeof(names) / sizeof(*names) + 1);
	assert_null(read_in(f, "evil"));
	assert_null(read_in(f, "report/b"));
}

static void live_domains(void **state)
{
	struct fixture *f = *state;
	open_files(f, 0);
	feed_frame(f, "domain", "1", "init", 4, 0);
	feed_frame(f, "domain", "2", "init -> probe", 13, 0);
	feed_frame(f, "domain", "3", "init -> a\tb", 11, 0);
	assert_string_equal(read_in(f, "domains"),
	                    "1\tinit\tinit\n2\tprobe\tinit -> probe\n"
	                    "3\ta?b\tinit -> a?b\n");
	feed_frame(f, "domain", "2", "init -> again", 13, 0); /* twice */
	feed_frame(f, "ended", "9", "", 0, 0);                /* unknown */
	feed_frame(f, "ended", "2", "", 0, 0);
	assert_string_equal(read_in(f, "domains"),
	                    "1\tinit\tinit\n3\ta?b\tinit -> a?b\n");
	assert_non_null(strstr(f->seen.text, "R:domain 2 was told twice"));
	assert_non_null(strstr(f->seen.text, "R:domain 9 does not live"));
	host_files_machine_ended(&f->files);
	assert_string_equal(read_in(f, "domains"), "");
}

/* The text lines go to the log files as linux core names them. */
static void text_to_log(struct fixture *f, const char *line)
{
	host_files_line(&f->files, line, strlen(line));
}

static void log_files_as_linux_names_them(void **state)
{
	struct fixture *f = *state;
	open_files(f, 0);
	feed_frame(f, "domain", "2", "init -> probe", 13, 0);
	text_to_log(f, "[core] started init");
	text_to_log(f, "[core] [init] hello");
	text_to_log(f, "[core] [init -> probe] from probe");
	text_to_log(f, "[core] [../x -> y] sneaky");
	text_to_log(f, "[probe] (out) through the kernel");
	text_to_log(f, "[nobody] no such domain");
	text_to_log(f, "kernel: not a log line");
	assert_string_equal(read_in(f, "log/core.log"),
	                    "[core] started init\n");
	assert_string_equal(read_in(f, "log/init.log"),
	                    "[init] hello\n[init -> probe] from probe\n"
	                    "[probe] (out) through the kernel\n");
	assert_string_equal(read_in(f, "log/unnamed.log"),
	                    "[../x -> y] sneaky\n");
}

static void log_rotated_at_limit(void **state)
{
	struct fixture *f = *state;
	open_files(f, 4096);
	char line[1100];
	memset(line, 'x', sizeof(line));
	memcpy(line, "[core] [init] ", 14);
	line[sizeof(line) - 1] = '\0';
	for (int i = 0; i < 10; i++)
		text_to_log(f, line);
	struct stat st;
	char path[256];
	snprintf(path, sizeof(path), "%s/log/init.log.1", f->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size >= 4096 && st.st_size < 4096 + 1100);
}

/* A domain's output (frames "log ID"): every line into the log file of
 * the domain's label, marked as linux core marks it. */
static void log_frame_lines_written(void **state)
{
	struct fixture *f = *state;
	open_files(f, 0);
	feed_frame(f, "domain", "4", "init -> probe", 13, 0);
	static const char body[] = "(stdout) one\n(stderr) two ?\n";
	feed_frame(f, "log", "4", body, sizeof(body) - 1, 0);
	assert_int_equal(f->seen.refused, 0);
	assert_null(strstr(f->seen.text, "R:"));
	assert_string_equal(read_in(f, "log/init.log"),
	                    "[init -> probe] (stdout) one\n"
	                    "[init -> probe] (stderr) two ?\n");
}

/* Each line of a log frame goes to the terminal's limit (console.c) with
 * its frame's guest time. */
static void on_log_line(void *ctx, const char *label, const char *text,
                        size_t len, uint64_t time_ns)
{
	struct seen *s = ctx;
	char head[600];
	snprintf(head, sizeof(head), "T:%s %llu ", label,
	         (unsigned long long)time_ns);
	add(s, head, text, len);
}

static void log_lines_carry_frame_time(void **state)
{
	struct fixture *f = *state;
	open_files(f, 0);
	f->files.on_log_line = on_log_line;
	f->files.on_log_line_ctx = &f->seen;
	feed_frame(f, "domain", "4", "init -> probe", 13, 0);
	f->time_ns = 3000000007u;
	static const char body[] = "(stdout) one\n(stderr) two\n";
	feed_frame(f, "log", "4", body, sizeof(body) - 1, 0);
	assert_non_null(strstr(f->seen.text,
	                       "T:init -> probe 3000000007 [init -> probe] "
	                       "(stdout) one\n"
	                       "T:init -> probe 3000000007 [init -> probe] "
	                       "(stderr) two\n"));
}

/* A log frame that breaks the rules (hostframe.h) is refused whole: no
 * line of it reaches a log file, even the good ones before the bad. */
static void hostile_log_frames_refused(void **state)
{
	struct fixture *f = *state;
	open_files(f, 0);
	feed_frame(f, "domain", "4", "init -> probe", 13, 0);
	static const struct {
		const char *body;
		size_t size;
		const char *why;
	} bad[] = {
#define B(lit, why) { lit, sizeof(lit) - 1, why }
		B("(stdout) ok\n(stdout) no newline", "no lines"),
		B("", "no lines"),
		B("(stdout) ok\nforged line\n", "marked neither"),
		B("(stdout) ok\n(stderr) esc \033[2J\n", "not printable"),
		B("(stdout) ok\n(stderr) nul \0 x\n", "not printable"),
		B("(stdout) ok\n(stderr) \xff\xfe\n", "not printable"),
		B("(stdout) \xc2\x9b C1\n", "not printable"),
#undef B
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		f->seen.len = 0;
		feed_frame(f, "log", "4", bad[i].body, bad[i].size, 0);
		f->seen.text[f->seen.len] = '\0';
		assert_non_null(strstr(f->seen.text, "R:log of domain 4: "));
		assert_non_null(strstr(f->seen.text, bad[i].why));
	}
	/* a line longer than a marker and core's OUTPUT_LINE_MAX */
	char line[LOG_FRAME_LINE_MAX + 20];
	memset(line, 'x', sizeof(line));
	memcpy(line, "(stderr) ", 9);
	line[sizeof(line) - 1] = '\n';
	f->seen.len = 0;
	feed_frame(f, "log", "4", line, sizeof(line), 0);
	f->seen.text[f->seen.len] = '\0';
	assert_non_null(strstr(f->seen.text, "longer than"));
	/* a domain that does not live */
	feed_frame(f, "log", "5", "(stdout) x\n", 11, 0);
	f->seen.text[f->seen.len] = '\0';
	assert_non_null(strstr(f->seen.text,
	                       "log of domain 5, which does not live"));
	assert_null(read_in(f, "log/init.log"));
	assert_null(read_in(f, "log/unnamed.log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(text_as_tr_made_it),
		T(frame_body_exact),
		T(raw_stream_keeps_every_byte),
		T(frame_ends_an_open_line),
		T(line_out_at_its_newline),
		T(mark_inside_a_line_is_text),
		T(bad_check_refused_and_skipped),
		T(hostile_headers_refused),
		T(times_in_range_taken),
		T(truncated_frames_refused),
		T(long_lines_in_pieces),
		T(reports_written_and_removed),
		T(reports_dated_by_guest_time),
		T(hostile_report_names_refused),
		T(live_domains),
		T(log_files_as_linux_names_them),
		T(log_rotated_at_limit),
		T(log_frame_lines_written),
		T(log_lines_carry_frame_time),
		T(hostile_log_frames_refused),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
