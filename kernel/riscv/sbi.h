/*
 * Calls down to the SBI firmware (OpenSBI) in M-mode: the console byte
 * out and the timer. The kernel needs nothing else of it; the board's own
 * devices (the test finisher, the PLIC) it drives itself.
 */
#ifndef RISCV_SBI_H
#define RISCV_SBI_H

#include <stdint.h>

/* Writes one byte to the firmware console (legacy extension 0x01). */
void sbi_console_putchar(char c);

/* Arms the S-mode timer for the absolute `time` value `when` (TIME
 * extension); the interrupt stays pending until the timer is armed again. */
void sbi_set_timer(uint64_t when);

#endif /* RISCV_SBI_H */
