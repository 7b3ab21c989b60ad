/*
 * Tests that kwaitset_wait() never spins on an error that would come back
 * for ever. A waitset made before fork() and used in the child (which
 * shares the epoll set with its parent but holds none of its descriptors)
 * must fail at once and leave the parent's objects and pending counts
 * alone; destroying the parent's objects in the child must not close
 * descriptors the child has opened since under the same numbers. And an
 * epoll registration that no watch accounts for (planted by hand here)
 * must fail the wait instead of being reported over and over until the
 * timeout. A child's own waitset, finally, must not share the cancel
 * wake-up of the thread it was forked from, or it would drain the
 * parent's cancels.
 */
#include <fcntl.h>
#include <poll.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"
#include "ksupport.h"

#define COOKIE ((void *)0x5157)

static int setup_alarm(void **state)
{
	alarm(60);
	return 0;
}

static int teardown_alarm(void **state)
{
	alarm(0);
	return 0;
}

/* In the child: what it may and may not do with its parent's objects.
 * Returns the exit status: 0 when everything behaved. */
static int child_checks(kwaitset_t *ws, kendpoint_t *ep, ksignal_source_t *src)
{
	kevent_t ev;
	static kmsg_t msg;
	kwaitset_t *mine;
	kendpoint_t *new_ep;
	kcap_t new_cap;
	int fds[8];

	/* The parent's signal source is readable, but its receive end is
	 * not the child's: the wait must fail at once, not spin until the
	 * timeout. */
	if (kwaitset_wait(ws, &ev, &msg, 2000) != KERR_INVALID)
		return 1;
	if (kendpoint_create(&new_ep, &new_cap) != 0)
		return 2;
	if (kwaitset_add_endpoint(ws, new_ep, COOKIE) != KERR_INVALID)
		return 3;
	if (kwaitset_create(&mine) != 0)
		return 4;
	if (kwaitset_add_endpoint(mine, ep, COOKIE) != KERR_INVALID ||
	    kwaitset_add_signal(mine, src, COOKIE) != KERR_INVALID)
		return 5;
	/* Take the descriptor numbers the fork handler freed. */
	for (int i = 0; i < 8; i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	kwaitset_destroy(ws);
	kendpoint_dissolve(ep);
	ksignal_source_destroy(src);
	for (int i = 0; i < 8; i++) {
		if (fds[i] < 0 || fcntl(fds[i], F_GETFD) < 0)
			return 6;
		close(fds[i]);
	}
	kwaitset_destroy(mine);
	kendpoint_dissolve(new_ep);
	kcap_close(new_cap);
	return 0;
}

static void test_parent_waitset_in_forked_child(void **state)
{
	kwaitset_t *ws;
	kendpoint_t *ep;
	ksignal_source_t *src;
	kcap_t ep_cap, sig_cap;
	kevent_t ev;
	static kmsg_t msg;

	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kendpoint_create(&ep, &ep_cap), 0);
	assert_int_equal(ksignal_source_create(&src, &sig_cap), 0);
	assert_int_equal(kwaitset_add_endpoint(ws, ep, NULL), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, COOKIE), 0);
	assert_int_equal(ksignal_submit(sig_cap, 3), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_checks(ws, ep, src));
	assert_int_equal(test_reap(pid, 20), 0);

	/* The parent's count is still there, and its objects still work. */
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 5000), 0);
	assert_int_equal(ev.kind, KEVENT_SIGNAL);
	assert_ptr_equal(ev.cookie, COOKIE);
	assert_int_equal(ev.count, 3);
	assert_int_equal(ksignal_submit(sig_cap, 1), 0);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 5000), 0);
	assert_int_equal(ev.count, 1);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 0), KERR_TIMEOUT);

	kwaitset_destroy(ws);
	kendpoint_dissolve(ep);
	ksignal_source_destroy(src);
	kcap_close(ep_cap);
	kcap_close(sig_cap);
}

/* The descriptors of this process that are epoll sets, as a bit set
 * over descriptor numbers below 64. */
static uint64_t epoll_fds(void)
{
	uint64_t set = 0;
	char path[64], target[64];

	for (int fd = 0; fd < 64; fd++) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, "anon_inode:[eventpoll]") == 0)
			set |= UINT64_C(1) << fd;
	}
	return set;
}

static void test_unaccounted_registration_fails_the_wait(void **state)
{
	kwaitset_t *ws;
	kevent_t ev;
	static kmsg_t msg;
	int sv[2];

	uint64_t before = epoll_fds();
	assert_int_equal(kwaitset_create(&ws), 0);
	uint64_t added = epoll_fds() & ~before;
	assert_true(added != 0 && (added & (added - 1)) == 0);
	int epfd = __builtin_ctzll(added);

	/* A readable socket registered behind the waitset's back, with a
	 * key that names no watch: level-triggered, it is reported again
	 * and again. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	                            sv),
	                 0);
	assert_int_equal(send(sv[1], "x", 1, 0), 1);
	struct epoll_event planted = {
		.events = EPOLLIN,
		.data.u64 = (uint64_t)12345 << 32 | (uint32_t)sv[0],
	};
	assert_int_equal(epoll_ctl(epfd, EPOLL_CTL_ADD, sv[0], &planted), 0);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 2000), KERR_INVALID);

	/* Without it the waitset works again. */
	assert_int_equal(epoll_ctl(epfd, EPOLL_CTL_DEL, sv[0], NULL), 0);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 0), KERR_TIMEOUT);
	kwaitset_destroy(ws);
	close(sv[0]);
	close(sv[1]);
}

/* The descriptor of this process that is an eventfd; there must be one. */
static int the_eventfd(void)
{
	char path[64], target[64];
	int found = -1;

	for (int fd = 0; fd < 64; fd++) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, "anon_inode:[eventfd]") == 0) {
			assert_int_equal(found, -1);
			found = fd;
		}
	}
	assert_true(found >= 0);
	return found;
}

static void test_child_waitset_leaves_parent_cancels(void **state)
{
	kwaitset_t *ws;
	kevent_t ev;
	static kmsg_t msg;
	int ready[2], go[2];
	char byte = 0;

	assert_int_equal(kwaitset_create(&ws), 0);
	int cancel_fd = the_eventfd();
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		kwaitset_t *mine;
		alarm(30);
		if (kwaitset_create(&mine) != 0 ||
		    write(ready[1], &byte, 1) != 1 ||
		    read(go[0], &byte, 1) != 1)
			_exit(1);
		/* A cancel of the parent's thread is pending now. */
		int err = kwaitset_wait(mine, &ev, &msg, 0);
		kwaitset_destroy(mine);
		_exit(err == KERR_TIMEOUT ? 0 : 2);
	}
	assert_int_equal(read(ready[0], &byte, 1), 1);
	kthread_cancel_blocking(kthread_self());
	assert_int_equal(write(go[1], &byte, 1), 1);
	assert_int_equal(test_reap(pid, 20), 0);

	/* The wake-up is still there for this thread's waitset. */
	struct pollfd p = { .fd = cancel_fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 0), 1);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 0), KERR_CANCELED);
	kwaitset_destroy(ws);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parent_waitset_in_forked_child),
		cmocka_unit_test(test_unaccounted_registration_fails_the_wait),
		cmocka_unit_test(test_child_waitset_leaves_parent_cancels),
	};

	return cmocka_run_group_tests(tests, setup_alarm, teardown_alarm);
}
