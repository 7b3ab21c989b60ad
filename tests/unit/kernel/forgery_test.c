/*
 * The forgery test of the kernel interface on Linux: a process that was
 * never given a capability tries to reach the object anyway, by calling
 * every selector number 0..1023 and by writing raw bytes to every
 * descriptor it has. The object's server counts its requests; it must
 * see none from the forger. The forger does hold capabilities of its own
 * (an object of another server, objects it created), so its descriptor
 * table is full of real kernel objects, just not the one it wants.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"
#include "ksupport.h"

static void forge(void)
{
	kendpoint_t *ep;
	ksignal_source_t *src;
	kcap_t own_ep, own_sig, own_mem;
	kmsg_t req, reply;
	static const char garbage[] = "Eforged request\0\xff\xfe";
	int null = open("/dev/null", O_RDWR);

	/* Our raw write()s to sockets would raise SIGPIPE (the kernel
	 * interface itself never does). */
	signal(SIGPIPE, SIG_IGN);
	/* Nothing of ours may reach the TAP output of the test. */
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	if (kendpoint_create(&ep, &own_ep) != 0 ||
	    ksignal_source_create(&src, &own_sig) != 0 ||
	    kmem_create(4096, &own_mem) != 0)
		_exit(2);
	test_msg(&req, 'E', "forged", 6);
	for (int fd = 0; fd < 1024; fd++) {
		kipc_call((kcap_t){ fd }, &req, &reply, 50);
		if (write(fd, garbage, sizeof garbage) < 0) {
			/* most descriptors do not exist or refuse */
		}
		send(fd, garbage, sizeof garbage, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	_exit(0);
}

static void test_forger_never_reaches_the_object(void **state)
{
	struct test_server other, target;
	int go[2];
	kmsg_t reply;
	char byte = 0;

	alarm(60);
	test_server_spawn(&other);
	assert_int_equal(pipe(go), 0);
	pid_t forger = fork();
	assert_true(forger >= 0);
	if (forger == 0) {
		close(go[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(3);
		forge();
	}
	close(go[0]);
	/* Only now does the target exist: the forger cannot have it. */
	test_server_spawn(&target);
	assert_int_equal(test_call(target.cap, 'E', "legit", 5, &reply, 5000),
	                 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	assert_int_equal(test_reap(forger, 50), 0);

	/* The target saw our 'E' and this 'C', nothing of the forger's. */
	assert_int_equal(test_server_count(target.cap), 2);
	assert_int_equal(test_call(target.cap, 'E', "still", 5, &reply, 5000),
	                 0);
	assert_memory_equal(reply.data, "Estill", 6);
	/* The forger did reach the object it was given (it is fd 3..1023
	 * in its table); that shows the attempts were real. */
	assert_true(test_server_count(other.cap) >= 2);
	test_server_stop(&target);
	test_server_stop(&other);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forger_never_reaches_the_object),
	};
	return cmocka_run_group_tests_name("kernel_forgery", tests, NULL, NULL);
}
