/*
 * The kernel console: formatted lines to the SBI console, which QEMU's
 * -nographic puts on standard output. The test suite reads these lines,
 * so their wording is an interface: tests/riscv/run-suite matches them.
 */
#ifndef RISCV_CONSOLE_H
#define RISCV_CONSOLE_H

#include <stddef.h>

/* printf for the kernel: %s %c %d %u %x %p and the l modifier, no widths. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes bytes that came from user space: anything but printable ASCII,
 * newline and tab is shown as '?', so a process cannot send escape
 * sequences to whoever reads the console. */
void console_write_untrusted(const char *buf, size_t len);

#endif /* RISCV_CONSOLE_H */
