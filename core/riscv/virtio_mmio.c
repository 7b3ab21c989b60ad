/*
 * The virtio-mmio transport of virtio_mmio.h. QEMU's virt board makes its
 * transports legacy (version 1) unless told -global
 * virtio-mmio.force-legacy=false; only modern ones are driven here, so
 * the queues' three rings have an address each and the features are
 * 64 bits in two words.
 */
#include "virtio_mmio.h"

#include "sys.h"
#include "../../kernel/riscv/abi.h"
#include "../../kernel/riscv/arch.h"

#include <kernel/device.h>

#include <assert.h>
#include <stdio.h>
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
#define F_VERSION_1_HI 1u /* feature bit 32: bit 0 of the second word */

#define S_ACKNOWLEDGE 1u
#define S_DRIVER      2u
#define S_DRIVER_OK   4u
#define S_FEATURES_OK 8u

#define REGS_SIZE ((size_t)VIRTIO_MMIO_COUNT * VIRTIO_PAGE)

static uint32_t reg(const struct virtio_mmio *t, unsigned at)
{
	return t->regs[at / 4];
}

static void reg_set(struct virtio_mmio *t, unsigned at, uint32_t v)
{
	t->regs[at / 4] = v;
}

static void reg_set64(struct virtio_mmio *t, unsigned at, uint64_t v)
{
	reg_set(t, at, (uint32_t)v);
	reg_set(t, at + 4, (uint32_t)(v >> 32));
}

int virtio_mmio_find(struct virtio_mmio *t, uint32_t device_id, unsigned nth,
                     const char *what, const char *hint, char *why, size_t len)
{
	static const char *const ordinal[] = { "", " second", " third" };
	assert(nth < sizeof(ordinal) / sizeof(ordinal[0]));
	if (kdevice_mem_create(VIRTIO_MMIO_BASE, REGS_SIZE, &t->regs_mem) !=
	    0) {
		snprintf(why, len, "no access to the virtio-mmio registers");
		return -1;
	}
	if (kmem_map(t->regs_mem, 0, REGS_SIZE, KMEM_READ | KMEM_WRITE, NULL,
	             &t->regs_map) != 0) {
		kcap_close(t->regs_mem);
		t->regs_map = NULL;
		snprintf(why, len, "cannot map the virtio-mmio registers");
		return -1;
	}
	int legacy = 0;
	unsigned skip = nth;
	for (unsigned i = VIRTIO_MMIO_COUNT; i-- > 0;) {
		t->regs = (volatile uint32_t *)((char *)t->regs_map +
		                                i * VIRTIO_PAGE);
		if (reg(t, REG_MAGIC) != MAGIC_VIRT ||
		    reg(t, REG_DEVICE_ID) != device_id)
			continue;
		if (reg(t, REG_VERSION) != 2) {
			legacy = 1;
			continue;
		}
		if (skip-- > 0)
			continue;
		t->irq = VIRTIO_MMIO_IRQ + i;
		return 0;
	}
	t->regs = NULL;
	if (legacy) {
		snprintf(why, len,
		         "the %s is a legacy device (QEMU needs -global "
		         "virtio-mmio.force-legacy=false)",
		         what);
		return -1;
	}
	snprintf(why, len, "no%s %s on the board%s", ordinal[nth], what, hint);
	return 1;
}

int virtio_mmio_take_irq(struct virtio_mmio *t, char *why, size_t len)
{
	int rc = ksignal_source_create(&t->irq_src, &t->irq_cap);
	if (rc != 0)
		t->irq_src = NULL;
	else if ((rc = kdevice_irq_bind(t->irq, t->irq_cap)) == 0)
		t->irq_bound = 1;
	if (rc != 0) {
		snprintf(why, len, "cannot take interrupt %u: %s",
		         (unsigned)t->irq, kerr_str(rc));
		return -1;
	}
	return 0;
}

int virtio_mmio_negotiate(struct virtio_mmio *t, uint32_t features,
                          const char *feature_name, char *why, size_t len)
{
	reg_set(t, REG_STATUS, 0); /* reset */
	reg_set(t, REG_STATUS, S_ACKNOWLEDGE);
	reg_set(t, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER);
	t->started = 1;
	reg_set(t, REG_DEV_FEAT_SEL, 1);
	if (!(reg(t, REG_DEV_FEATURES) & F_VERSION_1_HI)) {
		snprintf(why, len, "the device lacks VIRTIO_F_VERSION_1");
		return -1;
	}
	reg_set(t, REG_DEV_FEAT_SEL, 0);
	if ((reg(t, REG_DEV_FEATURES) & features) != features) {
		snprintf(why, len, "the device lacks %s", feature_name);
		return -1;
	}
	reg_set(t, REG_DRV_FEAT_SEL, 0);
	reg_set(t, REG_DRV_FEATURES, features);
	reg_set(t, REG_DRV_FEAT_SEL, 1);
	reg_set(t, REG_DRV_FEATURES, F_VERSION_1_HI);
	reg_set(t, REG_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
	if (!(reg(t, REG_STATUS) & S_FEATURES_OK)) {
		snprintf(why, len, "the device refused the features");
		return -1;
	}
	return 0;
}

/* The physical address of byte `offset` of one of core's RAM objects. */
static int phys_of(kcap_t mem, size_t offset, uint64_t *phys)
{
	long p = sys_call2(SYS_MEM_PHYS, mem.sel, (long)offset);
	if (p < 0)
		return -1;
	*phys = (uint64_t)p;
	return 0;
}

/* A RAM object of `size` bytes mapped read-write; -1 on failure (nothing
 * kept, *addr NULL). */
static int ram(size_t size, kcap_t *mem, void **addr)
{
	if (kmem_create(size, mem) != 0)
		return -1;
	if (kmem_map(*mem, 0, size, KMEM_READ | KMEM_WRITE, NULL, addr) != 0) {
		kcap_close(*mem);
		*addr = NULL;
		return -1;
	}
	return 0;
}

int virtio_mmio_queue_set_up(struct virtio_mmio *t, struct virtio_queue *q,
                             unsigned index, uint16_t want, int in, char *why,
                             size_t len)
{
	reg_set(t, REG_QUEUE_SEL, index);
	uint32_t max = reg(t, REG_QUEUE_NUM_MAX);
	if (max == 0 || reg(t, REG_QUEUE_READY) != 0) {
		snprintf(why, len, "the device has no queue %u to set up",
		         index);
		return -1;
	}
	q->index = index;
	uint16_t size = want;
	while (size > max)
		size /= 2;
	uint64_t ring_phys;
	if (ram(VIRTIO_PAGE, &q->ring_mem, &q->ring) != 0 ||
	    phys_of(q->ring_mem, 0, &ring_phys) != 0 ||
	    vq_init(&q->vq, q->ring, size) != 0) {
		snprintf(why, len, "no memory for the queue");
		return -1;
	}
	void *bufs;
	if (ram((size_t)size * VIRTIO_PAGE, &q->buf_mem, &bufs) != 0) {
		snprintf(why, len, "no memory for the buffers");
		return -1;
	}
	q->bufs = bufs;
	for (uint16_t i = 0; i < size; i++) {
		if (phys_of(q->buf_mem, (size_t)i * VIRTIO_PAGE,
		            &q->buf_phys[i]) != 0 ||
		    (in &&
		     vq_offer(&q->vq, i, q->buf_phys[i], VIRTIO_PAGE) != 0)) {
			snprintf(why, len, "cannot offer the buffers");
			return -1;
		}
	}
	reg_set(t, REG_QUEUE_NUM, size);
	reg_set64(t, REG_QUEUE_DESC, ring_phys + VQ_DESC_AT);
	reg_set64(t, REG_QUEUE_DRIVER, ring_phys + VQ_AVAIL_AT);
	reg_set64(t, REG_QUEUE_DEVICE, ring_phys + VQ_USED_AT);
	reg_set(t, REG_QUEUE_READY, 1);
	return 0;
}

void virtio_mmio_driver_ok(struct virtio_mmio *t)
{
	reg_set(t, REG_STATUS,
	        S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

void virtio_mmio_notify(struct virtio_mmio *t, const struct virtio_queue *q)
{
	reg_set(t, REG_QUEUE_NOTIFY, q->index);
}

enum vq_take virtio_mmio_take(struct virtio_mmio *t, struct virtio_queue *q,
                              int *acked, uint16_t *id, uint32_t *len)
{
	for (;;) {
		enum vq_take r = vq_take(&q->vq, id, len);
		if (r != VQ_EMPTY || *acked)
			return r;
		reg_set(t, REG_INT_ACK, reg(t, REG_INT_STATUS));
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		*acked = 1; /* a buffer may have come meanwhile: once more */
	}
}

void virtio_mmio_irq_done(struct virtio_mmio *t)
{
	(void)kdevice_irq_ack(t->irq_cap);
}

void virtio_mmio_close(struct virtio_mmio *t)
{
	if (t->started)
		reg_set(t, REG_STATUS, 0); /* no DMA after a reset */
	if (t->irq_src) {
		if (t->irq_bound)
			(void)kdevice_irq_unbind(t->irq);
		ksignal_source_destroy(t->irq_src);
		t->irq_src = NULL;
	}
	if (t->regs_map) {
		(void)kmem_unmap(t->regs_map, REGS_SIZE);
		kcap_close(t->regs_mem);
		t->regs_map = NULL;
	}
	t->regs = NULL;
	t->started = t->irq_bound = 0;
}

void virtio_mmio_queue_free(struct virtio_queue *q)
{
	if (q->bufs) {
		(void)kmem_unmap(q->bufs, (size_t)q->vq.size * VIRTIO_PAGE);
		kcap_close(q->buf_mem);
	}
	if (q->ring) {
		(void)kmem_unmap(q->ring, VIRTIO_PAGE);
		kcap_close(q->ring_mem);
	}
}
