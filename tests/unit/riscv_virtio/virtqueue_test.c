/*
 * core/riscv/virtqueue.h with the test as the device: it reads the
 * available ring and writes the used ring where virtio 1.x puts them
 * (split virtqueue, the layout of virtqueue.h). Buffers offered come back
 * with their lengths, across the 16-bit wrap of the indices; a device
 * that writes a used index past what it was given, a descriptor id out of
 * range or not its own (given back twice), or a length over the buffer's,
 * breaks the queue for good with one reason each, and nothing of that
 * entry is handed on. Buffers the device reads (a transmit queue's,
 * vq_offer_out) carry no WRITE flag and are checked alike when they come
 * back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../../core/riscv/virtqueue.h"

#include <stdint.h>
#include <string.h>

struct dev {
	_Alignas(4096) unsigned char page[VQ_PAGE];
	struct virtqueue vq;
	uint16_t avail_seen; /* the device's progress in the available ring */
	uint16_t used_idx;   /* the device's used index */
};

static uint16_t get16(const struct dev *d, size_t at)
{
	uint16_t v;
	memcpy(&v, d->page + at, sizeof(v));
	return v;
}

static void put16(struct dev *d, size_t at, uint16_t v)
{
	memcpy(d->page + at, &v, sizeof(v));
}

static void put32(struct dev *d, size_t at, uint32_t v)
{
	memcpy(d->page + at, &v, sizeof(v));
}

/* The next offered descriptor the device takes from the available ring,
 * or -1 if none. Checks the descriptor: its address and length. */
static int dev_next_avail(struct dev *d, uint64_t *addr, uint32_t *len)
{
	if (get16(d, VQ_AVAIL_AT + 2) == d->avail_seen)
		return -1;
	uint16_t id = get16(d, VQ_AVAIL_AT + 4 +
	                               2u * (d->avail_seen % d->vq.size));
	d->avail_seen++;
	memcpy(addr, d->page + VQ_DESC_AT + 16u * id, 8);
	memcpy(len, d->page + VQ_DESC_AT + 16u * id + 8, 4);
	assert_int_equal(get16(d, VQ_DESC_AT + 16u * id + 12), 2); /* WRITE */
	return id;
}

/* The device gives back descriptor `id` with `len` bytes written, and
 * moves its used index by `step` (1 for an honest device). */
static void dev_used(struct dev *d, uint32_t id, uint32_t len, uint16_t step)
{
	size_t at = VQ_USED_AT + 4 + 8u * (d->used_idx % d->vq.size);
	put32(d, at, id);
	put32(d, at + 4, len);
	d->used_idx = (uint16_t)(d->used_idx + step);
	put16(d, VQ_USED_AT + 2, d->used_idx);
}

static int setup(void **state)
{
	static struct dev d;
	memset(&d, 0, sizeof(d));
	assert_int_equal(vq_init(&d.vq, d.page, 8), 0);
	*state = &d;
	return 0;
}

static void offer_all(struct dev *d)
{
	for (uint16_t i = 0; i < d->vq.size; i++)
		assert_int_equal(vq_offer(&d->vq, i, 0x80000000u + 4096u * i,
		                          4096),
		                 0);
}

static void sizes_checked(void **state)
{
	struct virtqueue vq;
	unsigned char page[VQ_PAGE];
	(void)state;
	assert_int_equal(vq_init(&vq, page, 0), -1);
	assert_int_equal(vq_init(&vq, page, 3), -1);
	assert_int_equal(vq_init(&vq, page, 2 * VQ_SIZE_MAX), -1);
	assert_int_equal(vq_init(&vq, page, VQ_SIZE_MAX), 0);
}

static void offers_checked(void **state)
{
	struct dev *d = *state;
	assert_int_equal(vq_offer(&d->vq, 8, 0x80000000u, 4096), -1);
	assert_int_equal(vq_offer(&d->vq, 0, 0x80000000u, 0), -1);
	assert_int_equal(vq_offer(&d->vq, 0, 0x80000000u, 4096), 0);
	assert_int_equal(vq_offer(&d->vq, 0, 0x80000000u, 4096), -1);
}

static void buffers_come_back(void **state)
{
	struct dev *d = *state;
	uint16_t id;
	uint32_t len;
	uint64_t addr;
	offer_all(d);
	assert_int_equal(vq_take(&d->vq, &id, &len), VQ_EMPTY);
	for (int i = 0; i < 8; i++) {
		int got = dev_next_avail(d, &addr, &len);
		assert_int_equal(got, i);
		assert_int_equal(addr, 0x80000000u + 4096u * (unsigned)i);
		assert_int_equal(len, 4096);
	}
	assert_int_equal(dev_next_avail(d, &addr, &len), -1);
	dev_used(d, 3, 100, 1);
	dev_used(d, 0, 4096, 1);
	assert_int_equal(vq_take(&d->vq, &id, &len), VQ_TAKEN);
	assert_int_equal(id, 3);
	assert_int_equal(len, 100);
	assert_int_equal(vq_take(&d->vq, &id, &len), VQ_TAKEN);
	assert_int_equal(id, 0);
	assert_int_equal(len, 4096);
	assert_int_equal(vq_take(&d->vq, &id, &len), VQ_EMPTY);
	assert_null(vq_broken(&d->vq));
}

/* 70000 buffers through a queue of 8: both indices wrap at 65536. */
static void indices_wrap(void **state)
{
	struct dev *d = *state;
	uint16_t id;
	uint32_t len;
	uint64_t addr;
	offer_all(d);
	for (unsigned n = 0; n < 70000; n++) {
		int got = dev_next_avail(d, &addr, &len);
		assert_true(got >= 0);
		dev_used(d, (uint32_t)got, n % 4096, 1);
		assert_int_equal(vq_take(&d->vq, &id, &len), VQ_TAKEN);
		assert_int_equal(id, got);
		assert_int_equal(len, n % 4096);
		assert_int_equal(vq_offer(&d->vq, id, addr, 4096), 0);
	}
	assert_null(vq_broken(&d->vq));
}

/* A broken queue takes and offers nothing from then on. */
static void stays_broken(struct dev *d, const char *why)
{
	uint16_t id = 77;
	uint32_t len = 77;
	assert_int_equal(vq_take(&d->vq, &id, &len), VQ_BROKEN);
	assert_int_equal(id, 77); /* nothing handed on */
	assert_int_equal(len, 77);
	assert_non_null(vq_broken(&d->vq));
	assert_string_equal(vq_broken(&d->vq), why);
	assert_int_equal(vq_take(&d->vq, &id, &len), VQ_BROKEN);
	assert_int_equal(vq_offer(&d->vq, 0, 0x80000000u, 4096), -1);
}

static void used_index_past_offers_refused(void **state)
{
	struct dev *d = *state;
	assert_int_equal(vq_offer(&d->vq, 0, 0x80000000u, 4096), 0);
	assert_int_equal(vq_offer(&d->vq, 1, 0x80001000u, 4096), 0);
	dev_used(d, 0, 10, 3); /* three entries for two buffers */
	stays_broken(d, "the device's used index is past the buffers it was "
	                "given");
}

static void used_index_backwards_refused(void **state)
{
	struct dev *d = *state;
	offer_all(d);
	dev_used(d, 0, 10, (uint16_t)-1); /* 65535 new entries */
	stays_broken(d, "the device's used index is past the buffers it was "
	                "given");
}

static void descriptor_out_of_range_refused(void **state)
{
	struct dev *d = *state;
	offer_all(d);
	dev_used(d, 8, 10, 1);
	stays_broken(d, "the device gave back a descriptor it did not have");
}

static void huge_descriptor_refused(void **state)
{
	struct dev *d = *state;
	offer_all(d);
	dev_used(d, 0x10003, 10, 1); /* 3 in its low 16 bits */
	stays_broken(d, "the device gave back a descriptor it did not have");
}

static void descriptor_given_back_twice_refused(void **state)
{
	struct dev *d = *state;
	uint16_t id;
	uint32_t len;
	assert_int_equal(vq_offer(&d->vq, 2, 0x80000000u, 4096), 0);
	assert_int_equal(vq_offer(&d->vq, 5, 0x80001000u, 4096), 0);
	dev_used(d, 2, 10, 1);
	assert_int_equal(vq_take(&d->vq, &id, &len), VQ_TAKEN);
	dev_used(d, 2, 10, 1); /* 2 is the driver's again */
	stays_broken(d, "the device gave back a descriptor it did not have");
}

static void never_offered_refused(void **state)
{
	struct dev *d = *state;
	assert_int_equal(vq_offer(&d->vq, 0, 0x80000000u, 4096), 0);
	dev_used(d, 1, 10, 1);
	stays_broken(d, "the device gave back a descriptor it did not have");
}

static void length_over_buffer_refused(void **state)
{
	struct dev *d = *state;
	assert_int_equal(vq_offer(&d->vq, 0, 0x80000000u, 512), 0);
	dev_used(d, 0, 513, 1);
	stays_broken(d, "the device wrote more than the buffer holds");
}

static void huge_length_refused(void **state)
{
	struct dev *d = *state;
	offer_all(d);
	dev_used(d, 4, UINT32_MAX, 1);
	stays_broken(d, "the device wrote more than the buffer holds");
}

/* A transmit buffer: offered without the WRITE flag, its length as
 * given; it comes back (QEMU says 0 bytes written) and may be offered
 * again; a device that gives it back twice, or says it wrote more than
 * the buffer, breaks the queue as for a receive buffer. */
static void out_buffers_read_by_device(void **state)
{
	struct dev *d = *state;
	uint16_t id;
	uint32_t len;
	assert_int_equal(vq_offer_out(&d->vq, 3, 0x80003000u, 17), 0);
	assert_int_equal(vq_offer_out(&d->vq, 3, 0x80003000u, 17), -1);
	assert_int_equal(vq_offer_out(&d->vq, 3, 0x80003000u, 0), -1);
	int at = get16(d, VQ_AVAIL_AT + 4);
	assert_int_equal(at, 3);
	assert_int_equal(get16(d, VQ_DESC_AT + 16u * 3 + 12), 0); /* no WRITE */
	uint32_t given;
	memcpy(&given, d->page + VQ_DESC_AT + 16u * 3 + 8, 4);
	assert_int_equal(given, 17);
	d->avail_seen++;
	dev_used(d, 3, 0, 1);
	assert_int_equal(vq_take(&d->vq, &id, &len), VQ_TAKEN);
	assert_int_equal(id, 3);
	assert_int_equal(len, 0);
	assert_int_equal(vq_offer_out(&d->vq, 3, 0x80003000u, 4096), 0);
	dev_used(d, 3, 4097, 1);
	stays_broken(d, "the device wrote more than the buffer holds");
}

static void out_buffer_given_back_twice_refused(void **state)
{
	struct dev *d = *state;
	uint16_t id;
	uint32_t len;
	assert_int_equal(vq_offer_out(&d->vq, 1, 0x80001000u, 100), 0);
	dev_used(d, 1, 0, 1);
	assert_int_equal(vq_take(&d->vq, &id, &len), VQ_TAKEN);
	dev_used(d, 1, 0, 1);
	stays_broken(d, "the device's used index is past the buffers it was "
	                "given");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes_checked),
#define T(name) cmocka_unit_test_setup(name, setup)
		T(offers_checked),
		T(buffers_come_back),
		T(indices_wrap),
		T(used_index_past_offers_refused),
		T(used_index_backwards_refused),
		T(descriptor_out_of_range_refused),
		T(huge_descriptor_refused),
		T(descriptor_given_back_twice_refused),
		T(never_offered_refused),
		T(length_over_buffer_refused),
		T(huge_length_refused),
		T(out_buffers_read_by_device),
		T(out_buffer_given_back_twice_refused),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
