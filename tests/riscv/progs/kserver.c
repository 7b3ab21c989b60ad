/*
 * The partner of bench.c for the kmsg form (the kernel interface's
 * messages, as libkernel sends them): a waitset with one endpoint, whose
 * capability it sends to its parent (boot capability 0) in a register-form
 * call, then answers every kmsg request with the request itself. First
 * with messages in its ordinary memory (SYS_MREPLY, then SYS_WS_WAIT: two
 * system calls, page-table walks for each buffer); after a request of one
 * byte, with its registered IPC buffer (SYS_IPCBUF) and SYS_REPLY_WAIT,
 * as libkernel does now (lib/ipc.c). An empty request ends it.
 */
#include <kernel/kernel.h>

#include "sys.h"

int main(void);

static long ws_wait(long nr, long ws, kmsg_t *msg, const kmsg_t *reply)
{
	register long a0 __asm__("a0") = ws;
	register long a1 __asm__("a1") = (long)msg;
	register long a2 __asm__("a2") = -1;
	register long a3 __asm__("a3") = (long)reply;
	register long a7 __asm__("a7") = nr;
	__asm__ volatile("ecall"
	                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
	                 : "r"(a7)
	                 : "memory");
	return a0;
}

/* The request's data into the reply, eight bytes at a time (both are
 * 8-byte aligned in the IPC buffer), as a server would copy a message,
 * so that the figure is the kernel's and not a byte loop's. */
typedef uint64_t __attribute__((may_alias)) word_t;
static void echo(kmsg_t *out, const kmsg_t *in)
{
	word_t *d = (word_t *)(void *)out->data;
	const word_t *s = (const word_t *)(const void *)in->data;
	uint32_t size = in->size, i = 0;
	for (; i < size / 8; i++)
		d[i] = s[i];
	for (i *= 8; i < size; i++)
		out->data[i] = in->data[i];
	out->size = size;
}

/* Answers with the request, from the IPC buffer, until an empty one. */
static void serve_buffered(long ws)
{
	long va = sys_call2(SYS_IPCBUF, 0, 0);
	if (va < 0)
		sys_exit(3);
	kmsg_t *in = (kmsg_t *)va, *out = (kmsg_t *)(va + 8192);
	out->size = 0;
	out->cap_count = 0;
	while (ws_wait(SYS_REPLY_WAIT, ws, in, out) == 0 && in->size != 0)
		echo(out, in);
	sys_call2(SYS_MREPLY, (long)out, 0);
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
	while (ws_wait(SYS_WS_WAIT, ws, &msg, 0) == 0 && msg.size > 1)
		sys_call2(SYS_MREPLY, (long)&msg, 0);
	if (msg.size == 1) {
		serve_buffered(ws); /* which answers the switch first */
		return 0;
	}
	sys_call2(SYS_MREPLY, (long)&msg, 0);
	return 0;
}
