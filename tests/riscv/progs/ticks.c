/* Timer test program: spins in U-mode until the kernel has counted five
 * ticks, which only happens if timer interrupts preempt it. */
#include "sys.h"

int main(void);

int main(void)
{
	long start = sys_ticks();
	while (sys_ticks() < start + 5)
		;
	sys_puts("saw 5 ticks\n");
	return 0;
}
