/*
 * Memory objects and address-space reservations (kernel/kernel.h) over
 * the kernel's memory objects (../mem.h, SYS_MEM_*). The kernel maps at
 * an address the caller names; which addresses are taken is this file's
 * business: reservations are ranges of the window [VM_BASE, VM_TOP),
 * handed out first fit from a small sorted table under a lock. A mapping
 * without an address gets a reservation of its own, given back by
 * kmem_unmap(). Nothing is mapped in a reservation but what its owner
 * maps, so kvm_rereserve() has nothing to do.
 */
#include "lib.h"

#include <stdint.h>
#include <sys/lock.h>

/* The kernel's second user window (USER_HIGH_*, ../arch.h) below its
 * last gigabyte, where the kernel maps the threads' IPC buffers
 * (USER_IPCBUF_BASE) and no memory object may go. */
#define VM_BASE 0x100000000ul
#define VM_TOP  0x1fc0000000ul
#define RANGES  64u
#define PAGE    4096ul

struct range {
	uintptr_t base;
	size_t size;
	int for_mapping; /* made by kmem_map() without an address */
};

static struct range ranges[RANGES]; /* sorted by base, size 0: unused tail */
static unsigned range_count;
static struct __lock lock;

static size_t page_round(size_t size)
{
	return (size + PAGE - 1) & ~(PAGE - 1);
}

/* First fit; KERR_NOMEM when the window or the table is full. */
static int reserve(size_t size, int for_mapping, uintptr_t *base)
{
	size = page_round(size);
	if (size == 0)
		return KERR_INVALID;
	__retarget_lock_acquire(&lock);
	uintptr_t at = VM_BASE;
	unsigned i = 0;
	for (; i < range_count && ranges[i].base - at < size; i++)
		at = ranges[i].base + ranges[i].size;
	int err = range_count == RANGES || VM_TOP - at < size ? KERR_NOMEM : 0;
	if (!err) {
		for (unsigned j = range_count; j > i; j--)
			ranges[j] = ranges[j - 1];
		ranges[i] = (struct range){ at, size, for_mapping };
		range_count++;
		*base = at;
	}
	__retarget_lock_release(&lock);
	return err;
}

/* Removes the reservation at exactly [base, base+size), if there is one
 * (and, with only_mapping, if kmem_map() made it). */
static int release(uintptr_t base, size_t size, int only_mapping)
{
	int err = KERR_INVALID;
	__retarget_lock_acquire(&lock);
	for (unsigned i = 0; i < range_count; i++) {
		if (ranges[i].base != base ||
		    ranges[i].size != page_round(size) ||
		    (only_mapping && !ranges[i].for_mapping))
			continue;
		for (unsigned j = i; j + 1 < range_count; j++)
			ranges[j] = ranges[j + 1];
		range_count--;
		err = 0;
		break;
	}
	__retarget_lock_release(&lock);
	return err;
}

int kmem_create(size_t size, kcap_t *mem)
{
	long sel = sys_call2(SYS_MEM_CREATE, (long)size, 0);
	if (sel < 0)
		return (int)sel;
	mem->sel = (int32_t)sel;
	return 0;
}

/* Every frame is there from the start: nothing to commit. */
int kmem_commit(kcap_t mem)
{
	long size = sys_call2(SYS_MEM_SIZE, mem.sel, 0);
	return size < 0 ? (int)size : 0;
}

int kmem_size(kcap_t mem, size_t *size)
{
	long got = sys_call2(SYS_MEM_SIZE, mem.sel, 0);
	if (got < 0)
		return (int)got;
	*size = (size_t)got;
	return 0;
}

int kmem_seal_readonly(kcap_t mem)
{
	long err = sys_call2(SYS_MEM_SEAL, mem.sel, 0);
	return err < 0 ? (int)err : 0;
}

int kmem_map(kcap_t mem, size_t offset, size_t size, unsigned flags, void *at,
             void **addr)
{
	uintptr_t va = (uintptr_t)at;
	size = page_round(size);
	if (!at) {
		int err = reserve(size, 1, &va);
		if (err)
			return err;
	}
	long err = sys_call5(SYS_MEM_MAP, mem.sel, (long)offset, (long)size,
	                     (long)flags, (long)va);
	if (err < 0) {
		if (!at)
			release(va, size, 1);
		return (int)err;
	}
	*addr = (void *)va;
	return 0;
}

int kmem_unmap(void *addr, size_t size)
{
	long err = sys_call2(SYS_MEM_UNMAP, (long)addr, (long)page_round(size));
	if (err < 0)
		return (int)err;
	release((uintptr_t)addr, size, 1);
	return 0;
}

int kvm_reserve(size_t size, void **base)
{
	uintptr_t at;
	int err = reserve(size, 0, &at);
	if (!err)
		*base = (void *)at;
	return err;
}

int kvm_release(void *base, size_t size)
{
	return release((uintptr_t)base, size, 0);
}

int kvm_rereserve(void *addr, size_t size)
{
	(void)addr;
	(void)size;
	return 0;
}

size_t kpage_size(void)
{
	return PAGE;
}
