/*
 * The monotonic clock of libruntime (runtime/clock.h), the kernel
 * interface's clock.
 */
#include <runtime/clock.h>

#include <kernel/kernel.h>

uint64_t clock_now_ns(void)
{
	return kclock_ns();
}
