/*
 * The tick: an SBI timer interrupt every TICK_NS, counted since boot. It
 * preempts user threads (sched_run(1) on each tick) and, later, ends
 * timeouts of blocking calls.
 */
#ifndef RISCV_TIMER_H
#define RISCV_TIMER_H

#include <stdint.h>

#define TICK_HZ 100u

void timer_init(void);

/* Called on the timer interrupt: counts it and arms the next one. */
void timer_tick(void);

uint64_t timer_ticks(void);

#endif /* RISCV_TIMER_H */
