/* Fault test program: reads kernel memory, which is mapped without the U
 * bit; the kernel must kill it with a load page fault, not crash. */
#include "sys.h"

int main(void);

int main(void)
{
	sys_puts("reading kernel memory\n");
	volatile const long *kernel = (const long *)0x80200000ul;
	long v = *kernel;
	sys_puts("still alive: the fault was missed\n");
	return (int)v;
}
