/*
 * Devices (kernel/include/kernel/device.h) over the riscv kernel's calls
 * SYS_IOMEM_CREATE, SYS_IRQ_BIND, SYS_IRQ_UNBIND, SYS_MEM_REVOKE (the root's: core's IO_MEM and IRQ
 * services) and SYS_IRQ_ACK (the signal owner's: the driver, through
 * libruntime's IRQ connection). The board's table is QEMU virt's devices
 * that no one but a driver uses; the kernel keeps the finisher, the CLINT
 * and the PLIC and refuses them itself (../mem.c), so they are not
 * listed here.
 */
#include <kernel/device.h>

#include "lib.h"

#include "../arch.h"

/* What a driver may have of the virt board. The UART's registers are 256
 * bytes; device memory comes in pages, so the entry is one page. More
 * devices (virtio-mmio, the RTC) go here with their addresses in
 * ../arch.h. */
static const struct kdevice board[] = {
	{ .name = "uart0",
	  .phys = UART0_BASE,
	  .size = PAGE_SIZE,
	  .irq = UART0_IRQ },
};

int kdevice_board(const struct kdevice **devices, size_t *count,
                  const char **why)
{
	*devices = board;
	*count = sizeof board / sizeof board[0];
	*why = NULL;
	return 0;
}

size_t kdevice_page_size(void)
{
	return PAGE_SIZE;
}

/* The kernel answers a selector or a negative KERR_*. */
static int status(long rc)
{
	return rc < 0 ? (int)rc : 0;
}

int kdevice_mem_create(uint64_t phys, uint64_t size, kcap_t *mem)
{
	if (phys % PAGE_SIZE || size % PAGE_SIZE || size == 0)
		return KERR_INVALID;
	long sel = sys_call2(SYS_IOMEM_CREATE, (long)phys, (long)size);
	if (sel >= 0)
		*mem = (kcap_t){ (int32_t)sel };
	return status(sel);
}

int kdevice_irq_bind(uint32_t irq, kcap_t signal)
{
	return status(sys_call2(SYS_IRQ_BIND, (long)irq, signal.sel));
}

int kdevice_irq_ack(kcap_t signal)
{
	return status(sys_call2(SYS_IRQ_ACK, signal.sel, 0));
}

int kdevice_irq_unbind(uint32_t irq)
{
	return status(sys_call2(SYS_IRQ_UNBIND, (long)irq, 0));
}

int kdevice_mem_revoke(kcap_t mem)
{
	return status(sys_call2(SYS_MEM_REVOKE, mem.sel, 0));
}
