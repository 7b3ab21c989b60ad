/*
 * The timer component's alarm clock (alarm.h).
 */
#include "alarm.h"

#include <runtime/clock.h>
#include <runtime/container_of.h>

#define NS_PER_MS 1000000ull
#define LONGEST_SLEEP_MS 60000

/* Fires the due alarms; returns the time to sleep until the next one (ms).
 * Precondition: clock->lock held. */
static int fire_due(struct alarm_clock *clock)
{
	uint64_t now = clock_now_ns(), next = UINT64_MAX;

	for (struct list_elem *e = list_first(&clock->alarms); e;
	     e = list_next(e)) {
		struct alarm *a = container_of(e, struct alarm, elem);
		if (!a->armed)
			continue;
		if (a->deadline_ns <= now) {
			if (signal_transmitter_valid(&a->signal))
				signal_transmitter_submit(&a->signal, 1);
			if (a->period_ns) {
				while (a->deadline_ns <= now)
					a->deadline_ns += a->period_ns;
			} else {
				a->armed = false;
				continue;
			}
		}
		if (a->deadline_ns < next)
			next = a->deadline_ns;
	}
	if (next == UINT64_MAX)
		return LONGEST_SLEEP_MS;
	uint64_t ms = (next - now + NS_PER_MS - 1) / NS_PER_MS;
	return ms > LONGEST_SLEEP_MS ? LONGEST_SLEEP_MS : (int)ms;
}

static void clock_thread(void *arg)
{
	struct alarm_clock *clock = arg;
	signal_receiver_t *rx;
	signal_context_t ctx;
	signal_t sig;
	kcap_t wake = KCAP_INVALID;

	clock->start_error = signal_receiver_create(&rx);
	if (!clock->start_error)
		clock->start_error = signal_receiver_manage(rx, &ctx, &wake);
	if (!clock->start_error)
		signal_transmitter_init(&clock->wake, wake);
	semaphore_up(&clock->ready);
	if (clock->start_error)
		return;
	for (;;) {
		lock_acquire(&clock->lock);
		int sleep_ms = fire_due(clock);
		lock_release(&clock->lock);
		signal_receiver_wait(rx, &sig, sleep_ms);
	}
}

int alarm_clock_start(struct alarm_clock *clock)
{
	int err;

	lock_init(&clock->lock);
	list_init(&clock->alarms);
	clock->wake = SIGNAL_TRANSMITTER_NONE;
	semaphore_init(&clock->ready, 0);
	err = thread_start(&clock->thread, "alarm", (size_t)64 * 1024,
	                   clock_thread, clock);
	if (err)
		return err;
	semaphore_down(&clock->ready);
	return clock->start_error;
}

static void wake(struct alarm_clock *clock)
{
	signal_transmitter_submit(&clock->wake, 1);
}

void alarm_add(struct alarm_clock *clock, struct alarm *alarm)
{
	alarm->armed = false;
	alarm->signal = SIGNAL_TRANSMITTER_NONE;
	LOCK_GUARD(&clock->lock);
	list_insert(&clock->alarms, &alarm->elem, NULL);
}

void alarm_remove(struct alarm_clock *clock, struct alarm *alarm)
{
	LOCK_GUARD(&clock->lock);
	list_remove(&clock->alarms, &alarm->elem);
	signal_transmitter_release(&alarm->signal);
}

int alarm_set_signal(struct alarm_clock *clock, struct alarm *alarm,
                     kcap_t signal)
{
	LOCK_GUARD(&clock->lock);
	return signal_transmitter_set(&alarm->signal, signal);
}

void alarm_arm(struct alarm_clock *clock, struct alarm *alarm, uint64_t ms,
               bool periodic)
{
	lock_acquire(&clock->lock);
	alarm->armed = ms > 0;
	alarm->deadline_ns = clock_now_ns() + ms * NS_PER_MS;
	alarm->period_ns = periodic ? ms * NS_PER_MS : 0;
	lock_release(&clock->lock);
	wake(clock);
}
