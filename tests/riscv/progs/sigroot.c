/*
 * Signal test program, the root: starts boot module 1 ("sigchild") with a
 * capability to its endpoint and receives the child's signal from it.
 * Submits 2 and 3 (the child must count 5 in all), checks that it may not
 * wait on a signal it does not own, counts its own signal across its
 * threads' submits, and sees submits fail once the child has ended.
 */
#include "sys.h"

int main(void);

static long own;
static long stack[512] __attribute__((aligned(16)));

static void submitter(long n)
{
	for (long i = 0; i < n; i++)
		sys_signal_submit(own, 1);
	sys_thread_exit();
}

int main(void)
{
	long ep = sys_ep_create();
	own = sys_signal_create();
	if (ep < 0 || own < 0 || sys_pd_create(1, ep) != 0)
		return 1;
	struct sys_msg m = { .cap = -1 };
	if (sys_ipc(SYS_RECV, ep, &m) != 0)
		return 2;
	long child = m.cap;
	sys_put_num("received a capability of type ", sys_cap_type(child));
	m = (struct sys_msg){ .cap = -1 };
	sys_ipc(SYS_REPLY, 0, &m);
	sys_put_num("wait on the child's signal: ", sys_signal_wait(child));
	sys_put_num("wait on an endpoint: ", sys_signal_wait(ep));
	if (sys_signal_submit(child, 2) != 0 ||
	    sys_signal_submit(child, 3) != 0)
		return 3;

	/* 7 submits of 1 from another thread arrive as 7 in all. */
	if (sys_thread_create(submitter, &stack[512], 7) != 0)
		return 4;
	long total = 0;
	while (total < 7)
		total += sys_signal_wait(own);
	sys_put_num("own signal counted ", total);

	long start = sys_ticks(), err = 0;
	while (err == 0 && sys_ticks() < start + 50)
		err = sys_signal_submit(child, 1);
	sys_put_num("submit after the owner ended: ", err);
	return 0;
}
