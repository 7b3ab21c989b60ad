/*
 * A user-level driver of QEMU virt's ns16550a UART (issue 15 item 2),
 * started by uartroot.c: it asks its parent for the UART's interrupt
 * (sending the signal it should arrive at) and registers (device memory
 * in the reply), maps the registers, turns on the receive interrupt and
 * reads one line of input, a byte at a time as interrupts come, each
 * acknowledged to the kernel. It answers by writing to the UART itself
 * (not through the kernel's console), tells the parent it is done and
 * exits.
 */
#include <kernel/kernel.h>

#include "sys.h"

#include <stdint.h>
#include <string.h>

#include "../../../pkg/uart/ns16550a.h"

static volatile uint8_t *uart;

static void put(const char *s)
{
	for (; *s; s++) {
		while (!(uart[LSR] & LSR_THRE))
			;
		uart[THR] = (uint8_t)*s;
	}
}

static int done(kcap_t parent, uint8_t status)
{
	static kmsg_t msg = { .size = 1 };
	msg.data[0] = status;
	kipc_call(parent, &msg, &msg, -1);
	return status;
}

int main(void)
{
	kcap_t parent = kboot_cap(0);
	long sig = sys_signal_create();
	/* The device services are the root's: a driver gets nothing itself. */
	sys_put_num("own device memory: ",
	            sys_call2(SYS_IOMEM_CREATE, 0x10000000, 4096));
	sys_put_num("own interrupt binding: ",
	            sys_call2(SYS_IRQ_BIND, 10, sig));
	sys_put_num("own boot module: ", sys_call2(SYS_BOOTMOD_MEM, 1, 0));
	sys_put_num("own domain state: ", sys_call2(SYS_PD_STATE, 0, 0));
	static kmsg_t msg;
	msg = (kmsg_t){ .size = 4,
		        .cap_count = 1,
		        .caps = { { (int32_t)sig } } };
	memcpy(msg.data, "uart", 4);
	void *regs = 0;
	int err = sig < 0 ? (int)sig : kipc_call(parent, &msg, &msg, -1);
	if (!err && msg.cap_count != 1)
		err = KERR_MALFORMED;
	err = err ? err
	          : kmem_map(msg.caps[0], 0, 4096, KMEM_READ | KMEM_WRITE, NULL,
	                     &regs);
	if (err)
		return done(parent, 1);
	uart = regs;
	uart[MCR] |= MCR_OUT2;
	uart[IER] = IER_RX;

	char line[64];
	size_t n = 0;
	unsigned irqs = 0;
	while (n < sizeof line - 1 && (n == 0 || line[n - 1] != '\n')) {
		if (sys_signal_wait(sig) <= 0)
			return done(parent, 2);
		irqs++;
		while ((uart[LSR] & LSR_DR) && n < sizeof line - 1)
			line[n++] = (char)uart[RBR];
		sys_call2(SYS_IRQ_ACK, sig, 0);
	}
	uart[IER] = 0;
	line[n && line[n - 1] == '\n' ? n - 1 : n] = '\0';
	put("uart driver: read \"");
	put(line);
	put(irqs ? "\" on interrupts\r\n" : "\"\r\n");
	return done(parent, 0);
}
