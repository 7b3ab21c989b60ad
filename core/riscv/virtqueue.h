/*
 * A split virtqueue (virtio 1.x, section 2.7) on the driver's side, for
 * buffers the device fills or reads (core's virtio consoles,
 * virtio_console.c: the control channel's input, the frames' output): the
 * descriptor table, the driver's (available) ring and the device's (used)
 * ring in one page the driver gave the device, one descriptor per buffer,
 * no chains, no indirect descriptors, no event indices.
 *
 * The device is hostile: everything it writes into the used ring (its
 * index, each entry's descriptor id and length) is checked against what
 * the driver offered before anything is believed, and a queue that was
 * once given a bad value stays broken (vq_take answers VQ_BROKEN from then
 * on with the reason), so a driver never reads a buffer the device did
 * not own or past what was offered. Nothing here touches device
 * registers: the caller notifies the device and maps the memory, so the
 * logic runs unchanged in a host's unit test (tests/unit/riscv_virtio).
 */
#ifndef CORE_RISCV_VIRTQUEUE_H
#define CORE_RISCV_VIRTQUEUE_H

#include <stddef.h>
#include <stdint.h>

/* At most this many descriptors: all three rings fit in one page. */
#define VQ_SIZE_MAX 64u
/* The page the rings live in, and where each one starts in it. */
#define VQ_PAGE       4096u
#define VQ_DESC_AT    0u
#define VQ_AVAIL_AT   (16u * VQ_SIZE_MAX)
#define VQ_USED_AT    (VQ_AVAIL_AT + 6u + 2u * VQ_SIZE_MAX + 2u) /* 4-aligned */

/* What vq_take says. */
enum vq_take {
	VQ_EMPTY = 0,  /* nothing new in the used ring */
	VQ_TAKEN = 1,  /* one buffer back: *id, *len */
	VQ_BROKEN = -1 /* the device wrote something impossible: vq_broken() */
};

struct virtqueue {
	void *ring;         /* the rings' page, mapped, VQ_PAGE bytes */
	uint16_t size;      /* descriptors, a power of 2, <= VQ_SIZE_MAX */
	uint16_t avail_idx; /* the next index of the available ring (ours) */
	uint16_t used_seen; /* the used ring's entries consumed so far */
	uint16_t offered;   /* buffers with the device now */
	uint32_t len[VQ_SIZE_MAX];  /* each offered buffer's length */
	uint8_t owned[VQ_SIZE_MAX]; /* 1: descriptor i is the device's */
	const char *broken;         /* why the queue is broken, or NULL */
};

/* Sets up an empty queue of `size` descriptors (a power of 2,
 * 1..VQ_SIZE_MAX) in the zeroed page `ring`. 0, or -1 for a bad size. */
int vq_init(struct virtqueue *vq, void *ring, uint16_t size);

/* Offers descriptor `id` (< size, not offered now), a buffer of `len`
 * (> 0) bytes at physical address `phys`, for the device to write into.
 * 0, or -1 if the id or the length is wrong or the queue is broken. The
 * caller then notifies the device. */
int vq_offer(struct virtqueue *vq, uint16_t id, uint64_t phys, uint32_t len);

/* Offers descriptor `id` as vq_offer does, but a buffer the device reads
 * (`len` bytes the driver wrote there): a transmit queue's. The device's
 * used length for it must still be at most `len`, and means nothing. */
int vq_offer_out(struct virtqueue *vq, uint16_t id, uint64_t phys,
                 uint32_t len);

/* The next buffer the device gave back: its descriptor id and the bytes
 * it wrote (at most what was offered). */
enum vq_take vq_take(struct virtqueue *vq, uint16_t *id, uint32_t *len);

/* Why the queue is broken, or NULL. */
const char *vq_broken(const struct virtqueue *vq);

#endif /* CORE_RISCV_VIRTQUEUE_H */
