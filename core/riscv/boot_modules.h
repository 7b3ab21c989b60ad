/*
 * The boot modules as core on riscv knows them (boot_modules.c): their
 * table, read from the kernel and checked once when core starts
 * (target_open_boot), for the ROM service's lookups of ROMs and of depot
 * files (depot_modules.c).
 */
#ifndef CORE_RISCV_BOOT_MODULES_H
#define CORE_RISCV_BOOT_MODULES_H

#include <kernel/kernel.h>

#include <stddef.h>

/* The index of the module named exactly `name` and its size; 0 if there
 * is none (0 is core's own, never a ROM). */
unsigned boot_module_find(const char *name, size_t *size);

/* The name of module `index` (1..), or NULL past the last. */
const char *boot_module_name(unsigned index);

/* How many modules are files of depot archive `archive` (ARCHIVE/FILE,
 * boot_module_name.h): 0 when the image does not hold it. */
unsigned boot_modules_of_archive(const char *archive);

/* Module `index` as the kernel's sealed memory object over its frames.
 * 0, KERR_NOMEM, or KERR_INVALID. */
int boot_module_mem(unsigned index, kcap_t *mem);

#endif
