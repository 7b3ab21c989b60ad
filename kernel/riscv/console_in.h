/*
 * The console's input, read by the kernel from the board's UART itself
 * (SYS_CONSOLE_READ, the root's control channel, core/riscv/control.c).
 */
#ifndef RISCV_CONSOLE_IN_H
#define RISCV_CONSOLE_IN_H

/* One byte the UART has received, or -1 if none is there (never waits).
 * The first call sets the UART's receive trigger level to 14 bytes. */
int console_in_byte(void);

#endif /* RISCV_CONSOLE_IN_H */
