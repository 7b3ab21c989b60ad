/*
 * The console's input from the ns16550a UART (console_in.h), read through
 * its registers in the kernel's device gigabyte (arch.h) rather than by
 * SBI's legacy getchar, for throughput: the control channel carries whole
 * binaries (core/riscv/control.c).
 *
 * Why the trigger level matters: QEMU's 16550 offers its character
 * backend (stdin, a fifo) room for only as many bytes as are missing up
 * to the receive trigger level, and at least one; OpenSBI leaves the level
 * at 1 byte (FCR 0x01), so QEMU moved one byte per turn of its main loop,
 * about 6 KB/s of wall-clock time however fast the guest read. At 14
 * bytes (FCR 0xC1: FIFO on, nothing cleared) a turn moves up to 14. A
 * driver of the UART (pkg/uart) reads on interrupts, which the level
 * delays until 14 bytes or the FIFO's character timeout; its reads are
 * unchanged.
 *
 * The console's bytes are the control channel's while no driver holds
 * the UART: core stops reading while one does (control.c).
 */
#include "arch.h"
#include "console_in.h"

#include <stdint.h>

#define UART_RBR 0 /* receive buffer (read) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LSR 5 /* line status */
#define UART_LSR_DR 0x01u
#define UART_FCR_ENABLE_TRIGGER_14 0xC1u

/* Whether the trigger level was set: once per boot, the kernel's only
 * state about the UART (set on the one hart, in a system call). */
static int trigger_set;

static volatile uint8_t *uart_reg(unsigned offset)
{
	return (volatile uint8_t *)(UART0_BASE + offset);
}

int console_in_byte(void)
{
	if (!trigger_set) {
		*uart_reg(UART_FCR) = UART_FCR_ENABLE_TRIGGER_14;
		trigger_set = 1;
	}
	if (!(*uart_reg(UART_LSR) & UART_LSR_DR))
		return -1;
	return *uart_reg(UART_RBR);
}
