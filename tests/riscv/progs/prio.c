/*
 * Priorities (SYS_PRIORITY, thread.h), the root at the highest level:
 * a busy thread at level 10 starves a busy one at level 3 (the lower
 * counts nothing while the higher runs); lowered to 3 the two share the
 * hart by the tick's round robin (both count); the root, above both,
 * wakes from its timed waits on time all along. Then boot module 1
 * (prioself.c), started with SYS_PD_CREATE_IMAGE and set to level 14, is
 * refused
 * when it sets a priority itself; levels out of range and unknown
 * threads are refused to the root. tests/riscv/run-suite,
 * priorities_starve_and_share.
 */
#include <kernel/kernel.h>

#include "sys.h"

int main(void);

static volatile unsigned long counts[2];
static long stacks[2][512] __attribute__((aligned(16)));
static volatile long tids[2];

static void busy(long i)
{
	tids[i] = sys_call2(SYS_THREAD_SELF, 0, 0);
	for (;;)
		counts[i]++;
}

/* A timed wait of `ms` on an empty waitset: the root sleeps. */
static void sleep_ms(long ws, long ms)
{
	static kmsg_t msg;
	sys_call3(SYS_WS_WAIT, ws, (long)&msg, ms);
}

int main(void)
{
	long ws = sys_call2(SYS_WS_CREATE, 0, 0);
	if (ws < 0 || sys_call3(SYS_PRIORITY, -1, -1, 15) != 0)
		return 1;
	for (long i = 0; i < 2; i++)
		if (sys_thread_create(busy, &stacks[i][512], i) != 0)
			return 2;
	sleep_ms(ws, 20); /* both run once at the default level */
	if (!tids[0] || !tids[1] ||
	    sys_call3(SYS_PRIORITY, -1, tids[0], 3) != 0 ||
	    sys_call3(SYS_PRIORITY, -1, tids[1], 10) != 0)
		return 3;
	unsigned long low = counts[0], high = counts[1];
	sleep_ms(ws, 50);
	sys_put_num("starved: low counted ", (long)(counts[0] - low));
	sys_put_num("starved: high counted more than a million: ",
	            counts[1] - high > 1000000ul);

	sys_call3(SYS_PRIORITY, -1, tids[1], 3);
	low = counts[0];
	high = counts[1];
	sleep_ms(ws, 100);
	sys_put_num("shared: low counted: ", counts[0] - low > 100000ul);
	sys_put_num("shared: high counted: ", counts[1] - high > 100000ul);

	sys_put_num("level 16 refused: ", sys_call3(SYS_PRIORITY, -1, -1, 16));
	sys_put_num("unknown thread refused: ",
	            sys_call3(SYS_PRIORITY, -1, 200, 1));
	long image = sys_call2(SYS_BOOTMOD_MEM, 1, 0);
	long id = sys_call6(SYS_PD_CREATE_IMAGE, image, 0, 0, -1, 0, 0);
	if (id < 0 || sys_call3(SYS_PRIORITY, id, -1, 14) != 0 ||
	    sys_call2(SYS_PD_WAIT, id, -1) != 0)
		return 4;
	sys_put_num("a domain's own priority change, its exit status: ",
	            sys_call2(SYS_PD_STATE, id, 0)); /* KERR_DENIED & 127 */
	return 0;
}
