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
 *
 * Names are unique. A name is one part (a ROM: `init`, `init.config`),
 * `config/` and one part (a config, which core serves before the ROM of
 * its name, and not as a boot module: linux's DIR/config/), or the path
 * of a file of a depot archive, `ARCHIVE/FILE` with ARCHIVE
 * `user/kind/name/version` or `user/bin/arch/name/version` (kinds raw,
 * pkg, bin), as the file lies beneath a depot on linux (core/README.md,
 * "core on riscv"). Every part is 1..BOOT_PART_MAX bytes of
 * [A-Za-z0-9_.-] and does not start with '.'; so no name is absolute or
 * holds "." or "..". The image writer (tool/image_writer.c) and core
 * (core/riscv/boot_name.c) each refuse an image that breaks this; the
 * kernel checks only what it relies on itself (terminated, unique).
 */
#ifndef RISCV_BOOTIMAGE_H
#define RISCV_BOOTIMAGE_H

#define BOOT_MAGIC        "RVBOOT2"   /* 8 bytes with its NUL */
#define BOOT_HEADER_SIZE  16u
/* A part of a name: a ROM name, a part of an archive name (core's
 * TARGET_NAME_MAX and ARCHIVE_PART_MAX, asserted equal there). */
#define BOOT_PART_MAX     64u
/* The longest name, six parts and five '/' (a file of a bin archive: 389
 * bytes), with its NUL, rounded up to 8 bytes. */
#define BOOT_NAME_MAX     392u
#define BOOT_ENTRY_SIZE   (BOOT_NAME_MAX + 8u)
/* core, init, its config and the files of a few pkgs' archives. */
#define BOOT_MAX_MODULES  64u
#define BOOT_ALIGN        4096u  /* a page: a module maps as a memory object */

#endif /* RISCV_BOOTIMAGE_H */
