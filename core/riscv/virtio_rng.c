/*
 * The virtio entropy device of virtio_rng.h: a modern virtio-mmio
 * transport (virtio_mmio.h) with device id 4, no feature but
 * VIRTIO_F_VERSION_1, one queue (queue 0, "requestq") of one descriptor:
 * the driver offers a page-sized buffer the device writes into, notifies,
 * and sleeps on the device's interrupt until the buffer comes back with
 * 1..len random bytes; QEMU takes them from the host's kernel (its
 * default backend, rng-random on /dev/urandom).
 *
 * Why this and not the Zkr extension's `seed` CSR: the CSR is M-mode's
 * unless M-mode sets mseccfg.SSEED (for S-mode) or USEED (for U-mode).
 * QEMU 7.2 (Debian 12) gives a CPU Zkr only when told `zkr=true`;
 * whether Debian 12's OpenSBI (1.1) then sets SSEED was not tried (its
 * firmware's strings name neither), and the kernel would need a new
 * call to hand the bytes to a component, besides a firmware that must.
 * A virtio device is reached the way core reaches its consoles already
 * (kernel/device.h: device memory, an interrupt, SYS_MEM_PHYS), needs no
 * new kernel call, works with any firmware, and is fed by the host's own
 * entropy pool.
 *
 * The device is hostile like any other: its registers are checked by
 * virtio_mmio.c before they are used and its used ring by virtqueue.c (a
 * length beyond the buffer breaks the queue); a device that answers
 * nothing within VIRTIO_RNG_WAIT_MS is refused, never waited for without
 * end. Its bytes are believed to be random: that is what the board is
 * trusted for. The device is reset before its buffer is freed.
 */
#include "virtio_rng.h"
#include "virtio_mmio.h"

#include <kernel/kernel.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEVICE_ENTROPY 4u

struct virtio_rng {
	struct virtio_mmio t;
	struct virtio_queue q; /* queue 0, one descriptor: the one buffer */
	const char *broken;    /* why the device is refused, or NULL */
};

int virtio_rng_start(struct virtio_rng **out, char *why, size_t len)
{
	struct virtio_rng *vr = calloc(1, sizeof(*vr));
	if (!vr) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	/* VIRTIO_F_VERSION_1 alone and queue 0 with one descriptor */
	if (virtio_mmio_find(&vr->t, DEVICE_ENTROPY, 0, "virtio entropy device",
	                     " (QEMU: -device virtio-rng-device)", why,
	                     len) != 0 ||
	    virtio_mmio_take_irq(&vr->t, why, len) != 0 ||
	    virtio_mmio_negotiate(&vr->t, 0, NULL, why, len) != 0 ||
	    virtio_mmio_queue_set_up(&vr->t, &vr->q, 0, 1, 0, why, len) != 0) {
		virtio_rng_stop(vr);
		return -1;
	}
	virtio_mmio_driver_ok(&vr->t);
	*out = vr;
	return 0;
}

/* Sleeps until the device's interrupt, on a waitset of the calling
 * thread's (a waitset is its creator's, and any thread may ask for
 * bytes): 0, or -1 with vr->broken set. */
static int await_irq(struct virtio_rng *vr)
{
	kwaitset_t *ws;
	kevent_t ev;
	int rc = kwaitset_create(&ws);
	if (rc != 0) {
		vr->broken = "no waitset for its interrupt";
		return -1;
	}
	rc = kwaitset_add_signal(ws, vr->t.irq_src, vr);
	if (rc == 0)
		rc = kwaitset_wait(ws, &ev, NULL, VIRTIO_RNG_WAIT_MS);
	kwaitset_remove_signal(ws, vr->t.irq_src);
	kwaitset_destroy(ws);
	if (rc != 0) {
		vr->broken = rc == KERR_TIMEOUT
		                     ? "the device gave no bytes in time"
		                     : "cannot wait for its interrupt";
		return -1;
	}
	return 0;
}

/* One request: the buffer offered for up to `want` bytes, the device
 * notified, and its answer awaited on the interrupt. How many bytes it
 * wrote (1..want), or -1 with vr->broken set. */
static long request(struct virtio_rng *vr, uint32_t want)
{
	if (vq_offer(&vr->q.vq, 0, vr->q.buf_phys[0], want) != 0) {
		vr->broken = "the device broke its queue";
		return -1;
	}
	virtio_mmio_notify(&vr->t, &vr->q);
	for (;;) {
		uint16_t id;
		uint32_t got;
		int acked = 0;
		enum vq_take t = virtio_mmio_take(&vr->t, &vr->q, &acked, &id,
		                                  &got);
		if (t == VQ_BROKEN) {
			vr->broken = vq_broken(&vr->q.vq);
			return -1;
		}
		if (t == VQ_TAKEN && got == 0) {
			vr->broken = "the device answered with no bytes";
			return -1;
		}
		if (t == VQ_TAKEN)
			return (long)got;
		virtio_mmio_irq_done(&vr->t);
		if (await_irq(vr) != 0)
			return -1;
	}
}

int virtio_rng_read(struct virtio_rng *vr, void *buf, size_t len, char *why,
                    size_t whylen)
{
	unsigned char *p = buf;
	while (len > 0 && !vr->broken) {
		uint32_t want = len < VIRTIO_PAGE ? (uint32_t)len : VIRTIO_PAGE;
		long got = request(vr, want);
		if (got < 0)
			break;
		memcpy(p, vr->q.bufs, (size_t)got);
		/* nothing of it stays where another request could show it */
		memset(vr->q.bufs, 0, (size_t)got);
		p += got;
		len -= (size_t)got;
	}
	if (vr->broken) {
		snprintf(why, whylen, "virtio entropy device: %s", vr->broken);
		return -1;
	}
	return 0;
}

void virtio_rng_stop(struct virtio_rng *vr)
{
	if (!vr)
		return;
	virtio_mmio_close(&vr->t); /* the reset first: no DMA after it */
	virtio_mmio_queue_free(&vr->q);
	free(vr);
}
