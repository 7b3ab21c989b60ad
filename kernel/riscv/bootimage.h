/*
 * The boot image: the riscv kernel's boot modules in one file, which the
 * host tool kernel/riscv/tool/bootimage.c writes and the kernel reads
 * (bootmod.c) at MODULE_BASE, where QEMU's generic loader put it. Module 0
 * is the root program (core, once it runs here); the others are ROMs for
 * it. Shared by both sides, so it holds only the wire format.
 *
 * Layout, every integer little endian:
 *   header   magic "RVBOOT1\0" (8 bytes), u32 total_size, u32 count
 *   entries  count times: name (BOOT_NAME_MAX bytes, NUL terminated and
 *            padded), u32 offset, u32 size
 *   data     each module at its offset, page aligned (4 KiB: the root maps
 *            modules as memory objects), inside total_size
 */
#ifndef RISCV_BOOTIMAGE_H
#define RISCV_BOOTIMAGE_H

#define BOOT_MAGIC        "RVBOOT1"   /* 8 bytes with its NUL */
#define BOOT_HEADER_SIZE  16u
#define BOOT_NAME_MAX     32u
#define BOOT_ENTRY_SIZE   (BOOT_NAME_MAX + 8u)
#define BOOT_MAX_MODULES  16u
#define BOOT_ALIGN        4096u  /* a page: a module maps as a memory object */

#endif /* RISCV_BOOTIMAGE_H */
