/*
 * Signal test program, started by sigroot.c: creates a signal, sends its
 * capability to the parent (boot capability 0), waits until the counts it
 * gets add up to 5, prints them and ends.
 */
#include "sys.h"

int main(void);

int main(void)
{
	long sig = sys_signal_create();
	struct sys_msg m = { .cap = sig };
	if (sig < 0 || sys_ipc(SYS_CALL, 0, &m) != 0)
		return 1;
	long total = 0;
	while (total < 5) {
		long n = sys_signal_wait(sig);
		if (n <= 0)
			return 2;
		total += n;
	}
	sys_put_num("counted ", total);
	return 0;
}
