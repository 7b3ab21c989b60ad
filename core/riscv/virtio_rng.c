/*
 * The virtio entropy device of virtio_rng.h: a virtio-mmio transport of
 * version 2 (modern: QEMU's virt board makes its transports legacy unless
 * told -global virtio-mmio.force-legacy=false) with device id 4, one
 * queue (queue 0, "requestq") of one descriptor: the driver offers a
 * page-sized buffer the device writes into, notifies, and sleeps on the
 * device's interrupt until the buffer comes back with 1..len random
 * bytes; QEMU takes them from the host's kernel (its default backend,
 * rng-random on /dev/urandom).
 *
 * Why this and not the Zkr extension's `seed` CSR: the CSR is M-mode's
 * unless M-mode sets mseccfg.SSEED (for S-mode) or USEED (for U-mode).
 * QEMU 7.2 (Debian 12) gives a CPU Zkr only when told `zkr=true`;
 * whether Debian 12's OpenSBI (1.1) then sets SSEED was not tried (its
 * firmware's strings name neither), and the kernel would need a new
 * call to hand the bytes to a component, besides a firmware that must. A virtio device is reached the way core reaches its
 * consoles already (kernel/device.h: device memory, an interrupt,
 * SYS_MEM_PHYS), needs no new kernel call, works with any firmware, and
 * is fed by the host's own entropy pool.
 *
 * The device is hostile like any other: its registers are checked (magic,
 * version, id, queue size) before they are used and its used ring through
 * virtqueue.c (a length beyond the buffer breaks the queue); a device that
 * answers nothing within VIRTIO_RNG_WAIT_MS is refused, never waited for
 * without end. Its bytes are believed to be random: that is what the
 * board is trusted for. The device is reset before its buffer is freed.
 */
#include "virtio_rng.h"
#include "virtqueue.h"

#include "sys.h"
#include "../../kernel/riscv/abi.h"
#include "../../kernel/riscv/arch.h"

#include <kernel/device.h>
#include <kernel/kernel.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* virtio-mmio registers (virtio 1.x, 4.2.2), byte offsets. */
#define REG_MAGIC         0x000
#define REG_VERSION       0x004
#define REG_DEVICE_ID     0x008
#define REG_DEV_FEATURES  0x010
#define REG_DEV_FEAT_SEL  0x014
#define REG_DRV_FEATURES  0x020
#define REG_DRV_FEAT_SEL  0x024
#define REG_QUEUE_SEL     0x030
#define REG_QUEUE_NUM_MAX 0x034
#define REG_QUEUE_NUM     0x038
#define REG_QUEUE_READY   0x044
#define REG_QUEUE_NOTIFY  0x050
#define REG_INT_STATUS    0x060
#define REG_INT_ACK       0x064
#define REG_STATUS        0x070
#define REG_QUEUE_DESC    0x080 /* low, high at +4 */
#define REG_QUEUE_DRIVER  0x090
#define REG_QUEUE_DEVICE  0x0a0

#define MAGIC_VIRT     0x74726976u /* "virt" */
#define DEVICE_ENTROPY 4u
#define F_VERSION_1_HI 1u /* feature bit 32: bit 0 of the second word */

#define S_ACKNOWLEDGE 1u
#define S_DRIVER      2u
#define S_DRIVER_OK   4u
#define S_FEATURES_OK 8u

#define PAGE      4096u
#define REGS_SIZE ((size_t)VIRTIO_MMIO_COUNT * PAGE)

struct virtio_rng {
	kcap_t regs_mem, ring_mem, buf_mem;
	void *regs_map;          /* every transport's page */
	volatile uint32_t *regs; /* the device's transport */
	void *ring;              /* the virtqueue's page */
	unsigned char *buf;      /* the one buffer, a page */
	uint64_t buf_phys;
	struct virtqueue vq;
	ksignal_source_t *irq_src;
	kcap_t irq_cap;
	uint32_t irq;
	int irq_bound, started;
	const char *broken; /* why the device is refused, or NULL */
};

static uint32_t reg(const struct virtio_rng *vr, unsigned at)
{
	return vr->regs[at / 4];
}

static void reg_set(struct virtio_rng *vr, unsigned at, uint32_t v)
{
	vr->regs[at / 4] = v;
}

static void reg_set64(struct virtio_rng *vr, unsigned at, uint64_t v)
{
	reg_set(vr, at, (uint32_t)v);
	reg_set(vr, at + 4, (uint32_t)(v >> 32));
}

/* A page of RAM mapped read-write with its physical address; -1 on
 * failure (nothing kept). */
static int dma_page(kcap_t *mem, void **addr, uint64_t *phys)
{
	if (kmem_create(PAGE, mem) != 0)
		return -1;
	if (kmem_map(*mem, 0, PAGE, KMEM_READ | KMEM_WRITE, NULL, addr) != 0) {
		kcap_close(*mem);
		*addr = NULL;
		return -1;
	}
	long p = sys_call2(SYS_MEM_PHYS, mem->sel, 0);
	if (p < 0)
		return -1; /* virtio_rng_stop frees the page */
	*phys = (uint64_t)p;
	return 0;
}

/* The board's modern virtio entropy device: 0, or -1 with why. */
static int find(struct virtio_rng *vr, char *why, size_t len)
{
	if (kdevice_mem_create(VIRTIO_MMIO_BASE, REGS_SIZE, &vr->regs_mem) !=
	    0) {
		snprintf(why, len, "no access to the virtio-mmio registers");
		return -1;
	}
	if (kmem_map(vr->regs_mem, 0, REGS_SIZE, KMEM_READ | KMEM_WRITE, NULL,
	             &vr->regs_map) != 0) {
		kcap_close(vr->regs_mem);
		vr->regs_map = NULL;
		snprintf(why, len, "cannot map the virtio-mmio registers");
		return -1;
	}
	int legacy = 0;
	for (unsigned i = VIRTIO_MMIO_COUNT; i-- > 0;) {
		vr->regs = (volatile uint32_t *)((char *)vr->regs_map +
		                                 i * PAGE);
		if (reg(vr, REG_MAGIC) != MAGIC_VIRT ||
		    reg(vr, REG_DEVICE_ID) != DEVICE_ENTROPY)
			continue;
		if (reg(vr, REG_VERSION) != 2) {
			legacy = 1;
			continue;
		}
		vr->irq = VIRTIO_MMIO_IRQ + i;
		return 0;
	}
	vr->regs = NULL;
	snprintf(why, len, "%s",
	         legacy ? "the virtio entropy device is a legacy device (QEMU "
	                  "needs -global virtio-mmio.force-legacy=false)"
	                : "no virtio entropy device on the board (QEMU: "
	                  "-device virtio-rng-device)");
	return -1;
}

/* The device's interrupt on a signal of the driver's. */
static int bind_irq(struct virtio_rng *vr, char *why, size_t len)
{
	int rc = ksignal_source_create(&vr->irq_src, &vr->irq_cap);
	if (rc != 0)
		vr->irq_src = NULL;
	else if ((rc = kdevice_irq_bind(vr->irq, vr->irq_cap)) == 0)
		vr->irq_bound = 1;
	if (rc != 0) {
		snprintf(why, len, "cannot take interrupt %u: %s",
		         (unsigned)vr->irq, kerr_str(rc));
		return -1;
	}
	return 0;
}

/* VIRTIO_F_VERSION_1 alone and queue 0 with one descriptor. */
static int set_up(struct virtio_rng *vr, char *why, size_t len)
{
	reg_set(vr, REG_STATUS, 0); /* reset */
	reg_set(vr, REG_STATUS, S_ACKNOWLEDGE);
	reg_set(vr, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER);
	vr->started = 1;
	reg_set(vr, REG_DEV_FEAT_SEL, 1);
	if (!(reg(vr, REG_DEV_FEATURES) & F_VERSION_1_HI)) {
		snprintf(why, len, "the device lacks VIRTIO_F_VERSION_1");
		return -1;
	}
	reg_set(vr, REG_DRV_FEAT_SEL, 0);
	reg_set(vr, REG_DRV_FEATURES, 0);
	reg_set(vr, REG_DRV_FEAT_SEL, 1);
	reg_set(vr, REG_DRV_FEATURES, F_VERSION_1_HI);
	reg_set(vr, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
	if (!(reg(vr, REG_STATUS) & S_FEATURES_OK)) {
		snprintf(why, len, "the device refused the features");
		return -1;
	}
	reg_set(vr, REG_QUEUE_SEL, 0);
	if (reg(vr, REG_QUEUE_NUM_MAX) == 0 || reg(vr, REG_QUEUE_READY) != 0) {
		snprintf(why, len, "the device has no request queue to set up");
		return -1;
	}
	uint64_t ring_phys;
	void *buf;
	if (dma_page(&vr->ring_mem, &vr->ring, &ring_phys) != 0 ||
	    vq_init(&vr->vq, vr->ring, 1) != 0 ||
	    dma_page(&vr->buf_mem, &buf, &vr->buf_phys) != 0) {
		snprintf(why, len, "no memory for the queue");
		return -1;
	}
	vr->buf = buf;
	reg_set(vr, REG_QUEUE_NUM, 1);
	reg_set64(vr, REG_QUEUE_DESC, ring_phys + VQ_DESC_AT);
	reg_set64(vr, REG_QUEUE_DRIVER, ring_phys + VQ_AVAIL_AT);
	reg_set64(vr, REG_QUEUE_DEVICE, ring_phys + VQ_USED_AT);
	reg_set(vr, REG_QUEUE_READY, 1);
	reg_set(vr, REG_STATUS,
	        S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	return 0;
}

int virtio_rng_start(struct virtio_rng **out, char *why, size_t len)
{
	struct virtio_rng *vr = calloc(1, sizeof(*vr));
	if (!vr) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (find(vr, why, len) != 0 || bind_irq(vr, why, len) != 0 ||
	    set_up(vr, why, len) != 0) {
		virtio_rng_stop(vr);
		return -1;
	}
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
	rc = kwaitset_add_signal(ws, vr->irq_src, vr);
	if (rc == 0)
		rc = kwaitset_wait(ws, &ev, NULL, VIRTIO_RNG_WAIT_MS);
	kwaitset_remove_signal(ws, vr->irq_src);
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
	if (vq_offer(&vr->vq, 0, vr->buf_phys, want) != 0) {
		vr->broken = "the device broke its queue";
		return -1;
	}
	reg_set(vr, REG_QUEUE_NOTIFY, 0);
	for (;;) {
		uint16_t id;
		uint32_t got;
		/* acknowledged first, so that an answer after this raises
		 * the line again */
		reg_set(vr, REG_INT_ACK, reg(vr, REG_INT_STATUS));
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		enum vq_take t = vq_take(&vr->vq, &id, &got);
		if (t == VQ_BROKEN) {
			vr->broken = vq_broken(&vr->vq);
			return -1;
		}
		if (t == VQ_TAKEN && got == 0) {
			vr->broken = "the device answered with no bytes";
			return -1;
		}
		if (t == VQ_TAKEN)
			return (long)got;
		(void)kdevice_irq_ack(vr->irq_cap);
		if (await_irq(vr) != 0)
			return -1;
	}
}

int virtio_rng_read(struct virtio_rng *vr, void *buf, size_t len, char *why,
                    size_t whylen)
{
	unsigned char *p = buf;
	while (len > 0 && !vr->broken) {
		uint32_t want = len < PAGE ? (uint32_t)len : PAGE;
		long got = request(vr, want);
		if (got < 0)
			break;
		memcpy(p, vr->buf, (size_t)got);
		/* nothing of it stays where another request could show it */
		memset(vr->buf, 0, (size_t)got);
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
	if (vr->started)
		reg_set(vr, REG_STATUS, 0); /* no DMA after a reset */
	if (vr->irq_src) {
		if (vr->irq_bound)
			(void)kdevice_irq_unbind(vr->irq);
		ksignal_source_destroy(vr->irq_src);
	}
	if (vr->buf) {
		(void)kmem_unmap(vr->buf, PAGE);
		kcap_close(vr->buf_mem);
	}
	if (vr->ring) {
		(void)kmem_unmap(vr->ring, PAGE);
		kcap_close(vr->ring_mem);
	}
	if (vr->regs_map) {
		(void)kmem_unmap(vr->regs_map, REGS_SIZE);
		kcap_close(vr->regs_mem);
	}
	free(vr);
}
