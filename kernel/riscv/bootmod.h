/*
 * The boot modules, found in the boot image (bootimage.h) at MODULE_BASE.
 * bootmod_decode() checks the whole header before anything uses it: the
 * image is hostile input, bounded by the MODULE_MAX window, and checked
 * in time linear in its module count (names compared pairwise: at most
 * BOOT_MAX_MODULES). A refused image leaves a table of no modules.
 */
#ifndef RISCV_BOOTMOD_H
#define RISCV_BOOTMOD_H

#include <stddef.h>
#include <stdint.h>

#include "bootimage.h"

struct bootmod {
	char name[BOOT_NAME_MAX];
	const uint8_t *data;
	size_t size;
};

struct bootmods {
	unsigned count;
	struct bootmod mod[BOOT_MAX_MODULES];
};

/* Decodes into `out` (the table is large: 26 KiB, more than the kernel's
 * stack, so it is the caller's storage). 0, or KERR_INVALID with *why
 * naming the first problem and out->count 0. */
int bootmod_decode(const uint8_t *window, size_t window_size,
                   struct bootmods *out, const char **why);

/* Decodes the boot image once at boot and keeps its table: the modules
 * are the system's ROMs for its whole life. */
int bootmod_init(const uint8_t *window, size_t window_size, const char **why);

/* Module `index`, or 0 past the last. */
const struct bootmod *bootmod_get(uint64_t index);

#endif /* RISCV_BOOTMOD_H */
