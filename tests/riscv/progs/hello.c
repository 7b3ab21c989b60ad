/* Boot test program: a first system call from U-mode, then an exit code
 * that the kernel passes to QEMU through the test finisher. */
#include "sys.h"

int main(void);

int main(void)
{
	sys_puts("hello from user mode\n");
	return 42;
}
