/*
 * The control channel of core on riscv (control.c) on core's main thread:
 * the ROM service starts the watch (config_watch.h), main() serves it
 * until init ended.
 */
#ifndef CORE_RISCV_CONTROL_H
#define CORE_RISCV_CONTROL_H

#include <runtime/semaphore.h>

struct config_watch;

/* Reads pushed ROMs from the virtio console until `until` can be taken
 * (init ended, taken here); without a watch or a console only waits for
 * `until`. */
void control_serve(struct config_watch *watch, struct semaphore *until);

#endif
