/*
 * Device grants taken back (SYS_IRQ_UNBIND, SYS_MEM_REVOKE, irq.h), the
 * root: starts boot module 1 (devdriver.c) twice as a UART driver with
 * its endpoint and the UART's device memory. Each driver sends the
 * signal it made; the root binds IRQ 10 to it. The first driver reads a
 * word on interrupts and ends: its signal went with it, so the
 * interrupt is unbound (SYS_IRQ_UNBIND finds nothing) and the second
 * driver's binding succeeds and gets interrupts. Then the root takes the
 * registers back while the second driver maps them: its next access
 * faults. Last, a binding ends when the root destroys its own signal,
 * and by SYS_IRQ_UNBIND. The suite checks the lines
 * (run-suite, device_grants_taken_back).
 */
#include <kernel/kernel.h>
#include <stdint.h>

#include "sys.h"

int main(void);

#define UART_BASE 0x10000000l
#define UART_IRQ  10

/* Starts the driver, binds IRQ 10 to the signal it sends, answers the
 * binding's status; the domain's id, or < 0. */
static long start_driver(long image, long ep, long mem, long round)
{
	int32_t caps[2] = { (int32_t)ep, (int32_t)mem };
	long id = sys_call6(SYS_PD_CREATE_IMAGE, image, (long)caps, 2, -1, 0,
	                    0);
	if (id < 0)
		return id;
	struct sys_msg m = { .cap = -1 };
	if (sys_ipc(SYS_RECV, ep, &m) != 0)
		return -100;
	long rc = sys_call2(SYS_IRQ_BIND, UART_IRQ, m.cap);
	sys_put_num("driver ", round);
	sys_put_num("bind IRQ 10 to the driver's signal: ", rc);
	sys_cap_close(m.cap);
	m = (struct sys_msg){ .cap = -1, .w = { rc, round } };
	sys_ipc(SYS_REPLY, 0, &m);
	return id;
}

int main(void)
{
	long ep = sys_ep_create();
	long mem = sys_call2(SYS_IOMEM_CREATE, UART_BASE, 4096);
	long image = sys_call2(SYS_BOOTMOD_MEM, 1, 0);
	if (ep < 0 || mem < 0 || image < 0)
		return 1;

	long first = start_driver(image, ep, mem, 1);
	if (first < 0 || sys_call2(SYS_PD_WAIT, first, -1) != 0)
		return 2;
	sys_put_num("first driver ended: ", sys_call2(SYS_PD_STATE, first, 0));
	sys_put_num("unbind after the driver ended: ",
	            sys_call2(SYS_IRQ_UNBIND, UART_IRQ, 0));

	long second = start_driver(image, ep, mem, 2);
	if (second < 0)
		return 3;
	struct sys_msg m = { .cap = -1 };
	if (sys_ipc(SYS_RECV, ep, &m) != 0) /* the second read its word */
		return 4;
	sys_put_num("mappings revoked: ", sys_call2(SYS_MEM_REVOKE, mem, 0));
	sys_put_num("unbind by the root: ",
	            sys_call2(SYS_IRQ_UNBIND, UART_IRQ, 0));
	sys_put_num("mapping a revoked object: ",
	            sys_call5(SYS_MEM_MAP, mem, 0, 4096, KMEM_READ,
	                      0x100000000l));
	m = (struct sys_msg){ .cap = -1 };
	sys_ipc(SYS_REPLY, 0, &m);
	if (sys_call2(SYS_PD_WAIT, second, -1) != 0)
		return 5;
	sys_put_num("second driver ended: ",
	            sys_call2(SYS_PD_STATE, second, 0));

	long a = sys_signal_create(), b = sys_signal_create();
	sys_put_num("bind to the root's signal: ",
	            sys_call2(SYS_IRQ_BIND, UART_IRQ, a));
	sys_put_num("bound twice: ", sys_call2(SYS_IRQ_BIND, UART_IRQ, b));
	sys_call2(SYS_SIGNAL_DESTROY, a, 0);
	sys_put_num("bind after the signal was destroyed: ",
	            sys_call2(SYS_IRQ_BIND, UART_IRQ, b));
	sys_put_num("unbind: ", sys_call2(SYS_IRQ_UNBIND, UART_IRQ, 0));
	sys_put_num("unbind again: ", sys_call2(SYS_IRQ_UNBIND, UART_IRQ, 0));
	sys_put_num("revoke of no memory object: ",
	            sys_call2(SYS_MEM_REVOKE, ep, 0));
	return 0;
}
