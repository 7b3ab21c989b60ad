/* Started by slots.c, one of as many domains as the kernel has slots:
 * creates its share of waitsets (three, WAITSET_PER_PD in waitset.h),
 * tells the root (boot capability 0) how many it got, and holds them,
 * waiting for a signal nobody submits, until the root kills it. */
#include "sys.h"

int main(void);

int main(void)
{
	long got = 0;
	while (got < 3 && sys_call2(SYS_WS_CREATE, 0, 0) >= 0)
		got++;
	struct sys_msg m = { .cap = -1, .w = { got } };
	if (sys_ipc(SYS_CALL, 0, &m) != 0)
		return 101;
	sys_signal_wait(sys_signal_create());
	return 102;
}
