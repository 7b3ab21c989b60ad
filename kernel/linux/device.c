/*
 * Devices (kernel/include/kernel/device.h) on the linux platform: there
 * are none to give. The "kernel" here is a library over Linux, which
 * keeps the machine's devices; a driver needs the bare-metal platform
 * (kernel/riscv). Every call is KERR_DENIED, and kdevice_board says why,
 * so core's IRQ and IO_MEM services refuse with that reason.
 */
#include <kernel/device.h>

#include <unistd.h>

#define NO_DEVICES "no device access on the linux platform " \
	"(Linux keeps the devices; drivers need the riscv platform)"

int kdevice_board(const struct kdevice **devices, size_t *count,
                  const char **why)
{
	*devices = NULL;
	*count = 0;
	*why = NO_DEVICES;
	return KERR_DENIED;
}

size_t kdevice_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

int kdevice_mem_create(uint64_t phys, uint64_t size, kcap_t *mem)
{
	(void)phys;
	(void)size;
	(void)mem;
	return KERR_DENIED;
}

int kdevice_irq_bind(uint32_t irq, kcap_t signal)
{
	(void)irq;
	(void)signal;
	return KERR_DENIED;
}

int kdevice_irq_unbind(uint32_t irq)
{
	(void)irq;
	return KERR_DENIED;
}

int kdevice_mem_revoke(kcap_t mem)
{
	(void)mem;
	return KERR_DENIED;
}

int kdevice_irq_ack(kcap_t signal)
{
	(void)signal;
	return KERR_DENIED;
}
