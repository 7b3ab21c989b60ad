/*
 * Unit tests of the thread part of the kernel interface on Linux: thread
 * creation and join, stack size, kthread_self() on foreign threads,
 * park/unpark without lost wake-ups, unpark of a thread that is gone
 * (which ASan would catch touching freed memory), cancellation of a
 * parked thread,
 * pinning, the clock and kerr_str(). Every test that could hang on a bug
 * runs under alarm(), so a lost wake-up fails the suite instead of
 * stalling it.
 */
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/kernel.h"

static void set_flag(void *arg)
{
	atomic_store((atomic_int *)arg, 1);
}

static void test_create_join(void **state)
{
	atomic_int ran = 0;
	kthread_t *t = NULL;

	assert_int_equal(kthread_create(&t, "worker-one", 0, set_flag, &ran),
	                 0);
	assert_string_equal(kthread_name(t), "worker-one");
	assert_int_equal(kthread_join(t), 0);
	assert_int_equal(atomic_load(&ran), 1);
}

static void test_create_rejects_bad_arguments(void **state)
{
	kthread_t *t = NULL;

	assert_int_equal(kthread_create(&t, "x", 0, NULL, NULL), KERR_INVALID);
	assert_null(t);
	assert_int_equal(kthread_create(NULL, "x", 0, set_flag, NULL),
	                 KERR_INVALID);
	assert_int_equal(kthread_join(NULL), KERR_INVALID);
	/* A thread kthread_create() did not start cannot be joined. */
	assert_int_equal(kthread_join(kthread_self()), KERR_INVALID);
}

static void record_stack_size(void *arg)
{
	pthread_attr_t attr;

	assert_int_equal(pthread_getattr_np(pthread_self(), &attr), 0);
	assert_int_equal(pthread_attr_getstacksize(&attr, (size_t *)arg), 0);
	pthread_attr_destroy(&attr);
}

static void test_stack_size_honoured(void **state)
{
	size_t wanted = 8u << 20, small = 256u << 10, got = 0;
	kthread_t *t;

	assert_int_equal(kthread_create(&t, "big", wanted, record_stack_size,
	                                &got),
	                 0);
	assert_int_equal(kthread_join(t), 0);
	assert_true(got >= wanted);

	assert_int_equal(kthread_create(&t, "small", small, record_stack_size,
	                                &got),
	                 0);
	assert_int_equal(kthread_join(t), 0);
	assert_true(got >= small);
	assert_true(got < wanted);
}

static void *foreign_self(void *arg)
{
	kthread_t *a = kthread_self(), *b = kthread_self();

	*(int *)arg = a != NULL && a == b;
	return NULL;
}

static void test_self_on_foreign_threads(void **state)
{
	int same = 0;
	pthread_t p;

	assert_non_null(kthread_self());
	assert_ptr_equal(kthread_self(), kthread_self());
	assert_int_equal(pthread_create(&p, NULL, foreign_self, &same), 0);
	assert_int_equal(pthread_join(p, NULL), 0);
	assert_int_equal(same, 1);
}

static void *foreign_record(void *arg)
{
	*(kthread_t **)arg = kthread_self();
	return NULL;
}

/* Parks until *arg is set; a spurious wake-up only makes it look again. */
static void park_until_set(void *arg)
{
	atomic_int *flag = arg;
	uint32_t ticket = kthread_park_ticket();

	while (!atomic_load(flag)) {
		kthread_park(ticket);
		ticket = kthread_park_ticket();
	}
}

/* A waker may unpark a thread that has been joined meanwhile: the
 * record is still valid memory (under ASan a use after free would abort
 * the test), and a later thread that took it over only sees a spurious
 * wake-up. */
static void test_unpark_after_join_is_harmless(void **state)
{
	atomic_int flag = 0;
	kthread_t *gone, *next;

	(void)state;
	alarm(10);
	assert_int_equal(kthread_create(&gone, "gone", 0, set_flag, &flag), 0);
	assert_int_equal(kthread_join(gone), 0);
	kthread_unpark(gone);

	atomic_store(&flag, 0);
	assert_int_equal(kthread_create(&next, "next", 0, park_until_set,
	                                &flag),
	                 0);
	kthread_unpark(gone); /* perhaps the record `next` now uses */
	atomic_store(&flag, 1);
	kthread_unpark(next);
	assert_int_equal(kthread_join(next), 0);
	alarm(0);
}

/* The same for a thread that kthread_create() did not start: its record
 * outlives it too. */
static void test_unpark_after_foreign_exit_is_harmless(void **state)
{
	kthread_t *record = NULL;
	pthread_t p;

	(void)state;
	assert_int_equal(pthread_create(&p, NULL, foreign_record, &record), 0);
	assert_int_equal(pthread_join(p, NULL), 0);
	assert_non_null(record);
	kthread_unpark(record);
}

/* Two threads hand a token back and forth; each parks until it is its
 * turn. A lost wake-up leaves both parked and the alarm fires. */
#define PINGPONG_ROUNDS 20000

struct pingpong {
	atomic_int turn; /* 0: main's turn, 1: the partner's */
	kthread_t *threads[2];
	atomic_int ready;
};

static void wait_turn(struct pingpong *pp, int me)
{
	uint32_t ticket = kthread_park_ticket();

	while (atomic_load(&pp->turn) != me) {
		assert_int_equal(kthread_park(ticket) == KERR_CANCELED, 0);
		ticket = kthread_park_ticket();
	}
}

static void play(struct pingpong *pp, int me)
{
	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		wait_turn(pp, me);
		atomic_store(&pp->turn, !me);
		kthread_unpark(pp->threads[!me]);
	}
}

static void partner(void *arg)
{
	struct pingpong *pp = arg;

	while (!atomic_load(&pp->ready))
		sched_yield();
	play(pp, 1);
}

static void test_park_unpark_no_lost_wakeup(void **state)
{
	struct pingpong pp = { .turn = 0, .ready = 0 };

	alarm(20);
	pp.threads[0] = kthread_self();
	assert_int_equal(kthread_create(&pp.threads[1], "partner", 0, partner,
	                                &pp),
	                 0);
	atomic_store(&pp.ready, 1);
	play(&pp, 0);
	assert_int_equal(kthread_join(pp.threads[1]), 0);
	alarm(0);
}

static void test_unpark_before_park_is_kept(void **state)
{
	uint32_t ticket = kthread_park_ticket();

	kthread_unpark(kthread_self());
	/* Would sleep for ever if the earlier unpark had been lost. */
	alarm(5);
	assert_int_equal(kthread_park(ticket), 0);
	alarm(0);
	assert_int_not_equal(kthread_park_ticket(), ticket);
}

struct parker {
	atomic_int parked;
	int result;
};

static void park_until_canceled(void *arg)
{
	struct parker *p = arg;
	uint32_t ticket = kthread_park_ticket();

	atomic_store(&p->parked, 1);
	for (;;) { /* the condition never comes true: only cancel ends it */
		int err = kthread_park(ticket);
		if (err != 0) {
			p->result = err;
			return;
		}
		ticket = kthread_park_ticket();
	}
}

static void test_cancel_parked_thread(void **state)
{
	struct parker p = { .parked = 0, .result = 0 };
	kthread_t *t;

	alarm(10);
	assert_int_equal(kthread_create(&t, "parker", 0, park_until_canceled,
	                                &p),
	                 0);
	while (!atomic_load(&p.parked))
		sched_yield();
	usleep(10000); /* most likely inside the futex wait by now */
	kthread_cancel_blocking(t);
	assert_int_equal(kthread_join(t), 0);
	assert_int_equal(p.result, KERR_CANCELED);
	alarm(0);
}

static void test_cancel_is_consumed_once(void **state)
{
	uint32_t ticket = kthread_park_ticket();

	alarm(5);
	kthread_cancel_blocking(kthread_self());
	assert_int_equal(kthread_park(ticket), KERR_CANCELED);
	/* The cancel's unpark moved the ticket on: parking on the old ticket
	 * returns at once, and it must not report the cancel a second time. */
	assert_int_equal(kthread_park(ticket), 0);
	alarm(0);
}

static void test_pin(void **state)
{
	cpu_set_t saved;

	assert_int_equal(sched_getaffinity(0, sizeof saved, &saved), 0);
	unsigned cpu = 0;
	while (!CPU_ISSET(cpu, &saved))
		cpu++;
	assert_int_equal(kthread_pin(cpu), 0);
	assert_int_equal(sched_getcpu(), (int)cpu);
	assert_int_equal(kthread_pin(CPU_SETSIZE + 1), KERR_INVALID);
	assert_int_equal(sched_setaffinity(0, sizeof saved, &saved), 0);
}

static void test_clock_is_monotonic(void **state)
{
	uint64_t a = kclock_ns();
	struct timespec ms = { 0, 2000000 };

	nanosleep(&ms, NULL);
	uint64_t b = kclock_ns();
	assert_true(b >= a + 2000000);
}

static void test_kerr_str(void **state)
{
	const int all[] = { KERR_OK,      KERR_INVALID,   KERR_REVOKED,
		            KERR_NOMEM,   KERR_TIMEOUT,   KERR_CANCELED,
		            KERR_TOO_BIG, KERR_MALFORMED, KERR_WRONG_TYPE,
		            KERR_DENIED };
	const size_t n = sizeof all / sizeof all[0];

	for (size_t i = 0; i < n; i++) {
		assert_non_null(kerr_str(all[i]));
		assert_string_not_equal(kerr_str(all[i]),
		                        "unknown kernel error");
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(kerr_str(all[i]),
			                        kerr_str(all[j]));
	}
	assert_string_equal(kerr_str(-100), "unknown kernel error");
	assert_string_equal(kerr_str(3), "unknown kernel error");
	assert_string_equal(kerr_str(INT_MIN), "unknown kernel error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_join),
		cmocka_unit_test(test_create_rejects_bad_arguments),
		cmocka_unit_test(test_stack_size_honoured),
		cmocka_unit_test(test_self_on_foreign_threads),
		cmocka_unit_test(test_park_unpark_no_lost_wakeup),
		cmocka_unit_test(test_unpark_before_park_is_kept),
		cmocka_unit_test(test_unpark_after_join_is_harmless),
		cmocka_unit_test(test_unpark_after_foreign_exit_is_harmless),
		cmocka_unit_test(test_cancel_parked_thread),
		cmocka_unit_test(test_cancel_is_consumed_once),
		cmocka_unit_test(test_pin),
		cmocka_unit_test(test_clock_is_monotonic),
		cmocka_unit_test(test_kerr_str),
	};
	return cmocka_run_group_tests_name("kernel_thread", tests, NULL, NULL);
}
