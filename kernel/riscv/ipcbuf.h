/*
 * Registered IPC buffers (seL4's idea): a thread asks once (SYS_IPCBUF)
 * and gets IPCBUF_PAGES frames of its own, mapped read-write at a fixed
 * address of its domain (USER_IPCBUF_BASE + its slot's IPCBUF_BYTES, in
 * the window no memory object maps, arch.h): two kmsg_t, where its next
 * message arrives (IPCBUF_IN) and where it writes the one it sends
 * (IPCBUF_OUT). The kernel keeps the frames, so a message whose address
 * lies in its thread's buffer is checked by comparing addresses and
 * copied frame to frame, without walking the page table; any other
 * address takes the walks of vm.h, as before.
 *
 * The msg_* functions are how ipc.c and the decode steps reach a
 * thread's messages: the buffer's frames when the range is in it, the
 * page table otherwise.
 *
 * Invariants:
 *   - a thread's frames are all 0 (none registered) or all its own,
 *     mapped with VM_SHARED (never freed with the space, never a memory
 *     object's mapping: SYS_MEM_UNMAP does not find them) at its slot's
 *     address, until the thread dies (ipcbuf_release), which is the only
 *     way they go: a registered buffer is never unmapped under a blocked
 *     thread;
 *   - a dead thread's slot has no frames when it is used again;
 *   - a registered buffer is charged IPCBUF_PAGES frames to its thread's
 *     domain (thread.h's quota), uncharged when it is released.
 */
#ifndef RISCV_IPCBUF_H
#define RISCV_IPCBUF_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "kernel/kernel.h"
#include "thread.h"

/* IPCBUF_PAGES (thread.h): two kmsg_t of 4120 bytes. */
#define IPCBUF_BYTES (IPCBUF_PAGES * PAGE_SIZE)
#define IPCBUF_IN    0u                      /* offsets in the buffer */
#define IPCBUF_OUT   (2u * PAGE_SIZE)
_Static_assert(sizeof(kmsg_t) <= 2 * PAGE_SIZE, "a kmsg_t in two pages");

/* The user address of `t`'s buffer (registered or not). */
uintptr_t ipcbuf_va(const struct thread *t);

/* Decode: frames for a buffer and its tables. Invoke: registers the
 * caller's (nothing if it has one) and returns its address. */
int ipcbuf_available(void);
uintptr_t ipcbuf_register(struct thread *t);

/* Unmaps and frees `t`'s buffer, if it has one; its domain's space still
 * exists. */
void ipcbuf_release(struct thread *t);

/* The kernel address of the kmsg_t at `va` when `va` is exactly one of
 * the two halves of `t`'s registered buffer (IPCBUF_IN, IPCBUF_OUT), else
 * 0: the short cut of the kmsg form. Its head and the first
 * IPCBUF_FIRST_BYTES data bytes lie in that one frame. */
#define IPCBUF_FIRST_BYTES (PAGE_SIZE - offsetof(kmsg_t, data))
static inline kmsg_t *ipcbuf_msg(const struct thread *t, uintptr_t va)
{
	uintptr_t off = va - t->ipcbuf_base;
	if (!t->ipcbuf_base || (off != IPCBUF_IN && off != IPCBUF_OUT))
		return 0;
	return (kmsg_t *)t->ipcbuf[off / PAGE_SIZE];
}

/* The kmsg_t of `t`'s registered buffer at offset `half` (IPCBUF_IN or
 * IPCBUF_OUT) when `va` is exactly its address, else 0: the fast paths'
 * test (ipc.c), which asks each message to be where libkernel puts it,
 * so that one comparison decides. */
static inline kmsg_t *ipcbuf_half(const struct thread *t, uintptr_t va,
                                  uintptr_t half)
{
	if (!t->ipcbuf_base || va != t->ipcbuf_base + half)
		return 0;
	return (kmsg_t *)t->ipcbuf[half / PAGE_SIZE];
}

/* A message of `size` bytes (at most IPCBUF_FIRST_BYTES, checked by the
 * caller) and no capabilities from one buffer's frame to another's: the
 * used length only, eight bytes at a time (both data arrays are 8-byte
 * aligned: a frame's offset 24) and the rest byte by byte, then the head.
 * The size is the caller's copy, read once from the sender's buffer. */
typedef uint64_t __attribute__((may_alias)) ipcbuf_word_t;
static inline __attribute__((always_inline)) void ipcbuf_copy_short(
	kmsg_t *to, const kmsg_t *from, uint32_t size)
{
	_Static_assert(offsetof(kmsg_t, data) % 8 == 0, "aligned data");
	ipcbuf_word_t *d = (ipcbuf_word_t *)(void *)to->data;
	const ipcbuf_word_t *s = (const ipcbuf_word_t *)(const void *)
	                                 from->data;
	uint32_t i = 0;
	for (; i < size / 8; i++)
		d[i] = s[i];
	for (i *= 8; i < size; i++)
		to->data[i] = from->data[i];
	to->size = size;
	to->cap_count = 0;
}

/* The checks and copies of messages in `t`'s space (vm.h's, with the
 * buffer's short cut). */
int msg_range_ok(const struct thread *t, uintptr_t va, size_t len,
                 unsigned perm);
void msg_read(const struct thread *t, uintptr_t va, void *to, size_t len);
void msg_write(const struct thread *t, uintptr_t va, const void *from,
               size_t len);
void msg_copy(const struct thread *dst, uintptr_t dva, const struct thread *src,
              uintptr_t sva, size_t len);

#endif /* RISCV_IPCBUF_H */
