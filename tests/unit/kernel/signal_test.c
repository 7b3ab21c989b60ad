/*
 * Tests of signal sources of the kernel interface on Linux: counts
 * submitted from another process (several threads, and through a
 * capability passed in a message) all arrive, summed; a holder of the
 * capability can submit but never receive; destroying the source revokes
 * it; a source taken out of a waitset keeps its counts for later.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"
#include "ksupport.h"

#define SUBMIT_THREADS 4
#define SUBMITS_PER_THREAD 3000

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

/* Waits for signals on `ws` until `expected` have arrived; returns the
 * total seen, which must then stay put. */
static uint64_t collect(kwaitset_t *ws, void *cookie, uint64_t expected)
{
	kevent_t ev;
	kmsg_t msg;
	uint64_t total = 0;

	while (total < expected) {
		assert_int_equal(kwaitset_wait(ws, &ev, &msg, 10000), 0);
		assert_int_equal(ev.kind, KEVENT_SIGNAL);
		assert_ptr_equal(ev.cookie, cookie);
		assert_true(ev.count > 0);
		total += ev.count;
	}
	return total;
}

static void *submit_many(void *arg)
{
	kcap_t cap = *(kcap_t *)arg;

	for (int i = 0; i < SUBMITS_PER_THREAD; i++) {
		if (ksignal_submit(cap, 1) != 0)
			_exit(1);
	}
	return NULL;
}

static void test_counts_from_another_process(void **state)
{
	ksignal_source_t *src;
	kwaitset_t *ws;
	kcap_t cap;
	kevent_t ev;
	kmsg_t msg;
	int cookie;

	assert_int_equal(ksignal_source_create(&src, &cap), 0);
	assert_int_equal(kcap_type(cap), KCAP_TYPE_SIGNAL);
	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, &cookie), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pthread_t t[SUBMIT_THREADS];
		for (int i = 0; i < SUBMIT_THREADS; i++)
			pthread_create(&t[i], NULL, submit_many, &cap);
		for (int i = 0; i < SUBMIT_THREADS; i++)
			pthread_join(t[i], NULL);
		_exit(ksignal_submit(cap, 7) == 0 ? 0 : 2);
	}
	uint64_t n = SUBMIT_THREADS * SUBMITS_PER_THREAD + 7;
	assert_int_equal(collect(ws, &cookie, n), n);
	assert_int_equal(test_reap(pid, 10), 0);
	/* Nothing more than was submitted. */
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 50), KERR_TIMEOUT);
	kwaitset_destroy(ws);
	ksignal_source_destroy(src);
	kcap_close(cap);
}

struct g_call {
	kcap_t server, signal;
	int result;
};

static void call_g(void *arg)
{
	struct g_call *g = arg;
	kmsg_t req, reply;
	uint8_t data[5];
	uint32_t times = 500;

	memcpy(data, &times, sizeof times);
	data[4] = 3;
	test_msg(&req, 'G', data, sizeof data);
	req.caps[0] = g->signal;
	req.cap_count = 1;
	g->result = kipc_call(g->server, &req, &reply, 20000);
}

static void test_counts_through_a_delegated_cap(void **state)
{
	struct test_server s;
	ksignal_source_t *src;
	kwaitset_t *ws;
	kthread_t *t;
	struct g_call g;

	test_server_spawn(&s);
	assert_int_equal(ksignal_source_create(&src, &g.signal), 0);
	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, NULL), 0);
	g.server = s.cap;
	/* The call returns once the server has submitted everything, which
	 * needs us draining meanwhile: call from another thread. */
	assert_int_equal(kthread_create(&t, "g", 0, call_g, &g), 0);
	assert_int_equal(collect(ws, NULL, 1500), 1500);
	assert_int_equal(kthread_join(t), 0);
	assert_int_equal(g.result, 0);
	kwaitset_destroy(ws);
	ksignal_source_destroy(src);
	kcap_close(g.signal);
	test_server_stop(&s);
}

static void test_holder_cannot_receive(void **state)
{
	ksignal_source_t *src;
	kwaitset_t *ws;
	kcap_t cap;
	uint8_t buf[64];

	assert_int_equal(ksignal_source_create(&src, &cap), 0);
	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, NULL), 0);
	assert_int_equal(ksignal_submit(cap, 3), 0);
	assert_int_equal(ksignal_submit(cap, 2), 0);
	/* The holder's end has nothing to read: the receiver never sends. */
	assert_int_equal(recv(cap.sel, buf, sizeof buf, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(collect(ws, NULL, 5), 5);
	kwaitset_destroy(ws);
	ksignal_source_destroy(src);
	kcap_close(cap);
}

static void test_submit_after_destroy_is_revoked(void **state)
{
	ksignal_source_t *src;
	kcap_t cap, copy;
	kendpoint_t *ep;
	kcap_t ep_cap;

	assert_int_equal(ksignal_source_create(&src, &cap), 0);
	assert_int_equal(kcap_copy(cap, &copy), 0);
	assert_int_equal(ksignal_submit(cap, 1), 0);
	ksignal_source_destroy(src);
	assert_int_equal(ksignal_submit(cap, 1), KERR_REVOKED);
	assert_int_equal(ksignal_submit(copy, 1), KERR_REVOKED);
	kcap_close(cap);
	kcap_close(copy);

	assert_int_equal(ksignal_submit(KCAP_INVALID, 1), KERR_INVALID);
	assert_int_equal(kendpoint_create(&ep, &ep_cap), 0);
	assert_int_equal(ksignal_submit(ep_cap, 1), KERR_WRONG_TYPE);
	kendpoint_dissolve(ep);
	kcap_close(ep_cap);
}

static void test_removed_source_keeps_counts(void **state)
{
	ksignal_source_t *src;
	kwaitset_t *ws;
	kcap_t cap;
	kevent_t ev;
	kmsg_t msg;

	assert_int_equal(ksignal_source_create(&src, &cap), 0);
	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, NULL), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, NULL), KERR_INVALID);
	kwaitset_remove_signal(ws, src);
	assert_int_equal(ksignal_submit(cap, 4), 0);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 20), KERR_TIMEOUT);
	assert_int_equal(kwaitset_add_signal(ws, src, NULL), 0);
	assert_int_equal(collect(ws, NULL, 4), 4);
	/* The last holder going away ends nothing that was counted. */
	assert_int_equal(ksignal_submit(cap, 6), 0);
	kcap_close(cap);
	assert_int_equal(collect(ws, NULL, 6), 6);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 20), KERR_TIMEOUT);
	kwaitset_destroy(ws);
	ksignal_source_destroy(src);
}

static void test_garbage_from_a_holder_is_dropped(void **state)
{
	ksignal_source_t *src;
	kwaitset_t *ws;
	kcap_t cap;
	kevent_t ev;
	kmsg_t msg;
	int pipefd[2];
	uint64_t wide = 1000;
	uint32_t four = 1000;
	char byte;

	assert_int_equal(ksignal_source_create(&src, &cap), 0);
	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kwaitset_add_signal(ws, src, NULL), 0);
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(send(cap.sel, &wide, sizeof wide, 0), sizeof wide);
	assert_int_equal(send(cap.sel, "", 0, 0), 0);
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec iov = { .iov_base = &four, .iov_len = sizeof four };
	struct msghdr hdr = { .msg_iov = &iov,
		              .msg_iovlen = 1,
		              .msg_control = c.buf,
		              .msg_controllen = sizeof c.buf };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&hdr);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &pipefd[1], sizeof(int));
	assert_int_equal(sendmsg(cap.sel, &hdr, 0), sizeof four);
	close(pipefd[1]);
	assert_int_equal(ksignal_submit(cap, 3), 0);

	/* Only the well-formed submit counts ... */
	assert_int_equal(collect(ws, NULL, 3), 3);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 20), KERR_TIMEOUT);
	/* ... and the descriptor that came with the garbage was closed. */
	assert_int_equal(read(pipefd[0], &byte, 1), 0);
	close(pipefd[0]);
	kwaitset_destroy(ws);
	ksignal_source_destroy(src);
	kcap_close(cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_from_another_process),
		cmocka_unit_test(test_counts_through_a_delegated_cap),
		cmocka_unit_test(test_holder_cannot_receive),
		cmocka_unit_test(test_submit_after_destroy_is_revoked),
		cmocka_unit_test(test_removed_source_keeps_counts),
		cmocka_unit_test(test_garbage_from_a_holder_is_dropped),
	};
	return cmocka_run_group_tests_name("kernel_signal", tests, setup_alarm,
	                                   teardown_alarm);
}
