/*
 * Registered IPC buffers (kernel/riscv/ipcbuf.h), the root: the buffer
 * is at the kernel's window, the same on a second call, readable and
 * writable; it is no memory object's mapping (SYS_MEM_UNMAP refuses it)
 * and no memory object maps into its window; SYS_REPLY_WAIT refuses a
 * waitset that is not the caller's before it acts; 20 threads one after
 * another each register one and end, and the suite checks every frame
 * came back (tests/riscv/run-suite, ipc_buffer_registered).
 */
#include <kernel/kernel.h>

#include "sys.h"

#define WINDOW 0x1fc0000000l   /* USER_IPCBUF_BASE, arch.h */
#define THREADS 20

int main(void);

static long stack[512] __attribute__((aligned(16)));
static volatile long thread_va;

static void registrar(long arg)
{
	thread_va = sys_call2(SYS_IPCBUF, 0, 0);
	((volatile char *)thread_va)[8192] = (char)arg;
	sys_thread_exit();
}

int main(void)
{
	long va = sys_call2(SYS_IPCBUF, 0, 0);
	sys_put_num("in the window: ",
	            va >= WINDOW && va < WINDOW + (1l << 30));
	sys_put_num("same again: ", sys_call2(SYS_IPCBUF, 0, 0) == va);
	volatile kmsg_t *in = (kmsg_t *)va, *out = (kmsg_t *)(va + 8192);
	out->size = 4000;
	out->data[3999] = 7;
	in->data[4095] = 9;
	sys_put_num("read and write: ", out->data[3999] + in->data[4095]);
	sys_put_num("unmap refused: ", sys_call2(SYS_MEM_UNMAP, va, 16384));
	long mem = sys_call2(SYS_MEM_CREATE, 4096, 0);
	sys_put_num("object in the window refused: ",
	            sys_call5(SYS_MEM_MAP, mem, 0, 4096, KMEM_READ | KMEM_WRITE,
	                      WINDOW + (1l << 20)));
	out->size = 0;
	out->cap_count = 0;
	sys_put_num("reply+wait on no waitset refused: ",
	            sys_call4(SYS_REPLY_WAIT, 15, va, -1, va + 8192));
	int started = 0;
	for (int i = 0; i < THREADS; i++) {
		thread_va = 0;
		if (sys_thread_create(registrar, &stack[512], i) != 0)
			break;
		while (!thread_va)
			sys_call2(SYS_YIELD, 0, 0);
		for (int j = 0; j < 3; j++)
			sys_call2(SYS_YIELD, 0, 0); /* it ends */
		started += thread_va >= WINDOW;
	}
	sys_put_num("threads with buffers: ", started);
	return 0;
}
