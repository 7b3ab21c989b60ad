/*
 * Core's control channel's input on riscv: the first port of a virtio
 * console (virtio-serial, modern virtio-mmio on QEMU's virt board),
 * driven by core itself as the root, over the device memory and the
 * interrupt of kernel/device.h and the physical addresses of its own
 * buffers (SYS_MEM_PHYS). The host writes into the console's character
 * device (a fifo, tests/riscv/qemu-control.sh); core reads it here.
 */
#ifndef CORE_RISCV_VIRTIO_CONSOLE_H
#define CORE_RISCV_VIRTIO_CONSOLE_H

#include <kernel/kernel.h>

#include <stddef.h>

struct virtio_console;

/* Finds a virtio console on the board and starts it: its interrupt
 * counts on a signal added to `ws`, so a kwaitset_wait() on it returns
 * when bytes came. 0 with *out, or -1 with why not in why[len] (no
 * console on the board, a device that refuses the set-up, no memory). */
int virtio_console_start(struct virtio_console **out, kwaitset_t *ws, char *why,
                         size_t len);

/* Copies up to `len` bytes that came into buf: how many (0: none now),
 * or -1 when the device broke its queue (virtio_console_broken() says
 * how); never waits. */
long virtio_console_read(struct virtio_console *vc, char *buf, size_t len);

/* Why the console stopped, or NULL. */
const char *virtio_console_broken(const struct virtio_console *vc);

/* Stops the device and frees what the console holds. */
void virtio_console_stop(struct virtio_console *vc);

#endif /* CORE_RISCV_VIRTIO_CONSOLE_H */
