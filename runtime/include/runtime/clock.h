/*
 * The component's monotonic clock: nanoseconds since an arbitrary point
 * before the component started, never going back. For deadlines and
 * durations inside one component (a Timer session serves time to others).
 */
#ifndef RUNTIME_CLOCK_H
#define RUNTIME_CLOCK_H

#include <stdint.h>

uint64_t clock_now_ns(void);

#endif /* RUNTIME_CLOCK_H */
