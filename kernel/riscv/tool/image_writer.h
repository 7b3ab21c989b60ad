/*
 * The boot image writer (format: kernel/riscv/bootimage.h) as a host
 * library: riscv-bootimage (bootimage.c) and `sculpt boot --platform
 * qemu-riscv64` (sculpt-cli/boot_riscv.c) both write images with it.
 */
#ifndef RISCV_IMAGE_WRITER_H
#define RISCV_IMAGE_WRITER_H

#include <stddef.h>

#define BOOTIMAGE_MAX (14u << 20)  /* MODULE_MAX in kernel/riscv/arch.h */

/* One boot module: its name in the image and the file it is read from. */
struct bootimage_module {
	const char *name;
	const char *path;
};

/* Writes the image `out` of `count` modules, the root program first
 * (1..BOOT_MAX_MODULES), each name a ROM name or a depot file's path
 * (boot_name.h) and unique: through `out`.tmp and a rename, so a failure
 * leaves no image behind. 0, or -1 with a message in `why`. */
int bootimage_write(const char *out, const struct bootimage_module *mods,
                    unsigned count, char *why, size_t why_size);

#endif /* RISCV_IMAGE_WRITER_H */
