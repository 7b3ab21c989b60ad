/*
 * The system-call ABI between the riscv kernel and user programs, shared
 * by both sides (kernel/riscv/user/ includes it too). A call is an ecall
 * with its number in a7 and arguments in a0..a5; the result comes back in
 * a0: a non-negative value, or a negative KERR_* (kernel/kernel.h).
 *
 * This is the first, minimal table; the kernel interface proper (IPC,
 * capabilities, memory, threads) is added here number by number, each with
 * a decode and an invoke step in syscall.c (see README.md).
 */
#ifndef RISCV_ABI_H
#define RISCV_ABI_H

/* Macros, not an enum: crt0.S includes this file too. */
#define SYS_PRINT 0  /* (const char *buf, size_t len) -> len; at most
                        SYS_PRINT_MAX bytes of the caller's readable memory */
#define SYS_EXIT  1  /* (int code): ends the caller's domain, code & 127 */
#define SYS_TICKS 2  /* () -> timer ticks since boot */
#define SYS_COUNT 3

#define SYS_PRINT_MAX 256u

#endif /* RISCV_ABI_H */
