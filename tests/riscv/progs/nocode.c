/*
 * SYS_NO_NEW_CODE (kernel/riscv/abi.h), the root: a page of RAM written
 * through a writable mapping with one instruction (`ret`) and mapped
 * executable runs; then the domain gives up new code. From then on an
 * executable mapping is refused on the main thread, on a thread made
 * before the call and on one made after, and so is making a domain (its
 * image is new code), while the code mapped before still runs and a
 * writable mapping is still made; a second call changes nothing. The
 * suite checks the lines (run-suite, no_new_code_for_good).
 */
#include <kernel/kernel.h>
#include <stdint.h>

#include "sys.h"

#define PAGE    4096L
#define WRITE_AT 0x100000000L /* the second user window (README.md) */
#define CODE_AT  0x100010000L
#define LATER_AT 0x100020000L
#define DATA_AT  0x100030000L
#define RET      0x00008067u  /* jalr x0, 0(ra) */

int main(void);

static long mem;
static volatile int go, done[2];
static long stacks[2][512] __attribute__((aligned(16)));

static long map(long flags, long at)
{
	return sys_call5(SYS_MEM_MAP, mem, 0, PAGE, flags, at);
}

/* Thread i: once told to, maps the page executable, says what came. */
static void mapper(long i)
{
	while (!go)
		sys_call2(SYS_YIELD, 0, 0);
	sys_put_num(i ? "a thread made after: " : "a thread made before: ",
	            map(KMEM_READ | KMEM_EXEC, LATER_AT + i * PAGE));
	done[i] = 1;
	sys_thread_exit();
}

static void run_code(const char *what)
{
	__asm__ volatile("fence.i" ::: "memory");
	((void (*)(void))CODE_AT)();
	sys_puts(what);
}

int main(void)
{
	mem = sys_call2(SYS_MEM_CREATE, PAGE, 0);
	if (mem < 0 || map(KMEM_READ | KMEM_WRITE, WRITE_AT) != 0)
		return 1;
	*(volatile uint32_t *)WRITE_AT = RET;
	sys_put_num("code mapped: ", map(KMEM_READ | KMEM_EXEC, CODE_AT));
	run_code("code ran\n");
	if (sys_thread_create(mapper, &stacks[0][512], 0) != 0)
		return 2;
	sys_put_num("no new code: ", sys_call2(SYS_NO_NEW_CODE, 0, 0));
	sys_put_num("code mapped after: ",
	            map(KMEM_READ | KMEM_EXEC, LATER_AT + 2 * PAGE));
	if (sys_thread_create(mapper, &stacks[1][512], 1) != 0)
		return 3;
	go = 1;
	while (!done[0] || !done[1])
		sys_call2(SYS_YIELD, 0, 0);
	run_code("code mapped before still ran\n");
	sys_put_num("data mapped after: ",
	            map(KMEM_READ | KMEM_WRITE, DATA_AT));
	sys_put_num("no new code again: ", sys_call2(SYS_NO_NEW_CODE, 0, 0));
	sys_put_num("code mapped after again: ",
	            map(KMEM_READ | KMEM_EXEC, LATER_AT + 2 * PAGE));
	int32_t caps[1] = { (int32_t)mem };
	sys_put_num("a domain from an image: ",
	            sys_call6(SYS_PD_CREATE_IMAGE, mem, (long)caps, 1, -1, 0,
	                      0));
	sys_put_num("a domain from a boot module: ", sys_pd_create(1, -1));
	return 0;
}
