/*
 * RAM quotas (SYS_PD_RAM_LIMIT, thread.h), the root: its own limit set
 * 8 frames above its charge takes one memory object of 4 pages (5 frames
 * with the frame listing them) and refuses a second until the first is
 * closed; lowered below the charge, what is there stays usable and a new
 * object is refused. Then boot module 1 (quotachild.c), started with a
 * limit 10 frames above its image's charge, gets exactly 5 objects of
 * one page (2 frames each), then is refused its IPC buffer and denied
 * setting its own limit. The suite checks every frame came back
 * (run-suite, ram_quota_charged).
 */
#include <kernel/kernel.h>

#include "sys.h"

int main(void);

#define PAGE 4096l

int main(void)
{
	if (sys_call3(SYS_PRIORITY, -1, -1, 15) != 0) /* the child waits */
		return 1;
	long used = sys_call2(SYS_PD_RAM_LIMIT, -1, 1l << 40);
	sys_put_num("charged for its image: ", used > 0);
	sys_call2(SYS_PD_RAM_LIMIT, -1, used + 8 * PAGE);
	long a = sys_call2(SYS_MEM_CREATE, 4 * PAGE, 0);
	sys_put_num("first object: ", a >= 0);
	sys_put_num("second over the quota: ",
	            sys_call2(SYS_MEM_CREATE, 4 * PAGE, 0));
	sys_cap_close(a);
	long b = sys_call2(SYS_MEM_CREATE, 4 * PAGE, 0);
	sys_put_num("again after closing the first: ", b >= 0);
	if (sys_call5(SYS_MEM_MAP, b, 0, 4 * PAGE, KMEM_READ | KMEM_WRITE,
	              0x100000000l))
		return 2;
	sys_call2(SYS_PD_RAM_LIMIT, -1, used);
	volatile char *p = (volatile char *)0x100000000l;
	p[3 * PAGE] = 5;
	sys_put_num("lowered: what is there still used: ", p[3 * PAGE]);
	sys_put_num("lowered: a new object refused: ",
	            sys_call2(SYS_MEM_CREATE, PAGE, 0));
	sys_call2(SYS_PD_RAM_LIMIT, -1, 1l << 40);

	long image = sys_call2(SYS_BOOTMOD_MEM, 1, 0);
	long id = sys_call6(SYS_PD_CREATE_IMAGE, image, 0, 0, -1, 0, 0);
	long child = id < 0 ? id : sys_call2(SYS_PD_RAM_LIMIT, id, 1l << 40);
	if (child < 0 ||
	    sys_call2(SYS_PD_RAM_LIMIT, id, child + 10 * PAGE) != child ||
	    sys_call2(SYS_PD_WAIT, id, -1) != 0)
		return 3;
	sys_put_num("child's objects within 10 frames: ",
	            sys_call2(SYS_PD_STATE, id, 0));
	sys_put_num("an ended domain's limit refused: ",
	            sys_call2(SYS_PD_RAM_LIMIT, id, 0));
	return 0;
}
