/*
 * The tick (timer.h). The next deadline is computed from the previous one,
 * not from the time the interrupt was taken, so ticks do not drift.
 */
#include "arch.h"
#include "sbi.h"
#include "timer.h"

#define TICK_TIME (TIMEBASE_HZ / TICK_HZ)

static uint64_t ticks, next_deadline;

static uint64_t time_now(void)
{
	return csr_read(time);
}

void timer_init(void)
{
	next_deadline = time_now() + TICK_TIME;
	sbi_set_timer(next_deadline);
	csr_set(sie, SIE_STIE);
}

void timer_tick(void)
{
	ticks++;
	next_deadline += TICK_TIME;
	uint64_t now = time_now();
	if (next_deadline <= now) /* missed ticks are not made up */
		next_deadline = now + TICK_TIME;
	sbi_set_timer(next_deadline);
}

uint64_t timer_ticks(void)
{
	return ticks;
}
