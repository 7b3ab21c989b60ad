/*
 * `sculpt boot --platform qemu-riscv64`: a riscv64 system from the
 * target's depot, booted under QEMU (boot_riscv.c).
 */
#ifndef SCULPT_BOOT_RISCV_H
#define SCULPT_BOOT_RISCV_H

#include "sculpt.h"

#define BOOT_RISCV_PLATFORM "qemu-riscv64"

struct boot_riscv_options {
	int foreground;     /* attached: the console on stdout, QEMU ended
	                     * after timeout_s (status 124) */
	unsigned timeout_s; /* foreground: how long QEMU runs; detached: how
	                     * long init may take to run the generation */
	int icount;         /* -icount shift=0,sleep=off: repeatable runs */
};

/* Installs pkg `text` for riscv64, assembles the boot image from its
 * archives (and the generation applied last) and starts QEMU with the
 * console through riscv-console and the control channel. Detached: 0
 * once init runs the generation (or the machine started, without one),
 * 1 after a message. Foreground: QEMU's exit status (the kernel's,
 * kernel/riscv/finisher.h), 124 when the time ran out, or 1 after a
 * message. */
int boot_riscv(struct sculpt *s, const char *text,
               const struct boot_riscv_options *options);

#endif
