/*
 * The component's own process on the riscv kernel (kernel/kernel.h):
 * boot capabilities, set-up and exit (and how a fault that ends a domain
 * is numbered), the clock and confinement; streams
 * are in stream.c.
 *
 * Boot capabilities: the kernel puts the one it was given (SYS_PD_CREATE)
 * in selector 0 and tells how many there are in a0 at the entry, which
 * crt0.S keeps in kboot_cap_count before anything else runs. More than
 * one per domain is not there yet (README.md).
 */
#include "lib.h"

#include <stdio.h>

long kboot_cap_count; /* set by crt0.S */

kcap_t kboot_cap(unsigned index)
{
	if (index >= (unsigned long)kboot_cap_count)
		return KCAP_INVALID;
	kcap_t cap = { (int32_t)index };
	return cap;
}

/* Nothing acts on a domain behind its back on this kernel: no signals,
 * no terminal, no pipes. */
void kprocess_setup(void)
{
	kthread_self();
}

_Noreturn void kprocess_exit(int code)
{
	fflush(stdout);
	sys_exit(code);
}

/* The kernel kills a domain for an exception and tells its cause
 * (kernel/riscv/lib/pd/pd.c, kpd_state). */
enum kfault_numbering kfault_numbering(void)
{
	return KFAULT_EXCEPTION;
}

/* The virt board's timebase: 10 MHz (../arch.h), read in U-mode. */
uint64_t kclock_ns(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t * 100u;
}

/* There is no file system here, nothing is opened by path: what a
 * component can bring in after its start-up is code mapped executable
 * (kernel.h), which the kernel refuses the whole domain from now on. */
int kconfine_forbid_open(void)
{
	return (int)sys_call2(SYS_NO_NEW_CODE, 0, 0);
}
