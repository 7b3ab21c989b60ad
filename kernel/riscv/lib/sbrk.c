/*
 * sbrk for picolibc's malloc: the heap grows at run time from the
 * domain's own RAM quota, so an image holds no heap and a domain pays for
 * what its heap uses, not for a fixed size. The heap is one range of
 * address space reserved on the first call (kvm_reserve: addresses only,
 * no frames); the break moves within it, and the part below the break is
 * backed by RAM memory objects (kmem_create, charged to this domain by
 * the kernel within its RAM limit) mapped one after the other from the
 * start of the range. When the kernel refuses the RAM (the quota is
 * spent, KERR_NOMEM) sbrk sets errno to ENOMEM and returns (void *)-1,
 * which picolibc's malloc turns into NULL: a full heap is an answer,
 * never a fault.
 *
 * State: the range and how much of it is backed, one heap per domain,
 * under a lock (malloc calls sbrk under its own lock, but sbrk is public).
 *
 * Invariants (asserted under the lock on each call, heap_ok):
 *   base <= brk <= backed <= base + HEAP_SPAN, with backed - base a
 *   whole number of pages; every page of [base, backed) is mapped
 *   writable from a memory object this file created, and nothing else
 *   is mapped in the range.
 *
 * Each piece is one memory object and one mapping, its capability closed
 * at once (the mapping keeps the object and its charge until the domain
 * ends): no capability slot per piece, but one of the kernel's mappings
 * of the domain (MAP_MAX) and one of its memory objects. To keep their
 * number small the heap grows by at least a quarter of what it has
 * (PIECE_MIN at first), in pieces of at most MEM_OBJECT_MAX; when the
 * quota has room for what is asked but not for the larger step, it grows
 * by exactly what is asked, so the heap fills the quota to its end. A
 * growth that fails part-way is undone, so nothing half-done stays
 * charged. A break lowered by a negative increment keeps its pages for
 * the next growth (picolibc's malloc never shrinks the heap).
 */
#include "lib.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <sys/lock.h>
#include <unistd.h>

#define PAGE       4096ul
#define HEAP_SPAN  (4ul << 30)    /* address space, not memory */
#define PIECE_MIN  (64ul << 10)
#define PIECE_MAX  MEM_OBJECT_MAX /* the kernel's largest object (abi.h) */

static struct __lock heap_lock;
static uintptr_t base, brk_at, backed; /* 0 until the first call */

static size_t page_round(size_t size)
{
	return (size + PAGE - 1) & ~(PAGE - 1);
}

static int heap_ok(void)
{
	return base && base <= brk_at && brk_at <= backed &&
	       backed - base <= HEAP_SPAN && (backed - base) % PAGE == 0;
}

/* Backs [backed, backed + size) with new memory objects, size a whole
 * number of pages within the range; on a refusal unmaps what it made
 * (which frees those objects: no capability names them) and returns the
 * kernel's error. */
static int back(size_t size)
{
	size_t done = 0;
	int err = 0;
	while (done < size && !err) {
		size_t piece = size - done;
		if (piece > PIECE_MAX)
			piece = PIECE_MAX;
		kcap_t mem;
		void *at;
		err = kmem_create(piece, &mem);
		if (err)
			break;
		err = kmem_map(mem, 0, piece, KMEM_READ | KMEM_WRITE,
		               (void *)(backed + done), &at);
		/* the mapping holds the object now, or nothing does */
		kcap_close(mem);
		if (!err)
			done += piece;
	}
	if (err) {
		/* only the last piece may be short, and it is the one refused */
		for (; done > 0; done -= PIECE_MAX)
			kmem_unmap((void *)(backed + done - PIECE_MAX),
			           PIECE_MAX);
		return err;
	}
	backed += size;
	return 0;
}

/* Backs `short_by` bytes more at least: a quarter of what the heap has
 * (PIECE_MIN at first) if the quota allows, else exactly the pages
 * asked for. */
static int grow(size_t short_by)
{
	size_t need = page_round(short_by);
	size_t step = (backed - base) / 4 & ~(PAGE - 1);
	if (step < PIECE_MIN)
		step = PIECE_MIN;
	if (step > base + HEAP_SPAN - backed)
		step = base + HEAP_SPAN - backed;
	if (step > need && back(step) == 0)
		return 0;
	return back(need);
}

/* Moves the break by `increment`; with the lock held. */
static void *move_break(intptr_t increment)
{
	if (!base) {
		void *at;
		if (kvm_reserve(HEAP_SPAN, &at) != 0)
			return 0;
		base = brk_at = backed = (uintptr_t)at;
	}
	assert(heap_ok());
	uintptr_t old = brk_at;
	if (increment < 0) {
		uintptr_t down = -(uintptr_t)increment;
		if (down > brk_at - base)
			return 0;
		brk_at -= down;
		return (void *)old;
	}
	uintptr_t up = (uintptr_t)increment;
	if (up > base + HEAP_SPAN - brk_at)
		return 0;
	if (brk_at + up > backed && grow(brk_at + up - backed) != 0)
		return 0;
	brk_at += up;
	return (void *)old;
}

void *sbrk(ptrdiff_t increment)
{
	__retarget_lock_acquire(&heap_lock);
	void *old = move_break(increment);
	__retarget_lock_release(&heap_lock);
	if (!old) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return old;
}
