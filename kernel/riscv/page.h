/*
 * Physical page frames: every 4 KiB frame of RAM between the end of the
 * kernel image and the boot module window, on one free list. Page tables,
 * user memory and (later) kernel objects all come from here.
 *
 * Invariants: a frame is either on the free list or owned by exactly one
 * user (an address space's table or mapping); page_free_count() is the
 * length of the list; page_alloc() returns zeroed frames.
 */
#ifndef RISCV_PAGE_H
#define RISCV_PAGE_H

#include <stddef.h>
#include <stdint.h>

void page_init(void);

/* A zeroed frame's physical address, or 0 when none is left. Callers that
 * must not fail (an invoke step) check page_free_count() in their decode
 * step first: the kernel is never preempted, so the count holds. */
uintptr_t page_alloc(void);
void page_free(uintptr_t pa);
size_t page_free_count(void);

#endif /* RISCV_PAGE_H */
