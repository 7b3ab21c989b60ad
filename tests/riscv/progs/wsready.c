/*
 * What is pending in a waitset (kernel/riscv/waitset.h's `ready` count),
 * the root: a wait with nothing noted as pending blocks without looking,
 * and the kmsg fast path's SYS_REPLY_WAIT (ipc.c) blocks the server
 * without looking, so every way something becomes pending must be noted.
 * Checked here: a signal with a count when it is added; a signal removed
 * with a count and added again; an endpoint with a queued caller when it
 * is added; a caller queued while the server holds a request, which its
 * SYS_REPLY_WAIT must deliver at once (the slow path) instead of
 * blocking. A count missed makes a poll time out or the run deadlock
 * (status 202); one left over fails an assertion (status 200). The suite
 * checks the lines and that every frame came back (tests/riscv/run-suite,
 * waitset_pending_noted).
 */
#include <kernel/kernel.h>

#include "sys.h"

int main(void);

static long stack[3][512] __attribute__((aligned(16)));
static long ep;
static volatile int calling[3], answered[3];

/* A waitset wait or reply+wait (abi.h): a0 status, a1 kind, a2 badge,
 * a3 count. */
struct event {
	long status, kind, badge, count;
};

static struct event ws_call(long nr, long ws, long msg, long timeout,
                            long reply)
{
	register long a0 __asm__("a0") = ws;
	register long a1 __asm__("a1") = msg;
	register long a2 __asm__("a2") = timeout;
	register long a3 __asm__("a3") = reply;
	register long a7 __asm__("a7") = nr;
	__asm__ volatile("ecall"
	                 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
	                 : "r"(a7)
	                 : "memory");
	return (struct event){ a0, a1, a2, a3 };
}

/* Calls `ep` with one byte 'a' + arg, from its IPC buffer (arg 1, 2) or
 * from ordinary memory (0), and records the reply's size. */
static void caller(long arg)
{
	static kmsg_t req[3], rep[3];
	kmsg_t *out = &req[arg], *in = &rep[arg];
	if (arg) {
		long va = sys_call2(SYS_IPCBUF, 0, 0);
		if (va < 0)
			sys_exit(3);
		in = (kmsg_t *)va;
		out = (kmsg_t *)(va + 8192);
	}
	out->size = 1;
	out->cap_count = 0;
	out->data[0] = (uint8_t)('a' + arg);
	calling[arg] = 1;
	if (sys_call4(SYS_MCALL, ep, (long)out, (long)in, -1) == 0)
		answered[arg] = (int)in->size;
	sys_thread_exit();
}

static void until(volatile int *flag)
{
	while (!*flag)
		sys_call2(SYS_YIELD, 0, 0);
	for (int i = 0; i < 3; i++) /* it blocks or ends */
		sys_call2(SYS_YIELD, 0, 0);
}

static void signals(long ws)
{
	static kmsg_t msg;
	long sig = sys_signal_create();
	sys_signal_submit(sig, 3);
	sys_call3(SYS_WS_ADD, ws, sig, 7);
	struct event e = ws_call(SYS_WS_WAIT, ws, (long)&msg, 0, 0);
	sys_put_num("signal pending when added: ",
	            e.status == 0 && e.kind == KEVENT_SIGNAL && e.badge == 7
	                    ? e.count
	                    : e.status);
	e = ws_call(SYS_WS_WAIT, ws, (long)&msg, 0, 0);
	sys_put_num("then nothing: ", e.status);
	sys_signal_submit(sig, 2);
	sys_call2(SYS_WS_REMOVE, sig, 0);
	e = ws_call(SYS_WS_WAIT, ws, (long)&msg, 0, 0);
	sys_put_num("removed with a count, nothing: ", e.status);
	sys_call3(SYS_WS_ADD, ws, sig, 7);
	e = ws_call(SYS_WS_WAIT, ws, (long)&msg, 0, 0);
	sys_put_num("added again: ", e.status == 0 ? e.count : e.status);
	sys_call2(SYS_SIGNAL_DESTROY, sig, 0);
	sys_cap_close(sig);
}

int main(void)
{
	long ws = sys_call2(SYS_WS_CREATE, 0, 0);
	ep = sys_ep_create();
	if (ws < 0 || ep < 0)
		return 1;
	signals(ws);

	/* A caller queued on the endpoint before it is in the waitset. */
	static kmsg_t msg, reply = { .size = 2 };
	if (sys_thread_create(caller, &stack[0][512], 0) != 0)
		return 2;
	until(&calling[0]);
	sys_call3(SYS_WS_ADD, ws, ep, 9);
	struct event e = ws_call(SYS_WS_WAIT, ws, (long)&msg, 0, 0);
	sys_put_num("caller queued when added: ",
	            e.status == 0 && e.kind == KEVENT_REQUEST && e.badge == 9
	                    ? msg.data[0]
	                    : e.status);
	sys_call2(SYS_MREPLY, (long)&reply, 0);
	until(&answered[0]);

	/* The kmsg form with IPC buffers, as libkernel sends it: the first
	 * call reaches the waiting root by the fast path; the second caller
	 * queues while the root holds the first; the root's reply+wait
	 * answers the first and must take the second at once. */
	long va = sys_call2(SYS_IPCBUF, 0, 0);
	if (va < 0 || sys_thread_create(caller, &stack[1][512], 1) != 0 ||
	    sys_thread_create(caller, &stack[2][512], 2) != 0)
		return 3;
	kmsg_t *in = (kmsg_t *)va, *out = (kmsg_t *)(va + 8192);
	e = ws_call(SYS_WS_WAIT, ws, va, -1, 0);
	sys_put_num("first request: ", e.status == 0 ? in->data[0] : e.status);
	until(&calling[2]);
	out->size = 3;
	out->cap_count = 0;
	e = ws_call(SYS_REPLY_WAIT, ws, va, -1, va + 8192);
	sys_put_num("reply+wait with a caller queued: ",
	            e.status == 0 && e.kind == KEVENT_REQUEST ? in->data[0]
	                                                      : e.status);
	out->size = 4;
	sys_call2(SYS_MREPLY, va + 8192, 0);
	until(&answered[2]);
	sys_put_num("replies: ",
	            answered[0] * 100 + answered[1] * 10 + answered[2]);
	e = ws_call(SYS_WS_WAIT, ws, va, 0, 0);
	sys_put_num("then nothing: ", e.status);
	sys_call2(SYS_WS_DESTROY, ws, 0);
	return 0;
}
