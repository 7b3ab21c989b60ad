/*
 * Stops QEMU through the test finisher (finisher.h). A write of 0x5555
 * exits with status 0; (status << 16) | 0x3333 exits with `status`.
 */
#include "arch.h"
#include "finisher.h"

#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

_Noreturn void finish(uint32_t status)
{
	volatile uint32_t *reg = (volatile uint32_t *)FINISHER_BASE;
	*reg = status == 0 ? FINISHER_PASS
	                   : ((status & 0xffffu) << 16) | FINISHER_FAIL;
	for (;;)
		__asm__ volatile("wfi");
}
