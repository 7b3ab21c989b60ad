/* Started by quota.c with a RAM limit: creates one-page memory objects
 * until the kernel refuses (each is 2 frames), then asks for its IPC
 * buffer (4 frames, refused: KERR_NOMEM) and its own limit (denied);
 * exits with the count, or 100 + the step that went wrong. */
#include "sys.h"

int main(void);

int main(void)
{
	int count = 0;
	long err;
	while ((err = sys_call2(SYS_MEM_CREATE, 4096, 0)) >= 0)
		count++;
	if (err != -3)
		return 101;
	if (sys_call2(SYS_IPCBUF, 0, 0) != -3)
		return 102;
	if (sys_call2(SYS_PD_RAM_LIMIT, -1, 1l << 40) != -9)
		return 103;
	return count;
}
