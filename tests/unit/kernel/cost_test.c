/*
 * What the hot paths of signals cost, counted in system calls rather than
 * timed: in steady state a ksignal_submit() is one send and nothing else
 * (its capability check is remembered per thread), and a waitset reads a
 * signal source once per readiness, never with an extra receive that finds
 * the queue empty. Beside each count, the checks that the shortcut must
 * not skip: a selector that names another object after a close is refused,
 * and no count is lost however the messages are batched.
 *
 * The counting works by interposition: this program defines the libc
 * socket and stat wrappers the kernel interface calls (the static library
 * links against these definitions first), counts each call and passes it
 * on to the kernel.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"

#define COOKIE ((void *)0xc057)

/* Calls counted by the wrappers below. Global because the wrappers have
 * libc's signatures; only this single-threaded test reads and resets it. */
static struct {
	unsigned sockopt; /* getsockopt */
	unsigned stat;    /* fstat */
	unsigned send;    /* send, sendmsg */
	unsigned recv;    /* recvmsg, recvmmsg */
} calls;

int getsockopt(int fd, int level, int name, void *value, socklen_t *len)
{
	calls.sockopt++;
	return (int)syscall(SYS_getsockopt, fd, level, name, value, len);
}

int fstat(int fd, struct stat *st)
{
	calls.stat++;
	return fstatat(fd, "", st, AT_EMPTY_PATH);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	calls.send++;
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	calls.send++;
	return syscall(SYS_sendmsg, fd, msg, flags);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	calls.recv++;
	return syscall(SYS_recvmsg, fd, msg, flags);
}

int recvmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags,
             struct timespec *timeout)
{
	calls.recv++;
	return (int)syscall(SYS_recvmmsg, fd, vec, vlen, flags, timeout);
}

static void calls_reset(void)
{
	memset(&calls, 0, sizeof calls);
}

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

/* Waits for signals until `expected` have arrived; returns the number of
 * events it took. */
static unsigned collect(kwaitset_t *ws, uint64_t expected)
{
	kevent_t ev;
	static kmsg_t msg;
	uint64_t total = 0;
	unsigned events = 0;

	while (total < expected) {
		assert_int_equal(kwaitset_wait(ws, &ev, &msg, 5000), 0);
		assert_int_equal(ev.kind, KEVENT_SIGNAL);
		assert_ptr_equal(ev.cookie, COOKIE);
		total += ev.count;
		events++;
	}
	assert_int_equal(total, expected);
	return events;
}

static void test_submit_is_one_send(void **state)
{
	ksignal_source_t *src;
	kwaitset_t *ws;
	kcap_t cap, other;

	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(ksignal_source_create(&src, &cap), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, COOKIE), 0);
	assert_int_equal(ksignal_submit(cap, 1), 0); /* checked here */

	calls_reset();
	for (int i = 0; i < 100; i++)
		assert_int_equal(ksignal_submit(cap, 1), 0);
	assert_int_equal(calls.send, 100);
	assert_int_equal(calls.sockopt, 0);
	assert_int_equal(calls.stat, 0);

	/* A selector closed anywhere: the check is redone, by identity. */
	assert_int_equal(kmem_create(1, &other), 0);
	kcap_close(other);
	calls_reset();
	assert_int_equal(ksignal_submit(cap, 1), 0);
	assert_int_equal(ksignal_submit(cap, 1), 0);
	assert_int_equal(calls.send, 2);
	assert_int_equal(calls.sockopt, 0);
	assert_int_equal(calls.stat, 1);

	collect(ws, 103);
	kwaitset_destroy(ws);
	ksignal_source_destroy(src);
	kcap_close(cap);
}

static void test_reused_selector_is_checked_again(void **state)
{
	ksignal_source_t *src, *src2;
	kendpoint_t *ep;
	kwaitset_t *ws;
	kcap_t cap, cap2, ep_cap;

	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(ksignal_source_create(&src, &cap), 0);
	assert_int_equal(ksignal_source_create(&src2, &cap2), 0);
	assert_int_equal(kendpoint_create(&ep, &ep_cap), 0);
	assert_int_equal(kwaitset_add_signal(ws, src2, COOKIE), 0);
	int sel = cap.sel;

	/* Checked and remembered, then closed: the number names nothing. */
	assert_int_equal(ksignal_submit(cap, 1), 0);
	kcap_close(cap);
	assert_int_equal(ksignal_submit((kcap_t){ sel }, 1), KERR_INVALID);

	/* Remembered again, closed, and the number now names an endpoint:
	 * no submit may go there. */
	assert_int_equal(dup2(cap2.sel, sel), sel);
	assert_int_equal(ksignal_submit((kcap_t){ sel }, 2), 0);
	kcap_close((kcap_t){ sel });
	assert_int_equal(dup2(ep_cap.sel, sel), sel);
	assert_int_equal(ksignal_submit((kcap_t){ sel }, 1), KERR_WRONG_TYPE);
	assert_int_equal(ksignal_submit((kcap_t){ sel }, 1), KERR_WRONG_TYPE);
	kcap_close((kcap_t){ sel });

	/* And when it names a signal source again, submits go to that. */
	assert_int_equal(dup2(cap2.sel, sel), sel);
	assert_int_equal(ksignal_submit((kcap_t){ sel }, 5), 0);
	assert_int_equal(collect(ws, 7) > 0, 1);
	kcap_close((kcap_t){ sel });

	kwaitset_destroy(ws);
	ksignal_source_destroy(src);
	ksignal_source_destroy(src2);
	kcap_close(cap2);
	kendpoint_dissolve(ep);
	kcap_close(ep_cap);
}

static void test_signal_read_once_per_readiness(void **state)
{
	ksignal_source_t *src;
	kwaitset_t *ws;
	kevent_t ev;
	static kmsg_t msg;
	kcap_t cap;

	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(ksignal_source_create(&src, &cap), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, COOKIE), 0);

	assert_int_equal(ksignal_submit(cap, 1), 0);
	calls_reset();
	assert_int_equal(collect(ws, 1), 1);
	assert_int_equal(calls.recv, 1);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 0), KERR_TIMEOUT);
	assert_int_equal(calls.recv, 1);

	/* A burst: every event takes one receive, and every count comes. */
	uint64_t sum = 0;
	for (uint32_t i = 1; i <= 40; i++) {
		assert_int_equal(ksignal_submit(cap, i), 0);
		sum += i;
	}
	calls_reset();
	unsigned events = collect(ws, sum);
	assert_int_equal(calls.recv, events);
	assert_true(events < 40);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 0), KERR_TIMEOUT);

	kwaitset_destroy(ws);
	ksignal_source_destroy(src);
	kcap_close(cap);
}

static void test_counts_before_the_last_close_arrive(void **state)
{
	ksignal_source_t *src;
	kwaitset_t *ws;
	kevent_t ev;
	static kmsg_t msg;
	kcap_t cap;

	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(ksignal_source_create(&src, &cap), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, COOKIE), 0);
	for (int i = 0; i < 20; i++)
		assert_int_equal(ksignal_submit(cap, 1), 0);
	/* An empty message (a misbehaving holder's) amid the counts, then
	 * the last capability goes: what came after it counts as well. */
	assert_int_equal(send(cap.sel, "", 0, 0), 0);
	assert_int_equal(ksignal_submit(cap, 7), 0);
	kcap_close(cap);
	collect(ws, 27);
	/* Orphaned now: the wait neither spins nor reports anything. */
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 0), KERR_TIMEOUT);

	kwaitset_destroy(ws);
	ksignal_source_destroy(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submit_is_one_send),
		cmocka_unit_test(test_reused_selector_is_checked_again),
		cmocka_unit_test(test_signal_read_once_per_readiness),
		cmocka_unit_test(test_counts_before_the_last_close_arrive),
	};

	return cmocka_run_group_tests(tests, setup_alarm, teardown_alarm);
}
