/*
 * Spinlock: a test-and-set flag for critical sections of a few
 * instructions, where blocking would cost more than waiting. The lock and
 * the semaphore guard their state with it; nothing that can block may run
 * while it is held. It spins with a CPU pause hint, because the kernel
 * interface offers no yield; holders are never preempted for long in
 * practice since their sections are tiny.
 */
#ifndef RUNTIME_SPINLOCK_H
#define RUNTIME_SPINLOCK_H

#include <stdatomic.h>

struct spinlock {
	atomic_flag flag;
};

#define SPINLOCK_INIT { ATOMIC_FLAG_INIT }

static inline void spinlock_init(struct spinlock *s)
{
	atomic_flag_clear_explicit(&s->flag, memory_order_release);
}

static inline void spinlock_acquire(struct spinlock *s)
{
	while (atomic_flag_test_and_set_explicit(&s->flag,
	                                         memory_order_acquire)) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
}

static inline void spinlock_release(struct spinlock *s)
{
	atomic_flag_clear_explicit(&s->flag, memory_order_release);
}

#endif /* RUNTIME_SPINLOCK_H */
