/*
 * Unit tests of the component's own process on Linux (kernel.h,
 * kprocess_setup and kprocess_exit), each in a forked child so that the
 * test process keeps its own signal dispositions: after set-up a write to
 * a closed pipe fails with EPIPE instead of killing, and SIGINT is
 * ignored; kprocess_exit ends the process with its code, other threads
 * and atexit handlers notwithstanding.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"

/* Runs body() in a child and returns its wait status. */
static int in_child(void (*body)(void))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		body();
		_exit(99); /* not reached when body ends the process */
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void write_to_closed_pipe(void)
{
	int fds[2];
	kprocess_setup();
	if (pipe(fds))
		_exit(2);
	close(fds[0]);
	if (write(fds[1], "x", 1) >= 0 || errno != EPIPE)
		_exit(3);
	raise(SIGINT);
	kprocess_exit(0);
}

static void test_setup_survives_pipe_and_ctrl_c(void **state)
{
	(void)state;
	int status = in_child(write_to_closed_pipe);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void refuse_to_exit(void)
{
	_exit(98);
}

static void parked_forever(void *arg)
{
	(void)arg;
	for (;;)
		kthread_park(kthread_park_ticket());
}

static void exit_with_a_thread_running(void)
{
	kthread_t *t;
	atexit(refuse_to_exit);
	if (kthread_create(&t, "parked", 0, parked_forever, NULL))
		_exit(2);
	kprocess_exit(42);
}

static void test_exit_ends_every_thread_with_the_code(void **state)
{
	(void)state;
	int status = in_child(exit_with_a_thread_running);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setup_survives_pipe_and_ctrl_c),
		cmocka_unit_test(test_exit_ends_every_thread_with_the_code),
	};
	return cmocka_run_group_tests_name("kernel_process", tests, NULL, NULL);
}
