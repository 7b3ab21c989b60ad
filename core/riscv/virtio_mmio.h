/*
 * The virtio-mmio transport (virtio 1.x, 4.2) on QEMU's virt board, as
 * core's device drivers on riscv use it (virtio_console.c, virtio_rng.c):
 * a modern (version 2) device found by its id among the board's
 * transports, reset and brought up through the status bits with
 * VIRTIO_F_VERSION_1 and the driver's own feature bits, its interrupt on
 * a signal of the driver's, and each of its split virtqueues (virtqueue.h)
 * set up in core's RAM with the physical addresses the device needs
 * (SYS_MEM_PHYS). Each driver keeps only what its device is for: which
 * queues, what goes into their buffers, when to wait.
 *
 * The device is hostile: its registers are checked (magic, version, id,
 * features, queue size) before anything is believed, the used rings
 * through virtqueue.c, and every refusal comes back as a line saying why.
 * The device is reset before the memory it was given is freed.
 */
#ifndef CORE_RISCV_VIRTIO_MMIO_H
#define CORE_RISCV_VIRTIO_MMIO_H

#include "virtqueue.h"

#include <kernel/kernel.h>

#include <stddef.h>
#include <stdint.h>

/* The page: one per transport, per ring, per buffer. */
#define VIRTIO_PAGE 4096u

/* One device's transport, zeroed before virtio_mmio_find. */
struct virtio_mmio {
	kcap_t regs_mem;
	void *regs_map;            /* every transport's page */
	volatile uint32_t *regs;   /* the device's transport */
	uint32_t irq;              /* its interrupt line */
	ksignal_source_t *irq_src; /* NULL: no interrupt taken */
	kcap_t irq_cap;
	int irq_bound, started;
};

/* A split virtqueue of a device and its memory, zeroed before
 * virtio_mmio_queue_set_up: the rings' page and one page-sized buffer
 * per descriptor, with each buffer's physical address. */
struct virtio_queue {
	kcap_t ring_mem, buf_mem;
	void *ring;          /* the rings' page */
	unsigned char *bufs; /* vq.size pages */
	uint64_t buf_phys[VQ_SIZE_MAX];
	unsigned index; /* the device's number for it */
	struct virtqueue vq;
};

/* Finds the `nth` (0..2; 0: the first) modern device of `device_id` from
 * the highest transport down (QEMU's virt board gives the highest to the
 * first -device of its command line): 0, 1 with why when the board has
 * no such device, -1 with why (no access, a legacy device). `what` names
 * the device in why ("virtio console"), `hint` follows the line of a
 * device the board lacks ("" or " (QEMU: -device ...)"). */
int virtio_mmio_find(struct virtio_mmio *t, uint32_t device_id, unsigned nth,
                     const char *what, const char *hint, char *why, size_t len);

/* The device's interrupt on a signal of the caller's (t->irq_src, for a
 * waitset): 0, or -1 with why. */
int virtio_mmio_take_irq(struct virtio_mmio *t, char *why, size_t len);

/* Resets the device and negotiates VIRTIO_F_VERSION_1 and the bits
 * `features` of the first feature word, which the device must offer
 * (`feature_name` names them in why): 0, or -1 with why (a device that
 * lacks one, or refuses the set). */
int virtio_mmio_negotiate(struct virtio_mmio *t, uint32_t features,
                          const char *feature_name, char *why, size_t len);

/* Sets up queue `index` of the negotiating device with up to `want`
 * (a power of 2, 1..VQ_SIZE_MAX) descriptors, fewer if the device takes
 * fewer, each with a page-sized buffer; `in`: every buffer offered for
 * the device to write into (a receive queue). 0, or -1 with why (a queue
 * the device lacks or has set up already, no memory); what was made
 * before a failure is freed by virtio_mmio_queue_free. */
int virtio_mmio_queue_set_up(struct virtio_mmio *t, struct virtio_queue *q,
                             unsigned index, uint16_t want, int in, char *why,
                             size_t len);

/* The set-up done: the device may use its queues from now on. */
void virtio_mmio_driver_ok(struct virtio_mmio *t);

/* Tells the device that queue `q` has new buffers. */
void virtio_mmio_notify(struct virtio_mmio *t, const struct virtio_queue *q);

/* The next buffer the device gave back on `q`, as vq_take. When the
 * queue looks empty and *acked is 0, the device's interrupt status is
 * acknowledged (so a buffer used after this raises the line again), the
 * queue looked at once more, and *acked set: a caller that took
 * everything with *acked set may acknowledge the line
 * (virtio_mmio_irq_done), nothing it announced is left. */
enum vq_take virtio_mmio_take(struct virtio_mmio *t, struct virtio_queue *q,
                              int *acked, uint16_t *id, uint32_t *len);

/* The line unmasked: the driver handled what the interrupt announced. */
void virtio_mmio_irq_done(struct virtio_mmio *t);

/* Resets the device (no DMA after this), gives its interrupt back and
 * unmaps its transport; the caller frees its queues afterwards. Takes a
 * transport in any state virtio_mmio_find left it. */
void virtio_mmio_close(struct virtio_mmio *t);

/* Frees a queue's memory (after virtio_mmio_close), in any state
 * virtio_mmio_queue_set_up left it, or a zeroed one. */
void virtio_mmio_queue_free(struct virtio_queue *q);

#endif /* CORE_RISCV_VIRTIO_MMIO_H */
