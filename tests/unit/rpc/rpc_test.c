/*
 * Multi-process tests of libruntime's RPC: generated stubs calling a
 * counter server (counter_server.c) in another process through its
 * entrypoint. Capabilities go both ways, are delegated to a third process,
 * are revoked by dissolve and by the death of the server; many threads in
 * several processes call at once; declared errors come back as codes.
 * Every child process has an alarm and the suite one of its own, so a bug
 * fails a test instead of hanging it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <runtime/signal.h>

#include "counter_server.h"
#include "test_proc.h"

struct fixture {
	pid_t pid;
	kcap_t cap;
};

static int setup_server(void **state)
{
	static struct fixture f;
	if (spawn_counter_server(&f.pid, &f.cap))
		return -1;
	*state = &f;
	return 0;
}

static int teardown_server(void **state)
{
	struct fixture *f = *state;
	stop_child(f->pid);
	kcap_close(f->cap);
	return 0;
}

static void test_calls_and_declared_errors(void **state)
{
	struct fixture *f = *state;
	uint64_t total = 0, value = 0;
	assert_int_equal(counter_add(f->cap, 40, &total), 0);
	assert_int_equal(total, 40);
	assert_int_equal(counter_add(f->cap, 2, &total), 0);
	assert_int_equal(counter_get(f->cap, &value), 0);
	assert_int_equal(value, 42);
	/* a declared error leaves the counter and the out-value alone */
	total = 7;
	assert_int_equal(counter_add(f->cap, UINT64_MAX, &total),
	                 COUNTER_ERR_OVERFLOW);
	assert_int_equal(total, 7);
	assert_string_equal(rpc_strerror(&counter_rpc, COUNTER_ERR_OVERFLOW),
	                    "the total would exceed 2^64 - 1");
	assert_int_equal(counter_get(f->cap, &value), 0);
	assert_int_equal(value, 42);
}

static void test_strings_buffers_scalars(void **state)
{
	struct fixture *f = *state;
	char echoed[COUNTER_ECHO_STRING_ECHOED_MAX + 1];
	char too_long[COUNTER_ECHO_STRING_TEXT_MAX + 2];
	uint8_t data[COUNTER_ECHO_BUFFER_DATA_MAX],
		back[COUNTER_ECHO_BUFFER_ECHOED_MAX];
	uint32_t back_len = 0;
	uint8_t ra;
	uint16_t rb;
	uint32_t rc;
	int32_t rd;
	int64_t re;
	bool rf;

	assert_int_equal(counter_echo_string(f->cap, "hello, world", echoed),
	                 0);
	assert_string_equal(echoed, "hello, world");
	assert_int_equal(counter_echo_string(f->cap, "", echoed),
	                 COUNTER_ERR_EMPTY);
	memset(too_long, 'x', sizeof too_long - 1);
	too_long[sizeof too_long - 1] = 0;
	assert_int_equal(counter_echo_string(f->cap, too_long, echoed),
	                 RPC_ERR_BAD_ARGUMENT);
	too_long[COUNTER_ECHO_STRING_TEXT_MAX] = 0; /* exactly the bound */
	assert_int_equal(counter_echo_string(f->cap, too_long, echoed), 0);
	assert_string_equal(echoed, too_long);

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7);
	assert_int_equal(counter_echo_buffer(f->cap, data, sizeof data, back,
	                                     &back_len),
	                 0);
	assert_int_equal(back_len, sizeof data);
	assert_memory_equal(back, data, sizeof data);
	assert_int_equal(counter_echo_buffer(f->cap, data, 0, back, &back_len),
	                 COUNTER_ERR_EMPTY);
	assert_int_equal(counter_echo_buffer(f->cap, data, sizeof data + 1,
	                                     back, &back_len),
	                 RPC_ERR_BAD_ARGUMENT);

	assert_int_equal(counter_scalars(f->cap, 0x0f, 0xfffe, 0xfffffffe,
	                                 INT32_MIN + 1, INT64_MIN + 1, false,
	                                 &ra, &rb, &rc, &rd, &re, &rf),
	                 0);
	assert_int_equal(ra, 0xf0);
	assert_int_equal(rb, 0xffff);
	assert_int_equal(rc, 0xffffffffu);
	assert_int_equal(rd, INT32_MAX);
	assert_true(re == INT64_MAX);
	assert_true(rf);
}

static void test_capabilities_both_ways(void **state)
{
	struct fixture *f = *state;
	kcap_t made = KCAP_INVALID, fetched = KCAP_INVALID;
	uint64_t total = 0, value = 0;
	bool mine = false;

	/* out: a new object of the server */
	assert_int_equal(counter_make(f->cap, &made), 0);
	assert_true(kcap_valid(made));
	assert_int_equal(kcap_type(made), KCAP_TYPE_ENDPOINT);
	assert_int_equal(counter_add(made, 5, &total), 0);
	assert_int_equal(total, 5);
	/* in: the server recognises its own object handed back to it */
	assert_int_equal(counter_is_mine(f->cap, made, &mine, &value), 0);
	assert_true(mine);
	assert_int_equal(value, 5);
	/* in, then out again: the same object comes back as a new selector */
	assert_int_equal(counter_store(f->cap, made), 0);
	assert_int_equal(counter_fetch(f->cap, &fetched), 0);
	assert_int_not_equal(fetched.sel, made.sel);
	assert_true(kcap_same_object(fetched, made));
	assert_int_equal(counter_get(fetched, &value), 0);
	assert_int_equal(value, 5);
	/* a lent capability handed straight back */
	kcap_close(fetched);
	assert_int_equal(counter_reflect(f->cap, made, &fetched), 0);
	assert_true(kcap_same_object(fetched, made));
	kcap_close(fetched);
	assert_int_equal(counter_reflect(f->cap, KCAP_INVALID, &fetched), 0);
	assert_false(kcap_valid(fetched));
	/* no capability where one is needed: a declared error */
	assert_int_equal(counter_store(f->cap, KCAP_INVALID),
	                 COUNTER_ERR_NO_CAPABILITY);
	kcap_close(fetched);
	kcap_close(made);
}

static void test_foreign_capability_is_not_mine(void **state)
{
	struct fixture *f = *state;
	pid_t other_pid;
	kcap_t other;
	bool mine = true;
	uint64_t value = 1;
	assert_int_equal(spawn_counter_server(&other_pid, &other), 0);
	assert_int_equal(counter_is_mine(f->cap, other, &mine, &value), 0);
	assert_false(mine);
	assert_int_equal(counter_destroy(f->cap, other), COUNTER_ERR_NOT_MINE);
	assert_int_equal(counter_destroy(f->cap, f->cap), COUNTER_ERR_NOT_MINE);
	stop_child(other_pid);
	kcap_close(other);
}

static void test_revocation_on_dissolve(void **state)
{
	struct fixture *f = *state;
	kcap_t made, copy;
	uint64_t value;
	assert_int_equal(counter_make(f->cap, &made), 0);
	assert_int_equal(kcap_copy(made, &copy), 0);
	assert_int_equal(counter_get(made, &value), 0);
	assert_int_equal(counter_destroy(f->cap, made), 0);
	/* every copy is revoked, the call fails cleanly, the server lives on */
	assert_int_equal(counter_get(made, &value), KERR_REVOKED);
	assert_int_equal(counter_get(copy, &value), KERR_REVOKED);
	assert_int_equal(counter_get(f->cap, &value), 0);
	kcap_close(made);
	kcap_close(copy);
}

/* --- delegation: server A's object reaches process C through server B -- */

struct delegation {
	kcap_t mailbox; /* a counter of server B */
};

static int fetch_and_add(void *arg)
{
	struct delegation *d = arg;
	kcap_t got = KCAP_INVALID;
	uint64_t total = 0;
	if (counter_fetch(d->mailbox, &got) != 0)
		return 1;
	if (counter_add(got, 9, &total) != 0 || total != 9)
		return 2;
	kcap_close(got);
	return 0;
}

static void test_delegation_to_third_process(void **state)
{
	struct fixture *f = *state;
	struct delegation d;
	pid_t b_pid;
	kcap_t made;
	uint64_t value = 0;
	assert_int_equal(spawn_counter_server(&b_pid, &d.mailbox), 0);
	assert_int_equal(counter_make(f->cap, &made), 0);
	assert_int_equal(counter_store(d.mailbox, made), 0);
	kcap_close(made); /* only B holds the object now */
	assert_int_equal(run_in_child(fetch_and_add, &d), 0);
	/* the third process's call reached server A's object */
	assert_int_equal(counter_fetch(d.mailbox, &made), 0);
	assert_int_equal(counter_get(made, &value), 0);
	assert_int_equal(value, 9);
	kcap_close(made);
	stop_child(b_pid);
	kcap_close(d.mailbox);
}

/* --- revocation when the server dies ----------------------------------- */

static void test_revocation_on_server_exit(void **state)
{
	pid_t pid;
	kcap_t cap, made;
	uint64_t value;
	(void)state;
	assert_int_equal(spawn_counter_server(&pid, &cap), 0);
	assert_int_equal(counter_make(cap, &made), 0);
	assert_int_equal(counter_get(cap, &value), 0);
	stop_child(pid);
	assert_int_equal(counter_get(cap, &value), KERR_REVOKED);
	assert_int_equal(counter_get(made, &value), KERR_REVOKED);
	assert_int_equal(counter_add(cap, 1, &value), KERR_REVOKED);
	kcap_close(cap);
	kcap_close(made);
}

/* A call pending in another process when the server dies returns. */
struct stalled {
	kcap_t server;
	kcap_t started;
};

static int call_stall(void *arg)
{
	struct stalled *s = arg;
	return counter_stall(s->server, s->started) == KERR_REVOKED ? 0 : 1;
}

static void test_revocation_while_call_pending(void **state)
{
	struct stalled s;
	signal_receiver_t *rx;
	signal_context_t ctx;
	signal_t sig;
	pid_t server, caller;
	(void)state;
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &s.started), 0);
	assert_int_equal(spawn_counter_server(&server, &s.server), 0);
	caller = start_child(call_stall, &s);
	/* the server got the call and will never answer it */
	assert_int_equal(signal_receiver_wait(rx, &sig, 10000), 0);
	stop_child(server);
	assert_int_equal(wait_child(caller), 0);
	kcap_close(s.server);
	kcap_close(s.started);
	signal_receiver_destroy(rx);
}

/* --- many callers: threads in several processes ------------------------ */

#define CALLER_PROCESSES 3
#define CALLER_THREADS   4
#define CALLS_PER_THREAD 150

struct caller {
	kcap_t cap;
	int failures;
};

static void call_many(void *arg)
{
	struct caller *c = arg;
	uint64_t total;
	char echoed[COUNTER_ECHO_STRING_ECHOED_MAX + 1];
	for (int i = 0; i < CALLS_PER_THREAD; i++) {
		if (counter_add(c->cap, 1, &total) != 0)
			c->failures++;
		if (i % 10 == 0 &&
		    (counter_echo_string(c->cap, "x", echoed) != 0 ||
		     strcmp(echoed, "x") != 0))
			c->failures++;
	}
}

static int caller_process(void *arg)
{
	kcap_t cap = *(kcap_t *)arg;
	struct caller callers[CALLER_THREADS];
	kthread_t *threads[CALLER_THREADS];
	int failures = 0;
	for (int i = 0; i < CALLER_THREADS; i++) {
		callers[i] = (struct caller){ .cap = cap };
		if (kthread_create(&threads[i], "caller", 0, call_many,
		                   &callers[i]))
			return 1;
	}
	for (int i = 0; i < CALLER_THREADS; i++) {
		kthread_join(threads[i]);
		failures += callers[i].failures;
	}
	return failures ? 2 : 0;
}

static void test_concurrent_callers(void **state)
{
	struct fixture *f = *state;
	pid_t pids[CALLER_PROCESSES];
	uint64_t before = 0, after = 0;
	assert_int_equal(counter_get(f->cap, &before), 0);
	for (int i = 0; i < CALLER_PROCESSES; i++)
		pids[i] = start_child(caller_process, &f->cap);
	for (int i = 0; i < CALLER_PROCESSES; i++)
		assert_int_equal(wait_child(pids[i]), 0);
	assert_int_equal(counter_get(f->cap, &after), 0);
	assert_int_equal(after - before,
	                 CALLER_PROCESSES * CALLER_THREADS * CALLS_PER_THREAD);
}

static void test_wrong_kind_of_capability(void **state)
{
	ksignal_source_t *src;
	kcap_t signal_cap;
	uint64_t value;
	(void)state;
	assert_int_equal(ksignal_source_create(&src, &signal_cap), 0);
	assert_true(counter_get(signal_cap, &value) < 0);
	assert_true(counter_get(KCAP_INVALID, &value) < 0);
	ksignal_source_destroy(src);
	kcap_close(signal_cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calls_and_declared_errors),
		cmocka_unit_test(test_strings_buffers_scalars),
		cmocka_unit_test(test_capabilities_both_ways),
		cmocka_unit_test(test_foreign_capability_is_not_mine),
		cmocka_unit_test(test_revocation_on_dissolve),
		cmocka_unit_test(test_delegation_to_third_process),
		cmocka_unit_test(test_concurrent_callers),
		cmocka_unit_test(test_revocation_on_server_exit),
		cmocka_unit_test(test_revocation_while_call_pending),
		cmocka_unit_test(test_wrong_kind_of_capability),
	};
	alarm(120);
	return cmocka_run_group_tests_name("rpc", tests, setup_server,
	                                   teardown_server);
}
