/*
 * Booting from the target's depot (core/README.md, "Booting from a
 * depot"): `core --base user/pkg/base/VERSION` starts init from the bin
 * archive that the base pkg names, instead of boot/init. The pkg's
 * `archives` file lists `user/src/init/V`; core runs the file `init` of
 * `user/bin/<core's arch>/init/V` (ARCHIVE_ARCH). Both files are read
 * through depot_rom.h, so they are confined to DIR/depot/ and checked
 * against their manifests like every depot ROM.
 *
 * One piece for both platforms: core on riscv takes `--base PKG` from
 * boot module core.args (core/riscv/boot_options.h) and reads the same
 * two files as modules of its boot image (core/riscv/depot_modules.c);
 * only where a missing archive should have been, and how it gets there,
 * is the platform's (depot_rom_install_hint).
 */
#ifndef CORE_BASE_BOOT_H
#define CORE_BASE_BOOT_H

#include "archive_name.h"
#include "core_platform.h"

#include <stddef.h>

/* A pkg's archives file is small; more is refused. */
#define BASE_ARCHIVES_MAX ((size_t)64 << 10)

/* 0 when `text` names a pkg archive (what --base takes), else -1. */
int base_boot_pkg_ok(const char *text);

/* Reads init's image from the depot for pkg `pkg` (a pkg archive name).
 * Once init's bin archive A is known, from[from_size] says " from depot
 * archive A", for core's line about init's start (init_parent_start;
 * "" before). 0, or -1 with a message in err[err_size] that names the
 * missing or damaged archive and the command that installs it. */
int base_boot_image(struct target *t, const char *pkg, kcap_t *image,
                    char *from, size_t from_size, char *err, size_t err_size);

#endif
