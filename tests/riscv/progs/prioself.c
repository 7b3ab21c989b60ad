/* A domain that tries to raise its own priority (prio.c starts it): it
 * exits with the result, which must be KERR_DENIED (-9). */
#include "sys.h"

int main(void);

int main(void)
{
	return (int)sys_call3(SYS_PRIORITY, -1, -1, 15);
}
