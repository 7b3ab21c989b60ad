/*
 * A component for the device tests of the riscv suite, started by
 * devroot.c while pkg/uart holds the UART's interrupt and registers: it
 * asks core's IRQ and IO_MEM services (hosted by devroot) for what a
 * driver must not get, and the kernel for device access directly, and
 * logs each answer as "NAME: granted" or "NAME: refused (ERROR)". It
 * exits with the number of requests that were granted.
 */
#include <runtime/env.h>

#include "sys.h"

struct request {
	const char *name, *service, *args;
};

static const struct request requests[] = {
	{ "second IRQ 10", "IRQ", "irq=10" },
	{ "IRQ 5, no device's", "IRQ", "irq=5" },
	{ "IRQ without a number", "IRQ", "irq=ten" },
	{ "IO_MEM of the held UART", "IO_MEM", "base=0x10000000, size=4096" },
	{ "IO_MEM of RAM", "IO_MEM", "base=0x80000000, size=4096" },
	{ "IO_MEM of the PLIC", "IO_MEM", "base=0x0c000000, size=4096" },
	{ "IO_MEM of the CLINT", "IO_MEM", "base=0x02000000, size=4096" },
	{ "IO_MEM overflowing", "IO_MEM",
	  "base=0xfffffffffffff000, size=8192" },
	{ "IO_MEM unaligned", "IO_MEM", "base=0x10000010, size=4096" },
	{ "IO_MEM past the UART", "IO_MEM", "base=0x10000000, size=8192" },
	{ "IO_MEM without a size", "IO_MEM", "base=0x10000000" },
};

void component_construct(env_t *env)
{
	int granted = 0;
	for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
		kcap_t cap;
		uint32_t id;
		int rc = env_session(env, requests[i].service, requests[i].args,
		                     &cap, &id);
		env_log(env, "%s: %s%s%s", requests[i].name,
		        rc ? "refused (" : "granted",
		        rc ? runtime_strerror(rc) : "", rc ? ")" : "");
		granted += !rc;
	}
	/* Without sessions the kernel gives a component nothing either. */
	long sig = sys_signal_create();
	long own_mem = sys_call2(SYS_IOMEM_CREATE, 0x10000000, 4096);
	long own_irq = sys_call2(SYS_IRQ_BIND, 10, sig);
	env_log(env, "own device memory: %ld, own interrupt binding: %ld",
	        own_mem, own_irq);
	granted += own_mem >= 0;
	granted += own_irq >= 0;
	env_exit(env, granted);
}
