/* Started by objquota.c with bounds of 5 endpoints and 2 signals:
 * creates endpoints until refused, and waitsets, whose bound the root
 * left as every domain starts with (a quarter of the machine's, thread.h
 * PD_OBJ_SHARE_DIVISOR), until refused; calls the root (boot capability 0)
 * holding them, dissolves one and creates one more, then is refused a
 * third signal and denied setting its own bound. Exits with the number of
 * endpoints it got the first time, or 100 + the step that went wrong. */
#include "sys.h"

int main(void);

int main(void)
{
	long count = 0, err, last = -1;
	while ((err = sys_ep_create()) >= 0) {
		last = err;
		count++;
	}
	sys_put_num("endpoint over the bound: ", err);
	long sets = 0;
	while ((err = sys_call2(SYS_WS_CREATE, 0, 0)) >= 0)
		sets++;
	sys_put_num("waitsets by default: ", sets);
	sys_put_num("waitset over the share: ", err);
	struct sys_msg m = { .cap = -1 };
	if (sys_ipc(SYS_CALL, 0, &m) != 0)
		return 101;
	if (sys_call2(SYS_EP_DISSOLVE, last, 0) != 0)
		return 102;
	sys_put_num("one more after a dissolve: ", sys_ep_create() >= 0);
	sys_put_num("and then: ", sys_ep_create());
	sys_signal_create();
	sys_signal_create();
	sys_put_num("third signal: ", sys_signal_create());
	sys_put_num("own bound: ",
	            sys_call3(SYS_PD_OBJ_LIMIT, -1, PD_OBJ_SIGNAL, 100));
	return (int)count;
}
