/*
 * Sv39 page tables (vm.h). Three levels of 512 entries; a virtual address
 * splits into VPN[2] (bits 38..30), VPN[1], VPN[0] and the page offset.
 * The kernel part is two gigapage leaves in the root; the user part is
 * root entry 1 (USER_BASE is 1 GiB) and the tables below it.
 */
#include "arch.h"
#include "kernel/kernel.h"
#include "page.h"
#include "panic.h"
#include "vm.h"

void *memcpy(void *restrict dst, const void *restrict src,
             size_t n); /* string.c */

#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)

#define PTE_PA(pte)  (((pte) >> 10) << PAGE_SHIFT)
#define PA_PTE(pa)   (((pa) >> PAGE_SHIFT) << 10)
#define VPN(va, lvl) (((va) >> (PAGE_SHIFT + 9 * (lvl))) & 511ul)

/* The kernel part, copied into every root: device registers and RAM. */
static uint64_t kernel_root_dev, kernel_root_ram;
static struct vm_space kernel_space;

static int is_user_va(uintptr_t va)
{
	return (va >= USER_BASE && va < USER_TOP) ||
	       (va >= USER_HIGH_BASE && va < USER_HIGH_TOP);
}

/* Whether [va, va+len) lies within one user window, below `low_top` in
 * the first and below `high_top` in the second. */
static int in_user_window(uintptr_t va, size_t len, uintptr_t low_top,
                          uintptr_t high_top)
{
	if (va + len < va)
		return 0;
	return (va >= USER_BASE && va + len <= low_top) ||
	       (va >= USER_HIGH_BASE && va + len <= high_top);
}

void vm_init(void)
{
	kernel_root_dev = PA_PTE(0ul) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D |
	                  PTE_G;
	kernel_root_ram = PA_PTE(RAM_BASE) | PTE_V | PTE_LEAF | PTE_A | PTE_D |
	                  PTE_G;
	KASSERT(vm_space_create(&kernel_space) == 0);
	vm_activate(&kernel_space);
}

int vm_space_create(struct vm_space *space)
{
	uintptr_t root = page_alloc();
	if (!root)
		return KERR_NOMEM;
	uint64_t *pt = (uint64_t *)root;
	pt[VPN(0ul, 2)] = kernel_root_dev;
	pt[VPN(RAM_BASE, 2)] = kernel_root_ram;
	space->root = root;
	return 0;
}

/* Frees the tables and leaves below `table` at level `lvl` (user part). */
static void free_table(uintptr_t table, int lvl)
{
	uint64_t *pt = (uint64_t *)table;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t pte = pt[i];
		if (!(pte & PTE_V))
			continue;
		if (pte & PTE_LEAF) {
			/* memory objects' pages are unmapped before (mem.h) */
			KASSERT(lvl == 0 && (pte & PTE_U) &&
			        !(pte & VM_SHARED));
			page_free(PTE_PA(pte));
		} else {
			free_table(PTE_PA(pte), lvl - 1);
		}
	}
	page_free(table);
}

void vm_space_destroy(struct vm_space *space)
{
	KASSERT(space != &kernel_space);
	/* Never free the tables the hart translates with. */
	if ((csr_read(satp) & ((1ul << 44) - 1)) == space->root >> PAGE_SHIFT)
		vm_activate(&kernel_space);
	uint64_t *root = (uint64_t *)space->root;
	for (unsigned i = 0; i < 512; i++) {
		uintptr_t giga = (uintptr_t)i << 30;
		if (is_user_va(giga) && (root[i] & PTE_V))
			free_table(PTE_PA(root[i]), 1);
	}
	page_free(space->root);
	space->root = 0;
}

size_t vm_tables_needed(size_t pages)
{
	/* One level-1 table per gigabyte touched and one level-0 table per
	 * 2 MiB touched (a run may straddle one boundary more of each). */
	return 2 + pages / (512 * 512) + pages / 512 + 2;
}

/* The level-0 entry for `va`, making tables on the way if `make`. */
static uint64_t *walk(uintptr_t root, uintptr_t va, int make)
{
	uint64_t *pt = (uint64_t *)root;
	for (int lvl = 2; lvl > 0; lvl--) {
		uint64_t *pte = &pt[VPN(va, lvl)];
		if (!(*pte & PTE_V)) {
			if (!make)
				return 0;
			uintptr_t table = page_alloc();
			KASSERT(table); /* reserved by the caller's decode step */
			*pte = PA_PTE(table) | PTE_V;
		}
		KASSERT(!(*pte & PTE_LEAF));
		pt = (uint64_t *)PTE_PA(*pte);
	}
	return &pt[VPN(va, 0)];
}

void vm_map_page(struct vm_space *space, uintptr_t va, uintptr_t pa,
                 unsigned perm)
{
	KASSERT(is_user_va(va) && !(va & (PAGE_SIZE - 1)) &&
	        !(pa & (PAGE_SIZE - 1)));
	KASSERT((perm & (VM_R | VM_W | VM_X)) &&
	        !((perm & VM_W) && (perm & VM_X)));
	KASSERT(!(perm & VM_DEVICE) || (perm & VM_SHARED));
	uint64_t *pte = walk(space->root, va, 1);
	KASSERT(!(*pte & PTE_V));
	*pte = PA_PTE(pa) | perm | PTE_U | PTE_V | PTE_A | PTE_D;
}

static uint64_t user_leaf(const struct vm_space *space, uintptr_t va)
{
	if (!is_user_va(va))
		return 0;
	uint64_t *pte = walk(space->root, va, 0);
	return pte ? *pte : 0;
}

void vm_unmap_page(struct vm_space *space, uintptr_t va)
{
	uint64_t *pte = is_user_va(va) ? walk(space->root, va, 0) : 0;
	KASSERT(pte && (*pte & PTE_V) && (*pte & VM_SHARED));
	*pte = 0;
	sfence_vma();
}

int vm_user_range_free(const struct vm_space *space, uintptr_t va, size_t len)
{
	if (!in_user_window(va, len, USER_IMAGE_TOP, USER_IPCBUF_BASE))
		return 0;
	for (uintptr_t p = va & ~(PAGE_SIZE - 1); p < va + len; p += PAGE_SIZE)
		if (user_leaf(space, p) & PTE_V)
			return 0;
	return 1;
}

int vm_user_range_ok(const struct vm_space *space, uintptr_t va, size_t len,
                     unsigned perm)
{
	if (len == 0)
		return 1;
	if (!in_user_window(va, len, USER_TOP, USER_HIGH_TOP))
		return 0;
	for (uintptr_t p = va & ~(PAGE_SIZE - 1); p < va + len;
	     p += PAGE_SIZE) {
		uint64_t pte = user_leaf(space, p);
		if (!(pte & PTE_V) || !(pte & PTE_U) || (pte & perm) != perm ||
		    (pte & VM_DEVICE))
			return 0;
	}
	return 1;
}

uintptr_t vm_user_to_kernel(const struct vm_space *space, uintptr_t va)
{
	uint64_t pte = user_leaf(space, va);
	if (!(pte & PTE_V))
		return 0;
	return PTE_PA(pte) | (va & (PAGE_SIZE - 1));
}

/* How many bytes from `va` on stay within its page, at most `len`. */
static size_t in_page(uintptr_t va, size_t len)
{
	size_t room = PAGE_SIZE - (va & (PAGE_SIZE - 1));
	return len < room ? len : room;
}

static void *user_ptr(const struct vm_space *space, uintptr_t va)
{
	uintptr_t k = vm_user_to_kernel(space, va);
	KASSERT(k); /* the decode step checked the range */
	return (void *)k;
}

void vm_read_user(const struct vm_space *space, uintptr_t va, void *to,
                  size_t len)
{
	for (size_t n; len; va += n, to = (char *)to + n, len -= n) {
		n = in_page(va, len);
		memcpy(to, user_ptr(space, va), n);
	}
}

void vm_write_user(const struct vm_space *space, uintptr_t va, const void *from,
                   size_t len)
{
	for (size_t n; len; va += n, from = (const char *)from + n, len -= n) {
		n = in_page(va, len);
		memcpy(user_ptr(space, va), from, n);
	}
}

void vm_copy_user(const struct vm_space *dst, uintptr_t dva,
                  const struct vm_space *src, uintptr_t sva, size_t len)
{
	for (size_t n; len; dva += n, sva += n, len -= n) {
		n = in_page(sva, in_page(dva, len));
		memcpy(user_ptr(dst, dva), user_ptr(src, sva), n);
	}
}

void vm_activate(const struct vm_space *space)
{
	csr_write(satp, SATP_SV39 | (space->root >> PAGE_SHIFT));
	sfence_vma();
}
