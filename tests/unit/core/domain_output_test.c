/*
 * Tests of the reader of domains' stdout and stderr (core/
 * domain_output.h), with the test as the writing domain: lines arrive
 * labelled and marked by stream, the end of a pipe flushes its partial
 * line and closes it (no descriptor left), a pipe that floods does not
 * starve another, and stopping reads what is left without waiting for
 * writers that are still there.
 *
 * The waits below wait for an event with a generous limit that only keeps
 * a broken reader from hanging the suite; no test measures time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain_output.h"

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { WAIT_MS = 10000, KEPT = 16 };

/* What the sink saw: the first KEPT lines, and a count of the lines of
 * the label "flood" (kept apart, there are many). */
struct sink {
	pthread_mutex_t lock;
	unsigned count;
	char lines[KEPT][1200];
	unsigned long flood_lines;
};

static void sink_line(void *arg, const char *label, const char *line)
{
	struct sink *s = arg;
	pthread_mutex_lock(&s->lock);
	if (strcmp(label, "flood") == 0)
		s->flood_lines++;
	else if (s->count < KEPT)
		snprintf(s->lines[s->count++], sizeof(s->lines[0]), "[%s] %s",
		         label, line);
	pthread_mutex_unlock(&s->lock);
}

struct fixture {
	struct sink sink;
	struct domain_output *output;
};

static int setup(void **state)
{
	static struct fixture f;
	memset(&f, 0, sizeof(f));
	pthread_mutex_init(&f.sink.lock, NULL);
	if (domain_output_start(&f.output, sink_line, &f.sink) != 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	domain_output_stop(f->output);
	pthread_mutex_destroy(&f->sink.lock);
	return 0;
}

/* Waits until done(arg) holds, checking every 10 ms; whether it did. */
static int wait_until(int (*done)(void *arg), void *arg)
{
	for (int tries = WAIT_MS / 10; tries > 0; tries--) {
		if (done(arg))
			return 1;
		nanosleep(&(struct timespec){ .tv_nsec = 10000000L }, NULL);
	}
	return done(arg);
}

struct lines_wanted {
	struct sink *sink;
	unsigned count;
	unsigned long flood_lines;
};

static int lines_arrived(void *arg)
{
	struct lines_wanted *want = arg;
	pthread_mutex_lock(&want->sink->lock);
	int done = want->sink->count >= want->count &&
	           want->sink->flood_lines >= want->flood_lines;
	pthread_mutex_unlock(&want->sink->lock);
	return done;
}

/* Waits until the sink kept `count` lines; whether it did. */
static int wait_lines(struct sink *s, unsigned count)
{
	struct lines_wanted want = { .sink = s, .count = count };
	return wait_until(lines_arrived, &want);
}

static unsigned open_descriptors(void)
{
	unsigned count = 0;
	DIR *dir = opendir("/proc/self/fd");
	assert_non_null(dir);
	while (readdir(dir))
		count++;
	closedir(dir);
	return count;
}

static int descriptors_are(void *arg)
{
	return open_descriptors() == *(unsigned *)arg;
}

/* Waits until the process has `count` descriptors open: the reader closes
 * its end of a pipe when it stops watching it. Whether it does. */
static int wait_descriptors(unsigned count)
{
	return wait_until(descriptors_are, &count);
}

static void write_text(int fd, const char *text)
{
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
}

static void test_lines_are_labelled_and_marked(void **state)
{
	struct fixture *f = *state;
	unsigned before = open_descriptors();
	int fds[2];
	assert_int_equal(domain_output_open(f->output, "init -> hello", fds),
	                 0);
	assert_int_equal(open_descriptors(), before + 4); /* two pipes */
	write_text(fds[0], "on stdout\n");
	assert_true(wait_lines(&f->sink, 1));
	write_text(fds[1], "on stderr\x1b[2J\n");
	assert_true(wait_lines(&f->sink, 2));
	assert_string_equal(f->sink.lines[0],
	                    "[init -> hello] (stdout) on stdout");
	assert_string_equal(f->sink.lines[1],
	                    "[init -> hello] (stderr) on stderr?[2J");
	close(fds[0]);
	close(fds[1]);
}

static void test_end_flushes_and_closes_the_pipe(void **state)
{
	struct fixture *f = *state;
	unsigned before = open_descriptors();
	int fds[2];
	assert_int_equal(domain_output_open(f->output, "x", fds), 0);
	assert_int_equal(open_descriptors(), before + 4);
	write_text(fds[1], "last words");
	close(fds[1]);
	assert_true(wait_lines(&f->sink, 1));
	assert_string_equal(f->sink.lines[0], "[x] (stderr) last words");
	/* stdout is still open, both ends */
	assert_true(wait_descriptors(before + 2));
	close(fds[0]);
	assert_true(wait_descriptors(before));
	assert_int_equal(f->sink.count, 1); /* an empty stdout: no line */
}

/* The flooding domain: writes short lines until told to stop or until it
 * wrote FLOOD_LIMIT bytes, which counts as starving the other pipe. */
enum { FLOOD_LIMIT = 64 << 20 };

struct flooder {
	int fd;
	volatile int stop;
	size_t written;
};

static void *flood(void *arg)
{
	struct flooder *fl = arg;
	while (!fl->stop && fl->written < FLOOD_LIMIT) {
		ssize_t n = write(fl->fd, "flooding\n", 9);
		if (n <= 0)
			break;
		fl->written += (size_t)n;
	}
	return NULL;
}

static void test_flood_does_not_starve_another_pipe(void **state)
{
	struct fixture *f = *state;
	unsigned before = open_descriptors();
	int flood_fds[2], quiet_fds[2];
	assert_int_equal(domain_output_open(f->output, "flood", flood_fds), 0);
	assert_int_equal(domain_output_open(f->output, "quiet", quiet_fds), 0);
	struct flooder fl = { .fd = flood_fds[1] };
	pthread_t thread;
	assert_int_equal(pthread_create(&thread, NULL, flood, &fl), 0);
	/* once the flood is read, the quiet domain says one thing */
	struct lines_wanted flooded = { .sink = &f->sink, .flood_lines = 1000 };
	int flowing = wait_until(lines_arrived, &flooded);
	write_text(quiet_fds[1], "heard\n");
	int heard = wait_lines(&f->sink, 1);
	fl.stop = 1;
	pthread_join(thread, NULL);
	assert_true(flowing);
	assert_true(heard);
	assert_true(fl.written < FLOOD_LIMIT);
	assert_string_equal(f->sink.lines[0], "[quiet] (stderr) heard");
	for (int i = 0; i < 2; i++) {
		close(flood_fds[i]);
		close(quiet_fds[i]);
	}
	assert_true(wait_descriptors(before));
}

static void test_stop_reads_what_is_left(void **state)
{
	struct fixture *f = *state;
	int fds[2];
	assert_int_equal(domain_output_open(f->output, "late", fds), 0);
	write_text(fds[1], "said before the stop\npartial");
	/* the writer is still there: stop must not wait for its end */
	domain_output_stop(f->output);
	assert_int_equal(f->sink.count, 2);
	assert_string_equal(f->sink.lines[0],
	                    "[late] (stderr) said before the stop");
	assert_string_equal(f->sink.lines[1], "[late] (stderr) partial");
	/* the read end is gone: a write fails instead of blocking */
	assert_int_equal(write(fds[1], "x", 1), -1);
	close(fds[0]);
	close(fds[1]);
	assert_int_equal(domain_output_start(&f->output, sink_line, &f->sink),
	                 0);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN); /* a write to a closed pipe is a test */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_lines_are_labelled_and_marked, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_end_flushes_and_closes_the_pipe, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_flood_does_not_starve_another_pipe, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_stop_reads_what_is_left,
		                                setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
