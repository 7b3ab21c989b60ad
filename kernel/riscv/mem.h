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
 *   - a revoked object is mapped nowhere and never again;
 *   - a sealed object is never mapped writable, and an object is sealed
 *     only while no writable mapping exists (wmaps == 0);
 *   - a domain of no new code (SYS_NO_NEW_CODE) gets no executable
 *     mapping (sys_mem.c);
 *   - a RAM object with an owner is charged pages + 1 frames to that
 *     domain (thread.h's quota) until it is freed or the owner ends;
 *     device memory and boot modules are charged to no one.
 */
#ifndef RISCV_MEM_H
#define RISCV_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "bootmod.h"
#include "elf.h"
#include "thread.h"

#define MEM_MAX       128u
#define MEM_MAX_PAGES (MEM_OBJECT_MAX / PAGE_SIZE) /* abi.h: 512 */
#define MAP_MAX       64u     /* mappings per domain; the heap's pieces are some (lib/sbrk.c) */

struct mem;

/* Reference counting by capability slots (cap.c). */
void mem_ref(void *obj, int delta);

/* Decode helpers: whether an object slot is free and frames are there
 * for `pages` pages; whether [phys, phys+size) is device memory a driver
 * may have (not the kernel's own devices: CLINT, PLIC, the finisher). */
int mem_available(size_t pages);
int mem_device_range_ok(uintptr_t phys, size_t size);

/* A RAM object of `pages` zeroed frames and the frame listing them,
 * charged to `owner` (whose decode step checked pd_ram_room for
 * pages + 1) until it is freed or the owner ends. */
struct mem *mem_create(size_t pages, struct pd *owner);
struct mem *mem_create_device(uintptr_t phys, size_t pages);
/* A boot module as a sealed memory object (core's ROM dataspace of it):
 * its page-aligned bytes where the boot image lies, never freed. */
struct mem *mem_create_image(const struct bootmod *mod);
/* The boot module a memory object shows, or 0 (its name names a domain
 * started from it). */
const struct bootmod *mem_image(const struct mem *m);
/* The bytes of a memory object as an ELF image for SYS_PD_CREATE_IMAGE:
 * a boot module's, or a RAM object's frames (core's ROM dataspace of a
 * depot archive's binary, copied into RAM). 0, or KERR_INVALID for
 * device memory, which the kernel never reads. */
int mem_elf_image(const struct mem *m, struct elf_image *image);
size_t mem_size(const struct mem *m);
/* Whether the object is RAM (neither device memory nor a boot module);
 * the physical address of byte `offset` (< mem_size) of a RAM object. */
int mem_is_ram(const struct mem *m);
uintptr_t mem_phys(const struct mem *m, size_t offset);

int mem_sealed(const struct mem *m);
int mem_has_writable_mapping(const struct mem *m);
void mem_seal(struct mem *m);

/* Mapping: the decode step checks the range (vm_user_range_free), the
 * flags (never W+X, no W on a sealed object, no X for a domain of no new
 * code), the pages within the
 * object, a free mapping slot (mem_map_slot_free) and the frames for
 * tables; then mem_map() cannot fail. */
int mem_map_slot_free(const struct pd *pd);
/* How many mappings `pd` has (SYS_PD_USAGE). */
unsigned mem_maps_used(const struct pd *pd);
void mem_map(struct pd *pd, struct mem *m, size_t first_page, size_t pages,
             uintptr_t va, unsigned perm);
/* The mapping at exactly [va, va+size) of `pd`: its index, or -1. */
int mem_mapping_at(const struct pd *pd, uintptr_t va, size_t size);
void mem_unmap(struct pd *pd, int mapping);
void mem_unmap_all(struct pd *pd);
/* Unmaps `m` from every domain and refuses it every mapping from now on
 * (SYS_MEM_REVOKE: core takes a device range back on an IO_MEM session's
 * close, and a driver that kept a capability cannot map it again);
 * returns how many mappings went. The caller holds a capability, so `m`
 * itself stays until the last one is closed. */
unsigned mem_revoke(struct mem *m);
int mem_revoked(const struct mem *m);
/* At the end of `pd`: the objects charged to it that others still hold
 * are charged to none from now on. */
void mem_disown_all(struct pd *pd);

#endif /* RISCV_MEM_H */
