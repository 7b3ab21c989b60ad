/*
 * Domain-slot test program, the root: starts boot module 1 (a program
 * that ends at once) 20 times, more than the kernel has domain slots
 * (PD_MAX, thread.h), retrying once per tick while every slot is taken:
 * the slots of ended domains must be used again.
 */
#include "sys.h"

#define SPAWNS 20

int main(void);

static void next_tick(void)
{
	long t = sys_ticks();
	while (sys_ticks() == t)
		;
}

int main(void)
{
	int started = 0;
	for (int tries = 0; started < SPAWNS && tries < 10 * SPAWNS; tries++) {
		long err = sys_pd_create(1, -1);
		if (err == 0)
			started++;
		else if (err != -3)
			return 1;
		else
			next_tick();
	}
	for (int i = 0; i < 5; i++)
		next_tick();
	sys_put_num("domains started: ", started);
	return started == SPAWNS ? 0 : 2;
}
