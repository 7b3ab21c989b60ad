/*
 * A root that checks how the kernel holds a device's interrupt while its
 * driver works (kernel/riscv/irq.c): the board's virtio entropy device
 * (core/riscv/virtio_mmio.c, virtqueue.c, linked in) answers requests,
 * and each answer raises its line.
 *
 *  1. A request, its interrupt awaited: it comes (a count on the
 *     driver's signal). The driver does not acknowledge it.
 *  2. A second request, whose answer is awaited by polling the queue:
 *     its interrupt came while the first was not acknowledged, so it
 *     must not have been delivered (the source is held).
 *  3. The driver acknowledges: the interrupt that waited must come now.
 *     (The kernel that masked with the PLIC's enable bits lost it on
 *     QEMU, whose PLIC does not look again at an enable write.)
 *  4. The device's status acknowledged and the kernel told: nothing more
 *     comes.
 *
 * No other device is bound, so nothing else moves the PLIC. Prints one
 * line per check and exits with 0 when each held, 1 when one failed, 2
 * when the device is missing or does not answer.
 */
#include "virtio_mmio.h"

#include <kernel/kernel.h>

#include <stdio.h>

#define DEVICE_ENTROPY 4u
#define WAIT_MS 2000
#define POLLS 100000000u /* guest loop turns for an answer; ~1 s of TCG */

static int failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", what, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

/* Waits up to `ms` for the device's interrupt: 1 if a count came. */
static int interrupt_within(struct virtio_mmio *t, int ms)
{
	kwaitset_t *ws;
	kevent_t ev;
	int rc;
	if (kwaitset_create(&ws) != 0)
		return 0;
	rc = kwaitset_add_signal(ws, t->irq_src, t);
	if (rc == 0)
		rc = kwaitset_wait(ws, &ev, NULL, ms);
	kwaitset_remove_signal(ws, t->irq_src);
	kwaitset_destroy(ws);
	return rc == 0 && ev.kind == KEVENT_SIGNAL;
}

/* Offers the buffer for 16 bytes and notifies the device: 0, or -1. */
static int ask(struct virtio_mmio *t, struct virtio_queue *q)
{
	if (vq_offer(&q->vq, 0, q->buf_phys[0], 16) != 0)
		return -1;
	virtio_mmio_notify(t, q);
	return 0;
}

/* Polls the used ring for the answer, without waiting for anything:
 * 1 when it came, 0 when POLLS turns passed first. */
static int answered(struct virtio_queue *q)
{
	uint16_t id;
	uint32_t len;
	for (unsigned i = 0; i < POLLS; i++) {
		enum vq_take r = vq_take(&q->vq, &id, &len);
		if (r == VQ_TAKEN)
			return 1;
		if (r == VQ_BROKEN)
			return 0;
	}
	return 0;
}

int main(void)
{
	static struct virtio_mmio t;
	static struct virtio_queue q;
	char why[160];
	if (virtio_mmio_find(&t, DEVICE_ENTROPY, 0, "virtio entropy device",
	                     " (QEMU: -device virtio-rng-device)", why,
	                     sizeof why) != 0 ||
	    virtio_mmio_take_irq(&t, why, sizeof why) != 0 ||
	    virtio_mmio_negotiate(&t, 0, NULL, why, sizeof why) != 0 ||
	    virtio_mmio_queue_set_up(&t, &q, 0, 1, 0, why, sizeof why) != 0) {
		printf("device: %s\n", why);
		return 2;
	}
	virtio_mmio_driver_ok(&t);

	if (ask(&t, &q) != 0)
		return 2;
	check(interrupt_within(&t, WAIT_MS), "first answer's interrupt came");
	if (!answered(&q)) {
		printf("the device did not answer the first request\n");
		return 2;
	}

	if (ask(&t, &q) != 0 || !answered(&q)) {
		printf("the device did not answer the second request\n");
		return 2;
	}
	check(!interrupt_within(&t, 0),
	      "second answer's interrupt held while the first is not acknowledged");

	virtio_mmio_irq_done(&t);
	check(interrupt_within(&t, WAIT_MS),
	      "interrupt held meanwhile delivered at the acknowledgement");

	int acked = 0;
	uint16_t id;
	uint32_t len;
	check(virtio_mmio_take(&t, &q, &acked, &id, &len) == VQ_EMPTY && acked,
	      "nothing more in the queue, the device's status acknowledged");
	virtio_mmio_irq_done(&t);
	check(!interrupt_within(&t, 100), "nothing delivered after that");

	virtio_mmio_close(&t);
	virtio_mmio_queue_free(&q);
	printf("irqlatch: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
