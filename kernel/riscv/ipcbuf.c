/*
 * Registered IPC buffers and the message access that uses them
 * (ipcbuf.h). A message in a buffer crosses frame to frame: at most one
 * page boundary per kmsg_t half, so a copy is one or two memcpy calls.
 */
#include "ipcbuf.h"
#include "page.h"
#include "panic.h"
#include "vm.h"

void *memcpy(void *restrict dst, const void *restrict src,
             size_t n); /* string.c */

uintptr_t ipcbuf_va(const struct thread *t)
{
	return USER_IPCBUF_BASE + thread_slot_index(t) * IPCBUF_BYTES;
}

int ipcbuf_available(void)
{
	return page_free_count() >=
	       IPCBUF_PAGES + vm_tables_needed(IPCBUF_PAGES);
}

uintptr_t ipcbuf_register(struct thread *t)
{
	uintptr_t va = ipcbuf_va(t);
	if (t->ipcbuf_base)
		return va;
	for (unsigned i = 0; i < IPCBUF_PAGES; i++) {
		t->ipcbuf[i] = page_alloc();
		KASSERT(t->ipcbuf[i]); /* ipcbuf_available() said so */
		vm_map_page(&t->pd->space, va + i * PAGE_SIZE, t->ipcbuf[i],
		            VM_R | VM_W | VM_SHARED);
	}
	t->ipcbuf_base = va;
	pd_charge(t->pd, IPCBUF_PAGES);
	return va;
}

void ipcbuf_release(struct thread *t)
{
	if (!t->ipcbuf_base)
		return;
	uintptr_t va = t->ipcbuf_base;
	for (unsigned i = 0; i < IPCBUF_PAGES; i++) {
		vm_unmap_page(&t->pd->space, va + i * PAGE_SIZE);
		page_free(t->ipcbuf[i]);
		t->ipcbuf[i] = 0;
	}
	t->ipcbuf_base = 0;
	pd_uncharge(t->pd, IPCBUF_PAGES);
}

/* The offset of [va, va+len) in `t`'s registered buffer, or -1 when the
 * range is not wholly inside it. */
static long in_buffer(const struct thread *t, uintptr_t va, size_t len)
{
	uintptr_t off = va - t->ipcbuf_base;
	if (!t->ipcbuf_base || off > IPCBUF_BYTES || len > IPCBUF_BYTES - off)
		return -1;
	return (long)off;
}

int msg_range_ok(const struct thread *t, uintptr_t va, size_t len,
                 unsigned perm)
{
	return in_buffer(t, va, len) >= 0 ||
	       vm_user_range_ok(&t->pd->space, va, len, perm);
}

/* The kernel address of user address `va` of `t` (a range checked by
 * msg_range_ok) and how many bytes from it stay in its page. */
static uint8_t *at(const struct thread *t, uintptr_t va, size_t *room)
{
	long off = in_buffer(t, va, 1);
	*room = PAGE_SIZE - (va & (PAGE_SIZE - 1));
	if (off >= 0)
		return (uint8_t *)t->ipcbuf[off / PAGE_SIZE] + off % PAGE_SIZE;
	uintptr_t k = vm_user_to_kernel(&t->pd->space, va);
	KASSERT(k); /* the decode step checked the range */
	return (uint8_t *)k;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

void msg_read(const struct thread *t, uintptr_t va, void *to, size_t len)
{
	for (size_t n, room; len; va += n, to = (uint8_t *)to + n, len -= n) {
		const uint8_t *p = at(t, va, &room);
		n = len < room ? len : room;
		memcpy(to, p, n);
	}
}

void msg_write(const struct thread *t, uintptr_t va, const void *from,
               size_t len)
{
	for (size_t n, room; len;
	     va += n, from = (const uint8_t *)from + n, len -= n) {
		uint8_t *p = at(t, va, &room);
		n = len < room ? len : room;
		memcpy(p, from, n);
	}
}

void msg_copy(const struct thread *dst, uintptr_t dva, const struct thread *src,
              uintptr_t sva, size_t len)
{
	kmsg_t *dm = ipcbuf_msg(dst, dva - offsetof(kmsg_t, data));
	const kmsg_t *sm = ipcbuf_msg(src, sva - offsetof(kmsg_t, data));
	if (dm && sm && len <= IPCBUF_FIRST_BYTES) { /* frame to frame */
		memcpy(dm->data, sm->data, len);
		return;
	}
	for (size_t n, droom, sroom; len; dva += n, sva += n, len -= n) {
		uint8_t *d = at(dst, dva, &droom);
		const uint8_t *s = at(src, sva, &sroom);
		n = min3(len, droom, sroom);
		memcpy(d, s, n);
	}
}
