/*
 * Memory objects (kernel/kernel.h's kmem_*): RAM objects of zeroed frames
 * that any holder of a capability maps, and device memory objects (a
 * physical range of the board's devices, created by the root only: the
 * IO_MEM service of core) mapped the same way. A domain maps an object at
 * an address of its choosing (libkernel keeps the reservations); the
 * mapping is recorded in the domain's mapping table, which is how
 * kmem_unmap() finds it and how a domain's end unmaps everything.
 *
 * Invariants:
 *   - an object lives while a capability names it or a domain maps it
 *     (refs + maps > 0); then its frames are freed (RAM) or forgotten
 *     (device memory: never the kernel's frames);
 *   - every page of a mapping carries VM_SHARED (and VM_DEVICE for device
 *     memory), so vm_space_destroy() never frees it and system calls
 *     never touch device registers;
 *   - a sealed object is never mapped writable, and an object is sealed
 *     only while no writable mapping exists (wmaps == 0).
 */
#ifndef RISCV_MEM_H
#define RISCV_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "bootmod.h"
#include "thread.h"

#define MEM_MAX       128u
#define MEM_MAX_PAGES 512u    /* 2 MiB: one frame lists the frames */
#define MAP_MAX       32u     /* mappings per domain */

struct mem;

/* Reference counting by capability slots (cap.c). */
void mem_ref(void *obj, int delta);

/* Decode helpers: whether an object slot is free and frames are there
 * for `pages` pages; whether [phys, phys+size) is device memory a driver
 * may have (not the kernel's own devices: CLINT, PLIC, the finisher). */
int mem_available(size_t pages);
int mem_device_range_ok(uintptr_t phys, size_t size);

struct mem *mem_create(size_t pages);
struct mem *mem_create_device(uintptr_t phys, size_t pages);
/* A boot module as a sealed memory object (core's ROM dataspace of it):
 * its page-aligned bytes where the boot image lies, never freed. */
struct mem *mem_create_image(const struct bootmod *mod);
/* The boot module a memory object shows, or 0: what SYS_PD_CREATE_IMAGE
 * starts. */
const struct bootmod *mem_image(const struct mem *m);
size_t mem_size(const struct mem *m);

int mem_sealed(const struct mem *m);
int mem_has_writable_mapping(const struct mem *m);
void mem_seal(struct mem *m);

/* Mapping: the decode step checks the range (vm_user_range_free), the
 * flags (never W+X, no W on a sealed object), the pages within the
 * object, a free mapping slot (mem_map_slot_free) and the frames for
 * tables; then mem_map() cannot fail. */
int mem_map_slot_free(const struct pd *pd);
void mem_map(struct pd *pd, struct mem *m, size_t first_page, size_t pages,
             uintptr_t va, unsigned perm);
/* The mapping at exactly [va, va+size) of `pd`: its index, or -1. */
int mem_mapping_at(const struct pd *pd, uintptr_t va, size_t size);
void mem_unmap(struct pd *pd, int mapping);
void mem_unmap_all(struct pd *pd);

#endif /* RISCV_MEM_H */
