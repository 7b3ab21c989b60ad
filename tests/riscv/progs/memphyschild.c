/* Started by memphys.c: SYS_MEM_PHYS on a RAM object of its own is the
 * root's only. Exits 0. */
#include "sys.h"

int main(void);

int main(void)
{
	long mem = sys_call2(SYS_MEM_CREATE, 4096, 0);
	if (mem < 0)
		return 1;
	sys_put_num("physical address of its own memory: ",
	            sys_call2(SYS_MEM_PHYS, mem, 0));
	return 0;
}
