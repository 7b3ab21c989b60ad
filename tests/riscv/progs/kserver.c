/*
 * The partner of bench.c for the kmsg form (the kernel interface's
 * messages, as libkernel sends them): a waitset with one endpoint, whose
 * capability it sends to its parent (boot capability 0) in a register-form
 * call, then answers every kmsg request with the request itself
 * (SYS_MREPLY, then SYS_WS_WAIT again: two system calls, as libkernel's
 * kipc_reply and kwaitset_wait make). An empty request ends it.
 */
#include <kernel/kernel.h>

#include "sys.h"

int main(void);

static long ws_wait(long ws, kmsg_t *msg)
{
	register long a0 __asm__("a0") = ws;
	register long a1 __asm__("a1") = (long)msg;
	register long a2 __asm__("a2") = -1;
	register long a3 __asm__("a3");
	register long a7 __asm__("a7") = SYS_WS_WAIT;
	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "=r"(a3)
	                 : "r"(a7) : "memory");
	return a0;
}

int main(void)
{
	static kmsg_t msg;
	long ws = sys_call2(SYS_WS_CREATE, 0, 0), ep = sys_ep_create();
	if (ws < 0 || ep < 0 || sys_call3(SYS_WS_ADD, ws, ep, 1) != 0)
		return 1;
	struct sys_msg m = { .cap = ep, .w = { 77, 0, 0, 0 } };
	if (sys_ipc(SYS_CALL, 0, &m) != 0)
		return 2;
	while (ws_wait(ws, &msg) == 0 && msg.size != 0)
		sys_call2(SYS_MREPLY, (long)&msg, 0);
	sys_call2(SYS_MREPLY, (long)&msg, 0);
	return 0;
}
