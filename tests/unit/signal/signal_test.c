/*
 * Tests of libruntime's signals (runtime/signal.h): counting is reliable
 * across processes (N submits arrive as a total of N, no more), one
 * receiver tells many contexts apart, polling and timeouts, revocation on
 * dissolve, the dispatcher that runs a handler on an entrypoint, and a
 * stream watched beside signals (one thread waits for both).
 * Every wait is bounded (timeouts, and an alarm for the whole suite).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <runtime/signal.h>
#include <runtime/stream.h>

#include "tcp_pair.h"

#define WAIT_MS 10000

/* Receives until `expected` submits arrived for `ctx`; returns the total. */
static uint32_t receive_total(signal_receiver_t *rx, signal_context_t *ctx,
                              uint32_t expected)
{
	uint32_t total = 0;
	signal_t sig;
	while (total < expected) {
		assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
		assert_ptr_equal(sig.context, ctx);
		assert_true(sig.count >= 1);
		total += sig.count;
	}
	return total;
}

static void test_counts_across_processes(void **state)
{
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t cap;
	signal_t sig;
	int status;
	pid_t pid;
	(void)state;
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &cap), 0);
	pid = fork();
	if (pid == 0) {
		signal_transmitter_t tx;
		int failures = 0;
		alarm(20);
		signal_transmitter_init(&tx, cap);
		for (int i = 0; i < 1000; i++)
			failures += signal_transmitter_submit(&tx, 1) != 0;
		failures += signal_transmitter_submit(&tx, 5) != 0;
		_exit(failures ? 1 : 0);
	}
	assert_int_equal(receive_total(rx, &ctx, 1005), 1005);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* exactly N: nothing more is pending */
	assert_int_equal(signal_receiver_poll(rx, &sig), KERR_TIMEOUT);
	kcap_close(cap);
	signal_receiver_destroy(rx);
}

static void test_one_receiver_many_contexts(void **state)
{
	signal_receiver_t *rx;
	signal_context_t a, b;
	kcap_t cap_a, cap_b;
	signal_transmitter_t tx_a, tx_b;
	uint32_t got_a = 0, got_b = 0;
	signal_t sig;
	(void)state;
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &a, &cap_a), 0);
	assert_int_equal(signal_receiver_manage(rx, &b, &cap_b), 0);
	signal_transmitter_init(&tx_a, cap_a);
	signal_transmitter_init(&tx_b, cap_b);
	assert_int_equal(signal_transmitter_submit(&tx_a, 3), 0);
	assert_int_equal(signal_transmitter_submit(&tx_b, 4), 0);
	assert_int_equal(signal_transmitter_submit(&tx_a, 2), 0);
	while (got_a + got_b < 9) {
		assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
		assert_true(sig.context == &a || sig.context == &b);
		*(sig.context == &a ? &got_a : &got_b) += sig.count;
	}
	assert_int_equal(got_a, 5);
	assert_int_equal(got_b, 4);
	assert_int_equal(signal_receiver_poll(rx, &sig), KERR_TIMEOUT);
	kcap_close(cap_a);
	kcap_close(cap_b);
	signal_receiver_destroy(rx);
}

static void test_poll_timeout_and_revocation(void **state)
{
	signal_receiver_t *rx;
	signal_context_t ctx;
	signal_transmitter_t tx;
	kcap_t cap;
	signal_t sig;
	(void)state;
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx, &cap), 0);
	assert_int_equal(signal_receiver_poll(rx, &sig), KERR_TIMEOUT);
	assert_int_equal(signal_receiver_wait(rx, &sig, 20), KERR_TIMEOUT);
	signal_transmitter_init(&tx, cap);
	assert_int_equal(signal_transmitter_submit(&tx, 0), KERR_INVALID);
	assert_int_equal(signal_transmitter_submit(&tx, 1), 0);
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_int_equal(sig.count, 1);
	signal_receiver_dissolve(rx, &ctx);
	assert_int_equal(signal_transmitter_submit(&tx, 1), KERR_REVOKED);
	kcap_close(cap);
	signal_receiver_destroy(rx);
}

/* A transmitter given a capability by set keeps its own copy: it still
 * submits after the caller closed theirs, a second set replaces it, and
 * release leaves it submitting to nothing. */
static void test_transmitter_keeps_its_own_copy(void **state)
{
	signal_receiver_t *rx;
	signal_context_t ctx_a, ctx_b;
	signal_transmitter_t tx = SIGNAL_TRANSMITTER_NONE;
	kcap_t cap_a, cap_b;
	signal_t sig;
	(void)state;
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx_a, &cap_a), 0);
	assert_int_equal(signal_receiver_manage(rx, &ctx_b, &cap_b), 0);
	assert_false(signal_transmitter_valid(&tx));
	assert_int_equal(signal_transmitter_submit(&tx, 1), KERR_INVALID);
	assert_int_equal(signal_transmitter_set(&tx, KCAP_INVALID),
	                 KERR_INVALID);
	assert_int_equal(signal_transmitter_set(&tx, cap_a), 0);
	kcap_close(cap_a);
	assert_int_equal(signal_transmitter_submit(&tx, 2), 0);
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_ptr_equal(sig.context, &ctx_a);
	assert_int_equal(sig.count, 2);
	assert_int_equal(signal_transmitter_set(&tx, cap_b), 0);
	kcap_close(cap_b);
	assert_int_equal(signal_transmitter_submit(&tx, 1), 0);
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_ptr_equal(sig.context, &ctx_b);
	signal_transmitter_release(&tx);
	assert_false(signal_transmitter_valid(&tx));
	assert_int_equal(signal_transmitter_submit(&tx, 1), KERR_INVALID);
	signal_receiver_destroy(rx);
}

/* --- dispatcher on an entrypoint --------------------------------------- */

struct tally {
	signal_dispatcher_t d;
	atomic_uint total;
	kthread_t *waiter;
	kthread_t *_Atomic handler_thread;
};

static void count_signals(signal_dispatcher_t *d, uint32_t count)
{
	struct tally *t = (struct tally *)d;
	atomic_store(&t->handler_thread, kthread_self());
	atomic_fetch_add(&t->total, count);
	kthread_unpark(t->waiter);
}

struct submitter {
	kcap_t cap;
	int failures;
};

static void submit_many(void *arg)
{
	struct submitter *s = arg;
	signal_transmitter_t tx;
	signal_transmitter_init(&tx, s->cap);
	for (int i = 0; i < 200; i++)
		s->failures += signal_transmitter_submit(&tx, 1) != 0;
}

static void test_dispatcher_runs_handler_on_entrypoint(void **state)
{
	struct tally t = { .waiter = kthread_self() };
	struct submitter subs[3];
	kthread_t *threads[3];
	entrypoint_t *ep;
	kcap_t cap;
	(void)state;
	atomic_init(&t.total, 0);
	atomic_init(&t.handler_thread, NULL);
	assert_int_equal(entrypoint_create(&ep, "signals"), 0);
	assert_int_equal(signal_dispatcher_init(&t.d, ep, count_signals, &cap),
	                 0);
	for (int i = 0; i < 3; i++) {
		subs[i] = (struct submitter){ .cap = cap };
		assert_int_equal(kthread_create(&threads[i], "submit", 0,
		                                submit_many, &subs[i]),
		                 0);
	}
	for (int i = 0; i < 3; i++) {
		kthread_join(threads[i]);
		assert_int_equal(subs[i].failures, 0);
	}
	for (uint32_t ticket = kthread_park_ticket();
	     atomic_load(&t.total) < 600; ticket = kthread_park_ticket())
		if (atomic_load(&t.total) < 600)
			kthread_park(ticket);
	assert_int_equal(atomic_load(&t.total), 600);
	assert_non_null(atomic_load(&t.handler_thread));
	assert_ptr_not_equal(atomic_load(&t.handler_thread), kthread_self());
	signal_dispatcher_dissolve(&t.d);
	signal_transmitter_t tx;
	signal_transmitter_init(&tx, cap);
	assert_int_equal(signal_transmitter_submit(&tx, 1), KERR_REVOKED);
	kcap_close(cap);
	entrypoint_destroy(ep);
	assert_int_equal(atomic_load(&t.total), 600);
}

/* One wait for a stream and a signal: each wakes it as its own context,
 * the stream for as long as it has bytes (and at its end), nothing while
 * both are quiet, nothing after the stream is unwatched. */
static void test_stream_beside_signals(void **state)
{
	signal_receiver_t *rx;
	signal_context_t wake, readable;
	kcap_t wake_cap, stream, other = { .sel = -1 };
	int sv[2];
	char buf[8];
	signal_t sig;
	(void)state;
	tcp_pair(sv);
	stream.sel = sv[0];
	assert_int_equal(signal_receiver_create(&rx), 0);
	assert_int_equal(signal_receiver_manage(rx, &wake, &wake_cap), 0);
	assert_int_equal(signal_receiver_watch_stream(rx, &readable, stream),
	                 0);
	assert_int_equal(signal_receiver_watch_stream(rx, &readable, wake_cap),
	                 KERR_WRONG_TYPE);
	assert_int_equal(signal_receiver_watch_stream(rx, &readable, other),
	                 KERR_WRONG_TYPE);

	assert_int_equal(signal_receiver_wait(rx, &sig, 50), KERR_TIMEOUT);
	assert_int_equal(signal_submit(wake_cap, 1), 0);
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_ptr_equal(sig.context, &wake);

	assert_int_equal(write(sv[1], "hi", 2), 2);
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_ptr_equal(sig.context, &readable);
	assert_int_equal(sig.count, 1);
	/* reported while unread, gone once read */
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_ptr_equal(sig.context, &readable);
	assert_int_equal(stream_read(stream, buf, sizeof buf, 0), 2);
	assert_int_equal(signal_receiver_wait(rx, &sig, 50), KERR_TIMEOUT);

	/* the peer's end is reported too; the read says it */
	close(sv[1]);
	assert_int_equal(signal_receiver_wait(rx, &sig, WAIT_MS), 0);
	assert_ptr_equal(sig.context, &readable);
	assert_int_equal(stream_read(stream, buf, sizeof buf, 0), 0);

	signal_receiver_unwatch_stream(rx, stream);
	assert_int_equal(signal_receiver_wait(rx, &sig, 50), KERR_TIMEOUT);
	close(sv[0]);
	kcap_close(wake_cap);
	signal_receiver_destroy(rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_across_processes),
		cmocka_unit_test(test_one_receiver_many_contexts),
		cmocka_unit_test(test_poll_timeout_and_revocation),
		cmocka_unit_test(test_transmitter_keeps_its_own_copy),
		cmocka_unit_test(test_dispatcher_runs_handler_on_entrypoint),
		cmocka_unit_test(test_stream_beside_signals),
	};
	alarm(60);
	return cmocka_run_group_tests_name("signal", tests, NULL, NULL);
}
