/*
 * System calls: the door from U-mode (abi.h). Each call is a table entry
 * with a decode step, which checks the arguments and the caller's
 * authority and copies in what it needs without changing anything, and an
 * invoke step, which acts and cannot fail.
 */
#ifndef RISCV_SYSCALL_H
#define RISCV_SYSCALL_H

#include "thread.h"

/* Fills the table (syscall.c and the sys_*.c of each area); once, at
 * boot, before the first domain runs. */
void syscall_init(void);

/* Handles the ecall of `t` (sepc already past it); puts the result in a0
 * unless `t` blocked or ended. Returns the thread to switch to (an IPC
 * partner just woken), or 0 for the scheduler's choice. */
struct thread *syscall_dispatch(struct thread *t);

#endif /* RISCV_SYSCALL_H */
