/*
 * Core's virtio consoles on riscv (virtio-serial, modern virtio-mmio on
 * QEMU's virt board), driven by core itself as the root, over the device
 * memory and the interrupt of kernel/device.h and the physical addresses
 * of its own buffers (SYS_MEM_PHYS): the first console is the control
 * channel's input (the host writes into its character device, a fifo,
 * tests/riscv/qemu-control.sh; core reads it here), the second, if the
 * board has one, the output of core's frames to the host (host_frames.c;
 * its character device is a second fifo, which riscv-console reads).
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

/* Starts the board's second virtio console for output (its transmit
 * queue only; no interrupt). 0 with *out, or -1 with why not in why[len]
 * (none on the board, a device that refuses the set-up, no memory). */
int virtio_console_start_output(struct virtio_console **out, char *why,
                                size_t len);

/* Output: copies up to `len` bytes into the buffers the device has given
 * back, handing each full one to the device: how many (0: every buffer
 * is with the device now), or -1 when the device broke its queue; never
 * waits. A partly filled buffer waits for more or for the flush. */
long virtio_console_write(struct virtio_console *vc, const void *data,
                          size_t len);

/* Output: the partly filled buffer handed to the device too: how many
 * buffers the device still holds (0: all it was given is out), or -1
 * when it broke its queue; never waits. */
int virtio_console_flush(struct virtio_console *vc);

/* Copies up to `len` bytes that came into buf: how many (0: none now),
 * or -1 when the device broke its queue (virtio_console_broken() says
 * how); never waits. */
long virtio_console_read(struct virtio_console *vc, char *buf, size_t len);

/* Why the console stopped, or NULL. */
const char *virtio_console_broken(const struct virtio_console *vc);

/* Stops the device and frees what the console holds (either kind). */
void virtio_console_stop(struct virtio_console *vc);

#endif /* CORE_RISCV_VIRTIO_CONSOLE_H */
