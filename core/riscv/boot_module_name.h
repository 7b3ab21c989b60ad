/*
 * The names of the boot modules core on riscv serves (kernel/riscv/
 * bootimage.h): a ROM name (target_module_name_ok: DIR/boot/NAME on
 * linux), `config/` and a ROM name (DIR/config/NAME), or the path
 * ARCHIVE/FILE of a file of a depot archive, ARCHIVE an archive name of a
 * served kind (archive_name.h) and FILE a ROM name: the file that linux
 * core serves from DIR/depot/ARCHIVE/FILE for a ROM request with
 * rom_from="depot" and archive="ARCHIVE". Pure, so that core checks every
 * name of its boot image once, before it serves any (boot_modules.c).
 */
#ifndef CORE_RISCV_BOOT_MODULE_NAME_H
#define CORE_RISCV_BOOT_MODULE_NAME_H

#include "archive_name.h"
#include "core_platform.h"

#include <stddef.h>

/* An archive's file as a module name: the longest, with its NUL. */
#define BOOT_MODULE_NAME_MAX (ARCHIVE_NAME_MAX + 1 + TARGET_NAME_MAX + 1)

/* 0 when `name` is a ROM name, a config's or a depot file's path; -1 with
 * the reason
 * in *why (a static text) otherwise. */
int boot_module_name_check(const char *name, const char **why);

/* The module name of file `file` of archive `archive` (both checked by
 * the caller: rom_request.h) into out[BOOT_MODULE_NAME_MAX]. */
void boot_module_depot_name(const char *archive, const char *file, char *out);

/* When `name` is a file of `archive` (ARCHIVE/FILE), that FILE; else
 * NULL. */
const char *boot_module_file_of(const char *name, const char *archive);

#endif
