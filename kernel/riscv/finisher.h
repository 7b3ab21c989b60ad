/*
 * The end of a run: QEMU's `virt` test finisher (sifive,test1), which
 * stops the machine with an exit status the host sees. This is how the
 * test suite learns how a run ended without parsing a last words line.
 *
 * Exit statuses of the kernel (tests/riscv/run-suite relies on them):
 *   0..127     the root process exited with this code
 *   128 + n    the root process was killed by exception n (scause)
 *   FINISH_PANIC       the kernel panicked (an assertion failed)
 *   FINISH_NO_MODULE   the boot module is no acceptable ELF image
 *   FINISH_DEADLOCK    every thread is blocked and nothing can wake one
 */
#ifndef RISCV_FINISHER_H
#define RISCV_FINISHER_H

#include <stdint.h>

#define FINISH_PANIC      200u
#define FINISH_NO_MODULE  201u
#define FINISH_DEADLOCK   202u

_Noreturn void finish(uint32_t status);

#endif /* RISCV_FINISHER_H */
