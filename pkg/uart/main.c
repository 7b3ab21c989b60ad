/*
 * uart: a driver of the ns16550a UART of QEMU's riscv virt board, as a
 * component (issue 15 item 2). It reaches the device only through core's
 * device services, by libruntime: an IO_MEM session for the registers
 * (a dataspace it attaches), an IRQ session for the receive interrupt
 * (counted on a signal of its own, acknowledged through the connection).
 * It reads one line, a byte at a time as interrupts come, writes it back
 * to the UART itself ("uart: read "...""), logs what it did, closes both
 * sessions and exits 0; without either session it logs why and exits 1,
 * having touched nothing.
 *
 * The device's address and interrupt are virt's (no config ROM on riscv
 * yet, README); everything else is the ns16550a's.
 */
#include <runtime/env.h>
#include <runtime/io_mem_connection.h>
#include <runtime/irq_connection.h>
#include <runtime/signal.h>

#include <stdint.h>
#include <string.h>

#include "ns16550a.h"

#define UART_BASE 0x10000000u
#define UART_SIZE 4096u
#define UART_IRQ  10u
#define LINE_MAX  64u

struct uart {
	volatile uint8_t *reg;
	struct io_mem_connection io;
	struct irq_connection irq;
	signal_receiver_t *rx;
	signal_context_t ctx;
	unsigned interrupts;
};

static void put(struct uart *u, const char *s)
{
	for (; *s; s++) {
		while (!(u->reg[LSR] & LSR_THRE))
			;
		u->reg[THR] = (uint8_t)*s;
	}
}

/* Reads until a newline or `size` - 1 bytes, interrupt by interrupt;
 * the line without its newline. 0 or the error of a wait or ack. */
static int read_line(struct uart *u, char *line, size_t size)
{
	size_t n = 0;
	bool end = false;
	u->reg[MCR] |= MCR_OUT2;
	u->reg[IER] = IER_RX;
	while (!end && n < size - 1) {
		signal_t sig;
		int rc = signal_receiver_wait(u->rx, &sig, -1);
		if (rc)
			return rc;
		u->interrupts++;
		while ((u->reg[LSR] & LSR_DR) && !end && n < size - 1) {
			char c = (char)u->reg[RBR];
			end = c == '\n' || c == '\r';
			if (!end)
				line[n++] = c;
		}
		rc = irq_connection_ack(&u->irq);
		if (rc)
			return rc;
	}
	u->reg[IER] = 0;
	line[n] = '\0';
	return 0;
}

/* The sessions and the registers; what step failed in *what. */
static int open_device(struct uart *u, env_t *env, const char **what)
{
	kcap_t sig;
	*what = "signal";
	int rc = signal_receiver_create(&u->rx);
	rc = rc ? rc : signal_receiver_manage(u->rx, &u->ctx, &sig);
	if (rc)
		return rc;
	*what = "registers (IO_MEM)";
	rc = io_mem_connection_open(&u->io, env, UART_BASE, UART_SIZE);
	rc = rc ? rc : dataspace_attach(&u->io.ds, true);
	if (rc)
		return rc;
	u->reg = u->io.ds.addr;
	*what = "interrupt (IRQ)";
	return irq_connection_open(&u->irq, env, UART_IRQ, sig);
}

void component_construct(env_t *env)
{
	static struct uart u;
	static char line[LINE_MAX];
	const char *what;
	int rc = open_device(&u, env, &what);
	if (rc) {
		env_log(env, "uart: no %s: %s", what, runtime_strerror(rc));
		env_exit(env, 1);
	}
	env_log(env,
	        "uart: registers at 0x%x and IRQ %u through core's sessions",
	        UART_BASE, UART_IRQ);
	rc = read_line(&u, line, sizeof line);
	if (rc) {
		env_log(env, "uart: reading: %s", runtime_strerror(rc));
		env_exit(env, 1);
	}
	put(&u, "uart: read \"");
	put(&u, line);
	put(&u, "\"\r\n");
	env_log(env, "uart: %zu bytes on %u interrupts", strlen(line),
	        u.interrupts);
	irq_connection_close(&u.irq);
	io_mem_connection_close(&u.io);
	env_exit(env, 0);
}
