/*
 * Deadlock test program: calls its own endpoint, which only it could
 * receive on. Every thread is then blocked for good, and the kernel must
 * say so and stop (status 202) rather than hang.
 */
#include "sys.h"

int main(void);

int main(void)
{
	long ep = sys_ep_create();
	struct sys_msg m = { .cap = -1 };
	sys_puts("calling my own endpoint\n");
	sys_ipc(SYS_CALL, ep, &m);
	sys_puts("the call returned\n");
	return 0;
}
