/*
 * ROMs pushed over the control channel (control.c) while the system runs:
 * each a sealed memory object of core's, by name, standing in front of the
 * boot module of that name (or adding one), with a generation that grows
 * on each push so the ROM service sees the change (boot_modules.c puts it
 * in the module's stamp). The control thread adds; the entrypoint reads;
 * a lock keeps the two apart.
 */
#ifndef CORE_RISCV_PUSHED_ROMS_H
#define CORE_RISCV_PUSHED_ROMS_H

#include <kernel/kernel.h>

#include <stddef.h>
#include <stdint.h>

/* How many names may be pushed in all (a replaced one counts once). */
#define PUSHED_ROMS_MAX 16

/* Takes `mem` (sealed, `size` bytes) as ROM `name`, closing what was
 * pushed under that name before. 0, or KERR_NOMEM when PUSHED_ROMS_MAX
 * other names are there (then `mem` is the caller's still). */
int pushed_roms_put(const char *name, kcap_t mem, size_t size);

/* Whether `name` was pushed: then 1, with a copy of its memory object in
 * *mem if mem is non-NULL (the caller's to close), its size and
 * generation (>= 1); otherwise 0. A failing copy answers KERR_NOMEM. */
int pushed_roms_find(const char *name, kcap_t *mem, size_t *size,
                     uint64_t *generation);

#endif
