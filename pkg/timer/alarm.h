/*
 * The alarm clock of the timer component: one thread that sleeps until the
 * earliest deadline of all alarms and then submits their signals. The
 * entrypoint arms and disarms alarms; every change wakes the thread so
 * that it sleeps for the new earliest deadline. Sleeping is a timed wait
 * on the thread's own signal receiver, so a wake-up is never lost.
 */
#ifndef TIMER_ALARM_H
#define TIMER_ALARM_H

#include <stdbool.h>
#include <stdint.h>

#include <runtime/list.h>
#include <runtime/lock.h>
#include <runtime/semaphore.h>
#include <runtime/signal.h>
#include <runtime/thread.h>

struct alarm {
	struct list_elem elem;
	uint64_t deadline_ns;
	uint64_t period_ns; /* 0: once */
	bool armed;
	signal_transmitter_t signal; /* none until set */
};

struct alarm_clock {
	struct lock lock; /* guards alarms and every alarm's fields */
	struct list alarms;
	signal_transmitter_t wake; /* to the thread's receiver (borrowed) */
	struct thread thread;
	struct semaphore ready; /* up once the thread is ready or failed */
	int start_error;
};

int alarm_clock_start(struct alarm_clock *clock);

void alarm_add(struct alarm_clock *clock, struct alarm *alarm);
void alarm_remove(struct alarm_clock *clock, struct alarm *alarm);

/* Replaces the alarm's signal (a copy is kept). */
int alarm_set_signal(struct alarm_clock *clock, struct alarm *alarm,
                     kcap_t signal);

/* Arms the alarm to go off in `ms` (and every `ms` after, if periodic);
 * ms == 0 disarms it. */
void alarm_arm(struct alarm_clock *clock, struct alarm *alarm, uint64_t ms,
               bool periodic);

#endif
