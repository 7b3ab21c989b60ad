/*
 * Tests of the second layer of confinement (kconfine_forbid_open,
 * kernel.h): in a forked child, opening works before and fails as not
 * permitted after, on every thread, while reading and writing descriptors
 * the child already has go on. The negative control: the test process
 * itself, which never called it, still opens files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <kernel/kernel.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit codes of the child: 0 all as expected, else the failed step. */
static void *open_on_thread(void *arg)
{
	(void)arg;
	int fd = open("/dev/null", O_RDONLY);
	return (void *)(intptr_t)(fd < 0 && errno == EPERM);
}

static int child_checks(void)
{
	int before = open("/dev/null", O_WRONLY);
	if (before < 0)
		return 1;
	if (kconfine_forbid_open() != 0)
		return 2;
	if (open("/dev/null", O_RDONLY) >= 0 || errno != EPERM)
		return 3;
	if (openat(AT_FDCWD, "/dev/null", O_RDONLY) >= 0 || errno != EPERM)
		return 4;
	if (write(before, "x", 1) != 1)
		return 5;
	pthread_t thread;
	void *refused = NULL;
	if (pthread_create(&thread, NULL, open_on_thread, NULL) != 0 ||
	    pthread_join(thread, &refused) != 0 || !refused)
		return 6;
	return 0;
}

static void test_open_is_forbidden_after_the_call(void **state)
{
	(void)state;
	pid_t pid = fork();
	if (pid == 0)
		_exit(child_checks());
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_others_still_open(void **state)
{
	(void)state;
	int fd = open("/dev/null", O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_is_forbidden_after_the_call),
		cmocka_unit_test(test_others_still_open),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
