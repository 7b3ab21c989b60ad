/*
 * The split virtqueue of virtqueue.h. The rings are shared with the
 * device, so every access to them is volatile, each value the device
 * writes is read once into a local and checked there, and a fence orders
 * the driver's writes before the index that publishes them (and the used
 * index before the entries it covers).
 *
 * Invariants (between calls): offered == the number of owned[] set;
 * (uint16_t)(avail_idx - used_seen) == offered, because every offer
 * advances avail_idx and every taken entry advances used_seen; a broken
 * queue offers and takes nothing.
 */
#include "virtqueue.h"

#include <assert.h>
#include <string.h>

#define VQ_DESC_F_WRITE 2u /* the device writes the buffer */

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vq_used_elem {
	uint32_t id;
	uint32_t len;
};

static_assert(VQ_USED_AT % 4 == 0, "the used ring is 4-aligned");
static_assert(VQ_USED_AT + 6 + 8 * VQ_SIZE_MAX <= VQ_PAGE,
              "the rings fit in one page");
static_assert(VQ_DESC_AT + sizeof(struct vq_desc) * VQ_SIZE_MAX <= VQ_AVAIL_AT,
              "the descriptors end before the available ring");

static volatile struct vq_desc *desc(const struct virtqueue *vq)
{
	return (volatile struct vq_desc *)((char *)vq->ring + VQ_DESC_AT);
}

/* The available ring: flags, idx, ring[size], used_event. */
static volatile uint16_t *avail(const struct virtqueue *vq)
{
	return (volatile uint16_t *)((char *)vq->ring + VQ_AVAIL_AT);
}

/* The used ring: flags, idx (16 bits each), then the entries. */
static volatile uint16_t *used_head(const struct virtqueue *vq)
{
	return (volatile uint16_t *)((char *)vq->ring + VQ_USED_AT);
}

static volatile struct vq_used_elem *used_ring(const struct virtqueue *vq)
{
	return (volatile struct vq_used_elem *)((char *)vq->ring + VQ_USED_AT +
	                                        4);
}

static void check_invariants(const struct virtqueue *vq)
{
	unsigned owned = 0;
	for (unsigned i = 0; i < vq->size; i++)
		owned += vq->owned[i];
	assert(owned == vq->offered);
	assert((uint16_t)(vq->avail_idx - vq->used_seen) == vq->offered);
	(void)owned;
}

int vq_init(struct virtqueue *vq, void *ring, uint16_t size)
{
	if (size == 0 || size > VQ_SIZE_MAX || (size & (size - 1)) != 0)
		return -1;
	memset(vq, 0, sizeof(*vq));
	vq->ring = ring;
	vq->size = size;
	return 0;
}

static int offer(struct virtqueue *vq, uint16_t id, uint64_t phys, uint32_t len,
                 uint16_t flags)
{
	if (vq->broken || id >= vq->size || vq->owned[id] || len == 0)
		return -1;
	desc(vq)[id] = (struct vq_desc){ .addr = phys,
		                         .len = len,
		                         .flags = flags };
	vq->len[id] = len;
	vq->owned[id] = 1;
	vq->offered++;
	avail(vq)[2 + vq->avail_idx % vq->size] = id;
	/* the descriptor and the ring entry before the index that shows them */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vq->avail_idx++;
	avail(vq)[1] = vq->avail_idx;
	check_invariants(vq);
	return 0;
}

int vq_offer(struct virtqueue *vq, uint16_t id, uint64_t phys, uint32_t len)
{
	return offer(vq, id, phys, len, VQ_DESC_F_WRITE);
}

int vq_offer_out(struct virtqueue *vq, uint16_t id, uint64_t phys, uint32_t len)
{
	return offer(vq, id, phys, len, 0);
}

static enum vq_take broken(struct virtqueue *vq, const char *why)
{
	vq->broken = why;
	return VQ_BROKEN;
}

enum vq_take vq_take(struct virtqueue *vq, uint16_t *id, uint32_t *len)
{
	if (vq->broken)
		return VQ_BROKEN;
	uint16_t used_idx = used_head(vq)[1];
	uint16_t fresh = (uint16_t)(used_idx - vq->used_seen);
	if (fresh == 0)
		return VQ_EMPTY;
	if (fresh > vq->offered)
		return broken(vq, "the device's used index is past the buffers "
		                  "it was given");
	/* the entries after the index that covers them */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	volatile struct vq_used_elem *e =
		&used_ring(vq)[vq->used_seen % vq->size];
	uint32_t e_id = e->id, e_len = e->len;
	if (e_id >= vq->size || !vq->owned[e_id])
		return broken(vq,
		              "the device gave back a descriptor it did not "
		              "have");
	if (e_len > vq->len[e_id])
		return broken(vq,
		              "the device wrote more than the buffer holds");
	vq->owned[e_id] = 0;
	vq->offered--;
	vq->used_seen++;
	check_invariants(vq);
	*id = (uint16_t)e_id;
	*len = e_len;
	return VQ_TAKEN;
}

const char *vq_broken(const struct virtqueue *vq)
{
	return vq->broken;
}
