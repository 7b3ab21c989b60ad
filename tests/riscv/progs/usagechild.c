/* Started by usage.c: makes three signals, is denied SYS_PD_USAGE (the
 * root's only) for itself, and calls the root (boot capability 0), which
 * counts what it holds meanwhile. Exits 0, or 100 + the step that went
 * wrong. */
#include "sys.h"

int main(void);

int main(void)
{
	for (int i = 0; i < 3; i++)
		if (sys_signal_create() < 0)
			return 101;
	sys_put_num("own usage: ", sys_call2(SYS_PD_USAGE, -1, PD_USE_SLOTS));
	struct sys_msg m = { .cap = -1 };
	if (sys_ipc(SYS_CALL, 0, &m) != 0)
		return 102;
	return 0;
}
