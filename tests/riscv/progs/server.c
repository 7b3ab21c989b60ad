/*
 * IPC test program, started by parent.c: sends its own endpoint to the
 * parent (boot capability 0), with the answer it got when it tried to
 * create a domain (only the root may), and serves it: op 1 answers
 * value + 1, op 9 ends the domain without answering.
 */
#include "sys.h"

int main(void);

int main(void)
{
	long parent = 0, mine = sys_ep_create();
	struct sys_msg m = { .cap = mine,
		             .w = { 77, sys_pd_create(1, -1), 0, 0 } };
	if (sys_ipc(SYS_CALL, parent, &m) != 0)
		return 1;
	m = (struct sys_msg){ .cap = -1 };
	long err = sys_ipc(SYS_RECV, mine, &m);
	while (err == 0) {
		if (m.w[0] == 9)
			return 0;
		m = (struct sys_msg){ .cap = -1, .w = { m.w[1] + 1, 0, 0, 0 } };
		err = sys_ipc(SYS_REPLY_RECV, mine, &m);
	}
	return 2;
}
