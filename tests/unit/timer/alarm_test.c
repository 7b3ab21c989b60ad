/*
 * Tests of the timer component's alarm clock (pkg/timer/alarm.h): a
 * one-shot alarm signals once, a periodic one keeps signalling, a re-armed
 * alarm follows its new setting, and arming with 0 ms disarms. Waiting has
 * a generous guard only so that a broken clock fails instead of hanging;
 * nothing here asserts how long anything took.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <runtime/signal.h>

#include "alarm.h"

#define GUARD_MS 20000

struct fixture {
	struct alarm_clock clock;
	struct alarm alarm;
	signal_receiver_t *rx;
	signal_context_t ctx;
	kcap_t sig;
};

static int setup(void **state)
{
	static struct fixture f;
	static int clock_started;

	/* The clock thread runs for the whole program, as in the component. */
	if (!clock_started) {
		assert_int_equal(alarm_clock_start(&f.clock), 0);
		clock_started = 1;
	}
	alarm_add(&f.clock, &f.alarm);
	assert_int_equal(signal_receiver_create(&f.rx), 0);
	assert_int_equal(signal_receiver_manage(f.rx, &f.ctx, &f.sig), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	alarm_remove(&f->clock, &f->alarm);
	kcap_close(f->sig);
	signal_receiver_destroy(f->rx);
	return 0;
}

static void test_once_signals_once(void **state)
{
	struct fixture *f = *state;
	signal_t got;

	assert_int_equal(alarm_set_signal(&f->clock, &f->alarm, f->sig), 0);
	alarm_arm(&f->clock, &f->alarm, 1, false);
	assert_int_equal(signal_receiver_wait(f->rx, &got, GUARD_MS), 0);
	assert_ptr_equal(got.context, &f->ctx);
	assert_int_equal(got.count, 1);
	/* it went off and is disarmed: the clock keeps it no longer armed */
	lock_acquire(&f->clock.lock);
	assert_false(f->alarm.armed);
	lock_release(&f->clock.lock);
}

static void test_periodic_keeps_signalling(void **state)
{
	struct fixture *f = *state;
	signal_t got;
	uint32_t total = 0;

	assert_int_equal(alarm_set_signal(&f->clock, &f->alarm, f->sig), 0);
	alarm_arm(&f->clock, &f->alarm, 1, true);
	while (total < 3) {
		assert_int_equal(signal_receiver_wait(f->rx, &got, GUARD_MS),
		                 0);
		total += got.count;
	}
	lock_acquire(&f->clock.lock);
	assert_true(f->alarm.armed);
	assert_int_equal(f->alarm.period_ns, 1000000u);
	lock_release(&f->clock.lock);
	alarm_arm(&f->clock, &f->alarm, 0, true);
	lock_acquire(&f->clock.lock);
	assert_false(f->alarm.armed);
	lock_release(&f->clock.lock);
}

static void test_rearm_replaces_the_setting(void **state)
{
	struct fixture *f = *state;
	signal_t got;

	assert_int_equal(alarm_set_signal(&f->clock, &f->alarm, f->sig), 0);
	/* far away first, then soon: the soon one is what counts */
	alarm_arm(&f->clock, &f->alarm, 3600 * 1000, false);
	alarm_arm(&f->clock, &f->alarm, 1, false);
	assert_int_equal(signal_receiver_wait(f->rx, &got, GUARD_MS), 0);
	assert_int_equal(got.count, 1);
}

static void test_alarm_without_signal_is_harmless(void **state)
{
	struct fixture *f = *state;
	signal_t got;

	/* armed without a signal: it goes off silently and disarms */
	alarm_arm(&f->clock, &f->alarm, 1, false);
	for (int guard = 0;; guard++) {
		lock_acquire(&f->clock.lock);
		bool armed = f->alarm.armed;
		lock_release(&f->clock.lock);
		if (!armed)
			break;
		assert_true(guard < GUARD_MS);
		signal_receiver_wait(f->rx, &got, 1);
	}
	assert_int_equal(signal_receiver_poll(f->rx, &got), KERR_TIMEOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_once_signals_once, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_periodic_keeps_signalling,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_rearm_replaces_the_setting,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_alarm_without_signal_is_harmless, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
