/*
 * Kernel-object quotas (SYS_PD_OBJ_LIMIT, thread.h), the root: starts
 * boot module 1 (objchild.c) bounded to 5 endpoints and 2 signals. The
 * child creates endpoints until the kernel refuses, and calls the root
 * while it holds them (and every waitset its default share allows): the
 * root, another domain, still creates its own, waitsets past that share.
 * The child then dissolves one and gets one more (returned on destroy),
 * and is refused its third signal. An unknown kind is refused; the
 * ended child's counts are 0 again (pd_end asserts it) and its bound can
 * no longer be set. Endpoints dissolved while a selector of each stays
 * are free again at once, 300 of them (the machine has 256), the kept
 * selectors revoked. The suite checks the lines (run-suite,
 * object_quota_per_domain).
 */
#include <stdint.h>

#include "sys.h"

int main(void);

int main(void)
{
	if (sys_call3(SYS_PRIORITY, -1, -1, 15) != 0) /* the child waits */
		return 1;
	long ep = sys_ep_create();
	long image = sys_call2(SYS_BOOTMOD_MEM, 1, 0);
	int32_t caps[1] = { (int32_t)ep };
	long id = sys_call6(SYS_PD_CREATE_IMAGE, image, (long)caps, 1, -1, 0,
	                    0);
	if (ep < 0 || id < 0)
		return 2;
	sys_put_num("child's endpoints at the start: ",
	            sys_call3(SYS_PD_OBJ_LIMIT, id, PD_OBJ_ENDPOINT, 5));
	sys_put_num("child's threads: ",
	            sys_call3(SYS_PD_OBJ_LIMIT, id, PD_OBJ_THREAD, 4));
	sys_call3(SYS_PD_OBJ_LIMIT, id, PD_OBJ_SIGNAL, 2);
	sys_put_num("an unknown kind: ",
	            sys_call3(SYS_PD_OBJ_LIMIT, id, PD_OBJ_KINDS, 1));

	struct sys_msg m = { .cap = -1 };
	if (sys_ipc(SYS_RECV, ep, &m) != 0) /* the child is at its bound */
		return 3;
	sys_put_num("child's endpoints when refused: ",
	            sys_call3(SYS_PD_OBJ_LIMIT, id, PD_OBJ_ENDPOINT, 5));
	long mine = 0;
	while (mine < 10 && sys_ep_create() >= 0)
		mine++;
	sys_put_num("the root's own endpoints meanwhile: ", mine);
	long sets = 0;
	while (sets < 20 && sys_call2(SYS_WS_CREATE, 0, 0) >= 0)
		sets++;
	sys_put_num("the root's own waitsets meanwhile: ", sets);
	m = (struct sys_msg){ .cap = -1 };
	sys_ipc(SYS_REPLY, 0, &m);
	if (sys_call2(SYS_PD_WAIT, id, -1) != 0)
		return 4;
	sys_put_num("child ended: ", sys_call2(SYS_PD_STATE, id, 0));
	sys_put_num("an ended domain's bound refused: ",
	            sys_call3(SYS_PD_OBJ_LIMIT, id, PD_OBJ_ENDPOINT, 5));
	sys_put_num("the root's endpoints charged: ",
	            sys_call3(SYS_PD_OBJ_LIMIT, -1, PD_OBJ_ENDPOINT,
	                      UINT32_MAX));
	/* More endpoints dissolved than the machine has while a selector of
	 * each stays (a client that keeps the selectors of closed sessions):
	 * each dissolved one is free again at once, its selector revoked. */
	static long kept[300];
	long made = 0;
	for (; made < 300; made++) {
		long ep2 = sys_ep_create();
		if (ep2 < 0)
			break;
		kept[made] = sys_cap_copy(ep2);
		sys_call2(SYS_EP_DISSOLVE, ep2, 0);
		sys_cap_close(ep2);
	}
	sys_put_num("endpoints dissolved, a selector of each kept: ", made);
	m = (struct sys_msg){ .cap = -1 };
	sys_put_num("a call on a kept one: ", sys_ipc(SYS_CALL, kept[0], &m));
	sys_put_num("its kind: ", sys_cap_type(kept[made - 1]));
	for (long i = 0; i < made; i++)
		sys_cap_close(kept[i]);
	return 0;
}
