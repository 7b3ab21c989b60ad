/*
 * Time for the kernel interface on Linux: kclock_ns() reads
 * CLOCK_MONOTONIC, which never jumps with the wall clock, so timeouts and
 * benchmarks built on it are immune to clock adjustments.
 */
#include <time.h>

#include "kernel/kernel.h"

uint64_t kclock_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}
