/*
 * The control channel of core on riscv (control.c) on core's main thread:
 * the ROM service starts the watch (config_watch.h), main() serves it
 * until init ended or the host asked core to stop (control_stop.h).
 */
#ifndef CORE_RISCV_CONTROL_H
#define CORE_RISCV_CONTROL_H

#include <runtime/semaphore.h>

struct config_watch;

/* How the channel ended; CONTROL_FAILED never leaves control.c. */
enum control_end {
	CONTROL_UNTIL,          /* `until` was taken */
	CONTROL_STOP_REQUESTED, /* a stop frame came: core is to end */
	CONTROL_FAILED,         /* the channel could not start */
};

/* Reads frames from the virtio console until `until` can be taken (init
 * ended, taken here) or a stop frame came; without a watch, or when the
 * channel cannot start or the console broke, only waits for `until`. */
enum control_end control_serve(struct config_watch *watch,
                               struct semaphore *until);

#endif
