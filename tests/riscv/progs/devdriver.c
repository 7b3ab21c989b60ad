/*
 * A UART driver for devgrant.c: boot capabilities 0 (the root's
 * endpoint) and 1 (the UART's device memory). Maps the registers, sends
 * a signal of its own to the root (which binds IRQ 10 to it), enables the
 * receive interrupt and reads one word (up to a space or a newline) on
 * interrupts, acknowledging each. The first driver then ends; the second
 * (the root's answer says which: both run this program) calls
 * the root, which revokes the mapping, and touches the registers again:
 * that access faults (the suite sees the domain killed).
 */
#include <kernel/kernel.h>

#include "sys.h"

int main(void);

#define REGS   0x100000000l
#define RBR    0   /* receive buffer */
#define IER    1   /* interrupt enable: bit 0, data ready */
#define LSR    5   /* line status: bit 0, data ready */

static volatile unsigned char *regs = (volatile unsigned char *)REGS;

/* Reads one word on interrupts into word[]; its length. */
static unsigned read_word(long sig, char *word, unsigned max)
{
	unsigned n = 0;
	for (;;) {
		if (sys_signal_wait(sig) <= 0)
			return n;
		while (regs[LSR] & 1) {
			char c = (char)regs[RBR];
			if (c == ' ' || c == '\n' || c == '\r')
				return n;
			if (n < max)
				word[n++] = c;
		}
		sys_call2(SYS_IRQ_ACK, sig, 0);
	}
}

int main(void)
{
	if (sys_call5(SYS_MEM_MAP, 1, 0, 4096, KMEM_READ | KMEM_WRITE, REGS))
		return 101;
	sys_put_num("driver: unbind denied: ",
	            sys_call2(SYS_IRQ_UNBIND, 10, 0));
	sys_put_num("driver: revoke denied: ", sys_call2(SYS_MEM_REVOKE, 1, 0));
	long sig = sys_signal_create();
	struct sys_msg m = { .cap = sig };
	if (sig < 0 || sys_ipc(SYS_CALL, 0, &m) != 0 || m.w[0] != 0)
		return 102;
	long round = m.w[1];
	regs[IER] = 1;
	static const char head[] = "driver: read \"";
	char line[48];
	unsigned n = 0;
	for (; head[n]; n++)
		line[n] = head[n];
	n += read_word(sig, line + n, 16);
	line[n++] = '"';
	line[n++] = '\n';
	sys_print(line, n);
	if (round == 1)
		return 0;
	m = (struct sys_msg){ .cap = -1 };
	if (sys_ipc(SYS_CALL, 0, &m) != 0)
		return 103;
	sys_puts("driver: the registers after the revoke\n");
	return regs[LSR]; /* faults */
}
