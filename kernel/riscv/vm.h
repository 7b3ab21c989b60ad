/*
 * Sv39 address spaces. Each one is a root page table whose kernel part
 * (the device gigabyte and the RAM gigabyte, supervisor only, global) is
 * the same in every space, and whose user part (USER_BASE..USER_TOP, arch.h)
 * is its own, built from 4 KiB leaves.
 *
 * Invariants: every user leaf has U, A and V set and is never both W and
 * X; the kernel never maps a user page twice; a space owns every frame its
 * user part points to (tables and leaves) and gives them back in
 * vm_space_destroy().
 */
#ifndef RISCV_VM_H
#define RISCV_VM_H

#include <stddef.h>
#include <stdint.h>

enum vm_perm {
	VM_R = 1u << 1,
	VM_W = 1u << 2,
	VM_X = 1u << 3,
	/* software bits: a memory object's page (mem.h), never
                * freed with the space; device memory, which system calls
                * never read or write on a program's behalf */
	VM_SHARED = 1u << 8,
	VM_DEVICE = 1u << 9
};

struct vm_space {
	uintptr_t root;
};

/* Builds the kernel's own space and switches to it. */
void vm_init(void);

/* A new space with the kernel part only; KERR_NOMEM without frames. */
int vm_space_create(struct vm_space *space);
void vm_space_destroy(struct vm_space *space);

/* The most frames vm_map_page() may take for tables when mapping `pages`
 * consecutive pages: decode steps reserve this much. */
size_t vm_tables_needed(size_t pages);

/* Maps the frame `pa` at user address `va` (page aligned, in the user
 * part, not yet mapped) with `perm` (never W and X). The caller has made
 * sure the frames for tables exist (vm_tables_needed()), so it cannot fail. */
void vm_map_page(struct vm_space *space, uintptr_t va, uintptr_t pa,
                 unsigned perm);

/* Takes the mapping of user page `va` away (it is mapped) and flushes it
 * from the TLB; the frame stays its owner's. */
void vm_unmap_page(struct vm_space *space, uintptr_t va);

/* Whether no page of [va, va+len) is mapped and the range is in the
 * user part below the stack's guard page and the IPC buffers (arch.h). */
int vm_user_range_free(const struct vm_space *space, uintptr_t va, size_t len);

/* Whether [va, va+len) is mapped for user access with at least `perm`:
 * the check a system call makes before it touches user memory. */
int vm_user_range_ok(const struct vm_space *space, uintptr_t va, size_t len,
                     unsigned perm);

/* The kernel (physical = virtual) address of user address `va`, which
 * vm_user_range_ok() has accepted; 0 if it is not mapped. */
uintptr_t vm_user_to_kernel(const struct vm_space *space, uintptr_t va);

/* Copies between user memory of a space (ranges vm_user_range_ok() has
 * accepted, with R to read and W to write) and the kernel, or from one
 * space to another: how messages cross address spaces. */
void vm_read_user(const struct vm_space *space, uintptr_t va, void *to,
                  size_t len);
void vm_write_user(const struct vm_space *space, uintptr_t va, const void *from,
                   size_t len);
void vm_copy_user(const struct vm_space *dst, uintptr_t dva,
                  const struct vm_space *src, uintptr_t sva, size_t len);

/* Makes `space` the one the hart translates with. */
void vm_activate(const struct vm_space *space);

#endif /* RISCV_VM_H */
