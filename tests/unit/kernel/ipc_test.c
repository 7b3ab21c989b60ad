/*
 * Tests of IPC in the kernel interface on Linux, across processes: call
 * and reply, capabilities in both directions, delegation to a third
 * process, revocation by server exit and by dissolving, many concurrent
 * callers, timeouts, dropped requests, cancellation of a waiting server
 * thread, the capability operations, and that no holder can change what
 * kind of object a capability names. Servers are forked children (see
 * ksupport.c); everything that could hang runs under alarm().
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"
#include "ksupport.h"

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

static void test_round_trip(void **state)
{
	struct test_server s;
	kmsg_t req, reply;

	test_server_spawn(&s);
	assert_int_equal(test_call(s.cap, 'E', "hello", 5, &reply, -1), 0);
	assert_int_equal(reply.size, 6);
	assert_memory_equal(reply.data, "Ehello", 6);
	assert_int_equal(reply.cap_count, 0);

	/* The largest message there is, and then an empty one. */
	req.size = KMSG_MAX_BYTES;
	req.cap_count = 0;
	for (uint32_t i = 0; i < req.size; i++)
		req.data[i] = (uint8_t)(i * 7);
	req.data[0] = 'E';
	assert_int_equal(kipc_call(s.cap, &req, &reply, 5000), 0);
	assert_int_equal(reply.size, KMSG_MAX_BYTES);
	assert_memory_equal(reply.data, req.data, KMSG_MAX_BYTES);
	req.size = 0;
	assert_int_equal(kipc_call(s.cap, &req, &reply, 5000), 0);
	assert_int_equal(reply.size, 0);
	test_server_stop(&s);
}

static void test_call_rejects_bad_requests(void **state)
{
	struct test_server s;
	kmsg_t req, reply;

	test_server_spawn(&s);
	test_msg(&req, 'E', NULL, 0);
	req.size = KMSG_MAX_BYTES + 1;
	assert_int_equal(kipc_call(s.cap, &req, &reply, 1000), KERR_TOO_BIG);
	req.size = 1;
	req.cap_count = KMSG_MAX_CAPS + 1;
	assert_int_equal(kipc_call(s.cap, &req, &reply, 1000), KERR_TOO_BIG);
	req.cap_count = 1;
	req.caps[0] = KCAP_INVALID;
	assert_int_equal(kipc_call(s.cap, &req, &reply, 1000), KERR_INVALID);
	req.cap_count = 0;
	assert_int_equal(kipc_call(KCAP_INVALID, &req, &reply, 1000),
	                 KERR_INVALID);
	assert_int_equal(kipc_call((kcap_t){ 0 }, &req, &reply, 1000),
	                 KERR_INVALID);
	assert_int_equal(kipc_call(s.cap, NULL, &reply, 1000), KERR_INVALID);
	/* None of these reached the server: only 'C' itself is counted. */
	assert_int_equal(test_server_count(s.cap), 1);
	test_server_stop(&s);
}

static void test_caps_both_directions(void **state)
{
	struct test_server s;
	kendpoint_t *mine;
	kcap_t my_cap;
	kmsg_t req, reply;

	test_server_spawn(&s);
	assert_int_equal(kendpoint_create(&mine, &my_cap), 0);

	/* Client to server and back: the same object comes home. */
	test_msg(&req, 'A', NULL, 0);
	req.caps[0] = my_cap;
	req.cap_count = 1;
	assert_int_equal(kipc_call(s.cap, &req, &reply, 5000), 0);
	assert_int_equal(reply.cap_count, 1);
	assert_int_not_equal(reply.caps[0].sel, my_cap.sel);
	assert_int_equal(kcap_same_object(reply.caps[0], my_cap), 1);
	assert_int_equal(kendpoint_owns(mine, reply.caps[0]), 1);
	assert_int_equal(kendpoint_owns(mine, s.cap), 0);
	assert_int_equal(kcap_same_object(reply.caps[0], s.cap), 0);
	kcap_close(reply.caps[0]);

	/* Server to client: a capability to a new object of the server. */
	assert_int_equal(test_call(s.cap, 'N', NULL, 0, &reply, 5000), 0);
	assert_int_equal(reply.cap_count, 1);
	kcap_t second = reply.caps[0];
	assert_int_equal(kcap_type(second), KCAP_TYPE_ENDPOINT);
	assert_int_equal(kcap_same_object(second, s.cap), 0);
	assert_int_equal(test_call(second, 'E', "two", 3, &reply, 5000), 0);
	assert_memory_equal(reply.data, "Etwo", 4);
	kcap_close(second);

	kendpoint_dissolve(mine);
	kcap_close(my_cap);
	test_server_stop(&s);
}

static void test_delegation_to_third_process(void **state)
{
	struct test_server b, c;
	kmsg_t req, reply;

	test_server_spawn(&b);
	test_server_spawn(&c);
	/* A (this process) gives B's capability to C; C calls B. */
	test_msg(&req, 'F', "Evia-c", 6);
	req.caps[0] = b.cap;
	req.cap_count = 1;
	assert_int_equal(kipc_call(c.cap, &req, &reply, 5000), 0);
	assert_int_equal(reply.size, 6);
	assert_memory_equal(reply.data, "Evia-c", 6);
	/* B served C's call and now this one. */
	assert_int_equal(test_server_count(b.cap), 2);
	test_server_stop(&c);
	test_server_stop(&b);
}

static void test_revoked_when_server_exits(void **state)
{
	struct test_server s;
	kmsg_t reply;

	test_server_spawn(&s);
	assert_int_equal(test_call(s.cap, 'E', "x", 1, &reply, -1), 0);
	/* The server dies while our call is pending. */
	assert_int_equal(test_call(s.cap, 'X', NULL, 0, &reply, -1),
	                 KERR_REVOKED);
	assert_int_equal(test_reap(s.pid, 10), 0);
	assert_int_equal(test_call(s.cap, 'E', "x", 1, &reply, -1),
	                 KERR_REVOKED);
	kcap_close(s.cap);

	/* Dead while idle: a thread with a cached channel and one without. */
	test_server_spawn(&s);
	assert_int_equal(test_call(s.cap, 'E', "x", 1, &reply, -1), 0);
	assert_int_equal(test_call(s.cap, 'Q', NULL, 0, &reply, -1), 0);
	assert_int_equal(test_reap(s.pid, 10), 0);
	assert_int_equal(test_call(s.cap, 'E', "x", 1, &reply, -1),
	                 KERR_REVOKED);
	kcap_close(s.cap);
}

static void test_revoked_when_dissolved(void **state)
{
	struct test_server s;
	kmsg_t reply;

	test_server_spawn(&s);
	assert_int_equal(test_call(s.cap, 'N', NULL, 0, &reply, 5000), 0);
	kcap_t second = reply.caps[0];
	assert_int_equal(test_call(second, 'E', "a", 1, &reply, 5000), 0);
	assert_int_equal(test_call(s.cap, 'D', NULL, 0, &reply, 5000), 0);
	assert_int_equal(test_call(second, 'E', "a", 1, &reply, -1),
	                 KERR_REVOKED);
	/* The first object lives on. */
	assert_int_equal(test_call(s.cap, 'E', "b", 1, &reply, 5000), 0);
	kcap_close(second);
	test_server_stop(&s);
}

static void test_dissolve_in_process(void **state)
{
	kendpoint_t *ep;
	kcap_t cap;
	kmsg_t reply;

	assert_int_equal(kendpoint_create(&ep, &cap), 0);
	kendpoint_dissolve(ep);
	assert_int_equal(test_call(cap, 'E', "a", 1, &reply, -1), KERR_REVOKED);
	kcap_close(cap);
}

/* Many callers: every reply must be the caller's own. */
#define CALLER_THREADS 8
#define CALLS_PER_THREAD 2000

struct caller {
	kcap_t cap;
	int id;
	int failures;
};

static void *caller_thread(void *arg)
{
	struct caller *c = arg;
	kmsg_t reply;
	char tag[32];

	for (int i = 0; i < CALLS_PER_THREAD; i++) {
		int len = snprintf(tag, sizeof tag, "%d/%d/%d", (int)getpid(),
		                   c->id, i);
		if (test_call(c->cap, 'E', tag, (uint32_t)len, &reply, 10000) ||
		    reply.size != (uint32_t)len + 1 ||
		    memcmp(reply.data + 1, tag, (size_t)len) != 0)
			c->failures++;
	}
	return NULL;
}

static int run_callers(kcap_t cap)
{
	struct caller callers[CALLER_THREADS];
	pthread_t threads[CALLER_THREADS];
	int failures = 0;

	for (int i = 0; i < CALLER_THREADS; i++) {
		callers[i] = (struct caller){ .cap = cap, .id = i };
		pthread_create(&threads[i], NULL, caller_thread, &callers[i]);
	}
	for (int i = 0; i < CALLER_THREADS; i++) {
		pthread_join(threads[i], NULL);
		failures += callers[i].failures;
	}
	return failures;
}

static void test_many_concurrent_callers(void **state)
{
	struct test_server s;
	pid_t pid[2];

	test_server_spawn(&s);
	for (int p = 0; p < 2; p++) {
		pid[p] = fork();
		assert_true(pid[p] >= 0);
		if (pid[p] == 0)
			_exit(run_callers(s.cap) ? 1 : 0);
	}
	for (int p = 0; p < 2; p++)
		assert_int_equal(test_reap(pid[p], 50), 0);
	assert_int_equal(test_server_count(s.cap),
	                 2 * CALLER_THREADS * CALLS_PER_THREAD + 1);
	test_server_stop(&s);
}

static void test_timeout_then_right_reply(void **state)
{
	struct test_server s;
	kmsg_t reply;
	uint32_t ms = 600;

	test_server_spawn(&s);
	assert_int_equal(test_call(s.cap, 'S', &ms, sizeof ms, &reply, 20),
	                 KERR_TIMEOUT);
	/* The late reply of the slow call must not be taken for this one. */
	assert_int_equal(test_call(s.cap, 'E', "after", 5, &reply, 5000), 0);
	assert_int_equal(reply.size, 6);
	assert_memory_equal(reply.data, "Eafter", 6);
	test_server_stop(&s);
}

/* An in-process server thread for what needs a look inside the server. */
struct local_server {
	kendpoint_t *ep;
	kcap_t cap;
	kthread_t *thread;
	atomic_int ready;
	int result;
	int drop_first;
};

static void local_server_main(void *arg)
{
	struct local_server *ls = arg;
	kwaitset_t *ws;
	kevent_t ev;
	static kmsg_t req;

	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kwaitset_add_endpoint(ws, ls->ep, ls), 0);
	atomic_store(&ls->ready, 1);
	for (;;) {
		ls->result = kwaitset_wait(ws, &ev, &req, 10000);
		if (ls->result != 0)
			break;
		assert_ptr_equal(ev.cookie, ls);
		if (ls->drop_first) {
			ls->drop_first = 0;
			kipc_reply_drop(ev.reply);
			continue;
		}
		assert_int_equal(kipc_reply(ev.reply, &req), 0);
		/* A second reply with a used token answers nobody. */
		assert_int_equal(kipc_reply(ev.reply, &req), 0);
	}
	kwaitset_destroy(ws);
}

static void local_server_start(struct local_server *ls, int drop_first)
{
	memset(ls, 0, sizeof *ls);
	ls->drop_first = drop_first;
	assert_int_equal(kendpoint_create(&ls->ep, &ls->cap), 0);
	assert_int_equal(kthread_create(&ls->thread, "server", 0,
	                                local_server_main, ls),
	                 0);
	while (!atomic_load(&ls->ready))
		usleep(1000);
}

static void local_server_end(struct local_server *ls)
{
	kthread_cancel_blocking(ls->thread);
	assert_int_equal(kthread_join(ls->thread), 0);
	assert_int_equal(ls->result, KERR_CANCELED);
	kendpoint_dissolve(ls->ep);
	kcap_close(ls->cap);
}

static void test_reply_drop_and_double_reply(void **state)
{
	struct local_server ls;
	kmsg_t reply;

	local_server_start(&ls, 1);
	assert_int_equal(test_call(ls.cap, 'E', "1", 1, &reply, 5000),
	                 KERR_REVOKED);
	/* The object is still there: the next call opens a new channel. */
	assert_int_equal(test_call(ls.cap, 'E', "2", 1, &reply, 5000), 0);
	assert_memory_equal(reply.data, "E2", 2);
	assert_int_equal(test_call(ls.cap, 'E', "3", 1, &reply, 5000), 0);
	assert_memory_equal(reply.data, "E3", 2);
	local_server_end(&ls);
}

/* Every holder of a capability shares its socket, so nothing a holder can
 * set on it may change what it names for the others: the kind is read
 * off the receive end, which only the creator holds. */
static void test_holder_cannot_change_the_kind(void **state)
{
	struct local_server ls;
	ksignal_source_t *src;
	kcap_t sig;
	kmsg_t reply;
	struct sockaddr_un any = { .sun_family = AF_UNIX };
	int signal_priority = 5, none = 0;

	local_server_start(&ls, 0);
	assert_int_equal(ksignal_source_create(&src, &sig), 0);
	assert_int_equal(setsockopt(ls.cap.sel, SOL_SOCKET, SO_PRIORITY,
	                            &signal_priority, sizeof signal_priority),
	                 0);
	assert_int_equal(bind(ls.cap.sel, (struct sockaddr *)&any,
	                      sizeof(sa_family_t)),
	                 0);
	assert_int_equal(setsockopt(sig.sel, SOL_SOCKET, SO_PRIORITY, &none,
	                            sizeof none),
	                 0);
	assert_int_equal(kcap_type(ls.cap), KCAP_TYPE_ENDPOINT);
	assert_int_equal(kcap_type(sig), KCAP_TYPE_SIGNAL);
	assert_int_equal(test_call(ls.cap, 'E', "k", 1, &reply, 5000), 0);
	assert_int_equal(ksignal_submit(sig, 1), 0);
	assert_int_equal(ksignal_submit(ls.cap, 1), KERR_WRONG_TYPE);
	assert_int_equal(test_call(sig, 'E', "k", 1, &reply, 5000),
	                 KERR_WRONG_TYPE);
	ksignal_source_destroy(src);
	kcap_close(sig);
	local_server_end(&ls);
}

static void test_cancel_waiting_server(void **state)
{
	struct local_server ls;
	kmsg_t reply;

	local_server_start(&ls, 0);
	assert_int_equal(test_call(ls.cap, 'E', "1", 1, &reply, 5000), 0);
	usleep(20000); /* the server is most likely in epoll_wait by now */
	/* local_server_end() asserts the wait returned KERR_CANCELED. */
	local_server_end(&ls);
}

static void test_waitset_belongs_to_its_thread(void **state)
{
	struct local_server ls;
	kwaitset_t *ws;
	kevent_t ev;
	kmsg_t msg;

	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kwaitset_wait(ws, &ev, &msg, 0), KERR_TIMEOUT);
	local_server_start(&ls, 0);
	/* An endpoint is in one waitset at most. */
	assert_int_equal(kwaitset_add_endpoint(ws, ls.ep, NULL), KERR_INVALID);
	local_server_end(&ls);
	kwaitset_destroy(ws);
}

static void wait_in_foreign_waitset(void *arg)
{
	kevent_t ev;
	kmsg_t msg;

	*(int *)arg = kwaitset_wait(*(kwaitset_t **)arg, &ev, &msg, 0);
}

static void test_waitset_refuses_other_threads(void **state)
{
	kwaitset_t *ws;
	kthread_t *t;
	union {
		kwaitset_t *ws;
		int result;
	} arg;

	assert_int_equal(kwaitset_create(&ws), 0);
	arg.ws = ws;
	assert_int_equal(kthread_create(&t, "other", 0, wait_in_foreign_waitset,
	                                &arg),
	                 0);
	assert_int_equal(kthread_join(t), 0);
	assert_int_equal(arg.result, KERR_DENIED);
	kwaitset_destroy(ws);
}

static void test_cap_operations(void **state)
{
	kendpoint_t *ep;
	kcap_t cap, copy;
	int pipefd[2];

	assert_int_equal(kendpoint_create(&ep, &cap), 0);
	assert_int_equal(kcap_type(cap), KCAP_TYPE_ENDPOINT);
	assert_int_equal(kcap_type(KCAP_INVALID), KCAP_TYPE_NONE);
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(kcap_type((kcap_t){ pipefd[0] }), KCAP_TYPE_NONE);
	assert_int_equal(kcap_copy((kcap_t){ pipefd[0] }, &copy), KERR_INVALID);
	close(pipefd[0]);
	close(pipefd[1]);

	assert_int_equal(kcap_copy(cap, &copy), 0);
	assert_int_not_equal(copy.sel, cap.sel);
	assert_int_equal(kcap_same_object(cap, copy), 1);
	assert_int_equal(kendpoint_owns(ep, copy), 1);
	kcap_close(cap);
	assert_int_equal(kcap_type(copy), KCAP_TYPE_ENDPOINT);
	assert_int_equal(kcap_same_object(copy, KCAP_INVALID), KERR_INVALID);
	kcap_close(KCAP_INVALID);
	kendpoint_dissolve(ep);
	kcap_close(copy);
}

static void test_selector_reuse_reaches_the_new_object(void **state)
{
	struct test_server a, b;
	kmsg_t reply;

	test_server_spawn(&a);
	test_server_spawn(&b);
	int sel = a.cap.sel;
	assert_int_equal(test_call(a.cap, 'E', "a", 1, &reply, 5000), 0);
	test_server_stop(&a);
	/* Put b's capability at the number a's had: this thread's cached
	 * channel to a must not be used for it. */
	assert_int_equal(dup2(b.cap.sel, sel), sel);
	kcap_t moved = { sel };
	assert_int_equal(test_call(moved, 'E', "b", 1, &reply, 5000), 0);
	assert_int_equal(test_server_count(b.cap), 2);
	kcap_close(moved);
	test_server_stop(&b);
}

static void test_fork_child_keeps_no_server_ends(void **state)
{
	struct local_server ls;
	kmsg_t reply;
	int hold[2];
	char byte;

	local_server_start(&ls, 0);
	assert_int_equal(test_call(ls.cap, 'E', "1", 1, &reply, 5000), 0);
	assert_int_equal(pipe(hold), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) { /* lives until the parent is done */
		close(hold[1]);
		_exit(read(hold[0], &byte, 1) == 0 ? 0 : 1);
	}
	close(hold[0]);
	kcap_t cap;
	assert_int_equal(kcap_copy(ls.cap, &cap), 0);
	local_server_end(&ls);
	/* Had the child inherited the endpoint's receive end or the
	 * channels, this would wait for the timeout instead. */
	assert_int_equal(test_call(cap, 'E', "2", 1, &reply, 3000),
	                 KERR_REVOKED);
	kcap_close(cap);
	close(hold[1]);
	assert_int_equal(test_reap(pid, 10), 0);
}

static void test_fork_child_calls_on_its_own_channel(void **state)
{
	struct test_server s;
	struct caller me = { .id = 99 };
	kmsg_t reply;

	test_server_spawn(&s);
	me.cap = s.cap;
	/* This thread has a channel to the server before the fork. */
	assert_int_equal(test_call(s.cap, 'E', "0", 1, &reply, 5000), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		caller_thread(&me);
		_exit(me.failures ? 1 : 0);
	}
	caller_thread(&me);
	assert_int_equal(me.failures, 0);
	assert_int_equal(test_reap(pid, 30), 0);
	test_server_stop(&s);
}

static uint32_t server_fds(kcap_t cap)
{
	kmsg_t reply;
	uint32_t fds;

	assert_int_equal(test_call(cap, 'K', NULL, 0, &reply, 5000), 0);
	memcpy(&fds, reply.data, sizeof fds);
	return fds;
}

static void test_closing_a_cap_closes_its_channel(void **state)
{
	struct test_server s;
	kmsg_t reply;
	kcap_t copy;

	test_server_spawn(&s);
	uint32_t baseline = server_fds(s.cap);
	/* A second selector has a channel of its own. */
	assert_int_equal(kcap_copy(s.cap, &copy), 0);
	assert_int_equal(test_call(copy, 'E', "c", 1, &reply, 5000), 0);
	assert_int_equal(server_fds(s.cap), baseline + 1);
	kcap_close(copy);
	/* The server closes its end once it sees ours go. */
	uint32_t now = server_fds(s.cap);
	for (int i = 0; i < 200 && now != baseline; i++) {
		usleep(10000);
		now = server_fds(s.cap);
	}
	assert_int_equal(now, baseline);
	test_server_stop(&s);
}

struct later_call {
	kcap_t cap;
	atomic_int go;
	int result;
};

static void call_when_told(void *arg)
{
	struct later_call *lc = arg;
	kmsg_t reply;

	while (!atomic_load(&lc->go))
		usleep(1000);
	lc->result = test_call(lc->cap, 'E', "later", 5, &reply, 10000);
}

static int serve_one(kwaitset_t *ws)
{
	kevent_t ev;
	static kmsg_t req;

	int err = kwaitset_wait(ws, &ev, &req, 10000);
	if (err == 0)
		err = kipc_reply(ev.reply, &req);
	return err;
}

static void test_endpoint_moves_between_waitsets(void **state)
{
	kendpoint_t *ep;
	kwaitset_t *ws;
	kthread_t *t;
	kcap_t cap;
	struct later_call lc = { .go = 0 };

	assert_int_equal(kendpoint_create(&ep, &cap), 0);
	assert_int_equal(kwaitset_create(&ws), 0);
	assert_int_equal(kwaitset_add_endpoint(ws, ep, NULL), 0);
	kwaitset_remove_endpoint(ws, ep);
	lc.cap = cap;
	assert_int_equal(kthread_create(&t, "later", 0, call_when_told, &lc),
	                 0);
	atomic_store(&lc.go, 1);
	/* Whether the call comes before or after, it is served once the
	 * endpoint is in a waitset again. */
	usleep(20000);
	assert_int_equal(kwaitset_add_endpoint(ws, ep, NULL), 0);
	assert_int_equal(serve_one(ws), 0);
	assert_int_equal(kthread_join(t), 0);
	assert_int_equal(lc.result, 0);
	kwaitset_destroy(ws);
	kendpoint_dissolve(ep);
	kcap_close(cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_call_rejects_bad_requests),
		cmocka_unit_test(test_caps_both_directions),
		cmocka_unit_test(test_delegation_to_third_process),
		cmocka_unit_test(test_revoked_when_server_exits),
		cmocka_unit_test(test_revoked_when_dissolved),
		cmocka_unit_test(test_dissolve_in_process),
		cmocka_unit_test(test_many_concurrent_callers),
		cmocka_unit_test(test_timeout_then_right_reply),
		cmocka_unit_test(test_reply_drop_and_double_reply),
		cmocka_unit_test(test_holder_cannot_change_the_kind),
		cmocka_unit_test(test_cancel_waiting_server),
		cmocka_unit_test(test_waitset_belongs_to_its_thread),
		cmocka_unit_test(test_waitset_refuses_other_threads),
		cmocka_unit_test(test_cap_operations),
		cmocka_unit_test(test_selector_reuse_reaches_the_new_object),
		cmocka_unit_test(test_fork_child_keeps_no_server_ends),
		cmocka_unit_test(test_fork_child_calls_on_its_own_channel),
		cmocka_unit_test(test_endpoint_moves_between_waitsets),
		cmocka_unit_test(test_closing_a_cap_closes_its_channel),
	};
	return cmocka_run_group_tests_name("kernel_ipc", tests, setup_alarm,
	                                   teardown_alarm);
}
