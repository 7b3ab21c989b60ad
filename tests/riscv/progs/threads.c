/*
 * Scheduler test program: two threads spin, each until both have counted
 * to a number, so neither can finish unless the timer preempts the other
 * (nothing in the loops enters the kernel). The main thread waits the
 * same way, then checks bad thread arguments are refused.
 */
#include "sys.h"

#define COUNT 100000

int main(void);

static volatile long count[2];
static volatile int done[2];
static long stacks[2][512] __attribute__((aligned(16)));

static void worker(long i)
{
	while (count[i] < COUNT || count[1 - i] < COUNT)
		if (count[i] < COUNT)
			count[i]++;
	done[i] = 1;
	sys_thread_exit();
}

int main(void)
{
	for (long i = 0; i < 2; i++)
		if (sys_thread_create(worker, &stacks[i][512], i) != 0)
			return 1;
	long start = sys_ticks();
	while (!done[0] || !done[1])
		;
	sys_put_num("both threads finished, ticks: ", sys_ticks() - start);
	int refused = sys_thread_create(worker, (char *)&stacks[0][512] - 8,
	                                0) == -1 &&
	              sys_thread_create((void (*)(long))0x80200000ul,
	                                &stacks[0][512], 0) == -1 &&
	              sys_thread_create((void (*)(long))stacks, &stacks[0][512],
	                                0) == -1 &&
	              sys_thread_create(worker, (void *)0x50000000ul, 0) == -1;
	sys_puts(refused ? "bad thread arguments refused\n"
	                 : "a bad thread argument worked\n");
	return 0;
}
