/*
 * The host architecture, the default of --arch (see arch.h).
 */
#include <stdio.h>
#include <sys/utsname.h>

#include "arch.h"

const char *arch_of_host(void)
{
	/* Filled once per run; the tool is single-threaded. */
	static struct utsname uts;
	if (uname(&uts) < 0)
		return "unknown";
	return uts.machine;
}
