/*
 * Core's virtio consoles on riscv (virtio-serial, modern virtio-mmio on
 * QEMU's virt board), driven by core itself as the root, over the device
 * memory and the interrupt of kernel/device.h and the physical addresses
 * of its own buffers (SYS_MEM_PHYS): the first console is the control
 * channel's input (the host writes into its character device, a fifo,
 * tests/riscv/qemu-control.sh; core reads it here), the second, if the
 * board has one, the output of core's frames to the host (host_frames.c;
 * its character device is a second fifo, which riscv-console reads),
 * the third, if it has one, the net ports (net_ports.h: each port a host
 * TCP socket that QEMU bridges).
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

/* The ports of the board's third virtio console (multiport: its control
 * queues only so far), which QEMU bridges to the host's TCP sockets
 * (tests/riscv/qemu-control.sh): a port by the device's id below
 * VIRTIO_PORTS_MAX, named by the device in up to VIRTIO_PORT_NAME_MAX
 * bytes of [A-Za-z0-9._-] (other ports and names are ignored). */
#define VIRTIO_PORTS_MAX     8u
#define VIRTIO_PORT_NAME_MAX 80u

/* Starts the third console, its interrupt counted on a signal added to
 * `ws`, and tells the device it is ready for its ports: 0 with *out, 1
 * when the board has no third console, or -1 with why in why[len]. */
int virtio_console_start_ports(struct virtio_console **out, kwaitset_t *ws,
                               char *why, size_t len);

/* Called for a named port (the device's `id`, 1..VIRTIO_PORTS_MAX-1)
 * whose host side opened (`open` 1) or closed (0, also when the device
 * removed an open port). */
typedef void virtio_port_seen_fn(void *arg, unsigned id, const char *name,
                                 int open);

/* Takes the control messages the device sent since the last call (ports
 * added are answered ready, names kept, the host side's opening and
 * closing passed to `seen`): 0, or -1 once the device broke the control
 * queues (virtio_console_broken() says how); never waits. */
int virtio_console_ports_poll(struct virtio_console *vc,
                              virtio_port_seen_fn *seen, void *arg);

/* Port `id` (1..VIRTIO_PORTS_MAX-1): its name, or NULL while the device
 * gave it none core can use; *open whether its host side is open. */
const char *virtio_console_port(const struct virtio_console *vc, unsigned id,
                                int *open);

/* Port `id` (one `seen` named): copies up to `len` bytes the host sent
 * into buf: how many (0: none now), or -1 when the device broke the
 * port's queue; never waits. */
long virtio_console_port_read(struct virtio_console *vc, unsigned id, char *buf,
                              size_t len);

/* Port `id`: hands up to `len` bytes to the device for the host, as many
 * as its free buffers hold (4 pages in flight: 0 means the host
 * reads slower than core writes, try again later), or -1 when the device
 * broke the port's queue; never waits. */
long virtio_console_port_write(struct virtio_console *vc, unsigned id,
                               const void *data, size_t len);

/* Why the console stopped, or NULL. */
const char *virtio_console_broken(const struct virtio_console *vc);

/* Stops the device and frees what the console holds (either kind). */
void virtio_console_stop(struct virtio_console *vc);

#endif /* CORE_RISCV_VIRTIO_CONSOLE_H */
