/*
 * Core's command line on riscv (boot_options.c): boot module `core.args`,
 * the words of linux core's command line that mean something here. The
 * boot image has no other way to say them.
 */
#ifndef CORE_RISCV_BOOT_OPTIONS_H
#define CORE_RISCV_BOOT_OPTIONS_H

#include "archive_name.h"
#include "core_platform.h"

#include <stddef.h>
#include <stdint.h>

#define BOOT_OPTIONS_MODULE "core.args"

struct boot_options {
	uint64_t init_ram, init_caps; /* 0: what the kernel has left */
	int exit_with_init;
	int help; /* --help: core teaches its options and ends */
	char base[ARCHIVE_NAME_MAX + 1];
};

/* Reads `core.args`: `--init-ram SIZE` (64M), `--init-caps N`,
 * `--exit-with-init`, `--base PKG` (init from the depot archives of
 * the image, base_boot.h) and `--help`, separated by blanks, each as on
 * linux (core/main.c), which also gives the words of a refusal.
 * Without the module core runs as with `--exit-with-init` (a machine that
 * boots init alone ends with it: QEMU's exit status is init's code). 0, or
 * -1 with the reason in why[why_size] and nothing taken. */
int boot_options_read(const struct target *t, struct boot_options *o, char *why,
                      size_t why_size);

/* Logs the usage line of core.args and, if whole, what each option
 * means and an example (--help): a refusal teaches as linux core's. */
void boot_options_teach(struct target *t, int whole);

#endif
