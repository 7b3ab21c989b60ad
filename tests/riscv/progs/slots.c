/*
 * Domain-slot test program, the root: starts boot module 1 (slotchild.c)
 * as many times as the kernel has domain slots besides its own (PD_MAX,
 * thread.h), all alive at once, each holding its share of the waitsets
 * (WAITSET_PER_PD, waitset.h) when it reports; one more domain is
 * refused while they live. The root takes its own share of waitsets, and
 * the pool then refuses one more; it maps one memory object at as many
 * addresses as a domain has mappings (MAP_MAX, mem.h), and one more is
 * refused. It kills the children, releases their slots, and one more
 * child starts then. The suite checks the lines (run-suite,
 * domain_slots_all_at_once) and that every frame came back.
 */
#include <stdint.h>

#include "sys.h"

#define PD_SLOTS 16        /* PD_MAX, thread.h */
#define WAITSETS_EACH 3    /* WAITSET_PER_PD, waitset.h */
#define MAPPINGS 64        /* MAP_MAX, mem.h */
#define MAP_AT 0x100000000l /* USER_HIGH_BASE, arch.h */

int main(void);

static long ep, image;

/* A child with the endpoint as its boot capability 0; its id or < 0. */
static long start_child(void)
{
	int32_t caps[1] = { (int32_t)ep };
	return sys_call6(SYS_PD_CREATE_IMAGE, image, (long)caps, 1, -1, 0, 0);
}

int main(void)
{
	static long ids[PD_SLOTS];
	ep = sys_ep_create();
	image = sys_call2(SYS_BOOTMOD_MEM, 1, 0);
	if (ep < 0 || image < 0)
		return 1;

	int started = 0, full_shares = 0;
	while (started < PD_SLOTS - 1 && (ids[started] = start_child()) >= 0)
		started++;
	for (int i = 0; i < started; i++) { /* each reports its waitsets */
		struct sys_msg m = { .cap = -1 };
		if (sys_ipc(SYS_RECV, ep, &m) != 0)
			return 2;
		full_shares += m.w[0] == WAITSETS_EACH;
		m = (struct sys_msg){ .cap = -1 };
		sys_ipc(SYS_REPLY, 0, &m);
	}
	sys_put_num("domains alive at once besides the root: ", started);
	sys_put_num("of them holding their share of waitsets: ", full_shares);
	sys_put_num("one more domain: ", start_child());

	int mine = 0;
	while (mine < WAITSETS_EACH && sys_call2(SYS_WS_CREATE, 0, 0) >= 0)
		mine++;
	sys_put_num("the root's own waitsets: ", mine);
	sys_put_num("one more waitset: ", sys_call2(SYS_WS_CREATE, 0, 0));

	long mem = sys_call2(SYS_MEM_CREATE, 4096, 0);
	int maps = 0;
	while (maps < MAPPINGS && sys_call5(SYS_MEM_MAP, mem, 0, 4096, 3,
	                                    MAP_AT + maps * 4096l) == 0)
		maps++;
	sys_put_num("mappings of one object: ", maps);
	sys_put_num("one more mapping: ", sys_call5(SYS_MEM_MAP, mem, 0, 4096,
	                                            3, MAP_AT + maps * 4096l));

	for (int i = 0; i < started; i++)
		if (sys_call2(SYS_PD_KILL, ids[i], 0) != 0 ||
		    sys_call2(SYS_PD_RELEASE, ids[i], 0) != 0)
			return 3;
	long again = start_child();
	struct sys_msg m = { .cap = -1 };
	if (again < 0 || sys_ipc(SYS_RECV, ep, &m) != 0)
		return 4;
	sys_put_num("a domain started after the kill, its waitsets: ", m.w[0]);
	m = (struct sys_msg){ .cap = -1 };
	sys_ipc(SYS_REPLY, 0, &m);
	if (sys_call2(SYS_PD_KILL, again, 0) != 0 ||
	    sys_call2(SYS_PD_RELEASE, again, 0) != 0)
		return 5;
	return started == PD_SLOTS - 1 && full_shares == started ? 0 : 6;
}
