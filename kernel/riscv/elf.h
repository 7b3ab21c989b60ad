/*
 * The ELF loader for user programs: decode checks an image (hostile input:
 * a boot module, or any RAM memory object, such as core's ROM dataspace of
 * a depot archive's binary) and plans its segments without touching
 * anything; load maps the plan into an address space and cannot fail,
 * because decode has counted the frames it needs. Both run in one system
 * call, and the kernel is never preempted, so the image cannot change
 * between them.
 *
 * Accepted: ELF64, little endian, RISC-V, ET_EXEC; at most ELF_MAX_SEGMENTS
 * PT_LOAD segments, each inside the image and inside USER_BASE..
 * USER_IMAGE_TOP, in ascending page-disjoint order, never writable and
 * executable at once; the entry point inside an executable segment.
 */
#ifndef RISCV_ELF_H
#define RISCV_ELF_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

#define ELF_MAX_SEGMENTS 8u

/* Where an image's bytes are: contiguous (a boot module, where the boot
 * image lies) or a RAM memory object's frames, one per page, in order. */
struct elf_image {
	const uint8_t *bytes;    /* or 0 */
	const uintptr_t *frames; /* when bytes is 0 */
	size_t size;
};

struct elf_segment {
	uintptr_t vaddr; /* page aligned start of the mapping */
	size_t pages;
	size_t file_offset; /* of the byte at `file_vaddr` */
	uintptr_t file_vaddr;
	size_t file_size;
	unsigned perm; /* VM_R | VM_W | VM_X */
};

struct elf_plan {
	uintptr_t entry;
	unsigned count;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	size_t frames; /* frames load needs, tables included */
};

/* 0, or KERR_INVALID with *why naming the first problem found. */
int elf_decode(const struct elf_image *image, struct elf_plan *plan,
               const char **why);

/* Maps and fills the planned segments. Needs plan->frames free frames. */
void elf_load(struct vm_space *space, const struct elf_image *image,
              const struct elf_plan *plan);

#endif /* RISCV_ELF_H */
