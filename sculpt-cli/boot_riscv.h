/*
 * `sculpt boot --platform qemu-riscv64`: a riscv64 system from the
 * target's depot, booted under QEMU (boot_riscv.c).
 */
#ifndef SCULPT_BOOT_RISCV_H
#define SCULPT_BOOT_RISCV_H

#include "sculpt.h"

#define BOOT_RISCV_PLATFORM "qemu-riscv64"

struct boot_riscv_options {
	unsigned timeout_s; /* QEMU is ended after this long (status 124) */
	int icount;         /* -icount shift=0,sleep=off: repeatable runs */
};

/* Installs pkg `text` for riscv64, assembles the boot image from its
 * archives and runs QEMU; the exit status: QEMU's (the kernel's,
 * kernel/riscv/finisher.h), 124 when the time ran out, or 1 after a
 * message. */
int boot_riscv(struct sculpt *s, const char *text,
               const struct boot_riscv_options *options);

#endif
