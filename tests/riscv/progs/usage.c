/*
 * SYS_PD_USAGE (kernel/riscv/abi.h), the root: what the kernel holds for
 * itself, counted as it creates and closes an endpoint, a signal and a
 * memory object it maps (a signal closed is still its owner's until it
 * destroys it, or ends); then for boot module 1 (usagechild.c), which
 * holds three signals while it calls the root and is denied the call
 * itself. An ended domain holds nothing, a released one and an unknown
 * kind are refused. The suite checks the lines (run-suite,
 * pd_usage_counts).
 */
#include <kernel/kernel.h>
#include <stdint.h>

#include "sys.h"

#define PAGE 4096L
#define MAP_AT 0x100000000L /* the second user window (README.md) */

int main(void);

static long use(long id, long what)
{
	return sys_call2(SYS_PD_USAGE, id, what);
}

/* One line: what grew of the root's counts since `was`. */
static void grew(const char *what, const long was[PD_USE_KINDS])
{
	static const char *const names[PD_USE_KINDS] = { "threads", "endpoints",
		                                         "signals", "waitsets",
		                                         "mems",    "frames",
		                                         "slots",   "maps" };
	char line[160];
	size_t n = 0;
	for (const char *p = what; *p && n < 60;)
		line[n++] = *p++;
	for (long k = 0; k < PD_USE_KINDS; k++) {
		long d = use(-1, k) - was[k];
		if (!d)
			continue;
		line[n++] = ' ';
		for (const char *p = names[k]; *p;)
			line[n++] = *p++;
		line[n++] = d < 0 ? '-' : '+';
		n += fmt_long(line + n, d < 0 ? -d : d);
	}
	line[n++] = '\n';
	sys_print(line, n);
}

static void snap(long was[PD_USE_KINDS])
{
	for (long k = 0; k < PD_USE_KINDS; k++)
		was[k] = use(-1, k);
}

int main(void)
{
	long was[PD_USE_KINDS];
	if (sys_call3(SYS_PRIORITY, -1, -1, 15) != 0) /* the child waits */
		return 1;
	snap(was);
	long ep = sys_ep_create();
	grew("an endpoint:", was);
	long sig = sys_signal_create();
	grew("and a signal:", was);
	long mem = sys_call2(SYS_MEM_CREATE, 3 * PAGE, 0);
	grew("and 3 pages:", was);
	if (ep < 0 || sig < 0 || mem < 0 ||
	    sys_call5(SYS_MEM_MAP, mem, 0, 3 * PAGE, KMEM_READ, MAP_AT) != 0)
		return 2;
	grew("mapped:", was);
	sys_call2(SYS_MEM_UNMAP, MAP_AT, 3 * PAGE);
	sys_cap_close(mem);
	sys_cap_close(sig);
	grew("the signal closed, not destroyed:", was);
	sig = sys_signal_create();
	sys_call2(SYS_SIGNAL_DESTROY, sig, 0);
	sys_cap_close(sig);
	grew("another destroyed and closed:", was);
	sys_put_num("an unknown kind: ", use(-1, PD_USE_KINDS));

	long image = sys_call2(SYS_BOOTMOD_MEM, 1, 0);
	int32_t caps[1] = { (int32_t)ep };
	long id = sys_call6(SYS_PD_CREATE_IMAGE, image, (long)caps, 1, -1, 0,
	                    0);
	if (image < 0 || id < 0)
		return 3;
	struct sys_msg m = { .cap = -1 };
	if (sys_ipc(SYS_RECV, ep, &m) != 0) /* the child holds its signals */
		return 4;
	sys_put_num("child's signals: ", use(id, PD_OBJ_SIGNAL));
	sys_put_num("child's threads: ", use(id, PD_OBJ_THREAD));
	sys_put_num("child's slots: ", use(id, PD_USE_SLOTS));
	sys_put_num("child's frames charged: ", use(id, PD_USE_FRAMES) > 0);
	m = (struct sys_msg){ .cap = -1 };
	sys_ipc(SYS_REPLY, 0, &m);
	if (sys_call2(SYS_PD_WAIT, id, -1) != 0)
		return 5;
	sys_put_num("ended child's slots: ", use(id, PD_USE_SLOTS));
	sys_put_num("ended child's frames: ", use(id, PD_USE_FRAMES));
	sys_call2(SYS_PD_RELEASE, id, 0);
	sys_put_num("released child: ", use(id, PD_USE_SLOTS));
	return 0;
}
