/*
 * The board's entropy source on riscv: a virtio entropy device
 * (virtio-rng, device id 4, on QEMU's virt board `-device
 * virtio-rng-device`), driven by the root (core, or a test's root) over
 * device memory, an interrupt and physical addresses of its own buffer,
 * as core drives its virtio consoles (virtio_console.c). Why this device
 * and not the Zkr `seed` CSR: see virtio_rng.c.
 */
#ifndef CORE_RISCV_VIRTIO_RNG_H
#define CORE_RISCV_VIRTIO_RNG_H

#include <stddef.h>

struct virtio_rng;

/* Finds the board's virtio entropy device and starts it. 0 with *out, or
 * -1 with why not in why[len] (none on the board, a legacy device, one
 * that refuses the set-up, no memory, no interrupt). */
int virtio_rng_start(struct virtio_rng **out, char *why, size_t len);

/* Fills buf[0..len) with bytes from the device, waiting for it (at most
 * VIRTIO_RNG_WAIT_MS per request it leaves unanswered). 0, or -1 with why
 * in why[whylen]: the device broke its queue or gave nothing in time; it
 * stays broken then. */
#define VIRTIO_RNG_WAIT_MS 2000
int virtio_rng_read(struct virtio_rng *vr, void *buf, size_t len, char *why,
                    size_t whylen);

/* Stops the device and frees what it holds. */
void virtio_rng_stop(struct virtio_rng *vr);

#endif /* CORE_RISCV_VIRTIO_RNG_H */
